"""``DiskCache``: entries in a directory through the ``diskcache`` library (litellm's name)."""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["DiskCache"]


class DiskCache:
    """A cache in ``disk_cache_dir`` (default ``.litellm_cache``), shared by the
    processes of one machine. Raises ``ImportError`` without ``diskcache``
    (``pip install 'edgequake-litellm[disk]'``)."""

    def __init__(self, disk_cache_dir: Optional[str] = None) -> None:
        try:
            import diskcache  # type: ignore[import-untyped]
        except ImportError as e:
            raise ImportError(
                "Cache(type='disk') needs diskcache: pip install 'edgequake-litellm[disk]'"
            ) from e
        self.disk_cache: Any = diskcache.Cache(disk_cache_dir or ".litellm_cache")

    def get_cache(self, key: str) -> Optional[str]:
        """The stored value, or ``None``."""
        value = self.disk_cache.get(key)
        return value if isinstance(value, str) else None

    def set_cache(self, key: str, value: str, ttl: Optional[float] = None) -> None:
        """Store ``value`` for ``ttl`` seconds (``None``: no expiry)."""
        self.disk_cache.set(key, value, expire=ttl)

    async def async_get_cache(self, key: str) -> Optional[str]:
        """``get_cache`` (a local file read)."""
        return self.get_cache(key)

    async def async_set_cache(self, key: str, value: str, ttl: Optional[float] = None) -> None:
        """``set_cache`` (a local file write)."""
        self.set_cache(key, value, ttl)

    def flush_cache(self) -> None:
        """Drop every entry."""
        self.disk_cache.clear()
