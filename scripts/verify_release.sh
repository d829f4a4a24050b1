#!/usr/bin/env bash
# Verify here what a release builds, as far as one Linux x86_64 machine can:
#   bash scripts/verify_release.sh
# 1. a manylinux2014 x86_64 wheel (maturin --release --zig, zig from PyPI's `ziglang`):
#    `auditwheel show` finds it manylinux2014-compliant (glibc <= 2.17), `abi3audit` finds no
#    abi3 violation, `check-wheel-contents` passes, scripts/check_dist.py (no .pth, <= 5 MB);
# 2. the sdist: built, checked, installed in a fresh venv (a release build from source) and
#    run through the smoke tier;
# 3. the wheel's smoke tier on every CPython from 3.9 to 3.13 (pyenv's), each in its own venv.
# Artifacts and the tools' venv stay in target/verify-release/. An LTO release build takes
# about 10 minutes on 2 cores (the sdist's about as long again); the build runs under nice.
# Not part of scripts/test.sh: CI builds the release wheels in .github/workflows/release.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/verify-release
rm -rf "$work/dist"
mkdir -p "$work/dist"

step() { printf '\n== [%ss] %s\n' "$SECONDS" "$*"; }

step "tools"
[ -x "$work/tools/bin/python" ] || python3 -m venv "$work/tools"
"$work/tools/bin/pip" install -q --disable-pip-version-check \
  'maturin>=1.7,<2' ziglang auditwheel abi3audit check-wheel-contents
export PATH="$PWD/$work/tools/bin:$PATH"

step "wheel: maturin build --release --zig --compatibility manylinux2014"
nice -n 10 maturin build --release --zig --compatibility manylinux2014 \
  --target x86_64-unknown-linux-gnu --out "$work/dist"
wheel=$(ls "$work"/dist/*.whl)
step "sdist: maturin sdist"
maturin sdist --out "$work/dist"
sdist=$(ls "$work"/dist/*.tar.gz)

step "auditwheel show"
report=$(auditwheel show "$wheel")
echo "$report"
# auditwheel wraps its lines: join them before reading the tag it finds the wheel consistent with.
glibc_minor=$(tr -s '\n ' '  ' <<<"$report" |
  grep -o 'consistent with the following platform tag: "manylinux_2_[0-9]*_x86_64"' |
  sed 's/.*manylinux_2_\([0-9]*\)_x86_64"/\1/')
if [ -z "$glibc_minor" ] || [ "$glibc_minor" -gt 17 ]; then
  echo "verify_release: the wheel is not manylinux2014 (glibc 2.17) compliant" >&2
  exit 1
fi

step "abi3audit --strict"
abi3audit --strict --report "$wheel"

step "check-wheel-contents"
check-wheel-contents "$wheel"

step "check_dist (no .pth, wheel size)"
python3 scripts/check_dist.py "$wheel" "$sdist"
ls -l "$wheel" "$sdist"

step "sdist: install in a fresh venv (release build from source), smoke tier"
nice -n 10 sh scripts/smoke.sh python3 "$sdist"

for version in 3.9 3.10 3.11 3.12 3.13; do
  python=$(ls -d "$HOME"/.pyenv/versions/"$version".*/bin/python 2>/dev/null | sort -V | tail -1)
  if [ -z "$python" ]; then
    echo "verify_release: no CPython $version under ~/.pyenv/versions" >&2
    exit 1
  fi
  step "wheel smoke tier on $("$python" --version)"
  sh scripts/smoke.sh "$python" "$wheel"
done

step "verify_release: all checks passed"
