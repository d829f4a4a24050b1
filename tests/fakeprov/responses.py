"""OpenAI's Responses API for :class:`fakeprov.openai.FakeOpenAI`.

* ``POST /v1/responses`` answers ``"echo: <text of the last user input>"``
  (with ``previous_response_id``: ``" (after: <that response's text>)"``
  appended; an unknown id is a 404), or, when ``tools`` are given and
  ``tool_choice`` is ``"required"``, calls the first function tool with
  ``{"city": "Paris"}``. ``reasoning`` adds a reasoning item first. ``"stream":
  true`` gives OpenAI's typed SSE events, ending with ``response.completed``.
* Responses are stored unless ``"store": false``: ``GET`` and ``DELETE
  /v1/responses/{id}`` read and remove them.

Shapes follow platform.openai.com/docs/api-reference/responses.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from typing import Any, Callable

from .server import Exchange

CREATED = 1_700_000_000
TOOL_ARGUMENTS = '{"city": "Paris"}'
REASONING_SUMMARY = "Thinking about it."


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            str(p.get("text", "")) for p in content if isinstance(p, dict) and "text" in p
        )
    return ""


def last_user_text(input: Any) -> str:
    """The text of the last user message among ``input``'s items (or ``input`` itself)."""
    if isinstance(input, str):
        return input
    users = (
        [i for i in input if isinstance(i, dict) and i.get("role") == "user"]
        if isinstance(input, list)
        else []
    )
    return _text_of(users[-1].get("content")) if users else ""


def output_text(response: dict[str, Any]) -> str:
    """The concatenated ``output_text`` parts of a response document."""
    return "".join(
        part.get("text", "")
        for item in response["output"]
        if item["type"] == "message"
        for part in item["content"]
        if part["type"] == "output_text"
    )


class ResponsesStore:
    """The fake's stored responses and the request handling that uses them."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.stored: dict[str, dict[str, Any]] = {}

    def _next_id(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}_fake{next(self._ids)}"

    def create(
        self, exchange: Exchange, body: dict[str, Any], bad: Callable[[str], Exception]
    ) -> None:
        input = body.get("input")
        if not isinstance(input, (str, list)):
            raise bad("'input' must be a string or a list of items")
        text = "echo: " + last_user_text(input)
        prev_id = body.get("previous_response_id")
        if prev_id is not None:
            prev = self.stored.get(prev_id)
            if prev is None:
                exchange.send_json(
                    404,
                    {
                        "error": {
                            "message": f"Previous response with id '{prev_id}' not found.",
                            "type": "invalid_request_error",
                            "param": "previous_response_id",
                            "code": "previous_response_not_found",
                        }
                    },
                )
                return
            text += f" (after: {output_text(prev)})"
        items: list[dict[str, Any]] = []
        if body.get("reasoning"):
            items.append(
                {
                    "id": self._next_id("rs"),
                    "type": "reasoning",
                    "summary": [{"type": "summary_text", "text": REASONING_SUMMARY}],
                }
            )
        tools = [t for t in body.get("tools") or [] if t.get("type") == "function"]
        if tools and body.get("tool_choice") == "required":
            items.append(
                {
                    "id": self._next_id("fc"),
                    "type": "function_call",
                    "status": "completed",
                    "call_id": self._next_id("call"),
                    "name": tools[0]["name"],
                    "arguments": TOOL_ARGUMENTS,
                }
            )
        else:
            items.append(
                {
                    "id": self._next_id("msg"),
                    "type": "message",
                    "status": "completed",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": text, "annotations": []}],
                }
            )
        in_words = len(last_user_text(input).split())
        out_words = len(text.split())
        response = {
            "id": self._next_id("resp"),
            "object": "response",
            "created_at": CREATED,
            "status": "completed",
            "error": None,
            "incomplete_details": None,
            "instructions": body.get("instructions"),
            "max_output_tokens": body.get("max_output_tokens"),
            "model": body["model"],
            "output": items,
            "parallel_tool_calls": body.get("parallel_tool_calls", True),
            "previous_response_id": prev_id,
            "reasoning": body.get("reasoning") or {"effort": None, "summary": None},
            "store": body.get("store", True),
            "temperature": body.get("temperature", 1.0),
            "text": {"format": {"type": "text"}},
            "tool_choice": body.get("tool_choice", "auto"),
            "tools": body.get("tools") or [],
            "top_p": body.get("top_p", 1.0),
            "truncation": "disabled",
            "usage": {
                "input_tokens": in_words,
                "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
                "output_tokens": out_words,
                "output_tokens_details": {"reasoning_tokens": 0},
                "total_tokens": in_words + out_words,
            },
            "user": body.get("user"),
            "metadata": body.get("metadata") or {},
        }
        if response["store"]:
            self.stored[response["id"]] = response
        if body.get("stream"):
            self._stream(exchange, response)
        else:
            exchange.send_json(200, response)

    def _stream(self, exchange: Exchange, response: dict[str, Any]) -> None:
        seq = itertools.count()
        events: list[dict[str, Any]] = []

        def emit(kind: str, **fields: Any) -> None:
            events.append({"type": kind, "sequence_number": next(seq), **fields})

        start = {**response, "status": "in_progress", "output": [], "usage": None}
        emit("response.created", response=start)
        emit("response.in_progress", response=start)
        for index, item in enumerate(response["output"]):
            if item["type"] == "message":
                text = item["content"][0]["text"]
                emit(
                    "response.output_item.added",
                    output_index=index,
                    item={**item, "status": "in_progress", "content": []},
                )
                part = {"type": "output_text", "text": "", "annotations": []}
                emit(
                    "response.content_part.added",
                    item_id=item["id"],
                    output_index=index,
                    content_index=0,
                    part=part,
                )
                for piece in re.split(r"(?<=\s)(?=\S)", text):
                    emit(
                        "response.output_text.delta",
                        item_id=item["id"],
                        output_index=index,
                        content_index=0,
                        delta=piece,
                    )
                emit(
                    "response.output_text.done",
                    item_id=item["id"],
                    output_index=index,
                    content_index=0,
                    text=text,
                )
                emit(
                    "response.content_part.done",
                    item_id=item["id"],
                    output_index=index,
                    content_index=0,
                    part={**part, "text": text},
                )
            elif item["type"] == "function_call":
                emit(
                    "response.output_item.added",
                    output_index=index,
                    item={**item, "status": "in_progress", "arguments": ""},
                )
                args = item["arguments"]
                for piece in (args[:7], args[7:]):
                    emit(
                        "response.function_call_arguments.delta",
                        item_id=item["id"],
                        output_index=index,
                        delta=piece,
                    )
                emit(
                    "response.function_call_arguments.done",
                    item_id=item["id"],
                    output_index=index,
                    arguments=args,
                )
            else:
                emit("response.output_item.added", output_index=index, item=item)
            emit("response.output_item.done", output_index=index, item=item)
        emit("response.completed", response=response)
        exchange.start_stream()
        for event in events:
            exchange.write_chunk(f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode())
        exchange.end_stream()

    def get(self, exchange: Exchange, response_id: str) -> None:
        stored = self.stored.get(response_id)
        if stored is None:
            self._not_found(exchange, response_id)
        else:
            exchange.send_json(200, stored)

    def delete(self, exchange: Exchange, response_id: str) -> None:
        if self.stored.pop(response_id, None) is None:
            self._not_found(exchange, response_id)
        else:
            exchange.send_json(200, {"id": response_id, "object": "response", "deleted": True})

    @staticmethod
    def _not_found(exchange: Exchange, response_id: str) -> None:
        exchange.send_json(
            404,
            {
                "error": {
                    "message": f"Response with id '{response_id}' not found.",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": None,
                }
            },
        )
