"""1,000 concurrent async streams of 200 chunks each: total chunks per second and peak memory.

All streams share one client and start together (``asyncio.gather``) after one warm-up
stream; each stream's joined text is checked. Chunks/s counts the 200 content chunks of
every stream over the wall time from the start to the last stream's end. Quick mode runs
100 streams.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import canned
import harness
from clients import CLIENTS, Adapter

CONTENT = "".join(canned.stream_piece(i) for i in range(canned.SHORT_STREAM_CHUNKS))


async def _one(adapter: Adapter) -> None:
    parts = [text async for text in adapter.astream()]
    if "".join(parts) != CONTENT:
        raise harness.WrongReply(f"stream of {sum(map(len, parts))} characters")


async def _measure(client: str) -> dict[str, Any]:
    adapter = CLIENTS[client](harness.BASE, "stream200")
    streams = harness.count(1000, 100)
    try:
        await _one(adapter)
        start = time.perf_counter()
        await asyncio.gather(*(_one(adapter) for _ in range(streams)))
        elapsed = time.perf_counter() - start
    finally:
        await adapter.aclose()
    memory = harness.memory_mb()
    return {
        "streams1000_chunks_s": streams * canned.SHORT_STREAM_CHUNKS / elapsed,
        "streams1000_peak_rss_mb": memory["peak_rss_mb"],
        **memory,
    }


def run(client: str) -> dict[str, Any]:
    return asyncio.run(_measure(client))
