"""litellm and edgequake_litellm on identical wire traffic: same requests, objects, chunks and
exceptions, except the documented divergences (divergences.py) and exclusions (normalize.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import litellm
import pytest

import edgequake_litellm

from .divergences import DIVERGENCES
from .harness import ImageServer, run
from .normalize import diff, view
from .scenarios import (
    DOWNLOADS_IMAGES,
    HTTPS_IMAGE,
    IMAGE_PATH,
    PROVIDERS,
    SCENARIOS,
    Provider,
    Scenario,
)

# Warnings litellm's own code triggers in pydantic (its Choices dumped inside its
# ModelResponseStream; instance access to model_fields); raised as errors, litellm would turn
# them into APIConnectionErrors mid-stream.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning"),
    pytest.mark.filterwarnings("ignore:Accessing the 'model_:DeprecationWarning"),
]

CASES = [
    pytest.param(s, p, id=f"{s.name}-{p.name}")
    for s in SCENARIOS
    for p in PROVIDERS
    if s.applies_to(p)
]
_ran: set[tuple[str, str]] = set()
_explained: set[str] = set()


@pytest.fixture(scope="module")
def image_server() -> Iterator[ImageServer]:
    """The loopback server of the image that litellm downloads for Gemini and Ollama."""
    with ImageServer() as server:
        yield server


@pytest.mark.parametrize(("scenario", "provider"), CASES)
def test_same_as_litellm(scenario: Scenario, provider: Provider, image_server: ImageServer) -> None:
    """Both libraries, the same scenario and server replies: no difference but known ones."""
    url = image_server.base_url + IMAGE_PATH if provider.name in DOWNLOADS_IMAGES else HTTPS_IMAGE
    theirs = view(run(litellm, provider, scenario, url), provider.name)
    ours = view(run(edgequake_litellm, provider, scenario, url), provider.name)
    known = [d for d in DIVERGENCES if d.covers(scenario.name, provider.name)]
    unexplained = []
    for path, a, b in diff(theirs, ours):
        why = [d.name for d in known if d.explains(path)]
        _explained.update(why)
        if not why:
            unexplained.append(f"{path}:\n  litellm: {json.dumps(a)}\n  ours:    {json.dumps(b)}")
    _ran.add((scenario.name, provider.name))
    assert not unexplained, "undocumented differences from litellm:\n" + "\n".join(unexplained)


def test_every_divergence_still_diverges() -> None:
    """A known divergence that no longer shows in any case it covers must be removed
    (xfail(strict=True) semantics). Rows whose cases did not all run are not judged."""
    stale = []
    for d in DIVERGENCES:
        cases = {(s.name, p.name) for s in SCENARIOS for p in PROVIDERS if d.covers(s.name, p.name)}
        assert cases, f"{d.name} covers no case"
        if cases <= _ran and d.name not in _explained:
            stale.append(d.name)
    assert not stale, f"divergences that no longer diverge: {stale}"


def test_readme_lists_every_divergence() -> None:
    """The README's compatibility section names every known divergence."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    missing = [d.name for d in DIVERGENCES if f"`{d.name}`" not in readme]
    assert not missing, f"README lacks divergence rows: {missing}"
