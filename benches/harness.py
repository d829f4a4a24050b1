"""What every metric driver shares: the run's settings, reply checks and memory readings.

Settings come from the environment that ``orchestrate.py`` sets:
``BENCH_PORT`` (the nginx port) and ``BENCH_QUICK=1`` (small counts while developing).
"""

from __future__ import annotations

import os
import statistics

import canned

PORT = int(os.environ.get("BENCH_PORT", "0"))
BASE = f"http://127.0.0.1:{PORT}"
QUICK = os.environ.get("BENCH_QUICK") == "1"


def count(full: int, quick: int) -> int:
    """``full`` in a real run, ``quick`` with ``BENCH_QUICK=1``."""
    return quick if QUICK else full


def budget(seconds_per_call: float, lowest: int, highest: int) -> int:
    """How many calls fill about 5 s (1 s in quick mode), kept within ``lowest..highest``.

    Slow clients get fewer calls (never under ``lowest``) so a full run stays within time.
    """
    wanted = int((1.0 if QUICK else 5.0) / max(seconds_per_call, 1e-9))
    return max(lowest, min(highest, wanted))


class WrongReply(AssertionError):
    """A client returned something other than the canned body: the timing is void."""


def check_chat(reply: tuple[str, int]) -> None:
    """The content string and usage of the canned chat completion."""
    if reply != (canned.CHAT_CONTENT, canned.CHAT_USAGE["total_tokens"]):
        raise WrongReply(f"chat reply {reply!r:.200}")


def check_stream(text: str, usage: object) -> None:
    """The streamed text joined, and the usage chunk's total."""
    if text != canned.STREAM_CONTENT or usage != canned.STREAM_USAGE["total_tokens"]:
        raise WrongReply(f"stream of {len(text)} characters, usage {usage!r}")


def check_embed(reply: tuple[list[list[float]], int]) -> None:
    """16 vectors of 1536 floats and the usage total."""
    vectors, total = reply
    shapes = {len(v) for v in vectors}
    if len(vectors) != canned.EMBED_ROWS or shapes != {canned.EMBED_DIM}:
        raise WrongReply(f"{len(vectors)} vectors of lengths {shapes}")
    if total != canned.EMBED_USAGE["total_tokens"]:
        raise WrongReply(f"embedding usage {total}")


def memory_mb() -> dict[str, float]:
    """Resident set now (``rss_mb``) and its peak so far (``peak_rss_mb``), in MB (10**6 B)."""
    fields = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) * 1024 / 1e6
    return {"rss_mb": fields["VmRSS"], "peak_rss_mb": fields["VmHWM"]}


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]
