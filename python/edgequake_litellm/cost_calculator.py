"""litellm's ``completion_cost`` and ``cost_per_token``: USD from usage and the model map.

Prices are the model map's (``input_cost_per_token``, ``output_cost_per_token``,
``cache_read_input_token_cost``, ``cache_creation_input_token_cost``,
``output_cost_per_reasoning_token``, audio rates, and the ``..._above_<N>k_tokens`` tiers
that apply once the prompt passes N thousand tokens), as litellm prices them.
"""

from __future__ import annotations

import re
from typing import Any, Callable, NamedTuple, Optional

from ._model_errors import ModelNotMappedError
from ._settings import config, model_cost_generation

__all__ = ["completion_cost", "cost_per_token", "response_cost"]

_TIER = re.compile(r"^input_cost_per_token_above_(\d+)k_tokens$")
#: Providers that run on the caller's own hardware: a model the map does not list costs 0.
LOCAL_PROVIDERS = frozenset({"ollama", "ollama_chat", "hosted_vllm", "lm_studio", "llamafile"})


_NOTHING: dict[str, Any] = {}


def _reader(obj: Any) -> Callable[[str], Any]:
    """A ``key -> value or None`` reader of a usage (or its details): a dict's items, a
    pydantic object's fields and extras (read from its dicts: a missing attribute would
    go through pydantic's slow ``__getattr__``), another object's attributes; nothing of
    None."""
    if obj is None:
        return _NOTHING.get
    if isinstance(obj, dict):
        return obj.get
    fields = getattr(obj, "__dict__", None)
    if hasattr(type(obj), "__pydantic_fields__") and isinstance(fields, dict):
        extra = obj.__pydantic_extra__
        if not extra:
            return fields.get
        return lambda key: fields.get(key, extra.get(key))
    return lambda key: getattr(obj, key, None)


class _Counts(NamedTuple):
    """A usage's token counts, as litellm prices them (tokens)."""

    prompt: int
    completion: int
    cached: int
    written: int
    audio_in: int
    reasoning: int
    audio_out: int


def _counts(
    usage: Any, prompt_tokens: int, completion_tokens: int, cache_read: int, cache_write: int
) -> _Counts:
    """The counts of ``usage`` (a ``Usage``, a dict, or None); the explicit cache counts win."""
    get = _reader(usage)
    pd = _reader(get("prompt_tokens_details"))
    cd = _reader(get("completion_tokens_details"))
    return _Counts(
        prompt_tokens,
        completion_tokens,
        cache_read or int(pd("cached_tokens") or 0) or int(get("cache_read_input_tokens") or 0),
        cache_write or int(get("cache_creation_input_tokens") or 0),
        int(pd("audio_tokens") or 0),
        int(cd("reasoning_tokens") or 0),
        int(cd("audio_tokens") or 0),
    )


class _Rates(NamedTuple):
    """USD per token of each kind, for one price tier of a model."""

    input: float
    output: float
    cache_read: float
    cache_write: float
    audio_in: float
    reasoning: float
    audio_out: float

    @classmethod
    def of(cls, r: dict[str, Any]) -> _Rates:
        """The rates of a map entry (or an entry with a tier's rates applied): a kind
        without its own rate costs the input (or output) rate, as litellm prices it."""
        base_in = float(r.get("input_cost_per_token") or 0.0)
        base_out = float(r.get("output_cost_per_token") or 0.0)

        def rate(key: str, default: float) -> float:
            value = r.get(key)
            return default if value is None else float(value)

        return cls(
            base_in,
            base_out,
            rate("cache_read_input_token_cost", base_in),
            rate("cache_creation_input_token_cost", base_in),
            rate("input_cost_per_audio_token", base_in),
            rate("output_cost_per_reasoning_token", base_out),
            rate("output_cost_per_audio_token", base_out),
        )

    def cost(self, n: _Counts) -> tuple[float, float]:
        """``(prompt_cost, completion_cost)`` in USD of the counts ``n``."""
        text_in = max(n.prompt - n.cached - n.written - n.audio_in, 0)
        prompt_cost = (
            text_in * self.input
            + n.cached * self.cache_read
            + n.written * self.cache_write
            + n.audio_in * self.audio_in
        )
        text_out = (
            max(n.completion - n.reasoning - n.audio_out, 0) if n.reasoning <= n.completion else 0
        )
        completion_cost_usd = (
            text_out * self.output + n.reasoning * self.reasoning + n.audio_out * self.audio_out
        )
        return prompt_cost, completion_cost_usd


_TIERED = (
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
)


class _Prices(NamedTuple):
    """A model's rates: the base tier and the ``_above_<N>k_tokens`` tiers."""

    base: _Rates
    #: ``(prompt tokens the tier starts above, rates from there on)``, highest first; a
    #: tier's rates fall back to the lower tiers' (and the base's) for kinds it does not price.
    tiers: tuple[tuple[int, _Rates], ...]

    @classmethod
    def of(cls, info: dict[str, Any]) -> _Prices:
        """The prices of a ``get_model_info`` dict (its ``_above_<N>k_tokens`` keys give the
        tiers, N in thousands of prompt tokens)."""
        found = sorted(
            (int(m.group(1)), k[len("input_cost_per_token") :])
            for k in info
            if (m := _TIER.match(k)) and info.get(k) is not None
        )
        rates = dict(info)
        tiers = []
        for threshold, suffix in found:
            for base in _TIERED:
                tiered = info.get(base + suffix)
                if tiered is not None:
                    rates[base] = tiered
            tiers.append((threshold * 1000, _Rates.of(rates)))
        return cls(_Rates.of(info), tuple(reversed(tiers)))

    def at(self, prompt_tokens: int) -> _Rates:
        """The rates for a prompt of ``prompt_tokens`` tokens."""
        for threshold, rates in self.tiers:
            if prompt_tokens > threshold:
                return rates
        return self.base


#: ``(model, provider, map generation)`` → its prices, or None when the map has no entry:
#: every call prices its response, and this keeps that to a dict lookup.
_prices_cache: dict[tuple[Any, ...], Optional[_Prices]] = {}


def _prices(model: str, provider: Optional[str]) -> Optional[_Prices]:
    """``model``'s prices (None when the model map does not list it)."""
    key = (model, provider, model_cost_generation(config().model_cost))
    try:
        return _prices_cache[key]
    except KeyError:
        pass
    from .utils import get_model_info

    try:
        found: Optional[_Prices] = _Prices.of(get_model_info(model, provider))
    except ModelNotMappedError:
        found = None
    if len(_prices_cache) > 4096:
        _prices_cache.clear()
    _prices_cache[key] = found
    return found


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
    prices = _prices(model, custom_llm_provider)
    if prices is None:
        from .utils import get_model_info

        # Raises litellm's ModelNotMappedError (unless the map has the model by now).
        prices = _Prices.of(get_model_info(model, custom_llm_provider))
    counts = _counts(
        usage_object,
        prompt_tokens,
        completion_tokens,
        cache_read_input_tokens,
        cache_creation_input_tokens,
    )
    return prices.at(prompt_tokens).cost(counts)


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
    usage: Any = None
    if completion_response is not None:
        get = _reader(completion_response)
        usage = get("usage")
        hidden = getattr(completion_response, "_hidden_params", None) or {}
        custom_llm_provider = custom_llm_provider or hidden.get("custom_llm_provider")
        model = model or get("model")
    if not model:
        raise ValueError("completion_cost needs a completion_response or a model")
    if usage is not None:
        count = _reader(usage)
        prompt_tokens = int(count("prompt_tokens") or 0)
        completion_tokens = int(count("completion_tokens") or 0)
    else:
        from .litellm_core_utils.token_counter import token_counter

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
    get = _reader(response)
    usage = get("usage")
    count = _reader(usage)
    counts = _counts(
        usage, int(count("prompt_tokens") or 0), int(count("completion_tokens") or 0), 0, 0
    )
    for name in (base_model, get("model"), model):
        prices = _prices(name, provider) if isinstance(name, str) and name else None
        if prices is not None:
            prompt_cost, out_cost = prices.at(counts.prompt).cost(counts)
            return prompt_cost + out_cost
    return 0.0 if provider in LOCAL_PROVIDERS else None
