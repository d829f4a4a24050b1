"""The first call of a fresh process (sync and async), and the first sync call on a new thread.

Each sample is a fresh interpreter of this venv that imports the client, then times one
chat call from making the client's object (an SDK or raw client builds its client there,
which is where it reads its trust store) to the checked reply; then, for sync, a second
thread makes its first call, timed the same way. Import time is not included (see the
``import`` family). The median over rounds is reported, after one unmeasured round that
fills the bytecode caches.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import harness

PROBE = """
import asyncio, json, sys, threading, time
sys.path.insert(0, {here!r})
import harness
from clients import CLIENTS, NotAvailable
cls = CLIENTS[{client!r}]
__import__(cls.module)
out = {{}}
if {asynchronous!r}:
    async def first():
        t = time.perf_counter()
        adapter = cls(harness.BASE, "chat")
        harness.check_chat(await adapter.achat())
        out["first_async_ms"] = (time.perf_counter() - t) * 1000
        await adapter.aclose()
    asyncio.run(first())
else:
    t = time.perf_counter()
    adapter = cls(harness.BASE, "chat")
    harness.check_chat(adapter.chat())
    out["first_sync_ms"] = (time.perf_counter() - t) * 1000
    def on_thread():
        t = time.perf_counter()
        harness.check_chat(adapter.chat())
        out["first_thread_ms"] = (time.perf_counter() - t) * 1000
    th = threading.Thread(target=on_thread)
    th.start()
    th.join()
    adapter.close()
print(json.dumps(out))
"""


def _sample(client: str, asynchronous: bool) -> dict[str, float]:
    code = PROBE.format(here=str(Path(__file__).parent), client=client, asynchronous=asynchronous)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        if "NotAvailable" in done.stderr:
            return {}
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    result: dict[str, float] = json.loads(done.stdout)
    return result


def run(client: str, asynchronous: bool) -> dict[str, Any]:
    rounds = harness.count(10, 3)
    samples = [_sample(client, asynchronous) for _ in range(rounds + 1)][1:]
    keys = {k for s in samples for k in s}
    if not keys:
        return {"n/a": "no " + ("async" if asynchronous else "sync") + " API"}
    return {k: statistics.median(s[k] for s in samples) for k in sorted(keys)}
