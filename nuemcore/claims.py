"""Claims: every number a chapter sets beside a published one.

A :class:`Claim` holds ``chapter``, ``key``, ``ours``, ``paper``, ``unit``, ``ref`` (equation,
table or figure of the paper) and ``note`` (what is modelled, or why the numbers differ).
``ours``/``paper`` are floats or ``[low, high]`` intervals; ``paper`` is None for a result the paper
does not have.

Every claim says what it is (``status``, one of :data:`STATUSES`):

- ``"reproduced"``: within the tolerance the chapter states, and never beyond 30 %;
- ``"explained"``: the book demonstrates the cause of the difference with a computation;
  ``evidence`` names the section anchor or test that shows it;
- ``"hypothesis"``: a plausible cause that the book does not demonstrate;
- ``"unexplained"``: we do not know why the numbers differ;
- ``"input"``: a number read from a source, not a reproduction;
- ``"beyond"``: a result with no paper value.

``anchor`` is the label of the chapter section where the number is computed (the results-at-a-glance
table links to it) and ``headline`` marks the few claims shown at the top of a chapter.

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

#: what a claim is (see the module docstring)
STATUSES = ("reproduced", "explained", "hypothesis", "unexplained", "input", "beyond")

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
    status: Optional[str] = None
    evidence: str = ""
    anchor: str = ""
    headline: bool = False

    def __post_init__(self):
        if self.chapter not in CHAPTERS:
            raise ValueError(f"unknown chapter {self.chapter!r}; expected one of {list(CHAPTERS)}")
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"claim {self.key!r}: status={self.status!r}; expected one of {STATUSES}")
        if self.status == "explained" and not self.evidence:
            raise ValueError(f"claim {self.key!r}: status 'explained' needs evidence "
                             "(the section anchor or test that shows the cause)")
        if self.status == "beyond" and self.paper is not None:
            raise ValueError(f"claim {self.key!r}: status 'beyond' but a paper value is given")
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
