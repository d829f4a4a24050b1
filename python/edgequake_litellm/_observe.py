"""The hook point of every call: callbacks, budget and debug logging observe it.

``observed(call_type)`` wraps ``completion`` / ``acompletion`` / ``embedding``
/ ``aembedding``. While no callback is registered, ``litellm.max_budget`` is
unset and debug logging is off, the wrapper checks a few module lists for
truthiness and calls straight through (no allocation, no import). Otherwise
``litellm_core_utils.litellm_logging`` (loaded then) follows the call.
"""

from __future__ import annotations

import functools
import inspect
import sys
from typing import Any, Callable, TypeVar, cast

__all__ = ["debug_on", "observed"]

_PKG = __package__ or "edgequake_litellm"
_F = TypeVar("_F", bound=Callable[..., Any])
_logger: Any = None  # litellm._logging.verbose_logger, once something imported logging


def debug_on() -> bool:
    """Whether request details are logged: ``litellm.set_verbose``, or ``DEBUG``
    enabled on the ``"LiteLLM"`` logger. A dict lookup while nothing has imported
    :mod:`logging` (then no logger can have been configured)."""
    if sys.modules[_PKG].set_verbose:
        from ._logging import debug_enabled

        return debug_enabled()
    global _logger
    if _logger is None:
        if "logging" not in sys.modules:
            return False
        from ._logging import verbose_logger

        _logger = verbose_logger
    return bool(_logger.isEnabledFor(10))


def _active(pkg: Any, kwargs: dict[str, Any]) -> bool:
    return bool(
        pkg.callbacks
        or pkg.success_callback
        or pkg.failure_callback
        or pkg._async_success_callback
        or pkg._async_failure_callback
        or pkg.input_callback
        or pkg.max_budget
        or kwargs.get("callbacks")
        or kwargs.get("success_callback")
        or kwargs.get("failure_callback")
        or debug_on()
    )


def observed(call_type: str) -> Callable[[_F], _F]:
    """Wrap a call function so callbacks, budget and debug logging observe it.

    ``call_type`` is litellm's: ``"completion"``, ``"acompletion"``,
    ``"embedding"``, ``"aembedding"``. The wrapped function's result and
    exceptions are unchanged (``BudgetExceededError`` aside, raised before it runs).
    """

    def wrap(f: _F) -> _F:
        if inspect.iscoroutinefunction(f):

            @functools.wraps(f)
            async def async_observed(*args: Any, **kwargs: Any) -> Any:
                if not _active(sys.modules[_PKG], kwargs):
                    return await f(*args, **kwargs)
                from .litellm_core_utils.litellm_logging import start

                obs = start(call_type, args, kwargs)
                await obs.async_pre_call()
                if obs.debug_tag:
                    kwargs["litellm_logging_obj"] = obs
                try:
                    result = await f(*args, **kwargs)
                except Exception as e:
                    obs.failure(e)
                    raise
                obs.success(result)
                return result

            return cast(_F, async_observed)

        @functools.wraps(f)
        def sync_observed(*args: Any, **kwargs: Any) -> Any:
            if not _active(sys.modules[_PKG], kwargs):
                return f(*args, **kwargs)
            from .litellm_core_utils.litellm_logging import start

            obs = start(call_type, args, kwargs)
            obs.pre_call()
            if obs.debug_tag:
                kwargs["litellm_logging_obj"] = obs
            try:
                result = f(*args, **kwargs)
            except Exception as e:
                obs.failure(e)
                raise
            obs.success(result)
            return result

        return cast(_F, sync_observed)

    return wrap
