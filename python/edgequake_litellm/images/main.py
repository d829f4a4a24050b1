"""``image_generation`` and ``aimage_generation``, as in ``litellm.images.main``.

Sent to ``/images/generations`` (platform.openai.com/docs/api-reference/images/create)
of the providers whose registry row has it (OpenAI, xAI, Together); any other
provider is refused with ``BadRequestError`` before any I/O.
"""

from __future__ import annotations

import time
from typing import Any, Optional

from .. import _request
from .._endpoints import asend, prepare, send, stamp
from ..types.utils import ImageResponse

__all__ = ["aimage_generation", "image_generation"]

#: The model OpenAI uses when a request names none.
DEFAULT_MODEL = "dall-e-2"


def _prepare(prompt: Any, model: Optional[str], kwargs: dict[str, Any]) -> _request.NativeCall:
    if not isinstance(prompt, str) or not prompt:
        raise _request.bad_request("prompt must be a non-empty string", str(model))
    return prepare(model or DEFAULT_MODEL, kwargs, {"prompt": prompt})


def image_generation(prompt: str, model: Optional[str] = None, **kwargs: Any) -> ImageResponse:
    """Generate images (litellm's ``image_generation``).

    Args:
        prompt: the description of the image.
        model: ``"provider/model-id"`` (``"openai/gpt-image-1"``,
            ``"xai/grok-2-image"``); default ``dall-e-2`` on OpenAI.
        n, size (``"1024x1024"``), quality, style, response_format
            (``"url"`` or ``"b64_json"``), background, output_format, user:
            OpenAI parameters, sent as given.
        Call options as ``completion`` (api_key, api_base, timeout in seconds,
            num_retries, extra_headers, extra_body, custom_llm_provider).

    Returns:
        ``ImageResponse`` with ``data[i].url`` or ``data[i].b64_json``.

    Raises:
        BadRequestError: empty prompt, or a provider without image generation
            (before any I/O); ``ContentPolicyViolationError`` when the
            provider refuses the prompt; otherwise as ``completion``.
    """
    started = time.perf_counter()
    call = _prepare(prompt, model, kwargs)
    return stamp(ImageResponse.model_validate_json(send("image_generation", call)), call, started)


async def aimage_generation(
    prompt: str, model: Optional[str] = None, **kwargs: Any
) -> ImageResponse:
    """Async ``image_generation``: same arguments, returns and exceptions."""
    started = time.perf_counter()
    call = _prepare(prompt, model, kwargs)
    raw = await asend("image_generation", call)
    return stamp(ImageResponse.model_validate_json(raw), call, started)
