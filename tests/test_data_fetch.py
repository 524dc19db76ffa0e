"""Rerunning on a clone with no ``../shared`` beside it (issue 15), offline.

A copy of the ``nuemcore`` package is placed in a temporary "clone" folder with no ``shared/``
beside it; the data are served by a loopback HTTP server (127.0.0.1, random port, started and
stopped here) from the data folder of this checkout, laid out like it, and ``NUEM_DATA_URL``
points ``python -m nuemcore.data fetch`` at it.  Checked: the no-data message, fetch into the
user cache (``XDG_CACHE_HOME``), ``verify``, the toolkit scoreboard from the fetched files, and a
corrupted file refused by name.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nuemcore import data

FOLDER = "solar_ssm"  # all the toolkit chapter reads: 21 data files + its PROVENANCE.md
PKG = Path(data.__file__).resolve().parent.parent


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no request log in the test output
        pass


@pytest.fixture(scope="module")
def mirror():
    """Serve this checkout's data folder on 127.0.0.1 (random port); stopped after the module."""
    root = data.root()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                          functools.partial(_Quiet, directory=str(root)))
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}", root
    finally:
        srv.shutdown()
        srv.server_close()
        th.join(timeout=10)


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """A folder holding only a copy of the package: no ../shared/data beside it."""
    base = tmp_path_factory.mktemp("clone")
    shutil.copytree(PKG, base / "repo" / "nuemcore",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    assert not (base / "shared").exists()
    return base


def _run(clone, args, **env_extra):
    env = {k: v for k, v in os.environ.items()
           if k not in (data.ENV_VAR, data.URL_ENV_VAR, "PYTHONPATH")}
    env.update(PYTHONPATH=str(clone / "repo"), XDG_CACHE_HOME=str(clone / "cache"),
               NO_PROXY="127.0.0.1", no_proxy="127.0.0.1", MPLBACKEND="agg")
    env.update({k: str(v) for k, v in env_extra.items()})
    return subprocess.run([sys.executable, *args], cwd=clone / "repo", env=env,
                          capture_output=True, text=True, timeout=600)


def test_no_data_anywhere_stops_with_the_fetch_command(clone):
    r = _run(clone, ["-m", "nuemcore.scoreboard", "--json", "--chapter", "toolkit"])
    assert r.returncode != 0
    last = r.stderr.strip().splitlines()[-1]
    assert "python -m nuemcore.data fetch" in last and "NUEM_DATA" in last
    r = _run(clone, ["-m", "nuemcore.data", "verify"])
    assert r.returncode == 2 and "python -m nuemcore.data fetch" in r.stderr
    r = _run(clone, ["-m", "nuemcore.data", "where"], NUEM_DATA=clone / "missing")
    assert r.returncode == 2 and str(clone / "missing") in r.stderr


def test_fetch_verify_and_scoreboard_from_the_mirror(clone, mirror):
    url, root = mirror
    r = _run(clone, ["-m", "nuemcore.data", "fetch", FOLDER], NUEM_DATA_URL=url)
    assert r.returncode == 0, r.stderr
    want = [e for e in data.entries([FOLDER])]
    n_remote = sum(e["kind"] != "bundled" for e in want)   # the mirror also serves the notes
    assert f"0 present, {n_remote} downloaded, {len(want) - n_remote} copied from the package" in r.stdout
    cache = clone / "cache" / "nuem"
    for e in want:
        assert (cache / e["path"]).read_bytes() == (root / e["path"]).read_bytes()
    r = _run(clone, ["-m", "nuemcore.data", "verify"])
    assert r.returncode == 0, r.stderr
    assert f"{len(want)} files checked, 0 bad" in r.stdout
    r = _run(clone, ["-m", "nuemcore.data", "fetch", FOLDER], NUEM_DATA_URL=url)
    assert r.returncode == 0 and f"{len(want)} present, 0 downloaded" in r.stdout
    # the toolkit chapter's claims from the fetched files equal those from this checkout's data
    r = _run(clone, ["-m", "nuemcore.scoreboard", "--json", "--chapter", "toolkit"])
    assert r.returncode == 0, r.stderr
    fetched = json.loads(r.stdout)
    here = _run(clone, ["-m", "nuemcore.scoreboard", "--json", "--chapter", "toolkit"],
                NUEM_DATA=root)
    assert here.returncode == 0, here.stderr
    assert len(fetched) > 0 and fetched == json.loads(here.stdout)


def test_corrupted_fetched_file_is_refused_by_name(clone, mirror):
    url, _ = mirror
    cache = clone / "cache" / "nuem"
    rel = "solar_ssm/peanuts/pp_shape.csv"
    r = _run(clone, ["-m", "nuemcore.data", "fetch", FOLDER], NUEM_DATA_URL=url)
    assert r.returncode == 0, r.stderr
    p = cache / rel
    good = p.read_bytes()
    p.write_bytes(good.replace(b"0.", b"1.", 1))  # same size, different content
    assert p.stat().st_size == len(good) and p.read_bytes() != good
    r = _run(clone, ["-m", "nuemcore.data", "verify"])
    assert r.returncode == 1 and f"BAD checksum: {p}" in r.stderr
    r = _run(clone, ["-c", "from nuemcore.flux import solar; solar.shape('pp')"])
    assert r.returncode != 0 and f"checksum mismatch for {p}" in r.stderr
    r = _run(clone, ["-m", "nuemcore.data", "fetch", FOLDER], NUEM_DATA_URL=url)
    assert r.returncode == 0 and f"replaced a bad copy: {p}" in r.stderr
    assert p.read_bytes() == good
    assert _run(clone, ["-m", "nuemcore.data", "verify"]).returncode == 0


def test_corrupted_mirror_file_is_refused_by_name(clone, mirror, tmp_path):
    """A mirror serving a wrong file: pooch's SHA-256 check refuses it and fetch names it."""
    url, root = mirror
    bad_mirror = tmp_path / "mirror"
    shutil.copytree(root / "lz_er_thirdparty", bad_mirror / "lz_er_thirdparty")
    rel = "lz_er_thirdparty/WS2022_data_hist_data.txt"
    (bad_mirror / rel).chmod(0o644)
    (bad_mirror / rel).write_text("# not the data\n")
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                          functools.partial(_Quiet, directory=str(bad_mirror)))
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    try:
        r = _run(clone, ["-m", "nuemcore.data", "fetch", "--no-progress", "lz_er_thirdparty"],
                 NUEM_DATA_URL=f"http://127.0.0.1:{srv.server_address[1]}",
                 NUEM_DATA=tmp_path / "target")
    finally:
        srv.shutdown()
        srv.server_close()
        th.join(timeout=10)
    assert r.returncode == 2
    assert "1 file(s) could not be fetched" in r.stderr and rel in r.stderr
    assert not (tmp_path / "target" / rel).exists()
    assert (tmp_path / "target" / "lz_er_thirdparty" / "BKG_FIT_WS2022.csv").is_file()
