"""Routing strategies (litellm's ``routing_strategy`` names).

Each strategy is an order of the candidate deployments plus how the admission
step (``router_utils.usage_state``, atomic in Redis) scores them:

==========================  ===================  =====================================
strategy                    order                admission picks
==========================  ===================  =====================================
``simple-shuffle``          weighted shuffle     the first one that can take the call
``least-busy``              as listed            the fewest calls in flight
``usage-based-routing-v2``  as listed            the lowest tpm (then rpm) this minute
``latency-based-routing``   as listed            the lowest recent latency (untried first)
``cost-based-routing``      cheapest first       the first one that can take the call
==========================  ===================  =====================================
"""

from __future__ import annotations

from typing import Any, Callable

from .lowest_cost import by_cost
from .simple_shuffle import weighted_shuffle

__all__ = ["STRATEGIES"]


def _as_listed(deployments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return deployments


#: strategy name → (order of the candidates, admission mode)
STRATEGIES: dict[str, tuple[Callable[[list[dict[str, Any]]], list[dict[str, Any]]], str]] = {
    "simple-shuffle": (weighted_shuffle, "order"),
    "least-busy": (_as_listed, "busy"),
    "usage-based-routing-v2": (_as_listed, "usage"),
    "usage-based-routing": (_as_listed, "usage"),
    "latency-based-routing": (_as_listed, "latency"),
    "cost-based-routing": (by_cost, "order"),
}
