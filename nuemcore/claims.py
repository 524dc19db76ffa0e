"""Claims: every number a chapter sets beside a published one.

A :class:`Claim` holds ``chapter``, ``key``, ``ours``, ``paper``, ``unit``, ``ref`` (equation,
table or figure of the paper) and ``note`` (what is modelled, or why the numbers differ).
``ours``/``paper`` are floats or ``[low, high]`` intervals; ``paper`` is None for a result the paper
does not have.

Each chapter's analysis module ``nuemcore.analyses.<chapter>`` defines ``claims() -> list[Claim]``
that computes its numbers live; :func:`collect` gathers them (chapters whose module does not
exist yet are simply absent).
"""
from __future__ import annotations

import importlib
import importlib.util
import math
from dataclasses import asdict, dataclass
from typing import Optional, Sequence, Union

Number = Union[float, Sequence[float]]

#: chapter name -> analysis module (the order is the book's order)
CHAPTERS = {
    "toolkit": "nuemcore.analyses.toolkit",
    "fpf": "nuemcore.analyses.fpf",
    "dune": "nuemcore.analyses.dune",
    "dark_moments": "nuemcore.analyses.dark_moments",
    "sterile_tmm": "nuemcore.analyses.sterile_tmm",
    "solar_cevns": "nuemcore.analyses.solar_cevns",
}


def _plain(x):
    if x is None:
        return None
    if isinstance(x, (list, tuple)):
        return [float(v) for v in x]
    return float(x)


@dataclass(frozen=True)
class Claim:
    chapter: str
    key: str
    ours: Number
    paper: Optional[Number]
    unit: str
    ref: str
    note: str = ""

    def __post_init__(self):
        if self.chapter not in CHAPTERS:
            raise ValueError(f"unknown chapter {self.chapter!r}; expected one of {list(CHAPTERS)}")
        object.__setattr__(self, "ours", _plain(self.ours))
        object.__setattr__(self, "paper", _plain(self.paper))

    @property
    def ratio(self) -> Optional[Number]:
        """ours / paper (element-wise for intervals); None without a paper value or at 0."""
        if self.paper is None:
            return None
        if isinstance(self.paper, list):
            return [o / p if p else None for o, p in zip(self.ours, self.paper)]
        return self.ours / self.paper if self.paper else None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["ratio"] = self.ratio
        return d


def collect(chapter: Optional[str] = None) -> list[Claim]:
    """Compute the claims of one chapter (or of every chapter whose module exists)."""
    names = [chapter] if chapter else list(CHAPTERS)
    out: list[Claim] = []
    for name in names:
        if name not in CHAPTERS:
            raise ValueError(f"unknown chapter {name!r}; expected one of {list(CHAPTERS)}")
        modname = CHAPTERS[name]
        if importlib.util.find_spec(modname) is None:
            if chapter:
                raise ValueError(f"chapter {name!r} has no analysis module {modname} yet")
            continue
        out.extend(importlib.import_module(modname).claims())
    return out


def _fmt(x) -> str:
    if x is None:
        return "–"
    if isinstance(x, list):
        return "[" + ", ".join(_fmt(v) for v in x) + "]"
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    return f"{x:.3g}"


def markdown_table(claims: Sequence[Claim], with_chapter: bool = False) -> str:
    """A Markdown table of claims (paper, ours, ratio, reference, note), numbers to 3 digits."""
    head = (["chapter"] if with_chapter else []) + ["quantity", "paper", "ours", "ours/paper",
                                                     "unit", "ref", "note"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for c in claims:
        cells = ([c.chapter] if with_chapter else []) + [
            c.key, _fmt(c.paper), _fmt(c.ours), _fmt(c.ratio), c.unit, c.ref,
            c.note.replace("|", "/").replace("\n", " ")]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
