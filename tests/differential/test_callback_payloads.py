"""Callback payloads: the same calls through litellm and us, with a CustomLogger each.

For a chat call, a stream, a failure and an embedding against one fake OpenAI
server, the ``standard_logging_object`` must have litellm's keys (and the keys
of its nested dicts) with the same value types, and ``kwargs`` must carry
litellm's top-level keys. Differences are listed in :data:`DIFFERENCES` with
the reason (the README's callbacks section repeats them).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any, Callable

import litellm as ref
import pytest
from litellm.integrations.custom_logger import CustomLogger as RefLogger

import edgequake_litellm as ours
from edgequake_litellm.integrations.custom_logger import CustomLogger as OurLogger
from edgequake_litellm.litellm_core_utils.litellm_logging import flush
from fakeprov.openai import FakeOpenAI, openai_error

KEY = "sk-differential-callbacks"
MESSAGES = [{"role": "user", "content": "hello there world"}]

#: ``standard_logging_object`` fields whose value type differs from litellm's, and why.
DIFFERENCES = {
    "response_cost_failure_debug_info": "set (a dict) only when the model has no price",
}
#: litellm's top-level ``kwargs`` keys we do not emit, and why.
KWARGS_NOT_EMITTED = {
    "api_key": "the API key never appears in a callback payload",
    "response_headers": "the provider's response headers are not carried back from the core",
    "has_logged_sync_success": "litellm-internal bookkeeping",
    "has_logged_sync_failure": "litellm-internal bookkeeping",
    "extra_body": "litellm's copy of the request's extra_body; in optional_params when given",
    "temperature": "litellm repeats each optional param at the top level; optional_params has it",
    "max_retries": "litellm repeats the call option at the top level; litellm_params has it",
    "complete_response": "litellm's duplicate of complete_streaming_response",
}


def _both(logger_base: type) -> tuple[Any, list[tuple[str, dict[str, Any], Any]]]:
    events: list[tuple[str, dict[str, Any], Any]] = []

    class Capture(logger_base):  # type: ignore[misc, valid-type]
        # litellm calls the hooks with keyword arguments: its parameter names.
        def log_success_event(
            self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
        ) -> None:
            events.append(("success", dict(kwargs), response_obj))  # litellm reuses it

        def log_failure_event(
            self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
        ) -> None:
            events.append(("failure", dict(kwargs), response_obj))

    return Capture(), events


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for lib in (ref, ours):
        for name in ("callbacks", "success_callback", "failure_callback"):
            monkeypatch.setattr(lib, name, [])
    monkeypatch.setattr(ref, "_async_success_callback", [])
    monkeypatch.setattr(ref, "_async_failure_callback", [])
    yield


def _capture(lib: Any, base: type, run: Callable[[Any, str], None]) -> tuple[str, dict[str, Any]]:
    logger, events = _both(base)
    lib.callbacks = [logger]
    with FakeOpenAI() as srv:
        with contextlib.suppress(Exception):  # the failure scenario raises, in both
            run(lib, srv)
        deadline = time.monotonic() + 10
        while not events and time.monotonic() < deadline:  # litellm logs from a thread too
            time.sleep(0.02)
    flush()
    lib.callbacks = []
    assert len(events) == 1, [e[0] for e in events]
    return events[0][0], events[0][1]


def _chat(lib: Any, srv: Any) -> None:
    lib.completion(
        model="openai/gpt-4o-mini", messages=MESSAGES, api_base=srv.url, api_key=KEY,
        temperature=0.5, metadata={"run": "r1"},
    )  # fmt: skip


def _stream(lib: Any, srv: Any) -> None:
    for _ in lib.completion(
        model="openai/gpt-4o-mini", messages=MESSAGES, api_base=srv.url, api_key=KEY, stream=True
    ):
        pass


def _failure(lib: Any, srv: Any) -> None:
    srv.enqueue(openai_error(401, "bad key", code="invalid_api_key"))
    lib.completion(
        model="openai/gpt-4o-mini", messages=MESSAGES, api_base=srv.url, api_key=KEY,
        num_retries=0, max_retries=0,
    )  # fmt: skip


def _embedding(lib: Any, srv: Any) -> None:
    lib.embedding(
        model="openai/text-embedding-3-small", input=["a b"], api_base=srv.url, api_key=KEY
    )


def _shape(value: Any) -> Any:
    """Type name, and for a dict the shapes of its values by key."""
    if isinstance(value, dict):
        return {k: type(v).__name__ for k, v in value.items()}
    return type(value).__name__


# litellm's own pydantic serializer warnings (building its payload) are not ours to raise.
@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(
    ("run", "status"),
    [(_chat, "success"), (_stream, "success"), (_failure, "failure"), (_embedding, "success")],
    ids=["chat", "stream", "failure", "embedding"],
)
def test_payload_keys_and_types_match_litellm(run: Callable[[Any, Any], None], status: str) -> None:
    ref_status, ref_kw = _capture(ref, RefLogger, run)
    our_status, our_kw = _capture(ours, OurLogger, run)
    assert ref_status == our_status == status

    missing = set(ref_kw) - set(our_kw) - set(KWARGS_NOT_EMITTED)
    assert not missing, f"kwargs keys litellm emits and we do not: {sorted(missing)}"
    assert "api_key" not in our_kw and KEY not in repr(our_kw)
    for key in ("model", "messages", "call_type", "stream", "custom_llm_provider"):
        assert our_kw[key] == ref_kw[key], key

    ref_slo, our_slo = ref_kw["standard_logging_object"], our_kw["standard_logging_object"]
    assert set(our_slo) == set(ref_slo)
    for key, ref_value in ref_slo.items():
        if key in DIFFERENCES:
            continue
        assert type(our_slo[key]) is type(ref_value), (key, our_slo[key], ref_value)
        if isinstance(ref_value, dict) and key not in ("response", "model_parameters"):
            assert set(our_slo[key]) == set(ref_value), key
    for key in ("call_type", "status", "model", "custom_llm_provider", "stream"):
        assert our_slo[key] == ref_slo[key], key
    for key in ("prompt_tokens", "completion_tokens", "total_tokens"):
        assert our_slo[key] == ref_slo[key], key
    assert set(our_slo["response"]) <= set(ref_slo["response"]) | {"service_tier", "usage"}
    if status == "failure":
        assert our_slo["error_information"]["error_class"] == "AuthenticationError"
        assert ref_slo["error_information"]["error_class"] == "AuthenticationError"
