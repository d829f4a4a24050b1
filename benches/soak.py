"""Soak: many sync calls, async calls and streams against a loopback server; RSS sampled.

    python benches/soak.py [--sync 100000] [--async 100000] [--streams 10000]

Writes ``benches/results/soak.json`` and prints a Markdown summary. The figure that
matters is RSS growth after warm-up (the first tenth of each phase): a leak in the
native core, the response objects or the stream path shows up there. Not a test; a
short run with a generous bound is in ``tests/test_soak.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import edgequake_litellm as litellm
from fakeprov.echo import EchoServer

RESULTS = Path(__file__).resolve().parent / "results"


def rss_mb() -> float:
    """Resident set size of this process, MB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def phase(name: str, n: int, run: Callable[[int, Callable[[], None]], None]) -> dict[str, Any]:
    """Run ``n`` operations, sampling RSS every ``n // 50``; growth is after the first tenth."""
    samples: list[tuple[int, float]] = []
    every = max(1, n // 50)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if done % every == 0:
            samples.append((done, rss_mb()))

    t0 = time.perf_counter()
    run(n, tick)
    elapsed = time.perf_counter() - t0
    warm = next(r for i, r in samples if i >= n // 10)
    return {
        "phase": name,
        "operations": n,
        "seconds": round(elapsed, 2),
        "ops_per_s": round(n / elapsed),
        "rss_after_warmup_mb": round(warm, 1),
        "rss_end_mb": round(samples[-1][1], 1),
        "growth_after_warmup_mb": round(samples[-1][1] - warm, 2),
        "samples": [(i, round(r, 2)) for i, r in samples],
    }


def soak(url: str, n_sync: int, n_async: int, n_streams: int) -> list[dict[str, Any]]:
    """Run the three phases against the echo server at ``url``; each reply is checked."""
    opts = {"model": "openai/m", "api_base": url, "api_key": "k"}

    def sync_calls(n: int, tick: Callable[[], None]) -> None:
        for i in range(n):
            r = litellm.completion(messages=[{"role": "user", "content": f"s{i}"}], **opts)
            assert r.choices[0].message.content == f"echo: s{i}"
            tick()

    def async_calls(n: int, tick: Callable[[], None]) -> None:
        async def worker(start: int) -> None:
            for i in range(start, n, 64):
                r = await litellm.acompletion(
                    messages=[{"role": "user", "content": f"a{i}"}], **opts
                )
                assert r.choices[0].message.content == f"echo: a{i}"
                tick()

        async def main() -> None:
            await asyncio.gather(*(worker(w) for w in range(64)))

        asyncio.run(main())

    def streams(n: int, tick: Callable[[], None]) -> None:
        for i in range(n):
            chunks = list(
                litellm.completion(
                    messages=[{"role": "user", "content": f"x{i} y z"}], stream=True, **opts
                )
            )
            text = "".join(c.choices[0].delta.content or "" for c in chunks)
            assert text == f"echo: x{i} y z", text
            tick()

    return [
        phase("sync calls", n_sync, sync_calls),
        phase("async calls (64 in flight)", n_async, async_calls),
        phase("sync streams", n_streams, streams),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sync", type=int, default=100_000)
    ap.add_argument("--async", dest="n_async", type=int, default=100_000)
    ap.add_argument("--streams", type=int, default=10_000)
    a = ap.parse_args()
    with EchoServer() as srv:
        phases = soak(srv.url, a.sync, a.n_async, a.streams)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
        "edgequake_litellm": litellm.__version__,
        "phases": phases,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "soak.json").write_text(json.dumps(report, indent=1))
    print(f"machine: {report['machine']}, load average {os.getloadavg()}")
    print("| phase | operations | ops/s | RSS after warm-up (MB) | RSS end (MB) | growth (MB) |")
    print("|---|---|---|---|---|---|")
    for p in phases:
        print(
            f"| {p['phase']} | {p['operations']} | {p['ops_per_s']} | {p['rss_after_warmup_mb']}"
            f" | {p['rss_end_mb']} | {p['growth_after_warmup_mb']} |"
        )


if __name__ == "__main__":
    main()
