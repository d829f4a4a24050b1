#!/usr/bin/env bash
# Install edgequake_litellm and run examples/quickstart.py: the README's first command.
# Without OPENAI_API_KEY it runs against llama.cpp's llama-server on loopback, built once
# per machine into ~/.cache/edgequake-litellm (about 12 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
. .venv/bin/activate
pip install -q --upgrade pip
pip install -q .
if [ -z "${OPENAI_API_KEY:-}" ]; then
  bash tests/e2e/llama_server.sh build >/dev/null
  bash tests/e2e/llama_server.sh model >/dev/null
fi
python examples/quickstart.py
