"""``simple-shuffle``: a random order weighted by each deployment's ``weight``,
else ``rpm``, else ``tpm`` (litellm's weights, in that order); equal weights
when none is set."""

from __future__ import annotations

import random
from typing import Any

__all__ = ["weighted_shuffle"]


def _weight(deployment: dict[str, Any], key: str) -> float:
    value = deployment.get("litellm_params", {}).get(key)
    return float(value) if isinstance(value, (int, float)) and value > 0 else 0.0


def weighted_shuffle(deployments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The deployments in a random order where each comes next with probability
    proportional to its weight (Efraimidis-Spirakis keys ``u ** (1 / w)``)."""
    if len(deployments) < 2:
        return deployments
    for key in ("weight", "rpm", "tpm"):
        weights = [_weight(d, key) for d in deployments]
        if any(weights):
            break
    else:
        weights = [1.0] * len(deployments)
    keyed = [(random.random() ** (1.0 / w) if w > 0 else -1.0, i) for i, w in enumerate(weights)]
    return [deployments[i] for _, i in sorted(keyed, reverse=True)]
