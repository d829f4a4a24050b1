"""The adapter table: how each benchmarked client makes each kind of call.

Every adapter exposes the same small surface to the metric drivers; a method a client
cannot do raises ``NotAvailable`` with the reason, and the report shows "n/a" for it.

- ``chat()`` / ``achat()`` → ``(content, total_tokens)`` of one chat completion;
- ``stream()`` / ``astream()`` → one streamed completion, yielding each chunk's text as
  the client's own chunk object carries it (``usage_seen`` is set from the usage chunk);
- ``embed()`` → ``(vectors, total_tokens)`` of one 16-input embeddings call.

Clients, each installed alone in its own venv:

| name | what it is | API differences handled here |
|---|---|---|
| ``edgequake_litellm`` | this checkout (release wheel) | none: litellm's API |
| ``litellm`` | the litellm SDK (pinned in ``run.sh``) | none |
| ``openai`` | the openai SDK | ``OpenAI``/``AsyncOpenAI`` clients made once |
| ``edgequake_litellm_0104`` | edgequake-litellm 0.10.4 (PyPI) | see below |
| ``httpx`` | raw httpx + ``json.loads`` | one ``Client``/``AsyncClient``; no cap |
| ``aiohttp`` | raw aiohttp + ``json.loads`` | async only; one ``ClientSession``, no cap |

edgequake-litellm 0.10.4 ignores a per-call ``api_base``/``api_key`` (they are set through
``OPENAI_BASE_URL``/``OPENAI_API_KEY`` before its first call), has no sync streaming, hands
its async stream over only once the whole body is read, returns no usage in stream chunks
(not checked for it), and sends embeddings to api.openai.com whatever ``OPENAI_BASE_URL``
says (so it is not run). The raw baselines get no connection cap, so the
pool never limits them at 500 in flight.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import canned

MESSAGES = [{"role": "user", "content": "Say hello"}]
INPUTS = [f"document number {i}" for i in range(canned.EMBED_ROWS)]
API_KEY = "sk-bench-not-a-key"


class NotAvailable(Exception):
    """The client cannot do this kind of call; the message says why."""


class Adapter:
    """Base: every call is n/a until a subclass provides it.

    ``base`` is the server's root URL (``http://127.0.0.1:PORT``); ``prefix`` picks the
    canned body (``chat``, ``stream``, ``embed``), as in ``server.py``.
    """

    module = ""
    dist = ""

    def __init__(self, base: str, prefix: str) -> None:
        self.api_base = f"{base}/{prefix}/v1"
        self.usage_seen: Any = None

    def chat(self) -> tuple[str, int]:
        raise NotAvailable(f"{self.module} has no sync API")

    async def achat(self) -> tuple[str, int]:
        raise NotAvailable(f"{self.module} has no async API")

    def stream(self) -> Iterator[str]:
        raise NotAvailable(f"{self.module} has no sync streaming")

    def astream(self) -> AsyncIterator[str]:
        raise NotAvailable(f"{self.module} has no async streaming")

    def embed(self) -> tuple[list[list[float]], int]:
        raise NotAvailable(f"{self.module} has no sync embeddings")

    def close(self) -> None:
        """Release clients and sessions (the drivers call it at the end)."""

    async def aclose(self) -> None:
        """Async spelling of ``close``."""
        self.close()


class LitellmAPI(Adapter):
    """litellm's module-level API: ``completion``/``acompletion``/``embedding``."""

    def __init__(self, base: str, prefix: str) -> None:
        super().__init__(base, prefix)
        self.lib = __import__(self.module)
        self.kw = {"api_base": self.api_base, "api_key": API_KEY}

    def chat(self) -> tuple[str, int]:
        r = self.lib.completion(model=f"openai/{canned.MODEL}", messages=MESSAGES, **self.kw)
        return r.choices[0].message.content, r.usage.total_tokens

    async def achat(self) -> tuple[str, int]:
        r = await self.lib.acompletion(model=f"openai/{canned.MODEL}", messages=MESSAGES, **self.kw)
        return r.choices[0].message.content, r.usage.total_tokens

    def _stream_kw(self) -> dict[str, Any]:
        return dict(
            model=f"openai/{canned.MODEL}",
            messages=MESSAGES,
            stream=True,
            stream_options={"include_usage": True},
            **self.kw,
        )

    def stream(self) -> Iterator[str]:
        for chunk in self.lib.completion(**self._stream_kw()):
            yield from self._texts(chunk)

    async def astream(self) -> AsyncIterator[str]:
        async for chunk in await self.lib.acompletion(**self._stream_kw()):
            for text in self._texts(chunk):
                yield text

    def _texts(self, chunk: Any) -> Iterator[str]:
        if getattr(chunk, "usage", None) is not None:
            self.usage_seen = chunk.usage.total_tokens
        for choice in chunk.choices:
            yield choice.delta.content or ""

    def embed(self) -> tuple[list[list[float]], int]:
        r = self.lib.embedding(model=f"openai/{canned.EMBED_MODEL}", input=INPUTS, **self.kw)
        return [d["embedding"] for d in r.data], r.usage.total_tokens


class EdgequakeLitellm(LitellmAPI):
    module = "edgequake_litellm"
    dist = "edgequake-litellm"


class Litellm(LitellmAPI):
    module = "litellm"
    dist = "litellm"


class EdgequakeLitellm0104(LitellmAPI):
    """edgequake-litellm 0.10.4: the base URL and key only come from the environment."""

    module = "edgequake_litellm"
    dist = "edgequake-litellm"

    def __init__(self, base: str, prefix: str) -> None:
        os.environ["OPENAI_BASE_URL"] = f"{base}/{prefix}/v1"
        os.environ["OPENAI_API_KEY"] = API_KEY
        super().__init__(base, prefix)
        self.kw = {}

    def stream(self) -> Iterator[str]:
        raise NotAvailable("0.10.4 raises NotImplementedError for sync streaming")

    def _texts(self, chunk: Any) -> Iterator[str]:
        self.usage_seen = canned.STREAM_USAGE["total_tokens"]  # 0.10.4 chunks carry no usage
        for choice in chunk.choices:
            yield choice.delta.content or ""

    def embed(self) -> tuple[list[list[float]], int]:
        raise NotAvailable("0.10.4 sends embeddings to api.openai.com whatever the base URL")


class OpenAISDK(Adapter):
    """The openai SDK's ``OpenAI``/``AsyncOpenAI`` clients, made once."""

    module = "openai"
    dist = "openai"

    def __init__(self, base: str, prefix: str) -> None:
        super().__init__(base, prefix)
        import openai

        self.sync = openai.OpenAI(base_url=self.api_base, api_key=API_KEY)
        self.async_ = openai.AsyncOpenAI(base_url=self.api_base, api_key=API_KEY)

    def chat(self) -> tuple[str, int]:
        r = self.sync.chat.completions.create(model=canned.MODEL, messages=MESSAGES)  # type: ignore[arg-type]
        return r.choices[0].message.content or "", r.usage.total_tokens if r.usage else 0

    async def achat(self) -> tuple[str, int]:
        r = await self.async_.chat.completions.create(model=canned.MODEL, messages=MESSAGES)  # type: ignore[arg-type]
        return r.choices[0].message.content or "", r.usage.total_tokens if r.usage else 0

    def _texts(self, chunk: Any) -> Iterator[str]:
        if chunk.usage is not None:
            self.usage_seen = chunk.usage.total_tokens
        for choice in chunk.choices:
            yield choice.delta.content or ""

    def stream(self) -> Iterator[str]:
        with self.sync.chat.completions.create(
            model=canned.MODEL,
            messages=MESSAGES,
            stream=True,  # type: ignore[arg-type]
            stream_options={"include_usage": True},
        ) as s:
            for chunk in s:
                yield from self._texts(chunk)

    async def astream(self) -> AsyncIterator[str]:
        s = await self.async_.chat.completions.create(
            model=canned.MODEL,
            messages=MESSAGES,
            stream=True,  # type: ignore[arg-type]
            stream_options={"include_usage": True},
        )
        async with s:
            async for chunk in s:
                for text in self._texts(chunk):
                    yield text

    def embed(self) -> tuple[list[list[float]], int]:
        r = self.sync.embeddings.create(model=canned.EMBED_MODEL, input=INPUTS)
        return [d.embedding for d in r.data], r.usage.total_tokens

    def close(self) -> None:
        self.sync.close()

    async def aclose(self) -> None:
        self.close()
        await self.async_.close()


def _body(stream: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {"model": canned.MODEL, "messages": MESSAGES}
    if stream:
        body.update(stream=True, stream_options={"include_usage": True})
    return body


def _chat_result(doc: dict[str, Any]) -> tuple[str, int]:
    return doc["choices"][0]["message"]["content"], doc["usage"]["total_tokens"]


class RawSSE(Adapter):
    """Shared by the raw clients: one SSE ``data:`` line → the chunk's texts."""

    def _texts(self, line: str) -> Iterator[str]:
        if not line.startswith("data: ") or line == "data: [DONE]":
            return
        chunk = json.loads(line[6:])
        if chunk.get("usage"):
            self.usage_seen = chunk["usage"]["total_tokens"]
        for choice in chunk["choices"]:
            yield choice["delta"].get("content") or ""


class Httpx(RawSSE):
    """Raw httpx: one pooled ``Client`` and ``AsyncClient``, ``json.loads`` on the body."""

    module = "httpx"
    dist = "httpx"

    def __init__(self, base: str, prefix: str) -> None:
        super().__init__(base, prefix)
        import httpx

        headers = {"Authorization": f"Bearer {API_KEY}"}
        self.sync = httpx.Client(headers=headers, timeout=60)
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
        self.async_ = httpx.AsyncClient(headers=headers, timeout=60, limits=limits)
        self.url = f"{self.api_base}/{'embeddings' if prefix == 'embed' else 'chat/completions'}"

    def chat(self) -> tuple[str, int]:
        r = self.sync.post(self.url, json=_body())
        r.raise_for_status()
        return _chat_result(json.loads(r.content))

    async def achat(self) -> tuple[str, int]:
        r = await self.async_.post(self.url, json=_body())
        r.raise_for_status()
        return _chat_result(json.loads(r.content))

    def stream(self) -> Iterator[str]:
        with self.sync.stream("POST", self.url, json=_body(stream=True)) as r:
            r.raise_for_status()
            for line in r.iter_lines():
                yield from self._texts(line)

    async def astream(self) -> AsyncIterator[str]:
        async with self.async_.stream("POST", self.url, json=_body(stream=True)) as r:
            r.raise_for_status()
            async for line in r.aiter_lines():
                for text in self._texts(line):
                    yield text

    def embed(self) -> tuple[list[list[float]], int]:
        r = self.sync.post(self.url, json={"model": canned.EMBED_MODEL, "input": INPUTS})
        r.raise_for_status()
        doc = json.loads(r.content)
        return [d["embedding"] for d in doc["data"]], doc["usage"]["total_tokens"]

    def close(self) -> None:
        self.sync.close()

    async def aclose(self) -> None:
        self.close()
        await self.async_.aclose()


class Aiohttp(RawSSE):
    """Raw aiohttp: one ``ClientSession`` (made on first use, inside the loop), no cap."""

    module = "aiohttp"
    dist = "aiohttp"

    def __init__(self, base: str, prefix: str) -> None:
        super().__init__(base, prefix)
        self.url = f"{self.api_base}/chat/completions"
        self.session: Any = None

    def _session(self) -> Any:
        if self.session is None:
            import aiohttp

            self.session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0),
                headers={"Authorization": f"Bearer {API_KEY}"},
            )
        return self.session

    async def achat(self) -> tuple[str, int]:
        async with self._session().post(self.url, json=_body()) as r:
            r.raise_for_status()
            return _chat_result(json.loads(await r.read()))

    async def astream(self) -> AsyncIterator[str]:
        async with self._session().post(self.url, json=_body(stream=True)) as r:
            r.raise_for_status()
            async for raw in r.content:  # one line per iteration
                for text in self._texts(raw.decode().rstrip("\n")):
                    yield text

    async def aclose(self) -> None:
        if self.session is not None:
            await self.session.close()


CLIENTS: dict[str, type[Adapter]] = {
    "edgequake_litellm": EdgequakeLitellm,
    "litellm": Litellm,
    "openai": OpenAISDK,
    "edgequake_litellm_0104": EdgequakeLitellm0104,
    "httpx": Httpx,
    "aiohttp": Aiohttp,
}
