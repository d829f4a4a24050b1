"""Ollama's native API (``ollama_chat/`` → /api/chat, ``ollama/`` → /api/generate,
/api/embed) against the fake Ollama server: exact request bodies, returned objects,
NDJSON streams, errors."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from typing import Any

import openai
import pytest

import edgequake_litellm as litellm
from common import MESSAGES
from fakeprov.ollama import (
    CREATED_AT,
    THINKING,
    TOOL_ARGUMENTS,
    FakeOllama,
    ndjson,
)
from fakeprov.openai import embedding_for
from fakeprov.server import Reply

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
]
IMAGE_B64 = "iVBORw0KGgo="


@pytest.fixture
def srv(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOllama]:
    """A fresh fake Ollama; no Ollama env var or global from the machine."""
    monkeypatch.delenv("OLLAMA_API_BASE", raising=False)
    monkeypatch.delenv("OLLAMA_API_KEY", raising=False)
    monkeypatch.setattr(litellm, "ollama_key", None)
    monkeypatch.setattr(litellm, "drop_params", False)
    with FakeOllama() as server:
        yield server


def chat(srv: FakeOllama, model: str = "ollama_chat/llama3.2", **kw: Any) -> Any:
    kw.setdefault("num_retries", 0)
    return litellm.completion(
        model=model, messages=kw.pop("messages", MESSAGES), api_base=srv.url, **kw
    )


def test_chat_request_body_and_response_object(srv: FakeOllama) -> None:
    r = chat(
        srv,
        max_tokens=50,
        temperature=0.2,
        top_p=0.9,
        seed=7,
        stop="END",
        num_ctx=4096,
        top_k=20,
        repeat_penalty=1.1,
        keep_alive="5m",
        tool_choice="auto",
        user="u1",
        response_format={"type": "json_object"},
    )
    req = srv.last
    assert req.path == "/api/chat" and "authorization" not in req.headers
    assert req.json == {
        "model": "llama3.2",
        "messages": [{"role": "user", "content": "hello there world"}],
        "stream": False,
        "format": "json",
        "keep_alive": "5m",
        "options": {
            "num_predict": 50,
            "temperature": 0.2,
            "top_p": 0.9,
            "seed": 7,
            "stop": ["END"],
            "num_ctx": 4096,
            "top_k": 20,
            "repeat_penalty": 1.1,
        },
    }
    assert isinstance(r, litellm.ModelResponse)
    assert r.choices[0].message.content == "echo: hello there world"
    assert r.choices[0].message.role == "assistant"
    assert r.choices[0].finish_reason == "stop"
    assert r.model == "llama3.2" and r.object == "chat.completion" and r.id.startswith("chatcmpl-")
    assert (r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens) == (3, 4, 7)
    assert r._hidden_params["custom_llm_provider"] == "ollama_chat"
    openai.types.chat.ChatCompletion.model_validate(r.model_dump())


def test_json_schema_response_format_and_think(srv: FakeOllama) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    r = chat(
        srv,
        model="ollama_chat/qwen3",
        response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": schema}},
        think=True,
    )
    assert srv.last.json["format"] == schema and srv.last.json["think"] is True
    assert r.choices[0].message.reasoning_content == THINKING
    chat(srv, model="ollama_chat/qwen3", reasoning_effort="low")
    assert srv.last.json["think"] is True
    chat(srv, model="ollama_chat/qwen3", reasoning_effort="none")
    assert srv.last.json["think"] is False


def test_history_with_tool_calls_images_and_reasoning_is_translated(srv: FakeOllama) -> None:
    messages = [
        {"role": "system", "content": "be brief"},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "what is "},
                {"type": "text", "text": "this?"},
                {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{IMAGE_B64}"}},
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "reasoning_content": "hmm",
            "tool_calls": [
                {
                    "id": "call_abc",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Rome"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_abc", "content": "sunny"},
        {"role": "user", "content": "thanks"},
    ]
    chat(srv, model="ollama_chat/llava", messages=messages)
    assert srv.last.json["messages"] == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "what is this?", "images": [IMAGE_B64]},
        {
            "role": "assistant",
            "content": "",
            "thinking": "hmm",
            "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Rome"}}}],
        },
        {"role": "tool", "content": "sunny", "tool_name": "get_weather"},
        {"role": "user", "content": "thanks"},
    ]


def test_tool_call_arrives_with_a_stable_id_and_string_arguments(srv: FakeOllama) -> None:
    r = chat(srv, tools=TOOLS, tool_choice="required")
    body = srv.last.json
    assert body["tools"] == TOOLS and "tool_choice" not in body
    msg = r.choices[0].message
    call = msg.tool_calls[0]
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == TOOL_ARGUMENTS
    assert call.type == "function" and call.id.startswith("call_")
    assert r.choices[0].finish_reason == "tool_calls" and msg.content is None
    again = chat(srv, tools=TOOLS)
    assert again.choices[0].message.tool_calls[0].id == call.id  # same response → same id
    # The id round-trips: the history goes back to Ollama with the tool's name.
    follow = [
        *MESSAGES,
        msg.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": call.id, "content": "sunny"},
    ]
    chat(srv, messages=follow)
    assert srv.last.json["messages"][-1] == {
        "role": "tool",
        "content": "sunny",
        "tool_name": "get_weather",
    }


def test_sync_stream_is_decoded_from_ndjson(srv: FakeOllama) -> None:
    chunks = list(chat(srv, model="ollama_chat/qwen3", stream=True, think=True))
    assert srv.last.json["stream"] is True
    assert all(isinstance(c, litellm.ModelResponseStream) for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.get("reasoning_content") or "" for c in chunks) == THINKING
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "echo: hello there world"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert {c.id for c in chunks} == {chunks[0].id} and {c.model for c in chunks} == {"qwen3"}
    assert all(getattr(c, "usage", None) is None for c in chunks)


def test_async_stream_with_usage_and_tool_call(srv: FakeOllama) -> None:
    async def run() -> list[litellm.ModelResponseStream]:
        s = await litellm.acompletion(
            model="ollama_chat/llama3.2",
            messages=MESSAGES,
            api_base=srv.url,
            tools=TOOLS,
            stream=True,
            stream_options={"include_usage": True},
        )
        return [c async for c in s]

    chunks = asyncio.run(run())
    assert srv.last.json["stream"] is True and "stream_options" not in srv.last.json
    built = litellm.stream_chunk_builder(chunks)
    assert built is not None
    call = built.choices[0].message.tool_calls[0]
    assert (call.function.name, json.loads(call.function.arguments)) == (
        "get_weather",
        TOOL_ARGUMENTS,
    )
    assert built.choices[0].finish_reason == "tool_calls"
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 3 + 2


def test_async_completion(srv: FakeOllama) -> None:
    r = asyncio.run(
        litellm.acompletion(model="ollama_chat/llama3.2", messages=MESSAGES, api_base=srv.url)
    )
    assert r.choices[0].message.content == "echo: hello there world"


def test_scripted_ndjson_split_anywhere_with_length_finish(srv: FakeOllama) -> None:
    lines = [
        {
            "model": "llama3.2",
            "created_at": CREATED_AT,
            "message": {"role": "assistant", "content": "Hé"},
            "done": False,
        },
        {
            "model": "llama3.2",
            "created_at": CREATED_AT,
            "message": {"role": "assistant", "content": "llo"},
            "done": False,
        },
        {
            "model": "llama3.2",
            "created_at": CREATED_AT,
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": "length",
            "prompt_eval_count": 4,
            "eval_count": 2,
        },
    ]
    raw = b"".join(json.dumps(x, ensure_ascii=False).encode() + b"\r\n" for x in lines)
    srv.enqueue(ndjson([raw[:3], raw[3:41], raw[41:42], raw[42:]]))
    chunks = list(chat(srv, stream=True, stream_options={"include_usage": True}))
    assert [c.choices[0].delta.content for c in chunks[:2]] == ["Hé", "llo"]
    assert chunks[2].choices[0].finish_reason == "length"
    assert chunks[-1].usage.prompt_tokens == 4 and chunks[-1].usage.completion_tokens == 2


def test_generate_flattens_messages_into_a_prompt(srv: FakeOllama) -> None:
    messages = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "one"},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "two"},
                {"type": "image_url", "image_url": IMAGE_B64},
            ],
        },
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": "three"},
    ]
    r = chat(srv, model="ollama/llama3.2", messages=messages, max_tokens=9, reasoning_effort="high")
    req = srv.last
    assert req.path == "/api/generate"
    assert req.json == {
        "model": "llama3.2",
        "prompt": (
            "### System:\nbe brief\n\n### User:\nonetwo\n\n"
            "### Assistant:\nok\n\n### User:\nthree\n\n"
        ),
        "images": [IMAGE_B64],
        "stream": False,
        "think": True,
        "options": {"num_predict": 9},
    }
    assert r.choices[0].message.content == "echo: three"
    assert r._hidden_params["custom_llm_provider"] == "ollama"


def test_generate_streams_and_refuses_tools_before_io(srv: FakeOllama) -> None:
    text = "".join(
        c.choices[0].delta.content or "" for c in chat(srv, model="ollama/llama3.2", stream=True)
    )
    assert text == "echo: hello there world"
    n = len(srv.requests)
    with pytest.raises(litellm.UnsupportedParamsError, match="tools"):
        chat(srv, model="ollama/llama3.2", tools=TOOLS)
    assert len(srv.requests) == n


def test_http_image_urls_are_refused_before_io(srv: FakeOllama) -> None:
    msg = [
        {
            "role": "user",
            "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}],
        }
    ]
    with pytest.raises(litellm.BadRequestError, match="base64"):
        chat(srv, messages=msg)
    assert srv.requests == []


def test_embedding_batch_sync_and_async(srv: FakeOllama) -> None:
    r = litellm.embedding(
        model="ollama/all-minilm", input=["hello", "big world"], api_base=srv.url, dimensions=8
    )
    assert srv.last.path == "/api/embed"
    assert srv.last.json == {
        "model": "all-minilm",
        "input": ["hello", "big world"],
        "dimensions": 8,
    }
    assert isinstance(r, litellm.EmbeddingResponse)
    assert [d.index for d in r.data] == [0, 1]
    assert r.data[1].embedding == embedding_for("big world")
    assert r.usage.prompt_tokens == 3 and r.model == "all-minilm"
    a = asyncio.run(
        litellm.aembedding(model="ollama_chat/all-minilm", input="hi", api_base=srv.url)
    )
    assert srv.last.json == {"model": "all-minilm", "input": "hi"}
    assert a.data[0].embedding == embedding_for("hi")


def test_unknown_model_is_not_found(srv: FakeOllama) -> None:
    with pytest.raises(litellm.NotFoundError, match='model "mistery" not found'):
        chat(srv, model="ollama_chat/mistery")
    with pytest.raises(litellm.NotFoundError):
        litellm.embedding(model="ollama/mistery", input="x", api_base=srv.url)


def test_refused_connection_names_the_ollama_server(srv: FakeOllama) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    with pytest.raises(litellm.APIConnectionError) as ei:
        litellm.completion(
            model="ollama_chat/llama3.2", messages=MESSAGES, api_base=dead, num_retries=0
        )
    assert f"Ollama server is not reachable at {dead}" in str(ei.value)


def test_base_from_env_default_port_and_key_header(
    srv: FakeOllama, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OLLAMA_API_BASE", srv.url)
    r = litellm.completion(model="ollama_chat/llama3.2", messages=MESSAGES)
    assert r.choices[0].message.content == "echo: hello there world"
    assert "authorization" not in srv.last.headers
    monkeypatch.setattr(litellm, "ollama_key", "ok-123")
    litellm.completion(model="ollama_chat/llama3.2", messages=MESSAGES)
    assert srv.last.headers["authorization"] == "Bearer ok-123"
    assert litellm.get_llm_provider("ollama_chat/llama3.2")[:2] == ("llama3.2", "ollama_chat")


def test_retries_a_503_then_succeeds(srv: FakeOllama) -> None:
    srv.enqueue(Reply(status=503, body={"error": "busy"}, headers={"retry-after": "0"}))
    r = chat(srv, num_retries=1)
    assert r.choices[0].message.content == "echo: hello there world"
    assert len(srv.requests) == 2
