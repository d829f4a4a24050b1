"""Where litellm's module globals live: the package module itself (``litellm.api_key``, ...)."""

from __future__ import annotations

import sys
from typing import Any

_PACKAGE = __package__ or "edgequake_litellm"


def config() -> Any:
    """The package module, whose attributes are litellm's module globals, read at call time."""
    return sys.modules[_PACKAGE]


def model_cost_generation(cost: Any) -> tuple[int, int]:
    """A key that changes whenever ``cost`` (``litellm.model_cost``, possibly replaced by the
    user, or grown by ``register_model``) does: what caches of model data are keyed by."""
    return id(cost), getattr(cost, "version", None) or len(cost)
