"""``responses``, ``aresponses``, ``get_responses``, ``delete_responses`` (and
their async forms), as in ``litellm.responses.main``.

OpenAI's Responses API (platform.openai.com/docs/api-reference/responses),
sent natively to the providers that serve ``/responses`` (OpenAI, xAI, Groq,
OpenRouter, LM Studio, vLLM, llama.cpp through ``openai/`` or
``hosted_vllm/``). For every other chat provider (Anthropic, Gemini, Ollama,
Mistral, DeepSeek, ...) the call is bridged onto chat completions in the
native core: input items become chat messages and the answer (or chunk
stream) becomes Response items (or typed events); ``previous_response_id``
and non-function tools are refused there, before any I/O. Response ids are the
provider's own (litellm re-encodes them with the provider and model; see the
README), so ``get_responses`` / ``delete_responses`` take
``custom_llm_provider`` (default ``"openai"``).
"""

from __future__ import annotations

import sys
import time
from typing import Any, Literal, Optional, Union, overload

from .. import _elc_core, _request
from .._endpoints import stamp
from ..types.llms.openai import DeleteResponseResult, ResponsesAPIResponse
from .streaming_iterator import ResponsesAPIStreamingIterator

__all__ = [
    "adelete_responses",
    "aget_responses",
    "aresponses",
    "delete_responses",
    "get_responses",
    "responses",
]


def _prepare(input: Any, model: Any, kwargs: dict[str, Any], stream: bool) -> _request.NativeCall:
    if not isinstance(input, (str, list)):
        raise _request.bad_request(
            f"input must be a string or a list of input items, got {type(input).__name__}",
            str(model),
        )
    body: dict[str, Any] = {"input": input}
    if stream:
        body["stream"] = True
    return _request.prepare(model, kwargs, body)


def _response(raw: bytes, call: _request.NativeCall, started: float) -> ResponsesAPIResponse:
    return stamp(ResponsesAPIResponse.model_validate_json(raw), call, started)


@overload
def responses(
    input: Any, model: str, *, stream: Literal[True], **kwargs: Any
) -> ResponsesAPIStreamingIterator: ...
@overload
def responses(
    input: Any, model: str, *, stream: Literal[False, None] = None, **kwargs: Any
) -> ResponsesAPIResponse: ...
@overload
def responses(
    input: Any, model: str, *, stream: Optional[bool], **kwargs: Any
) -> Union[ResponsesAPIResponse, ResponsesAPIStreamingIterator]: ...
def responses(
    input: Any, model: str, *, stream: Optional[bool] = None, **kwargs: Any
) -> Union[ResponsesAPIResponse, ResponsesAPIStreamingIterator]:
    """Create a model response (litellm's ``responses``).

    Args:
        input: a string, or a list of input items (``{"role": "user",
            "content": ...}`` messages, ``function_call`` /
            ``function_call_output`` items, ``reasoning`` items).
        model: ``"provider/model-id"`` or a bare OpenAI model name.
        stream: when true, return a ``ResponsesAPIStreamingIterator`` of typed
            events; HTTP errors raise here, an ``error`` event while iterating.
        OpenAI parameters, sent as given: instructions, tools, tool_choice,
            parallel_tool_calls, previous_response_id, reasoning
            (``{"effort": ..., "summary": ...}``), store, include, text,
            max_output_tokens (tokens), temperature, top_p, truncation,
            metadata, user, background, prompt.
        Call options: as ``completion`` (api_key, api_base, timeout in
            seconds, num_retries, extra_headers, extra_body, ssl_verify,
            custom_llm_provider).

    Returns:
        ``ResponsesAPIResponse`` (validates as ``openai.types.responses.Response``),
        or the stream iterator.

    Raises:
        BadRequestError: bad ``input``, a provider with neither ``/responses``
            nor chat, or (bridged) ``previous_response_id`` or a non-function
            tool, before any I/O; otherwise the classes ``completion`` raises,
            mapped from the provider's status and error code.
    """
    started = time.perf_counter()
    try:
        call = _prepare(input, model, kwargs, bool(stream))
        if stream:
            native = _elc_core.stream("responses", *call.args())
            return ResponsesAPIStreamingIterator(native, call.model, call.provider)
        raw = _elc_core.call("responses", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return _response(raw, call, started)


@overload
async def aresponses(
    input: Any, model: str, *, stream: Literal[True], **kwargs: Any
) -> ResponsesAPIStreamingIterator: ...
@overload
async def aresponses(
    input: Any, model: str, *, stream: Literal[False, None] = None, **kwargs: Any
) -> ResponsesAPIResponse: ...
@overload
async def aresponses(
    input: Any, model: str, *, stream: Optional[bool], **kwargs: Any
) -> Union[ResponsesAPIResponse, ResponsesAPIStreamingIterator]: ...
async def aresponses(
    input: Any, model: str, *, stream: Optional[bool] = None, **kwargs: Any
) -> Union[ResponsesAPIResponse, ResponsesAPIStreamingIterator]:
    """Async ``responses``: same arguments, returns and exceptions (``async for``
    over the stream)."""
    started = time.perf_counter()
    try:
        call = _prepare(input, model, kwargs, bool(stream))
        if stream:
            native = await _elc_core.astream("responses", *call.args())
            return ResponsesAPIStreamingIterator(native, call.model, call.provider)
        raw = await _elc_core.acall("responses", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return _response(raw, call, started)


def _stored(response_id: Any, kwargs: dict[str, Any]) -> _request.NativeCall:
    if not isinstance(response_id, str) or not response_id:
        raise _request.bad_request(f"response_id must be a non-empty string, got {response_id!r}")
    provider = kwargs.pop("custom_llm_provider", None) or "openai"
    return _request.prepare(f"{provider}/", kwargs, {"response_id": response_id})


def get_responses(response_id: str, **kwargs: Any) -> ResponsesAPIResponse:
    """Retrieve a stored response (``GET /responses/{id}``; litellm's ``get_responses``).

    Args:
        response_id: the id a ``responses`` call returned.
        custom_llm_provider: the provider that stored it (default ``"openai"``).
        Call options as ``responses``.

    Raises:
        NotFoundError when the provider has no such response; otherwise as ``responses``.
    """
    started = time.perf_counter()
    try:
        call = _stored(response_id, kwargs)
        raw = _elc_core.call("responses_get", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return _response(raw, call, started)


async def aget_responses(response_id: str, **kwargs: Any) -> ResponsesAPIResponse:
    """Async ``get_responses``."""
    started = time.perf_counter()
    try:
        call = _stored(response_id, kwargs)
        raw = await _elc_core.acall("responses_get", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return _response(raw, call, started)


def delete_responses(response_id: str, **kwargs: Any) -> DeleteResponseResult:
    """Delete a stored response (``DELETE /responses/{id}``; litellm's
    ``delete_responses``). Arguments and errors as ``get_responses``.

    Returns:
        ``DeleteResponseResult`` with ``id``, ``object`` and ``deleted``.
    """
    try:
        call = _stored(response_id, kwargs)
        raw = _elc_core.call("responses_delete", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return DeleteResponseResult.model_validate_json(raw)


async def adelete_responses(response_id: str, **kwargs: Any) -> DeleteResponseResult:
    """Async ``delete_responses``."""
    try:
        call = _stored(response_id, kwargs)
        raw = await _elc_core.acall("responses_delete", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return DeleteResponseResult.model_validate_json(raw)


# ``litellm.responses`` is this function, although ``responses`` is also this
# subpackage's name: importing ``edgequake_litellm.responses.main`` directly binds
# the package attribute to the subpackage, so put the function back (litellm's
# ``from .responses.main import *`` in its ``__init__`` has the same effect).
setattr(sys.modules[__name__.rsplit(".", 2)[0]], "responses", responses)  # noqa: B010
