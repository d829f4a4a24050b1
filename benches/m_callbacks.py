"""Per-call overhead of callbacks on the caller's thread: edgequake_litellm vs litellm.

    python benches/m_callbacks.py [--calls N] [--out benches/results/callbacks.json]

Configurations: no callback, one function callback (``success_callback``), one
``CustomLogger`` (``callbacks``), OpenTelemetry (an SDK ``TracerProvider``, no
exporter: span creation only); each sync and async.

What is timed, per call, in microseconds (median of rounds):

- edgequake_litellm: the call hook (``_observe.observed``) around a function that
  returns a prebuilt ``ModelResponse`` instantly: the budget/callback checks, the
  per-call record, the pre-call hooks and the hand-off to the callback worker
  (sync) or the task (async). The network call itself is not in it (it is the
  same with or without callbacks). Callbacks then run off the caller's thread;
  the worker is drained between rounds, outside the timing. "sync" includes
  the worker's share of the one GIL (it builds the payload while the caller
  loops); "sync, worker parked" holds the worker in a job during the round, so
  only the caller's own work is timed.
- litellm: ``completion(mock_response=...)`` (its whole pipeline, no network)
  with each configuration; the difference to "no callback" is what its
  callbacks add (on this machine that difference is below the run-to-run noise
  of a ~1.5 ms call). litellm's OpenTelemetry integration does not start
  without its proxy extra installed ("Proxy Server is not installed"), so its
  row measures an inactive logger.

The machine is shared and loaded: compare rows within one run only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import warnings
from typing import Any, Callable

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("LITELLM_TELEMETRY", "False")
warnings.simplefilter("ignore")

MESSAGES = [{"role": "user", "content": "hello"}]
ROUNDS = 7


def _fn(kwargs: Any, response: Any, start: Any, end: Any) -> None:
    pass


def _configs(lib: Any, logger_base: type, otel: Callable[[], Any]) -> dict[str, Callable[[], None]]:
    class Logger(logger_base):  # type: ignore[misc, valid-type]
        def log_success_event(
            self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
        ) -> None:
            pass

        async def async_log_success_event(
            self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
        ) -> None:
            pass

    def reset() -> None:
        lib.callbacks, lib.success_callback, lib.failure_callback = [], [], []
        lib._async_success_callback, lib._async_failure_callback = [], []

    def none() -> None:
        reset()

    def function() -> None:
        reset()
        lib.success_callback = [_fn]

    def custom_logger() -> None:
        reset()
        lib.callbacks = [Logger()]

    def opentelemetry() -> None:
        reset()
        lib.callbacks = [otel()]

    return {
        "no callback": none,
        "one function": function,
        "one CustomLogger": custom_logger,
        "OpenTelemetry": opentelemetry,
    }


def _time(n: int, once: Callable[[], Any], settle: Callable[[], None]) -> float:
    """Median over rounds of µs per call of ``once``."""
    per_call = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        for _ in range(n):
            once()
        per_call.append((time.perf_counter() - t0) / n * 1e6)
        settle()
    return statistics.median(per_call)


def _atime(n: int, once: Callable[[], Any], settle: Callable[[], None]) -> float:
    async def rounds() -> float:
        per_call = []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            for _ in range(n):
                await once()
            per_call.append((time.perf_counter() - t0) / n * 1e6)
            await asyncio.sleep(0.05)
            settle()
        return statistics.median(per_call)

    return asyncio.run(rounds())


def _parked(n: int, once: Callable[[], Any]) -> float:
    """``_time`` with the callback worker held in a job: only the caller's share."""
    import threading

    from edgequake_litellm.litellm_core_utils.litellm_logging import _submit, flush

    per_call = []
    for _ in range(ROUNDS):
        gate = threading.Event()
        _submit(gate.wait)
        t0 = time.perf_counter()
        for _ in range(n):
            once()
        per_call.append((time.perf_counter() - t0) / n * 1e6)
        gate.set()
        flush()
    return statistics.median(per_call)


def _sdk_provider() -> Any:
    from opentelemetry.sdk.trace import TracerProvider

    return TracerProvider()


def ours(n: int) -> dict[str, dict[str, float]]:
    """µs per call of the hook, by configuration, sync and async."""
    import edgequake_litellm as lib
    from edgequake_litellm._observe import observed
    from edgequake_litellm.integrations.custom_logger import CustomLogger
    from edgequake_litellm.integrations.opentelemetry import OpenTelemetry
    from edgequake_litellm.litellm_core_utils.litellm_logging import flush
    from edgequake_litellm.types.utils import ModelResponse

    response = ModelResponse.model_validate(
        {
            "id": "x",
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
    )
    response._hidden_params = {"response_cost": 1e-6}

    def instant(model: str, messages: Any = None, **kwargs: Any) -> Any:
        return response

    async def ainstant(model: str, messages: Any = None, **kwargs: Any) -> Any:
        return response

    sync_call = observed("completion")(instant)
    async_call = observed("acompletion")(ainstant)
    out: dict[str, dict[str, float]] = {}
    configs = _configs(lib, CustomLogger, lambda: OpenTelemetry(tracer_provider=_sdk_provider()))
    for name, setup in configs.items():
        setup()
        out[name] = {
            "sync": _time(n, lambda: sync_call("openai/gpt-4o-mini", MESSAGES), flush),
            "async": _atime(n, lambda: async_call("openai/gpt-4o-mini", MESSAGES), flush),
            "sync, worker parked": _parked(n, lambda: sync_call("openai/gpt-4o-mini", MESSAGES)),
        }
    configs["no callback"]()
    return out


def litellm_mock(n: int) -> dict[str, dict[str, float]]:
    """µs per ``completion(mock_response=...)`` call of litellm, by configuration."""
    import litellm as lib
    from litellm.integrations.custom_logger import CustomLogger

    lib.telemetry = False
    lib.suppress_debug_info = True

    def otel() -> Any:
        from litellm.integrations.opentelemetry import OpenTelemetry, OpenTelemetryConfig
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

        return OpenTelemetry(config=OpenTelemetryConfig(exporter=InMemorySpanExporter()))

    def settle() -> None:
        time.sleep(0.2)  # litellm's logging threads

    kw = {"model": "openai/gpt-4o-mini", "messages": MESSAGES, "mock_response": "hi"}
    out: dict[str, dict[str, float]] = {}
    for name, setup in _configs(lib, CustomLogger, otel).items():
        try:
            setup()
        except Exception as e:  # an integration that cannot start offline
            print(f"litellm {name}: {e}", file=sys.stderr)
            continue
        out[name] = {
            "sync": _time(n, lambda: lib.completion(**kw), settle),
            "async": _atime(n, lambda: lib.acompletion(**kw), settle),
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=2000, help="calls per round (ours)")
    ap.add_argument("--litellm-calls", type=int, default=200, help="calls per round (litellm)")
    ap.add_argument("--out", default="benches/results/callbacks.json")
    args = ap.parse_args()
    result = {
        "machine_note": (
            f"{os.cpu_count()} cores, shared and loaded (load {os.getloadavg()[0]:.1f})"
        ),
        "edgequake_litellm_hook_us": ours(args.calls),
        "litellm_mock_call_us": litellm_mock(args.litellm_calls),
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
