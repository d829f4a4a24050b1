"""Release invariants: the version's single source, and the artifact checks the release runs."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

import edgequake_litellm as litellm

ROOT = Path(__file__).resolve().parents[1]
CHECK_DIST = ROOT / "scripts" / "check_dist.py"


def cargo_version() -> str:
    """``[package] version`` of Cargo.toml (no tomllib before Python 3.11)."""
    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    package = text.split("[package]", 1)[1].split("\n[", 1)[0]
    found = re.search(r'^version\s*=\s*"([^"]+)"', package, re.MULTILINE)
    assert found is not None
    return found.group(1)


@pytest.mark.smoke
def test_version_is_cargos_in_pep440_form_and_the_installed_metadata() -> None:
    assert litellm.__version__ == str(Version(cargo_version()))
    assert litellm.__version__ == importlib.metadata.version("edgequake-litellm")


def check(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECK_DIST), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def wheel(path: Path, names: list[str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name in names:
            zf.writestr(name, "x")
    return path


def sdist(tmp_path: Path, names: list[str]) -> Path:
    src = tmp_path / "e-0.1.0"
    src.mkdir()
    for name in names:
        (src / name).write_text("x")
    path = tmp_path / "e-0.1.0.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        tf.add(src, arcname=src.name)
    return path


def test_check_dist_passes_a_clean_wheel_and_sdist(tmp_path: Path) -> None:
    clean = wheel(tmp_path / "e-0.1.0-cp39-abi3-any.whl", ["edgequake_litellm/__init__.py"])
    result = check(clean, sdist(tmp_path, ["pyproject.toml"]))
    assert result.returncode == 0, result.stderr
    assert "2 artifact(s)" in result.stdout


def test_check_dist_refuses_a_pth_file_in_a_wheel_or_an_sdist(tmp_path: Path) -> None:
    bad = wheel(tmp_path / "e-0.1.0-cp39-abi3-any.whl", ["edgequake_litellm/__init__.py", "x.pth"])
    result = check(bad, sdist(tmp_path, ["pyproject.toml", "hook.pth"]))
    assert result.returncode == 1
    assert "ships x.pth" in result.stderr and "ships e-0.1.0/hook.pth" in result.stderr


def test_check_dist_refuses_a_wheel_over_5_mb(tmp_path: Path) -> None:
    big = tmp_path / "big-0.1.0-cp39-abi3-any.whl"
    with zipfile.ZipFile(big, "w") as zf:
        # Stored, not deflated, so the file really is over the limit.
        zf.writestr("big.so", bytes(range(256)) * (21 * 1024), zipfile.ZIP_STORED)
    result = check(big)
    assert result.returncode == 1 and "byte limit" in result.stderr
