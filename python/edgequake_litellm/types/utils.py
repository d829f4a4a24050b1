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

import copy
import time
from typing import TYPE_CHECKING, Any, Literal, Optional, TypedDict, TypeVar, Union

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
    "ImageObject",
    "ImageResponse",
    "Message",
    "ModelResponse",
    "ModelResponseBase",
    "ModelResponseStream",
    "PromptTokensDetailsWrapper",
    "StandardLoggingHiddenParams",
    "StandardLoggingMetadata",
    "StandardLoggingModelCostFailureDebugInformation",
    "StandardLoggingModelInformation",
    "StandardLoggingPayload",
    "StandardLoggingPayloadErrorInformation",
    "StandardLoggingPayloadStatusFields",
    "StreamingChoices",
    "TextChoices",
    "TextCompletionResponse",
    "TranscriptionResponse",
    "Usage",
    "from_core_json",
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


#: Per class, every name its classes define: a name among them that normal lookup missed is
#: a descriptor (a property) that raised ``AttributeError``.
_CLASS_NAMES: dict[type, frozenset[str]] = {}


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

    if not TYPE_CHECKING:  # as pydantic: type checkers see only the declared attributes

        def __getattr__(self, name: str) -> Any:
            """An attribute normal lookup did not find: an extra field, else
            ``AttributeError`` (pydantic's message). Private names go to pydantic's own.

            pydantic's answers in half its time (1.0 µs instead of 1.8 for a missing name),
            which code asks of every stream chunk: ``getattr(chunk, "usage", None)``,
            langchain-litellm's ``getattr(delta, "reasoning_content", None)``. A property
            that raised ``AttributeError`` raises its own again, as with pydantic.
            """
            if name[:1] == "_":
                return BaseModel.__getattr__(self, name)
            extra = self.__pydantic_extra__
            if extra is not None and name in extra:
                return extra[name]
            cls = type(self)
            names = _CLASS_NAMES.get(cls)
            if names is None:
                names = _CLASS_NAMES[cls] = frozenset(n for k in cls.__mro__ for n in vars(k))
            if name in names:
                return object.__getattribute__(self, name)
            raise AttributeError(f"{cls.__name__!r} object has no attribute {name!r}")


_M = TypeVar("_M", bound=BaseModel)
#: Per class: a validator of its schema without the private-attribute step, the private
#: attributes' constant defaults, and the names of those made by a factory.
_CORE_JSON: dict[type[BaseModel], tuple[Any, dict[str, Any], tuple[tuple[str, Any], ...]]] = {}


def _without_private_init(
    cls: type[BaseModel],
) -> tuple[Any, dict[str, Any], tuple[tuple[str, Any], ...]]:
    from pydantic_core import SchemaValidator

    cls.model_rebuild()
    schema = copy.deepcopy(cls.__pydantic_core_schema__)
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "model" and node.get("cls") is cls:
                node.pop("post_init", None)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    attrs = cls.__private_attributes__
    template = {n: a.default for n, a in attrs.items() if a.default_factory is None}
    factories = tuple(
        (n, a.default_factory)
        for n, a in attrs.items()
        if a.default_factory is not None and n != "_hidden_params"
    )
    return SchemaValidator(schema), template, factories


def from_core_json(cls: type[_M], raw: bytes, hidden: dict[str, Any]) -> _M:
    """``cls.model_validate_json(raw)`` with ``_hidden_params`` set to ``hidden`` (the
    other private attributes get their declared defaults).

    For the JSON the native core hands over: every stream chunk and every response.
    pydantic initializes private attributes in a Python-level ``model_post_init`` on each
    validation, about half of a stream chunk's cost (2.2 of 4.3 µs); this validates with the
    class's own schema minus that step and sets the private attributes here. The object is
    the same as ``model_validate_json`` builds. Only for classes whose ``model_post_init``
    is pydantic's private-attribute initializer (``tests/test_streaming.py`` checks ours).
    Raises ``pydantic.ValidationError`` as ``model_validate_json`` does.
    """
    entry = _CORE_JSON.get(cls)
    if entry is None:
        entry = _CORE_JSON[cls] = _without_private_init(cls)
    validator, template, factories = entry
    obj: _M = validator.validate_json(raw)
    private = template.copy()
    private["_hidden_params"] = hidden
    for name, factory in factories:
        private[name] = factory()
    object.__setattr__(obj, "__pydantic_private__", private)
    return obj


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
    """One streamed chunk (``object == "chat.completion.chunk"``).

    ``usage`` is an extra field, as in litellm: present (a ``Usage``) only on the chunk
    that carries it, absent otherwise (``getattr(chunk, "usage", None)``).
    """

    object: str = "chat.completion.chunk"
    choices: list[StreamingChoices] = Field(default_factory=lambda: [StreamingChoices()])
    if TYPE_CHECKING:
        usage: Optional[Usage]

    @model_validator(mode="after")
    def _usage_object(self) -> ModelResponseStream:
        extra = self.__pydantic_extra__
        if extra is not None and "usage" in extra:
            u = extra["usage"]
            if u is None:
                del extra["usage"]
            else:
                extra["usage"] = Usage.model_validate(u)
        return self


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


class ImageObject(OpenAIObject):
    """One generated image: ``url`` or ``b64_json`` (as ``response_format``
    asked), and ``revised_prompt`` when the provider rewrote the prompt."""

    b64_json: Optional[str] = None
    url: Optional[str] = None
    revised_prompt: Optional[str] = None


class ImageResponse(OpenAIObject):
    """The answer of ``image_generation``: ``created`` (Unix seconds), ``data``
    (``ImageObject`` list) and the provider's ``usage`` when sent."""

    created: int = Field(default_factory=_now)
    data: list[ImageObject] = Field(default_factory=list)
    usage: Optional[Any] = None
    _hidden_params: dict[str, Any] = PrivateAttr(default_factory=dict)
    _response_ms: Optional[float] = PrivateAttr(default=None)


class TranscriptionResponse(OpenAIObject):
    """The answer of ``transcription``: ``text``, plus ``language``,
    ``duration`` (seconds), ``words``, ``segments`` and ``usage`` when the
    provider sends them (``response_format="verbose_json"``). For
    ``text``/``srt``/``vtt`` formats ``text`` is the provider's whole body."""

    text: Optional[str] = None
    usage: Optional[Any] = None
    _hidden_params: dict[str, Any] = PrivateAttr(default_factory=dict)
    _response_ms: Optional[float] = PrivateAttr(default=None)


class TextChoices(OpenAIObject):
    """One choice of a ``TextCompletionResponse``: the generated ``text``."""

    finish_reason: Optional[str] = None
    index: int = 0
    logprobs: Optional[Any] = None
    text: Optional[str] = None


class TextCompletionResponse(OpenAIObject):
    """The result of ``text_completion`` (``object == "text_completion"``), as litellm's.

    Streamed, each chunk is one of these too, with the new text in ``choices[0].text``.
    """

    id: str = Field(default_factory=_generate_id)
    object: str = "text_completion"
    created: int = Field(default_factory=_now)
    model: Optional[str] = None
    system_fingerprint: Optional[str] = None
    choices: list[TextChoices] = Field(default_factory=lambda: [TextChoices()])
    usage: Optional[Usage] = None
    _hidden_params: dict[str, Any] = PrivateAttr(default_factory=dict)


# -- the callback payload (litellm's ``StandardLoggingPayload`` and its parts) --
# Field names and types as litellm emits them (``litellm/types/utils.py``);
# ``kwargs["standard_logging_object"]`` of every success/failure callback.

StandardLoggingPayloadStatus = Literal["success", "failure"]


class StandardLoggingMetadata(TypedDict):
    """``standard_logging_object["metadata"]``: litellm's proxy key fields (``None``
    in the SDK) and the caller's ``metadata=`` as ``requester_metadata``."""

    user_api_key_hash: Optional[str]
    user_api_key_alias: Optional[str]
    user_api_key_spend: Optional[float]
    user_api_key_max_budget: Optional[float]
    user_api_key_budget_reset_at: Optional[str]
    user_api_key_org_id: Optional[str]
    user_api_key_team_id: Optional[str]
    user_api_key_project_id: Optional[str]
    user_api_key_user_id: Optional[str]
    user_api_key_user_email: Optional[str]
    user_api_key_team_alias: Optional[str]
    user_api_key_end_user_id: Optional[str]
    user_api_key_request_route: Optional[str]
    user_api_key_auth_metadata: Optional[dict[str, str]]
    spend_logs_metadata: Optional[dict[str, Any]]
    requester_ip_address: Optional[str]
    user_agent: Optional[str]
    requester_metadata: Optional[dict[str, Any]]
    requester_custom_headers: Optional[dict[str, str]]
    prompt_management_metadata: Optional[dict[str, Any]]
    mcp_tool_call_metadata: Optional[dict[str, Any]]
    vector_store_request_metadata: Optional[list[dict[str, Any]]]
    applied_guardrails: Optional[list[str]]
    usage_object: Optional[dict[str, Any]]
    cold_storage_object_key: Optional[str]
    team_alias: Optional[str]
    team_id: Optional[str]


class StandardLoggingHiddenParams(TypedDict):
    """``standard_logging_object["hidden_params"]``."""

    model_id: Optional[str]
    cache_key: Optional[str]
    api_base: Optional[str]
    response_cost: Optional[str]
    litellm_overhead_time_ms: Optional[float]
    additional_headers: Optional[dict[str, int]]
    batch_models: Optional[list[str]]
    litellm_model_name: Optional[str]
    usage_object: Optional[dict[str, Any]]


class StandardLoggingModelInformation(TypedDict):
    """``standard_logging_object["model_map_information"]``."""

    model_map_key: str
    model_map_value: Optional[dict[str, Any]]


class StandardLoggingModelCostFailureDebugInformation(TypedDict, total=False):
    """Why ``response_cost`` could not be computed (never the request or response)."""

    error_str: str
    traceback_str: str
    model: str
    cache_hit: Optional[bool]
    custom_llm_provider: Optional[str]
    base_model: Optional[str]
    call_type: str
    custom_pricing: Optional[bool]


class StandardLoggingPayloadErrorInformation(TypedDict, total=False):
    """``standard_logging_object["error_information"]`` (empty strings on success)."""

    error_code: Optional[str]
    error_class: Optional[str]
    llm_provider: Optional[str]
    traceback: Optional[str]
    error_message: Optional[str]


class StandardLoggingPayloadStatusFields(TypedDict, total=False):
    """``llm_api_status``: ``"success"`` / ``"failure"``; ``guardrail_status``: ``"not_run"``."""

    llm_api_status: StandardLoggingPayloadStatus
    guardrail_status: str


class StandardLoggingPayload(TypedDict):
    """One call as every callback sees it (``kwargs["standard_logging_object"]``).

    Times are seconds since the epoch (floats), ``response_time`` seconds,
    ``response_cost`` USD, token counts ints. ``model`` is the model id without
    the provider prefix; ``call_type`` is ``"completion"``, ``"acompletion"``,
    ``"embedding"`` or ``"aembedding"``; ``stream`` is ``True`` for streams and
    ``None`` otherwise (as litellm).
    """

    id: str
    trace_id: str
    call_type: str
    stream: Optional[bool]
    response_cost: float
    cost_breakdown: Optional[dict[str, Any]]
    response_cost_failure_debug_info: Optional[StandardLoggingModelCostFailureDebugInformation]
    status: StandardLoggingPayloadStatus
    status_fields: StandardLoggingPayloadStatusFields
    custom_llm_provider: Optional[str]
    total_tokens: int
    prompt_tokens: int
    completion_tokens: int
    startTime: float
    endTime: float
    completionStartTime: float
    response_time: float
    model_map_information: StandardLoggingModelInformation
    model: str
    model_id: Optional[str]
    model_group: Optional[str]
    api_base: str
    metadata: StandardLoggingMetadata
    cache_hit: Optional[bool]
    cache_key: Optional[str]
    saved_cache_cost: float
    request_tags: list[Any]
    end_user: Optional[str]
    requester_ip_address: Optional[str]
    user_agent: Optional[str]
    messages: Optional[Union[str, list[Any], dict[str, Any]]]
    response: Optional[Union[str, list[Any], dict[str, Any]]]
    error_str: Optional[str]
    error_information: Optional[StandardLoggingPayloadErrorInformation]
    model_parameters: dict[str, Any]
    hidden_params: StandardLoggingHiddenParams
    guardrail_information: Optional[list[dict[str, Any]]]
    standard_built_in_tools_params: Optional[dict[str, Any]]
