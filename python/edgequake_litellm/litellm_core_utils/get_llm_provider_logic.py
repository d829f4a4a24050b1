"""litellm's ``get_llm_provider``: which provider a model string names.

This is naming only: it knows every provider of litellm's ``provider_list`` and every model
of the model map, whether or not this package can call it. Where a call goes is decided at
call time by the native registry (``_elc_core.route``), which raises for a provider this
package does not serve.
"""

from __future__ import annotations

from typing import Any, Optional

from .._settings import config as _config
from . import model_facts

__all__ = ["get_llm_provider", "model_map_provider", "split_provider"]

#: Bare model names litellm sends to OpenAI (besides those listed in the model map).
_OPENAI_BARE_PREFIXES = (
    "gpt-",
    "chatgpt-",
    "o1",
    "o3",
    "o4",
    "text-embedding-",
    "omni-moderation",
)


def model_map_provider(litellm_provider: str) -> str:
    """The provider name a model map ``litellm_provider`` value stands for
    (``vertex_ai-language-models`` → ``vertex_ai``, ``bedrock_converse`` → ``bedrock``), as
    litellm's ``get_llm_provider`` answers for a bare model name."""
    if litellm_provider.startswith("vertex_ai"):
        return "vertex_ai"
    return "bedrock" if litellm_provider == "bedrock_converse" else litellm_provider


def _map_provider(model: str) -> Optional[str]:
    cost = _config().model_cost
    entry = cost.get(model)
    if entry is None:
        lowered = model.lower()
        if lowered != model:
            entry = cost.get(lowered)
    provider = entry.get("litellm_provider") if isinstance(entry, dict) else None
    if not isinstance(provider, str):
        return None
    provider = model_map_provider(provider)
    # A map row of a provider litellm no longer lists (e.g. anyscale) names no provider.
    return provider if provider in model_facts.provider_set() else None


def _bad_request(message: str, model: str) -> Exception:
    from ..exceptions import BadRequestError  # only to raise: it imports openai

    return BadRequestError(message, model)


def split_provider(
    model: Any, custom_llm_provider: Optional[str] = None
) -> Optional[tuple[str, str]]:
    """``(model id, provider)`` as :func:`get_llm_provider` tells them, or ``None`` where it
    raises (no provider can be told, or ``model`` is not a non-empty string). For the lookups
    that answer something else then (``get_model_info``, ``supports_*``, ...): raising
    ``BadRequestError`` imports the openai SDK, ~100 ms and ~20 MB the first time."""
    if not isinstance(model, str) or not model:
        return None
    if custom_llm_provider:
        prefix = custom_llm_provider + "/"
        return (model[len(prefix) :] if model.startswith(prefix) else model), custom_llm_provider
    head, sep, rest = model.partition("/")
    if sep and head in model_facts.provider_set():
        return rest, head
    provider = _map_provider(model)
    if provider is None:
        from .fallback_generalizations import match_provider

        provider = match_provider(model)
    if provider is None and model.startswith(_OPENAI_BARE_PREFIXES):
        provider = "openai"
    if provider is None and model.startswith("claude-"):
        provider = "anthropic"
    return None if provider is None else (model, provider)


def get_llm_provider(
    model: str,
    custom_llm_provider: Optional[str] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
) -> tuple[str, str, Optional[str], Optional[str]]:
    """Split ``model`` into litellm's ``(model, custom_llm_provider, dynamic_api_key, api_base)``.

    Order, as litellm: ``custom_llm_provider`` when given (its prefix is removed from
    ``model``); a ``provider/`` prefix of litellm's ``provider_list``, split on the first ``/``
    only (``"openrouter/openai/gpt-4o"`` → ``("openai/gpt-4o", "openrouter", None, None)``);
    the provider the model map lists for a bare name (``"claude-sonnet-4-5"`` → anthropic,
    ``"gemini-2.5-pro"`` → vertex_ai); OpenAI's bare names (``gpt-*``, ``o1``/``o3``/``o4``).
    ``api_key`` and ``api_base`` are returned as given (litellm fills some provider defaults
    here; this package resolves them at call time).

    Raises:
        BadRequestError: no provider can be told ("LLM Provider NOT provided", as litellm).
    """
    if not isinstance(model, str) or not model:
        raise _bad_request(f"model must be a non-empty string, got {model!r}", str(model))
    found = split_provider(model, custom_llm_provider)
    if found is None:
        raise _bad_request(
            "LLM Provider NOT provided. Pass in the LLM provider you are trying to call. "
            f"You passed model={model}\n Pass model as E.g. For 'Huggingface' inference "
            "endpoints pass in `completion(model='huggingface/starcoder',..)` "
            "Learn more: https://docs.litellm.ai/docs/providers",
            model,
        )
    return found[0], found[1], api_key, api_base
