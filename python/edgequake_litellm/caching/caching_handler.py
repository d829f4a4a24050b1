"""The one caching hook of ``main.py``: ``@cached("completion")`` etc.

When no ``litellm.cache`` is set (or the call passes ``caching=False``) the
wrapped function runs directly, at the cost of one attribute read. Otherwise:
look the call up (hit: build the response from the entry, or replay it as a
stream, with ``_hidden_params["cache_hit"] = True``), else call and store the
result (a stream is stored once it has been read to its end). Embeddings with
a list input are looked up per input; only the missing inputs are sent.
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Generator
from typing import Any, Callable, Optional, TypeVar, cast

__all__ = ["cached"]

_F = TypeVar("_F", bound=Callable[..., Any])

#: call type → the response class rebuilt from an entry (in ``types.utils``).
_RESPONSE_CLASS = {
    "completion": "ModelResponse",
    "embedding": "EmbeddingResponse",
    "text_completion": "TextCompletionResponse",
}


def _pkg() -> Any:
    return sys.modules[__package__.rsplit(".", 1)[0]]


def _base(call_type: str) -> str:
    """``"acompletion"`` → ``"completion"``; other names unchanged."""
    return call_type[1:] if call_type[1:] in _RESPONSE_CLASS else call_type


def _cache_for(call_type: str, kwargs: dict[str, Any]) -> Any:
    cache = _pkg().cache
    if cache is None or kwargs.get("caching") is False:
        return None
    return cache if call_type in cache.supported_call_types else None


def _call_kwargs(
    sig: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    bound = sig.bind_partial(*args, **kwargs).arguments
    extra = next((k for k, p in sig.parameters.items() if p.kind is p.VAR_KEYWORD), None)
    out = {k: v for k, v in bound.items() if k != extra}
    out.update(bound.get(extra, {}) if extra else {})
    return out


def _from_entry(call_type: str, entry: dict[str, Any], key: str) -> Any:
    from ..types import utils as types

    cls = getattr(types, _RESPONSE_CLASS[_base(call_type)])
    resp = cls.model_validate(entry["response"])
    resp._hidden_params = {
        "custom_llm_provider": entry.get("custom_llm_provider"),
        "cache_hit": True,
        "cache_key": key,
        "response_cost": 0.0,  # litellm: a hit costs nothing
    }
    return resp


def _replay(entry: dict[str, Any], kwargs: dict[str, Any], key: str) -> Any:
    from ..streaming import CustomStreamWrapper, ReplayedStream, include_usage

    resp = entry["response"]
    head = {k: resp.get(k) for k in ("id", "created", "model", "system_fingerprint")}
    head["object"] = "chat.completion.chunk"
    choices = []
    for c in resp.get("choices", []):
        msg = c.get("message") or {}
        delta: dict[str, Any] = {"role": "assistant", "content": msg.get("content")}
        if msg.get("tool_calls"):
            delta["tool_calls"] = [{**tc, "index": i} for i, tc in enumerate(msg["tool_calls"])]
        choices.append(
            {"index": c.get("index", 0), "delta": delta, "finish_reason": c.get("finish_reason")}
        )
    chunks = [json.dumps({**head, "choices": choices}).encode()]
    if resp.get("usage"):
        chunks.append(json.dumps({**head, "choices": [], "usage": resp["usage"]}).encode())
    model = str(resp.get("model") or kwargs.get("model"))
    options = kwargs.get("stream_options")
    stream = CustomStreamWrapper(
        ReplayedStream(chunks, model, include_usage(options)),  # type: ignore[arg-type]
        model,
        str(entry.get("custom_llm_provider") or ""),
        options,
    )
    cast(Any, stream)._hidden_params.update(cache_hit=True, cache_key=key)
    return stream


def _storing_stream(stream: Any, cache: Any, kwargs: dict[str, Any], key: str) -> Any:
    """``stream`` as a subclass that stores the assembled response at its end."""
    from ..streaming import CustomStreamWrapper
    from ..utils import stream_chunk_builder

    class _Storing(CustomStreamWrapper):
        def _store(self) -> None:
            try:
                built = stream_chunk_builder(self.chunks, messages=kwargs.get("messages"))
            except Exception:
                return
            if built is not None:
                built._hidden_params = dict(self._hidden_params)
                cache.add_cache(built, cache_key=key, **kwargs)

        def _end(self) -> None:
            super()._end()
            self._store()

    out = _Storing.__new__(_Storing)
    out.__dict__.update(stream.__dict__)
    return out


def _split_inputs(call_type: str, kw: dict[str, Any]) -> Optional[list[Any]]:
    inp = kw.get("input")
    if _base(call_type) != "embedding" or not isinstance(inp, list) or not inp:
        return None
    if all(isinstance(x, int) for x in inp):
        return None  # one input of token ids
    return inp


def _merge_embeddings(
    cached_rows: dict[int, Any], fresh: Any, inputs: list[Any], kw: dict[str, Any]
) -> Any:
    from ..types.utils import Embedding, EmbeddingResponse

    rows = iter(fresh.data if fresh is not None else [])
    data = []
    for i in range(len(inputs)):
        row = cached_rows.get(i)
        item = Embedding.model_validate(row) if row is not None else next(rows)
        item.index = i
        data.append(item)
    if fresh is None:
        resp = EmbeddingResponse(model=str(kw.get("model")), data=data)
        resp._hidden_params = {"cache_hit": True}
        return resp
    fresh.data = data
    return fresh


_Op = tuple[Any, ...]


def _plan(call_type: str, cache: Any, kw: dict[str, Any]) -> Generator[_Op, Any, Any]:
    """The cached call as steps, for the sync and the async driver: yields
    ``("get", key)``, ``("add", value, key)`` and ``("call", kwargs or None)``
    (``None``: the call as made) and receives each step's result."""
    control = kw.get("cache") or {}
    inputs = _split_inputs(call_type, kw)
    if inputs is not None:
        keys = [cache.get_cache_key(**{**kw, "input": x}) for x in inputs]
        hits: dict[int, Any] = {}
        if not control.get("no-cache"):
            for i, key in enumerate(keys):
                entry = yield ("get", key)
                if entry is not None:
                    hits[i] = entry["response"]
        missing = [x for i, x in enumerate(inputs) if i not in hits]
        fresh = (yield ("call", {**kw, "input": missing})) if missing else None
        if fresh is not None and not control.get("no-store"):
            todo = [k for i, k in enumerate(keys) if i not in hits]
            for key, row in zip(todo, fresh.data):
                yield ("add", row.model_dump(), key)
        return _merge_embeddings(hits, fresh, inputs, kw)
    key = cache.get_cache_key(**kw)
    if not control.get("no-cache"):
        entry = yield ("get", key)
        if entry is not None:
            return (
                _replay(entry, kw, key) if kw.get("stream") else _from_entry(call_type, entry, key)
            )
    result = yield ("call", None)
    if control.get("no-store"):
        return result
    if kw.get("stream"):
        return _storing_stream(result, cache, kw, key)
    yield ("add", result, key)
    return result


def cached(call_type: str) -> Callable[[_F], _F]:
    """Decorate ``main.py``'s ``call_type`` function with the cache lookup/store."""

    def decorate(fn: _F) -> _F:
        sig = inspect.signature(fn)

        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def awrapper(*args: Any, **kwargs: Any) -> Any:
                cache = _cache_for(call_type, kwargs)
                if cache is None:
                    return await fn(*args, **kwargs)
                kw = _call_kwargs(sig, args, kwargs)
                plan = _plan(call_type, cache, kw)
                try:
                    op = next(plan)
                    while True:
                        if op[0] == "get":
                            res = await cache.async_get_cache(cache_key=op[1], **kw)
                        elif op[0] == "add":
                            res = await cache.async_add_cache(op[1], cache_key=op[2], **kw)
                        else:
                            res = await (fn(*args, **kwargs) if op[1] is None else fn(**op[1]))
                        op = plan.send(res)
                except StopIteration as done:
                    return done.value

            return awrapper  # type: ignore[return-value]

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            cache = _cache_for(call_type, kwargs)
            if cache is None:
                return fn(*args, **kwargs)
            kw = _call_kwargs(sig, args, kwargs)
            plan = _plan(call_type, cache, kw)
            try:
                op = next(plan)
                while True:
                    if op[0] == "get":
                        res = cache.get_cache(cache_key=op[1], **kw)
                    elif op[0] == "add":
                        res = cache.add_cache(op[1], cache_key=op[2], **kw)
                    else:
                        res = fn(*args, **kwargs) if op[1] is None else fn(**op[1])
                    op = plan.send(res)
            except StopIteration as done:
                return done.value

        return wrapper  # type: ignore[return-value]

    return decorate
