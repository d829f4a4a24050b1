"""google-adk's ``LiteLlm`` in an ``LlmAgent`` with one tool, unchanged, over this package."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from alias_plugin import chat_reply
from google.adk.agents import LlmAgent
from google.adk.agents.run_config import RunConfig, StreamingMode
from google.adk.models.lite_llm import LiteLlm
from google.adk.runners import InMemoryRunner
from google.genai import types

from fakeprov.openai import FakeOpenAI
from fakeprov.server import Reply

CALL = {
    "id": "call_1",
    "type": "function",
    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
}


def get_weather(city: str) -> dict[str, str]:
    """The weather in a city."""
    return {"report": f"sunny in {city}"}


def _run(srv: FakeOpenAI, streaming: bool) -> list[Any]:
    agent = LlmAgent(
        name="weather",
        model=LiteLlm(model="openai/gpt-4o-mini", api_base=srv.url, api_key="sk-fake"),
        instruction="Answer with the tool.",
        tools=[get_weather],
    )
    runner = InMemoryRunner(agent=agent, app_name="check")
    config = RunConfig(streaming_mode=StreamingMode.SSE if streaming else StreamingMode.NONE)

    async def go() -> list[Any]:
        session = await runner.session_service.create_session(app_name="check", user_id="u")
        message = types.Content(role="user", parts=[types.Part(text="weather?")])
        return [
            e
            async for e in runner.run_async(
                user_id="u", session_id=session.id, new_message=message, run_config=config
            )
        ]

    return asyncio.run(go())


def _check(srv: FakeOpenAI, events: list[Any]) -> None:
    calls = [c for e in events if not e.partial for c in e.get_function_calls()]
    responses = [r for e in events for r in e.get_function_responses()]
    assert [(c.name, c.args) for c in calls] == [("get_weather", {"city": "Paris"})]
    assert responses[0].response == {"report": "sunny in Paris"}
    final = [e for e in events if e.is_final_response()]
    assert final[-1].content.parts[0].text == "echo: weather?"
    first, second = srv.requests[0].json, srv.requests[1].json
    assert first["tools"][0]["function"]["name"] == "get_weather"
    tool_turn = [m for m in second["messages"] if m["role"] == "tool"]
    assert json.loads(tool_turn[0]["content"]) == {"report": "sunny in Paris"}


def test_agent_with_tool(srv: FakeOpenAI) -> None:
    srv.enqueue(chat_reply(None, [CALL]))
    _check(srv, _run(srv, streaming=False))


def test_agent_with_tool_sse(srv: FakeOpenAI) -> None:
    head = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-mini"}
    deltas: list[tuple[dict[str, Any], str | None]] = [
        ({"role": "assistant", "tool_calls": [{"index": 0, **CALL}]}, None),
        ({}, "tool_calls"),
    ]
    events: list[Any] = [
        {**head, "choices": [{"index": 0, "delta": d, "finish_reason": f}]} for d, f in deltas
    ]
    srv.enqueue(Reply(sse_events=[*events, "[DONE]"]))
    _check(srv, _run(srv, streaming=True))
    assert srv.requests[0].json["stream"] is True
