"""Facts generated from litellm by ``scripts/update_model_data.py``, read on first use.

``data/model_params.json.zlib`` holds the litellm version the data came from, litellm's
``provider_list``, the keys its ``get_model_info`` returns, and its answer of
``get_supported_openai_params`` for an unknown model of every provider and the distinct lists
it answers for the chat/completion models of the map; which list a model of the map has is in
the model's line of the bundled map (``bundled_data``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, Optional

from .bundled_data import map_bundle, read_data

__all__ = [
    "ChatModels",
    "chat_models",
    "facts",
    "litellm_version",
    "provider_list",
    "supported_params",
]


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


def _chat_provider(key: str) -> Optional[str]:
    """The provider of the bundled map's entry ``key`` if it is a chat/completion model, else
    ``None``."""
    line = map_bundle().line(key)
    return (line.chat_provider or None) if line is not None else None


class ChatModels(Mapping[str, dict[str, Any]]):
    """The chat/completion models of the bundled map (as generated, whatever this process
    does to ``litellm.model_cost``), as ``{key: {"litellm_provider": p}}``: enough for the
    lookups of a call's parameter check. Each key read decompresses (at most) the bundle block
    of its name, and parses no entry (the provider is in the key's line); iterating reads the
    whole bundle."""

    def __getitem__(self, key: str) -> dict[str, Any]:
        provider = _chat_provider(key) if isinstance(key, str) else None
        if provider is None:
            raise KeyError(key)
        return {"litellm_provider": provider}

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and _chat_provider(key) is not None

    def lookup_key(self, name: str) -> Optional[str]:
        """``name`` if it is a chat model's key, else the last chat model's key equal to it
        ignoring case, else ``None`` (see ``get_model_cost_map.find_key``)."""
        keys = [line.key for line in map_bundle().matching(name) if line.chat]
        return name if name in keys else (keys[-1] if keys else None)

    def __iter__(self) -> Iterator[str]:
        return (line.key for line in map_bundle().lines() if line.chat)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@cache
def chat_models() -> ChatModels:
    """The bundled map's chat models (one shared view)."""
    return ChatModels()


def supported_params(model_key: Optional[str], provider: str) -> Optional[list[str]]:
    """litellm's supported OpenAI params for a chat model's key of the bundled map, else for
    ``provider``'s unknown model; ``None`` when litellm has no chat config for it."""
    doc = facts()
    line = map_bundle().line(model_key) if model_key is not None else None
    field = line.params if line is not None else ""
    if field == "":
        i = doc["params_by_provider"].get(provider)
    else:
        i = None if field == "-" else int(field)
    return None if i is None else list(doc["param_lists"][i])
