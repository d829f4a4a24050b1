"""Code written for litellm, run unchanged after ``sys.modules["litellm"] = edgequake_litellm``.

Usage: ``python unchanged_litellm_code.py API_BASE``. Prints ``ok`` when every step worked.
"""

import asyncio
import sys

import edgequake_litellm

sys.modules["litellm"] = edgequake_litellm

import litellm  # noqa: E402
from litellm.types.utils import ModelResponse  # noqa: E402

URL = sys.argv[1]
msgs = [{"role": "user", "content": "hi"}]

r = litellm.completion(model="openai/tiny", messages=msgs, api_base=URL, api_key="k", max_tokens=8)
assert isinstance(r, ModelResponse)
assert r.choices[0].message.content
assert r["choices"][0]["message"]["role"] == "assistant"
assert r.usage.total_tokens > 0

chunks = []
for chunk in litellm.completion(
    model="openai/tiny", messages=msgs, api_base=URL, max_tokens=8, stream=True
):
    chunks.append(chunk)


async def main():
    stream = await litellm.acompletion(
        model="openai/tiny", messages=msgs, api_base=URL, max_tokens=8, stream=True
    )
    return [chunk async for chunk in stream]


achunks = asyncio.run(main())
built = litellm.stream_chunk_builder(chunks, messages=msgs)
text = "".join(c.choices[0].delta.content or "" for c in chunks)
assert built.choices[0].message.content == text
assert achunks
print("ok")
