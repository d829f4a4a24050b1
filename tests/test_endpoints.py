"""``image_generation``, ``moderation``, ``rerank``, ``transcription`` and
``speech`` (sync and async) against the fake OpenAI server: exact request
bodies (multipart bodies parsed part by part), litellm's return types, error
mapping, and refusal before any I/O for providers without the endpoint."""

from __future__ import annotations

import asyncio
import base64
import io
from pathlib import Path
from typing import Any

import openai.types as oait
import pytest

import edgequake_litellm as litellm
from edgequake_litellm.types.llms.openai import HttpxBinaryResponseContent
from edgequake_litellm.types.rerank import RerankResponse
from edgequake_litellm.types.utils import ImageResponse, TranscriptionResponse
from fakeprov.endpoints import AUDIO_CHUNK, PNG, audio_for, parse_multipart
from fakeprov.openai import FakeOpenAI, openai_error

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) * 8


def opts(srv: FakeOpenAI, **kw: Any) -> dict[str, Any]:
    return {"api_base": srv.url, "api_key": "k", "num_retries": 0, **kw}


# -- images --------------------------------------------------------------------


def test_image_generation_urls_and_b64(srv: FakeOpenAI) -> None:
    r = litellm.image_generation("a red fox", "openai/dall-e-3", n=2, size="1024x1024", **opts(srv))
    assert (srv.last.path, srv.last.headers["authorization"]) == (
        "/v1/images/generations",
        "Bearer k",
    )
    assert srv.last.json == {
        "model": "dall-e-3",
        "prompt": "a red fox",
        "n": 2,
        "size": "1024x1024",
    }
    assert isinstance(r, ImageResponse)
    assert [d.url for d in r.data] == ["https://images.fake/0.png", "https://images.fake/1.png"]
    assert r.data[0].revised_prompt == "a red fox!" and r.created == 1_700_000_000
    assert r._hidden_params["custom_llm_provider"] == "openai"
    oait.ImagesResponse.model_validate(r.model_dump())
    b = asyncio.run(
        litellm.aimage_generation(
            prompt="fox", model="xai/grok-2-image", response_format="b64_json", **opts(srv)
        )
    )
    assert srv.last.json["model"] == "grok-2-image"
    assert base64.b64decode(b.data[0].b64_json or "") == PNG and b.data[0].url is None


def test_image_generation_default_model_and_content_policy(srv: FakeOpenAI) -> None:
    litellm.image_generation("cat", **opts(srv))
    assert srv.last.json["model"] == "dall-e-2"
    with pytest.raises(litellm.ContentPolicyViolationError) as e:
        litellm.image_generation("something forbidden", "openai/dall-e-3", **opts(srv))
    assert e.value.status_code == 400


# -- moderation ----------------------------------------------------------------


def test_moderation(srv: FakeOpenAI) -> None:
    r = litellm.moderation(
        input=["hello", "I will kill it"], model="openai/omni-moderation-latest", **opts(srv)
    )
    assert srv.last.path == "/v1/moderations"
    assert srv.last.json == {
        "model": "omni-moderation-latest",
        "input": ["hello", "I will kill it"],
    }
    assert [x.flagged for x in r.results] == [False, True]
    assert r.results[1].categories["violence"] is True
    oait.ModerationCreateResponse.model_validate(r.model_dump())
    a = asyncio.run(litellm.amoderation("fine", **opts(srv)))
    assert srv.last.json["model"] == "omni-moderation-latest" and not a.results[0].flagged


# -- rerank --------------------------------------------------------------------


DOCS = ["the cat sat", "dogs bark loudly", "a cat and a dog"]


@pytest.mark.parametrize(
    "model",
    [
        "cohere/rerank-english-v3.0",
        "jina_ai/jina-reranker-v2-base-multilingual",
        "together_ai/Salesforce/Llama-Rank-V1",
        "hosted_vllm/bge-reranker-v2-m3",
    ],
)
def test_rerank_for_every_provider_with_it(srv: FakeOpenAI, model: str) -> None:
    cohere = model.startswith("cohere/")
    base = srv.base_url if cohere else srv.url  # Cohere's api_base is the host root
    r = litellm.rerank(
        model=model,
        query="cat dog",
        documents=DOCS,
        top_n=2,
        return_documents=True,
        **opts(srv, api_base=base),
    )
    assert srv.last.path == ("/v2/rerank" if cohere else "/v1/rerank")
    assert srv.last.json == {
        "model": model.split("/", 1)[1],
        "query": "cat dog",
        "documents": DOCS,
        "top_n": 2,
        "return_documents": True,
    }
    assert isinstance(r, RerankResponse)
    assert r.results is not None and [x.index for x in r.results] == [2, 0]
    assert r.results[0].relevance_score == 1.0
    assert r.results[0].document is not None and r.results[0].document.text == DOCS[2]
    assert r.meta == {"api_version": {"version": "1"}, "billed_units": {"search_units": 1}}
    assert r._hidden_params["custom_llm_provider"] == model.split("/", 1)[0]


def test_arerank_and_bad_arguments(srv: FakeOpenAI) -> None:
    r = asyncio.run(litellm.arerank("jina_ai/jina-reranker-v2", "bark", DOCS, **opts(srv)))
    assert r.results is not None and r.results[0].index == 1
    for bad in (
        {"query": "", "documents": DOCS},
        {"query": "q", "documents": []},
        {"query": "q", "documents": DOCS, "top_n": 0},
    ):
        with pytest.raises(litellm.BadRequestError):
            litellm.rerank("cohere/rerank-v3.5", **bad, **opts(srv))  # type: ignore[arg-type]
    assert len(srv.requests) == 1


# -- transcription -------------------------------------------------------------


def _sent_parts(srv: FakeOpenAI) -> dict[str, Any]:
    parts = parse_multipart(srv.last.headers["content-type"], srv.last.body)
    return {p.name: p for p in parts}


def test_transcription_multipart_from_a_path(srv: FakeOpenAI, tmp_path: Path) -> None:
    path = tmp_path / "speech.wav"
    path.write_bytes(WAV)
    r = litellm.transcription(
        model="openai/whisper-1", file=str(path), language="en", temperature=0.2, **opts(srv)
    )
    assert srv.last.path == "/v1/audio/transcriptions"
    assert srv.last.headers["authorization"] == "Bearer k"
    parts = _sent_parts(srv)
    assert sorted(parts) == ["file", "language", "model", "response_format", "temperature"]
    assert parts["response_format"].data == b"verbose_json"  # litellm's default for Whisper
    assert parts["model"].data == b"whisper-1" and parts["language"].data == b"en"
    assert parts["temperature"].data == b"0.2"
    f = parts["file"]
    assert (f.filename, f.content_type, f.data) == ("speech.wav", "audio/x-wav", WAV)
    assert isinstance(r, TranscriptionResponse)
    assert r.text == f"transcript of speech.wav ({len(WAV)} bytes)"
    assert r._hidden_params["custom_llm_provider"] == "openai"


def test_transcription_file_objects_tuples_and_formats(srv: FakeOpenAI, tmp_path: Path) -> None:
    path = tmp_path / "a.mp3"
    path.write_bytes(b"ID3" + WAV)
    with path.open("rb") as fh:
        r = litellm.transcription(
            "groq/whisper-large-v3",
            fh,
            response_format="verbose_json",
            timestamp_granularities=["word", "segment"],
            **opts(srv),
        )
    parts = parse_multipart(srv.last.headers["content-type"], srv.last.body)
    assert [p.name for p in parts].count("timestamp_granularities[]") == 2
    f = next(p for p in parts if p.name == "file")
    assert (f.filename, f.content_type) == ("a.mp3", "audio/mpeg")
    assert r.language == "english" and r.duration == 1.5 and r.segments[0]["end"] == 1.5
    t = asyncio.run(
        litellm.atranscription(
            "openai/whisper-1",
            ("clip.ogg", io.BytesIO(b"OggS")),
            response_format="srt",
            **opts(srv),
        )
    )
    assert t.text == "1\n00:00:00,000 --> 00:00:01,000\ntranscript of clip.ogg (4 bytes)\n"
    raw = litellm.transcription(
        "openai/whisper-1", ("x.bin", b"abc", "audio/webm"), response_format="text", **opts(srv)
    )
    assert raw.text == "transcript of x.bin (3 bytes)"
    assert _sent_parts(srv)["file"].content_type == "audio/webm"


def test_transcription_bad_files_raise_before_io(srv: FakeOpenAI, tmp_path: Path) -> None:
    with pytest.raises(litellm.BadRequestError):
        litellm.transcription("openai/whisper-1", str(tmp_path / "missing.wav"), **opts(srv))
    with pytest.raises(litellm.BadRequestError):
        litellm.transcription("openai/whisper-1", 12, **opts(srv))
    with pytest.raises(litellm.BadRequestError):
        litellm.transcription("openai/whisper-1", io.StringIO("text"), **opts(srv))
    assert srv.requests == []


def test_transcription_errors_map(srv: FakeOpenAI) -> None:
    srv.enqueue(openai_error(413, "Maximum content size limit exceeded", "invalid_request_error"))
    with pytest.raises(litellm.APIError) as e:
        litellm.transcription("openai/whisper-1", b"x", **opts(srv))
    assert e.value.status_code == 413


# -- speech --------------------------------------------------------------------


def test_speech_streams_binary_audio_to_a_file(srv: FakeOpenAI, tmp_path: Path) -> None:
    r = litellm.speech(
        model="openai/tts-1", input="hello world", voice="alloy", speed=1.25, **opts(srv)
    )
    assert srv.last.path == "/v1/audio/speech"
    assert srv.last.json == {
        "model": "tts-1",
        "input": "hello world",
        "voice": "alloy",
        "speed": 1.25,
    }
    expected = audio_for("hello world")
    assert len(expected) > 2 * AUDIO_CHUNK  # the fake sent several chunks
    assert isinstance(r, HttpxBinaryResponseContent)
    assert r.content == expected and r.read() == expected
    assert r.content_type == "audio/mpeg"
    out = tmp_path / "out.mp3"
    r.stream_to_file(out, chunk_size=1000)
    assert out.read_bytes() == expected
    assert b"".join(r.iter_bytes(3000)) == expected
    assert r._hidden_params["custom_llm_provider"] == "openai"

    async def run() -> bytes:
        a = await litellm.aspeech(
            "openai/gpt-4o-mini-tts", "hi", voice="nova", response_format="wav", **opts(srv)
        )
        assert a.content_type == "audio/wav"
        await a.astream_to_file(tmp_path / "a.wav")
        return b"".join([p async for p in a.aiter_bytes()])

    assert asyncio.run(run()) == audio_for("hi") == (tmp_path / "a.wav").read_bytes()


def test_speech_errors_map(srv: FakeOpenAI) -> None:
    srv.enqueue(openai_error(429, "slow down", "requests", headers={"retry-after": "0"}))
    with pytest.raises(litellm.RateLimitError):
        litellm.speech("openai/tts-1", "hi", voice="alloy", **opts(srv))
    with pytest.raises(litellm.BadRequestError):
        litellm.speech("openai/tts-1", "", voice="alloy", **opts(srv))


# -- providers without the endpoint ------------------------------------------------


@pytest.mark.parametrize(
    ("call", "model"),
    [
        (lambda m, o: litellm.image_generation("x", m, **o), "anthropic/claude-sonnet-4-5"),
        (lambda m, o: litellm.image_generation("x", m, **o), "mistral/pixtral"),
        (lambda m, o: litellm.moderation("x", m, **o), "groq/llama-guard"),
        (lambda m, o: litellm.rerank(m, "q", ["d"], **o), "openai/gpt-4o"),
        (lambda m, o: litellm.transcription(m, b"x", **o), "deepseek/whisper"),
        (lambda m, o: litellm.speech(m, "x", voice="v", **o), "ollama/tts"),
        (
            lambda m, o: litellm.completion(m, [{"role": "user", "content": "x"}], **o),
            "cohere/command-r",
        ),
        (lambda m, o: litellm.embedding(m, "x", **o), "anthropic/claude-sonnet-4-5"),
    ],
)
def test_providers_without_the_endpoint_are_refused_before_io(
    srv: FakeOpenAI, call: Any, model: str
) -> None:
    with pytest.raises(litellm.BadRequestError) as e:
        call(model, opts(srv))
    assert "does not support" in str(e.value) or "no embeddings" in str(e.value)
    assert srv.requests == []


def test_gemini_imagen_image_generation() -> None:
    from fakeprov.gemini import FakeGemini

    with FakeGemini() as gem:
        r = litellm.image_generation(
            "a red fox",
            "gemini/imagen-4.0-generate-001",
            n=2,
            size="1792x1024",
            api_base=gem.url,
            api_key="g",
        )
        assert gem.last.path == "/v1beta/models/imagen-4.0-generate-001:predict"
        assert gem.last.headers["x-goog-api-key"] == "g"
        assert gem.last.json == {
            "instances": [{"prompt": "a red fox"}],
            "parameters": {"sampleCount": 2, "aspectRatio": "16:9"},
        }
        assert [base64.b64decode(d.b64_json or "") for d in r.data] == [b"PNG:a red fox"] * 2
        assert r._hidden_params["custom_llm_provider"] == "gemini"
        with pytest.raises(litellm.BadRequestError):
            litellm.image_generation(
                "x", "gemini/imagen-4", size="7x7", api_base=gem.url, api_key="g"
            )
        assert len(gem.requests) == 1
