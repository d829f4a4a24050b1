"""Run one scenario through one library against a fresh fake server and record what happened.

The same function serves litellm and edgequake_litellm: both are modules with
``completion``, ``embedding`` and ``stream_chunk_builder``. The outcome holds
plain data (the requests the server received, the dumped response, chunks,
rebuilt response, or the exception's class, ``status_code`` and
``llm_provider``), to be normalized and compared by :mod:`.normalize`.
"""

from __future__ import annotations

import base64
import warnings
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Optional

from fakeprov.server import Exchange, FakeServer, Recorded, Reply

from .scenarios import HTTPS_IMAGE, IMAGE_PATH, KEY, PNG_1PX, Provider, Scenario

_TIMEOUT_DELAY = 2.0
"""Seconds the server waits before answering in the ``timeout`` fault (the call allows 0.5)."""


@dataclass
class Outcome:
    """What one library did in one scenario."""

    requests: list[Recorded] = field(default_factory=list)
    response: Optional[dict[str, Any]] = None
    chunks: Optional[list[dict[str, Any]]] = None
    built: Optional[dict[str, Any]] = None
    embedding: Optional[dict[str, Any]] = None
    error: Optional[dict[str, Any]] = None
    generated_ids: list[str] = field(default_factory=list)
    """Tool-call ids the library made up (providers whose wire has none), in order."""


class ImageServer(FakeServer):
    """Serves a 1-pixel PNG at :data:`IMAGE_PATH` (litellm downloads image URLs for Ollama)."""

    def handle(self, exchange: Exchange) -> None:
        """``GET /cat.png`` → the PNG; anything else → 404."""
        if exchange.request.path == IMAGE_PATH:
            exchange.send(200, base64.b64decode(PNG_1PX), {"Content-Type": "image/png"})
        else:
            exchange.send(404, b"not found", {"Content-Type": "text/plain"})


def dump(obj: Any) -> dict[str, Any]:
    """``model_dump()`` of a response object; litellm's own serializer warnings
    (its ``Choices`` in a field typed ``StreamingChoices``) are not ours to raise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        out: dict[str, Any] = obj.model_dump()
    return out


def run(lib: ModuleType, provider: Provider, scenario: Scenario, image_url: str) -> Outcome:
    """Run ``scenario`` through ``lib`` against a fresh fake server of ``provider``.

    ``image_url`` replaces the scenario's https image (a loopback URL where litellm
    downloads images). Retries are off in both libraries so that each fault is one request.
    """
    out = Outcome()
    with provider.server() as srv:
        for reply in scenario.script(provider) if scenario.script else []:
            srv.enqueue(reply)
        if scenario.transport == "timeout":
            srv.enqueue(Reply(delay=_TIMEOUT_DELAY))
        api_base = provider.api_base(srv)
        dictated = provider.call_kwargs(srv) if provider.call_kwargs else {}
        if scenario.transport == "refused":
            srv.close()
        messages = _messages(scenario, image_url)
        kwargs: dict[str, Any] = {
            "api_base": api_base,
            "api_key": KEY,
            "num_retries": 0,
            "max_retries": 0,
            **scenario.kwargs(provider),
            **dictated,
        }
        try:
            if scenario.embedding_input is not None:
                assert provider.embedding_model is not None
                e = lib.embedding(
                    model=provider.embedding_model, input=scenario.embedding_input, **kwargs
                )
                out.embedding = dump(e)
            elif scenario.stream:
                out.chunks = []
                stream = lib.completion(
                    model=provider.model, messages=messages, stream=True, **kwargs
                )
                chunks = []
                for chunk in stream:
                    chunks.append(chunk)
                    out.chunks.append(dump(chunk))
                built = lib.stream_chunk_builder(chunks, messages=messages)
                out.built = None if built is None else dump(built)
            else:
                r = lib.completion(model=provider.model, messages=messages, **kwargs)
                if scenario.round_trip:
                    if provider.ids_generated:
                        out.generated_ids += [tc.id for tc in r.choices[0].message.tool_calls or []]
                    messages = [*messages, r.choices[0].message, *_tool_results(r)]
                    r = lib.completion(model=provider.model, messages=messages, **kwargs)
                out.response = dump(r)
        except Exception as e:
            out.error = {
                "class": type(e).__name__,
                "status_code": getattr(e, "status_code", None),
                "llm_provider": getattr(e, "llm_provider", None),
                "message": str(e),
            }
        # A token exchange (Vertex AI) signs a fresh JWT each time: not compared.
        out.requests = [r for r in srv.requests if r.path != "/token"]
    if not provider.ids_generated:
        return out
    for source in (out.response, out.built, *(out.chunks or [])):
        for choice in (source or {}).get("choices") or []:
            msg = choice.get("message") or choice.get("delta") or {}
            out.generated_ids += [tc["id"] for tc in msg.get("tool_calls") or [] if tc.get("id")]
    return out


def _messages(scenario: Scenario, image_url: str) -> list[dict[str, Any]]:
    """The scenario's messages, with the https image swapped for ``image_url`` when given."""
    if image_url == HTTPS_IMAGE:
        return scenario.messages
    out = []
    for m in scenario.messages:
        content = m.get("content")
        if isinstance(content, list):
            content = [
                {"type": "image_url", "image_url": {"url": image_url}}
                if p.get("type") == "image_url" and p["image_url"]["url"] == HTTPS_IMAGE
                else p
                for p in content
            ]
        out.append({**m, "content": content})
    return out


def _tool_results(r: Any) -> list[dict[str, Any]]:
    """A ``tool`` message answering each tool call of ``r``'s first choice."""
    return [
        {"role": "tool", "tool_call_id": tc.id, "content": "18C and sunny"}
        for tc in r.choices[0].message.tool_calls or []
    ]
