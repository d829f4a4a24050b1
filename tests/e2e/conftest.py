"""The end-to-end tier: llama.cpp's llama-server, a real third-party OpenAI-compatible server.

Built once per machine by ``tests/e2e/llama_server.sh build model`` (``scripts/test.sh``
does it); these tests fail, rather than skip, when it is missing.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))

from llama_server import LlamaServer


@pytest.fixture(scope="session")
def chat_url() -> Iterator[str]:
    """``api_base`` of a chat server (``--jinja``: tools and JSON schema work)."""
    with LlamaServer() as server:
        yield server.url


@pytest.fixture(scope="session")
def emb_url() -> Iterator[str]:
    """``api_base`` of an embeddings server (mean pooling, 64 dimensions)."""
    with LlamaServer(embeddings=True) as server:
        yield server.url
