"""Generic machinery for fake HTTP API servers used in tests.

A :class:`FakeServer` runs a ``ThreadingHTTPServer`` speaking HTTP/1.1 with
keep-alive on 127.0.0.1 in a daemon thread. It records every request, counts
TCP connections, detects clients that hang up early, and lets tests script
replies (errors, delays, hand-written SSE streams, truncated responses) with
:class:`Reply`. Subclasses implement :meth:`FakeServer.handle` to speak a wire
format; they answer through the :class:`Exchange` they are given.
"""

from __future__ import annotations

import json
import select
import socket
import socketserver
import ssl
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, TypeVar, Union, cast

JsonBody = Union[dict[str, Any], list[Any]]
_Server = TypeVar("_Server", bound="FakeServer")

_SLEEP_STEP = 0.01
_POLL_INTERVAL = 0.01
_CLIENT_GONE_ERRORS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


@dataclass(frozen=True)
class Recorded:
    """One request as received by the server."""

    method: str
    path: str
    """Request target including the query string, e.g. ``/v1/models?x=1``."""
    headers: dict[str, str]
    """Header names lower-cased; repeated headers joined with ``", "``."""
    body: bytes

    @property
    def json(self) -> Any:
        """The body parsed as JSON (raises ``ValueError`` if it is not JSON)."""
        return json.loads(self.body)


@dataclass
class Reply:
    """A scripted reply, used instead of the endpoint's default reply.

    Kinds of reply, chosen by which fields are set:

    * ``body`` (bytes, str, or dict/list sent as JSON) with ``status``: a plain
      reply with ``Content-Length``. ``Content-Type`` defaults to
      ``application/json``; override it through ``headers``.
    * ``sse_events``: a ``text/event-stream`` reply over chunked transfer
      encoding; each item (a str, or a dict sent as JSON) is written as
      ``data: <item>\\n\\n`` in its own chunk. Include ``"[DONE]"`` yourself.
    * ``raw_sse``: bytes written verbatim as the event-stream body; a list of
      bytes is written as separate chunks (to split frames across reads).
    * none of the above, with ``status`` 200 and ``close_after_headers`` unset:
      the endpoint's default reply, after ``delay`` and with ``headers`` added.

    Modifiers: ``delay`` seconds before the status line; ``chunk_delay``
    seconds between stream chunks; ``cut_after`` closes the connection after
    that many stream chunks without the terminating chunk;
    ``close_after_headers`` sends the status line and headers, then closes.
    A client hanging up during ``delay`` or ``chunk_delay`` is detected and
    counted in :attr:`FakeServer.disconnects`.
    """

    status: int = 200
    body: bytes | str | JsonBody | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    sse_events: Sequence[str | dict[str, Any]] | None = None
    chunk_delay: float = 0.0
    cut_after: int | None = None
    raw_sse: bytes | Sequence[bytes] | None = None
    close_after_headers: bool = False

    @property
    def is_passthrough(self) -> bool:
        """Whether this reply only modifies the endpoint's default reply."""
        return (
            self.status == 200
            and self.body is None
            and self.sse_events is None
            and self.raw_sse is None
            and not self.close_after_headers
        )

    def body_bytes(self) -> bytes:
        """The body encoded for the wire."""
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()

    def stream_pieces(self) -> list[bytes]:
        """The stream body split into the chunks to write."""
        if self.raw_sse is not None:
            return [self.raw_sse] if isinstance(self.raw_sse, bytes) else list(self.raw_sse)
        return [
            f"data: {e if isinstance(e, str) else json.dumps(e)}\n\n".encode()
            for e in self.sse_events or []
        ]


class ClientGone(Exception):
    """Raised inside a handler when the client has hung up."""


class Exchange:
    """One request being answered; passed to :meth:`FakeServer.handle`.

    Write errors and client hang-ups detected by :meth:`sleep` raise
    :class:`ClientGone`, which the server counts as a disconnect.
    """

    def __init__(self, handler: _Handler, request: Recorded) -> None:
        self.request = request
        self.headers_sent = False
        self._handler = handler
        self._extra_headers: dict[str, str] = {}

    def sleep(self, seconds: float) -> None:
        """Sleep in 10 ms steps, raising :class:`ClientGone` if the client hangs up."""
        sock = self._handler.connection
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            step = min(remaining, _SLEEP_STEP)
            readable, _, _ = select.select([sock], [], [], step)
            if not readable:
                continue
            try:
                if sock.recv(1, socket.MSG_PEEK) == b"":
                    raise ClientGone
            except _CLIENT_GONE_ERRORS as exc:
                raise ClientGone from exc
            time.sleep(step)  # pipelined bytes are waiting; do not spin on them

    def send(
        self,
        status: int,
        body: bytes,
        headers: Mapping[str, str] | None = None,
        *,
        close_after_headers: bool = False,
    ) -> None:
        """Send a complete reply with ``Content-Length`` (JSON content type by default)."""
        defaults = {"Content-Type": "application/json", "Content-Length": str(len(body))}
        self._send_head(status, defaults, headers)
        if close_after_headers:
            self.abort()
        else:
            self._write(body)

    def send_json(
        self, status: int, obj: JsonBody, headers: Mapping[str, str] | None = None
    ) -> None:
        """Send ``obj`` serialized as JSON."""
        self.send(status, json.dumps(obj).encode(), headers)

    def start_stream(self, status: int = 200, headers: Mapping[str, str] | None = None) -> None:
        """Send the head of a chunked ``text/event-stream`` reply."""
        defaults = {
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-cache",
            "Transfer-Encoding": "chunked",
        }
        self._send_head(status, defaults, headers)

    def write_chunk(self, data: bytes) -> None:
        """Write one chunk of a chunked body (empty data is skipped)."""
        if data:
            self._write(b"%X\r\n%s\r\n" % (len(data), data))

    def send_event(self, data: str) -> None:
        """Write one SSE event ``data: <data>\\n\\n`` as its own chunk."""
        self.write_chunk(f"data: {data}\n\n".encode())

    def end_stream(self) -> None:
        """Write the terminating chunk of a chunked body."""
        self._write(b"0\r\n\r\n")

    def abort(self) -> None:
        """Close the connection once the handler returns, leaving the reply unfinished."""
        self._handler.close_connection = True

    def send_reply(self, reply: Reply | None, default: Callable[[], None]) -> None:
        """Answer with ``reply``, or by calling ``default`` if it is None or a passthrough."""
        if reply is None:
            default()
            return
        self.sleep(reply.delay)
        if reply.is_passthrough:
            self._extra_headers = reply.headers
            default()
        elif reply.sse_events is None and reply.raw_sse is None:
            self.send(
                reply.status,
                reply.body_bytes(),
                reply.headers,
                close_after_headers=reply.close_after_headers,
            )
        else:
            self._send_stream(reply)

    def _send_stream(self, reply: Reply) -> None:
        self.start_stream(reply.status, reply.headers)
        if reply.close_after_headers:
            self.abort()
            return
        pieces = reply.stream_pieces()[: reply.cut_after]
        for i, piece in enumerate(pieces):
            if i and reply.chunk_delay:
                self.sleep(reply.chunk_delay)
            self.write_chunk(piece)
        if reply.cut_after is None:
            self.end_stream()
        else:
            self.abort()

    def _send_head(
        self,
        status: int,
        defaults: Mapping[str, str],
        overrides: Mapping[str, str] | None,
    ) -> None:
        merged: dict[str, tuple[str, str]] = {}
        for source in (defaults, self._extra_headers, overrides or {}):
            for name, value in source.items():
                merged[name.lower()] = (name, value)
        if self._handler.close_connection:
            merged["connection"] = ("Connection", "close")
        with _client_gone_on_error():
            self._handler.send_response(status)
            for name, value in merged.values():
                self._handler.send_header(name, value)
            self._handler.end_headers()
        self.headers_sent = True

    def _write(self, data: bytes) -> None:
        with _client_gone_on_error():
            self._handler.wfile.write(data)


@contextmanager
def _client_gone_on_error() -> Iterator[None]:
    """Turn socket errors caused by the peer hanging up into :class:`ClientGone`."""
    try:
        yield
    except _CLIENT_GONE_ERRORS as exc:
        raise ClientGone from exc


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Suppress the default per-request logging to stderr."""

    def do_GET(self) -> None:
        """Dispatch to the owning :class:`FakeServer`."""
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        owner = cast(_HTTPServer, self.server).owner
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        exchange = Exchange(self, Recorded(self.command, self.path, headers, self._read_body()))
        owner._begin(exchange.request)
        client_gone = False
        try:
            owner.handle(exchange)
        except ClientGone:
            self.close_connection = True
            client_gone = True
        except Exception as exc:
            self.close_connection = True
            traceback.print_exc()
            if not exchange.headers_sent:
                error = {"message": f"fake server error: {exc!r}", "type": "server_error"}
                with suppress(ClientGone):
                    exchange.send_json(500, {"error": error})
        finally:
            owner._end(client_gone)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while size := int(self.rfile.readline().split(b";")[0], 16):
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailer headers
            return b"".join(parts)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: FakeServer, address: tuple[str, int]) -> None:
        self.owner = owner
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """Bind without ``HTTPServer``'s reverse DNS lookup of the host."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Count and track the connection, then handle it in a new thread."""
        # Replies are written in several small pieces; do not let Nagle delay them.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.owner._connected(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Forget the connection, then close it."""
        self.owner._disconnected(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients resetting connections; report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeServer:
    """A threaded HTTP/1.1 test server on 127.0.0.1; subclasses implement :meth:`handle`.

    Use as a context manager or call :meth:`start` and :meth:`close`. All
    counters and the request log are safe to read from any thread.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None
    ) -> None:
        self._address = (host, port)
        self._tls = tls
        self._cond = threading.Condition()
        self._requests: list[Recorded] = []
        self._connections = 0
        self._disconnects = 0
        self._in_flight = 0
        self._queue: deque[Reply] = deque()
        self._default: Reply | None = None
        self._sockets: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------

    def start(self: _Server) -> _Server:
        """Bind and start serving in a daemon thread."""
        if self._httpd is not None:
            raise RuntimeError("server already started")
        self._httpd = _HTTPServer(self, self._address)
        if self._tls is not None:
            self._httpd.socket = self._tls.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": _POLL_INTERVAL},
            name=f"{type(self).__name__}:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and close the listening socket and all open connections."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        with self._cond:
            sockets = list(self._sockets)
        for sock in sockets:
            with suppress(OSError):  # already closed by its handler thread
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self: _Server) -> _Server:
        return self if self._httpd is not None else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def port(self) -> int:
        """The bound TCP port."""
        if self._httpd is None:
            raise RuntimeError("server not started")
        return self._httpd.server_port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (``https`` when serving TLS; no trailing slash)."""
        scheme = "https" if self._tls is not None else "http"
        return f"{scheme}://{self._address[0]}:{self.port}"

    # -- observation -------------------------------------------------------

    @property
    def requests(self) -> list[Recorded]:
        """A snapshot of all requests received so far, oldest first."""
        with self._cond:
            return list(self._requests)

    @property
    def last(self) -> Recorded:
        """The most recent request (raises ``IndexError`` if there is none)."""
        with self._cond:
            return self._requests[-1]

    @property
    def connections(self) -> int:
        """Number of TCP connections accepted so far."""
        with self._cond:
            return self._connections

    @property
    def disconnects(self) -> int:
        """Number of requests whose client hung up before the reply was complete."""
        with self._cond:
            return self._disconnects

    @property
    def in_flight(self) -> int:
        """Number of requests currently being handled."""
        with self._cond:
            return self._in_flight

    def wait_for_request(self, n: int = 1, timeout: float = 5.0) -> bool:
        """Wait until at least ``n`` requests were received; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self._requests) >= n, timeout)

    def wait_for_disconnect(self, timeout: float = 5.0, n: int = 1) -> bool:
        """Wait until at least ``n`` client disconnects were detected; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._disconnects >= n, timeout)

    # -- scripting ---------------------------------------------------------

    def enqueue(self, *replies: Reply) -> None:
        """Queue replies for the next scriptable requests, first in first out."""
        with self._cond:
            self._queue.extend(replies)

    def set_default(self, reply: Reply | None) -> None:
        """Use ``reply`` whenever the queue is empty (None restores the defaults)."""
        with self._cond:
            self._default = reply

    def next_reply(self) -> Reply | None:
        """Pop the next queued reply, else the default set by :meth:`set_default`."""
        with self._cond:
            return self._queue.popleft() if self._queue else self._default

    # -- to implement ------------------------------------------------------

    def handle(self, exchange: Exchange) -> None:
        """Answer one request; the base implementation replies 404."""
        exchange.send_json(404, {"error": {"message": "not found"}})

    # -- bookkeeping called by the HTTP server ------------------------------

    def _connected(self, sock: socket.socket) -> None:
        with self._cond:
            self._connections += 1
            self._sockets.add(sock)

    def _disconnected(self, sock: socket.socket) -> None:
        with self._cond:
            self._sockets.discard(sock)

    def _begin(self, request: Recorded) -> None:
        with self._cond:
            self._requests.append(request)
            self._in_flight += 1
            self._cond.notify_all()

    def _end(self, client_gone: bool) -> None:
        with self._cond:
            self._in_flight -= 1
            self._disconnects += client_gone
            self._cond.notify_all()
