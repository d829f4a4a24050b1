"""Sequential sync embeddings calls (16 inputs, 16 x 1536 floats back): calls per second.

After a warm-up, about 5 s worth of calls (20 to 300) are timed together.
"""

from __future__ import annotations

import time
from typing import Any

import harness
from clients import CLIENTS


def run(client: str) -> dict[str, Any]:
    adapter = CLIENTS[client](harness.BASE, "embed")
    try:
        warm = harness.count(5, 2)
        start = time.perf_counter()
        for _ in range(warm):
            harness.check_embed(adapter.embed())
        n = harness.budget((time.perf_counter() - start) / warm, 20, harness.count(300, 50))
        start = time.perf_counter()
        for _ in range(n):
            harness.check_embed(adapter.embed())
        elapsed = time.perf_counter() - start
    finally:
        adapter.close()
    return {"embed_calls_s": n / elapsed, **harness.memory_mb()}
