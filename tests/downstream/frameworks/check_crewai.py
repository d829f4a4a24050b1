"""crewai's ``LLM(..., is_litellm=True)``, unchanged, over this package (under the alias)."""

from __future__ import annotations

import pytest
from alias_plugin import chat_reply
from crewai import LLM, Agent, Crew, Task

from fakeprov.openai import FakeOpenAI


def _llm(srv: FakeOpenAI, **kwargs: object) -> LLM:
    return LLM(
        model="openai/gpt-4o-mini", is_litellm=True, base_url=srv.url, api_key="sk-fake", **kwargs
    )


def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


def test_call(srv: FakeOpenAI) -> None:
    assert _llm(srv).call("hello world") == "echo: hello world"
    assert srv.requests[-1].json["model"] == "gpt-4o-mini"


def test_stream(srv: FakeOpenAI) -> None:
    assert _llm(srv, stream=True).call("one two three") == "echo: one two three"
    assert srv.requests[-1].json["stream"] is True


def test_tool_call_runs_the_function(srv: FakeOpenAI) -> None:
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
    }
    srv.enqueue(chat_reply(None, [call]))
    out = _llm(srv).call(
        "weather?", tools=[WEATHER_TOOL], available_functions={"get_weather": get_weather}
    )
    assert out == "sunny in Paris"
    assert srv.requests[0].json["tools"][0]["function"]["name"] == "get_weather"


def test_provider_error_is_not_retried_by_crewai(srv: FakeOpenAI) -> None:
    # crewai re-raises an exception whose class lives in litellm.* instead of wrapping it.
    import litellm

    from fakeprov.openai import openai_error

    srv.enqueue(openai_error(401, "bad key", "invalid_request_error", "invalid_api_key"))
    with pytest.raises(litellm.AuthenticationError):
        _llm(srv, max_retries=0).call("hi")


def test_one_agent_crew(srv: FakeOpenAI) -> None:
    srv.set_default(chat_reply("Thought: I now know the final answer\nFinal Answer: Paris"))
    agent = Agent(role="Geographer", goal="Answer", backstory="Knows capitals", llm=_llm(srv))
    task = Task(description="Capital of France?", expected_output="A city", agent=agent)
    result = Crew(agents=[agent], tasks=[task]).kickoff()
    assert result.raw == "Paris"
    assert "Capital of France?" in str(srv.requests[0].json["messages"])


@pytest.mark.skip(reason="issue 13: crewai counts tokens through litellm.callbacks")
def test_crew_token_usage() -> None:
    """Crew.usage_metrics comes from a litellm callback crewai registers."""
