"""The stream object ``completion(stream=True)`` returns (litellm's ``CustomStreamWrapper``).

One class serves ``for`` and ``async for``. Chunks arrive from the native core
in batches (everything decoded from one network read) and are yielded one by
one as ``ModelResponseStream`` objects, shaped as litellm shapes them
(``litellm_core_utils/streaming_handler.py``):

- chunks with an empty delta and no ``finish_reason`` (the provider's opening
  role-only chunk, keep-alives) are skipped;
- the first chunk yielded has ``delta.role == "assistant"``, later ones ``None``;
- ``model`` is the model id without the provider prefix, ``id`` is constant;
- with ``stream_options={"include_usage": True}`` the last chunk carries
  ``usage`` and one choice with an empty delta (not ``choices=[]``).

If the stream breaks, every chunk received before the fault is yielded first,
then litellm's exception is raised. Leaving the loop early, ``close()``, the
context manager, or garbage collection closes the connection.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Optional

from . import _elc_core, _request
from .types.utils import ModelResponseStream, StreamingChoices

__all__ = ["CustomStreamWrapper"]


class CustomStreamWrapper:
    """Iterator (sync and async) of ``ModelResponseStream`` chunks.

    Raises litellm's exception classes (``APIConnectionError`` for a cut
    connection, ``Timeout`` when no data arrives within ``timeout`` seconds,
    the mapped class for an in-stream ``error`` event) after delivering every
    earlier chunk.
    """

    def __init__(
        self,
        native: _elc_core.Stream,
        model: str,
        custom_llm_provider: str,
        stream_options: Optional[dict[str, Any]] = None,
    ) -> None:
        self.completion_stream = native
        self.model = model
        self.custom_llm_provider = custom_llm_provider
        self.send_stream_usage = bool(stream_options and stream_options.get("include_usage"))
        self.chunks: list[ModelResponseStream] = []
        self._pending: deque[bytes] = deque()
        self._id: Optional[str] = None
        self._sent_first = False
        self._hidden_params = {"custom_llm_provider": custom_llm_provider}

    # -- chunk shaping -------------------------------------------------------

    def _shape(self, raw: bytes) -> Optional[ModelResponseStream]:
        chunk = ModelResponseStream.model_validate_json(raw)
        if self._id is None:
            self._id = chunk.id
        chunk.id = self._id
        chunk.model = self.model
        if not chunk.choices:
            # The provider's usage-only chunk (OpenAI: ``choices: []``).
            if chunk.usage is None or not self.send_stream_usage:
                return None
            chunk.choices = [StreamingChoices()]
        elif all(_empty(c) for c in chunk.choices):
            return None
        for choice in chunk.choices:
            choice.delta.role = None if self._sent_first else "assistant"
            for tc in choice.delta.tool_calls or ():
                tc.type = tc.type or "function"  # litellm: on every fragment
        self._sent_first = True
        if not self.send_stream_usage:
            chunk.usage = None
        chunk._hidden_params = self._hidden_params
        self.chunks.append(chunk)
        return chunk

    def _next_pending(self) -> Optional[ModelResponseStream]:
        while self._pending:
            chunk = self._shape(self._pending.popleft())
            if chunk is not None:
                return chunk
        return None

    # -- sync iteration ------------------------------------------------------

    def __iter__(self) -> CustomStreamWrapper:
        return self

    def __next__(self) -> ModelResponseStream:
        while True:
            chunk = self._next_pending()
            if chunk is not None:
                return chunk
            try:
                batch = self.completion_stream.next_batch()
            except _elc_core.ProviderError as e:
                raise _request.native_error(e) from None
            if batch is None:
                raise StopIteration
            self._pending.extend(batch)

    def __enter__(self) -> CustomStreamWrapper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- async iteration -----------------------------------------------------

    def __aiter__(self) -> CustomStreamWrapper:
        return self

    async def __anext__(self) -> ModelResponseStream:
        while True:
            chunk = self._next_pending()
            if chunk is not None:
                return chunk
            try:
                batch = await self.completion_stream.anext_batch()
            except _elc_core.ProviderError as e:
                raise _request.native_error(e) from None
            if batch is None:
                raise StopAsyncIteration
            self._pending.extend(batch)

    async def __aenter__(self) -> CustomStreamWrapper:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    async def aclose(self) -> None:
        """Close the connection (async spelling of ``close``)."""
        self.close()

    def close(self) -> None:
        """Stop reading and close the connection; later iteration ends at once."""
        self.completion_stream.close()
        self._pending.clear()


def _empty(choice: StreamingChoices) -> bool:
    d = choice.delta
    return (
        choice.finish_reason is None
        and not d.content
        and not d.tool_calls
        and d.function_call is None
        and not getattr(d, "reasoning_content", None)
        and not getattr(d, "thinking_blocks", None)
    )
