"""Execute the book's notebooks in parallel into jupyter-book's execution cache (`make book`).

Jupyter Book 1.x executes notebooks one after the other while Sphinx reads them.  The chapters are
independent of each other, so this script runs them first, one kernel per core, and stores each
executed notebook in the same jupyter-cache database (``_build/.jupyter_cache``) the way myst-nb's
``cache`` mode does (same hash: code cells and kernelspec; same cwd: the notebook's folder; same
timeout and allow_errors from ``_config.yml``).  The build then finds every chapter in the cache and
only renders it.  Notebooks already in the cache are not run again.

The scoreboard (``book/wrap_up/``) is left to the build: it reads the claims the chapters record
(``_build/claims/``), so it must run after all of them.

Usage: ``python scripts/execute_parallel.py [--workers N]`` from the repository root.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import yaml
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"
LAST = ("book/wrap_up/",)          # notebooks that read what the others write


def _config() -> tuple[int, bool]:
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text()).get("execute", {})
    return int(cfg.get("timeout", 30)), bool(cfg.get("allow_errors", False))


def _notebooks() -> list[Path]:
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_toc.py"), "--list"],
                         check=True, capture_output=True, text=True).stdout.split()
    return [ROOT / p for p in out if p.endswith(".ipynb") and not p.startswith(LAST)]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)   # as myst-nb reads it


def _execute(path: str, timeout: int, allow_errors: bool):
    nb = _read(Path(path))
    result = single_nb_execution(nb, cwd=str(Path(path).parent), timeout=timeout,
                                 allow_errors=allow_errors, meta_override=True)
    if result.err is not None:
        return path, None, result.exc_string, result.time
    return path, nbformat.writes(nb), None, result.time


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)
    timeout, allow_errors = _config()
    cache = get_cache(str(CACHE))
    todo = []
    for path in _notebooks():
        try:
            cache.match_cache_notebook(_read(path))
        except KeyError:
            todo.append(path)
    if not todo:
        print("execute_parallel: every notebook is cached")
        return 0
    # longest first (by file size, a fair proxy here) so that the workers finish together
    todo.sort(key=lambda p: p.stat().st_size, reverse=True)
    print(f"execute_parallel: {len(todo)} notebook(s) on {args.workers} worker(s)", flush=True)
    start = time.perf_counter()
    failed = []
    with cf.ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [pool.submit(_execute, str(p), timeout, allow_errors) for p in todo]
        for fut in cf.as_completed(futures):
            path, text, err, seconds = fut.result()
            rel = Path(path).relative_to(ROOT)
            if err is not None:
                failed.append(rel)
                print(f"execute_parallel: {rel} FAILED after {seconds:.1f} s\n{err}", flush=True)
                continue
            stage = cache.add_nb_to_project(path)
            cache.cache_notebook_bundle(
                CacheBundleIn(nbformat.reads(text, as_version=4), stage.uri,
                              data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True)
            print(f"execute_parallel: {rel} {seconds:.1f} s", flush=True)
    print(f"execute_parallel: done in {time.perf_counter() - start:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
