"""litellm and edgequake_litellm on the non-chat endpoints, against the same fake
server: the requests each sent (method, path, JSON body or multipart parts) and
the objects each returned, field by field where both have the field. The
documented divergences (README) are asserted as such."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

import litellm
import pytest

import edgequake_litellm
from fakeprov.endpoints import parse_multipart
from fakeprov.openai import FakeOpenAI

Call = Callable[[ModuleType, dict[str, Any]], Any]


def _wire(srv: FakeOpenAI) -> tuple[str, str, Any]:
    req = srv.requests[-1]
    ctype = req.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        parts = parse_multipart(ctype, req.body)
        body: Any = sorted((p.name, p.filename, p.content_type, p.data) for p in parts)
    else:
        body = req.json if req.body else None
    return req.method, req.path, body


def _dump(obj: Any) -> Any:
    if hasattr(obj, "model_dump"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return obj.model_dump()
    return obj.content


def both(call: Call, root: bool = False) -> list[tuple[tuple[str, str, Any], Any]]:
    out = []
    for lib in (litellm, edgequake_litellm):
        with FakeOpenAI() as srv:
            base = srv.base_url if root else srv.url
            result = call(lib, {"api_base": base, "api_key": "k"})
            out.append((_wire(srv), _dump(result)))
    return out


def _common(a: Any, b: Any) -> None:
    """Every field both sides have, with a value on both sides, is equal (recursively)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a.keys() & b.keys():
            if a[k] is not None and b[k] is not None:
                _common(a[k], b[k])
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _common(x, y)
    else:
        assert a == b


def test_image_generation() -> None:
    (w1, r1), (w2, r2) = both(
        lambda lib, o: lib.image_generation(prompt="fox", model="openai/dall-e-3", n=2, **o)
    )
    assert w1 == w2
    _common(r1, r2)
    assert [d["url"] for d in r1["data"]] == [d["url"] for d in r2["data"]]


def test_moderation_sends_the_model_id_not_the_prefixed_name() -> None:
    (w1, r1), (w2, r2) = both(
        lambda lib, o: lib.moderation(input="kill", model="openai/omni-moderation-latest", **o)
    )
    # litellm 1.81 sends "openai/omni-moderation-latest", which OpenAI rejects (README).
    assert w1[2]["model"] == "openai/omni-moderation-latest"
    assert w2[2] == {**w1[2], "model": "omni-moderation-latest"}
    assert [x["flagged"] for x in r1["results"]] == [x["flagged"] for x in r2["results"]]


@pytest.mark.parametrize("response_format", [None, "verbose_json"])
def test_transcription_multipart(response_format: str | None) -> None:
    kw = {"response_format": response_format} if response_format else {}
    (w1, r1), (w2, r2) = both(
        lambda lib, o: lib.transcription(
            model="openai/whisper-1",
            file=("a.wav", b"RIFF0000WAVE", "audio/wav"),
            language="en",
            **kw,
            **o,
        )
    )
    assert w1 == w2
    _common(r1, r2)
    assert r2["text"] == "transcript of a.wav (12 bytes)" and r2["duration"] == 1.5


def test_speech_bytes() -> None:
    (w1, r1), (w2, r2) = both(
        lambda lib, o: lib.speech(model="openai/tts-1", input="hello", voice="alloy", **o)
    )
    assert w1 == w2 and r1 == r2 and len(r2) > 8192


def test_cohere_rerank() -> None:
    docs = ["a cat", "a dog", "cat and dog"]
    (w1, r1), (w2, r2) = both(
        lambda lib, o: lib.rerank(
            model="cohere/rerank-english-v3.0",
            query="cat",
            documents=docs,
            top_n=2,
            **o,
        ),
        root=True,
    )
    assert w1 == w2
    _common(r1["results"], r2["results"])
    assert [x["index"] for x in r2["results"]] == [x["index"] for x in r1["results"]]


def test_responses() -> None:
    (w1, r1), (w2, r2) = both(
        lambda lib, o: lib.responses(input="hi", model="openai/gpt-4o", instructions="brief", **o)
    )
    assert w1 == w2
    # litellm re-encodes the id with provider and model (README); the rest matches.
    assert r2["id"].startswith("resp_fake") and len(r1["id"]) > 40
    del r1["id"], r2["id"]
    _common(r1, r2)
