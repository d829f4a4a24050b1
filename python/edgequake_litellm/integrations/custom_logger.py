"""litellm's callback base class, ``litellm.integrations.custom_logger.CustomLogger``.

Subclass it, override the hooks you need and register an instance in
``litellm.callbacks`` (or pass ``callbacks=[...]`` to one call). Which hook
runs, when, and where (same contract as litellm's):

- ``log_pre_api_call(model, messages, kwargs)``: before the request is sent,
  on the caller's thread (keep it short); ``async_log_pre_api_call`` for async
  calls, awaited before the request.
- ``log_success_event(kwargs, response_obj, start_time, end_time)``: after a
  sync call's result was handed to the caller, on the callback worker thread.
  For a stream: once, at its end, with the rebuilt ``ModelResponse``.
- ``log_failure_event(kwargs, response_obj, start_time, end_time)``: after a
  sync call failed (``response_obj`` is ``None``; ``kwargs["exception"]`` holds
  the exception). A stream broken by a fault fires it once.
- ``log_post_api_call(kwargs, response_obj, start_time, end_time)``: after the
  provider answered (worker thread; ``response_obj`` is ``None`` and
  ``kwargs["original_response"]`` the answer's JSON, as litellm).
- ``log_stream_event(kwargs, response_obj, start_time, end_time)``: each
  streamed chunk (worker thread), only when overridden.
- ``async_log_success_event`` / ``async_log_failure_event`` /
  ``async_log_stream_event``: the same for ``acompletion`` / ``aembedding``,
  awaited in a task on the caller's event loop.

``kwargs`` holds litellm's keys (``model``, ``messages``, ``optional_params``,
``litellm_params``, ``response_cost``, ``start_time``, ``end_time``,
``standard_logging_object``, ...; see the README's callbacks section);
``start_time`` / ``end_time`` are ``datetime.datetime``. A hook that raises is
logged on ``litellm._logging.verbose_logger`` and never fails the call.
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["CustomLogger"]


class CustomLogger:
    """Base class of litellm callback objects; every hook is a no-op here."""

    def __init__(
        self,
        turn_off_message_logging: bool = False,
        message_logging: bool = True,
        **kwargs: Any,
    ) -> None:
        """``turn_off_message_logging``: accepted for litellm compatibility."""
        self.turn_off_message_logging = turn_off_message_logging
        self.message_logging = message_logging

    # -- sync calls ------------------------------------------------------------

    def log_pre_api_call(self, model: str, messages: Any, kwargs: dict[str, Any]) -> None:
        """Before the request is sent (caller's thread)."""

    def log_post_api_call(
        self, kwargs: dict[str, Any], response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """After the provider answered."""

    def log_stream_event(
        self, kwargs: dict[str, Any], response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """For each streamed chunk (``response_obj`` is the chunk)."""

    def log_success_event(
        self, kwargs: dict[str, Any], response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """After a successful sync call (or the end of a sync stream)."""

    def log_failure_event(
        self, kwargs: dict[str, Any], response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """After a failed sync call (or a sync stream broken by a fault)."""

    # -- async calls -----------------------------------------------------------

    async def async_log_pre_api_call(
        self, model: str, messages: Any, kwargs: dict[str, Any]
    ) -> None:
        """Before the request of an async call is sent (awaited)."""

    async def async_log_stream_event(
        self, kwargs: dict[str, Any], response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """For each chunk of an async stream."""

    async def async_log_success_event(
        self, kwargs: dict[str, Any], response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """After a successful async call (or the end of an async stream)."""

    async def async_log_failure_event(
        self, kwargs: dict[str, Any], response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """After a failed async call (or an async stream broken by a fault)."""

    # -- function callbacks (litellm's adapter for plain functions) -------------

    def log_event(
        self,
        kwargs: dict[str, Any],
        response_obj: Any,
        start_time: Any,
        end_time: Any,
        print_verbose: Any = None,
        callback_func: Optional[Any] = None,
    ) -> None:
        """Call ``callback_func(kwargs, response_obj, start_time, end_time)``."""
        if callback_func is not None:
            callback_func(kwargs, response_obj, start_time, end_time)

    async def async_log_event(
        self,
        kwargs: dict[str, Any],
        response_obj: Any,
        start_time: Any,
        end_time: Any,
        print_verbose: Any = None,
        callback_func: Optional[Any] = None,
    ) -> None:
        """Await (or call) ``callback_func(kwargs, response_obj, start_time, end_time)``."""
        if callback_func is not None:
            out = callback_func(kwargs, response_obj, start_time, end_time)
            if hasattr(out, "__await__"):
                await out
