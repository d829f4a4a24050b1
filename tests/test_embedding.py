"""embedding / aembedding against the fake OpenAI server."""

from __future__ import annotations

import asyncio

import edgequake_litellm as litellm
from fakeprov.openai import FakeOpenAI, embedding_for


def test_embedding_batch(srv: FakeOpenAI) -> None:
    r = litellm.embedding(
        model="openai/text-embedding-3-small",
        input=["hello", "world"],
        api_base=srv.url,
        api_key="k",
        dimensions=8,
    )
    assert isinstance(r, litellm.EmbeddingResponse)
    assert [d.index for d in r.data] == [0, 1]
    assert r.data[0].embedding == embedding_for("hello")
    assert r["data"][1]["embedding"] == embedding_for("world")
    assert r.usage.prompt_tokens > 0 and r.object == "list"
    assert srv.last.path == "/v1/embeddings"
    assert srv.last.json == {
        "model": "text-embedding-3-small",
        "input": ["hello", "world"],
        "dimensions": 8,
    }


def test_aembedding_single_string(srv: FakeOpenAI) -> None:
    r = asyncio.run(
        litellm.aembedding(
            model="text-embedding-3-small", input="hi", api_base=srv.url, api_key="k"
        )
    )
    assert len(r.data) == 1 and r.data[0].embedding == embedding_for("hi")
    assert r._hidden_params["custom_llm_provider"] == "openai"
