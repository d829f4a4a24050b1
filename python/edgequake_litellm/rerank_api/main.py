"""``rerank`` and ``arerank``, as in ``litellm.rerank_api.main``.

The Cohere-compatible ``/rerank`` body (docs.cohere.com/reference/rerank):
``query``, ``documents``, ``top_n``, ``return_documents``, ... sent to the
providers whose registry row has it (Cohere, Jina, Together, vLLM and
llama.cpp's server through ``hosted_vllm/``); any other provider is refused
with ``BadRequestError`` before any I/O.
"""

from __future__ import annotations

import time
from typing import Any, Optional, Union

from .. import _request
from .._endpoints import asend, prepare, send, stamp
from ..types.rerank import RerankResponse

__all__ = ["arerank", "rerank"]


def _prepare(
    model: Any,
    query: Any,
    documents: Any,
    custom_llm_provider: Optional[str],
    top_n: Optional[int],
    return_documents: Optional[bool],
    kwargs: dict[str, Any],
) -> _request.NativeCall:
    if not isinstance(query, str) or not query:
        raise _request.bad_request("query must be a non-empty string", str(model))
    if not isinstance(documents, list) or not documents:
        raise _request.bad_request("documents must be a non-empty list", str(model))
    if top_n is not None and (isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1):
        raise _request.bad_request(f"top_n must be an int >= 1, got {top_n!r}", str(model))
    body: dict[str, Any] = {"query": query, "documents": documents}
    if top_n is not None:
        body["top_n"] = top_n
    if return_documents is not None:
        body["return_documents"] = return_documents
    if custom_llm_provider is not None:
        kwargs = {**kwargs, "custom_llm_provider": custom_llm_provider}
    return prepare(model, kwargs, body)


def rerank(
    model: str,
    query: str,
    documents: list[Union[str, dict[str, Any]]],
    custom_llm_provider: Optional[str] = None,
    top_n: Optional[int] = None,
    return_documents: Optional[bool] = True,
    **kwargs: Any,
) -> RerankResponse:
    """Rank ``documents`` by relevance to ``query`` (litellm's ``rerank``).

    Args:
        model: ``"provider/model-id"`` (``"cohere/rerank-english-v3.0"``,
            ``"jina_ai/jina-reranker-v2-base-multilingual"``,
            ``"hosted_vllm/bge-reranker"``).
        query: the search query.
        documents: strings (or provider document objects).
        custom_llm_provider: the provider, when ``model`` has no prefix.
        top_n: how many results to return (default: all).
        return_documents: send the documents' text back (default ``True``,
            as litellm; ``None`` leaves it out of the body).
        rank_fields, max_chunks_per_doc, max_tokens_per_doc: sent as given.
        Call options as ``completion``.

    Returns:
        ``RerankResponse``; ``results[i].index`` points into ``documents``,
        best ``relevance_score`` first.

    Raises:
        BadRequestError: bad arguments or a provider without rerank (before
            any I/O); otherwise as ``completion``.
    """
    started = time.perf_counter()
    call = _prepare(model, query, documents, custom_llm_provider, top_n, return_documents, kwargs)
    return stamp(RerankResponse.model_validate_json(send("rerank", call)), call, started)


async def arerank(
    model: str,
    query: str,
    documents: list[Union[str, dict[str, Any]]],
    custom_llm_provider: Optional[str] = None,
    top_n: Optional[int] = None,
    return_documents: Optional[bool] = True,
    **kwargs: Any,
) -> RerankResponse:
    """Async ``rerank``: same arguments, returns and exceptions."""
    started = time.perf_counter()
    call = _prepare(model, query, documents, custom_llm_provider, top_n, return_documents, kwargs)
    return stamp(RerankResponse.model_validate_json(await asend("rerank", call)), call, started)
