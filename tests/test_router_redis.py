"""litellm.Router with Redis as the shared state, against a real redis-server:
exact rpm across K processes, one round trip per call, shared cooldowns, Redis
killed mid-run."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import redis

import edgequake_litellm as litellm
from common import MESSAGES
from edgequake_litellm.router_utils import usage_state
from edgequake_litellm.types.router import RouterRateLimitError
from fakeprov.openai import FakeOpenAI, openai_error
from redisfix import RedisServer, needs_redis

pytestmark = needs_redis
WORKER = Path(__file__).with_name("router_worker.py")


def dep(srv: FakeOpenAI, i: int, **params: Any) -> dict[str, Any]:
    return {
        "model_name": "gpt",
        "litellm_params": {
            "model": "openai/gpt-4o-mini",
            "api_base": srv.url,
            "api_key": "k",
            **params,
        },
        "model_info": {"id": f"dep-{i}"},
    }


def fresh_minute(url: str, need: float = 25.0) -> None:
    """Wait, if needed, so that ``need`` seconds remain in Redis's current minute."""
    with redis.Redis.from_url(url) as r:
        now = float(r.time()[0])
    left = 60 - now % 60
    if left < need:
        time.sleep(left + 0.5)


def run_workers(
    k: int, mode: str, url: str, bases: list[str], n: int, impl: str = "ours"
) -> list[dict[str, Any]]:
    start = time.time() + 3.0  # every worker imported and connected by then
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), impl, mode, url, str(start), str(n), *bases],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for _ in range(k)
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err.decode()[-2000:]
        results.append(json.loads(out.decode().strip().splitlines()[-1]))
    return results


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_k_processes_admit_exactly_the_budget(redis_url: str, mode: str) -> None:
    with FakeOpenAI() as a, FakeOpenAI() as b:
        fresh_minute(redis_url)
        results = run_workers(4, mode, redis_url, [a.url, b.url], 5)
        assert [r["other"] for r in results] == [[]] * 4
        assert sum(r["ok"] for r in results) == 6  # 2 deployments x rpm 3
        assert sum(r["limited"] for r in results) == 14
        assert (len(a.requests), len(b.requests)) == (3, 3)


def test_one_redis_round_trip_per_routed_call(
    redis_url: str, monkeypatch: pytest.MonkeyPatch, srv: FakeOpenAI
) -> None:
    monkeypatch.setattr(usage_state, "FLUSH_AFTER", 60.0)
    router = litellm.Router(
        model_list=[dep(srv, 0, rpm=100)],
        redis_url=redis_url,
        routing_strategy="usage-based-routing-v2",
    )
    router.completion("gpt", MESSAGES)  # loads the script
    with redis.Redis.from_url(redis_url) as r:
        r.config_resetstat()
        for _ in range(10):
            router.completion("gpt", MESSAGES)
        stats = r.info("commandstats")
    calls = {k[len("cmdstat_") :]: v["calls"] for k, v in stats.items()}
    # The only command a call sends is EVALSHA; the others ran inside the script.
    assert calls.pop("evalsha") == 10
    inside_script = {"exists", "get", "incr", "incrby", "expire", "set", "time"}
    assert set(calls) - {"info", "config|resetstat"} <= inside_script, calls
    with redis.Redis.from_url(redis_url) as r:
        minute = int(r.time()[0]) // 60
        # Usage is in Redis: 11 calls counted for this deployment this minute.
        assert int(r.get(f"router:rpm:dep-0:{minute}") or 0) in (11, 0)


def test_usage_after_the_call_reaches_redis(redis_url: str, srv: FakeOpenAI) -> None:
    router = litellm.Router(
        model_list=[dep(srv, 0, tpm=1000)],
        redis_url=redis_url,
        routing_strategy="usage-based-routing-v2",
    )
    fresh_minute(redis_url, 10)
    resp = router.completion("gpt", MESSAGES)
    router.flush()
    with redis.Redis.from_url(redis_url) as r:
        minute = int(r.time()[0]) // 60
        assert int(r.get(f"router:tpm:dep-0:{minute}")) == resp.usage.total_tokens
        assert int(r.get("router:busy:dep-0")) == 0
        assert float(r.get("router:lat:dep-0")) > 0


def test_cooldown_set_by_one_router_is_seen_by_another(redis_url: str) -> None:
    with FakeOpenAI() as a, FakeOpenAI() as b:
        model_list = [dep(a, 0), dep(b, 1)]
        first = litellm.Router(
            model_list=model_list, redis_url=redis_url, num_retries=0, routing_strategy="least-busy"
        )
        second = litellm.Router(
            model_list=model_list, redis_url=redis_url, num_retries=0, routing_strategy="least-busy"
        )
        a.enqueue(openai_error(429, "slow down", "rate_limit_error"))
        with pytest.raises(litellm.RateLimitError):
            first.completion("gpt", MESSAGES)
        # The second Router never saw a failure; Redis tells it dep-0 is cooling down.
        for _ in range(3):
            assert second.completion("gpt", MESSAGES)._hidden_params["model_id"] == "dep-1"
        assert len(a.requests) == 1


def test_redis_killed_mid_run_serves_locally_then_resumes(
    srv: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(usage_state, "RETRY_AFTER", 0.2)
    server = RedisServer().start()
    try:
        router = litellm.Router(
            model_list=[dep(srv, 0, rpm=4)],
            redis_url=server.url,
            routing_strategy="usage-based-routing-v2",
        )
        fresh_minute(server.url, 15)
        router.completion("gpt", MESSAGES)
        server.kill()
        with caplog.at_level(logging.WARNING, logger="LiteLLM Router"):
            for _ in range(4):  # local state enforces the rpm on its own: 4 admitted
                router.completion("gpt", MESSAGES)
                time.sleep(0.25)
            with pytest.raises(RouterRateLimitError):
                router.completion("gpt", MESSAGES)
        down = [r for r in caplog.records if "failed" in r.getMessage()]
        assert len(down) == 1 and "routing from this process's state" in down[0].getMessage()
        assert "sk" not in down[0].getMessage()
        server.start()
        time.sleep(0.3)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="LiteLLM Router"):
            router.completion("gpt", MESSAGES)  # Redis's count for this minute: 1 < 4
        assert any("is back" in r.getMessage() for r in caplog.records)
        with redis.Redis.from_url(server.url) as r:
            minute = int(r.time()[0]) // 60
            assert int(r.get(f"router:rpm:dep-0:{minute}")) == 1
    finally:
        server.kill()


def test_redis_unreachable_from_the_start_never_fails_a_call(srv: FakeOpenAI) -> None:
    from redisfix import free_port

    router = litellm.Router(
        model_list=[dep(srv, 0)], redis_host="127.0.0.1", redis_port=free_port()
    )
    for _ in range(3):
        assert router.completion("gpt", MESSAGES).choices[0].message.content


def test_async_router_shares_usage_through_redis(redis_url: str) -> None:
    import asyncio

    with FakeOpenAI() as a:
        model_list = [dep(a, 0, rpm=5)]
        routers = [
            litellm.Router(
                model_list=model_list,
                redis_url=redis_url,
                routing_strategy="usage-based-routing-v2",
            )
            for _ in range(3)
        ]
        fresh_minute(redis_url, 10)

        async def go() -> list[Any]:
            calls = [r.acompletion("gpt", MESSAGES) for r in routers for _ in range(4)]
            return await asyncio.gather(*calls, return_exceptions=True)

        results = asyncio.run(go())
        assert sum(not isinstance(r, Exception) for r in results) == 5
        assert len(a.requests) == 5
