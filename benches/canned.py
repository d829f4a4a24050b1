"""The canned OpenAI response bodies the benchmark server returns, and what a client must read.

Three bodies, each a valid OpenAI API answer:

- ``chat.json``: one ``chat.completion`` (``CHAT_CONTENT``, usage ``CHAT_USAGE``);
- ``stream.sse``: a ``chat.completion.chunk`` SSE stream of ``STREAM_CHUNKS`` content chunks
  (the first also carrying ``role``), a ``finish_reason`` chunk, a usage-only chunk
  (``choices: []``, as with ``stream_options.include_usage``) and ``data: [DONE]``;
- ``embed.json``: an embeddings ``list`` of ``EMBED_ROWS`` vectors of ``EMBED_DIM`` floats.

Clients check what they read against these constants, so an error path is never timed.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

MODEL = "gpt-4o-mini"
EMBED_MODEL = "text-embedding-3-small"
CHAT_CONTENT = "The quick brown fox jumps over the lazy dog. " * 4
CHAT_USAGE = {"prompt_tokens": 12, "completion_tokens": 40, "total_tokens": 52}
STREAM_CHUNKS = 20_000
STREAM_USAGE = {"prompt_tokens": 12, "completion_tokens": STREAM_CHUNKS, "total_tokens": 20_012}
EMBED_ROWS = 16
EMBED_DIM = 1536
EMBED_USAGE = {"prompt_tokens": 64, "total_tokens": 64}


def stream_piece(i: int) -> str:
    """The content of stream chunk ``i`` (a word and a space, as a model streams them)."""
    return f"w{i % 1000} "


STREAM_CONTENT = "".join(stream_piece(i) for i in range(STREAM_CHUNKS))


def chat_body() -> bytes:
    """A non-streamed ``chat.completion`` as OpenAI returns it."""
    return json.dumps(
        {
            "id": "chatcmpl-bench0001",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": MODEL,
            "system_fingerprint": "fp_bench",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": CHAT_CONTENT, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": CHAT_USAGE,
        }
    ).encode()


def _chunk(delta: dict[str, object], finish: object = None) -> dict[str, object]:
    return {
        "id": "chatcmpl-bench0002",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": MODEL,
        "system_fingerprint": "fp_bench",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }


def stream_body(chunks: int = STREAM_CHUNKS) -> bytes:
    """An SSE stream of ``chunks`` content chunks, a finish chunk and a usage chunk."""
    events = [_chunk({"role": "assistant", "content": stream_piece(0)})]
    events += [_chunk({"content": stream_piece(i)}) for i in range(1, chunks)]
    events.append(_chunk({}, "stop"))
    usage = _chunk({})
    usage["choices"] = []
    usage["usage"] = stream_usage(chunks)
    events.append(usage)
    lines = [f"data: {json.dumps(e, separators=(',', ':'))}\n\n" for e in events]
    return ("".join(lines) + "data: [DONE]\n\n").encode()


SHORT_STREAM_CHUNKS = 200


def stream_usage(chunks: int) -> dict[str, int]:
    """The usage a stream of ``chunks`` content chunks reports."""
    return {"prompt_tokens": 12, "completion_tokens": chunks, "total_tokens": 12 + chunks}


def short_stream_body() -> bytes:
    """The stream of ``SHORT_STREAM_CHUNKS`` chunks that many concurrent streams read."""
    return stream_body(SHORT_STREAM_CHUNKS)


def embed_body() -> bytes:
    """An embeddings response of ``EMBED_ROWS`` x ``EMBED_DIM`` floats (fixed seed)."""
    rng = random.Random(1536)
    data = [
        {
            "object": "embedding",
            "index": i,
            "embedding": [round(rng.uniform(-0.1, 0.1), 9) for _ in range(EMBED_DIM)],
        }
        for i in range(EMBED_ROWS)
    ]
    return json.dumps(
        {"object": "list", "data": data, "model": EMBED_MODEL, "usage": EMBED_USAGE}
    ).encode()


FILES = {
    "chat.json": chat_body,
    "stream.sse": stream_body,
    "stream200.sse": short_stream_body,
    "embed.json": embed_body,
}


def write(directory: Path) -> None:
    """Write every canned body into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, make in FILES.items():
        (directory / name).write_bytes(make())
