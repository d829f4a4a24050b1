"""litellm's exception classes, and the one table that maps native errors to them.

Every exception carries ``status_code``, ``message``, ``llm_provider``,
``model``, ``retry_after`` (seconds, when the server sent ``retry-after``),
``body`` (the provider's raw error body, redacted of the API key),
``num_retries`` (retries made) and ``litellm_debug_info``. ``str(e)`` reads
``"litellm.<Class>: <Class>: <Provider>Exception - <provider message>"`` as in
litellm (``litellm/exceptions.py``, ``exception_mapping_utils.py``).

The hierarchy mirrors openai's, which litellm subclasses: ``APIError`` is the
root (openai's ``APIError`` role), ``Timeout`` is an ``APIConnectionError``,
and the 4xx refinements are ``BadRequestError`` subclasses. Differences from
litellm, listed in the README's per-provider table (``tests/test_fault_matrix.py``):
403 raises ``PermissionDeniedError`` (litellm: ``APIError`` for OpenAI,
``BadRequestError`` for Gemini), 422 raises ``UnprocessableEntityError`` (a
``BadRequestError`` subclass here, so ``except BadRequestError`` still catches
it), and a refused connection raises ``APIConnectionError`` (litellm's OpenAI
path: ``InternalServerError``).
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "AuthenticationError",
    "BadGatewayError",
    "BadRequestError",
    "ContentPolicyViolationError",
    "ContextWindowExceededError",
    "InternalServerError",
    "ModelNotMappedError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServiceUnavailableError",
    "Timeout",
    "UnprocessableEntityError",
    "UnsupportedParamsError",
]


class APIError(Exception):
    """Root of every error this library raises for a call (litellm's ``APIError``).

    Args: ``status_code`` (HTTP status, or the class's fixed one), ``message``,
    ``llm_provider`` (e.g. ``"openai"``), ``model`` (provider model id),
    ``retry_after`` (seconds), ``body`` (raw provider error), ``num_retries``,
    ``max_retries`` and ``litellm_debug_info`` as in litellm.
    """

    default_status: int = 500

    def __init__(
        self,
        status_code: Optional[int] = None,
        message: str = "",
        llm_provider: str = "",
        model: str = "",
        *,
        retry_after: Optional[float] = None,
        body: Optional[str] = None,
        litellm_debug_info: Optional[str] = None,
        max_retries: Optional[int] = None,
        num_retries: Optional[int] = None,
        response: Any = None,
        **_: Any,
    ) -> None:
        self.status_code = status_code if status_code is not None else self.default_status
        self.message = f"litellm.{type(self).__name__}: {message}"
        self.llm_provider = llm_provider
        self.model = model
        self.retry_after = retry_after
        self.body = body
        self.litellm_debug_info = litellm_debug_info
        self.max_retries = max_retries
        self.num_retries = num_retries
        self.response = response
        super().__init__(self.message)

    def __str__(self) -> str:
        text = self.message
        if self.num_retries:
            text += f" LiteLLM Retried: {self.num_retries} times"
        if self.max_retries:
            text += f", LiteLLM Max Retries: {self.max_retries}"
        return text

    def __repr__(self) -> str:
        return str(self)


class _ProviderFirst(APIError):
    """litellm's ``(message, llm_provider, model, ...)`` constructor order."""

    def __init__(
        self, message: str = "", llm_provider: str = "", model: str = "", **kwargs: Any
    ) -> None:
        status = kwargs.pop("status_code", None)
        super().__init__(status, message, llm_provider, model, **kwargs)


class _ModelFirst(APIError):
    """litellm's ``(message, model, llm_provider, ...)`` constructor order."""

    def __init__(
        self, message: str = "", model: str = "", llm_provider: str = "", **kwargs: Any
    ) -> None:
        status = kwargs.pop("status_code", None)
        super().__init__(status, message, llm_provider, model, **kwargs)


class AuthenticationError(_ProviderFirst):
    """401: the API key is missing or wrong."""

    default_status = 401


class PermissionDeniedError(_ProviderFirst):
    """403: the key may not use this model or resource."""

    default_status = 403


class RateLimitError(_ProviderFirst):
    """429: too many requests or tokens; see ``retry_after``."""

    default_status = 429


class ServiceUnavailableError(_ProviderFirst):
    """503 from the provider."""

    default_status = 503


class InternalServerError(_ProviderFirst):
    """500 from the provider (and Anthropic's 529 ``overloaded_error``, as litellm)."""

    default_status = 500


class BadGatewayError(_ProviderFirst):
    """502 from the provider or a proxy in front of it."""

    default_status = 502


class APIConnectionError(_ProviderFirst):
    """The request did not get an HTTP answer: refused, DNS, TLS, reset, cut stream."""

    default_status = 500


class Timeout(APIConnectionError):
    """The call's ``timeout`` (seconds) passed, or the provider answered 408/504."""

    default_status = 408


class APIResponseValidationError(_ProviderFirst):
    """The provider answered 2xx with a body that is not a valid response."""

    default_status = 500


class NotFoundError(_ModelFirst):
    """404: unknown model or endpoint."""

    default_status = 404


class BadRequestError(_ModelFirst):
    """400: the provider (or our own argument checks, before any I/O) refused the request."""

    default_status = 400


class UnprocessableEntityError(BadRequestError):
    """422: the request was well-formed but invalid."""

    default_status = 422


class ContextWindowExceededError(BadRequestError):
    """400: the prompt plus ``max_tokens`` exceed the model's context window."""


class ContentPolicyViolationError(BadRequestError):
    """400: the provider's safety system refused the input or output."""


class UnsupportedParamsError(BadRequestError):
    """A parameter the provider does not accept, with ``drop_params`` off."""


class ModelNotMappedError(Exception):
    """The model map has no entry for a model (``get_model_info``, ``completion_cost``);
    a plain ``Exception`` subclass, as in litellm 1.109."""


_BY_KIND: dict[str, type[APIError]] = {
    "authentication": AuthenticationError,
    "permission_denied": PermissionDeniedError,
    "not_found": NotFoundError,
    "bad_request": BadRequestError,
    "unsupported_params": UnsupportedParamsError,
    "context_window_exceeded": ContextWindowExceededError,
    "content_policy": ContentPolicyViolationError,
    "unprocessable_entity": UnprocessableEntityError,
    "rate_limit": RateLimitError,
    "timeout": Timeout,
    "connection": APIConnectionError,
    "service_unavailable": ServiceUnavailableError,
    "internal_server": InternalServerError,
    "bad_gateway": BadGatewayError,
    "api_error": APIError,
    "response_validation": APIResponseValidationError,
}


def _provider_title(provider: str) -> str:
    """litellm's ``exception_provider``: ``OpenAIException``, ``XaiException``, ..."""
    if provider == "openai":
        return "OpenAIException"
    return f"{provider[:1].upper()}{provider[1:]}Exception"


def from_native(err: BaseException) -> APIError:
    """Build litellm's exception for a native ``ProviderError``.

    ``err.args`` is ``(kind, status_code, message, llm_provider, model,
    retry_after, body, attempts)`` as raised by ``_elc_core``.
    """
    kind, status, message, provider, model, retry_after, body, attempts = err.args
    cls = _BY_KIND.get(kind, APIError)
    text = f"{cls.__name__}: {_provider_title(provider)} - {message}" if provider else message
    return cls(
        message=text,
        status_code=status,
        llm_provider=provider,
        model=model,
        retry_after=retry_after,
        body=body,
        num_retries=attempts - 1 if attempts > 1 else None,
    )


def bad_request(message: str, model: str = "", llm_provider: str = "") -> BadRequestError:
    """A ``BadRequestError`` for an argument refused before any network call."""
    return BadRequestError(message, model, llm_provider)
