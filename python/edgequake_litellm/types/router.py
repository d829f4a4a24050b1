"""Router types at litellm's path (``litellm.types.router``).

``RetryPolicy`` and ``AllowedFailsPolicy`` map a litellm exception class to a
number (retries, or failures per minute before a cooldown);
``RouterRateLimitError`` is what ``Router`` raises when no deployment of a
model group can take a call.
"""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel

from ..exceptions import RouterRateLimitError

__all__ = ["AllowedFailsPolicy", "RetryPolicy", "RouterRateLimitError"]


class RetryPolicy(BaseModel):
    """Retries per exception class (litellm's ``RetryPolicy``); ``None``: the Router's
    ``num_retries``. ``BadRequestErrorRetries`` also counts for its subclasses
    other than content-policy errors."""

    BadRequestErrorRetries: Optional[int] = None
    AuthenticationErrorRetries: Optional[int] = None
    TimeoutErrorRetries: Optional[int] = None
    RateLimitErrorRetries: Optional[int] = None
    ContentPolicyViolationErrorRetries: Optional[int] = None
    InternalServerErrorRetries: Optional[int] = None


class AllowedFailsPolicy(BaseModel):
    """Failures per minute a deployment may have, per exception class, before it
    is cooled down (litellm's ``AllowedFailsPolicy``); ``None``: the Router's
    ``allowed_fails``."""

    BadRequestErrorAllowedFails: Optional[int] = None
    AuthenticationErrorAllowedFails: Optional[int] = None
    TimeoutErrorAllowedFails: Optional[int] = None
    RateLimitErrorAllowedFails: Optional[int] = None
    ContentPolicyViolationErrorAllowedFails: Optional[int] = None
    InternalServerErrorAllowedFails: Optional[int] = None
