"""litellm's model map (``litellm.model_cost``): bundled with the package, read on first use.

The facts are litellm's ``model_prices_and_context_window.json`` (MIT, BerriAI/litellm),
taken from the litellm release named in ``data/model_params.json.zlib`` by
``scripts/update_model_data.py``. Nothing is fetched from the network unless the caller
asks for it with :func:`get_model_cost_map` (litellm fetches the map at every import).

:class:`ModelCostMap` is a ``dict`` whose entries are parsed one at a time, when a key is
first read: looking one model up parses one JSON line, not the whole map. Iterating, ``len``,
comparing or copying it parses everything once.
"""

from __future__ import annotations

import json
import os
import threading
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Optional, Union

__all__ = ["ModelCostMap", "get_model_cost_map"]

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


def read_data(name: str) -> bytes:
    """The decompressed bytes of the bundled data file ``name`` (``data/<name>``)."""
    with open(os.path.join(DATA_DIR, name), "rb") as f:
        return zlib.decompress(f.read())


_lock = threading.Lock()
_bundled: Optional[tuple[bytes, dict[str, tuple[int, int]]]] = None


def _bundled_index() -> tuple[bytes, dict[str, tuple[int, int]]]:
    """The decompressed map (one ``key<TAB>json`` line per model) and each key's JSON span."""
    global _bundled
    with _lock:
        if _bundled is None:
            blob = read_data("model_prices.zlib")
            index: dict[str, tuple[int, int]] = {}
            pos, size = 0, len(blob)
            while pos < size:
                tab = blob.index(b"\t", pos)
                end = blob.index(b"\n", tab)
                index[blob[pos:tab].decode()] = (tab + 1, end)
                pos = end + 1
            _bundled = (blob, index)
        return _bundled


class ModelCostMap(dict):  # type: ignore[type-arg]
    """``litellm.model_cost``: model name → litellm's model facts (costs in USD per token,
    context window in tokens, ``litellm_provider``, ``mode``, ``supports_*`` flags).

    A ``dict`` in every way a caller can observe (``[]``, ``in``, ``get``, iteration,
    ``len``, assignment, ``del``, ``update``, ``json.dumps``, pickling); bundled entries are
    parsed when first read. Assigning or deleting a key changes only this process's map.
    """

    def __init__(self) -> None:
        super().__init__()
        self._deleted: set[str] = set()
        self._complete = False
        #: Bumped by every write, so caches of lookups know when to refresh.
        self.version = 1

    # -- lazy reads ---------------------------------------------------------

    def _parse(self, key: Any) -> Optional[dict[str, Any]]:
        if self._complete or not isinstance(key, str) or key in self._deleted:
            return None
        blob, index = _bundled_index()
        span = index.get(key)
        if span is None:
            return None
        entry: dict[str, Any] = json.loads(blob[span[0] : span[1]])
        return entry

    def __missing__(self, key: Any) -> dict[str, Any]:
        entry = self._parse(key)
        if entry is None:
            raise KeyError(key)
        dict.__setitem__(self, key, entry)
        return entry

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        if self._complete or not isinstance(key, str) or key in self._deleted:
            return False
        return key in _bundled_index()[1]

    def get(self, key: Any, default: Any = None) -> Any:
        """``self[key]`` if present, else ``default``."""
        try:
            return self[key]
        except KeyError:
            return default

    def bundled_keys(self) -> Iterable[str]:
        """Every key without parsing an entry (bundled keys first, in the map's order)."""
        if self._complete:
            return dict.keys(self)
        index = _bundled_index()[1]
        extra = [k for k in dict.keys(self) if k not in index]
        return [*(k for k in index if k not in self._deleted), *extra]

    def _materialize(self) -> None:
        if self._complete:
            return
        blob, index = _bundled_index()
        merged: dict[str, Any] = {}
        for key, (start, end) in index.items():
            if key in self._deleted:
                continue
            merged[key] = (
                dict.__getitem__(self, key)
                if dict.__contains__(self, key)
                else json.loads(blob[start:end])
            )
        for key, value in dict.items(self):
            merged.setdefault(key, value)
        dict.clear(self)
        dict.update(self, merged)
        self._complete = True
        self._deleted.clear()

    # -- writes ---------------------------------------------------------------

    def __setitem__(self, key: str, value: Any) -> None:
        self.version += 1
        self._deleted.discard(key)
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
