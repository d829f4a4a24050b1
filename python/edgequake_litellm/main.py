"""``completion``, ``acompletion``, ``embedding``, ``aembedding``, and
``moderation``, ``transcription``, ``speech`` (with async forms), as in litellm.

Each call checks its arguments, crosses into the native core once with the
OpenAI-shaped request as JSON bytes, and turns the OpenAI-shaped JSON answer
into litellm's objects with one ``model_validate_json``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, Literal, Optional, TypeVar, Union, overload

from . import _elc_core, _endpoints, _request
from ._observe import observed
from .caching.caching_handler import cached
from .cost_calculator import response_cost
from .streaming import CustomStreamWrapper, chunk_shape
from .types.utils import (
    Choices,
    EmbeddingResponse,
    ModelResponse,
    TextChoices,
    TextCompletionResponse,
    TranscriptionResponse,
    from_core_json,
)

if TYPE_CHECKING:  # imported where used: not on a chat call's path
    from .types.llms.openai import HttpxBinaryResponseContent, ModerationCreateResponse

__all__ = [
    "acompletion",
    "acompletion_with_retries",
    "aembedding",
    "amoderation",
    "aspeech",
    "atext_completion",
    "atranscription",
    "completion",
    "completion_with_retries",
    "embedding",
    "moderation",
    "speech",
    "text_completion",
    "transcription",
]

_OPTIONS_DOC = """
    Call options (all optional, litellm's names):
        api_key: the provider key; else ``litellm.api_key``, the provider's
            global (``litellm.openai_key``, ...), then its env var
            (``OPENAI_API_KEY``, ``XAI_API_KEY``, ...).
        api_base / base_url: the provider's base URL, e.g.
            ``"http://127.0.0.1:8080/v1"``; else ``litellm.api_base``, the
            provider's env var (``OPENAI_BASE_URL``/``OPENAI_API_BASE``, ...),
            then its public endpoint.
        timeout / request_timeout: seconds (float) for the whole call; for a
            stream, for the response head and for each gap between chunks.
            Default ``litellm.request_timeout`` (6000 s).
        num_retries / max_retries: retries of 408/409/429/5xx/529 answers and
            connection failures, with exponential backoff and ``retry-after``
            honoured. Default ``litellm.num_retries``, else 2 (litellm's and
            the openai SDK's default).
        extra_headers / headers: dict of extra HTTP headers.
        extra_body: dict merged into the top level of the JSON body.
        drop_params: remove parameters the model is known to reject (xAI's
            reasoning models: ``stop``, ``frequency_penalty``) instead of
            sending them; default ``litellm.drop_params``.
        ssl_verify: ``True`` (system trust store, or ``SSL_CERT_FILE``),
            ``False`` (no verification), or a path to a PEM CA bundle; default
            ``litellm.ssl_verify``. Redirects are followed only within the same
            host, so credentials never reach another host.
        custom_llm_provider: the provider, when ``model`` has no prefix.
    Any other keyword argument is sent in the request body, as litellm does for
    OpenAI-compatible providers; litellm-internal ones (``metadata``,
    ``caching``, ...) are accepted and not sent.
"""


_F = TypeVar("_F", bound=Callable[..., Any])


def _documented(f: _F) -> _F:
    """Fill the shared call-options section into a docstring."""
    f.__doc__ = (f.__doc__ or "").replace("    {call_options}\n", _OPTIONS_DOC)
    return f


def _model_response(raw: bytes, call: _request.NativeCall, started: float) -> ModelResponse:
    hidden: dict[str, Any] = {
        "custom_llm_provider": call.provider,
        "api_base": call.api_base,
        "model_id": None,
    }
    resp = from_core_json(ModelResponse, raw, hidden)
    hidden["response_cost"] = response_cost(resp, call.model, call.provider, call.base_model)
    resp._response_ms = (time.perf_counter() - started) * 1000.0
    return resp


def _mock_completion(
    model: str, messages: list[Any], stream: Optional[bool], kwargs: dict[str, Any]
) -> Union[ModelResponse, CustomStreamWrapper]:
    """``mock_response=`` / ``mock_tool_calls=``: litellm's mock, no I/O (``mock_functions``)."""
    from .litellm_core_utils.mock_functions import mock_completion

    return mock_completion(model, messages, stream=stream, **kwargs)


def _embedding_response(raw: bytes, call: _request.NativeCall, started: float) -> EmbeddingResponse:
    hidden = {"custom_llm_provider": call.provider, "api_base": call.api_base}
    resp = from_core_json(EmbeddingResponse, raw, hidden)
    resp._response_ms = (time.perf_counter() - started) * 1000.0
    return resp


@overload
def completion(
    model: str, messages: Optional[list[Any]] = None, *, stream: Literal[True], **kwargs: Any
) -> CustomStreamWrapper: ...
@overload
def completion(
    model: str,
    messages: Optional[list[Any]] = None,
    *,
    stream: Literal[False, None] = None,
    **kwargs: Any,
) -> ModelResponse: ...
@overload
def completion(
    model: str, messages: Optional[list[Any]] = None, *, stream: Optional[bool], **kwargs: Any
) -> Union[ModelResponse, CustomStreamWrapper]: ...
@observed("completion")
@_documented
@cached("completion")
def completion(
    model: str,
    messages: Optional[list[Any]] = None,
    *,
    stream: Optional[bool] = None,
    **kwargs: Any,
) -> Union[ModelResponse, CustomStreamWrapper]:
    """Create a chat completion (litellm's ``completion``).

    Args:
        model: ``"provider/model-id"`` (``"openai/gpt-4o"``,
            ``"openrouter/meta-llama/llama-3-8b"``) or a bare OpenAI model name.
        messages: OpenAI chat messages (dicts, or message objects from an
            earlier response).
        stream: when true, return a ``CustomStreamWrapper`` yielding
            ``ModelResponseStream`` chunks as they arrive; the call returns once
            the provider answered, so HTTP errors raise here.
        OpenAI parameters: temperature, top_p, n, stop, max_tokens,
            max_completion_tokens, presence_penalty, frequency_penalty,
            logit_bias, seed, user, tools, tool_choice, parallel_tool_calls,
            response_format (a dict, or a pydantic model class that becomes a
            strict ``json_schema``), logprobs, top_logprobs, stream_options,
            reasoning_effort, ...
    {call_options}
    Returns:
        ``ModelResponse`` (or ``CustomStreamWrapper`` when streaming).

    Raises:
        BadRequestError: bad arguments (before any I/O) or a provider 400;
            ``ContextWindowExceededError`` / ``ContentPolicyViolationError``
            for those 400s. AuthenticationError (401, or no key where one is
            needed), PermissionDeniedError (403), NotFoundError (404),
            UnprocessableEntityError (422), RateLimitError (429),
            InternalServerError (500; Anthropic's 529), BadGatewayError (502),
            ServiceUnavailableError (503), Timeout (the timeout passed,
            408, 504), APIConnectionError (no HTTP answer), APIError (other);
            per provider: the README's "Errors" table.
    """
    messages = [] if messages is None else messages
    if kwargs.get("mock_response") is not None or kwargs.get("mock_tool_calls"):
        return _mock_completion(model, messages, stream, kwargs)
    started = time.perf_counter()
    try:
        call = _request.chat(model, messages, kwargs, bool(stream))
        if stream:
            options = kwargs.get("stream_options")
            shape = chunk_shape(call, options)
            native = _elc_core.stream("chat", *call.args(), shape)
            return CustomStreamWrapper(native, call.model, call.provider, options)
        raw = _elc_core.call("chat", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return _model_response(raw, call, started)


@overload
async def acompletion(
    model: str, messages: Optional[list[Any]] = None, *, stream: Literal[True], **kwargs: Any
) -> CustomStreamWrapper: ...
@overload
async def acompletion(
    model: str,
    messages: Optional[list[Any]] = None,
    *,
    stream: Literal[False, None] = None,
    **kwargs: Any,
) -> ModelResponse: ...
@overload
async def acompletion(
    model: str, messages: Optional[list[Any]] = None, *, stream: Optional[bool], **kwargs: Any
) -> Union[ModelResponse, CustomStreamWrapper]: ...
@observed("acompletion")
@cached("acompletion")
async def acompletion(
    model: str,
    messages: Optional[list[Any]] = None,
    *,
    stream: Optional[bool] = None,
    **kwargs: Any,
) -> Union[ModelResponse, CustomStreamWrapper]:
    """Async ``completion``: same arguments, returns and exceptions.

    The await runs on the native tokio runtime, not a thread pool; cancelling
    the awaiting task drops the request and closes its connection. With
    ``stream=True`` it returns the ``CustomStreamWrapper`` to ``async for`` over.
    """
    messages = [] if messages is None else messages
    if kwargs.get("mock_response") is not None or kwargs.get("mock_tool_calls"):
        return _mock_completion(model, messages, stream, kwargs)
    started = time.perf_counter()
    try:
        call = _request.chat(model, messages, kwargs, bool(stream))
        if stream:
            options = kwargs.get("stream_options")
            shape = chunk_shape(call, options)
            native = await _elc_core.astream("chat", *call.args(), shape)
            return CustomStreamWrapper(native, call.model, call.provider, options)
        raw = await _elc_core.acall("chat", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return _model_response(raw, call, started)


@observed("embedding")
@_documented
@cached("embedding")
def embedding(model: str, input: Any = None, **kwargs: Any) -> EmbeddingResponse:
    """Create embeddings (litellm's ``embedding``).

    Args:
        model: ``"provider/model-id"`` or a bare OpenAI embedding model name.
        input: a string or a non-empty list of strings (or token-id lists).
        dimensions, encoding_format, user: OpenAI parameters, passed through.
    {call_options}
    Returns:
        ``EmbeddingResponse`` with ``data[i].embedding`` (floats) in input
        order, ``model`` and ``usage`` (tokens).

    Raises:
        The same classes as ``completion``.
    """
    if kwargs.get("mock_response") is not None:
        from .litellm_core_utils.mock_functions import mock_embedding

        return mock_embedding(model, kwargs["mock_response"])
    started = time.perf_counter()
    try:
        call = _request.embedding(model, input, kwargs)
        raw = _elc_core.call("embedding", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return _embedding_response(raw, call, started)


@observed("aembedding")
@cached("aembedding")
async def aembedding(model: str, input: Any = None, **kwargs: Any) -> EmbeddingResponse:
    """Async ``embedding``: same arguments, returns and exceptions."""
    if kwargs.get("mock_response") is not None:
        from .litellm_core_utils.mock_functions import mock_embedding

        return mock_embedding(model, kwargs["mock_response"])
    started = time.perf_counter()
    try:
        call = _request.embedding(model, input, kwargs)
        raw = await _elc_core.acall("embedding", *call.args())
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return _embedding_response(raw, call, started)


def completion_with_retries(*args: Any, **kwargs: Any) -> Any:
    """``completion`` with ``num_retries`` attempts in all (default 3), as litellm's.

    litellm re-runs the whole call on any exception (tenacity); here the native core retries
    what can succeed on a retry (408/409/429/5xx, connection failures, with backoff and
    ``retry-after``) and a 400 or 401 is raised at once. ``retry_strategy`` is accepted.
    """
    attempts = kwargs.pop("num_retries", 3)
    kwargs.pop("retry_strategy", None)
    kwargs.pop("original_function", None)
    return completion(*args, num_retries=max(int(attempts) - 1, 0), **kwargs)


async def acompletion_with_retries(*args: Any, **kwargs: Any) -> Any:
    """Async ``completion_with_retries``: same arguments and retry rules."""
    attempts = kwargs.pop("num_retries", 3)
    kwargs.pop("retry_strategy", None)
    kwargs.pop("original_function", None)
    return await acompletion(*args, num_retries=max(int(attempts) - 1, 0), **kwargs)


# -- moderation and audio (litellm.main) ---------------------------------------

#: The model OpenAI uses when a moderation request names none.
DEFAULT_MODERATION_MODEL = "omni-moderation-latest"

#: Media types of ``speech``'s ``response_format`` values (OpenAI's audio formats).
_AUDIO_TYPES = {
    "mp3": "audio/mpeg",
    "opus": "audio/opus",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}


def _moderation_call(
    input: Any, model: Optional[str], kwargs: dict[str, Any]
) -> _request.NativeCall:
    if not isinstance(input, (str, list)) or not input:
        raise _request.bad_request("input must be a non-empty string or list", str(model))
    return _endpoints.prepare(model or DEFAULT_MODERATION_MODEL, kwargs, {"input": input})


def moderation(input: Any, model: Optional[str] = None, **kwargs: Any) -> ModerationCreateResponse:
    """Classify text (and images) for policy violations (litellm's ``moderation``;
    ``/moderations``, platform.openai.com/docs/api-reference/moderations).

    Args:
        input: a string, a list of strings, or OpenAI's multi-modal input parts.
        model: default ``omni-moderation-latest`` on OpenAI.
        Call options as ``completion``.

    Returns:
        ``ModerationCreateResponse``: ``results[i].flagged``, ``categories``,
        ``category_scores``.

    Raises:
        BadRequestError: empty input or a provider without moderation (before
            any I/O); otherwise as ``completion``.
    """
    started = time.perf_counter()
    call = _moderation_call(input, model, kwargs)
    raw = _endpoints.send("moderation", call)
    from .types.llms.openai import ModerationCreateResponse

    return _endpoints.stamp(ModerationCreateResponse.model_validate_json(raw), call, started)


async def amoderation(
    input: Any, model: Optional[str] = None, **kwargs: Any
) -> ModerationCreateResponse:
    """Async ``moderation``: same arguments, returns and exceptions."""
    started = time.perf_counter()
    call = _moderation_call(input, model, kwargs)
    raw = await _endpoints.asend("moderation", call)
    from .types.llms.openai import ModerationCreateResponse

    return _endpoints.stamp(ModerationCreateResponse.model_validate_json(raw), call, started)


def _upload(file: Any, model: str) -> _endpoints.Upload:
    """An audio file given as a path, a binary file object, bytes, or the openai
    SDK's ``(filename, content[, media_type])`` tuple."""
    import mimetypes
    import os

    name = "upload"
    media: Optional[str] = None
    content: Any = file
    if isinstance(file, tuple) and len(file) in (2, 3):
        name, content = str(file[0]), file[1]
        media = file[2] if len(file) == 3 else None
    if isinstance(content, (str, os.PathLike)):
        try:
            with open(content, "rb") as f:
                data = f.read()
        except OSError as e:
            raise _request.bad_request(f"cannot read the audio file: {e}", model) from None
        name = os.path.basename(os.fspath(content)) if name == "upload" else name
    elif isinstance(content, (bytes, bytearray, memoryview)):
        data = bytes(content)
    elif hasattr(content, "read"):
        data = content.read()
        if not isinstance(data, bytes):
            raise _request.bad_request("the audio file object must be opened in binary mode", model)
        if name == "upload" and isinstance(getattr(content, "name", None), str):
            name = os.path.basename(content.name)
    else:
        raise _request.bad_request(
            f"file must be a path, a binary file object, bytes or a (name, content) tuple, "
            f"got {type(file).__name__}",
            model,
        )
    media = media or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return ("file", name, media, data)


def _whisper_defaults(model: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Whisper models answer ``verbose_json`` (with ``duration``, seconds) when no
    ``response_format`` is given, as litellm asks for it."""
    if kwargs.get("response_format") is None and "whisper" in str(model):
        return {**kwargs, "response_format": "verbose_json"}
    return kwargs


def _transcription_response(
    raw: bytes, call: _request.NativeCall, started: float
) -> TranscriptionResponse:
    if raw.lstrip().startswith(b"{"):
        resp = TranscriptionResponse.model_validate_json(raw)
    else:  # response_format text, srt or vtt: the body is the transcript
        resp = TranscriptionResponse(text=raw.decode("utf-8", "replace"))
    return _endpoints.stamp(resp, call, started)


def transcription(model: str, file: Any, **kwargs: Any) -> TranscriptionResponse:
    """Transcribe audio (litellm's ``transcription``; a multipart upload to
    ``/audio/transcriptions``, platform.openai.com/docs/api-reference/audio).

    Args:
        model: ``"openai/whisper-1"``, ``"groq/whisper-large-v3"``, ...
        file: a path, a binary file object (``open(p, "rb")``), bytes, or a
            ``(filename, content[, media_type])`` tuple; the media type is
            guessed from the file name.
        language, prompt, response_format (``json``, ``text``, ``srt``,
            ``verbose_json``, ``vtt``; default ``verbose_json`` for Whisper
            models, as litellm), temperature, timestamp_granularities: sent as
            form fields.
        Call options as ``completion``.

    Returns:
        ``TranscriptionResponse`` with ``text`` (and the verbose fields when asked).

    Raises:
        BadRequestError: an unreadable file, or a provider without
            transcription (before any I/O); otherwise as ``completion``.
    """
    started = time.perf_counter()
    upload = _upload(file, str(model))
    call = _endpoints.prepare(model, _whisper_defaults(model, kwargs), {})
    raw = _endpoints.send("transcription", call, [upload])
    return _transcription_response(raw, call, started)


async def atranscription(model: str, file: Any, **kwargs: Any) -> TranscriptionResponse:
    """Async ``transcription``: same arguments, returns and exceptions."""
    started = time.perf_counter()
    upload = _upload(file, str(model))
    call = _endpoints.prepare(model, _whisper_defaults(model, kwargs), {})
    raw = await _endpoints.asend("transcription", call, [upload])
    return _transcription_response(raw, call, started)


def _speech_call(model: Any, input: Any, voice: Any, kwargs: dict[str, Any]) -> _request.NativeCall:
    if not isinstance(input, str) or not input:
        raise _request.bad_request("input must be a non-empty string", str(model))
    body: dict[str, Any] = {"input": input}
    if voice is not None:
        body["voice"] = voice
    return _endpoints.prepare(model, kwargs, body)


def _speech_response(
    raw: bytes, call: _request.NativeCall, started: float, kwargs: dict[str, Any]
) -> HttpxBinaryResponseContent:
    from .types.llms.openai import HttpxBinaryResponseContent

    media = _AUDIO_TYPES.get(str(kwargs.get("response_format") or "mp3"))
    return _endpoints.stamp(HttpxBinaryResponseContent(raw, media), call, started)


def speech(
    model: str, input: str, voice: Optional[Any] = None, **kwargs: Any
) -> HttpxBinaryResponseContent:
    """Synthesize speech (litellm's ``speech``; ``/audio/speech``).

    Args:
        model: ``"openai/tts-1"``, ``"openai/gpt-4o-mini-tts"``, ``"groq/playai-tts"``, ...
        input: the text to speak.
        voice: ``"alloy"``, ``"nova"``, ... (or the provider's voice object).
        response_format (``mp3`` default, ``opus``, ``aac``, ``flac``, ``wav``,
            ``pcm``), speed, instructions: sent as given.
        Call options as ``completion``.

    Returns:
        ``HttpxBinaryResponseContent``: ``.content`` (bytes),
        ``.stream_to_file(path)``, ``.iter_bytes()``, ...

    Raises:
        BadRequestError: empty input or a provider without speech (before any
            I/O); otherwise as ``completion``.
    """
    started = time.perf_counter()
    call = _speech_call(model, input, voice, kwargs)
    return _speech_response(_endpoints.send("speech", call), call, started, kwargs)


async def aspeech(
    model: str, input: str, voice: Optional[Any] = None, **kwargs: Any
) -> HttpxBinaryResponseContent:
    """Async ``speech``: same arguments, returns and exceptions."""
    started = time.perf_counter()
    call = _speech_call(model, input, voice, kwargs)
    raw = await _endpoints.asend("speech", call)
    return _speech_response(raw, call, started, kwargs)


def _prompt_messages(prompt: Any, model: str) -> list[dict[str, Any]]:
    """litellm's rule for a chat model: the prompt (a string, or a list of strings joined
    by newlines) is one user turn."""
    if isinstance(prompt, list) and all(isinstance(p, str) for p in prompt):
        prompt = "\n".join(prompt)
    if not isinstance(prompt, str):
        raise _request.bad_request(
            f"prompt must be a string or a list of strings, got {type(prompt).__name__}", model
        )
    return [{"role": "user", "content": prompt}]


def _as_text(response: Any) -> TextCompletionResponse:
    """A chat ``ModelResponse`` or stream chunk as a ``TextCompletionResponse``: each choice's
    message (or delta) content becomes its ``text``."""
    out = TextCompletionResponse(
        id=response.id,
        created=response.created,
        model=response.model,
        system_fingerprint=response.system_fingerprint,
        choices=[
            TextChoices(
                index=c.index,
                text=(c.message if isinstance(c, Choices) else c.delta).content or "",
                finish_reason=c.finish_reason,
                logprobs=c.logprobs,
            )
            for c in response.choices
        ],
        usage=getattr(response, "usage", None),
    )
    out._hidden_params = dict(response._hidden_params)
    return out


class TextCompletionStreamWrapper:
    """Iterator (sync and async) of ``TextCompletionResponse`` chunks over a chat stream,
    as litellm's: each chunk's ``choices[0].text`` is the new text. Closing it closes
    the connection."""

    def __init__(self, stream: CustomStreamWrapper) -> None:
        self.completion_stream = stream

    def __iter__(self) -> TextCompletionStreamWrapper:
        return self

    def __next__(self) -> TextCompletionResponse:
        return _as_text(next(self.completion_stream))

    def __aiter__(self) -> TextCompletionStreamWrapper:
        return self

    async def __anext__(self) -> TextCompletionResponse:
        return _as_text(await self.completion_stream.__anext__())

    def close(self) -> None:
        """Close the underlying stream's connection."""
        self.completion_stream.close()


#: litellm's providers of legacy ``/completions`` models, and the native provider serving each.
_TEXT_PROVIDERS = {"text-completion-openai": "openai", "azure_text": "azure_text"}


def _legacy_model(model: Any, kwargs: dict[str, Any]) -> Optional[tuple[str, str]]:
    """``(native provider, model id)`` of a legacy completions model, else ``None``:
    litellm's ``text-completion-openai`` provider (``gpt-3.5-turbo-instruct``,
    ``davinci-002``, ``babbage-002``, or that prefix) and ``azure_text/<deployment>``."""
    from .litellm_core_utils.get_llm_provider_logic import split_provider

    split = split_provider(model, kwargs.get("custom_llm_provider"))
    if split is None:
        return None
    model_id, provider = split
    native = _TEXT_PROVIDERS.get(provider)
    return None if native is None else (native, model_id)


def _legacy_prompt(legacy: Optional[tuple[str, str]], prompt: Any) -> Any:
    """The prompt as litellm sends it: for ``azure_text/``, a list of strings is one
    prompt, their concatenation (litellm makes each a user turn, then ``azure_text_pt``
    joins the turns' texts)."""
    azure = legacy is not None and legacy[0] == "azure_text"
    if azure and isinstance(prompt, list) and all(isinstance(p, str) for p in prompt):
        return "".join(prompt)
    return prompt


def _instruct_call(
    legacy: Optional[tuple[str, str]],
    model: Any,
    prompt: Any,
    stream: Optional[bool],
    kwargs: dict[str, Any],
) -> Optional[_request.NativeCall]:
    """The ``/completions`` call of a legacy completions model (``_legacy_model``), else
    ``None``: a chat model, or an ``azure_text/`` stream, which goes through the chat path
    (one user turn, sent back as the same prompt)."""
    if legacy is None or (stream and legacy[0] == "azure_text"):
        return None
    if stream:
        raise _request.bad_request(
            "stream=True is not supported for instruct models on /completions", str(model)
        )
    if not isinstance(prompt, (str, list)) or not prompt:
        raise _request.bad_request("prompt must be a non-empty string or list", str(model))
    rest = {k: v for k, v in kwargs.items() if k != "custom_llm_provider"}
    native, model_id = legacy
    return _endpoints.prepare(f"{native}/{model_id}", rest, {"prompt": prompt})


def _instruct_response(
    raw: bytes, call: _request.NativeCall, started: float
) -> TextCompletionResponse:
    resp = _endpoints.stamp(TextCompletionResponse.model_validate_json(raw), call, started)
    # litellm names OpenAI's instruct models' provider text-completion-openai (their model
    # map rows too); Azure's keep azure_text.
    provider = "azure_text" if call.provider == "azure_text" else "text-completion-openai"
    resp._hidden_params["custom_llm_provider"] = provider
    resp._hidden_params["response_cost"] = response_cost(resp, call.model, provider)
    return resp


def text_completion(
    model: str, prompt: Any = None, *, stream: Optional[bool] = None, **kwargs: Any
) -> Union[TextCompletionResponse, TextCompletionStreamWrapper]:
    """litellm's ``text_completion``, answered as a ``TextCompletionResponse``
    (``choices[i].text``), or with ``stream=True`` a ``TextCompletionStreamWrapper``.

    OpenAI's instruct models (``gpt-3.5-turbo-instruct``, ``davinci-002``, ``babbage-002``,
    ``text-completion-openai/...``) and Azure's (``azure_text/<deployment>``) go to the
    legacy ``/completions`` endpoint with the prompt as given (a string or a list; for
    ``azure_text/`` a list of strings is sent joined, as litellm's ``azure_text_pt``);
    every other model gets the prompt as one user turn on its chat endpoint (litellm's
    path for chat models).

    Same call options and exceptions as ``completion``. Not supported: streaming from
    OpenAI's ``/completions`` (``BadRequestError`` before any I/O; ``azure_text/`` streams),
    token-id prompts to chat models.
    """
    started = time.perf_counter()
    legacy = _legacy_model(model, kwargs)
    prompt = _legacy_prompt(legacy, prompt)
    instruct = _instruct_call(legacy, model, prompt, stream, kwargs)
    if instruct is not None:
        return _instruct_response(_endpoints.send("text_completion", instruct), instruct, started)
    messages = _prompt_messages(prompt, model)
    if stream:
        return TextCompletionStreamWrapper(completion(model, messages, stream=True, **kwargs))
    return _as_text(completion(model, messages, **kwargs))


async def atext_completion(
    model: str, prompt: Any = None, *, stream: Optional[bool] = None, **kwargs: Any
) -> Union[TextCompletionResponse, TextCompletionStreamWrapper]:
    """Async ``text_completion``: same arguments, returns and exceptions."""
    started = time.perf_counter()
    legacy = _legacy_model(model, kwargs)
    prompt = _legacy_prompt(legacy, prompt)
    instruct = _instruct_call(legacy, model, prompt, stream, kwargs)
    if instruct is not None:
        raw = await _endpoints.asend("text_completion", instruct)
        return _instruct_response(raw, instruct, started)
    messages = _prompt_messages(prompt, model)
    if stream:
        wrapper = await acompletion(model, messages, stream=True, **kwargs)
        return TextCompletionStreamWrapper(wrapper)
    return _as_text(await acompletion(model, messages, **kwargs))
