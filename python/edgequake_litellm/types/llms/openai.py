"""Shapes named as in ``litellm.types.llms.openai``: the OpenAI chat message
``TypedDict``s code builds for ``completion(messages=...)`` (google-adk builds its
requests from them; they check nothing at runtime; litellm's additions
``cache_control`` and ``thinking_blocks`` kept), the Responses API objects, and
the speech result.

``ResponsesAPIResponse`` is OpenAI's ``Response``
(platform.openai.com/docs/api-reference/responses/object): dumped with
``model_dump()`` it validates as ``openai.types.responses.Response``. Output
items are typed by their ``type`` (``message``, ``function_call``,
``reasoning``; any other kind is a ``GenericResponseOutputItem``) and keep
every field the provider sent. Stream events are typed by their ``type``
(``response.output_text.delta`` → ``OutputTextDeltaEvent``, ...); an event
this module has no class for is a ``GenericEvent``.
"""

from __future__ import annotations

import enum
import json
import os
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Literal, Optional, Union

from pydantic import Field, PrivateAttr, field_validator
from typing_extensions import NotRequired, Required, TypedDict

from ..utils import OpenAIObject

__all__ = [
    "ChatCompletionAnnotation",
    "ChatCompletionAnnotationURLCitation",
    "ChatCompletionAssistantMessage",
    "ChatCompletionAssistantToolCall",
    "ChatCompletionCachedContent",
    "ChatCompletionImageObject",
    "ChatCompletionImageUrlObject",
    "ChatCompletionRedactedThinkingBlock",
    "ChatCompletionSystemMessage",
    "ChatCompletionTextObject",
    "ChatCompletionThinkingBlock",
    "ChatCompletionToolCallChunk",
    "ChatCompletionToolCallFunctionChunk",
    "ChatCompletionToolMessage",
    "ChatCompletionUserMessage",
    "ContentPartAddedEvent",
    "ContentPartDoneEvent",
    "DeleteResponseResult",
    "FunctionCallArgumentsDeltaEvent",
    "FunctionCallArgumentsDoneEvent",
    "GenericEvent",
    "GenericResponseOutputItem",
    "HttpxBinaryResponseContent",
    "ModerationCreateResponse",
    "OpenAIMessageContent",
    "OpenAIMessageContentListBlock",
    "OutputFunctionToolCall",
    "OutputItemAddedEvent",
    "OutputItemDoneEvent",
    "OutputTextDeltaEvent",
    "OutputTextDoneEvent",
    "ReasoningSummaryTextDeltaEvent",
    "ReasoningSummaryTextDoneEvent",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
    "ResponseAPIUsage",
    "ResponseCompletedEvent",
    "ResponseCreatedEvent",
    "ResponseFailedEvent",
    "ResponseInProgressEvent",
    "ResponseIncompleteEvent",
    "ResponseOutputMessage",
    "ResponseReasoningItem",
    "ResponsesAPIResponse",
    "ResponsesAPIStreamEvents",
    "ResponsesAPIStreamingResponse",
    "parse_stream_event",
]


class ChatCompletionCachedContent(TypedDict):
    """Anthropic's prompt-cache marker: ``{"type": "ephemeral", "ttl": "5m" | "1h"}``."""

    type: Literal["ephemeral"]
    ttl: NotRequired[Literal["5m", "1h"]]


class ChatCompletionTextObject(TypedDict, total=False):
    """A text part of a message's content list."""

    type: Required[Literal["text"]]
    text: Required[str]
    cache_control: ChatCompletionCachedContent


class ChatCompletionImageUrlObject(TypedDict, total=False):
    """``image_url`` of an image part: an http(s) or ``data:`` URL, ``detail``, ``format``."""

    url: Required[str]
    detail: str
    format: str


class ChatCompletionImageObject(TypedDict):
    """An image part of a message's content list."""

    type: Literal["image_url"]
    image_url: Union[str, ChatCompletionImageUrlObject]


OpenAIMessageContentListBlock = Union[ChatCompletionTextObject, ChatCompletionImageObject]
OpenAIMessageContent = Union[str, Iterable[OpenAIMessageContentListBlock]]


class ChatCompletionToolCallFunctionChunk(TypedDict, total=False):
    """The function of a tool call: ``name`` and ``arguments`` (a JSON string)."""

    name: Optional[str]
    arguments: str
    provider_specific_fields: Optional[dict[str, Any]]


class ChatCompletionAssistantToolCall(TypedDict):
    """A tool call in an assistant message of the history."""

    id: Optional[str]
    type: Literal["function"]
    function: ChatCompletionToolCallFunctionChunk


class ChatCompletionToolCallChunk(TypedDict):
    """A tool call as a response carries it, with its ``index``."""

    id: Optional[str]
    type: Literal["function"]
    function: ChatCompletionToolCallFunctionChunk
    index: int


class ChatCompletionThinkingBlock(TypedDict, total=False):
    """An Anthropic thinking block: ``thinking`` text and its ``signature``."""

    type: Required[Literal["thinking"]]
    thinking: str
    signature: Optional[str]
    cache_control: Optional[Union[dict[str, Any], ChatCompletionCachedContent]]


class ChatCompletionRedactedThinkingBlock(TypedDict, total=False):
    """An Anthropic redacted thinking block (opaque ``data``)."""

    type: Required[Literal["redacted_thinking"]]
    data: str
    cache_control: Optional[Union[dict[str, Any], ChatCompletionCachedContent]]


class ChatCompletionUserMessage(TypedDict, total=False):
    """``{"role": "user", "content": ...}``."""

    role: Required[Literal["user"]]
    content: Required[OpenAIMessageContent]
    cache_control: ChatCompletionCachedContent


class ChatCompletionSystemMessage(TypedDict, total=False):
    """``{"role": "system", "content": ...}``."""

    role: Required[Literal["system"]]
    content: Required[Union[str, list[Any]]]
    name: str
    cache_control: ChatCompletionCachedContent


class ChatCompletionAssistantMessage(TypedDict, total=False):
    """An assistant turn of the history: ``content`` and/or ``tool_calls``."""

    role: Required[Literal["assistant"]]
    content: Optional[Union[str, Iterable[ChatCompletionTextObject]]]
    name: Optional[str]
    tool_calls: Optional[list[ChatCompletionAssistantToolCall]]
    function_call: Optional[ChatCompletionToolCallFunctionChunk]
    reasoning_content: Optional[str]
    cache_control: ChatCompletionCachedContent
    thinking_blocks: Optional[
        list[Union[ChatCompletionThinkingBlock, ChatCompletionRedactedThinkingBlock]]
    ]


class ChatCompletionToolMessage(TypedDict):
    """The result of a tool call: ``content`` for ``tool_call_id``."""

    role: Literal["tool"]
    content: Union[str, Iterable[ChatCompletionTextObject]]
    tool_call_id: str


class ChatCompletionAnnotationURLCitation(TypedDict, total=False):
    """A URL cited by a web-search answer, with the character range citing it."""

    end_index: int
    start_index: int
    title: str
    url: str


class ChatCompletionAnnotation(TypedDict, total=False):
    """An annotation of an assistant message (``type == "url_citation"``)."""

    type: Literal["url_citation"]
    url_citation: ChatCompletionAnnotationURLCitation


class ResponseAPIUsage(OpenAIObject):
    """Token counts of a response (tokens): ``input_tokens``, ``output_tokens``,
    ``total_tokens``, ``input_tokens_details`` (``cached_tokens``,
    ``cache_write_tokens``) and ``output_tokens_details`` (``reasoning_tokens``);
    a count the provider did not report (llama.cpp sends no details) is 0."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    input_tokens_details: dict[str, Any] = Field(default_factory=dict)
    output_tokens_details: dict[str, Any] = Field(default_factory=dict)

    @field_validator("input_tokens_details", "output_tokens_details", mode="before")
    @classmethod
    def _no_null_details(cls, value: Any) -> Any:
        return {} if value is None else value

    def model_post_init(self, context: Any, /) -> None:
        self.input_tokens_details.setdefault("cached_tokens", 0)
        self.input_tokens_details.setdefault("cache_write_tokens", 0)
        self.output_tokens_details.setdefault("reasoning_tokens", 0)


class GenericResponseOutputItem(OpenAIObject):
    """An output item of a kind without its own class (``web_search_call``, ...)."""

    type: str


class _ContentPart(OpenAIObject):
    """A part of a message's ``content`` (``output_text``: ``text``, ``annotations``)."""

    type: str


class ResponseOutputMessage(OpenAIObject):
    """An assistant message item: ``id``, ``role``, ``status`` and ``content``
    parts (``output_text`` with ``text``, or ``refusal``)."""

    type: str = "message"
    content: list[_ContentPart] = Field(default_factory=list)


class OutputFunctionToolCall(OpenAIObject):
    """A ``function_call`` item: ``call_id``, ``name``, ``arguments`` (a JSON string)."""

    type: str = "function_call"
    call_id: str
    name: str
    arguments: str = ""


class ResponseReasoningItem(OpenAIObject):
    """A ``reasoning`` item: ``summary`` parts (and ``content``,
    ``encrypted_content`` when the provider sends them)."""

    type: str = "reasoning"
    summary: list[_ContentPart] = Field(default_factory=list)


OutputItem = Union[
    ResponseOutputMessage, OutputFunctionToolCall, ResponseReasoningItem, GenericResponseOutputItem
]
_ITEMS: dict[str, type[OpenAIObject]] = {
    "message": ResponseOutputMessage,
    "function_call": OutputFunctionToolCall,
    "reasoning": ResponseReasoningItem,
}


def _item(value: Any) -> Any:
    if isinstance(value, dict):
        cls = _ITEMS.get(str(value.get("type")), GenericResponseOutputItem)
        return cls.model_validate(value)
    return value


class ResponsesAPIResponse(OpenAIObject):
    """A Responses API response (litellm's ``ResponsesAPIResponse``).

    ``output`` holds the items; ``output_text`` joins their ``output_text``
    parts. Fields the provider did not send take OpenAI's defaults
    (``parallel_tool_calls=True``, ``tool_choice="auto"``, ``tools=[]``).
    ``_hidden_params`` holds ``custom_llm_provider`` and ``api_base``.
    """

    id: str
    created_at: Union[int, float] = 0
    object: str = "response"
    model: Optional[str] = None
    status: Optional[str] = None
    output: list[OutputItem] = Field(default_factory=list)
    error: Optional[dict[str, Any]] = None
    incomplete_details: Optional[dict[str, Any]] = None
    instructions: Optional[Any] = None
    metadata: Optional[dict[str, Any]] = None
    parallel_tool_calls: bool = True
    temperature: Optional[float] = None
    tool_choice: Any = "auto"
    tools: list[Any] = Field(default_factory=list)
    top_p: Optional[float] = None
    max_output_tokens: Optional[int] = None
    previous_response_id: Optional[str] = None
    reasoning: Optional[dict[str, Any]] = None
    text: Optional[dict[str, Any]] = None
    truncation: Optional[str] = None
    usage: Optional[ResponseAPIUsage] = None
    user: Optional[str] = None
    store: Optional[bool] = None
    _hidden_params: dict[str, Any] = PrivateAttr(default_factory=dict)
    _response_ms: Optional[float] = PrivateAttr(default=None)

    @field_validator("output", mode="before")
    @classmethod
    def _typed_items(cls, value: Any) -> Any:
        return [_item(v) for v in value] if isinstance(value, list) else value

    @property
    def output_text(self) -> str:
        """The text of every ``output_text`` part of every message item, joined."""
        return "".join(
            str(getattr(part, "text", "") or "")
            for item in self.output
            if item.type == "message"
            for part in getattr(item, "content", ())
            if part.type == "output_text"
        )


class DeleteResponseResult(OpenAIObject):
    """The answer to ``delete_responses``: ``id``, ``object``, ``deleted``."""

    id: str
    object: str = "response"
    deleted: bool = True


class ResponsesAPIStreamEvents(str, enum.Enum):
    """The ``type`` of a Responses stream event (a ``str``: compares equal to its value)."""

    RESPONSE_CREATED = "response.created"
    RESPONSE_IN_PROGRESS = "response.in_progress"
    RESPONSE_COMPLETED = "response.completed"
    RESPONSE_FAILED = "response.failed"
    RESPONSE_INCOMPLETE = "response.incomplete"
    REASONING_SUMMARY_TEXT_DELTA = "response.reasoning_summary_text.delta"
    REASONING_SUMMARY_TEXT_DONE = "response.reasoning_summary_text.done"
    OUTPUT_ITEM_ADDED = "response.output_item.added"
    OUTPUT_ITEM_DONE = "response.output_item.done"
    CONTENT_PART_ADDED = "response.content_part.added"
    CONTENT_PART_DONE = "response.content_part.done"
    OUTPUT_TEXT_DELTA = "response.output_text.delta"
    OUTPUT_TEXT_DONE = "response.output_text.done"
    REFUSAL_DELTA = "response.refusal.delta"
    REFUSAL_DONE = "response.refusal.done"
    FUNCTION_CALL_ARGUMENTS_DELTA = "response.function_call_arguments.delta"
    FUNCTION_CALL_ARGUMENTS_DONE = "response.function_call_arguments.done"
    ERROR = "error"


class GenericEvent(OpenAIObject):
    """A stream event; every field the provider sent is kept."""

    type: str


class _ResponseEvent(GenericEvent):
    response: ResponsesAPIResponse


class ResponseCreatedEvent(_ResponseEvent):
    """``response.created``: the response as it starts."""


class ResponseInProgressEvent(_ResponseEvent):
    """``response.in_progress``."""


class ResponseCompletedEvent(_ResponseEvent):
    """``response.completed``: the whole response, with ``usage``."""


class ResponseFailedEvent(_ResponseEvent):
    """``response.failed``: the response, with its ``error``."""


class ResponseIncompleteEvent(_ResponseEvent):
    """``response.incomplete``: see ``response.incomplete_details``."""


class _ItemEvent(GenericEvent):
    output_index: int = 0
    item: OutputItem

    @field_validator("item", mode="before")
    @classmethod
    def _typed_item(cls, value: Any) -> Any:
        return _item(value)


class OutputItemAddedEvent(_ItemEvent):
    """``response.output_item.added``: an output item starts."""


class OutputItemDoneEvent(_ItemEvent):
    """``response.output_item.done``: the finished item."""


class ContentPartAddedEvent(GenericEvent):
    """``response.content_part.added``: ``item_id``, ``content_index``, ``part``."""

    part: _ContentPart


class ContentPartDoneEvent(GenericEvent):
    """``response.content_part.done``: the finished ``part``."""

    part: _ContentPart


class OutputTextDeltaEvent(GenericEvent):
    """``response.output_text.delta``: ``delta`` text of ``item_id``."""

    delta: str = ""


class OutputTextDoneEvent(GenericEvent):
    """``response.output_text.done``: the whole ``text``."""

    text: str = ""


class RefusalDeltaEvent(GenericEvent):
    """``response.refusal.delta``."""

    delta: str = ""


class RefusalDoneEvent(GenericEvent):
    """``response.refusal.done``."""

    refusal: str = ""


class FunctionCallArgumentsDeltaEvent(GenericEvent):
    """``response.function_call_arguments.delta``: a ``delta`` of the arguments JSON."""

    delta: str = ""


class FunctionCallArgumentsDoneEvent(GenericEvent):
    """``response.function_call_arguments.done``: the whole ``arguments``."""

    arguments: str = ""


class ReasoningSummaryTextDeltaEvent(GenericEvent):
    """``response.reasoning_summary_text.delta``."""

    delta: str = ""


class ReasoningSummaryTextDoneEvent(GenericEvent):
    """``response.reasoning_summary_text.done``."""

    text: str = ""


ResponsesAPIStreamingResponse = GenericEvent
"""Every stream event class derives from ``GenericEvent``."""

_EVENTS: dict[str, type[GenericEvent]] = {
    "response.created": ResponseCreatedEvent,
    "response.in_progress": ResponseInProgressEvent,
    "response.completed": ResponseCompletedEvent,
    "response.failed": ResponseFailedEvent,
    "response.incomplete": ResponseIncompleteEvent,
    "response.output_item.added": OutputItemAddedEvent,
    "response.output_item.done": OutputItemDoneEvent,
    "response.content_part.added": ContentPartAddedEvent,
    "response.content_part.done": ContentPartDoneEvent,
    "response.output_text.delta": OutputTextDeltaEvent,
    "response.output_text.done": OutputTextDoneEvent,
    "response.refusal.delta": RefusalDeltaEvent,
    "response.refusal.done": RefusalDoneEvent,
    "response.function_call_arguments.delta": FunctionCallArgumentsDeltaEvent,
    "response.function_call_arguments.done": FunctionCallArgumentsDoneEvent,
    "response.reasoning_summary_text.delta": ReasoningSummaryTextDeltaEvent,
    "response.reasoning_summary_text.done": ReasoningSummaryTextDoneEvent,
}


def parse_stream_event(raw: Union[bytes, str]) -> GenericEvent:
    """One stream event's JSON → its event class (``GenericEvent`` if none fits).
    A known ``type`` becomes a ``ResponsesAPIStreamEvents`` member."""
    data = json.loads(raw)
    kind = data.get("type") if isinstance(data, dict) else None
    cls = _EVENTS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        return GenericEvent.model_validate(data)
    typed = cls.model_validate(data)
    typed.type = ResponsesAPIStreamEvents(kind)
    return typed


class HttpxBinaryResponseContent:
    """The audio ``speech`` returns (the openai SDK's
    ``HttpxBinaryResponseContent`` interface): ``content`` (bytes), ``read()``,
    ``iter_bytes()``, ``write_to_file(path)``, ``stream_to_file(path)`` and
    their async forms. The whole body has been received when ``speech``
    returns."""

    def __init__(self, content: bytes, content_type: Optional[str] = None) -> None:
        self._content = content
        self.content_type = content_type
        self._hidden_params: dict[str, Any] = {}
        self._response_ms: Optional[float] = None

    @property
    def content(self) -> bytes:
        """The audio bytes."""
        return self._content

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (for text answers)."""
        return self._content.decode("utf-8", "replace")

    def read(self) -> bytes:
        """The audio bytes."""
        return self._content

    def iter_bytes(self, chunk_size: Optional[int] = None) -> Iterator[bytes]:
        """The audio in pieces of ``chunk_size`` bytes (default 64 KiB)."""
        size = chunk_size or 65536
        for i in range(0, len(self._content), size):
            yield self._content[i : i + size]

    def write_to_file(self, file: Union[str, os.PathLike[str]]) -> None:
        """Write the audio to ``file`` (a path)."""
        with open(file, "wb") as f:
            f.write(self._content)

    def stream_to_file(
        self, file: Union[str, os.PathLike[str]], *, chunk_size: Optional[int] = None
    ) -> None:
        """Write the audio to ``file`` piece by piece."""
        with open(file, "wb") as f:
            for piece in self.iter_bytes(chunk_size):
                f.write(piece)

    async def aread(self) -> bytes:
        """Async ``read``."""
        return self._content

    async def aiter_bytes(self, chunk_size: Optional[int] = None) -> AsyncIterator[bytes]:
        """Async ``iter_bytes``."""
        for piece in self.iter_bytes(chunk_size):
            yield piece

    async def astream_to_file(
        self, file: Union[str, os.PathLike[str]], *, chunk_size: Optional[int] = None
    ) -> None:
        """Async ``stream_to_file``."""
        self.stream_to_file(file, chunk_size=chunk_size)

    def __repr__(self) -> str:
        return f"HttpxBinaryResponseContent({len(self._content)} bytes, {self.content_type!r})"


class ModerationCreateResponse(OpenAIObject):
    """The answer of ``moderation`` (the openai SDK's ``ModerationCreateResponse``,
    which litellm returns): ``id``, ``model`` and ``results``, each with
    ``flagged``, ``categories`` and ``category_scores`` (0..1)."""

    id: str
    model: str
    results: list[OpenAIObject]
