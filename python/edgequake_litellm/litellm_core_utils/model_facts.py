"""Facts generated from litellm by ``scripts/update_model_data.py``, read on first use.

``data/model_params.json.zlib`` holds the litellm version the data came from, litellm's
``provider_list``, the keys its ``get_model_info`` returns, and its answer of
``get_supported_openai_params`` for every chat/completion model of the map and for an unknown
model of every provider.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Optional

from .get_model_cost_map import read_data

__all__ = ["chat_model_map", "facts", "litellm_version", "provider_list", "supported_params"]


@cache
def facts() -> dict[str, Any]:
    """The decoded facts document."""
    doc: dict[str, Any] = json.loads(read_data("model_params.json.zlib"))
    return doc


def litellm_version() -> str:
    """The litellm release the bundled data came from (e.g. ``"1.110.2"``)."""
    return str(facts()["litellm_version"])


@cache
def provider_list() -> tuple[str, ...]:
    """litellm's ``provider_list`` (every ``custom_llm_provider`` name), in litellm's order."""
    return tuple(facts()["provider_list"])


@cache
def provider_set() -> frozenset[str]:
    """``provider_list`` as a set."""
    return frozenset(provider_list())


@cache
def chat_model_map() -> dict[str, dict[str, Any]]:
    """The chat/completion models of the bundled map as ``{key: {"litellm_provider": p}}``:
    enough for the lookups of a call's parameter check, without reading the map itself."""
    return {k: {"litellm_provider": p} for k, p in facts()["chat_models"].items()}


def supported_params(model_key: Optional[str], provider: str) -> Optional[list[str]]:
    """litellm's supported OpenAI params for a model-map key, else for ``provider``'s unknown
    model; ``None`` when litellm has no chat config for the provider."""
    doc = facts()
    lists: list[list[str]] = doc["param_lists"]
    by_model: dict[str, Optional[int]] = doc["params_by_model"]
    if model_key is not None and model_key in by_model:
        i = by_model[model_key]
    else:
        i = doc["params_by_provider"].get(provider)
    return None if i is None else list(lists[i])
