#!/usr/bin/env python3
"""Check _toc.yml against the files in book/.

Fails (exit 1) if a file listed in the table of contents does not exist, if a notebook under
book/ tracked by git is not listed (a notebook that is not in the toc would be neither built nor
tested), or if the scoreboard notebook would not be executed last: jupyter-book executes notebooks
in sorted docname order, and the scoreboard reads the claims that the chapter notebooks record
when they run (nuemcore.claims.show_and_record), so its path must sort after every other notebook.
Usage: python scripts/check_toc.py [--list]   (--list prints the listed files, one a line)
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = (".ipynb", ".md")


def _entries(node):
    if isinstance(node, dict):
        if "file" in node:
            yield node["file"]
        for key in ("chapters", "sections", "parts"):
            for child in node.get(key, []) or []:
                yield from _entries(child)
    elif isinstance(node, list):
        for child in node:
            yield from _entries(child)


def listed_files(toc_path: Path = ROOT / "_toc.yml") -> tuple[list[Path], list[str]]:
    """(existing files listed in the toc, in book order; toc entries with no file)."""
    toc = yaml.safe_load(toc_path.read_text())
    names = [toc["root"], *_entries(toc)]
    found, missing = [], []
    for name in names:
        hits = [ROOT / f"{name}{s}" for s in SUFFIXES if (ROOT / f"{name}{s}").is_file()]
        if (ROOT / name).is_file() and Path(name).suffix in SUFFIXES:
            hits = [ROOT / name]
        if hits:
            found.append(hits[0])
        else:
            missing.append(name)
    return found, missing


def book_notebooks() -> list[Path]:
    """Notebooks under book/: those tracked by git (work in progress of others that is not yet
    committed does not count), or every notebook when this is not a git checkout."""
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--", "book/*.ipynb", "book/**/*.ipynb"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        paths = [ROOT / line for line in out.splitlines() if line]
    except (OSError, subprocess.CalledProcessError):
        paths = list((ROOT / "book").rglob("*.ipynb"))
    return sorted(p for p in paths if ".ipynb_checkpoints" not in p.parts and "_build" not in p.parts)


SCOREBOARD = "book/wrap_up/scoreboard.ipynb"


def scoreboard_sorts_last(notebooks: list[str], scoreboard: str = SCOREBOARD) -> list[str]:
    """The notebooks (paths relative to the root) whose docname sorts after the scoreboard's,
    i.e. that jupyter-book would execute after it; empty when the scoreboard runs last."""
    board = str(Path(scoreboard).with_suffix(""))
    return sorted(nb for nb in notebooks if nb != scoreboard and str(Path(nb).with_suffix("")) > board)


def main(argv: list[str]) -> int:
    found, missing = listed_files()
    if "--list" in argv:
        print("\n".join(str(p.relative_to(ROOT)) for p in found))
        return 0
    listed = {p.resolve() for p in found}
    unlisted = [p.relative_to(ROOT) for p in book_notebooks() if p.resolve() not in listed]
    ok = True
    for name in missing:
        print(f"_toc.yml lists {name!r} but no {name}.ipynb / {name}.md exists", file=sys.stderr)
        ok = False
    for p in unlisted:
        print(f"{p} is not listed in _toc.yml (add it, or remove the notebook)", file=sys.stderr)
        ok = False
    rel = [str(p.relative_to(ROOT)) for p in found if p.suffix == ".ipynb"]
    if SCOREBOARD in rel:
        for nb in scoreboard_sorts_last(rel):
            print(f"{nb} sorts after {SCOREBOARD}: jupyter-book would execute it after the "
                  "scoreboard, which then misses its claims (rename one of them)", file=sys.stderr)
            ok = False
    if ok:
        print(f"_toc.yml OK: {len(found)} files, every notebook under book/ listed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
