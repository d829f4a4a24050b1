#!/usr/bin/env bash
# Install the dev dependencies and run the whole suite: the README's second command.
#   Rust: cargo fmt --check, cargo clippy -D warnings, cargo test
#   Python: ruff, mypy --strict, stubtest, pytest (unit + fake-server + llama-server tiers)
# The llama.cpp llama-server used by the end-to-end tier is built once per machine into
# ~/.cache/edgequake-litellm (about 12 minutes on 2 cores), then reused.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v cmake >/dev/null || need_apt+=(cmake)
command -v g++ >/dev/null || need_apt+=(g++)
command -v curl >/dev/null || need_apt+=(curl)
command -v redis-server >/dev/null || need_apt+=(redis-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

# The end-to-end fixture builds in the background while the rest installs and checks.
bash tests/e2e/llama_server.sh build >/tmp/elc-llama-build.log 2>&1 &
llama_build=$!

[ -x .venv/bin/python ] || python3 -m venv .venv
. .venv/bin/activate
pip install -q --upgrade pip
pip install -q maturin
pip install -q -e '.[dev]'

cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test --quiet
ruff check python tests examples benches
ruff format --check python tests examples benches
mypy --strict python/edgequake_litellm
python -m mypy.stubtest edgequake_litellm._elc_core

if ! wait "$llama_build"; then
  cat /tmp/elc-llama-build.log >&2
  exit 1
fi
bash tests/e2e/llama_server.sh model >/dev/null
python -m pytest -q
