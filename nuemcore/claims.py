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

Showing claims in a chapter (see README.md, "Claims in a chapter"):

- :func:`glance` ``(chapter)``: the results-at-a-glance table of the chapter's ``headline``
  claims, each with a link down to its ``anchor`` section (put it right after the introduction);
- :func:`show_and_record` ``(chapter)``: the chapter's last cell; computes the claims, writes
  ``_build/claims/<chapter>.json`` (with a :func:`fingerprint` of the sources) for the
  scoreboard page, and returns the full claims table for display;
- :func:`load_recorded`: what the scoreboard reads; fails if a chapter is missing or stale.

Rendering: :func:`markdown_table` (MathJax units, escaped cells, a ``status`` column, notes folded
in ``<details>``), :func:`format_number`, :func:`format_unit`, :func:`format_ref`.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import math
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional, Sequence, Union

from .errors import NuemError

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


#: chapter name -> its notebook (relative to the repository root), where its anchors live
NOTEBOOKS = {
    "toolkit": "book/toolkit/toolkit.ipynb",
    "fpf": "book/fpf_dipole_portal/fpf_dipole_portal.ipynb",
    "dune": "book/dune_em_properties/dune_em_properties.ipynb",
    "dark_moments": "book/dark_moments/dark_moments.ipynb",
    "sterile_tmm": "book/sterile_transition_moments/sterile_transition_moments.ipynb",
    "solar_cevns": "book/solar_cevns/solar_cevns.ipynb",
}

#: chapter name -> the number of its source paper in ../shared/papers (PAPERS.md); toolkit has none
CHAPTER_PAPER = {"fpf": "000", "dune": "001", "dark_moments": "002", "sterile_tmm": "003",
                 "solar_cevns": "004"}
#: paper number -> short name, used when a claim cites a paper other than its chapter's
PAPER_SHORT = {"000": "Ismail+ 2022", "001": "Mathur+ 2022", "002": "Herrera+ 2024",
               "003": "Miranda+ 2021", "004": "De Romeri+ 2025"}

#: the repository root (the folder that holds nuemcore/); recorded claims go to <ROOT>/_build/claims
ROOT = Path(__file__).resolve().parent.parent


class ClaimsError(NuemError):
    """A claims table cannot be made: missing anchor or headline, unrecorded or stale chapter."""


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


_COMPUTED: dict[str, list[Claim]] = {}


def chapter_claims(chapter: str) -> list[Claim]:
    """``collect(chapter)``, computed once per Python process: a chapter notebook's glance cell
    (:func:`glance_table`) and its last cell (:func:`show_and_record`) share one computation.
    (The imported nuemcore code cannot change within a kernel without a restart or a reload.)"""
    if chapter not in _COMPUTED:
        _COMPUTED[chapter] = collect(chapter)
    return list(_COMPUTED[chapter])


# ---------------------------------------------------------------------------------------------
# formatting (shared by the chapter tables, the glance tables and the scoreboard page)

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
#: the mark of a missing value (no paper value, a ratio at a zero paper value, a non-finite number)
DASH = "—"


def format_number(x) -> str:
    """A number to 3 significant digits as plain text: ``6.66×10⁻⁹``, ``0.259``, ``[1, 2]``.

    Intervals ``[low, high]`` are formatted end by end. None and NaN give ``—`` (never "nan");
    ±inf give ``∞``/``-∞``. Unicode only (no TeX), so it reads the same in Markdown, HTML and JSON.
    """
    if x is None:
        return DASH
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(format_number(v) for v in x) + "]"
    x = float(x)
    if math.isnan(x):
        return DASH
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    s = f"{x:.3g}"
    if "e" in s:
        mant, exp = s.split("e")
        s = f"{mant}×10{str(int(exp)).translate(_SUPERSCRIPT)}"
    return s


# unit tokens: a symbol with an optional exponent, e.g. cm^-2, ab^-1, keV^-2, cm^2, mu_B
_SPECIAL_TEX = {"mu_B": r"\mu_B", "e": "e", "eta": r"\eta"}
_SPECIAL_HTML = {"mu_B": "μ<sub>B</sub>", "e": "<i>e</i>", "eta": "η"}
_POWER = re.compile(r"^([A-Za-z]+)\^\{?(-?\d+(?:\.\d+)?)\}?$")


def _unit_tokens(unit: str):
    """Split a unit string into (token, kind) with kind 'power' (cm^-2), 'special' (mu_B) or
    'text' (words, numbers, separators)."""
    for tok in re.split(r"(\s+|/)", unit):
        if not tok:
            continue
        if tok in _SPECIAL_TEX:
            yield tok, "special"
        elif _POWER.match(tok):
            yield tok, "power"
        else:
            yield tok, "text"


def format_unit(unit: str) -> str:
    """A claim's unit as Markdown with MathJax: ``"cm^-2 s^-1"`` -> ``$\\mathrm{cm^{-2}\\,s^{-1}}$``,
    ``"mu_B"`` -> ``$\\mu_B$``, ``"cm^2"`` -> ``$\\mathrm{cm^{2}}$``, ``"e"`` -> ``$e$``; words and
    plain symbols stay text (``"events / 3 ab^-1"`` -> ``events / 3 $\\mathrm{ab^{-1}}$``).
    Adjacent powers share one math span, joined by a thin space. A unit already holding ``$`` is
    returned as it is."""
    if not unit or "$" in unit:
        return unit or ""
    out, run = [], []   # run: TeX pieces of the current math span

    def flush():
        if run:
            out.append("$" + r"\,".join(run) + "$")
            run.clear()
    pending_space = ""
    for tok, kind in _unit_tokens(unit):
        if kind == "power":
            sym, exp = _POWER.match(tok).groups()
            piece = rf"\mathrm{{{sym}^{{{exp}}}}}"
        elif kind == "special":
            piece = _SPECIAL_TEX[tok]
        elif tok.isspace():
            pending_space = tok
            continue
        else:
            flush()
            out.append(pending_space + _escape_md(tok))
            pending_space = ""
            continue
        if run and pending_space:          # two powers in a row: one span, thin space
            pending_space = ""
        elif pending_space:
            out.append(pending_space)
            pending_space = ""
        run.append(piece)
    flush()
    s = "".join(out)
    # merge "\mathrm{a}\,\mathrm{b}" into "\mathrm{a\,b}" (as physicists write it)
    return re.sub(r"\}\}\\,\\mathrm\{", r"}\\,", s)


def format_unit_html(unit: str) -> str:
    """A claim's unit as HTML with Unicode (no TeX): ``"cm^-2 s^-1"`` -> ``cm⁻² s⁻¹``,
    ``"mu_B"`` -> ``μ<sub>B</sub>``. Used by the scoreboard's sortable table, whose rows are
    redrawn by JavaScript after MathJax has run."""
    import html
    out = []
    for tok, kind in _unit_tokens(unit or ""):
        if kind == "power":
            sym, exp = _POWER.match(tok).groups()
            out.append(html.escape(sym) + exp.translate(_SUPERSCRIPT))
        elif kind == "special":
            out.append(_SPECIAL_HTML[tok])
        else:
            out.append(html.escape(tok))
    return "".join(out)


_REF_KIND = [  # (pattern at the start of a reference part, canonical word)
    (re.compile(r"^(?:tab(?:le)?\.?)\s*", re.I), "Tab. "),
    (re.compile(r"^(?:fig(?:ure)?s?\.?)\s*", re.I), "Fig. "),
    (re.compile(r"^(?:eqs?\.?|equations?)\s*", re.I), "eq. "),
    (re.compile(r"^(?:sec(?:tion)?s?\.?|§)\s*", re.I), "sec. "),
    (re.compile(r"^(?:app(?:endix)?\.?)\s*", re.I), "App. "),
]


def _ref_part(part: str) -> Optional[str]:
    """'Table I (implied)' -> 'Tab. I (implied)', 'eq. (13)' -> 'eq. 13'; None if not a paper part."""
    part = part.strip()
    for pat, word in _REF_KIND:
        m = pat.match(part)
        if m:
            rest = part[m.end():].strip()
            rest = re.sub(r"^\((\w[\w.\-–]*)\)", r"\1", rest)   # eq. (13) -> eq. 13
            rest = re.sub(r"\s+text$", "", rest)                 # sec. VI text -> sec. VI
            return word + rest
    return None


def format_ref(ref: str, chapter: Optional[str] = None) -> str:
    """The one vocabulary of the ref column.

    - a result beyond the paper (``""``, ``"beyond"``, ``"beyond the paper"``, ``"beyond 004"``,
      ``"beyond the paper (sec. 5 outlook)"``) -> ``"—"`` (a parenthesised remark is kept:
      ``"— (sec. 5 outlook)"``);
    - a place in the chapter's paper (``"Table I"``, ``"Table 1"``, ``"eq. (13)"``, ``"004 eq. 16-18"``
      in the chapter of paper 004, ``"sec. VI text / Fig. 3"``) -> ``"paper Tab. I"``, ``"paper Tab. 1"``,
      ``"paper eq. 13"``, ``"paper eq. 16-18"``, ``"paper sec. VI, Fig. 3"``;
    - a place in another of the five papers (``"002 eq. 13"`` in the toolkit) ->
      ``"Herrera+ 2024 eq. 13"``;
    - anything else names a third-party source (``"Kling 2021 CC file"``) and is kept verbatim.
    """
    ref = (ref or "").strip()
    low = ref.lower()
    if not ref or low.startswith("beyond"):
        m = re.search(r"\(([^()]*)\)\s*$", ref)
        return f"{DASH} ({m.group(1)})" if m else DASH
    who = "paper"
    m = re.match(r"^(00[0-4])\s+(.*)$", ref)
    if m:
        if CHAPTER_PAPER.get(chapter or "") != m.group(1):
            who = PAPER_SHORT[m.group(1)]
        ref = m.group(2)
    head, paren = ref, ""
    m = re.match(r"^(.*?)\s*(\((?:[^()]*)\))$", ref)
    if m and _ref_part(m.group(1).split("/")[-1]) is not None and not re.match(r"^\(\w[\w.\-–]*\)$", m.group(2)) \
            or (m and _ref_part(m.group(2)[1:-1]) is not None):
        head, paren = m.group(1), " " + m.group(2)
    parts, word = [], None
    for p in head.split("/"):
        part = _ref_part(p)
        if part is None and word and re.match(r"^[\w.\-–]+$", p.strip()):
            part = word + p.strip()           # "sec. 2.3 / 4": the 4 is a section too
        word = next((w for pat, w in _REF_KIND if part and part.startswith(w)), None)
        parts.append(part)
    if not all(parts):
        return (ref if who == "paper" else f"{who} {ref}")
    return f"{who} " + ", ".join(parts) + _normalise_paren(paren)


def _normalise_paren(paren: str) -> str:
    if not paren:
        return ""
    inner = paren.strip()[1:-1]
    part = _ref_part(inner)
    return f" ({part or inner})"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>$|~#])")


def _escape_md(text) -> str:
    """Text safe in one Markdown table cell: Markdown/MyST punctuation backslash-escaped (so
    ``|Q_emu|`` stays one cell and ``$`` opens no math), newlines folded to spaces."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _note_text(c: Claim) -> str:
    """The claim's note, followed by the evidence of an ``explained`` claim (plain text)."""
    text = c.note or ""
    if c.status == "explained" and c.evidence:
        text = (text + " " if text else "") + f"Evidence: {c.evidence}."
    return text


def _note_cell(c: Claim) -> str:
    text = _note_text(c)
    if not text:
        return ""
    return f"<details><summary>note</summary>{_escape_md(text)}</details>"


def markdown_table(claims: Sequence[Claim], with_chapter: bool = False) -> str:
    """A Markdown table of claims for a chapter or the scoreboard.

    Columns: (chapter,) quantity, paper, ours, ours/paper, unit, ref, status, note. Numbers to 3
    digits (:func:`format_number`, never "nan"), units in MathJax (:func:`format_unit`), the ref
    in the one vocabulary of :func:`format_ref`, the note folded in a ``<details>`` cell (with the
    evidence of an ``explained`` claim). Every cell is escaped, so every row has as many cells as
    the header. A claim without a status shows ``—`` in the status column.
    """
    head = (["chapter"] if with_chapter else []) + ["quantity", "paper", "ours", "ours/paper",
                                                     "unit", "ref", "status", "note"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for c in claims:
        cells = ([_escape_md(c.chapter)] if with_chapter else []) + [
            _escape_md(c.key), format_number(c.paper), format_number(c.ours),
            format_number(c.ratio), format_unit(c.unit), _escape_md(format_ref(c.ref, c.chapter)),
            c.status or DASH, _note_cell(c)]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------
# results at a glance

def notebook_anchors(chapter: str, root: Optional[Path] = None) -> set[str]:
    """The MyST labels ``(name)=`` defined in the markdown cells of a chapter's notebook."""
    path = Path(root or ROOT) / NOTEBOOKS[chapter]
    if not path.is_file():
        raise ClaimsError(f"chapter={chapter!r}: its notebook {NOTEBOOKS[chapter]} does not exist")
    nb = json.loads(path.read_text())
    labels = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            src = "".join(cell.get("source", []))
            labels.update(re.findall(r"^\s*\(([^()\s]+)\)=\s*$", src, re.M))
    return labels


def glance_table(chapter: str, claims: Optional[Sequence[Claim]] = None,
                 check_anchors: bool = True, root: Optional[Path] = None) -> str:
    """The results-at-a-glance Markdown table of a chapter: its ``headline=True`` claims with
    quantity, paper, ours, ratio (numbers to 3 digits), unit, status and a link ``[§](#anchor)``
    down to the section that computes each number.

    ``claims`` defaults to :func:`chapter_claims` ``(chapter)``. Raises :class:`ClaimsError` if the chapter has no
    headline claim, if a headline claim has no ``anchor``, or (``check_anchors``) if the anchor is
    not a ``(label)=`` of the chapter's notebook (``NOTEBOOKS[chapter]`` under ``root``).
    """
    if chapter not in CHAPTERS:
        raise ClaimsError(f"chapter={chapter!r}: expected one of {list(CHAPTERS)}")
    claims = chapter_claims(chapter) if claims is None else claims
    heads = [c for c in claims if c.chapter == chapter and c.headline]
    if not heads:
        raise ClaimsError(f"chapter={chapter!r} has no claim with headline=True "
                          "(mark the 3-6 a reader should see first)")
    missing = [c.key for c in heads if not c.anchor]
    if missing:
        raise ClaimsError(f"chapter={chapter!r}: headline claims without anchor: {missing}")
    if check_anchors:
        labels = notebook_anchors(chapter, root)
        unknown = sorted({c.anchor for c in heads} - labels)
        if unknown:
            raise ClaimsError(f"chapter={chapter!r}: anchors {unknown} are not labels `(name)=` "
                              f"in {NOTEBOOKS[chapter]} (found: {sorted(labels)})")
    rows = ["| quantity | paper | ours | ours/paper | unit | status | where |",
            "|---|---|---|---|---|---|---|"]
    for c in heads:
        rows.append("| " + " | ".join([
            _escape_md(c.key), format_number(c.paper), format_number(c.ours),
            format_number(c.ratio), format_unit(c.unit), c.status or DASH,
            f"[§](#{c.anchor})"]) + " |")
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------
# status counts

def status_counts(claims: Sequence[Claim]) -> dict:
    """{chapter: {status: count}} in book order, every status present (0 when none), plus
    ``"unset"`` for claims without a status."""
    out = {}
    for ch in CHAPTERS:
        cs = [c for c in claims if c.chapter == ch]
        if not cs:
            continue
        counts = {s: sum(c.status == s for c in cs) for s in STATUSES}
        counts["unset"] = sum(c.status is None for c in cs)
        out[ch] = counts
    return out


def deviation(c: Claim) -> Optional[float]:
    """max |ours/paper - 1| over the values (both ends of an interval); None without a ratio."""
    r = c.ratio
    rs = r if isinstance(r, list) else [r]
    rs = [x for x in rs if x is not None and math.isfinite(x)]
    return max(abs(x - 1.0) for x in rs) if rs else None


# ---------------------------------------------------------------------------------------------
# recording (each chapter notebook) and reading back (the scoreboard)

def fingerprint(root: Optional[Path] = None) -> str:
    """sha256 over the contents (and paths) of every ``nuemcore/**/*.py`` and ``*.json`` file,
    the data registry ``nuemcore/data/registry.json`` included: the claims are a function of these
    (and of the data, whose checksums the manifest holds)."""
    pkg = Path(root or ROOT) / "nuemcore"
    h = hashlib.sha256()
    files = sorted(p for p in pkg.rglob("*") if p.suffix in (".py", ".json") and p.is_file()
                   and "__pycache__" not in p.parts)
    for p in files:
        h.update(p.relative_to(pkg).as_posix().encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


def claims_dir(root: Optional[Path] = None) -> Path:
    """Where recorded claims live: ``<repository root>/_build/claims``."""
    return Path(root or ROOT) / "_build" / "claims"


def record(chapter: str, claims: Optional[Sequence[Claim]] = None,
           root: Optional[Path] = None) -> Path:
    """Write the claims of ``chapter`` (default: ``collect(chapter)``) to
    ``_build/claims/<chapter>.json`` with the current :func:`fingerprint`; returns the path."""
    if chapter not in CHAPTERS:
        raise ClaimsError(f"chapter={chapter!r}: expected one of {list(CHAPTERS)}")
    claims = collect(chapter) if claims is None else list(claims)
    other = sorted({c.chapter for c in claims} - {chapter})
    if other:
        raise ClaimsError(f"record(chapter={chapter!r}) got claims of other chapters: {other}")
    d = claims_dir(root)
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"{chapter}.json"
    payload = {"chapter": chapter, "fingerprint": fingerprint(root),
               "claims": [{k: v for k, v in c.as_dict().items() if k != "ratio"} for c in claims]}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=1))
    tmp.replace(path)
    return path


def load_recorded(chapters: Optional[Sequence[str]] = None, root: Optional[Path] = None,
                  check_fingerprint: bool = True) -> list[Claim]:
    """The claims recorded by the chapter notebooks, in book order.

    ``chapters`` defaults to every chapter whose analysis module exists. Raises
    :class:`ClaimsError` naming the chapter and the notebook to execute if its file is missing,
    or if its fingerprint differs from the current sources (``check_fingerprint``).
    """
    names = list(chapters) if chapters is not None else [
        c for c, mod in CHAPTERS.items() if importlib.util.find_spec(mod) is not None]
    current = fingerprint(root) if check_fingerprint else None
    out: list[Claim] = []
    for ch in names:
        if ch not in CHAPTERS:
            raise ClaimsError(f"chapter={ch!r}: expected one of {list(CHAPTERS)}")
        path = claims_dir(root) / f"{ch}.json"
        how = (f"execute {NOTEBOOKS[ch]} (its last cell calls claims.show_and_record({ch!r})) "
               f"or run `python -m nuemcore.scoreboard --record --chapter {ch}`")
        if not path.is_file():
            raise ClaimsError(f"chapter={ch!r}: no recorded claims at _build/claims/{ch}.json; {how}")
        payload = json.loads(path.read_text())
        if check_fingerprint and payload.get("fingerprint") != current:
            raise ClaimsError(f"chapter={ch!r}: _build/claims/{ch}.json is stale (recorded with "
                              f"other nuemcore sources or data manifest); {how}")
        out.extend(Claim(**d) for d in payload["claims"])
    return out


def glance(chapter: str):
    """The results-at-a-glance cell of a chapter notebook (right after its introduction):
    :func:`glance_table` ``(chapter)`` as an ``IPython.display.Markdown`` object."""
    from IPython.display import Markdown
    return Markdown(glance_table(chapter))


def show_and_record(chapter: str):
    """The last cell of a chapter notebook: compute the chapter's claims live (once per kernel,
    shared with :func:`glance_table`, see :func:`chapter_claims`), record them for the scoreboard
    (:func:`record`) and return the full claims table (:func:`markdown_table`) as an
    ``IPython.display.Markdown`` object, displayed as the cell's result."""
    from IPython.display import Markdown
    claims = chapter_claims(chapter)
    record(chapter, claims)
    return Markdown(markdown_table(claims))
