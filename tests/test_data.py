"""Data access (nuemcore.data): the data root is found, every file is verified against the registry
(re-verified when it changes on disk), every failure names the file, and the registry covers the
data folder.  Tests that move the data root use ``NUEM_DATA`` via monkeypatch and clear the
module's caches (fixture ``fresh_data_caches`` in conftest.py).  Fetching from a loopback mirror
is in test_data_fetch.py."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil

import numpy as np
import pytest

from nuemcore import data
from nuemcore.errors import DataFileError, NuemError
from nuemcore.experiments import lz_er, xenonnt_b8
from nuemcore.flux import reactor

SAMPLE = "solar_ssm/peanuts/pp_shape.csv"
BLS = "solar_ssm/bahcall_b8_bls1996/b8spectrum.txt"
RAW = re.compile(r"^https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[0-9a-f]{40}/\S+$")


def _sha256(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def real_root(fresh_data_caches, monkeypatch):
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    try:
        return data.root()
    except DataFileError as exc:  # pragma: no cover - make test fetches first
        pytest.fail(f"data not found: {exc}")


@pytest.fixture
def tmp_root(fresh_data_caches, monkeypatch, tmp_path):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    return tmp_path


def _copy_in(real, tmp, rel):
    dst = tmp / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(real / rel, dst)
    return dst


# ----------------------------------------------------------------------------- the registry
def test_registry_entries_are_well_formed():
    ents = data._registry()
    assert len(ents) > 7000
    assert len({e["path"] for e in ents}) == len(ents)
    for e in ents:
        rel = e["path"]
        assert not rel.startswith("/") and ".." not in rel.split("/")
        assert re.fullmatch(r"[0-9a-f]{64}", e["sha256"]) and e["size"] > 0
        if e["kind"] == "github":
            assert RAW.match(e["url"]), e
        else:
            assert e["kind"] in ("bundled", "doc") and e["url"] is None, e
    counts = json.loads(data._REGISTRY.read_text())["counts"]
    assert counts == {k: sum(e["kind"] == k for e in ents) for k in ("github", "bundled", "doc")}
    # only derived tables are bundled; the folders' PROVENANCE.md and notes are never copied
    assert all(not e["path"].endswith((".md", "SHA256SUMS")) for e in ents if e["kind"] == "bundled")
    assert all(e["kind"] == "doc" for e in ents if e["path"].endswith("PROVENANCE.md"))


def test_registry_covers_the_data_folder_exactly(real_root):
    on_disk = {p.relative_to(real_root).as_posix() for p in real_root.rglob("*") if p.is_file()}
    assert on_disk == {e["path"] for e in data._registry()}


def test_every_registered_file_matches(real_root):
    n, bad, missing = data.verify_all(real_root)
    assert (bad, missing) == ([], [])
    assert n == len(data._registry())


def test_xenonnt_yield_variant_templates_are_registered():
    """46 energies x 49 (tly, tqy) variants x 3 science runs of mono templates, each with the raw
    URL at the release commit named in xenonnt_b8_cevns/PROVENANCE.md."""
    mono = [e for e in data._registry() if re.match(r"xenonnt_b8_cevns/templates/sr[012]/mono/", e["path"])]
    assert len(mono) == 46 * 49 * 3
    variants = {re.search(r"tly_(-?\d\.\d)_tqy_(-?\d\.\d)", e["path"]).groups() for e in mono}
    assert len(variants) == 49
    assert all("/XENONnT/cevns_data_release/60d230dd7a5646fd4aa2368c5fdfba575ee0cb88/templates/"
               in e["url"] for e in mono)


def test_bundled_files_ship_in_the_package_with_their_provenance(real_root):
    bundled = [e for e in data._registry() if e["kind"] == "bundled"]
    listing = (data.BUNDLED_DIR / "BUNDLED.md").read_text()
    shipped = {p.relative_to(data.BUNDLED_DIR).as_posix() for p in data.BUNDLED_DIR.rglob("*")
               if p.is_file()} - {"BUNDLED.md"}
    assert shipped == {e["path"] for e in bundled}          # nothing else is copied
    for e in bundled:
        p = data.BUNDLED_DIR / e["path"]
        assert _sha256(p) == e["sha256"] == _sha256(real_root / e["path"])
        assert f"`{e['path']}`: {e['note']}" in listing and e["note"]
        assert e["size"] <= 64_000
    assert {"atomic_binding/shell_binding_energies_geant4.csv",
            "lhc_fpf_kling2021/bin_edges_GeV.txt"} <= {e["path"] for e in bundled}


def test_sources_quote_the_commit_of_their_provenance(real_root):
    """Every URL's commit is written in the PROVENANCE.md of its folder."""
    for e in data._registry():
        if e["url"]:
            commit = e["url"].split("/")[5]
            prov = (real_root / e["path"].split("/")[0] / "PROVENANCE.md").read_text()
            assert commit in prov, e["path"]


def test_unknown_folder_is_refused():
    with pytest.raises(NuemError, match="folder='no_such_folder'"):
        data.entries(["no_such_folder"])


# ----------------------------------------------------------------------------- root()
def test_sample_file_verifies(real_root):
    p = data.path(SAMPLE)
    assert p == real_root / SAMPLE and p.is_file()
    assert _sha256(p) == data._manifest()[SAMPLE]["sha256"]


def test_nuem_data_env_var_is_honoured(tmp_root):
    assert data.root() == tmp_root


def test_nuem_data_pointing_nowhere_is_an_error(fresh_data_caches, monkeypatch, tmp_path):
    """Issue 14: a NUEM_DATA that names a missing folder is an error, not a silent fallback."""
    missing = tmp_path / "nope"
    monkeypatch.setenv(data.ENV_VAR, str(missing))
    with pytest.raises(DataFileError) as info:
        data.root()
    assert str(missing) in str(info.value) and data.FETCH_CMD in str(info.value)


def test_no_data_anywhere_names_fetch_and_env(fresh_data_caches, monkeypatch, tmp_path):
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    monkeypatch.setattr(data, "_SHARED", tmp_path / "shared" / "data")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(DataFileError) as info:
        data.root()
    msg = str(info.value)
    assert "python -m nuemcore.data fetch" in msg and "NUEM_DATA" in msg
    assert str(tmp_path / "cache" / "nuem") in msg


def test_missing_file_names_its_path_and_the_fetch_command(tmp_root):
    with pytest.raises(DataFileError) as info:
        data.path(SAMPLE)
    assert str(tmp_root / SAMPLE) in str(info.value)
    assert "python -m nuemcore.data fetch solar_ssm" in str(info.value)
    assert isinstance(info.value, FileNotFoundError)


def test_file_outside_registry_is_refused(tmp_root):
    (tmp_root / "not_in_registry.csv").write_text("1,2\n")
    with pytest.raises(DataFileError, match="not_in_registry.csv"):
        data.path("not_in_registry.csv")


# ----------------------------------------------------------------------------- re-verification
def test_modified_file_fails_checksum(real_root, tmp_root):
    copy = _copy_in(real_root, tmp_root, SAMPLE)
    assert data.path(SAMPLE) == copy  # an exact copy verifies
    copy.write_bytes(copy.read_bytes() + b"\n# edited\n")
    with pytest.raises(DataFileError, match="checksum") as info:
        data.path(SAMPLE)
    assert str(copy) in str(info.value)
    assert data.path(SAMPLE, verify=False) == copy


def test_file_edited_after_a_successful_load_is_reverified(real_root, tmp_root):
    """Issue 14: a file changed in a running kernel (same size, new mtime) is checked again without
    clearing any cache; restoring it makes it load again."""
    copy = _copy_in(real_root, tmp_root, SAMPLE)
    good = copy.read_bytes()
    assert data.path(SAMPLE) == copy
    bad = bytearray(good)
    i = bad.index(b"0.")
    bad[i] = ord("1")
    copy.write_bytes(bytes(bad))
    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert copy.stat().st_size == len(good)
    with pytest.raises(DataFileError, match="checksum"):
        data.path(SAMPLE)
    copy.write_bytes(good)
    assert data.path(SAMPLE) == copy


# ----------------------------------------------------------------------------- malformed rows
def _registered_as(monkeypatch, rel, p):
    """Register the edited copy ``p`` under ``rel`` so that the parser, not the checksum, sees it."""
    table = dict(data._manifest())
    table[rel] = {**table[rel], "sha256": _sha256(p), "size": p.stat().st_size}

    def fake():
        return table

    fake.cache_clear = lambda: None
    monkeypatch.setattr(data, "_manifest", fake)


def test_read_rows_counts_the_bls1996_table(real_root):
    rows = data.read_rows(BLS, ncols=4, skip=16)
    assert len(rows) == 829 and rows[0] == [0.0, 0.0, 0.0, 0.0]
    assert rows[-1][0] == pytest.approx(16.56, abs=1e-12)


@pytest.mark.parametrize("edit, line, what", [
    (lambda s: s.replace("0.04           0.0000340", "0.04           0.00O0340"), 19, "not a row of numbers"),
    (lambda s: s.replace("0.0000391       0.0000279", "0.0000391"), 19, "3 columns, expected 4"),
])
def test_malformed_row_names_file_and_line(real_root, tmp_root, monkeypatch, request, edit, line, what):
    """Issue 14: a malformed row is an error naming the file and line (it used to be dropped,
    829 -> 828 rows), through the solar-flux parser that reads this table."""
    from nuemcore.flux import solar

    solar._raw_shape.cache_clear()  # the parser caches the table it read
    request.addfinalizer(solar._raw_shape.cache_clear)

    copy = _copy_in(real_root, tmp_root, BLS)
    text = copy.read_text()
    copy.write_text(edit(text))
    assert copy.read_text() != text
    _registered_as(monkeypatch, BLS, copy)
    with pytest.raises(data.MalformedDataError, match=what) as info:
        solar._raw_shape("bls1996")
    assert f"{copy}, line {line}:" in str(info.value)
    assert isinstance(info.value, NuemError) and isinstance(info.value, DataFileError)


def test_load_table_matches_loadtxt_and_names_the_line(real_root, tmp_root, monkeypatch):
    rel = "xenon1t_er_2020/data_below_30kev.txt"
    ref = np.loadtxt(real_root / rel, delimiter=",", comments="#")
    copy = _copy_in(real_root, tmp_root, rel)
    got = data.load_table(rel, delimiter=",", comments="#")
    assert got.shape == ref.shape == (29, 3) and np.array_equal(got, ref)
    lines = copy.read_text().splitlines(keepends=True)
    k = next(i for i, ln in enumerate(lines) if ln[0].isdigit())
    lines[k + 3] = lines[k + 3].rstrip("\n") + ",7\n"
    copy.write_text("".join(lines))
    _registered_as(monkeypatch, rel, copy)
    with pytest.raises(data.MalformedDataError, match=f"line {k + 4}: 4 columns, expected 3"):
        data.load_table(rel, delimiter=",", comments="#")


@pytest.mark.parametrize("rel, old, new, line, call", [
    ("lz_er_thirdparty/WS2022_data_hist_data.txt", "2.500 50.000", "2.500 50.000 7", 4,
     lambda: lz_er._table("WS2022_data_hist_data.txt")),
    ("reactor/reactor_isotope_spectra_coefficients.csv", "4.367,", "4.3.67,", 3,
     lambda: reactor._coefficients.__wrapped__()),  # past its lru cache
    ("xenonnt_b8_cevns/binning/sr0.yaml", "- 170.161773681641", "- 170,161773681641", 3,
     lambda: xenonnt_b8._read_binning("sr0")),
    ("xenonnt_b8_cevns/data/sr0.csv", "0,130.4071,", "0,130.4071,,", 2,
     lambda: xenonnt_b8._read_events("sr0")),
])
def test_other_parsers_name_file_and_line(real_root, tmp_root, monkeypatch, rel, old, new, line, call):
    """A malformed row in the tables read by the LZ, reactor and XENONnT-8B parsers."""
    copy = _copy_in(real_root, tmp_root, rel)
    text = copy.read_text()
    assert text.count(old) == 1
    copy.write_text(text.replace(old, new))
    _registered_as(monkeypatch, rel, copy)
    with pytest.raises(data.MalformedDataError) as info:
        call()
    assert f"{copy}, line {line}:" in str(info.value)


def test_registry_is_what_the_script_generates(real_root, tmp_path):
    """scripts/make_data_registry.py run on the data folder reproduces the committed registry and
    bundled copies (entries and URLs; the offline URL check needs the git mirrors and is not rerun)."""
    import subprocess
    import sys

    out = tmp_path / "registry.json"
    script = data._HERE.parent.parent / "scripts" / "make_data_registry.py"
    r = subprocess.run([sys.executable, str(script), "--data", str(real_root), "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    new, committed = json.loads(out.read_text()), json.loads(data._REGISTRY.read_text())
    assert new["files"] == committed["files"] and new["counts"] == committed["counts"]
    for rel in [e["path"] for e in new["files"] if e["kind"] == "bundled"] + ["BUNDLED.md"]:
        assert (tmp_path / "bundled" / rel).read_bytes() == (data.BUNDLED_DIR / rel).read_bytes()
