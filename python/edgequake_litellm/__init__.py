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
    ModelNotMappedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    Timeout,
    UnprocessableEntityError,
    UnsupportedParamsError,
)

if TYPE_CHECKING:
    from .cost_calculator import completion_cost, cost_per_token
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


def __getattr__(name: str) -> Any:
    if name in _LAZY_DATA:
        value = _lazy_data(name)
        globals()[name] = value
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
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
#: Retries per call when the call does not say (``None``: 2, the openai SDK's default).
num_retries: Optional[int] = None
#: Seconds a call may take when the call does not say.
request_timeout: float = float(os.environ.get("REQUEST_TIMEOUT", 6000))
#: TLS verification: True (system trust store, or ``SSL_CERT_FILE``), False, or a CA bundle path.
ssl_verify: Union[bool, str] = True
#: Drop parameters a provider does not support instead of raising UnsupportedParamsError.
drop_params: bool = bool(os.environ.get("LITELLM_DROP_PARAMS"))
#: ``token_counter`` returns 0 when set (litellm's switch).
disable_token_counter: bool = False

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
    "embedding",
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
    "validate_environment",
]
