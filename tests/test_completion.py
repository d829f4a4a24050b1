"""completion / acompletion against the fake OpenAI server: objects, parameters, configuration."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import openai
import pytest
from pydantic import BaseModel

import edgequake_litellm as litellm
from common import MESSAGES
from fakeprov.openai import TOOL_ARGUMENTS, TOOL_CALL_ID, FakeOpenAI

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
]


@pytest.mark.smoke
def test_completion_returns_litellm_shaped_objects(srv: FakeOpenAI) -> None:
    r = litellm.completion(model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k")
    assert isinstance(r, litellm.ModelResponse)
    assert r.choices[0].message.content == "echo: hello there world"
    assert r["choices"][0]["message"]["role"] == "assistant"
    assert r.get("usage").total_tokens == 7 == r.usage.prompt_tokens + r.usage.completion_tokens
    assert "usage" in r and "nonexistent" not in r
    assert r.choices[0].finish_reason == "stop"
    assert r.model == "gpt-4o" and r.id == "chatcmpl-fake-1" and r.object == "chat.completion"
    assert isinstance(r.json(), dict) and r.json()["choices"][0]["message"]["content"]
    assert r._hidden_params["custom_llm_provider"] == "openai"
    assert r._response_ms is not None and r._response_ms > 0
    # The dumped response is a valid OpenAI ChatCompletion.
    cc = openai.types.chat.ChatCompletion.model_validate(r.model_dump())
    assert cc.choices[0].message.content == "echo: hello there world"


def test_request_carries_model_messages_params_and_bearer_key(srv: FakeOpenAI) -> None:
    litellm.completion(
        model="openai/gpt-4o",
        messages=MESSAGES,
        api_base=srv.url,
        api_key="sk-test",
        temperature=0.2,
        top_p=0.9,
        max_tokens=5,
        max_completion_tokens=6,
        n=1,
        stop=["x"],
        presence_penalty=0.1,
        frequency_penalty=0.2,
        logit_bias={"1": 2},
        seed=7,
        user="u1",
        logprobs=True,
        top_logprobs=2,
        reasoning_effort="low",
        parallel_tool_calls=False,
        extra_headers={"X-Trace": "abc"},
        # litellm's table has no reasoning_effort for gpt-4o: the caller forces it through.
        allowed_openai_params=["reasoning_effort"],
    )
    req = srv.last
    assert req.method == "POST" and req.path == "/v1/chat/completions"
    assert req.headers["authorization"] == "Bearer sk-test"
    assert req.headers["x-trace"] == "abc"
    assert req.json == {
        "model": "gpt-4o",
        "messages": MESSAGES,
        "temperature": 0.2,
        "top_p": 0.9,
        "max_tokens": 5,
        "max_completion_tokens": 6,
        "n": 1,
        "stop": ["x"],
        "presence_penalty": 0.1,
        "frequency_penalty": 0.2,
        "logit_bias": {"1": 2},
        "seed": 7,
        "user": "u1",
        "logprobs": True,
        "top_logprobs": 2,
        "reasoning_effort": "low",
        "parallel_tool_calls": False,
    }


def test_unknown_kwargs_pass_through_and_litellm_internal_ones_do_not(srv: FakeOpenAI) -> None:
    litellm.completion(
        model="openai/gpt-4o",
        messages=MESSAGES,
        api_base=srv.url,
        api_key="k",
        top_k=3,
        metadata={"trace": 1},
        extra_body={"repetition_penalty": 1.1},
        num_retries=0,
        timeout=5,
    )
    body = srv.last.json
    assert body["top_k"] == 3 and body["repetition_penalty"] == 1.1
    assert "metadata" not in body and "num_retries" not in body and "timeout" not in body


@pytest.mark.smoke
def test_n_choices_and_tool_calls(srv: FakeOpenAI) -> None:
    r = litellm.completion(
        model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k", n=2
    )
    assert [c.index for c in r.choices] == [0, 1]
    r = litellm.completion(
        model="openai/gpt-4o",
        messages=MESSAGES,
        api_base=srv.url,
        api_key="k",
        tools=TOOLS,
        tool_choice="required",
    )
    msg = r.choices[0].message
    assert r.choices[0].finish_reason == "tool_calls"
    assert msg.tool_calls[0].id == TOOL_CALL_ID
    assert msg.tool_calls[0].function.name == "get_weather"
    assert msg.tool_calls[0].function.arguments == TOOL_ARGUMENTS
    assert srv.last.json["tools"] == TOOLS and srv.last.json["tool_choice"] == "required"
    # The message object goes straight back into the next request, as with litellm.
    history = [
        *MESSAGES,
        msg,
        {"role": "tool", "tool_call_id": msg.tool_calls[0].id, "content": "sunny"},
    ]
    litellm.completion(model="openai/gpt-4o", messages=history, api_base=srv.url, api_key="k")
    sent = srv.last.json["messages"]
    assert sent[1]["role"] == "assistant"
    assert sent[1]["tool_calls"][0]["function"]["arguments"] == TOOL_ARGUMENTS
    assert sent[2] == {"role": "tool", "tool_call_id": TOOL_CALL_ID, "content": "sunny"}


def test_response_format_pydantic_class_becomes_strict_json_schema(srv: FakeOpenAI) -> None:
    class Weather(BaseModel):
        city: str
        celsius: float

    litellm.completion(
        model="openai/gpt-4o",
        messages=MESSAGES,
        api_base=srv.url,
        api_key="k",
        response_format=Weather,
    )
    rf = srv.last.json["response_format"]
    assert rf["type"] == "json_schema"
    assert rf["json_schema"]["name"] == "Weather" and rf["json_schema"]["strict"] is True
    schema = rf["json_schema"]["schema"]
    assert schema["additionalProperties"] is False
    assert sorted(schema["required"]) == ["celsius", "city"]
    as_dict = {"type": "json_object"}
    litellm.completion(
        model="openai/gpt-4o",
        messages=MESSAGES,
        api_base=srv.url,
        api_key="k",
        response_format=as_dict,
    )
    assert srv.last.json["response_format"] == as_dict


def test_config_resolution_order(srv: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    # Env vars only.
    monkeypatch.setenv("OPENAI_API_KEY", "from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", srv.url)
    litellm.completion(model="gpt-4o-mini", messages=MESSAGES)
    assert srv.last.headers["authorization"] == "Bearer from-env"
    # Provider global beats env; litellm.api_key beats the provider global.
    monkeypatch.setattr(litellm, "openai_key", "from-openai-key")
    litellm.completion(model="gpt-4o-mini", messages=MESSAGES)
    assert srv.last.headers["authorization"] == "Bearer from-openai-key"
    monkeypatch.setattr(litellm, "api_key", "from-global")
    litellm.completion(model="gpt-4o-mini", messages=MESSAGES)
    assert srv.last.headers["authorization"] == "Bearer from-global"
    # Per-call beats everything; base_url is accepted as api_base's alias.
    with FakeOpenAI() as other:
        monkeypatch.setattr(litellm, "api_base", "http://127.0.0.1:9/v1")
        litellm.completion(
            model="gpt-4o-mini", messages=MESSAGES, api_key="per-call", base_url=other.url
        )
        assert other.last.headers["authorization"] == "Bearer per-call"


def test_provider_prefixes_and_custom_llm_provider(srv: FakeOpenAI) -> None:
    litellm.completion(
        model="openrouter/meta-llama/llama-3-8b", messages=MESSAGES, api_base=srv.url, api_key="k"
    )
    assert srv.last.json["model"] == "meta-llama/llama-3-8b"
    r = litellm.completion(
        model="tiny", custom_llm_provider="hosted_vllm", messages=MESSAGES, api_base=srv.url
    )
    assert srv.last.json["model"] == "tiny" and "authorization" not in srv.last.headers
    assert r._hidden_params["custom_llm_provider"] == "hosted_vllm"
    assert litellm.get_llm_provider("openrouter/openai/gpt-4o") == (
        "openai/gpt-4o",
        "openrouter",
        None,
        None,
    )
    assert litellm.get_llm_provider("gpt-4o")[:2] == ("gpt-4o", "openai")


@pytest.mark.smoke
def test_acompletion_matches_completion(srv: FakeOpenAI) -> None:
    async def run() -> list[litellm.ModelResponse]:
        calls = [
            litellm.acompletion(
                model="openai/gpt-4o",
                messages=[{"role": "user", "content": f"message {i}"}],
                api_base=srv.url,
                api_key="k",
            )
            for i in range(20)
        ]
        return await asyncio.gather(*calls)  # type: ignore[arg-type]

    results = asyncio.run(run())
    assert [r.choices[0].message.content for r in results] == [
        f"echo: message {i}" for i in range(20)
    ]


def test_connections_are_pooled_across_calls(srv: FakeOpenAI) -> None:
    for _ in range(50):
        litellm.completion(model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k")
    # hyper hands a connection back to the pool from its connection task, just after the
    # caller has the body; a call made at that instant may open another connection (once or
    # twice, more on a loaded machine), after which one is always idle. Without pooling: 50.
    assert srv.connections <= 5


def test_sys_modules_alias_serves_litellm_imports() -> None:
    code = (
        "import sys, edgequake_litellm\n"
        "sys.modules['litellm'] = edgequake_litellm\n"
        "import litellm\n"
        "from litellm.types.utils import ModelResponse, Message\n"
        "from litellm import completion, RateLimitError\n"
        "from litellm.exceptions import BadRequestError\n"
        "assert ModelResponse is edgequake_litellm.ModelResponse\n"
        "assert BadRequestError is edgequake_litellm.BadRequestError\n"
        "mods = sys.modules\n"
        "assert mods['litellm.types.utils'] is mods['edgequake_litellm.types.utils']\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_request_json_is_sent_once_and_compact(srv: FakeOpenAI) -> None:
    litellm.completion(model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k")
    raw = srv.last.body
    assert json.loads(raw)["messages"] == MESSAGES
    assert b", " not in raw and b": " not in raw
    assert srv.last.headers["content-type"] == "application/json"
