"""``mock_response=`` / ``mock_tool_calls=``: litellm's test helpers, answered without I/O."""

from __future__ import annotations

import asyncio

import openai
import pytest

import edgequake_litellm as litellm
from common import MESSAGES

# An api_base nothing listens on: any I/O would fail the test with APIConnectionError.
NOWHERE = "http://127.0.0.1:9/v1"


def test_string_mock_is_the_answer_with_litellms_usage() -> None:
    r = litellm.completion("openai/gpt-4o", MESSAGES, mock_response="hi", api_base=NOWHERE)
    assert r.choices[0].message.content == "hi"
    assert (r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens) == (10, 20, 30)
    assert r.model == "openai/gpt-4o"
    assert r.model_extra is not None and r.model_extra["usage"].total_tokens == 30


def test_n_choices_and_tool_calls() -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    r = litellm.completion("gpt-4o", MESSAGES, mock_response="x", n=2, mock_tool_calls=[call])
    assert [c.index for c in r.choices] == [0, 1]
    tool_calls = r.choices[0].message.tool_calls
    assert tool_calls is not None and tool_calls[0].function.name == "f"


@pytest.mark.parametrize(
    ("mock", "cls", "status"),
    [
        ("litellm.RateLimitError", litellm.RateLimitError, 429),
        ("litellm.ContextWindowExceededError", litellm.ContextWindowExceededError, 400),
        ("litellm.InternalServerError", litellm.InternalServerError, 500),
    ],
)
def test_error_strings_raise_their_class(mock: str, cls: type, status: int) -> None:
    with pytest.raises(cls) as ei:
        litellm.completion("openai/gpt-4o", MESSAGES, mock_response=mock)
    assert ei.value.status_code == status  # type: ignore[attr-defined]


def test_exception_instances() -> None:
    given = litellm.RateLimitError(message="slow", llm_provider="openai", model="m")
    with pytest.raises(litellm.RateLimitError) as ei:
        litellm.completion("openai/gpt-4o", MESSAGES, mock_response=given)
    assert ei.value is given
    with pytest.raises(litellm.MockException) as em:
        litellm.completion("openai/gpt-4o", MESSAGES, mock_response=ValueError("boom"))
    assert em.value.status_code == 500 and "boom" in str(em.value)
    assert isinstance(em.value, openai.APIError)


def test_mock_stream_sync_and_async() -> None:
    chunks = list(litellm.completion("gpt-4o", MESSAGES, mock_response="abcdefg", stream=True))
    assert [c.choices[0].delta.content for c in chunks[:3]] == ["abc", "def", "g"]
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    built = litellm.stream_chunk_builder(chunks)
    assert built is not None and built.choices[0].message.content == "abcdefg"

    async def collect() -> str:
        stream = await litellm.acompletion("gpt-4o", MESSAGES, mock_response="xyz", stream=True)
        return "".join([c.choices[0].delta.content or "" async for c in stream])

    assert asyncio.run(collect()) == "xyz"


def test_async_and_dict_mocks() -> None:
    r = asyncio.run(litellm.acompletion("gpt-4o", MESSAGES, mock_response="async hi"))
    assert r.choices[0].message.content == "async hi"
    d = litellm.completion(
        "gpt-4o", MESSAGES, mock_response={"choices": [{"message": {"content": "d"}}]}
    )
    assert d.choices[0].message.content == "d"


def test_embedding_mock() -> None:
    e = litellm.embedding("text-embedding-3-small", "hi", mock_response=[0.5, 0.25])
    assert e.data[0].embedding == [0.5, 0.25] and e.usage.prompt_tokens == 10
    with pytest.raises(Exception, match="Mock error"):
        litellm.embedding("text-embedding-3-small", "hi", mock_response="error")
    z = asyncio.run(litellm.aembedding("text-embedding-3-small", "hi", mock_response=[1.0]))
    assert z.data[0].embedding == [1.0]
