"""pytest plugin for the framework checks (loaded with ``-p alias_plugin`` in a framework's venv).

It installs the alias every check depends on, ``sys.modules["litellm"] = edgequake_litellm``,
before any framework is imported (unless ``ELC_NO_ALIAS=1``: that run must fail, since the
venvs hold no litellm), and gives each check a fake OpenAI server on loopback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest

if os.environ.get("ELC_NO_ALIAS") != "1":
    import edgequake_litellm

    sys.modules["litellm"] = edgequake_litellm

from fakeprov.openai import FakeOpenAI
from fakeprov.server import Reply


@pytest.fixture
def srv(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """A fake OpenAI server; ``OPENAI_API_BASE``/``OPENAI_API_KEY`` point at it."""
    with FakeOpenAI() as server:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-fake")
        monkeypatch.setenv("OPENAI_API_BASE", server.url)
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        yield server


def chat_reply(content: str | None, tool_calls: list[dict[str, object]] | None = None) -> Reply:
    """A scripted OpenAI chat completion answering ``content`` (or calling ``tool_calls``)."""
    return Reply(
        body={
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "gpt-4o-mini",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "tool_calls": tool_calls},
                    "finish_reason": "tool_calls" if tool_calls else "stop",
                }
            ],
            "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8},
        }
    )
