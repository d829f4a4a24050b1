"""What ``litellm.utils`` exports: model data (``get_model_info``, ``supports_*``,
``register_model``, ``get_max_tokens``, ``validate_environment``), token counting
(``token_counter``, ``encode``, ``decode``), costs (``completion_cost``, ``cost_per_token``),
provider resolution (``get_llm_provider``, ``get_supported_openai_params``) and
``stream_chunk_builder``.

Model facts come from litellm's model map bundled with the package (see
``litellm_core_utils/get_model_cost_map.py``); nothing here touches the network.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional, Union

from ._model_errors import ModelNotMappedError
from ._settings import config as _config
from ._settings import model_cost_generation as _generation
from .cost_calculator import completion_cost, cost_per_token, response_cost
from .litellm_core_utils import model_facts
from .litellm_core_utils.get_llm_provider_logic import get_llm_provider, split_provider
from .litellm_core_utils.get_model_cost_map import find_key
from .litellm_core_utils.get_supported_openai_params import get_supported_openai_params
from .litellm_core_utils.token_counter import decode, encode, token_counter
from .litellm_core_utils.trim_messages import trim_messages

if TYPE_CHECKING:
    from .types.utils import ModelResponse, ModelResponseStream

__all__ = [
    "completion_cost",
    "cost_per_token",
    "decode",
    "encode",
    "get_llm_provider",
    "get_max_tokens",
    "get_model_info",
    "get_supported_openai_params",
    "register_model",
    "stream_chunk_builder",
    "supports_audio_input",
    "supports_audio_output",
    "supports_function_calling",
    "supports_parallel_function_calling",
    "supports_pdf_input",
    "supports_prompt_caching",
    "supports_reasoning",
    "supports_response_schema",
    "supports_system_messages",
    "supports_tool_choice",
    "supports_vision",
    "supports_web_search",
    "token_counter",
    "trim_messages",
    "validate_environment",
]


def __getattr__(name: str) -> Any:
    """litellm.utils also exports the response types (``from litellm.utils import Message``):
    served from ``types.utils`` on first use, so model-data lookups do not load pydantic.
    (Nor does the import system's ``__path__`` probe of every ``from .utils import x``.)"""
    if name.startswith("_"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from .types import utils as types_utils

    if name in types_utils.__all__:
        return getattr(types_utils, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- model map lookups -----------------------------------------------------------

_DATED_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")
_STABLE_VERSION = re.compile(r"-\d+$")
_ABOVE_THRESHOLD = re.compile(r"_above_\d+k?_tokens(?:_batches)?$")


def _strip_model_name(model: str, provider: Optional[str]) -> str:
    """litellm's ``_strip_model_name``: the name without a version/snapshot suffix
    (``gemini-1.5-pro-002`` → ``gemini-1.5-pro``, ``ft:gpt-4o:org:sfx:id`` → ``ft:gpt-4o``)."""
    if provider in ("vertex_ai", "gemini"):
        return _STABLE_VERSION.sub("", model)
    if "ft:" in model:
        return ":".join(model.split(":")[:2])
    return _DATED_SNAPSHOT.sub("", model)


def _provider_matches(entry: dict[str, Any], provider: Optional[str]) -> bool:
    """litellm's ``_check_provider_match``: may ``entry`` describe ``provider``'s model?"""
    listed = entry.get("litellm_provider")
    if not provider or listed is None or listed == provider:
        return True
    return bool(
        (provider == "vertex_ai" and listed.startswith("vertex_ai"))
        or (provider == "fireworks_ai" and listed.startswith("fireworks_ai"))
        or (provider.startswith("bedrock") and listed.startswith("bedrock"))
        or provider in ("litellm_proxy", "github")
        or (provider == "azure_ai" and listed in ("azure", "openai"))
    )


def _candidates(model: str, provider: Optional[str]) -> tuple[str, tuple[str, ...]]:
    """litellm's lookup order of model map keys for ``model``, and the provider it used."""
    if provider is None:
        split, provider = split_provider(model) or (model, None)
        combined = model
        stripped = combined_stripped = _strip_model_name(model, provider)
        prefixed = model
    elif model.startswith(provider + "/"):
        split = model.split("/", 1)[1]
        combined = model
        stripped = _strip_model_name(split, provider)
        combined_stripped = f"{provider}/{stripped}"
        prefixed = f"{provider}/{model}"
    else:
        split = model
        combined = f"{provider}/{model}"
        stripped = _strip_model_name(model, provider)
        combined_stripped = f"{provider}/{stripped}"
        prefixed = combined
    order = (combined, model, split, combined_stripped, stripped, prefixed)
    return provider or "", tuple(dict.fromkeys(order))


def _lookup_model(
    model: str, provider: Optional[str], cost: Any = None
) -> Optional[tuple[str, dict[str, Any], str]]:
    """The first entry of ``cost`` (default ``litellm.model_cost``) litellm would use for
    ``model``: ``(key, entry, provider)``, or ``None``."""
    cost = _config().model_cost if cost is None else cost
    provider_used, names = _candidates(model, provider)
    for name in names:
        key = find_key(cost, name)
        if key is None:
            continue
        entry = cost[key]
        if isinstance(entry, dict) and _provider_matches(entry, provider_used or None):
            return key, entry, provider_used
    return None


def _resolve(model: str, provider: Optional[str]) -> Optional[tuple[str, dict[str, Any], str]]:
    """Like :func:`_lookup_model` on ``litellm.model_cost``, with the map's
    ``fallback_generalizations``: an exact entry of a chat model gets the keys its
    fill-missing rules add, and a model no candidate name of which is in the map gets the
    capabilities of the rules matching a candidate (litellm's ``get_model_info_helper``)."""
    from .litellm_core_utils import fallback_generalizations as rules

    found = _lookup_model(model, provider)
    if found is not None:
        key, entry, used = found
        listed = entry.get("litellm_provider")
        if entry.get("mode", "chat") in ("chat", "responses") and isinstance(listed, str):
            fill = rules.match_fill_missing(key, listed)
            if fill:
                entry = {**{k: v for k, v in fill.items() if k not in entry}, **entry}
        return key, entry, used
    cost = _config().model_cost
    used, names = _candidates(model, provider)
    if any(find_key(cost, name) is not None for name in names):
        return None
    for name in names:
        info = rules.match_capabilities(name)
        if info is not None:
            return name, ({**info, "litellm_provider": used} if used else info), used
    return None


def _model_info_base(model: str, custom_llm_provider: Optional[str]) -> dict[str, Any]:
    found = _resolve(model, custom_llm_provider)
    if found is None:
        raise ModelNotMappedError(
            f"This model isn't mapped yet. model={model}, custom_llm_provider="
            f"{custom_llm_provider}. Add it here - https://github.com/BerriAI/litellm/blob/"
            "main/model_prices_and_context_window.json."
        )
    key, entry, provider = found
    info: dict[str, Any] = {k: entry.get(k) for k in model_facts.facts()["model_info_keys"]}
    info["key"] = key
    info["max_tokens"] = entry.get("max_output_tokens") or entry.get("max_input_tokens")
    info["input_cost_per_token"] = entry.get("input_cost_per_token") or 0
    info["output_cost_per_token"] = entry.get("output_cost_per_token") or 0
    info["litellm_provider"] = entry.get("litellm_provider", provider or None)
    if entry.get("supports_bedrock_native_structured_output_by_default"):
        info["supports_native_structured_output"] = (
            entry.get("supports_bedrock_native_structured_output") is not False
        )
    elif not isinstance(entry.get("supports_native_structured_output"), bool):
        info["supports_native_structured_output"] = None
    for k, v in entry.items():
        if k not in info and _ABOVE_THRESHOLD.search(k):
            info[k] = v
    info.pop("supported_openai_params", None)
    return info


def get_model_info(
    model: str,
    custom_llm_provider: Optional[str] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
) -> dict[str, Any]:
    """litellm's ``ModelInfo`` for ``model``: what the model map says of it.

    Args:
        model: a model name with or without a ``provider/`` prefix (``"gpt-4o"``,
            ``"anthropic/claude-sonnet-4-5"``, ``"gemini/gemini-2.5-flash"``).
        custom_llm_provider: the provider, when it is not in ``model``; an entry of another
            provider is not used (litellm's rule, with its vertex_ai/bedrock/azure_ai allowances).
        api_base, api_key: accepted for litellm's signature; nothing is fetched.

    Returns:
        A new dict with litellm's keys: ``key`` (the map key used), ``max_tokens`` (the
        output limit, else the input limit), ``max_input_tokens``, ``max_output_tokens``
        (tokens), ``input_cost_per_token``/``output_cost_per_token`` (USD, 0 when the map
        has none), cache and tiered costs, ``litellm_provider``, ``mode``, every
        ``supports_*`` flag (``None`` when the map does not say), and
        ``supported_openai_params``.

    The dict is cached per model and shared between calls, as litellm's (treat it as
    read-only; ``register_model`` or a change to ``litellm.model_cost`` refreshes it).

    Raises:
        ModelNotMappedError: no map entry matches ("This model isn't mapped yet", as litellm).
    """
    return _cached_model_info(model, custom_llm_provider, _generation(_config().model_cost))


@lru_cache(maxsize=1024)
def _cached_model_info(
    model: str, custom_llm_provider: Optional[str], _generation: tuple[int, int]
) -> dict[str, Any]:
    info = _model_info_base(model, custom_llm_provider)
    info["supported_openai_params"] = get_supported_openai_params(model, custom_llm_provider)
    return info


def _supports(model: str, custom_llm_provider: Optional[str], key: str) -> bool:
    """litellm's ``supports_factory``: is the model map's ``key`` flag ``True`` for the model?
    Unknown models and unknown providers answer ``False`` (never raise)."""
    provider = custom_llm_provider
    split = split_provider(model, custom_llm_provider)
    found = None
    if split is not None:
        model_id, provider = split
        try:
            found = _resolve(model_id, provider)
        except Exception:
            found = None
    if found is not None:
        value = found[1].get(key)
        if value is not None:
            return value is True
        bare = find_key(_config().model_cost, model_id)
        if bare is not None and (_config().model_cost.get(bare) or {}).get(key) is True:
            return True
    # The provider-wide default litellm's provider config declares (get_provider_info).
    defaults = model_facts.facts()["provider_info"].get(provider or "", {})
    return defaults.get(key) is True


def supports_function_calling(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """Whether the model map says ``model`` supports tool/function calling (litellm's rule)."""
    return _supports(model, custom_llm_provider, "supports_function_calling")


def supports_parallel_function_calling(
    model: str, custom_llm_provider: Optional[str] = None
) -> bool:
    """Whether the model map says ``model`` supports parallel tool calls."""
    return _supports(model, custom_llm_provider, "supports_parallel_function_calling")


def supports_tool_choice(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """Whether the model map says ``model`` accepts ``tool_choice``."""
    return _supports(model, custom_llm_provider, "supports_tool_choice")


def supports_vision(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """Whether the model map says ``model`` accepts image input."""
    return _supports(model, custom_llm_provider, "supports_vision")


#: Providers litellm answers ``supports_response_schema`` with ``True`` for, whatever the model.
_RESPONSE_SCHEMA_PROVIDERS = frozenset(
    {"predibase", "fireworks_ai", "lm_studio", "nebius", "databricks"}
)


def supports_response_schema(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """Whether ``model`` takes a ``json_schema`` ``response_format`` (the map's flag; ``True``
    for every model of predibase, fireworks_ai, lm_studio, nebius and databricks, as litellm)."""
    split = split_provider(model, custom_llm_provider)
    if split is None:
        return False
    provider = split[1]
    if provider in _RESPONSE_SCHEMA_PROVIDERS:
        return True
    return _supports(model, custom_llm_provider, "supports_response_schema")


def supports_reasoning(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """Whether the model map says ``model`` is a reasoning model (``reasoning_effort``/thinking)."""
    return _supports(model, custom_llm_provider, "supports_reasoning")


def supports_prompt_caching(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """Whether the model map says ``model`` supports prompt caching."""
    return _supports(model, custom_llm_provider, "supports_prompt_caching")


def supports_system_messages(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """Whether the model map says ``model`` accepts system messages."""
    return _supports(model, custom_llm_provider, "supports_system_messages")


def supports_audio_input(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """Whether the model map says ``model`` accepts audio input."""
    return _supports(model, custom_llm_provider, "supports_audio_input")


def supports_audio_output(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """Whether the model map says ``model`` can answer with audio."""
    return _supports(model, custom_llm_provider, "supports_audio_output")


def supports_pdf_input(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """Whether the model map says ``model`` accepts PDF input."""
    return _supports(model, custom_llm_provider, "supports_pdf_input")


def supports_web_search(model: str, custom_llm_provider: Optional[str] = None) -> bool:
    """Whether the model map says ``model`` supports ``web_search_options``."""
    return _supports(model, custom_llm_provider, "supports_web_search")


def get_max_tokens(model: str) -> Optional[int]:
    """The model's output limit in tokens (litellm: ``max_output_tokens``, else ``max_tokens``).

    Raises:
        ModelNotMappedError: the model is not in the map.
    """
    info = get_model_info(model)
    value = info.get("max_output_tokens") or info.get("max_tokens")
    return int(value) if value is not None else None


def register_model(model_cost: Union[str, dict[str, Any]]) -> dict[str, Any]:
    """Add or override model map entries, as litellm's ``register_model``.

    Args:
        model_cost: ``{name: entry}`` in the model map's format (costs in USD per token,
            limits in tokens); or a path/URL to such a JSON document (read now, see
            ``get_model_cost_map``). An existing entry is updated key by key.

    Returns:
        The ``model_cost`` given.
    """
    from .litellm_core_utils.get_model_cost_map import get_model_cost_map

    loaded = get_model_cost_map(model_cost) if isinstance(model_cost, str) else model_cost
    cost = _config().model_cost
    for key, value in loaded.items():
        existing = cost.get(key)
        merged = {**existing, **value} if isinstance(existing, dict) else dict(value)
        cost[key] = merged
    _cached_model_info.cache_clear()
    return model_cost  # type: ignore[return-value]


def validate_environment(
    model: Optional[str] = None, api_key: Optional[str] = None, api_base: Optional[str] = None
) -> dict[str, Any]:
    """Which environment variables ``model``'s provider needs and are missing (litellm's rules).

    Returns:
        ``{"keys_in_environment": bool, "missing_keys": [env var names]}``; a provider
        without a rule, an unknown provider, or an ``api_key`` given counts as satisfied, as
        in litellm; no model: ``{"keys_in_environment": False, "missing_keys": []}``.
    """
    if not model:
        return {"keys_in_environment": False, "missing_keys": []}
    split = split_provider(model)
    if split is None:
        return {"keys_in_environment": True, "missing_keys": []}
    provider = split[1]
    rule = model_facts.facts()["environment"].get(provider)
    if rule is None or api_key is not None:
        return {"keys_in_environment": True, "missing_keys": []}
    mode, keys = rule
    present = [k for k in keys if os.environ.get(k)]
    if (mode == "any" and present) or (mode == "all" and len(present) == len(keys)):
        return {"keys_in_environment": True, "missing_keys": []}
    return {"keys_in_environment": False, "missing_keys": [k for k in keys if k not in present]}


def stream_chunk_builder(
    chunks: Iterable[ModelResponseStream], messages: Optional[list[Any]] = None
) -> Optional[ModelResponse]:
    """Rebuild the whole ``ModelResponse`` from streamed chunks, as litellm's function does.

    Content, reasoning content and tool-call fragments are concatenated per
    choice index (tool calls merged by their ``index``); ``thinking_blocks``
    fragments (Anthropic: thinking text, then the block's ``signature``; or a
    whole ``redacted_thinking`` block) are joined into whole blocks in the
    order they arrived; a tool call keeps its fragments' ``provider_specific_fields``
    (Gemini's ``thought_signature``), as litellm's does; ``finish_reason`` is
    the last one sent (``"stop"`` if none); ``id``, ``created``, ``model`` and
    ``system_fingerprint`` come from the first chunk. Usage is the usage a
    chunk carried (``stream_options={"include_usage": True}``); without one it
    is counted with ``token_counter`` as litellm does: ``messages`` as a prompt, the
    output text and tool arguments as plain text. ``_hidden_params`` carries the
    chunks' provider and the ``response_cost`` (USD) of the rebuilt response.

    Returns ``None`` for no chunks.
    """
    from .types.utils import (
        ChatCompletionMessageToolCall,
        Choices,
        Function,
        Message,
        ModelResponse,
        Usage,
    )

    chunks = list(chunks)
    if not chunks:
        return None
    first = chunks[0]
    texts: dict[int, list[str]] = {}
    reasoning: dict[int, list[str]] = {}
    thinking: dict[int, list[dict[str, Any]]] = {}
    finish: dict[int, str] = {}
    tools: dict[int, dict[int, dict[str, Any]]] = {}
    usage: Optional[Usage] = None
    for chunk in chunks:
        if getattr(chunk, "usage", None) is not None:
            usage = chunk.usage
        for c in chunk.choices:
            i = c.index
            texts.setdefault(i, [])
            if c.delta.content:
                texts[i].append(c.delta.content)
            r = getattr(c.delta, "reasoning_content", None)
            if r:
                reasoning.setdefault(i, []).append(r)
            for block in getattr(c.delta, "thinking_blocks", None) or []:
                _add_thinking(thinking.setdefault(i, []), block)
            if c.finish_reason:
                finish[i] = c.finish_reason
            for tc in c.delta.tool_calls or []:
                slot = tools.setdefault(i, {}).setdefault(
                    tc.index, {"id": None, "name": None, "arguments": [], "fields": {}}
                )
                slot["id"] = slot["id"] or tc.id
                slot["name"] = slot["name"] or tc.function.name
                slot["fields"].update(getattr(tc, "provider_specific_fields", None) or {})
                if tc.function.arguments:
                    slot["arguments"].append(tc.function.arguments)
    choices = []
    for i in sorted(texts):
        calls = [
            ChatCompletionMessageToolCall(
                id=t["id"] or f"call_{i}_{k}",
                function=Function(name=t["name"], arguments="".join(t["arguments"])),
                **({"provider_specific_fields": t["fields"]} if t["fields"] else {}),
            )
            for k, t in sorted(tools.get(i, {}).items())
        ]
        content = "".join(texts[i]) or None
        extra: dict[str, Any] = (
            {"reasoning_content": "".join(reasoning[i])} if i in reasoning else {}
        )
        if i in thinking:
            extra["thinking_blocks"] = thinking[i]
        message = Message(content=content, tool_calls=calls or None, **extra)
        choices.append(Choices(index=i, finish_reason=finish.get(i, "stop"), message=message))
    model = first.model or ""
    if usage is None:
        prompt = token_counter(model=model, messages=messages) if messages else 0
        out = "".join("".join(t) for t in texts.values())
        out += "".join("".join(t["arguments"]) for calls in tools.values() for t in calls.values())
        completion_tokens = token_counter(model=model, text=out)
        thought = "".join("".join(r) for r in reasoning.values())
        if thought:
            completion_tokens += token_counter(model=model, text=thought)
        usage = Usage(
            prompt_tokens=prompt,
            completion_tokens=completion_tokens,
            total_tokens=prompt + completion_tokens,
        )
    response = ModelResponse(
        id=first.id,
        created=first.created,
        model=first.model,
        system_fingerprint=first.system_fingerprint,
        choices=choices,
        usage=usage,
    )
    hidden = getattr(first, "_hidden_params", None) or {}
    provider = hidden.get("custom_llm_provider") or ""
    if hidden.get("cache_hit") is True:  # a replayed cache hit costs nothing (litellm)
        response._hidden_params = {
            "custom_llm_provider": provider or None,
            "cache_hit": True,
            "cache_key": hidden.get("cache_key"),
            "response_cost": 0.0,
        }
        return response
    response._hidden_params = {
        "custom_llm_provider": provider or None,
        "response_cost": response_cost(response, model, provider),
    }
    return response


def _add_thinking(blocks: list[dict[str, Any]], piece: Any) -> None:
    """Fold one streamed ``thinking_blocks`` fragment into ``blocks``.

    A thinking fragment extends the last thinking block until that block got
    its signature (Anthropic sends the signature last); other blocks
    (``redacted_thinking``) arrive whole.
    """
    piece = piece.model_dump() if hasattr(piece, "model_dump") else dict(piece)
    if piece.get("type") != "thinking":
        blocks.append(piece)
        return
    last = blocks[-1] if blocks else None
    if last is None or last.get("type") != "thinking" or last.get("signature"):
        last = {"type": "thinking", "thinking": ""}
        blocks.append(last)
    last["thinking"] += piece.get("thinking") or ""
    if piece.get("signature"):
        last["signature"] = last.get("signature", "") + piece["signature"]
