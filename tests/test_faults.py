"""Transport faults test_fault_matrix.py does not cover (OpenAI wire): a connection closed after
the headers, retried connection failures, a malformed stream event, no retry mid-stream."""

from __future__ import annotations

import json
from typing import Any

import pytest

import edgequake_litellm as litellm
from common import MESSAGES
from fakeprov.openai import FakeOpenAI
from fakeprov.server import Reply


def call(api_base: str, **kw: Any) -> Any:
    kw.setdefault("num_retries", 0)
    return litellm.completion(
        model="openai/gpt-4o", messages=MESSAGES, api_base=api_base, api_key="k", **kw
    )


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
