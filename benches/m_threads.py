"""Sync chat calls from 8 threads at once (250 calls each): total calls per second.

All threads share one client (the module, SDK client or ``httpx.Client``) and start
together at a barrier after one warm-up call.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import harness
from clients import CLIENTS

THREADS = 8


def run(client: str) -> dict[str, Any]:
    adapter = CLIENTS[client](harness.BASE, "chat")
    per_thread = harness.count(250, 25)
    barrier = threading.Barrier(THREADS + 1)
    errors: list[BaseException] = []

    def work() -> None:
        barrier.wait()
        try:
            for _ in range(per_thread):
                harness.check_chat(adapter.chat())
        except BaseException as e:
            errors.append(e)

    try:
        harness.check_chat(adapter.chat())
        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        for t in threads:
            t.start()
        barrier.wait()
        start = time.perf_counter()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
    finally:
        adapter.close()
    if errors:
        raise errors[0]
    return {"threads_calls_s": THREADS * per_thread / elapsed, **harness.memory_mb()}
