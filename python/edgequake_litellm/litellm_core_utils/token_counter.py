"""litellm's ``token_counter``, ``encode`` and ``decode``, on tiktoken's encodings.

Counts follow litellm's accounting (``litellm_core_utils/token_counter.py``): OpenAI chat
models are tokenized with the encoding tiktoken names for them (``o200k_base`` for gpt-4o,
gpt-4.1, gpt-5 and the o-series; ``cl100k_base`` for gpt-4, gpt-3.5 and the embedding
models), every other model with ``cl100k_base`` (litellm's fallback); each message costs 3
tokens plus its text (a ``name`` 1 more), a prompt 3 more for the reply primer, tools are
counted in the TypeScript-like form OpenAI renders them in, plus 9 (4 fewer with a system
message). Text is counted in slices of 1,024 characters, as litellm does.

The BPE runs in Rust (``tiktoken-rs``); the ranks ship in ``data/`` and load on first use.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Optional, Union

from .. import _elc_core
from .._settings import config
from .bundled_data import read_data

__all__ = ["decode", "encode", "encoding_name_for_model", "token_counter"]

_lock = threading.Lock()
_tokenizers: dict[str, _elc_core.Tokenizer] = {}

#: tiktoken's model → encoding table (openai/tiktoken ``model.py``), o200k/cl100k rows.
_MODEL_TO_ENCODING = {
    "o1": "o200k_base",
    "o3": "o200k_base",
    "o4-mini": "o200k_base",
    "gpt-5": "o200k_base",
    "gpt-4.1": "o200k_base",
    "gpt-4o": "o200k_base",
    "gpt-4": "cl100k_base",
    "gpt-3.5-turbo": "cl100k_base",
    "gpt-3.5": "cl100k_base",
    "gpt-35-turbo": "cl100k_base",
    "davinci-002": "cl100k_base",
    "babbage-002": "cl100k_base",
    "text-embedding-ada-002": "cl100k_base",
    "text-embedding-3-small": "cl100k_base",
    "text-embedding-3-large": "cl100k_base",
}
#: tiktoken's prefix table, longest prefixes first (``gpt-oss-`` uses o200k_harmony, whose
#: ordinary tokens are o200k_base's).
_PREFIX_TO_ENCODING = (
    ("o4-mini-", "o200k_base"),
    ("gpt-4.5-", "o200k_base"),
    ("gpt-4.1-", "o200k_base"),
    ("chatgpt-4o-", "o200k_base"),
    ("gpt-4o-", "o200k_base"),
    ("gpt-3.5-turbo-", "cl100k_base"),
    ("gpt-35-turbo-", "cl100k_base"),
    ("ft:gpt-4o", "o200k_base"),
    ("ft:gpt-3.5-turbo", "cl100k_base"),
    ("ft:davinci-002", "cl100k_base"),
    ("ft:babbage-002", "cl100k_base"),
    ("gpt-oss-", "o200k_base"),
    ("ft:gpt-4", "cl100k_base"),
    ("gpt-4-", "cl100k_base"),
    ("gpt-5", "o200k_base"),
    ("o1-", "o200k_base"),
    ("o3-", "o200k_base"),
)
#: litellm's ``_VERSIONED_OPENAI_MODEL``: gpt-5 and later, and the o-series.
_VERSIONED_OPENAI = re.compile(r"(?:gpt-(?:[5-9]|[1-9]\d+)|o[1-9]\d*)(?:[.-]|$)")
#: Tokens of each image part when its size is not known (litellm's default for a
#: high-detail image: 85 base + 170 for each of four 512-px tiles); low detail costs 85.
_IMAGE_TOKENS_DEFAULT = 765
_IMAGE_TOKENS_LOW = 85
_TEXT_FIELDS = {"text": "text", "thinking": "thinking", "redacted_thinking": "data"}


def _tokenizer(name: str) -> _elc_core.Tokenizer:
    tok = _tokenizers.get(name)
    if tok is None:
        with _lock:
            tok = _tokenizers.get(name)
            if tok is None:
                data = read_data(f"{name}.zlib")
                tok = _elc_core.Tokenizer(name, data)
                _tokenizers[name] = tok
    return tok


def _tiktoken_name(model: str) -> Optional[str]:
    if model in _MODEL_TO_ENCODING:
        return _MODEL_TO_ENCODING[model]
    for prefix, name in _PREFIX_TO_ENCODING:
        if model.startswith(prefix):
            return name
    return None


def _is_openai_chat_model(model: str) -> bool:
    """A map row of an OpenAI chat model, or of an Azure deployment of one (litellm's
    ``_is_openai_cost_map_model``: an Azure row counts only when it names an OpenAI model)."""
    entry = config().model_cost.get(model)
    if not isinstance(entry, dict) or entry.get("mode") not in ("chat", "responses"):
        return False
    provider = entry.get("litellm_provider")
    if provider == "openai":
        return True
    name = model.rsplit("/", 1)[-1]
    return provider == "azure" and (
        _tiktoken_name(name) is not None or name.startswith(("gpt-", "chatgpt-", "o1", "o3", "o4"))
    )


def encoding_name_for_model(model: str) -> str:
    """The tiktoken encoding litellm counts ``model`` with: ``"o200k_base"`` or ``"cl100k_base"``.

    OpenAI and Azure OpenAI names (with or without ``openai/``/``azure/`` prefixes) get
    tiktoken's encoding for them, a newer OpenAI release (gpt-5+, o-series) o200k_base;
    every other model cl100k_base, litellm's fallback.
    """
    name = model.rsplit("/", 1)[-1]
    listed = any(
        _is_openai_chat_model(suffix) or _is_openai_chat_model(f"azure/{suffix}")
        for suffix in ("/".join(model.split("/")[i:]) for i in range(model.count("/") + 1))
    )
    if not (listed or _tiktoken_name(name) == "o200k_base" or _VERSIONED_OPENAI.match(name)):
        return "cl100k_base"
    if "gpt-4o" in name:
        return "o200k_base"
    found = _tiktoken_name(name)
    if found is not None:
        return found
    variants = [m for m in _MODEL_TO_ENCODING if name.startswith(m + "-")]
    if variants:
        return _MODEL_TO_ENCODING[max(variants, key=len)]
    cost = config().model_cost
    modes = [(cost.get(k) or {}).get("mode") for k in (name, f"azure/{name}")]
    listed_non_chat = any(m is not None and m not in ("chat", "responses") for m in modes)
    return "cl100k_base" if listed_non_chat else "o200k_base"


def encode(
    model: str = "", text: str = "", custom_tokenizer: Optional[dict[str, Any]] = None
) -> list[int]:
    """Token ids of ``text`` for ``model`` (special-token text is encoded as plain text).

    litellm's ``encode`` uses cl100k_base for gpt-4o; this uses the model's own encoding,
    o200k_base, the same one ``token_counter`` counts with (README divergence list).

    Raises:
        ValueError: ``custom_tokenizer`` is given (Hugging Face tokenizers are not bundled).
    """
    if custom_tokenizer is not None:
        raise ValueError("custom_tokenizer is not supported: only tiktoken encodings are bundled")
    return _tokenizer(encoding_name_for_model(model)).encode(text)


def decode(
    model: str = "", tokens: Sequence[int] = (), custom_tokenizer: Optional[dict[str, Any]] = None
) -> str:
    """The text of token ids ``tokens`` for ``model`` (the inverse of :func:`encode`).

    Raises:
        ValueError: an id is not a token of the encoding, or ``custom_tokenizer`` is given.
    """
    if custom_tokenizer is not None:
        raise ValueError("custom_tokenizer is not supported: only tiktoken encodings are bundled")
    return _tokenizer(encoding_name_for_model(model)).decode(list(tokens))


def _format_type(props: Any, indent: int) -> str:
    if not isinstance(props, Mapping):
        return "any"
    kind, enum = props.get("type"), props.get("enum")
    if kind in ("string", "integer", "number") and isinstance(enum, list):
        return " | ".join(f'"{item}"' for item in enum)
    if kind == "string":
        return "string"
    if kind == "array":
        return _format_type(props.get("items"), indent) + "[]"
    if kind == "object":
        return "{\n" + _format_object(props, indent + 2) + "\n}"
    if kind in ("integer", "number"):
        return "number"
    if kind in ("boolean", "null"):
        return str(kind)
    return "any"


def _format_object(schema: Mapping[str, Any], indent: int) -> str:
    properties = schema.get("properties")
    if not isinstance(properties, Mapping) or not properties:
        return ""
    listed = schema.get("required")
    required: list[Any] = listed if isinstance(listed, list) else []
    lines: list[str] = []
    for key, props in properties.items():
        description = props.get("description") if isinstance(props, Mapping) else None
        if description:
            lines.append(f"// {description}")
        optional = "" if key in required else "?"
        lines.append(f"{key}{optional}: {_format_type(props, indent)},")
    return "\n".join(" " * indent + line for line in lines)


def _functions(tools: Iterable[Any]) -> Iterable[Mapping[str, Any]]:
    for tool in tools:
        if not isinstance(tool, Mapping):
            continue
        if (
            tool.get("name") == "web_search"
            and "input_schema" not in tool
            and tool.get("type") != "function"
        ):
            continue
        function = tool.get("function")
        if isinstance(function, Mapping):
            yield function
            continue
        parameters = tool.get("input_schema") or tool.get("parameters") or {}
        yield {
            "name": tool.get("name"),
            "description": tool.get("description"),
            "parameters": parameters,
        }


def format_function_definitions(tools: Iterable[Any]) -> str:
    """Tool definitions in the TypeScript-like namespace OpenAI renders them in (the form
    litellm and OpenAI's cookbook count tool tokens with)."""
    lines = ["namespace functions {", ""]
    for function in _functions(tools):
        name = function.get("name")
        if not name:
            continue
        description = function.get("description")
        if description:
            lines.append(f"// {description}")
        given = function.get("parameters")
        params: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
        if isinstance(params.get("properties"), Mapping) and params["properties"]:
            lines += [f"type {name} = (_: {{", _format_object(params, 0), "}) => any;", ""]
        else:
            lines += [f"type {name} = () => any;", ""]
    lines.append("} // namespace functions")
    return "\n".join(lines)


def _message_dict(message: Any) -> dict[str, Any]:
    if isinstance(message, Mapping):
        return dict(message)
    dump = getattr(message, "model_dump", None)
    if callable(dump):
        result: dict[str, Any] = dump()
        return result
    raise ValueError(f"messages must be dicts or message objects, got {type(message).__name__}")


def _image_tokens(part: Mapping[str, Any]) -> int:
    image = part.get("image_url")
    detail = image.get("detail") if isinstance(image, Mapping) else None
    return _IMAGE_TOKENS_LOW if detail == "low" else _IMAGE_TOKENS_DEFAULT


def _content_tokens(count: Any, parts: Iterable[Any]) -> int:
    total = 0
    for part in parts:
        if isinstance(part, str):
            total += count(part)
            continue
        kind = part.get("type") if isinstance(part, Mapping) else None
        if kind in _TEXT_FIELDS:
            text = part.get(_TEXT_FIELDS[kind]) or ""
            total += count(str(text)) if text else 0
        elif kind == "image_url":
            total += _image_tokens(part)
        elif kind in ("tool_use", "tool_result"):
            total += count(json.dumps(part.get("input") or part.get("content") or ""))
        else:
            raise ValueError(f"Invalid content item type: {kind!r}")
    return total


def token_counter(
    model: str = "",
    custom_tokenizer: Optional[dict[str, Any]] = None,
    text: Optional[Union[str, list[str]]] = None,
    messages: Optional[Sequence[Any]] = None,
    count_response_tokens: Optional[bool] = False,
    tools: Optional[list[Any]] = None,
    tool_choice: Optional[Union[str, dict[str, Any]]] = None,
    use_default_image_token_count: Optional[bool] = False,
    default_token_count: Optional[int] = None,
) -> int:
    """The tokens ``model`` sees for ``text`` or ``messages`` (+ ``tools``), as litellm counts.

    Args:
        model: a model name with or without a provider prefix; picks the encoding
            (:func:`encoding_name_for_model`).
        text: a string (or list of strings, joined) counted as plain text.
        messages: OpenAI chat messages (dicts or message objects); string content,
            text/thinking parts, ``name`` (+1), tool-call arguments; images count 85 tokens
            at ``detail="low"``, else 765 (no image is downloaded or decoded).
        count_response_tokens: count ``messages`` only, without the reply primer and tools.
        tools, tool_choice: OpenAI tools counted as litellm does (namespace form + 9, 4 less
            with a system message; a named ``tool_choice`` 7 + its name, ``"none"`` 1).
        default_token_count: returned for a message whose content cannot be counted.

    Returns:
        Tokens (int).

    Raises:
        ValueError: both or neither of ``text`` and ``messages``; ``tools`` with ``text``;
            uncountable content without ``default_token_count``; a ``custom_tokenizer``.
    """
    if custom_tokenizer is not None:
        raise ValueError("custom_tokenizer is not supported: only tiktoken encodings are bundled")
    if getattr(config(), "disable_token_counter", False):
        return 0
    if text is not None and messages is not None:
        raise ValueError("text and messages cannot both be set")
    tok = _tokenizer(encoding_name_for_model(model or ""))
    count = tok.count
    if text is not None:
        if tools or tool_choice:
            raise ValueError("tools or tool_choice cannot be set if using text")
        joined = "".join(t for t in text if isinstance(t, str)) if isinstance(text, list) else text
        return count(joined)
    if messages is None:
        raise ValueError("Either text or messages must be provided")
    legacy = (model or "").rsplit("/", 1)[-1] == "gpt-3.5-turbo-0301"
    per_message, per_name = (4, -1) if legacy else (3, 1)
    total = 0
    has_system = False
    for raw in messages:
        message = _message_dict(raw)
        has_system = has_system or message.get("role") == "system"
        total += per_message
        for key, value in message.items():
            if value is None:
                continue
            if key == "tool_calls" and isinstance(value, list):
                for call in value:
                    function = call.get("function") if isinstance(call, Mapping) else None
                    if function is None:
                        raise ValueError(
                            f"Unsupported tool call {call}: it must contain a function key"
                        )
                    total += count(str(function.get("arguments", "")))
            elif key == "function_call" and isinstance(value, Mapping):
                total += count(str(value.get("arguments", "")))
            elif isinstance(value, str):
                total += count(value) + (per_name if key == "name" else 0)
            elif key == "content" and isinstance(value, list):
                try:
                    total += _content_tokens(count, value)
                except ValueError:
                    if default_token_count is None:
                        raise
                    total += default_token_count
    if count_response_tokens:
        return total
    total += 3  # reply primer
    if tools:
        total += count(format_function_definitions(tools)) + 9 - (4 if has_system else 0)
    if tool_choice == "none" or (
        isinstance(tool_choice, Mapping) and tool_choice.get("type") == "none"
    ):
        total += 1
    elif isinstance(tool_choice, Mapping):
        named = tool_choice.get("function", tool_choice)
        name = named.get("name") if isinstance(named, Mapping) else None
        if isinstance(name, str):
            total += 7 + count(name)
    return total
