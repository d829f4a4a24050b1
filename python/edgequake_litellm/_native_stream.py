"""The iteration every stream object shares: batches of JSON documents pulled
from a native ``_elc_core.Stream`` (``next_batch`` for ``for``, ``anext_batch``
for ``async for``), shaped one by one by the subclass's ``_shape``; ``_fault``
and ``_end`` let a subclass observe a fault and the end of the stream.

A fault is raised as litellm's exception after every document that arrived
before it. Leaving the loop early, ``close()``, the context manager, or
garbage collection closes the connection.
"""

from __future__ import annotations

from collections import deque
from typing import Generic, Optional, TypeVar

from typing_extensions import Self

from . import _elc_core, _request

_T = TypeVar("_T")


class NativeStreamIterator(Generic[_T]):
    """Sync and async iterator over a native stream; subclasses define ``_shape``."""

    def __init__(self, native: _elc_core.Stream) -> None:
        self.completion_stream = native
        self._pending: deque[bytes] = deque()

    def _shape(self, raw: bytes) -> Optional[_T]:
        """One document → the object to yield, or ``None`` to skip it."""
        raise NotImplementedError

    def _fault(self, e: _elc_core.ProviderError) -> Exception:
        """The exception to raise for a native fault (litellm's class for it)."""
        return _request.native_error(e)

    def _end(self) -> None:
        """Called once when the stream ends without a fault."""

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> _T:
        pending = self._pending
        while True:
            while pending:  # inline: this loop runs once per chunk
                item = self._shape(pending.popleft())
                if item is not None:
                    return item
            try:
                batch = self.completion_stream.next_batch()
            except _elc_core.ProviderError as e:
                raise self._fault(e) from None
            if batch is None:
                self._end()
                raise StopIteration
            pending.extend(batch)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> _T:
        pending = self._pending
        while True:
            while pending:  # inline: this loop runs once per chunk
                item = self._shape(pending.popleft())
                if item is not None:
                    return item
            try:
                batch = await self.completion_stream.anext_batch()
            except _elc_core.ProviderError as e:
                raise self._fault(e) from None
            if batch is None:
                self._end()
                raise StopAsyncIteration
            pending.extend(batch)

    async def __aenter__(self) -> Self:
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
