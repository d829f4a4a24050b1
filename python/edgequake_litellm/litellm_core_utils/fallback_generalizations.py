"""The model map's ``fallback_generalizations``: facts for models the map does not list.

Each rule pairs a case-insensitive regex (``re.search``, unanchored unless the pattern says
so) with ``model_info``, as litellm defines them: a *routing* rule's only key is
``litellm_provider`` (it names the provider of a bare model id), a *capability* rule's keys
are anything else (``mode``, ``supports_*``, limits); every matching capability rule is
merged in order, later rules winning. A capability rule with ``fill_missing_for_providers``
also fills the keys an exact entry of one of those providers lacks.

Which rules match a key of the bundled map was recorded when the data was generated (the
key's line in ``bundled_data``), so looking a mapped model up compiles no regex; a pattern is
compiled on its first use for any other name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any, Optional

from . import model_facts
from .bundled_data import map_bundle

__all__ = ["match_capabilities", "match_fill_missing", "match_provider"]


@cache
def _rules() -> tuple[tuple[int, str, dict[str, Any], frozenset[str]], ...]:
    """The usable rules, in order: ``(index in the facts' list, pattern, model_info,
    fill_missing_for_providers)``."""
    usable = []
    for i, rule in enumerate(model_facts.facts().get("fallback_generalizations", [])):
        pattern, info = rule.get("pattern"), rule.get("model_info")
        if not isinstance(pattern, str) or not isinstance(info, dict) or "extends" in rule:
            continue
        if "litellm_provider" in info and (
            len(info) != 1 or not isinstance(info["litellm_provider"], str)
        ):
            continue
        fill = frozenset(rule.get("fill_missing_for_providers") or ())
        usable.append((i, pattern, info, fill))
    return tuple(usable)


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    """A rule's pattern compiled, on its first use (compiling them all costs milliseconds)."""
    return re.compile(pattern, re.IGNORECASE)


def _matcher(model: str) -> Callable[[int, str], bool]:
    """``matches(index, pattern)``: does that rule match ``model``? For a key of the bundled
    map, the answer ``scripts/update_model_data.py`` recorded; else the compiled pattern's."""
    line = map_bundle().line(model)
    if line is not None:
        matched = {int(i) for i in line.rules.split(",") if i}
        return lambda i, _pattern: i in matched
    return lambda _i, pattern: _regex(pattern).search(model) is not None


def match_provider(model: str) -> Optional[str]:
    """The provider of the first routing rule matching the bare model id ``model``."""
    matches = _matcher(model)
    for i, pattern, info, _ in _rules():
        if "litellm_provider" in info and matches(i, pattern):
            return str(info["litellm_provider"])
    return None


def match_capabilities(model: str) -> Optional[dict[str, Any]]:
    """The merged ``model_info`` of every capability rule matching ``model``, or ``None``."""
    matches = _matcher(model)
    merged: Optional[dict[str, Any]] = None
    for i, pattern, info, _ in _rules():
        if "litellm_provider" not in info and matches(i, pattern):
            merged = {**(merged or {}), **info}
    return merged


def match_fill_missing(model: str, provider: str) -> Optional[dict[str, Any]]:
    """The merged ``model_info`` of the capability rules matching ``model`` that fill
    entries of ``provider``, or ``None``."""
    matches = _matcher(model)
    merged: Optional[dict[str, Any]] = None
    for i, pattern, info, fill in _rules():
        if provider in fill and "litellm_provider" not in info and matches(i, pattern):
            merged = {**(merged or {}), **info}
    return merged
