"""litellm's helper functions: ``stream_chunk_builder`` and ``get_llm_provider``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

from . import _elc_core, _request
from .types.utils import (
    ChatCompletionMessageToolCall,
    Choices,
    Function,
    Message,
    ModelResponse,
    ModelResponseStream,
    Usage,
)

__all__ = ["get_llm_provider", "stream_chunk_builder"]


def get_llm_provider(
    model: str,
    custom_llm_provider: Optional[str] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
) -> tuple[str, str, Optional[str], Optional[str]]:
    """Split ``model`` into litellm's ``(model, custom_llm_provider, dynamic_api_key, api_base)``.

    The prefix is split on the first ``/`` only (``"openrouter/openai/gpt-4o"``
    → ``("openai/gpt-4o", "openrouter", None, None)``); ``api_key`` and
    ``api_base`` are returned as given (litellm fills some provider defaults
    here; this library resolves them at call time).

    Raises:
        BadRequestError: the provider is unknown ("LLM Provider NOT provided").
    """
    try:
        provider, model_id, _ = _elc_core.route(model, custom_llm_provider)
    except _elc_core.ProviderError as e:
        raise _request.native_error(e) from None
    return model_id, provider, api_key, api_base


def _estimate_tokens(text: str) -> int:
    """About four characters a token: used only when a stream carried no usage."""
    return (len(text) + 3) // 4 if text else 0


def stream_chunk_builder(
    chunks: Iterable[ModelResponseStream], messages: Optional[list[Any]] = None
) -> Optional[ModelResponse]:
    """Rebuild the whole ``ModelResponse`` from streamed chunks, as litellm's function does.

    Content, reasoning content and tool-call fragments are concatenated per
    choice index (tool calls merged by their ``index``); ``thinking_blocks``
    fragments (Anthropic: thinking text, then the block's ``signature``; or a
    whole ``redacted_thinking`` block) are joined into whole blocks in the
    order they arrived; a tool call keeps its fragments' ``provider_specific_fields``
    (Gemini's ``thought_signature``), as litellm's does; ``finish_reason`` is
    the last one sent (``"stop"`` if none); ``id``, ``created``, ``model`` and
    ``system_fingerprint`` come from the first chunk. Usage is the usage a
    chunk carried (``stream_options={"include_usage": True}``); without one it
    is estimated at four characters per token from ``messages`` and the output.

    Returns ``None`` for no chunks.
    """
    chunks = list(chunks)
    if not chunks:
        return None
    first = chunks[0]
    texts: dict[int, list[str]] = {}
    reasoning: dict[int, list[str]] = {}
    thinking: dict[int, list[dict[str, Any]]] = {}
    finish: dict[int, str] = {}
    tools: dict[int, dict[int, dict[str, Any]]] = {}
    usage: Optional[Usage] = None
    for chunk in chunks:
        if chunk.usage is not None:
            usage = chunk.usage
        for c in chunk.choices:
            i = c.index
            texts.setdefault(i, [])
            if c.delta.content:
                texts[i].append(c.delta.content)
            r = getattr(c.delta, "reasoning_content", None)
            if r:
                reasoning.setdefault(i, []).append(r)
            for block in getattr(c.delta, "thinking_blocks", None) or []:
                _add_thinking(thinking.setdefault(i, []), block)
            if c.finish_reason:
                finish[i] = c.finish_reason
            for tc in c.delta.tool_calls or []:
                slot = tools.setdefault(i, {}).setdefault(
                    tc.index, {"id": None, "name": None, "arguments": [], "fields": {}}
                )
                slot["id"] = slot["id"] or tc.id
                slot["name"] = slot["name"] or tc.function.name
                slot["fields"].update(getattr(tc, "provider_specific_fields", None) or {})
                if tc.function.arguments:
                    slot["arguments"].append(tc.function.arguments)
    choices = []
    for i in sorted(texts):
        calls = [
            ChatCompletionMessageToolCall(
                id=t["id"] or f"call_{i}_{k}",
                function=Function(name=t["name"], arguments="".join(t["arguments"])),
                **({"provider_specific_fields": t["fields"]} if t["fields"] else {}),
            )
            for k, t in sorted(tools.get(i, {}).items())
        ]
        content = "".join(texts[i]) or None
        extra: dict[str, Any] = (
            {"reasoning_content": "".join(reasoning[i])} if i in reasoning else {}
        )
        if i in thinking:
            extra["thinking_blocks"] = thinking[i]
        message = Message(content=content, tool_calls=calls or None, **extra)
        choices.append(Choices(index=i, finish_reason=finish.get(i, "stop"), message=message))
    if usage is None:
        prompt = sum(_estimate_tokens(_message_text(m)) for m in messages or [])
        out = "".join("".join(t) for t in texts.values())
        out += "".join("".join(t["arguments"]) for calls in tools.values() for t in calls.values())
        completion_tokens = _estimate_tokens(out)
        usage = Usage(
            prompt_tokens=prompt,
            completion_tokens=completion_tokens,
            total_tokens=prompt + completion_tokens,
        )
    return ModelResponse(
        id=first.id,
        created=first.created,
        model=first.model,
        system_fingerprint=first.system_fingerprint,
        choices=choices,
        usage=usage,
    )


def _add_thinking(blocks: list[dict[str, Any]], piece: Any) -> None:
    """Fold one streamed ``thinking_blocks`` fragment into ``blocks``.

    A thinking fragment extends the last thinking block until that block got
    its signature (Anthropic sends the signature last); other blocks
    (``redacted_thinking``) arrive whole.
    """
    piece = piece.model_dump() if hasattr(piece, "model_dump") else dict(piece)
    if piece.get("type") != "thinking":
        blocks.append(piece)
        return
    last = blocks[-1] if blocks else None
    if last is None or last.get("type") != "thinking" or last.get("signature"):
        last = {"type": "thinking", "thinking": ""}
        blocks.append(last)
    last["thinking"] += piece.get("thinking") or ""
    if piece.get("signature"):
        last["signature"] = last.get("signature", "") + piece["signature"]


def _message_text(m: Any) -> str:
    content = m.get("content") if isinstance(m, dict) else getattr(m, "content", None)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""
