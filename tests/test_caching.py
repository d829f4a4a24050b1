"""litellm.Cache: local, Redis (a real redis-server) and disk caches through
completion / acompletion / streams / embedding, against the fake OpenAI server.
A hit sends nothing; a failing cache is a miss."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import edgequake_litellm as litellm
from common import MESSAGES
from fakeprov.openai import FakeOpenAI
from redisfix import RedisServer, free_port, needs_redis


def chat(srv: FakeOpenAI, **kwargs: Any) -> Any:
    return litellm.completion(
        "openai/gpt-4o-mini", MESSAGES, api_base=srv.url, api_key="sk-c", **kwargs
    )


def test_names_and_globals() -> None:
    assert litellm.cache is None
    assert litellm.Cache is litellm.caching.caching.Cache
    litellm.enable_cache()
    assert isinstance(litellm.cache, litellm.Cache) and litellm.cache.type == "local"
    first = litellm.cache
    litellm.enable_cache()
    assert litellm.cache is first
    litellm.update_cache(type="local", supported_call_types=["embedding"])
    assert litellm.cache is not first and litellm.cache.supported_call_types == ["embedding"]
    litellm.disable_cache()
    assert litellm.cache is None
    with pytest.raises(ValueError, match="redis-semantic"):
        litellm.Cache(type="redis-semantic")


def test_hit_sends_nothing_and_is_marked(srv: FakeOpenAI) -> None:
    litellm.cache = litellm.Cache()
    first = chat(srv)
    second = chat(srv)
    assert len(srv.requests) == 1
    assert "cache_hit" not in first._hidden_params
    assert second._hidden_params["cache_hit"] is True
    assert second._hidden_params["response_cost"] == 0.0
    assert second.model_dump() == first.model_dump()
    assert isinstance(second, litellm.ModelResponse)
    chat(srv, temperature=0.2)  # other params, other key
    assert len(srv.requests) == 2
    chat(srv, caching=False)
    assert len(srv.requests) == 3
    litellm.completion("openai/gpt-4o-mini", MESSAGES, api_base=srv.url, api_key="sk-other")
    assert len(srv.requests) == 3  # the key is litellm's: model and params, not credentials


def test_cache_controls(srv: FakeOpenAI) -> None:
    litellm.cache = litellm.Cache()
    chat(srv, cache={"no-store": True})
    chat(srv)
    assert len(srv.requests) == 2
    chat(srv, cache={"no-cache": True})
    assert len(srv.requests) == 3
    assert chat(srv, cache={"s-maxage": 60})._hidden_params.get("cache_hit")
    time.sleep(0.3)
    chat(srv, cache={"s-maxage": 0.1})  # the entry is older: a miss
    assert len(srv.requests) == 4
    chat(srv, cache={"namespace": "team-a"})
    assert len(srv.requests) == 5
    assert chat(srv, cache={"namespace": "team-a"})._hidden_params.get("cache_hit")
    chat(srv, temperature=0.9, cache={"ttl": 0.2})
    time.sleep(0.3)
    chat(srv, temperature=0.9)
    assert len(srv.requests) == 7


def test_supported_call_types(srv: FakeOpenAI) -> None:
    litellm.cache = litellm.Cache(supported_call_types=["embedding"])
    chat(srv)
    chat(srv)
    assert len(srv.requests) == 2


def test_key_matches_litellm_get_cache_key() -> None:
    import litellm as reference

    kwargs: dict[str, Any] = {
        "model": "gpt-4o-mini",
        "messages": MESSAGES,
        "temperature": 0.3,
        "api_key": "sk-x",
        "metadata": {"x": 1},
    }
    ours = litellm.Cache(namespace="ns").get_cache_key(**kwargs)
    theirs = reference.Cache(namespace="ns").get_cache_key(**kwargs)
    assert ours == theirs and ours.startswith("ns:")
    routed = {**kwargs, "metadata": {"model_group": "gpt"}}
    assert litellm.Cache().get_cache_key(**routed) == reference.Cache().get_cache_key(**routed)


def test_stream_stored_at_end_and_replayed(srv: FakeOpenAI) -> None:
    litellm.cache = litellm.Cache()
    live = "".join(c.choices[0].delta.content or "" for c in chat(srv, stream=True))
    replay = chat(srv, stream=True)
    chunks = list(replay)
    assert len(srv.requests) == 1
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == live
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert replay._hidden_params["cache_hit"] is True
    # A stream left early is not stored.
    s = chat(srv, stream=True, temperature=0.1)
    next(iter(s))
    s.close()
    chat(srv, stream=True, temperature=0.1)
    assert len(srv.requests) == 3


def test_async_and_embeddings_per_input(srv: FakeOpenAI) -> None:
    litellm.cache = litellm.Cache()

    async def go() -> None:
        await litellm.acompletion("openai/gpt-4o-mini", MESSAGES, api_base=srv.url, api_key="k")
        hit = await litellm.acompletion(
            "openai/gpt-4o-mini", MESSAGES, api_base=srv.url, api_key="k"
        )
        assert hit._hidden_params["cache_hit"] is True
        stream = await litellm.acompletion(
            "openai/gpt-4o-mini", MESSAGES, api_base=srv.url, api_key="k", stream=True
        )
        async for _ in stream:
            pass
        again = await litellm.acompletion(
            "openai/gpt-4o-mini", MESSAGES, api_base=srv.url, api_key="k", stream=True
        )
        assert [c async for c in again]
        assert len(srv.requests) == 2
        e = await litellm.aembedding(
            "openai/text-embedding-3-small", ["a", "b"], api_base=srv.url, api_key="k"
        )
        assert len(e.data) == 2

    asyncio.run(go())
    e = litellm.embedding(
        "openai/text-embedding-3-small", ["b", "c", "a"], api_base=srv.url, api_key="k"
    )
    assert srv.requests[-1].json["input"] == ["c"]
    assert [d.index for d in e.data] == [0, 1, 2]
    full = litellm.embedding(
        "openai/text-embedding-3-small", ["a", "b", "c"], api_base=srv.url, api_key="k"
    )
    assert full._hidden_params["cache_hit"] is True
    assert full.data[0].embedding == e.data[2].embedding
    assert len(srv.requests) == 4


def test_disk_cache_survives_a_new_cache_object(srv: FakeOpenAI, tmp_path: Path) -> None:
    litellm.cache = litellm.Cache(type="disk", disk_cache_dir=str(tmp_path))
    chat(srv)
    litellm.cache = litellm.Cache(type="disk", disk_cache_dir=str(tmp_path))
    assert chat(srv)._hidden_params["cache_hit"] is True
    assert len(srv.requests) == 1


def test_bad_entry_is_a_logged_miss(srv: FakeOpenAI, caplog: pytest.LogCaptureFixture) -> None:
    litellm.cache = cache = litellm.Cache()
    key = cache.get_cache_key(model="openai/gpt-4o-mini", messages=MESSAGES)
    cache.cache.set_cache(key, "{not json")
    with caplog.at_level(logging.WARNING):
        resp = chat(srv)
    assert resp.choices[0].message.content and len(srv.requests) == 1
    assert any("treated as a miss" in r.getMessage() for r in caplog.records)


@needs_redis
def test_redis_cache_hits_across_processes(srv: FakeOpenAI, redis_url: str) -> None:
    script = (
        "import sys, json, edgequake_litellm as litellm\n"
        "litellm.cache = litellm.Cache(type='redis', redis_url=sys.argv[1])\n"
        "r = litellm.completion('openai/gpt-4o-mini', [{'role': 'user', 'content': 'x y'}],"
        " api_base=sys.argv[2], api_key='k')\n"
        "print(json.dumps([r._hidden_params.get('cache_hit'), r.choices[0].message.content]))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    outs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", script, redis_url, srv.url],
                env=env,
                check=True,
                capture_output=True,
                timeout=60,
            ).stdout
        )
        for _ in range(3)
    ]
    assert outs == [[None, "echo: x y"], [True, "echo: x y"], [True, "echo: x y"]]
    assert len(srv.requests) == 1


@needs_redis
def test_redis_down_is_a_miss_never_a_failure(
    srv: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    server = RedisServer().start()
    try:
        litellm.cache = litellm.Cache(type="redis", host="127.0.0.1", port=server.port)
        chat(srv)
        assert chat(srv)._hidden_params["cache_hit"] is True
        server.kill()
        with caplog.at_level(logging.WARNING):
            for _ in range(3):
                assert chat(srv).choices[0].message.content
            asyncio.run(
                litellm.acompletion("openai/gpt-4o-mini", MESSAGES, api_base=srv.url, api_key="k")
            )
        assert len(srv.requests) == 5
        assert sum("treated as a miss" in r.getMessage() for r in caplog.records) == 1
    finally:
        server.kill()
    litellm.cache = litellm.Cache(type="redis", host="127.0.0.1", port=free_port())
    assert chat(srv).choices[0].message.content


@needs_redis
def test_router_cache_responses_uses_its_redis(srv: FakeOpenAI, redis_url: str) -> None:
    router = litellm.Router(
        model_list=[
            {
                "model_name": "gpt",
                "litellm_params": {
                    "model": "openai/gpt-4o-mini",
                    "api_base": srv.url,
                    "api_key": "k",
                },
            }
        ],
        redis_url=redis_url,
        cache_responses=True,
    )
    assert litellm.cache is not None and litellm.cache.type == "redis"
    router.completion("gpt", MESSAGES)
    hit = router.completion("gpt", MESSAGES)
    assert hit._hidden_params["cache_hit"] is True
    assert len(srv.requests) == 1
