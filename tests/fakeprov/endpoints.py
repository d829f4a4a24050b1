"""OpenAI's other endpoints for :class:`fakeprov.openai.FakeOpenAI`, with the
real wire formats (platform.openai.com/docs/api-reference, docs.cohere.com/reference/rerank):

* ``POST /v1/images/generations``: ``n`` images, each a ``url`` (or
  ``b64_json`` of :data:`PNG` when ``response_format`` is ``"b64_json"``).
* ``POST /v1/moderations``: flags inputs containing ``"kill"``.
* ``POST /v1/rerank`` (and Cohere's ``/v2/rerank``): scores documents by the
  words they share with the query.
* ``POST /v1/audio/transcriptions``: a ``multipart/form-data`` body, parsed
  strictly (see :func:`parse_multipart`); answers ``"transcript of <name>
  (<n> bytes)"`` as JSON, ``verbose_json``, or plain text for
  ``text``/``srt``/``vtt``.
* ``POST /v1/audio/speech``: :func:`audio_for` of the input, streamed back in
  chunks of :data:`AUDIO_CHUNK` bytes (chunked transfer encoding).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from typing import Any, Callable

from .server import Exchange

CREATED = 1_700_000_000
#: OpenAI's moderation categories (the ones every result carries).
CATEGORIES = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/instructions",
    "self-harm/intent",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)
PNG = b"\x89PNG\r\n\x1a\nfake-image"
AUDIO_CHUNK = 4096


@dataclass(frozen=True)
class Part:
    """One multipart part: its form ``name``, ``filename`` and ``content_type`` if a file."""

    name: str
    data: bytes
    filename: str | None = None
    content_type: str | None = None


def parse_multipart(content_type: str, body: bytes) -> list[Part]:
    """Parse a ``multipart/form-data`` body (RFC 7578); raises ``ValueError`` if malformed."""
    m = re.fullmatch(r'multipart/form-data;\s*boundary="?([^";]+)"?', content_type.strip())
    if not m:
        raise ValueError(f"not multipart/form-data: {content_type!r}")
    sep = b"--" + m.group(1).encode()
    if not body.startswith(sep) or not body.endswith(sep + b"--\r\n"):
        raise ValueError("the body does not start and end with the boundary")
    parts = []
    for chunk in body[len(sep) : -len(sep + b"--\r\n")].split(b"\r\n" + sep):
        chunk = chunk.removeprefix(b"\r\n")
        head, _, data = chunk.partition(b"\r\n\r\n")
        if data.endswith(b"\r\n"):
            data = data[:-2]
        headers = dict(
            (k.strip().lower(), v.strip())
            for k, _, v in (line.partition(":") for line in head.decode().split("\r\n"))
        )
        disp = headers.get("content-disposition", "")
        name = re.search(r'\bname="([^"]*)"', disp)
        filename = re.search(r'filename="([^"]*)"', disp)
        if not disp.startswith("form-data") or name is None:
            raise ValueError(f"bad part headers: {head!r}")
        parts.append(
            Part(
                name.group(1),
                data,
                filename.group(1) if filename else None,
                headers.get("content-type"),
            )
        )
    return parts


def audio_for(text: str, size: int = 10_000) -> bytes:
    """The fake's deterministic "audio" for ``text``: ``size`` bytes from SHA-256 chains."""
    out = b"ID3"
    block = text.encode()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return out[:size]


def images(exchange: Exchange, body: dict[str, Any], bad: Callable[[str], Exception]) -> None:
    if not isinstance(body.get("prompt"), str):
        raise bad("'prompt' is required")
    if "forbidden" in body["prompt"]:
        error = {
            "message": "Your request was rejected as a result of our safety system.",
            "type": "image_generation_user_error",
            "param": None,
            "code": "content_policy_violation",
        }
        exchange.send_json(400, {"error": error})
        return
    n = body.get("n", 1)
    b64 = body.get("response_format") == "b64_json"
    data = [
        {"b64_json": base64.b64encode(PNG).decode()}
        if b64
        else {"url": f"https://images.fake/{i}.png", "revised_prompt": body["prompt"] + "!"}
        for i in range(n)
    ]
    exchange.send_json(200, {"created": CREATED, "data": data})


def moderations(exchange: Exchange, body: dict[str, Any], bad: Callable[[str], Exception]) -> None:
    raw = body.get("input")
    inputs = [raw] if isinstance(raw, str) else raw
    if not isinstance(inputs, list) or not inputs:
        raise bad("'input' is required")
    results = []
    for text in inputs:
        flagged = "kill" in str(text)
        results.append(
            {
                "flagged": flagged,
                "categories": {c: flagged and c == "violence" for c in CATEGORIES},
                "category_scores": {
                    c: (0.9 if flagged and c == "violence" else 0.01) for c in CATEGORIES
                },
                "category_applied_input_types": {c: ["text"] for c in CATEGORIES},
            }
        )
    exchange.send_json(200, {"id": "modr-fake", "model": body["model"], "results": results})


def completions(exchange: Exchange, body: dict[str, Any], bad: Callable[[str], Exception]) -> None:
    """OpenAI's legacy ``/completions`` (platform.openai.com/docs/api-reference/completions):
    one choice per prompt, its text ``" echo: <prompt>"``; usage counts words."""
    raw = body.get("prompt")
    prompts = [raw] if isinstance(raw, str) else raw
    if not isinstance(prompts, list) or not prompts:
        raise bad("'prompt' is required")
    choices = [
        {"text": f" echo: {p}", "index": i, "logprobs": None, "finish_reason": "stop"}
        for i, p in enumerate(prompts)
    ]
    words = sum(len(str(p).split()) for p in prompts)
    exchange.send_json(
        200,
        {
            "id": "cmpl-fake",
            "object": "text_completion",
            "created": 1700000000,
            "model": body["model"],
            "choices": choices,
            "usage": {
                "prompt_tokens": words,
                "completion_tokens": words + len(prompts),
                "total_tokens": 2 * words + len(prompts),
            },
        },
    )


def rerank(exchange: Exchange, body: dict[str, Any], bad: Callable[[str], Exception]) -> None:
    query, docs = body.get("query"), body.get("documents")
    if not isinstance(query, str) or not isinstance(docs, list):
        raise bad("'query' and 'documents' are required")
    words = set(query.lower().split())
    texts = [d if isinstance(d, str) else str(d.get("text", "")) for d in docs]
    scores = [len(words & set(t.lower().split())) / (len(words) or 1) for t in texts]
    order = sorted(range(len(docs)), key=lambda i: -scores[i])[: body.get("top_n") or len(docs)]
    results: list[dict[str, Any]] = []
    for i in order:
        r: dict[str, Any] = {"index": i, "relevance_score": scores[i]}
        if body.get("return_documents"):
            r["document"] = {"text": texts[i]}
        results.append(r)
    exchange.send_json(
        200,
        {
            "id": "rerank-fake",
            "results": results,
            "meta": {"api_version": {"version": "1"}, "billed_units": {"search_units": 1}},
        },
    )


def transcriptions(exchange: Exchange, bad: Callable[[str], Exception]) -> None:
    try:
        parts = parse_multipart(
            exchange.request.headers.get("content-type", ""), exchange.request.body
        )
    except ValueError as e:
        raise bad(f"could not parse multipart form: {e}") from None
    fields = {p.name: p.data.decode() for p in parts if p.filename is None}
    files = [p for p in parts if p.filename is not None]
    if "model" not in fields:
        raise bad("you must provide a model parameter")
    if [p.name for p in files] != ["file"]:
        raise bad("exactly one 'file' is required")
    f = files[0]
    text = f"transcript of {f.filename} ({len(f.data)} bytes)"
    fmt = fields.get("response_format", "json")
    if fmt in ("text", "srt", "vtt"):
        if fmt == "srt":
            text = f"1\n00:00:00,000 --> 00:00:01,000\n{text}\n"
        exchange.send(200, text.encode(), {"Content-Type": "text/plain; charset=utf-8"})
        return
    answer: dict[str, Any] = {"text": text}
    if fmt == "verbose_json":
        answer.update(
            {
                "task": "transcribe",
                "language": fields.get("language", "english"),
                "duration": 1.5,
                "segments": [{"id": 0, "start": 0.0, "end": 1.5, "text": text}],
            }
        )
    exchange.send_json(200, answer)


def speech(exchange: Exchange, body: dict[str, Any], bad: Callable[[str], Exception]) -> None:
    if not isinstance(body.get("input"), str) or not body.get("voice"):
        raise bad("'input' and 'voice' are required")
    audio = audio_for(body["input"])
    fmt = body.get("response_format", "mp3")
    media = {"mp3": "audio/mpeg", "wav": "audio/wav", "opus": "audio/opus"}.get(fmt, "audio/mpeg")
    exchange.start_stream(200, {"Content-Type": media})
    for i in range(0, len(audio), AUDIO_CHUNK):
        exchange.write_chunk(audio[i : i + AUDIO_CHUNK])
    exchange.end_stream()
