"""Errors beyond the fault matrix: other statuses, retries, timeouts, argument checks before I/O."""

from __future__ import annotations

import time
from typing import Any

import pytest

import edgequake_litellm as litellm
from common import MESSAGES
from fakeprov.openai import FakeOpenAI, openai_error
from fakeprov.server import Reply


def call(srv: FakeOpenAI, **kw: Any) -> Any:
    kw.setdefault("api_key", "k")
    kw.setdefault("num_retries", 0)
    return litellm.completion(model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, **kw)


# The statuses of the reliability issue, for every provider, are in test_fault_matrix.py.
@pytest.mark.parametrize(
    ("status", "etype", "code", "cls"),
    [
        (408, "timeout", None, litellm.Timeout),
        (504, "server_error", None, litellm.Timeout),
        (418, "teapot", None, litellm.APIError),
    ],
)
def test_status_maps_to_litellm_class(
    srv: FakeOpenAI, status: int, etype: str, code: str | None, cls: type[Exception]
) -> None:
    srv.enqueue(openai_error(status, f"provider said {status}", etype, code=code))
    with pytest.raises(cls) as ei:
        call(srv)
    e = ei.value
    assert type(e) is cls
    assert e.status_code == status
    assert e.llm_provider == "openai" and e.model == "gpt-4o"
    assert f"provider said {status}" in str(e)
    assert str(e).startswith(f"litellm.{cls.__name__}: ")
    assert e.body is not None and f"provider said {status}" in e.body
    assert isinstance(e, litellm.APIError)


@pytest.mark.smoke
def test_subclasses_keep_litellm_catch_patterns(srv: FakeOpenAI) -> None:
    srv.enqueue(openai_error(400, "too long", code="context_length_exceeded"))
    with pytest.raises(litellm.BadRequestError):
        call(srv)
    srv.enqueue(openai_error(422, "bad field"))
    with pytest.raises(litellm.BadRequestError):
        call(srv)


def test_retries_transient_statuses_honouring_retry_after(srv: FakeOpenAI) -> None:
    srv.enqueue(
        openai_error(429, "slow down", "rate_limit_error", headers={"retry-after-ms": "300"}),
        openai_error(503, "busy", "server_error", headers={"retry-after": "0.1"}),
    )
    t0 = time.monotonic()
    r = call(srv, num_retries=2)
    elapsed = time.monotonic() - t0
    assert r.choices[0].message.content == "echo: hello there world"
    assert len(srv.requests) == 3
    assert 0.4 <= elapsed < 2.0, elapsed


def test_other_4xx_are_never_retried(srv: FakeOpenAI) -> None:
    srv.enqueue(openai_error(400, "bad"), openai_error(400, "bad"))
    with pytest.raises(litellm.BadRequestError):
        call(srv, num_retries=3)
    assert len(srv.requests) == 1


def test_global_num_retries_applies(srv: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(litellm, "num_retries", 1)
    srv.enqueue(openai_error(500, "oops", "server_error", headers={"retry-after": "0"}))
    r = litellm.completion(model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k")
    assert r.choices[0].message.content and len(srv.requests) == 2


def test_timeout_raises_promptly(srv: FakeOpenAI) -> None:
    srv.enqueue(Reply(delay=5))
    t0 = time.monotonic()
    with pytest.raises(litellm.Timeout) as ei:
        call(srv, timeout=0.3)
    assert time.monotonic() - t0 < 0.8
    assert ei.value.llm_provider == "openai" and ei.value.status_code == 408
    assert srv.wait_for_disconnect(timeout=5)


@pytest.mark.smoke
@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"messages": "hi"}, "messages must be a list"),
        ({"messages": [{"content": "x"}]}, "messages[0] has role None"),
        ({"messages": [{"role": "wizard", "content": "x"}]}, "role 'wizard'"),
        ({"messages": [{"role": "user", "content": 5}]}, "messages[0].content"),
        ({"messages": ["hi"]}, "messages[0] must be a dict"),
        ({"n": 0}, "n must be an int >= 1"),
        ({"model": "nosuchprovider/x"}, "LLM Provider NOT provided"),
        ({"model": ""}, "model must be a non-empty string"),
        ({"api_base": "not a url"}, "api_base must be an http"),
        ({"timeout": -1}, "timeout must be a positive"),
        ({"num_retries": -1}, "num_retries must be a non-negative int"),
        (
            {"tools": [{"type": "function", "function": {"name": "f", "parameters": {1, 2}}}]},
            "not JSON",
        ),
    ],
)
def test_bad_input_is_refused_before_any_io(
    srv: FakeOpenAI, kwargs: dict[str, Any], fragment: str
) -> None:
    args: dict[str, Any] = {
        "model": "openai/gpt-4o",
        "messages": MESSAGES,
        "api_base": srv.url,
        "api_key": "k",
    }
    args.update(kwargs)
    with pytest.raises(litellm.BadRequestError) as ei:
        litellm.completion(**args)
    assert fragment in str(ei.value)
    assert srv.requests == []


def test_missing_key_for_a_public_endpoint_is_refused_before_io() -> None:
    with pytest.raises(litellm.AuthenticationError) as ei:
        litellm.completion(model="openai/gpt-4o", messages=MESSAGES)
    assert "OPENAI_API_KEY" in str(ei.value)


def test_a_server_given_by_api_base_needs_no_key(srv: FakeOpenAI) -> None:
    litellm.completion(model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url)
    assert "authorization" not in srv.last.headers


@pytest.mark.smoke
def test_api_key_never_appears_in_errors(srv: FakeOpenAI) -> None:
    secret = "sk-sentinel-0123456789"
    srv.enqueue(openai_error(401, f"Incorrect API key provided: {secret}", code="invalid_api_key"))
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(srv, api_key=secret)
    e = ei.value
    for text in (str(e), repr(e), e.message, e.body or "", repr(e.args)):
        assert secret not in text
    assert "[REDACTED]" in str(e)


def test_embedding_errors_map_the_same(srv: FakeOpenAI) -> None:
    srv.enqueue(openai_error(404, "no such model", code="model_not_found"))
    with pytest.raises(litellm.NotFoundError):
        litellm.embedding(
            model="openai/nope", input="x", api_base=srv.url, api_key="k", num_retries=0
        )
    with pytest.raises(litellm.BadRequestError):
        litellm.embedding(model="openai/e", input=[], api_base=srv.url, api_key="k")
