"""A short soak (benches/soak.py with small counts): memory stays flat after warm-up."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fakeprov.echo import EchoServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benches"))

import soak


@pytest.mark.timeout(300)
def test_rss_is_flat_after_warm_up() -> None:
    with EchoServer() as srv:
        phases = soak.soak(srv.url, n_sync=5000, n_async=5000, n_streams=500)
    for p in phases:
        # Generous: a per-call leak of 2 KB would already show as ~9 MB here.
        assert p["growth_after_warmup_mb"] < 8, p
