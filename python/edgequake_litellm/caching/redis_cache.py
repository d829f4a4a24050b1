"""``RedisCache``: entries in Redis (redis-py), shared by every process and machine
using the server (litellm's name). Socket timeouts are bounded
(``router_utils.usage_state.redis_clients``); errors propagate to ``Cache``,
which counts them as misses."""

from __future__ import annotations

from typing import Any, Optional

from ..router_utils.usage_state import LoopClient, redis_clients

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
            import redis  # noqa: F401
        except ImportError as e:
            raise ImportError(
                "Cache(type='redis') needs redis-py: pip install 'edgequake-litellm[redis]'"
            ) from e
        self.redis_client, make_async, _ = redis_clients(
            host, port, password, url, decode_responses=True, **redis_kwargs
        )
        self._aclient = LoopClient(make_async)

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
        value: Optional[str] = await (await self._aclient.get()).get(key)
        return value

    async def async_set_cache(self, key: str, value: str, ttl: Optional[float] = None) -> None:
        """``set_cache`` on the running loop's connection."""
        await (await self._aclient.get()).set(key, value, px=self._px(ttl))

    def flush_cache(self) -> None:
        """Drop every key of the Redis database (as litellm's ``flush_cache``)."""
        self.redis_client.flushdb()
