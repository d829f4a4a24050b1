"""Per-call observation: callbacks, debug logging and the budget check.

Loaded by ``edgequake_litellm._observe`` when a call is observed (a callback
registered, ``litellm.max_budget`` set, or debug logging on); a ``Logging``
object (litellm's name for the per-call record) then follows the call:

- before the request, on the caller's thread: the budget check
  (``BudgetExceededError``), ``input_callback`` functions and
  ``log_pre_api_call`` (``async_log_pre_api_call`` awaited, for async calls) of
  the loggers that override it, and the ``DEBUG`` request line;
- after the result is handed back: one event on the callback worker thread
  (sync calls) or one task on the running loop (async calls) that builds
  litellm's ``kwargs`` and ``standard_logging_object`` and runs
  ``log_post_api_call``, then ``log_success_event`` / function callbacks (or
  the failure ones). A stream reports once, at its end, with the response
  rebuilt by ``stream_chunk_builder``; a stream broken by a fault reports one
  failure.

The worker's queue holds :data:`QUEUE_SIZE` events. When a slow callback lets
it fill up, new events are dropped (the call itself is never slowed), counted
in :func:`dropped_events`, and the first drop is logged as a warning. A
callback that raises is logged on ``verbose_logger`` and swallowed. Pending
events are flushed at interpreter exit for up to :data:`EXIT_FLUSH` seconds.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as _dt
import functools
import inspect
import itertools
import os
import queue
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Awaitable, Iterator
from typing import TYPE_CHECKING, Any, Callable, Optional, cast

from .. import _observe, _request

if TYPE_CHECKING:
    import logging

    from ..integrations.custom_logger import CustomLogger
    from ..streaming import CustomStreamWrapper

__all__ = ["QUEUE_SIZE", "Logging", "dropped_events", "flush", "response_cost", "start"]

_PKG = __package__.rpartition(".")[0] if __package__ else "edgequake_litellm"

#: Events the callback worker holds before new ones are dropped.
QUEUE_SIZE = 10_000
#: Seconds the interpreter waits at exit for pending callback events.
EXIT_FLUSH = 5.0

#: Keyword arguments that are call plumbing, not model parameters
#: (``optional_params`` / ``model_parameters`` leave them out). The provider params
#: (``aws_secret_access_key``, ``azure_ad_token``, ``vertex_credentials``, ...) are left out
#: too: several are secrets, which never reach a callback.
_NOT_PARAMS = (
    _request._CALL_OPTIONS
    | _request._LITELLM_INTERNAL
    | frozenset(_request._PROVIDER_PARAMS)
    | {"messages", "input", "model"}
)
_debug_tags = itertools.count(1)


def _pkg() -> Any:
    return sys.modules[_PKG]


# -- logging, loaded on first need ---------------------------------------------


def _logger() -> logging.Logger:
    from .._logging import verbose_logger

    return verbose_logger


def _swallow(where: str, cb: Any) -> None:
    _logger().exception("LiteLLM callback %r raised in %s (ignored)", cb, where)


# -- the worker ------------------------------------------------------------------


class _Jobs:
    """The worker's queue: a ``SimpleQueue`` (a C deque: no lock round trip per
    event) bounded by the count of jobs queued and not yet finished. Jobs are
    numbered by an ``itertools.count`` (atomic) and finished ones counted by the
    worker alone, so the count never drifts; callers racing may pass the bound
    by a few events."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._numbers = itertools.count(1)
        self.queued = 0  # the highest job number handed out (may lag by a racing put)
        self.done = 0  # written by the worker thread only
        self.jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()

    @property
    def pending(self) -> int:
        """Jobs queued and not finished."""
        return self.queued - self.done

    def put(self, job: Callable[[], None]) -> bool:
        """Queue ``job``; False (and nothing queued) when ``limit`` jobs are pending."""
        if self.queued - self.done >= self.limit:
            return False
        self.queued = max(self.queued, next(self._numbers))
        self.jobs.put(job)
        return True


_queue = _Jobs(QUEUE_SIZE)
_worker_pid = 0
_worker_lock = threading.Lock()
_dropped = 0


def dropped_events() -> int:
    """How many callback events were dropped because the worker's queue was full."""
    return _dropped


def _work(jobs: _Jobs) -> None:
    while True:
        job = jobs.jobs.get()
        try:
            job()
        except Exception:  # a job already isolates each callback; belt and braces
            _swallow("the callback worker", job)
        finally:
            jobs.done += 1


def _submit(job: Callable[[], None]) -> None:
    """Hand ``job`` to the worker thread (started on first use and after a fork)."""
    global _worker_pid, _dropped, _queue
    pid = os.getpid()
    if _worker_pid != pid:
        with _worker_lock:
            if _worker_pid != pid:
                if _worker_pid:  # a forked child: the parent's queue and thread are gone
                    _queue = _Jobs(QUEUE_SIZE)
                else:
                    atexit.register(flush)
                threading.Thread(
                    target=_work, args=(_queue,), name="litellm-callbacks", daemon=True
                ).start()
                _worker_pid = pid
    if not _queue.put(job):
        _dropped += 1
        if _dropped == 1:
            _logger().warning(
                "LiteLLM callbacks: the queue of %d events is full (a slow callback); "
                "dropping events, see litellm_logging.dropped_events()",
                _queue.limit,
            )


def flush(timeout: float = EXIT_FLUSH) -> bool:
    """Wait up to ``timeout`` seconds for queued callback events to run; True if all
    did. Runs at interpreter exit once the worker has started."""
    if _worker_pid != os.getpid():
        return True
    deadline = time.monotonic() + timeout
    while _queue.pending > 0:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.005)
    return True


_tasks: set[asyncio.Task[None]] = set()


def _spawn(coro: Awaitable[None]) -> None:
    """Run ``coro`` as a task on the running loop, kept referenced until done."""
    task = asyncio.get_running_loop().create_task(cast(Any, coro))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


# -- which callbacks apply -------------------------------------------------------


def _custom_logger_cls() -> type[CustomLogger]:
    from ..integrations.custom_logger import CustomLogger

    return CustomLogger


def _resolve(cb: Any) -> Any:
    """A string callback becomes its integration (``"otel"``); others pass through."""
    if isinstance(cb, str):
        from ..integrations.opentelemetry import integration

        return integration(cb)
    return cb


def _overrides(obj: Any, name: str) -> bool:
    base = _custom_logger_cls()
    return getattr(type(obj), name, None) is not getattr(base, name)


class _Callbacks:
    """The callbacks of one call: loggers (``CustomLogger``) and functions."""

    __slots__ = (
        "capturing",
        "failure_fns",
        "hooks",
        "input_fns",
        "loggers",
        "overriding",
        "success_fns",
    )

    def __init__(self, kwargs: dict[str, Any]) -> None:
        pkg = _pkg()
        base = _custom_logger_cls()
        loggers: list[Any] = []
        success: list[Any] = []
        failure: list[Any] = []
        inputs: list[Any] = []

        def add(cb: Any, fns: Optional[list[Any]]) -> None:
            cb = _resolve(cb)
            if isinstance(cb, base):
                if all(cb is not x for x in loggers):
                    loggers.append(cb)
            elif callable(cb) and fns is not None and cb not in fns:
                fns.append(cb)

        for cb in (*pkg.callbacks, *(kwargs.get("callbacks") or ())):
            add(cb, None)
        for cb in (*pkg.success_callback, *pkg._async_success_callback):
            add(cb, success)
        for cb in kwargs.get("success_callback") or ():
            add(cb, success)
        for cb in (*pkg.failure_callback, *pkg._async_failure_callback):
            add(cb, failure)
        for cb in kwargs.get("failure_callback") or ():
            add(cb, failure)
        for cb in pkg.input_callback:
            add(cb, inputs)
        self.loggers = loggers
        self.success_fns = success
        self.failure_fns = failure
        self.input_fns = inputs
        #: Hook name → the loggers that override it (the optional hooks run only for those).
        self.overriding = {
            name: [lg for lg in loggers if _overrides(lg, name)]
            for name in (
                "log_pre_api_call",
                "async_log_pre_api_call",
                "log_post_api_call",
                "log_stream_event",
                "async_log_stream_event",
            )
        }
        #: Loggers that capture the caller's context before the request (OpenTelemetry).
        self.capturing = [lg for lg in loggers if callable(getattr(lg, "capture_parent", None))]
        post = [("log_post_api_call", lg) for lg in self.overriding["log_post_api_call"]]
        #: (async call, success) → the (hook name, logger) pairs of the final event.
        self.hooks = {
            (is_async, ok): post
            + [
                (f"{'async_' if is_async else ''}log_{'success' if ok else 'failure'}_event", lg)
                for lg in loggers
            ]
            for is_async in (False, True)
            for ok in (False, True)
        }


_cache: dict[Any, _Callbacks] = {}


def _callbacks_for(kwargs: dict[str, Any]) -> _Callbacks:
    """The call's ``_Callbacks``, reused while the registered callbacks stay the same."""
    pkg = _pkg()
    key = (
        tuple(pkg.callbacks),
        tuple(pkg.success_callback),
        tuple(pkg._async_success_callback),
        tuple(pkg.failure_callback),
        tuple(pkg._async_failure_callback),
        tuple(pkg.input_callback),
        tuple(kwargs.get("callbacks") or ()),
        tuple(kwargs.get("success_callback") or ()),
        tuple(kwargs.get("failure_callback") or ()),
    )
    try:
        hit = _cache.get(key)
    except TypeError:  # an unhashable callback object
        return _Callbacks(kwargs)
    if hit is None:
        hit = _Callbacks(kwargs)
        if len(_cache) >= 64:
            _cache.clear()
        _cache[key] = hit
    return hit


# -- the per-call record -----------------------------------------------------------


def _now() -> _dt.datetime:
    return _dt.datetime.now()


class Logging:
    """What one call reports to callbacks (litellm's ``Logging`` role).

    ``model_call_details`` is litellm's callback ``kwargs`` dict; it is built
    lazily, off the caller's thread, except when a pre-call hook needs it.
    """

    def __init__(
        self, call_type: str, model: Any, payload: Any, kwargs: dict[str, Any], stream: bool
    ) -> None:
        self.call_type = call_type
        self.is_async = call_type.startswith("a")
        self.is_embedding = call_type.endswith("embedding")
        self.model = model
        self.payload = payload  # messages, or an embedding's input
        self.kwargs = kwargs
        self.stream = stream
        self.start_time = _now()
        self.completion_start_time: Optional[_dt.datetime] = None
        self.callbacks = _callbacks_for(kwargs)
        self._details: Optional[dict[str, Any]] = None
        self._reported = False
        self.debug = _observe.debug_on()
        #: Non-zero when debugging: the native core records this call's events under it.
        self.debug_tag = next(_debug_tags) if self.debug else 0

    @functools.cached_property
    def call_id(self) -> str:
        """litellm's ``litellm_call_id``: the caller's, else a fresh UUID4."""
        return str(self.kwargs.get("litellm_call_id") or uuid.uuid4())

    @functools.cached_property
    def _route(self) -> tuple[Optional[str], str]:
        from .. import _elc_core

        try:
            provider, model_id, _ = _elc_core.route(
                str(self.model), self.kwargs.get("custom_llm_provider")
            )
        except Exception:  # an unknown provider fails the call itself, with its own error
            return None, str(self.model)
        return provider, model_id

    @property
    def provider(self) -> Optional[str]:
        """The provider (``"openai"``, ...), ``None`` when the model names no known one."""
        return self._route[0]

    @property
    def model_id(self) -> str:
        """The model id without the provider prefix."""
        return self._route[1]

    # -- before the request --------------------------------------------------------

    def check_budget(self) -> None:
        """Raise ``BudgetExceededError`` when ``litellm.max_budget`` is already spent."""
        pkg = _pkg()
        if pkg.max_budget and pkg._current_cost >= pkg.max_budget:
            from ..exceptions import BudgetExceededError

            raise BudgetExceededError(pkg._current_cost, pkg.max_budget)

    def _pre_loggers(self, name: str) -> list[Any]:
        return self.callbacks.overriding[name]

    def pre_call(self) -> None:
        """Budget check, ``input_callback``s and ``log_pre_api_call`` (caller's thread)."""
        self.check_budget()
        if self.debug:
            self._log_request()
        for lg in self.callbacks.capturing:
            try:
                lg.capture_parent(self.call_id)
            except Exception:
                _swallow("capture_parent", lg)
        loggers = self._pre_loggers("log_pre_api_call")
        if not (loggers or self.callbacks.input_fns):
            return
        details = self.model_call_details()
        messages = self.payload
        for cb in loggers:
            try:
                cb.log_pre_api_call(self.model_id, messages, details)
            except Exception:
                _swallow("log_pre_api_call", cb)
        for fn in self.callbacks.input_fns:
            try:
                fn(self.model_id, messages, details)
            except Exception:
                _swallow("input_callback", fn)

    async def async_pre_call(self) -> None:
        """``pre_call`` for async calls: ``async_log_pre_api_call`` is awaited."""
        self.pre_call()
        loggers = self._pre_loggers("async_log_pre_api_call")
        for cb in loggers:
            try:
                await cb.async_log_pre_api_call(
                    self.model_id, self.payload, self.model_call_details()
                )
            except Exception:
                _swallow("async_log_pre_api_call", cb)

    def _log_request(self) -> None:
        body_params = sorted(k for k in self.kwargs if k not in _NOT_PARAMS)
        _logger().debug(
            "litellm request: %s model=%s provider=%s api_base=%s stream=%s params=%s",
            self.call_type,
            self.model_id,
            self.provider,
            self.kwargs.get("api_base") or self.kwargs.get("base_url") or _pkg().api_base,
            self.stream,
            body_params,
        )

    # -- after -------------------------------------------------------------------------

    def _log_native(self) -> None:
        """Log the native core's events of this call (request, statuses, retries)."""
        from .. import _elc_core

        for event in _elc_core.take_debug_events(self.debug_tag):
            _logger().debug("litellm %s %s: %s", self.call_type, self.model_id, event)

    def success(self, result: Any) -> None:
        """The call returned ``result`` (a response, or a stream to follow)."""
        end = _now()
        if self.debug_tag:
            self._log_native()
        if self.stream:
            self.completion_start_time = end
            result.logging_obj = self
            return
        self._report(result, None, end)

    def failure(self, exc: BaseException) -> None:
        """The call (or its stream) raised ``exc``."""
        if self.debug_tag:
            self._log_native()
        self._report(None, exc, _now())

    def chunk(self, chunk: Any) -> None:
        """A stream yielded ``chunk``: ``log_stream_event`` for loggers overriding it."""
        name = "async_log_stream_event" if self.is_async else "log_stream_event"
        loggers = self._pre_loggers(name)
        if not loggers:
            return
        now = _now()
        if self.is_async:
            _spawn(self._run_async([(name, lg) for lg in loggers], [], chunk, now, None))
        else:
            _submit(
                functools.partial(
                    self._run_sync, [(name, lg) for lg in loggers], [], chunk, now, None
                )
            )

    def stream_end(self, stream: CustomStreamWrapper) -> None:
        """The stream ended normally: report the rebuilt response once."""
        end = _now()

        def rebuild() -> Any:
            from ..utils import stream_chunk_builder

            return stream_chunk_builder(stream.chunks, messages=self.payload)

        self._report(rebuild, None, end)

    def _report(self, result: Any, exc: Optional[BaseException], end: _dt.datetime) -> None:
        if self._reported:
            return
        self._reported = True
        if self.debug:
            self._log_result(exc, end)
        if exc is None and _pkg().max_budget:
            self._spend(result)
        cb = self.callbacks
        ok = exc is None
        fns = cb.success_fns if ok else cb.failure_fns
        calls = cb.hooks[self.is_async, ok]
        if not (calls or fns):
            return
        if self.is_async:
            try:
                _spawn(self._run_async(calls, fns, result, end, exc))
                return
            except RuntimeError:  # no running loop (the call's loop is gone)
                pass
        _submit(functools.partial(self._run_sync, calls, fns, result, end, exc))

    def _spend(self, result: Any) -> None:
        """Add the call's cost to ``litellm._current_cost`` (for ``max_budget``)."""
        if callable(result):  # a stream: the cost is known once the response is rebuilt
            return
        cost = response_cost(result, self.model_id, self.provider)
        if cost:
            pkg = _pkg()
            pkg._current_cost += cost

    def _log_result(self, exc: Optional[BaseException], end: _dt.datetime) -> None:
        ms = (end - self.start_time).total_seconds() * 1000.0
        if exc is None:
            _logger().debug("litellm %s %s: ok in %.1f ms", self.call_type, self.model_id, ms)
        else:
            _logger().debug(
                "litellm %s %s: %s after %.1f ms (status %s)",
                self.call_type,
                self.model_id,
                type(exc).__name__,
                ms,
                getattr(exc, "status_code", None),
            )

    # -- building litellm's kwargs (worker thread / task) ----------------------------

    def model_call_details(self) -> dict[str, Any]:
        """litellm's callback ``kwargs`` before the call (no result fields yet)."""
        if self._details is not None:
            return self._details
        kw = self.kwargs
        optional = {k: v for k, v in kw.items() if k not in _NOT_PARAMS and v is not None}
        if self.stream:
            optional["stream"] = True
        metadata = kw.get("metadata")
        api_base = kw.get("api_base") or kw.get("base_url") or _pkg().api_base
        litellm_params = {
            "metadata": metadata,
            "litellm_metadata": kw.get("litellm_metadata"),
            "api_base": api_base,
            "custom_llm_provider": self.provider,
            "litellm_call_id": self.call_id,
            "litellm_trace_id": kw.get("litellm_trace_id"),
            "acompletion": self.call_type == "acompletion",
            "aembedding": self.call_type == "aembedding",
            "stream_response": {},
            "model_info": kw.get("model_info"),
            "proxy_server_request": kw.get("proxy_server_request"),
            "preset_cache_key": None,
            "no-log": kw.get("no-log", False),
            "timeout": kw.get("timeout") or kw.get("request_timeout"),
            "max_retries": kw.get("num_retries", kw.get("max_retries")),
            "drop_params": kw.get("drop_params"),
            "ssl_verify": kw.get("ssl_verify"),
            "logger_fn": kw.get("logger_fn"),
        }
        self._details = {
            "model": self.model_id,
            "messages": _embedding_messages(self.payload) if self.is_embedding else self.payload,
            "input": _as_list(self.payload) if self.is_embedding else self.payload,
            "optional_params": optional,
            "litellm_params": litellm_params,
            "litellm_call_id": self.call_id,
            "litellm_trace_id": kw.get("litellm_trace_id"),
            "call_type": self.call_type,
            "stream": self.stream,
            "stream_options": kw.get("stream_options"),
            "user": kw.get("user"),
            "custom_llm_provider": self.provider,
            "start_time": self.start_time,
            "api_call_start_time": self.start_time,
            "completion_start_time": None,
            "standard_callback_dynamic_params": {},
            "applied_guardrails": [],
            "additional_args": {},
            "log_event_type": "pre_api_call",
        }
        return self._details

    def _finish_details(
        self, result: Any, exc: Optional[BaseException], end: _dt.datetime
    ) -> dict[str, Any]:
        d = self.model_call_details()
        d["end_time"] = end
        d["completion_start_time"] = self.completion_start_time or end
        d["llm_api_duration_ms"] = (end - self.start_time).total_seconds() * 1000.0
        # litellm: True when the response was served from the cache, else unset (None).
        hit = (getattr(result, "_hidden_params", None) or {}).get("cache_hit") is True
        d["cache_hit"] = True if hit else None
        if exc is None:
            d["log_event_type"] = "successful_api_call"
            d["original_response"] = _json_text(result)
            d["response_cost"] = response_cost(result, self.model_id, self.provider)
            if self.stream:
                d["complete_streaming_response"] = result
                key = "async_complete_streaming_response" if self.is_async else None
                if key:
                    d[key] = result
        else:
            d["log_event_type"] = "failed_api_call"
            d["exception"] = exc
            d["traceback_exception"] = "".join(
                traceback.format_exception(type(exc), exc, exc.__traceback__)
            )
            d["original_response"] = str(exc)
            d["response_cost"] = 0.0
        from .logging_payload import standard_logging_object

        d["standard_logging_object"] = standard_logging_object(self, d, result, exc, end)
        return d

    def _prepare(
        self, result: Any, exc: Optional[BaseException], end: _dt.datetime
    ) -> tuple[Any, dict[str, Any]]:
        if callable(result) and not hasattr(result, "choices"):  # a stream's rebuild
            result = result()
            if result is not None and _pkg().max_budget:
                cost = response_cost(result, self.model_id, self.provider)
                if cost:
                    _pkg()._current_cost += cost
        return result, self._finish_details(result, exc, end)

    def _hooks(
        self,
        calls: list[tuple[str, Any]],
        fns: list[Any],
        result: Any,
        end: _dt.datetime,
        exc: Optional[BaseException],
    ) -> Iterator[tuple[str, Any, Callable[[], Any]]]:
        """Each callback of an event as ``(where, callback, run)``; ``run()`` may
        return an awaitable (an async hook)."""
        if calls and calls[0][0].endswith("stream_event"):
            details = self.model_call_details()
        else:
            result, details = self._prepare(result, exc, end)
        args = (details, result, self.start_time, end)
        post = (details, None, self.start_time, end)
        for name, lg in calls:
            yield (
                name,
                lg,
                functools.partial(
                    getattr(lg, name), *(post if name == "log_post_api_call" else args)
                ),
            )
        for fn in fns:
            yield "a function callback", fn, functools.partial(fn, *args)

    def _run_sync(
        self,
        calls: list[tuple[str, Any]],
        fns: list[Any],
        result: Any,
        end: _dt.datetime,
        exc: Optional[BaseException],
    ) -> None:
        for where, cb, run in self._hooks(calls, fns, result, end, exc):
            try:
                out = run()
                if inspect.isawaitable(out):
                    asyncio.run(cast(Any, out))
            except Exception:
                _swallow(where, cb)

    async def _run_async(
        self,
        calls: list[tuple[str, Any]],
        fns: list[Any],
        result: Any,
        end: _dt.datetime,
        exc: Optional[BaseException],
    ) -> None:
        for where, cb, run in self._hooks(calls, fns, result, end, exc):
            try:
                out = run()
                if inspect.isawaitable(out):
                    await out
            except Exception:
                _swallow(where, cb)


def _embedding_messages(value: Any) -> Any:
    """An embedding's input as litellm logs it in ``messages``: one user message per input."""
    return [{"role": "user", "content": x} for x in _as_list(value)]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _json_text(result: Any) -> str:
    dump = getattr(result, "model_dump_json", None)
    return dump() if callable(dump) else ""


def response_cost(result: Any, model: str, provider: Optional[str]) -> Optional[float]:
    """The call's cost in USD: ``_hidden_params["response_cost"]`` when the
    response carries it, else priced from the model map
    (``cost_calculator.response_cost``); ``None`` when the model has no price."""
    if result is None:
        return None
    hidden = getattr(result, "_hidden_params", None) or {}
    cost = hidden.get("response_cost")
    if cost is not None:
        return float(cost)
    from ..cost_calculator import response_cost as priced

    return priced(result, model, provider or "")


def start(call_type: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Logging:
    """The ``Logging`` record of a call made with ``args`` / ``kwargs``."""
    model = args[0] if args else kwargs.get("model")
    key = "input" if call_type.endswith("embedding") else "messages"
    payload = args[1] if len(args) > 1 else kwargs.get(key)
    return Logging(call_type, model, payload, kwargs, bool(kwargs.get("stream")))
