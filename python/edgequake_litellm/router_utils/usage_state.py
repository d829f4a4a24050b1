"""Per-deployment routing state: rpm/tpm usage per minute, failures, cooldowns,
in-flight counts and latency.

``LocalState`` keeps it in this process. ``RedisState`` keeps it in Redis,
shared by every process and machine pointing at the same server: admission is
one Lua script (``_ADMIT``) that skips cooling-down deployments, checks each
candidate's rpm/tpm for the current minute, picks one and increments its
counters atomically, so K processes together admit exactly a deployment's
rpm per minute. One Redis round trip per routed call: what a call reports
when it ends (actual tokens, in-flight decrement, latency) rides on the
process's next admission, or is flushed within ``FLUSH_AFTER`` seconds.
Minutes are Redis server time, so machines with skewed clocks agree.

If Redis fails or is slow (socket timeouts of ``REDIS_TIMEOUT`` seconds),
the state logs one warning, serves from its ``LocalState`` and tries Redis
again every ``RETRY_AFTER`` seconds; it never raises because of Redis.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any, Callable, Optional

__all__ = ["Admission", "Candidate", "LocalState", "RedisState"]

logger = logging.getLogger("LiteLLM Router")

#: Seconds before a socket operation on Redis counts as a failure.
REDIS_TIMEOUT = 0.5
#: Seconds between attempts to reach Redis again after a failure.
RETRY_AFTER = 2.0
#: Seconds after which end-of-call updates are sent if no call carried them.
FLUSH_AFTER = 1.0
#: Seconds usage counters outlive their minute.
_WINDOW_TTL = 120
#: Seconds an in-flight counter survives a process that died mid-call.
_BUSY_TTL = 600

#: Admission strategies the scripts score by (``Router`` maps routing strategies to them).
MODES = ("order", "usage", "busy", "latency")


@dataclass(frozen=True)
class Candidate:
    """A deployment that may take a call.

    ``rpm``/``tpm``: limits per minute (requests, tokens), ``None`` for none;
    ``tokens``: the tokens the call is expected to use, reserved on admission.
    """

    id: str
    rpm: Optional[int]
    tpm: Optional[int]
    tokens: int


@dataclass(frozen=True)
class Admission:
    """The outcome of ``admit``: the chosen candidate's ``index`` (``None`` when
    none can take the call), the ``minute`` it was counted in, the ids of
    the candidates that were cooling down, and whether it was counted in Redis
    (``shared``) or in the process."""

    index: Optional[int]
    minute: int
    cooling: list[str]
    shared: bool = False


# Updates sent when a call ends: ("incrby", key, n) or ("set", key, value).
_Update = tuple[str, str, str]


class _Keys:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def rpm(self, dep: str, minute: int) -> str:
        return f"{self.prefix}:rpm:{dep}:{minute}"

    def tpm(self, dep: str, minute: int) -> str:
        return f"{self.prefix}:tpm:{dep}:{minute}"

    def busy(self, dep: str) -> str:
        return f"{self.prefix}:busy:{dep}"

    def latency(self, dep: str) -> str:
        return f"{self.prefix}:lat:{dep}"


def _end_updates(
    keys: _Keys, dep: str, minute: int, reserved: int, used: Optional[int], latency: Optional[float]
) -> list[_Update]:
    updates: list[_Update] = [("incrby", keys.busy(dep), "-1")]
    if used is not None and used != reserved:
        updates.append(("incrby", keys.tpm(dep, minute), str(used - reserved)))
    if latency is not None:
        updates.append(("set", keys.latency(dep), repr(latency)))
    return updates


class LocalState:
    """The routing state of one process (thread-safe), with ``RedisState``'s semantics."""

    def __init__(self, prefix: str = "router") -> None:
        self.keys = _Keys(prefix)
        self._lock = threading.Lock()
        self._counts: dict[str, float] = {}
        self._cooldowns: dict[str, float] = {}

    def admit(self, candidates: list[Candidate], mode: str, enforce: bool) -> Admission:
        """Pick a candidate by ``mode`` among those not cooling down (and, when
        ``enforce``, under their rpm/tpm limits), and count the call against it."""
        now = time.time()
        minute = int(now // 60)
        keys, counts = self.keys, self._counts
        with self._lock:
            best: Optional[int] = None
            best_score = math.inf
            cooling = []
            for i, c in enumerate(candidates):
                if self._cooldowns.get(c.id, 0.0) > now:
                    cooling.append(c.id)
                    continue
                rpm = counts.get(keys.rpm(c.id, minute), 0)
                tpm = counts.get(keys.tpm(c.id, minute), 0)
                if enforce and not _fits(c, rpm, tpm):
                    continue
                score = _score(
                    mode,
                    i,
                    rpm,
                    tpm,
                    counts.get(keys.busy(c.id), 0),
                    counts.get(keys.latency(c.id), 0.0),
                )
                if score < best_score:
                    best, best_score = i, score
                    if mode == "order":
                        break
            if best is not None:
                c = candidates[best]
                for key, n in (
                    (keys.rpm(c.id, minute), 1),
                    (keys.tpm(c.id, minute), c.tokens),
                    (keys.busy(c.id), 1),
                ):
                    counts[key] = counts.get(key, 0) + n
            if len(counts) > 10_000:
                self._forget_before(minute)
        return Admission(best, minute, cooling)

    async def aadmit(self, candidates: list[Candidate], mode: str, enforce: bool) -> Admission:
        """``admit`` (no I/O: same as the sync call)."""
        return self.admit(candidates, mode, enforce)

    def _forget_before(self, minute: int) -> None:
        for key in [k for k in self._counts if k.rsplit(":", 1)[-1].isdigit()]:
            if int(key.rsplit(":", 1)[-1]) < minute:
                del self._counts[key]

    def apply(self, updates: list[_Update]) -> None:
        """Apply end-of-call updates."""
        with self._lock:
            for op, key, value in updates:
                if op == "set":
                    self._counts[key] = float(value)
                else:
                    self._counts[key] = self._counts.get(key, 0) + int(value)

    def end(
        self,
        dep: str,
        adm: Admission,
        reserved: int,
        used: Optional[int],
        latency: Optional[float],
    ) -> None:
        """A call admitted by ``adm`` ended: correct its tokens (``used`` tokens
        replace the ``reserved`` estimate), leave in-flight, record latency (s)."""
        self.apply(_end_updates(self.keys, dep, adm.minute, reserved, used, latency))

    def fail(self, dep: str, allowed: int, cooldown: float) -> bool:
        """Count a failure of ``dep`` this minute; cool it down for ``cooldown``
        seconds once failures exceed ``allowed`` (``allowed < 0``: at once).
        Returns whether it is now cooling down."""
        now = time.time()
        key = f"{self.keys.prefix}:fails:{dep}:{int(now // 60)}"
        with self._lock:
            n = self._counts[key] = self._counts.get(key, 0) + 1
            if allowed < 0 or n > allowed:
                self._cooldowns[dep] = now + cooldown
                return True
        return False

    async def afail(self, dep: str, allowed: int, cooldown: float) -> bool:
        """``fail`` (no I/O: same as the sync call)."""
        return self.fail(dep, allowed, cooldown)

    def cooling(self, dep: str) -> bool:
        """Whether ``dep`` is cooling down now."""
        return self._cooldowns.get(dep, 0.0) > time.time()


def _fits(c: Candidate, rpm: float, tpm: float) -> bool:
    if c.rpm is not None and rpm + 1 > c.rpm:
        return False
    return c.tpm is None or (tpm < c.tpm and tpm + c.tokens <= c.tpm)


def _score(mode: str, i: int, rpm: float, tpm: float, busy: float, latency: float) -> float:
    if mode == "usage":
        return tpm * 1e6 + rpm
    if mode == "busy":
        return busy
    if mode == "latency":
        return latency
    return i


# ARGV: prefix, mode, enforce (0/1), candidate count, then id, rpm, tpm, tokens per
# candidate (-1: no limit), then update count and op, key, value per update.
_ADMIT = """
local p, mode, enforce, n = ARGV[1], ARGV[2], ARGV[3] == '1', tonumber(ARGV[4])
local t = redis.call('TIME')
local now, minute = tonumber(t[1]), math.floor(tonumber(t[1]) / 60)
local u = 5 + 4 * n
for j = 1, tonumber(ARGV[u]) do
  local op, key, value = ARGV[u + 3*j - 2], ARGV[u + 3*j - 1], ARGV[u + 3*j]
  if op == 'set' then redis.call('SET', key, value, 'EX', 86400)
  elseif redis.call('EXISTS', key) == 1 then redis.call('INCRBY', key, value) end
end
local best, best_score, cooling = nil, nil, {}
for i = 1, n do
  local b = 4 + 4 * (i - 1)
  local id, rl, tl, tok = ARGV[b+1], tonumber(ARGV[b+2]), tonumber(ARGV[b+3]), tonumber(ARGV[b+4])
  if redis.call('EXISTS', p..':cd:'..id) == 1 then
    cooling[#cooling + 1] = id
  else
    local rpm = tonumber(redis.call('GET', p..':rpm:'..id..':'..minute) or '0')
    local tpm = tonumber(redis.call('GET', p..':tpm:'..id..':'..minute) or '0')
    local ok = true
    if enforce then
      if rl >= 0 and rpm + 1 > rl then ok = false end
      if tl >= 0 and (tpm >= tl or tpm + tok > tl) then ok = false end
    end
    if ok then
      local score = i
      if mode == 'usage' then score = tpm * 1e6 + rpm
      elseif mode == 'busy' then score = tonumber(redis.call('GET', p..':busy:'..id) or '0')
      elseif mode == 'latency' then score = tonumber(redis.call('GET', p..':lat:'..id) or '0') end
      if best == nil or score < best_score then best, best_score = i, score end
      if mode == 'order' then break end
    end
  end
end
if best == nil then return {0, minute, cooling} end
local b = 4 + 4 * (best - 1)
local id, tok = ARGV[b+1], tonumber(ARGV[b+4])
local rk, tk, bk = p..':rpm:'..id..':'..minute, p..':tpm:'..id..':'..minute, p..':busy:'..id
redis.call('INCR', rk) redis.call('EXPIRE', rk, 120)
redis.call('INCRBY', tk, tok) redis.call('EXPIRE', tk, 120)
redis.call('INCR', bk) redis.call('EXPIRE', bk, 600)
return {best, minute, cooling}
"""

# ARGV: prefix, id, allowed (-1: cool down at once), cooldown milliseconds.
_FAIL = """
local p, id, allowed = ARGV[1], ARGV[2], tonumber(ARGV[3])
local t = redis.call('TIME')
local fk = p..':fails:'..id..':'..math.floor(tonumber(t[1]) / 60)
local n = redis.call('INCR', fk) redis.call('EXPIRE', fk, 120)
if allowed < 0 or n > allowed then
  redis.call('SET', p..':cd:'..id, '1', 'PX', ARGV[4]) return 1
end
return 0
"""


def redis_clients(
    host: Optional[str],
    port: Optional[int],
    password: Optional[str],
    url: Optional[str],
    **extra: Any,
) -> tuple[Any, Callable[[], Any], str]:
    """A redis-py client, a factory of asyncio clients and ``host:port`` (no
    password), all with ``REDIS_TIMEOUT`` socket timeouts and no client-side
    retries: a failure is seen at once and handled by the caller."""
    import redis
    import redis.asyncio
    import redis.asyncio.retry
    import redis.retry
    from redis.backoff import NoBackoff

    opts: dict[str, Any] = {
        "socket_timeout": REDIS_TIMEOUT,
        "socket_connect_timeout": REDIS_TIMEOUT,
        **extra,
    }
    sync_opts = {**opts, "retry": redis.retry.Retry(NoBackoff(), 0)}

    def async_opts() -> dict[str, Any]:
        return {**opts, "retry": redis.asyncio.retry.Retry(NoBackoff(), 0)}

    if url:
        return (
            redis.Redis.from_url(url, **sync_opts),
            lambda: redis.asyncio.Redis.from_url(url, **async_opts()),
            url.rsplit("@", 1)[-1],
        )
    conn: dict[str, Any] = {
        "host": host or "localhost",
        "port": int(port or 6379),
        "password": password,
    }
    return (
        redis.Redis(**conn, **sync_opts),
        lambda: redis.asyncio.Redis(**conn, **async_opts()),
        f"{conn['host']}:{conn['port']}",
    )


async def _close_at_shutdown(client: Any) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await client.aclose()


class LoopClient:
    """One asyncio Redis client per running event loop (redis-py's asyncio
    connections belong to the loop that opened them), closed when its loop
    finalizes async generators (``asyncio.run`` does, before closing)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._bound: Optional[tuple[Any, Any, Any]] = None  # loop, client, closer

    async def get(self) -> Any:
        """The client of the running loop."""
        loop = asyncio.get_running_loop()
        if self._bound is None or self._bound[0] is not loop:
            client = self._make()
            closer = _close_at_shutdown(client)
            await closer.__anext__()
            self._bound = (loop, client, closer)
        return self._bound[1]


class RedisState:
    """Routing state in Redis (redis-py), with a ``LocalState`` for when Redis fails.

    ``url`` (``redis://[:password@]host:port/db``) or ``host``/``port``/
    ``password``; ``prefix`` namespaces the keys, so Routers with the same
    model list and prefix share state. Raises ``ImportError`` when redis-py is
    not installed (``pip install 'edgequake-litellm[redis]'``).
    """

    def __init__(
        self,
        host: Optional[str] = None,
        port: Optional[int] = None,
        password: Optional[str] = None,
        url: Optional[str] = None,
        prefix: str = "router",
    ) -> None:
        try:
            import redis
        except ImportError as e:
            raise ImportError(
                "Router with Redis needs redis-py: pip install 'edgequake-litellm[redis]'"
            ) from e
        self.keys = _Keys(prefix)
        self.local = LocalState(prefix)
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self._client, make_async, self.where = redis_clients(host, port, password, url)
        self._aclient = LoopClient(make_async)
        self._admit = self._client.register_script(_ADMIT)
        self._fail = self._client.register_script(_FAIL)
        self._ascripts: Optional[tuple[Any, Any, Any]] = None  # client, admit, fail
        self._lock = threading.Lock()
        self._pending: list[_Update] = []
        self._timer: Optional[threading.Timer] = None
        self._down_until = 0.0

    # -- health --------------------------------------------------------------

    def _up(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, err: BaseException) -> None:
        if self._down_until == 0.0:
            logger.warning(
                "Redis at %s failed (%s: %s); routing from this process's state until it is back",
                self.where,
                type(err).__name__,
                err,
            )
        self._down_until = time.monotonic() + RETRY_AFTER

    def _ok(self) -> None:
        if self._down_until != 0.0:
            logger.warning("Redis at %s is back; routing state is shared again", self.where)
            self._down_until = 0.0

    async def _async_scripts(self) -> tuple[Any, Any]:
        client = await self._aclient.get()
        if self._ascripts is None or self._ascripts[0] is not client:
            self._ascripts = (client, client.register_script(_ADMIT), client.register_script(_FAIL))
        return self._ascripts[1], self._ascripts[2]

    # -- admission -----------------------------------------------------------

    def _admit_args(self, candidates: list[Candidate], mode: str, enforce: bool) -> list[Any]:
        args: list[Any] = [self.keys.prefix, mode, "1" if enforce else "0", len(candidates)]
        for c in candidates:
            args += [c.id, -1 if c.rpm is None else c.rpm, -1 if c.tpm is None else c.tpm, c.tokens]
        with self._lock:
            pending, self._pending = self._pending, []
        args.append(len(pending))
        for update in pending:
            args.extend(update)
        return args

    def _restore(self, args: list[Any], n: int) -> None:
        start = 5 + 4 * n
        updates: list[_Update] = [
            (args[i], args[i + 1], args[i + 2]) for i in range(start, len(args), 3)
        ]
        with self._lock:
            self._pending[:0] = updates
            del self._pending[:-1000]

    @staticmethod
    def _admission(reply: Any) -> Admission:
        index, minute, cooling = reply
        return Admission(
            int(index) - 1 if int(index) else None,
            int(minute),
            [c.decode() if isinstance(c, bytes) else str(c) for c in cooling],
            shared=True,
        )

    def admit(self, candidates: list[Candidate], mode: str, enforce: bool) -> Admission:
        """``LocalState.admit`` across every process sharing the Redis server."""
        if self._up():
            args = self._admit_args(candidates, mode, enforce)
            try:
                reply = self._admit(args=args)
            except self._errors as e:
                self._restore(args, len(candidates))
                self._failed(e)
            else:
                self._ok()
                return self._admission(reply)
        return self.local.admit(candidates, mode, enforce)

    async def aadmit(self, candidates: list[Candidate], mode: str, enforce: bool) -> Admission:
        """``admit`` on the running event loop's Redis connection."""
        if self._up():
            args = self._admit_args(candidates, mode, enforce)
            try:
                script, _ = await self._async_scripts()
                reply = await script(args=args)
            except self._errors as e:
                self._restore(args, len(candidates))
                self._failed(e)
            else:
                self._ok()
                return self._admission(reply)
        return self.local.admit(candidates, mode, enforce)

    # -- end of call, failures ----------------------------------------------

    def end(
        self,
        dep: str,
        adm: Admission,
        reserved: int,
        used: Optional[int],
        latency: Optional[float],
    ) -> None:
        """``LocalState.end``; for a call counted in Redis, sent with the next
        admission or within ``FLUSH_AFTER`` s."""
        if not adm.shared:
            self.local.end(dep, adm, reserved, used, latency)
            return
        updates = _end_updates(self.keys, dep, adm.minute, reserved, used, latency)
        with self._lock:
            self._pending.extend(updates)
            if self._timer is None:
                self._timer = threading.Timer(FLUSH_AFTER, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> None:
        """Send pending end-of-call updates now (one pipelined round trip)."""
        with self._lock:
            pending, self._pending, self._timer = self._pending, [], None
        if not pending or not self._up():
            with self._lock:
                self._pending[:0] = pending
            return
        args: list[Any] = [self.keys.prefix, "order", "0", 0, len(pending)]
        for update in pending:
            args.extend(update)
        try:
            self._admit(args=args)
        except self._errors as e:
            self._failed(e)
        else:
            self._ok()

    def fail(self, dep: str, allowed: int, cooldown: float) -> bool:
        """``LocalState.fail``, seen by every process sharing the Redis server."""
        local = self.local.fail(dep, allowed, cooldown)
        if not self._up():
            return local
        try:
            cooled = self._fail(args=[self.keys.prefix, dep, allowed, max(1, int(cooldown * 1000))])
        except self._errors as e:
            self._failed(e)
            return local
        self._ok()
        return bool(cooled)

    async def afail(self, dep: str, allowed: int, cooldown: float) -> bool:
        """``fail`` on the running event loop's Redis connection."""
        local = self.local.fail(dep, allowed, cooldown)
        if not self._up():
            return local
        try:
            _, script = await self._async_scripts()
            cooled = await script(
                args=[self.keys.prefix, dep, allowed, max(1, int(cooldown * 1000))]
            )
        except self._errors as e:
            self._failed(e)
            return local
        self._ok()
        return bool(cooled)
