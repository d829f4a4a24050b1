#!/usr/bin/env bash
# Build the framework tier's venvs (tests/downstream): one per framework, from its pins file,
# cached outside the repo in ~/.cache/edgequake-litellm/downstream-venvs/<name>-<hash of pins>.
# A venv whose pins did not change is reused. litellm is not in the pins (installs use --no-deps)
# so the checks can only pass through `sys.modules["litellm"] = edgequake_litellm`.
# This package itself is not installed there: the checks put the worktree's python/ (with the
# extension built by `maturin develop` / `pip install -e`) on PYTHONPATH.
# Usage: scripts/downstream_venvs.sh            build every missing venv
#        scripts/downstream_venvs.sh --path NAME  print NAME's venv directory
set -euo pipefail
cd "$(dirname "$0")/.."
pins=tests/downstream/frameworks/pins
root="${ELC_DOWNSTREAM_VENVS:-$HOME/.cache/edgequake-litellm/downstream-venvs}"

venv_dir() { echo "$root/$1-$(sha256sum "$pins/$1.txt" | cut -c1-12)"; }

if [ "${1:-}" = "--path" ]; then
  venv_dir "$2"
  exit 0
fi

mkdir -p "$root"
for file in "$pins"/*.txt; do
  name=$(basename "$file" .txt)
  dir=$(venv_dir "$name")
  [ -e "$dir/.complete" ] && continue
  rm -rf "$dir"
  python3 -m venv "$dir"
  nice "$dir/bin/pip" install -q --upgrade pip
  nice "$dir/bin/pip" install -q --no-deps -r "$file"
  touch "$dir/.complete"
  # Older venvs of this framework (other pins) are left for the user to delete.
done
