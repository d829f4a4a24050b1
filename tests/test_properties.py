"""Property-based: random messages and kwargs never crash the interpreter, and the only
exceptions are litellm's classes (or TypeError/ValueError for unusable Python objects)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edgequake_litellm as litellm
from fakeprov.openai import FakeOpenAI

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
json_like = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
content = st.one_of(
    st.text(max_size=40),
    st.none(),
    st.lists(
        st.fixed_dictionaries(
            {"type": st.sampled_from(["text", "image_url", "bogus"])},
            optional={"text": json_like, "image_url": json_like},
        ),
        max_size=3,
    ),
    json_like,
)
message = st.fixed_dictionaries(
    {},
    optional={
        "role": st.one_of(
            st.sampled_from(["system", "user", "assistant", "tool", "developer", "wizard"]),
            json_like,
        ),
        "content": content,
        "tool_calls": json_like,
        "tool_call_id": json_like,
        "name": json_like,
    },
)
messages = st.one_of(st.lists(message, max_size=4), json_like)
kwargs = st.fixed_dictionaries(
    {},
    optional={
        "temperature": json_like,
        "top_p": json_like,
        "n": st.one_of(st.integers(-2, 3), json_like),
        "max_tokens": json_like,
        "stop": json_like,
        "tools": json_like,
        "tool_choice": json_like,
        "response_format": json_like,
        "seed": json_like,
        "user": json_like,
        "stream": st.booleans(),
        "timeout": st.one_of(st.floats(min_value=0.001, max_value=5), json_like),
        "num_retries": st.one_of(st.integers(-3, 0), st.text(max_size=3), st.floats()),
        "extra_headers": st.one_of(
            st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3), json_like
        ),
        "extra_body": st.dictionaries(st.text(max_size=8), json_like, max_size=3),
        "api_key": st.one_of(st.text(max_size=20), st.none()),
    },
)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as s:
        yield s


def exercise(server: FakeOpenAI, msgs: Any, kw: dict[str, Any]) -> None:
    kw = {"num_retries": 0, **kw}  # the only valid value generated is 0: no slow backoff
    try:
        r = litellm.completion(model="openai/m", messages=msgs, api_base=server.url, **kw)
        if isinstance(r, litellm.CustomStreamWrapper):
            for _ in r:
                pass
    except (litellm.APIError, TypeError, ValueError):
        pass


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(msgs=messages, kw=kwargs)
def test_random_input_raises_only_documented_exceptions(
    server: FakeOpenAI, msgs: Any, kw: dict[str, Any]
) -> None:
    exercise(server, msgs, kw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=st.text(max_size=30), inp=json_like)
def test_random_models_and_embedding_inputs(model: str, inp: Any) -> None:
    with contextlib.suppress(litellm.APIError, TypeError, ValueError):
        litellm.embedding(model=model, input=inp, api_base="not a url", api_key="k")
