"""Render a benchmark result (``latest.json``'s document) as the Markdown table and targets.

Rows are metrics, columns clients; a cell is the median over repeats with min-max after
it. Each target of the performance issue is checked against the medians of the same run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable, Optional

US = "edgequake_litellm"

# (metric key, label, family that produces it)
ROWS = [
    ("import_ms", "import time, ms (minus bare interpreter)", "import"),
    ("import_pydantic_ms", "`import pydantic` in the same venv, ms", "import"),
    ("first_exception_ms", "import + first exception name (loads openai), ms", "import"),
    ("installed_mb", "installed footprint, MB (dependency closure)", "footprint"),
    ("distributions", "distributions in the closure", "footprint"),
    ("native_lib_mb", "native library, MB", "footprint"),
    ("rss_after_import_mb", "RSS after import, MB", "import"),
    ("peak_rss_any_mb", "peak RSS over all workloads, MB", "derived"),
    ("sync_p50_us", "sync call p50, µs", "sync"),
    ("sync_p99_us", "sync call p99, µs", "sync"),
    ("sync_cpu_us", "CPU per sync call, µs", "sync"),
    ("connections_per_100", "TCP connections per 100 sequential calls", "sync"),
    ("async100_calls_s", "async calls/s, 100 in flight", "async100"),
    ("async100_peak_rss_mb", "peak RSS, 100 in flight, MB", "async100"),
    ("async500_calls_s", "async calls/s, 500 in flight", "async500"),
    ("async500_peak_rss_mb", "peak RSS, 500 in flight, MB", "async500"),
    ("stream_sync_chunks_s", "sync stream, chunks/s", "stream_sync"),
    ("stream_sync_first_ms", "sync stream, first chunk, ms", "stream_sync"),
    ("stream_async_chunks_s", "async stream, chunks/s", "stream_async"),
    ("stream_async_first_ms", "async stream, first chunk, ms", "stream_async"),
    ("embed_calls_s", "embeddings calls/s (16 x 1536)", "embed"),
    ("threads_calls_s", "8 threads x 250 sync calls, calls/s", "threads"),
]


def _fmt(x: float) -> str:
    if x == int(x) and abs(x) < 1000:
        return str(int(x))
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"


def _cell(summary: dict[str, Any], key: str, client: str) -> Optional[str]:
    s = summary.get(key, {}).get(client)
    if s is None:
        return None
    if s["n"] == 1 or s["min"] == s["max"]:
        return _fmt(s["median"])
    return f"{_fmt(s['median'])} ({_fmt(s['min'])}-{_fmt(s['max'])})"


def _family_note(doc: dict[str, Any], client: str, family: str) -> str:
    for run in doc["runs"]:
        if run["client"] == client and run["family"] == family:
            if "n/a" in run["metrics"]:
                return "n/a"
            if "error" in run["metrics"]:
                return "error"
    return "—"


def _med(doc: dict[str, Any], key: str, client: str) -> Optional[float]:
    s = doc["summary"].get(key, {}).get(client)
    return None if s is None else float(s["median"])


Check = Callable[[dict[str, Any]], tuple[Optional[float], Optional[float], str]]


def _vs(key: str, other: Optional[str], factor: float, op: str) -> Check:
    """A target ``ours OP factor x other`` (or ``ours OP factor`` when ``other`` is None)."""

    def check(doc: dict[str, Any]) -> tuple[Optional[float], Optional[float], str]:
        ours = _med(doc, key, US)
        if other is None:
            return ours, factor, op
        if other == "pydantic+15":
            base = _med(doc, "import_pydantic_ms", US)
            return ours, None if base is None else base + 15, op
        base = _med(doc, key, other)
        return ours, None if base is None else factor * base, op

    return check


TARGETS: list[tuple[str, Check]] = [
    ("import time ≤ `import pydantic` + 15 ms", _vs("import_ms", "pydantic+15", 1, "≤")),
    ("installed footprint ≤ 15 MB", _vs("installed_mb", None, 15, "≤")),
    ("≤ 5 distributions", _vs("distributions", None, 5, "≤")),
    ("native library ≤ 5 MB", _vs("native_lib_mb", None, 5, "≤")),
    ("RSS after import ≤ 35 MB", _vs("rss_after_import_mb", None, 35, "≤")),
    ("peak RSS at 500 in flight ≤ 60 MB", _vs("async500_peak_rss_mb", None, 60, "≤")),
    ("sync p50 ≤ ⅓ of raw httpx", _vs("sync_p50_us", "httpx", 1 / 3, "≤")),
    ("TCP connections per 100 sequential calls ≤ 1", _vs("connections_per_100", None, 1, "≤")),
    ("async calls/s, 100 in flight ≥ 2x raw aiohttp", _vs("async100_calls_s", "aiohttp", 2, "≥")),
    ("async calls/s, 500 in flight ≥ 2x raw aiohttp", _vs("async500_calls_s", "aiohttp", 2, "≥")),
    ("sync stream chunks/s ≥ 1x raw httpx", _vs("stream_sync_chunks_s", "httpx", 1, "≥")),
    ("async stream chunks/s ≥ 1x raw aiohttp", _vs("stream_async_chunks_s", "aiohttp", 1, "≥")),
    ("sync stream first chunk ≤ 2 ms", _vs("stream_sync_first_ms", None, 2, "≤")),
    ("async stream first chunk ≤ 2 ms", _vs("stream_async_first_ms", None, 2, "≤")),
    ("embeddings calls/s ≥ 1.5x raw httpx", _vs("embed_calls_s", "httpx", 1.5, "≥")),
    ("8 threads sync calls/s ≥ 4x the openai SDK", _vs("threads_calls_s", "openai", 4, "≥")),
]


def targets(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with our median, the bound it must meet in this run, and met/missed."""
    out = []
    for label, check in TARGETS:
        ours, bound, op = check(doc)
        if ours is None or bound is None:
            status = "not measured"
        else:
            met = ours <= bound if op == "≤" else ours >= bound
            status = "met" if met else "missed"
        out.append({"target": label, "ours": ours, "bound": bound, "status": status})
    return out


def render(doc: dict[str, Any]) -> str:
    """The Markdown report: header, table, notes for n/a and errors, targets."""
    clients = doc["clients"]
    heads = []
    for c in clients:
        v = next(
            (
                r["metrics"].get("version")
                for r in doc["runs"]
                if r["client"] == c and r["family"] == "footprint"
            ),
            None,
        )
        heads.append(f"{c}<br>{v}" if v else c)
    m = doc["machine"]
    load = ", ".join(
        f"{k} {' / '.join(f'{x:.2f}' for x in v)}" for k, v in doc["load_average"].items()
    )
    wrk = ", ".join(f"{k} {v:,.0f}" for k, v in doc["wrk_requests_s"].items())
    lines = [
        f"Run {doc['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
        f"Linux {m['kernel']}, Python {m['python']}; checkout {doc['checkout']}; "
        f"{doc['repeats']} repeat(s){' (quick mode: small counts)' if doc['quick'] else ''}, "
        f"{doc.get('duration_s', 0) // 60} min.",
        "",
        f"Load average (1/5/15 min): {load}.",
        "",
        f"nginx ceiling measured by wrk, requests/s: {wrk}.",
        "",
        "| metric | " + " | ".join(heads) + " |",
        "|---|" + "---|" * len(clients),
    ]
    for key, label, family in ROWS:
        cells = [_cell(doc["summary"], key, c) or _family_note(doc, c, family) for c in clients]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    notes = sorted(
        {
            f"- {r['client']}, {r['family']}: {kind} — {r['metrics'][kind]}"
            for r in doc["runs"]
            for kind in ("n/a", "error")
            if kind in r["metrics"]
        }
    )
    if notes:
        lines += ["", *notes]
    lines += ["", "| target | edgequake_litellm | bound in this run | |", "|---|---|---|---|"]
    for t in targets(doc):
        ours = "—" if t["ours"] is None else _fmt(t["ours"])
        bound = "—" if t["bound"] is None else _fmt(t["bound"])
        lines.append(f"| {t['target']} | {ours} | {bound} | {t['status']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(json.loads(Path(sys.argv[1]).read_text())))
