"""Check release artifacts before they are published: no ``.pth`` file, wheels within size.

Usage: ``python scripts/check_dist.py DIST_FILE...`` (wheels ``*.whl`` and sdists ``*.tar.gz``).
Exits 1 and names every offending file when a check fails. A ``.pth`` file runs code at every
interpreter start-up (the 2026 litellm 1.82.8 compromise shipped one), so none may ship; a wheel
over the size limit means debug info or a second copy of the native module slipped in.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from pathlib import Path

#: Largest wheel accepted, in bytes (the issue's 5 MB; a release wheel is about 2 MB).
MAX_WHEEL_BYTES = 5 * 1024 * 1024


def members(path: Path) -> list[str]:
    """The file names inside a wheel or sdist; ``ValueError`` for any other kind of file."""
    if path.name.endswith(".whl"):
        with zipfile.ZipFile(path) as zf:
            return zf.namelist()
    if path.name.endswith(".tar.gz"):
        with tarfile.open(path) as tf:
            return tf.getnames()
    raise ValueError(f"{path}: not a wheel or an sdist")


def problems(path: Path) -> list[str]:
    """Every reason ``path`` must not be published (empty when it may)."""
    found = [f"{path.name}: ships {name}" for name in members(path) if name.endswith(".pth")]
    size = path.stat().st_size
    if path.name.endswith(".whl") and size > MAX_WHEEL_BYTES:
        found.append(f"{path.name}: {size} bytes, over the {MAX_WHEEL_BYTES} byte limit")
    return found


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: check_dist.py DIST_FILE...", file=sys.stderr)
        return 2
    found = [p for arg in argv for p in problems(Path(arg))]
    for line in found:
        print(line, file=sys.stderr)
    if not found:
        print(f"check_dist: {len(argv)} artifact(s), no .pth file, wheels within size")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
