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
    BudgetExceededError,
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
    from . import _logging  # noqa: F401
    from ._logging import _disable_debugging, _turn_on_debug  # noqa: F401
    from .budget_manager import BudgetManager
    from .main import acompletion, aembedding, completion, embedding
    from .streaming import CustomStreamWrapper
    from .types.utils import (
        ChatCompletionDeltaToolCall,
        ChatCompletionMessageToolCall,
        Choices,
        Delta,
        Embedding,
        EmbeddingResponse,
        Function,
        Message,
        ModelResponse,
        ModelResponseStream,
        StreamingChoices,
        Usage,
    )
    from .utils import get_llm_provider, stream_chunk_builder

#: Public names whose modules load on first use (they build pydantic models):
#: ``import edgequake_litellm`` stays cheap; the first call pays once.
_LAZY = {
    **dict.fromkeys(("acompletion", "aembedding", "completion", "embedding"), ".main"),
    "CustomStreamWrapper": ".streaming",
    **dict.fromkeys(("_turn_on_debug", "_disable_debugging"), "._logging"),
    "BudgetManager": ".budget_manager",
    **dict.fromkeys(
        (
            "ChatCompletionDeltaToolCall",
            "ChatCompletionMessageToolCall",
            "Choices",
            "Delta",
            "Embedding",
            "EmbeddingResponse",
            "Function",
            "Message",
            "ModelResponse",
            "ModelResponseStream",
            "StreamingChoices",
            "Usage",
        ),
        ".types.utils",
    ),
    **dict.fromkeys(("get_llm_provider", "stream_chunk_builder"), ".utils"),
}


def __getattr__(name: str) -> Any:
    if name == "_logging":  # litellm._logging.verbose_logger (imports logging: on first use)
        return importlib.import_module("._logging", __name__)
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


# -- callbacks, logging and budgets (litellm's globals; see README "Callbacks") ------
#: Callbacks for every call: ``CustomLogger`` instances, or ``"otel"`` / ``"opentelemetry"``.
callbacks: list[Any] = []
#: ``fn(kwargs, completion_response, start_time, end_time)`` (or a ``CustomLogger``) after
#: each successful call; coroutine functions are awaited for async calls.
success_callback: list[Any] = []
#: The same, after each failed call (``kwargs["exception"]`` holds the exception).
failure_callback: list[Any] = []
_async_success_callback: list[Any] = []
_async_failure_callback: list[Any] = []
#: ``fn(model, messages, kwargs)`` before each request, on the caller's thread.
input_callback: list[Any] = []
#: litellm's service-health callbacks: accepted, not called (no proxy services here).
service_callback: list[Any] = []
#: Log each request at DEBUG on ``litellm._logging.verbose_logger`` (litellm's switch).
set_verbose: bool = False
#: USD; when set, a call made once ``_current_cost`` reaches it raises ``BudgetExceededError``.
max_budget: float = 0.0
#: USD spent by this process's calls while ``max_budget`` is set.
_current_cost: float = 0.0
if os.environ.get("LITELLM_LOG"):
    importlib.import_module("._logging", __name__)

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
    "BudgetExceededError",
    "BudgetManager",
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
    "InternalServerError",
    "Message",
    "ModelResponse",
    "ModelResponseStream",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServiceUnavailableError",
    "StreamingChoices",
    "Timeout",
    "UnprocessableEntityError",
    "UnsupportedParamsError",
    "Usage",
    "__version__",
    "acompletion",
    "aembedding",
    "completion",
    "embedding",
    "get_llm_provider",
    "stream_chunk_builder",
]
