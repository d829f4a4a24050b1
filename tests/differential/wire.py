"""Scripted server replies, one builder per provider wire format.

The fake servers answer most scenarios by themselves; these replies cover what
a default reply cannot: parallel tool calls, OpenAI-style ``reasoning_content``,
prompt-cache usage, error bodies for every status of the fault matrix, and
streams that break. Each builder returns exactly what the provider's API
documentation shows for that case.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from fakeprov.anthropic import anthropic_error, message_events, sse_frames, sse_reply
from fakeprov.azure import azure_error, content_filter_error
from fakeprov.bedrock import aws_error, converse_events, event, exception, stream_reply
from fakeprov.gemini import google_error
from fakeprov.ollama import CREATED_AT, ndjson, ollama_error
from fakeprov.openai import CREATED, openai_error
from fakeprov.server import Reply

WEATHER_ARGS = {"city": "Paris"}
TIME_ARGS = {"timezone": "Europe/Paris"}
REASONING = "Let me think."
ANSWER = "The answer is 42."


class Wire:
    """What a provider's API sends in the scripted cases (OpenAI's wire format)."""

    # -- chat answers -----------------------------------------------------------

    def parallel_tools(self, stream: bool) -> Reply:
        """Two tool calls in one answer: ``get_weather`` and ``get_time``."""
        calls = [
            {"id": "call_w", "type": "function", "function": _fn("get_weather", WEATHER_ARGS)},
            {"id": "call_t", "type": "function", "function": _fn("get_time", TIME_ARGS)},
        ]
        if not stream:
            message = {"role": "assistant", "content": None, "tool_calls": calls}
            return Reply(body=_completion(message, "tool_calls"))
        deltas: list[dict[str, Any]] = [{"role": "assistant", "content": None}]
        for i, call in enumerate(calls):
            args = call["function"]["arguments"]
            head = {**call, "index": i, "function": {"name": call["function"]["name"]}}
            head["function"]["arguments"] = ""
            deltas.append({"tool_calls": [head]})
            for piece in (args[:6], args[6:]):
                deltas.append({"tool_calls": [{"index": i, "function": {"arguments": piece}}]})
        return _sse([*(_chunk(d) for d in deltas), _chunk({}, "tool_calls")])

    def reasoning(self, stream: bool) -> Optional[Reply]:
        """An answer with ``reasoning_content`` (DeepSeek, vLLM, xAI); None: the fake's default."""
        if not stream:
            message = {"role": "assistant", "content": ANSWER, "reasoning_content": REASONING}
            return Reply(body=_completion(message, "stop"))
        deltas = [
            {"role": "assistant", "content": ""},
            {"reasoning_content": REASONING[:7]},
            {"reasoning_content": REASONING[7:]},
            {"content": ANSWER},
        ]
        return _sse([*(_chunk(d) for d in deltas), _chunk({}, "stop")])

    def cached_usage(self, stream: bool) -> Optional[Reply]:
        """An answer whose usage reports prompt tokens read from the provider's cache."""
        usage = {
            "prompt_tokens": 2048,
            "completion_tokens": 4,
            "total_tokens": 2052,
            "prompt_tokens_details": {"cached_tokens": 1920, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        }
        if not stream:
            message = {"role": "assistant", "content": ANSWER}
            return Reply(body=_completion(message, "stop", usage))
        chunks = [
            _chunk({"role": "assistant", "content": ""}),
            _chunk({"content": ANSWER}),
            _chunk({}, "stop"),
        ]
        return _sse([*chunks, {**_chunk({}), "choices": [], "usage": usage}])

    # -- faults -----------------------------------------------------------------

    def error(self, status: int, kind: str) -> Optional[Reply]:
        """The error answer for ``status``; ``kind`` is ``plain``, ``context`` or
        ``content_policy``. None when the provider has no such error."""
        if kind == "context":
            message = (
                "This model's maximum context length is 128000 tokens. However, your "
                "messages resulted in 130000 tokens. Please reduce the length of the messages."
            )
            return openai_error(status, message, "invalid_request_error", "context_length_exceeded")
        if kind == "content_policy":
            message = "Your request was rejected as a result of our safety system."
            return openai_error(
                status, message, "invalid_request_error", "content_policy_violation"
            )
        etype, code = _OPENAI_ERRORS.get(status, ("api_error", None))
        return openai_error(status, f"provider said {status}", etype, code)

    def stream_error(self) -> Reply:
        """A stream that sends one piece of text, then an error event."""
        error = {"error": {"message": "stream failed", "type": "server_error", "code": None}}
        return _sse([_chunk({"role": "assistant", "content": "par"}), error])

    def stream_cut(self) -> Reply:
        """A stream whose connection closes after its second event."""
        events = [_chunk({"role": "assistant", "content": "par"}), _chunk({"content": "tial"})]
        return Reply(sse_events=[json.dumps(e) for e in [*events, _chunk({}, "stop")]], cut_after=2)


class AzureWire(Wire):
    """Azure OpenAI (learn.microsoft.com/azure/ai-services/openai/reference): OpenAI's
    answers; errors are ``{"error": {"code", "message"}}``, a blocked prompt Azure's
    ``content_filter`` 400, a context overflow OpenAI's own body."""

    def error(self, status: int, kind: str) -> Optional[Reply]:
        if kind == "content_policy":
            return content_filter_error()
        if kind == "context":
            return super().error(status, kind)
        return azure_error(status, str(status), f"provider said {status}")


class AnthropicWire(Wire):
    """Anthropic Messages API (docs.anthropic.com/en/api/messages, /errors, /streaming)."""

    def parallel_tools(self, stream: bool) -> Reply:
        """Two ``tool_use`` blocks in one message."""
        message = _anthropic_message(
            [
                {"type": "tool_use", "id": "toolu_w", "name": "get_weather", "input": WEATHER_ARGS},
                {"type": "tool_use", "id": "toolu_t", "name": "get_time", "input": TIME_ARGS},
            ],
            "tool_use",
        )
        return sse_reply(message_events(message)) if stream else Reply(body=message)

    def reasoning(self, stream: bool) -> Optional[Reply]:
        """The fake answers ``thinking`` with a signed thinking block itself."""
        return None

    def cached_usage(self, stream: bool) -> Optional[Reply]:
        """The fake counts ``cache_control`` blocks as cache writes itself."""
        return None

    def error(self, status: int, kind: str) -> Optional[Reply]:
        """Anthropic's error document; a too-long prompt is a plain ``invalid_request_error``."""
        if kind == "content_policy":
            return None
        if kind == "context":
            message = "prompt is too long: 200001 tokens > 200000 maximum"
            return anthropic_error(status, "invalid_request_error", message)
        etype = _ANTHROPIC_ERRORS.get(status, "api_error")
        return anthropic_error(status, etype, f"provider said {status}")

    def stream_error(self) -> Reply:
        """An ``error`` event (overloaded) after the first text delta."""
        events = message_events(_anthropic_message([{"type": "text", "text": "par"}], "end_turn"))
        error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
        return Reply(raw_sse=[*sse_frames(events[:4]), *sse_frames([error])])

    def stream_cut(self) -> Reply:
        """The connection closes after the first text delta."""
        events = message_events(
            _anthropic_message([{"type": "text", "text": "partial"}], "end_turn")
        )
        return Reply(raw_sse=sse_frames(events), cut_after=4)


class GeminiWire(Wire):
    """Gemini API (ai.google.dev/api/generate-content); errors are Google's ``{"error"}``."""

    def parallel_tools(self, stream: bool) -> Reply:
        """Two ``functionCall`` parts; the first carries a thought signature."""
        parts = [
            {
                "functionCall": {"name": "get_weather", "args": WEATHER_ARGS},
                "thoughtSignature": "c2ln",
            },
            {"functionCall": {"name": "get_time", "args": TIME_ARGS}},
        ]
        return self._answer(parts, _gemini_usage(5, 8), stream)

    def reasoning(self, stream: bool) -> Optional[Reply]:
        """The fake answers ``includeThoughts`` with a thought part itself."""
        return None

    def cached_usage(self, stream: bool) -> Optional[Reply]:
        """Usage with ``cachedContentTokenCount`` (implicit or explicit context caching)."""
        usage = {**_gemini_usage(2048, 4), "cachedContentTokenCount": 1920}
        return self._answer([{"text": ANSWER}], usage, stream)

    def _answer(self, parts: list[dict[str, Any]], usage: dict[str, Any], stream: bool) -> Reply:
        body = {
            "candidates": [
                {"content": {"role": "model", "parts": parts}, "finishReason": "STOP", "index": 0}
            ],
            "usageMetadata": usage,
            "modelVersion": "gemini-2.5-flash",
            "responseId": "resp-scripted",
        }
        return Reply(sse_events=[body]) if stream else Reply(body=body)

    def error(self, status: int, kind: str) -> Optional[Reply]:
        """Google's error body with the canonical ``status`` for the HTTP code."""
        if kind == "content_policy":
            return None
        if kind == "context":
            message = (
                "The input token count (1200000) exceeds the maximum number of tokens "
                "allowed (1048576)."
            )
            return google_error(status, message, "INVALID_ARGUMENT")
        return google_error(
            status, f"provider said {status}", _GOOGLE_STATUS.get(status, "UNKNOWN")
        )

    def stream_error(self) -> Reply:
        """A record of text, then an error record."""
        text = {"candidates": [{"content": {"role": "model", "parts": [{"text": "par"}]}}]}
        error = {
            "error": {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"}
        }
        return Reply(sse_events=[text, error])

    def stream_cut(self) -> Reply:
        """The connection closes after the first record."""
        text = {"candidates": [{"content": {"role": "model", "parts": [{"text": "par"}]}}]}
        return Reply(sse_events=[text, text, text], cut_after=1)


class OllamaWire(Wire):
    """Ollama's native API (docs.ollama.com/api); errors are ``{"error": "<message>"}``."""

    def parallel_tools(self, stream: bool) -> Reply:
        """Two tool calls (Ollama sends no ids and arguments as objects)."""
        calls = [
            {"function": {"name": "get_weather", "arguments": WEATHER_ARGS}},
            {"function": {"name": "get_time", "arguments": TIME_ARGS}},
        ]
        head = {"model": "qwen3", "created_at": CREATED_AT}
        done = {"done": True, "done_reason": "stop", "prompt_eval_count": 5, "eval_count": 8}
        message = {"role": "assistant", "content": "", "tool_calls": calls}
        if not stream:
            return Reply(body={**head, "message": message, **done})
        empty = {"role": "assistant", "content": ""}
        return ndjson(
            [{**head, "message": message, "done": False}, {**head, "message": empty, **done}]
        )

    def reasoning(self, stream: bool) -> Optional[Reply]:
        """The fake answers ``think`` with ``message.thinking`` itself."""
        return None

    def cached_usage(self, stream: bool) -> Optional[Reply]:
        """Ollama reports no cache usage."""
        raise NotImplementedError

    def error(self, status: int, kind: str) -> Optional[Reply]:
        """``{"error": message}`` with the status."""
        if kind != "plain":
            return None
        return ollama_error(status, f"provider said {status}")

    def stream_error(self) -> Reply:
        """A line of text, then an error line (Ollama reports mid-stream failures so)."""
        head = {"model": "qwen3", "created_at": CREATED_AT}
        line = {**head, "message": {"role": "assistant", "content": "par"}, "done": False}
        return ndjson([line, {"error": "an error was encountered while running the model"}])

    def stream_cut(self) -> Reply:
        """The connection closes after the first line."""
        head = {"model": "qwen3", "created_at": CREATED_AT}
        line = {**head, "message": {"role": "assistant", "content": "par"}, "done": False}
        return ndjson([line, line, line], cut_after=1)


class BedrockWire(Wire):
    """Bedrock's Converse API (docs.aws.amazon.com/bedrock/latest/APIReference/
    API_runtime_Converse.html); errors are AWS's ``x-amzn-ErrorType`` + ``{"message"}``,
    streams AWS's binary event stream."""

    def parallel_tools(self, stream: bool) -> Reply:
        """Two ``toolUse`` blocks in one message."""
        message = _converse_message(
            [
                {
                    "toolUse": {
                        "toolUseId": "tooluse_w",
                        "name": "get_weather",
                        "input": WEATHER_ARGS,
                    }
                },
                {"toolUse": {"toolUseId": "tooluse_t", "name": "get_time", "input": TIME_ARGS}},
            ],
            "tool_use",
        )
        return stream_reply(converse_events(message)) if stream else Reply(body=message)

    def reasoning(self, stream: bool) -> Optional[Reply]:
        """The fake answers ``thinking`` with a signed reasoning block itself."""
        return None

    def cached_usage(self, stream: bool) -> Optional[Reply]:
        """The fake counts blocks before a ``cachePoint`` as cache writes itself."""
        return None

    def error(self, status: int, kind: str) -> Optional[Reply]:
        """AWS's error answer; a too-long prompt is a ``ValidationException``."""
        if kind == "content_policy":
            return None
        if kind == "context":
            return aws_error(
                status, "ValidationException", "Input is too long for requested model."
            )
        etype = _BEDROCK_ERRORS.get(status, "InternalServerException")
        return aws_error(status, etype, f"provider said {status}")

    def stream_error(self) -> Reply:
        """A ``throttlingException`` message after the first text delta."""
        return stream_reply(
            [
                event("messageStart", {"role": "assistant"}),
                event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "par"}}),
                exception("throttlingException", "Too many tokens, please wait."),
            ]
        )

    def stream_cut(self) -> Reply:
        """The connection closes after the first text delta."""
        message = _converse_message([{"text": "partial"}], "end_turn")
        return stream_reply(converse_events(message), cut_after=2)


_BEDROCK_ERRORS = {
    400: "ValidationException",
    401: "UnrecognizedClientException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    408: "ModelTimeoutException",
    424: "ModelErrorException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}


def _converse_message(content: list[dict[str, Any]], stop_reason: str) -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": stop_reason,
        "usage": {"inputTokens": 5, "outputTokens": 8, "totalTokens": 13},
        "metrics": {"latencyMs": 10},
    }


_OPENAI_ERRORS: dict[int, tuple[str, Optional[str]]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", None),
    404: ("invalid_request_error", "model_not_found"),
    408: ("timeout", None),
    422: ("invalid_request_error", None),
    429: ("rate_limit_error", None),
    500: ("server_error", None),
    502: ("server_error", None),
    503: ("server_error", None),
    504: ("server_error", None),
    529: ("overloaded_error", None),
}
_ANTHROPIC_ERRORS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
_GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


def _fn(name: str, args: dict[str, Any]) -> dict[str, str]:
    return {"name": name, "arguments": json.dumps(args)}


def _completion(
    message: dict[str, Any], finish: str, usage: Optional[dict[str, Any]] = None
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": CREATED,
        "model": "gpt-4o",
        "system_fingerprint": "fp_fake",
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
        "usage": usage or {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8},
    }


def _chunk(delta: dict[str, Any], finish: Optional[str] = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": "gpt-4o",
        "system_fingerprint": "fp_fake",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }


def _sse(events: list[dict[str, Any]]) -> Reply:
    return Reply(sse_events=[*(json.dumps(e) for e in events), "[DONE]"])


def _anthropic_message(content: list[dict[str, Any]], stop_reason: str) -> dict[str, Any]:
    return {
        "id": "msg_scripted",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-20250514",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": 5, "output_tokens": 8},
    }


def _gemini_usage(prompt: int, answer: int) -> dict[str, int]:
    return {
        "promptTokenCount": prompt,
        "candidatesTokenCount": answer,
        "totalTokenCount": prompt + answer,
    }
