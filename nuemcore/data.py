"""Locate and verify the input data in ``../shared/data`` (read in place, never copied).

The data root is, in order: the environment variable ``NUEM_DATA``; ``<repo>/../shared/data``
(the layout of a checkout next to ``shared/``).  Every file loaded goes through :func:`path`,
which checks it against the SHA-256 manifest ``nuemcore/data_manifest.json`` kept in the
repository, so a changed or missing input fails loudly with its path.

Regenerate the manifest (after a deliberate data update) with
``python -m nuemcore.data --update-manifest``.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path

from .errors import DataFileError

ENV_VAR = "NUEM_DATA"
_MANIFEST = Path(__file__).with_name("data_manifest.json")


def root() -> Path:
    """The data root directory (see module docstring); raises DataFileError if absent."""
    env = os.environ.get(ENV_VAR)
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parent.parent.parent / "shared" / "data")
    for c in candidates:
        if c.is_dir():
            return c
    raise DataFileError(
        "input data not found: looked in "
        + ", ".join(str(c) for c in candidates)
        + f". Put the shared data beside the repository or set {ENV_VAR}."
    )


@functools.lru_cache(maxsize=None)
def _manifest() -> dict:
    return json.loads(_MANIFEST.read_text())


def _sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@functools.lru_cache(maxsize=None)
def path(relpath: str, verify: bool = True) -> Path:
    """Absolute path of ``relpath`` (relative to the data root), checked to exist and, with
    ``verify``, to match its SHA-256 in the manifest.  Raises :class:`DataFileError` naming the
    path otherwise."""
    p = root() / relpath
    if not p.is_file():
        raise DataFileError(f"missing data file: {p} (expected under {root()})")
    if verify:
        expected = _manifest().get(relpath)
        if expected is None:
            raise DataFileError(f"{relpath} is not in the checksum manifest {_MANIFEST}")
        if _sha256(p) != expected:
            raise DataFileError(f"checksum mismatch for {p}: the file differs from the manifest")
    return p


def update_manifest() -> int:
    """Rewrite the manifest from every file under the data root; returns the number of files."""
    r = root()
    sums = {str(p.relative_to(r)): _sha256(p) for p in sorted(r.rglob("*")) if p.is_file()}
    _MANIFEST.write_text(json.dumps(sums, indent=1, sort_keys=True) + "\n")
    return len(sums)


if __name__ == "__main__":  # pragma: no cover
    if "--update-manifest" in sys.argv:
        print(f"{update_manifest()} files in manifest")
    else:
        print(root())
