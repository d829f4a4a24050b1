"""One process of the multi-process Router tests and the exactness benchmark.

    python router_worker.py IMPL MODE REDIS_URL START N API_BASE [API_BASE ...]

Builds a Router (IMPL ``ours`` = edgequake_litellm, ``litellm`` = litellm) with
one deployment per API_BASE (rpm from ``RPM``, default 3), usage-based routing
and Redis at REDIS_URL, waits until wall time START, sends N calls (MODE
``sync`` one after another, ``async`` all at once) and prints one JSON line:
``{"ok": admitted, "limited": refused with RouterRateLimitError, "other": [...]}``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from typing import Any


def main() -> None:
    impl, mode, redis_url, start, n, *bases = sys.argv[1:]
    if impl == "ours":
        import edgequake_litellm as litellm
    else:
        import litellm  # type: ignore[no-redef]
    rpm = int(os.environ.get("RPM", "3"))
    model_list = [
        {
            "model_name": "gpt",
            "litellm_params": {
                "model": "openai/gpt-4o-mini",
                "api_base": base,
                "api_key": "sk-worker",
                "rpm": rpm,
            },
            "model_info": {"id": f"dep-{i}"},
        }
        for i, base in enumerate(bases)
    ]
    router = litellm.Router(
        model_list=model_list,
        redis_url=redis_url,
        routing_strategy="usage-based-routing-v2",
        num_retries=0,
    )
    messages = [{"role": "user", "content": "hi"}]
    outcome: dict[str, Any] = {"ok": 0, "limited": 0, "other": []}

    def count(result: Any) -> None:
        if not isinstance(result, BaseException):
            outcome["ok"] += 1
        elif "No deployments available" in str(result):
            outcome["limited"] += 1
        else:
            outcome["other"].append(f"{type(result).__name__}: {result}"[:200])

    time.sleep(max(0.0, float(start) - time.time()))
    if mode == "sync":
        for _ in range(int(n)):
            try:
                count(router.completion(model="gpt", messages=messages))
            except Exception as e:
                count(e)
    else:

        async def go() -> list[Any]:
            calls = [router.acompletion(model="gpt", messages=messages) for _ in range(int(n))]
            return await asyncio.gather(*calls, return_exceptions=True)

        for r in asyncio.run(go()):
            count(r)
    flush = getattr(router, "flush", None)
    if callable(flush):
        flush()
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    main()
