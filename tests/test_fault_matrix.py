"""The fault matrix: each provider with a fake server, crossed with each fault of the issue.

Each provider's row in :data:`WIRES` says how its real API expresses a fault on the wire
(error body shape, its own context-length and content-policy messages, its stream format,
its in-stream error) and which litellm exception we raise for it. One test function per
kind of fault, parametrized over the providers. Every case checks the exact class,
``status_code``, ``llm_provider``, ``model``, that ``str(e)`` names the cause, that
``e.body`` is the provider's raw error when there was one, and for streams that every
chunk sent before the fault was delivered. The README's "Errors" table is this file.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import pytest

import edgequake_litellm as litellm
from common import MESSAGES
from fakeprov import anthropic, azure, bedrock, gemini, ollama
from fakeprov.anthropic import FakeAnthropic
from fakeprov.gemini import FakeGemini
from fakeprov.ollama import FakeOllama
from fakeprov.openai import FakeOpenAI
from fakeprov.server import FakeServer, Reply
from fakeprov.vertex import FakeVertex

KEY = "k"
RETRY_AFTER = 0.3
"""Seconds every provider's 429 asks the client to wait."""


@dataclass(frozen=True)
class Case:
    """One fault as a provider sends it, and what we raise for it."""

    reply: Reply
    cls: type[litellm.APIError]
    status: int
    says: str
    """A fragment of ``str(e)`` naming the cause (the provider's own message)."""


@dataclass(frozen=True)
class Wire:
    """How one provider's API speaks, and what each of its error answers becomes."""

    name: str
    server: Callable[[], FakeServer]
    model: str
    provider: str
    """``llm_provider`` of the exceptions."""
    model_id: str
    root: Callable[[str], str]
    """``scheme://host:port`` → the ``api_base`` to pass."""
    errors: dict[str, Case]
    """Status faults (keys are :data:`STATUS_FAULTS`); a missing key: the provider has no such
    answer (see the README table)."""
    frames: Callable[[list[str]], list[bytes]]
    """Stream frames carrying these text pieces, in the provider's stream format."""
    stream_error: Case
    """An error sent inside a stream after ``200`` (its ``reply`` is unused; ``frame`` is sent)."""
    error_frame: bytes
    stream_headers: dict[str, str] = field(default_factory=dict)
    stream_error_body: Optional[str] = None
    """``e.body`` of the in-stream error, for a binary stream format (else the JSON object
    found in ``error_frame``)."""


def html_502() -> Case:
    """A gateway in front of any provider (Cloudflare, Google's front end) answers HTML."""
    page = "<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>"
    reply = Reply(status=502, body=page, headers={"Content-Type": "text/html"})
    return Case(reply, litellm.BadGatewayError, 502, "502 Bad Gateway")


def proxy_529() -> Case:
    """A provider that never sends 529 itself: one reaching a client comes from a proxy in
    between, as plain text, with no error type to map (litellm's APIError)."""
    reply = Reply(status=529, body="Site is overloaded", headers={"Content-Type": "text/plain"})
    return Case(reply, litellm.APIError, 529, "Site is overloaded")


def gateway_422() -> Case:
    """No provider here sends 422 itself; gateways and compatible servers built on
    FastAPI do, with ``{"detail": [...]}``."""
    detail = {"detail": [{"loc": ["body", "messages"], "msg": "field required", "type": "missing"}]}
    return Case(Reply(status=422, body=detail), litellm.UnprocessableEntityError, 422, "missing")


def retry_headers() -> dict[str, str]:
    return {"retry-after": str(RETRY_AFTER)}


# -- OpenAI and every OpenAI-compatible API -------------------------------------


def openai_case(
    status: int,
    message: str,
    etype: str,
    code: Optional[str],
    cls: type[litellm.APIError],
    headers: Optional[dict[str, str]] = None,
) -> Case:
    """OpenAI's error body (platform.openai.com/docs/guides/error-codes)."""
    body = {"error": {"message": message, "type": etype, "param": None, "code": code}}
    return Case(Reply(status=status, body=body, headers=headers or {}), cls, status, message)


def openai_frames(texts: list[str]) -> list[bytes]:
    return [
        b"data: "
        + json.dumps(
            {
                "id": "chatcmpl-f",
                "object": "chat.completion.chunk",
                "created": 1,
                "model": "gpt-4o",
                "choices": [{"index": 0, "delta": {"content": t}, "finish_reason": None}],
            }
        ).encode()
        + b"\n\n"
        for t in texts
    ]


OPENAI_SERVER_ERROR = "The server had an error while processing your request. Sorry about that!"
OPENAI = Wire(
    name="openai",
    provider="openai",
    server=FakeOpenAI,
    model="openai/gpt-4o",
    model_id="gpt-4o",
    root=lambda root: f"{root}/v1",
    errors={
        "401": openai_case(
            401,
            "Incorrect API key provided: k. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            "invalid_api_key",
            litellm.AuthenticationError,
        ),
        "403": openai_case(
            403,
            "Country, region, or territory not supported",
            "request_forbidden",
            "unsupported_country_region_territory",
            litellm.PermissionDeniedError,
        ),
        "404": openai_case(
            404,
            "The model `gpt-4o` does not exist or you do not have access to it.",
            "invalid_request_error",
            "model_not_found",
            litellm.NotFoundError,
        ),
        "400-context": openai_case(
            400,
            "This model's maximum context length is 128000 tokens. However, your messages "
            "resulted in 130412 tokens. Please reduce the length of the messages.",
            "invalid_request_error",
            "context_length_exceeded",
            litellm.ContextWindowExceededError,
        ),
        "400-policy": openai_case(
            400,
            "Your request was rejected as a result of our safety system.",
            "invalid_request_error",
            "content_policy_violation",
            litellm.ContentPolicyViolationError,
        ),
        "422": gateway_422(),
        "429": openai_case(
            429,
            "Rate limit reached for gpt-4o in organization org-f on tokens per min (TPM): "
            "Limit 30000, Used 30000, Requested 120.",
            "tokens",
            "rate_limit_exceeded",
            litellm.RateLimitError,
            retry_headers(),
        ),
        "500": openai_case(
            500, OPENAI_SERVER_ERROR, "server_error", None, litellm.InternalServerError
        ),
        "502": html_502(),
        "503": openai_case(
            503,
            "The engine is currently overloaded, please try again later",
            "server_error",
            None,
            litellm.ServiceUnavailableError,
        ),
        "529": openai_case(529, "Overloaded", "overloaded_error", None, litellm.APIError),
    },
    frames=openai_frames,
    stream_error=openai_case(
        500, OPENAI_SERVER_ERROR, "server_error", None, litellm.InternalServerError
    ),
    error_frame=b"data: "
    + json.dumps(
        {"error": {"message": OPENAI_SERVER_ERROR, "type": "server_error", "code": None}}
    ).encode()
    + b"\n\n",
)


# -- Anthropic -----------------------------------------------------------------------


def anthropic_case(
    status: int,
    etype: str,
    message: str,
    cls: type[litellm.APIError],
    headers: Optional[dict[str, str]] = None,
) -> Case:
    """Anthropic's error body (docs.anthropic.com/en/api/errors)."""
    return Case(anthropic.anthropic_error(status, etype, message, headers), cls, status, message)


def anthropic_frames(texts: list[str]) -> list[bytes]:
    start = {"id": "msg_f", "type": "message", "role": "assistant", "model": "m", "usage": {}}
    block = {"type": "text", "text": ""}
    events: list[dict[str, Any]] = [
        {"type": "message_start", "message": start},
        {"type": "content_block_start", "index": 0, "content_block": block},
    ]
    events += [
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}}
        for t in texts
    ]
    return anthropic.sse_frames(events)


ANTHROPIC = Wire(
    name="anthropic",
    provider="anthropic",
    server=FakeAnthropic,
    model="anthropic/claude-sonnet-4-5",
    model_id="claude-sonnet-4-5",
    root=lambda root: root,
    errors={
        "401": anthropic_case(
            401, "authentication_error", "invalid x-api-key", litellm.AuthenticationError
        ),
        "403": anthropic_case(
            403,
            "permission_error",
            "Your API key does not have permission to use the specified resource.",
            litellm.PermissionDeniedError,
        ),
        "404": anthropic_case(
            404, "not_found_error", "model: claude-sonnet-4-5", litellm.NotFoundError
        ),
        "400-context": anthropic_case(
            400,
            "invalid_request_error",
            "prompt is too long: 208310 tokens > 200000 maximum",
            litellm.ContextWindowExceededError,
        ),
        "400-policy": anthropic_case(
            400,
            "invalid_request_error",
            "Output blocked by content filtering policy",
            litellm.BadRequestError,
        ),
        "422": gateway_422(),
        "429": anthropic_case(
            429,
            "rate_limit_error",
            "Number of request tokens has exceeded your per-minute rate limit",
            litellm.RateLimitError,
            retry_headers(),
        ),
        "500": anthropic_case(
            500, "api_error", "Internal server error", litellm.InternalServerError
        ),
        "502": html_502(),
        "503": anthropic_case(
            503, "api_error", "Service unavailable", litellm.ServiceUnavailableError
        ),
        "529": anthropic_case(529, "overloaded_error", "Overloaded", litellm.InternalServerError),
    },
    frames=anthropic_frames,
    stream_error=anthropic_case(529, "overloaded_error", "Overloaded", litellm.InternalServerError),
    error_frame=anthropic.sse_frames(
        [{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}]
    )[0],
)


# -- Gemini --------------------------------------------------------------------------


def gemini_case(
    status: int,
    message: str,
    google_status: str,
    cls: type[litellm.APIError],
    details: Optional[list[dict[str, Any]]] = None,
    raised_status: Optional[int] = None,
) -> Case:
    """Google's error body (ai.google.dev/gemini-api/docs/troubleshooting)."""
    reply = gemini.google_error(status, message, google_status, details)
    return Case(reply, cls, raised_status or status, message)


def gemini_frames(texts: list[str]) -> list[bytes]:
    return [
        b"data: "
        + json.dumps(
            {
                "candidates": [{"content": {"role": "model", "parts": [{"text": t}]}, "index": 0}],
                "modelVersion": "gemini-2.5-flash",
            }
        ).encode()
        + b"\r\n\r\n"
        for t in texts
    ]


GEMINI_OVERLOADED = "The model is overloaded. Please try again later."
GEMINI = Wire(
    name="gemini",
    provider="gemini",
    server=FakeGemini,
    model="gemini/gemini-2.5-flash",
    model_id="gemini-2.5-flash",
    root=lambda root: root,
    errors={
        # Google rejects a bad API key with 400 INVALID_ARGUMENT + ErrorInfo API_KEY_INVALID.
        "401": gemini_case(
            400,
            "API key not valid. Please pass a valid API key.",
            "INVALID_ARGUMENT",
            litellm.AuthenticationError,
            [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                }
            ],
            raised_status=401,
        ),
        "403": gemini_case(
            403,
            "Permission denied: Consumer 'api_key:k' has been suspended.",
            "PERMISSION_DENIED",
            litellm.PermissionDeniedError,
        ),
        "404": gemini_case(
            404,
            "models/gemini-2.5-flash is not found for API version v1beta, or is not supported "
            "for generateContent. Call ListModels to see the list of available models and "
            "their supported methods.",
            "NOT_FOUND",
            litellm.NotFoundError,
        ),
        "400-context": gemini_case(
            400,
            "The input token count (1200000) exceeds the maximum number of tokens allowed "
            "(1048576).",
            "INVALID_ARGUMENT",
            litellm.ContextWindowExceededError,
        ),
        # No 400 for content policy: a blocked prompt is a 200 whose promptFeedback has a
        # blockReason (finish_reason "content_filter", tests/test_gemini.py).
        "422": gateway_422(),
        # Google says how long to wait in a RetryInfo detail, not in a header.
        "429": gemini_case(
            429,
            "You exceeded your current quota, please check your plan and billing details.",
            "RESOURCE_EXHAUSTED",
            litellm.RateLimitError,
            [
                {
                    "@type": "type.googleapis.com/google.rpc.RetryInfo",
                    "retryDelay": f"{RETRY_AFTER}s",
                }
            ],
        ),
        "500": gemini_case(
            500,
            "An internal error has occurred. Please retry or report in "
            "https://developers.generativeai.google/guide/troubleshooting",
            "INTERNAL",
            litellm.InternalServerError,
        ),
        "502": html_502(),
        "503": gemini_case(503, GEMINI_OVERLOADED, "UNAVAILABLE", litellm.ServiceUnavailableError),
        # Google never sends 529: one reaching a client comes from a proxy in between.
        "529": proxy_529(),
    },
    frames=gemini_frames,
    stream_error=gemini_case(
        503, GEMINI_OVERLOADED, "UNAVAILABLE", litellm.ServiceUnavailableError
    ),
    error_frame=b"data: "
    + json.dumps(gemini.error_body(503, GEMINI_OVERLOADED, "UNAVAILABLE")).encode()
    + b"\r\n\r\n",
)


# -- Ollama ----------------------------------------------------------------------------


def ollama_case(
    status: int,
    message: str,
    cls: type[litellm.APIError],
    headers: Optional[dict[str, str]] = None,
) -> Case:
    """Ollama's error body ``{"error": "<message>"}`` (docs.ollama.com/api/errors)."""
    return Case(ollama.ollama_error(status, message, headers), cls, status, message)


def ollama_frames(texts: list[str]) -> list[bytes]:
    return [
        json.dumps(
            {
                "model": "llama3.2",
                "created_at": ollama.CREATED_AT,
                "message": {"role": "assistant", "content": t},
                "done": False,
            }
        ).encode()
        + b"\n"
        for t in texts
    ]


OLLAMA_CRASH = "llama runner process has terminated: exit status 2"
OLLAMA = Wire(
    name="ollama",
    provider="ollama_chat",
    server=FakeOllama,
    model="ollama_chat/llama3.2",
    model_id="llama3.2",
    root=lambda root: root,
    errors={
        # ollama.com's cloud models need a key; a local server needs none.
        "401": ollama_case(401, "unauthorized", litellm.AuthenticationError),
        # Ollama's origin check refuses a request from a disallowed Origin with an empty 403.
        "403": Case(
            Reply(status=403, body=b"", headers={"Content-Type": "text/plain"}),
            litellm.PermissionDeniedError,
            403,
            "HTTP 403 with an empty body",
        ),
        "404": ollama_case(
            404, 'model "llama3.2" not found, try pulling it first', litellm.NotFoundError
        ),
        # With "truncate": false (else Ollama silently truncates the prompt).
        "400-context": ollama_case(
            400, "the input length exceeds the context length", litellm.BadRequestError
        ),
        # Ollama has no content policy.
        "422": gateway_422(),
        "429": ollama_case(
            429,
            "you have reached your hourly usage limit, please upgrade to continue",
            litellm.RateLimitError,
            retry_headers(),
        ),
        "500": ollama_case(500, OLLAMA_CRASH, litellm.InternalServerError),
        "502": html_502(),
        "503": ollama_case(
            503,
            "server busy, please try again.  maximum pending requests exceeded",
            litellm.ServiceUnavailableError,
        ),
        "529": ollama_case(529, "overloaded", litellm.APIError),
    },
    frames=ollama_frames,
    stream_error=ollama_case(500, OLLAMA_CRASH, litellm.InternalServerError),
    error_frame=json.dumps({"error": OLLAMA_CRASH}).encode() + b"\n",
    stream_headers={"Content-Type": ollama.NDJSON_TYPE},
)


# -- Azure OpenAI --------------------------------------------------------------------------


def azure_case(
    status: int,
    code: str,
    message: str,
    cls: type[litellm.APIError],
    headers: Optional[dict[str, str]] = None,
) -> Case:
    """Azure's error body ``{"error": {"code", "message"}}`` (learn.microsoft.com/azure/
    ai-services/openai/reference)."""
    return Case(azure.azure_error(status, code, message, headers), cls, status, message)


AZURE = Wire(
    name="azure",
    provider="azure",
    server=lambda: azure.FakeAzure(key=KEY),
    model="azure/gpt-4o",
    model_id="gpt-4o",
    root=lambda root: root,
    errors={
        "401": azure_case(401, "401", azure.ACCESS_DENIED, litellm.AuthenticationError),
        "403": azure_case(
            403,
            "403",
            "Public access is disabled. Please configure private endpoint.",
            litellm.PermissionDeniedError,
        ),
        "404": azure_case(
            404, "DeploymentNotFound", azure.DEPLOYMENT_NOT_FOUND, litellm.NotFoundError
        ),
        # Azure answers context overflows in OpenAI's own shape.
        "400-context": openai_case(
            400,
            "This model's maximum context length is 128000 tokens. However, your messages "
            "resulted in 130412 tokens. Please reduce the length of the messages.",
            "invalid_request_error",
            "context_length_exceeded",
            litellm.ContextWindowExceededError,
        ),
        "400-policy": Case(
            azure.content_filter_error(),
            litellm.ContentPolicyViolationError,
            400,
            "content management policy",
        ),
        "422": gateway_422(),
        "429": azure_case(
            429,
            "429",
            "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version "
            "2025-02-01-preview have exceeded token rate limit of your current OpenAI S0 "
            "pricing tier. Please retry after 1 second.",
            litellm.RateLimitError,
            retry_headers(),
        ),
        "500": openai_case(
            500, OPENAI_SERVER_ERROR, "server_error", None, litellm.InternalServerError
        ),
        "502": html_502(),
        "503": azure_case(
            503,
            "ServiceUnavailable",
            "The service is temporarily unable to process your request. Please try again later.",
            litellm.ServiceUnavailableError,
        ),
        # Azure never sends 529: one reaching a client comes from a proxy in between.
        "529": proxy_529(),
    },
    frames=openai_frames,
    stream_error=openai_case(
        500, OPENAI_SERVER_ERROR, "server_error", None, litellm.InternalServerError
    ),
    error_frame=OPENAI.error_frame,
)

# -- Vertex AI (Gemini and Claude) -------------------------------------------------------
# The key is the bearer access token (no credentials, so no token exchange); the api_base
# names the model resource, so the URL is `{api_base}:{method}` and needs no project.

VERTEX_RESOURCE = "/v1/projects/fake-project/locations/us-central1/publishers"
VERTEX_429 = (
    "Resource exhausted. Please try again later. Please refer to "
    "https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details."
)
VERTEX_UNAUTHENTICATED = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential."
)
VERTEX_DENIED = (
    "Permission 'aiplatform.endpoints.predict' denied on resource "
    "'//aiplatform.googleapis.com/projects/fake-project/locations/us-central1' "
    "(or it may not exist)."
)


def vertex_errors(model: str) -> dict[str, Case]:
    """Vertex AI's front end answers Google's error body for both publishers."""
    return {
        "401": gemini_case(
            401, VERTEX_UNAUTHENTICATED, "UNAUTHENTICATED", litellm.AuthenticationError
        ),
        "403": gemini_case(403, VERTEX_DENIED, "PERMISSION_DENIED", litellm.PermissionDeniedError),
        "404": gemini_case(
            404,
            f"Publisher Model `projects/fake-project/locations/us-central1/publishers/google/"
            f"models/{model}` was not found or your project does not have access to it.",
            "NOT_FOUND",
            litellm.NotFoundError,
        ),
        "422": gateway_422(),
        "429": gemini_case(
            429,
            VERTEX_429,
            "RESOURCE_EXHAUSTED",
            litellm.RateLimitError,
            [
                {
                    "@type": "type.googleapis.com/google.rpc.RetryInfo",
                    "retryDelay": f"{RETRY_AFTER}s",
                }
            ],
        ),
        "500": gemini_case(
            500, "Internal error encountered.", "INTERNAL", litellm.InternalServerError
        ),
        "502": html_502(),
        "503": gemini_case(
            503,
            "The service is currently unavailable.",
            "UNAVAILABLE",
            litellm.ServiceUnavailableError,
        ),
    }


VERTEX_GEMINI = Wire(
    name="vertex_ai-gemini",
    provider="vertex_ai",
    server=lambda: FakeVertex(tokens={KEY}),
    model="vertex_ai/gemini-2.5-flash",
    model_id="gemini-2.5-flash",
    root=lambda root: f"{root}{VERTEX_RESOURCE}/google/models/gemini-2.5-flash",
    errors={
        **vertex_errors("gemini-2.5-flash"),
        "400-context": gemini_case(
            400,
            "The input token count (1200000) exceeds the maximum number of tokens allowed "
            "(1048576).",
            "INVALID_ARGUMENT",
            litellm.ContextWindowExceededError,
        ),
    },
    frames=gemini_frames,
    stream_error=GEMINI.stream_error,
    error_frame=GEMINI.error_frame,
)

CLAUDE_ON_VERTEX = "claude-sonnet-4-5@20250929"
VERTEX_CLAUDE = Wire(
    name="vertex_ai-claude",
    provider="vertex_ai",
    server=lambda: FakeVertex(tokens={KEY}),
    model=f"vertex_ai/{CLAUDE_ON_VERTEX}",
    model_id=CLAUDE_ON_VERTEX,
    root=lambda root: f"{root}{VERTEX_RESOURCE}/anthropic/models/{CLAUDE_ON_VERTEX}",
    errors={
        **vertex_errors(CLAUDE_ON_VERTEX),
        # The model's own refusals come in Anthropic's error body.
        "400-context": anthropic_case(
            400,
            "invalid_request_error",
            "prompt is too long: 208310 tokens > 200000 maximum",
            litellm.ContextWindowExceededError,
        ),
        "529": anthropic_case(529, "overloaded_error", "Overloaded", litellm.InternalServerError),
    },
    frames=anthropic_frames,
    stream_error=ANTHROPIC.stream_error,
    error_frame=ANTHROPIC.error_frame,
)

# -- AWS Bedrock (Converse) --------------------------------------------------------------


def bedrock_case(
    status: int,
    etype: str,
    message: str,
    cls: type[litellm.APIError],
    headers: Optional[dict[str, str]] = None,
) -> Case:
    """AWS's error answer: ``x-amzn-ErrorType`` and ``{"message": ...}``
    (docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html)."""
    return Case(bedrock.aws_error(status, etype, message, headers), cls, status, message)


def bedrock_frames(texts: list[str]) -> list[bytes]:
    return [
        bedrock.event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": t}})
        for t in texts
    ]


BEDROCK_THROTTLED = "Too many tokens, please wait before trying again."
BEDROCK = Wire(
    name="bedrock",
    provider="bedrock",
    # ``api_key`` is a Bedrock API key: sent as a bearer token, nothing signed.
    server=lambda: bedrock.FakeBedrock(bearer={KEY}),
    model="bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
    model_id="anthropic.claude-3-5-sonnet-20240620-v1:0",
    root=lambda root: root,
    errors={
        # AWS answers a bad credential with 403 UnrecognizedClientException, never 401.
        "401": bedrock_case(
            403,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
            litellm.AuthenticationError,
        ),
        "403": bedrock_case(
            403,
            "AccessDeniedException",
            "You don't have access to the model with the specified model ID.",
            litellm.PermissionDeniedError,
        ),
        "404": bedrock_case(
            404,
            "ResourceNotFoundException",
            "Could not resolve the foundation model from the provided model identifier.",
            litellm.NotFoundError,
        ),
        "400-context": bedrock_case(
            400,
            "ValidationException",
            "Input is too long for requested model.",
            litellm.ContextWindowExceededError,
        ),
        "422": gateway_422(),
        "429": bedrock_case(
            429,
            "ThrottlingException",
            "Too many requests, please wait before trying again.",
            litellm.RateLimitError,
            retry_headers(),
        ),
        # litellm maps Bedrock's 500 to ServiceUnavailableError.
        "500": bedrock_case(
            500,
            "InternalServerException",
            "The server encountered an internal error.",
            litellm.ServiceUnavailableError,
        ),
        "502": html_502(),
        "503": bedrock_case(
            503,
            "ServiceUnavailableException",
            "Bedrock is unable to process your request.",
            litellm.ServiceUnavailableError,
        ),
    },
    frames=bedrock_frames,
    stream_error=bedrock_case(
        429, "throttlingException", BEDROCK_THROTTLED, litellm.RateLimitError
    ),
    error_frame=bedrock.exception("throttlingException", BEDROCK_THROTTLED),
    stream_headers={"Content-Type": bedrock.EVENTSTREAM},
    stream_error_body=json.dumps({"message": BEDROCK_THROTTLED}),
)

WIRES = [OPENAI, ANTHROPIC, GEMINI, OLLAMA, AZURE, VERTEX_GEMINI, VERTEX_CLAUDE, BEDROCK]
STATUS_FAULTS = [
    "401",
    "403",
    "404",
    "400-context",
    "400-policy",
    "422",
    "500",
    "502",
    "503",
    "529",
]


# -- helpers ---------------------------------------------------------------------------


@pytest.fixture(params=WIRES, ids=lambda w: w.name)
def wire(request: pytest.FixtureRequest) -> Wire:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def server(wire: Wire) -> Iterator[FakeServer]:
    with wire.server() as s:
        yield s


def call(wire: Wire, root: str, **kw: Any) -> Any:
    kw.setdefault("num_retries", 0)
    return litellm.completion(
        model=wire.model, messages=MESSAGES, api_base=wire.root(root), api_key=KEY, **kw
    )


def raised(wire: Wire, root: str, **kw: Any) -> litellm.APIError:
    """The exception a call raises (failing the test if it returns)."""
    with pytest.raises(litellm.APIError) as ei:
        call(wire, root, **kw)
    return ei.value


def check(
    e: BaseException,
    wire: Wire,
    cls: type[litellm.APIError],
    status: int,
    says: str,
    body: Optional[str] = None,
) -> None:
    """The assertions every case makes."""
    assert type(e) is cls, f"{type(e).__name__}: {e}"
    assert isinstance(e, litellm.APIError)
    assert e.status_code == status
    assert (e.llm_provider, e.model) == (wire.provider, wire.model_id)
    assert str(e).startswith(f"litellm.{cls.__name__}: "), str(e)
    assert says.lower() in str(e).lower(), str(e)
    assert e.body == body


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def drain(stream: Any, got: list[Optional[str]]) -> None:
    for chunk in stream:
        got.append(chunk.choices[0].delta.content)


# -- status faults -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "fault"),
    [pytest.param(w, f, id=f"{w.name}-{f}") for f in STATUS_FAULTS for w in WIRES if f in w.errors],
)
def test_error_status(wire: Wire, server: FakeServer, fault: str) -> None:
    case = wire.errors[fault]
    server.enqueue(case.reply)
    e = raised(wire, server.base_url)
    check(e, wire, case.cls, case.status, case.says, case.reply.body_bytes().decode())
    assert len(server.requests) == 1


@pytest.mark.parametrize("fault", ["401", "404", "400-context", "500"])
def test_error_status_on_a_stream_raises_at_call_time(
    wire: Wire, server: FakeServer, fault: str
) -> None:
    case = wire.errors[fault]
    server.enqueue(case.reply)
    e = raised(wire, server.base_url, stream=True)
    check(e, wire, case.cls, case.status, case.says, case.reply.body_bytes().decode())


def test_429_retry_after_is_honoured_and_attempts_reported(wire: Wire, server: FakeServer) -> None:
    case = wire.errors["429"]
    server.enqueue(case.reply, case.reply)
    t0 = time.monotonic()
    e = raised(wire, server.base_url, num_retries=1)
    assert time.monotonic() - t0 >= RETRY_AFTER
    check(e, wire, case.cls, case.status, case.says, case.reply.body_bytes().decode())
    assert len(server.requests) == 2
    assert e.num_retries == 1 and e.retry_after == RETRY_AFTER
    assert str(e).endswith(" LiteLLM Retried: 1 times")


# -- no HTTP answer ------------------------------------------------------------------


def test_connection_refused(wire: Wire) -> None:
    e = raised(wire, f"http://127.0.0.1:{closed_port()}")
    check(e, wire, litellm.APIConnectionError, 500, "connection refused")


def test_dns_failure(wire: Wire) -> None:
    e = raised(wire, "http://edgequake-litellm-test.invalid", timeout=10)
    check(e, wire, litellm.APIConnectionError, 500, "dns error")


def test_tls_failure(wire: Wire, server: FakeServer) -> None:
    # The fake server speaks plain HTTP: the TLS handshake fails.
    e = raised(wire, f"https://127.0.0.1:{server.port}", timeout=10)
    check(e, wire, litellm.APIConnectionError, 500, "tls")


# -- broken bodies -------------------------------------------------------------------


def test_body_slower_than_the_timeout(wire: Wire, server: FakeServer) -> None:
    server.enqueue(
        Reply(
            raw_sse=[b'{"id": "x", ', b'"choices": []}'],
            chunk_delay=3,
            headers={"Content-Type": "application/json"},
        )
    )
    t0 = time.monotonic()
    e = raised(wire, server.base_url, timeout=0.5)
    assert time.monotonic() - t0 < 1.5
    check(e, wire, litellm.Timeout, 408, "timed out")
    assert server.wait_for_disconnect(timeout=5)


def test_malformed_json_body(wire: Wire, server: FakeServer) -> None:
    server.enqueue(Reply(status=200, body=b'{"id": "x", "choices": [}'))
    e = raised(wire, server.base_url)
    check(e, wire, litellm.APIError, 500, "JSON")


def test_truncated_json_body(wire: Wire, server: FakeServer) -> None:
    server.enqueue(
        Reply(
            body=b'{"id": "chatcmpl-1", "choi',
            headers={"Content-Length": "500", "Connection": "close"},
        )
    )
    e = raised(wire, server.base_url)
    check(e, wire, litellm.APIConnectionError, 500, "body")


def test_empty_200_body(wire: Wire, server: FakeServer) -> None:
    server.enqueue(Reply(status=200, body=b""))
    e = raised(wire, server.base_url)
    check(e, wire, litellm.APIError, 500, "empty body")


# -- streams -----------------------------------------------------------------------------

TEXTS = ["Hel", "lo", " there"]


def test_stream_cut_mid_way(wire: Wire, server: FakeServer) -> None:
    frames = wire.frames(TEXTS)
    server.enqueue(Reply(raw_sse=frames, cut_after=len(frames), headers=wire.stream_headers))
    got: list[Optional[str]] = []
    with pytest.raises(litellm.APIError) as ei:
        drain(call(wire, server.base_url, stream=True), got)
    assert got == TEXTS
    check(ei.value, wire, litellm.APIConnectionError, 500, "body")


def test_stream_error_event_after_200(wire: Wire, server: FakeServer) -> None:
    frames = [*wire.frames(TEXTS), wire.error_frame]
    case = wire.stream_error
    server.enqueue(Reply(raw_sse=frames, headers=wire.stream_headers))
    got: list[Optional[str]] = []
    with pytest.raises(litellm.APIError) as ei:
        drain(call(wire, server.base_url, stream=True), got)
    assert got == TEXTS
    event = wire.stream_error_body
    if event is None:
        raw = wire.error_frame.decode()
        event = raw[raw.index("{") : raw.rindex("}") + 1]
    check(ei.value, wire, case.cls, case.status, case.says, event)


def test_stream_error_event_in_the_same_read_async(wire: Wire, server: FakeServer) -> None:
    # Chunks and the error in one write: the chunks still come first.
    body = b"".join([*wire.frames(TEXTS), wire.error_frame])
    server.enqueue(Reply(raw_sse=body, headers=wire.stream_headers))
    got: list[Optional[str]] = []

    async def run() -> None:
        stream = await litellm.acompletion(
            model=wire.model,
            messages=MESSAGES,
            api_base=wire.root(server.base_url),
            api_key=KEY,
            stream=True,
        )
        async for chunk in stream:
            got.append(chunk.choices[0].delta.content)

    with pytest.raises(wire.stream_error.cls):
        asyncio.run(run())
    assert got == TEXTS
