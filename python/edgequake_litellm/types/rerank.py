"""Rerank objects, named as in ``litellm.types.rerank``."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import PrivateAttr

from .utils import OpenAIObject

__all__ = ["RerankResponse", "RerankResponseDocument", "RerankResponseResult"]


class RerankResponseDocument(OpenAIObject):
    """The ranked document's ``text`` (when ``return_documents`` asked for it)."""

    text: Optional[str] = None


class RerankResponseResult(OpenAIObject):
    """One ranked document: its ``index`` in ``documents`` and its
    ``relevance_score`` (higher is more relevant; the provider's scale)."""

    index: int
    relevance_score: float
    document: Optional[RerankResponseDocument] = None


class RerankResponse(OpenAIObject):
    """The answer of ``rerank``: ``results`` best first, the provider's ``id``
    and ``meta`` (Cohere's ``billed_units``; ``usage`` for Jina, Together,
    vLLM and llama.cpp) when sent."""

    id: Optional[str] = None
    results: Optional[list[RerankResponseResult]] = None
    meta: Optional[dict[str, Any]] = None
    _hidden_params: dict[str, Any] = PrivateAttr(default_factory=dict)
    _response_ms: Optional[float] = PrivateAttr(default=None)
