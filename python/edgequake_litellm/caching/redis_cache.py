"""``RedisCache``: entries in Redis (redis-py), shared by every process and machine
using the server (litellm's name). Socket timeouts are bounded
(``router_utils.usage_state.REDIS_TIMEOUT``); errors propagate to ``Cache``,
which counts them as misses."""

from __future__ import annotations

import asyncio
from typing import Any, Optional

from ..router_utils.usage_state import REDIS_TIMEOUT

__all__ = ["RedisCache"]


class RedisCache:
    """``url`` (``redis://...``) or ``host``/``port``/``password``; other keyword
    arguments go to ``redis.Redis`` (``ssl``, ``db``, ...). Raises
    ``ImportError`` without redis-py (``pip install 'edgequake-litellm[redis]'``)."""

    def __init__(
        self,
        host: Optional[str] = None,
        port: Optional[int] = None,
        password: Optional[str] = None,
        url: Optional[str] = None,
        **redis_kwargs: Any,
    ) -> None:
        try:
            import redis
        except ImportError as e:
            raise ImportError(
                "Cache(type='redis') needs redis-py: pip install 'edgequake-litellm[redis]'"
            ) from e
        self.errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        opts: dict[str, Any] = {
            "socket_timeout": REDIS_TIMEOUT,
            "socket_connect_timeout": REDIS_TIMEOUT,
            "decode_responses": True,
            **redis_kwargs,
        }
        if url:
            self.redis_client: Any = redis.Redis.from_url(url, **opts)
            self._make_async: Any = lambda: redis.asyncio.Redis.from_url(url, **opts)
        else:
            conn: dict[str, Any] = {
                "host": host or "localhost",
                "port": int(port or 6379),
                "password": password,
            }
            self.redis_client = redis.Redis(**conn, **opts)
            self._make_async = lambda: redis.asyncio.Redis(**conn, **opts)
        self._async: Optional[tuple[Any, Any]] = None

    def _aclient(self) -> Any:
        loop = asyncio.get_running_loop()
        if self._async is None or self._async[0] is not loop:
            self._async = (loop, self._make_async())
        return self._async[1]

    @staticmethod
    def _px(ttl: Optional[float]) -> Optional[int]:
        return None if ttl is None else max(1, int(ttl * 1000))

    def get_cache(self, key: str) -> Optional[str]:
        """The stored value, or ``None``."""
        value: Optional[str] = self.redis_client.get(key)
        return value

    def set_cache(self, key: str, value: str, ttl: Optional[float] = None) -> None:
        """Store ``value`` for ``ttl`` seconds (``None``: no expiry)."""
        self.redis_client.set(key, value, px=self._px(ttl))

    async def async_get_cache(self, key: str) -> Optional[str]:
        """``get_cache`` on the running loop's connection."""
        value: Optional[str] = await self._aclient().get(key)
        return value

    async def async_set_cache(self, key: str, value: str, ttl: Optional[float] = None) -> None:
        """``set_cache`` on the running loop's connection."""
        await self._aclient().set(key, value, px=self._px(ttl))

    def flush_cache(self) -> None:
        """Drop every key of the Redis database (as litellm's ``flush_cache``)."""
        self.redis_client.flushdb()
