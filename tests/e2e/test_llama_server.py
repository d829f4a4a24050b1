"""litellm-style code running unchanged through our Rust core against llama.cpp's llama-server."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openai
import pytest
from pydantic import BaseModel

import edgequake_litellm as litellm

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
                "properties": {
                    "city": {"type": "string", "enum": ["Paris", "Rome"]},
                    "days": {"type": "integer"},
                },
                "required": ["city", "days"],
            },
        },
    }
]
# The tiny model emits its tool-call token only when nudged (passed through in the body).
FORCE_TOOL = {"logit_bias": {"<tool_call>": 50}}


def opts(url: str) -> dict[str, Any]:
    return {"api_base": url, "api_key": "k", "temperature": 0}


def test_completion(chat_url: str) -> None:
    r = litellm.completion(model="openai/tiny", messages=MSGS, max_tokens=8, **opts(chat_url))
    assert isinstance(r.choices[0].message.content, str) and r.choices[0].message.content
    assert r["choices"][0]["message"]["role"] == "assistant"
    assert r.choices[0].finish_reason == "length"
    assert r.usage.completion_tokens == 8
    assert r.usage.total_tokens == r.usage.prompt_tokens + 8
    openai.types.chat.ChatCompletion.model_validate(r.model_dump())


def test_sync_stream_with_usage_rebuilds(chat_url: str) -> None:
    chunks = list(
        litellm.completion(
            model="openai/tiny",
            messages=MSGS,
            max_tokens=6,
            stream=True,
            stream_options={"include_usage": True},
            **opts(chat_url),
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text and chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 6
    assert any(c.choices[0].finish_reason == "length" for c in chunks)
    built = litellm.stream_chunk_builder(chunks, messages=MSGS)
    assert built is not None
    assert built.choices[0].message.content == text
    assert built.usage.completion_tokens == 6


def test_async_stream_with_usage(chat_url: str) -> None:
    async def run() -> list[litellm.ModelResponseStream]:
        s = await litellm.acompletion(
            model="openai/tiny",
            messages=MSGS,
            max_tokens=5,
            stream=True,
            stream_options={"include_usage": True},
            **opts(chat_url),
        )
        return [c async for c in s]

    chunks = asyncio.run(run())
    assert "".join(c.choices[0].delta.content or "" for c in chunks)
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 5


def test_tool_call_and_result_round_trip(chat_url: str) -> None:
    r = litellm.completion(
        model="openai/tiny",
        messages=[{"role": "user", "content": "weather in Paris?"}],
        tools=TOOLS,
        tool_choice="required",
        max_tokens=200,
        **FORCE_TOOL,
        **opts(chat_url),
    )
    msg = r.choices[0].message
    assert r.choices[0].finish_reason == "tool_calls"
    call = msg.tool_calls[0]
    args = json.loads(call.function.arguments)
    assert call.function.name == "get_weather" and args["city"] in ("Paris", "Rome")
    assert isinstance(args["days"], int) and call.id
    follow = litellm.completion(
        model="openai/tiny",
        messages=[
            {"role": "user", "content": "weather in Paris?"},
            msg,
            {"role": "tool", "tool_call_id": call.id, "content": "sunny, 21 C"},
        ],
        tools=TOOLS,
        max_tokens=5,
        **opts(chat_url),
    )
    assert follow.choices[0].message.content is not None
    assert follow.usage.prompt_tokens > r.usage.prompt_tokens


def test_streamed_tool_call_rebuilds_valid_json(chat_url: str) -> None:
    chunks = list(
        litellm.completion(
            model="openai/tiny",
            messages=[{"role": "user", "content": "weather in Paris?"}],
            tools=TOOLS,
            tool_choice="required",
            max_tokens=200,
            stream=True,
            **FORCE_TOOL,
            **opts(chat_url),
        )
    )
    assert any(c.choices[0].delta.tool_calls for c in chunks)
    built = litellm.stream_chunk_builder(chunks)
    assert built is not None
    call = built.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments)["city"] in ("Paris", "Rome")
    assert built.choices[0].finish_reason == "tool_calls"


def test_json_schema_response_format(chat_url: str) -> None:
    class Answer(BaseModel):
        ok: bool

    for rf in (
        {
            "type": "json_schema",
            "json_schema": {
                "name": "r",
                "schema": {
                    "type": "object",
                    "properties": {"ok": {"type": "boolean"}},
                    "required": ["ok"],
                },
            },
        },
        Answer,
    ):
        r = litellm.completion(
            model="openai/tiny", messages=MSGS, max_tokens=64, response_format=rf, **opts(chat_url)
        )
        assert isinstance(json.loads(r.choices[0].message.content)["ok"], bool)


def test_embeddings(emb_url: str) -> None:
    r = litellm.embedding(
        model="openai/tiny", input=["hello world", "bye"], api_base=emb_url, api_key="k"
    )
    assert [d.index for d in r.data] == [0, 1]
    assert all(len(d.embedding) == 64 for d in r.data)
    assert r.data[0].embedding != r.data[1].embedding
    assert r.usage.prompt_tokens > 0


def test_context_overflow_is_context_window_exceeded(chat_url: str) -> None:
    with pytest.raises(litellm.ContextWindowExceededError) as ei:
        litellm.completion(
            model="openai/tiny",
            messages=[{"role": "user", "content": "a" * 9000}],
            max_tokens=4,
            num_retries=0,
            **opts(chat_url),
        )
    assert ei.value.status_code == 400 and ei.value.llm_provider == "openai"
    assert "context" in str(ei.value)


def test_litellm_code_runs_unchanged(chat_url: str) -> None:
    script = Path(__file__).with_name("unchanged_litellm_code.py")
    out = subprocess.run(
        [sys.executable, str(script), chat_url], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
