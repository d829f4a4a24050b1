"""Stubs of the native module (``src/``); checked by ``mypy.stubtest``."""

from collections.abc import Awaitable
from typing import Optional, final

__all__ = [
    "ProviderError",
    "Stream",
    "__version__",
    "acall",
    "astream",
    "call",
    "route",
    "shutdown",
    "stream",
]

__version__: str

class ProviderError(Exception):
    """args = (kind, status_code, message, llm_provider, model, retry_after, body, attempts)."""

@final
class Stream:
    def next_batch(self) -> Optional[list[bytes]]: ...
    def anext_batch(self) -> Awaitable[Optional[list[bytes]]]: ...
    def close(self) -> None: ...

def shutdown() -> None: ...
def route(model: str, custom_llm_provider: Optional[str] = None) -> tuple[str, str, list[str]]: ...
def call(
    endpoint_name: str,
    provider: str,
    model: str,
    body: bytes,
    api_key: Optional[str],
    api_base: Optional[str],
    timeout: Optional[float],
    num_retries: int,
    headers: Optional[list[tuple[str, str]]],
    drop_params: bool = False,
) -> bytes: ...
def acall(
    endpoint_name: str,
    provider: str,
    model: str,
    body: bytes,
    api_key: Optional[str],
    api_base: Optional[str],
    timeout: Optional[float],
    num_retries: int,
    headers: Optional[list[tuple[str, str]]],
    drop_params: bool = False,
) -> Awaitable[bytes]: ...
def stream(
    provider: str,
    model: str,
    body: bytes,
    api_key: Optional[str],
    api_base: Optional[str],
    timeout: Optional[float],
    num_retries: int,
    headers: Optional[list[tuple[str, str]]],
    drop_params: bool = False,
) -> Stream: ...
def astream(
    provider: str,
    model: str,
    body: bytes,
    api_key: Optional[str],
    api_base: Optional[str],
    timeout: Optional[float],
    num_retries: int,
    headers: Optional[list[tuple[str, str]]],
    drop_params: bool = False,
) -> Awaitable[Stream]: ...
