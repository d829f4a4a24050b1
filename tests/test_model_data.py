"""Model data: litellm's model map facts, parameter table, token counts and costs.

litellm's own answers for ~1,900 queries are compared in tests/model_data; these tests pin
the behaviour a user relies on (shapes, exceptions, laziness, calls on the wire).
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import edgequake_litellm as litellm
import edgequake_litellm.utils
from common import MESSAGES
from fakeprov.ollama import FakeOllama
from fakeprov.openai import FakeOpenAI


@pytest.fixture
def ollama() -> Any:
    with FakeOllama() as server:
        yield server


def test_import_loads_no_model_data() -> None:
    code = (
        "import sys, edgequake_litellm as l\n"
        "assert 'edgequake_litellm.utils' not in sys.modules\n"
        "assert 'edgequake_litellm.litellm_core_utils.get_model_cost_map' not in sys.modules\n"
        "info = l.get_model_info('gpt-4o')\n"
        "from edgequake_litellm.litellm_core_utils import get_model_cost_map as m\n"
        "assert dict.__len__(l.model_cost) < 10, dict.__len__(l.model_cost)\n"
        "print(info['max_input_tokens'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "128000"


def test_lookups_of_an_unknown_provider_do_not_load_the_exceptions() -> None:
    """Model-data lookups answer an unknown model without raising BadRequestError inside
    (raising it imports the openai SDK); ``get_llm_provider`` itself still raises it."""
    code = (
        "import sys, edgequake_litellm as l\n"
        "assert l.supports_function_calling('no-such-model') is False\n"
        "assert l.supports_response_schema('no-such-model') is False\n"
        "assert l.get_supported_openai_params('no-such-model') is None\n"
        "assert l.validate_environment('no-such-model')['keys_in_environment'] is True\n"
        "try:\n"
        "    l.get_model_info('no-such-model')\n"
        "except Exception as e:\n"
        "    print(type(e).__name__)\n"
        "print('openai' in sys.modules, 'pydantic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["ModelNotMappedError", "False", "False"], out.stdout
    with pytest.raises(litellm.BadRequestError, match="LLM Provider NOT provided"):
        litellm.get_llm_provider("no-such-model")
    assert litellm.get_llm_provider("no-such-model", "openai")[:2] == ("no-such-model", "openai")


def test_first_call_reads_one_block_of_the_map(srv: FakeOpenAI) -> None:
    """A chat call's first model-data work (parameter check, response cost) decompresses
    the bundle block of its model and parses its entry, not the map."""
    code = (
        "import edgequake_litellm as l\n"
        f"l.completion(model='openai/gpt-4o-mini', messages={MESSAGES!r}, api_base={srv.url!r},"
        " api_key='k')\n"
        "info = l.get_model_info('gpt-4o-mini', 'openai')\n"
        "from edgequake_litellm.litellm_core_utils.bundled_data import map_bundle\n"
        "b = map_bundle()\n"
        "print(b.block.cache_info().misses, b.block_count, dict.__len__(l.model_cost))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    read, blocks, parsed = map(int, out.stdout.split())
    assert read == 1 and blocks > 100 and parsed == 1, out.stdout


def test_bundle_reads_each_entry_alone() -> None:
    from edgequake_litellm.litellm_core_utils.bundled_data import MapBundle, map_bundle

    bundle = map_bundle()
    keys = [line.key for line in bundle.lines()]
    assert len(set(keys)) == len(keys) > 4000
    for key in keys[::97]:
        line = bundle.line(key)
        assert line is not None and line.key == key
        assert json.loads(line.entry) == litellm.model_cost[key]
        assert [m.key for m in bundle.matching(key.upper())] == [key]
    assert bundle.line("GPT-4") is None and bundle.matching("no-such-model") == []
    with pytest.raises(ValueError, match="not a model map bundle"):
        MapBundle(b"ZZZZ" + bytes(16))


def test_keys_match_case_insensitively(monkeypatch: pytest.MonkeyPatch) -> None:
    from edgequake_litellm.litellm_core_utils.get_model_cost_map import ModelCostMap

    mc = ModelCostMap()
    monkeypatch.setattr(litellm, "model_cost", mc)
    assert litellm.get_model_info("GPT-4o")["key"] == "gpt-4o"
    mc["Acme/Chat-1"] = {"litellm_provider": "openai", "mode": "chat"}
    assert litellm.get_model_info("acme/chat-1")["key"] == "Acme/Chat-1"
    mc["GPT-4O"] = {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1.0}
    assert litellm.get_model_info("gpt-4o")["key"] == "gpt-4o"  # an exact key first
    assert litellm.get_model_info("Gpt-4o")["key"] == "GPT-4O"  # then the process's keys
    del mc["GPT-4O"], mc["gpt-4o"]
    with pytest.raises(litellm.ModelNotMappedError):
        litellm.get_model_info("Gpt-4o")
    assert dict.__len__(mc) < 10  # none of it read the whole map
    plain = {"Acme/Other": {"litellm_provider": "openai", "mode": "chat"}}
    monkeypatch.setattr(litellm, "model_cost", plain)
    assert litellm.get_model_info("acme/other")["key"] == "Acme/Other"


def test_model_cost_behaves_as_a_dict(monkeypatch: pytest.MonkeyPatch) -> None:
    from edgequake_litellm.litellm_core_utils.get_model_cost_map import ModelCostMap

    mc = ModelCostMap()
    monkeypatch.setattr(litellm, "model_cost", mc)
    assert isinstance(mc, dict)
    assert "gpt-4o" in mc and mc["gpt-4o"]["litellm_provider"] == "openai"
    assert mc.get("no-such-model") is None and "no-such-model" not in mc
    with pytest.raises(KeyError):
        mc["no-such-model"]
    mc["my-model"] = {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6}
    del mc["gpt-4"]
    assert "gpt-4" not in mc
    with pytest.raises(KeyError):
        del mc["gpt-4"]
    plain = dict(mc)
    assert "my-model" in plain and "gpt-4" not in plain and len(plain) == len(mc) > 1000
    assert list(mc)[-1] == "my-model"
    assert json.loads(json.dumps(mc)) == plain
    assert pickle.loads(pickle.dumps(mc)) == plain
    assert litellm.get_model_info("my-model")["input_cost_per_token"] == 1e-6


def test_get_model_info_shape_and_unknown_model() -> None:
    info = litellm.get_model_info("gpt-4o")
    assert info["key"] == "gpt-4o" and info["litellm_provider"] == "openai"
    assert (info["max_input_tokens"], info["max_output_tokens"]) == (128000, 16384)
    assert info["max_tokens"] == 16384 and info["mode"] == "chat"
    assert info["input_cost_per_token"] == 2.5e-06 and info["supports_vision"] is True
    assert "temperature" in info["supported_openai_params"]
    assert litellm.get_model_info("openai/gpt-4o")["key"] == "gpt-4o"
    assert litellm.get_model_info("claude-sonnet-4-5")["litellm_provider"] == "anthropic"
    with pytest.raises(litellm.ModelNotMappedError, match="isn't mapped"):
        litellm.get_model_info("no-such-model-xyz")
    from edgequake_litellm.exceptions import ModelNotMappedError

    assert ModelNotMappedError is litellm.ModelNotMappedError
    assert litellm.get_max_tokens("gpt-4o") == 16384


@pytest.mark.parametrize(
    ("fn", "model", "expected"),
    [
        ("supports_function_calling", "gpt-4o", True),
        ("supports_function_calling", "text-embedding-3-small", False),
        ("supports_function_calling", "no-such-model-xyz", False),
        ("supports_vision", "anthropic/claude-sonnet-4-5", True),
        ("supports_reasoning", "gemini/gemini-2.5-flash", True),
        ("supports_reasoning", "gpt-4o", False),
        ("supports_response_schema", "lm_studio/anything", True),
        ("supports_prompt_caching", "claude-sonnet-4-5", True),
        ("supports_system_messages", "gpt-4o", True),
        ("supports_tool_choice", "gpt-4o", True),
        ("supports_parallel_function_calling", "gpt-4o", True),
        ("supports_audio_input", "gpt-4o", False),
        ("supports_pdf_input", "claude-sonnet-4-5", True),
        ("supports_web_search", "xai/grok-4", True),
    ],
)
def test_supports(fn: str, model: str, expected: bool) -> None:
    assert getattr(litellm, fn)(model) is expected
    assert getattr(edgequake_litellm.utils, fn)(model) is expected


def test_get_llm_provider_knows_every_litellm_provider() -> None:
    assert litellm.get_llm_provider("vertex_ai/gemini-2.5-pro")[:2] == (
        "gemini-2.5-pro",
        "vertex_ai",
    )
    assert litellm.get_llm_provider("gemini-2.5-pro")[:2] == ("gemini-2.5-pro", "vertex_ai")
    assert litellm.get_llm_provider("claude-opus-9-9")[1] == "anthropic"  # routing rule
    with pytest.raises(litellm.BadRequestError, match="LLM Provider NOT provided"):
        litellm.get_llm_provider("no-such-model-xyz")
    assert "anthropic" in litellm.provider_list and "openai" in litellm.models_by_provider
    assert "gpt-4o" in litellm.model_list


def test_supported_params_table() -> None:
    anth = litellm.get_supported_openai_params("claude-sonnet-4-5", custom_llm_provider="anthropic")
    assert anth is not None and "thinking" in anth and "frequency_penalty" not in anth
    assert "reasoning_effort" not in (litellm.get_supported_openai_params("gpt-4o") or [])
    assert litellm.get_supported_openai_params("no-such-model-xyz") is None
    assert litellm.get_supported_openai_params("gpt-4o", request_type="embeddings") == [
        "user",
        "encoding_format",
        "dimensions",
    ]
    assert "temperature" in litellm.OPENAI_CHAT_COMPLETION_PARAMS
    from edgequake_litellm.litellm_core_utils.get_supported_openai_params import (
        get_supported_openai_params,
    )

    assert get_supported_openai_params is litellm.get_supported_openai_params


def test_unsupported_param_refused_before_io_then_dropped(srv: FakeOpenAI) -> None:
    kw: dict[str, Any] = {"messages": MESSAGES, "api_base": srv.url, "api_key": "k"}
    with pytest.raises(litellm.UnsupportedParamsError, match="frequency_penalty") as e:
        litellm.completion(model="xai/grok-4", frequency_penalty=0.1, **kw)
    assert e.value.llm_provider == "xai" and srv.requests == []
    litellm.completion(model="xai/grok-4", frequency_penalty=0.1, drop_params=True, **kw)
    assert "frequency_penalty" not in srv.last.json
    litellm.completion(model="openai/gpt-4o", seed=1, additional_drop_params=["seed"], **kw)
    assert "seed" not in srv.last.json
    assert "additional_drop_params" not in srv.last.json


def test_token_counter_litellm_numbers() -> None:
    # litellm counts a single user "Hi" to gpt-4o as 8 tokens (3 + role + text + 3 primer).
    assert litellm.token_counter(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}]) == 8
    assert litellm.token_counter(model="gpt-4o", text="hello world") == 2
    ids = litellm.encode(model="gpt-4o", text="hello world")
    assert ids == [24912, 2375] and litellm.decode(model="gpt-4o", tokens=ids) == "hello world"
    assert litellm.encode(model="gpt-4", text="hello world") == [15339, 1917]
    tools = [{"type": "function", "function": {"name": "f", "parameters": {}}}]
    with_tools = litellm.token_counter(model="gpt-4o", messages=MESSAGES, tools=tools)
    assert with_tools > litellm.token_counter(model="gpt-4o", messages=MESSAGES)
    with pytest.raises(ValueError, match="both"):
        litellm.token_counter(model="gpt-4o", text="a", messages=MESSAGES)
    with pytest.raises(ValueError, match="unknown token"):
        litellm.decode(model="gpt-4o", tokens=[10**9])
    long = "word " * 20_000
    assert 19_000 < litellm.token_counter(model="gpt-4o", text=long) < 21_000


def test_response_cost_in_hidden_params_equals_completion_cost(srv: FakeOpenAI) -> None:
    r = litellm.completion(model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k")
    cost = r._hidden_params["response_cost"]
    assert cost is not None and cost > 0
    assert cost == litellm.completion_cost(completion_response=r)
    u = r.usage
    assert cost == pytest.approx(u.prompt_tokens * 2.5e-06 + u.completion_tokens * 1e-05)
    local = litellm.completion(model="openai/my-local-model", messages=MESSAGES, api_base=srv.url)
    assert local._hidden_params["response_cost"] is None


def test_local_provider_costs_nothing(ollama: FakeOllama) -> None:
    r = litellm.completion(model="ollama_chat/qwen3", messages=MESSAGES, api_base=ollama.url)
    assert r._hidden_params["response_cost"] == 0.0


def test_completion_cost_from_text_and_cost_per_token() -> None:
    cost = litellm.completion_cost(model="gpt-4o", prompt="hello world", completion="hi")
    assert cost == pytest.approx(2 * 2.5e-06 + 1 * 1e-05)
    p, c = litellm.cost_per_token(model="gpt-4o", prompt_tokens=1000, completion_tokens=10)
    assert (p, c) == (pytest.approx(0.0025), pytest.approx(0.0001))
    cached = litellm.Usage(
        prompt_tokens=1000, completion_tokens=0, prompt_tokens_details={"cached_tokens": 800}
    )
    p, _ = litellm.cost_per_token(model="gpt-4o", prompt_tokens=1000, usage_object=cached)
    assert p == pytest.approx(200 * 2.5e-06 + 800 * 1.25e-06)
    with pytest.raises(litellm.ModelNotMappedError):
        litellm.completion_cost(model="no-such-model-xyz", prompt="a", completion="b")


def test_stream_chunk_builder_counts_like_token_counter(srv: FakeOpenAI) -> None:
    chunks = list(
        litellm.completion(
            model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key="k", stream=True
        )
    )
    built = litellm.stream_chunk_builder(chunks, messages=MESSAGES)
    assert built is not None
    text = built.choices[0].message.content or ""
    assert built.usage.prompt_tokens == litellm.token_counter(model="gpt-4o", messages=MESSAGES)
    assert built.usage.completion_tokens == litellm.token_counter(model="gpt-4o", text=text)
    assert built._hidden_params["response_cost"] == litellm.completion_cost(built)


def test_register_model_and_refresh_from_a_file(tmp_path: Path) -> None:
    litellm.register_model({"gpt-4o": {"input_cost_per_token": 9e-06}})
    try:
        info = litellm.get_model_info("gpt-4o")
        assert info["input_cost_per_token"] == 9e-06 and info["max_input_tokens"] == 128000
    finally:
        litellm.register_model({"gpt-4o": {"input_cost_per_token": 2.5e-06}})
    path = tmp_path / "map.json"
    path.write_text(json.dumps({"acme/m1": {"litellm_provider": "openai", "mode": "chat"}}))
    assert litellm.get_model_cost_map(str(path)) == {
        "acme/m1": {"litellm_provider": "openai", "mode": "chat"}
    }
    litellm.register_model(str(path))
    assert litellm.get_model_info("acme/m1")["mode"] == "chat"


def test_validate_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    assert litellm.validate_environment("gemini/gemini-2.5-flash") == {
        "keys_in_environment": False,
        "missing_keys": ["GOOGLE_API_KEY", "GEMINI_API_KEY"],
    }
    monkeypatch.setenv("GEMINI_API_KEY", "x")
    assert litellm.validate_environment("gemini/gemini-2.5-flash")["keys_in_environment"]
    assert litellm.validate_environment("gpt-4o", api_key="k")["keys_in_environment"]
    assert litellm.validate_environment("")["keys_in_environment"] is False
