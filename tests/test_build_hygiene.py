"""No stale book (issue 14, item 4): the execution cache keys on a content hash of nuemcore, the
data manifest and the installed packages (scripts/core_hash.py), not on mtimes; a failed build
leaves no page that looks current.  The Makefile is exercised for real in a temporary copy with a
fake ``jupyter-book`` (no notebook is executed)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import core_hash  # noqa: E402


def _tree(tmp_path):
    (tmp_path / "nuemcore" / "sub").mkdir(parents=True)
    (tmp_path / "nuemcore" / "a.py").write_text("X = 1\n")
    (tmp_path / "nuemcore" / "sub" / "b.py").write_text("Y = 2\n")
    (tmp_path / "nuemcore" / "data_manifest.json").write_text('{"f": "abc"}\n')
    return tmp_path


def test_hash_ignores_mtime_but_sees_content(tmp_path):
    root = _tree(tmp_path)
    pk = ["numpy==2.0.0"]
    h0 = core_hash.core_hash(root, pk)
    a = root / "nuemcore" / "a.py"
    st = a.stat()
    os.utime(a, (st.st_atime + 1000, st.st_mtime + 1000))       # touch only: same content
    assert core_hash.core_hash(root, pk) == h0
    a.write_text("X = 2\n")                                      # same size, old mtime (cp -p)
    os.utime(a, (st.st_atime, st.st_mtime))
    h1 = core_hash.core_hash(root, pk)
    assert h1 != h0


def test_hash_sees_deleted_module_manifest_and_venv(tmp_path):
    root = _tree(tmp_path)
    pk = ["numpy==2.0.0"]
    h0 = core_hash.core_hash(root, pk)
    assert core_hash.core_hash(root, ["numpy==2.0.1"]) != h0     # venv change
    (root / "nuemcore" / "data_manifest.json").write_text('{"f": "abd"}\n')
    h1 = core_hash.core_hash(root, pk)
    assert h1 != h0                                              # data manifest change
    (root / "nuemcore" / "sub" / "b.py").unlink()
    assert core_hash.core_hash(root, pk) != h1                  # deleted module
    assert core_hash.installed()                                 # the real venv lists packages


FAKE_JB = """#!/bin/bash
# fake jupyter-book: records whether the execution cache survived, then "builds"
log="$PWD/jb.log"
if [ -e _build/.jupyter_cache/marker ]; then echo cached >> "$log"; else echo fresh >> "$log"; fi
mkdir -p _build/.jupyter_cache _build/html/_offline/mathjax _build/html/_offline/html-manager
touch _build/.jupyter_cache/marker
echo "<html>page</html>" > _build/html/index.html
if [ -n "${FAKE_FAIL:-}" ]; then echo "cell failed" >&2; exit 1; fi
touch _build/html/_offline/mathjax/tex-chtml.js _build/html/_offline/require.js \
      _build/html/_offline/html-manager/embed-amd.js _build/html/_offline/plotly-basic.min.js \
      _build/html/_offline/nuem-explorer.js
"""


@pytest.fixture
def fake_repo(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make not installed")
    r = _tree(tmp_path / "repo")
    shutil.copy(ROOT / "Makefile", r / "Makefile")
    (r / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "core_hash.py", r / "scripts" / "core_hash.py")
    # the parallel pre-execution is a no-op here (no notebook); the fake jupyter-book "builds"
    (r / "scripts" / "execute_parallel.py").write_text("print('no notebooks')\n")
    # `make data` (python -m nuemcore.data fetch --quick) finds a stand-in package here
    (r / "nuemcore" / "__init__.py").write_text("")
    (r / "nuemcore" / "data").mkdir()
    (r / "nuemcore" / "data" / "__init__.py").write_text("")
    (r / "nuemcore" / "data" / "__main__.py").write_text("print('data present')\n")
    for f in ("requirements.txt", "pyproject.toml", "package.json", "package-lock.json",
              "_config.yml", "_toc.yml"):
        (r / f).write_text("x\n")
    (r / "book").mkdir()
    (r / "book" / "intro.md").write_text("# intro\n")
    bin_ = r / ".venv" / "bin"
    bin_.mkdir(parents=True)
    (bin_ / "python").symlink_to(sys.executable)
    jb = bin_ / "jupyter-book"
    jb.write_text(FAKE_JB)
    jb.chmod(0o755)
    (r / "node_modules").mkdir()
    old = time.time() - 1000
    for p in r.rglob("*"):
        if p.is_file() and not p.is_symlink():
            os.utime(p, (old, old))                 # every input in the past ...
    for stamp in (r / ".venv" / ".nuem-stamp", r / "node_modules" / ".nuem-stamp"):
        stamp.touch()
        os.utime(stamp, (old + 500, old + 500))     # ... the venv/npm stamps newer, none in the future
    return r


def _touch(p):
    time.sleep(0.01)
    os.utime(p, None)


def _make(repo, **env):
    e = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    e.update(env)
    return subprocess.run(["make", "--no-print-directory", "book"], cwd=repo, env=e,
                          capture_output=True, text=True, timeout=120)


def _log(repo):
    p = repo / "jb.log"
    return p.read_text().split() if p.exists() else []


def test_makefile_cache_keyed_on_content(fake_repo):
    r = fake_repo
    assert _make(r).returncode == 0
    assert _log(r) == ["fresh"]
    assert (r / "_build" / "html" / ".nuem-stamp").exists()
    assert _make(r).returncode == 0 and _log(r) == ["fresh"]          # nothing changed: no build
    # an edit that keeps the old mtime (cp -p / rsync -a): the cache must be dropped
    a = r / "nuemcore" / "a.py"
    st = a.stat()
    a.write_text("X = 3\n")
    os.utime(a, (st.st_atime, st.st_mtime))
    _touch(r / "book" / "intro.md")                                     # trigger a rebuild
    assert _make(r).returncode == 0
    assert _log(r) == ["fresh", "fresh"], "execution cache reused after a content change"
    # a page edit alone keeps the cache
    _touch(r / "book" / "intro.md")
    assert _make(r).returncode == 0
    assert _log(r) == ["fresh", "fresh", "cached"]
    # a deleted module drops it again
    (r / "nuemcore" / "sub" / "b.py").unlink()
    _touch(r / "book" / "intro.md")
    assert _make(r).returncode == 0
    assert _log(r)[-1] == "fresh"


def test_failed_build_leaves_no_current_page(fake_repo):
    r = fake_repo
    assert _make(r).returncode == 0
    assert (r / "_build" / "html" / "index.html").exists()
    _touch(r / "book" / "intro.md")
    res = _make(r, FAKE_FAIL="1")
    assert res.returncode != 0
    assert "build failed" in res.stderr
    assert not (r / "_build" / "html").exists(), "a failed build left the previous HTML in place"
    assert _make(r).returncode == 0                                     # and it recovers
    assert (r / "_build" / "html" / ".nuem-stamp").exists()
