"""The ``vertex_ai/`` provider against the fake Vertex AI server and its token endpoint:
Gemini, Claude, partner models on the OpenAI-compatible endpoint (Llama, DeepSeek ``-maas``),
Mistral and text embeddings as a litellm user calls them, the credentials litellm
takes (path, JSON string, dict, env vars), the OAuth2 exchange (RS256 JWT checked against
the test's own throwaway key, cached, refreshed, once for concurrent callers) and refusals
before any I/O. No private key is committed: the service account is made per session."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import edgequake_litellm as litellm
from fakeprov.gemini import google_error
from fakeprov.openai import embedding_for
from fakeprov.vertex import REFRESH_TOKEN, FakeVertex

GEMINI = "vertex_ai/gemini-2.5-flash"
CLAUDE = "vertex_ai/claude-sonnet-4-5@20250929"
LLAMA = "vertex_ai/meta/llama-3.3-70b-instruct-maas"
DEEPSEEK = "vertex_ai/deepseek-ai/deepseek-r1-0528-maas"
MISTRAL = "vertex_ai/mistral-small-2503@001"
OPENAPI = "/v1/projects/fake-project/locations/us-central1/endpoints/openapi/chat/completions"
HELLO = [{"role": "user", "content": "hello there world"}]
ROOT = "/v1/projects/fake-project/locations/us-central1/publishers"
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


@pytest.fixture(scope="session")
def rsa_key() -> Any:
    """A throwaway RSA key for the test service account, made once per session."""
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def private_pem(rsa_key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    pem: bytes = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode()


@pytest.fixture
def vtx(rsa_key: Any) -> Iterator[FakeVertex]:
    """A fresh fake Vertex AI server knowing the test service account's public key."""
    with FakeVertex(rsa_key.public_key()) as server:
        yield server


@pytest.fixture
def creds(vtx: FakeVertex, private_pem: str) -> dict[str, str]:
    """The service account key file's content, its token_uri the fake's."""
    return {
        "type": "service_account",
        "project_id": vtx.project,
        "private_key_id": "0123456789abcdef",
        "private_key": private_pem,
        "client_email": vtx.client_email,
        "client_id": "1234567890",
        "token_uri": vtx.token_uri,
    }


@pytest.fixture(autouse=True)
def _no_vertex_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.setattr(litellm, "vertex_project", None)
    monkeypatch.setattr(litellm, "vertex_location", None)
    for var in (
        "VERTEXAI_CREDENTIALS",
        "VERTEXAI_PROJECT",
        "VERTEXAI_LOCATION",
        "VERTEX_LOCATION",
        "VERTEXAI_API_BASE",
        "VERTEX_API_BASE",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "CLOUDSDK_CONFIG",
    ):
        monkeypatch.delenv(var, raising=False)
    # No gcloud application-default credentials from the machine (conftest points
    # CLOUDSDK_CONFIG nowhere; here the other lookup, ~/.config/gcloud, finds nothing).
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))


def complete(vtx: FakeVertex, creds: Any, model: str = GEMINI, **kw: Any) -> Any:
    kw.setdefault("num_retries", 0)
    kw.setdefault("messages", HELLO)
    return litellm.completion(model=model, vertex_credentials=creds, api_base=vtx.url, **kw)


def text(stream: Any) -> str:
    return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)


# -- Gemini ------------------------------------------------------------------------------


def test_gemini_request_url_bearer_and_response(vtx: FakeVertex, creds: dict[str, str]) -> None:
    r = complete(vtx, creds, temperature=0.2, max_tokens=50)
    req = vtx.last
    assert req.path == f"{ROOT}/google/models/gemini-2.5-flash:generateContent"
    assert req.headers["authorization"] == "Bearer ya29.fake-1"
    assert "x-goog-api-key" not in req.headers
    assert req.json == {
        "contents": [{"role": "user", "parts": [{"text": "hello there world"}]}],
        "generationConfig": {"temperature": 0.2, "maxOutputTokens": 50},
    }
    assert r.choices[0].message.content == "echo: hello there world"
    assert r.choices[0].finish_reason == "stop"
    assert r.usage.prompt_tokens == 3
    assert r._hidden_params["custom_llm_provider"] == "vertex_ai"
    assert r._hidden_params["response_cost"] > 0
    assert vtx.exchanges == 1


def test_gemini_streams_sync_and_async(vtx: FakeVertex, creds: dict[str, str]) -> None:
    assert text(complete(vtx, creds, stream=True)) == "echo: hello there world"
    assert vtx.last.path.endswith(":streamGenerateContent?alt=sse")

    async def run() -> str:
        stream = await litellm.acompletion(
            model=GEMINI, messages=HELLO, vertex_credentials=creds, api_base=vtx.url, stream=True
        )
        return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    assert asyncio.run(run()) == "echo: hello there world"
    assert vtx.exchanges == 1, "the token is cached across sync and async calls"


def test_gemini_tools_round_trip_with_system_and_vision(
    vtx: FakeVertex, creds: dict[str, str]
) -> None:
    image = "data:image/png;base64,iVBORw0KGgo="
    messages: list[Any] = [
        {"role": "system", "content": "Be brief."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Weather where this is?"},
                {"type": "image_url", "image_url": {"url": image}},
            ],
        },
    ]
    r = complete(vtx, creds, messages=messages, tools=[WEATHER], tool_choice="required")
    sent = vtx.last.json
    assert sent["systemInstruction"] == {"parts": [{"text": "Be brief."}]}
    assert sent["contents"][0]["parts"][1] == {
        "inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}
    }
    call = r.choices[0].message.tool_calls[0]
    assert (call.function.name, json.loads(call.function.arguments)) == (
        "get_weather",
        {"city": "Paris"},
    )
    messages += [
        r.choices[0].message.model_dump(),
        {"role": "tool", "tool_call_id": call.id, "content": "sunny"},
    ]
    again = complete(vtx, creds, messages=messages, tools=[WEATHER])
    assert again.choices[0].message.content == "result: sunny"


# -- Claude ------------------------------------------------------------------------------


def test_claude_raw_predict_body_and_stream(vtx: FakeVertex, creds: dict[str, str]) -> None:
    r = complete(vtx, creds, model=CLAUDE, max_tokens=20)
    req = vtx.last
    assert req.path == f"{ROOT}/anthropic/models/claude-sonnet-4-5@20250929:rawPredict"
    assert req.headers["authorization"] == "Bearer ya29.fake-1"
    assert req.json["anthropic_version"] == "vertex-2023-10-16"
    assert "model" not in req.json and req.json["max_tokens"] == 20
    assert r.choices[0].message.content == "echo: hello there world"
    assert r._hidden_params["response_cost"] > 0

    assert text(complete(vtx, creds, model=CLAUDE, stream=True)) == "echo: hello there world"
    # Through an api_base, litellm asks for alt=sse on streams too.
    assert vtx.last.path.endswith(":streamRawPredict?alt=sse")
    assert vtx.last.json["stream"] is True


def test_claude_tools_round_trip(vtx: FakeVertex, creds: dict[str, str]) -> None:
    r = complete(vtx, creds, model=CLAUDE, tools=[WEATHER])
    call = r.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    messages = [
        *HELLO,
        r.choices[0].message.model_dump(),
        {"role": "tool", "tool_call_id": call.id, "content": "sunny"},
    ]
    again = complete(vtx, creds, model=CLAUDE, messages=messages, tools=[WEATHER])
    assert again.choices[0].message.content == "echo: sunny"


def test_claude_refuses_openai_only_params_before_io(
    vtx: FakeVertex, creds: dict[str, str]
) -> None:
    with pytest.raises(litellm.UnsupportedParamsError):
        complete(vtx, creds, model=CLAUDE, seed=3)
    assert vtx.requests == []


# -- partner models on the OpenAI-compatible endpoint ----------------------------------


@pytest.mark.parametrize("model", [LLAMA, DEEPSEEK])
def test_maas_openai_endpoint_url_body_and_bearer(
    vtx: FakeVertex, creds: dict[str, str], model: str
) -> None:
    r = complete(vtx, creds, model=model, max_completion_tokens=20, temperature=0.1)
    req = vtx.last
    assert req.path == OPENAPI
    assert req.headers["authorization"] == "Bearer ya29.fake-1"
    # The publisher-qualified id in the body; max_completion_tokens as max_tokens
    # (litellm's VertexAILlama3Config).
    assert req.json == {
        "model": model.removeprefix("vertex_ai/"),
        "messages": HELLO,
        "max_tokens": 20,
        "temperature": 0.1,
    }
    assert r.choices[0].message.content == "echo: hello there world"
    assert r.usage.prompt_tokens == 3
    assert r._hidden_params["custom_llm_provider"] == "vertex_ai"
    assert r._hidden_params["response_cost"] > 0


@pytest.mark.parametrize("model", [LLAMA, DEEPSEEK])
def test_maas_streams_sync_and_async(vtx: FakeVertex, creds: dict[str, str], model: str) -> None:
    assert text(complete(vtx, creds, model=model, stream=True)) == "echo: hello there world"
    assert vtx.last.path == OPENAPI and vtx.last.json["stream"] is True

    async def run() -> str:
        stream = await litellm.acompletion(
            model=model, messages=HELLO, vertex_credentials=creds, api_base=vtx.url, stream=True
        )
        return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    assert asyncio.run(run()) == "echo: hello there world"
    assert vtx.exchanges == 1


@pytest.mark.parametrize("model", [LLAMA, DEEPSEEK])
def test_maas_tools_round_trip(vtx: FakeVertex, creds: dict[str, str], model: str) -> None:
    r = complete(vtx, creds, model=model, tools=[WEATHER], tool_choice="required")
    assert vtx.last.json["tools"] == [WEATHER]
    call = r.choices[0].message.tool_calls[0]
    assert (call.function.name, json.loads(call.function.arguments)) == (
        "get_weather",
        {"city": "Paris"},
    )
    assert r.choices[0].finish_reason == "tool_calls"
    messages = [
        *HELLO,
        r.choices[0].message.model_dump(),
        {"role": "tool", "tool_call_id": call.id, "content": "sunny"},
    ]
    again = complete(vtx, creds, model=model, messages=messages, tools=[WEATHER])
    sent = vtx.last.json["messages"]
    assert sent[1]["tool_calls"][0]["id"] == call.id
    assert sent[2] == {"role": "tool", "tool_call_id": call.id, "content": "sunny"}
    assert again.choices[0].message.content == "echo: hello there world"
    streamed = complete(
        vtx, creds, model=model, stream=True, tools=[WEATHER], tool_choice="required"
    )
    args = "".join(
        c.choices[0].delta.tool_calls[0].function.arguments or ""
        for c in streamed
        if c.choices and c.choices[0].delta.tool_calls
    )
    assert json.loads(args) == {"city": "Paris"}


def test_maas_project_and_location_in_the_path(vtx: FakeVertex, creds: dict[str, str]) -> None:
    vtx.project, vtx.location = "other-project", "europe-west4"
    r = complete(
        vtx, creds, model=LLAMA, vertex_project="other-project", vertex_location="europe-west4"
    )
    assert vtx.last.path == (
        "/v1/projects/other-project/locations/europe-west4/endpoints/openapi/chat/completions"
    )
    assert r.choices[0].message.content == "echo: hello there world"
    # The credentials' project is not the endpoint's: Vertex refuses it.
    with pytest.raises(litellm.PermissionDeniedError) as e:
        complete(vtx, creds, model=LLAMA, vertex_location="europe-west4")
    assert e.value.status_code == 403 and e.value.llm_provider == "vertex_ai"


def test_maas_file_parts_are_sent_as_image_urls(vtx: FakeVertex, creds: dict[str, str]) -> None:
    pdf = "data:application/pdf;base64,JVBERi0xLjQK"
    content = [
        {"type": "text", "text": "summarise"},
        {"type": "file", "file": {"file_data": pdf}},
    ]
    complete(vtx, creds, model=LLAMA, messages=[{"role": "user", "content": content}])
    assert vtx.last.json["messages"][0]["content"] == [
        {"type": "text", "text": "summarise"},
        {"type": "image_url", "image_url": {"url": pdf}},
    ]


def test_maas_location_follows_the_models_supported_regions(
    vtx: FakeVertex, creds: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The map lists qwen3-235b in ["global", "us-south1"] (litellm's get_vertex_region).
    qwen = "vertex_ai/qwen/qwen3-235b-a22b-instruct-2507-maas"
    vtx.location = "global"
    complete(vtx, creds, model=qwen)
    assert vtx.last.path == OPENAPI.replace("us-central1", "global")
    assert vtx.last.json["model"] == "qwen/qwen3-235b-a22b-instruct-2507-maas"
    complete(vtx, creds, model=qwen, vertex_location="europe-west4")
    assert "/locations/global/" in vtx.last.path
    vtx.location = "us-south1"
    monkeypatch.setenv("VERTEXAI_LOCATION", "us-south1")
    complete(vtx, creds, model=qwen)
    assert "/locations/us-south1/" in vtx.last.path


def test_maas_with_a_bad_token_is_an_authentication_error(vtx: FakeVertex) -> None:
    with pytest.raises(litellm.AuthenticationError) as e:
        complete(vtx, None, model=LLAMA, api_key="ya29.unknown", vertex_project=vtx.project)
    assert e.value.status_code == 401 and "ya29.unknown" not in str(e.value)


# -- Mistral -----------------------------------------------------------------------------


def test_mistral_raw_predict_body_stream_and_tools(vtx: FakeVertex, creds: dict[str, str]) -> None:
    r = complete(vtx, creds, model=MISTRAL, seed=7, max_completion_tokens=30)
    req = vtx.last
    assert req.path == f"{ROOT}/mistralai/models/mistral-small-2503@001:rawPredict"
    assert req.headers["authorization"] == "Bearer ya29.fake-1"
    assert req.json == {
        "model": "mistral-small-2503",
        "messages": HELLO,
        "random_seed": 7,
        "max_tokens": 30,
    }
    assert r.choices[0].message.content == "echo: hello there world"
    assert r._hidden_params["response_cost"] > 0

    assert text(complete(vtx, creds, model=MISTRAL, stream=True)) == "echo: hello there world"
    assert vtx.last.path.endswith(":streamRawPredict?alt=sse")

    r = complete(vtx, creds, model=MISTRAL, tools=[WEATHER], tool_choice="required")
    assert vtx.last.json["tool_choice"] == "any"
    call = r.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    messages = [
        *HELLO,
        r.choices[0].message.model_dump(),
        {"role": "tool", "tool_call_id": call.id, "content": "sunny"},
    ]
    complete(vtx, creds, model=MISTRAL, messages=messages, tools=[WEATHER])
    sent = vtx.last.json["messages"]
    # Mistral's 9-character tool-call ids, the same on the call and its result.
    assert len(sent[1]["tool_calls"][0]["id"]) == 9
    assert sent[2]["tool_call_id"] == sent[1]["tool_calls"][0]["id"]


# -- embeddings --------------------------------------------------------------------------


def test_text_embeddings_through_predict(vtx: FakeVertex, creds: dict[str, str]) -> None:
    e = litellm.embedding(
        model="vertex_ai/text-embedding-005",
        input=["hello world", "bye"],
        dimensions=4,
        vertex_credentials=creds,
        api_base=vtx.url,
    )
    req = vtx.last
    assert req.path == f"{ROOT}/google/models/text-embedding-005:predict"
    assert req.json == {
        "instances": [{"content": "hello world"}, {"content": "bye"}],
        "parameters": {"outputDimensionality": 4},
    }
    assert [d["embedding"] for d in e.data] == [
        embedding_for("hello world")[:4],
        embedding_for("bye")[:4],
    ]
    assert (e.usage.prompt_tokens, e.model) == (3, "text-embedding-005")


# -- credentials -------------------------------------------------------------------------


def test_credentials_as_path_json_string_and_dict(
    vtx: FakeVertex, creds: dict[str, str], tmp_path: Path
) -> None:
    key_file = tmp_path / "sa.json"
    key_file.write_text(json.dumps(creds))
    for given in (str(key_file), json.dumps(creds), creds):
        assert complete(vtx, given).choices[0].message.content == "echo: hello there world"
    # The dict is sent as the same JSON text as the string: one cache entry for both.
    assert vtx.exchanges == 2


def test_credentials_and_project_from_the_environment(
    vtx: FakeVertex, creds: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "adc.json"
    key_file.write_text(json.dumps({**creds, "project_id": "other"}))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    monkeypatch.setenv("VERTEXAI_PROJECT", vtx.project)
    r = litellm.completion(model=GEMINI, messages=HELLO, api_base=vtx.url)
    assert r.choices[0].message.content.startswith("echo:")
    monkeypatch.setenv("VERTEXAI_CREDENTIALS", json.dumps(creds))
    monkeypatch.delenv("VERTEXAI_PROJECT")
    monkeypatch.setenv("VERTEXAI_API_BASE", vtx.url)
    litellm.completion(model=GEMINI, messages=HELLO)
    assert [r.path.split("/")[3] for r in vtx.api_requests] == [vtx.project] * 2


def test_project_and_location_by_argument_and_global(
    rsa_key: Any, private_pem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeVertex(rsa_key.public_key(), project="proj-b", location="europe-west4") as vtx:
        sa = {
            "type": "service_account",
            "project_id": "proj-a",
            "private_key": private_pem,
            "client_email": vtx.client_email,
            "token_uri": vtx.token_uri,
        }
        r = complete(vtx, sa, vertex_project="proj-b", vertex_location="europe-west4")
        assert r.choices[0].message.content.startswith("echo:")
        assert "/projects/proj-b/locations/europe-west4/" in vtx.last.path
        monkeypatch.setattr(litellm, "vertex_project", "proj-b")
        monkeypatch.setattr(litellm, "vertex_location", "europe-west4")
        complete(vtx, sa)
        # The credentials' project where the call names none: Vertex refuses it here.
        monkeypatch.setattr(litellm, "vertex_project", None)
        with pytest.raises(litellm.PermissionDeniedError) as ei:
            complete(vtx, sa)
        assert ei.value.status_code == 403 and ei.value.llm_provider == "vertex_ai"


def test_authorized_user_credentials_use_the_refresh_token(vtx: FakeVertex) -> None:
    user = {
        "type": "authorized_user",
        "client_id": "cid.apps.googleusercontent.com",
        "client_secret": "d-secret",
        "refresh_token": REFRESH_TOKEN,
        "quota_project_id": vtx.project,
        "token_uri": vtx.token_uri,
    }
    assert complete(vtx, user).choices[0].message.content.startswith("echo:")
    assert vtx.exchanges == 1
    assert f"refresh_token={REFRESH_TOKEN.replace('/', '%2F')}" in vtx.requests[0].body.decode()


def test_gclouds_application_default_credentials_file(
    vtx: FakeVertex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = {
        "type": "authorized_user",
        "client_id": "cid.apps.googleusercontent.com",
        "client_secret": "d-secret",
        "refresh_token": REFRESH_TOKEN,
        "quota_project_id": vtx.project,
        "token_uri": vtx.token_uri,
    }
    (tmp_path / "application_default_credentials.json").write_text(json.dumps(user))
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path))
    r = litellm.completion(model=GEMINI, messages=HELLO, api_base=vtx.url)
    assert r.choices[0].message.content.startswith("echo:") and vtx.exchanges == 1


def test_an_access_token_as_api_key(vtx: FakeVertex) -> None:
    vtx.tokens.add("ya29.given")
    r = litellm.completion(
        model=GEMINI,
        messages=HELLO,
        api_key="ya29.given",
        vertex_project=vtx.project,
        api_base=vtx.url,
    )
    assert r.choices[0].message.content.startswith("echo:")
    assert vtx.exchanges == 0 and vtx.last.headers["authorization"] == "Bearer ya29.given"


def test_litellm_api_key_is_not_sent_to_vertex(
    vtx: FakeVertex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(litellm, "api_key", "sk-openai-global")
    vtx.tokens.add("sk-openai-global")
    with pytest.raises(litellm.AuthenticationError, match="no Vertex AI credentials"):
        litellm.completion(model=GEMINI, messages=HELLO, api_base=vtx.url, vertex_project="p")
    assert vtx.requests == []


def test_missing_credentials_are_refused_before_io(vtx: FakeVertex, creds: dict[str, str]) -> None:
    with pytest.raises(litellm.AuthenticationError) as ei:
        litellm.completion(model=GEMINI, messages=HELLO, api_base=vtx.url)
    for option in ("vertex_credentials", "VERTEXAI_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS"):
        assert option in str(ei.value)
    assert ei.value.llm_provider == "vertex_ai"
    with pytest.raises(litellm.AuthenticationError, match="cannot read"):
        complete(vtx, "/nonexistent/sa.json")
    with pytest.raises(litellm.AuthenticationError, match="client_id"):
        complete(vtx, {"type": "authorized_user"})
    with pytest.raises(litellm.BadRequestError, match="vertex_location"):
        complete(vtx, creds, vertex_location="evil.example/")
    assert vtx.requests == []


def test_the_private_key_never_appears_in_errors(
    vtx: FakeVertex, creds: dict[str, str], private_pem: str
) -> None:
    key_body = private_pem.splitlines()[5]
    # The token endpoint refuses a JWT for another account: its text, never the key.
    with pytest.raises(litellm.AuthenticationError) as ei:
        complete(vtx, {**creds, "client_email": "intruder@x.iam.gserviceaccount.com"})
    e = ei.value
    assert "invalid_grant" in str(e) and vtx.token_uri in str(e)
    assert e.status_code == 400 and e.llm_provider == "vertex_ai"
    assert vtx.api_requests == []
    # Credentials whose JSON is broken (an unescaped newline inside the key).
    broken = json.dumps(creds).replace("\\n", "\n", 3)
    with pytest.raises(litellm.AuthenticationError) as bad:
        complete(vtx, broken)
    # A key that is not a key.
    with pytest.raises(litellm.AuthenticationError) as not_key:
        complete(vtx, {**creds, "private_key": private_pem.replace(key_body, "A" * len(key_body))})
    for err in (e, bad.value, not_key.value):
        for shown in (str(err), repr(err), str(err.body), str(err.args)):
            assert key_body not in shown and "PRIVATE KEY" not in shown


def test_a_jwt_signed_by_another_key_is_refused(vtx: FakeVertex, creds: dict[str, str]) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    with pytest.raises(litellm.AuthenticationError, match="Invalid JWT Signature"):
        complete(vtx, {**creds, "private_key": pem})
    assert vtx.exchanges == 0 and vtx.api_requests == []


def test_the_access_token_is_removed_from_provider_errors(
    vtx: FakeVertex, creds: dict[str, str]
) -> None:
    # A gateway echoing the credentials it was sent: the token never reaches the caller.
    echo = google_error(401, "token ya29.fake-1 has expired", "UNAUTHENTICATED")
    vtx.enqueue(echo, echo)
    for stream in (False, True):
        with pytest.raises(litellm.AuthenticationError) as ei:
            complete(vtx, creds, stream=stream)
        shown = f"{ei.value} {ei.value.body}"
        assert "ya29.fake-1" not in shown and "[REDACTED] has expired" in shown


# -- the token cache ---------------------------------------------------------------------


def test_one_exchange_for_many_calls_and_a_refresh_after_expiry(
    vtx: FakeVertex, creds: dict[str, str]
) -> None:
    for _ in range(3):
        complete(vtx, creds)
    assert vtx.exchanges == 1
    # Tokens are refreshed 225 s before they expire: one living 226 s is good for 1 s.
    vtx.expires_in = 226
    cred = {**creds, "client_id": "fresh-entry"}
    complete(vtx, cred)
    complete(vtx, cred)
    assert vtx.exchanges == 2
    time.sleep(1.2)
    complete(vtx, cred)
    assert vtx.exchanges == 3
    assert vtx.last.headers["authorization"] == "Bearer ya29.fake-3"


def test_concurrent_first_calls_exchange_once(vtx: FakeVertex, creds: dict[str, str]) -> None:
    vtx.exchange_delay = 0.3
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            complete(vtx, creds)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()

    async def run() -> list[Any]:
        return await asyncio.gather(
            *(
                litellm.acompletion(
                    model=GEMINI, messages=HELLO, vertex_credentials=creds, api_base=vtx.url
                )
                for _ in range(4)
            )
        )

    answers = asyncio.run(run())
    for t in threads:
        t.join()
    assert errors == [] and len(answers) == 4
    assert vtx.exchanges == 1
    assert len(vtx.api_requests) == 8


# -- model data --------------------------------------------------------------------------


def test_model_data_for_vertex_models() -> None:
    assert litellm.get_llm_provider(GEMINI)[:2] == ("gemini-2.5-flash", "vertex_ai")
    assert litellm.get_llm_provider(CLAUDE)[1] == "vertex_ai"
    assert litellm.get_llm_provider(LLAMA)[:2] == ("meta/llama-3.3-70b-instruct-maas", "vertex_ai")
    for model in (LLAMA, DEEPSEEK, "vertex_ai/openai/gpt-oss-120b-maas"):
        params = litellm.get_supported_openai_params(model)
        assert params is not None and {"tools", "max_completion_tokens"} <= set(params)
    gemini = litellm.get_supported_openai_params(
        "gemini-2.5-flash", custom_llm_provider="vertex_ai"
    )
    claude = litellm.get_supported_openai_params(
        "claude-sonnet-4-5@20250929", custom_llm_provider="vertex_ai"
    )
    assert gemini is not None and "top_k" in gemini and "reasoning_effort" in gemini
    assert claude is not None and "seed" not in claude and "thinking" in claude
    embeddings = litellm.get_supported_openai_params(
        "text-embedding-005", custom_llm_provider="vertex_ai", request_type="embeddings"
    )
    assert embeddings == ["dimensions"]
