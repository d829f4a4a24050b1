"""The Responses API bridged onto chat completions for providers without
``/responses`` (Anthropic, Gemini, Ollama, OpenAI-compatible servers without
it), against their fake servers: a tool-calling conversation through
``responses`` gives the same items as through ``completion``, in both
directions (input items → chat messages, chat answer → output items), streamed
and not."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import openai.types.responses as oai
import pytest

import edgequake_litellm as litellm
from edgequake_litellm.types.llms.openai import (
    OutputFunctionToolCall,
    ResponseOutputMessage,
    ResponseReasoningItem,
)
from fakeprov.anthropic import TOOL_INPUT, FakeAnthropic
from fakeprov.gemini import CALL_ARGS, FakeGemini
from fakeprov.ollama import FakeOllama
from fakeprov.openai import FakeOpenAI

RESP_TOOLS = [
    {
        "type": "function",
        "name": "get_weather",
        "description": "Weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    }
]
CHAT_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather in a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
]


@pytest.fixture
def anth() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as server:
        yield server


@pytest.fixture
def gem() -> Iterator[FakeGemini]:
    with FakeGemini() as server:
        yield server


def _conversation(model: str, base: str) -> None:
    """Turn 1 calls the tool, turn 2 answers with its output; the same
    conversation through ``completion`` must give the same content."""
    kw: dict[str, Any] = {"api_base": base, "api_key": "k", "num_retries": 0}
    first = litellm.responses(
        "weather in Paris?",
        model,
        instructions="Be brief.",
        tools=RESP_TOOLS,
        tool_choice="required",
        **kw,
    )
    chat_msgs: list[dict[str, Any]] = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "weather in Paris?"},
    ]
    chat = litellm.completion(model, chat_msgs, tools=CHAT_TOOLS, tool_choice="required", **kw)
    call = [i for i in first.output if isinstance(i, OutputFunctionToolCall)]
    chat_call = chat.choices[0].message.tool_calls
    assert chat_call is not None and len(call) == len(chat_call) == 1
    assert (call[0].name, json.loads(call[0].arguments)) == (
        chat_call[0].function.name,
        json.loads(chat_call[0].function.arguments),
    )
    # The provider numbers its ids; the same kind of id comes through both ways.
    assert call[0].call_id.split("_")[0] == chat_call[0].id.split("_")[0]
    assert ("__thought__" in call[0].call_id) == ("__thought__" in chat_call[0].id)
    assert first.usage is not None and first.usage.input_tokens == chat.usage.prompt_tokens
    assert first.usage.output_tokens == chat.usage.completion_tokens
    oai.Response.model_validate(first.model_dump())

    follow = [
        {"role": "user", "content": "weather in Paris?"},
        {
            "type": "function_call",
            "call_id": call[0].call_id,
            "name": call[0].name,
            "arguments": call[0].arguments,
        },
        {"type": "function_call_output", "call_id": call[0].call_id, "output": "sunny"},
    ]
    second = litellm.responses(follow, model, instructions="Be brief.", tools=RESP_TOOLS, **kw)
    chat_msgs += [
        chat.choices[0].message.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": chat_call[0].id, "content": "sunny"},
    ]
    chat2 = litellm.completion(model, chat_msgs, tools=CHAT_TOOLS, **kw)
    msg = second.output[-1]
    assert isinstance(msg, ResponseOutputMessage)
    assert second.output_text == chat2.choices[0].message.content
    assert second.output_text
    oai.Response.model_validate(second.model_dump())


def test_anthropic_tool_conversation_matches_chat(anth: FakeAnthropic) -> None:
    _conversation("anthropic/claude-sonnet-4-5", anth.url)
    # The bridged request became Anthropic's: system, tools, tool_result.
    body = anth.requests[2].json
    assert body["system"] == "Be brief." or body["system"][0]["text"] == "Be brief."
    assert body["tools"][0]["name"] == "get_weather"
    assert body["messages"][-1]["content"][0]["type"] == "tool_result"
    assert TOOL_INPUT == {"city": "Paris"}


def test_gemini_tool_conversation_matches_chat(gem: FakeGemini) -> None:
    _conversation("gemini/gemini-2.5-flash", gem.url)
    body = gem.requests[2].json
    parts = [p for c in body["contents"] for p in c["parts"]]
    assert any("functionResponse" in p for p in parts)
    assert CALL_ARGS == {"city": "Paris"}


def _events(stream: Any) -> list[Any]:
    return list(stream)


@pytest.mark.parametrize("provider", ["anthropic", "gemini"])
def test_bridged_stream_gives_the_same_items_as_the_whole_call(
    anth: FakeAnthropic, gem: FakeGemini, provider: str
) -> None:
    model, base = (
        ("anthropic/claude-sonnet-4-5", anth.url)
        if provider == "anthropic"
        else ("gemini/gemini-2.5-flash", gem.url)
    )
    kw: dict[str, Any] = {"api_base": base, "api_key": "k", "num_retries": 0}
    whole = litellm.responses("tell me a story", model, **kw)
    events = _events(litellm.responses("tell me a story", model, stream=True, **kw))
    kinds = [e.type for e in events]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert kinds[-1] == "response.completed"
    deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert deltas == whole.output_text == "echo: tell me a story"
    done = events[-1].response
    assert done.output_text == whole.output_text
    assert [i.type for i in done.output] == [i.type for i in whole.output]
    assert done.usage.output_tokens == whole.usage.output_tokens
    assert [e.sequence_number for e in events] == list(range(len(events)))
    oai.Response.model_validate(done.model_dump())

    calls = _events(
        litellm.responses(
            "weather?", model, tools=RESP_TOOLS, tool_choice="required", stream=True, **kw
        )
    )
    args = "".join(e.delta for e in calls if e.type == "response.function_call_arguments.delta")
    item = calls[-1].response.output[-1]
    assert isinstance(item, OutputFunctionToolCall) and json.loads(args) == {"city": "Paris"}
    assert item.arguments == args


def test_anthropic_thinking_becomes_a_reasoning_item(anth: FakeAnthropic) -> None:
    r = litellm.responses(
        "think first",
        "anthropic/claude-sonnet-4-5",
        reasoning={"effort": "low"},
        api_base=anth.url,
        api_key="k",
    )
    assert "thinking" in anth.last.json
    assert isinstance(r.output[0], ResponseReasoningItem) and r.output[0].summary[0].text
    assert r.output_text == "echo: think first"
    streamed = list(
        litellm.responses(
            "think first",
            "anthropic/claude-sonnet-4-5",
            reasoning={"effort": "low"},
            api_base=anth.url,
            api_key="k",
            stream=True,
        )
    )
    assert any(e.type == "response.reasoning_summary_text.delta" for e in streamed)
    assert [i.type for i in streamed[-1].response.output] == ["reasoning", "message"]


def test_ollama_and_openai_compatible_without_responses_are_bridged(srv: FakeOpenAI) -> None:
    with FakeOllama() as oll:
        r = asyncio.run(litellm.aresponses("hi", "ollama_chat/llama3.2", api_base=oll.url))
        assert oll.last.path == "/api/chat" and r.output_text.startswith("echo")
    d = litellm.responses(
        "hi",
        "deepseek/deepseek-chat",
        api_base=srv.url,
        api_key="k",
        max_output_tokens=20,
        text={"format": {"type": "json_object"}},
    )
    assert srv.last.path == "/v1/chat/completions"
    assert srv.last.json == {
        "model": "deepseek-chat",
        "messages": [{"role": "user", "content": "hi"}],
        "max_tokens": 20,
        "response_format": {"type": "json_object"},
    }
    assert d.output_text == "echo: hi" and d.id.startswith("resp_")


def test_bridge_refusals_before_io(anth: FakeAnthropic) -> None:
    kw: dict[str, Any] = {"api_base": anth.url, "api_key": "k"}
    with pytest.raises(litellm.BadRequestError, match="previous_response_id"):
        litellm.responses("x", "anthropic/claude-sonnet-4-5", previous_response_id="resp_1", **kw)
    with pytest.raises(litellm.BadRequestError, match="web_search"):
        litellm.responses("x", "anthropic/claude-sonnet-4-5", tools=[{"type": "web_search"}], **kw)
    assert anth.requests == []


def test_bridged_stream_fault_raises_after_the_events_before_it(anth: FakeAnthropic) -> None:
    from fakeprov.anthropic import sse_reply

    start = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 1},
    }
    anth.enqueue(
        sse_reply(
            [
                {"type": "message_start", "message": start},
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "text", "text": ""},
                },
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": "par"},
                },
                {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
            ]
        )
    )
    got: list[Any] = []
    with pytest.raises(litellm.InternalServerError):
        for ev in litellm.responses(
            "x",
            "anthropic/claude-sonnet-4-5",
            stream=True,
            api_base=anth.url,
            api_key="k",
            num_retries=0,
        ):
            got.append(ev)
    kinds = [e.type for e in got]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert "response.output_text.delta" in kinds and "response.completed" not in kinds
