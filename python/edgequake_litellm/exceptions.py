"""litellm's exception classes, and the one table that maps native errors to them.

Every exception carries ``status_code``, ``message``, ``llm_provider``,
``model``, ``retry_after`` (seconds, when the server sent ``retry-after``),
``body`` (the provider's raw error body, redacted of the API key),
``num_retries`` (retries made) and ``litellm_debug_info``. ``str(e)`` reads
``"litellm.<Class>: <Class>: <Provider>Exception - <provider message>"`` as in
litellm (``litellm/exceptions.py``, ``exception_mapping_utils.py``).

With the openai package installed, each class also subclasses openai's class of
the same role, as litellm's do (``except openai.RateLimitError`` catches
``litellm.RateLimitError``; ``isinstance(e, openai.APIConnectionError)`` holds
for a timeout), and ``e.response`` / ``e.request`` are ``httpx`` objects built on
first access (``e.response.status_code``, ``e.response.headers["retry-after"]``).
Without openai the same classes derive from ``Exception``. This module imports
openai, so the package loads it on first use of an exception, not at import.

``APIError`` is the root of every class here (in litellm only of some), so
``except litellm.APIError`` catches any call error. Differences from litellm,
listed in the README's per-provider table (``tests/test_fault_matrix.py``):
403 raises ``PermissionDeniedError`` (litellm: ``APIError`` for OpenAI,
``BadRequestError`` for Gemini), 422 raises ``UnprocessableEntityError`` (a
``BadRequestError`` subclass here, so ``except BadRequestError`` still catches
it), and a refused connection raises ``APIConnectionError`` (litellm's OpenAI
path: ``InternalServerError``).

Under the alias (``sys.modules["litellm"] = edgequake_litellm``) the classes
report ``__module__ == "litellm.exceptions"``; they pickle with and without it.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, Optional, cast

from ._alias import AliasNamed
from ._model_errors import ModelNotMappedError

_openai: Optional[ModuleType]
try:
    _openai = importlib.import_module("openai")
except ImportError:
    _openai = None

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "AuthenticationError",
    "AzureOpenAIError",
    "BadGatewayError",
    "BadRequestError",
    "BudgetExceededError",
    "ContentPolicyViolationError",
    "ContextWindowExceededError",
    "ImageFetchError",
    "InternalServerError",
    "InvalidRequestError",
    "JSONSchemaValidationError",
    "LiteLLMUnknownProvider",
    "MockException",
    "ModelNotMappedError",
    "NotFoundError",
    "OpenAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "RejectedRequestError",
    "RouterRateLimitError",
    "ServiceUnavailableError",
    "Timeout",
    "UnprocessableEntityError",
    "UnsupportedParamsError",
]


def _base(name: str) -> type[Exception]:
    """openai's exception class ``name``, or ``Exception`` without openai."""
    return cast("type[Exception]", getattr(_openai, name)) if _openai is not None else Exception


def _restore(cls: type[APIError], state: dict[str, Any]) -> APIError:
    """Unpickle: a new ``cls`` with ``state`` as its attributes (no constructor run)."""
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("message", ""))
    err.__dict__.update(state)
    return err


class OpenAIError(_base("OpenAIError"), metaclass=AliasNamed):  # type: ignore[misc]
    """litellm's ``OpenAIError`` (openai's ``OpenAIError``): root of openai's SDK errors."""


class APIError(OpenAIError, _base("APIError")):  # type: ignore[misc]
    """Root of every error this library raises for a call (litellm's ``APIError``).

    Args: ``status_code`` (HTTP status, or the class's fixed one), ``message``,
    ``llm_provider`` (e.g. ``"openai"``), ``model`` (provider model id),
    ``retry_after`` (seconds), ``body`` (raw provider error), ``num_retries``,
    ``max_retries``, ``litellm_debug_info``, ``request`` / ``response``
    (``httpx`` objects; built from the status and ``retry_after`` when not given),
    ``provider_specific_fields`` (e.g. Azure's content-filter details).
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
        body: Any = None,
        litellm_debug_info: Optional[str] = None,
        max_retries: Optional[int] = None,
        num_retries: Optional[int] = None,
        response: Any = None,
        request: Any = None,
        provider_specific_fields: Optional[dict[str, Any]] = None,
        **_: Any,
    ) -> None:
        self.status_code = status_code if status_code is not None else self.default_status
        self.provider_specific_fields = provider_specific_fields
        self.message = f"litellm.{type(self).__name__}: {message}"
        self.llm_provider = llm_provider
        self.model = model
        self.retry_after = retry_after
        self.body = body
        self.litellm_debug_info = litellm_debug_info
        self.max_retries = max_retries
        self.num_retries = num_retries
        # openai's attributes (its constructors need httpx objects; we build them lazily).
        self.code: Optional[str] = None
        self.param: Optional[str] = None
        self.type: Optional[str] = None
        self.request_id: Optional[str] = None
        if response is not None:
            self._response = response
        if request is not None:
            self._request = request
        Exception.__init__(self, self.message)

    @property
    def request(self) -> Any:
        """An ``httpx.Request`` (litellm's placeholder ``POST https://api.openai.com/v1``)."""
        req = self.__dict__.get("_request")
        if req is None:
            import httpx

            req = self._request = httpx.Request("POST", "https://api.openai.com/v1")
        return req

    @request.setter
    def request(self, value: Any) -> None:
        self._request = value

    @property
    def response(self) -> Any:
        """An ``httpx.Response`` with ``status_code`` and, when known, ``retry-after``."""
        resp = self.__dict__.get("_response")
        if resp is None:
            import httpx

            headers = {} if self.retry_after is None else {"retry-after": f"{self.retry_after:g}"}
            resp = self._response = httpx.Response(
                self.status_code, headers=headers, request=self.request
            )
        return resp

    @response.setter
    def response(self, value: Any) -> None:
        self._response = value

    def __reduce__(self) -> tuple[Any, ...]:
        state = {k: v for k, v in self.__dict__.items() if k not in ("_request", "_response")}
        return (_restore, (type(self), state))

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


class AuthenticationError(_ProviderFirst, _base("AuthenticationError")):  # type: ignore[misc]
    """401: the API key is missing or wrong."""

    default_status = 401


class PermissionDeniedError(_ProviderFirst, _base("PermissionDeniedError")):  # type: ignore[misc]
    """403: the key may not use this model or resource."""

    default_status = 403


class RateLimitError(_ProviderFirst, _base("RateLimitError")):  # type: ignore[misc]
    """429: too many requests or tokens; see ``retry_after``."""

    default_status = 429


class ServiceUnavailableError(_ProviderFirst, _base("APIStatusError")):  # type: ignore[misc]
    """503 from the provider."""

    default_status = 503


class InternalServerError(_ProviderFirst, _base("InternalServerError")):  # type: ignore[misc]
    """500 from the provider (and Anthropic's 529 ``overloaded_error``, as litellm)."""

    default_status = 500


class BadGatewayError(_ProviderFirst, _base("APIStatusError")):  # type: ignore[misc]
    """502 from the provider or a proxy in front of it."""

    default_status = 502


class APIConnectionError(_ProviderFirst, _base("APIConnectionError")):  # type: ignore[misc]
    """The request did not get an HTTP answer: refused, DNS, TLS, reset, cut stream."""

    default_status = 500


class Timeout(APIConnectionError, _base("APITimeoutError")):  # type: ignore[misc]
    """The call's ``timeout`` (seconds) passed, or the provider answered 408/504."""

    default_status = 408


class APIResponseValidationError(_ProviderFirst, _base("APIResponseValidationError")):  # type: ignore[misc]
    """The provider answered 2xx with a body that is not a valid response."""

    default_status = 500


class JSONSchemaValidationError(APIResponseValidationError):
    """The response does not match the requested JSON schema (litellm's client-side check).

    Args: ``model``, ``llm_provider``, ``raw_response`` (the text), ``schema`` (a JSON string).
    """

    def __init__(
        self, model: str = "", llm_provider: str = "", raw_response: str = "", schema: str = ""
    ) -> None:
        self.raw_response = raw_response
        self.schema = schema
        super().__init__(
            f"Response did not match schema. Raw response: {raw_response}. Schema: {schema}",
            llm_provider,
            model,
        )


class NotFoundError(_ModelFirst, _base("NotFoundError")):  # type: ignore[misc]
    """404: unknown model or endpoint."""

    default_status = 404


class BadRequestError(_ModelFirst, _base("BadRequestError")):  # type: ignore[misc]
    """400: the provider (or our own argument checks, before any I/O) refused the request."""

    default_status = 400


class InvalidRequestError(BadRequestError):
    """litellm's legacy name for a 400 (``(message, model, llm_provider)``)."""


class ImageFetchError(BadRequestError):
    """An image URL in the messages could not be fetched."""


class UnprocessableEntityError(BadRequestError, _base("UnprocessableEntityError")):  # type: ignore[misc]
    """422: the request was well-formed but invalid."""

    default_status = 422


class ContextWindowExceededError(BadRequestError):
    """400: the prompt plus ``max_tokens`` exceed the model's context window."""


class ContentPolicyViolationError(BadRequestError):
    """400: the provider's safety system refused the input or output."""


class RejectedRequestError(BadRequestError):
    """400: the provider rejected the request (litellm's guardrail refusals)."""


class UnsupportedParamsError(BadRequestError):
    """A parameter the provider does not accept, with ``drop_params`` off."""


class BudgetExceededError(Exception):
    """``litellm.max_budget`` is spent: raised before the call, no request sent.

    Attributes: ``current_cost`` and ``max_budget`` (USD), ``message``. As
    litellm's ``BudgetExceededError``, a plain ``Exception`` (not an ``APIError``).
    """

    def __init__(self, current_cost: float, max_budget: float, message: Optional[str] = None):
        self.current_cost = current_cost
        self.max_budget = max_budget
        self.message = message or (
            f"Budget has been exceeded! Current cost: {current_cost}, Max budget: {max_budget}"
        )
        super().__init__(self.message)


class LiteLLMUnknownProvider(BadRequestError):
    """The model names no provider this library knows ("LLM Provider NOT provided")."""


class AzureOpenAIError(_ProviderFirst):
    """litellm's Azure OpenAI error type (``litellm.llms.azure.common_utils``): the status given."""


class MockException(_ProviderFirst):
    """What ``mock_response=<Exception or error string>`` raises when no class fits (litellm's)."""


class RouterRateLimitError(ValueError, metaclass=AliasNamed):
    """Every deployment of a Router model group is cooling down (litellm's).

    Args: ``model`` (the group), ``cooldown_time`` (seconds), ``enable_pre_call_checks``,
    ``cooldown_list`` (deployment ids).
    """

    def __init__(
        self,
        model: str = "",
        cooldown_time: float = 0.0,
        enable_pre_call_checks: bool = False,
        cooldown_list: Optional[list[str]] = None,
    ) -> None:
        self.model = model
        self.cooldown_time = cooldown_time
        self.enable_pre_call_checks = enable_pre_call_checks
        self.cooldown_list = cooldown_list
        super().__init__(
            f"No deployments available for selected model, Try again in {cooldown_time} "
            f"seconds. Passed model={model}. pre-call-checks={enable_pre_call_checks}, "
            f"cooldown_list={cooldown_list}"
        )


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
    azure_filter = cls is ContentPolicyViolationError and provider in ("azure", "azure_ai")
    return cls(
        message=text,
        status_code=status,
        llm_provider=provider,
        model=model,
        retry_after=retry_after,
        body=body,
        num_retries=attempts - 1 if attempts > 1 else None,
        provider_specific_fields=_azure_content_filter_fields(body) if azure_filter else None,
    )


def _azure_content_filter_fields(body: Any) -> dict[str, Any]:
    """litellm's ``provider_specific_fields`` of an Azure content-filter error
    (``AzureOpenAIExceptionMapping.create_content_policy_violation_error``):
    ``innererror`` and ``inner_error`` (Azure's ``innererror``, with its
    ``content_filter_result``) and ``azure_error`` (the whole error object)."""
    import json

    try:
        doc = json.loads(body) if isinstance(body, str) else None
    except ValueError:
        doc = None
    error = doc.get("error", doc) if isinstance(doc, dict) else None
    if not isinstance(error, dict):
        return {"innererror": None, "inner_error": None, "azure_error": None}
    inner = error.get("inner_error") or error.get("innererror")
    return {"innererror": inner, "inner_error": inner, "azure_error": error or None}
