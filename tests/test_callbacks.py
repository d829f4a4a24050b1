"""Callbacks as litellm users wire them, against the fake OpenAI server.

Function callbacks (``success_callback`` / ``failure_callback`` / the async
lists / ``input_callback``), ``CustomLogger`` objects (``litellm.callbacks``
and per-call ``callbacks=``), on sync and async calls, streams, failures and
embeddings; the payload's litellm fields and types; a raising callback; 32
threads; the bounded queue; zero work when nothing is registered.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import edgequake_litellm as litellm
from common import MESSAGES
from edgequake_litellm.integrations.custom_logger import CustomLogger
from edgequake_litellm.litellm_core_utils import litellm_logging
from fakeprov.openai import FakeOpenAI, openai_error
from fakeprov.server import Reply

MODEL = "openai/gpt-4o-mini"
_LISTS = (
    "callbacks",
    "success_callback",
    "failure_callback",
    "_async_success_callback",
    "_async_failure_callback",
    "input_callback",
)


@pytest.fixture(autouse=True)
def _no_callbacks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in _LISTS:
        monkeypatch.setattr(litellm, name, [])
    monkeypatch.setattr(litellm, "max_budget", 0.0)
    monkeypatch.setattr(litellm, "_current_cost", 0.0)
    yield
    assert litellm_logging.flush(10)


class Recorder(CustomLogger):
    """Records every hook call as (hook, kwargs, response)."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, dict[str, Any], Any]] = []
        self.threads: set[int] = set()

    def _add(self, hook: str, kwargs: dict[str, Any], response: Any = None) -> None:
        self.events.append((hook, kwargs, response))
        self.threads.add(threading.get_ident())

    def log_pre_api_call(self, model: str, messages: Any, kwargs: dict[str, Any]) -> None:
        self._add("pre", {"model": model, "messages": messages, **kwargs})

    def log_post_api_call(self, kwargs: Any, response_obj: Any, start: Any, end: Any) -> None:
        self._add("post", kwargs, response_obj)

    def log_success_event(self, kwargs: Any, response_obj: Any, start: Any, end: Any) -> None:
        self._add("success", kwargs, response_obj)

    def log_failure_event(self, kwargs: Any, response_obj: Any, start: Any, end: Any) -> None:
        self._add("failure", kwargs, response_obj)

    def log_stream_event(self, kwargs: Any, response_obj: Any, start: Any, end: Any) -> None:
        self._add("stream", kwargs, response_obj)

    async def async_log_success_event(
        self, kwargs: Any, response_obj: Any, start: Any, end: Any
    ) -> None:
        self._add("async_success", kwargs, response_obj)

    async def async_log_failure_event(
        self, kwargs: Any, response_obj: Any, start: Any, end: Any
    ) -> None:
        self._add("async_failure", kwargs, response_obj)

    def hooks(self) -> list[str]:
        return [h for h, _, _ in self.events]

    def only(self, hook: str) -> tuple[dict[str, Any], Any]:
        found = [(k, r) for h, k, r in self.events if h == hook]
        assert len(found) == 1, self.hooks()
        return found[0]


def _settle() -> None:
    assert litellm_logging.flush(10)


def test_sync_success_reaches_functions_and_loggers(srv: FakeOpenAI) -> None:
    calls: list[tuple[dict[str, Any], Any, Any, Any]] = []
    rec = Recorder()
    litellm.success_callback = [lambda kw, resp, s, e: calls.append((kw, resp, s, e))]
    litellm.callbacks = [rec]
    r = litellm.completion(
        model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k",
        temperature=0.5, metadata={"run": "r1", "tags": ["t1"]}, user="u1",
    )  # fmt: skip
    _settle()
    assert rec.hooks() == ["pre", "post", "success"]
    kw, resp = rec.only("success")
    assert resp is r and len(calls) == 1 and calls[0][1] is r
    start, end = calls[0][2], calls[0][3]
    assert isinstance(start, datetime.datetime) and start <= end
    assert kw["model"] == "gpt-4o-mini" and kw["messages"] == MESSAGES
    assert kw["call_type"] == "completion" and kw["stream"] is False
    assert kw["optional_params"] == {"temperature": 0.5, "user": "u1"}
    assert kw["litellm_params"]["metadata"] == {"run": "r1", "tags": ["t1"]}
    assert kw["litellm_params"]["api_base"] == srv.url
    assert kw["custom_llm_provider"] == "openai"
    assert kw["start_time"] == start and kw["end_time"] == end
    assert isinstance(kw["completion_start_time"], datetime.datetime)
    assert "exception" not in kw and "api_key" not in kw
    slo = kw["standard_logging_object"]
    assert slo["id"] == r.id and slo["status"] == "success"
    assert slo["call_type"] == "completion" and slo["stream"] is None
    assert slo["model"] == "gpt-4o-mini" and slo["custom_llm_provider"] == "openai"
    assert slo["api_base"] == srv.url
    assert (slo["prompt_tokens"], slo["completion_tokens"], slo["total_tokens"]) == (
        r.usage.prompt_tokens,
        r.usage.completion_tokens,
        r.usage.total_tokens,
    )
    assert slo["startTime"] == start.timestamp() and slo["endTime"] == end.timestamp()
    assert slo["response"]["choices"][0]["message"]["content"] == "echo: hello there world"
    assert slo["messages"] == MESSAGES and slo["model_parameters"] == kw["optional_params"]
    assert slo["metadata"]["requester_metadata"] == {"run": "r1", "tags": ["t1"]}
    assert slo["request_tags"] == ["t1"] and slo["end_user"] == "u1"
    assert slo["error_str"] is None and isinstance(slo["response_cost"], float)
    json.dumps(slo)  # plain data, as litellm's (loggers ship it as JSON)


def test_response_cost_is_reported(srv: FakeOpenAI) -> None:
    rec = Recorder()
    litellm.callbacks = [rec]
    r = litellm.completion(model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k")
    for _ in litellm.completion(
        model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k", stream=True
    ):
        pass
    _settle()
    (kw, _), (streamed, _) = [(k, x) for h, k, x in rec.events if h == "success"]
    cost = r._hidden_params["response_cost"]
    assert cost > 0 and kw["response_cost"] == cost
    assert kw["standard_logging_object"]["response_cost"] == cost
    assert kw["standard_logging_object"]["response_cost_failure_debug_info"] is None
    assert streamed["response_cost"] > 0  # the rebuilt stream, priced from its usage


def test_cache_hits_are_reported_as_hits(srv: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder()
    litellm.callbacks = [rec]
    monkeypatch.setattr(litellm, "cache", litellm.Cache())
    kw = {"model": "openai/gpt-4o", "messages": MESSAGES, "api_base": srv.url, "api_key": "k"}
    litellm.completion(**kw)
    litellm.completion(**kw)
    for _ in litellm.completion(**kw, stream=True):
        pass
    for _ in litellm.completion(**kw, stream=True):
        pass
    _settle()
    assert len(srv.requests) == 2  # one plain, one stream; the repeats were hits
    miss, hit, stream_miss, stream_hit = [k for h, k, _ in rec.events if h == "success"]
    assert miss["cache_hit"] is None and miss["response_cost"] > 0
    assert miss["standard_logging_object"]["cache_hit"] is None
    for k in (hit, stream_hit):
        slo = k["standard_logging_object"]
        assert k["cache_hit"] is True and k["response_cost"] == 0.0
        assert slo["cache_hit"] is True and slo["response_cost"] == 0.0
        assert slo["cache_key"] and slo["cache_key"] == slo["hidden_params"]["cache_key"]
    assert stream_miss["standard_logging_object"]["cache_hit"] is False
    assert (
        hit["standard_logging_object"]["cache_key"]
        != stream_hit["standard_logging_object"]["cache_key"]
    )


def test_callbacks_run_off_the_callers_thread(srv: FakeOpenAI) -> None:
    seen: list[int] = []
    gate = threading.Event()

    def slow(kw: Any, resp: Any, s: Any, e: Any) -> None:
        gate.wait(5)
        seen.append(threading.get_ident())

    litellm.success_callback = [slow]
    t0 = time.monotonic()
    litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
    assert time.monotonic() - t0 < 2 and not seen  # the call did not wait for the callback
    gate.set()
    _settle()
    assert seen and seen[0] != threading.get_ident()


def test_async_success_and_async_functions(srv: FakeOpenAI) -> None:
    rec = Recorder()
    got: list[str] = []

    async def afn(kw: Any, resp: Any, s: Any, e: Any) -> None:
        got.append(kw["call_type"])

    litellm.callbacks = [rec]
    litellm._async_success_callback = [afn]

    async def main() -> Any:
        r = await litellm.acompletion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
        await asyncio.sleep(0.2)
        return r

    r = asyncio.run(main())
    assert rec.hooks() == ["pre", "post", "async_success"]
    kw, resp = rec.only("async_success")
    assert resp is r and got == ["acompletion"]
    assert kw["standard_logging_object"]["call_type"] == "acompletion"
    assert kw["litellm_params"]["acompletion"] is True


def test_sync_stream_reports_once_at_the_end(srv: FakeOpenAI) -> None:
    rec = Recorder()
    litellm.callbacks = [rec]
    stream = litellm.completion(
        model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k", stream=True
    )
    chunks = list(stream)
    _settle()
    assert rec.hooks().count("stream") == len(chunks)
    kw, built = rec.only("success")
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert built.choices[0].message.content == text == "echo: hello there world"
    assert kw["complete_streaming_response"] is built
    slo = kw["standard_logging_object"]
    assert slo["stream"] is True and slo["completion_tokens"] == built.usage.completion_tokens
    assert kw["completion_start_time"] <= kw["end_time"]
    list(stream)  # iterating a finished stream again reports nothing more
    _settle()
    assert rec.hooks().count("success") == 1


def test_async_stream_reports_once_at_the_end(srv: FakeOpenAI) -> None:
    rec = Recorder()
    litellm.callbacks = [rec]

    async def main() -> list[Any]:
        s = await litellm.acompletion(
            model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k", stream=True
        )
        out = [c async for c in s]
        await asyncio.sleep(0.2)
        return out

    chunks = asyncio.run(main())
    kw, built = rec.only("async_success")
    assert built.choices[0].message.content == "".join(
        c.choices[0].delta.content or "" for c in chunks
    )
    assert kw["standard_logging_object"]["call_type"] == "acompletion"


def test_broken_stream_reports_one_failure(srv: FakeOpenAI) -> None:
    rec = Recorder()
    litellm.callbacks = [rec]
    chunk = {"choices": [{"index": 0, "delta": {"content": "a"}}]}
    srv.enqueue(Reply(sse_events=[json.dumps(chunk)] * 3, cut_after=1))
    stream = litellm.completion(
        model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k", stream=True
    )
    got = []
    with pytest.raises(litellm.APIConnectionError):
        for c in stream:
            got.append(c)
    _settle()
    assert got and "success" not in rec.hooks()
    kw, resp = rec.only("failure")
    assert resp is None and isinstance(kw["exception"], litellm.APIConnectionError)
    assert kw["standard_logging_object"]["status"] == "failure"


def test_sync_failure(srv: FakeOpenAI) -> None:
    rec = Recorder()
    failures: list[Any] = []
    litellm.callbacks = [rec]
    litellm.failure_callback = [lambda kw, resp, s, e: failures.append(kw["exception"])]
    srv.enqueue(openai_error(401, "bad key", code="invalid_api_key"))
    with pytest.raises(litellm.AuthenticationError) as ei:
        litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
    _settle()
    kw, resp = rec.only("failure")
    assert resp is None and kw["exception"] is ei.value and failures == [ei.value]
    assert rec.hooks() == ["pre", "post", "failure"]  # as litellm: post-call on failures too
    slo = kw["standard_logging_object"]
    assert slo["status"] == "failure" and slo["status_fields"]["llm_api_status"] == "failure"
    assert slo["error_str"] == str(ei.value) and "bad key" in slo["error_str"]
    info = slo["error_information"]
    assert info is not None
    assert info["error_class"] == "AuthenticationError" and info["error_code"] == "401"
    assert info["llm_provider"] == "openai"
    assert slo["id"] == kw["litellm_call_id"] and slo["response"] == {}
    assert "Traceback" in kw["traceback_exception"]


def test_bad_arguments_report_a_failure_too() -> None:
    rec = Recorder()
    litellm.callbacks = [rec]
    with pytest.raises(litellm.BadRequestError):
        litellm.completion(model=MODEL, messages="not a list", api_key="k")
    _settle()
    kw, _ = rec.only("failure")
    assert isinstance(kw["exception"], litellm.BadRequestError)


def test_async_failure(srv: FakeOpenAI) -> None:
    rec = Recorder()
    litellm.callbacks = [rec]
    srv.enqueue(openai_error(404, "no such model", code="model_not_found"))

    async def main() -> None:
        with pytest.raises(litellm.NotFoundError):
            await litellm.acompletion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
        await asyncio.sleep(0.2)

    asyncio.run(main())
    kw, _ = rec.only("async_failure")
    assert isinstance(kw["exception"], litellm.NotFoundError)
    assert kw["standard_logging_object"]["error_information"]["error_code"] == "404"


def test_embeddings(srv: FakeOpenAI) -> None:
    rec = Recorder()
    litellm.callbacks = [rec]
    r = litellm.embedding(
        model="openai/text-embedding-3-small", input=["a b", "c"], api_base=srv.url, api_key="k"
    )
    _settle()
    kw, resp = rec.only("success")
    assert resp is r and kw["call_type"] == "embedding" and kw["input"] == ["a b", "c"]
    slo = kw["standard_logging_object"]
    assert slo["call_type"] == "embedding" and slo["prompt_tokens"] == r.usage.prompt_tokens
    assert slo["response"]["data"][0]["embedding"] == r.data[0].embedding

    async def main() -> None:
        await litellm.aembedding(
            model="openai/text-embedding-3-small", input="x", api_base=srv.url, api_key="k"
        )
        await asyncio.sleep(0.2)

    asyncio.run(main())
    kw, _ = rec.only("async_success")
    assert kw["call_type"] == "aembedding" and kw["input"] == ["x"]


def test_per_call_callbacks_and_input_callback(srv: FakeOpenAI) -> None:
    rec = Recorder()
    inputs: list[tuple[str, Any]] = []
    litellm.input_callback = [lambda model, messages, kwargs: inputs.append((model, messages))]
    litellm.completion(
        model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k", callbacks=[rec]
    )
    litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
    _settle()
    assert rec.hooks() == ["pre", "post", "success"]  # only the call that named it
    assert inputs == [("gpt-4o-mini", MESSAGES)] * 2
    assert "callbacks" not in srv.requests[0].json  # not sent to the provider


def test_a_raising_callback_is_logged_and_swallowed(
    srv: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(CustomLogger):
        def log_pre_api_call(self, model: str, messages: Any, kwargs: Any) -> None:
            raise RuntimeError("pre boom")

        def log_success_event(self, kwargs: Any, resp: Any, s: Any, e: Any) -> None:
            raise RuntimeError("success boom")

    after: list[str] = []

    def boom(kw: Any, resp: Any, s: Any, e: Any) -> None:
        raise ValueError("function boom")

    litellm.callbacks = [Broken()]
    litellm.success_callback = [boom, lambda kw, resp, s, e: after.append("ran")]
    caplog.set_level(logging.ERROR, logger="LiteLLM")
    r = litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
    _settle()
    assert r.choices[0].message.content == "echo: hello there world"
    assert after == ["ran"]  # a raising callback does not stop the next one
    text = "\n".join(f"{rec.getMessage()} {rec.exc_info}" for rec in caplog.records)
    for word in ("pre boom", "success boom", "function boom"):
        assert word in text


def test_32_threads(srv: FakeOpenAI) -> None:
    rec = Recorder()
    counted: list[str] = []
    lock = threading.Lock()

    def count(kw: Any, resp: Any, s: Any, e: Any) -> None:
        with lock:
            counted.append(resp.id)

    litellm.callbacks = [rec]
    litellm.success_callback = [count]
    ids: list[str] = []
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            for j in range(4):
                msg = [{"role": "user", "content": f"t{i} c{j}"}]
                r = litellm.completion(model=MODEL, messages=msg, api_base=srv.url, api_key="k")
                with lock:
                    ids.append(r.choices[0].message.content)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _settle()
    assert not errors and len(ids) == 128
    successes = [(k, r) for h, k, r in rec.events if h == "success"]
    assert len(successes) == 128 and len(counted) == 128
    # each payload is its own call's: the messages match the response's echo
    for kw, resp in successes:
        assert resp.choices[0].message.content == "echo: " + kw["messages"][0]["content"]
        assert (
            kw["standard_logging_object"]["response"]["choices"][0]["message"]["content"]
            == resp.choices[0].message.content
        )
    assert len({kw["litellm_call_id"] for kw, _ in successes}) == 128


def test_a_full_queue_drops_and_counts(srv: FakeOpenAI, caplog: pytest.LogCaptureFixture) -> None:
    gate = threading.Event()
    ran: list[int] = []
    litellm.success_callback = [lambda kw, resp, s, e: (gate.wait(5), ran.append(1))]
    litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
    time.sleep(0.2)  # the worker now blocks in the first callback
    # A 2-event queue nobody drains (the worker serves the original one).
    original = litellm_logging._queue
    litellm_logging._queue = litellm_logging._Jobs(2)
    try:
        before = litellm_logging.dropped_events()
        caplog.set_level(logging.WARNING, logger="LiteLLM")
        t0 = time.monotonic()
        for _ in range(5):
            litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
        assert time.monotonic() - t0 < 3  # the calls never waited for the queue
        assert litellm_logging.dropped_events() - before == 3
        if before == 0:  # the first drop of the process is logged, once
            assert caplog.text.count("dropping events") == 1
    finally:
        litellm_logging._queue = original
        gate.set()
    _settle()
    assert ran == [1]


def test_nothing_registered_loads_nothing(srv: FakeOpenAI) -> None:
    code = f"""
import sys
import edgequake_litellm as litellm
r = litellm.completion(model="openai/gpt-4o-mini", messages=[{{"role": "user", "content": "x"}}],
                       api_base={srv.url!r}, api_key="k")
assert r.choices[0].message.content == "echo: x"
loaded = [m for m in ("logging", "edgequake_litellm.litellm_core_utils.litellm_logging",
                      "asyncio", "queue") if m in sys.modules]
print(loaded)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_unknown_string_callback_names_opentelemetry(srv: FakeOpenAI) -> None:
    litellm.success_callback = ["langfuse"]
    with pytest.raises(ValueError, match="OpenTelemetry"):
        litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
    assert not srv.requests
