#!/usr/bin/env bash
# Reproduce the README's performance table from scratch:
#   bash benches/run.sh                  # full run (3 repeats), writes benches/results/latest.{json,md}
#   BENCH_QUICK=1 bash benches/run.sh    # small counts, 1 repeat: a smoke run of the harness
# Optional: BENCH_REPEATS=N, BENCH_CLIENTS="edgequake_litellm httpx" (a subset),
#           BENCH_FAMILIES="sync stream_sync" (a subset of orchestrate.py's FAMILIES),
#           BENCH_CACHE=DIR (venvs and the wheel; default ~/.cache/edgequake-litellm/bench-venvs),
#           BENCH_OUT=DIR (where latest.{json,md} go; default benches/results).
#
# Installs nginx and wrk (Debian packages) if missing, builds this checkout once with
# `maturin build --release`, makes one venv per client, starts nginx on 127.0.0.1 with the
# canned bodies in a temp dir, and runs benches/orchestrate.py against it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=${BENCH_CACHE:-$HOME/.cache/edgequake-litellm/bench-venvs}
PY=${BENCH_PYTHON:-python3}

# The clients (see benches/clients.py). litellm is pinned away from 1.82.7 / 1.82.8,
# the compromised releases.
declare -A SPEC=(
  [litellm]="litellm==1.83.14"
  [openai]="openai==3.54.0"
  [edgequake_litellm_0104]="edgequake-litellm==0.10.4"
  [httpx]="httpx==0.28.1"
  [aiohttp]="aiohttp==3.14.5"
)
# litellm reads its model cost map from the network at import unless told otherwise.
export LITELLM_LOCAL_MODEL_COST_MAP=True

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
export PATH=$PATH:/usr/sbin

mkdir -p "$CACHE"
# venv NAME SPEC...: (re)make the venv only when what it should hold changed.
venv() {
  local name=$1; shift
  local dir=$CACHE/$name
  if [ "$(cat "$dir/.bench-spec" 2>/dev/null)" != "$*" ]; then
    rm -rf "$dir"
    "$PY" -m venv "$dir"
    "$dir/bin/pip" install -q --disable-pip-version-check "$@"
    echo "$*" >"$dir/.bench-spec"
  fi
}

# This checkout, built once per source state into a release wheel.
venv tools maturin
src_hash=$(git ls-files -z src python Cargo.toml Cargo.lock pyproject.toml \
  | xargs -0 sha256sum | sha256sum | cut -c1-16)
wheel_dir=$CACHE/wheel-$src_hash
if ! ls "$wheel_dir"/*.whl >/dev/null 2>&1; then
  echo "building the release wheel (maturin build --release)..." >&2
  "$CACHE/tools/bin/maturin" build --release -q -o "$wheel_dir.tmp" >&2
  rm -rf "$wheel_dir" && mv "$wheel_dir.tmp" "$wheel_dir"
fi
venv edgequake_litellm "$(ls "$wheel_dir"/*.whl)"
# Only the clients this run measures (BENCH_CLIENTS, default all).
for name in ${BENCH_CLIENTS:-${!SPEC[@]}}; do
  if [ -n "${SPEC[$name]:-}" ]; then venv "$name" ${SPEC[$name]}; fi
done

work=$(mktemp -d)
trap '"$PY" benches/server.py stop "$work"; rm -rf "$work"' EXIT
port=$("$PY" benches/server.py start "$work")
BENCH_PORT=$port BENCH_SERVER_DIR=$work BENCH_VENVS=$CACHE \
  "$PY" benches/orchestrate.py "${BENCH_OUT:-$ROOT/benches/results}"
