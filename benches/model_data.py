"""Model-data benchmark: this package against litellm, in one run, each in its own process.

    python benches/model_data.py [--litellm-python PATH] [--out benches/results/model_data]

Per library, in a fresh interpreter: the first ``get_model_info("gpt-4o")`` (load + lookup)
and the RSS after it, then per-call medians of ``get_model_info``, ``supports_function_calling``,
``completion_cost`` (a response with usage), and ``token_counter`` on a short message list and
on a ~10k-token text. litellm runs offline (``LITELLM_LOCAL_MODEL_COST_MAP``). Results go to
``<out>.json`` and ``<out>.md``; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

PROBE = r"""
import json, os, statistics, sys, time
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'): return int(line.split()[1]) * 1024 / 1e6
t0 = time.perf_counter()
import {module} as lib
t1 = time.perf_counter()
rss_import = rss()
lib.get_model_info("gpt-4o")
t2 = time.perf_counter()
rss_lookup = rss()
def per_call(fn, n):
    fn()
    samples = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n): fn()
        samples.append((time.perf_counter() - t) / n * 1e6)
    return statistics.median(samples)
msgs = [
    {{"role": "system", "content": "Be brief."}},
    {{"role": "user", "content": "What is the capital of France?"}},
]
names = [m for m in lib.model_list if not m.startswith("gpt-4o")][:300]
t = time.perf_counter()
for m in names:
    try: lib.get_model_info(m)
    except Exception: pass
distinct_us = (time.perf_counter() - t) / len(names) * 1e6
long_text = "The quick brown fox jumps over the lazy dog. " * 1000
usage = lib.Usage(prompt_tokens=1000, completion_tokens=200, total_tokens=1200)
resp = lib.ModelResponse(model="gpt-4o", usage=usage)
claude = "anthropic/claude-sonnet-4-5"
out = {{
    "import_ms": (t1 - t0) * 1000,
    "first_get_model_info_ms": (t2 - t1) * 1000,
    "rss_after_import_mb": rss_import,
    "rss_after_first_lookup_mb": rss_lookup,
    "get_model_info_distinct_us": distinct_us,
    "get_model_info_us": per_call(lambda: lib.get_model_info("gpt-4o"), 2000),
    "supports_function_calling_us": per_call(lambda: lib.supports_function_calling(claude), 2000),
    "completion_cost_us": per_call(lambda: lib.completion_cost(completion_response=resp), 2000),
    "token_counter_messages_us": per_call(
        lambda: lib.token_counter(model="gpt-4o", messages=msgs), 2000
    ),
    "token_counter_10k_tokens_us": per_call(
        lambda: lib.token_counter(model="gpt-4o", text=long_text), 20
    ),
}}
print(json.dumps(out))
"""

ROWS = [
    ("import_ms", "import time, ms (one process)"),
    ("first_get_model_info_ms", "first get_model_info (loads the data), ms"),
    ("rss_after_import_mb", "RSS after import, MB"),
    ("rss_after_first_lookup_mb", "RSS after the first get_model_info, MB"),
    (
        "get_model_info_distinct_us",
        "get_model_info, 300 distinct models, µs/call (first lookup each)",
    ),
    ("get_model_info_us", "get_model_info, same model, µs/call (cached, as litellm)"),
    ("supports_function_calling_us", "supports_function_calling, µs/call"),
    ("completion_cost_us", "completion_cost(response), µs/call"),
    ("token_counter_messages_us", "token_counter, 2 messages, µs/call"),
    ("token_counter_10k_tokens_us", "token_counter, 10k-token text, µs/call"),
]


def measure(python: str, module: str) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.update(LITELLM_LOCAL_MODEL_COST_MAP="True", LITELLM_TELEMETRY="False")
    out = subprocess.run(
        [python, "-c", PROBE.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    default_ref = Path.home() / ".cache/edgequake-litellm/ref-litellm-1.110.2/bin/python"
    ap.add_argument("--litellm-python", default=str(default_ref))
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "model_data"))
    args = ap.parse_args()
    ours = measure(sys.executable, "edgequake_litellm")
    theirs = measure(args.litellm_python, "litellm")
    version = subprocess.run(
        [args.litellm_python, "-c", "import importlib.metadata as m; print(m.version('litellm'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    doc = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()}",
        "litellm": version,
        "edgequake_litellm": ours,
        "litellm_results": theirs,
    }
    lines = [
        f"Run {doc['when']} on {doc['machine']}; litellm {version}.",
        "",
        f"| metric | edgequake_litellm | litellm {version} | ratio |",
        "|---|---|---|---|",
    ]
    for key, label in ROWS:
        a, b = ours[key], theirs[key]
        lines.append(f"| {label} | {a:,.2f} | {b:,.2f} | {b / a if a else float('inf'):,.1f}x |")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out + ".json").write_text(json.dumps(doc, indent=1))
    Path(args.out + ".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
