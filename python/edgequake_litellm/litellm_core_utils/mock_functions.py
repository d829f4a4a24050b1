"""``mock_response=``: litellm's test helpers, answered without any I/O.

``completion(..., mock_response=...)`` (``litellm.main.mock_completion``) and
``embedding(..., mock_response=...)`` (``mock_embedding``), with litellm's rules:

- a string is the assistant's answer: usage 10 prompt + 20 completion tokens
  (litellm's ``DEFAULT_MOCK_RESPONSE_*_TOKEN_COUNT``), ``n`` choices when ``n`` is given,
  ``mock_tool_calls`` (a list of tool-call dicts) on the first choice's message;
- the strings ``"litellm.RateLimitError"`` (429), ``"litellm.ContextWindowExceededError"``
  (400), ``"litellm.InternalServerError"`` (500) raise that class;
- an exception instance: raised as is when it is one of litellm's (openai's) API errors,
  else as ``MockException`` with its ``status_code`` (500 if none) and its text;
- a dict is validated as a ``ModelResponse``; a ``ModelResponse`` is returned as is;
- with ``stream=True``, the answer arrives in 3-character chunks through the same
  ``CustomStreamWrapper`` a real stream uses (sync and async);
- for embeddings, a list of floats is the one vector returned (1536 zeros if ``None``),
  and ``"error"`` raises.
"""

from __future__ import annotations

import json
from typing import Any, Optional, Union

from ..streaming import CustomStreamWrapper, ReplayedStream
from ..types.utils import (
    ChatCompletionMessageToolCall,
    Choices,
    Embedding,
    EmbeddingResponse,
    Message,
    ModelResponse,
    Usage,
)

__all__ = ["mock_completion", "mock_embedding"]

PROMPT_TOKENS = 10
COMPLETION_TOKENS = 20

_ERROR_STRINGS = {
    "litellm.RateLimitError": ("RateLimitError", "this is a mock rate limit error"),
    "litellm.ContextWindowExceededError": (
        "ContextWindowExceededError",
        "this is a mock context window exceeded error",
    ),
    "litellm.InternalServerError": ("InternalServerError", "this is a mock internal server error"),
}


def _raise_mock_error(mock: Any, model: str, provider: Optional[str]) -> None:
    """Raise what litellm raises for an exception or an error string given as the mock."""
    from .. import exceptions

    if isinstance(mock, BaseException):
        if isinstance(mock, exceptions.OpenAIError) or _is_openai_api_error(mock):
            raise mock
        raise exceptions.MockException(
            message=str(getattr(mock, "text", None) or mock),
            llm_provider=getattr(mock, "llm_provider", None) or provider or "openai",
            model=model,
            status_code=getattr(mock, "status_code", 500),
        )
    if isinstance(mock, str) and mock in _ERROR_STRINGS:
        name, message = _ERROR_STRINGS[mock]
        cls = getattr(exceptions, name)
        if issubclass(cls, exceptions.BadRequestError):
            raise cls(message, model, provider or "openai")
        raise cls(message, provider or "openai", model)


def _is_openai_api_error(err: BaseException) -> bool:
    import sys

    openai = sys.modules.get("openai")
    return openai is not None and isinstance(err, openai.APIError)


def _stream(text: str, model: str, n: Optional[int], provider: str) -> CustomStreamWrapper:
    head = {"id": "chatcmpl-mock", "object": "chat.completion.chunk", "model": model}
    indexes = range(n or 1)
    chunks = [
        json.dumps(
            {
                **head,
                "choices": [
                    {"index": i, "delta": {"role": "assistant", "content": text[k : k + 3]}}
                    for i in indexes
                ],
            }
        ).encode()
        for k in range(0, len(text), 3)
    ]
    last = {"index": 0, "delta": {}, "finish_reason": "stop"}
    chunks.append(json.dumps({**head, "choices": [{**last, "index": i} for i in indexes]}).encode())
    replay = ReplayedStream(chunks, model, include_usage=False)
    return CustomStreamWrapper(replay, model, provider)  # type: ignore[arg-type]


def mock_completion(
    model: str,
    messages: list[Any],
    stream: Optional[bool] = False,
    n: Optional[int] = None,
    mock_response: Any = "This is a mock request",
    mock_tool_calls: Optional[list[dict[str, Any]]] = None,
    custom_llm_provider: Optional[str] = None,
    **kwargs: Any,
) -> Union[ModelResponse, CustomStreamWrapper]:
    """litellm's ``mock_completion``: a ``ModelResponse`` (or a stream) built from
    ``mock_response`` without any I/O; see the module docstring for the rules.

    Raises:
        The error ``mock_response`` names or is (``RateLimitError``, ``MockException``, ...).
    """
    provider = custom_llm_provider or (model.split("/", 1)[0] if "/" in model else "openai")
    mock = "This is a mock request" if mock_response is None else mock_response
    _raise_mock_error(mock, model, provider)
    if isinstance(mock, dict):
        return ModelResponse.model_validate(mock)
    if isinstance(mock, ModelResponse):
        return mock
    text = str(mock)
    if stream:
        return _stream(text, model, n, provider)
    choices = [
        Choices(index=i, message=Message(content=text, role="assistant")) for i in range(n or 1)
    ]
    if mock_tool_calls:
        choices[0].message.tool_calls = [
            ChatCompletionMessageToolCall.model_validate(c) for c in mock_tool_calls
        ]
    resp = ModelResponse(
        model=model,
        choices=choices,
        usage=Usage(
            prompt_tokens=PROMPT_TOKENS,
            completion_tokens=COMPLETION_TOKENS,
            total_tokens=PROMPT_TOKENS + COMPLETION_TOKENS,
        ),
    )
    resp._hidden_params = {"custom_llm_provider": provider, "api_base": None, "model_id": None}
    return resp


def mock_embedding(model: str, mock_response: Any = None) -> EmbeddingResponse:
    """litellm's ``mock_embedding``: one vector (``mock_response``, else 1536 zeros), usage 10
    prompt tokens; ``mock_response="error"`` raises ``Exception("Mock error")`` as litellm."""
    if mock_response == "error":
        raise Exception("Mock error")
    vector = [0.0] * 1536 if mock_response is None else mock_response
    return EmbeddingResponse(
        model=model,
        data=[Embedding(embedding=vector, index=0)],
        usage=Usage(prompt_tokens=PROMPT_TOKENS, total_tokens=PROMPT_TOKENS),
    )
