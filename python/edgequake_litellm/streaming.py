"""The stream object ``completion(stream=True)`` returns (litellm's ``CustomStreamWrapper``).

One class serves ``for`` and ``async for``. Chunks arrive from the native core
in batches (what was decoded from one network read, or from a slice of it when
many streams are behind) and are yielded one by one as ``ModelResponseStream``
objects, shaped as litellm shapes them (``litellm_core_utils/streaming_handler.py``;
the native core does the shaping on the chunk JSON, ``src/bindings/shape.rs``, so
each chunk is validated once here and never modified after):

- chunks with an empty delta and no ``finish_reason`` (the provider's opening
  role-only chunk, keep-alives) are skipped;
- the first chunk yielded has ``delta.role == "assistant"``, later ones ``None``;
- ``model`` is the model id without the provider prefix (for ``azure/``, the model the
  deployment serves, as Azure's chunks name it), ``id`` is constant;
- with ``stream_options={"include_usage": True}`` the last chunk carries
  ``usage`` and one choice with an empty delta (not ``choices=[]``).

If the stream breaks, every chunk received before the fault is yielded first,
then litellm's exception is raised. Leaving the loop early, ``close()``, the
context manager, or garbage collection closes the connection.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, Optional

from . import _elc_core, _request
from ._native_stream import NativeStreamIterator
from .types.utils import ModelResponseStream, from_core_json

if TYPE_CHECKING:
    from .litellm_core_utils.litellm_logging import Logging

__all__ = ["CustomStreamWrapper", "ReplayedStream", "chunk_shape", "include_usage"]


class CustomStreamWrapper(NativeStreamIterator[ModelResponseStream]):
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
        super().__init__(native)
        self.model = model
        self.custom_llm_provider = custom_llm_provider
        self.send_stream_usage = include_usage(stream_options)
        # What ``chunks`` holds: the JSON of each yielded chunk until someone
        # asks for ``chunks`` (kept compactly, by its difference from the one
        # before), the objects from then on.
        self._seen = _elc_core.ChunkLog()
        self._chunks: Optional[list[ModelResponseStream]] = None
        self._hidden_params = {"custom_llm_provider": custom_llm_provider}
        #: Set when callbacks observe the call: told of each chunk, the end, a fault.
        self.logging_obj: Optional[Logging] = None

    @property
    def chunks(self) -> list[ModelResponseStream]:
        """Every chunk yielded so far, in order (litellm keeps them for usage and logging).

        Built on first access from the JSON each chunk was validated from (equal
        objects, not the same ones); later chunks are appended as yielded. Until
        then the stream keeps the JSON, not objects, in one native log that
        stores each chunk by how it differs from the previous one (a few bytes
        a chunk rather than ~1 KB of objects; nothing for the garbage collector
        to traverse: over 20,000 retained chunk objects, its passes took half of
        a stream's time).
        """
        if self._chunks is None:
            hidden = self._hidden_params
            self._chunks = [
                from_core_json(ModelResponseStream, raw, hidden) for raw in self._seen.take()
            ]
        return self._chunks

    @chunks.setter
    def chunks(self, value: list[ModelResponseStream]) -> None:
        self._chunks = value
        self._seen = _elc_core.ChunkLog()

    def _shape(self, raw: bytes) -> ModelResponseStream:
        chunk = from_core_json(ModelResponseStream, raw, self._hidden_params)
        if self._chunks is None:
            self._seen.append(raw)
        else:
            self._chunks.append(chunk)
        if self.logging_obj is not None:
            self.logging_obj.chunk(chunk)
        return chunk

    def _fault(self, e: _elc_core.ProviderError) -> Exception:
        err = super()._fault(e)
        if self.logging_obj is not None:
            self.logging_obj.failure(err)
        return err

    def _end(self) -> None:
        if self.logging_obj is not None:
            self.logging_obj.stream_end(self)


def include_usage(stream_options: Optional[dict[str, Any]]) -> bool:
    """Whether the caller asked for the usage chunk (``stream_options["include_usage"]``)."""
    return bool(stream_options and stream_options.get("include_usage"))


def chunk_shape(
    call: _request.NativeCall, stream_options: Optional[dict[str, Any]]
) -> tuple[str, bool]:
    """How the native core shapes a chat stream's chunks: ``(model, include_usage)``.
    The model is the call's id without prefix; for ``azure/`` it is left empty, so each
    chunk keeps the model the deployment serves, as Azure names it (litellm passes it on)."""
    model = "" if call.provider == "azure" else call.model
    return model, include_usage(stream_options)


class ReplayedStream:
    """A stand-in for the native stream that hands over chunk JSON made in Python (mock
    streams, cache hits), shaped by the same native rules as a real chat stream of
    ``model`` (no provider prefix; ``include_usage`` as :func:`include_usage`)."""

    def __init__(self, chunks: list[bytes], model: str, include_usage: bool) -> None:
        self._chunks: deque[bytes] = deque(_elc_core.shape_chunks(model, include_usage, chunks))

    def next_batch(self) -> Optional[list[bytes]]:
        """The next chunk, one at a time; ``None`` at the end."""
        if not self._chunks:
            return None
        return [self._chunks.popleft()]

    async def anext_batch(self) -> Optional[list[bytes]]:
        """Async ``next_batch``."""
        return self.next_batch()

    def close(self) -> None:
        """Drop what is left."""
        self._chunks.clear()
