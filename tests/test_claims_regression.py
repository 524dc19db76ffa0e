"""Every scoreboard claim pinned to its committed value (to 1e-6 relative).

The claims of :func:`nuemcore.claims.collect` (their ``ours`` values) are compared with
``tests/claims_expected.json``.  A 1 % change in a core cross section (SM nu-e, CEvNS) moves
several claims by far more than 1e-6 and fails here, even when every chapter-level test still
passes (demonstrated in the reliability report).

**Updating the expectations on purpose** (after a deliberate change of a claim; review the diff):

    .venv/bin/python tests/test_claims_regression.py --update

rewrites ``tests/claims_expected.json`` from the current chapters; ``git diff`` then shows every
claim that moved.  The failure message lists each changed claim with its old and new value.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

EXPECTED = Path(__file__).with_name("claims_expected.json")
RTOL = 1e-6


def _key(c: dict) -> str:
    return f"{c['chapter']}:{c['key']}"


def current() -> dict:
    """{chapter:key: ours} of every claim, computed live."""
    from nuemcore.claims import collect

    out = {}
    for c in collect():
        d = c.as_dict()
        k = _key(d)
        if k in out:
            raise AssertionError(f"duplicate claim key {k!r}")
        out[k] = d["ours"]
    return out


def _close(a, b) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
                and all(_close(x, y) for x, y in zip(a, b)))
    if a is None or b is None:
        return a is b
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= RTOL * max(abs(a), abs(b))  # exact 0 == 0; no absolute slack


def compare(expected: dict, got: dict) -> list[str]:
    """Human-readable differences (empty when everything matches)."""
    diffs = []
    for k in sorted(set(expected) | set(got)):
        if k not in got:
            diffs.append(f"{k}: missing now (expected {expected[k]!r})")
        elif k not in expected:
            diffs.append(f"{k}: new claim {got[k]!r} (not in {EXPECTED.name})")
        elif not _close(expected[k], got[k]):
            diffs.append(f"{k}: expected {expected[k]!r}, now {got[k]!r}")
    return diffs


def _load() -> dict:
    return json.loads(EXPECTED.read_text())


def write(path: Path = EXPECTED) -> int:
    vals = current()
    path.write_text(json.dumps(vals, indent=1, sort_keys=True) + "\n")
    return len(vals)


@pytest.fixture(scope="module")
def live():
    return current()


def test_expectations_file_exists():
    assert EXPECTED.exists(), f"run: python {Path(__file__).name} --update"
    assert len(_load()) >= 100  # the scoreboard has ~180 claims; a truncated file fails


def test_every_claim_matches_committed_value(live):
    diffs = compare(_load(), live)
    assert not diffs, (f"{len(diffs)} claim(s) differ from {EXPECTED.name} (rtol {RTOL:g}); if "
                       f"intended, run `python tests/test_claims_regression.py --update`:\n  "
                       + "\n  ".join(diffs))


def test_compare_detects_small_changes():
    exp = {"a:x": 1.0, "a:y": [1.0, 2.0], "a:z": 0.0, "a:w": None}
    assert compare(exp, dict(exp)) == []
    assert compare(exp, {**exp, "a:x": 1.0 + 2e-6}) == ["a:x: expected 1.0, now 1.000002"]
    assert compare(exp, {**exp, "a:y": [1.0, 2.00001]})
    assert compare(exp, {**exp, "a:z": 1e-40})  # a tiny number is not "equal" to 0
    assert compare(exp, {k: v for k, v in exp.items() if k != "a:w"}) == [
        "a:w: missing now (expected None)"]
    assert compare(exp, {**exp, "b:new": 3.0}) == ["b:new: new claim 3.0 (not in claims_expected.json)"]


if __name__ == "__main__":  # python tests/test_claims_regression.py --update
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(f"wrote {write()} claims to {EXPECTED}")
