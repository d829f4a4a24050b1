"""``litellm.Cache`` and ``enable_cache`` / ``update_cache`` / ``disable_cache``.

``litellm.cache = Cache(...)`` caches ``completion``/``acompletion`` (streamed
or not), ``embedding``/``aembedding`` (per input) and ``text_completion``
results. A hit sends nothing and returns the stored response with
``_hidden_params["cache_hit"] = True``. The key is litellm's: the SHA-256 of
the call's model and OpenAI parameters (``get_cache_key``), prefixed by the
namespace, so processes sharing a Redis server hit each other's entries.
A cache that fails (Redis down, a bad entry) is a miss, logged; it never fails
a call.

Per call (litellm's names): ``caching=False`` skips the cache, ``caching=True``
uses it when ``litellm.cache`` is set (the default once it is);
``cache={"no-cache": True}`` does not read, ``{"no-store": True}`` does not
write, ``{"ttl": s}`` sets the entry's lifetime in seconds, ``{"s-maxage": s}``
accepts only entries younger than ``s`` seconds, ``{"namespace": "x"}``
prefixes the key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from typing import Any, Optional, Union

from .disk_cache import DiskCache
from .in_memory_cache import InMemoryCache
from .redis_cache import RedisCache

__all__ = ["Cache", "disable_cache", "enable_cache", "update_cache"]

logger = logging.getLogger("LiteLLM")

#: Call types cached by default (litellm's ``CallTypes`` that have a cached path here).
DEFAULT_CALL_TYPES = (
    "completion",
    "acompletion",
    "embedding",
    "aembedding",
    "text_completion",
    "atext_completion",
)

#: The request parameters that make up the key (litellm's
#: ``ModelParamHelper._get_all_llm_api_params``); any other argument is not part of it.
KEY_PARAMS = frozenset(
    [
        "audio",
        "best_of",
        "chunking_strategy",
        "dimensions",
        "documents",
        "echo",
        "encoding_format",
        "file",
        "frequency_penalty",
        "function_call",
        "functions",
        "include",
        "input",
        "keywords",
        "known_speaker_names",
        "known_speaker_references",
        "language",
        "languages",
        "logit_bias",
        "logprobs",
        "max_chunks_per_doc",
        "max_completion_tokens",
        "max_tokens",
        "max_tokens_per_doc",
        "messages",
        "modalities",
        "model",
        "moderation",
        "n",
        "parallel_tool_calls",
        "prediction",
        "presence_penalty",
        "prompt",
        "prompt_cache_key",
        "prompt_cache_options",
        "prompt_cache_retention",
        "query",
        "rank_fields",
        "reasoning_effort",
        "response_format",
        "return_documents",
        "safety_identifier",
        "seed",
        "service_tier",
        "stop",
        "store",
        "stream",
        "stream_options",
        "suffix",
        "temperature",
        "thinking",
        "timestamp_granularities",
        "tool_choice",
        "tools",
        "top_logprobs",
        "top_n",
        "top_p",
        "user",
        "verbosity",
        "web_search_options",
    ]
)

Backend = Union[InMemoryCache, RedisCache, DiskCache]


def _type_name(kind: Any) -> str:
    return str(getattr(kind, "value", kind))


class Cache:
    """A response cache (litellm's ``Cache``).

    Args:
        type: ``"local"`` (this process, default), ``"redis"`` (shared; the
            ``redis`` extra) or ``"disk"`` (one machine; the ``disk`` extra).
        host, port, password, redis_url: the Redis server (``type="redis"``);
            other keyword arguments go to ``redis.Redis``.
        namespace: prefix of every key (``"<namespace>:<sha256>"``).
        ttl: seconds an entry lives (``None``: forever, or until evicted);
            ``default_in_memory_ttl`` / ``default_in_redis_ttl`` per backend.
        supported_call_types: which calls are cached (default: completion,
            embedding, text_completion and their async forms).
        disk_cache_dir: the directory of ``type="disk"``.
        max_size_in_memory: entries kept by ``type="local"`` (1000).

    Raises:
        ValueError: a cache type this package does not provide (litellm's
            semantic, S3, GCS, Qdrant caches: see the README).
        ImportError: ``redis`` or ``disk`` without its library installed.
    """

    def __init__(
        self,
        type: Any = "local",
        mode: Optional[str] = None,
        host: Optional[str] = None,
        port: Optional[Union[int, str]] = None,
        password: Optional[str] = None,
        namespace: Optional[str] = None,
        ttl: Optional[float] = None,
        default_in_memory_ttl: Optional[float] = None,
        default_in_redis_ttl: Optional[float] = None,
        supported_call_types: Optional[list[str]] = None,
        redis_url: Optional[str] = None,
        disk_cache_dir: Optional[str] = None,
        max_size_in_memory: int = 1000,
        **redis_kwargs: Any,
    ) -> None:
        self.type = _type_name(type)
        self.mode = mode
        self.namespace = namespace
        self.ttl = ttl
        self.supported_call_types = list(supported_call_types or DEFAULT_CALL_TYPES)
        self.cache: Backend
        if self.type == "local":
            self.cache = InMemoryCache(max_size_in_memory, default_in_memory_ttl)
        elif self.type == "redis":
            self.cache = RedisCache(
                host, int(port) if port else None, password, redis_url, **redis_kwargs
            )
            self.ttl = ttl if ttl is not None else default_in_redis_ttl
        elif self.type == "disk":
            self.cache = DiskCache(disk_cache_dir)
        else:
            raise ValueError(
                f"Cache type {self.type!r} is not provided by edgequake-litellm; "
                "use 'local', 'redis' or 'disk' (README: Router and caching)"
            )
        self._failing = False

    def __repr__(self) -> str:
        return f"Cache(type={self.type!r}, namespace={self.namespace!r}, ttl={self.ttl!r})"

    # -- keys ----------------------------------------------------------------

    def get_cache_key(self, **kwargs: Any) -> str:
        """The key of a call: ``sha256("param: value" ...)`` over the call's
        request parameters in argument order (``model`` replaced by the
        Router's ``metadata["model_group"]`` when present), prefixed by
        ``cache["namespace"]``, ``metadata["redis_namespace"]`` or the Cache's
        namespace. Same inputs, same key as litellm 1.81; ``preset_cache_key``
        in kwargs wins."""
        preset = kwargs.get("preset_cache_key") or (kwargs.get("litellm_params") or {}).get(
            "preset_cache_key"
        )
        if preset:
            return str(preset)
        metadata = kwargs.get("metadata") or {}
        text = ""
        for param, value in kwargs.items():
            if param not in KEY_PARAMS:
                continue
            if param == "model":
                value = metadata.get("model_group") or value
            if value is not None:
                text += f"{param}: {value}"
        digest = hashlib.sha256(text.encode()).hexdigest()
        namespace = (
            (kwargs.get("cache") or {}).get("namespace")
            or metadata.get("redis_namespace")
            or self.namespace
        )
        return f"{namespace}:{digest}" if namespace else digest

    # -- reads and writes (never raise) ---------------------------------------

    def _failed(self, what: str, err: BaseException) -> None:
        log = logger.debug if self._failing else logger.warning
        log(
            "litellm.Cache(%s) %s failed, treated as a miss: %s: %s",
            self.type,
            what,
            type(err).__name__,
            err,
        )
        self._failing = True

    def _entry(self, raw: Optional[str], kwargs: dict[str, Any]) -> Optional[dict[str, Any]]:
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
            stored, response = float(entry["timestamp"]), entry["response"]
        except (ValueError, KeyError, TypeError) as err:
            self._failed("read (bad entry)", err)
            return None
        self._failing = False
        max_age = (kwargs.get("cache") or {}).get("s-maxage")
        if max_age is not None and time.time() - stored > float(max_age):
            return None
        result: dict[str, Any] = {**entry, "response": response}
        return result

    def _value(self, result: Any, kwargs: dict[str, Any]) -> tuple[str, Optional[float]]:
        response = result.model_dump() if hasattr(result, "model_dump") else result
        hidden = getattr(result, "_hidden_params", None) or {}
        entry = {
            "timestamp": time.time(),
            "response": response,
            "custom_llm_provider": hidden.get("custom_llm_provider"),
        }
        ttl = (kwargs.get("cache") or {}).get("ttl", self.ttl)
        return json.dumps(entry, default=str), None if ttl is None else float(ttl)

    def get_cache(self, **kwargs: Any) -> Optional[dict[str, Any]]:
        """The stored entry of this call (``{"timestamp", "response",
        "custom_llm_provider"}``), or ``None`` on a miss or a failing cache."""
        try:
            raw = self.cache.get_cache(kwargs.get("cache_key") or self.get_cache_key(**kwargs))
        except Exception as err:
            self._failed("read", err)
            return None
        return self._entry(raw, kwargs)

    async def async_get_cache(self, **kwargs: Any) -> Optional[dict[str, Any]]:
        """Async ``get_cache``."""
        try:
            raw = await self.cache.async_get_cache(
                kwargs.get("cache_key") or self.get_cache_key(**kwargs)
            )
        except Exception as err:
            self._failed("read", err)
            return None
        return self._entry(raw, kwargs)

    def add_cache(self, result: Any, **kwargs: Any) -> None:
        """Store ``result`` (a response object or a dict) as this call's entry."""
        try:
            value, ttl = self._value(result, kwargs)
            self.cache.set_cache(
                kwargs.get("cache_key") or self.get_cache_key(**kwargs), value, ttl
            )
        except Exception as err:
            self._failed("write", err)

    async def async_add_cache(self, result: Any, **kwargs: Any) -> None:
        """Async ``add_cache``."""
        try:
            value, ttl = self._value(result, kwargs)
            await self.cache.async_set_cache(
                kwargs.get("cache_key") or self.get_cache_key(**kwargs), value, ttl
            )
        except Exception as err:
            self._failed("write", err)


def _pkg() -> Any:
    return sys.modules[__package__.rsplit(".", 1)[0]]


def enable_cache(
    type: Any = "local",
    host: Optional[str] = None,
    port: Optional[Union[int, str]] = None,
    password: Optional[str] = None,
    supported_call_types: Optional[list[str]] = None,
    **kwargs: Any,
) -> None:
    """Set ``litellm.cache`` to a new ``Cache`` (same arguments) unless one is set."""
    pkg = _pkg()
    if pkg.cache is None:
        pkg.cache = Cache(
            type,
            host=host,
            port=port,
            password=password,
            supported_call_types=supported_call_types,
            **kwargs,
        )


def update_cache(
    type: Any = "local",
    host: Optional[str] = None,
    port: Optional[Union[int, str]] = None,
    password: Optional[str] = None,
    supported_call_types: Optional[list[str]] = None,
    **kwargs: Any,
) -> None:
    """Replace ``litellm.cache`` by a new ``Cache`` (same arguments)."""
    _pkg().cache = Cache(
        type,
        host=host,
        port=port,
        password=password,
        supported_call_types=supported_call_types,
        **kwargs,
    )


def disable_cache() -> None:
    """Set ``litellm.cache`` to ``None``: calls are no longer cached."""
    _pkg().cache = None
