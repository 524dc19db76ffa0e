"""Reproduction scoreboard: ``python -m nuemcore.scoreboard --json [--chapter NAME]``.

Computes every chapter's claims live (see :mod:`nuemcore.claims`) and prints them as JSON (or as a
Markdown table without ``--json``).
"""
from __future__ import annotations

import argparse
import json
import sys

from .claims import CHAPTERS, collect, markdown_table


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nuemcore.scoreboard", description=__doc__)
    ap.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    ap.add_argument("--chapter", choices=list(CHAPTERS), help="only this chapter")
    args = ap.parse_args(argv)
    claims = collect(args.chapter)
    if args.json:
        json.dump([c.as_dict() for c in claims], sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(markdown_table(claims, with_chapter=True))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
