"""Response objects, named and shaped as in ``litellm.types.utils``.

Every class is a pydantic v2 model that also behaves like a dict, as litellm's
objects do: ``resp["choices"][0]["message"]["content"]``, ``resp.get("usage")``,
``"usage" in resp``, and ``resp.json()`` returning a ``dict`` (litellm's
override of pydantic's ``json``). Unknown provider fields are kept
(``extra="allow"``), e.g. ``reasoning_content`` or llama.cpp's ``timings``.

A ``ModelResponse`` dumped with ``model_dump()`` validates as
``openai.types.chat.ChatCompletion``; a ``ModelResponseStream`` as
``openai.types.chat.ChatCompletionChunk``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from .._alias import AliasNamed

if TYPE_CHECKING:
    from pydantic._internal._model_construction import ModelMetaclass
else:
    ModelMetaclass = type(BaseModel)

__all__ = [
    "ChatCompletionDeltaToolCall",
    "ChatCompletionMessageToolCall",
    "Choices",
    "CompletionTokensDetailsWrapper",
    "Delta",
    "Embedding",
    "EmbeddingResponse",
    "Function",
    "Message",
    "ModelResponse",
    "ModelResponseBase",
    "ModelResponseStream",
    "PromptTokensDetailsWrapper",
    "StreamingChoices",
    "Usage",
]


def _generate_id() -> str:
    """litellm's response id: ``"chatcmpl-"`` + a UUID4."""
    import uuid  # only when a provider sent no id; kept off the import path

    return f"chatcmpl-{uuid.uuid4()}"


def _now() -> int:
    return int(time.time())


class _ModelMeta(AliasNamed, ModelMetaclass):
    """pydantic's metaclass, reporting ``litellm.types.utils`` as the module under the alias."""

    # A metaclass body's own ``__module__`` string would shadow AliasNamed's property.
    __module__ = AliasNamed.__dict__["__module__"]


class OpenAIObject(BaseModel, metaclass=_ModelMeta):
    """Base of every response object: a pydantic model with dict-style access."""

    # defer_build: each class builds its validator on first use, not at import.
    model_config = ConfigDict(
        extra="allow", protected_namespaces=(), validate_assignment=False, defer_build=True
    )

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, key, value)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and hasattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        """``getattr(self, key, default)``, as ``dict.get``."""
        return getattr(self, key, default)

    def json(self, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        """The object as a plain ``dict`` (litellm returns ``model_dump()`` here, not a string)."""
        return self.model_dump(**kwargs)

    def to_dict(self, **kwargs: Any) -> dict[str, Any]:
        """Alias of ``model_dump()``."""
        return self.model_dump(**kwargs)


class Function(OpenAIObject):
    """A called function: its ``name`` and ``arguments`` as a JSON string."""

    arguments: str = ""
    name: Optional[str] = None


class ChatCompletionMessageToolCall(OpenAIObject):
    """One tool call of an assistant message."""

    function: Function
    id: str = Field(default_factory=lambda: f"call_{_generate_id()[9:].replace('-', '')[:24]}")
    type: str = "function"


class FunctionCall(OpenAIObject):
    """The legacy ``function_call`` of an assistant message."""

    arguments: str = ""
    name: Optional[str] = None


class Message(OpenAIObject):
    """An assistant message: ``content``, ``role``, ``tool_calls``, ``function_call``;
    provider extras such as ``reasoning_content`` or ``thinking_blocks`` when sent."""

    content: Optional[str] = None
    role: str = "assistant"
    tool_calls: Optional[list[ChatCompletionMessageToolCall]] = None
    function_call: Optional[FunctionCall] = None


class Choices(OpenAIObject):
    """One choice of a ``ModelResponse``; ``finish_reason`` defaults to ``"stop"``."""

    finish_reason: str = "stop"
    index: int = 0
    message: Message = Field(default_factory=Message)
    logprobs: Optional[Any] = None


class FunctionDelta(OpenAIObject):
    """A fragment of a streamed tool call's function."""

    arguments: Optional[str] = None
    name: Optional[str] = None


class ChatCompletionDeltaToolCall(OpenAIObject):
    """A streamed tool-call fragment; ``index`` ties fragments together."""

    id: Optional[str] = None
    function: FunctionDelta = Field(default_factory=FunctionDelta)
    type: Optional[str] = None
    index: int = 0


class Delta(OpenAIObject):
    """The change a stream chunk carries."""

    content: Optional[str] = None
    role: Optional[str] = None
    function_call: Optional[FunctionDelta] = None
    tool_calls: Optional[list[ChatCompletionDeltaToolCall]] = None


class StreamingChoices(OpenAIObject):
    """One choice of a stream chunk; ``finish_reason`` is ``None`` until the last."""

    finish_reason: Optional[str] = None
    index: int = 0
    delta: Delta = Field(default_factory=Delta)
    logprobs: Optional[Any] = None


class PromptTokensDetailsWrapper(OpenAIObject):
    """``usage.prompt_tokens_details`` (tokens)."""

    cached_tokens: Optional[int] = None
    audio_tokens: Optional[int] = None


class CompletionTokensDetailsWrapper(OpenAIObject):
    """``usage.completion_tokens_details`` (tokens)."""

    reasoning_tokens: Optional[int] = None
    audio_tokens: Optional[int] = None
    accepted_prediction_tokens: Optional[int] = None
    rejected_prediction_tokens: Optional[int] = None


class Usage(OpenAIObject):
    """Token counts of a call (tokens, as the provider reported them)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    prompt_tokens_details: Optional[PromptTokensDetailsWrapper] = None
    completion_tokens_details: Optional[CompletionTokensDetailsWrapper] = None


class ModelResponseBase(OpenAIObject):
    """Fields and private attributes shared by whole and streamed responses."""

    id: str = Field(default_factory=_generate_id)
    created: int = Field(default_factory=_now)
    model: Optional[str] = None
    system_fingerprint: Optional[str] = None
    _hidden_params: dict[str, Any] = PrivateAttr(default_factory=dict)
    _response_ms: Optional[float] = PrivateAttr(default=None)


class ModelResponse(ModelResponseBase):
    """A chat completion (``object == "chat.completion"``), as litellm returns it.

    ``usage`` (a ``Usage``; zeros when the provider sent none) is not a declared
    field but an extra one, where litellm keeps it: ``resp.model_extra["usage"]``
    (crewai reads it there). ``_hidden_params`` holds ``custom_llm_provider``,
    ``api_base`` and ``model_id``; ``_response_ms`` the call's wall time in
    milliseconds.
    """

    object: str = "chat.completion"
    choices: list[Choices] = Field(default_factory=lambda: [Choices()])
    if TYPE_CHECKING:
        usage: Usage

    @model_validator(mode="after")
    def _usage_object(self) -> ModelResponse:
        extra = self.__pydantic_extra__
        if extra is not None:
            u = extra.get("usage")
            extra["usage"] = Usage.model_validate(u) if u is not None else Usage()
        return self


class ModelResponseStream(ModelResponseBase):
    """One streamed chunk (``object == "chat.completion.chunk"``)."""

    object: str = "chat.completion.chunk"
    choices: list[StreamingChoices] = Field(default_factory=lambda: [StreamingChoices()])
    usage: Optional[Usage] = None


class Embedding(OpenAIObject):
    """One embedding vector (floats, or a base64 string when asked for)."""

    embedding: Any
    index: int = 0
    object: str = "embedding"


class EmbeddingResponse(OpenAIObject):
    """The result of ``embedding()``: ``data`` in input order, and ``usage``."""

    model: Optional[str] = None
    data: list[Embedding] = Field(default_factory=list)
    object: str = "list"
    usage: Usage = Field(default_factory=Usage)
    _hidden_params: dict[str, Any] = PrivateAttr(default_factory=dict)
    _response_ms: Optional[float] = PrivateAttr(default=None)
