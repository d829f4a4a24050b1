"""The Anthropic adapter against a fake Messages API server: exact request bodies and headers,
response objects, streaming (sync and async), multi-turn tool use with thinking, errors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest

import edgequake_litellm as litellm
from fakeprov.anthropic import (
    THINKING_TEXT,
    TOOL_INPUT,
    FakeAnthropic,
    anthropic_error,
    sse_reply,
)

MODEL = "anthropic/claude-3-5-haiku-20241022"
#: A model the map lists as reasoning, so ``thinking`` / ``reasoning_effort`` are accepted.
THINKING_MODEL = "anthropic/claude-sonnet-4-5"
MSGS = [{"role": "user", "content": "hello there world"}]
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather of a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Weather of a city",
    "input_schema": WEATHER["function"]["parameters"],
}


@pytest.fixture
def anth() -> Iterator[FakeAnthropic]:
    """A fresh fake Anthropic server; ``anth.url`` is the ``api_base``."""
    with FakeAnthropic() as server:
        yield server


def call(anth: FakeAnthropic, messages: Any = MSGS, **kw: Any) -> Any:
    kw.setdefault("api_key", "sk-ant-test")
    kw.setdefault("num_retries", 0)
    kw.setdefault("model", MODEL)
    return litellm.completion(messages=messages, api_base=anth.url, **kw)


def test_text_completion_request_and_response(anth: FakeAnthropic) -> None:
    r = call(anth, temperature=0.5, top_k=3, stop=["zzz"], user="user-7")
    req = anth.last
    assert (req.method, req.path) == ("POST", "/v1/messages")
    assert req.headers["x-api-key"] == "sk-ant-test"
    assert req.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in req.headers
    assert req.json == {
        "model": "claude-3-5-haiku-20241022",
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hello there world"}]}],
        "max_tokens": 8192,
        "temperature": 0.5,
        "top_k": 3,
        "stop_sequences": ["zzz"],
        "metadata": {"user_id": "user-7"},
    }
    assert isinstance(r, litellm.ModelResponse)
    assert r.id == "msg_fake_1" and r.model == "claude-3-5-haiku-20241022"
    assert r.choices[0].message.content == "echo: hello there world"
    assert r.choices[0].message.role == "assistant"
    assert r.choices[0].finish_reason == "stop"
    assert (r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens) == (3, 4, 7)
    assert r._hidden_params["custom_llm_provider"] == "anthropic"
    openai.types.chat.ChatCompletion.model_validate(r.model_dump())


def test_async_completion_and_length_finish(anth: FakeAnthropic) -> None:
    async def run() -> Any:
        return await litellm.acompletion(
            model=MODEL, messages=MSGS, api_base=anth.url, api_key="k", max_tokens=2
        )

    r = asyncio.run(run())
    assert anth.last.json["max_tokens"] == 2
    assert r.choices[0].message.content == "echo: hello "
    assert r.choices[0].finish_reason == "length"


def test_key_resolution_and_missing_key(
    anth: FakeAnthropic, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "from-env")
    call(anth, api_key=None)
    assert anth.last.headers["x-api-key"] == "from-env"
    monkeypatch.setattr(litellm, "anthropic_key", "from-global")
    call(anth, api_key=None)
    assert anth.last.headers["x-api-key"] == "from-global"
    call(anth, api_key="from-arg")
    assert anth.last.headers["x-api-key"] == "from-arg"
    monkeypatch.setattr(litellm, "anthropic_key", None)
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    n = len(anth.requests)
    with pytest.raises(litellm.AuthenticationError) as ei:
        litellm.completion(model=MODEL, messages=MSGS)
    assert "ANTHROPIC_API_KEY" in str(ei.value)
    assert len(anth.requests) == n


@pytest.mark.parametrize("var", ["ANTHROPIC_API_BASE", "ANTHROPIC_BASE_URL"])
def test_base_from_env_and_bare_claude_model(
    anth: FakeAnthropic, monkeypatch: pytest.MonkeyPatch, var: str
) -> None:
    monkeypatch.setenv(var, anth.url)
    r = litellm.completion(model="claude-3-haiku-20240307", messages=MSGS, api_key="k")
    assert anth.last.path == "/v1/messages"
    assert anth.last.json["model"] == "claude-3-haiku-20240307"
    assert anth.last.json["max_tokens"] == 4096
    assert r._hidden_params["custom_llm_provider"] == "anthropic"


@pytest.mark.parametrize("suffix", ["/", "/v1", "/v1/messages"])
def test_api_base_with_version_or_endpoint_suffix(anth: FakeAnthropic, suffix: str) -> None:
    litellm.completion(model=MODEL, messages=MSGS, api_key="k", api_base=anth.url + suffix)
    assert anth.last.path == "/v1/messages"


def test_anthropic_beta_header_passes_through(anth: FakeAnthropic) -> None:
    call(anth, extra_headers={"anthropic-beta": "prompt-caching-2024-07-31"})
    assert anth.last.headers["anthropic-beta"] == "prompt-caching-2024-07-31"


def test_system_blocks_cache_control_and_cache_usage(anth: FakeAnthropic) -> None:
    cached = {
        "type": "text",
        "text": "a long shared document",
        "cache_control": {"type": "ephemeral"},
    }
    msgs = [
        {"role": "system", "content": "be terse"},
        {"role": "system", "content": [cached]},
        {"role": "user", "content": "hi"},
    ]
    first = call(anth, msgs)
    assert anth.last.json["system"] == [{"type": "text", "text": "be terse"}, cached]
    assert [m["role"] for m in anth.last.json["messages"]] == ["user"]
    assert first.usage.cache_creation_input_tokens == 4
    assert first.usage.prompt_tokens_details.cached_tokens == 0
    second = call(anth, msgs)
    assert second.usage.cache_read_input_tokens == 4
    assert second.usage.prompt_tokens_details.cached_tokens == 4
    # prompt_tokens counts cache reads and writes too, as litellm reports it.
    assert first.usage.prompt_tokens == second.usage.prompt_tokens == 7


def test_multi_turn_tool_conversation_with_thinking_round_trips(anth: FakeAnthropic) -> None:
    msgs: list[Any] = [{"role": "user", "content": "weather in Paris?"}]
    r = call(
        anth,
        msgs,
        model=THINKING_MODEL,
        tools=[WEATHER],
        reasoning_effort="low",
        parallel_tool_calls=False,
    )
    first = anth.last.json
    assert first["thinking"] == {"type": "enabled", "budget_tokens": 1024}
    assert first["max_tokens"] == 1024 + 4096
    assert first["tools"] == [WEATHER_TOOL]
    assert first["tool_choice"] == {"type": "auto", "disable_parallel_tool_use": True}
    msg = r.choices[0].message
    assert r.choices[0].finish_reason == "tool_calls"
    assert msg.reasoning_content == THINKING_TEXT
    assert msg.thinking_blocks == [
        {"type": "thinking", "thinking": THINKING_TEXT, "signature": "sig-1"}
    ]
    call_ = msg.tool_calls[0]
    assert (call_.id, call_.function.name) == ("toolu_fake_1", "get_weather")
    assert json.loads(call_.function.arguments) == TOOL_INPUT
    msgs += [msg, {"role": "tool", "tool_call_id": call_.id, "content": "sunny, 21 C"}]
    r2 = call(anth, msgs, model=THINKING_MODEL, tools=[WEATHER], reasoning_effort="low")
    assert anth.last.json["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "weather in Paris?"}]},
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": THINKING_TEXT, "signature": "sig-1"},
                {
                    "type": "tool_use",
                    "id": "toolu_fake_1",
                    "name": "get_weather",
                    "input": TOOL_INPUT,
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "toolu_fake_1", "content": "sunny, 21 C"}
            ],
        },
    ]
    assert r2.choices[0].message.content == "echo: sunny, 21 C"
    assert r2.choices[0].finish_reason == "stop"


def test_tool_choice_variants_in_the_body(anth: FakeAnthropic) -> None:
    named = {"type": "function", "function": {"name": "get_weather"}}
    for choice, sent in [
        ("required", {"type": "any"}),
        (named, {"type": "tool", "name": "get_weather"}),
        ("none", {"type": "none"}),
    ]:
        r = call(anth, tools=[WEATHER], tool_choice=choice)
        assert anth.last.json["tool_choice"] == sent
    assert r.choices[0].message.tool_calls is None


def test_images_and_pdf_parts(anth: FakeAnthropic) -> None:
    content = [
        {"type": "text", "text": "what is this?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}},
        {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0xLjQ="}},
    ]
    call(anth, [{"role": "user", "content": content}])
    assert anth.last.json["messages"][0]["content"] == [
        {"type": "text", "text": "what is this?"},
        {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}},
        {
            "type": "image",
            "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQ"},
        },
        {
            "type": "document",
            "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0xLjQ="},
        },
    ]


def test_response_format_json_schema_is_returned_as_content(anth: FakeAnthropic) -> None:
    schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    rf = {"type": "json_schema", "json_schema": {"name": "r", "schema": schema}}
    r = call(anth, response_format=rf)
    assert anth.last.json["tools"] == [{"name": "json_tool_call", "input_schema": schema}]
    assert anth.last.json["tool_choice"] == {"name": "json_tool_call", "type": "tool"}
    assert json.loads(r.choices[0].message.content) == TOOL_INPUT
    assert r.choices[0].message.tool_calls is None
    assert r.choices[0].finish_reason == "stop"
    chunks = list(call(anth, response_format=rf, stream=True))
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert json.loads(text) == TOOL_INPUT
    assert not any(c.choices[0].delta.tool_calls for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_bad_input_is_refused_before_any_request(anth: FakeAnthropic) -> None:
    for kw in (
        {"n": 2},
        {"messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]}]},
        {"messages": [{"role": "system", "content": "only a system prompt"}]},
        {"reasoning_effort": "extreme"},
    ):
        with pytest.raises(litellm.BadRequestError) as ei:
            call(anth, **kw)
        assert ei.value.llm_provider == "anthropic"
    assert anth.requests == []


def test_unsupported_openai_params_are_refused_before_io_unless_dropped(
    anth: FakeAnthropic,
) -> None:
    params: dict[str, Any] = {"frequency_penalty": 0.5, "seed": 1, "logit_bias": {"1": 5}}
    with pytest.raises(litellm.UnsupportedParamsError, match="frequency_penalty") as e:
        call(anth, **params)
    assert (e.value.llm_provider, e.value.status_code) == ("anthropic", 400)
    assert anth.requests == []
    call(anth, drop_params=True, **params)
    assert not set(params) & set(anth.last.json)
    call(anth, additional_drop_params=["seed"], frequency_penalty=0.5, drop_params=True, seed=1)
    assert "seed" not in anth.last.json


@pytest.mark.parametrize(
    ("status", "etype", "cls"),
    [
        # The other statuses are in test_fault_matrix.py.
        (401, "authentication_error", litellm.AuthenticationError),
        (413, "request_too_large", litellm.BadRequestError),
        (504, "timeout_error", litellm.Timeout),
    ],
)
def test_error_types_map_to_litellm_classes(
    anth: FakeAnthropic, status: int, etype: str, cls: type[Exception]
) -> None:
    anth.enqueue(anthropic_error(status, etype, f"said {etype} sk-ant-test"))
    with pytest.raises(cls) as ei:
        call(anth)
    e = ei.value
    assert type(e) is cls
    assert e.status_code == status and e.llm_provider == "anthropic"
    assert f"AnthropicException - said {etype}" in str(e)
    assert "sk-ant-test" not in str(e) and "sk-ant-test" not in (e.body or "")


def test_overloaded_529_is_retried(anth: FakeAnthropic) -> None:
    anth.enqueue(anthropic_error(529, "overloaded_error", "Overloaded", {"retry-after": "0"}))
    r = call(anth, num_retries=1)
    assert r.choices[0].message.content == "echo: hello there world"
    assert len(anth.requests) == 2


# -- streaming ------------------------------------------------------------------


def test_sync_stream_text_and_rebuild(anth: FakeAnthropic) -> None:
    chunks = list(call(anth, stream=True))
    assert anth.last.json["stream"] is True
    assert chunks[0].choices[0].delta.role == "assistant"
    assert all(c.choices[0].delta.role is None for c in chunks[1:])
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "echo: hello there world"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert {c.id for c in chunks} == {"msg_fake_1"}
    assert all(getattr(c, "usage", None) is None for c in chunks)
    built = litellm.stream_chunk_builder(chunks, messages=MSGS)
    assert built is not None and built.choices[0].message.content == "echo: hello there world"


def test_async_stream_with_include_usage(anth: FakeAnthropic) -> None:
    async def run() -> list[Any]:
        s = await litellm.acompletion(
            model=MODEL,
            messages=MSGS,
            api_base=anth.url,
            api_key="k",
            stream=True,
            stream_options={"include_usage": True},
        )
        return [c async for c in s]

    chunks = asyncio.run(run())
    assert "stream_options" not in anth.last.json
    last = chunks[-1]
    assert last.usage is not None
    assert (last.usage.prompt_tokens, last.usage.completion_tokens) == (3, 4)
    assert len(last.choices) == 1 and last.choices[0].delta.content is None
    built = litellm.stream_chunk_builder(chunks, messages=MSGS)
    assert built is not None and built.usage.total_tokens == 7


def test_streamed_tool_call_with_thinking_rebuilds_and_continues(anth: FakeAnthropic) -> None:
    msgs: list[Any] = [{"role": "user", "content": "weather?"}]
    chunks = list(
        call(
            anth,
            msgs,
            model=THINKING_MODEL,
            tools=[WEATHER],
            thinking={"type": "enabled", "budget_tokens": 1024},
            stream=True,
        )
    )
    deltas = [c.choices[0].delta for c in chunks]
    assert [d.reasoning_content for d in deltas[:2]] == [THINKING_TEXT[:10], THINKING_TEXT[10:]]
    assert deltas[2].thinking_blocks == [{"type": "thinking", "thinking": "", "signature": "sig-1"}]
    first_call = deltas[3].tool_calls[0]
    assert (first_call.index, first_call.id, first_call.function.name) == (
        0,
        "toolu_fake_1",
        "get_weather",
    )
    fragments = [d.tool_calls[0].function.arguments for d in deltas[4:] if d.tool_calls]
    assert len(fragments) == 3 and json.loads("".join(fragments)) == TOOL_INPUT
    assert chunks[-1].choices[0].finish_reason == "tool_calls"
    built = litellm.stream_chunk_builder(chunks, messages=msgs)
    assert built is not None
    msg = built.choices[0].message
    assert msg.reasoning_content == THINKING_TEXT
    assert msg.thinking_blocks == [
        {"type": "thinking", "thinking": THINKING_TEXT, "signature": "sig-1"}
    ]
    assert [(t.id, t.function.name) for t in msg.tool_calls] == [("toolu_fake_1", "get_weather")]
    assert json.loads(msg.tool_calls[0].function.arguments) == TOOL_INPUT
    assert built.choices[0].finish_reason == "tool_calls"
    # The rebuilt message continues the conversation: the fake checks the signed thinking block.
    msgs += [msg, {"role": "tool", "tool_call_id": "toolu_fake_1", "content": "rain"}]
    r = call(
        anth,
        msgs,
        model=THINKING_MODEL,
        tools=[WEATHER],
        thinking={"type": "enabled", "budget_tokens": 1024},
    )
    assert r.choices[0].message.content == "echo: rain"


def test_stream_builder_keeps_block_order_for_several_tools_and_thinking(
    anth: FakeAnthropic,
) -> None:
    def block(i: int, start: dict[str, Any], *deltas: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"type": "content_block_start", "index": i, "content_block": start},
            *({"type": "content_block_delta", "index": i, "delta": d} for d in deltas),
            {"type": "content_block_stop", "index": i},
        ]

    events = [
        {
            "type": "message_start",
            "message": {"id": "msg_x", "model": "m", "usage": {"input_tokens": 9}},
        },
        *block(
            0,
            {"type": "thinking", "thinking": ""},
            {"type": "thinking_delta", "thinking": "one "},
            {"type": "thinking_delta", "thinking": "two"},
            {"type": "signature_delta", "signature": "S1"},
        ),
        *block(
            1,
            {"type": "thinking", "thinking": ""},
            {"type": "thinking_delta", "thinking": "three"},
            {"type": "signature_delta", "signature": "S2"},
        ),
        *block(2, {"type": "redacted_thinking", "data": "R"}),
        *block(
            3,
            {"type": "tool_use", "id": "toolu_a", "name": "a", "input": {}},
            {"type": "input_json_delta", "partial_json": '{"x": '},
            {"type": "input_json_delta", "partial_json": "1}"},
        ),
        *block(4, {"type": "tool_use", "id": "toolu_b", "name": "b", "input": {}}),
        {"type": "future_event_type", "data": 1},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "tool_use"},
            "usage": {"output_tokens": 30},
        },
        {"type": "message_stop"},
    ]
    anth.enqueue(sse_reply(events))
    chunks = list(call(anth, stream=True, stream_options={"include_usage": True}))
    built = litellm.stream_chunk_builder(chunks)
    assert built is not None
    msg = built.choices[0].message
    assert msg.thinking_blocks == [
        {"type": "thinking", "thinking": "one two", "signature": "S1"},
        {"type": "thinking", "thinking": "three", "signature": "S2"},
        {"type": "redacted_thinking", "data": "R"},
    ]
    assert msg.reasoning_content == "one twothree"
    assert [(t.id, t.function.name, t.function.arguments) for t in msg.tool_calls] == [
        ("toolu_a", "a", '{"x": 1}'),
        ("toolu_b", "b", "{}"),
    ]
    assert (built.usage.prompt_tokens, built.usage.completion_tokens) == (9, 30)
