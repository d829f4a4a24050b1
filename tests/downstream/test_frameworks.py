"""The framework tier: real frameworks that integrate litellm, run unchanged over this package.

Each framework has its own venv (``scripts/downstream_venvs.sh`` builds them from
``frameworks/pins/<name>.txt`` into ``~/.cache/edgequake-litellm/downstream-venvs``), with no
litellm installed. Its checks (``frameworks/check_<name>.py``) run there under
``sys.modules["litellm"] = edgequake_litellm`` (installed by ``frameworks/alias_plugin.py``),
against the fake OpenAI server of ``tests/fakeprov``, with this worktree's package (and its
built extension) on ``PYTHONPATH``. Each check must pass with the alias, and the same checks
must fail without it.

A venv that is missing skips its framework here, unless ``ELC_DOWNSTREAM_REQUIRED=1``
(``scripts/test.sh`` sets it, after building the venvs), which makes it a failure.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FRAMEWORKS = {
    "langchain-litellm": "check_langchain_litellm.py",
    "dspy": "check_dspy.py",
    "llama-index-llms-litellm": "check_llama_index.py",
    "crewai": "check_crewai.py",
    "google-adk": "check_google_adk.py",
}


def _venv_python(name: str) -> Path:
    out = subprocess.run(
        ["bash", str(ROOT / "scripts" / "downstream_venvs.sh"), "--path", name],
        capture_output=True,
        text=True,
        check=True,
    )
    venv = Path(out.stdout.strip())
    if not (venv / ".complete").exists():
        if os.environ.get("ELC_DOWNSTREAM_REQUIRED") == "1":
            pytest.fail(f"{name}'s venv is missing: run scripts/downstream_venvs.sh")
        pytest.skip(f"{name}'s venv is not built (scripts/downstream_venvs.sh)")
    return venv / "bin" / "python"


def _run_checks(name: str, alias: bool) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "python"), str(ROOT / "tests"), str(HERE / "frameworks")]
        ),
        "ELC_NO_ALIAS": "0" if alias else "1",
        # No framework may phone home from CI (crewai, litellm-style telemetry switches).
        "CREWAI_DISABLE_TELEMETRY": "true",
        "CREWAI_DISABLE_TRACKING": "true",
        "OTEL_SDK_DISABLED": "true",
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "HOME": os.environ.get("HOME", "/tmp"),
    }
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE", "VIRTUAL_ENV"):
        env.pop(var, None)
    return subprocess.run(
        [
            str(_venv_python(name)),
            "-m",
            "pytest",
            "-c",
            str(HERE / "frameworks" / "pytest.ini"),
            "-q",
            "-rs",
            str(HERE / "frameworks" / FRAMEWORKS[name]),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.timeout(660)
@pytest.mark.parametrize("name", sorted(FRAMEWORKS))
def test_framework_passes_under_the_alias(name: str) -> None:
    out = _run_checks(name, alias=True)
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-3000:]
    assert " passed" in out.stdout


@pytest.mark.timeout(660)
@pytest.mark.parametrize("name", sorted(FRAMEWORKS))
def test_framework_fails_without_the_alias(name: str) -> None:
    out = _run_checks(name, alias=False)
    assert out.returncode != 0, out.stdout[-3000:]
