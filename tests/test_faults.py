"""The transport half of the fault matrix (statuses are in test_errors.py): what the network or a
broken body does, and which litellm exception the caller gets."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

import edgequake_litellm as litellm
from common import MESSAGES
from fakeprov.openai import FakeOpenAI, openai_error
from fakeprov.server import Reply


def call(api_base: str, **kw: Any) -> Any:
    kw.setdefault("num_retries", 0)
    return litellm.completion(
        model="openai/gpt-4o", messages=MESSAGES, api_base=api_base, api_key="k", **kw
    )


def test_529_overloaded_is_service_unavailable(srv: FakeOpenAI) -> None:
    srv.enqueue(openai_error(529, "Overloaded", "overloaded_error"))
    with pytest.raises(litellm.ServiceUnavailableError) as ei:
        call(srv.url)
    assert ei.value.status_code == 529


def test_dns_failure_is_api_connection_error() -> None:
    with pytest.raises(litellm.APIConnectionError) as ei:
        call("http://edgequake-litellm-test.invalid/v1", timeout=10)
    assert not isinstance(ei.value, litellm.Timeout)
    assert "dns" in str(ei.value).lower() or "resolve" in str(ei.value).lower()


def test_tls_failure_is_api_connection_error(srv: FakeOpenAI) -> None:
    # The fake server speaks plain HTTP: the TLS handshake fails.
    with pytest.raises(litellm.APIConnectionError) as ei:
        call(f"https://127.0.0.1:{srv.port}/v1", timeout=10)
    assert not isinstance(ei.value, litellm.Timeout)


def test_truncated_json_body_is_api_connection_error(srv: FakeOpenAI) -> None:
    srv.enqueue(
        Reply(
            body=b'{"id": "chatcmpl-1", "choi',
            headers={"Content-Length": "500", "Connection": "close"},
        )
    )
    with pytest.raises(litellm.APIConnectionError):
        call(srv.url)


def test_body_slower_than_the_timeout_is_timeout(srv: FakeOpenAI) -> None:
    srv.enqueue(
        Reply(
            raw_sse=[b'{"id": "x", ', b'"choices": []}'],
            chunk_delay=3,
            headers={"Content-Type": "application/json"},
        )
    )
    t0 = time.monotonic()
    with pytest.raises(litellm.Timeout):
        call(srv.url, timeout=0.5)
    assert time.monotonic() - t0 < 1.0
    assert srv.wait_for_disconnect(timeout=5)


def test_headers_then_close_is_api_connection_error(srv: FakeOpenAI) -> None:
    srv.enqueue(Reply(status=200, body=b"{}", close_after_headers=True))
    with pytest.raises(litellm.APIConnectionError):
        call(srv.url)


def test_connection_failures_are_retried(srv: FakeOpenAI) -> None:
    srv.enqueue(Reply(status=200, body=b"{}", close_after_headers=True))
    # The first attempt's connection dies after the headers; the retry gets the default reply.
    r = call(srv.url, num_retries=1)
    assert r.choices[0].message.content == "echo: hello there world"
    assert len(srv.requests) == 2


def test_stream_error_event_without_code_is_api_error(srv: FakeOpenAI) -> None:
    chunk = {"choices": [{"index": 0, "delta": {"content": "a"}}]}
    srv.enqueue(Reply(sse_events=[json.dumps(chunk), json.dumps({"error": {"message": "boom"}})]))
    got = []
    with pytest.raises(litellm.InternalServerError) as ei:
        for c in call(srv.url, stream=True):
            got.append(c.choices[0].delta.content)
    assert got == ["a"] and "boom" in str(ei.value)


def test_stream_with_malformed_event_raises_after_earlier_chunks(srv: FakeOpenAI) -> None:
    chunk = {"choices": [{"index": 0, "delta": {"content": "a"}}]}
    srv.enqueue(Reply(sse_events=[json.dumps(chunk), '{"error": not json']))
    got = []
    with pytest.raises(litellm.APIError) as ei:
        for c in call(srv.url, stream=True):
            got.append(c.choices[0].delta.content)
    assert got == ["a"] and "not valid JSON" in str(ei.value)


def test_stream_never_retries_after_the_first_chunk(srv: FakeOpenAI) -> None:
    chunk = {"choices": [{"index": 0, "delta": {"content": "a"}}]}
    srv.enqueue(Reply(sse_events=[json.dumps(chunk)] * 3, cut_after=1))
    with pytest.raises(litellm.APIConnectionError):
        for _ in call(srv.url, stream=True, num_retries=3):
            pass
    assert len(srv.requests) == 1
