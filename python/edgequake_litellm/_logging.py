"""litellm's loggers (``litellm._logging``): ``verbose_logger`` and friends.

Python ``logging`` under litellm's logger names: ``"LiteLLM"``
(``verbose_logger``), ``"LiteLLM Router"`` (``verbose_router_logger``) and
``"LiteLLM Proxy"`` (``verbose_proxy_logger``). Silent by default: the
loggers sit at ``WARNING`` with no handler of their own. Debug output is
turned on by any of

- ``LITELLM_LOG=DEBUG`` (or ``INFO``, ...) in the environment at import,
- ``litellm._turn_on_debug()``,
- ``litellm.set_verbose = True`` (read at each call, as litellm does),
- configuring ``logging.getLogger("LiteLLM")`` yourself.

At ``DEBUG`` each call logs its request (method, URL, headers with every
credential redacted, body size), every attempt's status and elapsed time,
each retry with its wait and reason, and the call's total time. API keys
never appear in a record: headers are redacted in the native core, and the
per-call key is scrubbed from every message.

This module loads on first use (``import logging`` costs milliseconds), so
``import edgequake_litellm`` stays cheap.
"""

from __future__ import annotations

import logging
import os
import sys

__all__ = [
    "print_verbose",
    "verbose_logger",
    "verbose_proxy_logger",
    "verbose_router_logger",
]

verbose_logger = logging.getLogger("LiteLLM")
verbose_router_logger = logging.getLogger("LiteLLM Router")
verbose_proxy_logger = logging.getLogger("LiteLLM Proxy")
_LOGGERS = (verbose_logger, verbose_router_logger, verbose_proxy_logger)

#: The handler added when debugging is turned on (stderr, litellm's format).
_handler = logging.StreamHandler()
_handler.setFormatter(logging.Formatter("%(asctime)s - %(name)s:%(levelname)s: %(message)s"))


def _attach(level: int) -> None:
    for lg in _LOGGERS:
        lg.setLevel(level)
        if _handler not in lg.handlers:
            lg.addHandler(_handler)


def _turn_on_debug() -> None:
    """Log at ``DEBUG`` to stderr on litellm's three loggers (litellm's ``_turn_on_debug``)."""
    _attach(logging.DEBUG)


def _disable_debugging() -> None:
    """Silence litellm's loggers entirely (``logger.disabled = True``), as litellm."""
    for lg in _LOGGERS:
        lg.disabled = True


def _enable_debugging() -> None:
    """Undo ``_disable_debugging`` (the loggers' levels are left as they are)."""
    for lg in _LOGGERS:
        lg.disabled = False


def print_verbose(print_statement: object) -> None:
    """litellm's ``print_verbose``: a ``DEBUG`` record on ``verbose_logger``, and a
    line on stdout when ``litellm.set_verbose`` is true."""
    verbose_logger.debug("%s", print_statement)
    pkg = sys.modules.get(__package__ or "edgequake_litellm")
    if getattr(pkg, "set_verbose", False):
        print(print_statement)


def debug_enabled() -> bool:
    """True when a call should log its request details: ``litellm.set_verbose``
    is true (which turns ``DEBUG`` on, as litellm) or ``verbose_logger`` is
    enabled for ``DEBUG``."""
    pkg = sys.modules.get(__package__ or "edgequake_litellm")
    if getattr(pkg, "set_verbose", False) and not verbose_logger.isEnabledFor(logging.DEBUG):
        _turn_on_debug()
    return verbose_logger.isEnabledFor(logging.DEBUG)


def _from_env() -> None:
    name = os.environ.get("LITELLM_LOG", "").strip().upper()
    level = logging.getLevelName(name) if name else None
    if isinstance(level, int):
        _attach(level)


_from_env()
