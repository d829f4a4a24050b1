"""Installed footprint: the client's whole dependency closure in its venv, and its native library.

The closure is every installed distribution reachable from the client's distribution
through ``Requires-Dist`` (extras not requested are skipped; a requirement whose marker
excludes this interpreter is simply not installed, so not reached). Size is the sum of the
files each distribution's ``RECORD`` lists. The native library is the client's own
compiled extension (``edgequake_litellm/_elc_core*.so``), for the clients that have one.
"""

from __future__ import annotations

import importlib.metadata as md
import re
from pathlib import Path
from typing import Any

from clients import CLIENTS

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _size(dist: md.Distribution) -> int:
    total = 0
    for f in dist.files or []:
        p = Path(str(dist.locate_file(f)))
        if p.is_file():
            total += p.stat().st_size
    return total


def closure(root: str) -> dict[str, md.Distribution]:
    """The installed distributions ``root`` needs, by normalized name (``root`` included)."""
    installed = {_norm(d.metadata["Name"]): d for d in md.distributions()}
    seen: dict[str, md.Distribution] = {}
    todo = [_norm(root)]
    while todo:
        name = todo.pop()
        if name in seen or name not in installed:
            continue
        seen[name] = installed[name]
        for req in seen[name].requires or []:
            if re.search(r"\bextra\s*==", req):
                continue
            m = _NAME.match(req)
            if m:
                todo.append(_norm(m.group(1)))
    return seen


def run(client: str) -> dict[str, Any]:
    adapter = CLIENTS[client]
    dists = closure(adapter.dist)
    result: dict[str, Any] = {
        "version": md.version(adapter.dist),
        "installed_mb": sum(_size(d) for d in dists.values()) / 1e6,
        "distributions": len(dists),
        "closure": sorted(f"{n}=={d.version}" for n, d in dists.items()),
    }
    libs = [
        Path(str(dists[_norm(adapter.dist)].locate_file(f)))
        for f in dists[_norm(adapter.dist)].files or []
        if re.search(r"_elc_core[^/]*\.so$", str(f))
    ]
    if libs:
        result["native_lib_mb"] = sum(p.stat().st_size for p in libs) / 1e6
    return result
