"""Self-tests of the fake OpenAI server, using only the standard library as client."""

from __future__ import annotations

import base64
import http.client
import json
import socket
import struct
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from .openai import TOOL_ARGUMENTS, FakeOpenAI, embedding_for, openai_error
from .server import Reply

CHAT = "/v1/chat/completions"
WEATHER_TOOL = {
    "type": "function",
    "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {}}},
}


@pytest.fixture
def srv() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def conn(srv: FakeOpenAI) -> Iterator[http.client.HTTPConnection]:
    connection = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    yield connection
    connection.close()


def post(
    conn: http.client.HTTPConnection,
    body: dict[str, Any],
    path: str = CHAT,
    headers: dict[str, str] | None = None,
) -> tuple[http.client.HTTPResponse, bytes]:
    conn.request(
        "POST", path, json.dumps(body), {"Content-Type": "application/json", **(headers or {})}
    )
    response = conn.getresponse()
    return response, response.read()


def sse_payloads(body: bytes) -> list[str]:
    return [line[6:] for line in body.decode().split("\n") if line.startswith("data: ")]


def raw_request(port: int, body: dict[str, Any]) -> socket.socket:
    """Send a chat request on a new raw socket and return the socket."""
    data = json.dumps(body).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    head = f"POST {CHAT} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(data)}\r\n\r\n"
    sock.sendall(head.encode() + data)
    return sock


def chat(text: Any = "hello there", **extra: Any) -> dict[str, Any]:
    messages = [{"role": "system", "content": "be brief"}, {"role": "user", "content": text}]
    return {"model": "gpt-4o-mini", "messages": messages, **extra}


def test_chat_keep_alive_and_recording(srv: FakeOpenAI, conn: http.client.HTTPConnection) -> None:
    for i in range(3):
        response, body = post(
            conn, chat(), path=CHAT + "?x=1", headers={"Authorization": "Bearer k"}
        )
        assert response.status == 200
        reply = json.loads(body)
        assert reply["id"] == f"chatcmpl-fake-{i + 1}"
        assert reply["object"] == "chat.completion"
        assert reply["model"] == "gpt-4o-mini"
        assert reply["system_fingerprint"] == "fp_fake"
        assert reply["choices"] == [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "echo: hello there"},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ]
        assert reply["usage"] == {"prompt_tokens": 4, "completion_tokens": 3, "total_tokens": 7}
    assert srv.connections == 1
    assert len(srv.requests) == 3
    assert srv.last.method == "POST"
    assert srv.last.path == CHAT + "?x=1"
    assert srv.last.headers["authorization"] == "Bearer k"
    assert srv.last.json["messages"][1]["content"] == "hello there"
    # The handler finishes its bookkeeping just after the client has the reply.
    deadline = time.monotonic() + 2
    while srv.in_flight and time.monotonic() < deadline:
        time.sleep(0.005)
    assert srv.in_flight == 0


def test_chat_content_parts_and_n(conn: http.client.HTTPConnection) -> None:
    parts = [
        {"type": "text", "text": "look at"},
        {"type": "image_url"},
        {"type": "text", "text": "this"},
    ]
    _, body = post(conn, chat(parts, n=2))
    reply = json.loads(body)
    assert [c["message"]["content"] for c in reply["choices"]] == ["echo: look at this"] * 2
    assert [c["index"] for c in reply["choices"]] == [0, 1]


def test_chat_stream_matches_non_stream(srv: FakeOpenAI, conn: http.client.HTTPConnection) -> None:
    text = "one  two\nthree"
    _, plain = post(conn, chat(text))
    expected = json.loads(plain)["choices"][0]["message"]["content"]
    response, body = post(conn, chat(text, stream=True, stream_options={"include_usage": True}))
    assert response.getheader("Transfer-Encoding") == "chunked"
    assert response.getheader("Content-Type") == "text/event-stream"
    payloads = sse_payloads(body)
    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert all(c["system_fingerprint"] == "fp_fake" and c["model"] == "gpt-4o-mini" for c in chunks)
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    deltas = [c["choices"][0]["delta"].get("content", "") for c in chunks[1:-1]]
    assert len(deltas) == 5  # one chunk per word, then the finish chunk
    assert "".join(deltas) == expected
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"]["completion_tokens"] == 4
    assert srv.connections == 1


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(
    "tool_choice",
    ["required", {"type": "function", "function": {"name": "lookup"}}],
)
def test_tool_call(conn: http.client.HTTPConnection, stream: bool, tool_choice: Any) -> None:
    lookup = {"type": "function", "function": {"name": "lookup"}}
    request = chat(tools=[WEATHER_TOOL, lookup], tool_choice=tool_choice, stream=stream)
    name = "get_weather" if tool_choice == "required" else "lookup"
    _, body = post(conn, request)
    if not stream:
        choice = json.loads(body)["choices"][0]
        assert choice["finish_reason"] == "tool_calls"
        assert choice["message"]["content"] is None
        assert choice["message"]["tool_calls"] == [
            {
                "id": "call_fake_1",
                "type": "function",
                "function": {"name": name, "arguments": TOOL_ARGUMENTS},
            }
        ]
        return
    chunks = [json.loads(p) for p in sse_payloads(body)[:-1]]
    calls = [c["choices"][0]["delta"].get("tool_calls") for c in chunks]
    assert calls[0] == [
        {
            "index": 0,
            "id": "call_fake_1",
            "type": "function",
            "function": {"name": name, "arguments": ""},
        }
    ]
    assert "".join(c[0]["function"]["arguments"] for c in calls[1:-1]) == TOOL_ARGUMENTS
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_tool_choice_auto_replies_with_text(conn: http.client.HTTPConnection) -> None:
    _, body = post(conn, chat(tools=[WEATHER_TOOL], tool_choice="auto"))
    assert json.loads(body)["choices"][0]["message"]["content"] == "echo: hello there"


def test_embeddings(conn: http.client.HTTPConnection) -> None:
    request = {"model": "text-embedding-3-small", "input": ["a b", "c"]}
    _, body = post(conn, request, path="/v1/embeddings")
    reply = json.loads(body)
    assert [d["index"] for d in reply["data"]] == [0, 1]
    assert reply["data"][0]["embedding"] == embedding_for("a b")
    assert len(embedding_for("c")) == 8
    assert reply["usage"] == {"prompt_tokens": 3, "total_tokens": 3}
    _, single = post(conn, {"model": "m", "input": "c"}, path="/v1/embeddings")
    assert json.loads(single)["data"][0]["embedding"] == reply["data"][1]["embedding"]
    _, packed = post(conn, {**request, "encoding_format": "base64"}, path="/v1/embeddings")
    raw = base64.b64decode(json.loads(packed)["data"][0]["embedding"])
    assert struct.unpack("<8f", raw) == pytest.approx(embedding_for("a b"), abs=1e-6)
    response, error = post(conn, {**request, "encoding_format": "int8"}, path="/v1/embeddings")
    assert response.status == 400
    assert json.loads(error)["error"]["param"] == "encoding_format"


def test_models_and_unknown_path(srv: FakeOpenAI) -> None:
    with urllib.request.urlopen(srv.url + "/models", timeout=5) as response:
        assert json.load(response)["data"][0]["object"] == "model"
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(srv.url + "/nope", timeout=5)
    with info.value as error:
        assert error.code == 404
        assert json.load(error)["error"]["code"] == "unknown_url"


def test_scripted_error_then_default(srv: FakeOpenAI, conn: http.client.HTTPConnection) -> None:
    srv.enqueue(openai_error(429, "slow down", "rate_limit_error", headers={"retry-after": "1"}))
    response, body = post(conn, chat())
    assert response.status == 429
    assert response.getheader("retry-after") == "1"
    assert json.loads(body) == {
        "error": {"message": "slow down", "type": "rate_limit_error", "param": None, "code": None}
    }
    response, _ = post(conn, chat())
    assert response.status == 200
    assert srv.connections == 1


def test_passthrough_reply_delays_default(
    conn: http.client.HTTPConnection, srv: FakeOpenAI
) -> None:
    srv.enqueue(Reply(delay=0.1, headers={"x-request-id": "req_1"}))
    started = time.monotonic()
    response, body = post(conn, chat())
    assert time.monotonic() - started >= 0.1
    assert response.getheader("x-request-id") == "req_1"
    assert json.loads(body)["choices"][0]["message"]["content"] == "echo: hello there"


def test_disconnect_during_delay(srv: FakeOpenAI) -> None:
    srv.enqueue(Reply(delay=10))
    started = time.monotonic()
    with raw_request(srv.port, chat()):
        assert srv.wait_for_request(1, timeout=5)
        assert srv.in_flight == 1
    assert srv.wait_for_disconnect(timeout=5)
    assert time.monotonic() - started < 5
    assert srv.disconnects == 1


def test_disconnect_during_default_stream(srv: FakeOpenAI) -> None:
    srv.stream_chunk_delay = 0.05
    with raw_request(srv.port, chat("a b c d e f g h", stream=True)) as sock:
        received = b""
        while b"data: " not in received:
            received += sock.recv(65536)
    assert srv.wait_for_disconnect(timeout=5)
    assert srv.in_flight == 0


def test_cut_after(srv: FakeOpenAI, conn: http.client.HTTPConnection) -> None:
    srv.enqueue(Reply(sse_events=["{}", {"a": 1}, "[DONE]"], cut_after=2))
    conn.request("POST", CHAT, json.dumps(chat(stream=True)))
    with conn.getresponse() as response, pytest.raises(http.client.IncompleteRead) as info:
        response.read()
    assert info.value.partial == b'data: {}\n\ndata: {"a": 1}\n\n'


def test_raw_sse_pieces_are_verbatim(srv: FakeOpenAI, conn: http.client.HTTPConnection) -> None:
    pieces = [b": comment\r\n\r\nda", b"ta: {}\r\n", b"\r\ndata: [DONE]\r\n\r\n"]
    srv.enqueue(Reply(raw_sse=pieces, chunk_delay=0.01))
    response, body = post(conn, chat(stream=True))
    assert response.getheader("Content-Type") == "text/event-stream"
    assert body == b"".join(pieces)


def test_close_after_headers(srv: FakeOpenAI, conn: http.client.HTTPConnection) -> None:
    srv.enqueue(Reply(status=200, body={"x": 1}, close_after_headers=True))
    conn.request("POST", CHAT, json.dumps(chat()))
    with conn.getresponse() as response, pytest.raises(http.client.IncompleteRead):
        response.read()


def test_client_connection_close(srv: FakeOpenAI, conn: http.client.HTTPConnection) -> None:
    response, _ = post(conn, chat(), headers={"Connection": "close"})
    assert response.getheader("Connection") == "close"
    response, _ = post(conn, chat())  # http.client reconnects
    assert response.status == 200
    assert srv.connections == 2


def test_close_with_idle_keep_alive_connection() -> None:
    server = FakeOpenAI().start()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        post(connection, chat())
        started = time.monotonic()
        server.close()
        assert time.monotonic() - started < 2
        assert connection.sock is not None
        assert connection.sock.recv(1) == b""
    finally:
        connection.close()
