"""Claims: the Claim record, its tables (chapter, glance), recording and reading back
(nuemcore.claims)."""
from __future__ import annotations

import importlib.util
import json
import re

import pytest

from nuemcore import claims as cl
from nuemcore.claims import (CHAPTERS, STATUSES, Claim, ClaimsError, collect, format_number,
                             format_ref, format_unit, format_unit_html, glance_table,
                             load_recorded, markdown_table, record)
from nuemcore.errors import NuemError

# every unit string the chapters used when these tests were written (python -m nuemcore.scoreboard
# --json), with the Markdown + MathJax it must become
UNITS = {
    "mu_B": r"$\mu_B$",
    "events / 3 ab^-1": r"events / 3 $\mathrm{ab^{-1}}$",
    "events/yr": "events/yr",
    "e": "$e$",
    "cm^2": r"$\mathrm{cm^{2}}$",
    "MeV": "MeV",
    "events": "events",
    "kg": "kg",
    "": "",
    "cm^-2 s^-1": r"$\mathrm{cm^{-2}\,s^{-1}}$",
    "t": "t",
    "keV^-2": r"$\mathrm{keV^{-2}}$",
    "entries": "entries",
    "1": "1",
    "eta": r"$\eta$",
}

# every ref string used by the chapters at the time of writing -> the one vocabulary
REFS = [
    ("Table I", "fpf", "paper Tab. I"),
    ("Table 1", "dune", "paper Tab. 1"),
    ("Table I (implied)", "fpf", "paper Tab. I (implied)"),
    ("Table II", "sterile_tmm", "paper Tab. II"),
    ("Fig. 3", "fpf", "paper Fig. 3"),
    ("sec. 3", "dune", "paper sec. 3"),
    ("sec. VI text", "fpf", "paper sec. VI"),
    ("sec. VI text / Fig. 3", "fpf", "paper sec. VI, Fig. 3"),
    ("sec. 4 / Fig. 3", "sterile_tmm", "paper sec. 4, Fig. 3"),
    ("sec. 2.3 / 4", "sterile_tmm", "paper sec. 2.3, sec. 4"),
    ("eq. (13)", "dark_moments", "paper eq. 13"),
    ("eq. 4.13-4.15", "dune", "paper eq. 4.13-4.15"),
    ("eq. A.5", "dune", "paper eq. A.5"),
    ("004 eq. 16-18", "solar_cevns", "paper eq. 16-18"),
    ("004 sec. IV C (Fig. 4)", "solar_cevns", "paper sec. IV C (Fig. 4)"),
    ("002 eq. 13", "toolkit", "Herrera+ 2024 eq. 13"),
    ("004 sec. III", "toolkit", "De Romeri+ 2025 sec. III"),
    ("003 sec. 3.4", "toolkit", "Miranda+ 2021 sec. 3.4"),
    ("beyond", "dark_moments", "—"),
    ("beyond the paper", "fpf", "—"),
    ("beyond 004", "solar_cevns", "—"),
    ("", "fpf", "—"),
    ("beyond the paper (sec. 5 outlook)", "dune", "— (sec. 5 outlook)"),
    ("Kling 2021 CC file", "fpf", "Kling 2021 CC file"),
    ("XENONnT release templates", "solar_cevns", "XENONnT release templates"),
]


def cells(line: str) -> list[str]:
    """The cells of a Markdown table row, splitting on pipes that are not backslash-escaped."""
    return re.split(r"(?<!\\)\|", line.strip())[1:-1]


@pytest.fixture(scope="module")
def all_claims():
    return collect()


# --- the Claim record ------------------------------------------------------------------------

def test_ratio_of_numbers():
    c = Claim("toolkit", "x", 3.0, 4.0, "MeV", "eq. (1)")
    assert c.ratio == pytest.approx(0.75)
    assert isinstance(c.ours, float) and isinstance(c.paper, float)


def test_ratio_without_paper_value_or_at_zero():
    assert Claim("toolkit", "x", 3.0, None, "", "").ratio is None
    assert Claim("toolkit", "x", 3.0, 0.0, "", "").ratio is None


def test_interval_ratio_end_by_end():
    c = Claim("fpf", "range", [1.0, 6.0], [2.0, 3.0], "MeV", "Fig. 2")
    assert c.ours == [1.0, 6.0] and c.paper == [2.0, 3.0]
    assert c.ratio == pytest.approx([0.5, 2.0])
    assert Claim("fpf", "range", [1.0, 6.0], [0.0, 3.0], "", "").ratio == [None, 2.0]


def test_as_dict_is_json_ready_with_status_and_evidence():
    d = Claim("dune", "mu", 1e-10, 2e-10, "mu_B", "Tab. 1", "note", "explained", "dune-mu").as_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["ratio"] == pytest.approx(0.5)
    assert set(d) == {"chapter", "key", "ours", "paper", "unit", "ref", "note", "status",
                      "evidence", "anchor", "headline", "ratio"}
    assert d["status"] == "explained" and d["evidence"] == "dune-mu"


def test_unknown_chapter_is_an_error():
    with pytest.raises(ValueError, match="unknown chapter"):
        Claim("nonsense", "x", 1.0, 1.0, "", "")
    with pytest.raises(ValueError, match="unknown chapter"):
        collect("nonsense")


def test_status_rules():
    with pytest.raises(ValueError, match="status='fine'"):
        Claim("toolkit", "x", 1.0, 1.0, "", "", status="fine")
    with pytest.raises(ValueError, match="needs evidence"):
        Claim("toolkit", "x", 1.0, 2.0, "", "", status="explained")
    with pytest.raises(ValueError, match="'beyond' but a paper value"):
        Claim("toolkit", "x", 1.0, 2.0, "", "", status="beyond")


def test_chapter_without_module_is_an_error_when_asked_for():
    missing = [c for c, mod in CHAPTERS.items() if importlib.util.find_spec(mod) is None]
    if not missing:
        pytest.skip("every chapter has its analysis module")
    with pytest.raises(ValueError, match="no analysis module"):
        collect(missing[0])


# --- formatting --------------------------------------------------------------------------------

@pytest.mark.parametrize("unit,expected", UNITS.items())
def test_units_in_mathjax(unit, expected):
    assert format_unit(unit) == expected


def test_units_html_without_tex():
    assert format_unit_html("cm^-2 s^-1") == "cm⁻² s⁻¹"
    assert format_unit_html("mu_B") == "μ<sub>B</sub>"
    assert format_unit_html("events / 3 ab^-1") == "events / 3 ab⁻¹"
    assert format_unit_html("a<b") == "a&lt;b"


@pytest.mark.parametrize("ref,chapter,expected", REFS)
def test_ref_vocabulary(ref, chapter, expected):
    assert format_ref(ref, chapter) == expected


def test_numbers_never_nan():
    assert format_number(6.66e-9) == "6.66×10⁻⁹"
    assert format_number(5.46e6) == "5.46×10⁶"
    assert format_number(0.2594) == "0.259"
    assert format_number(-1.3578e-9) == "-1.36×10⁻⁹"
    assert format_number([1.0, 2.0]) == "[1, 2]"
    assert format_number(float("nan")) == "—"
    assert format_number(None) == "—"
    assert format_number([None, 2.0]) == "[—, 2]"
    assert format_number(float("inf")) == "∞"


def test_markdown_table_escapes_pipes_and_keeps_cell_count():
    cs = [Claim("toolkit", "|Q_emu| < (paper way)", 1.0, 2.0, "cm^2", "eq. 1", "has | a pipe\nand a $"),
          Claim("fpf", "b", [1.0, 2.0], None, "", "beyond the paper", status="beyond"),
          Claim("dune", "c", float("nan"), 0.0, "cm^-2 s^-1", "Table 1", "", "explained", "dune-sec")]
    lines = markdown_table(cs, with_chapter=True).splitlines()
    assert len(lines) == 2 + len(cs)
    head = cells(lines[0])
    assert [h.strip() for h in head] == ["chapter", "quantity", "paper", "ours", "ours/paper",
                                         "unit", "ref", "status", "note"]
    for line in lines[2:]:
        assert len(cells(line)) == len(head), line
    assert not re.search(r"\bnan\b", "\n".join(lines), re.I)
    row = [x.strip() for x in cells(lines[2])]
    assert row[1] == r"\|Q\_emu\| \< (paper way)"
    assert row[4] == "0.5" and row[5] == r"$\mathrm{cm^{2}}$" and row[7] == "—"
    assert row[8] == r"<details><summary>note</summary>has \| a pipe and a \$</details>"
    row = [x.strip() for x in cells(lines[3])]
    assert row[2] == "—" and row[3] == "[1, 2]" and row[6] == "—" and row[7] == "beyond"
    row = [x.strip() for x in cells(lines[4])]
    assert row[3] == "—" and row[4] == "—" and row[6] == "paper Tab. 1"
    assert "Evidence: dune-sec." in row[8]


def test_markdown_table_of_every_claim_today(all_claims):
    """The real claims: one row each, as many cells as the header, no raw ^/_ outside math."""
    lines = markdown_table(all_claims, with_chapter=True).splitlines()
    assert len(lines) == 2 + len(all_claims)
    n = len(cells(lines[0]))
    assert all(len(cells(line)) == n for line in lines[2:])
    assert not re.search(r"\bnan\b", "\n".join(lines[2:]), re.I)
    for c in all_claims:
        shown = re.sub(r"\$[^$]*\$", "", format_unit(c.unit))
        assert "^" not in shown and "_" not in shown, (c.key, c.unit)


# --- results at a glance ---------------------------------------------------------------------

def _fake_root(tmp_path, chapter="dune", labels=("dune-mu",)):
    nb = tmp_path / cl.NOTEBOOKS[chapter]
    nb.parent.mkdir(parents=True)
    src = "\n".join(f"({lab})=\n## Section {lab}\n" for lab in labels)
    nb.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": [src]}]}))
    return tmp_path


def test_glance_table_links_to_anchors(tmp_path):
    root = _fake_root(tmp_path, labels=("dune-mu", "dune-q"))
    cs = [Claim("dune", "mu|x", 3e-10, 3.2e-10, "mu_B", "eq. 4.4", status="reproduced",
                anchor="dune-mu", headline=True),
          Claim("dune", "not headline", 1.0, 1.0, "", "", status="reproduced", anchor="dune-q"),
          Claim("dune", "q", [-1e-9, 1e-9], [-1e-10, 1e-10], "e", "eq. 4.10",
                status="hypothesis", anchor="dune-q", headline=True)]
    lines = glance_table("dune", cs, root=root).splitlines()
    assert len(lines) == 4
    assert [h.strip() for h in cells(lines[0])] == ["quantity", "paper", "ours", "ours/paper",
                                                    "unit", "status", "where"]
    assert [x.strip() for x in cells(lines[2])] == [r"mu\|x", "3.2×10⁻¹⁰", "3×10⁻¹⁰", "0.938",
                                                    r"$\mu_B$", "reproduced", "[§](#dune-mu)"]
    assert cells(lines[3])[-1].strip() == "[§](#dune-q)"


def test_glance_table_fails_loudly(tmp_path):
    root = _fake_root(tmp_path, labels=("dune-mu",))
    head = dict(status="reproduced", headline=True)
    with pytest.raises(ClaimsError, match="no claim with headline=True"):
        glance_table("dune", [Claim("dune", "a", 1.0, 1.0, "", "", status="reproduced")], root=root)
    with pytest.raises(ClaimsError, match="without anchor: \\['a'\\]"):
        glance_table("dune", [Claim("dune", "a", 1.0, 1.0, "", "", **head)], root=root)
    with pytest.raises(ClaimsError, match="dune-missing"):
        glance_table("dune", [Claim("dune", "a", 1.0, 1.0, "", "", anchor="dune-missing", **head)],
                     root=root)
    with pytest.raises(ClaimsError, match="chapter='nope'"):
        glance_table("nope", [])
    assert issubclass(ClaimsError, NuemError)


def test_headline_claims_of_every_chapter_have_anchors(all_claims):
    """For every chapter that marks headline claims: 3 to 6 of them, each anchored at a label of
    the chapter notebook (glance_table raises otherwise)."""
    for ch in CHAPTERS:
        heads = [c for c in all_claims if c.chapter == ch and c.headline]
        if heads:
            assert 3 <= len(heads) <= 6, (ch, len(heads))
            assert glance_table(ch, all_claims).count("[§](#") == len(heads)


# --- statuses --------------------------------------------------------------------------------

def test_every_claim_has_a_status(all_claims):
    unset = [f"{c.chapter}: {c.key}" for c in all_claims if c.status is None]
    assert not unset, f"{len(unset)} claims without status, e.g. {unset[:5]}"


def test_statuses_are_known(all_claims):
    assert all(c.status is None or c.status in STATUSES for c in all_claims)
    assert all(c.status != "reproduced" or c.paper is not None for c in all_claims)


def test_reproduced_means_within_30_percent(all_claims):
    """"reproduced" is never used beyond 30 % (issue 13): every finite ratio of such a claim,
    each end of an interval included, lies in [0.7, 1.3]."""
    bad = []
    for c in all_claims:
        if c.status != "reproduced":
            continue
        ratios = c.ratio if isinstance(c.ratio, list) else [c.ratio]
        for r in ratios:
            if r is not None and not (0.7 <= r <= 1.3):
                bad.append(f"{c.chapter}: {c.key} ratio {r:.3g}")
    assert not bad, bad


def test_explained_claims_name_their_evidence(all_claims):
    assert all(c.evidence for c in all_claims if c.status == "explained")


# --- recording and reading back ---------------------------------------------------------------

def _pkg_root(tmp_path):
    (tmp_path / "nuemcore").mkdir()
    (tmp_path / "nuemcore" / "a.py").write_text("x = 1\n")
    (tmp_path / "nuemcore" / "data_manifest.json").write_text("{}\n")
    return tmp_path


def test_record_and_load_round_trip(tmp_path):
    root = _pkg_root(tmp_path)
    cs = [Claim("dune", "mu", 3e-10, 3.2e-10, "mu_B", "eq. 4.4", "n", "reproduced", "", "dune-mu", True),
          Claim("dune", "q", [-1e-9, 1e-9], None, "e", "beyond", status="beyond")]
    path = record("dune", cs, root=root)
    assert path == root / "_build" / "claims" / "dune.json"
    assert load_recorded(["dune"], root=root) == cs
    with pytest.raises(ClaimsError, match="other chapters"):
        record("fpf", cs, root=root)


def test_load_fails_when_missing_or_stale(tmp_path):
    root = _pkg_root(tmp_path)
    with pytest.raises(ClaimsError, match=r"chapter='dune': no recorded claims.*dune_em_properties\.ipynb"):
        load_recorded(["dune"], root=root)
    record("dune", [Claim("dune", "mu", 1.0, 1.0, "", "")], root=root)
    (root / "nuemcore" / "data_manifest.json").write_text('{"changed": 1}\n')
    with pytest.raises(ClaimsError, match="chapter='dune'.*stale"):
        load_recorded(["dune"], root=root)
    assert len(load_recorded(["dune"], root=root, check_fingerprint=False)) == 1


def test_fingerprint_follows_sources(tmp_path):
    root = _pkg_root(tmp_path)
    f0 = cl.fingerprint(root)
    assert f0 == cl.fingerprint(root) and len(f0) == 64
    (root / "nuemcore" / "a.py").write_text("x = 2\n")
    assert cl.fingerprint(root) != f0


def test_glance_and_show_and_record_share_one_computation(tmp_path, monkeypatch):
    """The two cells a chapter notebook calls: one computation, a recorded file, Markdown tables."""
    root = _fake_root(_pkg_root(tmp_path), labels=("dune-mu", "dune-q", "dune-r"))
    cs = [Claim("dune", k, 1.0, 1.1, "mu_B", "eq. 4.4", status="reproduced", anchor=f"dune-{k}",
                headline=True) for k in ("mu", "q", "r")]
    calls = []

    def fake_collect(chapter=None):
        calls.append(chapter)
        return list(cs)
    monkeypatch.setattr(cl, "collect", fake_collect)
    monkeypatch.setattr(cl, "ROOT", root)
    monkeypatch.setattr(cl, "_COMPUTED", {})
    top = cl.glance("dune")
    assert top.data.count("[§](#dune-") == 3
    table = cl.show_and_record("dune")
    assert calls == ["dune"]
    assert table.data == markdown_table(cs)
    assert load_recorded(["dune"]) == cs
    assert (root / "_build" / "claims" / "dune.json").is_file()
