"""A fake OpenAI-compatible API server speaking the OpenAI wire format.

Deterministic default replies:

* ``POST /v1/chat/completions`` echoes the last user message as
  ``"echo: <text>"``, or, when ``tools`` are given and ``tool_choice`` is
  ``"required"`` or names a function, calls that tool (the first tool for
  ``"required"``) with arguments ``{"city": "Paris"}``. ``"stream": true``
  gives an SSE stream of chunks (one per word) ending in ``data: [DONE]``.
* ``POST /v1/embeddings`` returns 8 floats per input, derived from its SHA-256
  (``encoding_format: "base64"``: as little-endian float32s, base64-encoded).
* ``GET /v1/models`` lists :data:`MODELS`.
* legacy completions, images, moderations, rerank, audio transcriptions and speech: see
  :mod:`fakeprov.endpoints`.
* ``/v1/responses`` (create, ``GET`` and ``DELETE`` by id): see :mod:`fakeprov.responses`.
* Anything else is a 404 with an OpenAI error body.

Chat and embeddings requests consume scripted replies (see
:meth:`FakeServer.enqueue`) before falling back to these defaults.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import ssl
import struct
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from . import endpoints
from .responses import ResponsesStore
from .server import Exchange, FakeServer, Reply

CREATED = 1_700_000_000
"""The ``created`` timestamp of every reply."""
MODELS = ("gpt-4o-mini", "gpt-4o", "text-embedding-3-small")
"""Model ids listed by ``GET /v1/models``."""
TOOL_CALL_ID = "call_fake_1"
TOOL_ARGUMENTS = '{"city": "Paris"}'
"""Arguments of the default tool call."""
EMBEDDING_DIMENSIONS = 8


def openai_error(
    status: int,
    message: str,
    type: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Reply:
    """A :class:`Reply` with OpenAI's error body ``{"error": {message, type, param, code}}``."""
    return Reply(
        status=status, body=_error_body(message, type, code, param), headers=dict(headers or {})
    )


def embedding_for(text: str) -> list[float]:
    """The deterministic default embedding of ``text`` (8 floats in [-1, 1])."""
    digest = hashlib.sha256(text.encode()).digest()
    return [round(b / 127.5 - 1.0, 6) for b in digest[:EMBEDDING_DIMENSIONS]]


def count_words(text: str) -> int:
    """The fake's token count: the number of whitespace-separated words."""
    return len(text.split())


def content_text(content: Any) -> str:
    """Text of a message ``content``: the string itself, or its text parts joined by spaces."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            part["text"]
            for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        )
    return ""


def split_words(text: str) -> list[str]:
    """Split ``text`` into pieces, one per word, whose concatenation is ``text``."""
    return [piece for piece in re.split(r"(?<=\s)(?=\S)", text) if piece]


def _error_body(
    message: str, type: str, code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


class _BadRequest(Exception):
    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


class FakeOpenAI(FakeServer):
    """A fake OpenAI API; ``url`` is the ``api_base`` to give a client.

    Set :attr:`stream_chunk_delay` to slow the default streaming reply down.
    """

    stream_chunk_delay: float = 0.0
    """Seconds to wait between the events of default streaming chat replies."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None
    ) -> None:
        super().__init__(host, port, tls)
        self._completion_ids = itertools.count(1)
        self.responses = ResponsesStore()
        """The Responses API's stored responses (see :mod:`fakeprov.responses`)."""

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/v1`` (``https`` when serving TLS)."""
        return f"{self.base_url}/v1"

    def handle(self, exchange: Exchange) -> None:
        """Route one request to its endpoint."""
        route = (exchange.request.method, urlsplit(exchange.request.path).path.rstrip("/"))
        endpoint: Callable[[Exchange, dict[str, Any]], None]
        if route == ("GET", "/v1/models"):
            models = [
                {"id": m, "object": "model", "created": CREATED, "owned_by": "fakeprov"}
                for m in MODELS
            ]
            exchange.send_json(200, {"object": "list", "data": models})
            return
        if route[1].startswith("/v1/responses/") and route[0] in ("GET", "DELETE"):
            response_id = route[1].rsplit("/", 1)[1]
            store = self.responses.get if route[0] == "GET" else self.responses.delete
            exchange.send_reply(self.next_reply(), lambda: store(exchange, response_id))
            return
        if route == ("POST", "/v1/audio/transcriptions"):
            exchange.send_reply(self.next_reply(), lambda: self._transcription(exchange))
            return
        json_endpoints = {
            "/v1/images/generations": endpoints.images,
            "/v1/moderations": endpoints.moderations,
            "/v1/completions": endpoints.completions,
            "/v1/rerank": endpoints.rerank,
            "/v2/rerank": endpoints.rerank,  # Cohere's path under its host root
            "/v1/audio/speech": endpoints.speech,
        }
        if route == ("POST", "/v1/chat/completions"):
            endpoint = self._chat
        elif route[0] == "POST" and route[1] in json_endpoints:
            handler = json_endpoints[route[1]]
            endpoint = lambda ex, body: handler(ex, body, _BadRequest)  # noqa: E731
        elif route == ("POST", "/v1/responses"):
            endpoint = lambda ex, body: self.responses.create(ex, body, _BadRequest)  # noqa: E731
        elif route == ("POST", "/v1/embeddings"):
            endpoint = self._embeddings
        else:
            message = f"Unknown request URL: {route[0]} {exchange.request.path}."
            exchange.send_json(404, _error_body(message, "invalid_request_error", "unknown_url"))
            return
        exchange.send_reply(self.next_reply(), lambda: self._answer(exchange, endpoint))

    def _answer(
        self, exchange: Exchange, endpoint: Callable[[Exchange, dict[str, Any]], None]
    ) -> None:
        try:
            try:
                body = exchange.request.json
            except ValueError as exc:
                raise _BadRequest("We could not parse the JSON body of your request.") from exc
            if not isinstance(body, dict):
                raise _BadRequest("The request body must be a JSON object.")
            if not isinstance(body.get("model"), str):
                raise _BadRequest("you must provide a model parameter", "model")
            endpoint(exchange, body)
        except _BadRequest as exc:
            exchange.send_json(400, _error_body(str(exc), "invalid_request_error", None, exc.param))

    def answer_chat(self, exchange: Exchange, body: dict[str, Any] | None = None) -> None:
        """Answer ``exchange`` as ``POST /v1/chat/completions`` (JSON or SSE) of its body, or of
        ``body`` when given (a dialect's body read as OpenAI's), after the route and the
        credentials were checked (also the answer of Vertex AI's OpenAI-compatible endpoint
        and of its Mistral models, ``fakeprov.vertex``)."""
        if body is None:
            self._answer(exchange, self._chat)
        else:
            self._answer(exchange, lambda ex, _: self._chat(ex, body))

    def _transcription(self, exchange: Exchange) -> None:
        try:
            endpoints.transcriptions(exchange, _BadRequest)
        except _BadRequest as exc:
            exchange.send_json(400, _error_body(str(exc), "invalid_request_error", None, exc.param))

    # -- chat completions ----------------------------------------------------

    def _chat(self, exchange: Exchange, body: dict[str, Any]) -> None:
        messages = body.get("messages")
        if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
            raise _BadRequest("'messages' must be a list of message objects", "messages")
        n = body.get("n") or 1
        if not isinstance(n, int) or n < 1:
            raise _BadRequest("'n' must be a positive integer", "n")
        head = {
            "id": f"chatcmpl-fake-{next(self._completion_ids)}",
            "object": "chat.completion",
            "created": CREATED,
            "model": body["model"],
            "system_fingerprint": "fp_fake",
        }
        tool = _forced_tool(body)
        user = [m for m in messages if m.get("role") == "user"]
        text = "echo: " + (content_text(user[-1].get("content")) if user else "")
        prompt_tokens = sum(count_words(content_text(m.get("content"))) for m in messages)
        completion_tokens = n * count_words(TOOL_ARGUMENTS if tool else text)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        if body.get("stream"):
            stream_options = body.get("stream_options")
            include_usage = isinstance(stream_options, dict) and bool(
                stream_options.get("include_usage")
            )
            self._chat_stream(exchange, body, head, n, tool, text, usage if include_usage else None)
            return
        message: dict[str, Any] = {"role": "assistant", "content": text}
        if tool:
            message = {"role": "assistant", "content": None, "tool_calls": [_tool_call(tool)]}
        choices = [
            {
                "index": i,
                "message": message,
                "logprobs": None,
                "finish_reason": "tool_calls" if tool else "stop",
            }
            for i in range(n)
        ]
        exchange.send_json(200, self.chat_reply(body, {**head, "choices": choices, "usage": usage}))

    def chat_reply(self, request: dict[str, Any], reply: dict[str, Any]) -> dict[str, Any]:
        """The default chat reply to ``request`` as sent (a hook: e.g. Azure's
        content-filter annotations); unchanged here."""
        return reply

    def chat_events(self, request: dict[str, Any], events: list[dict[str, Any]]) -> list[Any]:
        """The default stream's events for ``request`` as sent, before ``[DONE]`` (a hook);
        unchanged here."""
        return events

    def _chat_stream(
        self,
        exchange: Exchange,
        request: dict[str, Any],
        head: dict[str, Any],
        n: int,
        tool: str | None,
        text: str,
        usage: dict[str, int] | None,
    ) -> None:
        head = {**head, "object": "chat.completion.chunk"}
        if usage is not None:
            head["usage"] = None  # OpenAI sends "usage": null on every chunk but the last
        events: list[dict[str, Any]] = []
        for index in range(n):
            if tool:
                first = {
                    "index": 0,
                    "id": TOOL_CALL_ID,
                    "type": "function",
                    "function": {"name": tool, "arguments": ""},
                }
                deltas: list[dict[str, Any]] = [
                    {"role": "assistant", "content": None, "tool_calls": [first]}
                ]
                fragments = (TOOL_ARGUMENTS[:7], TOOL_ARGUMENTS[7:13], TOOL_ARGUMENTS[13:])
                deltas += [
                    {"tool_calls": [{"index": 0, "function": {"arguments": f}}]} for f in fragments
                ]
            else:
                deltas = [{"role": "assistant", "content": ""}]
                deltas += [{"content": piece} for piece in split_words(text)]
            deltas.append({})
            for i, delta in enumerate(deltas):
                finish = ("tool_calls" if tool else "stop") if i == len(deltas) - 1 else None
                choice = {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}
                events.append({**head, "choices": [choice]})
        if usage is not None:
            events.append({**head, "choices": [], "usage": usage})
        exchange.start_stream()
        events = self.chat_events(request, events)
        for i, event in enumerate([*map(json.dumps, events), "[DONE]"]):
            if i and self.stream_chunk_delay:
                exchange.sleep(self.stream_chunk_delay)
            exchange.send_event(event)
        exchange.end_stream()

    # -- embeddings ------------------------------------------------------------

    def _embeddings(self, exchange: Exchange, body: dict[str, Any]) -> None:
        raw = body.get("input")
        inputs = [raw] if isinstance(raw, str) else raw
        if (
            not isinstance(inputs, list)
            or not inputs
            or not all(isinstance(s, str) for s in inputs)
        ):
            raise _BadRequest("'input' must be a string or a non-empty list of strings", "input")
        encoding = body.get("encoding_format") or "float"
        if encoding not in ("float", "base64"):
            raise _BadRequest("encoding_format must be 'float' or 'base64'", "encoding_format")
        tokens = sum(count_words(s) for s in inputs)
        data = [
            {"object": "embedding", "index": i, "embedding": _encoded(embedding_for(s), encoding)}
            for i, s in enumerate(inputs)
        ]
        exchange.send_json(
            200,
            {
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )


def _encoded(vector: list[float], encoding: str) -> Any:
    """The vector as sent: a list of floats, or (``base64``) its little-endian float32s."""
    if encoding == "float":
        return vector
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()


def _forced_tool(body: dict[str, Any]) -> str | None:
    """The name of the tool the request forces a call to, if any."""
    tools = body.get("tools")
    if not isinstance(tools, list) or not tools:
        return None
    choice = body.get("tool_choice")
    if choice == "required":
        return str(tools[0]["function"]["name"])
    if isinstance(choice, dict) and isinstance(choice.get("function"), dict):
        return str(choice["function"]["name"])
    return None


def _tool_call(name: str) -> dict[str, Any]:
    return {
        "id": TOOL_CALL_ID,
        "type": "function",
        "function": {"name": name, "arguments": TOOL_ARGUMENTS},
    }
