"""Azure OpenAI (``azure/<deployment>``) and Azure AI Foundry (``azure_ai/<model>``) against a
fake Azure resource: URLs, ``api-version``, ``api-key`` and Entra ID bearer auth, env vars,
chat / streams / tools / vision / embeddings through the OpenAI translation, content-filter
results, Azure's error bodies, model data for deployment names, and secrets kept out of errors."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import edgequake_litellm as litellm
from edgequake_litellm import _request
from edgequake_litellm.litellm_core_utils import litellm_logging
from fakeprov.azure import (
    ACCESS_DENIED,
    CLIENT_ID,
    CLIENT_SECRET,
    DEPLOYMENT_NOT_FOUND,
    OUTPUT_TRIGGER,
    PASSWORD,
    PROMPT_TRIGGER,
    SCOPE,
    TENANT,
    USERNAME,
    FakeAzure,
    FakeAzureAI,
)
from fakeprov.server import Reply

KEY = "azure-key"
TOKEN = "entra-token"
MSGS = [{"role": "user", "content": "hello there world"}]
DEFAULT_VERSION = "2025-02-01-preview"
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather of a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


@pytest.fixture
def az() -> Iterator[FakeAzure]:
    with FakeAzure(key=KEY, tokens=(TOKEN,)) as server:
        yield server


def call(az: FakeAzure, model: str = "azure/gpt-4o", messages: Any = MSGS, **kw: Any) -> Any:
    kw.setdefault("api_key", KEY)
    kw.setdefault("api_base", az.url)
    kw.setdefault("num_retries", 0)
    return litellm.completion(model=model, messages=messages, **kw)


def sent(az: FakeAzure) -> tuple[str, dict[str, list[str]]]:
    """The last request's path and query."""
    url = urlsplit(az.last.path)
    return url.path, parse_qs(url.query)


# -- chat ------------------------------------------------------------------------------


def test_chat_goes_to_the_deployment_with_the_api_key_header(az: FakeAzure) -> None:
    r = call(az, temperature=0.2)
    path, query = sent(az)
    assert path == "/openai/deployments/gpt-4o/chat/completions"
    assert query == {"api-version": [DEFAULT_VERSION]}
    assert az.last.headers["api-key"] == KEY
    assert "authorization" not in az.last.headers
    assert az.last.json == {"model": "gpt-4o", "messages": MSGS, "temperature": 0.2}
    assert r.choices[0].message.content == "echo: hello there world"
    assert r.choices[0].finish_reason == "stop"
    assert r.model == "gpt-4o-2024-08-06"
    # Azure's filter annotations, where litellm puts them.
    psf = r.choices[0].provider_specific_fields
    assert psf["content_filter_results"]["violence"] == {"filtered": False, "severity": "safe"}
    assert "content_filter_results" not in r.choices[0].model_dump()
    assert r.prompt_filter_results[0]["prompt_index"] == 0
    assert r._hidden_params["custom_llm_provider"] == "azure"
    # Priced as the model the deployment answered with (azure/gpt-4o-2024-08-06).
    assert r._hidden_params["response_cost"] == pytest.approx(
        litellm.completion_cost(r, model="azure/gpt-4o-2024-08-06")
    )
    assert r._hidden_params["response_cost"] > 0


def test_api_version_from_call_global_and_env(
    az: FakeAzure, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZURE_API_VERSION", "2024-06-01")
    call(az)
    assert sent(az)[1]["api-version"] == ["2024-06-01"]
    monkeypatch.setattr(litellm, "api_version", "2024-10-21")
    call(az)
    assert sent(az)[1]["api-version"] == ["2024-10-21"]
    call(az, api_version="2024-12-01-preview")
    assert sent(az)[1]["api-version"] == ["2024-12-01-preview"]
    assert "api_version" not in az.last.json


def test_the_default_api_version_is_litellms_module_constant(
    az: FakeAzure, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert litellm.AZURE_DEFAULT_API_VERSION == DEFAULT_VERSION  # litellm 1.110.2's
    monkeypatch.setattr(litellm, "AZURE_DEFAULT_API_VERSION", "2025-04-01-preview")
    call(az)
    assert sent(az)[1]["api-version"] == ["2025-04-01-preview"]
    litellm.embedding(model="azure/emb", input="a", api_key=KEY, api_base=az.url)
    assert sent(az)[1]["api-version"] == ["2025-04-01-preview"]
    # It is the last resort: the env var and the global come first.
    monkeypatch.setenv("AZURE_API_VERSION", "2024-06-01")
    call(az)
    assert sent(az)[1]["api-version"] == ["2024-06-01"]
    monkeypatch.setattr(litellm, "api_version", "2024-10-21")
    call(az)
    assert sent(az)[1]["api-version"] == ["2024-10-21"]
    # A default the resource does not serve reaches it (and is refused there).
    monkeypatch.setattr(litellm, "api_version", None)
    monkeypatch.delenv("AZURE_API_VERSION")
    monkeypatch.setattr(litellm, "AZURE_DEFAULT_API_VERSION", "2019-01-01")
    with pytest.raises(litellm.BadRequestError):
        call(az)
    assert sent(az)[1]["api-version"] == ["2019-01-01"]


def test_an_unsupported_api_version_is_azures_400(az: FakeAzure) -> None:
    with pytest.raises(litellm.BadRequestError) as ei:
        call(az, api_version="2019-01-01")
    e = ei.value
    assert (e.status_code, e.llm_provider, e.model) == (400, "azure", "gpt-4o")
    assert "API version not supported" in str(e)
    assert str(e).startswith("litellm.BadRequestError: BadRequestError: AzureException - ")


def test_a_base_naming_the_deployment_is_used_as_is(az: FakeAzure) -> None:
    call(az, api_base=f"{az.url}/openai/deployments/prod-chat")
    assert sent(az)[0] == "/openai/deployments/prod-chat/chat/completions"


def test_v1_api_versions_use_openai_paths_and_bearer_auth(az: FakeAzure) -> None:
    for version in ("v1", "latest", "preview"):
        r = call(az, model="azure/prod-chat", api_version=version)
        path, query = sent(az)
        assert (path, query) == ("/openai/v1/chat/completions", {}), version
        assert az.last.headers["authorization"] == f"Bearer {KEY}"
        assert "api-key" not in az.last.headers
        assert az.last.json["model"] == "prod-chat"
        assert r.model == "gpt-4o-mini-2024-07-18"


def test_system_and_vision_messages_pass_through(az: FakeAzure) -> None:
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    msgs = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": [{"type": "text", "text": "what is this"}, image]},
    ]
    r = call(az, messages=msgs)
    assert az.last.json["messages"] == msgs
    assert r.choices[0].message.content == "echo: what is this"


def test_json_schema_response_format_is_sent(az: FakeAzure) -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    call(az, response_format=fmt)
    assert az.last.json["response_format"] == fmt


def test_tools_and_a_tool_result_round_trip(az: FakeAzure) -> None:
    r = call(az, tools=[WEATHER], tool_choice="required")
    assert r.choices[0].finish_reason == "tool_calls"
    tc = r.choices[0].message.tool_calls[0]
    assert (tc.function.name, tc.function.arguments) == ("get_weather", '{"city": "Paris"}')
    msgs = [
        *MSGS,
        r.choices[0].message,
        {"role": "tool", "tool_call_id": tc.id, "content": "sunny"},
    ]
    r2 = call(az, messages=msgs, tools=[WEATHER])
    sent_msgs = az.last.json["messages"]
    assert sent_msgs[1]["tool_calls"][0]["id"] == tc.id
    assert sent_msgs[2] == {"role": "tool", "tool_call_id": tc.id, "content": "sunny"}
    assert r2.choices[0].message.content == "echo: hello there world"


def test_reasoning_deployments_take_max_completion_tokens(az: FakeAzure) -> None:
    az.deployments["o3-mini"] = "o3-mini-2025-01-31"
    call(az, model="azure/o3-mini", max_tokens=5)
    assert az.last.json["max_completion_tokens"] == 5 and "max_tokens" not in az.last.json
    # A deployment named otherwise, whose base_model is a reasoning model.
    call(az, model="azure/prod-chat", max_tokens=5, base_model="azure/o3-mini")
    assert az.last.json["max_completion_tokens"] == 5
    assert "base_model" not in az.last.json


# -- streams ---------------------------------------------------------------------------


def check_stream(chunks: list[Any]) -> None:
    assert chunks, "no chunks"
    assert all(c.choices for c in chunks)
    assert len({c.id for c in chunks}) == 1 and chunks[0].id.startswith("chatcmpl-")
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == "echo: hello there world"
    assert chunks[-1].choices[0].finish_reason == "stop"
    # litellm keeps each chunk's filter results on its choice; the opening
    # prompt-filter chunk (no choices, empty id) yields nothing.
    assert chunks[1].choices[0].content_filter_results["violence"]["severity"] == "safe"
    assert chunks[0].choices[0].delta.role == "assistant"
    # The model the deployment serves, as Azure's chunks (and litellm) name it.
    assert {c.model for c in chunks} == {"gpt-4o-2024-08-06"}


def test_stream_sync(az: FakeAzure) -> None:
    chunks = list(call(az, stream=True))
    check_stream(chunks)
    built = litellm.stream_chunk_builder(chunks, messages=MSGS)
    assert built is not None and built.model == "gpt-4o-2024-08-06"
    assert built._hidden_params["response_cost"] > 0
    assert az.last.json["stream"] is True
    assert sent(az)[0] == "/openai/deployments/gpt-4o/chat/completions"


def test_stream_async_with_usage_on_v1(az: FakeAzure) -> None:
    async def run() -> list[Any]:
        stream = await litellm.acompletion(
            model="azure/gpt-4o",
            messages=MSGS,
            api_key=KEY,
            api_base=az.url,
            api_version="v1",
            stream=True,
            stream_options={"include_usage": True},
        )
        return [c async for c in stream]

    chunks = asyncio.run(run())
    usage = chunks[-1].usage
    check_stream([c for c in chunks if c.choices[0].delta.content or c.choices[0].finish_reason])
    assert usage.prompt_tokens == 3 and usage.completion_tokens == 4
    assert sent(az)[0] == "/openai/v1/chat/completions"


def test_async_chat(az: FakeAzure) -> None:
    r = asyncio.run(
        litellm.acompletion(model="azure/gpt-4o", messages=MSGS, api_key=KEY, api_base=az.url)
    )
    assert r.choices[0].message.content == "echo: hello there world"


# -- embeddings ------------------------------------------------------------------------


def test_embeddings(az: FakeAzure) -> None:
    r = litellm.embedding(model="azure/emb", input=["a b", "c"], api_key=KEY, api_base=az.url)
    path, query = sent(az)
    assert path == "/openai/deployments/emb/embeddings"
    assert query == {"api-version": [DEFAULT_VERSION]}
    assert az.last.headers["api-key"] == KEY
    assert az.last.json["model"] == "emb"
    assert [d["index"] for d in r.data] == [0, 1] and len(r.data[0]["embedding"]) == 8
    litellm.embedding(model="azure/emb", input="a", api_key=KEY, api_base=az.url, api_version="v1")
    assert sent(az)[0] == "/openai/v1/embeddings"


# -- Entra ID tokens and credentials ---------------------------------------------------


def test_a_static_entra_token_is_sent_as_bearer(az: FakeAzure) -> None:
    r = call(az, api_key=None, azure_ad_token=TOKEN)
    assert az.last.headers["authorization"] == f"Bearer {TOKEN}"
    assert "api-key" not in az.last.headers
    assert "azure_ad_token" not in az.last.json
    assert r.choices[0].message.content
    call(az, azure_ad_token=TOKEN)  # with a key too: the token wins
    assert az.last.headers["authorization"] == f"Bearer {TOKEN}"
    assert "api-key" not in az.last.headers


def test_a_token_provider_is_called_per_call(az: FakeAzure) -> None:
    calls: list[int] = []

    def provider() -> str:
        calls.append(1)
        return TOKEN

    call(az, api_key=None, azure_ad_token_provider=provider)
    list(call(az, api_key=None, azure_ad_token_provider=provider, stream=True))
    assert len(calls) == 2
    assert az.last.headers["authorization"] == f"Bearer {TOKEN}"
    assert "azure_ad_token_provider" not in az.last.json


def test_a_failing_or_bad_token_provider_is_refused_before_io(az: FakeAzure) -> None:
    def broken() -> str:
        raise RuntimeError("no managed identity endpoint")

    with pytest.raises(litellm.AuthenticationError) as ei:
        call(az, api_key=None, azure_ad_token_provider=broken)
    assert "no managed identity endpoint" in str(ei.value)
    with pytest.raises(litellm.BadRequestError):
        call(az, api_key=None, azure_ad_token_provider=lambda: None)
    with pytest.raises(litellm.BadRequestError):
        call(az, api_key=None, azure_ad_token_provider="not callable")
    assert az.requests == []


def test_env_vars_and_globals(az: FakeAzure, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_API_BASE", az.url)
    monkeypatch.setenv("AZURE_API_KEY", KEY)
    litellm.completion(model="azure/gpt-4o", messages=MSGS, num_retries=0)
    assert az.last.headers["api-key"] == KEY
    monkeypatch.delenv("AZURE_API_KEY")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", KEY)
    litellm.completion(model="azure/gpt-4o", messages=MSGS, num_retries=0)
    assert az.last.headers["api-key"] == KEY
    monkeypatch.delenv("AZURE_OPENAI_API_KEY")
    monkeypatch.setattr(litellm, "azure_key", KEY)
    litellm.completion(model="azure/gpt-4o", messages=MSGS, num_retries=0)
    assert az.last.headers["api-key"] == KEY
    monkeypatch.setattr(litellm, "azure_key", None)
    monkeypatch.setenv("AZURE_AD_TOKEN", TOKEN)
    litellm.completion(model="azure/gpt-4o", messages=MSGS, num_retries=0)
    assert az.last.headers["authorization"] == f"Bearer {TOKEN}"
    assert len(az.requests) == 4


def test_missing_credentials_or_base_are_refused_before_io(az: FakeAzure) -> None:
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(az, api_key=None)
    assert (ei.value.llm_provider, ei.value.model) == ("azure", "gpt-4o")
    assert "azure_ad_token" in str(ei.value) and "AZURE_API_KEY" in str(ei.value)
    with pytest.raises(litellm.BadRequestError) as ei2:
        call(az, api_base=None)
    assert "AZURE_API_BASE" in str(ei2.value)
    with pytest.raises(litellm.AuthenticationError):
        litellm.embedding(model="azure/emb", input="a", api_base=az.url)
    assert az.requests == []


def test_secrets_never_reach_errors_or_reprs(az: FakeAzure) -> None:
    secret = "azure-secret-key-123"
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(az, api_key=secret)
    e = ei.value
    assert (e.status_code, e.llm_provider) == (401, "azure")
    assert ACCESS_DENIED[:40] in str(e)
    az.enqueue(Reply(status=401, body={"error": {"code": "401", "message": f"bad key {secret}"}}))
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(az, api_key=secret)
    for text in (str(ei.value), repr(ei.value), str(ei.value.body)):
        assert secret not in text
    token = "entra-secret-token-456"
    az.enqueue(Reply(status=401, body={"error": {"code": "401", "message": f"token {token}"}}))
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(az, api_key=None, azure_ad_token=token)
    assert token not in str(ei.value) and token not in str(ei.value.body)
    env_token = "entra-env-token-789"
    az.tokens = (env_token,)
    az.enqueue(Reply(status=401, body={"error": {"code": "401", "message": f"t {env_token}"}}))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AZURE_AD_TOKEN", env_token)
        with pytest.raises(litellm.AuthenticationError) as ei:
            call(az, api_key=None)
    assert az.last.headers["authorization"] == f"Bearer {env_token}"
    assert env_token not in str(ei.value) and env_token not in str(ei.value.body)
    native = _request.chat(
        "azure/gpt-4o", MSGS, {"api_key": secret, "azure_ad_token": token}, False
    )
    assert secret not in repr(native) and token not in repr(native)


# -- Entra ID service principals and users ---------------------------------------------

SP = {"tenant_id": TENANT, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}


@pytest.fixture
def entra(az: FakeAzure, monkeypatch: pytest.MonkeyPatch) -> FakeAzure:
    """The fake resource, also serving as Entra ID's authority (``AZURE_AUTHORITY_HOST``)."""
    monkeypatch.setenv("AZURE_AUTHORITY_HOST", az.url)
    return az


def test_service_principal_token_is_fetched_once_for_many_calls(entra: FakeAzure) -> None:
    r = call(entra, api_key=None, **SP)
    assert r.choices[0].message.content == "echo: hello there world"
    list(call(entra, api_key=None, stream=True, **SP))
    asyncio.run(
        litellm.acompletion(
            model="azure/gpt-4o", messages=MSGS, api_base=entra.url, num_retries=0, **SP
        )
    )
    litellm.embedding(model="azure/emb", input="a", api_base=entra.url, **SP)
    assert entra.exchanges == 1
    assert entra.token_forms[0] == {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scope": SCOPE,
    }
    token_request = entra.requests[0]
    assert token_request.path == f"/{TENANT}/oauth2/v2.0/token"
    assert len(entra.api_requests) == 4
    for req in entra.api_requests:
        assert req.headers["authorization"] == "Bearer eyJ0eXAiOiJKV1QifQ.fake-entra-1"
        assert "api-key" not in req.headers
        assert not {"tenant_id", "client_id", "client_secret"} & set(req.json)


def test_service_principal_from_env_vars_and_on_the_v1_api(
    entra: FakeAzure, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZURE_API_BASE", entra.url)
    monkeypatch.setenv("AZURE_TENANT_ID", TENANT)
    monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("AZURE_CLIENT_SECRET", CLIENT_SECRET)
    litellm.completion(model="azure/gpt-4o", messages=MSGS, num_retries=0)
    assert entra.last.headers["authorization"].startswith("Bearer eyJ0eXAi")
    litellm.completion(model="azure/gpt-4o", messages=MSGS, api_version="v1")
    assert urlsplit(entra.last.path).path == "/openai/v1/chat/completions"
    assert entra.last.headers["authorization"] == "Bearer eyJ0eXAiOiJKV1QifQ.fake-entra-1"
    assert entra.exchanges == 1
    # azure_scope / AZURE_SCOPE name another scope (a new token cache: another credential).
    monkeypatch.setenv("AZURE_SCOPE", f"{SCOPE} https://other/.default")
    litellm.completion(model="azure/gpt-4o", messages=MSGS)
    assert entra.token_forms[-1]["scope"] == f"{SCOPE} https://other/.default"


def test_concurrent_first_calls_exchange_once(entra: FakeAzure) -> None:
    entra.exchange_delay = 0.3
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            call(entra, api_key=None, **SP)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()

    async def run() -> list[Any]:
        return await asyncio.gather(
            *(
                litellm.acompletion(model="azure/gpt-4o", messages=MSGS, api_base=entra.url, **SP)
                for _ in range(4)
            )
        )

    answers = asyncio.run(run())
    for t in threads:
        t.join()
    assert errors == [] and len(answers) == 4
    assert entra.exchanges == 1
    assert len(entra.api_requests) == 8


def test_the_token_is_refreshed_before_it_expires(entra: FakeAzure) -> None:
    # Tokens are refreshed 300 s before they expire (azure-identity): 301 s is good for 1 s.
    entra.expires_in = 301
    call(entra, api_key=None, **SP)
    call(entra, api_key=None, **SP)
    assert entra.exchanges == 1
    time.sleep(1.2)
    call(entra, api_key=None, **SP)
    assert entra.exchanges == 2
    assert entra.last.headers["authorization"] == "Bearer eyJ0eXAiOiJKV1QifQ.fake-entra-2"


def test_a_refused_credential_is_an_authentication_error(entra: FakeAzure) -> None:
    wrong = "Qx8Q~wrong.secret~value-9876543210"
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(entra, api_key=None, **{**SP, "client_secret": wrong})
    e = ei.value
    assert (e.status_code, e.llm_provider, e.model) == (401, "azure", "gpt-4o")
    assert "Failed to get Azure AD token: AADSTS7000215: Invalid client secret provided." in str(e)
    for text in (str(e), repr(e), str(e.body), str(e.args)):
        assert wrong not in text and CLIENT_SECRET not in text
    # Ids in Entra's text are redacted, as litellm does.
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(entra, api_key=None, **{**SP, "tenant_id": "11111111-2222-3333-4444-555555555555"})
    assert "AADSTS90002: Tenant '<redacted>' not found." in str(ei.value)
    assert "11111111-2222" not in str(ei.value)
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(entra, api_key=None, **{**SP, "azure_scope": "https://cognitiveservices.azure.com"})
    assert "AADSTS1002012" in str(ei.value)
    assert entra.exchanges == 0 and entra.api_requests == []
    # A refusal is not cached: the right secret works next.
    call(entra, api_key=None, **SP)
    assert entra.exchanges == 1


def test_an_entra_outage_is_retried_within_the_calls_retries(entra: FakeAzure) -> None:
    entra.token_outages = 1
    r = call(entra, api_key=None, num_retries=1, **SP)
    assert r.choices[0].message.content and entra.exchanges == 1
    assert len([q for q in entra.requests if "/oauth2/" in q.path]) == 2
    entra.token_outages = 5
    with pytest.raises(litellm.ServiceUnavailableError) as ei:
        call(entra, api_key=None, num_retries=0, **{**SP, "azure_scope": f"{SCOPE} x"})
    assert ei.value.status_code == 503 and "temporarily unavailable" in str(ei.value)


def test_bad_entra_settings_are_refused_before_io(
    entra: FakeAzure, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(entra, api_key=None, **{**SP, "tenant_id": "../evil"})
    assert "tenant_id" in str(ei.value)
    monkeypatch.setenv("AZURE_AUTHORITY_HOST", "http://login.example.com")
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(entra, api_key=None, **SP)
    assert "https" in str(ei.value)
    # Part of a service principal is no credential at all.
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(entra, api_key=None, tenant_id=TENANT, client_id=CLIENT_ID)
    assert "client_secret" in str(ei.value)
    assert entra.requests == []


def test_keys_and_tokens_win_over_entra_credentials(
    entra: FakeAzure, monkeypatch: pytest.MonkeyPatch
) -> None:
    # litellm builds the Entra ID token provider only without an api_key, and the openai
    # SDK sends a static azure_ad_token before asking a provider.
    call(entra, **SP)
    assert entra.last.headers["api-key"] == KEY
    call(entra, api_key=None, azure_ad_token=TOKEN, **SP)
    assert entra.last.headers["authorization"] == f"Bearer {TOKEN}"
    call(entra, api_key=None, azure_ad_token_provider=lambda: TOKEN, **SP)
    assert entra.last.headers["authorization"] == f"Bearer {TOKEN}"
    monkeypatch.setenv("AZURE_API_KEY", KEY)
    call(entra, api_key=None, **SP)
    assert entra.last.headers["api-key"] == KEY
    monkeypatch.delenv("AZURE_API_KEY")
    monkeypatch.setenv("AZURE_AD_TOKEN", TOKEN)
    call(entra, api_key=None, **SP)
    assert entra.last.headers["authorization"] == f"Bearer {TOKEN}"
    assert entra.exchanges == 0
    monkeypatch.delenv("AZURE_AD_TOKEN")
    call(entra, api_key=None, **SP)
    assert entra.exchanges == 1


def test_a_users_password_grant(entra: FakeAzure) -> None:
    user = {"client_id": CLIENT_ID, "azure_username": USERNAME, "azure_password": PASSWORD}
    call(entra, api_key=None, **user)
    call(entra, api_key=None, **user)
    assert entra.exchanges == 1
    assert entra.requests[0].path == "/organizations/oauth2/v2.0/token"
    form = entra.token_forms[0]
    assert (form["grant_type"], form["username"], form["password"]) == (
        "password",
        USERNAME,
        PASSWORD,
    )
    assert SCOPE in form["scope"].split(" ")
    assert entra.last.headers["authorization"] == "Bearer eyJ0eXAiOiJKV1QifQ.fake-entra-1"
    wrong = "wrong horse battery staple"
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(entra, api_key=None, **{**user, "azure_password": wrong})
    assert "AADSTS50126: Error validating credentials" in str(ei.value)
    assert wrong not in str(ei.value) and wrong not in repr(ei.value)
    # A service principal comes first when both are given (litellm's order).
    call(entra, api_key=None, **user, tenant_id=TENANT, client_secret=CLIENT_SECRET)
    assert entra.token_forms[-1]["grant_type"] == "client_credentials"


def test_entra_secrets_never_reach_errors_reprs_or_callbacks(
    entra: FakeAzure, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(litellm, "success_callback", [lambda kw, *_: seen.append(kw)])
    monkeypatch.setattr(litellm, "failure_callback", [lambda kw, *_: seen.append(kw)])
    call(entra, api_key=None, **SP, azure_password=PASSWORD)
    # An API error echoing the secret, the password and the ids.
    echo = f"bad {CLIENT_SECRET} {PASSWORD} tenant {TENANT} app {CLIENT_ID}"
    entra.enqueue(Reply(status=401, body={"error": {"code": "401", "message": echo}}))
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(entra, api_key=None, **SP, azure_password=PASSWORD)
    e = ei.value
    for text in (str(e), repr(e), str(e.body), str(e.args)):
        assert CLIENT_SECRET not in text and PASSWORD not in text
    # The tenant and client ids are not secrets: they stay for debugging.
    assert TENANT in str(e) and CLIENT_ID in str(e)
    assert litellm_logging.flush(10)
    assert len(seen) == 2
    for kw in seen:
        assert CLIENT_SECRET not in repr(kw) and PASSWORD not in repr(kw)
    native = _request.chat("azure/gpt-4o", MSGS, {**SP, "azure_password": PASSWORD}, False)
    assert CLIENT_SECRET not in repr(native) and PASSWORD not in repr(native)


# -- azure_text/: the legacy completions API -------------------------------------------


def test_text_completion_goes_to_the_deployments_completions(az: FakeAzure) -> None:
    r = litellm.text_completion("azure_text/instruct", "say hi", api_key=KEY, api_base=az.url)
    path, query = sent(az)
    assert path == "/openai/deployments/instruct/completions"
    assert query == {"api-version": [DEFAULT_VERSION]}
    assert az.last.headers["api-key"] == KEY
    assert az.last.json == {"model": "instruct", "prompt": "say hi"}
    assert r.object == "text_completion" and r.choices[0].text == " echo: say hi"
    assert r.model == "gpt-35-turbo-instruct"
    assert r._hidden_params["custom_llm_provider"] == "azure_text"
    many = asyncio.run(
        litellm.atext_completion(
            "azure_text/instruct", ["a", "b"], api_key=KEY, api_base=az.url, max_tokens=4
        )
    )
    # litellm makes each prompt a user turn and azure_text_pt joins them: one prompt.
    assert [c.text for c in many.choices] == [" echo: ab"]
    assert az.last.json == {"model": "instruct", "prompt": "ab", "max_tokens": 4}


def test_chat_through_an_instruct_deployment(
    entra: FakeAzure, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = call(entra, model="azure_text/instruct", temperature=0)
    assert urlsplit(entra.last.path).path == "/openai/deployments/instruct/completions"
    assert entra.last.json == {"model": "instruct", "prompt": MSGS[0]["content"], "temperature": 0}
    assert r.object == "chat.completion"
    assert r.choices[0].message.role == "assistant"
    assert r.choices[0].message.content == " echo: hello there world"
    assert r.choices[0].finish_reason == "stop"
    assert (
        r.choices[0].provider_specific_fields["content_filter_results"]["hate"]["filtered"] is False
    )
    assert r.usage.total_tokens == 2 * 3 + 1
    assert r._hidden_params["custom_llm_provider"] == "azure_text"
    # litellm's azure_text_pt: the messages' texts (strings, text parts) joined, roles dropped.
    two = [
        {"role": "system", "content": "Be brief. "},
        {
            "role": "user",
            "content": [{"type": "text", "text": "hi"}, {"type": "text", "text": "!"}],
        },
    ]
    r = call(entra, model="azure_text/instruct", messages=two)
    assert entra.last.json["prompt"] == "Be brief. hi!"
    assert [c.message.content for c in r.choices] == [" echo: Be brief. hi!"]
    # Streams: the prompt-filter chunk yields nothing; each chunk's text is its delta.
    chunks = list(call(entra, model="azure_text/instruct", stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == " echo: hello there world"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert entra.last.json["stream"] is True
    # text_completion(stream=True) goes the same way and yields text chunks.
    stream = litellm.text_completion(
        "azure_text/instruct", "say hi", stream=True, api_key=KEY, api_base=entra.url
    )
    assert "".join(c.choices[0].text for c in stream) == " echo: say hi"
    # Entra ID credentials and the default api-version hold as for azure/.
    monkeypatch.setattr(litellm, "AZURE_DEFAULT_API_VERSION", "2024-10-21")
    call(entra, model="azure_text/instruct", api_key=None, **SP)
    assert entra.last.headers["authorization"].startswith("Bearer eyJ0eXAi")
    assert sent(entra)[1]["api-version"] == ["2024-10-21"]
    # Parameters are held to litellm's azure_text table before any I/O.
    before = len(entra.requests)
    with pytest.raises(litellm.UnsupportedParamsError):
        call(entra, model="azure_text/instruct", max_completion_tokens=3)
    assert len(entra.requests) == before


def test_azure_text_errors_map_as_azures(az: FakeAzure) -> None:
    with pytest.raises(litellm.AuthenticationError) as ei:
        litellm.text_completion("azure_text/instruct", "x", api_key="wrong", api_base=az.url)
    assert (ei.value.status_code, ei.value.llm_provider) == (401, "azure_text")
    with pytest.raises(litellm.NotFoundError):
        call(az, model="azure_text/nope")
    with pytest.raises(litellm.AuthenticationError):
        litellm.text_completion("azure_text/instruct", "x", api_base=az.url)
    assert litellm.get_llm_provider("azure_text/instruct")[1] == "azure_text"


# -- Azure's errors and content filter -------------------------------------------------


def test_content_filter_error_is_a_content_policy_violation(az: FakeAzure) -> None:
    msgs = [{"role": "user", "content": f"{PROMPT_TRIGGER} please"}]
    with pytest.raises(litellm.ContentPolicyViolationError) as ei:
        call(az, messages=msgs)
    e = ei.value
    assert (e.status_code, e.llm_provider, e.model) == (400, "azure", "gpt-4o")
    assert "content management policy" in str(e)
    inner = e.provider_specific_fields["innererror"]
    assert inner["code"] == "ResponsibleAIPolicyViolation"
    assert inner["content_filter_result"]["violence"]["filtered"] is True
    assert e.provider_specific_fields["azure_error"]["code"] == "content_filter"


def test_filtered_output_has_finish_reason_content_filter(az: FakeAzure) -> None:
    r = call(az, messages=[{"role": "user", "content": OUTPUT_TRIGGER}])
    choice = r.choices[0]
    assert choice.finish_reason == "content_filter"
    assert choice.message.content is None
    assert choice.provider_specific_fields["content_filter_results"]["violence"]["filtered"]


def test_unknown_deployment_is_not_found(az: FakeAzure) -> None:
    with pytest.raises(litellm.NotFoundError) as ei:
        call(az, model="azure/nosuch")
    assert ei.value.status_code == 404 and DEPLOYMENT_NOT_FOUND[:30] in str(ei.value)
    with pytest.raises(litellm.NotFoundError):
        call(az, model="azure/nosuch", api_version="v1")


def test_429_retry_after_is_honoured(az: FakeAzure) -> None:
    limited = Reply(
        status=429,
        body={"error": {"code": "429", "message": "Requests have exceeded the rate limit."}},
        headers={"retry-after": "0.2"},
    )
    az.enqueue(limited)
    r = call(az, num_retries=1)
    assert r.choices[0].message.content and len(az.requests) == 2
    az.enqueue(limited)
    with pytest.raises(litellm.RateLimitError) as ei:
        call(az)
    assert ei.value.retry_after == 0.2 and ei.value.status_code == 429


def test_deployment_names_are_checked_before_io(az: FakeAzure) -> None:
    with pytest.raises(litellm.BadRequestError):
        call(az, model="azure/a b")
    assert az.requests == []


# -- model data ------------------------------------------------------------------------


def test_model_data_for_deployments(az: FakeAzure) -> None:
    assert litellm.get_llm_provider("azure/gpt-4o")[:2] == ("gpt-4o", "azure")
    params = litellm.get_supported_openai_params("gpt-4o", custom_llm_provider="azure")
    assert params is not None and "tools" in params and "response_format" in params
    # A deployment whose name is no model: priced by the model it answered with.
    r = call(az, model="azure/prod-chat")
    assert r._hidden_params["response_cost"] == pytest.approx(
        litellm.completion_cost(r, model="azure/gpt-4o-mini-2024-07-18")
    )
    # base_model (kwarg or model_info) wins, as in litellm.
    r = call(az, model="azure/prod-chat", base_model="azure/gpt-4o")
    assert r._hidden_params["response_cost"] == pytest.approx(
        litellm.completion_cost(r, model="azure/gpt-4o")
    )
    r2 = call(az, model="azure/prod-chat", model_info={"base_model": "azure/gpt-4o"})
    assert r2._hidden_params["response_cost"] == r._hidden_params["response_cost"]
    # Nothing known at all: no cost, no exception.
    az.deployments["mystery"] = "mystery-model-1"
    r = call(az, model="azure/mystery")
    assert r._hidden_params["response_cost"] is None


# -- Azure AI Foundry -------------------------------------------------------------------


def test_azure_ai_chat_stream_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeAzureAI(key="ai-key", deployments={"mistral-large-2411": "mistral-large-2411"}) as s:
        r = litellm.completion(
            model="azure_ai/mistral-large-2411",
            messages=MSGS,
            api_key="ai-key",
            api_base=s.url,
            num_retries=0,
        )
        assert urlsplit(s.last.path).path == "/chat/completions"
        assert s.last.headers["authorization"] == "Bearer ai-key"  # not an Azure host
        assert s.last.json["model"] == "mistral-large-2411"
        assert r.choices[0].message.content == "echo: hello there world"
        monkeypatch.setenv("AZURE_AI_API_KEY", "ai-key")
        monkeypatch.setenv("AZURE_AI_API_BASE", f"{s.url}/models")
        chunks = list(
            litellm.completion(
                model="azure_ai/mistral-large-2411",
                messages=MSGS,
                stream=True,
                api_version="2024-05-01-preview",
            )
        )
        assert (
            "".join(c.choices[0].delta.content or "" for c in chunks) == "echo: hello there world"
        )
        path, query = urlsplit(s.last.path).path, parse_qs(urlsplit(s.last.path).query)
        assert (path, query) == (
            "/models/chat/completions",
            {"api-version": ["2024-05-01-preview"]},
        )
        monkeypatch.delenv("AZURE_AI_API_KEY")
        with pytest.raises(litellm.AuthenticationError):
            litellm.completion(model="azure_ai/mistral-large-2411", messages=MSGS)
        assert len(s.requests) == 2


def test_azure_ai_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    models = {"embed-v-4-0": "embed-v-4-0"}
    with FakeAzureAI(key="ai-key", deployments=models) as s:
        r = litellm.embedding(
            model="azure_ai/embed-v-4-0",
            input=["one two", "three"],
            api_key="ai-key",
            api_base=s.url,
        )
        assert urlsplit(s.last.path).path == "/embeddings"
        # litellm sends Foundry embeddings through the plain OpenAI client: a bearer key.
        assert s.last.headers["authorization"] == "Bearer ai-key"
        assert "api-key" not in s.last.headers
        assert s.last.json == {"model": "embed-v-4-0", "input": ["one two", "three"]}
        assert len(r.data) == 2 and len(r.data[0]["embedding"]) > 0
        assert r.usage.prompt_tokens > 0
        assert r._hidden_params["custom_llm_provider"] == "azure_ai"
        assert litellm.completion_cost(r, model="azure_ai/embed-v-4-0") == pytest.approx(
            r.usage.prompt_tokens * 1.2e-07  # the map's azure_ai/embed-v-4-0 price
        )
        monkeypatch.setenv("AZURE_AI_API_KEY", "ai-key")
        monkeypatch.setenv("AZURE_AI_API_BASE", f"{s.url}/models")
        asyncio.run(litellm.aembedding(model="azure_ai/embed-v-4-0", input="x"))
        assert urlsplit(s.last.path).path == "/models/embeddings"
        # Image inputs go to Foundry's /images/embeddings in litellm: refused here, before I/O.
        before = len(s.requests)
        with pytest.raises(litellm.BadRequestError) as ei:
            litellm.embedding(
                model="azure_ai/embed-v-4-0", input=["data:image/png;base64,iVBORw0K"]
            )
        assert "image" in str(ei.value)
        assert len(s.requests) == before
        with pytest.raises(litellm.NotFoundError):
            litellm.embedding(model="azure_ai/nope", input="x")


def test_azure_ai_with_a_service_principal(monkeypatch: pytest.MonkeyPatch) -> None:
    models = {"embed-v-4-0": "embed-v-4-0", "mistral-large-2411": "mistral-large-2411"}
    with FakeAzureAI(key="ai-key", deployments=models) as s:
        monkeypatch.setenv("AZURE_AUTHORITY_HOST", s.url)
        litellm.embedding(model="azure_ai/embed-v-4-0", input="x", api_base=s.url, **SP)
        litellm.completion(model="azure_ai/mistral-large-2411", messages=MSGS, api_base=s.url, **SP)
        assert s.exchanges == 1
        for req in s.api_requests:
            assert req.headers["authorization"] == "Bearer eyJ0eXAiOiJKV1QifQ.fake-entra-1"
        # A key comes first.
        litellm.embedding(
            model="azure_ai/embed-v-4-0", input="x", api_base=s.url, api_key="ai-key", **SP
        )
        assert s.last.headers["authorization"] == "Bearer ai-key"
        assert s.exchanges == 1


# -- other deployment endpoints ----------------------------------------------------------


def test_responses_are_bridged_onto_the_deployments_chat(az: FakeAzure) -> None:
    r = litellm.responses(model="azure/gpt-4o", input="hello there", api_key=KEY, api_base=az.url)
    assert r.output_text == "echo: hello there"
    assert sent(az)[0] == "/openai/deployments/gpt-4o/chat/completions"


def test_image_speech_and_transcription_deployments(az: FakeAzure) -> None:
    for name in ("dall-e-3", "tts", "whisper"):
        az.deployments[name] = name
    opts = {"api_key": KEY, "api_base": az.url, "num_retries": 0}
    r = litellm.image_generation("a red fox", "azure/dall-e-3", **opts)
    assert sent(az) == (
        "/openai/deployments/dall-e-3/images/generations",
        {"api-version": [DEFAULT_VERSION]},
    )
    assert az.last.headers["api-key"] == KEY and r.data
    audio = litellm.speech(model="azure/tts", input="hi", voice="alloy", **opts)
    assert sent(az)[0] == "/openai/deployments/tts/audio/speech" and audio.content
    t = litellm.transcription(model="azure/whisper", file=("a.wav", b"RIFF0000WAVE"), **opts)
    assert sent(az)[0] == "/openai/deployments/whisper/audio/transcriptions"
    assert az.last.headers["content-type"].startswith("multipart/form-data")
    assert t.text
