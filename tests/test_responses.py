"""The Responses API (``responses``, ``aresponses``, ``get_responses``,
``delete_responses``) against the fake OpenAI server's ``/v1/responses``:
exact request bodies, typed output items and stream events, stored responses,
error mapping, and refusal before any I/O for providers with neither
``/responses`` nor chat (the bridge onto chat: ``test_responses_bridge.py``)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import openai.types.responses as oai
import pytest

import edgequake_litellm as litellm
from edgequake_litellm.types.llms.openai import (
    FunctionCallArgumentsDeltaEvent,
    OutputFunctionToolCall,
    OutputTextDeltaEvent,
    ResponseCompletedEvent,
    ResponseOutputMessage,
    ResponseReasoningItem,
    ResponsesAPIResponse,
    ResponsesAPIStreamEvents,
)
from fakeprov.openai import FakeOpenAI, openai_error
from fakeprov.responses import REASONING_SUMMARY, TOOL_ARGUMENTS
from fakeprov.server import Reply

TOOLS = [
    {
        "type": "function",
        "name": "get_weather",
        "description": "Weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    }
]


def opts(srv: FakeOpenAI, **kw: Any) -> dict[str, Any]:
    return {"api_base": srv.url, "api_key": "k", "num_retries": 0, **kw}


def test_plain_response_is_openais_response_object(srv: FakeOpenAI) -> None:
    r = litellm.responses(
        "hello there", "openai/gpt-4o", instructions="Be brief.", store=True, **opts(srv)
    )
    sent = srv.last
    assert (sent.method, sent.path) == ("POST", "/v1/responses")
    assert sent.headers["authorization"] == "Bearer k"
    assert sent.json == {
        "model": "gpt-4o",
        "input": "hello there",
        "instructions": "Be brief.",
        "store": True,
    }
    assert isinstance(r, ResponsesAPIResponse)
    assert r.output_text == "echo: hello there"
    assert r.status == "completed" and r.instructions == "Be brief."
    msg = r.output[0]
    assert isinstance(msg, ResponseOutputMessage)
    assert msg.role == "assistant" and msg.content[0].text == "echo: hello there"
    assert r["usage"]["input_tokens"] == 2 and r.usage is not None
    assert r.usage.total_tokens == r.usage.input_tokens + r.usage.output_tokens
    assert r._hidden_params["custom_llm_provider"] == "openai"
    assert r._response_ms is not None and r._response_ms > 0
    assert oai.Response.model_validate(r.model_dump()).output_text == r.output_text


def test_async_response_and_message_items(srv: FakeOpenAI) -> None:
    items = [
        {"role": "system", "content": "sys"},
        {"role": "user", "content": [{"type": "input_text", "text": "first"}]},
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": "second"},
    ]
    r = asyncio.run(litellm.aresponses(items, "gpt-4o", **opts(srv)))
    assert srv.last.json["input"] == items
    assert r.output_text == "echo: second"


def test_tool_call_then_tool_output_with_previous_response_id(srv: FakeOpenAI) -> None:
    first = litellm.responses(
        "weather in Paris?", "openai/gpt-4o", tools=TOOLS, tool_choice="required", **opts(srv)
    )
    assert srv.last.json["tools"] == TOOLS and srv.last.json["tool_choice"] == "required"
    call = first.output[0]
    assert isinstance(call, OutputFunctionToolCall)
    assert (call.name, call.arguments) == ("get_weather", TOOL_ARGUMENTS)
    assert json.loads(call.arguments) == {"city": "Paris"}
    assert first.output_text == ""
    oai.Response.model_validate(first.model_dump())
    follow = [{"type": "function_call_output", "call_id": call.call_id, "output": "sunny"}]
    second = litellm.responses(
        follow, "openai/gpt-4o", previous_response_id=first.id, tools=TOOLS, **opts(srv)
    )
    assert srv.last.json["previous_response_id"] == first.id
    assert srv.last.json["input"] == follow
    assert second.previous_response_id == first.id
    assert second.output_text == "echo:  (after: )"


def test_previous_response_id_chains_conversation_state(srv: FakeOpenAI) -> None:
    first = litellm.responses("one", "openai/gpt-4o", **opts(srv))
    second = litellm.responses("two", "openai/gpt-4o", previous_response_id=first.id, **opts(srv))
    assert second.output_text == "echo: two (after: echo: one)"
    with pytest.raises(litellm.NotFoundError) as e:
        litellm.responses("x", "openai/gpt-4o", previous_response_id="resp_nope", **opts(srv))
    assert e.value.status_code == 404 and "resp_nope" in str(e.value)


def test_reasoning_item(srv: FakeOpenAI) -> None:
    r = litellm.responses(
        "think", "openai/o4-mini", reasoning={"effort": "low", "summary": "auto"}, **opts(srv)
    )
    assert srv.last.json["reasoning"] == {"effort": "low", "summary": "auto"}
    item = r.output[0]
    assert isinstance(item, ResponseReasoningItem)
    assert item.summary[0].text == REASONING_SUMMARY
    assert r.reasoning == {"effort": "low", "summary": "auto"}
    oai.Response.model_validate(r.model_dump())


def test_stream_yields_typed_events_in_order(srv: FakeOpenAI) -> None:
    stream = litellm.responses("stream me please", "openai/gpt-4o", stream=True, **opts(srv))
    assert srv.last.json["stream"] is True
    events = list(stream)
    kinds = [e.type for e in events]
    assert kinds[:3] == ["response.created", "response.in_progress", "response.output_item.added"]
    assert kinds[-1] == ResponsesAPIStreamEvents.RESPONSE_COMPLETED
    deltas = [e for e in events if isinstance(e, OutputTextDeltaEvent)]
    assert "".join(d.delta for d in deltas) == "echo: stream me please"
    assert len(deltas) == 4
    done = events[-1]
    assert isinstance(done, ResponseCompletedEvent)
    assert stream.completed_response is done
    assert done.response.output_text == "echo: stream me please"
    assert done.response._hidden_params["custom_llm_provider"] == "openai"
    assert [e.sequence_number for e in events] == list(range(len(events)))
    oai.Response.model_validate(done.response.model_dump())


def test_async_stream_of_a_tool_call(srv: FakeOpenAI) -> None:
    async def run() -> list[Any]:
        stream = await litellm.aresponses(
            "weather?",
            "openai/gpt-4o",
            tools=TOOLS,
            tool_choice="required",
            stream=True,
            **opts(srv),
        )
        return [e async for e in stream]

    events = asyncio.run(run())
    args = [e.delta for e in events if isinstance(e, FunctionCallArgumentsDeltaEvent)]
    assert "".join(args) == TOOL_ARGUMENTS and len(args) == 2
    added = next(e for e in events if e.type == "response.output_item.added")
    assert isinstance(added.item, OutputFunctionToolCall) and added.item.name == "get_weather"
    assert events[-1].type == "response.completed"


def test_stream_error_event_raises_after_earlier_events(srv: FakeOpenAI) -> None:
    created = {
        "type": "response.created",
        "sequence_number": 0,
        "response": {
            "id": "resp_1",
            "object": "response",
            "created_at": 1,
            "model": "m",
            "output": [],
            "status": "in_progress",
        },
    }
    delta = {
        "type": "response.output_text.delta",
        "sequence_number": 1,
        "item_id": "msg_1",
        "output_index": 0,
        "content_index": 0,
        "delta": "par",
    }
    error = {
        "type": "error",
        "sequence_number": 2,
        "code": "context_length_exceeded",
        "message": "Your input exceeds the context window of this model.",
        "param": None,
    }
    srv.enqueue(Reply(sse_events=[created, delta, error]))
    got: list[Any] = []
    with pytest.raises(litellm.ContextWindowExceededError) as e:
        for ev in litellm.responses("x", "openai/gpt-4o", stream=True, **opts(srv)):
            got.append(ev)
    assert [g.type for g in got] == ["response.created", "response.output_text.delta"]
    assert "context window" in str(e.value)


def test_stream_cut_raises_connection_error_after_events(srv: FakeOpenAI) -> None:
    srv.enqueue(
        Reply(
            raw_sse=[
                b'data: {"type":"response.in_progress","sequence_number":0,'
                b'"response":{"id":"r","created_at":1,"output":[]}}\n\n',
                b'data: {"type":"response.output_text.delta"',
            ],
            cut_after=2,
        )
    )
    got: list[Any] = []
    with pytest.raises(litellm.APIConnectionError):
        for ev in litellm.responses("x", "openai/gpt-4o", stream=True, **opts(srv)):
            got.append(ev)
    assert [g.type for g in got] == ["response.in_progress"]


def test_get_and_delete_stored_responses(srv: FakeOpenAI) -> None:
    r = litellm.responses("keep me", "openai/gpt-4o", **opts(srv))
    got = litellm.get_responses(r.id, **opts(srv))
    assert (srv.last.method, srv.last.path, srv.last.body) == ("GET", f"/v1/responses/{r.id}", b"")
    assert got.id == r.id and got.output_text == "echo: keep me"
    got2 = asyncio.run(litellm.aget_responses(r.id, custom_llm_provider="openai", **opts(srv)))
    assert got2.model_dump() == got.model_dump()
    deleted = litellm.delete_responses(r.id, **opts(srv))
    assert srv.last.method == "DELETE"
    assert (deleted.id, deleted.deleted) == (r.id, True)
    with pytest.raises(litellm.NotFoundError):
        litellm.get_responses(r.id, **opts(srv))
    with pytest.raises(litellm.NotFoundError):
        asyncio.run(litellm.adelete_responses(r.id, **opts(srv)))
    unstored = litellm.responses("forget me", "openai/gpt-4o", store=False, **opts(srv))
    with pytest.raises(litellm.NotFoundError):
        litellm.get_responses(unstored.id, **opts(srv))


@pytest.mark.parametrize(
    ("reply", "exc"),
    [
        (
            openai_error(401, "Incorrect API key provided", code="invalid_api_key"),
            litellm.AuthenticationError,
        ),
        (
            openai_error(429, "Rate limit reached", "requests", headers={"retry-after": "0"}),
            litellm.RateLimitError,
        ),
        (
            openai_error(400, "too long", code="context_length_exceeded"),
            litellm.ContextWindowExceededError,
        ),
        (openai_error(500, "boom", "server_error"), litellm.InternalServerError),
    ],
)
def test_errors_map_as_for_chat(srv: FakeOpenAI, reply: Reply, exc: type[Exception]) -> None:
    srv.enqueue(reply)
    with pytest.raises(exc) as e:
        litellm.responses("x", "openai/gpt-4o", **opts(srv))
    assert e.value.llm_provider == "openai"  # type: ignore[attr-defined]
    assert e.value.model == "gpt-4o"  # type: ignore[attr-defined]


@pytest.mark.parametrize("model", ["cohere/rerank-english-v3.0", "jina_ai/jina-embeddings-v3"])
def test_providers_without_responses_or_chat_are_refused_before_io(
    srv: FakeOpenAI, model: str
) -> None:
    with pytest.raises(litellm.BadRequestError) as e:
        litellm.responses("x", model, **opts(srv))
    assert "responses" in str(e.value)
    assert srv.requests == []


def test_bad_arguments_raise_before_io(srv: FakeOpenAI) -> None:
    with pytest.raises(litellm.BadRequestError):
        litellm.responses(42, "openai/gpt-4o", **opts(srv))
    with pytest.raises(litellm.BadRequestError):
        litellm.get_responses("", **opts(srv))
    with pytest.raises(litellm.BadRequestError):
        litellm.get_responses("../admin", **opts(srv))
    assert srv.requests == []


@pytest.mark.parametrize(
    "model",
    [
        "xai/grok-4",
        "groq/openai/gpt-oss-20b",
        "openrouter/openai/gpt-4o",
        "lm_studio/qwen3",
        "hosted_vllm/qwen3",
    ],
)
def test_openai_compatible_providers_with_responses(srv: FakeOpenAI, model: str) -> None:
    r = litellm.responses("hi", model, **opts(srv))
    assert srv.last.path == "/v1/responses"
    assert srv.last.json["model"] == model.split("/", 1)[1]
    assert r.output_text == "echo: hi"
    assert r._hidden_params["custom_llm_provider"] == model.split("/", 1)[0]


def test_responses_is_the_function_even_after_importing_the_subpackage() -> None:
    import subprocess
    import sys

    code = (
        "import edgequake_litellm as l\n"
        "from edgequake_litellm.responses.main import responses\n"
        "assert l.responses is responses, l.responses\n"
        "from edgequake_litellm.responses.streaming_iterator import ResponsesAPIStreamingIterator\n"
        "assert callable(l.responses)\n"
        "import edgequake_litellm.types.llms.openai as t\n"
        "assert t.ResponsesAPIResponse is l.ResponsesAPIResponse\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
