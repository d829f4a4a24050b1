"""A fake Anthropic Messages API server speaking Anthropic's wire format.

``POST /v1/messages`` (docs.anthropic.com/en/api/messages) checks what the real
API checks and our adapter must get right, answering violations with
Anthropic's error body ``{"type": "error", "error": {"type", "message"}}``:

* ``x-api-key`` present (401 ``authentication_error``), ``anthropic-version``
  present, ``model`` a string, ``max_tokens`` a positive int, ``messages`` a
  non-empty list starting with ``user`` and alternating user/assistant;
* content blocks typed; every ``tool_use`` answered by a ``tool_result`` in the
  next user turn and every ``tool_result`` naming a ``tool_use`` of the turn
  before; tool blocks only when ``tools`` are defined;
* with ``thinking`` enabled: no forced ``tool_choice``, and an assistant turn
  that used a tool must start with the thinking block this server signed.

Deterministic default replies: with ``thinking`` enabled a thinking block
(:data:`THINKING_TEXT`, signature ``sig-<n>``) comes first; then, when tools are
offered and not refused (``tool_choice`` not ``none``) and the last user turn
holds no ``tool_result``, a ``tool_use`` of the forced tool (else the first)
with input :data:`TOOL_INPUT`; otherwise the text ``"echo: <last user text>"``
(cut at ``max_tokens`` words or a stop sequence). Usage counts words; blocks
carrying ``cache_control`` count as cache writes the first time and cache
reads after. ``"stream": true`` gives the same answer as Anthropic's SSE
events (``event:`` lines, a ``ping``, one ``text_delta`` per word, argument
fragments in ``input_json_delta``s, a ``signature_delta``).

Scripted replies (:meth:`FakeServer.enqueue`, :func:`anthropic_error`,
:func:`sse_reply`) replace the default one.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from .openai import count_words, split_words
from .server import Exchange, FakeServer, Reply

TOOL_INPUT = {"city": "Paris"}
"""Input of every default ``tool_use``."""
THINKING_TEXT = "The user wants an answer; I will give one."
"""Text of every default thinking block."""


def error_body(type: str, message: str) -> dict[str, Any]:
    """Anthropic's error document (docs.anthropic.com/en/api/errors)."""
    return {"type": "error", "error": {"type": type, "message": message}, "request_id": "req_f"}


def anthropic_error(
    status: int, type: str, message: str, headers: dict[str, str] | None = None
) -> Reply:
    """A :class:`Reply` with Anthropic's error body."""
    return Reply(status=status, body=error_body(type, message), headers=dict(headers or {}))


def sse_frames(events: Iterable[dict[str, Any]]) -> list[bytes]:
    """Each event as an SSE frame with its ``event:`` line, as Anthropic sends them."""
    return [f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events]


def sse_reply(events: Iterable[dict[str, Any]], **kw: Any) -> Reply:
    """A streamed :class:`Reply` of these events (one chunk each); ``kw`` as for Reply."""
    return Reply(raw_sse=sse_frames(events), **kw)


class _Invalid(Exception):
    pass


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    out = []
    for b in content or []:
        if b.get("type") == "text":
            out.append(b.get("text", ""))
        elif b.get("type") == "tool_result":
            out.append(_text_of(b.get("content")))
    return " ".join(out)


def _blocks(content: Any) -> list[dict[str, Any]]:
    return [{"type": "text", "text": content}] if isinstance(content, str) else list(content)


class FakeAnthropic(FakeServer):
    """A fake Anthropic API; ``url`` is the ``api_base`` to give a client."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self._ids = itertools.count(1)
        self._cached: set[str] = set()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (the adapter appends ``/v1/messages``)."""
        return self.base_url

    def handle(self, exchange: Exchange) -> None:
        """Answer ``POST /v1/messages``; anything else is a 404 ``not_found_error``."""
        req = exchange.request
        if (req.method, urlsplit(req.path).path) != ("POST", "/v1/messages"):
            exchange.send_json(404, error_body("not_found_error", f"Not found: {req.path}"))
            return
        exchange.send_reply(self.next_reply(), lambda: self._answer(exchange))

    def _answer(self, exchange: Exchange) -> None:
        req = exchange.request
        if not req.headers.get("x-api-key"):
            exchange.send_json(
                401, error_body("authentication_error", "x-api-key header is required")
            )
            return
        try:
            body = req.json
        except ValueError as e:
            exchange.send_json(400, error_body("invalid_request_error", str(e)))
            return
        message = self.answer(req.headers, body)
        if isinstance(message, str):
            exchange.send_json(400, error_body("invalid_request_error", message))
        elif body.get("stream"):
            exchange.start_stream()
            for frame in sse_frames(message_events(message)):
                exchange.write_chunk(frame)
            exchange.end_stream()
        else:
            exchange.send_json(200, message)

    def answer(self, headers: dict[str, str], body: Any) -> dict[str, Any] | str:
        """The Message answering the request ``body``, or the ``invalid_request_error``
        message refusing it (also the answer of Claude on Vertex AI, ``fakeprov.vertex``)."""
        try:
            self._validate(headers, body)
        except (_Invalid, ValueError) as e:
            return str(e)
        return self._message(body)

    # -- validation ------------------------------------------------------------

    def _validate(self, headers: dict[str, str], body: Any) -> None:
        if "anthropic-version" not in headers:
            raise _Invalid("anthropic-version: header is required")
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            raise _Invalid("model: Field required")
        mt = body.get("max_tokens")
        if not isinstance(mt, int) or isinstance(mt, bool) or mt < 1:
            raise _Invalid("max_tokens: Field required")
        msgs = body.get("messages")
        if not isinstance(msgs, list) or not msgs:
            raise _Invalid("messages: at least one message is required")
        thinking = (body.get("thinking") or {}).get("type") == "enabled"
        forced = (body.get("tool_choice") or {}).get("type") in ("any", "tool")
        if thinking and forced:
            raise _Invalid("Thinking may not be enabled when tool_choice forces tool use.")
        tools = body.get("tools") or []
        for t in tools:
            if "type" not in t and (
                not isinstance(t.get("name"), str)
                or (t.get("input_schema") or {}).get("type") != "object"
            ):
                raise _Invalid("tools: each tool needs a name and an object input_schema")
        for i, m in enumerate(msgs):
            want = "user" if i % 2 == 0 else "assistant"
            if m.get("role") != want:
                raise _Invalid(f"messages.{i}.role: roles must alternate starting with user")
            blocks = _blocks(m.get("content"))
            if any("type" not in b for b in blocks):
                raise _Invalid(f"messages.{i}.content: each block needs a type")
            uses = [b["id"] for b in blocks if b["type"] == "tool_use"]
            results = [b.get("tool_use_id") for b in blocks if b["type"] == "tool_result"]
            if (uses or results) and not tools:
                raise _Invalid("Requests which include tool_use blocks must define tools.")
            if results:
                before = _blocks(msgs[i - 1]["content"]) if i else []
                known = {b.get("id") for b in before if b["type"] == "tool_use"}
                if not set(results) <= known:
                    raise _Invalid(
                        f"messages.{i}.content: unexpected tool_use_id found in tool_result"
                    )
            if uses and i + 1 < len(msgs):
                after = _blocks(msgs[i + 1]["content"])
                answered = {b.get("tool_use_id") for b in after if b["type"] == "tool_result"}
                if not set(uses) <= answered:
                    raise _Invalid(f"messages.{i + 1}: tool_use ids without tool_result blocks")
            if uses and thinking:
                first = blocks[0]
                if first["type"] not in ("thinking", "redacted_thinking"):
                    raise _Invalid(
                        f"messages.{i}.content.0.type: Expected `thinking` or "
                        f"`redacted_thinking`, but found `{first['type']}`."
                    )
                if first["type"] == "thinking" and not str(first.get("signature")).startswith(
                    "sig-"
                ):
                    raise _Invalid(f"messages.{i}.content.0: Invalid `signature` in `thinking`")

    # -- answers ---------------------------------------------------------------

    def _message(self, body: dict[str, Any]) -> dict[str, Any]:
        n = next(self._ids)
        msgs = body["messages"]
        content: list[dict[str, Any]] = []
        if (body.get("thinking") or {}).get("type") == "enabled":
            content.append({"type": "thinking", "thinking": THINKING_TEXT, "signature": f"sig-{n}"})
        tool = _tool_to_call(body)
        stop_reason, stop_sequence = "end_turn", None
        if tool is not None:
            content.append(
                {"type": "tool_use", "id": f"toolu_fake_{n}", "name": tool, "input": TOOL_INPUT}
            )
            stop_reason = "tool_use"
            out_words = count_words(json.dumps(TOOL_INPUT))
        else:
            text = "echo: " + _text_of(msgs[-1]["content"])
            for s in body.get("stop_sequences") or []:
                if s in text:
                    text, stop_reason, stop_sequence = text[: text.index(s)], "stop_sequence", s
            words = split_words(text)
            if len(words) > body["max_tokens"]:
                text, stop_reason = "".join(words[: body["max_tokens"]]), "max_tokens"
            content.append({"type": "text", "text": text})
            out_words = count_words(text)
        return {
            "id": f"msg_fake_{n}",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": stop_sequence,
            "usage": {**self._input_usage(body), "output_tokens": out_words},
        }

    def _input_usage(self, body: dict[str, Any]) -> dict[str, int]:
        blocks: list[dict[str, Any]] = list(body.get("system") or [])
        for m in body["messages"]:
            blocks += _blocks(m["content"])
        total = sum(count_words(_text_of([b])) for b in blocks)
        cached = [b for b in [*blocks, *(body.get("tools") or [])] if b.get("cache_control")]
        words = sum(count_words(_text_of([b])) for b in cached)
        key = json.dumps(cached, sort_keys=True)
        seen = key in self._cached
        self._cached.add(key)
        return {
            "input_tokens": total - words,
            "cache_creation_input_tokens": 0 if seen else words,
            "cache_read_input_tokens": words if seen else 0,
        }


def _tool_to_call(body: dict[str, Any]) -> str | None:
    tools = [t for t in body.get("tools") or [] if "name" in t]
    choice = body.get("tool_choice") or {"type": "auto"}
    last = _blocks(body["messages"][-1]["content"])
    if not tools or choice.get("type") == "none":
        return None
    if choice.get("type") == "tool":
        return str(choice["name"])
    if choice.get("type") == "any" or not any(b["type"] == "tool_result" for b in last):
        return str(tools[0]["name"])
    return None


def message_events(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The SSE events Anthropic streams for ``message``."""
    usage = message["usage"]
    start = {
        **message,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {**usage, "output_tokens": 1},
    }
    events: list[dict[str, Any]] = [{"type": "message_start", "message": start}, {"type": "ping"}]
    for i, block in enumerate(message["content"]):
        kind = block["type"]
        if kind == "thinking":
            events.append(
                {
                    "type": "content_block_start",
                    "index": i,
                    "content_block": {"type": "thinking", "thinking": "", "signature": ""},
                }
            )
            text = block["thinking"]
            for piece in (text[:10], text[10:]):
                delta = {"type": "thinking_delta", "thinking": piece}
                events.append({"type": "content_block_delta", "index": i, "delta": delta})
            delta = {"type": "signature_delta", "signature": block["signature"]}
            events.append({"type": "content_block_delta", "index": i, "delta": delta})
        elif kind == "tool_use":
            events.append(
                {"type": "content_block_start", "index": i, "content_block": {**block, "input": {}}}
            )
            args = json.dumps(block["input"])
            for piece in ("", args[:5], args[5:11], args[11:]):
                delta = {"type": "input_json_delta", "partial_json": piece}
                events.append({"type": "content_block_delta", "index": i, "delta": delta})
        else:
            events.append(
                {
                    "type": "content_block_start",
                    "index": i,
                    "content_block": {"type": "text", "text": ""},
                }
            )
            for piece in split_words(block["text"]):
                delta = {"type": "text_delta", "text": piece}
                events.append({"type": "content_block_delta", "index": i, "delta": delta})
        events.append({"type": "content_block_stop", "index": i})
    events.append(
        {
            "type": "message_delta",
            "delta": {
                "stop_reason": message["stop_reason"],
                "stop_sequence": message["stop_sequence"],
            },
            "usage": {"output_tokens": usage["output_tokens"]},
        }
    )
    events.append({"type": "message_stop"})
    return events
