"""``cost-based-routing``: cheapest deployment first.

A deployment's cost is ``input_cost_per_token + output_cost_per_token`` (USD)
from its ``model_info``, else its ``litellm_params``, else litellm's model map
(``get_model_info``); a deployment whose
cost is unknown comes last (litellm does the same).
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["by_cost", "cost_per_token"]


def cost_per_token(deployment: dict[str, Any]) -> float:
    """Input plus output cost per token in USD; ``inf`` when unknown."""
    params = deployment.get("litellm_params", {})
    for source in (deployment.get("model_info") or {}, params):
        if "input_cost_per_token" in source or "output_cost_per_token" in source:
            return float(source.get("input_cost_per_token") or 0) + float(
                source.get("output_cost_per_token") or 0
            )
    try:
        from .. import utils

        info: Any = utils.get_model_info(params.get("model", ""))
    except Exception:  # the model is not in the map
        return math.inf
    return float(info.get("input_cost_per_token") or 0) + float(
        info.get("output_cost_per_token") or 0
    )


def by_cost(deployments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The deployments sorted by ``cost_per_token``, cheapest first (stable)."""
    return sorted(deployments, key=cost_per_token)
