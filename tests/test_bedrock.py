"""AWS Bedrock against a fake bedrock-runtime that verifies SigV4 on every request: Converse
(plain, streamed sync/async, tools with a result round trip, system and cache points, vision,
reasoning), InvokeModel for Claude, Titan/Cohere embeddings, every credential source (params,
env, shared files with profiles, session tokens, Bedrock API keys; STS AssumeRole, web identity
and container credentials against the fakes of fakeprov.aws_sts), percent-encoded ARN ids,
refusals before I/O, AWS errors, and secrets kept out of errors."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import edgequake_litellm as litellm
from fakeprov.aws_sts import (
    CONTAINER_TOKEN,
    OTHER_ROLE,
    ROLE,
    WEB_TOKEN,
    FakeContainerCredentials,
    FakeSTS,
)
from fakeprov.bedrock import (
    ACCESS_KEY,
    BEARER_TOKEN,
    SECRET_KEY,
    SESSION_KEY,
    SESSION_SECRET,
    SESSION_TOKEN,
    THINKING_TEXT,
    TOOL_INPUT,
    FakeBedrock,
    aws_error,
    event,
    exception,
    stream_reply,
)

CLAUDE = "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"
THINKING_CLAUDE = "bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0"
NOVA = "bedrock/amazon.nova-lite-v1:0"
MSGS = [{"role": "user", "content": "hello there world"}]
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
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5Er"
    "kJggg=="
)
_AWS_ENV = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION_NAME",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_PROFILE_NAME",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
    "AWS_BEARER_TOKEN_BEDROCK",
    "AWS_BEDROCK_RUNTIME_ENDPOINT",
    "AWS_ROLE_NAME",
    "AWS_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN",
    "AWS_STS_ENDPOINT",
    "AWS_EXTERNAL_ID",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "LITELLM_OIDC_ALLOWED_CREDENTIAL_DIRS",
)


@pytest.fixture(autouse=True)
def _no_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the machine's AWS variables or ~/.aws."""
    for var in _AWS_ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture
def aws() -> Iterator[FakeBedrock]:
    with FakeBedrock() as server:
        yield server


def keys(**kw: Any) -> dict[str, Any]:
    """The static test credentials as litellm's params."""
    return {
        "aws_access_key_id": ACCESS_KEY,
        "aws_secret_access_key": SECRET_KEY,
        "aws_region_name": "us-east-1",
        **kw,
    }


def call(aws: FakeBedrock, messages: Any = MSGS, **kw: Any) -> Any:
    kw.setdefault("model", CLAUDE)
    kw.setdefault("num_retries", 0)
    kw.setdefault("aws_bedrock_runtime_endpoint", aws.url)
    for k, v in keys().items():
        kw.setdefault(k, v)
    return litellm.completion(messages=messages, **kw)


def test_converse_request_signature_and_response(aws: FakeBedrock) -> None:
    r = call(aws, temperature=0.5, top_p=0.9, max_tokens=50, stop=["zzz"])
    req = aws.last
    assert (req.method, req.path) == (
        "POST",
        "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse",
    )
    assert aws.verified == [f"sigv4:{ACCESS_KEY}"]
    auth = req.headers["authorization"]
    assert auth.startswith(f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/")
    assert "/us-east-1/bedrock/aws4_request" in auth
    assert "x-amz-security-token" not in req.headers
    assert SECRET_KEY not in json.dumps(req.headers)
    assert req.json == {
        "messages": [{"role": "user", "content": [{"text": "hello there world"}]}],
        "inferenceConfig": {
            "maxTokens": 50,
            "temperature": 0.5,
            "topP": 0.9,
            "stopSequences": ["zzz"],
        },
    }
    assert isinstance(r, litellm.ModelResponse)
    assert r.model == "anthropic.claude-3-5-sonnet-20240620-v1:0"
    assert r.id.startswith("chatcmpl-")
    assert r.choices[0].message.content == "echo: hello there world"
    assert r.choices[0].finish_reason == "stop"
    assert (r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens) == (3, 4, 7)
    assert r._hidden_params["custom_llm_provider"] == "bedrock"
    # litellm's price for the model: 3e-6 in, 1.5e-5 out per token.
    assert r._hidden_params["response_cost"] == pytest.approx(3 * 3e-6 + 4 * 1.5e-5)


def test_max_tokens_stop_reason_and_nova(aws: FakeBedrock) -> None:
    r = call(aws, model=NOVA, max_tokens=2)
    assert aws.last.path == "/model/amazon.nova-lite-v1%3A0/converse"
    assert r.choices[0].message.content == "echo: hello "
    assert r.choices[0].finish_reason == "length"
    assert r._hidden_params["response_cost"] > 0


def test_stream_sync_and_async(aws: FakeBedrock) -> None:
    chunks = list(call(aws, stream=True, stream_options={"include_usage": True}))
    assert aws.last.path.endswith("/converse-stream")
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == (
        "echo: hello there world"
    )
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason][
        -1
    ] == "stop"
    assert chunks[-1].usage.total_tokens == 7
    assert all(c.model == "anthropic.claude-3-5-sonnet-20240620-v1:0" for c in chunks)

    async def run() -> list[Any]:
        s = await litellm.acompletion(
            model=CLAUDE,
            messages=MSGS,
            stream=True,
            num_retries=0,
            aws_bedrock_runtime_endpoint=aws.url,
            **keys(),
        )
        return [c async for c in s]

    achunks = asyncio.run(run())
    assert "".join(c.choices[0].delta.content or "" for c in achunks if c.choices) == (
        "echo: hello there world"
    )
    assert aws.verified == [f"sigv4:{ACCESS_KEY}"] * 2


def test_tools_with_a_result_round_trip(aws: FakeBedrock) -> None:
    r = call(aws, tools=[WEATHER], tool_choice="auto")
    sent = aws.last.json
    assert sent["toolConfig"] == {
        "tools": [
            {
                "toolSpec": {
                    "name": "get_weather",
                    "description": "Weather of a city",
                    "inputSchema": {"json": WEATHER["function"]["parameters"]},
                }
            }
        ],
        "toolChoice": {"auto": {}},
    }
    call_ = r.choices[0].message.tool_calls[0]
    assert r.choices[0].finish_reason == "tool_calls"
    assert call_.id == "tooluse_fake_1" and call_.function.name == "get_weather"
    assert json.loads(call_.function.arguments) == TOOL_INPUT
    history = [
        *MSGS,
        r.choices[0].message.model_dump(),
        {"role": "tool", "tool_call_id": call_.id, "content": "18C and sunny"},
    ]
    r2 = call(aws, messages=history, tools=[WEATHER])
    sent = aws.last.json["messages"]
    assert sent[1] == {
        "role": "assistant",
        "content": [
            {"toolUse": {"toolUseId": "tooluse_fake_1", "name": "get_weather", "input": TOOL_INPUT}}
        ],
    }
    assert sent[2] == {
        "role": "user",
        "content": [
            {"toolResult": {"toolUseId": "tooluse_fake_1", "content": [{"text": "18C and sunny"}]}}
        ],
    }
    assert r2.choices[0].message.content == "echo: 18C and sunny"

    forced = call(aws, tools=[WEATHER], tool_choice="required")
    assert aws.last.json["toolConfig"]["toolChoice"] == {"any": {}}
    assert forced.choices[0].message.tool_calls[0].function.name == "get_weather"
    named = {"type": "function", "function": {"name": "get_weather"}}
    call(aws, tools=[WEATHER], tool_choice=named)
    assert aws.last.json["toolConfig"]["toolChoice"] == {"tool": {"name": "get_weather"}}


def test_streamed_tool_call(aws: FakeBedrock) -> None:
    chunks = list(call(aws, tools=[WEATHER], stream=True))
    deltas = [tc for c in chunks if c.choices for tc in c.choices[0].delta.tool_calls or []]
    assert deltas[0].id == "tooluse_fake_1" and deltas[0].function.name == "get_weather"
    assert json.loads("".join(d.function.arguments or "" for d in deltas)) == TOOL_INPUT
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason][
        -1
    ] == "tool_calls"
    built = litellm.stream_chunk_builder(chunks)
    assert json.loads(built.choices[0].message.tool_calls[0].function.arguments) == TOOL_INPUT


def test_system_and_cache_points(aws: FakeBedrock) -> None:
    msgs = [
        {
            "role": "system",
            "content": [
                {
                    "type": "text",
                    "text": "a long system prompt",
                    "cache_control": {"type": "ephemeral"},
                }
            ],
        },
        {"role": "user", "content": "hi"},
        {"role": "user", "content": "again"},
    ]
    r1 = call(aws, messages=msgs)
    sent = aws.last.json
    assert sent["system"] == [{"text": "a long system prompt"}, {"cachePoint": {"type": "default"}}]
    assert sent["messages"] == [{"role": "user", "content": [{"text": "hi"}, {"text": "again"}]}]
    assert r1.usage.cache_creation_input_tokens == 4
    r2 = call(aws, messages=msgs)
    assert r2.usage.prompt_tokens_details.cached_tokens == 4
    assert r2.usage.prompt_tokens == 6


def test_vision_data_urls_are_bytes_and_http_urls_are_refused(aws: FakeBedrock) -> None:
    content = [
        {"type": "text", "text": "what is this"},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
    ]
    call(aws, messages=[{"role": "user", "content": content}])
    assert aws.last.json["messages"][0]["content"][1] == {
        "image": {"format": "png", "source": {"bytes": PNG}}
    }
    before = len(aws.requests)
    url = [{"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]
    with pytest.raises(litellm.BadRequestError, match="base64 data: URLs"):
        call(aws, messages=[{"role": "user", "content": url}])
    assert len(aws.requests) == before


def test_reasoning_whole_and_streamed(aws: FakeBedrock) -> None:
    r = call(aws, model=THINKING_CLAUDE, reasoning_effort="low")
    sent = aws.last.json
    assert aws.last.path == "/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse"
    assert sent["additionalModelRequestFields"] == {
        "thinking": {"type": "enabled", "budget_tokens": 1024}
    }
    assert sent["inferenceConfig"] == {"maxTokens": 1024 + 4096}
    msg = r.choices[0].message
    assert msg.reasoning_content == THINKING_TEXT
    assert msg.thinking_blocks[0]["signature"] == "sig-1"
    chunks = list(call(aws, model=THINKING_CLAUDE, reasoning_effort="low", stream=True))
    reasoning = "".join(
        getattr(c.choices[0].delta, "reasoning_content", None) or "" for c in chunks if c.choices
    )
    assert reasoning == THINKING_TEXT


def test_embeddings_titan_and_cohere(aws: FakeBedrock) -> None:
    r = litellm.embedding(
        model="bedrock/amazon.titan-embed-text-v2:0",
        input=["one two", "three"],
        dimensions=3,
        aws_bedrock_runtime_endpoint=aws.url,
        **keys(),
    )
    assert [q.json for q in aws.requests] == [
        {"inputText": "one two", "dimensions": 3},
        {"inputText": "three", "dimensions": 3},
    ]
    assert aws.last.path == "/model/amazon.titan-embed-text-v2%3A0/invoke"
    assert [d["embedding"] for d in r.data] == [[0.1, 0.2, 0.3]] * 2
    assert [d["index"] for d in r.data] == [0, 1]
    assert r.usage.prompt_tokens == 3
    c = litellm.embedding(
        model="bedrock/cohere.embed-english-v3",
        input=["hello", "hi"],
        aws_bedrock_runtime_endpoint=aws.url,
        **keys(),
    )
    assert aws.last.json == {"texts": ["hello", "hi"], "input_type": "search_document"}
    assert [d["embedding"] for d in c.data] == [[0.5, 0.25, 0.125, 5.0], [0.5, 0.25, 0.125, 2.0]]
    assert [d["index"] for d in c.data] == [0, 1]
    assert len(aws.verified) == 3


def test_credentials_from_env(aws: FakeBedrock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", SESSION_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SESSION_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_BEDROCK_RUNTIME_ENDPOINT", aws.url)
    r = litellm.completion(model=CLAUDE, messages=MSGS, num_retries=0)
    assert r.choices[0].message.content == "echo: hello there world"
    assert aws.verified == [f"sigv4:{SESSION_KEY}"]
    assert aws.last.headers["x-amz-security-token"] == SESSION_TOKEN
    assert "x-amz-security-token" in aws.last.headers["authorization"]


def test_session_token_by_param(aws: FakeBedrock) -> None:
    call(
        aws,
        aws_access_key_id=SESSION_KEY,
        aws_secret_access_key=SESSION_SECRET,
        aws_session_token=SESSION_TOKEN,
    )
    assert aws.verified == [f"sigv4:{SESSION_KEY}"]
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(aws, aws_access_key_id=SESSION_KEY, aws_secret_access_key=SESSION_SECRET)
    assert ei.value.status_code == 403 and ei.value.llm_provider == "bedrock"


def test_shared_files_with_profiles(
    aws: FakeBedrock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    aws_dir = tmp_path / ".aws"
    aws_dir.mkdir()
    (aws_dir / "credentials").write_text(
        f"[default]\naws_access_key_id = AKIDNOTTHISONE\naws_secret_access_key = nope\n\n"
        f"[work]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
    )
    (aws_dir / "config").write_text(
        "[default]\nregion = eu-west-3\n\n"
        "# a profile whose keys live in the config file\n"
        f"[profile temp]\nregion = us-east-1\naws_access_key_id = {SESSION_KEY}\n"
        f"aws_secret_access_key = {SESSION_SECRET}\naws_session_token = {SESSION_TOKEN}\n"
    )
    base = {
        "model": CLAUDE,
        "messages": MSGS,
        "num_retries": 0,
        "aws_bedrock_runtime_endpoint": aws.url,
    }
    litellm.completion(aws_profile_name="work", aws_region_name="us-east-1", **base)
    assert aws.verified[-1] == f"sigv4:{ACCESS_KEY}"
    monkeypatch.setenv("AWS_PROFILE", "temp")
    litellm.completion(**base)  # region from [profile temp]
    assert aws.verified[-1] == f"sigv4:{SESSION_KEY}"
    # A file named by AWS_SHARED_CREDENTIALS_FILE, default profile, region from the config file.
    monkeypatch.delenv("AWS_PROFILE")
    other = tmp_path / "creds.ini"
    other.write_text(
        f"[default]\naws_access_key_id={ACCESS_KEY}\naws_secret_access_key={SECRET_KEY}\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(other))
    with pytest.raises(litellm.AuthenticationError, match="Credential should be scoped"):
        litellm.completion(**base)  # signed for eu-west-3, the config's [default] region
    litellm.completion(aws_region_name="us-east-1", **base)
    assert aws.verified[-1] == f"sigv4:{ACCESS_KEY}"


def test_bearer_api_key_by_param_and_env(aws: FakeBedrock, monkeypatch: pytest.MonkeyPatch) -> None:
    litellm.completion(
        model=CLAUDE,
        messages=MSGS,
        api_key=BEARER_TOKEN,
        aws_bedrock_runtime_endpoint=aws.url,
        num_retries=0,
    )
    assert aws.last.headers["authorization"] == f"Bearer {BEARER_TOKEN}"
    assert "x-amz-date" not in aws.last.headers
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", BEARER_TOKEN)
    litellm.completion(model=CLAUDE, messages=MSGS, aws_bedrock_runtime_endpoint=aws.url)
    assert aws.verified == ["bearer", "bearer"]
    with pytest.raises(litellm.PermissionDeniedError) as ei:
        litellm.completion(
            model=CLAUDE,
            messages=MSGS,
            api_key="ABSKwrongkey123",
            aws_bedrock_runtime_endpoint=aws.url,
            num_retries=0,
        )
    assert "ABSKwrongkey123" not in str(ei.value) + repr(ei.value)


def test_arn_ids_are_percent_encoded_and_give_the_region(monkeypatch: pytest.MonkeyPatch) -> None:
    arn = "arn:aws:bedrock:eu-central-1:123456789012:application-inference-profile/abc123"
    with FakeBedrock(region="eu-central-1") as aws:
        monkeypatch.setenv("AWS_REGION", "us-west-1")  # the ARN's region wins, as in litellm
        r = litellm.completion(
            model=f"bedrock/{arn}",
            messages=MSGS,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            aws_bedrock_runtime_endpoint=aws.url,
            num_retries=0,
        )
        assert aws.last.path == (
            "/model/arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012%3A"
            "application-inference-profile%2Fabc123/converse"
        )
        assert r.choices[0].message.content == "echo: hello there world"
        assert aws.verified == [f"sigv4:{ACCESS_KEY}"]


def test_missing_credentials_are_refused_before_io(aws: FakeBedrock) -> None:
    with pytest.raises(litellm.AuthenticationError, match="no AWS credentials") as ei:
        litellm.completion(model=CLAUDE, messages=MSGS, aws_bedrock_runtime_endpoint=aws.url)
    assert ei.value.llm_provider == "bedrock"
    with pytest.raises(litellm.AuthenticationError):
        litellm.embedding(
            model="bedrock/amazon.titan-embed-text-v2:0",
            input="x",
            aws_bedrock_runtime_endpoint=aws.url,
        )
    with pytest.raises(litellm.AuthenticationError, match='profile "nosuch"'):
        litellm.completion(
            model=CLAUDE,
            messages=MSGS,
            aws_profile_name="nosuch",
            aws_bedrock_runtime_endpoint=aws.url,
        )
    assert aws.requests == []


def test_secret_never_in_errors(aws: FakeBedrock) -> None:
    wrong = "wrongSecretKey/ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(aws, aws_secret_access_key=wrong)
    e = ei.value
    assert e.status_code == 403 and "signature" in str(e)
    for text in (str(e), repr(e), json.dumps(getattr(e, "body", None), default=str)):
        assert wrong not in text and SECRET_KEY not in text
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(aws, aws_access_key_id="AKIDUNKNOWN", aws_session_token="tok-secret-123")
    assert "tok-secret-123" not in str(ei.value) + repr(ei.value)


def test_invoke_route_for_claude(aws: FakeBedrock) -> None:
    model = "bedrock/invoke/anthropic.claude-3-5-sonnet-20240620-v1:0"
    r = call(aws, model=model, max_tokens=20, messages=[{"role": "system", "content": "s"}, *MSGS])
    assert aws.last.path == "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke"
    assert aws.last.json == {
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hello there world"}]}],
        "system": [{"type": "text", "text": "s"}],
        "max_tokens": 20,
        "anthropic_version": "bedrock-2023-05-31",
    }
    assert r.choices[0].message.content == "echo: hello there world"
    assert r._hidden_params["response_cost"] > 0
    chunks = list(call(aws, model=model, stream=True, tools=[WEATHER]))
    assert aws.last.path.endswith("/invoke-with-response-stream")
    deltas = [tc for c in chunks if c.choices for tc in c.choices[0].delta.tool_calls or []]
    assert json.loads("".join(d.function.arguments or "" for d in deltas)) == {"city": "Paris"}
    before = len(aws.requests)
    with pytest.raises(
        litellm.BadRequestError, match=r"bedrock/converse/amazon\.titan-text-express-v1"
    ):
        call(aws, model="bedrock/amazon.titan-text-express-v1")
    assert len(aws.requests) == before


def test_converse_prefix_forces_converse(aws: FakeBedrock) -> None:
    r = call(aws, model="bedrock/converse/anthropic.claude-3-5-sonnet-20240620-v1:0")
    assert aws.last.path == "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"
    assert r._hidden_params["response_cost"] > 0


@pytest.mark.parametrize(
    ("reply", "cls", "status"),
    [
        (aws_error(429, "ThrottlingException", "Too many requests"), litellm.RateLimitError, 429),
        (
            aws_error(400, "ValidationException", "Malformed input request"),
            litellm.BadRequestError,
            400,
        ),
        (
            aws_error(400, "ValidationException", "Input is too long for requested model."),
            litellm.ContextWindowExceededError,
            400,
        ),
        (aws_error(403, "AccessDeniedException", "no access"), litellm.PermissionDeniedError, 403),
        (aws_error(404, "ResourceNotFoundException", "no model"), litellm.NotFoundError, 404),
        (
            aws_error(503, "ServiceUnavailableException", "busy"),
            litellm.ServiceUnavailableError,
            503,
        ),
        (aws_error(408, "ModelTimeoutException", "slow"), litellm.Timeout, 408),
    ],
)
def test_aws_errors(aws: FakeBedrock, reply: Any, cls: type[Exception], status: int) -> None:
    aws.enqueue(reply)
    with pytest.raises(cls) as ei:
        call(aws)
    e: Any = ei.value
    assert e.status_code == status and e.llm_provider == "bedrock"


def test_stream_exception_after_chunks(aws: FakeBedrock) -> None:
    aws.enqueue(
        stream_reply(
            [
                event("messageStart", {"role": "assistant"}),
                event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "par"}}),
                event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "tial"}}),
                exception("throttlingException", "Too many tokens, please wait."),
            ]
        )
    )
    got: list[str] = []
    with pytest.raises(litellm.RateLimitError) as ei:
        for c in call(aws, stream=True):
            got.append(c.choices[0].delta.content or "")
    assert "".join(got) == "partial"
    assert ei.value.status_code == 429


def test_corrupt_event_stream_raises_after_good_chunks(aws: FakeBedrock) -> None:
    good = event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "ok"}})
    bad = bytearray(event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "x"}}))
    bad[-1] ^= 0xFF
    aws.enqueue(stream_reply([event("messageStart", {"role": "assistant"}), good, bytes(bad)]))
    got: list[str] = []
    with pytest.raises(litellm.APIError, match="CRC") as ei:
        for c in call(aws, stream=True):
            got.append(c.choices[0].delta.content or "")
    assert "".join(got) == "ok"
    assert type(ei.value) is litellm.APIError and ei.value.status_code == 500


def test_model_data_for_bedrock_names() -> None:
    for m in (CLAUDE, "bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0", NOVA):
        assert "temperature" in litellm.get_supported_openai_params(m)
        assert litellm.get_llm_provider(m)[1] == "bedrock"
    with pytest.raises(litellm.UnsupportedParamsError):
        litellm.completion(model=NOVA, messages=MSGS, logit_bias={"1": 2}, **keys())


def test_image_bytes_are_base64(aws: FakeBedrock) -> None:
    # The bytes Bedrock receives decode to the image sent.
    content = [{"type": "image_url", "image_url": f"data:image/png;base64,{PNG}"}]
    call(aws, messages=[{"role": "user", "content": content}])
    sent = aws.last.json["messages"][0]["content"][0]["image"]["source"]["bytes"]
    assert base64.b64decode(sent)[:4] == b"\x89PNG"


def test_secrets_stay_out_of_callbacks_and_debug_logs(
    aws: FakeBedrock, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from edgequake_litellm import _logging
    from edgequake_litellm.integrations.custom_logger import CustomLogger
    from edgequake_litellm.litellm_core_utils import litellm_logging

    monkeypatch.setattr(litellm, "set_verbose", False)
    for lg in (_logging.verbose_logger, _logging.verbose_router_logger):
        monkeypatch.setattr(lg, "level", logging.NOTSET)
        monkeypatch.setattr(lg, "handlers", [])
        monkeypatch.setattr(lg, "disabled", False)
    monkeypatch.setattr(litellm, "callbacks", [])

    seen: list[Any] = []

    class Recorder(CustomLogger):
        def log_pre_api_call(self, model: str, messages: Any, kwargs: dict[str, Any]) -> None:
            seen.append(kwargs)

        def log_success_event(
            self, kwargs: dict[str, Any], response_obj: Any, start_time: Any, end_time: Any
        ) -> None:
            seen.append((kwargs, response_obj))

    litellm._turn_on_debug()
    caplog.set_level(logging.DEBUG, logger="LiteLLM")
    litellm.callbacks = [Recorder()]
    call(
        aws,
        aws_access_key_id=SESSION_KEY,
        aws_secret_access_key=SESSION_SECRET,
        aws_session_token=SESSION_TOKEN,
    )
    assert litellm_logging.flush(10)
    assert len(seen) == 2
    logs = "\n".join(r.getMessage() for r in caplog.records)
    assert "x-amz-security-token: [REDACTED]" in logs and "authorization: [REDACTED]" in logs
    for text in (repr(seen), logs):
        assert SESSION_SECRET not in text and SESSION_TOKEN not in text


def test_region_defaults_to_us_west_2() -> None:
    with FakeBedrock(region="us-west-2") as aws:
        litellm.completion(
            model=CLAUDE,
            messages=MSGS,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            aws_bedrock_runtime_endpoint=aws.url,
        )
        assert "/us-west-2/bedrock/aws4_request" in aws.last.headers["authorization"]
        assert aws.verified == [f"sigv4:{ACCESS_KEY}"]


def test_litellm_api_key_global_is_not_a_bedrock_key(
    aws: FakeBedrock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # litellm passes only the call's api_key to Bedrock: a global OpenAI key must not
    # replace SigV4 as a bearer token.
    monkeypatch.setattr(litellm, "api_key", "sk-openai-global")
    call(aws)
    assert aws.verified == [f"sigv4:{ACCESS_KEY}"]


def test_json_schema_answers_as_content_whole_and_streamed(aws: FakeBedrock) -> None:
    schema = {
        "type": "json_schema",
        "json_schema": {
            "name": "city",
            "schema": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
    r = call(aws, response_format=schema)
    config = aws.last.json["toolConfig"]
    assert config["toolChoice"] == {"tool": {"name": "json_tool_call"}}
    assert config["tools"][0]["toolSpec"]["name"] == "json_tool_call"
    assert json.loads(r.choices[0].message.content) == TOOL_INPUT
    assert r.choices[0].finish_reason == "stop" and not r.choices[0].message.tool_calls
    chunks = list(call(aws, response_format=schema, stream=True))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert json.loads(text) == TOOL_INPUT
    assert not any(c.choices[0].delta.tool_calls for c in chunks if c.choices)


def test_documents_are_named_bytes(aws: FakeBedrock) -> None:
    pdf = base64.b64encode(b"%PDF-1.4 fake").decode()
    content = [
        {"type": "file", "file": {"file_data": f"data:application/pdf;base64,{pdf}"}},
        {"type": "text", "text": "summarize"},
    ]
    call(aws, messages=[{"role": "user", "content": content}])
    doc = aws.last.json["messages"][0]["content"][0]["document"]
    assert doc["format"] == "pdf" and doc["source"] == {"bytes": pdf}
    assert doc["name"].startswith("DocumentPDFmessages_") and doc["name"].endswith("_pdf")


# -- temporary credentials: STS, web identity, container ----------------------------------


@pytest.fixture
def sts(aws: FakeBedrock) -> Iterator[FakeSTS]:
    with FakeSTS(aws) as server:
        yield server


def bare(aws: FakeBedrock, **kw: Any) -> Any:
    """A call with no keys: the credentials come from ``kw`` or the environment."""
    kw.setdefault("model", CLAUDE)
    kw.setdefault("num_retries", 0)
    kw.setdefault("aws_region_name", "us-east-1")
    return litellm.completion(messages=MSGS, aws_bedrock_runtime_endpoint=aws.url, **kw)


def signed_with(aws: FakeBedrock, issued: dict[str, tuple[str, str]], n: int = -1) -> str:
    """The temporary key the Bedrock request ``n`` was signed with, checking its session token."""
    key = aws.verified[n].removeprefix("sigv4:")
    assert key in issued, aws.verified
    secret, token = issued[key]
    req = aws.requests[n]
    assert req.headers["x-amz-security-token"] == token
    assert f"Credential={key}/" in req.headers["authorization"]
    assert secret not in json.dumps(req.headers)
    return key


def test_assume_role_signs_with_the_temporary_credentials_fetched_once(
    aws: FakeBedrock, sts: FakeSTS
) -> None:
    role = {"aws_role_name": ROLE, "aws_session_name": "team-a", "aws_sts_endpoint": sts.url}
    call(aws, **role)
    [first] = sts.calls
    assert first["Action"] == "AssumeRole" and first["RoleArn"] == ROLE
    assert first["RoleSessionName"] == "team-a" and first["signer"] == ACCESS_KEY
    assert "ExternalId" not in first
    assert "/us-east-1/sts/aws4_request" in sts.requests[0].headers["authorization"]
    key = signed_with(aws, sts.issued)
    call(aws, **role)
    assert "".join(c.choices[0].delta.content or "" for c in call(aws, stream=True, **role))
    litellm.embedding(
        model="bedrock/amazon.titan-embed-text-v2:0",
        input="x",
        aws_bedrock_runtime_endpoint=aws.url,
        **keys(**role),
    )
    assert len(sts.calls) == 1
    assert aws.verified == [f"sigv4:{key}"] * 4
    # Without aws_session_name: litellm's generated name.
    call(aws, aws_role_name=ROLE, aws_sts_endpoint=sts.url)
    assert sts.calls[-1]["RoleSessionName"].startswith("litellm-session-")


def test_session_tags_are_sent_sorted_and_checked(aws: FakeBedrock, sts: FakeSTS) -> None:
    tags = [{"Key": "team", "Value": "genai"}, {"Key": "cost", "Value": "c-1"}]
    call(aws, aws_role_name=ROLE, aws_sts_endpoint=sts.url, aws_session_tags=tags)
    [sent] = sts.calls
    got = {k: v for k, v in sent.items() if k.startswith("Tags.")}
    assert got == {
        "Tags.member.1.Key": "cost",
        "Tags.member.1.Value": "c-1",
        "Tags.member.2.Key": "team",
        "Tags.member.2.Value": "genai",
    }
    with pytest.raises(litellm.BadRequestError, match="Invalid 'aws_session_tags' value"):
        call(aws, aws_role_name=ROLE, aws_sts_endpoint=sts.url, aws_session_tags=[{"Key": "x"}])
    assert len(sts.requests) == 1


def test_assume_role_once_for_concurrent_first_calls(aws: FakeBedrock, sts: FakeSTS) -> None:
    from fakeprov.server import Reply

    sts.enqueue(Reply(delay=0.3))

    async def many() -> list[Any]:
        return await asyncio.gather(
            *(
                litellm.acompletion(
                    model=CLAUDE,
                    messages=MSGS,
                    aws_bedrock_runtime_endpoint=aws.url,
                    aws_role_name=ROLE,
                    aws_sts_endpoint=sts.url,
                    num_retries=0,
                    **keys(),
                )
                for _ in range(8)
            )
        )

    answers = asyncio.run(many())
    assert len(answers) == 8 and len(sts.requests) == 1
    assert len({v for v in aws.verified}) == 1 and len(aws.verified) == 8


def test_temporary_credentials_are_refreshed_before_they_expire(aws: FakeBedrock) -> None:
    import time

    with FakeSTS(aws, lifetime=62) as sts:  # litellm's 60 s margin: fresh for about 2 s
        role = {"aws_role_name": ROLE, "aws_sts_endpoint": sts.url, "aws_session_name": "r"}
        call(aws, **role)
        call(aws, **role)
        assert len(sts.calls) == 1
        time.sleep(2.5)
        call(aws, **role)
        assert len(sts.calls) == 2
        assert aws.verified[0] == aws.verified[1] != aws.verified[2]
        signed_with(aws, sts.issued)


def test_external_id_and_sts_refusals(aws: FakeBedrock, sts: FakeSTS) -> None:
    sts.external_ids[ROLE] = "ext-7"
    role = {"aws_role_name": ROLE, "aws_sts_endpoint": sts.url, "aws_session_name": "x"}
    with pytest.raises(litellm.PermissionDeniedError) as ei:
        call(aws, **role)
    e = ei.value
    assert e.status_code == 403 and e.llm_provider == "bedrock"
    assert "AccessDenied: User: arn:aws:iam::123456789012:user/" in str(e)
    call(aws, aws_external_id="ext-7", **role)
    assert sts.calls[-1]["ExternalId"] == "ext-7"
    wrong = "wrongSecretKey/ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
    with pytest.raises(litellm.AuthenticationError) as ei:
        call(aws, aws_secret_access_key=wrong, aws_external_id="ext-7", **role)
    assert ei.value.status_code == 403 and "SignatureDoesNotMatch" in str(ei.value)
    for text in (str(ei.value), repr(ei.value), json.dumps(ei.value.body, default=str)):
        assert wrong not in text and SECRET_KEY not in text
    with pytest.raises(litellm.AuthenticationError, match="InvalidClientTokenId"):
        call(aws, aws_access_key_id="AKIDUNKNOWN", aws_external_id="ext-7", **role)
    assert len(aws.requests) == 1, "no Bedrock request without credentials"


def test_sts_faults_retries_and_missing_base_credentials(aws: FakeBedrock, sts: FakeSTS) -> None:
    from fakeprov.aws_sts import sts_error

    role = {"aws_role_name": ROLE, "aws_sts_endpoint": sts.url, "aws_session_name": "f"}
    sts.enqueue(sts_error(503, "ServiceUnavailable", "try again"))
    call(aws, num_retries=1, **role)
    assert len(sts.requests) == 2 and len(sts.calls) == 1, "a 503 is retried"
    sts.enqueue(sts_error(400, "Throttling", "Rate exceeded"))
    with pytest.raises(litellm.RateLimitError, match="Throttling: Rate exceeded"):
        call(aws, aws_session_name="g", aws_role_name=ROLE, aws_sts_endpoint=sts.url)
    with pytest.raises(litellm.AuthenticationError, match="needs base credentials") as ei:
        bare(aws, **role)
    assert ei.value.llm_provider == "bedrock"
    assert len(sts.requests) == 3 and len(aws.requests) == 1


def test_assume_role_base_from_a_profile_role_chain(
    aws: FakeBedrock, sts: FakeSTS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "credentials").write_text(
        f"[base]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
    )
    (tmp_path / "config").write_text(
        f"[profile dev]\nrole_arn = {ROLE}\nsource_profile = base\n"
        "role_session_name = dev-session\n"
        f"[profile cross]\nrole_arn = {OTHER_ROLE}\nsource_profile = dev\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", sts.url)
    bare(aws, aws_profile_name="dev")
    [dev] = sts.calls
    assert (dev["RoleArn"], dev["RoleSessionName"], dev["signer"]) == (
        ROLE,
        "dev-session",
        ACCESS_KEY,
    )
    signed_with(aws, sts.issued)
    monkeypatch.setenv("AWS_PROFILE", "cross")
    bare(aws)
    assert [c["RoleArn"] for c in sts.calls] == [ROLE, OTHER_ROLE]
    assert sts.calls[1]["signer"] in sts.issued, "the chained role is signed by the first one's"
    assert sts.calls[1]["RoleSessionName"].startswith("botocore-session-")
    signed_with(aws, sts.issued)


def _token_file(tmp_path: Path, token: str = WEB_TOKEN) -> Path:
    path = tmp_path / "eks.amazonaws.com" / "token"
    path.parent.mkdir(exist_ok=True)
    path.write_text(token + "\n")
    return path


def test_web_identity_by_params(
    aws: FakeBedrock, sts: FakeSTS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITELLM_OIDC_ALLOWED_CREDENTIAL_DIRS", str(tmp_path))
    web = {
        "aws_web_identity_token": f"oidc/file/{_token_file(tmp_path)}",
        "aws_role_name": ROLE,
        "aws_session_name": "irsa-session",
        "aws_sts_endpoint": sts.url,
    }
    bare(aws, **web)
    bare(aws, **web)
    [sent] = sts.calls
    assert sent["Action"] == "AssumeRoleWithWebIdentity" and sent["WebIdentityToken"] == WEB_TOKEN
    assert sent["RoleSessionName"] == "irsa-session" and sent["DurationSeconds"] == "3600"
    policy = json.loads(sent["Policy"])
    assert "bedrock:InvokeModel" in policy["Statement"][0]["Action"]
    assert "authorization" not in sts.requests[0].headers, "AssumeRoleWithWebIdentity is unsigned"
    signed_with(aws, sts.issued)
    monkeypatch.setenv("MY_OIDC", WEB_TOKEN)
    bare(aws, **{**web, "aws_web_identity_token": "oidc/env/MY_OIDC"})
    assert len(sts.calls) == 2
    # A token the identity provider does not know: STS's code, the token's audience, no token.
    bad = WEB_TOKEN.replace("c2lnbmF0dXJl", "b3RoZXI")
    monkeypatch.setenv("BAD_OIDC", bad)
    with pytest.raises(litellm.AuthenticationError) as ei:
        bare(aws, **{**web, "aws_web_identity_token": "oidc/env/BAD_OIDC"})
    text = str(ei.value) + repr(ei.value)
    assert "InvalidIdentityToken" in text and 'aud="sts.amazonaws.com"' in text
    assert bad not in text and WEB_TOKEN not in text


def test_web_identity_references_refused_before_io(
    aws: FakeBedrock, sts: FakeSTS, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = {"aws_role_name": ROLE, "aws_session_name": "s", "aws_sts_endpoint": sts.url}
    with pytest.raises(litellm.AuthenticationError, match="could not be retrieved") as ei:
        bare(aws, aws_web_identity_token=WEB_TOKEN, **web)
    assert WEB_TOKEN not in str(ei.value) + repr(ei.value)
    with pytest.raises(litellm.BadRequestError, match="outside the allowed"):
        bare(aws, aws_web_identity_token="oidc/file//etc/passwd", **web)
    with pytest.raises(litellm.BadRequestError, match="oidc/github/ is not supported"):
        bare(aws, aws_web_identity_token="oidc/github/sts.amazonaws.com", **web)
    monkeypatch.setenv("SOME_VAR", "x")
    with pytest.raises(litellm.BadRequestError, match="Invalid web identity token reference"):
        bare(aws, aws_web_identity_token="SOME_VAR", **web)
    assert sts.requests == [] and aws.requests == []


def test_web_identity_from_the_environment_and_irsa_cross_account(
    aws: FakeBedrock, sts: FakeSTS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(_token_file(tmp_path)))
    monkeypatch.setenv("AWS_ROLE_ARN", ROLE)
    monkeypatch.setenv("AWS_ROLE_SESSION_NAME", "pod-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", sts.url)
    bare(aws)
    bare(aws)
    [pod] = sts.calls
    assert pod["Action"] == "AssumeRoleWithWebIdentity" and pod["RoleSessionName"] == "pod-1"
    assert "Policy" not in pod, "botocore sends no session policy"
    signed_with(aws, sts.issued)
    # aws_role_name the pod already runs as: its web identity as is.
    bare(aws, aws_role_name=ROLE)
    assert len(sts.calls) == 1
    # Another account's role: the pod's web identity, then AssumeRole signed with it.
    bare(aws, aws_role_name=OTHER_ROLE, aws_session_name="x-acct")
    web, assume = sts.calls[1:]
    assert web["Action"] == "AssumeRoleWithWebIdentity" and web["RoleSessionName"] == "x-acct"
    assert assume["Action"] == "AssumeRole" and assume["RoleArn"] == OTHER_ROLE
    assert assume["signer"] in sts.issued
    signed_with(aws, sts.issued)


def test_a_rotated_token_file_is_read_at_the_next_exchange(
    aws: FakeBedrock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    with FakeSTS(aws, lifetime=902) as sts:  # botocore's 15 min margin: fresh for about 2 s
        token = _token_file(tmp_path)
        monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token))
        monkeypatch.setenv("AWS_ROLE_ARN", ROLE)
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", sts.url)
        bare(aws)
        rotated = WEB_TOKEN + "-rotated"
        sts.web_tokens.add(rotated)
        token.write_text(rotated)
        bare(aws)
        assert len(sts.calls) == 1
        time.sleep(2.5)
        bare(aws)
        assert [c["WebIdentityToken"] for c in sts.calls] == [WEB_TOKEN, rotated]
        assert sts.calls[0]["RoleSessionName"].startswith("botocore-session-")
        signed_with(aws, sts.issued)


def test_container_credentials(
    aws: FakeBedrock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeContainerCredentials(aws) as ecs:
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", ecs.uri)
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_TOKEN)
        bare(aws)
        bare(aws)
        assert len(ecs.requests) == 1
        assert ecs.requests[0].headers["authorization"] == CONTAINER_TOKEN
        signed_with(aws, ecs.issued)
        token_file = tmp_path / "pod-identity-token"
        token_file.write_text(CONTAINER_TOKEN)
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(token_file))
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-a-file-is-set")
        bare(aws)
        assert len(ecs.requests) == 2, "another source: another cache"
        signed_with(aws, ecs.issued)
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.1.2.3/creds")
    with pytest.raises(litellm.BadRequestError, match="Unsupported host"):
        bare(aws)


def test_container_refusal_names_the_code(
    aws: FakeBedrock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeContainerCredentials(aws) as ecs:
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", ecs.uri)
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong-token-value")
        with pytest.raises(litellm.AuthenticationError) as ei:
            bare(aws)
        e = ei.value
        assert e.status_code == 401 and "AccessDenied: invalid token" in str(e)
        assert "wrong-token-value" not in str(e) + repr(e)
        assert aws.requests == []


def test_temporary_secrets_stay_out_of_callbacks_and_logs(
    aws: FakeBedrock,
    sts: FakeSTS,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from edgequake_litellm.integrations.custom_logger import CustomLogger
    from edgequake_litellm.litellm_core_utils import litellm_logging

    seen: list[Any] = []

    class Recorder(CustomLogger):
        def log_success_event(
            self, kwargs: dict[str, Any], response_obj: Any, start_time: Any, end_time: Any
        ) -> None:
            seen.append((kwargs, response_obj))

    monkeypatch.setattr(litellm, "callbacks", [Recorder()])
    litellm._turn_on_debug()
    caplog.set_level(logging.DEBUG, logger="LiteLLM")
    try:
        call(aws, aws_role_name=ROLE, aws_sts_endpoint=sts.url, aws_session_name="s")
        assert litellm_logging.flush(10)
    finally:
        monkeypatch.setattr(litellm, "set_verbose", False)
    assert len(seen) == 1
    logs = "\n".join(r.getMessage() for r in caplog.records)
    [(secret, token)] = sts.issued.values()
    for text in (repr(seen), logs):
        for s in (secret, token, SECRET_KEY):
            assert s not in text
