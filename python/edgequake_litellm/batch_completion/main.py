"""``batch_completion`` and ``batch_completion_models``, as litellm's
(``litellm/batch_completion/main.py``)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any, Optional, Union

from ..main import completion
from ..types.utils import ModelResponse

__all__ = ["batch_completion", "batch_completion_models", "batch_completion_models_all_responses"]


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


def _per_model(kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    """The completion kwargs of each model (``models=[...]``) or deployment
    (``deployments=[{"model": ..., "api_base": ...}, ...]``, whose own values win)."""
    kwargs = dict(kwargs)
    kwargs.pop("model", None)
    kwargs.pop("model_list", None)
    models = kwargs.pop("models", None)
    deployments = kwargs.pop("deployments", None)
    nested = kwargs.pop("kwargs", None) or {}
    if kwargs.pop("stream", None):
        from .._request import bad_request

        raise bad_request("batch_completion_models does not stream", str(models or deployments))
    if isinstance(models, str):
        models = [models]
    if models:
        return [{**kwargs, "model": m} for m in models]
    if deployments:
        return [{**kwargs, **d, **nested} for d in deployments]
    from .._request import bad_request

    raise bad_request("batch_completion_models needs models=[...] or deployments=[...]")


def _complete(args: tuple[Any, ...], kwargs: dict[str, Any]) -> ModelResponse:
    response: ModelResponse = completion(*args, stream=False, **kwargs)
    return response


def batch_completion_models(*args: Any, **kwargs: Any) -> ModelResponse:
    """Send one request to several models at once and return the first answer that arrives
    (litellm's ``batch_completion_models``).

    Args:
        models: model names (``["openai/gpt-4o", "anthropic/claude-sonnet-4-5"]``), or
            deployments: dicts of ``completion`` kwargs (``model``, ``api_base``, ...).
        Every other argument is passed to each ``completion``.

    Returns:
        The first ``ModelResponse`` to complete successfully; failed calls are ignored
        while another may still answer (litellm's ``models=`` path instead waits for all
        and returns the first model's result, raising if that one failed).

    Raises:
        The last model's exception when every call failed; ``BadRequestError`` for no
        models or ``stream=True`` (before any I/O).
    """
    calls = _per_model(kwargs)
    error: Optional[BaseException] = None
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(_complete, args, c) for c in calls]
        for future in as_completed(futures):
            try:
                result: ModelResponse = future.result()
            except Exception as e:
                error = e
                continue
            for other in futures:
                other.cancel()
            return result
    assert error is not None
    raise error


def batch_completion_models_all_responses(
    *args: Any, **kwargs: Any
) -> list[Union[ModelResponse, Exception]]:
    """Send one request to several models at once and return every answer, in the order
    of ``models`` (litellm's ``batch_completion_models_all_responses``); a failed call
    leaves its exception in its place, as ``batch_completion`` does (litellm raises)."""
    calls = _per_model(kwargs)
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(_complete, args, c) for c in calls]
    results: list[Union[ModelResponse, Exception]] = []
    for f in futures:
        try:
            results.append(f.result())
        except Exception as e:
            results.append(e)
    return results
