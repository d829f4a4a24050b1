#!/bin/sh
# The release smoke tier against one built artifact, in a fresh venv:
#   sh scripts/smoke.sh PYTHON ARTIFACT      (ARTIFACT: a wheel, or an sdist to build)
# Installs ARTIFACT with pytest, pytest-timeout and openai (the smoke tests validate against
# openai's types) into a new venv made by PYTHON, checks the package imports from that venv,
# not from this checkout, and runs the tests marked `smoke` (a completion, tool calls, sync
# and async streams, errors, the version) against tests/fakeprov's servers on loopback.
# POSIX sh: runs in Alpine containers and in Git Bash on Windows as well as here.
set -eu
[ $# -eq 2 ] || { echo "usage: smoke.sh PYTHON ARTIFACT" >&2; exit 2; }
python=$1
artifact=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$python" -m venv "$tmp/venv"
py=$tmp/venv/bin/python
[ -x "$py" ] || py=$tmp/venv/Scripts/python.exe
"$py" -m pip install -q --disable-pip-version-check "$artifact" pytest pytest-timeout openai
"$py" - <<'PY'
import sys
from pathlib import Path

import edgequake_litellm

where = Path(edgequake_litellm.__file__).resolve()
if Path(sys.prefix).resolve() not in where.parents:
    sys.exit(f"smoke: edgequake_litellm imported from {where}, not from the venv")
print(f"smoke: edgequake_litellm {edgequake_litellm.__version__} on Python {sys.version.split()[0]}")
PY
"$py" -m pytest -q -p no:cacheprovider -m smoke \
  tests/test_completion.py tests/test_streaming.py tests/test_errors.py tests/test_release.py
