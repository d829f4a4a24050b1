"""The OpenAI-compatible family's quirks (Mistral, OpenRouter, xAI, LM Studio, OpenAI's
o-series and gpt-5) and embeddings for every provider that has them, against the fake
OpenAI server: exact request bodies and headers, returned objects."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest

import edgequake_litellm as litellm
from common import MESSAGES
from fakeprov.openai import FakeOpenAI, embedding_for, openai_error
from fakeprov.server import Reply

TOOLS = [
    {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}
]


def call(srv: FakeOpenAI, model: str, **kw: Any) -> Any:
    kw.setdefault("api_key", "k")
    kw.setdefault("num_retries", 0)
    return litellm.completion(
        model=model, messages=kw.pop("messages", MESSAGES), api_base=srv.url, **kw
    )


def completion_body(message: dict[str, Any], model: str = "m") -> dict[str, Any]:
    return {
        "id": "gen-1",
        "object": "chat.completion",
        "created": 1,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def chunk(delta: dict[str, Any], finish: str | None = None, model: str = "m") -> str:
    return json.dumps(
        {
            "id": "gen-1",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
    )


# -- Mistral -------------------------------------------------------------------


def test_mistral_remaps_foreign_tool_call_ids_deterministically(srv: FakeOpenAI) -> None:
    history = [
        *MESSAGES,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_FROM_openai_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{}"},
                },
                {
                    "id": "abcDEF123",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{}"},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "call_FROM_openai_1", "content": "sunny"},
        {"role": "tool", "tool_call_id": "abcDEF123", "content": "rainy"},
    ]
    call(srv, "mistral/mistral-small-latest", messages=history)
    sent = srv.last.json["messages"]
    first, second = (c["id"] for c in sent[1]["tool_calls"])
    assert re.fullmatch(r"[A-Za-z0-9]{9}", first) and first != "call_FROM_openai_1"
    assert second == "abcDEF123"  # already valid: untouched
    assert [sent[2]["tool_call_id"], sent[3]["tool_call_id"]] == [first, second]
    call(srv, "mistral/mistral-small-latest", messages=history)
    assert srv.last.json["messages"][1]["tool_calls"][0]["id"] == first
    # The caller's history is not modified.
    assert history[1]["tool_calls"][0]["id"] == "call_FROM_openai_1"


def test_mistral_parameters(srv: FakeOpenAI) -> None:
    r = call(
        srv,
        "mistral/mistral-large-latest",
        seed=42,
        safe_prompt=True,
        tools=TOOLS,
        tool_choice="required",
        max_tokens=10,
    )
    assert srv.last.path == "/v1/chat/completions"
    assert srv.last.headers["authorization"] == "Bearer k"
    assert srv.last.json == {
        "model": "mistral-large-latest",
        "messages": MESSAGES,
        "random_seed": 42,
        "safe_prompt": True,
        "tools": TOOLS,
        "tool_choice": "any",
        "max_tokens": 10,
    }
    assert r.choices[0].message.tool_calls is None  # the fake only forces on "required"
    call(srv, "mistral/mistral-large-latest", tool_choice="auto", tools=TOOLS)
    assert srv.last.json["tool_choice"] == "auto"


def test_mistral_embeddings_are_batched_and_merged(srv: FakeOpenAI) -> None:
    inputs = [f"text number {i}" for i in range(300)]
    r = litellm.embedding(model="mistral/mistral-embed", input=inputs, api_base=srv.url)
    sent = [q.json for q in srv.requests]
    assert [len(b["input"]) for b in sent] == [128, 128, 44]
    assert [x for b in sent for x in b["input"]] == inputs
    assert all(b["model"] == "mistral-embed" for b in sent)
    assert [d.index for d in r.data] == list(range(300))
    assert r.data[299].embedding == embedding_for("text number 299")
    assert r.usage.prompt_tokens == 3 * 300 and r.model == "mistral-embed"


def test_mistral_batch_error_raises_without_partial_result(srv: FakeOpenAI) -> None:
    srv.enqueue(Reply(), openai_error(429, "Too many requests", "rate_limit_error"))
    with pytest.raises(litellm.RateLimitError):
        litellm.embedding(
            model="mistral/mistral-embed",
            input=["x"] * 200,
            api_base=srv.url,
            num_retries=0,
        )
    assert len(srv.requests) == 2


# -- OpenRouter ----------------------------------------------------------------


def test_openrouter_headers_defaults_env_and_extra_headers(
    srv: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OR_SITE_URL", raising=False)
    monkeypatch.delenv("OR_APP_NAME", raising=False)
    call(srv, "openrouter/meta-llama/llama-3-8b")
    h = srv.last.headers
    assert (h["http-referer"], h["x-title"]) == ("https://litellm.ai", "liteLLM")
    monkeypatch.setenv("OR_SITE_URL", "https://my.app")
    monkeypatch.setenv("OR_APP_NAME", "My App")
    call(srv, "openrouter/meta-llama/llama-3-8b")
    h = srv.last.headers
    assert (h["http-referer"], h["x-title"]) == ("https://my.app", "My App")
    call(srv, "openrouter/meta-llama/llama-3-8b", extra_headers={"X-Title": "Override"})
    assert srv.last.headers["x-title"] == "Override"
    assert srv.last.headers["http-referer"] == "https://my.app"


def test_openrouter_parameters_pass_through(srv: FakeOpenAI) -> None:
    call(
        srv,
        "openrouter/meta-llama/llama-3-8b",
        transforms=["middle-out"],
        models=["a/b", "c/d"],
        route="fallback",
        provider={"order": ["Together"], "allow_fallbacks": False},
    )
    assert srv.last.json == {
        "model": "meta-llama/llama-3-8b",
        "messages": MESSAGES,
        "transforms": ["middle-out"],
        "models": ["a/b", "c/d"],
        "route": "fallback",
        "provider": {"order": ["Together"], "allow_fallbacks": False},
    }


def test_openrouter_reasoning_becomes_reasoning_content(srv: FakeOpenAI) -> None:
    msg = {"role": "assistant", "content": "42", "reasoning": "6 times 7"}
    srv.enqueue(Reply(body=completion_body(msg)))
    r = call(srv, "openrouter/deepseek/deepseek-r1")
    assert r.choices[0].message.reasoning_content == "6 times 7"
    assert r.choices[0].message.content == "42"
    assert "reasoning" not in r.choices[0].message.model_dump()
    events = [
        chunk({"role": "assistant", "content": "", "reasoning": "6 times"}),
        chunk({"content": "", "reasoning": " 7"}),
        chunk({"content": "42", "reasoning": None}),
        chunk({}, "stop"),
        "[DONE]",
    ]
    srv.enqueue(Reply(sse_events=events))
    chunks = list(call(srv, "openrouter/deepseek/deepseek-r1", stream=True))
    reasoning = "".join(c.choices[0].delta.get("reasoning_content") or "" for c in chunks)
    assert reasoning == "6 times 7"
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "42"


def test_openrouter_processing_comments_are_skipped(srv: FakeOpenAI) -> None:
    raw = [
        b": OPENROUTER PROCESSING\n\n",
        b": OPENROUTER PROCESSING\n\ndata: " + chunk({"content": "hi"}).encode() + b"\n\n",
        b"data: " + chunk({}, "stop").encode() + b"\n\ndata: [DONE]\n\n",
    ]
    srv.enqueue(Reply(raw_sse=raw))
    chunks = list(call(srv, "openrouter/openai/gpt-4o", stream=True))
    assert [c.choices[0].delta.content for c in chunks] == ["hi", None]
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_openrouter_error_inside_a_200_stream_raises_after_chunks(srv: FakeOpenAI) -> None:
    # openrouter.ai/docs/api-reference/streaming: errors after the stream started
    err = {
        "id": "gen-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "openai/gpt-4o",
        "provider": "OpenAI",
        "error": {"code": 502, "message": "Provider disconnected unexpectedly"},
        "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}],
    }
    srv.enqueue(Reply(sse_events=[chunk({"content": "par"}), json.dumps(err)]))
    got: list[str] = []
    with pytest.raises(litellm.BadGatewayError) as ei:
        for c in call(srv, "openrouter/openai/gpt-4o", stream=True):
            got.append(c.choices[0].delta.content)
    assert got == ["par"]
    assert "Provider disconnected unexpectedly" in str(ei.value)
    assert ei.value.llm_provider == "openrouter"


# -- xAI -----------------------------------------------------------------------


def test_xai_reasoning_content_passes_through(srv: FakeOpenAI) -> None:
    msg = {"role": "assistant", "content": "4", "reasoning_content": "2+2"}
    srv.enqueue(Reply(body=completion_body(msg, "grok-3-mini")))
    r = call(srv, "xai/grok-3-mini")
    assert r.choices[0].message.reasoning_content == "2+2"
    events = [chunk({"reasoning_content": "2+2"}), chunk({"content": "4"}, "stop"), "[DONE]"]
    srv.enqueue(Reply(sse_events=events))
    chunks = list(call(srv, "xai/grok-3-mini", stream=True))
    assert chunks[0].choices[0].delta.reasoning_content == "2+2"


@pytest.mark.parametrize(
    ("model", "dropped"),
    [
        ("grok-4", {"stop", "frequency_penalty"}),
        ("grok-code-fast-1", {"stop", "frequency_penalty"}),
        ("grok-3-mini", {"stop"}),
        ("grok-3", set()),
    ],
)
def test_xai_drop_params_follows_litellm(srv: FakeOpenAI, model: str, dropped: set[str]) -> None:
    params = {"stop": ["x"], "frequency_penalty": 0.5, "temperature": 0.1}
    call(srv, f"xai/{model}", drop_params=True, **params)
    sent = srv.last.json
    assert {k for k in params if k not in sent} == dropped
    assert sent["temperature"] == 0.1


def test_xai_drop_params_global(srv: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(litellm.UnsupportedParamsError, match="stop"):
        call(srv, "xai/grok-4", stop=["x"])
    assert srv.requests == []
    monkeypatch.setattr(litellm, "drop_params", True)
    call(srv, "xai/grok-4", stop=["x"])
    assert "stop" not in srv.last.json
    # litellm drops when either the call or the global says so.
    call(srv, "xai/grok-4", stop=["x"], drop_params=False)
    assert "stop" not in srv.last.json


def test_xai_rejection_without_drop_params_is_surfaced_intact(srv: FakeOpenAI) -> None:
    # The shape xAI answers with for a parameter a reasoning model rejects.
    message = "Argument not supported on this model: stop"
    srv.enqueue(
        Reply(status=400, body={"code": "Client specified an invalid argument", "error": message})
    )
    with pytest.raises(litellm.BadRequestError) as ei:
        call(srv, "xai/grok-4", stop=["x"], allowed_openai_params=["stop"])
    assert type(ei.value) is litellm.BadRequestError and ei.value.status_code == 400
    assert message in str(ei.value) and ei.value.llm_provider == "xai"
    assert srv.last.json["stop"] == ["x"]


# -- LM Studio -----------------------------------------------------------------


def test_lm_studio_needs_no_key_and_reads_its_base(
    srv: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LM_STUDIO_API_KEY", raising=False)
    monkeypatch.setenv("LM_STUDIO_API_BASE", srv.url)
    r = litellm.completion(model="lm_studio/qwen2.5-7b-instruct", messages=MESSAGES)
    assert r.choices[0].message.content == "echo: hello there world"
    assert srv.last.json["model"] == "qwen2.5-7b-instruct"
    assert "authorization" not in srv.last.headers
    assert r._hidden_params["custom_llm_provider"] == "lm_studio"
    chunks = list(litellm.completion(model="lm_studio/qwen", messages=MESSAGES, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "echo: hello there world"


# -- OpenAI --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("o3-mini", "max_completion_tokens"),
        ("openai/o1", "max_completion_tokens"),
        ("openai/o4-mini", "max_completion_tokens"),
        ("openai/gpt-5-mini", "max_completion_tokens"),
        ("openai/gpt-4o", "max_tokens"),
    ],
)
def test_openai_reasoning_models_take_max_completion_tokens(
    srv: FakeOpenAI, model: str, field: str
) -> None:
    call(srv, model, max_tokens=17)
    sent = srv.last.json
    assert sent[field] == 17 and len({"max_tokens", "max_completion_tokens"} & set(sent)) == 1


def test_openai_explicit_max_completion_tokens_wins(srv: FakeOpenAI) -> None:
    call(srv, "openai/o3", max_tokens=5, max_completion_tokens=9)
    sent = srv.last.json
    assert sent["max_completion_tokens"] == 9 and "max_tokens" not in sent


# -- embeddings everywhere -------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "openai/text-embedding-3-small",
        "mistral/mistral-embed",
        "openrouter/openai/text-embedding-3-small",
        "lm_studio/nomic-embed-text",
        "together_ai/BAAI/bge-base-en-v1.5",
        "hosted_vllm/e5",
    ],
)
def test_embeddings_for_every_openai_compatible_provider(srv: FakeOpenAI, model: str) -> None:
    r = litellm.embedding(model=model, input=["a", "b"], api_base=srv.url, api_key="k")
    assert srv.last.path == "/v1/embeddings"
    assert srv.last.json == {"model": model.split("/", 1)[1], "input": ["a", "b"]}
    assert [d.embedding for d in r.data] == [embedding_for("a"), embedding_for("b")]
    a = asyncio.run(litellm.aembedding(model=model, input="c", api_base=srv.url, api_key="k"))
    assert a.data[0].embedding == embedding_for("c")
    assert a._hidden_params["custom_llm_provider"] == model.split("/", 1)[0]


# -- the OpenAI-compatible long tail (registry rows) -----------------------------

LONG_TAIL = [
    ("fireworks_ai", "FIREWORKS_API_KEY", "FIREWORKS_API_BASE"),
    ("perplexity", "PERPLEXITYAI_API_KEY", "PERPLEXITY_API_BASE"),
    ("deepinfra", "DEEPINFRA_API_KEY", "DEEPINFRA_API_BASE"),
    ("cerebras", "CEREBRAS_API_KEY", "CEREBRAS_API_BASE"),
    ("sambanova", "SAMBANOVA_API_KEY", "SAMBANOVA_API_BASE"),
    ("nvidia_nim", "NVIDIA_NIM_API_KEY", "NVIDIA_NIM_API_BASE"),
    ("huggingface", "HF_TOKEN", "HF_API_BASE"),
    ("nebius", "NEBIUS_API_KEY", "NEBIUS_API_BASE"),
    ("novita", "NOVITA_API_KEY", "NOVITA_API_BASE"),
    ("dashscope", "DASHSCOPE_API_KEY", "DASHSCOPE_API_BASE"),
    ("moonshot", "MOONSHOT_API_KEY", "MOONSHOT_API_BASE"),
    ("github", "GITHUB_API_KEY", "GITHUB_API_BASE"),
    ("vercel_ai_gateway", "VERCEL_AI_GATEWAY_API_KEY", "VERCEL_AI_GATEWAY_API_BASE"),
]

# Further key env vars a provider reads after the first (litellm's lookup order).
ALT_KEY_ENV = {
    "fireworks_ai": ("FIREWORKS_AI_API_KEY", "FIREWORKSAI_API_KEY", "FIREWORKS_AI_TOKEN"),
    "perplexity": ("PERPLEXITY_API_KEY",),
    "huggingface": ("HUGGINGFACE_API_KEY", "HUGGINGFACE_API_BASE"),
    "vercel_ai_gateway": ("VERCEL_OIDC_TOKEN",),
}


@pytest.mark.parametrize(("provider", "key_env", "base_env"), LONG_TAIL)
def test_long_tail_provider_takes_key_and_base_from_its_env_vars(
    srv: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, provider: str, key_env: str, base_env: str
) -> None:
    monkeypatch.setenv(key_env, f"{provider}-key")
    monkeypatch.setenv(base_env, srv.url)
    r = litellm.completion(model=f"{provider}/org/m-1", messages=MESSAGES, num_retries=0)
    assert srv.last.path == "/v1/chat/completions"
    assert srv.last.headers["authorization"] == f"Bearer {provider}-key"
    assert srv.last.json["model"] == "org/m-1"
    assert r.choices[0].message.content
    assert r._hidden_params["custom_llm_provider"] == provider
    chunks = list(
        litellm.completion(
            model=f"{provider}/org/m-1", messages=MESSAGES, stream=True, num_retries=0
        )
    )
    assert srv.last.json["stream"] is True and chunks


@pytest.mark.parametrize(("provider", "key_env", "base_env"), LONG_TAIL)
def test_long_tail_provider_without_a_key_is_refused_before_io(
    srv: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, provider: str, key_env: str, base_env: str
) -> None:
    for var in (key_env, base_env, *ALT_KEY_ENV.get(provider, ())):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(litellm.AuthenticationError):
        litellm.completion(model=f"{provider}/m", messages=MESSAGES, num_retries=0)
    assert srv.requests == []
