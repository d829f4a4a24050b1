"""The ``"otel"`` callback: spans recorded by opentelemetry-sdk's in-memory exporter.

Span name and GenAI semantic-convention attributes, the error status of a
failed call, and the parent span: the call's span is a child of the span
current where the call was made, sync, async and across a stream.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind, StatusCode

import edgequake_litellm as litellm
from common import MESSAGES
from edgequake_litellm.integrations.opentelemetry import OpenTelemetry
from edgequake_litellm.litellm_core_utils import litellm_logging
from fakeprov.openai import FakeOpenAI, openai_error

MODEL = "openai/gpt-4o-mini"


@pytest.fixture
def exporter(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """An ``OpenTelemetry`` callback on its own SDK provider, exporting in memory."""
    exp = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exp))
    monkeypatch.setattr(litellm, "callbacks", [OpenTelemetry(tracer_provider=provider)])
    yield exp
    assert litellm_logging.flush(10)


def _spans(exp: InMemorySpanExporter, tracer_prefix: str = "chat") -> list[ReadableSpan]:
    assert litellm_logging.flush(10)
    return [s for s in exp.get_finished_spans() if s.name.startswith(tracer_prefix)]


def test_chat_span_attributes(srv: FakeOpenAI, exporter: InMemorySpanExporter) -> None:
    r = litellm.completion(
        model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k", temperature=0.2,
        max_tokens=50,
    )  # fmt: skip
    (span,) = _spans(exporter)
    assert span.name == "chat gpt-4o-mini" and span.kind == SpanKind.CLIENT
    a: Any = span.attributes
    assert a["gen_ai.operation.name"] == "chat"
    assert a["gen_ai.provider.name"] == "openai"
    assert a["gen_ai.request.model"] == "gpt-4o-mini"
    assert a["gen_ai.response.model"] == r.model
    assert a["gen_ai.response.id"] == r.id
    assert a["gen_ai.request.temperature"] == 0.2 and a["gen_ai.request.max_tokens"] == 50
    assert a["gen_ai.usage.input_tokens"] == r.usage.prompt_tokens
    assert a["gen_ai.usage.output_tokens"] == r.usage.completion_tokens
    assert tuple(a["gen_ai.response.finish_reasons"]) == ("stop",)
    assert a["server.address"] == "127.0.0.1" and a["server.port"] == srv.port
    assert span.status.status_code == StatusCode.UNSET and "error.type" not in a
    assert span.start_time is not None and span.end_time is not None
    assert span.start_time < span.end_time


def test_error_status(srv: FakeOpenAI, exporter: InMemorySpanExporter) -> None:
    srv.enqueue(openai_error(429, "slow down", type="rate_limit_error"))
    with pytest.raises(litellm.RateLimitError):
        litellm.completion(
            model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k", num_retries=0
        )
    (span,) = _spans(exporter)
    assert span.status.status_code == StatusCode.ERROR
    assert "slow down" in (span.status.description or "")
    a: Any = span.attributes
    assert a["error.type"] == "RateLimitError" and "gen_ai.usage.input_tokens" not in a


def test_parent_span_sync_and_stream(srv: FakeOpenAI, exporter: InMemorySpanExporter) -> None:
    provider = litellm.callbacks[0]._provider
    tracer = provider.get_tracer("app")
    with tracer.start_as_current_span("agent step") as parent:
        litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
        for _ in litellm.completion(
            model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k", stream=True
        ):
            pass
    litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
    spans = _spans(exporter)
    assert len(spans) == 3
    ctx = parent.get_span_context()
    inside, outside = spans[:2], spans[2]
    for s in inside:
        assert s.parent is not None and s.parent.span_id == ctx.span_id
        assert s.context.trace_id == ctx.trace_id
    assert outside.parent is None and outside.context.trace_id != ctx.trace_id
    (agent,) = _spans(exporter, "agent")  # the tree: agent step → two chat spans
    assert agent.context.span_id == ctx.span_id


def test_parent_span_async(srv: FakeOpenAI, exporter: InMemorySpanExporter) -> None:
    tracer = litellm.callbacks[0]._provider.get_tracer("app")

    async def one(name: str) -> Any:
        with tracer.start_as_current_span(name) as parent:
            await litellm.acompletion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
            return parent.get_span_context()

    async def main() -> list[Any]:
        ctxs = await asyncio.gather(one("a"), one("b"))
        await asyncio.sleep(0.2)
        return list(ctxs)

    ctxs = asyncio.run(main())
    spans = _spans(exporter)
    assert len(spans) == 2
    assert {s.parent.span_id for s in spans if s.parent} == {c.span_id for c in ctxs}
    for s in spans:
        assert s.parent is not None
        assert s.context.trace_id == next(c.trace_id for c in ctxs if c.span_id == s.parent.span_id)


def test_embedding_span(srv: FakeOpenAI, exporter: InMemorySpanExporter) -> None:
    litellm.embedding(
        model="openai/text-embedding-3-small", input="a b", api_base=srv.url, api_key="k"
    )
    (span,) = _spans(exporter, "embeddings")
    a: Any = span.attributes
    assert span.name == "embeddings text-embedding-3-small"
    assert a["gen_ai.operation.name"] == "embeddings" and a["gen_ai.usage.input_tokens"] == 2


def test_otel_string_callback_uses_the_global_provider(
    srv: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opentelemetry import trace

    exp = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exp))
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: provider)
    monkeypatch.setattr(litellm, "success_callback", ["otel"])
    litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key="k")
    (span,) = _spans(exp)
    assert span.attributes is not None and span.attributes["gen_ai.request.model"] == "gpt-4o-mini"
