"""litellm and edgequake_litellm on Azure's legacy completions (``azure_text/``) and Azure
AI Foundry embeddings (``azure_ai/``), against the same fake Azure resource: the request each
sent (path with ``api-version``, auth header, JSON body) and what each returned.

Entra ID service-principal credentials are not compared: litellm exchanges them through
``azure-identity``, which is not installed in the dev environment (and whose authority
must be https)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

import litellm
import pytest

import edgequake_litellm
from fakeprov.azure import FakeAzure, FakeAzureAI

KEY = "azure-key"
Call = Callable[[ModuleType, FakeAzure], Any]


def _run(call: Call, server: Callable[[], FakeAzure]) -> list[tuple[Any, Any, Any]]:
    """``(path, JSON body, result)`` of the last request, for litellm then for us."""
    out = []
    for lib in (litellm, edgequake_litellm):
        with server() as srv, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = call(lib, srv)
            req = srv.requests[-1]
            auth = req.headers.get("api-key") or req.headers.get("authorization")
            out.append(((req.path, auth), req.json, result))
    return out


def _azure() -> FakeAzure:
    return FakeAzure(key=KEY)


def _kw(srv: FakeAzure) -> dict[str, Any]:
    return {"api_key": KEY, "api_base": srv.url, "api_version": "2024-10-21"}


@pytest.mark.parametrize("prompt", ["say hi", ["a", "b"]])
def test_text_completion(prompt: Any) -> None:
    def call(lib: ModuleType, srv: FakeAzure) -> Any:
        r = lib.text_completion(model="azure_text/instruct", prompt=prompt, **_kw(srv))
        return [(c.text, c.finish_reason) for c in r.choices], r.model, r.usage.total_tokens

    theirs, ours = _run(call, _azure)
    assert ours == theirs


@pytest.mark.parametrize(
    "messages",
    [
        [{"role": "user", "content": "hello"}],
        [
            {"role": "system", "content": "Be brief. "},
            {"role": "user", "content": [{"type": "text", "text": "hi"}]},
        ],
    ],
)
def test_chat_through_an_instruct_deployment(messages: list[dict[str, Any]]) -> None:
    def call(lib: ModuleType, srv: FakeAzure) -> Any:
        r = lib.completion(model="azure_text/instruct", messages=messages, **_kw(srv))
        c = r.choices[0]
        return c.message.role, c.message.content, c.finish_reason, r.model, r.usage.total_tokens

    theirs, ours = _run(call, _azure)
    assert ours == theirs


def test_chat_stream_through_an_instruct_deployment() -> None:
    def call(lib: ModuleType, srv: FakeAzure) -> Any:
        chunks = list(
            lib.completion(
                model="azure_text/instruct",
                messages=[{"role": "user", "content": "hello"}],
                stream=True,
                **_kw(srv),
            )
        )
        text = "".join(c.choices[0].delta.content or "" for c in chunks)
        finish = [c.choices[0].finish_reason for c in chunks if c.choices[0].finish_reason]
        return text, finish, {c.model for c in chunks}

    theirs, ours = _run(call, _azure)
    assert ours == theirs


def test_azure_ai_embeddings() -> None:
    def server() -> FakeAzure:
        return FakeAzureAI(key="ai-key", deployments={"embed-v-4-0": "embed-v-4-0"})

    def call(lib: ModuleType, srv: FakeAzure) -> Any:
        r = lib.embedding(
            model="azure_ai/embed-v-4-0", input=["one two", "three"], api_key="ai-key",
            api_base=f"{srv.url}/models",
        )  # fmt: skip
        return [len(d["embedding"]) for d in r.data], r.usage.prompt_tokens

    theirs, ours = _run(call, server)
    assert ours[0] == theirs[0]  # path and bearer key
    # litellm asks for base64 (the openai SDK's default; README divergence
    # azure_embedding_encoding); the rest of the body is the same.
    assert {k: v for k, v in theirs[1].items() if k != "encoding_format"} == ours[1]
    assert ours[2] == theirs[2]
