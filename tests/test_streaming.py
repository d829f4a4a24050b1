"""Streaming, sync and async: chunk shapes, timing, stream_chunk_builder, faults, closing."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

import edgequake_litellm as litellm
from common import MESSAGES
from fakeprov.openai import TOOL_ARGUMENTS, FakeOpenAI
from fakeprov.server import Reply

TOOLS = [
    {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}
]


def chunk(content: str | None = None, finish: str | None = None, **delta: Any) -> dict[str, Any]:
    if content is not None:
        delta["content"] = content
    return {
        "id": "chatcmpl-s",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gpt-4o",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def stream(srv: FakeOpenAI, **kw: Any) -> Any:
    return litellm.completion(
        model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k", stream=True, **kw
    )


@pytest.mark.smoke
def test_sync_stream_chunks_are_shaped_like_litellm(srv: FakeOpenAI) -> None:
    chunks = list(stream(srv))
    assert all(isinstance(c, litellm.ModelResponseStream) for c in chunks)
    # The provider's empty role chunk is skipped; the first chunk yielded carries the role.
    assert chunks[0].choices[0].delta.role == "assistant"
    assert all(c.choices[0].delta.role is None for c in chunks[1:])
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "echo: hello there world"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert {c.id for c in chunks} == {chunks[0].id} and {c.model for c in chunks} == {"gpt-4o"}
    assert all(getattr(c, "usage", None) is None for c in chunks)
    assert srv.last.json["stream"] is True
    chunk0 = chunks[0]
    assert chunk0["choices"][0]["delta"]["content"] == chunk0.choices[0].delta.content


def test_chunks_holds_every_yielded_chunk(srv: FakeOpenAI) -> None:
    s = stream(srv, stream_options={"include_usage": True})
    first, second = next(s), next(s)
    # Asked for mid-stream: the chunks so far, equal to those yielded.
    assert s.chunks == [first, second]
    assert s.chunks[0]._hidden_params == {"custom_llm_provider": "openai"}
    rest = list(s)
    # From then on the yielded objects themselves are appended.
    assert s.chunks[2:] == rest and all(a is b for a, b in zip(s.chunks[2:], rest))
    assert s.chunks[-1].usage is not None


def test_chunks_read_at_the_end_equal_every_yielded_chunk(srv: FakeOpenAI) -> None:
    # Varied neighbours (lengths, repeats, non-ASCII, tool calls, an empty content) for the
    # compact log, which stores each chunk by its difference from the one before.
    pieces = ["a", "a", "ab", "", "ünï", "ünï ", "x" * 500, "é", "a"] * 40
    events: list[Any] = [chunk(p) for p in pieces]
    events.append(
        chunk(tool_calls=[{"index": 0, "id": "c1", "function": {"name": "f", "arguments": "{}"}}])
    )
    events += [chunk(finish="stop"), "[DONE]"]
    srv.enqueue(Reply(sse_events=events))
    s = stream(srv)
    yielded = list(s)
    # (litellm drops the chunks whose content is empty)
    assert len(yielded) == sum(1 for p in pieces if p) + 2
    assert s.chunks == yielded and s.chunks is s.chunks
    assert "".join(c.choices[0].delta.content or "" for c in s.chunks) == "".join(pieces)


def test_include_usage_gives_a_final_usage_chunk_with_one_empty_choice(srv: FakeOpenAI) -> None:
    chunks = list(stream(srv, stream_options={"include_usage": True}))
    last = chunks[-1]
    assert last.usage is not None and last.usage.total_tokens == 7
    assert len(last.choices) == 1 and last.choices[0].delta.content is None
    built = litellm.stream_chunk_builder(chunks, messages=MESSAGES)
    assert built is not None
    assert built.choices[0].message.content == "echo: hello there world"
    assert built.usage.total_tokens == 7
    assert built.choices[0].finish_reason == "stop"


@pytest.mark.smoke
def test_async_stream(srv: FakeOpenAI) -> None:
    async def run() -> list[litellm.ModelResponseStream]:
        s = await litellm.acompletion(
            model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k", stream=True
        )
        return [c async for c in s]

    chunks = asyncio.run(run())
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "echo: hello there world"
    assert chunks[0].choices[0].delta.role == "assistant"


@pytest.mark.smoke
def test_streamed_tool_call_rebuilds(srv: FakeOpenAI) -> None:
    chunks = list(stream(srv, tools=TOOLS, tool_choice="required"))
    built = litellm.stream_chunk_builder(chunks)
    assert built is not None
    call = built.choices[0].message.tool_calls[0]
    assert (call.function.name, call.function.arguments) == ("get_weather", TOOL_ARGUMENTS)
    assert built.choices[0].finish_reason == "tool_calls"
    # Without usage in the stream, usage is estimated rather than absent.
    assert built.usage.completion_tokens > 0


def test_first_chunk_arrives_before_the_server_finishes(srv: FakeOpenAI) -> None:
    events = [json.dumps(chunk(w)) for w in ("a", "b", "c")] + ["[DONE]"]
    srv.enqueue(Reply(sse_events=events, chunk_delay=0.4))
    t0 = time.monotonic()
    it = iter(stream(srv))
    first = next(it)
    t_first = time.monotonic() - t0
    rest = list(it)
    t_all = time.monotonic() - t0
    assert first.choices[0].delta.content == "a"
    assert [c.choices[0].delta.content for c in rest] == ["b", "c"]
    assert t_all >= 1.2 and t_first < 0.3, (t_first, t_all)


def test_split_frames_crlf_and_comments_decode(srv: FakeOpenAI) -> None:
    raw = [
        b": keep-alive\r\n\r\ndata: " + json.dumps(chunk("he")).encode()[:10],
        json.dumps(chunk("he")).encode()[10:] + b"\r\n\r",
        b"\ndata: " + json.dumps(chunk("llo", "stop")).encode() + b"\r\n\r\ndata: [DONE]\r\n\r\n",
    ]
    srv.enqueue(Reply(raw_sse=raw))
    chunks = list(stream(srv))
    assert [c.choices[0].delta.content for c in chunks] == ["he", "llo"]


@pytest.mark.smoke
def test_error_event_after_200_raises_mapped_class_after_chunks(srv: FakeOpenAI) -> None:
    err = {"error": {"message": "upstream overloaded", "type": "server_error", "code": 503}}
    srv.enqueue(Reply(sse_events=[json.dumps(chunk("a")), json.dumps(err)]))
    got: list[str] = []
    with pytest.raises(litellm.ServiceUnavailableError) as ei:
        for c in stream(srv):
            got.append(c.choices[0].delta.content)
    assert got == ["a"]
    assert ei.value.status_code == 503 and "upstream overloaded" in str(ei.value)


def test_breaking_out_early_closes_the_connection(srv: FakeOpenAI) -> None:
    events = [json.dumps(chunk(str(i))) for i in range(50)] + ["[DONE]"]
    srv.enqueue(Reply(sse_events=events, chunk_delay=0.05))
    for c in stream(srv):
        assert c.choices[0].delta.content == "0"
        break
    assert srv.wait_for_disconnect(timeout=5)


def test_async_break_and_close_close_the_connection(srv: FakeOpenAI) -> None:
    events = [json.dumps(chunk(str(i))) for i in range(50)] + ["[DONE]"]
    srv.enqueue(Reply(sse_events=events, chunk_delay=0.05))

    async def run() -> None:
        s = await litellm.acompletion(
            model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k", stream=True
        )
        async with s:
            async for _ in s:
                break
        # Iterating a closed stream ends at once.
        assert [c async for c in s] == []

    asyncio.run(run())
    assert srv.wait_for_disconnect(timeout=5)


def test_idle_timeout_between_chunks_raises_timeout(srv: FakeOpenAI) -> None:
    events = [json.dumps(chunk("a")), json.dumps(chunk("b"))]
    srv.enqueue(Reply(sse_events=events, chunk_delay=2.0))
    got = []
    t0 = time.monotonic()
    with pytest.raises(litellm.Timeout):
        for c in stream(srv, timeout=0.5):
            got.append(c.choices[0].delta.content)
    assert got == ["a"] and time.monotonic() - t0 < 1.5


@pytest.mark.parametrize(
    ("cls", "raw"),
    [
        (
            "ModelResponseStream",
            b'{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
            b'"choices":[{"index":0,"delta":{"content":"hi","tool_calls":[{"index":0,'
            b'"id":"t","type":"function","function":{"name":"f","arguments":"{}"}}]},'
            b'"finish_reason":null}],"usage":{"prompt_tokens":1,"completion_tokens":2,'
            b'"total_tokens":3},"x_extra":1}',
        ),
        (
            "ModelResponse",
            b'{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":'
            b'[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],'
            b'"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}',
        ),
        (
            "EmbeddingResponse",
            b'{"object":"list","model":"m","data":[{"object":"embedding","index":0,'
            b'"embedding":[0.5]}],"usage":{"prompt_tokens":1,"total_tokens":1}}',
        ),
    ],
)
def test_core_json_objects_equal_pydantics_own(cls: str, raw: bytes) -> None:
    """from_core_json skips pydantic's private-attribute init; the objects must not differ."""
    from edgequake_litellm.types import utils

    model = getattr(utils, cls)
    assert model.model_post_init.__name__ == "init_private_attributes"
    hidden = {"custom_llm_provider": "openai"}
    fast = utils.from_core_json(model, raw, hidden)
    slow = model.model_validate_json(raw)
    assert type(fast) is model
    assert fast.model_dump() == slow.model_dump() and fast.model_extra == slow.model_extra
    assert fast._hidden_params is hidden and fast._response_ms is None
    assert slow._hidden_params == {}
    slow._hidden_params = hidden
    assert fast == slow  # pydantic's equality: fields, extras and private attributes
    fast._response_ms = 1.5  # private attributes stay assignable
    assert fast.__pydantic_private__ == {"_hidden_params": hidden, "_response_ms": 1.5}
    if cls != "EmbeddingResponse":
        assert type(fast.model_extra["usage"]) is utils.Usage  # the after-validator ran
    with pytest.raises(Exception, match="validation error"):
        utils.from_core_json(model, b'{"choices": 5, "data": 5}', hidden)


def test_missing_attributes_answer_as_pydantic() -> None:
    """OpenAIObject's fast ``__getattr__`` gives pydantic's answers: extras, private
    attributes, and pydantic's AttributeError for a name that is neither."""
    from pydantic import BaseModel

    from edgequake_litellm.types.utils import ModelResponseStream

    chunk = ModelResponseStream(choices=[{"index": 0, "delta": {"content": "hi"}}], x_extra=1)
    delta = chunk.choices[0].delta
    assert chunk.x_extra == 1 and chunk["x_extra"] == 1 and "x_extra" in chunk
    assert getattr(chunk, "usage", None) is None and not hasattr(chunk, "usage")
    assert "usage" not in chunk and chunk.get("usage", 7) == 7
    assert getattr(delta, "reasoning_content", "absent") == "absent"
    assert chunk._hidden_params == {} and chunk._response_ms is None
    with pytest.raises(KeyError):
        chunk["usage"]
    for obj, name in ((chunk, "usage"), (delta, "reasoning_content"), (chunk, "_nope")):
        with pytest.raises(AttributeError) as ours:
            getattr(obj, name)
        with pytest.raises(AttributeError) as theirs:
            BaseModel.__getattr__(obj, name)  # pydantic's own, bypassing ours
        assert (
            str(ours.value)
            == str(theirs.value)
            == (f"'{type(obj).__name__}' object has no attribute '{name}'")
        )
    with_usage = ModelResponseStream(
        choices=[], usage={"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}
    )
    assert with_usage.usage.total_tokens == 3 and hasattr(with_usage, "usage")

    class Broken(ModelResponseStream):
        @property
        def derived(self) -> str:
            return self.missing_field  # type: ignore[no-any-return]

    # The property's own error, as pydantic reports it (not "no attribute 'derived'").
    with pytest.raises(AttributeError, match="no attribute 'missing_field'"):
        assert Broken().derived is None
