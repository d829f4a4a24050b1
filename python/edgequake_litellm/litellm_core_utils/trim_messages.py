"""``trim_messages``: fit a chat history in a token budget (litellm's ``utils.trim_messages``)."""

from __future__ import annotations

import copy
from typing import Any, Optional, Union

from .token_counter import token_counter

__all__ = ["trim_messages"]

#: litellm's ``DEFAULT_TRIM_RATIO``: the share of the model's input window to fill.
DEFAULT_TRIM_RATIO = 0.75
#: Shortening a message is retried this many times before it is dropped (litellm's bound).
_SHORTEN_ATTEMPTS = 10


def _tokens(messages: list[dict[str, Any]], model: Optional[str]) -> int:
    return token_counter(model=model or "", messages=messages) if messages else 0


def _shorten(message: dict[str, Any], budget: int, model: Optional[str]) -> dict[str, Any]:
    """``message`` with its text cut in the middle (``".."`` marks the cut) to fit ``budget``."""
    content = message.get("content")
    if not isinstance(content, str):
        return message
    for _ in range(_SHORTEN_ATTEMPTS):
        used = _tokens([message], model)
        if used <= budget or not content:
            break
        keep = max(0, int(len(content) * budget / used) - 1) // 2
        content = content[:keep] + ".." + (content[-keep:] if keep else "")
        message = {**message, "content": content}
    return message


def trim_messages(
    messages: list[dict[str, Any]],
    model: Optional[str] = None,
    trim_ratio: float = DEFAULT_TRIM_RATIO,
    return_response_tokens: bool = False,
    max_tokens: Optional[int] = None,
) -> Union[list[dict[str, Any]], tuple[list[dict[str, Any]], int]]:
    """Trim ``messages`` to ``max_tokens`` (tokens), else to ``trim_ratio`` of the model's
    input window (``model_cost[model]["max_input_tokens"]``), as litellm does.

    System messages are merged into one leading system message (shortened if it alone is
    over the budget); trailing ``tool`` messages are kept as they are; then the most
    recent messages are kept while they fit, the first that does not fit is shortened in
    the middle, and older ones are dropped. The input list is not modified.

    Returns the trimmed messages, or ``(messages, tokens left for the response)`` with
    ``return_response_tokens``. An unknown model without ``max_tokens`` returns a copy
    of the messages unchanged (litellm's behaviour).
    """
    from .. import _request

    messages = copy.deepcopy(messages)
    budget = max_tokens
    if budget is None:
        entry = _request._config().model_cost.get(model) if model else None
        window = entry.get("max_input_tokens") if isinstance(entry, dict) else None
        if not isinstance(window, int):
            return messages
        budget = int(window * trim_ratio)
    tools: list[dict[str, Any]] = []
    while messages and messages[-1].get("role") == "tool":
        tools.insert(0, messages.pop())
    if _tokens(messages, model) < budget:
        result = messages + tools
        return (result, budget - _tokens(result, model)) if return_response_tokens else result
    system_text = "\n".join(
        m["content"]
        for m in messages
        if m.get("role") == "system" and isinstance(m.get("content"), str)
    )
    head: list[dict[str, Any]] = []
    if system_text:
        system = _shorten({"role": "system", "content": system_text}, budget, model)
        head = [system]
        budget -= _tokens(head, model)
        messages = [m for m in messages if m.get("role") != "system"]
    kept: list[dict[str, Any]] = []
    for message in reversed(messages):
        left = budget - _tokens(kept, model)
        if left <= 3:
            break
        if _tokens([message, *kept], model) <= budget:
            kept.insert(0, message)
            continue
        if "function_call" not in message:
            short = _shorten(message, left, model)
            if _tokens([short, *kept], model) <= budget:
                kept.insert(0, short)
        break
    result = head + kept + tools
    if return_response_tokens:
        return result, budget - _tokens(kept + tools, model)
    return result
