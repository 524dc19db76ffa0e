"""Content hash that keys the book's execution cache (used by the Makefile).

``python scripts/core_hash.py [ROOT]`` prints one sha256 over

* the path and bytes of every ``*.py`` / ``*.json`` file under ``ROOT/nuemcore`` (so an edit that
  keeps the old mtime, e.g. ``cp -p`` or ``rsync -a``, a deleted module and a new one all change it);
  this includes the data registry ``nuemcore/data/registry.json``;
* the installed distributions of the running interpreter (name==version, like ``pip freeze``),
  so a change of the venv changes it too.

No mtimes are used.  Cost: a few ms plus reading ~0.5 MB.
"""
from __future__ import annotations

import hashlib
import sys
from importlib import metadata
from pathlib import Path


def installed() -> list[str]:
    """Sorted ``name==version`` of every distribution visible to this interpreter."""
    out = set()
    for d in metadata.distributions():
        name = d.metadata.get("Name") or ""
        out.add(f"{name.lower()}=={d.version}")
    return sorted(out)


def core_hash(root: Path, packages: list[str] | None = None) -> str:
    root = Path(root)
    h = hashlib.sha256()
    files = sorted(p for p in (root / "nuemcore").rglob("*")
                   if p.is_file() and p.suffix in (".py", ".json") and "__pycache__" not in p.parts)
    for p in files:
        rel = p.relative_to(root).as_posix().encode()
        data = p.read_bytes()
        h.update(b"F\0" + rel + b"\0" + str(len(data)).encode() + b"\0" + data)
    for line in installed() if packages is None else packages:
        h.update(b"P\0" + line.encode() + b"\n")
    return h.hexdigest()


if __name__ == "__main__":
    print(core_hash(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()))
