"""langchain-litellm's ``ChatLiteLLM``, unchanged, over this package (under the alias)."""

from __future__ import annotations

import asyncio

from alias_plugin import chat_reply
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langchain_litellm import ChatLiteLLM, ChatLiteLLMRouter
from pydantic import BaseModel

from fakeprov.openai import FakeOpenAI

MODEL = "openai/gpt-4o-mini"


def _llm(srv: FakeOpenAI, **kwargs: object) -> ChatLiteLLM:
    return ChatLiteLLM(model=MODEL, api_base=srv.url, api_key="sk-fake", **kwargs)


@tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


class Weather(BaseModel):
    city: str


def test_invoke(srv: FakeOpenAI) -> None:
    out = _llm(srv).invoke([HumanMessage("hello there")])
    assert isinstance(out, AIMessage)
    assert out.content == "echo: hello there"
    assert out.usage_metadata is not None
    assert out.usage_metadata["input_tokens"] == 2
    assert out.usage_metadata["output_tokens"] == 3
    assert srv.requests[-1].json["model"] == "gpt-4o-mini"


def test_stream(srv: FakeOpenAI) -> None:
    pieces = [c.content for c in _llm(srv).stream("one two three")]
    assert "".join(pieces) == "echo: one two three"
    assert len([p for p in pieces if p]) >= 3
    assert srv.requests[-1].json["stream"] is True


def test_ainvoke(srv: FakeOpenAI) -> None:
    out = asyncio.run(_llm(srv).ainvoke("async hello"))
    assert out.content == "echo: async hello"


def test_astream(srv: FakeOpenAI) -> None:
    async def collect() -> str:
        return "".join([str(c.content) async for c in _llm(srv).astream("a b")])

    assert asyncio.run(collect()) == "echo: a b"


def test_bind_tools(srv: FakeOpenAI) -> None:
    out = _llm(srv).bind_tools([get_weather], tool_choice="required").invoke("weather?")
    assert out.tool_calls == [
        {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_fake_1", "type": "tool_call"}
    ]
    sent = srv.requests[-1].json
    assert sent["tools"][0]["function"]["name"] == "get_weather"


def test_with_structured_output(srv: FakeOpenAI) -> None:
    srv.enqueue(chat_reply('{"city": "Paris"}'))
    out = _llm(srv).with_structured_output(Weather).invoke("where?")
    assert out == Weather(city="Paris")
    sent = srv.requests[-1].json
    assert sent["response_format"]["json_schema"]["schema"]["properties"] == {
        "city": {"type": "string"}
    }


def _router_llm(*servers: FakeOpenAI) -> ChatLiteLLMRouter:
    import litellm

    router = litellm.Router(
        model_list=[
            {
                "model_name": "gpt",
                "litellm_params": {"model": MODEL, "api_base": s.url, "api_key": "sk-fake"},
            }
            for s in servers
        ]
    )
    return ChatLiteLLMRouter(router=router)


def test_router_invoke_spreads_over_deployments() -> None:
    with FakeOpenAI() as a, FakeOpenAI() as b:
        llm = _router_llm(a, b)
        for _ in range(12):
            out = llm.invoke("hello router")
            assert isinstance(out, AIMessage) and out.content == "echo: hello router"
        assert out.usage_metadata is not None and out.usage_metadata["output_tokens"] == 3
        assert a.requests and b.requests
        assert len(a.requests) + len(b.requests) == 12


def test_router_stream_and_async() -> None:
    with FakeOpenAI() as a:
        llm = _router_llm(a)
        assert "".join(str(c.content) for c in llm.stream("one two")) == "echo: one two"
        assert asyncio.run(llm.ainvoke("async hi")).content == "echo: async hi"

        async def collect() -> str:
            return "".join([str(c.content) async for c in llm.astream("a b")])

        assert asyncio.run(collect()) == "echo: a b"
        assert a.requests[-1].json["stream"] is True
