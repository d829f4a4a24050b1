"""edgequake_litellm: a drop-in replacement for the litellm SDK with a Rust network core.

``import edgequake_litellm as litellm`` and code written for litellm keeps
working: ``completion``, ``acompletion``, ``embedding``, ``aembedding``,
streaming, litellm's response objects and exception classes. The module-level
settings below are litellm's globals, read at call time.
"""

from __future__ import annotations

import atexit
import importlib
import importlib.util
import os
from typing import TYPE_CHECKING, Any, Optional, Union

from . import _alias, _elc_core
from ._elc_core import __version__

if TYPE_CHECKING:
    from . import _logging  # noqa: F401
    from ._logging import _disable_debugging, _turn_on_debug  # noqa: F401
    from .budget_manager import BudgetManager
    from .caching.caching import Cache, disable_cache, enable_cache, update_cache
    from .cost_calculator import completion_cost, cost_per_token
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
        ModelNotMappedError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        ServiceUnavailableError,
        Timeout,
        UnprocessableEntityError,
        UnsupportedParamsError,
    )
    from .images.main import aimage_generation, image_generation
    from .litellm_core_utils.get_model_cost_map import ModelCostMap, get_model_cost_map
    from .litellm_core_utils.get_supported_openai_params import (
        OPENAI_CHAT_COMPLETION_PARAMS,
        get_supported_openai_params,
    )
    from .litellm_core_utils.token_counter import decode, encode, token_counter
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
    from .router import Router
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
    from .utils import (
        get_llm_provider,
        get_max_tokens,
        get_model_info,
        register_model,
        stream_chunk_builder,
        supports_audio_input,
        supports_audio_output,
        supports_function_calling,
        supports_parallel_function_calling,
        supports_pdf_input,
        supports_prompt_caching,
        supports_reasoning,
        supports_response_schema,
        supports_system_messages,
        supports_tool_choice,
        supports_vision,
        supports_web_search,
        validate_environment,
    )

    model_cost: ModelCostMap
    provider_list: list[str]
    model_list: list[str]
    models_by_provider: dict[str, set[str]]

#: litellm's exception classes (``exceptions.__all__``).
_EXCEPTIONS = (
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "AuthenticationError",
    "AzureOpenAIError",
    "BadGatewayError",
    "BadRequestError",
    "BudgetExceededError",
    "ContentPolicyViolationError",
    "ContextWindowExceededError",
    "ImageFetchError",
    "InternalServerError",
    "InvalidRequestError",
    "JSONSchemaValidationError",
    "LiteLLMUnknownProvider",
    "MockException",
    "ModelNotMappedError",
    "NotFoundError",
    "OpenAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "RejectedRequestError",
    "RouterRateLimitError",
    "ServiceUnavailableError",
    "Timeout",
    "UnprocessableEntityError",
    "UnsupportedParamsError",
)

#: Public names whose modules load on first use (they build pydantic models):
#: ``import edgequake_litellm`` stays cheap; the first call pays once.
_LAZY = {
    # Exceptions load on first use: with openai installed they subclass openai's classes,
    # and importing openai costs more than this whole package.
    **dict.fromkeys(_EXCEPTIONS, ".exceptions"),
    **dict.fromkeys(("get_secret", "get_secret_bool"), ".secret_managers.main"),
    **dict.fromkeys(
        (
            "ChatCompletionAnnotation",
            "ChatCompletionAssistantMessage",
            "ChatCompletionSystemMessage",
            "ChatCompletionToolCallFunctionChunk",
            "ChatCompletionToolMessage",
            "ChatCompletionUserMessage",
            "OpenAIMessageContent",
        ),
        ".types.llms.openai",
    ),
    **dict.fromkeys(
        (
            "acompletion",
            "acompletion_with_retries",
            "aembedding",
            "amoderation",
            "aspeech",
            "atranscription",
            "completion",
            "completion_with_retries",
            "embedding",
            "TextCompletionStreamWrapper",
            "atext_completion",
            "moderation",
            "speech",
            "text_completion",
            "transcription",
        ),
        ".main",
    ),
    **dict.fromkeys(
        ("batch_completion", "batch_completion_models", "batch_completion_models_all_responses"),
        ".batch_completion.main",
    ),
    **dict.fromkeys(("aimage_generation", "image_generation"), ".images.main"),
    **dict.fromkeys(("arerank", "rerank"), ".rerank_api.main"),
    "RerankResponse": ".types.rerank",
    "HttpxBinaryResponseContent": ".types.llms.openai",
    "trim_messages": ".litellm_core_utils.trim_messages",
    "CustomStreamWrapper": ".streaming",
    **dict.fromkeys(("_turn_on_debug", "_disable_debugging"), "._logging"),
    "BudgetManager": ".budget_manager",
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
            "ModelResponseBase",
            "ModelResponseStream",
            "StreamingChoices",
            "TextChoices",
            "TextCompletionResponse",
            "TranscriptionResponse",
            "Usage",
        ),
        ".types.utils",
    ),
    **dict.fromkeys(
        (
            "get_llm_provider",
            "get_max_tokens",
            "get_model_info",
            "register_model",
            "stream_chunk_builder",
            "supports_audio_input",
            "supports_audio_output",
            "supports_function_calling",
            "supports_parallel_function_calling",
            "supports_pdf_input",
            "supports_prompt_caching",
            "supports_reasoning",
            "supports_response_schema",
            "supports_system_messages",
            "supports_tool_choice",
            "supports_vision",
            "supports_web_search",
            "validate_environment",
        ),
        ".utils",
    ),
    **dict.fromkeys(("completion_cost", "cost_per_token"), ".cost_calculator"),
    **dict.fromkeys(
        ("OPENAI_CHAT_COMPLETION_PARAMS", "get_supported_openai_params"),
        ".litellm_core_utils.get_supported_openai_params",
    ),
    **dict.fromkeys(("decode", "encode", "token_counter"), ".litellm_core_utils.token_counter"),
    "get_model_cost_map": ".litellm_core_utils.get_model_cost_map",
    "Router": ".router",
    **dict.fromkeys(("Cache", "enable_cache", "disable_cache", "update_cache"), ".caching.caching"),
}

#: Module globals built on first read (the model map and lists derived from it).
_LAZY_DATA = ("model_cost", "provider_list", "model_list", "models_by_provider")


def _lazy_data(name: str) -> Any:
    if name == "model_cost":
        from .litellm_core_utils.get_model_cost_map import ModelCostMap

        return ModelCostMap()
    if name == "provider_list":
        from .litellm_core_utils.model_facts import provider_list

        return list(provider_list())
    from .litellm_core_utils.get_llm_provider_logic import model_map_provider

    cost = globals()["model_cost"] if "model_cost" in globals() else __getattr__("model_cost")
    by_provider: dict[str, set[str]] = {}
    chat: list[str] = []
    for key, entry in cost.items():
        provider = entry.get("litellm_provider") if isinstance(entry, dict) else None
        if not isinstance(provider, str):
            continue
        by_provider.setdefault(model_map_provider(provider), set()).add(key)
        if entry.get("mode") in ("chat", "completion", "responses"):
            chat.append(key)
    return chat if name == "model_list" else by_provider


#: Where an unimplemented litellm name is explained.
_COMPATIBILITY_TABLE = "the README's table 'Compatibility with litellm's names'"


def __getattr__(name: str) -> Any:
    if name in _LAZY_DATA:
        value = _lazy_data(name)
        globals()[name] = value
        return value
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module, __name__), name)
    elif not name.startswith("__") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        # A submodule (``litellm.utils``, ``litellm.types``...): reachable as an attribute
        # without importing it first, as litellm's are; loaded on first use.
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(
            f"module {__name__!r} has no attribute {name!r}: litellm's {name!r} is not "
            f"implemented by edgequake-litellm (see {_COMPATIBILITY_TABLE})"
        )
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_LAZY_DATA))


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
#: Azure OpenAI key for ``azure/`` deployments (else ``AZURE_OPENAI_API_KEY``, ``AZURE_API_KEY``).
azure_key: Optional[str] = None
#: Retries per call when the call does not say (``None``: 2, the openai SDK's default).
num_retries: Optional[int] = None
#: Seconds a call may take when the call does not say.
request_timeout: float = float(os.environ.get("REQUEST_TIMEOUT", 6000))
#: TLS verification: True (system trust store, or ``SSL_CERT_FILE``), False, or a CA bundle path.
ssl_verify: Union[bool, str] = True
#: Drop parameters a provider does not support instead of raising UnsupportedParamsError.
drop_params: bool = bool(os.environ.get("LITELLM_DROP_PARAMS"))
#: The response cache (a ``Cache``), or ``None``: calls are not cached.
cache: Optional[Cache] = None
#: ``token_counter`` returns 0 when set (litellm's switch).
disable_token_counter: bool = False


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

#: litellm's ``model_alias_map``: ``{"alias": "provider/model"}``, resolved on every call.
model_alias_map: dict[str, str] = {}
#: Accepted for litellm code that sets them; no effect here (README, "Module settings").
suppress_debug_info: bool = False
telemetry: bool = True
modify_params: bool = bool(os.environ.get("LITELLM_MODIFY_PARAMS"))
use_litellm_proxy: bool = False
add_function_to_prompt: bool = False
model_fallbacks: Optional[list[Any]] = None
context_window_fallback_dict: dict[str, str] = {}
#: Azure's ``api-version`` when the call gives none (else ``AZURE_API_VERSION``, else
#: ``AZURE_DEFAULT_API_VERSION``); also sent by ``azure_ai/``.
api_version: Optional[str] = None
#: litellm's default Azure OpenAI ``api-version`` (its ``litellm.AZURE_DEFAULT_API_VERSION``):
#: used by ``azure/`` when neither the call, ``api_version`` nor ``AZURE_API_VERSION`` sets one.
AZURE_DEFAULT_API_VERSION: str = "2025-02-01-preview"
#: Vertex AI's project and location when a call gives no ``vertex_project`` / ``vertex_location``.
vertex_project: Optional[str] = None
vertex_location: Optional[str] = None
#: litellm's shared httpx clients: accepted, not used (the native core has its own pool).
client_session: Any = None
aclient_session: Any = None
max_tokens: int = 4096
retry: bool = True

_alias.install()
# Native threads must not re-enter the interpreter once it starts finalizing.
atexit.register(_elc_core.shutdown)

__all__ = [
    "OPENAI_CHAT_COMPLETION_PARAMS",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "AuthenticationError",
    "BadGatewayError",
    "BadRequestError",
    "BudgetExceededError",
    "BudgetManager",
    "Cache",
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
    "ModelNotMappedError",
    "ModelResponse",
    "ModelResponseStream",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RerankResponse",
    "ResponsesAPIResponse",
    "Router",
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
    "completion_cost",
    "cost_per_token",
    "decode",
    "delete_responses",
    "disable_cache",
    "embedding",
    "enable_cache",
    "encode",
    "get_llm_provider",
    "get_max_tokens",
    "get_model_cost_map",
    "get_model_info",
    "get_responses",
    "get_supported_openai_params",
    "image_generation",
    "model_cost",
    "model_list",
    "models_by_provider",
    "moderation",
    "provider_list",
    "register_model",
    "rerank",
    "responses",
    "speech",
    "stream_chunk_builder",
    "supports_audio_input",
    "supports_audio_output",
    "supports_function_calling",
    "supports_parallel_function_calling",
    "supports_pdf_input",
    "supports_prompt_caching",
    "supports_reasoning",
    "supports_response_schema",
    "supports_system_messages",
    "supports_tool_choice",
    "supports_vision",
    "supports_web_search",
    "token_counter",
    "transcription",
    "update_cache",
    "validate_environment",
]
