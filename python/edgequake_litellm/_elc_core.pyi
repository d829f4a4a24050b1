"""Stubs of the native module (``src/``); checked by ``mypy.stubtest``."""

from collections.abc import Awaitable
from typing import Any, Optional, final

__all__ = [
    "ChunkLog",
    "ProviderError",
    "Stream",
    "Tokenizer",
    "__version__",
    "acall",
    "astream",
    "call",
    "route",
    "shape_chunks",
    "shutdown",
    "stream",
    "take_debug_events",
]

__version__: str

class ProviderError(Exception):
    """args = (kind, status_code, message, llm_provider, model, retry_after, body, attempts)."""

@final
class ChunkLog:
    def __new__(cls) -> ChunkLog: ...
    def append(self, doc: bytes) -> None: ...
    def take(self) -> list[bytes]: ...
    def __len__(self) -> int: ...

@final
class Stream:
    def next_batch(self) -> Optional[list[bytes]]: ...
    def anext_batch(self) -> Awaitable[Optional[list[bytes]]]: ...
    def close(self) -> None: ...

@final
class Tokenizer:
    def __new__(cls, name: str, data: bytes) -> Tokenizer: ...
    def encode(self, text: str) -> list[int]: ...
    def count(self, text: str) -> int: ...
    def decode(self, tokens: list[int]) -> str: ...

def shape_chunks(model: str, include_usage: bool, chunks: list[bytes]) -> list[bytes]: ...
def shutdown() -> None: ...
def take_debug_events(tag: int) -> list[str]: ...
def route(model: str, custom_llm_provider: Optional[str] = None) -> tuple[str, str, list[str]]: ...
def call(
    endpoint_name: str,
    provider: str,
    model: str,
    body: bytes,
    options: dict[str, Any],
    files: Optional[list[tuple[str, str, str, bytes]]] = None,
) -> bytes: ...
def acall(
    endpoint_name: str,
    provider: str,
    model: str,
    body: bytes,
    options: dict[str, Any],
    files: Optional[list[tuple[str, str, str, bytes]]] = None,
) -> Awaitable[bytes]: ...
def stream(
    endpoint_name: str,
    provider: str,
    model: str,
    body: bytes,
    options: dict[str, Any],
    shape: Optional[tuple[str, bool]] = None,
) -> Stream: ...
def astream(
    endpoint_name: str,
    provider: str,
    model: str,
    body: bytes,
    options: dict[str, Any],
    shape: Optional[tuple[str, bool]] = None,
) -> Awaitable[Stream]: ...
