"""Many concurrent calls, sync and async: zero errors, every reply matched to its request."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

import edgequake_litellm as litellm
from fakeprov.echo import EchoServer


@pytest.mark.timeout(300)
def test_32_threads_x_1000_sync_calls() -> None:
    with EchoServer() as srv:

        def worker(t: int) -> int:
            ok = 0
            for i in range(1000):
                tag = f"t{t}-c{i}"
                r = litellm.completion(
                    model="openai/m",
                    messages=[{"role": "user", "content": tag}],
                    api_base=srv.url,
                    api_key="k",
                )
                ok += r.choices[0].message.content == f"echo: {tag}"
            return ok

        with ThreadPoolExecutor(32) as pool:
            results = list(pool.map(worker, range(32)))
    assert results == [1000] * 32
    assert srv.requests == 32_000


@pytest.mark.timeout(300)
def test_5000_concurrent_async_calls() -> None:
    async def run(url: str) -> list[bool]:
        async def one(i: int) -> bool:
            r = await litellm.acompletion(
                model="openai/m",
                messages=[{"role": "user", "content": f"a{i}"}],
                api_base=url,
                api_key="k",
            )
            return bool(r.choices[0].message.content == f"echo: a{i}")

        return await asyncio.gather(*(one(i) for i in range(5000)))

    with EchoServer() as srv:
        results = asyncio.run(run(srv.url))
    assert all(results) and len(results) == 5000
    assert srv.requests == 5000
