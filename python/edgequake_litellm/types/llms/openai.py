"""OpenAI chat message shapes as ``TypedDict``s, named as in ``litellm.types.llms.openai``.

These are the dicts code builds for ``completion(messages=...)`` (google-adk builds its
requests from them); they check nothing at runtime. litellm's own additions to openai's
shapes are kept: ``cache_control`` (Anthropic prompt caching) and ``thinking_blocks``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, Optional, Union

from typing_extensions import NotRequired, Required, TypedDict

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
    "OpenAIMessageContent",
    "OpenAIMessageContentListBlock",
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
