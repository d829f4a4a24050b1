"""OpenTelemetry traces of litellm calls (``litellm.callbacks = ["otel"]``).

Needs ``opentelemetry-api`` (``pip install 'edgequake-litellm[otel]'``) and
whatever SDK/exporter the application configures; spans go to the global
tracer provider unless ``OpenTelemetry(tracer_provider=...)`` names one.

One ``CLIENT`` span per call, named and attributed by the OpenTelemetry GenAI
semantic conventions: name ``"{gen_ai.operation.name} {gen_ai.request.model}"``
(``"chat gpt-4o"``, ``"embeddings text-embedding-3-small"``), attributes
``gen_ai.operation.name``, ``gen_ai.provider.name``, ``gen_ai.request.model``,
``gen_ai.request.temperature`` / ``max_tokens`` / ``top_p`` when given,
``gen_ai.response.model``, ``gen_ai.response.id``,
``gen_ai.response.finish_reasons``, ``gen_ai.usage.input_tokens`` /
``output_tokens``, ``server.address`` / ``server.port``; a failed call has
status ``ERROR`` and ``error.type`` (the exception class). The span covers the
call from its start to its result (a stream: to its last chunk) and is a child
of the span current where the call was made, sync or async: the caller's
context is captured before the request and the span is recorded afterwards,
off the caller's thread. Message contents are not recorded.

Other litellm integration names (``"langfuse"``, ``"datadog"``, ...) are not
built in: :func:`integration` raises ``ValueError`` pointing at OpenTelemetry,
which most of those backends ingest (OTLP).
"""

from __future__ import annotations

import datetime as _dt
import threading
from typing import Any, Optional
from urllib.parse import urlsplit

from .custom_logger import CustomLogger

__all__ = ["OpenTelemetry", "integration"]

_NAMES = frozenset({"otel", "opentelemetry"})

#: Our provider names → ``gen_ai.provider.name`` well-known values.
_PROVIDER = {
    "gemini": "gcp.gemini",
    "xai": "x_ai",
    "mistral": "mistral_ai",
    "bedrock": "aws.bedrock",
    "azure": "azure.ai.openai",
}


def _ns(t: _dt.datetime) -> int:
    return int(t.timestamp() * 1e9)


class OpenTelemetry(CustomLogger):
    """A ``CustomLogger`` that records each call as an OpenTelemetry span.

    Args:
        tracer_provider: an ``opentelemetry.trace.TracerProvider``; default the
            global one (``opentelemetry.trace.get_tracer_provider()``).

    Raises:
        ImportError: ``opentelemetry-api`` is not installed.
    """

    def __init__(self, tracer_provider: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        try:
            from opentelemetry import context, trace
        except ImportError as e:
            raise ImportError(
                "the 'otel' callback needs opentelemetry-api: "
                "pip install 'edgequake-litellm[otel]' (or opentelemetry-api)"
            ) from e
        self._context = context
        self._trace = trace
        self._provider = tracer_provider
        self._parents: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _tracer(self) -> Any:
        from .. import __version__

        provider = self._provider or self._trace.get_tracer_provider()
        return provider.get_tracer("edgequake_litellm", __version__)

    # -- capture the caller's context before the request --------------------------

    def capture_parent(self, call_id: str) -> None:
        """Before the request, in the caller's thread or task: remember its current
        context (its span becomes the parent). Called with the call's
        ``litellm_call_id`` only, so the call's ``kwargs`` are not built there."""
        with self._lock:
            self._parents[call_id] = self._context.get_current()

    # -- record the span -----------------------------------------------------------

    def _record(self, kwargs: dict[str, Any], response: Any, start: Any, end: Any) -> None:
        with self._lock:
            parent = self._parents.pop(kwargs.get("litellm_call_id", ""), None)
        slo = kwargs.get("standard_logging_object") or {}
        embedding = str(kwargs.get("call_type", "")).endswith("embedding")
        operation = "embeddings" if embedding else "chat"
        model = kwargs.get("model") or ""
        provider = kwargs.get("custom_llm_provider") or ""
        attrs: dict[str, Any] = {
            "gen_ai.operation.name": operation,
            "gen_ai.provider.name": _PROVIDER.get(provider, provider),
            "gen_ai.request.model": model,
        }
        params = kwargs.get("optional_params") or {}
        for key, name in (
            ("temperature", "gen_ai.request.temperature"),
            ("max_tokens", "gen_ai.request.max_tokens"),
            ("max_completion_tokens", "gen_ai.request.max_tokens"),
            ("top_p", "gen_ai.request.top_p"),
        ):
            if isinstance(params.get(key), (int, float)):
                attrs[name] = params[key]
        base = slo.get("api_base") or ""
        if base:
            parts = urlsplit(base)
            if parts.hostname:
                attrs["server.address"] = parts.hostname
            if parts.port:
                attrs["server.port"] = parts.port
        exc: Optional[BaseException] = kwargs.get("exception")
        if response is not None:
            if getattr(response, "model", None):
                attrs["gen_ai.response.model"] = response.model
            if not embedding and getattr(response, "id", None):
                attrs["gen_ai.response.id"] = response.id
            reasons = [
                c.finish_reason for c in getattr(response, "choices", None) or [] if c.finish_reason
            ]
            if reasons:
                attrs["gen_ai.response.finish_reasons"] = reasons
            attrs["gen_ai.usage.input_tokens"] = int(slo.get("prompt_tokens") or 0)
            if not embedding:
                attrs["gen_ai.usage.output_tokens"] = int(slo.get("completion_tokens") or 0)
        if exc is not None:
            attrs["error.type"] = type(exc).__name__
        span = self._tracer().start_span(
            f"{operation} {model}",
            context=parent,
            kind=self._trace.SpanKind.CLIENT,
            attributes=attrs,
            start_time=_ns(start),
        )
        if exc is not None:
            span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, str(exc)))
        span.end(end_time=_ns(end))

    def log_success_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """Record the span of a successful sync call."""
        self._record(kwargs, response_obj, start_time, end_time)

    def log_failure_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """Record the span of a failed sync call."""
        self._record(kwargs, None, start_time, end_time)

    async def async_log_success_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """Record the span of a successful async call."""
        self._record(kwargs, response_obj, start_time, end_time)

    async def async_log_failure_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        """Record the span of a failed async call."""
        self._record(kwargs, None, start_time, end_time)


_instance: Optional[OpenTelemetry] = None
_instance_lock = threading.Lock()


def integration(name: str) -> CustomLogger:
    """The built-in logger of a string callback: ``"otel"`` / ``"opentelemetry"``
    (one shared ``OpenTelemetry`` on the global tracer provider).

    Raises:
        ValueError: any other name (litellm's ``"langfuse"``, ``"datadog"``, ...).
        ImportError: ``opentelemetry-api`` is not installed.
    """
    global _instance
    if name.lower() not in _NAMES:
        raise ValueError(
            f'callback {name!r} is not built into edgequake-litellm: use "otel" '
            "(OpenTelemetry; most tracing backends, Langfuse and Datadog included, ingest "
            "OTLP) or a CustomLogger subclass"
        )
    with _instance_lock:
        if _instance is None:
            _instance = OpenTelemetry()
        return _instance
