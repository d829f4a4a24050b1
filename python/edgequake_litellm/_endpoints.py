"""Running one non-chat endpoint call (images, audio, moderation, rerank):
the native call with litellm's exception mapping, and the timing and
``_hidden_params`` every returned object carries."""

from __future__ import annotations

import time
from typing import Any, Optional, TypeVar

from . import _elc_core, _request

_T = TypeVar("_T")

#: ``(form field, file name, media type, bytes)``: a multipart upload.
Upload = tuple[str, str, str, bytes]


def prepare(model: Any, kwargs: dict[str, Any], body: dict[str, Any]) -> _request.NativeCall:
    """``_request.prepare``, with a routing failure raised as litellm's exception."""
    try:
        return _request.prepare(model, kwargs, body)
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None


def send(endpoint: str, call: _request.NativeCall, files: Optional[list[Upload]] = None) -> bytes:
    """The response body of ``endpoint``; raises litellm's exception classes."""
    try:
        return _elc_core.call(endpoint, call.provider, call.model, call.body, call.options, files)
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None


async def asend(
    endpoint: str, call: _request.NativeCall, files: Optional[list[Upload]] = None
) -> bytes:
    """Async ``send``."""
    try:
        return await _elc_core.acall(
            endpoint, call.provider, call.model, call.body, call.options, files
        )
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None


def stamp(obj: _T, call: _request.NativeCall, started: float) -> _T:
    """Set ``_hidden_params`` (``custom_llm_provider``, ``api_base``, ``model``)
    and ``_response_ms`` (milliseconds since ``started``) on ``obj``."""
    hidden: dict[str, Any] = {
        "custom_llm_provider": call.provider,
        "api_base": call.api_base,
        "model": call.model,
    }
    obj._hidden_params = hidden  # type: ignore[attr-defined]
    obj._response_ms = (time.perf_counter() - started) * 1000.0  # type: ignore[attr-defined]
    return obj
