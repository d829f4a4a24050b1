"""Async chat calls with a fixed number in flight: calls per second and peak memory.

``in_flight`` worker tasks share one client and take calls from a common budget until it
is spent (about 5 s worth, 2 to 100 rounds of ``in_flight``; at most 12 rounds left the
fast clients a window under 0.1 s at 100 in flight, where one GC pause or scheduling hiccup
moved the result by a third). A first round of ``in_flight`` concurrent calls opens the
connections and sets that budget.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import harness
from clients import CLIENTS


async def _measure(client: str, in_flight: int) -> dict[str, Any]:
    adapter = CLIENTS[client](harness.BASE, "chat")
    try:
        start = time.perf_counter()
        for reply in await asyncio.gather(*(adapter.achat() for _ in range(in_flight))):
            harness.check_chat(reply)
        per_call = (time.perf_counter() - start) / in_flight
        total = harness.budget(per_call, 2 * in_flight, harness.count(100, 4) * in_flight)
        budget = total

        async def worker() -> None:
            nonlocal budget
            while budget > 0:
                budget -= 1
                harness.check_chat(await adapter.achat())

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        elapsed = time.perf_counter() - start
    finally:
        await adapter.aclose()
    return {
        f"async{in_flight}_calls_s": total / elapsed,
        f"async{in_flight}_peak_rss_mb": harness.memory_mb()["peak_rss_mb"],
        **harness.memory_mb(),
    }


def run(client: str, in_flight: int) -> dict[str, Any]:
    return asyncio.run(_measure(client, in_flight))
