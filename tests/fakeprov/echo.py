"""A fast asyncio OpenAI chat server for load tests: many connections, keep-alive, one core.

Every ``POST .../chat/completions`` is answered with a ChatCompletion whose content
is ``"echo: " + <last message content>``, so a client can match each reply to its
request; with ``"stream": true`` the same content arrives as SSE chunks, one per
word. Nothing is recorded; ``connections`` and ``requests`` are counters.
"""

from __future__ import annotations

import asyncio
import json
import threading
from types import TracebackType
from typing import Optional


def _completion(model: str, text: str) -> bytes:
    return json.dumps(
        {
            "id": "chatcmpl-echo",
            "object": "chat.completion",
            "created": 1,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
        }
    ).encode()


def _sse(model: str, text: str) -> bytes:
    words = text.split(" ")
    deltas = [{"role": "assistant", "content": ""}]
    deltas += [{"content": w if i == 0 else f" {w}"} for i, w in enumerate(words)]
    events = [
        {
            "id": "chatcmpl-echo",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": model,
            "choices": [{"index": 0, "delta": d, "finish_reason": None}],
        }
        for d in deltas
    ]
    events[-1]["choices"][0]["finish_reason"] = "stop"
    out = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)
    return out + b"data: [DONE]\n\n"


class EchoServer:
    """``with EchoServer() as srv:`` serves on 127.0.0.1; ``srv.url`` is the ``api_base``."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._server: Optional[asyncio.base_events.Server] = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._run, name="EchoServer", daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=4096)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                body = json.loads(await reader.readexactly(length))
                self.requests += 1
                text = f"echo: {body['messages'][-1]['content']}"
                if body.get("stream"):
                    payload, ctype = _sse(body["model"], text), b"text/event-stream"
                else:
                    payload, ctype = _completion(body["model"], text), b"application/json"
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: "
                    + ctype
                    + b"\r\nContent-Length: "
                    + str(len(payload)).encode()
                    + b"\r\n\r\n"
                    + payload
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    def __enter__(self) -> EchoServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        async def stop() -> None:
            if self._server is not None:
                self._server.close()
            for w in list(self._writers):
                w.close()
            # Let every connection handler see its close and finish.
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            if tasks:
                await asyncio.wait(tasks, timeout=5)
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(stop(), self._loop)
        self._thread.join(10)
        self._loop.close()
