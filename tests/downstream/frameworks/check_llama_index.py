"""llama-index-llms-litellm's ``LiteLLM``, unchanged, over this package (under the alias)."""

from __future__ import annotations

import asyncio

from llama_index.core.llms import ChatMessage
from llama_index.core.tools import FunctionTool
from llama_index.llms.litellm import LiteLLM

from fakeprov.openai import FakeOpenAI


def _llm(srv: FakeOpenAI) -> LiteLLM:
    return LiteLLM(model="openai/gpt-4o-mini", api_base=srv.url, api_key="sk-fake")


def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


def test_complete(srv: FakeOpenAI) -> None:
    assert _llm(srv).complete("hello world").text == "echo: hello world"


def test_chat(srv: FakeOpenAI) -> None:
    out = _llm(srv).chat([ChatMessage(role="user", content="hi there")])
    assert out.message.content == "echo: hi there"
    assert srv.requests[-1].json["messages"] == [{"role": "user", "content": "hi there"}]


def test_stream_chat(srv: FakeOpenAI) -> None:
    pieces = list(_llm(srv).stream_chat([ChatMessage(role="user", content="a b c")]))
    assert pieces[-1].message.content == "echo: a b c"
    assert len(pieces) >= 3


def test_achat(srv: FakeOpenAI) -> None:
    out = asyncio.run(_llm(srv).achat([ChatMessage(role="user", content="async")]))
    assert out.message.content == "echo: async"


def test_tools(srv: FakeOpenAI) -> None:
    tool = FunctionTool.from_defaults(fn=get_weather)
    llm = _llm(srv)
    resp = llm.chat_with_tools([tool], user_msg="weather?", tool_required=True)
    calls = llm.get_tool_calls_from_response(resp, error_on_no_tool_call=True)
    assert [(c.tool_name, c.tool_kwargs) for c in calls] == [("get_weather", {"city": "Paris"})]
    assert srv.requests[-1].json["tool_choice"] == "required"
