"""Debug logging (``litellm._logging``, ``set_verbose``, ``LITELLM_LOG``) and budgets
(``litellm.max_budget`` / ``BudgetExceededError``, ``BudgetManager``)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import edgequake_litellm as litellm
from common import MESSAGES
from edgequake_litellm import _logging
from edgequake_litellm.litellm_core_utils import litellm_logging
from fakeprov.openai import FakeOpenAI, openai_error

MODEL = "openai/gpt-4o-mini"
KEY = "sk-log-sentinel-93ab"


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(litellm, "set_verbose", False)
    monkeypatch.setattr(litellm, "max_budget", 0.0)
    monkeypatch.setattr(litellm, "_current_cost", 0.0)
    for lg in (_logging.verbose_logger, _logging.verbose_router_logger):
        monkeypatch.setattr(lg, "level", logging.NOTSET)
        monkeypatch.setattr(lg, "handlers", [])
        monkeypatch.setattr(lg, "disabled", False)
    yield
    assert litellm_logging.flush(10)


def test_silent_by_default(srv: FakeOpenAI, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key=KEY)
    assert not [r for r in caplog.records if r.name.startswith("LiteLLM")]


def test_debug_logs_request_status_retries_and_timing(
    srv: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    litellm._turn_on_debug()
    assert _logging.verbose_logger.level == logging.DEBUG
    caplog.set_level(logging.DEBUG, logger="LiteLLM")
    srv.enqueue(openai_error(503, "busy", type="server_error", headers={"retry-after": "0.05"}))
    litellm.completion(
        model=MODEL, messages=MESSAGES, api_base=srv.url, api_key=KEY, num_retries=2,
        extra_headers={"x-api-key": KEY, "x-trace": "t1"},
    )  # fmt: skip
    lines = [r.getMessage() for r in caplog.records if r.name == "LiteLLM"]
    text = "\n".join(lines)
    assert f"POST {srv.url}/chat/completions" in text
    assert "authorization: [REDACTED]" in text and "x-api-key: [REDACTED]" in text
    assert "x-trace: t1" in text and "bytes" in text
    assert "status 503" in text and "status 200" in text
    assert "retry 1/2 in 0.050 s (retry-after) after status 503" in text
    assert any(" ok in " in line and " ms" in line for line in lines)
    assert KEY not in text


def test_set_verbose_turns_debug_on(srv: FakeOpenAI, caplog: pytest.LogCaptureFixture) -> None:
    litellm.set_verbose = True
    caplog.set_level(logging.DEBUG, logger="LiteLLM")
    srv.enqueue(openai_error(401, f"bad key {KEY}", code="invalid_api_key"))
    with pytest.raises(litellm.AuthenticationError):
        litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key=KEY)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "status 401" in text and "AuthenticationError after" in text
    assert KEY not in text


def test_disable_debugging(srv: FakeOpenAI, caplog: pytest.LogCaptureFixture) -> None:
    litellm._turn_on_debug()
    litellm._disable_debugging()
    caplog.set_level(logging.DEBUG)
    litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key=KEY)
    assert not [r for r in caplog.records if r.name == "LiteLLM"]


def test_litellm_log_env_var(srv: FakeOpenAI) -> None:
    code = f"""
import edgequake_litellm as litellm
litellm.completion(model="openai/gpt-4o-mini", messages=[{{"role": "user", "content": "x"}}],
                   api_base={srv.url!r}, api_key={KEY!r})
"""
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, timeout=60, env={**_env(), "LITELLM_LOG": "DEBUG"},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "LiteLLM:DEBUG" in out.stderr and "status 200" in out.stderr
    assert KEY not in out.stderr + out.stdout
    quiet = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=_env()
    )
    assert quiet.returncode == 0 and quiet.stderr == ""


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "LITELLM_LOG"}


# -- budgets --------------------------------------------------------------------


def test_max_budget_refuses_the_call_before_any_request(srv: FakeOpenAI) -> None:
    litellm.max_budget = 0.01
    litellm._current_cost = 0.02
    with pytest.raises(litellm.BudgetExceededError) as ei:
        litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key=KEY)
    assert ei.value.current_cost == 0.02 and ei.value.max_budget == 0.01
    assert "Budget has been exceeded" in str(ei.value)
    assert not srv.requests
    litellm._current_cost = 0.001  # under the budget: the call goes through
    r = litellm.completion(model=MODEL, messages=MESSAGES, api_base=srv.url, api_key=KEY)
    assert r.choices[0].message.content == "echo: hello there world"


def test_max_budget_accumulates_the_cost(srv: FakeOpenAI) -> None:
    litellm.max_budget = 1.0
    r = litellm.completion(model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key=KEY)
    cost = r._hidden_params["response_cost"]
    assert cost > 0 and litellm._current_cost == pytest.approx(cost)


def test_budget_manager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bm = litellm.BudgetManager(project_name="p")
    assert bm.create_budget(total_budget=10, user="u@x") == {"total_budget": 10}
    rec = bm.create_budget(total_budget=5, user="w", duration="daily", created_at=100.0)
    assert rec == {"total_budget": 5, "duration": 1, "created_at": 100.0, "last_updated_at": 100.0}
    assert bm.is_valid_user("u@x") and not bm.is_valid_user("nobody")
    assert bm.get_users() == ["u@x", "w"] and bm.get_total_budget("w") == 5.0
    assert bm.get_current_cost("u@x") == 0 and bm.get_model_cost("u@x") == 0
    saved = json.loads((tmp_path / "user_cost.json").read_text())
    assert saved["w"]["duration"] == 1
    bm.user_dict["w"]["current_cost"] = 3.0
    bm.update_budget_all_users()  # created at t=100: a day has long passed
    assert bm.get_current_cost("w") == 0 and bm.user_dict["w"]["last_updated_at"] > 100
    assert litellm.BudgetManager(project_name="p").get_users() == ["u@x", "w"]  # reloaded
    with pytest.raises(ValueError, match="duration"):
        bm.create_budget(total_budget=1, user="z", duration="hourly")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="local"):
        litellm.BudgetManager(project_name="p", client_type="hosted")
    assert bm.reset_cost("u@x") == {
        "user": {"total_budget": 10, "current_cost": 0, "model_cost": {}}
    }


def test_budget_manager_update_cost(
    srv: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    bm = litellm.BudgetManager(project_name="p")
    bm.create_budget(total_budget=10, user="u")
    r = litellm.completion(model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key=KEY)
    bm.update_cost(user="u", completion_obj=r)
    cost = litellm.completion_cost(completion_response=r)
    assert cost > 0 and bm.get_current_cost("u") == pytest.approx(cost)
    assert bm.get_model_cost("u") == {r.model: pytest.approx(cost)}
    assert bm.projected_cost("gpt-4o", MESSAGES, "u") > cost  # plus the prompt's price
