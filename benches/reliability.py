"""Reliability figures: timeout overshoot, cancel-to-disconnect, Ctrl-C latency.

    python benches/reliability.py [--runs 10]

Against the fake OpenAI server on loopback (``tests/fakeprov``), whose replies are
delayed so every call blocks. Writes ``benches/results/reliability.json`` and prints
a Markdown table (milliseconds; median and max over the runs). The fake server
notices a hang-up within its 10 ms polling step, which bounds the disconnect figure's
resolution.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import statistics
import sys
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import edgequake_litellm as litellm
from fakeprov.openai import FakeOpenAI
from fakeprov.server import Reply

MSGS = [{"role": "user", "content": "slow"}]
RESULTS = Path(__file__).resolve().parent / "results"


def timeout_overshoot(srv: FakeOpenAI, timeout: float) -> float:
    """Seconds a sync call outlives its ``timeout`` when the server never answers in time."""
    srv.enqueue(Reply(delay=timeout + 5))
    t0 = time.perf_counter()
    try:
        litellm.completion(
            model="openai/m", messages=MSGS, api_base=srv.url, api_key="k", timeout=timeout
        )
    except litellm.Timeout:
        return time.perf_counter() - t0 - timeout
    raise AssertionError("the call did not time out")


def async_timeout_overshoot(srv: FakeOpenAI, timeout: float) -> float:
    """The same for ``acompletion``."""
    srv.enqueue(Reply(delay=timeout + 5))

    async def run() -> float:
        t0 = time.perf_counter()
        try:
            await litellm.acompletion(
                model="openai/m", messages=MSGS, api_base=srv.url, api_key="k", timeout=timeout
            )
        except litellm.Timeout:
            return time.perf_counter() - t0 - timeout
        raise AssertionError("the call did not time out")

    return asyncio.run(run())


def cancel_to_disconnect(srv: FakeOpenAI) -> float:
    """Seconds from ``task.cancel()`` to the server seeing the connection close."""
    srv.enqueue(Reply(delay=10))
    before = srv.disconnects

    async def run() -> float:
        task = asyncio.create_task(
            litellm.acompletion(model="openai/m", messages=MSGS, api_base=srv.url, api_key="k")
        )
        await asyncio.to_thread(srv.wait_for_request, len(srv.requests) + 1, 5.0)
        t0 = time.perf_counter()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await asyncio.to_thread(srv.wait_for_disconnect, 5.0, before + 1)
        return time.perf_counter() - t0

    return asyncio.run(run())


def ctrl_c_latency(srv: FakeOpenAI) -> float:
    """Seconds from SIGINT to ``KeyboardInterrupt`` in a blocked sync call."""
    srv.enqueue(Reply(delay=10))
    sent: list[float] = []

    def fire() -> None:
        srv.wait_for_request(len(srv.requests) + 1, 5.0)
        time.sleep(0.05)
        sent.append(time.perf_counter())
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=fire, daemon=True).start()
    try:
        litellm.completion(model="openai/m", messages=MSGS, api_base=srv.url, api_key="k")
    except KeyboardInterrupt:
        return time.perf_counter() - sent[0]
    raise AssertionError("no KeyboardInterrupt")


def measure(runs: int, f: Callable[[], float]) -> dict[str, float]:
    values = [f() * 1000 for _ in range(runs)]
    return {"median_ms": round(statistics.median(values), 1), "max_ms": round(max(values), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=10)
    runs = ap.parse_args().runs
    results: dict[str, Any] = {}
    with FakeOpenAI() as srv:
        for t in (0.1, 0.5, 1.0):
            results[f"sync timeout overshoot ({t} s)"] = measure(
                runs, partial(timeout_overshoot, srv, t)
            )
            results[f"async timeout overshoot ({t} s)"] = measure(
                runs, partial(async_timeout_overshoot, srv, t)
            )
        results["acompletion cancel → server sees disconnect"] = measure(
            runs, partial(cancel_to_disconnect, srv)
        )
        results["SIGINT → KeyboardInterrupt (sync call)"] = measure(
            runs, partial(ctrl_c_latency, srv)
        )
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "load_average": os.getloadavg(),
        "runs": runs,
        "results": results,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "reliability.json").write_text(json.dumps(report, indent=1))
    print(f"machine: {report['machine']}, load average {os.getloadavg()}, {runs} runs each")
    print("| figure | median (ms) | max (ms) |\n|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['median_ms']} | {r['max_ms']} |")


if __name__ == "__main__":
    main()
