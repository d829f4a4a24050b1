"""Router types at litellm's path (``litellm.types.router``).

``RetryPolicy`` and ``AllowedFailsPolicy`` map a litellm exception class to a
number (retries, or failures per minute before a cooldown);
``RouterRateLimitError`` is what ``Router`` raises when no deployment of a
model group can take a call.
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel

__all__ = ["AllowedFailsPolicy", "RetryPolicy", "RouterRateLimitError"]

NO_DEPLOYMENTS_AVAILABLE = "No deployments available for selected model"


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


class RouterRateLimitError(ValueError):
    """No deployment of ``model`` can take the call now: all are cooling down or
    at their rpm/tpm limit for this minute (litellm's ``RouterRateLimitError``,
    a ``ValueError``). ``cooldown_time`` is the seconds to wait before retrying."""

    def __init__(
        self,
        model: str,
        cooldown_time: float,
        enable_pre_call_checks: bool,
        cooldown_list: list[Any],
    ) -> None:
        self.model = model
        self.cooldown_time = cooldown_time
        self.enable_pre_call_checks = enable_pre_call_checks
        self.cooldown_list = cooldown_list
        super().__init__(
            f"{NO_DEPLOYMENTS_AVAILABLE}, Try again in {cooldown_time} seconds. "
            f"Passed model={model}. pre-call-checks={enable_pre_call_checks}, "
            f"cooldown_list={cooldown_list}"
        )
