"""The stream ``responses(stream=True)`` returns (litellm's
``ResponsesAPIStreamingIterator`` / ``SyncResponsesAPIStreamingIterator``).

One class serves ``for`` and ``async for``; each item is a typed stream event
(``ResponseCreatedEvent``, ``OutputTextDeltaEvent``,
``FunctionCallArgumentsDeltaEvent``, ``ResponseCompletedEvent``, ...) whose
``type`` compares equal to OpenAI's event name. An ``error`` event raises
litellm's exception (mapped by its ``code``) after every earlier event.
"""

from __future__ import annotations

from typing import Any, Optional

from .. import _elc_core
from .._native_stream import NativeStreamIterator
from ..types.llms.openai import (
    GenericEvent,
    ResponseCompletedEvent,
    ResponsesAPIResponse,
    parse_stream_event,
)

__all__ = ["ResponsesAPIStreamingIterator", "SyncResponsesAPIStreamingIterator"]


class ResponsesAPIStreamingIterator(NativeStreamIterator[GenericEvent]):
    """Iterator (sync and async) of Responses stream events.

    ``completed_response`` is the ``ResponseCompletedEvent`` once it arrived.
    """

    def __init__(self, native: _elc_core.Stream, model: str, custom_llm_provider: str) -> None:
        super().__init__(native)
        self.model = model
        self.custom_llm_provider = custom_llm_provider
        self.completed_response: Optional[ResponseCompletedEvent] = None
        self._hidden_params: dict[str, Any] = {"custom_llm_provider": custom_llm_provider}

    def _shape(self, raw: bytes) -> Optional[GenericEvent]:
        event = parse_stream_event(raw)
        response = getattr(event, "response", None)
        if isinstance(response, ResponsesAPIResponse):
            response._hidden_params = self._hidden_params
        if isinstance(event, ResponseCompletedEvent):
            self.completed_response = event
        return event


SyncResponsesAPIStreamingIterator = ResponsesAPIStreamingIterator
"""litellm's name for the sync iterator: the same class here."""
