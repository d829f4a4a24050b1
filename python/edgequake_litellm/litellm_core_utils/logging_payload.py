"""Building ``kwargs["standard_logging_object"]`` (litellm's ``StandardLoggingPayload``).

Field names, nesting and types follow what litellm emits
(``litellm_core_utils/litellm_logging.py``, ``get_standard_logging_object_payload``);
``tests/test_callbacks_differential.py`` compares them with litellm's on the
same wire traffic. Differences: ``api_base`` is the base URL the caller set
(``""`` when the provider's default was used), and the API key is in no field.
"""

from __future__ import annotations

import datetime as _dt
import traceback
import uuid
from typing import TYPE_CHECKING, Any, Optional

from ..types.utils import (
    StandardLoggingHiddenParams,
    StandardLoggingMetadata,
    StandardLoggingModelCostFailureDebugInformation,
    StandardLoggingPayload,
    StandardLoggingPayloadErrorInformation,
)

if TYPE_CHECKING:
    from .litellm_logging import Logging

__all__ = ["standard_logging_object"]


def _metadata(requester: Any) -> StandardLoggingMetadata:
    return StandardLoggingMetadata(
        user_api_key_hash=None,
        user_api_key_alias=None,
        user_api_key_spend=None,
        user_api_key_max_budget=None,
        user_api_key_budget_reset_at=None,
        user_api_key_org_id=None,
        user_api_key_team_id=None,
        user_api_key_project_id=None,
        user_api_key_user_id=None,
        user_api_key_user_email=None,
        user_api_key_team_alias=None,
        user_api_key_end_user_id=None,
        user_api_key_request_route=None,
        user_api_key_auth_metadata=None,
        spend_logs_metadata=None,
        requester_ip_address=None,
        user_agent=None,
        requester_metadata=requester if isinstance(requester, dict) else None,
        requester_custom_headers=None,
        prompt_management_metadata=None,
        mcp_tool_call_metadata=None,
        vector_store_request_metadata=None,
        applied_guardrails=[],
        usage_object=None,
        cold_storage_object_key=None,
        team_alias=None,
        team_id=None,
    )


def _usage(result: Any) -> tuple[int, int, int, Optional[dict[str, Any]]]:
    usage = getattr(result, "usage", None)
    if usage is None:
        return 0, 0, 0, None
    prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
    completion = int(getattr(usage, "completion_tokens", 0) or 0)
    total = int(getattr(usage, "total_tokens", 0) or prompt + completion)
    dumped: dict[str, Any] = usage.model_dump()
    return prompt, completion, total, dumped


def _breakdown(obs: Logging, result: Any, cost: Optional[float]) -> Optional[dict[str, Any]]:
    """litellm's ``cost_breakdown``: input/output USD of a priced call (no discounts/margins)."""
    usage = getattr(result, "usage", None)
    if cost is None or usage is None:
        return None
    from ..cost_calculator import cost_per_token

    try:
        prompt, completion = cost_per_token(
            obs.model_id,
            int(getattr(usage, "prompt_tokens", 0) or 0),
            int(getattr(usage, "completion_tokens", 0) or 0),
            obs.provider,
            usage_object=usage,
        )
    except Exception:  # priced through _hidden_params but not in the map: no breakdown
        return None
    return {
        "input_cost": prompt,
        "output_cost": completion,
        "total_cost": cost,
        "tool_usage_cost": 0.0,
        "original_cost": cost,
        "discount_percent": 0.0,
        "discount_amount": 0.0,
        "margin_percent": 0.0,
        "margin_fixed_amount": 0.0,
        "margin_total_amount": 0.0,
    }


def _epoch(t: _dt.datetime) -> float:
    return t.timestamp()


def standard_logging_object(
    obs: Logging,
    details: dict[str, Any],
    result: Any,
    exc: Optional[BaseException],
    end: _dt.datetime,
) -> StandardLoggingPayload:
    """The payload of one finished call (``exc`` set for a failure)."""
    kw = obs.kwargs
    prompt, completion, total, usage = _usage(result)
    cost = details.get("response_cost")
    api_base = details["litellm_params"]["api_base"] or ""
    cost_debug: Optional[StandardLoggingModelCostFailureDebugInformation] = None
    if exc is None and cost is None:
        cost_debug = StandardLoggingModelCostFailureDebugInformation(
            error_str=f"no price known for model {obs.model_id!r}",
            traceback_str="",
            model=obs.model_id,
            cache_hit=None,
            custom_llm_provider=obs.provider,
            base_model=None,
            call_type=obs.call_type,
            custom_pricing=False,
        )
    hidden = getattr(result, "_hidden_params", None) or {}
    hit = exc is None and hidden.get("cache_hit") is True
    if exc is None:
        response: Any = result.model_dump() if hasattr(result, "model_dump") else result
        error_info = StandardLoggingPayloadErrorInformation(
            error_code="", error_class="", llm_provider="", traceback="", error_message=""
        )
        error_str = None
    else:
        response = {}
        status = getattr(exc, "status_code", None)
        error_info = StandardLoggingPayloadErrorInformation(
            error_code=str(status) if status is not None else "",
            error_class=type(exc).__name__,
            llm_provider=getattr(exc, "llm_provider", None) or obs.provider or "",
            traceback="".join(traceback.format_tb(exc.__traceback__)),
            error_message=str(exc),
        )
        error_str = str(exc)
    response_id = getattr(result, "id", None) if exc is None and not obs.is_embedding else None
    metadata = kw.get("metadata")
    tags = (metadata or {}).get("tags") if isinstance(metadata, dict) else None
    start = obs.start_time
    first = obs.completion_start_time or end
    return StandardLoggingPayload(
        id=response_id or obs.call_id,
        trace_id=kw.get("litellm_trace_id") or str(uuid.uuid4()),
        call_type=obs.call_type,
        stream=True if obs.stream else None,
        response_cost=float(cost or 0.0),
        cost_breakdown=_breakdown(obs, result, cost) if exc is None else None,
        response_cost_failure_debug_info=cost_debug,
        status="success" if exc is None else "failure",
        status_fields={
            "llm_api_status": "success" if exc is None else "failure",
            "guardrail_status": "not_run",
        },
        custom_llm_provider=obs.provider,
        total_tokens=total,
        prompt_tokens=prompt,
        completion_tokens=completion,
        startTime=_epoch(start),
        endTime=_epoch(end),
        completionStartTime=_epoch(first),
        response_time=(end - start).total_seconds(),
        model_map_information={"model_map_key": obs.model_id, "model_map_value": None},
        model=obs.model_id,
        model_id="",
        model_group="",
        api_base=api_base,
        metadata=_metadata(metadata),
        cache_hit=True if hit else (None if exc is None and not obs.stream else False),
        cache_key=hidden.get("cache_key") if hit else None,
        saved_cache_cost=0.0,
        request_tags=list(tags) if isinstance(tags, list) else [],
        end_user=kw.get("user") or "",
        requester_ip_address=None,
        user_agent=None,
        messages=details["messages"],
        response=response,
        error_str=error_str,
        error_information=error_info,
        model_parameters=dict(details["optional_params"]) if exc is None else {},
        hidden_params=StandardLoggingHiddenParams(
            model_id=hidden.get("model_id"),
            cache_key=hidden.get("cache_key") if hit else None,
            api_base=api_base or None,
            response_cost=None if cost is None else str(cost),
            litellm_overhead_time_ms=None,
            additional_headers=None,
            batch_models=None,
            litellm_model_name=obs.model_id,
            usage_object=usage,
        ),
        guardrail_information=None,
        standard_built_in_tools_params={"web_search_options": None, "file_search": None},
    )
