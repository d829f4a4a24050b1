"""``completion``, ``acompletion``, ``embedding`` and ``aembedding``, as in litellm.

Each call checks its arguments, crosses into the native core once with the
OpenAI-shaped request as JSON bytes, and turns the OpenAI-shaped JSON answer
into litellm's objects with one ``model_validate_json``.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Literal, Optional, TypeVar, Union, overload

from . import _elc_core, _request
from .caching.caching_handler import cached
from .cost_calculator import response_cost
from .streaming import CustomStreamWrapper
from .types.utils import EmbeddingResponse, ModelResponse

__all__ = [
    "acompletion",
    "acompletion_with_retries",
    "aembedding",
    "completion",
    "completion_with_retries",
    "embedding",
]

_OPTIONS_DOC = """
    Call options (all optional, litellm's names):
        api_key: the provider key; else ``litellm.api_key``, the provider's
            global (``litellm.openai_key``, ...), then its env var
            (``OPENAI_API_KEY``, ``XAI_API_KEY``, ...).
        api_base / base_url: the provider's base URL, e.g.
            ``"http://127.0.0.1:8080/v1"``; else ``litellm.api_base``, the
            provider's env var (``OPENAI_BASE_URL``/``OPENAI_API_BASE``, ...),
            then its public endpoint.
        timeout / request_timeout: seconds (float) for the whole call; for a
            stream, for the response head and for each gap between chunks.
            Default ``litellm.request_timeout`` (6000 s).
        num_retries / max_retries: retries of 408/409/429/5xx/529 answers and
            connection failures, with exponential backoff and ``retry-after``
            honoured. Default ``litellm.num_retries``, else 2 (litellm's and
            the openai SDK's default).
        extra_headers / headers: dict of extra HTTP headers.
        extra_body: dict merged into the top level of the JSON body.
        drop_params: remove parameters the model is known to reject (xAI's
            reasoning models: ``stop``, ``frequency_penalty``) instead of
            sending them; default ``litellm.drop_params``.
        ssl_verify: ``True`` (system trust store, or ``SSL_CERT_FILE``),
            ``False`` (no verification), or a path to a PEM CA bundle; default
            ``litellm.ssl_verify``. Redirects are followed only within the same
            host, so credentials never reach another host.
        custom_llm_provider: the provider, when ``model`` has no prefix.
    Any other keyword argument is sent in the request body, as litellm does for
    OpenAI-compatible providers; litellm-internal ones (``metadata``,
    ``caching``, ...) are accepted and not sent.
"""


_F = TypeVar("_F", bound=Callable[..., Any])


def _documented(f: _F) -> _F:
    """Fill the shared call-options section into a docstring."""
    f.__doc__ = (f.__doc__ or "").replace("    {call_options}\n", _OPTIONS_DOC)
    return f


def _model_response(raw: bytes, call: _request.NativeCall, started: float) -> ModelResponse:
    resp = ModelResponse.model_validate_json(raw)
    resp._hidden_params = {
        "custom_llm_provider": call.provider,
        "api_base": call.api_base,
        "model_id": None,
        "response_cost": response_cost(resp, call.model, call.provider),
    }
    resp._response_ms = (time.perf_counter() - started) * 1000.0
    return resp


def _mock_completion(
    model: str, messages: list[Any], stream: Optional[bool], kwargs: dict[str, Any]
) -> Union[ModelResponse, CustomStreamWrapper]:
    """``mock_response=`` / ``mock_tool_calls=``: litellm's mock, no I/O (``mock_functions``)."""
    from .litellm_core_utils.mock_functions import mock_completion

    return mock_completion(model, messages, stream=stream, **kwargs)


def _embedding_response(raw: bytes, call: _request.NativeCall, started: float) -> EmbeddingResponse:
    resp = EmbeddingResponse.model_validate_json(raw)
    resp._hidden_params = {"custom_llm_provider": call.provider, "api_base": call.api_base}
    resp._response_ms = (time.perf_counter() - started) * 1000.0
    return resp


@overload
def completion(
    model: str, messages: Optional[list[Any]] = None, *, stream: Literal[True], **kwargs: Any
) -> CustomStreamWrapper: ...
@overload
def completion(
    model: str,
    messages: Optional[list[Any]] = None,
    *,
    stream: Literal[False, None] = None,
    **kwargs: Any,
) -> ModelResponse: ...
@overload
def completion(
    model: str, messages: Optional[list[Any]] = None, *, stream: Optional[bool], **kwargs: Any
) -> Union[ModelResponse, CustomStreamWrapper]: ...
@_documented
@cached("completion")
def completion(
    model: str,
    messages: Optional[list[Any]] = None,
    *,
    stream: Optional[bool] = None,
    **kwargs: Any,
) -> Union[ModelResponse, CustomStreamWrapper]:
    """Create a chat completion (litellm's ``completion``).

    Args:
        model: ``"provider/model-id"`` (``"openai/gpt-4o"``,
            ``"openrouter/meta-llama/llama-3-8b"``) or a bare OpenAI model name.
        messages: OpenAI chat messages (dicts, or message objects from an
            earlier response).
        stream: when true, return a ``CustomStreamWrapper`` yielding
            ``ModelResponseStream`` chunks as they arrive; the call returns once
            the provider answered, so HTTP errors raise here.
        OpenAI parameters: temperature, top_p, n, stop, max_tokens,
            max_completion_tokens, presence_penalty, frequency_penalty,
            logit_bias, seed, user, tools, tool_choice, parallel_tool_calls,
            response_format (a dict, or a pydantic model class that becomes a
            strict ``json_schema``), logprobs, top_logprobs, stream_options,
            reasoning_effort, ...
    {call_options}
    Returns:
        ``ModelResponse`` (or ``CustomStreamWrapper`` when streaming).

    Raises:
        BadRequestError: bad arguments (before any I/O) or a provider 400;
            ``ContextWindowExceededError`` / ``ContentPolicyViolationError``
            for those 400s. AuthenticationError (401, or no key where one is
            needed), PermissionDeniedError (403), NotFoundError (404),
            UnprocessableEntityError (422), RateLimitError (429),
            InternalServerError (500; Anthropic's 529), BadGatewayError (502),
            ServiceUnavailableError (503), Timeout (the timeout passed,
            408, 504), APIConnectionError (no HTTP answer), APIError (other);
            per provider: the README's "Errors" table.
    """
    messages = [] if messages is None else messages
    if kwargs.get("mock_response") is not None or kwargs.get("mock_tool_calls"):
        return _mock_completion(model, messages, stream, kwargs)
    started = time.perf_counter()
    try:
        call = _request.chat(model, messages, kwargs, bool(stream))
        if stream:
            native = _elc_core.stream(*call.args())
            return CustomStreamWrapper(
                native, call.model, call.provider, kwargs.get("stream_options")
            )
        raw = _elc_core.call("chat", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return _model_response(raw, call, started)


@overload
async def acompletion(
    model: str, messages: Optional[list[Any]] = None, *, stream: Literal[True], **kwargs: Any
) -> CustomStreamWrapper: ...
@overload
async def acompletion(
    model: str,
    messages: Optional[list[Any]] = None,
    *,
    stream: Literal[False, None] = None,
    **kwargs: Any,
) -> ModelResponse: ...
@overload
async def acompletion(
    model: str, messages: Optional[list[Any]] = None, *, stream: Optional[bool], **kwargs: Any
) -> Union[ModelResponse, CustomStreamWrapper]: ...
@cached("acompletion")
async def acompletion(
    model: str,
    messages: Optional[list[Any]] = None,
    *,
    stream: Optional[bool] = None,
    **kwargs: Any,
) -> Union[ModelResponse, CustomStreamWrapper]:
    """Async ``completion``: same arguments, returns and exceptions.

    The await runs on the native tokio runtime, not a thread pool; cancelling
    the awaiting task drops the request and closes its connection. With
    ``stream=True`` it returns the ``CustomStreamWrapper`` to ``async for`` over.
    """
    messages = [] if messages is None else messages
    if kwargs.get("mock_response") is not None or kwargs.get("mock_tool_calls"):
        return _mock_completion(model, messages, stream, kwargs)
    started = time.perf_counter()
    try:
        call = _request.chat(model, messages, kwargs, bool(stream))
        if stream:
            native = await _elc_core.astream(*call.args())
            return CustomStreamWrapper(
                native, call.model, call.provider, kwargs.get("stream_options")
            )
        raw = await _elc_core.acall("chat", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return _model_response(raw, call, started)


@_documented
@cached("embedding")
def embedding(model: str, input: Any = None, **kwargs: Any) -> EmbeddingResponse:
    """Create embeddings (litellm's ``embedding``).

    Args:
        model: ``"provider/model-id"`` or a bare OpenAI embedding model name.
        input: a string or a non-empty list of strings (or token-id lists).
        dimensions, encoding_format, user: OpenAI parameters, passed through.
    {call_options}
    Returns:
        ``EmbeddingResponse`` with ``data[i].embedding`` (floats) in input
        order, ``model`` and ``usage`` (tokens).

    Raises:
        The same classes as ``completion``.
    """
    if kwargs.get("mock_response") is not None:
        from .litellm_core_utils.mock_functions import mock_embedding

        return mock_embedding(model, kwargs["mock_response"])
    started = time.perf_counter()
    try:
        call = _request.embedding(model, input, kwargs)
        raw = _elc_core.call("embedding", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return _embedding_response(raw, call, started)


@cached("aembedding")
async def aembedding(model: str, input: Any = None, **kwargs: Any) -> EmbeddingResponse:
    """Async ``embedding``: same arguments, returns and exceptions."""
    if kwargs.get("mock_response") is not None:
        from .litellm_core_utils.mock_functions import mock_embedding

        return mock_embedding(model, kwargs["mock_response"])
    started = time.perf_counter()
    try:
        call = _request.embedding(model, input, kwargs)
        raw = await _elc_core.acall("embedding", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return _embedding_response(raw, call, started)


def completion_with_retries(*args: Any, **kwargs: Any) -> Any:
    """``completion`` with ``num_retries`` attempts in all (default 3), as litellm's.

    litellm re-runs the whole call on any exception (tenacity); here the native core retries
    what can succeed on a retry (408/409/429/5xx, connection failures, with backoff and
    ``retry-after``) and a 400 or 401 is raised at once. ``retry_strategy`` is accepted.
    """
    attempts = kwargs.pop("num_retries", 3)
    kwargs.pop("retry_strategy", None)
    kwargs.pop("original_function", None)
    return completion(*args, num_retries=max(int(attempts) - 1, 0), **kwargs)


async def acompletion_with_retries(*args: Any, **kwargs: Any) -> Any:
    """Async ``completion_with_retries``: same arguments and retry rules."""
    attempts = kwargs.pop("num_retries", 3)
    kwargs.pop("retry_strategy", None)
    kwargs.pop("original_function", None)
    return await acompletion(*args, num_retries=max(int(attempts) - 1, 0), **kwargs)
