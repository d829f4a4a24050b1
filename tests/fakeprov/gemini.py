"""A fake Google Gemini API server (Google AI Studio, ``v1beta``) on loopback.

It speaks Gemini's wire format (ai.google.dev/api/generate-content,
ai.google.dev/api/embeddings) and records every request. Deterministic default
replies, all under ``/v1beta/models/{model}``:

* ``:generateContent`` answers ``"echo: <text of the last user turn>"``; when
  the last user turn holds ``functionResponse`` parts it answers
  ``"result: <their content joined>"``; when ``toolConfig`` forces a call
  (mode ``ANY``) it calls the first allowed function with :data:`CALL_ARGS`,
  the part carrying a fresh ``thoughtSignature``. With
  ``thinkingConfig.includeThoughts`` a thought part (:data:`THOUGHT`) comes
  first. ``candidateCount`` candidates are returned.
* ``:streamGenerateContent?alt=sse`` sends the same answer as SSE records, each
  a whole ``GenerateContentResponse`` (one word per record, function calls
  whole), the last one with ``finishReason`` and every one with
  ``usageMetadata``.
* ``:predict`` (Imagen models) returns ``sampleCount`` images, each the
  base64 of ``b"PNG:" + prompt``.
* ``:embedContent`` / ``:batchEmbedContents`` return
  :func:`~fakeprov.openai.embedding_for` of each text (``outputDimensionality``
  truncates).

Field names are accepted in either proto spelling (``system_instruction`` or
``systemInstruction``), as Google's parser does. As Gemini 3 does, a request
whose history holds a ``functionCall`` part without a ``thoughtSignature`` this
server issued is refused with 400 ``INVALID_ARGUMENT``. The key must come in the
``x-goog-api-key`` header: none gives 403 ``PERMISSION_DENIED``, :data:`BAD_KEY` gives Google's 400
``API_KEY_INVALID``, and a ``key=`` query parameter is refused. Scripted
replies (:meth:`FakeServer.enqueue`) take precedence over these defaults.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .openai import count_words, embedding_for, split_words
from .server import Exchange, FakeServer, Reply

CALL_ARGS = {"city": "Paris"}
"""Arguments of the default function call."""
THOUGHT = "Let me think about it."
"""Text of the default thought part."""
BAD_KEY = "bad-key"
"""The key this server rejects as invalid."""

_PATH = re.compile(r"^/v1beta/models/(?P<model>[^/:]+):(?P<method>[A-Za-z]+)$")


def google_error(
    code: int,
    message: str,
    status: str,
    details: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Reply:
    """A :class:`Reply` with Google's error body ``{"error": {code, message, status}}``."""
    return Reply(
        status=code, body=error_body(code, message, status, details), headers=dict(headers or {})
    )


def error_body(
    code: int, message: str, status: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Google's error body."""
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details is not None:
        error["details"] = details
    return {"error": error}


_OPAQUE = frozenset(
    {
        "args",
        "response",
        "properties",
        "parameters",
        "parametersJsonSchema",
        "responseSchema",
        "responseJsonSchema",
    }
)
"""Fields whose values are user data or JSON Schema: their keys are not proto field names."""


def camel_case_fields(value: Any, opaque: bool = False) -> Any:
    """``value`` with proto field names in their JSON form: ``system_instruction`` →
    ``systemInstruction``. Google's JSON parser accepts both spellings (the proto3 JSON
    mapping); litellm sends the first, our adapter the second. Values of
    :data:`_OPAQUE` fields (function arguments, schemas) keep their keys."""
    if isinstance(value, list):
        return [camel_case_fields(v, opaque) for v in value]
    if not isinstance(value, dict) or opaque:
        return value
    out = {}
    for key, v in value.items():
        head, *rest = key.split("_")
        name = head + "".join(w[:1].upper() + w[1:] for w in rest)
        out[name] = camel_case_fields(v, name in _OPAQUE)
    return out


def parts_text(parts: Any) -> str:
    """The text parts of ``parts`` (not thoughts) joined by spaces."""
    if not isinstance(parts, list):
        return ""
    return " ".join(
        p["text"]
        for p in parts
        if isinstance(p, dict) and isinstance(p.get("text"), str) and not p.get("thought")
    )


class _Invalid(Exception):
    """A request Gemini would refuse with 400 INVALID_ARGUMENT."""


class FakeGemini(FakeServer):
    """A fake Gemini API; ``url`` is the ``api_base`` to give a client.

    ``signatures`` holds every ``thoughtSignature`` issued so far.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self._ids = itertools.count(1)
        self.signatures: list[str] = []

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (the API version is part of each path)."""
        return self.base_url

    def handle(self, exchange: Exchange) -> None:
        """Route one request: check the key, then answer the endpoint."""
        request = exchange.request
        split = urlsplit(request.path)
        query = parse_qs(split.query)
        match = _PATH.match(split.path)
        if request.method != "POST" or match is None:
            exchange.send_json(
                404, error_body(404, f"Not found: {request.method} {split.path}", "NOT_FOUND")
            )
            return
        if "key" in query:
            message = "API keys are not accepted in the URL by this fake; use x-goog-api-key."
            exchange.send_json(400, error_body(400, message, "INVALID_ARGUMENT"))
            return
        key = request.headers.get("x-goog-api-key")
        if not key:
            message = (
                "Method doesn't allow unregistered callers (callers without established "
                "identity). Please use API Key or other form of API consumer identity to call "
                "this API."
            )
            exchange.send_json(403, error_body(403, message, "PERMISSION_DENIED"))
            return
        if key == BAD_KEY:
            details = [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                    "metadata": {"service": "generativelanguage.googleapis.com"},
                }
            ]
            message = "API key not valid. Please pass a valid API key."
            exchange.send_json(400, error_body(400, message, "INVALID_ARGUMENT", details))
            return
        model, method = match["model"], match["method"]
        stream = method == "streamGenerateContent"
        if stream and query.get("alt") != ["sse"]:
            exchange.send_json(
                400, error_body(400, "this fake streams with alt=sse only", "INVALID_ARGUMENT")
            )
            return
        if method not in self._endpoints:
            exchange.send_json(404, error_body(404, f"Unknown method {method}", "NOT_FOUND"))
            return
        exchange.send_reply(
            self.next_reply(), lambda: self.answer(exchange, method, model, request.body, stream)
        )

    @property
    def _endpoints(self) -> dict[str, Any]:
        return {
            "generateContent": self._generate,
            "streamGenerateContent": self._generate,
            "embedContent": self._embed,
            "batchEmbedContents": self._batch_embed,
            "predict": self._predict,
        }

    def answer(self, exchange: Exchange, method: str, model: str, raw: bytes, stream: bool) -> None:
        """Answer ``method`` (``generateContent``, ``embedContent``, ...) of ``model`` for the
        request body ``raw``, after the route and the credentials were checked (also the
        answer of Vertex AI's Gemini routes, ``fakeprov.vertex``)."""
        try:
            body = camel_case_fields(json.loads(raw))
            if not isinstance(body, dict):
                raise _Invalid("the request body must be a JSON object")
            self._endpoints[method](exchange, model, body, stream)
        except (ValueError, _Invalid) as exc:
            exchange.send_json(400, error_body(400, str(exc), "INVALID_ARGUMENT"))

    # -- generateContent -------------------------------------------------------

    def _generate(self, exchange: Exchange, model: str, body: dict[str, Any], stream: bool) -> None:
        contents = body.get("contents")
        if not isinstance(contents, list) or not contents:
            raise _Invalid("* GenerateContentRequest.contents: contents is not specified")
        for i, content in enumerate(contents):
            # ``role`` is optional (ai.google.dev/api/caching#Content); unset reads as the user's.
            if not isinstance(content, dict) or content.get("role", "user") not in (
                "user",
                "model",
            ):
                raise _Invalid(f"contents[{i}].role must be user or model")
            parts = content.get("parts")
            if not isinstance(parts, list) or not parts:
                raise _Invalid(f"contents[{i}].parts must not be empty")
            for part in parts:
                if "functionCall" in part and part.get("thoughtSignature") not in self.signatures:
                    raise _Invalid(
                        f"Function call is missing a thought_signature in functionCall parts. "
                        f"This is required for tools to work correctly. contents[{i}]"
                    )
        config = body.get("generationConfig") or {}
        count = int(config.get("candidateCount") or 1)
        thinking = bool((config.get("thinkingConfig") or {}).get("includeThoughts"))
        call = _forced_call(body)
        last_user = next((c for c in reversed(contents) if c.get("role", "user") == "user"), None)
        responses = [
            p["functionResponse"]
            for p in (last_user or {}).get("parts", [])
            if isinstance(p, dict) and "functionResponse" in p
        ]
        if responses:
            text = "result: " + " ".join(str(r["response"].get("content")) for r in responses)
        else:
            text = "echo: " + parts_text((last_user or {}).get("parts"))
        system = parts_text((body.get("systemInstruction") or {}).get("parts"))
        prompt_tokens = count_words(system) + sum(
            count_words(parts_text(c["parts"])) for c in contents
        )
        answer_tokens = count * (count_words(json.dumps(call[1])) if call else count_words(text))
        thought_tokens = count * count_words(THOUGHT) if thinking else 0
        usage = {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": answer_tokens,
            "totalTokenCount": prompt_tokens + answer_tokens + thought_tokens,
        }
        if thinking:
            usage["thoughtsTokenCount"] = thought_tokens
        head = {"modelVersion": model, "responseId": f"resp-fake-{next(self._ids)}"}
        candidates: list[list[dict[str, Any]]] = []
        for _ in range(count):
            parts: list[dict[str, Any]] = [{"text": THOUGHT, "thought": True}] if thinking else []
            if call:
                signature = f"sig-{len(self.signatures) + 1}"
                self.signatures.append(signature)
                parts.append(
                    {
                        "functionCall": {"name": call[0], "args": call[1]},
                        "thoughtSignature": signature,
                    }
                )
            else:
                parts.append({"text": text})
            candidates.append(parts)
        if not stream:
            exchange.send_json(
                200,
                {
                    **head,
                    "candidates": [
                        {
                            "content": {"role": "model", "parts": parts},
                            "finishReason": "STOP",
                            "index": i,
                        }
                        for i, parts in enumerate(candidates)
                    ],
                    "usageMetadata": usage,
                },
            )
            return
        exchange.start_stream()
        for i, parts in enumerate(candidates):
            pieces: list[list[dict[str, Any]]] = []
            for part in parts:
                if "text" in part and not part.get("thought"):
                    pieces += [[{"text": w}] for w in split_words(part["text"])]
                else:
                    pieces.append([part])
            for j, piece in enumerate(pieces):
                candidate: dict[str, Any] = {
                    "content": {"role": "model", "parts": piece},
                    "index": i,
                }
                if j == len(pieces) - 1:
                    candidate["finishReason"] = "STOP"
                event = {**head, "candidates": [candidate], "usageMetadata": usage}
                exchange.send_event(json.dumps(event))
        exchange.end_stream()

    # -- embeddings ------------------------------------------------------------

    def _predict(self, exchange: Exchange, model: str, body: dict[str, Any], stream: bool) -> None:
        """Imagen's ``:predict``: ``sampleCount`` images, each the PNG bytes of its prompt."""
        if not model.startswith("imagen"):
            raise _Invalid(f"model {model} does not support predict")
        instances = body.get("instances")
        if not isinstance(instances, list) or not instances or "prompt" not in instances[0]:
            raise _Invalid("instances[0].prompt is required")
        params = body.get("parameters") or {}
        if params.get("aspectRatio", "1:1") not in ("1:1", "3:4", "4:3", "9:16", "16:9"):
            raise _Invalid(f"unsupported aspectRatio {params['aspectRatio']}")
        image = base64.b64encode(b"PNG:" + instances[0]["prompt"].encode()).decode()
        predictions = [
            {"bytesBase64Encoded": image, "mimeType": "image/png"}
            for _ in range(int(params.get("sampleCount", 1)))
        ]
        exchange.send_json(200, {"predictions": predictions})

    def _embed(self, exchange: Exchange, model: str, body: dict[str, Any], stream: bool) -> None:
        exchange.send_json(200, {"embedding": _embedding(body)})

    def _batch_embed(
        self, exchange: Exchange, model: str, body: dict[str, Any], stream: bool
    ) -> None:
        requests = body.get("requests")
        if not isinstance(requests, list) or not requests:
            raise _Invalid("* BatchEmbedContentsRequest.requests: requests is not specified")
        for i, r in enumerate(requests):
            if r.get("model") != f"models/{model}":
                raise _Invalid(f"requests[{i}].model must be models/{model}")
        exchange.send_json(200, {"embeddings": [_embedding(r) for r in requests]})


def _embedding(request: dict[str, Any]) -> dict[str, Any]:
    text = parts_text((request.get("content") or {}).get("parts"))
    if not text:
        raise _Invalid("content.parts must hold text")
    values = embedding_for(text)
    dims = request.get("outputDimensionality")
    return {"values": values[:dims] if isinstance(dims, int) else values}


def _forced_call(body: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The function the request forces a call to, with its arguments, if any."""
    config = (body.get("toolConfig") or {}).get("functionCallingConfig") or {}
    if config.get("mode") != "ANY":
        return None
    names = [
        d["name"]
        for tool in body.get("tools") or []
        for d in tool.get("functionDeclarations") or []
    ]
    allowed = config.get("allowedFunctionNames") or names
    if not allowed:
        return None
    return str(allowed[0]), dict(CALL_ARGS)
