"""litellm's module surface: settings, submodules, exceptions with openai's bases, module identity
under the alias, pickling, and what an unimplemented name says."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap

import httpx
import openai
import pytest

import edgequake_litellm as litellm
from common import MESSAGES
from fakeprov.openai import FakeOpenAI, openai_error
from fakeprov.server import Reply


def run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter of this venv; its stdout (fails on a non-zero exit)."""
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_import_does_not_load_openai_or_httpx() -> None:
    out = run_python(
        """
        import sys
        import edgequake_litellm as litellm
        print("openai" in sys.modules, "httpx" in sys.modules, "pydantic" in sys.modules)
        litellm.RateLimitError  # first use of an exception loads openai's bases
        print("openai" in sys.modules)
        """
    )
    assert out.split() == ["False", "False", "False", "True"]


def test_module_settings_exist_with_litellms_defaults() -> None:
    assert litellm.suppress_debug_info is False
    assert litellm.telemetry is True
    assert litellm.cache is None
    assert litellm.model_alias_map == {}
    assert litellm.model_fallbacks is None
    assert litellm.use_litellm_proxy is False
    assert litellm.api_version is None
    assert litellm.client_session is None and litellm.aclient_session is None
    assert litellm.add_function_to_prompt is False
    assert litellm.context_window_fallback_dict == {}


def test_model_alias_map_resolves_the_alias(
    srv: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(litellm, "model_alias_map", {"fast": "openai/gpt-4o-mini"})
    r = litellm.completion("fast", MESSAGES, api_base=srv.url, api_key="k")
    assert srv.requests[-1].json["model"] == "gpt-4o-mini"
    assert r.choices[0].message.content == "echo: hello there world"


def test_submodules_are_attributes_without_importing_them() -> None:
    out = run_python(
        """
        import edgequake_litellm as litellm
        print(litellm.utils.get_llm_provider("openai/gpt-4o")[1])
        print(litellm.exceptions.Timeout.__name__, litellm.main.completion.__name__)
        """
    )
    assert out.split() == ["openai", "Timeout", "completion"]


def test_unimplemented_name_raises_attribute_error_naming_it() -> None:
    with pytest.raises(
        AttributeError, match=r"'create_fine_tuning_job' is not implemented.*Compatibility"
    ):
        litellm.create_fine_tuning_job  # noqa: B018
    assert getattr(litellm, "no_such_litellm_name", "default") == "default"


def test_get_secret_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ELC_TEST_SECRET", "s3")
    monkeypatch.setenv("ELC_TEST_FLAG", " True ")
    monkeypatch.delenv("ELC_TEST_UNSET", raising=False)
    assert litellm.get_secret("ELC_TEST_SECRET") == "s3"
    assert litellm.get_secret("os.environ/ELC_TEST_SECRET") == "s3"
    assert litellm.get_secret("ELC_TEST_UNSET", "d") == "d"
    assert litellm.get_secret_bool("ELC_TEST_FLAG") is True
    assert litellm.get_secret_bool("ELC_TEST_SECRET") is None
    assert litellm.get_secret_bool("ELC_TEST_UNSET") is None
    with pytest.raises(ValueError, match="OIDC"):
        litellm.get_secret("oidc/google/aud")


# -- exceptions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (litellm.AuthenticationError, openai.AuthenticationError),
        (litellm.PermissionDeniedError, openai.PermissionDeniedError),
        (litellm.NotFoundError, openai.NotFoundError),
        (litellm.BadRequestError, openai.BadRequestError),
        (litellm.ContextWindowExceededError, openai.BadRequestError),
        (litellm.UnprocessableEntityError, openai.UnprocessableEntityError),
        (litellm.RateLimitError, openai.RateLimitError),
        (litellm.InternalServerError, openai.InternalServerError),
        (litellm.ServiceUnavailableError, openai.APIStatusError),
        (litellm.BadGatewayError, openai.APIStatusError),
        (litellm.APIConnectionError, openai.APIConnectionError),
        (litellm.Timeout, openai.APITimeoutError),
        (litellm.APIResponseValidationError, openai.APIResponseValidationError),
        (litellm.APIError, openai.APIError),
        (litellm.OpenAIError, openai.OpenAIError),
        (litellm.InvalidRequestError, openai.BadRequestError),
        (litellm.MockException, openai.APIError),
    ],
)
def test_exceptions_subclass_openais(ours: type, theirs: type) -> None:
    assert issubclass(ours, theirs)
    assert issubclass(ours, litellm.APIError) or ours is litellm.OpenAIError


def test_every_litellm_exception_name_is_exported() -> None:
    from edgequake_litellm import exceptions

    assert set(exceptions.__all__) == set(litellm._EXCEPTIONS)
    for name in exceptions.__all__:
        assert issubclass(getattr(litellm, name), Exception)


def test_exception_built_as_litellm_builds_it() -> None:
    e = litellm.RateLimitError(
        message="slow down", llm_provider="openai", model="gpt-4o", retry_after=7
    )
    assert str(e) == "litellm.RateLimitError: slow down"
    assert (e.status_code, e.llm_provider, e.model) == (429, "openai", "gpt-4o")
    assert isinstance(e.response, httpx.Response)
    assert e.response.status_code == 429
    assert e.response.headers["retry-after"] == "7"
    assert isinstance(e.request, httpx.Request)
    j = litellm.JSONSchemaValidationError(
        model="m", llm_provider="openai", raw_response="{}", schema="{}"
    )
    assert isinstance(j, litellm.APIResponseValidationError) and j.raw_response == "{}"
    r = litellm.RouterRateLimitError(model="g", cooldown_time=5.0, cooldown_list=["a"])
    assert isinstance(r, ValueError) and "Try again in 5.0 seconds" in str(r)


def test_provider_error_is_caught_as_openais_with_retry_after(srv: FakeOpenAI) -> None:
    srv.enqueue(openai_error(429, "too many", "rate_limit_error", headers={"retry-after": "2"}))
    with pytest.raises(openai.RateLimitError) as ei:
        litellm.completion("openai/gpt-4o", MESSAGES, api_base=srv.url, api_key="k", num_retries=0)
    assert ei.value.response.headers["retry-after"] == "2"
    assert ei.value.response.status_code == 429


def test_connection_error_is_openais(srv: FakeOpenAI) -> None:
    url = srv.url
    srv.close()
    with pytest.raises(openai.APIConnectionError):
        litellm.completion("openai/gpt-4o", MESSAGES, api_base=url, api_key="k", num_retries=0)


def test_exceptions_pickle_without_the_alias() -> None:
    e = litellm.RateLimitError(message="m", llm_provider="openai", model="x", retry_after=1.5)
    assert type(e).__module__ == "edgequake_litellm.exceptions"
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is litellm.RateLimitError
    assert (str(back), back.status_code, back.retry_after) == (str(e), 429, 1.5)
    assert back.response.headers["retry-after"] == "1.5"


def test_module_identity_and_pickling_under_the_alias() -> None:
    out = run_python(
        """
        import pickle, sys
        import edgequake_litellm
        sys.modules["litellm"] = edgequake_litellm
        import litellm
        e = litellm.Timeout(message="t", llm_provider="openai", model="m")
        print(type(e).__module__, litellm.ModelResponse.__module__)
        back = pickle.loads(pickle.dumps(e))
        print(type(back) is litellm.Timeout, back.status_code)
        blob = pickle.dumps(litellm.ModelResponse(model="m"))
        print(b"litellm.types.utils" in blob, pickle.loads(blob).model)
        """
    )
    assert out.split() == [
        "litellm.exceptions",
        "litellm.types.utils",
        "True",
        "408",
        "True",
        "m",
    ]


def test_batch_completion_keeps_order_and_failures(srv: FakeOpenAI) -> None:
    batch = [[{"role": "user", "content": "one"}], "not a list", [{"role": "user", "content": "3"}]]
    out = litellm.batch_completion("openai/gpt-4o", batch, api_base=srv.url, api_key="k")
    assert out[0].choices[0].message.content == "echo: one"  # type: ignore[union-attr]
    assert isinstance(out[1], litellm.BadRequestError)
    assert out[2].choices[0].message.content == "echo: 3"  # type: ignore[union-attr]
    assert len(srv.requests) == 2


def test_batch_completion_models_first_success_and_all_responses(srv: FakeOpenAI) -> None:
    msgs = [{"role": "user", "content": "hi"}]
    with FakeOpenAI() as slow:
        slow.enqueue(Reply(delay=1.0))
        deployments = [
            {"model": "openai/slow", "api_base": slow.url},
            {"model": "openai/refused", "api_base": "http://127.0.0.1:9", "num_retries": 0},
            {"model": "openai/fast", "api_base": srv.url},
        ]
        first = litellm.batch_completion_models(messages=msgs, deployments=deployments, api_key="k")
        assert srv.requests[-1].json["model"] == "fast" and first.model is not None
        every = litellm.batch_completion_models_all_responses(
            messages=msgs, models=["openai/a", "openai/b"], api_base=srv.url, api_key="k"
        )
        assert [r.choices[0].message.content for r in every] == ["echo: hi", "echo: hi"]  # type: ignore[union-attr]
        with pytest.raises(litellm.APIConnectionError):
            litellm.batch_completion_models(
                messages=msgs, models=["openai/x"], api_base="http://127.0.0.1:9", num_retries=0
            )
    with pytest.raises(litellm.BadRequestError, match="models"):
        litellm.batch_completion_models(messages=msgs)


def test_completion_with_retries_retries_to_success(srv: FakeOpenAI) -> None:
    srv.enqueue(
        openai_error(503, "busy", "server_error"), openai_error(503, "busy", "server_error")
    )
    r = litellm.completion_with_retries(
        model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k", num_retries=3
    )
    assert r.choices[0].message.content == "echo: hello there world"
    assert len(srv.requests) == 3


def test_acompletion_with_retries_gives_up_after_its_attempts(srv: FakeOpenAI) -> None:
    import asyncio

    srv.enqueue(*[openai_error(503, "busy", "server_error")] * 3)
    with pytest.raises(litellm.ServiceUnavailableError):
        asyncio.run(
            litellm.acompletion_with_retries(
                model="openai/gpt-4o",
                messages=MESSAGES,
                api_base=srv.url,
                api_key="k",
                num_retries=2,
            )
        )
    assert len(srv.requests) == 2


def test_trim_messages_fits_the_budget_newest_first() -> None:
    history = [{"role": "system", "content": "be terse"}] + [
        {"role": "user", "content": f"turn {i} " + "word " * 200} for i in range(5)
    ]
    before = [dict(m) for m in history]
    out = litellm.utils.trim_messages(history, model="gpt-4o", max_tokens=300)
    assert isinstance(out, list)
    assert history == before  # the input is not modified
    assert litellm.token_counter(model="gpt-4o", messages=out) <= 300
    assert out[0] == {"role": "system", "content": "be terse"}
    assert out[-1] == history[-1]  # the newest turn is kept whole
    assert ".." in out[1]["content"]  # the one before it is cut in the middle
    trimmed, left = litellm.trim_messages(
        history, model="gpt-4o", max_tokens=300, return_response_tokens=True
    )
    assert trimmed == out and 0 <= left < 300


def test_trim_messages_window_tool_tail_and_unknown_model() -> None:
    short = [{"role": "user", "content": "hi"}]
    assert litellm.trim_messages(short, model="gpt-4o") == short  # under 75% of the window
    assert litellm.trim_messages(short * 3, model="no-such-model") == short * 3
    tool = {"role": "tool", "tool_call_id": "c1", "content": "x " * 400}
    out = litellm.trim_messages([*short, tool], model="gpt-4o", max_tokens=50)
    assert isinstance(out, list) and out[-1] == tool  # trailing tool results kept as they are


def test_text_completion_sends_the_prompt_as_one_user_turn(srv: FakeOpenAI) -> None:
    kw = {"api_base": srv.url, "api_key": "k"}
    r = litellm.text_completion("openai/gpt-4o", "say hi", **kw)
    assert isinstance(r, litellm.TextCompletionResponse)
    assert r.object == "text_completion" and r.choices[0].text == "echo: say hi"
    assert r.usage is not None and r.usage.total_tokens > 0
    assert srv.requests[-1].json["messages"] == [{"role": "user", "content": "say hi"}]
    joined = litellm.text_completion("openai/gpt-4o", ["a", "b"], **kw)
    assert joined.choices[0].text == "echo: a\nb"  # type: ignore[union-attr]
    with pytest.raises(litellm.BadRequestError):
        litellm.text_completion("openai/gpt-4o", 42, **kw)
    assert len(srv.requests) == 2


def test_instruct_models_use_the_legacy_completions_endpoint(srv: FakeOpenAI) -> None:
    import asyncio

    kw = {"api_base": srv.url, "api_key": "k"}
    r = litellm.text_completion("gpt-3.5-turbo-instruct", ["a b", "c"], max_tokens=5, **kw)
    req = srv.requests[-1]
    assert (req.method, req.path) == ("POST", "/v1/completions")
    assert req.json == {"model": "gpt-3.5-turbo-instruct", "prompt": ["a b", "c"], "max_tokens": 5}
    assert [c.text for c in r.choices] == [" echo: a b", " echo: c"]
    assert r.usage is not None and r.usage.total_tokens == 8
    cost = r._hidden_params["response_cost"]
    info = litellm.get_model_info("gpt-3.5-turbo-instruct")
    assert cost == pytest.approx(
        3 * info["input_cost_per_token"] + 5 * info["output_cost_per_token"]
    )
    prefixed = asyncio.run(
        litellm.atext_completion("text-completion-openai/davinci-002", "hi", **kw)
    )
    assert srv.requests[-1].json["model"] == "davinci-002"
    assert prefixed.choices[0].text == " echo: hi"  # type: ignore[union-attr]
    n = len(srv.requests)
    with pytest.raises(litellm.BadRequestError, match="stream"):
        litellm.text_completion("gpt-3.5-turbo-instruct", "hi", stream=True, **kw)
    assert len(srv.requests) == n


def test_text_completion_streams_sync_and_async(srv: FakeOpenAI) -> None:
    import asyncio

    kw = {"api_base": srv.url, "api_key": "k"}
    chunks = list(litellm.text_completion("openai/gpt-4o", "one two", stream=True, **kw))
    assert all(isinstance(c, litellm.TextCompletionResponse) for c in chunks)
    assert "".join(c.choices[0].text or "" for c in chunks) == "echo: one two"

    async def collect() -> str:
        s = await litellm.atext_completion("openai/gpt-4o", "x y", stream=True, **kw)
        return "".join([c.choices[0].text or "" async for c in s])  # type: ignore[union-attr]

    assert asyncio.run(collect()) == "echo: x y"
    r = asyncio.run(litellm.atext_completion("openai/gpt-4o", "z", **kw))
    assert r.choices[0].text == "echo: z"  # type: ignore[union-attr]
