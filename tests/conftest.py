"""Shared fixtures: a fake OpenAI server on loopback, and clean litellm globals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import edgequake_litellm as litellm
from fakeprov.openai import FakeOpenAI


@pytest.fixture
def srv() -> Iterator[FakeOpenAI]:
    """A fresh fake OpenAI server; ``srv.url`` is the ``api_base`` to use."""
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(autouse=True)
def _clean_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees another's module globals or a provider env var from the machine."""
    for name in (
        "api_key",
        "api_base",
        "headers",
        "openai_key",
        "num_retries",
        "openrouter_key",
        "anthropic_key",
    ):
        monkeypatch.setattr(litellm, name, None)
    for var in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_API_BASE",
        "OPENROUTER_API_KEY",
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_API_BASE",
        "ANTHROPIC_BASE_URL",
    ):
        monkeypatch.delenv(var, raising=False)
