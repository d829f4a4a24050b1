"""dspy's ``dspy.LM`` (litellm engine), unchanged, over this package (under the alias)."""

from __future__ import annotations

import dspy
from alias_plugin import chat_reply

from fakeprov.openai import FakeOpenAI


def _lm(srv: FakeOpenAI) -> dspy.LM:
    return dspy.LM("openai/gpt-4o-mini", api_base=srv.url, api_key="sk-fake", cache=False)


def test_lm_call(srv: FakeOpenAI) -> None:
    out = _lm(srv)("hello world")
    assert out == ["echo: hello world"]


def test_predict(srv: FakeOpenAI) -> None:
    srv.enqueue(chat_reply("[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]"))
    with dspy.context(lm=_lm(srv)):
        pred = dspy.Predict("question -> answer")(question="Capital of France?")
    assert pred.answer == "Paris"
    sent = srv.requests[-1].json["messages"]
    assert "Capital of France?" in sent[-1]["content"]


def test_chain_of_thought(srv: FakeOpenAI) -> None:
    srv.enqueue(
        chat_reply(
            "[[ ## reasoning ## ]]\nIt is well known.\n\n[[ ## answer ## ]]\nParis\n\n"
            "[[ ## completed ## ]]"
        )
    )
    with dspy.context(lm=_lm(srv)):
        pred = dspy.ChainOfThought("question -> answer")(question="Capital of France?")
    assert (pred.reasoning, pred.answer) == ("It is well known.", "Paris")


def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


class ToolUse(dspy.Signature):
    """Answer with tool calls."""

    question: str = dspy.InputField()
    tools: list[dspy.Tool] = dspy.InputField()
    outputs: dspy.ToolCalls = dspy.OutputField()


def test_native_tool_calls(srv: FakeOpenAI) -> None:
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
    }
    srv.enqueue(chat_reply(None, [call]))
    adapter = dspy.ChatAdapter(use_native_function_calling=True)
    with dspy.context(lm=_lm(srv), adapter=adapter):
        pred = dspy.Predict(ToolUse)(question="weather?", tools=[dspy.Tool(get_weather)])
    calls = pred.outputs.tool_calls
    assert [(c.name, c.args) for c in calls] == [("get_weather", {"city": "Paris"})]
    assert srv.requests[-1].json["tools"][0]["function"]["name"] == "get_weather"
    assert calls[0].execute() == "sunny in Paris"
