"""edgequake_litellm: a drop-in replacement for the litellm SDK with a Rust network core.

``import edgequake_litellm as litellm`` and code written for litellm keeps
working: ``completion``, ``acompletion``, ``embedding``, ``aembedding``,
streaming, litellm's response objects and exception classes. The module-level
settings below are litellm's globals, read at call time.
"""

from __future__ import annotations

import atexit
import importlib
import os
from typing import TYPE_CHECKING, Any, Optional, Union

from . import _alias, _elc_core
from ._elc_core import __version__
from .exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    AuthenticationError,
    BadGatewayError,
    BadRequestError,
    ContentPolicyViolationError,
    ContextWindowExceededError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    Timeout,
    UnprocessableEntityError,
    UnsupportedParamsError,
)

if TYPE_CHECKING:
    from .images.main import aimage_generation, image_generation
    from .main import (
        acompletion,
        aembedding,
        amoderation,
        aspeech,
        atranscription,
        completion,
        embedding,
        moderation,
        speech,
        transcription,
    )
    from .rerank_api.main import arerank, rerank
    from .responses.main import (
        adelete_responses,
        aget_responses,
        aresponses,
        delete_responses,
        get_responses,
        responses,
    )
    from .streaming import CustomStreamWrapper
    from .types.llms.openai import HttpxBinaryResponseContent, ResponsesAPIResponse
    from .types.rerank import RerankResponse
    from .types.utils import (
        ChatCompletionDeltaToolCall,
        ChatCompletionMessageToolCall,
        Choices,
        Delta,
        Embedding,
        EmbeddingResponse,
        Function,
        ImageObject,
        ImageResponse,
        Message,
        ModelResponse,
        ModelResponseStream,
        StreamingChoices,
        TranscriptionResponse,
        Usage,
    )
    from .utils import get_llm_provider, stream_chunk_builder

#: Public names whose modules load on first use (they build pydantic models):
#: ``import edgequake_litellm`` stays cheap; the first call pays once.
_LAZY = {
    **dict.fromkeys(
        (
            "acompletion",
            "aembedding",
            "amoderation",
            "aspeech",
            "atranscription",
            "completion",
            "embedding",
            "moderation",
            "speech",
            "transcription",
        ),
        ".main",
    ),
    **dict.fromkeys(("aimage_generation", "image_generation"), ".images.main"),
    **dict.fromkeys(("arerank", "rerank"), ".rerank_api.main"),
    "RerankResponse": ".types.rerank",
    "HttpxBinaryResponseContent": ".types.llms.openai",
    "CustomStreamWrapper": ".streaming",
    # ``responses`` is also a subpackage: the function wins once looked up here.
    **dict.fromkeys(
        (
            "adelete_responses",
            "aget_responses",
            "aresponses",
            "delete_responses",
            "get_responses",
            "responses",
        ),
        ".responses.main",
    ),
    "ResponsesAPIResponse": ".types.llms.openai",
    **dict.fromkeys(
        (
            "ChatCompletionDeltaToolCall",
            "ChatCompletionMessageToolCall",
            "Choices",
            "Delta",
            "Embedding",
            "EmbeddingResponse",
            "Function",
            "ImageObject",
            "ImageResponse",
            "Message",
            "ModelResponse",
            "ModelResponseStream",
            "StreamingChoices",
            "TranscriptionResponse",
            "Usage",
        ),
        ".types.utils",
    ),
    **dict.fromkeys(("get_llm_provider", "stream_chunk_builder"), ".utils"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


# -- litellm's module globals (litellm/__init__.py) ---------------------------
api_key: Optional[str] = None
api_base: Optional[str] = None
headers: Optional[dict[str, str]] = None
openai_key: Optional[str] = None
cohere_key: Optional[str] = None
xai_key: Optional[str] = None
groq_key: Optional[str] = None
openrouter_key: Optional[str] = None
ollama_key: Optional[str] = None
togetherai_api_key: Optional[str] = None
#: Google AI Studio key for ``gemini/`` models (else ``GEMINI_API_KEY`` / ``GOOGLE_API_KEY``).
gemini_key: Optional[str] = None
anthropic_key: Optional[str] = None
#: Retries per call when the call does not say (``None``: 2, the openai SDK's default).
num_retries: Optional[int] = None
#: Seconds a call may take when the call does not say.
request_timeout: float = float(os.environ.get("REQUEST_TIMEOUT", 6000))
#: TLS verification: True (system trust store, or ``SSL_CERT_FILE``), False, or a CA bundle path.
ssl_verify: Union[bool, str] = True
#: Drop parameters a provider does not support instead of raising.
drop_params: bool = bool(os.environ.get("LITELLM_DROP_PARAMS"))

_alias.install()
# Native threads must not re-enter the interpreter once it starts finalizing.
atexit.register(_elc_core.shutdown)

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "AuthenticationError",
    "BadGatewayError",
    "BadRequestError",
    "ChatCompletionDeltaToolCall",
    "ChatCompletionMessageToolCall",
    "Choices",
    "ContentPolicyViolationError",
    "ContextWindowExceededError",
    "CustomStreamWrapper",
    "Delta",
    "Embedding",
    "EmbeddingResponse",
    "Function",
    "HttpxBinaryResponseContent",
    "ImageObject",
    "ImageResponse",
    "InternalServerError",
    "Message",
    "ModelResponse",
    "ModelResponseStream",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RerankResponse",
    "ResponsesAPIResponse",
    "ServiceUnavailableError",
    "StreamingChoices",
    "Timeout",
    "TranscriptionResponse",
    "UnprocessableEntityError",
    "UnsupportedParamsError",
    "Usage",
    "__version__",
    "acompletion",
    "adelete_responses",
    "aembedding",
    "aget_responses",
    "aimage_generation",
    "amoderation",
    "arerank",
    "aresponses",
    "aspeech",
    "atranscription",
    "completion",
    "delete_responses",
    "embedding",
    "get_llm_provider",
    "get_responses",
    "image_generation",
    "moderation",
    "rerank",
    "responses",
    "speech",
    "stream_chunk_builder",
    "transcription",
]
