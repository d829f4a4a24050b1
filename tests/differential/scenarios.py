"""The providers and scenarios of the differential suite.

A :class:`Scenario` is written once and run through both libraries against a
fresh fake server of each :class:`Provider` it applies to. Faults come from the
fault matrix (every status of the README's error table plus the transport
faults of ``tests/test_faults.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from fakeprov.anthropic import FakeAnthropic
from fakeprov.azure import FakeAzure
from fakeprov.bedrock import FakeBedrock
from fakeprov.gemini import FakeGemini
from fakeprov.ollama import FakeOllama
from fakeprov.openai import FakeOpenAI
from fakeprov.server import FakeServer, Reply
from fakeprov.vertex import FakeVertex

from .wire import AnthropicWire, AzureWire, BedrockWire, GeminiWire, OllamaWire, Wire

KEY = "sk-differential-test"


class BearerBedrock(FakeBedrock):
    """The fake Bedrock runtime taking :data:`KEY` as a Bedrock API key (bearer token): both
    libraries send ``api_key`` so, and litellm then needs no AWS credential lookup."""

    def __init__(self) -> None:
        super().__init__(bearer={KEY})


@dataclass(frozen=True)
class Provider:
    """A provider with a fake server; ``api_base`` is what both libraries are given."""

    name: str
    model: str
    server: type[FakeServer]
    api_base: Callable[[Any], str]
    wire: Wire
    embedding_model: Optional[str] = None
    ids_generated: bool = False
    """Whether the wire reply lacks tool-call ids, so that each library makes them up."""
    call_kwargs: Optional[Callable[[Any], dict[str, Any]]] = None
    """Keyword arguments the server dictates (credentials naming its token endpoint)."""


class DifferentialVertex(FakeVertex):
    """:class:`FakeVertex` with a service account made once per process (a throwaway key,
    never written to disk); :attr:`credentials` names this server's token endpoint."""

    _key: Any = None

    def __init__(self) -> None:
        if DifferentialVertex._key is None:
            from cryptography.hazmat.primitives.asymmetric import rsa

            DifferentialVertex._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        super().__init__(DifferentialVertex._key.public_key())

    @property
    def credentials(self) -> str:
        """The service account key file's JSON, as both libraries take ``vertex_credentials``."""
        from cryptography.hazmat.primitives import serialization

        pem = self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        return json.dumps(
            {
                "type": "service_account",
                "project_id": self.project,
                "private_key_id": "differential",
                "private_key": pem,
                "client_email": self.client_email,
                "client_id": "1",
                "token_uri": self.token_uri,
            }
        )


VERTEX_GEMINI_MODEL = "/v1/projects/fake-project/locations/us-central1/publishers/google/models"


class DiffAzure(FakeAzure):
    """The fake Azure resource, taking the suite's key (``api-key``)."""

    def __init__(self) -> None:
        super().__init__(key=KEY)


PROVIDERS = (
    Provider(
        "openai",
        "openai/gpt-4o",
        FakeOpenAI,
        lambda s: s.url,
        Wire(),
        "openai/text-embedding-3-small",
    ),
    Provider(
        "anthropic",
        "anthropic/claude-sonnet-4-20250514",
        FakeAnthropic,
        lambda s: s.url,
        AnthropicWire(),
    ),
    # litellm builds ``{api_base}/models/{model}:{method}``; we add nothing to a base
    # ending in /v1beta: the same URL from the same api_base.
    Provider(
        "gemini",
        "gemini/gemini-2.5-flash",
        FakeGemini,
        lambda s: f"{s.url}/v1beta",
        GeminiWire(),
        "gemini/gemini-embedding-001",
        ids_generated=True,
    ),
    # litellm 1.81.16 appends only `:{method}` to an api_base (1.110.2 grafts the path onto a
    # bare host, as we do): both get the model resource as api_base. Claude, the partner models
    # (MaaS, Mistral) on Vertex need the vertexai SDK in litellm 1.81.16, and its embeddings URL
    # differs: Gemini chat only.
    Provider(
        "vertex_ai",
        "vertex_ai/gemini-2.5-flash",
        DifferentialVertex,
        lambda s: f"{s.url}{VERTEX_GEMINI_MODEL}/gemini-2.5-flash",
        GeminiWire(),
        ids_generated=True,
        call_kwargs=lambda s: {"vertex_credentials": s.credentials},
    ),
    Provider(
        "ollama_chat",
        "ollama_chat/qwen3",
        FakeOllama,
        lambda s: s.url,
        OllamaWire(),
        "ollama/all-minilm",
        ids_generated=True,
    ),
    # litellm sends azure/ through the openai SDK's AzureOpenAI client:
    # {api_base}/openai/deployments/{deployment}/...?api-version=2025-02-01-preview.
    Provider("azure", "azure/gpt-4o", DiffAzure, lambda s: s.url, AzureWire(), "azure/emb"),
    Provider(
        "bedrock",
        "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
        BearerBedrock,
        lambda s: s.url,
        BedrockWire(),
        "bedrock/amazon.titan-embed-text-v2:0",
    ),
)


@dataclass(frozen=True)
class Scenario:
    """One call (or a tool round trip: two calls) made through both libraries.

    ``params`` go to ``completion`` for every provider, ``per_provider`` adds or
    overrides some for one provider. ``script`` builds the scripted replies the
    fake server answers with (None: its default answer). ``providers`` limits
    the scenario to some providers (None: all).
    """

    name: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    params: Mapping[str, Any] = field(default_factory=dict)
    per_provider: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    stream: bool = False
    script: Optional[Callable[[Provider], list[Reply]]] = None
    providers: Optional[frozenset[str]] = None
    round_trip: bool = False
    """Answer the first response's tool call and call again with the longer history."""
    embedding_input: Any = None
    """Set for an ``embedding`` call instead of a completion."""
    transport: Optional[str] = None
    """A transport fault the harness sets up: ``refused`` (nothing listens) or ``timeout``."""

    def applies_to(self, provider: Provider) -> bool:
        """Whether this scenario runs for ``provider``."""
        if self.embedding_input is not None and provider.embedding_model is None:
            return False
        return self.providers is None or provider.name in self.providers

    def kwargs(self, provider: Provider) -> dict[str, Any]:
        """The keyword arguments of the call for ``provider`` (model and messages aside)."""
        return {**self.params, **self.per_provider.get(provider.name, {})}


HELLO = [{"role": "user", "content": "hello there world"}]
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather of a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
TIME = {
    "type": "function",
    "function": {
        "name": "get_time",
        "description": "Local time of a timezone",
        "parameters": {
            "type": "object",
            "properties": {"timezone": {"type": "string"}},
            "required": ["timezone"],
        },
    },
}
TOOLS = [WEATHER, TIME]
WEATHER_Q = [{"role": "user", "content": "what is the weather in Paris"}]
PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9a"
    "wAAAABJRU5ErkJggg=="
)
DATA_URL = f"data:image/png;base64,{PNG_1PX}"
HTTPS_IMAGE = "https://example.com/cat.png"
"""Sent on as a URL by both libraries for OpenAI and Anthropic (never fetched)."""
IMAGE_PATH = "/cat.png"
"""Where the loopback image server serves the PNG: for Gemini and Ollama litellm downloads
image URLs, so there the scenario's URL points at loopback instead of the internet."""
DOWNLOADS_IMAGES = frozenset({"gemini", "ollama_chat", "bedrock"})
JSON_SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "city",
        "schema": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
            "additionalProperties": False,
        },
        "strict": True,
    },
}
REASONING = {"reasoning_effort": "low"}
INCLUDE_USAGE = {"stream_options": {"include_usage": True}}


def _vision(url: str) -> list[dict[str, Any]]:
    return [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "what is in this picture"},
                {"type": "image_url", "image_url": {"url": url}},
            ],
        }
    ]


def _parallel(stream: bool) -> Callable[[Provider], list[Reply]]:
    return lambda p: [p.wire.parallel_tools(stream)]


def _scripted(method: str, stream: bool) -> Callable[[Provider], list[Reply]]:
    def script(p: Provider) -> list[Reply]:
        reply = getattr(p.wire, method)(stream)
        return [] if reply is None else [reply]

    return script


NO_OLLAMA = frozenset({"openai", "anthropic", "gemini", "azure"})
CHAT: tuple[Scenario, ...] = (
    Scenario("plain", HELLO),
    Scenario(
        "multi_turn",
        [
            {"role": "user", "content": "hello"},
            {"role": "assistant", "content": "echo: hello"},
            {"role": "user", "content": "and once more"},
        ],
    ),
    Scenario(
        "system_prompt",
        [{"role": "system", "content": "You are terse."}, *HELLO],
        {"temperature": 0.2, "max_tokens": 50},
    ),
    Scenario("n_2", HELLO, {"n": 2}),
    Scenario("stop", [{"role": "user", "content": "one two three four"}], {"stop": ["three"]}),
    Scenario("json_schema", WEATHER_Q, {"response_format": JSON_SCHEMA}),
    Scenario("tools_auto", WEATHER_Q, {"tools": TOOLS, "tool_choice": "auto"}),
    Scenario("tools_required", WEATHER_Q, {"tools": TOOLS, "tool_choice": "required"}),
    Scenario(
        "tools_named",
        WEATHER_Q,
        {"tools": TOOLS, "tool_choice": {"type": "function", "function": {"name": "get_time"}}},
    ),
    Scenario("tools_none", WEATHER_Q, {"tools": TOOLS, "tool_choice": "none"}),
    Scenario(
        "tool_round_trip", WEATHER_Q, {"tools": TOOLS, "tool_choice": "required"}, round_trip=True
    ),
    Scenario("parallel_tools", WEATHER_Q, {"tools": TOOLS}, script=_parallel(False)),
    Scenario("vision_data_url", _vision(DATA_URL)),
    Scenario("vision_https_url", _vision(HTTPS_IMAGE)),
    Scenario(
        "reasoning",
        HELLO,
        per_provider={"anthropic": REASONING, "gemini": REASONING, "ollama_chat": REASONING},
        script=_scripted("reasoning", False),
    ),
    Scenario(
        "prompt_cache",
        [
            {
                "role": "system",
                "content": [
                    {
                        "type": "text",
                        "text": "A long shared preamble worth caching.",
                        "cache_control": {"type": "ephemeral"},
                    }
                ],
            },
            *HELLO,
        ],
        script=_scripted("cached_usage", False),
        providers=NO_OLLAMA,
    ),
    # -- streams ---------------------------------------------------------------
    Scenario("plain_stream", HELLO, stream=True),
    Scenario("include_usage_stream", HELLO, INCLUDE_USAGE, stream=True),
    Scenario("n_2_stream", HELLO, {"n": 2}, stream=True),
    Scenario(
        "tools_required_stream",
        WEATHER_Q,
        {"tools": TOOLS, "tool_choice": "required"},
        stream=True,
    ),
    Scenario(
        "parallel_tools_stream", WEATHER_Q, {"tools": TOOLS}, stream=True, script=_parallel(True)
    ),
    Scenario(
        "reasoning_stream",
        HELLO,
        INCLUDE_USAGE,
        per_provider={"anthropic": REASONING, "gemini": REASONING, "ollama_chat": REASONING},
        stream=True,
        script=_scripted("reasoning", True),
    ),
    Scenario(
        "prompt_cache_stream",
        [
            {
                "role": "system",
                "content": [
                    {
                        "type": "text",
                        "text": "A long shared preamble worth caching.",
                        "cache_control": {"type": "ephemeral"},
                    }
                ],
            },
            *HELLO,
        ],
        INCLUDE_USAGE,
        stream=True,
        script=_scripted("cached_usage", True),
        providers=NO_OLLAMA,
    ),
    # -- embeddings ------------------------------------------------------------
    Scenario("embedding_one", embedding_input="hello there world"),
    Scenario("embedding_many", embedding_input=["hello", "there world"]),
)


def _status(status: int, kind: str = "plain") -> Callable[[Provider], list[Reply]]:
    def script(p: Provider) -> list[Reply]:
        reply = p.wire.error(status, kind)
        return [] if reply is None else [reply]

    return script


STATUSES = (400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 529, 418)
FAULTS: tuple[Scenario, ...] = (
    *(Scenario(f"fault_{s}", HELLO, script=_status(s)) for s in STATUSES),
    Scenario(
        "fault_400_context_window", HELLO, script=_status(400, "context"), providers=NO_OLLAMA
    ),
    Scenario(
        "fault_400_content_policy",
        HELLO,
        script=_status(400, "content_policy"),
        providers=frozenset({"openai", "azure"}),
    ),
    Scenario("fault_connection_refused", HELLO, transport="refused"),
    Scenario("fault_timeout", HELLO, {"timeout": 0.5}, transport="timeout"),
    Scenario(
        "fault_truncated_body",
        HELLO,
        script=lambda p: [
            Reply(
                body=b'{"id": "x", "choi', headers={"Content-Length": "500", "Connection": "close"}
            )
        ],
    ),
    Scenario(
        "fault_headers_then_close",
        HELLO,
        script=lambda p: [Reply(status=200, body=b"{}", close_after_headers=True)],
    ),
    Scenario("fault_malformed_json", HELLO, script=lambda p: [Reply(body=b"<html>oops</html>")]),
    Scenario(
        "fault_stream_error_event", HELLO, stream=True, script=lambda p: [p.wire.stream_error()]
    ),
    Scenario("fault_stream_cut", HELLO, stream=True, script=lambda p: [p.wire.stream_cut()]),
)

SCENARIOS = CHAT + FAULTS
