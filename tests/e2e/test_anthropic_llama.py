"""The Anthropic adapter against llama.cpp's llama-server, which also speaks Anthropic's
``/v1/messages``: real third-party bytes through our request, response and SSE translation."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest

import edgequake_litellm as litellm
from llama_server import LlamaServer

pytestmark = pytest.mark.e2e

MSGS = [{"role": "system", "content": "be terse"}, {"role": "user", "content": "Say hi"}]
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "w",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string", "enum": ["Paris", "Rome"]}},
                "required": ["city"],
            },
        },
    }
]


@pytest.fixture(scope="module")
def tool_root() -> Iterator[str]:
    """Root URL of a chat server nudged towards its tool-call token: /v1/messages drops
    ``logit_bias`` from the body, so the bias is a server flag here."""
    with LlamaServer(extra_args=["--logit-bias", "276+50"]) as server:
        yield server.root


def opts(chat_url: str) -> dict[str, Any]:
    root = chat_url.removesuffix("/v1")
    return {"api_base": root, "api_key": "k", "temperature": 0, "num_retries": 0}


def test_completion(chat_url: str) -> None:
    r = litellm.completion(model="anthropic/tiny", messages=MSGS, max_tokens=8, **opts(chat_url))
    assert isinstance(r.choices[0].message.content, str) and r.choices[0].message.content
    assert r.choices[0].finish_reason == "length"
    assert r.usage.completion_tokens == 8
    assert r.usage.total_tokens == r.usage.prompt_tokens + 8 and r.usage.prompt_tokens > 0
    assert r._hidden_params["custom_llm_provider"] == "anthropic"
    openai.types.chat.ChatCompletion.model_validate(r.model_dump())


def test_sync_and_async_stream_rebuild(chat_url: str) -> None:
    chunks = list(
        litellm.completion(
            model="anthropic/tiny",
            messages=MSGS,
            max_tokens=6,
            stream=True,
            stream_options={"include_usage": True},
            **opts(chat_url),
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text and chunks[0].choices[0].delta.role == "assistant"
    assert any(c.choices[0].finish_reason == "length" for c in chunks)
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 6
    built = litellm.stream_chunk_builder(chunks, messages=MSGS)
    assert built is not None and built.choices[0].message.content == text

    async def run() -> list[litellm.ModelResponseStream]:
        s = await litellm.acompletion(
            model="anthropic/tiny", messages=MSGS, max_tokens=5, stream=True, **opts(chat_url)
        )
        return [c async for c in s]

    assert "".join(c.choices[0].delta.content or "" for c in asyncio.run(run()))


def test_tool_use_round_trip(tool_root: str) -> None:
    kw = {"api_base": tool_root, "api_key": "k", "temperature": 0, "num_retries": 0}
    msgs: list[Any] = [{"role": "user", "content": "weather in Paris?"}]
    r = litellm.completion(
        model="anthropic/tiny",
        messages=msgs,
        tools=TOOLS,
        tool_choice="required",
        max_tokens=200,
        **kw,
    )
    assert r.choices[0].finish_reason == "tool_calls"
    call = r.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather" and call.id
    assert json.loads(call.function.arguments)["city"] in ("Paris", "Rome")
    msgs += [r.choices[0].message, {"role": "tool", "tool_call_id": call.id, "content": "sunny"}]
    follow = litellm.completion(
        model="anthropic/tiny", messages=msgs, tools=TOOLS, tool_choice="none", max_tokens=4, **kw
    )
    assert follow.usage.prompt_tokens > r.usage.prompt_tokens


def test_streamed_tool_use_rebuilds_valid_json(tool_root: str) -> None:
    kw = {"api_base": tool_root, "api_key": "k", "temperature": 0, "num_retries": 0}
    chunks = list(
        litellm.completion(
            model="anthropic/tiny",
            messages=[{"role": "user", "content": "weather in Paris?"}],
            tools=TOOLS,
            tool_choice="required",
            max_tokens=200,
            stream=True,
            **kw,
        )
    )
    assert any(c.choices[0].delta.tool_calls for c in chunks)
    built = litellm.stream_chunk_builder(chunks)
    assert built is not None
    call = built.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather" and call.id
    assert json.loads(call.function.arguments)["city"] in ("Paris", "Rome")
    assert built.choices[0].finish_reason == "tool_calls"
