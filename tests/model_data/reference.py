"""Answer the model-data queries with litellm itself (run with the reference venv's Python).

Reads the queries as JSON on stdin, writes the answers as JSON on stdout. Offline: the
bundled model map (``LITELLM_LOCAL_MODEL_COST_MAP``), no telemetry, no key in the env.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
os.environ["LITELLM_TELEMETRY"] = "False"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import litellm
from queries import answer

litellm.disable_hf_tokenizer_download = True
queries = json.load(sys.stdin)
with contextlib.redirect_stdout(io.StringIO()):
    answers = [answer(litellm, q) for q in queries]
json.dump(answers, sys.stdout)
