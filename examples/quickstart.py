"""The main job, end to end: a completion, a sync stream, an async stream and a tool call.

Runs against OpenAI when ``OPENAI_API_KEY`` is set (model ``gpt-4o-mini``, or
``$QUICKSTART_MODEL``), else against llama.cpp's ``llama-server`` that it starts
on loopback (see ``examples/llama_server.py``; its tiny test model writes
gibberish, but every byte goes through a real third-party server).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from contextlib import ExitStack
from typing import Any

import edgequake_litellm as litellm

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather in a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string", "enum": ["Paris", "Rome"]}},
                "required": ["city"],
            },
        },
    }
]


def main() -> None:
    with ExitStack() as stack:
        if os.environ.get("OPENAI_API_KEY"):
            model = os.environ.get("QUICKSTART_MODEL", "openai/gpt-4o-mini")
            opts: dict[str, Any] = {}
            tool_opts: dict[str, Any] = {}
            print(f"provider: OpenAI ({model}), key from OPENAI_API_KEY")
        else:
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            from llama_server import LlamaServer

            server = stack.enter_context(LlamaServer())
            model = "openai/tiny"
            opts = {"api_base": server.url, "api_key": "none"}
            # The tiny model needs a nudge to emit its tool-call token (an extra
            # kwarg: passed through in the body, as litellm does).
            tool_opts = {"logit_bias": {"<tool_call>": 50}}
            print(f"provider: local llama.cpp llama-server at {server.url} (no OPENAI_API_KEY)")

        messages = [{"role": "user", "content": "Say hello in five words."}]

        r = litellm.completion(model=model, messages=messages, max_tokens=16, **opts)
        print(
            f"1. completion: {r.choices[0].message.content!r} "
            f"({r.usage.total_tokens} tokens, finish_reason={r.choices[0].finish_reason})"
        )

        chunks = list(
            litellm.completion(model=model, messages=messages, max_tokens=16, stream=True, **opts)
        )
        text = "".join(c.choices[0].delta.content or "" for c in chunks)
        print(f"2. sync stream: {len(chunks)} chunks -> {text!r}")

        async def astream() -> tuple[int, str]:
            stream = await litellm.acompletion(
                model=model,
                messages=messages,
                max_tokens=16,
                stream=True,
                stream_options={"include_usage": True},
                **opts,
            )
            parts = [c async for c in stream]
            built = litellm.stream_chunk_builder(parts, messages=messages)
            assert built is not None
            return len(parts), built.choices[0].message.content or ""

        n, atext = asyncio.run(astream())
        print(f"3. async stream: {n} chunks -> {atext!r}")

        r = litellm.completion(
            model=model,
            messages=[{"role": "user", "content": "What is the weather in Paris?"}],
            tools=TOOLS,
            tool_choice="required",
            max_tokens=100,
            **opts,
            **tool_opts,
        )
        call = r.choices[0].message.tool_calls[0]
        print(
            f"4. tool call: {call.function.name}({json.loads(call.function.arguments)}) "
            f"finish_reason={r.choices[0].finish_reason}"
        )


if __name__ == "__main__":
    main()
