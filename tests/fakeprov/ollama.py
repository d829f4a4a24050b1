"""A fake Ollama server speaking Ollama's native API (docs.ollama.com/api).

Deterministic default replies:

* ``POST /api/chat``: the reply to the last user message is ``"echo: <text>"``;
  when ``tools`` are given and the last message is the user's, the model calls
  the first tool with arguments ``{"city": "Paris"}`` (an object, as Ollama
  sends it, without an id). ``"think": true`` adds ``message.thinking``.
  Ollama streams unless the body says ``"stream": false``: a stream is NDJSON,
  one object per line (thinking first, then the tool call or one line per
  word), ending with a ``done: true`` line carrying ``done_reason``,
  ``prompt_eval_count`` and ``eval_count``.
* ``POST /api/generate``: the same with ``prompt``: the reply echoes the text
  of the prompt's last ``### User:`` block, in ``response``.
* ``POST /api/embed``: ``embeddings`` of 8 floats per input (the fake OpenAI
  server's :func:`~fakeprov.openai.embedding_for`), ``prompt_eval_count``.
* A model not in :data:`MODELS` is a 404 ``{"error": "model \\"x\\" not found,
  try pulling it first"}``, as Ollama answers; other paths are 404s too.

Scripted replies (:meth:`FakeServer.enqueue`) come first; :func:`ollama_error`
and :func:`ndjson` build them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from .openai import content_text, count_words, embedding_for, split_words
from .server import Exchange, FakeServer, Reply

MODELS = ("llama3.2", "qwen3", "all-minilm", "llava")
"""Models the fake has "pulled"."""
CREATED_AT = "2025-05-24T02:12:05.859654Z"
TOOL_ARGUMENTS = {"city": "Paris"}
THINKING = "Let me think."
NDJSON_TYPE = "application/x-ndjson"


def ollama_error(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    """A :class:`Reply` with Ollama's error body ``{"error": message}``."""
    return Reply(status=status, body={"error": message}, headers=dict(headers or {}))


def ndjson(lines: Sequence[dict[str, Any] | bytes], **kw: Any) -> Reply:
    """A streamed NDJSON :class:`Reply`: each item (a dict sent as one JSON
    line, or raw bytes) is written as its own chunk."""
    pieces = [x if isinstance(x, bytes) else json.dumps(x).encode() + b"\n" for x in lines]
    headers = {"Content-Type": NDJSON_TYPE, **kw.pop("headers", {})}
    return Reply(raw_sse=pieces, headers=headers, **kw)


class FakeOllama(FakeServer):
    """A fake Ollama; ``url`` is the ``api_base`` to give a client."""

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (Ollama's paths start at ``/api``)."""
        return self.base_url

    def handle(self, exchange: Exchange) -> None:
        """Route one request to its endpoint."""
        route = (exchange.request.method, urlsplit(exchange.request.path).path)
        endpoints = {
            ("POST", "/api/chat"): self._chat,
            ("POST", "/api/generate"): self._generate,
            ("POST", "/api/embed"): self._embed,
        }
        endpoint = endpoints.get(route)
        if endpoint is None:
            exchange.send(404, b"404 page not found", {"Content-Type": "text/plain"})
            return
        exchange.send_reply(self.next_reply(), lambda: self._answer(exchange, endpoint))

    def _answer(self, exchange: Exchange, endpoint: Any) -> None:
        try:
            body = exchange.request.json
        except ValueError:
            exchange.send_json(400, {"error": "invalid character in request body"})
            return
        model = body.get("model") if isinstance(body, dict) else None
        if not isinstance(model, str) or not model:
            exchange.send_json(400, {"error": "model is required"})
            return
        if model not in MODELS:
            message = f'model "{model}" not found, try pulling it first'
            exchange.send_json(404, {"error": message})
            return
        endpoint(exchange, body)

    # -- chat and generate ---------------------------------------------------

    def _chat(self, exchange: Exchange, body: dict[str, Any]) -> None:
        messages = body.get("messages")
        if not isinstance(messages, list):
            exchange.send_json(400, {"error": "messages must be a list"})
            return
        user = [m for m in messages if m.get("role") == "user"]
        text = "echo: " + (content_text(user[-1].get("content")) if user else "")
        tools = body.get("tools")
        call = None
        if tools and messages and messages[-1].get("role") == "user":
            call = {"function": {"name": tools[0]["function"]["name"], "arguments": TOOL_ARGUMENTS}}
        prompt_tokens = sum(count_words(content_text(m.get("content"))) for m in messages)
        self._reply(exchange, body, "message", text, call, prompt_tokens)

    def _generate(self, exchange: Exchange, body: dict[str, Any]) -> None:
        prompt = body.get("prompt")
        if not isinstance(prompt, str):
            exchange.send_json(400, {"error": "prompt must be a string"})
            return
        last = prompt.rsplit("### User:\n", 1)[-1].split("\n\n", 1)[0]
        self._reply(exchange, body, "response", "echo: " + last, None, count_words(prompt))

    def _reply(
        self,
        exchange: Exchange,
        body: dict[str, Any],
        field: str,
        text: str,
        call: dict[str, Any] | None,
        prompt_tokens: int,
    ) -> None:
        think = body.get("think") is True
        eval_count = count_words(json.dumps(TOOL_ARGUMENTS) if call else text)
        done = {
            "done": True,
            "done_reason": "stop",
            "total_duration": 1000,
            "prompt_eval_count": prompt_tokens,
            "eval_count": eval_count,
        }
        head = {"model": body["model"], "created_at": CREATED_AT}

        def part(content: str, thinking: str | None = None, calls: Any = None) -> dict[str, Any]:
            if field == "response":
                out: dict[str, Any] = {"response": content}
                if thinking is not None:
                    out["thinking"] = thinking
                return out
            msg: dict[str, Any] = {"role": "assistant", "content": content}
            if thinking is not None:
                msg["thinking"] = thinking
            if calls:
                msg["tool_calls"] = calls
            return {"message": msg}

        if body.get("stream", True) is False:
            whole = part(
                "" if call else text, THINKING if think else None, [call] if call else None
            )
            exchange.send_json(200, {**head, **whole, **done})
            return
        lines: list[dict[str, Any]] = []
        if think:
            lines += [{**head, **part("", w), "done": False} for w in split_words(THINKING)]
        if call:
            lines.append({**head, **part("", None, [call]), "done": False})
        else:
            lines += [{**head, **part(w), "done": False} for w in split_words(text)]
        lines.append({**head, **part(""), **done})
        exchange.start_stream(headers={"Content-Type": NDJSON_TYPE})
        for line in lines:
            exchange.write_chunk(json.dumps(line).encode() + b"\n")
        exchange.end_stream()

    # -- embeddings ------------------------------------------------------------

    def _embed(self, exchange: Exchange, body: dict[str, Any]) -> None:
        raw = body.get("input")
        inputs = [raw] if isinstance(raw, str) else raw
        if not isinstance(inputs, list) or not all(isinstance(s, str) for s in inputs):
            exchange.send_json(400, {"error": "invalid input type"})
            return
        exchange.send_json(
            200,
            {
                "model": body["model"],
                "embeddings": [embedding_for(s) for s in inputs],
                "total_duration": 1000,
                "load_duration": 10,
                "prompt_eval_count": sum(count_words(s) for s in inputs),
            },
        )
