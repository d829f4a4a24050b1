"""The ``gemini/`` provider against the fake Gemini server: the exact requests we send
(URL, key header, body) and the litellm objects we return, sync and async, streamed and not."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest

import edgequake_litellm as litellm
from fakeprov.gemini import BAD_KEY, CALL_ARGS, THOUGHT, FakeGemini, google_error
from fakeprov.openai import embedding_for
from fakeprov.server import Reply

MODEL = "gemini/gemini-2.5-flash"
KEY = "AIza-test-key-123"
HELLO = [{"role": "user", "content": "hello there world"}]
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
            "additionalProperties": False,
        },
    },
}


@pytest.fixture
def gem() -> Iterator[FakeGemini]:
    """A fresh fake Gemini server; ``gem.url`` is the ``api_base`` to use."""
    with FakeGemini() as server:
        yield server


@pytest.fixture(autouse=True)
def _no_gemini_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(litellm, "gemini_key", None)
    for var in ("GEMINI_API_KEY", "GOOGLE_API_KEY", "GEMINI_API_BASE"):
        monkeypatch.delenv(var, raising=False)


def complete(gem: FakeGemini, messages: Any = None, **kw: Any) -> Any:
    kw.setdefault("api_key", KEY)
    kw.setdefault("num_retries", 0)
    return litellm.completion(model=MODEL, messages=messages or HELLO, api_base=gem.url, **kw)


def test_completion_request_and_response(gem: FakeGemini) -> None:
    r = complete(
        gem,
        [{"role": "system", "content": "Be brief."}, *HELLO],
        temperature=0.2,
        top_p=0.9,
        max_tokens=50,
        stop=["\n\n"],
        seed=7,
        extra_headers={"X-Trace": "abc"},
    )
    req = gem.last
    assert req.path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert req.headers["x-goog-api-key"] == KEY and req.headers["x-trace"] == "abc"
    assert KEY not in req.path and "authorization" not in req.headers
    assert req.json == {
        "contents": [{"role": "user", "parts": [{"text": "hello there world"}]}],
        "systemInstruction": {"parts": [{"text": "Be brief."}]},
        "generationConfig": {
            "temperature": 0.2,
            "topP": 0.9,
            "seed": 7,
            "maxOutputTokens": 50,
            "stopSequences": ["\n\n"],
        },
    }
    assert isinstance(r, litellm.ModelResponse)
    assert r.id == "resp-fake-1" and r.model == "gemini-2.5-flash" and r.object == "chat.completion"
    assert r.choices[0].message.content == "echo: hello there world"
    assert r.choices[0].message.role == "assistant" and r.choices[0].finish_reason == "stop"
    assert (r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens) == (5, 4, 9)
    assert r._hidden_params["custom_llm_provider"] == "gemini"
    cc = openai.types.chat.ChatCompletion.model_validate(r.model_dump())
    assert cc.choices[0].message.content == "echo: hello there world"


def test_acompletion_and_n_candidates(gem: FakeGemini) -> None:
    async def run() -> Any:
        return await litellm.acompletion(
            model=MODEL, messages=HELLO, api_base=gem.url, api_key=KEY, n=2
        )

    r = asyncio.run(run())
    assert gem.last.json["generationConfig"] == {"candidateCount": 2}
    assert [c.index for c in r.choices] == [0, 1]
    assert {c.message.content for c in r.choices} == {"echo: hello there world"}


def test_key_from_global_then_env_and_base_from_env(
    gem: FakeGemini, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEMINI_API_BASE", gem.url)
    monkeypatch.setenv("GOOGLE_API_KEY", "from-google-env")
    litellm.completion(model=MODEL, messages=HELLO, num_retries=0)
    assert gem.last.headers["x-goog-api-key"] == "from-google-env"
    monkeypatch.setenv("GEMINI_API_KEY", "from-gemini-env")
    litellm.completion(model=MODEL, messages=HELLO, num_retries=0)
    assert gem.last.headers["x-goog-api-key"] == "from-gemini-env"
    monkeypatch.setattr(litellm, "gemini_key", "from-global")
    litellm.completion(model=MODEL, messages=HELLO, num_retries=0)
    assert gem.last.headers["x-goog-api-key"] == "from-global"


def test_missing_key_and_bad_arguments_fail_before_any_request(gem: FakeGemini) -> None:
    with pytest.raises(litellm.AuthenticationError) as ei:
        litellm.completion(model=MODEL, messages=HELLO)
    assert "GEMINI_API_KEY" in str(ei.value)
    with pytest.raises(litellm.BadRequestError, match="tool_choice"):
        complete(gem, tools=[WEATHER], tool_choice="sometimes")
    with pytest.raises(litellm.BadRequestError, match="tool_call_id"):
        complete(gem, [*HELLO, {"role": "tool", "tool_call_id": "nope", "content": "x"}])
    assert gem.requests == []


def test_custom_base_without_key_sends_no_key(gem: FakeGemini) -> None:
    # As for other providers, a caller-chosen api_base may need no key; Gemini then says 403.
    with pytest.raises(litellm.PermissionDeniedError, match="unregistered callers"):
        litellm.completion(model=MODEL, messages=HELLO, api_base=gem.url, num_retries=0)
    assert "x-goog-api-key" not in gem.last.headers and "key=" not in gem.last.path


def test_parameters_tools_and_media_in_the_request(gem: FakeGemini) -> None:
    image = "data:image/png;base64,iVBORw0KGgo="
    complete(
        gem,
        [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_url", "image_url": {"url": image}},
                    {"type": "image_url", "image_url": {"url": "https://example.com/doc.pdf"}},
                ],
            }
        ],
        tools=[WEATHER],
        tool_choice="auto",
        response_format={"type": "json_object"},
        reasoning_effort="high",
        top_k=20,
        frequency_penalty=0.5,
        safety_settings=[{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}],
    )
    assert gem.last.json == {
        "contents": [
            {
                "role": "user",
                "parts": [
                    {"text": "What is this?"},
                    {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
                    {
                        "fileData": {
                            "mimeType": "application/pdf",
                            "fileUri": "https://example.com/doc.pdf",
                        }
                    },
                ],
            }
        ],
        "tools": [
            {
                "functionDeclarations": [
                    {
                        "name": "get_weather",
                        "description": "Current weather",
                        "parameters": {
                            "type": "object",
                            "properties": {"city": {"type": "string"}},
                            "required": ["city"],
                        },
                    }
                ]
            }
        ],
        "toolConfig": {"functionCallingConfig": {"mode": "AUTO"}},
        "safetySettings": [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}],
        "generationConfig": {
            "topK": 20,
            "frequencyPenalty": 0.5,
            "responseMimeType": "application/json",
            "thinkingConfig": {"thinkingBudget": 4096, "includeThoughts": True},
        },
    }


def test_thought_parts_become_reasoning_content(gem: FakeGemini) -> None:
    r = complete(gem, reasoning_effort="low")
    msg = r.choices[0].message
    assert msg.reasoning_content == THOUGHT and msg.content == "echo: hello there world"
    assert r.usage.completion_tokens_details.reasoning_tokens == 5
    assert r.usage.completion_tokens == 4 + 5 and r.usage.total_tokens == 3 + 9


def test_multi_turn_function_calling_round_trips_the_thought_signature(gem: FakeGemini) -> None:
    messages: list[Any] = [{"role": "user", "content": "Weather in Paris?"}]
    r = complete(gem, messages, tools=[WEATHER], tool_choice="required")
    assert gem.last.json["toolConfig"] == {"functionCallingConfig": {"mode": "ANY"}}
    choice = r.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content is None
    call = choice.message.tool_calls[0]
    assert (call.type, call.function.name) == ("function", "get_weather")
    assert json.loads(call.function.arguments) == CALL_ARGS
    assert call.provider_specific_fields == {"thought_signature": "sig-1"}
    assert call.id.startswith("call_") and call.id.endswith("__thought__sig-1")

    messages += [choice.message, {"role": "tool", "tool_call_id": call.id, "content": "18C"}]
    r2 = complete(gem, messages, tools=[WEATHER])
    assert gem.last.json["contents"] == [
        {"role": "user", "parts": [{"text": "Weather in Paris?"}]},
        {
            "role": "model",
            "parts": [
                {
                    "functionCall": {"name": "get_weather", "args": CALL_ARGS},
                    "thoughtSignature": "sig-1",
                }
            ],
        },
        {
            "role": "user",
            "parts": [
                {"functionResponse": {"name": "get_weather", "response": {"content": "18C"}}}
            ],
        },
    ]
    assert r2.choices[0].message.content == "result: 18C"

    # Without the signature the server refuses the history, as Gemini 3 does.
    stripped = {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
                "function": {"name": "get_weather", "arguments": "{}"}}]}  # fmt: skip
    with pytest.raises(litellm.BadRequestError, match="thought_signature"):
        complete(
            gem, [messages[0], stripped, {"role": "tool", "tool_call_id": "c1", "content": "x"}]
        )


def test_streamed_function_call_round_trips_through_stream_chunk_builder(gem: FakeGemini) -> None:
    messages: list[Any] = [{"role": "user", "content": "Weather in Paris?"}]
    chunks = list(complete(gem, messages, tools=[WEATHER], tool_choice="required", stream=True))
    assert gem.last.path == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
    assert chunks[0].choices[0].delta.role == "assistant"
    delta_call = chunks[0].choices[0].delta.tool_calls[0]
    assert json.loads(delta_call.function.arguments) == CALL_ARGS
    assert chunks[-1].choices[0].finish_reason == "tool_calls"
    built = litellm.stream_chunk_builder(chunks, messages=messages)
    assert built is not None
    call = built.choices[0].message.tool_calls[0]
    assert call.provider_specific_fields == {"thought_signature": "sig-1"}  # as litellm keeps it
    messages += [
        built.choices[0].message,
        {"role": "tool", "tool_call_id": call.id, "content": "9C"},
    ]
    r = complete(gem, messages)
    assert gem.last.json["contents"][1]["parts"][0]["thoughtSignature"] == "sig-1"
    assert r.choices[0].message.content == "result: 9C"


def test_sync_stream_text_and_usage_chunk(gem: FakeGemini) -> None:
    chunks = list(complete(gem, stream=True, stream_options={"include_usage": True}))
    assert all(isinstance(c, litellm.ModelResponseStream) for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert all(c.choices[0].delta.role is None for c in chunks[1:])
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "echo: hello there world"
    assert [c.choices[0].finish_reason for c in chunks[-2:]] == ["stop", None]
    assert {c.id for c in chunks} == {"resp-fake-1"} and {c.model for c in chunks} == {
        "gemini-2.5-flash"
    }
    last = chunks[-1]
    assert last.usage is not None and last.usage.total_tokens == 3 + 4
    assert len(last.choices) == 1 and last.choices[0].delta.content is None
    assert all(getattr(c, "usage", None) is None for c in chunks[:-1])


def test_async_stream_with_thoughts(gem: FakeGemini) -> None:
    async def run() -> list[litellm.ModelResponseStream]:
        s = await litellm.acompletion(
            model=MODEL,
            messages=HELLO,
            api_base=gem.url,
            api_key=KEY,
            stream=True,
            thinking={"type": "enabled", "budget_tokens": 512},
        )
        return [c async for c in s]

    chunks = asyncio.run(run())
    assert gem.last.json["generationConfig"] == {
        "thinkingConfig": {"includeThoughts": True, "thinkingBudget": 512}
    }
    assert chunks[0].choices[0].delta.reasoning_content == THOUGHT
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "echo: hello there world"
    assert all(getattr(c, "usage", None) is None for c in chunks)


def test_blocked_prompt_and_safety_stop_give_content_filter(gem: FakeGemini) -> None:
    gem.enqueue(
        Reply(
            body={
                "promptFeedback": {
                    "blockReason": "SAFETY",
                    "safetyRatings": [
                        {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH"}
                    ],
                },
                "usageMetadata": {"promptTokenCount": 8, "totalTokenCount": 8},
            }
        ),
        Reply(
            body={
                "candidates": [
                    {
                        "content": {"role": "model", "parts": [{"text": "Once upon"}]},
                        "finishReason": "SAFETY",
                        "index": 0,
                    }
                ]
            }
        ),
    )
    for _ in range(2):
        r = complete(gem)
        assert r.choices[0].finish_reason == "content_filter"
        assert r.choices[0].message.content is None
    assert r.usage.total_tokens == 0


@pytest.mark.parametrize(
    ("status", "google_status", "cls"),
    [
        # The other statuses are in test_fault_matrix.py.
        (400, "FAILED_PRECONDITION", litellm.BadRequestError),
        (401, "UNAUTHENTICATED", litellm.AuthenticationError),
        (504, "DEADLINE_EXCEEDED", litellm.Timeout),
    ],
)
def test_google_errors_map_to_litellm_classes(
    gem: FakeGemini, status: int, google_status: str, cls: type[Exception]
) -> None:
    gem.enqueue(google_error(status, f"google said {status}", google_status))
    with pytest.raises(cls) as ei:
        complete(gem)
    e = ei.value
    assert type(e) is cls and e.status_code == status
    assert e.llm_provider == "gemini" and e.model == "gemini-2.5-flash"
    assert str(e).startswith(f"litellm.{cls.__name__}: ") and f"google said {status}" in str(e)
    assert google_status in e.body


def test_invalid_key_is_an_authentication_error_and_never_shown(gem: FakeGemini) -> None:
    with pytest.raises(litellm.AuthenticationError) as ei:
        complete(gem, api_key=BAD_KEY)
    assert "API key not valid" in str(ei.value) and ei.value.status_code == 401
    assert BAD_KEY not in str(ei.value) and BAD_KEY not in (ei.value.body or "")
    assert len(gem.requests) == 1  # not retried


def test_rate_limit_is_retried_then_succeeds(gem: FakeGemini) -> None:
    gem.enqueue(google_error(429, "quota", "RESOURCE_EXHAUSTED", headers={"retry-after": "0.1"}))
    r = complete(gem, num_retries=1)
    assert r.choices[0].message.content == "echo: hello there world"
    assert len(gem.requests) == 2


def test_embedding_single_and_batch(gem: FakeGemini) -> None:
    one = litellm.embedding(
        model="gemini/text-embedding-004",
        input="hello",
        api_base=gem.url,
        api_key=KEY,
        dimensions=4,
    )
    req = gem.last
    assert req.path == "/v1beta/models/text-embedding-004:embedContent"
    assert req.headers["x-goog-api-key"] == KEY
    assert req.json == {
        "model": "models/text-embedding-004",
        "content": {"parts": [{"text": "hello"}]},
        "outputDimensionality": 4,
    }
    assert isinstance(one, litellm.EmbeddingResponse) and one.model == "text-embedding-004"
    assert one.data[0].embedding == embedding_for("hello")[:4] and one.data[0].index == 0

    many = asyncio.run(
        litellm.aembedding(
            model="gemini/text-embedding-004", input=["a b", "c"], api_base=gem.url, api_key=KEY
        )
    )
    assert gem.last.path == "/v1beta/models/text-embedding-004:batchEmbedContents"
    assert gem.last.json == {
        "requests": [
            {"model": "models/text-embedding-004", "content": {"parts": [{"text": "a b"}]}},
            {"model": "models/text-embedding-004", "content": {"parts": [{"text": "c"}]}},
        ]
    }
    assert [d.embedding for d in many.data] == [embedding_for("a b"), embedding_for("c")]
    assert [d.index for d in many.data] == [0, 1]
