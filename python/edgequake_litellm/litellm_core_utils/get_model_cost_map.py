"""litellm's model map (``litellm.model_cost``): bundled with the package, read on first use.

The facts are litellm's ``model_prices_and_context_window.json`` (MIT, BerriAI/litellm),
taken from the litellm release named in ``data/model_params.json.zlib`` by
``scripts/update_model_data.py``. Nothing is fetched from the network unless the caller
asks for it with :func:`get_model_cost_map` (litellm fetches the map at every import).

:class:`ModelCostMap` is a ``dict`` whose entries are parsed one at a time, when a key is
first read: looking one model up decompresses one block of 16 entries and parses one JSON line
(``bundled_data``), not the whole map. Iterating, ``len``, comparing or copying it
parses everything once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any, Optional, Union

from .._settings import model_cost_generation
from .bundled_data import map_bundle

__all__ = ["ModelCostMap", "find_key", "get_model_cost_map"]


def find_key(cost: Mapping[str, Any], name: str) -> Optional[str]:
    """``name`` as a key of the model map ``cost``: ``name`` itself when it is a key, else the
    key equal to it ignoring case (the last in the map's order), else ``None``.

    A map with a ``lookup_key`` method (:class:`ModelCostMap`, the bundled chat-model view)
    answers itself; any other mapping (a map a user assigned to ``litellm.model_cost``) is
    searched through a lowercase index of its keys, rebuilt when it changes.
    """
    lookup = getattr(cost, "lookup_key", None)
    if lookup is not None:
        found: Optional[str] = lookup(name)
        return found
    return _find_in_keys(cost, name)


_lowercase_cache: dict[tuple[int, int], dict[str, str]] = {}


def _find_in_keys(cost: Mapping[str, Any], name: str) -> Optional[str]:
    """:func:`find_key` through ``cost``'s keys (iterates them once per change of ``cost``)."""
    if name in cost:
        return name
    generation = model_cost_generation(cost)
    lowered = _lowercase_cache.get(generation)
    if lowered is None:
        lowered = {k.lower(): k for k in cost}
        _lowercase_cache.clear()
        _lowercase_cache[generation] = lowered
    key = lowered.get(name.lower())
    return key if key is not None and key in cost else None


class ModelCostMap(dict):  # type: ignore[type-arg]
    """``litellm.model_cost``: model name → litellm's model facts (costs in USD per token,
    context window in tokens, ``litellm_provider``, ``mode``, ``supports_*`` flags).

    A ``dict`` in every way a caller can observe (``[]``, ``in``, ``get``, iteration,
    ``len``, assignment, ``del``, ``update``, ``json.dumps``, pickling); bundled entries are
    parsed when first read. Assigning or deleting a key changes only this process's map.
    """

    def __init__(self) -> None:
        super().__init__()
        #: Bundled keys deleted in this process.
        self._deleted: set[str] = set()
        #: Keys assigned in this process, in dict order (an ordered set).
        self._assigned: dict[str, None] = {}
        #: ``{key.lower(): key}`` of the assigned keys the bundle lacks, and its version.
        self._added_lowercase: tuple[int, dict[str, str]] = (0, {})
        #: Every entry is in the dict itself (after a whole-map view, or ``clear``).
        self._complete = False
        #: Bumped by every write, so caches of lookups know when to refresh.
        self.version = 1

    # -- lazy reads ---------------------------------------------------------

    def _bundled(self, key: Any) -> bool:
        """Whether the bundle may serve ``key``: not complete, a string, not deleted."""
        return not self._complete and isinstance(key, str) and key not in self._deleted

    def __missing__(self, key: Any) -> dict[str, Any]:
        line = map_bundle().line(key) if self._bundled(key) else None
        if line is None:
            raise KeyError(key)
        entry: dict[str, Any] = json.loads(line.entry)
        dict.__setitem__(self, key, entry)
        return entry

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        return self._bundled(key) and map_bundle().line(key) is not None

    def get(self, key: Any, default: Any = None) -> Any:
        """``self[key]`` if present, else ``default``."""
        try:
            return self[key]
        except KeyError:
            return default

    def lookup_key(self, name: str) -> Optional[str]:
        """:func:`find_key` for this map: ``name`` if it is a key, else the key equal to it
        ignoring case, keys added in this process winning over bundled ones; reads the one
        bundle block ``name`` hashes to, never the key list."""
        if self._complete:
            return _find_in_keys(self, name)
        if dict.__contains__(self, name):
            return name
        bundled = [line.key for line in map_bundle().matching(name) if self._bundled(line.key)]
        if name in bundled:
            return name
        added = self._added_lowercase_keys().get(name.lower())
        if added is not None:
            return added
        return bundled[-1] if bundled else None

    def _added_lowercase_keys(self) -> dict[str, str]:
        """``{key.lower(): key}`` of the assigned keys that are not bundled keys."""
        version, lowered = self._added_lowercase
        if version != self.version:
            bundle = map_bundle()
            lowered = {k.lower(): k for k in self._assigned if bundle.line(k) is None}
            self._added_lowercase = (self.version, lowered)
        return lowered

    def _materialize(self) -> None:
        if self._complete:
            return
        merged: dict[str, Any] = {}
        for line in map_bundle().lines():
            key = line.key
            if key in self._deleted:
                continue
            merged[key] = (
                dict.__getitem__(self, key)
                if dict.__contains__(self, key)
                else json.loads(line.entry)
            )
        for key, value in dict.items(self):
            merged.setdefault(key, value)
        dict.clear(self)
        dict.update(self, merged)
        self._complete = True
        self._deleted.clear()
        self._assigned.clear()

    # -- writes ---------------------------------------------------------------

    def __setitem__(self, key: str, value: Any) -> None:
        self.version += 1
        self._deleted.discard(key)
        if not self._complete:
            self._assigned[key] = None
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: str) -> None:
        present = key in self
        if not present:
            raise KeyError(key)
        self.version += 1
        if dict.__contains__(self, key):
            dict.__delitem__(self, key)
        if not self._complete:
            self._deleted.add(key)
            self._assigned.pop(key, None)

    def update(self, *args: Any, **kwargs: Any) -> None:
        """``dict.update``: every key given replaces the bundled entry."""
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key: str, default: Any = None) -> Any:
        """``dict.setdefault``."""
        if key in self:
            return self[key]
        self[key] = default
        return default

    def pop(self, key: str, *default: Any) -> Any:
        """``dict.pop``."""
        if key in self:
            value = self[key]
            del self[key]
            return value
        if default:
            return default[0]
        raise KeyError(key)

    def popitem(self) -> tuple[str, Any]:
        """``dict.popitem``."""
        self._materialize()
        return dict.popitem(self)

    def clear(self) -> None:
        """``dict.clear``."""
        dict.clear(self)
        self._deleted.clear()
        self._assigned.clear()
        self._complete = True
        self.version += 1

    # -- whole-map views: parse everything once --------------------------------

    def __iter__(self) -> Iterator[str]:
        self._materialize()
        return dict.__iter__(self)

    def __reversed__(self) -> Iterator[str]:
        self._materialize()
        return dict.__reversed__(self)

    def __len__(self) -> int:
        self._materialize()
        return dict.__len__(self)

    def keys(self) -> Any:
        """``dict.keys`` (parses the whole map once)."""
        self._materialize()
        return dict.keys(self)

    def values(self) -> Any:
        """``dict.values`` (parses the whole map once)."""
        self._materialize()
        return dict.values(self)

    def items(self) -> Any:
        """``dict.items`` (parses the whole map once)."""
        self._materialize()
        return dict.items(self)

    def copy(self) -> dict[str, Any]:
        """A plain ``dict`` copy of the whole map."""
        self._materialize()
        return dict(dict.items(self))

    def __eq__(self, other: object) -> bool:
        self._materialize()
        return dict.__eq__(self, other)

    __hash__ = None

    def __repr__(self) -> str:
        self._materialize()
        return dict.__repr__(self)

    def __or__(self, other: Any) -> dict[str, Any]:  # type: ignore[override]
        merged = self.copy()
        merged.update(other)
        return merged

    def __ior__(self, other: Any) -> ModelCostMap:
        self.update(other)
        return self

    def __reduce__(self) -> Any:
        return (dict, (self.copy(),))


def get_model_cost_map(url: Union[str, os.PathLike[str]]) -> dict[str, Any]:
    """Read a model map in litellm's JSON format from ``url``: a local path, a ``file://``
    URL, or an ``http(s)://`` URL (fetched now, with a 10 s timeout).

    This is the explicit refresh: nothing else in this package reads the network for model
    data. Use the result with ``litellm.register_model(result)`` (merge) or
    ``litellm.model_cost = result`` (replace).

    Raises:
        OSError / ``urllib.error.URLError``: the file or URL cannot be read.
        ValueError: the content is not a JSON object.
    """
    text = str(url)
    if text.startswith(("http://", "https://")):
        import urllib.request

        with urllib.request.urlopen(text, timeout=10) as reply:
            raw = reply.read()
    else:
        path = text.removeprefix("file://") if text.startswith("file://") else text
        with open(path, "rb") as f:
            raw = f.read()
    data = json.loads(raw)
    if not isinstance(data, Mapping):
        raise ValueError(f"{text}: expected a JSON object of model entries")
    result = dict(data)
    result.pop("sample_spec", None)
    return result
