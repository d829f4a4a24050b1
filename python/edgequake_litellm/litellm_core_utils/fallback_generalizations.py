"""The model map's ``fallback_generalizations``: facts for models the map does not list.

Each rule pairs a case-insensitive regex (``re.search``, unanchored unless the pattern says
so) with ``model_info``, as litellm defines them: a *routing* rule's only key is
``litellm_provider`` (it names the provider of a bare model id), a *capability* rule's keys
are anything else (``mode``, ``supports_*``, limits); every matching capability rule is
merged in order, later rules winning. A capability rule with ``fill_missing_for_providers``
also fills the keys an exact entry of one of those providers lacks.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Optional

from . import model_facts

__all__ = ["match_capabilities", "match_fill_missing", "match_provider"]


@cache
def _rules() -> tuple[tuple[re.Pattern[str], dict[str, Any], frozenset[str]], ...]:
    compiled = []
    for rule in model_facts.facts().get("fallback_generalizations", []):
        pattern, info = rule.get("pattern"), rule.get("model_info")
        if not isinstance(pattern, str) or not isinstance(info, dict) or "extends" in rule:
            continue
        if "litellm_provider" in info and (
            len(info) != 1 or not isinstance(info["litellm_provider"], str)
        ):
            continue
        fill = frozenset(rule.get("fill_missing_for_providers") or ())
        compiled.append((re.compile(pattern, re.IGNORECASE), info, fill))
    return tuple(compiled)


def match_provider(model: str) -> Optional[str]:
    """The provider of the first routing rule matching the bare model id ``model``."""
    for pattern, info, _ in _rules():
        if "litellm_provider" in info and pattern.search(model):
            return str(info["litellm_provider"])
    return None


def match_capabilities(model: str) -> Optional[dict[str, Any]]:
    """The merged ``model_info`` of every capability rule matching ``model``, or ``None``."""
    merged: Optional[dict[str, Any]] = None
    for pattern, info, _ in _rules():
        if "litellm_provider" not in info and pattern.search(model):
            merged = {**(merged or {}), **info}
    return merged


def match_fill_missing(model: str, provider: str) -> Optional[dict[str, Any]]:
    """The merged ``model_info`` of the capability rules matching ``model`` that fill
    entries of ``provider``, or ``None``."""
    merged: Optional[dict[str, Any]] = None
    for pattern, info, fill in _rules():
        if provider in fill and "litellm_provider" not in info and pattern.search(model):
            merged = {**(merged or {}), **info}
    return merged
