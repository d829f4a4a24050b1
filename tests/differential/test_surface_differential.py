"""litellm's module surface next to ours: exception classes and their openai bases, response
types' declared and extra fields, and mock responses, compared with the pinned litellm."""

from __future__ import annotations

import inspect

import litellm
import litellm.exceptions
import openai
import pytest

import edgequake_litellm as ours
from common import MESSAGES
from fakeprov.openai import FakeOpenAI

OPENAI_CLASSES = [
    c
    for c in list(vars(openai).values())
    if inspect.isclass(c) and issubclass(c, openai.OpenAIError)
]


@pytest.mark.parametrize("name", sorted(ours.exceptions.__all__))
def test_exception_has_litellms_openai_bases(name: str) -> None:
    theirs = getattr(litellm.exceptions, name, None) or getattr(litellm, name, None)
    if theirs is None:
        pytest.skip(f"the reference litellm has no {name}")
    mine = getattr(ours, name)
    for base in OPENAI_CLASSES:
        if issubclass(theirs, base):
            assert issubclass(mine, base), f"{name} is not an openai.{base.__name__}"
    for parent in ("BadRequestError", "APIConnectionError", "APIResponseValidationError"):
        if issubclass(theirs, getattr(litellm, parent)):
            assert issubclass(mine, getattr(ours, parent)), f"{name} is not a {parent}"


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("RateLimitError", {"message": "m", "llm_provider": "openai", "model": "x"}),
        ("BadRequestError", {"message": "m", "model": "x", "llm_provider": "openai"}),
        ("Timeout", {"message": "m", "model": "x", "llm_provider": "openai"}),
        ("ServiceUnavailableError", {"message": "m", "llm_provider": "openai", "model": "x"}),
        ("APIConnectionError", {"message": "m", "llm_provider": "openai", "model": "x"}),
    ],
)
def test_exception_built_alike(name: str, kwargs: dict[str, str]) -> None:
    theirs, mine = getattr(litellm, name)(**kwargs), getattr(ours, name)(**kwargs)
    assert str(mine) == str(theirs)
    assert (mine.status_code, mine.llm_provider, mine.model) == (
        theirs.status_code,
        theirs.llm_provider,
        theirs.model,
    )
    if hasattr(theirs, "response"):
        assert mine.response.status_code == theirs.response.status_code


def test_model_response_fields_and_usage_where_litellm_keeps_them(srv: FakeOpenAI) -> None:
    kw = {"api_base": srv.url, "api_key": "k"}
    theirs = litellm.completion("openai/gpt-4o", MESSAGES, **kw)
    mine = ours.completion("openai/gpt-4o", MESSAGES, **kw)
    assert set(type(mine).model_fields) == set(type(theirs).model_fields)
    assert theirs.model_extra is not None and mine.model_extra is not None
    assert "usage" in mine.model_extra and "usage" in theirs.model_extra
    assert mine.model_extra["usage"].total_tokens == theirs.model_extra["usage"].total_tokens
    # litellm's StreamingChoices declares no fields at all.
    for name in ("Choices", "Message", "Usage", "ModelResponseStream"):
        declared = set(getattr(ours, name).model_fields)
        assert declared <= set(getattr(litellm, name).model_fields), name


def test_mock_response_alike() -> None:
    theirs = litellm.completion("gpt-4o", MESSAGES, mock_response="hello")
    mine = ours.completion("gpt-4o", MESSAGES, mock_response="hello")
    assert mine.choices[0].message.content == theirs.choices[0].message.content
    assert mine.usage.model_dump(exclude_none=True) == theirs.usage.model_dump(exclude_none=True)
    their_chunks = [
        c.choices[0].delta.content
        for c in litellm.completion("gpt-4o", MESSAGES, mock_response="abcdefg", stream=True)
    ]
    my_chunks = [
        c.choices[0].delta.content
        for c in ours.completion("gpt-4o", MESSAGES, mock_response="abcdefg", stream=True)
    ]
    assert "".join(filter(None, my_chunks)) == "".join(filter(None, their_chunks)) == "abcdefg"
    for mock, cls in (("litellm.RateLimitError", "RateLimitError"),):
        with pytest.raises(getattr(litellm, cls)) as t:
            litellm.completion("gpt-4o", MESSAGES, mock_response=mock)
        with pytest.raises(getattr(ours, cls)) as m:
            ours.completion("gpt-4o", MESSAGES, mock_response=mock)
        assert m.value.status_code == t.value.status_code
