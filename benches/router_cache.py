"""Router overhead, cache-hit latency and cross-process rpm exactness, against litellm.

    python benches/router_cache.py            # writes benches/results/router_cache.{json,md}
    BENCH_QUICK=1 python benches/router_cache.py

Runs in the dev venv (edgequake_litellm and litellm 1.81.16 side by side) with a
tests/fakeprov OpenAI server on loopback and a real redis-server (Debian
``redis-server``) on a free port. Per library, interleaved in one run:

- ``direct``: p50 of ``completion`` against the fake server;
- ``routed``: p50 of ``Router.completion`` (one deployment) over the same server;
  overhead = routed - direct (local state, and Redis with usage-based routing);
- ``pick``: p50 of ``Router.get_available_deployment`` alone (the routing work
  without the HTTP call);
- ``cache hit``: p50 of a ``completion`` answered by ``litellm.cache`` (local);
- exactness: K processes (tests/router_worker.py) each send 5 calls within one
  minute to 2 deployments with rpm 3 sharing Redis: admitted vs budget 6.

Medians of interleaved rounds on a shared, loaded machine: read them as orders
of magnitude, not as the project's performance targets' final word.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
warnings.filterwarnings("ignore")  # litellm's pydantic serializer warnings

import litellm as reference  # noqa: E402

import edgequake_litellm as ours  # noqa: E402
from fakeprov.openai import FakeOpenAI  # noqa: E402
from redisfix import RedisServer  # noqa: E402

QUICK = os.environ.get("BENCH_QUICK") == "1"
N = 200 if QUICK else 1500
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "benches" / "results"))
MESSAGES = [{"role": "user", "content": "hello"}]
LIBS = {"edgequake_litellm": ours, "litellm 1.81.16": reference}


def p50_us(fn: Callable[[], Any], n: int) -> float:
    for _ in range(min(50, n)):
        fn()
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1e6


def model_list(url: str, **params: Any) -> list[dict[str, Any]]:
    return [
        {
            "model_name": "gpt",
            "litellm_params": {
                "model": "openai/gpt-4o-mini",
                "api_base": url,
                "api_key": "sk-bench",
                **params,
            },
        }
    ]


def timings(lib: Any, url: str, redis_url: str) -> dict[str, float]:
    def direct() -> Any:
        return lib.completion(
            model="openai/gpt-4o-mini", messages=MESSAGES, api_base=url, api_key="sk-bench"
        )

    local = lib.Router(model_list=model_list(url))
    shared = lib.Router(
        model_list=model_list(url, rpm=10**9, tpm=10**12),
        redis_url=redis_url,
        routing_strategy="usage-based-routing-v2",
    )
    out: dict[str, float] = {}
    rounds: dict[str, list[float]] = {}
    cases = {
        "direct": direct,
        "routed_local": lambda: local.completion(model="gpt", messages=MESSAGES),
        "routed_redis": lambda: shared.completion(model="gpt", messages=MESSAGES),
        "pick_local": lambda: local.get_available_deployment(model="gpt", messages=MESSAGES),
        "pick_redis": lambda: shared.get_available_deployment(model="gpt", messages=MESSAGES),
    }
    for _ in range(3):  # interleaved rounds
        for name, fn in cases.items():
            rounds.setdefault(name, []).append(p50_us(fn, N // 3))
    out = {k: statistics.median(v) for k, v in rounds.items()}
    out["overhead_local"] = out["routed_local"] - out["direct"]
    out["overhead_redis"] = out["routed_redis"] - out["direct"]
    lib.cache = lib.Cache()
    direct()
    out["cache_hit_local"] = p50_us(direct, N)
    lib.cache = None
    return out


def exactness(impl: str, mode: str, url_a: str, url_b: str, redis_url: str) -> dict[str, Any]:
    import redis

    with redis.Redis.from_url(redis_url) as r:
        r.flushall()
        left = 60 - float(r.time()[0]) % 60
    if left < 25:
        time.sleep(left + 0.5)
    start = time.time() + 4.0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "tests" / "router_worker.py"),
                impl,
                mode,
                redis_url,
                str(start),
                "5",
                url_a,
                url_b,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        for _ in range(4)
    ]
    results = [
        json.loads(p.communicate(timeout=120)[0].decode().strip().splitlines()[-1]) for p in procs
    ]
    return {
        "processes": 4,
        "budget": 6,
        "admitted": sum(r["ok"] for r in results),
        "refused": sum(r["limited"] for r in results),
        "errors": sum(len(r["other"]) for r in results),
        "error_kinds": sorted(
            {
                e.split(":")[0] + ": " + e.split(":", 2)[-1][:100]
                for r in results
                for e in r["other"]
            }
        ),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"n_per_case": N, "machine_loaded": True}
    with FakeOpenAI() as srv, FakeOpenAI() as b, RedisServer() as redis_server:
        report["timings_us"] = {
            name: timings(lib, srv.url, redis_server.url) for name, lib in LIBS.items()
        }
        report["exactness"] = {
            f"{impl} {mode}": exactness(impl, mode, srv.url, b.url, redis_server.url)
            for impl in ("ours", "litellm")
            for mode in ("sync", "async")
        }
    (OUT / "router_cache.json").write_text(json.dumps(report, indent=2) + "\n")
    t = report["timings_us"]
    rows = ["| µs, p50 | " + " | ".join(t) + " |", "|---|" + "---:|" * len(t)]
    for key in (
        "direct",
        "routed_local",
        "overhead_local",
        "pick_local",
        "routed_redis",
        "overhead_redis",
        "pick_redis",
        "cache_hit_local",
    ):
        rows.append(f"| {key} | " + " | ".join(f"{t[lib][key]:.0f}" for lib in t) + " |")
    rows += [
        "",
        "| K=4 processes, budget 6 | admitted | refused | other errors |",
        "|---|---:|---:|---:|",
    ]
    for name, e in report["exactness"].items():
        rows.append(f"| {name} | {e['admitted']} | {e['refused']} | {e['errors']} |")
    (OUT / "router_cache.md").write_text("\n".join(rows) + "\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
