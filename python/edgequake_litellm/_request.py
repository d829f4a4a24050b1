"""Turning litellm's keyword arguments into one native call.

Checks arguments (raising litellm's ``BadRequestError`` before any I/O),
resolves configuration in litellm's order (per-call argument, then module
global, then, in Rust, environment variable and provider default), and builds
the OpenAI-shaped JSON body.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Union

from pydantic import BaseModel

from . import _elc_core
from ._settings import config
from .litellm_core_utils.get_supported_openai_params import check_params

if TYPE_CHECKING:
    from .exceptions import APIError, BadRequestError


def bad_request(message: str, model: str = "", llm_provider: str = "") -> BadRequestError:
    """A ``BadRequestError`` for an argument refused before any network call."""
    from .exceptions import BadRequestError  # loads openai when installed: not at import

    return BadRequestError(message, model, llm_provider)


def native_error(err: BaseException) -> APIError:
    """litellm's exception for a native ``ProviderError`` (``exceptions.from_native``)."""
    from .exceptions import from_native

    return from_native(err)


#: Default retries when neither the call nor ``litellm.num_retries`` sets one:
#: litellm's ``DEFAULT_MAX_RETRIES`` (the openai SDK's ``max_retries``).
DEFAULT_MAX_RETRIES = 2

#: Keyword arguments that configure the call rather than go into the body.
_CALL_OPTIONS = frozenset(
    {
        "api_key",
        "api_base",
        "base_url",
        "timeout",
        "request_timeout",
        "num_retries",
        "max_retries",
        "extra_headers",
        "headers",
        "drop_params",
        "ssl_verify",
        "custom_llm_provider",
        "extra_body",
        "stream",
        "allowed_openai_params",
        "additional_drop_params",
    }
)

#: Provider-specific keyword arguments, by litellm's names, sent to the core as
#: ``options["params"]`` (strings; dicts as JSON) instead of in the body. An alias
#: litellm also accepts maps to the one name the adapters read.
_PROVIDER_PARAMS: dict[str, str] = {
    # Azure OpenAI / Azure AI Foundry (``azure_ad_token_provider`` is called here:
    # its token is sent as ``azure_ad_token``; ``base_model`` names the model a
    # deployment serves, for the request quirks and for pricing; the Entra ID
    # credentials are exchanged for a token by the core)
    "api_version": "api_version",
    "azure_ad_token": "azure_ad_token",
    "azure_ad_token_provider": "azure_ad_token",
    "base_model": "base_model",
    "tenant_id": "tenant_id",
    "client_id": "client_id",
    "client_secret": "client_secret",
    "azure_username": "azure_username",
    "azure_password": "azure_password",
    "azure_scope": "azure_scope",
    # Vertex AI
    "vertex_project": "vertex_project",
    "vertex_ai_project": "vertex_project",
    "vertex_location": "vertex_location",
    "vertex_ai_location": "vertex_location",
    "vertex_credentials": "vertex_credentials",
    "vertex_ai_credentials": "vertex_credentials",
    # AWS Bedrock
    "aws_access_key_id": "aws_access_key_id",
    "aws_secret_access_key": "aws_secret_access_key",
    "aws_session_token": "aws_session_token",
    "aws_region_name": "aws_region_name",
    "aws_profile_name": "aws_profile_name",
    "aws_bedrock_runtime_endpoint": "aws_bedrock_runtime_endpoint",
    # litellm's STS arguments: AssumeRole / AssumeRoleWithWebIdentity before the request.
    "aws_role_name": "aws_role_name",
    "aws_session_name": "aws_session_name",
    "aws_web_identity_token": "aws_web_identity_token",
    "aws_sts_endpoint": "aws_sts_endpoint",
    "aws_external_id": "aws_external_id",
    "aws_session_tags": "aws_session_tags",
}

#: Providers that authenticate with their own credentials (``vertex_credentials``, AWS
#: credentials), to which ``litellm.api_key`` (another provider's key, most likely) is never
#: sent: litellm ignores it for them. A per-call ``api_key`` is still taken (Vertex AI: an
#: access token; Bedrock: a Bedrock API key, sent instead of SigV4 signing).
_OWN_CREDENTIALS = frozenset({"vertex_ai", "bedrock"})

#: litellm module globals that supply a provider param the call did not give.
_PARAM_GLOBALS = ("api_version", "vertex_project", "vertex_location")

#: litellm-internal keyword arguments (callbacks, caching, routing, proxy
#: plumbing): accepted and not sent, as litellm does (``all_litellm_params``).
_LITELLM_INTERNAL = frozenset(
    {
        "metadata",
        "litellm_metadata",
        "litellm_call_id",
        "litellm_logging_obj",
        "litellm_trace_id",
        "logger_fn",
        "caching",
        "cache",
        "fallbacks",
        "context_window_fallback_dict",
        "content_policy_fallbacks",
        "model_list",
        "model_info",
        "proxy_server_request",
        "preset_cache_key",
        "input_cost_per_token",
        "output_cost_per_token",
        "input_cost_per_second",
        "output_cost_per_second",
        "custom_prompt_dict",
        "acompletion",
        "aembedding",
        "organization",
        "deployment_id",
        "tags",
        "no-log",
        "client",
        "callbacks",
        "success_callback",
        "failure_callback",
    }
)

_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})


@dataclass(frozen=True, repr=False)
class NativeCall:
    """The resolved arguments of one ``_elc_core`` call."""

    provider: str
    model: str
    body: bytes
    options: dict[str, Any]
    """``_elc_core``'s options dict: ``api_key``, ``api_base``, ``timeout``
    (seconds), ``num_retries``, ``headers``, ``ssl_verify``,
    ``debug`` (a tag for the native debug events, 0 when off), ``params``
    (provider-specific arguments, ``_PROVIDER_PARAMS``).
    It holds the API key and cloud credentials: never print it."""

    @property
    def api_base(self) -> Optional[str]:
        """The ``api_base`` given by the call or ``litellm.api_base``, if any."""
        base: Optional[str] = self.options["api_base"]
        return base

    @property
    def base_model(self) -> Optional[str]:
        """litellm's ``base_model`` (the model an Azure deployment serves), if given."""
        params: Optional[dict[str, str]] = self.options["params"]
        return params.get("base_model") if params else None

    def args(self) -> tuple[str, str, bytes, dict[str, Any]]:
        """Positional arguments after the endpoint name, in ``_elc_core``'s order."""
        return (self.provider, self.model, self.body, self.options)

    def __repr__(self) -> str:
        return (
            f"NativeCall(provider={self.provider!r}, model={self.model!r}, "
            f"api_base={self.api_base!r})"
        )


_config = config


def _json_default(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(exclude_none=True)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _check_messages(messages: Any, model: str) -> None:
    if not isinstance(messages, list):
        raise bad_request(
            f"messages must be a list of message dicts, got {type(messages).__name__}", model
        )
    for i, m in enumerate(messages):
        if isinstance(m, BaseModel):
            m = m.model_dump()
        if not isinstance(m, dict):
            raise bad_request(f"messages[{i}] must be a dict, got {type(m).__name__}", model)
        role = m.get("role")
        if role not in _ROLES:
            raise bad_request(
                f"messages[{i}] has role {role!r}; expected one of {sorted(_ROLES)}", model
            )
        content = m.get("content")
        if content is not None and not isinstance(content, (str, list)):
            raise bad_request(
                f"messages[{i}].content must be a string, a list of content parts or None, "
                f"got {type(content).__name__}",
                model,
            )


def _response_format(value: Any) -> Any:
    """A pydantic model class becomes a strict ``json_schema`` response format,
    as litellm does with ``type_to_response_format_param``."""
    if isinstance(value, type) and issubclass(value, BaseModel):
        schema = value.model_json_schema()
        _make_strict(schema)
        return {
            "type": "json_schema",
            "json_schema": {"name": value.__name__, "schema": schema, "strict": True},
        }
    return value


def _make_strict(schema: Any) -> None:
    """OpenAI's strict mode: every object closed and every property required."""
    if isinstance(schema, dict):
        if schema.get("type") == "object" and "properties" in schema:
            schema["additionalProperties"] = False
            schema["required"] = list(schema["properties"])
        for v in schema.values():
            _make_strict(v)
    elif isinstance(schema, list):
        for v in schema:
            _make_strict(v)


def _headers(kwargs: dict[str, Any]) -> Optional[list[tuple[str, str]]]:
    merged: dict[str, str] = {}
    for source in (_config().headers, kwargs.get("headers"), kwargs.get("extra_headers")):
        if source is None:
            continue
        if not isinstance(source, dict):
            raise bad_request(f"extra_headers must be a dict, got {type(source).__name__}")
        merged.update({str(k): str(v) for k, v in source.items()})
    return list(merged.items()) or None


def _timeout(kwargs: dict[str, Any]) -> Optional[float]:
    t = kwargs.get("timeout")
    if t is None:
        t = kwargs.get("request_timeout")
    if t is None:
        t = _config().request_timeout
    if t is None:
        return None
    if isinstance(t, bool) or not isinstance(t, (int, float)):
        read = getattr(t, "read", None)  # an httpx.Timeout: litellm uses its read timeout
        if isinstance(read, (int, float)):
            return float(read)
        raise bad_request(f"timeout must be a number of seconds, got {type(t).__name__}")
    if t <= 0:
        raise bad_request(f"timeout must be a positive number of seconds, got {t}")
    return float(t)


def _num_retries(kwargs: dict[str, Any]) -> int:
    n = kwargs.get("num_retries")
    if n is None:
        n = kwargs.get("max_retries")
    if n is None:
        n = _config().num_retries
    if n is None:
        return DEFAULT_MAX_RETRIES
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise bad_request(f"num_retries must be a non-negative int, got {n!r}")
    return n


def _drop_params(kwargs: dict[str, Any]) -> bool:
    """litellm's rule: unsupported parameters are dropped when the call or the global says so."""
    return kwargs.get("drop_params") is True or _config().drop_params is True


def _ssl_verify(kwargs: dict[str, Any]) -> Union[bool, str]:
    v = kwargs.get("ssl_verify")
    if v is None:
        v = _config().ssl_verify
    if isinstance(v, (bool, str)):
        return v
    raise bad_request(
        f"ssl_verify must be True, False or a path to a CA bundle, got {type(v).__name__}"
    )


def _entra_token(provider: Any) -> str:
    """The token an ``azure_ad_token_provider`` returns (a callable with no
    arguments, e.g. ``azure.identity.get_bearer_token_provider(...)``), called
    once per call, as the openai SDK's ``AzureOpenAI`` client does per request.

    Raises:
        BadRequestError: the provider is not callable or returns no string.
        AuthenticationError: the provider raised (it could not get a token).
    """
    if not callable(provider):
        raise bad_request(
            f"azure_ad_token_provider must be a callable returning a token, "
            f"got {type(provider).__name__}"
        )
    try:
        token = provider()
    except Exception as e:
        from .exceptions import AuthenticationError

        raise AuthenticationError(
            f"AuthenticationError: AzureException - Failed to get Azure AD token: "
            f"{type(e).__name__}: {e}",
            llm_provider="azure",
        ) from e
    if not isinstance(token, str) or not token:
        raise bad_request(
            f"azure_ad_token_provider must return a non-empty string, got {type(token).__name__}"
        )
    return token


def _base_model(kwargs: dict[str, Any]) -> Optional[str]:
    """litellm's ``base_model``: the call's, else ``model_info["base_model"]``, else
    ``metadata["model_info"]["base_model"]`` (where the Router puts it)."""
    found = kwargs.get("base_model")
    if isinstance(found, str) and found:
        return found
    for holder in (kwargs, kwargs.get("metadata"), kwargs.get("litellm_metadata")):
        info = holder.get("model_info") if isinstance(holder, dict) else None
        found = info.get("base_model") if isinstance(info, dict) else None
        if isinstance(found, str) and found:
            return found
    return None


#: Env vars holding an Entra ID token for ``azure/`` and ``azure_ai/``: litellm's, the openai
#: SDK's. Read here and sent as the param ``azure_ad_token_env`` (the adapters' last resort
#: after the key), so that the token is stripped from errors like every secret param.
_AZURE_TOKEN_ENV = ("AZURE_AD_TOKEN", "AZURE_OPENAI_AD_TOKEN")


def _params(kwargs: dict[str, Any], provider: str = "") -> Optional[dict[str, str]]:
    """The provider params of a call (``_PROVIDER_PARAMS``), else litellm's module globals."""
    params: dict[str, str] = {}
    for k, v in kwargs.items():
        name = _PROVIDER_PARAMS.get(k)
        if name is None or v is None or name in params:
            continue
        if k == "azure_ad_token_provider":
            if kwargs.get("azure_ad_token"):
                continue  # a token given as such wins, as in the openai SDK
            v = _entra_token(v)
        elif k == "base_model":
            continue  # read with model_info's below
        if isinstance(v, (dict, list, tuple)):
            v = json.dumps(v)
        if not isinstance(v, str):
            raise bad_request(f"{k} must be a string, got {type(v).__name__}")
        params[name] = v
    base_model = _base_model(kwargs)
    if base_model is not None:
        params["base_model"] = base_model
    cfg = _config()
    if provider in ("azure", "azure_text", "azure_ai"):
        token = next((t for t in map(os.environ.get, _AZURE_TOKEN_ENV) if t), None)
        if token:
            params["azure_ad_token_env"] = token
    default_version = getattr(cfg, "AZURE_DEFAULT_API_VERSION", None)
    if provider in ("azure", "azure_text") and isinstance(default_version, str) and default_version:
        # After the call's, litellm.api_version and AZURE_API_VERSION (read by the core).
        params["azure_default_api_version"] = default_version
    for name in _PARAM_GLOBALS:
        v = getattr(cfg, name, None)
        if name not in params and isinstance(v, str) and v:
            params[name] = v
    return params or None


#: The env vars the Vertex AI adapter reads a location from (after the call and
#: ``litellm.vertex_location``).
_VERTEX_LOCATION_ENV = ("VERTEXAI_LOCATION", "VERTEX_LOCATION")


def _vertex_region(model_id: str, params: Optional[dict[str, str]]) -> Optional[dict[str, str]]:
    """litellm's ``VertexBase.get_vertex_region``: a Vertex AI model whose map row
    (``vertex_ai/<model>``) lists ``supported_regions`` is called in the first of them unless
    the location asked for (call, ``litellm.vertex_location``, env) is one of them; e.g.
    ``qwen/qwen3-coder-480b-a35b-instruct-maas`` in ``global``. Returns ``params`` with
    ``vertex_location`` set accordingly (unchanged for other models)."""
    entry = _config().model_cost.get(f"vertex_ai/{model_id}")
    regions = entry.get("supported_regions") if isinstance(entry, dict) else None
    if not isinstance(regions, list) or not regions or not isinstance(regions[0], str):
        return params
    asked = (params or {}).get("vertex_location") or next(
        (v for v in map(os.environ.get, _VERTEX_LOCATION_ENV) if v), None
    )
    if asked in regions:
        return params
    return {**(params or {}), "vertex_location": regions[0]}


def prepare(
    model: Any, kwargs: dict[str, Any], body: dict[str, Any], chat: bool = False
) -> NativeCall:
    """Resolve provider and options, and serialize ``body`` plus every
    non-option keyword argument (unknown ones pass through, as litellm sends
    them in ``extra_body``). For a ``chat`` call, the OpenAI parameters are held to
    the provider's table first (``get_supported_openai_params``)."""
    if not isinstance(model, str) or not model:
        raise bad_request(f"model must be a non-empty string, got {model!r}")
    cfg = _config()
    model = cfg.model_alias_map.get(model, model)  # litellm.model_alias_map
    custom = kwargs.get("custom_llm_provider")
    provider, model_id, key_globals = _elc_core.route(model, custom)
    api_key = kwargs.get("api_key") or (None if provider in _OWN_CREDENTIALS else cfg.api_key)
    for name in key_globals:
        api_key = api_key or getattr(cfg, name, None)
    api_base = kwargs.get("api_base") or kwargs.get("base_url") or cfg.api_base
    if api_base is not None and not isinstance(api_base, str):
        raise bad_request(f"api_base must be a URL string, got {type(api_base).__name__}", model)

    payload: dict[str, Any] = {"model": model_id}
    payload.update(body)
    for k, v in kwargs.items():
        if v is None or k in _CALL_OPTIONS or k in _LITELLM_INTERNAL or k in _PROVIDER_PARAMS:
            continue
        payload[k] = _response_format(v) if k == "response_format" else v
    extra_body = kwargs.get("extra_body")
    if extra_body:
        payload.update(extra_body)
    n = payload.get("n")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise bad_request(f"n must be an int >= 1, got {n!r}", model, provider)
    drop = _drop_params(kwargs)
    if chat:
        check_params(payload, model_id, provider, drop, kwargs)
    try:
        raw = json.dumps(payload, default=_json_default, separators=(",", ":")).encode()
    except (TypeError, ValueError) as e:
        raise bad_request(f"the request is not JSON-serializable: {e}", model, provider) from None
    params = _params(kwargs, provider)
    if provider == "vertex_ai":
        params = _vertex_region(model_id, params)
    options = {
        "api_key": api_key,
        "api_base": api_base,
        "timeout": _timeout(kwargs),
        "num_retries": _num_retries(kwargs),
        "headers": _headers(kwargs),
        "ssl_verify": _ssl_verify(kwargs),
        # Non-zero when the call logs at DEBUG: the native core records its events under it.
        "debug": getattr(kwargs.get("litellm_logging_obj"), "debug_tag", 0),
        "params": params,
    }
    return NativeCall(provider=provider, model=model_id, body=raw, options=options)


def chat(model: Any, messages: Any, kwargs: dict[str, Any], stream: bool) -> NativeCall:
    """Prepare a chat completion call."""
    _check_messages(messages, str(model))
    body: dict[str, Any] = {"messages": messages}
    if stream:
        body["stream"] = True
    return prepare(model, kwargs, body, chat=True)


def embedding(model: Any, input: Any, kwargs: dict[str, Any]) -> NativeCall:
    """Prepare an embedding call."""
    ok = isinstance(input, str) or (
        isinstance(input, list)
        and len(input) > 0
        and all(isinstance(x, (str, int, list)) for x in input)
    )
    if not ok:
        raise bad_request(
            "input must be a string or a non-empty list of strings (or of token lists)",
            str(model),
        )
    return prepare(model, kwargs, {"input": input})
