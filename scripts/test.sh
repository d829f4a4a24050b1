#!/usr/bin/env bash
# Install the dev dependencies and run the whole suite: the README's second command.
#   Rust: cargo fmt --check, cargo clippy -D warnings, cargo test
#   Python: ruff, mypy --strict, stubtest, pytest (unit + fake-server + llama-server tiers,
#   and the framework tier: five frameworks in venvs cached in ~/.cache/edgequake-litellm)
#   Workflows: zizmor --offline (no findings), check-jsonschema against the workflow schema
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
# So do the framework tier's venvs (tests/downstream; cached, rebuilt only when pins change).
bash scripts/downstream_venvs.sh >/tmp/elc-downstream-venvs.log 2>&1 &
downstream_build=$!

# tests/model_data compares the bundled model data with the litellm release it came from,
# installed alone in a venv of its own (cached; about a minute and 300 MB once per machine).
REF_LITELLM=${ELC_REF_LITELLM:-$HOME/.cache/edgequake-litellm/ref-litellm-1.110.2}
export ELC_REF_LITELLM_PYTHON="$REF_LITELLM/bin/python"
(
  if ! "$ELC_REF_LITELLM_PYTHON" -c "import litellm" 2>/dev/null; then
    rm -rf "$REF_LITELLM" && python3 -m venv "$REF_LITELLM" &&
      "$REF_LITELLM/bin/pip" install -q 'litellm==1.110.2'
  fi
) >/tmp/elc-ref-litellm.log 2>&1 &
ref_build=$!

[ -x .venv/bin/python ] || python3 -m venv .venv
. .venv/bin/activate
pip install -q --upgrade pip
pip install -q maturin
pip install -q -e '.[dev]'

cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test --quiet
ruff check python tests examples benches scripts
ruff format --check python tests examples benches scripts
mypy --strict python/edgequake_litellm
python -m mypy.stubtest edgequake_litellm._elc_core
zizmor --offline .github/workflows
check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

if ! wait "$llama_build"; then
  cat /tmp/elc-llama-build.log >&2
  exit 1
fi
bash tests/e2e/llama_server.sh model >/dev/null
if ! wait "$ref_build"; then
  cat /tmp/elc-ref-litellm.log >&2
  exit 1
fi
if ! wait "$downstream_build"; then
  cat /tmp/elc-downstream-venvs.log >&2
  exit 1
fi
ELC_DOWNSTREAM_REQUIRED=1 python -m pytest -q
