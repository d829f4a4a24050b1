"""Model data answered by litellm itself and by this package, compared query by query.

litellm (the release the bundled data came from, in a venv of its own, offline) answers
~1,900 queries (``queries.py``): ``supports_*`` flags, ``get_model_info`` facts and
``get_llm_provider`` for ~300 models drawn from the map, ``get_supported_openai_params``
for ~250 chat models, ``completion_cost`` for three usage shapes, ``token_counter`` for
texts, messages and tools, and ``validate_environment``. Every answer must be equal (exact
floats, lists, booleans and token counts) unless its model is listed in ``DIVERGENCES``
with the reason; a listed row that stops diverging fails, so the table stays true.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import edgequake_litellm
import edgequake_litellm.utils
from model_data.queries import answer, build

HERE = Path(__file__).resolve().parent
REF_PYTHON = Path(
    os.environ.get(
        "ELC_REF_LITELLM_PYTHON",
        Path.home() / ".cache/edgequake-litellm/ref-litellm-1.110.2/bin/python",
    )
)

#: (model regex, reason): models whose answers differ from litellm's on purpose or by a
#: gap this package documents (README, "Model data").
DIVERGENCES: list[tuple[str, str]] = [
    (
        r"^(github_copilot|chatgpt|anyscale)/|^fireworks-ai-above-16b$|^doubao-embedding|^j2-mid$",
        "litellm refuses these in get_llm_provider (sign-in providers, retired providers, "
        "pricing rows of a provider no longer listed); here the map's row answers",
    ),
    (
        r"^(aihubmix|gmi|llamagate|crusoe|together_ai)/",
        "litellm reads these providers' capabilities from its per-provider JSON registry, "
        "which is not bundled; here the map's row answers alone",
    ),
    (
        r"^fireworks_ai/|^dashscope/|^perplexity/|^bedrock_mantle/|^databricks/",
        "litellm's provider-specific pricing and capability rules (Fireworks' size tiers and "
        "cache pricing, DashScope and Perplexity tiers, Bedrock Mantle regional uplift, "
        "Databricks' model families); here the map's generic rule",
    ),
    (
        r"^azure/gpt-terra-latest$",
        "litellm's get_llm_provider answers an alias row with the aliased model's name; "
        "here the name asked for (the facts are the same)",
    ),
    (
        r"^gemini-2\.5-flash-native-audio|^deepseek-v4-flash-vision-exp$",
        "litellm's generalization rules and provider configs disagree for these rows; here "
        "the map's row wins",
    ),
]


def _divergence(model: str) -> str | None:
    return next((reason for pattern, reason in DIVERGENCES if re.search(pattern, model)), None)


@pytest.fixture(scope="module")
def pairs() -> list[tuple[dict[str, Any], Any, Any]]:
    if not REF_PYTHON.exists():
        pytest.skip(f"reference litellm venv missing ({REF_PYTHON}): scripts/test.sh builds it")
    queries = build()
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_API_BASE"))}
    ref = subprocess.run(
        [str(REF_PYTHON), str(HERE / "reference.py")],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert ref.returncode == 0, ref.stderr[-4000:]
    theirs = json.loads(ref.stdout)
    saved = {
        k: os.environ.pop(k) for k in list(os.environ) if k.endswith(("_API_KEY", "_API_BASE"))
    }
    try:
        ours = [json.loads(json.dumps(answer(edgequake_litellm, q))) for q in queries]
    finally:
        os.environ.update(saved)
    return list(zip(queries, theirs, ours))


@pytest.mark.timeout(600)
def test_answers_equal_litellm_except_documented_divergences(
    pairs: list[tuple[dict[str, Any], Any, Any]],
) -> None:
    unexplained = []
    used: set[str] = set()
    for q, theirs, ours in pairs:
        if theirs == ours:
            continue
        reason = _divergence(q.get("model", ""))
        if reason is None:
            unexplained.append((q["fn"], q.get("model"), theirs, ours))
        else:
            used.add(reason)
    assert not unexplained, json.dumps(unexplained[:20], indent=1)[:6000]
    stale = [reason for _, reason in DIVERGENCES if reason not in used]
    assert not stale, f"divergence rows that no longer diverge: {stale}"
    assert len(pairs) > 1500


def test_exact_where_it_matters_most(pairs: list[tuple[dict[str, Any], Any, Any]]) -> None:
    """Token counts and parameter lists have no divergence at all."""
    for q, theirs, ours in pairs:
        if q["fn"].startswith("tokens") or q["fn"] == "params":
            assert theirs == ours, (q["fn"], q.get("model"), theirs, ours)


if __name__ == "__main__":  # pragma: no cover - a debugging aid
    sys.exit(pytest.main([__file__, "-q"]))
