"""litellm's ``completion_cost`` and ``cost_per_token``: USD from usage and the model map.

Prices are the model map's (``input_cost_per_token``, ``output_cost_per_token``,
``cache_read_input_token_cost``, ``cache_creation_input_token_cost``,
``output_cost_per_reasoning_token``, audio rates, and the ``..._above_<N>k_tokens`` tiers
that apply once the prompt passes N thousand tokens), as litellm prices them.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from ._model_errors import ModelNotMappedError

__all__ = ["completion_cost", "cost_per_token", "response_cost"]

_TIER = re.compile(r"^input_cost_per_token_above_(\d+)k_tokens$")
#: Providers that run on the caller's own hardware: a model the map does not list costs 0.
LOCAL_PROVIDERS = frozenset({"ollama", "ollama_chat", "hosted_vllm", "lm_studio", "llamafile"})


def _detail(usage: Any, field: str, key: str) -> int:
    details = usage.get(field) if isinstance(usage, dict) else getattr(usage, field, None)
    if details is None:
        return 0
    value = details.get(key) if isinstance(details, dict) else getattr(details, key, None)
    return int(value or 0)


def _field(usage: Any, key: str) -> int:
    value = usage.get(key) if isinstance(usage, dict) else getattr(usage, key, None)
    return int(value or 0)


#: ``(map key, provider, map generation)`` → that entry's price tiers, so pricing a response
#: (every call sets ``response_cost``) does not rescan the entry's keys each time.
_tier_cache: dict[tuple[Any, ...], tuple[tuple[int, str], ...]] = {}


def _tiers(info: dict[str, Any]) -> tuple[tuple[int, str], ...]:
    """``info``'s ``(threshold in thousands of tokens, key suffix)`` tiers, lowest first."""
    from ._settings import config
    from .utils import _generation

    cache_key = (info.get("key"), info.get("litellm_provider"), _generation(config().model_cost))
    found = _tier_cache.get(cache_key)
    if found is None:
        found = tuple(
            sorted(
                (int(m.group(1)), k[len("input_cost_per_token") :])
                for k in info
                if (m := _TIER.match(k)) and info.get(k) is not None
            )
        )
        if len(_tier_cache) > 4096:
            _tier_cache.clear()
        _tier_cache[cache_key] = found
    return found


def _rates(info: dict[str, Any], prompt_tokens: int) -> dict[str, Any]:
    """``info``'s rates, with the highest ``_above_<N>k_tokens`` tier the prompt passed."""
    passed = [suffix for threshold, suffix in _tiers(info) if prompt_tokens > threshold * 1000]
    if not passed:
        return info
    rates = dict(info)
    for suffix in passed:
        for base in (
            "input_cost_per_token",
            "output_cost_per_token",
            "cache_read_input_token_cost",
            "cache_creation_input_token_cost",
        ):
            tiered = info.get(base + suffix)
            if tiered is not None:
                rates[base] = tiered
    return rates


def cost_per_token(
    model: str = "",
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
    custom_llm_provider: Optional[str] = None,
    cache_creation_input_tokens: int = 0,
    cache_read_input_tokens: int = 0,
    usage_object: Any = None,
    **_: Any,
) -> tuple[float, float]:
    """``(prompt_cost, completion_cost)`` in USD for token counts of ``model``.

    Args:
        model: a model name with or without a provider prefix.
        prompt_tokens, completion_tokens: tokens, as the provider reported them (the prompt
            count includes cached and cache-written tokens, as litellm's usage does).
        cache_creation_input_tokens, cache_read_input_tokens: tokens written to / read from
            the provider's prompt cache (also read from ``usage_object``).
        usage_object: a ``Usage`` (or dict) whose details refine the split: cached tokens,
            reasoning tokens, audio tokens.

    Raises:
        ModelNotMappedError: the model is not in the map.
    """
    from .utils import get_model_info

    info = get_model_info(model, custom_llm_provider)
    usage = usage_object if usage_object is not None else {}
    cached = (
        cache_read_input_tokens
        or _detail(usage, "prompt_tokens_details", "cached_tokens")
        or _field(usage, "cache_read_input_tokens")
    )
    written = cache_creation_input_tokens or _field(usage, "cache_creation_input_tokens")
    audio_in = _detail(usage, "prompt_tokens_details", "audio_tokens")
    reasoning = _detail(usage, "completion_tokens_details", "reasoning_tokens")
    audio_out = _detail(usage, "completion_tokens_details", "audio_tokens")
    r = _rates(info, prompt_tokens)
    base_in = float(r.get("input_cost_per_token") or 0.0)
    base_out = float(r.get("output_cost_per_token") or 0.0)

    def rate(key: str, default: float) -> float:
        value = r.get(key)
        return default if value is None else float(value)

    text_in = max(prompt_tokens - cached - written - audio_in, 0)
    prompt_cost = (
        text_in * base_in
        + cached * rate("cache_read_input_token_cost", base_in)
        + written * rate("cache_creation_input_token_cost", base_in)
        + audio_in * rate("input_cost_per_audio_token", base_in)
    )
    text_out = (
        max(completion_tokens - reasoning - audio_out, 0) if reasoning <= completion_tokens else 0
    )
    completion_cost_usd = (
        text_out * base_out
        + reasoning * rate("output_cost_per_reasoning_token", base_out)
        + audio_out * rate("output_cost_per_audio_token", base_out)
    )
    return prompt_cost, completion_cost_usd


def completion_cost(
    completion_response: Any = None,
    model: Optional[str] = None,
    custom_llm_provider: Optional[str] = None,
    prompt: str = "",
    messages: Optional[list[Any]] = None,
    completion: str = "",
    **_: Any,
) -> float:
    """The USD cost of one call, as litellm's ``completion_cost``.

    Args:
        completion_response: a ``ModelResponse`` (or its dict): its ``usage`` and ``model``
            (and ``_hidden_params["custom_llm_provider"]``) are priced.
        model: the model to price with (overrides the response's).
        prompt, messages, completion: without a response, the prompt (text or chat
            messages) and completion text are counted with ``token_counter`` and priced.

    Returns:
        USD (float).

    Raises:
        ModelNotMappedError: the model is not in the map.
        ValueError: neither a response nor a model is given.
    """
    from .litellm_core_utils.token_counter import token_counter

    usage: Any = None
    if completion_response is not None:
        get = completion_response.get if isinstance(completion_response, dict) else None
        usage = get("usage") if get else getattr(completion_response, "usage", None)
        hidden = getattr(completion_response, "_hidden_params", None) or {}
        custom_llm_provider = custom_llm_provider or hidden.get("custom_llm_provider")
        model = model or (get("model") if get else getattr(completion_response, "model", None))
    if not model:
        raise ValueError("completion_cost needs a completion_response or a model")
    if usage is not None:
        prompt_tokens, completion_tokens = (
            _field(usage, "prompt_tokens"),
            _field(usage, "completion_tokens"),
        )
    else:
        prompt_tokens = (
            token_counter(model=model, messages=messages)
            if messages
            else token_counter(model=model, text=prompt)
        )
        completion_tokens = token_counter(model=model, text=completion)
    prompt_cost, out_cost = cost_per_token(
        model, prompt_tokens, completion_tokens, custom_llm_provider, usage_object=usage
    )
    return prompt_cost + out_cost


def response_cost(
    response: Any, model: str, provider: str, base_model: Optional[str] = None
) -> Optional[float]:
    """``_hidden_params["response_cost"]`` for a call: ``completion_cost(response)`` in USD
    (priced as litellm's ``base_model`` when the call names one, else the model the provider
    answered with, else the model asked for), 0.0 for a local provider's unlisted model,
    ``None`` for another unlisted model (litellm logs the failure and sets none; an Azure
    deployment name that is no model's name is priced by the answer's ``model``). Never
    raises."""
    for name in (base_model, None, model) if base_model else (None, model):
        try:
            return completion_cost(response, model=name, custom_llm_provider=provider)
        except (ModelNotMappedError, ValueError):
            continue
    return 0.0 if provider in LOCAL_PROVIDERS else None
