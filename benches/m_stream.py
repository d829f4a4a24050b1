"""Streamed completions of 20,000 chunks: chunks per second and time to first chunk.

Each stream is timed from the call to the last chunk; the first chunk's arrival gives
time to first chunk. Chunks/s counts the server's 20,000 content chunks. The joined text
and the usage chunk are checked after every stream. A first stream, left after 100 chunks
(which closes its connection), warms the code path up; then up to 3 streams are timed,
stopping early (after at least one) once 15 s have been spent timing.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import canned
import harness
from clients import CLIENTS, Adapter


def _finish(adapter: Adapter, parts: list[str], start: float, first: float) -> tuple[float, float]:
    end = time.perf_counter()
    harness.check_stream("".join(parts), adapter.usage_seen)
    adapter.usage_seen = None
    return end - start, first - start


def _sync_stream(adapter: Adapter) -> tuple[float, float]:
    parts: list[str] = []
    start = time.perf_counter()
    first = 0.0
    for text in adapter.stream():
        if not parts:
            first = time.perf_counter()
        parts.append(text)
    return _finish(adapter, parts, start, first)


async def _async_stream(adapter: Adapter) -> tuple[float, float]:
    parts: list[str] = []
    start = time.perf_counter()
    first = 0.0
    async for text in adapter.astream():
        if not parts:
            first = time.perf_counter()
        parts.append(text)
    return _finish(adapter, parts, start, first)


def _summary(kind: str, timings: list[tuple[float, float]]) -> dict[str, Any]:
    return {
        f"stream_{kind}_chunks_s": canned.STREAM_CHUNKS / statistics.median(t for t, _ in timings),
        f"stream_{kind}_first_ms": statistics.median(f for _, f in timings) * 1000,
        **harness.memory_mb(),
    }


WARM_CHUNKS = 100


def _enough(timings: list[tuple[float, float]]) -> bool:
    """Stop after 3 timed streams, or after 1 once 15 s were spent timing."""
    return len(timings) >= harness.count(3, 1) or sum(t for t, _ in timings) > 15


def _warm_sync(adapter: Adapter) -> None:
    stream = adapter.stream()
    for _ in range(WARM_CHUNKS):
        next(stream)
    stream.close()  # type: ignore[attr-defined]
    adapter.usage_seen = None


async def _warm_async(adapter: Adapter) -> None:
    stream = adapter.astream()
    for _ in range(WARM_CHUNKS):
        await stream.__anext__()
    await stream.aclose()  # type: ignore[attr-defined]
    adapter.usage_seen = None


async def _run_async(adapter: Adapter) -> list[tuple[float, float]]:
    timings: list[tuple[float, float]] = []
    try:
        await _warm_async(adapter)
        while not _enough(timings):
            timings.append(await _async_stream(adapter))
    finally:
        await adapter.aclose()
    return timings


def _run_sync(adapter: Adapter) -> list[tuple[float, float]]:
    timings: list[tuple[float, float]] = []
    try:
        _warm_sync(adapter)
        while not _enough(timings):
            timings.append(_sync_stream(adapter))
    finally:
        adapter.close()
    return timings


def run(client: str, asynchronous: bool) -> dict[str, Any]:
    adapter = CLIENTS[client](harness.BASE, "stream")
    if asynchronous:
        return _summary("async", asyncio.run(_run_async(adapter)))
    return _summary("sync", _run_sync(adapter))
