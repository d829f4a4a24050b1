"""One normalizer for both libraries' outcomes, and the diff of two normalized outcomes.

Everything is compared except what :data:`EXCLUSIONS` lists, each with its
reason: values that are legitimately different between two runs of the same
call (generated ids, clocks, timings) or that only one library's object model
has room for and neither fills. A difference in anything else is either a
known divergence (:mod:`.divergences`) or a bug.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from fakeprov.gemini import camel_case_fields

from .harness import Outcome

EXCLUSIONS: dict[str, str] = {
    "request headers other than HEADERS": (
        "transport details (user-agent, x-stainless-*, accept, accept-encoding, connection, "
        "content-length) name the HTTP client, not the call; content-type too: both send "
        "JSON, which httpx labels variably (none for Ollama, '; charset=utf-8' for Gemini "
        "embeddings)"
    ),
    "Gemini field spelling": (
        "Google's parser takes a proto field as `system_instruction` or `systemInstruction` "
        "(proto3 JSON mapping); litellm sends the first, we the second, so Gemini request "
        "bodies are compared in the second (fakeprov.gemini.camel_case_fields)"
    ),
    "error message text": (
        "both read `litellm.<Class>: ...`, but the prose after it (litellm's raw body dump, "
        "retry notes, debug info) differs; class, status_code and llm_provider are compared"
    ),
    "ids made up by a library": (
        "where the provider's reply has no id (Gemini tool calls, Ollama responses and tool "
        "calls) each library generates one: litellm `chatcmpl-<uuid4>` or a bare uuid4, we "
        "`chatcmpl-<16 hex>` / `call_<24 hex>`; such ids are replaced by <generated> or, for "
        "tool calls, by their position (<generated-N>) in responses and later requests"
    ),
    "Ollama /api/show": (
        "after an Ollama answer litellm's logging thread looks the model up with POST "
        "`{api_base}/api/chat/api/show` (a wrong URL) whenever the thread gets to it, sometimes "
        "after the test's server is gone; a timing-dependent side request, not the call"
    ),
    "created": (
        "a timestamp, not content: litellm stamps its own clock on stream chunks and rebuilt "
        "responses even when the provider sent one"
    ),
    "None, '', [], {} and missing are the same": (
        "litellm's pydantic models declare optional fields we do not "
        "(`provider_specific_fields`, `metadata`, `moderation`, `service_tier`, `images`, "
        "`thinking_blocks`, `vertex_ai_*_metadata`, `annotations`) and dump them empty when "
        'the provider sent nothing, and sends `content: ""` where we send None; a field '
        "holding a value is compared"
    ),
    "stream chunks that carry nothing": (
        "a chunk with no content, reasoning, tool-call id/name/arguments, finish_reason or "
        "usage (litellm passes Anthropic's empty `input_json_delta` on) changes nothing a "
        "consumer or stream_chunk_builder sees; such chunks are dropped before comparing"
    ),
    "_hidden_params": (
        "litellm's logging and cost plumbing (`litellm_call_id`, `response_cost`, "
        "`additional_headers`, `optional_params`, timings); it does not even fill "
        "`custom_llm_provider` for every provider"
    ),
}

HEADERS = (
    "authorization",
    "x-api-key",
    "x-goog-api-key",
    "api-key",
    "anthropic-version",
    "anthropic-beta",
)
"""The request headers that matter: the credentials and the API version."""

_GENERATED_ID = re.compile(
    r"^(chatcmpl-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    r"|^chatcmpl-[0-9a-f]{16}$"
)


def view(out: Outcome, provider: str) -> dict[str, Any]:
    """The comparable view of an outcome: only fields that hold something, ids and clocks
    replaced as :data:`EXCLUSIONS` says."""
    v: dict[str, Any] = {
        "request": [_request(r, provider) for r in out.requests if not r.path.endswith("/api/show")]
    }
    if out.response is not None:
        v["response"] = out.response
    if out.chunks is not None:
        v["chunks"] = out.chunks
    if out.built is not None:
        v["built"] = out.built
    if out.embedding is not None:
        v["embedding"] = out.embedding
    if out.error is not None:
        v["error"] = {k: out.error[k] for k in ("class", "status_code", "llm_provider")}
    ids = {gid: f"<generated-{i}>" for i, gid in enumerate(dict.fromkeys(out.generated_ids))}
    cleaned: dict[str, Any] = _clean(v, ids)
    if "chunks" in cleaned:
        cleaned["chunks"] = [
            c for c in map(_drop_empty_fragments, cleaned["chunks"]) if _carries(c)
        ]
    return cleaned


def _drop_empty_fragments(chunk: dict[str, Any]) -> dict[str, Any]:
    """Remove tool-call fragments with neither id, name nor arguments."""
    for choice in chunk.get("choices", []):
        delta = choice.get("delta", {})
        calls = [tc for tc in delta.get("tool_calls", []) if tc.get("id") or tc.get("function")]
        if calls:
            delta["tool_calls"] = calls
        else:
            delta.pop("tool_calls", None)
    return chunk


def _carries(chunk: dict[str, Any]) -> bool:
    """Whether a cleaned chunk carries anything beyond its role."""
    if chunk.get("usage"):
        return True
    return any(
        c.get("finish_reason") or set(c.get("delta", {})) - {"role"}
        for c in chunk.get("choices", [])
    )


def _request(r: Any, provider: str) -> dict[str, Any]:
    try:
        body: Any = json.loads(r.body) if r.body else None
    except ValueError:
        body = r.body.decode(errors="replace")
    if provider in ("gemini", "vertex_ai"):
        body = camel_case_fields(body)
    headers = {h: r.headers[h] for h in HEADERS if h in r.headers}
    return {"method": r.method, "path": r.path, "headers": headers, "body": body}


def _clean(value: Any, ids: dict[str, str], key: str = "") -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            c = _clean(v, ids, k)
            if c is None or c in ({}, [], "") or k == "created":
                continue
            out[k] = c
        return out
    if isinstance(value, list):
        return [_clean(v, ids) for v in value]
    if isinstance(value, str):
        for gid, name in ids.items():
            if gid in value:
                return value.replace(gid, name)
        if key == "id" and _GENERATED_ID.match(value):
            return "<generated>"
        return value
    return value


def diff(a: Any, b: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Every ``(path, a_value, b_value)`` where the two normalized views differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            yield from diff(a.get(k), b.get(k), f"{path}.{k}" if path else k)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            yield from diff(x, y, f"{path}[{i}]")
    elif a != b:
        yield path, a, b
