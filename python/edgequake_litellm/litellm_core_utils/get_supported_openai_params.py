"""litellm's ``get_supported_openai_params``, and the check every call makes against it.

One table decides both: the answer of ``get_supported_openai_params(model, provider)`` is the
list :func:`check_params` holds a call's OpenAI parameters to before any I/O. The table is
litellm's own answer for every model of the map and every provider (generated from the
litellm release named in the README by ``scripts/update_model_data.py``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal, Optional

from . import model_facts

__all__ = [
    "OPENAI_CHAT_COMPLETION_PARAMS",
    "check_params",
    "get_supported_openai_params",
]

#: OpenAI's chat-completion parameters, as litellm lists them (its module constant,
#: ``temperature`` twice included).
OPENAI_CHAT_COMPLETION_PARAMS = [
    "functions",
    "function_call",
    "temperature",
    "temperature",
    "top_p",
    "n",
    "stream",
    "stream_options",
    "stop",
    "max_completion_tokens",
    "modalities",
    "prediction",
    "audio",
    "max_tokens",
    "presence_penalty",
    "frequency_penalty",
    "logit_bias",
    "user",
    "request_timeout",
    "api_base",
    "api_version",
    "api_key",
    "deployment_id",
    "organization",
    "base_url",
    "default_headers",
    "timeout",
    "response_format",
    "seed",
    "tools",
    "tool_choice",
    "max_retries",
    "parallel_tool_calls",
    "logprobs",
    "top_logprobs",
    "reasoning_effort",
    "extra_headers",
    "thinking",
    "web_search_options",
    "include_server_side_tool_invocations",
    "service_tier",
    "prompt_cache_key",
    "prompt_cache_retention",
    "safety_identifier",
    "verbosity",
    "store",
]

#: The parameters a call is checked for (litellm's ``DEFAULT_CHAT_COMPLETION_PARAM_VALUES``
#: less the unvalidated ``user``, ``stream``, ``stream_options``, ``max_retries``, and less
#: what is a call option or litellm-internal here: ``extra_headers``, ``metadata``).
CHECKED_PARAMS = frozenset(
    {
        "functions",
        "function_call",
        "temperature",
        "top_p",
        "n",
        "stop",
        "max_tokens",
        "max_completion_tokens",
        "modalities",
        "prediction",
        "audio",
        "presence_penalty",
        "frequency_penalty",
        "logit_bias",
        "response_format",
        "seed",
        "tools",
        "tool_choice",
        "logprobs",
        "top_logprobs",
        "parallel_tool_calls",
        "reasoning_effort",
        "verbosity",
        "thinking",
        "web_search_options",
        "include_server_side_tool_invocations",
        "service_tier",
        "safety_identifier",
        "prompt_cache_key",
        "prompt_cache_retention",
        "store",
        "context_management",
    }
)

#: OpenAI's embedding parameters (platform.openai.com/docs/api-reference/embeddings).
_EMBEDDING_PARAMS = ["user", "encoding_format", "dimensions"]
_OPENAI_EMBEDDING_PROVIDERS = frozenset(
    {"openai", "azure", "openrouter", "mistral", "together_ai", "hosted_vllm", "lm_studio"}
)


#: The model-name prefixes litellm chooses Vertex AI's parameter table by
#: (``scripts/update_model_data.py`` records an unknown model of each as ``vertex_ai/<family>``).
_VERTEX_FAMILIES = ("claude", "gemini", "mistral", "codestral")


def _table_params(model_id: str, provider: str) -> Optional[list[str]]:
    from ..utils import _lookup_model, supports_reasoning

    found = _lookup_model(model_id, provider, model_facts.chat_models())
    listed = found[1]["litellm_provider"] if found is not None else None
    # The map lists Vertex AI models as ``vertex_ai-language-models``, ``vertex_ai-...``: their
    # rows hold litellm's answer for ``vertex_ai`` (it has none for the map's names).
    vertex_row = str(listed).startswith("vertex_ai")
    same = provider == "vertex_ai" if vertex_row else listed == provider
    key = found[0] if found is not None and same else None
    if key is None and provider == "vertex_ai":
        # litellm picks Vertex AI's table by the name's family (claude-*, gemini-*, ...).
        family = next((f for f in _VERTEX_FAMILIES if model_id.startswith(f)), None)
        if family is not None:
            listed_params = model_facts.supported_params(None, f"vertex_ai/{family}")
            if (
                family == "claude"
                and listed_params is not None
                and "thinking" not in listed_params
                and supports_reasoning(model_id, provider)
            ):
                listed_params += ["thinking", "reasoning_effort"]
            return listed_params
    params = model_facts.supported_params(key, provider)
    if params is None or key is not None:
        return params
    # A model the map does not list: the provider's list, refined by the name rules of
    # litellm's provider configs for the providers served here.
    if (
        provider == "anthropic"
        and "thinking" not in params
        and supports_reasoning(model_id, provider)
    ):
        at = params.index("service_tier") if "service_tier" in params else len(params)
        params[at:at] = ["thinking", "reasoning_effort"]
    elif provider == "xai":
        # litellm's XAIChatConfig: these models reject ``stop`` / ``frequency_penalty``.
        if any(m in model_id for m in ("grok-3-mini", "grok-4", "grok-code-fast")):
            params = [p for p in params if p != "stop"]
        if any(m in model_id for m in ("grok-4", "grok-code-fast")):
            params = [p for p in params if p != "frequency_penalty"]
        if "reasoning_effort" not in params and supports_reasoning(model_id, provider):
            params.append("reasoning_effort")
    return params


@lru_cache(maxsize=2048)
def _cached_params(model_id: str, provider: str) -> Optional[tuple[str, ...]]:
    params = _table_params(model_id, provider)
    return None if params is None else tuple(params)


@lru_cache(maxsize=2048)
def _param_set(model_id: str, provider: str) -> Optional[frozenset[str]]:
    """``_cached_params`` as a set: what every chat call's check looks names up in."""
    params = _cached_params(model_id, provider)
    return None if params is None else frozenset(params)


def get_supported_openai_params(
    model: str,
    custom_llm_provider: Optional[str] = None,
    request_type: Literal["chat_completion", "embeddings", "transcription"] = "chat_completion",
) -> Optional[list[str]]:
    """The OpenAI parameters ``model`` accepts on ``custom_llm_provider``, as litellm answers.

    Args:
        model: a model name, with or without a ``provider/`` prefix.
        custom_llm_provider: the provider, when ``model`` has no prefix.
        request_type: ``"chat_completion"`` (litellm's table for the model, else for the
            provider); ``"embeddings"`` (OpenAI's ``user``/``encoding_format``/``dimensions``
            for OpenAI-compatible providers, ``dimensions`` for Vertex AI; litellm answers
            its chat list for the others).

    Returns:
        A new list of parameter names, or ``None`` when the provider cannot be told or
        litellm has no parameter table for it (litellm's behaviour).
    """
    from .get_llm_provider_logic import split_provider

    split = split_provider(model, custom_llm_provider)
    if split is None:
        return None
    model_id, provider = split
    if request_type == "embeddings":
        if provider == "vertex_ai":
            return ["dimensions"]  # litellm's VertexAITextEmbeddingConfig
        return list(_EMBEDDING_PARAMS) if provider in _OPENAI_EMBEDDING_PROVIDERS else None
    if request_type == "transcription":
        return None
    params = _cached_params(model_id, provider)
    return None if params is None else list(params)


def check_params(
    payload: dict[str, Any],
    model: str,
    provider: str,
    drop_params: bool,
    kwargs: dict[str, Any],
) -> None:
    """Hold the OpenAI parameters of a chat ``payload`` to the provider's table, before I/O.

    An unsupported parameter (litellm's rule: checked parameters with a non-``None`` value;
    ``n=1`` always passes) is removed when ``drop_params`` is set or it is listed in the
    call's ``additional_drop_params``, kept when listed in ``allowed_openai_params``, and
    otherwise refused. ``payload`` is changed in place.

    Raises:
        UnsupportedParamsError: with litellm's message, naming the parameters.
    """
    allowed = _param_set(model, provider)
    if allowed is None:
        return
    also_allowed = kwargs.get("allowed_openai_params")
    if also_allowed:
        allowed = allowed.union(also_allowed)
    for name in kwargs.get("additional_drop_params") or ():
        payload.pop(name, None)
    unsupported = [
        k
        for k in payload
        if k in CHECKED_PARAMS and k not in allowed and not (k == "n" and payload[k] == 1)
    ]
    if not unsupported:
        return
    if drop_params:
        for k in unsupported:
            del payload[k]
        return
    from ..exceptions import UnsupportedParamsError  # only to raise: it imports openai

    raise UnsupportedParamsError(
        f"{provider} does not support parameters: {unsupported}, for model={model}. To drop "
        "these, set `litellm.drop_params=True` or for proxy:\n\n`litellm_settings:\n "
        "drop_params: true`\n. \n If you want to use these params dynamically send "
        f"allowed_openai_params={unsupported} in your request.",
        model,
        provider,
    )
