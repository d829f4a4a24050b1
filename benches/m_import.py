"""Import time and resident memory after import, from fresh interpreter processes.

Each round starts three processes of this venv's interpreter: a bare one (``pass``), one
importing the client's module, and one importing ``pydantic`` (the baseline of the import
target, where pydantic is installed). Import time is the median over rounds of the wall
time of the importing process minus the bare one's; RSS is read inside the process right
after the import. One unmeasured round first fills the bytecode caches.
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
import time
from typing import Any

import harness
from clients import CLIENTS

PROBE = (
    "import {module}\n"
    "for line in open('/proc/self/status'):\n"
    "    if line.startswith('VmRSS:'): print(int(line.split()[1]) * 1024 / 1e6)\n"
)


def _spawn(code: str) -> tuple[float, float]:
    """Wall seconds of a fresh ``python -c code`` and the RSS (MB) it printed (0 if none)."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    return elapsed, float(out.stdout.strip() or 0)


def run(client: str) -> dict[str, Any]:
    module = CLIENTS[client].module
    subjects = {"client": module}
    if importlib.util.find_spec("pydantic") is not None:
        subjects["pydantic"] = "pydantic"
    if module == "edgequake_litellm":
        # Our exception classes load on first use (with openai's bases when it is installed):
        # the import above stays free of openai; this is what the first exception name costs.
        subjects["first_exception"] = f"{module}; {module}.RateLimitError"
    rounds = harness.count(10, 3)
    times: dict[str, list[float]] = {k: [] for k in subjects}
    rss: list[float] = []
    bare: list[float] = []
    for i in range(rounds + 1):
        b, _ = _spawn("pass")
        taken = {k: _spawn(PROBE.format(module=m)) for k, m in subjects.items()}
        if i == 0:
            continue
        bare.append(b)
        for k, (seconds, mb) in taken.items():
            times[k].append(seconds)
            if k == "client":
                rss.append(mb)
    base = statistics.median(bare)
    result = {
        "import_ms": (statistics.median(times["client"]) - base) * 1000,
        "rss_after_import_mb": statistics.median(rss),
        "bare_interpreter_ms": base * 1000,
    }
    if "pydantic" in times:
        result["import_pydantic_ms"] = (statistics.median(times["pydantic"]) - base) * 1000
    if "first_exception" in times:
        result["first_exception_ms"] = (statistics.median(times["first_exception"]) - base) * 1000
        result["openai_installed"] = importlib.util.find_spec("openai") is not None
    return result
