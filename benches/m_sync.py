"""Sequential sync chat calls: connections opened, per-call latency and CPU.

1. From a fresh client, 100 calls: how many TCP connections nginx accepted for them
   (its ``stub_status`` ``accepts`` counter; the status reads' own connections removed).
2. After a warm-up, ``n`` calls timed one by one (about 5 s worth, 200 to 3000): p50 and
   p99 wall time, and this process's CPU time (every thread, user + system) per call.
"""

from __future__ import annotations

import time
from typing import Any

import harness
import server
from clients import CLIENTS


def run(client: str) -> dict[str, Any]:
    adapter = CLIENTS[client](harness.BASE, "chat")
    try:
        before = server.accepts(harness.PORT)
        for _ in range(100):
            harness.check_chat(adapter.chat())
        connections = server.accepts(harness.PORT) - before - 1
        warm = harness.count(200, 20)
        start = time.perf_counter()
        for _ in range(warm):
            harness.check_chat(adapter.chat())
        n = harness.budget((time.perf_counter() - start) / warm, 200, harness.count(3000, 500))
        latencies = []
        cpu = time.process_time()
        for _ in range(n):
            t = time.perf_counter()
            reply = adapter.chat()
            latencies.append(time.perf_counter() - t)
            harness.check_chat(reply)
        cpu = time.process_time() - cpu
    finally:
        adapter.close()
    return {
        "connections_per_100": connections,
        "sync_p50_us": harness.percentile(latencies, 50) * 1e6,
        "sync_p99_us": harness.percentile(latencies, 99) * 1e6,
        "sync_cpu_us": cpu / n * 1e6,
        **harness.memory_mb(),
    }
