"""The Responses API against llama.cpp's llama-server, which serves ``/v1/responses``
itself: a plain, a streamed and a tool-calling call, sent natively (``openai/``)
and, for comparison, bridged onto its chat completions (``deepseek/`` pointed at it)."""

from __future__ import annotations

import json
from typing import Any

import openai.types.responses as oai
import pytest

import edgequake_litellm as litellm
from edgequake_litellm.types.llms.openai import OutputFunctionToolCall, OutputTextDeltaEvent

pytestmark = pytest.mark.e2e

TOOLS = [
    {
        "type": "function",
        "name": "get_weather",
        "description": "w",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "enum": ["Paris", "Rome"]},
                "days": {"type": "integer"},
            },
            "required": ["city", "days"],
        },
    }
]
FORCE_TOOL = {"logit_bias": {"<tool_call>": 50}}


def opts(url: str, **kw: Any) -> dict[str, Any]:
    return {"api_base": url, "api_key": "k", "temperature": 0, "max_output_tokens": 12, **kw}


@pytest.mark.parametrize("model", ["openai/tiny", "deepseek/tiny"])
def test_plain_response(chat_url: str, model: str) -> None:
    r = litellm.responses("Say hi", model, instructions="be terse", **opts(chat_url))
    assert r.output_text
    assert r.usage is not None and r.usage.output_tokens > 0
    assert r._hidden_params["custom_llm_provider"] == model.split("/")[0]
    oai.Response.model_validate(r.model_dump())


@pytest.mark.parametrize("model", ["openai/tiny", "deepseek/tiny"])
def test_streamed_response(chat_url: str, model: str) -> None:
    events = list(litellm.responses("Say hi", model, stream=True, **opts(chat_url)))
    kinds = [str(getattr(e.type, "value", e.type)) for e in events]
    assert kinds[0] == "response.created" and kinds[-1] in (
        "response.completed",
        "response.incomplete",
    )
    text = "".join(e.delta for e in events if isinstance(e, OutputTextDeltaEvent))
    assert text and text == events[-1].response.output_text


@pytest.mark.parametrize("model", ["openai/tiny", "deepseek/tiny"])
def test_tool_calling_response(chat_url: str, model: str) -> None:
    r = litellm.responses(
        "Weather in Paris for 2 days?",
        model,
        tools=TOOLS,
        tool_choice="required",
        **opts(chat_url, max_output_tokens=64),
        **FORCE_TOOL,
    )
    calls = [i for i in r.output if isinstance(i, OutputFunctionToolCall)]
    assert calls and calls[0].name == "get_weather"
    args = json.loads(calls[0].arguments)
    assert args["city"] in ("Paris", "Rome")
    follow = [
        {"role": "user", "content": "Weather in Paris for 2 days?"},
        {
            "type": "function_call",
            "call_id": calls[0].call_id,
            "name": "get_weather",
            "arguments": calls[0].arguments,
        },
        {"type": "function_call_output", "call_id": calls[0].call_id, "output": "sunny, 21 C"},
    ]
    second = litellm.responses(follow, model, tools=TOOLS, **opts(chat_url))
    assert second.output
