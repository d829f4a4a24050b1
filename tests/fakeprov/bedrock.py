"""A fake AWS Bedrock runtime speaking Bedrock's wire formats, checking SigV4 on every request.

Paths (docs.aws.amazon.com/bedrock/latest/APIReference/API_Operations_Amazon_Bedrock_Runtime.html):
``POST /model/{modelId}/converse``, ``/converse-stream``, ``/invoke`` and
``/invoke-with-response-stream``, the model id percent-encoded (ARNs and inference-profile ids
included). Streams are AWS's binary event stream (``application/vnd.amazon.eventstream``),
encoded here independently of the code under test: prelude (total length, headers length,
``zlib.crc32`` of those 8 bytes), string headers, payload, ``zlib.crc32`` of the message.

Authentication is what AWS checks: ``Authorization: Bearer <Bedrock API key>``, or SigV4
recomputed here from the known secret with ``hmac``/``hashlib`` (canonical request with the path
URI-encoded once more, the signed headers as received, the body's SHA-256; the scope's region
and the ``bedrock`` service; ``x-amz-security-token`` signed and matching when the key has a
session token; ``x-amz-content-sha256`` matching the body when sent). Failures answer as AWS
does, with ``x-amzn-ErrorType`` and ``{"message": ...}``: an unknown key or token
``UnrecognizedClientException``, a bad signature ``InvalidSignatureException``.

Deterministic answers: with ``additionalModelRequestFields.thinking`` a reasoning block
(:data:`THINKING_TEXT`, signature ``sig-<n>``) first; with tools offered and the last user turn
holding no ``toolResult`` (or ``toolChoice`` any/tool), a ``toolUse`` of the forced (else first)
tool with input :data:`TOOL_INPUT`; else the text ``"echo: <last user text>"`` (cut at
``maxTokens`` words or a stop sequence). Usage counts words; text blocks followed by a
``cachePoint`` count as cache writes the first time and reads after. InvokeModel for Claude
reuses :class:`FakeAnthropic`'s validation and answers (stream: each Anthropic event in a
``chunk`` event as base64 ``bytes``). Titan and Cohere embeddings answer vectors of 4 floats
(``dimensions`` floats for Titan v2 when given).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import struct
import zlib
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .anthropic import FakeAnthropic, _Invalid, message_events
from .openai import count_words, split_words
from .server import Exchange, FakeServer, Reply

ACCESS_KEY = "AKIDFAKEBEDROCK0001"
SECRET_KEY = "fAkE/SeCrEt+kEy/For/Bedrock/Tests0000001"
SESSION_KEY = "ASIAFAKEBEDROCK0002"
SESSION_SECRET = "sEsSiOn/SeCrEt+kEy/For/Bedrock/Tests00002"
SESSION_TOKEN = "FwoGZXIvYXdzEFAKE//session+token=="
BEARER_TOKEN = "ABSKQmVkcm9ja0FQSUtleS1mYWtl"
REGION = "us-east-1"
TOOL_INPUT = {"city": "Paris"}
THINKING_TEXT = "The user wants an answer; I will give one."
EVENTSTREAM = "application/vnd.amazon.eventstream"

_BLOCK_KEYS = {
    "text",
    "image",
    "document",
    "video",
    "toolUse",
    "toolResult",
    "reasoningContent",
    "cachePoint",
}
_TOP_KEYS = {
    "messages",
    "system",
    "inferenceConfig",
    "toolConfig",
    "additionalModelRequestFields",
    "requestMetadata",
    "guardrailConfig",
    "performanceConfig",
    "promptVariables",
    "additionalModelResponseFieldPaths",
    "serviceTier",
}
_INFERENCE_KEYS = {"maxTokens", "temperature", "topP", "stopSequences"}


def aws_error(status: int, type: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    """A :class:`Reply` with AWS's error shape: ``x-amzn-ErrorType`` and ``{"message": ...}``."""
    h = {"x-amzn-ErrorType": f"{type}:http://internal.amazon.com/coral/com.amazon.bedrock/"}
    return Reply(status=status, body={"message": message}, headers={**h, **(headers or {})})


def encode_message(headers: dict[str, str], payload: bytes) -> bytes:
    """One event-stream message with string headers (type 7)."""
    h = b""
    for k, v in headers.items():
        kb, vb = k.encode(), v.encode()
        h += struct.pack(">B", len(kb)) + kb + b"\x07" + struct.pack(">H", len(vb)) + vb
    total = 16 + len(h) + len(payload)
    prelude = struct.pack(">II", total, len(h))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + h + payload
    return body + struct.pack(">I", zlib.crc32(body))


def event(kind: str, payload: dict[str, Any]) -> bytes:
    """An ``event`` message of type ``kind`` with a JSON payload."""
    headers = {":event-type": kind, ":content-type": "application/json", ":message-type": "event"}
    return encode_message(headers, json.dumps(payload).encode())


def exception(type: str, message: str) -> bytes:
    """An ``exception`` message (``:exception-type``), as a stream fails mid-way."""
    headers = {
        ":exception-type": type,
        ":content-type": "application/json",
        ":message-type": "exception",
    }
    return encode_message(headers, json.dumps({"message": message}).encode())


def stream_reply(messages: list[bytes], **kw: Any) -> Reply:
    """A streamed :class:`Reply` of these encoded messages (one chunk each)."""
    headers = {"Content-Type": EVENTSTREAM, **kw.pop("headers", {})}
    return Reply(raw_sse=messages, headers=headers, **kw)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


class SigV4Refused(Exception):
    """A request whose SigV4 signature does not verify; ``reason`` is one of ``missing``,
    ``unknown_key``, ``scope``, ``token``, ``hash``, ``signature``."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


_BEDROCK_CODES = {
    "missing": "MissingAuthenticationTokenException",
    "unknown_key": "UnrecognizedClientException",
    "token": "UnrecognizedClientException",
    "scope": "InvalidSignatureException",
    "signature": "InvalidSignatureException",
    "hash": "ValidationException",
}


def verify_sigv4(
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
    keys: dict[str, tuple[str, str | None]],
    region: str,
    service: str,
) -> str:
    """The access key id that signed the request, recomputing SigV4 from ``keys`` (key id →
    (secret, session token)); raises :class:`SigV4Refused` as AWS refuses."""
    auth = headers.get("authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        raise SigV4Refused(403, "missing", "Missing Authentication Token")
    fields = dict(p.strip().split("=", 1) for p in auth[17:].split(","))
    key_id, date, signed_region, signed_service, term = fields["Credential"].split("/")
    if key_id not in keys:
        raise SigV4Refused(
            403, "unknown_key", "The security token included in the request is invalid."
        )
    secret, token = keys[key_id]
    signed = fields["SignedHeaders"].split(";")
    if signed_region != region or signed_service != service or term != "aws4_request":
        raise SigV4Refused(
            403,
            "scope",
            "Credential should be scoped to a valid region and service, "
            f"not {signed_region}/{signed_service}.",
        )
    if "host" not in signed or "x-amz-date" not in signed:
        raise SigV4Refused(403, "signature", "host and x-amz-date must be signed")
    if token is not None and (
        "x-amz-security-token" not in signed or headers.get("x-amz-security-token") != token
    ):
        raise SigV4Refused(403, "token", "The security token included in the request is invalid.")
    if "x-amz-content-sha256" in headers and headers["x-amz-content-sha256"] != _sha(body):
        raise SigV4Refused(400, "hash", "x-amz-content-sha256 mismatch")
    stamp = headers.get("x-amz-date", "")
    split = urlsplit(path)
    canonical = "\n".join(
        [
            method,
            quote(split.path, safe="/~"),
            split.query,
            "".join(f"{h}:{' '.join(headers.get(h, '').split())}\n" for h in signed),
            ";".join(signed),
            _sha(body),
        ]
    )
    to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            stamp,
            f"{date}/{signed_region}/{signed_service}/aws4_request",
            _sha(canonical.encode()),
        ]
    )
    k = _hmac(("AWS4" + secret).encode(), date)
    for part in (signed_region, signed_service, "aws4_request"):
        k = _hmac(k, part)
    want = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, fields["Signature"]) or not stamp.startswith(date):
        raise SigV4Refused(
            403,
            "signature",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method.",
        )
    return key_id


class _Denied(Exception):
    def __init__(self, status: int, type: str, message: str) -> None:
        super().__init__(message)
        self.reply = aws_error(status, type, message)


def _text_of(blocks: list[dict[str, Any]]) -> str:
    out = []
    for b in blocks:
        if "text" in b:
            out.append(b["text"])
        elif "toolResult" in b:
            out.append(_text_of(b["toolResult"].get("content") or []))
    return " ".join(out)


class FakeBedrock(FakeServer):
    """A fake bedrock-runtime; ``url`` is the ``aws_bedrock_runtime_endpoint`` / ``api_base``."""

    def __init__(self, region: str = REGION, bearer: set[str] | None = None) -> None:
        super().__init__()
        self.region = region
        self.keys = {ACCESS_KEY: (SECRET_KEY, None), SESSION_KEY: (SESSION_SECRET, SESSION_TOKEN)}
        self.bearer = bearer if bearer is not None else {BEARER_TOKEN}
        self.verified: list[str] = []
        """How each request authenticated: ``"sigv4:<key id>"`` or ``"bearer"``."""
        self._ids = itertools.count(1)
        self._cached: set[str] = set()
        self._claude = FakeAnthropic()  # its Messages validation and answers, never started

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return self.base_url

    def handle(self, exchange: Exchange) -> None:
        req = exchange.request
        try:
            self._authenticate(req.method, req.path, req.headers, req.body)
        except _Denied as d:
            exchange.send_reply(d.reply, lambda: None)
            return
        parts = urlsplit(req.path).path.split("/")
        if len(parts) != 4 or parts[1] != "model" or req.method != "POST":
            exchange.send_reply(
                aws_error(404, "UnknownOperationException", f"no route {req.path}"), lambda: None
            )
            return
        model, action = unquote(parts[2]), parts[3]
        exchange.send_reply(self.next_reply(), lambda: self._answer(exchange, model, action))

    # -- authentication --------------------------------------------------------

    def _authenticate(self, method: str, path: str, headers: dict[str, str], body: bytes) -> None:
        auth = headers.get("authorization", "")
        if auth.startswith("Bearer "):
            if auth[7:] not in self.bearer:
                raise _Denied(
                    403,
                    "AccessDeniedException",
                    "Authentication failed: Please make sure your API Key is valid.",
                )
            self.verified.append("bearer")
            return
        try:
            key_id = verify_sigv4(method, path, headers, body, self.keys, self.region, "bedrock")
        except SigV4Refused as r:
            raise _Denied(r.status, _BEDROCK_CODES[r.reason], str(r)) from None
        self.verified.append(f"sigv4:{key_id}")

    # -- answers ---------------------------------------------------------------

    def _answer(self, exchange: Exchange, model: str, action: str) -> None:
        try:
            body = exchange.request.json
            if not isinstance(body, dict):
                raise _Invalid("the body must be a JSON object")
            if action in ("converse", "converse-stream"):
                self._validate_converse(body)
                message = self._converse(body)
                if action == "converse":
                    exchange.send_json(200, message)
                else:
                    self._stream(exchange, converse_events(message))
            elif action in ("invoke", "invoke-with-response-stream"):
                if "embed" in model:
                    exchange.send_json(200, self._embed(model, body))
                    return
                if body.get("anthropic_version") != "bedrock-2023-05-31":
                    raise _Invalid("anthropic_version: bedrock-2023-05-31 is required")
                if "model" in body or "stream" in body:
                    raise _Invalid("extraneous key [model] is not permitted")
                claude = {**body, "model": model}
                self._claude._validate({"anthropic-version": "bedrock"}, claude)
                msg = self._claude._message(claude)
                if action == "invoke":
                    exchange.send_json(200, msg)
                else:
                    self._stream(exchange, [invoke_chunk(e) for e in message_events(msg)])
            else:
                exchange.send_reply(
                    aws_error(404, "UnknownOperationException", action), lambda: None
                )
        except (_Invalid, ValueError, KeyError, TypeError) as e:
            exchange.send_reply(aws_error(400, "ValidationException", str(e)), lambda: None)

    def _stream(self, exchange: Exchange, messages: list[bytes]) -> None:
        exchange.start_stream(headers={"Content-Type": EVENTSTREAM})
        for m in messages:
            exchange.write_chunk(m)
        exchange.end_stream()

    def _validate_converse(self, body: dict[str, Any]) -> None:
        extra = set(body) - _TOP_KEYS
        if extra:
            raise _Invalid(f"extraneous key [{sorted(extra)[0]}] is not permitted")
        msgs = body.get("messages")
        if not isinstance(msgs, list) or not msgs:
            raise _Invalid("A conversation must start with a user message.")
        if set(body.get("inferenceConfig") or {}) - _INFERENCE_KEYS:
            raise _Invalid("inferenceConfig: extraneous key")
        for b in body.get("system") or []:
            if set(b) - {"text", "cachePoint", "guardContent"} or len(b) != 1:
                raise _Invalid("system: each block has one of text / cachePoint")
        tools = (body.get("toolConfig") or {}).get("tools") or []
        for t in tools:
            spec = t.get("toolSpec")
            if spec is None and "cachePoint" not in t:
                raise _Invalid("toolConfig.tools: each tool is a toolSpec or cachePoint")
            if spec is not None and not isinstance(
                (spec.get("inputSchema") or {}).get("json"), dict
            ):
                raise _Invalid("toolSpec.inputSchema.json is required")
        for i, m in enumerate(msgs):
            want = "user" if i % 2 == 0 else "assistant"
            if m.get("role") != want:
                raise _Invalid("A conversation must alternate between user and assistant roles.")
            for b in m.get("content") or []:
                if len(b) != 1 or next(iter(b)) not in _BLOCK_KEYS:
                    raise _Invalid(f"messages.{i}: a content block has exactly one known member")
                if ("toolUse" in b or "toolResult" in b) and not tools:
                    raise _Invalid(
                        "The toolConfig field must be defined when using toolUse and "
                        "toolResult content blocks."
                    )
                for kind in ("image", "document"):
                    if kind in b:
                        base64.b64decode(b[kind]["source"]["bytes"], validate=True)
                        if not isinstance(b[kind].get("format"), str):
                            raise _Invalid(f"{kind}.format is required")
                if "text" in b and not b["text"].strip():
                    raise _Invalid("text content blocks must be non-empty")

    def _converse(self, body: dict[str, Any]) -> dict[str, Any]:
        n = next(self._ids)
        msgs = body["messages"]
        content: list[dict[str, Any]] = []
        extra = body.get("additionalModelRequestFields") or {}
        if (extra.get("thinking") or {}).get("type") == "enabled":
            content.append(
                {
                    "reasoningContent": {
                        "reasoningText": {"text": THINKING_TEXT, "signature": f"sig-{n}"}
                    }
                }
            )
        config = body.get("toolConfig") or {}
        tools = [t["toolSpec"]["name"] for t in config.get("tools") or [] if "toolSpec" in t]
        choice = config.get("toolChoice") or {"auto": {}}
        last = msgs[-1]["content"]
        tool = None
        if tools:
            if "tool" in choice:
                tool = choice["tool"]["name"]
            elif "any" in choice or not any("toolResult" in b for b in last):
                tool = tools[0]
        inference = body.get("inferenceConfig") or {}
        if tool is not None:
            content.append(
                {"toolUse": {"toolUseId": f"tooluse_fake_{n}", "name": tool, "input": TOOL_INPUT}}
            )
            stop, out_words = "tool_use", count_words(json.dumps(TOOL_INPUT))
        else:
            text, stop = "echo: " + _text_of(last), "end_turn"
            for s in inference.get("stopSequences") or []:
                if s in text:
                    text, stop = text[: text.index(s)], "stop_sequence"
            words = split_words(text)
            limit = inference.get("maxTokens")
            if limit is not None and len(words) > limit:
                text, stop = "".join(words[:limit]), "max_tokens"
            content.append({"text": text})
            out_words = count_words(text)
        usage = self._usage(body)
        usage["outputTokens"] = out_words
        usage["totalTokens"] = (
            usage["inputTokens"]
            + usage["cacheReadInputTokens"]
            + usage["cacheWriteInputTokens"]
            + out_words
        )
        return {
            "output": {"message": {"role": "assistant", "content": content}},
            "stopReason": stop,
            "usage": usage,
            "metrics": {"latencyMs": 12},
        }

    def _usage(self, body: dict[str, Any]) -> dict[str, int]:
        blocks: list[dict[str, Any]] = list(body.get("system") or [])
        for m in body["messages"]:
            blocks += m["content"]
        total = count_words(_text_of(blocks))
        cached = [blocks[i] for i in range(len(blocks) - 1) if "cachePoint" in blocks[i + 1]]
        words = count_words(_text_of(cached))
        key = json.dumps(cached, sort_keys=True)
        seen = key in self._cached
        if cached:
            self._cached.add(key)
        return {
            "inputTokens": total - words,
            "cacheReadInputTokens": words if seen else 0,
            "cacheWriteInputTokens": 0 if seen else words,
        }

    def _embed(self, model: str, body: dict[str, Any]) -> dict[str, Any]:
        if model.startswith("amazon.titan-embed-text"):
            text = body.get("inputText")
            if not isinstance(text, str) or set(body) - {"inputText", "dimensions", "normalize"}:
                raise _Invalid("Malformed input request: inputText is required")
            dims = body.get("dimensions", 4) if "v2" in model else 4
            return {
                "embedding": [round(0.1 * (i + 1), 1) for i in range(dims)],
                "inputTextTokenCount": count_words(text),
            }
        if model.startswith("cohere.embed"):
            texts = body.get("texts")
            if not isinstance(texts, list) or "input_type" not in body:
                raise _Invalid("Malformed input request: texts and input_type are required")
            return {
                "id": "emb-fake",
                "embeddings": [[0.5, 0.25, 0.125, float(len(t))] for t in texts],
                "texts": texts,
                "response_type": "embeddings_floats",
            }
        raise _Invalid(f"model {model} does not support embeddings")


def converse_events(message: dict[str, Any]) -> list[bytes]:
    """The ``converse-stream`` events Bedrock sends for a Converse ``message``."""
    out = [event("messageStart", {"role": "assistant"})]
    for i, block in enumerate(message["output"]["message"]["content"]):
        if "toolUse" in block:
            tu = block["toolUse"]
            start = {"toolUse": {"toolUseId": tu["toolUseId"], "name": tu["name"]}}
            out.append(event("contentBlockStart", {"contentBlockIndex": i, "start": start}))
            args = json.dumps(tu["input"])
            for piece in (args[:5], args[5:]):
                delta = {"toolUse": {"input": piece}}
                out.append(event("contentBlockDelta", {"contentBlockIndex": i, "delta": delta}))
        elif "reasoningContent" in block:
            rt = block["reasoningContent"]["reasoningText"]
            for piece in (rt["text"][:10], rt["text"][10:]):
                delta = {"reasoningContent": {"text": piece}}
                out.append(event("contentBlockDelta", {"contentBlockIndex": i, "delta": delta}))
            delta = {"reasoningContent": {"signature": rt["signature"]}}
            out.append(event("contentBlockDelta", {"contentBlockIndex": i, "delta": delta}))
        else:
            for piece in split_words(block["text"]):
                out.append(
                    event("contentBlockDelta", {"contentBlockIndex": i, "delta": {"text": piece}})
                )
        out.append(event("contentBlockStop", {"contentBlockIndex": i}))
    out.append(event("messageStop", {"stopReason": message["stopReason"]}))
    out.append(event("metadata", {"usage": message["usage"], "metrics": message["metrics"]}))
    return out


def invoke_chunk(anthropic_event: dict[str, Any]) -> bytes:
    """An Anthropic stream event inside an InvokeModel ``chunk`` event (base64 ``bytes``)."""
    raw = base64.b64encode(json.dumps(anthropic_event).encode()).decode()
    return event("chunk", {"bytes": raw})
