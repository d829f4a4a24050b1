"""Run every metric family for every client, repeat with the client order rotated, and
write ``latest.json`` and ``latest.md`` into the directory given as the only argument.

Started by ``run.sh`` (which provides the venvs and the running nginx) with
``BENCH_PORT``, ``BENCH_SERVER_DIR``, ``BENCH_VENVS`` and optionally ``BENCH_QUICK``,
``BENCH_REPEATS``, ``BENCH_CLIENTS``, ``BENCH_FAMILIES`` (a subset of the families). Each
measurement is a fresh process of the client's venv (``measure.py FAMILY CLIENT``); one that
fails is recorded as an error, not retried.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import report
import server
from clients import CLIENTS

HERE = Path(__file__).resolve().parent
FAMILIES = [
    "import",
    "sync",
    "threads",
    "async100",
    "async500",
    "stream_sync",
    "stream_async",
    "streams1000",
    "embed",
    "first_sync",
    "first_async",
]
QUICK = os.environ.get("BENCH_QUICK") == "1"


def _machine() -> dict[str, Any]:
    info = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((x.split(":", 1)[1].strip() for x in info if x.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem = next(x.split()[1] for x in meminfo if x.startswith("MemTotal"))
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(mem) / 1e6, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def _git() -> str:
    def out(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=HERE, capture_output=True, text=True).stdout

    dirty = " (dirty)" if out("status", "--porcelain") else ""
    return out("rev-parse", "--short", "HEAD").strip() + dirty


def _measure(client: str, family: str) -> dict[str, Any]:
    python = Path(os.environ["BENCH_VENVS"]) / client / "bin" / "python"
    try:
        done = subprocess.run(
            [str(python), str(HERE / "measure.py"), family, client],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=os.environ["BENCH_SERVER_DIR"],
        )
    except subprocess.TimeoutExpired:
        return {"error": "timed out after 900 s"}
    if done.returncode != 0:
        lines = [x.strip() for x in done.stderr.splitlines() if x.strip()]
        tail = " / ".join(lines[-3:])[-300:]
        status = (
            f"killed by signal {-done.returncode}"
            if done.returncode < 0
            else f"exit status {done.returncode}"
        )
        return {"error": f"{status}: {tail}" if tail else status}
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _summarize(runs: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, float]]]:
    values: dict[str, dict[str, list[float]]] = {}
    for run in runs:
        for key, value in run["metrics"].items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                values.setdefault(key, {}).setdefault(run["client"], []).append(value)
    return {
        key: {
            c: {"median": statistics.median(v), "min": min(v), "max": max(v), "n": len(v)}
            for c, v in per.items()
        }
        for key, per in values.items()
    }


def main() -> None:
    out_dir = Path(sys.argv[1])
    clients = os.environ.get("BENCH_CLIENTS", "").split() or list(CLIENTS)
    repeats = int(os.environ.get("BENCH_REPEATS", "1" if QUICK else "3"))
    families = os.environ.get("BENCH_FAMILIES", "").split() or FAMILIES
    started = time.time()
    doc: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "quick": QUICK,
        "repeats": repeats,
        "clients": clients,
        "checkout": _git(),
        "machine": _machine(),
        "load_average": {"start": os.getloadavg()},
    }
    print(f"wrk ceiling of nginx ({'quick' if QUICK else 'full'} run)...", file=sys.stderr)
    doc["wrk_requests_s"] = server.ceiling(Path(os.environ["BENCH_SERVER_DIR"]), 1 if QUICK else 5)
    runs: list[dict[str, Any]] = []
    for client in clients:
        runs.append(
            {
                "repeat": 0,
                "family": "footprint",
                "client": client,
                "metrics": _measure(client, "footprint"),
            }
        )
    for repeat in range(repeats):
        order = clients[repeat % len(clients) :] + clients[: repeat % len(clients)]
        doc["load_average"][f"repeat {repeat + 1}"] = os.getloadavg()
        for family in families:
            for client in order:
                t = time.perf_counter()
                metrics = _measure(client, family)
                print(
                    f"repeat {repeat + 1}/{repeats} {family:13} {client:24} "
                    f"{time.perf_counter() - t:6.1f} s {json.dumps(metrics)[:150]}",
                    file=sys.stderr,
                )
                runs.append(
                    {"repeat": repeat, "family": family, "client": client, "metrics": metrics}
                )
        for client in clients:
            peaks = [
                r["metrics"].get("peak_rss_mb", 0)
                for r in runs
                if r["repeat"] == repeat and r["client"] == client and r["family"] != "footprint"
            ]
            if any(peaks):
                runs.append(
                    {
                        "repeat": repeat,
                        "family": "derived",
                        "client": client,
                        "metrics": {"peak_rss_any_mb": max(peaks)},
                    }
                )
    doc["load_average"]["end"] = os.getloadavg()
    doc["duration_s"] = round(time.time() - started)
    doc["runs"] = runs
    doc["summary"] = _summarize(runs)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "latest.json").write_text(json.dumps(doc, indent=1) + "\n")
    (out_dir / "latest.md").write_text(report.render(doc))
    print(report.render(doc))


if __name__ == "__main__":
    main()
