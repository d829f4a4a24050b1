"""The questions the model-data differential asks both litellm and this package.

``answer(lib, query)`` runs one query against a module with litellm's API (litellm itself in
the reference venv, or ``edgequake_litellm``) and returns a JSON-able answer, or
``{"raises": <class name>}``.
"""

from __future__ import annotations

from typing import Any

FLAGS = (
    "supports_function_calling",
    "supports_parallel_function_calling",
    "supports_vision",
    "supports_response_schema",
    "supports_reasoning",
    "supports_prompt_caching",
    "supports_tool_choice",
    "supports_audio_input",
    "supports_audio_output",
    "supports_pdf_input",
    "supports_web_search",
)
INFO_KEYS = (
    "key",
    "max_tokens",
    "max_input_tokens",
    "max_output_tokens",
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "litellm_provider",
    "mode",
    "supports_function_calling",
    "supports_vision",
    "supports_reasoning",
)
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather of a city",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "City name"},
                    "unit": {"type": "string", "enum": ["c", "f"]},
                    "days": {"type": "integer"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "where": {"type": "object", "properties": {"lat": {"type": "number"}}},
                },
                "required": ["city"],
            },
        },
    }
]
TEXTS = (
    "Hi",
    "hello world",
    "The quick brown fox jumps over the lazy dog. " * 40,
    "naïve café — 東京 ☃ <|endoftext|> 123456789 ",
    "x" * 3000 + " y" * 700,
)
MESSAGES = (
    [{"role": "user", "content": "Hi"}],
    [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is 2+2?"}],
    [
        {"role": "user", "content": [{"type": "text", "text": "describe"}]},
        {"role": "assistant", "content": "ok", "name": "bot"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
    ],
)
USAGES = (
    {"prompt_tokens": 1000, "completion_tokens": 500},
    {"prompt_tokens": 250_000, "completion_tokens": 1000},
    {
        "prompt_tokens": 2000,
        "completion_tokens": 300,
        "prompt_tokens_details": {"cached_tokens": 1500},
    },
)
TOKEN_MODELS = (
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-5",
    "o3-mini",
    "gpt-4",
    "gpt-3.5-turbo",
    "openai/gpt-4o",
    "text-embedding-3-small",
    "gemini/gemini-2.5-flash",
    "mistral/mistral-large-latest",
)


def _map_keys() -> list[str]:
    from edgequake_litellm.litellm_core_utils.bundled_data import map_bundle

    return [line.key for line in map_bundle().lines()]


def build() -> list[dict[str, Any]]:
    """The queries: a deterministic sample of ~300 map models, plus hand-picked cases."""
    keys = _map_keys()
    sample = keys[::16]
    extra = [
        "gpt-4o",
        "openai/gpt-4o",
        "claude-sonnet-4-5",
        "anthropic/claude-sonnet-4-5",
        "claude-sonnet-4-20250514",
        "gemini/gemini-2.5-flash",
        "gemini-2.5-pro",
        "xai/grok-4",
        "ollama/llama3",
        "nosuch/model-x",
        "totally-unknown-model",
    ]
    queries: list[dict[str, Any]] = []
    for model in [*sample, *extra]:
        queries.append({"fn": "flags", "model": model})
        queries.append({"fn": "info", "model": model})
        queries.append({"fn": "provider", "model": model})
    from edgequake_litellm.litellm_core_utils.model_facts import chat_models as bundled_chat

    chat_models = {k: v["litellm_provider"] for k, v in bundled_chat().items()}
    for key in list(chat_models)[::8]:
        provider = chat_models[key]
        model_id = key[len(provider) + 1 :] if key.startswith(provider + "/") else key
        queries.append({"fn": "params", "model": model_id, "provider": provider})
    # As a call asks for a Vertex AI model: provider ``vertex_ai`` (the map says
    # ``vertex_ai-language-models``, ``vertex_ai-anthropic_models``, ...), and unlisted names
    # of each model family.
    vertex = [k for k, p in chat_models.items() if p.startswith("vertex_ai")]
    unlisted = ["gemini-9-flash", "claude-new-9", "claude-3-5-haiku-x", "mistral-x", "llama-x"]
    for key in [*vertex[::3], *unlisted]:
        model_id = key.removeprefix("vertex_ai/")
        queries.append({"fn": "params", "model": model_id, "provider": "vertex_ai"})
    for model in [*sample[::3], *extra[:8]]:
        for usage in USAGES:
            queries.append({"fn": "cost", "model": model, "usage": usage})
    for model in TOKEN_MODELS:
        for text in TEXTS:
            queries.append({"fn": "tokens_text", "model": model, "text": text})
        for msgs in MESSAGES:
            queries.append({"fn": "tokens_messages", "model": model, "messages": msgs})
            queries.append({"fn": "tokens_tools", "model": model, "messages": msgs, "tools": TOOLS})
    for env_model in (
        "gpt-4o",
        "anthropic/claude-sonnet-4-5",
        "gemini/gemini-2.5-flash",
        "ollama/llama3",
        "azure/gpt-4o",
        "bedrock/anthropic.claude-3",
        "nosuch/x",
    ):
        queries.append({"fn": "environment", "model": env_model})
    return queries


def answer(lib: Any, q: dict[str, Any]) -> Any:
    """Run query ``q`` against ``lib`` (litellm or edgequake_litellm)."""
    try:
        fn = q["fn"]
        if fn == "flags":
            return {f: getattr(lib.utils, f)(q["model"]) for f in FLAGS}
        if fn == "info":
            info = lib.get_model_info(q["model"])
            return {k: info.get(k) for k in INFO_KEYS}
        if fn == "provider":
            return list(lib.get_llm_provider(q["model"])[:2])
        if fn == "params":
            return lib.get_supported_openai_params(q["model"], custom_llm_provider=q["provider"])
        if fn == "cost":
            usage = lib.Usage(**q["usage"])
            return lib.completion_cost(
                completion_response=lib.ModelResponse(model=q["model"], usage=usage),
                model=q["model"],
            )
        if fn == "tokens_text":
            return lib.token_counter(model=q["model"], text=q["text"])
        if fn == "tokens_messages":
            return lib.token_counter(model=q["model"], messages=q["messages"])
        if fn == "tokens_tools":
            return lib.token_counter(model=q["model"], messages=q["messages"], tools=q["tools"])
        if fn == "environment":
            return lib.validate_environment(q["model"])
    except Exception as e:  # the class is the answer
        return {"raises": type(e).__name__}
    raise ValueError(f"unknown query {q['fn']}")
