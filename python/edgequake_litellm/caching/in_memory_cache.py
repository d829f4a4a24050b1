"""``InMemoryCache``: a process-local cache with per-entry TTLs (litellm's name)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Optional

__all__ = ["InMemoryCache"]


class InMemoryCache:
    """At most ``max_size_in_memory`` entries (least recently used evicted);
    ``default_ttl`` seconds when an entry sets none (``None``: no expiry)."""

    def __init__(self, max_size_in_memory: int = 1000, default_ttl: Optional[float] = None) -> None:
        self.max_size_in_memory = max_size_in_memory
        self.default_ttl = default_ttl
        self._data: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get_cache(self, key: str) -> Optional[str]:
        """The stored value, or ``None`` when absent or expired."""
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return entry[1]

    def set_cache(self, key: str, value: str, ttl: Optional[float] = None) -> None:
        """Store ``value`` for ``ttl`` seconds (else ``default_ttl``)."""
        ttl = self.default_ttl if ttl is None else ttl
        expires = time.monotonic() + ttl if ttl is not None else float("inf")
        with self._lock:
            self._data[key] = (expires, value)
            self._data.move_to_end(key)
            while len(self._data) > self.max_size_in_memory:
                self._data.popitem(last=False)

    async def async_get_cache(self, key: str) -> Optional[str]:
        """``get_cache`` (no I/O)."""
        return self.get_cache(key)

    async def async_set_cache(self, key: str, value: str, ttl: Optional[float] = None) -> None:
        """``set_cache`` (no I/O)."""
        self.set_cache(key, value, ttl)

    def flush_cache(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._data.clear()
