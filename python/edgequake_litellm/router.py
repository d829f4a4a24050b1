"""``litellm.Router``: load balancing, fallbacks, retries, cooldowns and rate limits
across deployments of a model, with Redis as the state shared by many processes.

A deployment is one ``model_list`` entry: ``{"model_name": <group>,
"litellm_params": {"model": ..., "api_key": ..., "api_base": ..., "rpm": ...,
"tpm": ..., "weight": ...}, "model_info": {"id": ..., ...}}``. A call names a
group (or an alias of one); the Router picks a deployment of it by
``routing_strategy``, calls ``litellm.completion`` (or ``embedding``, ...) with
that deployment's ``litellm_params``, retries, cools failing deployments down
and falls back to other groups, as litellm's Router does. See the README's
"Router and caching" section for what is shared through Redis and what is exact.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import json
import sys
import time
from collections.abc import Generator
from typing import Any, Callable, Optional, Union

from . import exceptions as exc
from .router_strategy import STRATEGIES
from .router_utils.usage_state import Admission, Candidate, LocalState, RedisState
from .types.router import AllowedFailsPolicy, RetryPolicy, RouterRateLimitError

__all__ = ["AllowedFailsPolicy", "RetryPolicy", "Router", "RouterRateLimitError"]

#: litellm's DEFAULT_ALLOWED_FAILS, DEFAULT_COOLDOWN_TIME_SECONDS (s), ROUTER_MAX_FALLBACKS.
DEFAULT_ALLOWED_FAILS = 3
DEFAULT_COOLDOWN_TIME = 5.0
DEFAULT_MAX_FALLBACKS = 5
#: litellm's openai.DEFAULT_MAX_RETRIES: retries per group when neither the Router
#: nor ``litellm.num_retries`` sets them.
DEFAULT_NUM_RETRIES = 2

#: Statuses that cool a deployment down on the first failure (litellm: 429 in a
#: group of several; 401/404 anywhere, since retrying them cannot help).
_COOL_AT_ONCE_SHARED = frozenset({429, 408})
_COOL_AT_ONCE = frozenset({401, 404})

#: Exception class → the RetryPolicy / AllowedFailsPolicy field prefix (first match).
_POLICY_NAMES: tuple[tuple[type[BaseException], str], ...] = (
    (exc.ContentPolicyViolationError, "ContentPolicyViolationError"),
    (exc.BadRequestError, "BadRequestError"),
    (exc.AuthenticationError, "AuthenticationError"),
    (exc.Timeout, "TimeoutError"),
    (exc.RateLimitError, "RateLimitError"),
    (exc.InternalServerError, "InternalServerError"),
)
#: Errors not retried unless a RetryPolicy says so: a retry would fail alike.
_NOT_RETRIED = (
    exc.BadRequestError,
    exc.AuthenticationError,
    exc.PermissionDeniedError,
    exc.NotFoundError,
    RouterRateLimitError,
)

Deployment = dict[str, Any]
Fallbacks = list[dict[str, list[str]]]
_Step = tuple[Any, ...]


def _pkg() -> Any:
    """The package module: ``litellm.completion`` etc. looked up at call time."""
    return sys.modules[__package__]


def _deployment_id(deployment: Deployment) -> str:
    params = json.dumps(deployment.get("litellm_params", {}), sort_keys=True, default=str)
    seed = f"{deployment.get('model_name', '')}|{params}"
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


def _policy_value(policy: Any, suffix: str, err: BaseException) -> Optional[int]:
    if policy is None:
        return None
    for cls, name in _POLICY_NAMES:
        if isinstance(err, cls):
            value = getattr(policy, name + suffix, None)
            return None if value is None else int(value)
    return None


def _total_tokens(resp: Any) -> Optional[int]:
    usage = getattr(resp, "usage", None)
    total = getattr(usage, "total_tokens", None)
    return int(total) if isinstance(total, int) else None


class Router:
    """litellm's ``Router`` (``litellm.Router``, ``litellm.router.Router``).

    Args (litellm's names; all optional but ``model_list``):
        model_list: deployments, as above. ``litellm_params`` may hold any
            ``completion`` argument plus ``rpm``/``tpm`` (limits per minute,
            requests/tokens) and ``weight``; ``model_info.id`` names the
            deployment (else a hash of its params).
        routing_strategy: ``"simple-shuffle"`` (default; weighted by
            ``weight``, else ``rpm``, else ``tpm``), ``"least-busy"``,
            ``"usage-based-routing-v2"`` (lowest tpm this minute; rpm/tpm
            limits enforced), ``"latency-based-routing"``,
            ``"cost-based-routing"``.
        redis_url or redis_host/redis_port/redis_password: share usage,
            cooldowns, in-flight counts and latency with every Router using
            the same Redis (needs the ``redis`` extra). Without Redis the state
            is this process's.
        num_retries: retries within a group (default ``litellm.num_retries``,
            else 2); ``retry_policy`` (``RetryPolicy`` or dict) per exception
            class; ``model_group_retry_policy`` per group. ``retry_after``:
            minimum seconds between retries when no other deployment is up.
        fallbacks, context_window_fallbacks, content_policy_fallbacks:
            ``[{"group": ["other-group", ...]}]``, tried in order once the
            group fails (by error class); ``{"*": [...]}`` or
            ``default_fallbacks`` apply to every group. ``max_fallbacks``
            bounds them (5).
        allowed_fails / allowed_fails_policy: failures per minute before a
            deployment cools down for ``cooldown_time`` seconds (default 5);
            without them, as litellm: a 429 in a group of several or a
            401/404 cools down at once, other failures after 3 per minute.
            ``disable_cooldowns`` turns cooldowns off.
        timeout / stream_timeout: seconds per call / per streamed call.
        enable_pre_call_checks: skip deployments whose context window is too
            small for the messages (``model_info.max_input_tokens``, else the
            model map) and enforce rpm/tpm limits with any strategy.
        model_group_alias: ``{"alias": "group"}`` (or ``{"alias": {"model":
            "group", "hidden": bool}}``).
        default_litellm_params: arguments added to every deployment call.
        cache_responses: set ``litellm.cache`` to a ``Cache`` (Redis when the
            Router has Redis, else in memory).

    Raises:
        ValueError: an unknown ``routing_strategy``, or a malformed model_list.
        ImportError: Redis settings without redis-py installed.
    """

    def __init__(
        self,
        model_list: Optional[list[Deployment]] = None,
        *,
        redis_url: Optional[str] = None,
        redis_host: Optional[str] = None,
        redis_port: Optional[Union[int, str]] = None,
        redis_password: Optional[str] = None,
        cache_responses: bool = False,
        cache_kwargs: Optional[dict[str, Any]] = None,
        num_retries: Optional[int] = None,
        max_fallbacks: Optional[int] = None,
        timeout: Optional[float] = None,
        stream_timeout: Optional[float] = None,
        default_litellm_params: Optional[dict[str, Any]] = None,
        fallbacks: Optional[Fallbacks] = None,
        context_window_fallbacks: Optional[Fallbacks] = None,
        content_policy_fallbacks: Optional[Fallbacks] = None,
        default_fallbacks: Optional[list[str]] = None,
        model_group_alias: Optional[dict[str, Any]] = None,
        enable_pre_call_checks: bool = False,
        retry_after: float = 0,
        retry_policy: Union[RetryPolicy, dict[str, Any], None] = None,
        model_group_retry_policy: Optional[dict[str, Any]] = None,
        allowed_fails: Optional[int] = None,
        allowed_fails_policy: Optional[AllowedFailsPolicy] = None,
        cooldown_time: Optional[float] = None,
        disable_cooldowns: Optional[bool] = None,
        routing_strategy: str = "simple-shuffle",
        routing_strategy_args: Optional[dict[str, Any]] = None,
        set_verbose: bool = False,
        debug_level: str = "INFO",
    ) -> None:
        if routing_strategy not in STRATEGIES:
            raise ValueError(
                f"Invalid routing_strategy={routing_strategy!r}; one of {sorted(STRATEGIES)}"
            )
        self.routing_strategy = routing_strategy
        self.routing_strategy_args = routing_strategy_args or {}
        self._order, self._mode = STRATEGIES[routing_strategy]
        pkg = _pkg()
        self.num_retries: int = (
            num_retries
            if num_retries is not None
            else pkg.num_retries
            if pkg.num_retries is not None
            else DEFAULT_NUM_RETRIES
        )
        self.max_fallbacks = max_fallbacks if max_fallbacks is not None else DEFAULT_MAX_FALLBACKS
        self.timeout = timeout
        self.stream_timeout = stream_timeout
        self.default_litellm_params = dict(default_litellm_params or {})
        self.fallbacks: Fallbacks = list(fallbacks or [])
        self.context_window_fallbacks: Fallbacks = list(context_window_fallbacks or [])
        self.content_policy_fallbacks: Fallbacks = list(content_policy_fallbacks or [])
        self.default_fallbacks = list(default_fallbacks or [])
        self.model_group_alias: dict[str, Any] = dict(model_group_alias or {})
        self.enable_pre_call_checks = enable_pre_call_checks
        self.retry_after = float(retry_after)
        self.retry_policy = (
            RetryPolicy(**retry_policy) if isinstance(retry_policy, dict) else retry_policy
        )
        self.model_group_retry_policy = {
            k: RetryPolicy(**v) if isinstance(v, dict) else v
            for k, v in (model_group_retry_policy or {}).items()
        }
        self.allowed_fails = allowed_fails
        self.allowed_fails_policy = allowed_fails_policy
        self.cooldown_time = float(cooldown_time) if cooldown_time else DEFAULT_COOLDOWN_TIME
        self.disable_cooldowns = bool(disable_cooldowns)
        self.set_verbose = set_verbose
        self.debug_level = debug_level
        self.state: Union[LocalState, RedisState]
        if redis_url or redis_host:
            self.state = RedisState(
                redis_host, int(redis_port) if redis_port else None, redis_password, redis_url
            )
        else:
            self.state = LocalState()
        self.model_list: list[Deployment] = []
        self._groups: dict[str, list[Deployment]] = {}
        self._by_id: dict[str, Deployment] = {}
        self.set_model_list(model_list or [])
        if cache_responses:
            from .caching.caching import Cache

            kind = "redis" if redis_url or redis_host else "local"
            redis_args: dict[str, Any] = (
                {
                    "redis_url": redis_url,
                    "host": redis_host,
                    "port": redis_port,
                    "password": redis_password,
                }
                if kind == "redis"
                else {}
            )
            pkg.cache = Cache(type=kind, **redis_args, **(cache_kwargs or {}))

    # -- model list ----------------------------------------------------------

    def set_model_list(self, model_list: list[Deployment]) -> None:
        """Replace the deployments (each checked and given ``model_info.id``).

        Raises ValueError for an entry without ``model_name`` or ``litellm_params.model``.
        """
        self.model_list, self._groups, self._by_id = [], {}, {}
        for deployment in model_list:
            self.add_deployment(deployment)

    def add_deployment(self, deployment: Deployment) -> Deployment:
        """Add one deployment; returns it as stored (with ``model_info.id``).
        A deployment whose id is already present is not added twice."""
        if not isinstance(deployment, dict) or not isinstance(deployment.get("model_name"), str):
            raise ValueError(f"model_list entry needs a 'model_name': {deployment!r:.80}")
        params = deployment.get("litellm_params")
        if not isinstance(params, dict) or not isinstance(params.get("model"), str):
            raise ValueError("model_list entry needs 'litellm_params' with a 'model'")
        dep = copy.deepcopy(deployment)
        info = dep.setdefault("model_info", {}) or {}
        dep["model_info"] = info
        info.setdefault("id", _deployment_id(dep))
        info["id"] = str(info["id"])
        if info["id"] in self._by_id:
            return self._by_id[info["id"]]
        self.model_list.append(dep)
        self._groups.setdefault(dep["model_name"], []).append(dep)
        self._by_id[info["id"]] = dep
        return dep

    def delete_deployment(self, id: str) -> Optional[Deployment]:
        """Remove the deployment with ``model_info.id == id``; returns it, or ``None``."""
        dep = self._by_id.pop(id, None)
        if dep is not None:
            self.model_list.remove(dep)
            group = self._groups[dep["model_name"]]
            group.remove(dep)
            if not group:
                del self._groups[dep["model_name"]]
        return dep

    def get_deployment(self, model_id: str) -> Optional[Deployment]:
        """The deployment with this ``model_info.id``, or ``None``."""
        return self._by_id.get(model_id)

    def get_model_list(self, model_name: Optional[str] = None) -> list[Deployment]:
        """The deployments (of one group or alias, when ``model_name`` is given)."""
        if model_name is None:
            return list(self.model_list)
        return list(self._groups.get(self._resolve(model_name), []))

    def get_model_names(self) -> list[str]:
        """The model group names, in first-seen order."""
        return list(self._groups)

    def _resolve(self, model: str) -> str:
        alias = self.model_group_alias.get(model)
        if isinstance(alias, dict):
            alias = alias.get("model")
        return alias if isinstance(alias, str) and model not in self._groups else model

    def _deployments(self, model: str) -> list[Deployment]:
        group = self._groups.get(self._resolve(model))
        if group:
            return group
        dep = self._by_id.get(model)
        if dep is not None:
            return [dep]
        raise exc.BadRequestError(
            f"You passed in model={model}. There is no 'model_name' with this string. "
            f"Model groups: {self.get_model_names()}",
            model=model,
        )

    # -- picking a deployment -----------------------------------------------

    def _tokens(self, model: str, kwargs: dict[str, Any]) -> Optional[int]:
        """Prompt tokens (``token_counter``); None when there are no messages or
        the model has no tokenizer."""
        messages = kwargs.get("messages")
        if messages is None:
            return None
        try:
            from . import utils

            return int(utils.token_counter(model=model, messages=messages))
        except Exception:
            return None

    def _fits_context(self, dep: Deployment, tokens: int) -> bool:
        limit = dep["model_info"].get("max_input_tokens")
        if limit is None:
            try:
                from . import utils

                info = utils.get_model_info(dep["litellm_params"]["model"])
                limit = info.get("max_input_tokens")
            except Exception:
                return True
        return limit is None or tokens <= int(limit)

    def _candidates(self, model: str, kwargs: dict[str, Any]) -> tuple[list[Deployment], int]:
        deployments = self._deployments(model)
        # Counting costs microseconds: only when a check or a tpm limit needs it.
        needed = self.enable_pre_call_checks or (
            self._enforce() and any(d["litellm_params"].get("tpm") for d in deployments)
        )
        tokens = self._tokens(deployments[0]["litellm_params"]["model"], kwargs) if needed else None
        if self.enable_pre_call_checks and tokens is not None:
            fitting = [d for d in deployments if self._fits_context(d, tokens)]
            if not fitting:
                raise exc.ContextWindowExceededError(
                    f"{tokens} prompt tokens exceed the context window of every deployment "
                    f"of {model}",
                    model=model,
                )
            deployments = fitting
        return self._order(deployments), tokens or 0

    def _enforce(self) -> bool:
        return self._mode == "usage" or self.enable_pre_call_checks

    @staticmethod
    def _candidate(dep: Deployment, tokens: int) -> Candidate:
        params = dep["litellm_params"]
        rpm, tpm = params.get("rpm"), params.get("tpm")
        return Candidate(
            dep["model_info"]["id"],
            None if rpm is None else int(rpm),
            None if tpm is None else int(tpm),
            tokens,
        )

    def _chosen(self, model: str, ordered: list[Deployment], adm: Admission) -> Deployment:
        if adm.index is None:
            raise RouterRateLimitError(
                model, self.cooldown_time, self.enable_pre_call_checks, adm.cooling
            )
        return ordered[adm.index]

    def get_available_deployment(
        self, model: str, messages: Optional[list[Any]] = None, **kwargs: Any
    ) -> Deployment:
        """The deployment the next call to ``model`` would use, counted as a call
        (litellm's semantics). Raises RouterRateLimitError when none can take it,
        BadRequestError for an unknown group."""
        ordered, tokens = self._candidates(model, {"messages": messages, **kwargs})
        adm = self.state.admit(
            [self._candidate(d, tokens) for d in ordered], self._mode, self._enforce()
        )
        return self._chosen(model, ordered, adm)

    async def async_get_available_deployment(
        self, model: str, messages: Optional[list[Any]] = None, **kwargs: Any
    ) -> Deployment:
        """Async ``get_available_deployment``."""
        ordered, tokens = self._candidates(model, {"messages": messages, **kwargs})
        adm = await self.state.aadmit(
            [self._candidate(d, tokens) for d in ordered], self._mode, self._enforce()
        )
        return self._chosen(model, ordered, adm)

    # -- one deployment call -------------------------------------------------

    def _call_kwargs(self, dep: Deployment, model: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        call = {**self.default_litellm_params, **kwargs}
        for key, value in dep["litellm_params"].items():
            if key not in ("rpm", "tpm", "weight", "max_parallel_requests"):
                call[key] = value
        timeout = self.stream_timeout if kwargs.get("stream") else self.timeout
        if timeout is not None and "timeout" not in kwargs:
            call.setdefault("timeout", timeout)
        call.setdefault("num_retries", 0)  # the Router retries, across deployments
        metadata = dict(call.get("metadata") or {})
        metadata.update(
            model_group=self._resolve(model),
            deployment=dep["litellm_params"]["model"],
            model_info=dep["model_info"],
        )
        call["metadata"] = metadata
        return call

    @staticmethod
    def _tag(resp: Any, dep: Deployment) -> Any:
        hidden = getattr(resp, "_hidden_params", None)
        if isinstance(hidden, dict):
            hidden["model_id"] = dep["model_info"]["id"]
            hidden["api_base"] = dep["litellm_params"].get("api_base") or hidden.get("api_base")
        return resp

    def _allowed_fails(self, dep: Deployment, err: BaseException) -> Optional[int]:
        """Failures allowed before a cooldown (-1: cool down now), None: never."""
        if self.disable_cooldowns or isinstance(err, RouterRateLimitError):
            return None
        status = getattr(err, "status_code", None)
        if isinstance(err, exc.APIConnectionError) and not isinstance(err, exc.Timeout):
            return None  # as litellm: no cooldown for connection errors
        if (
            isinstance(status, int)
            and 400 <= status < 500
            and status not in (_COOL_AT_ONCE | _COOL_AT_ONCE_SHARED)
        ):
            return None
        explicit = _policy_value(self.allowed_fails_policy, "AllowedFails", err)
        if explicit is None:
            explicit = self.allowed_fails
        if explicit is not None:
            return explicit
        shared = len(self._groups.get(dep["model_name"], ())) > 1
        if status in _COOL_AT_ONCE or (shared and status in _COOL_AT_ONCE_SHARED):
            return -1
        return DEFAULT_ALLOWED_FAILS if shared else None

    def _retries(self, model: str, err: BaseException) -> int:
        policy = self.model_group_retry_policy.get(self._resolve(model), self.retry_policy)
        explicit = _policy_value(policy, "Retries", err)
        if explicit is not None:
            return explicit
        return 0 if isinstance(err, _NOT_RETRIED) else self.num_retries

    def _wait(self, model: str, dep: Deployment, err: BaseException, attempt: int) -> float:
        """Seconds before the next attempt: none when another deployment is up,
        else the backoff (0.5 s doubling, at least ``retry_after`` and the
        provider's ``retry-after``, at most 10 s)."""
        others = [d for d in self._deployments(model) if d is not dep]
        if any(not self.state_cooling(d) for d in others):
            return 0.0
        hinted = getattr(err, "retry_after", None) or 0.0
        return float(min(10.0, max(self.retry_after, float(hinted), 0.5 * 2**attempt)))

    def state_cooling(self, dep: Deployment) -> bool:
        """Whether this process has seen ``dep`` cooling down (its local view)."""
        local = self.state.local if isinstance(self.state, RedisState) else self.state
        return local.cooling(dep["model_info"]["id"])

    # -- routing with retries and fallbacks ----------------------------------

    def _fallback_groups(self, model: str, err: BaseException) -> list[str]:
        """The groups to try after ``model`` failed with ``err``: its entry in
        ``context_window_fallbacks`` / ``content_policy_fallbacks`` for those
        errors, else in ``fallbacks``, else ``"*"``'s, else ``default_fallbacks``
        (litellm's order)."""
        tables = [self.fallbacks]
        if isinstance(err, exc.ContextWindowExceededError):
            tables.insert(0, self.context_window_fallbacks)
        elif isinstance(err, exc.ContentPolicyViolationError):
            tables.insert(0, self.content_policy_fallbacks)
        group = self._resolve(model)
        for table in tables:
            for key in (group, model, "*"):
                for entry in table:
                    if key in entry:
                        return list(entry[key] or [])[: self.max_fallbacks]
        return self.default_fallbacks[: self.max_fallbacks]

    def _plan(self, model: str, kwargs: dict[str, Any]) -> Generator[_Step, Any, Any]:
        """One routed call as steps, for the sync and the async driver: yields
        ``("admit", candidates)``, ``("call", kwargs)``, ``("fail", id, allowed)``
        and ``("sleep", seconds)``, receives each step's result (a call's
        exception is thrown in), returns the response. Retries within a group,
        then the fallback groups for the error's class; raises the first error."""
        try:
            return (yield from self._plan_group(model, kwargs))
        except Exception as err:
            for group in self._fallback_groups(model, err):
                try:
                    return (yield from self._plan_group(group, kwargs))
                except Exception:
                    continue
            raise

    def _plan_group(self, model: str, kwargs: dict[str, Any]) -> Generator[_Step, Any, Any]:
        ordered, tokens = self._candidates(model, kwargs)
        attempt = 0
        while True:
            adm = yield ("admit", [self._candidate(d, tokens) for d in ordered])
            dep = self._chosen(model, ordered, adm)
            dep_id = dep["model_info"]["id"]
            started = time.perf_counter()
            try:
                resp = yield ("call", self._call_kwargs(dep, model, kwargs))
            except Exception as err:
                self.state.end(dep_id, adm, tokens, 0, None)
                allowed = self._allowed_fails(dep, err)
                if allowed is not None:
                    yield ("fail", dep_id, allowed)
                if attempt >= self._retries(model, err):
                    raise
                yield ("sleep", self._wait(model, dep, err, attempt))
                attempt += 1
                ordered = self._order(ordered)
                continue
            self.state.end(dep_id, adm, tokens, _total_tokens(resp), time.perf_counter() - started)
            return self._tag(resp, dep)

    def _route(self, model: str, kwargs: dict[str, Any], fn: Callable[..., Any]) -> Any:
        plan = self._plan(model, kwargs)
        result: Any = None
        error: Optional[Exception] = None
        while True:
            try:
                step = plan.throw(error) if error is not None else plan.send(result)
            except StopIteration as done:
                return done.value
            result, error = None, None
            try:
                if step[0] == "admit":
                    result = self.state.admit(step[1], self._mode, self._enforce())
                elif step[0] == "call":
                    result = fn(**step[1])
                elif step[0] == "fail":
                    self.state.fail(step[1], step[2], self.cooldown_time)
                else:
                    time.sleep(step[1])
            except Exception as e:
                error = e

    async def _aroute(self, model: str, kwargs: dict[str, Any], fn: Callable[..., Any]) -> Any:
        plan = self._plan(model, kwargs)
        result: Any = None
        error: Optional[Exception] = None
        while True:
            try:
                step = plan.throw(error) if error is not None else plan.send(result)
            except StopIteration as done:
                return done.value
            result, error = None, None
            try:
                if step[0] == "admit":
                    result = await self.state.aadmit(step[1], self._mode, self._enforce())
                elif step[0] == "call":
                    result = await fn(**step[1])
                elif step[0] == "fail":
                    await self.state.afail(step[1], step[2], self.cooldown_time)
                else:
                    await asyncio.sleep(step[1])
            except Exception as e:
                error = e

    # -- litellm's call methods ----------------------------------------------

    def completion(self, model: str, messages: list[Any], **kwargs: Any) -> Any:
        """``litellm.completion`` on a deployment of group ``model``: a
        ``ModelResponse`` (``CustomStreamWrapper`` with ``stream=True``) whose
        ``_hidden_params`` carry ``model_id`` and ``api_base``.

        Raises RouterRateLimitError when no deployment can take the call, the
        last deployment's litellm exception when retries and fallbacks fail,
        BadRequestError for an unknown group."""
        return self._route(model, {"messages": messages, **kwargs}, _pkg().completion)

    async def acompletion(self, model: str, messages: list[Any], **kwargs: Any) -> Any:
        """Async ``completion``."""
        return await self._aroute(model, {"messages": messages, **kwargs}, _pkg().acompletion)

    def embedding(self, model: str, input: Any, **kwargs: Any) -> Any:
        """``litellm.embedding`` on a deployment of group ``model`` (as ``completion``)."""
        return self._route(model, {"input": input, **kwargs}, _pkg().embedding)

    async def aembedding(self, model: str, input: Any, **kwargs: Any) -> Any:
        """Async ``embedding``."""
        return await self._aroute(model, {"input": input, **kwargs}, _pkg().aembedding)

    def text_completion(self, model: str, prompt: Any, **kwargs: Any) -> Any:
        """``litellm.text_completion`` on a deployment of group ``model``."""
        return self._route(model, {"prompt": prompt, **kwargs}, _pkg().text_completion)

    async def atext_completion(self, model: str, prompt: Any, **kwargs: Any) -> Any:
        """Async ``text_completion``."""
        return await self._aroute(model, {"prompt": prompt, **kwargs}, _pkg().atext_completion)

    def flush(self) -> None:
        """Send end-of-call usage still pending to Redis (no-op without Redis)."""
        if isinstance(self.state, RedisState):
            self.state.flush()

    def __repr__(self) -> str:
        return (
            f"Router(model_names={self.get_model_names()!r}, "
            f"routing_strategy={self.routing_strategy!r}, "
            f"state={type(self.state).__name__})"
        )
