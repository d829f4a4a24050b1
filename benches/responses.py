"""Responses API overhead: ``responses`` against ``completion`` and against litellm's
``responses``, in one run, against one fake OpenAI server on loopback.

    python benches/responses.py [--calls N] [--out benches/results/responses]

Per call (sequential, sync, after a warm-up): medians and p90 in microseconds of
this package's ``completion``, native ``responses`` (``/v1/responses``), bridged
``responses`` (``deepseek/`` pointed at the same server: sent as chat completions
and translated back in Rust), and litellm's ``completion`` and ``responses``
(offline: ``LITELLM_LOCAL_MODEL_COST_MAP``). The server is the tests' Python fake
(``tests/fakeprov``), the same for every row, so differences between rows are
client overhead; absolute numbers include the fake's own time. Results go to
``<out>.json`` and ``<out>.md``; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"


def measure(call: Callable[[], Any], n: int) -> dict[str, float]:
    for _ in range(max(10, n // 10)):
        call()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1e6)
    times.sort()
    return {"p50_us": statistics.median(times), "p90_us": times[int(0.9 * (n - 1))]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--out", default=str(ROOT / "benches" / "results" / "responses"))
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    import litellm

    import edgequake_litellm as eq
    from fakeprov.openai import FakeOpenAI

    litellm.telemetry = False
    litellm.suppress_debug_info = True
    messages = [{"role": "user", "content": "hello there"}]
    rows: dict[str, dict[str, float]] = {}
    with FakeOpenAI() as srv:
        kw: dict[str, Any] = {"api_base": srv.url, "api_key": "k"}
        cases: dict[str, Callable[[], Any]] = {
            "edgequake completion": lambda: eq.completion("openai/gpt-4o", messages, **kw),
            "edgequake responses (native)": lambda: eq.responses(
                "hello there", "openai/gpt-4o", store=False, **kw
            ),
            "edgequake responses (bridged)": lambda: eq.responses(
                "hello there", "deepseek/deepseek-chat", **kw
            ),
            "litellm completion": lambda: litellm.completion("openai/gpt-4o", messages, **kw),
            "litellm responses": lambda: litellm.responses(
                input="hello there", model="openai/gpt-4o", store=False, **kw
            ),
        }
        for name, call in cases.items():
            rows[name] = measure(call, args.calls)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(rows, indent=2) + "\n")
    lines = ["| call | p50 (µs) | p90 (µs) |", "|---|---|---|"]
    lines += [f"| {k} | {v['p50_us']:.0f} | {v['p90_us']:.0f} |" for k, v in rows.items()]
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
