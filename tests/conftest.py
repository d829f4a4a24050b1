"""Shared fixtures: a fake OpenAI server on loopback, and clean litellm globals."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Tests comparing with litellm import it: it must read its bundled model map, not the network.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import edgequake_litellm as litellm
from fakeprov.openai import FakeOpenAI
from redisfix import BINARY, RedisServer


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
        "azure_key",
        "api_version",
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
        "AZURE_API_KEY",
        "AZURE_OPENAI_API_KEY",
        "AZURE_API_BASE",
        "AZURE_OPENAI_ENDPOINT",
        "AZURE_API_VERSION",
        "AZURE_AD_TOKEN",
        "AZURE_OPENAI_AD_TOKEN",
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_USERNAME",
        "AZURE_PASSWORD",
        "AZURE_SCOPE",
        "AZURE_AUTHORITY_HOST",
        "AZURE_AI_API_KEY",
        "AZURE_AI_API_BASE",
        "VERTEXAI_CREDENTIALS",
        "VERTEXAI_PROJECT",
        "VERTEXAI_LOCATION",
        "VERTEXAI_API_BASE",
        "GOOGLE_APPLICATION_CREDENTIALS",
    ):
        monkeypatch.delenv(var, raising=False)
    # Not the machine's gcloud application-default credentials (Vertex AI would use them).
    monkeypatch.setenv("CLOUDSDK_CONFIG", "/nonexistent/edgequake-litellm-tests")


@pytest.fixture(scope="session")
def _redis_session() -> Iterator[RedisServer]:
    if BINARY is None:
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    with RedisServer() as server:
        yield server


@pytest.fixture
def redis_url(_redis_session: RedisServer) -> str:
    """The URL of a real redis-server shared by the session, emptied for each test."""
    import redis

    with redis.Redis.from_url(_redis_session.url) as client:
        client.flushall()
    return _redis_session.url


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """``litellm.cache`` starts unset in every test."""
    monkeypatch.setattr(litellm, "cache", None)
