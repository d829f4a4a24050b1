"""litellm's per-user budgets, ``litellm.BudgetManager`` (the ``"local"`` client).

Costs are USD, durations ``"daily"`` / ``"weekly"`` / ``"monthly"`` /
``"yearly"``. The state is a dict ``{user: {"total_budget", "current_cost",
"model_cost": {model: USD}, "duration" (days), "created_at",
"last_updated_at" (epoch seconds)}}`` kept in memory and saved to
``user_cost.json`` in the working directory after each change, as litellm
does (here written atomically, in the calling thread, under a lock; litellm
starts a thread per save). litellm's ``"hosted"`` client (api.litellm.ai) is
not provided.
"""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Any, Literal, Optional

__all__ = ["BudgetManager"]

_FILE = "user_cost.json"
_DAYS = {"daily": 1, "weekly": 7, "monthly": 30, "yearly": 365}


class BudgetManager:
    """Track what each user spends against a budget (litellm's ``BudgetManager``).

    Args:
        project_name: a label (litellm's hosted client keys data by it).
        client_type: ``"local"`` (only value supported).
        api_base, headers: accepted for litellm compatibility (hosted client).

    Raises:
        ValueError: ``client_type`` is not ``"local"``.
    """

    def __init__(
        self,
        project_name: str,
        client_type: str = "local",
        api_base: Optional[str] = None,
        headers: Optional[dict[str, str]] = None,
    ) -> None:
        if client_type != "local":
            raise ValueError(
                f"BudgetManager client_type {client_type!r} is not supported: only 'local'"
            )
        self.project_name = project_name
        self.client_type = client_type
        self.api_base = api_base
        self.headers = headers or {}
        self._lock = threading.RLock()
        self.user_dict: dict[str, dict[str, Any]] = {}
        self.load_data()

    def load_data(self) -> None:
        """Load ``user_cost.json`` from the working directory, if present."""
        if os.path.isfile(_FILE):
            with open(_FILE, encoding="utf-8") as f:
                self.user_dict = json.load(f)

    def save_data(self) -> dict[str, str]:
        """Write the state to ``user_cost.json`` (atomically); ``{"status": "success"}``."""
        with self._lock:
            tmp = f"{_FILE}.{os.getpid()}.{threading.get_ident()}.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(self.user_dict, f, indent=4)
            os.replace(tmp, _FILE)
        return {"status": "success"}

    def create_budget(
        self,
        total_budget: float,
        user: str,
        duration: Optional[Literal["daily", "weekly", "monthly", "yearly"]] = None,
        created_at: Optional[float] = None,
    ) -> dict[str, Any]:
        """Give ``user`` a budget of ``total_budget`` USD, reset every ``duration``
        when one is given; returns the user's record.

        Raises:
            ValueError: ``duration`` is not one of the four names.
        """
        with self._lock:
            if duration is None:
                self.user_dict[user] = {"total_budget": total_budget}
                return self.user_dict[user]
            if duration not in _DAYS:
                raise ValueError(
                    'duration needs to be one of ["daily", "weekly", "monthly", "yearly"]'
                )
            now = time.time() if created_at is None else created_at
            self.user_dict[user] = {
                "total_budget": total_budget,
                "duration": _DAYS[duration],
                "created_at": now,
                "last_updated_at": now,
            }
            self.save_data()
            return self.user_dict[user]

    def projected_cost(self, model: str, messages: list[Any], user: str) -> float:
        """``user``'s current cost plus the prompt cost of ``messages`` on ``model`` (USD).

        Raises:
            ModelNotMappedError: ``model`` has no price.
        """
        from .cost_calculator import cost_per_token
        from .litellm_core_utils.token_counter import token_counter

        text = "".join(m["content"] for m in messages if isinstance(m.get("content"), str))
        prompt_tokens = token_counter(model=model, text=text)
        prompt_cost, _ = cost_per_token(
            model=model, prompt_tokens=prompt_tokens, completion_tokens=0
        )
        return float(prompt_cost) + float(self.user_dict[user].get("current_cost", 0))

    def get_total_budget(self, user: str) -> float:
        """``user``'s budget (USD). Raises ``KeyError`` for an unknown user."""
        return float(self.user_dict[user]["total_budget"])

    def update_cost(
        self,
        user: str,
        completion_obj: Any = None,
        model: Optional[str] = None,
        input_text: Optional[str] = None,
        output_text: Optional[str] = None,
    ) -> dict[str, Any]:
        """Add the cost of ``completion_obj`` (a response) to ``user``'s spend,
        overall and per model; returns ``{"user": record}``.

        Raises:
            ValueError: no ``completion_obj`` given.
            ModelNotMappedError: its model has no price (``completion_cost``).
            KeyError: ``user`` has no budget.
        """
        if completion_obj is None:
            raise ValueError(
                "update_cost needs completion_obj (a response); costing input_text / "
                "output_text needs the model price data"
            )
        from .cost_calculator import completion_cost

        cost = completion_cost(completion_response=completion_obj)
        model = completion_obj["model"]
        with self._lock:
            record = self.user_dict[user]
            record["current_cost"] = cost + record.get("current_cost", 0)
            per_model = record.setdefault("model_cost", {})
            per_model[model] = cost + per_model.get(model, 0)
            self.save_data()
            return {"user": record}

    def get_current_cost(self, user: str) -> float:
        """USD ``user`` spent since the last reset (0 when nothing yet)."""
        return float(self.user_dict[user].get("current_cost", 0))

    def get_model_cost(self, user: str) -> Any:
        """``{model: USD}`` spent by ``user`` (0 when nothing yet, as litellm)."""
        return self.user_dict[user].get("model_cost", 0)

    def is_valid_user(self, user: str) -> bool:
        """Whether ``user`` has a budget."""
        return user in self.user_dict

    def get_users(self) -> list[str]:
        """The users with a budget."""
        return list(self.user_dict)

    def reset_cost(self, user: str) -> dict[str, Any]:
        """Zero ``user``'s spend; returns ``{"user": record}``."""
        with self._lock:
            self.user_dict[user]["current_cost"] = 0
            self.user_dict[user]["model_cost"] = {}
            return {"user": self.user_dict[user]}

    def reset_on_duration(self, user: str) -> None:
        """Zero ``user``'s spend when its duration has passed since the last reset."""
        with self._lock:
            record = self.user_dict[user]
            now = time.time()
            if now - record["last_updated_at"] >= record["duration"] * 86400:
                self.reset_cost(user)
                record["last_updated_at"] = now
                self.save_data()

    def update_budget_all_users(self) -> None:
        """``reset_on_duration`` for every user with a duration."""
        for user in self.get_users():
            if "duration" in self.user_dict[user]:
                self.reset_on_duration(user)
