"""Claims and the scoreboard (nuemcore.claims, nuemcore.scoreboard)."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from nuemcore.claims import CHAPTERS, Claim, collect, markdown_table


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


def test_as_dict_is_json_ready():
    d = Claim("dune", "mu", 1e-10, 2e-10, "muB", "Tab. 1", "note").as_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["ratio"] == pytest.approx(0.5)
    assert set(d) == {"chapter", "key", "ours", "paper", "unit", "ref", "note", "ratio"}


def test_unknown_chapter_is_an_error():
    with pytest.raises(ValueError, match="unknown chapter"):
        Claim("nonsense", "x", 1.0, 1.0, "", "")
    with pytest.raises(ValueError, match="unknown chapter"):
        collect("nonsense")


def test_chapter_without_module_is_an_error_when_asked_for():
    missing = [c for c, mod in CHAPTERS.items() if importlib.util.find_spec(mod) is None]
    if not missing:
        pytest.skip("every chapter has its analysis module")
    with pytest.raises(ValueError, match="no analysis module"):
        collect(missing[0])


def test_markdown_table_rows_and_pipes():
    cs = [Claim("toolkit", "a", 1.0, 2.0, "cm^2", "eq. 1", "has | a pipe"),
          Claim("fpf", "b", [1.0, 2.0], None, "", "Fig. 3")]
    table = markdown_table(cs, with_chapter=True).splitlines()
    assert len(table) == 2 + len(cs)
    assert table[0].startswith("| chapter | quantity | paper | ours | ours/paper")
    assert all(line.count("|") == table[0].count("|") for line in table[2:])
    assert "0.5" in table[2] and "[1, 2]" in table[3]


def test_collect_all_returns_claims_of_known_chapters():
    claims = collect()
    assert all(isinstance(c, Claim) and c.chapter in CHAPTERS for c in claims)


def test_scoreboard_cli_json():
    """`python -m nuemcore.scoreboard --json` prints valid JSON computed live (on the toolkit
    chapter alone when its module exists, to keep the test quick)."""
    args = [sys.executable, "-m", "nuemcore.scoreboard", "--json"]
    if importlib.util.find_spec(CHAPTERS["toolkit"]) is not None:
        args += ["--chapter", "toolkit"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=900, check=True).stdout
    claims = json.loads(out)
    assert isinstance(claims, list)
    for d in claims:
        assert d["chapter"] in CHAPTERS and d["key"]
        assert set(d) >= {"ours", "paper", "unit", "ref", "note", "ratio"}
