"""``batch_completion``, as litellm's (``litellm/batch_completion/main.py``)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional, Union

from ..main import completion
from ..types.utils import ModelResponse

__all__ = ["batch_completion"]


def batch_completion(
    model: str,
    messages: list[list[Any]],
    max_workers: Optional[int] = 100,
    **kwargs: Any,
) -> list[Union[ModelResponse, Exception]]:
    """One ``completion(model, messages[i], **kwargs)`` per conversation, run on up to
    ``max_workers`` threads (sync calls release the GIL, so they overlap).

    Returns the results in input order; a call that failed leaves its exception in its
    place instead of raising (litellm's behaviour), so one bad request does not lose the rest.
    ``stream=True`` is refused (``BadRequestError``), as a batch has no stream to hand back.
    """
    if kwargs.get("stream"):
        from .._request import bad_request

        raise bad_request("batch_completion does not stream", model)
    kwargs.pop("stream", None)

    def one(conversation: list[Any]) -> ModelResponse:
        return completion(model, conversation, stream=False, **kwargs)

    with ThreadPoolExecutor(max_workers=max_workers or 1) as pool:
        futures = [pool.submit(one, m) for m in messages]
    results: list[Union[ModelResponse, Exception]] = []
    for f in futures:
        try:
            results.append(f.result())
        except Exception as e:
            results.append(e)
    return results
