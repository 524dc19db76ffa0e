"""Notebook execution times and widget-callback latencies.

Run:  .venv/bin/python tests/benchmarks/notebooks.py [--no-notebooks]

* every notebook listed in ``_toc.yml`` is executed once with nbclient (a fresh kernel, like the
  book build) and its wall time printed, beside the goal of its issue;
* every chapter's ``widget_update`` (the computation behind its explorer) is called 20 times with
  20 different slider values after one warm-up call, and the median latency printed.  Figure
  drawing is not included (matplotlib's redraw is the same for every chapter and is measured
  once, separately, as ``matplotlib redraw``).

Wall times depend on the machine and on its load; they are printed, never asserted.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: execution-time goals [s] from the issues
GOALS = {"toolkit": 20, "fpf_dipole_portal": 60, "dune_em_properties": 60, "dark_moments": 60,
         "sterile_transition_moments": 90, "solar_cevns": 90, "scoreboard": None}


def _widget_cases():
    """chapter -> (module, warm-up callable or None, list of 20 keyword dicts)."""
    from nuemcore.analyses import dark_moments, dune, fpf, solar_cevns, sterile_tmm, toolkit
    g = np.geomspace
    return {
        "toolkit": (toolkit, None, [dict(target="Xe", prop="dipole portal", log10_value=v)
                                    for v in np.linspace(-12, -8, 20)]),
        "fpf": (fpf, fpf.warm_up, [dict(mu=v) for v in g(1e-9, 1e-7, 20)]),
        "dune": (dune, None, [dict(value=v) for v in g(1e-10, 1e-8, 20)]),
        "dark_moments": (dark_moments, None, [dict(eps=v) for v in g(1e-9, 1e-7, 20)]),
        "sterile_tmm": (sterile_tmm, None, [dict(lam14=v) for v in g(1e-12, 1e-9, 20)]),
        "solar_cevns": (solar_cevns, None, [dict(value=v) for v in g(1e-10, 1e-8, 20)]),
    }


def widget_latencies():
    rows = []
    for name, (mod, warm, cases) in _widget_cases().items():
        if warm:
            warm()
        mod.widget_update(**cases[0])  # first call builds the caches
        times = []
        for kw in cases:
            t0 = time.perf_counter()
            mod.widget_update(**kw)
            times.append(time.perf_counter() - t0)
        rows.append((name, 1e3 * statistics.median(times), 1e3 * max(times)))
    import matplotlib
    matplotlib.use("agg")
    import matplotlib.pyplot as plt
    times = []
    x = np.geomspace(1e-3, 10, 300)
    for k in range(20):
        t0 = time.perf_counter()
        fig, ax = plt.subplots(figsize=(6, 3.8))
        ax.loglog(x, x ** -(1 + k / 20))
        ax.loglog(x, x ** -0.5)
        fig.canvas.draw()
        plt.close(fig)
        times.append(time.perf_counter() - t0)
    rows.append(("matplotlib redraw", 1e3 * statistics.median(times), 1e3 * max(times)))
    return rows


def notebook_times():
    nbs = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_toc.py"), "--list"],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    import nbformat
    from nbclient import NotebookClient
    rows = []
    for path in [p for p in nbs if p.endswith(".ipynb")]:
        nb = nbformat.read(ROOT / path, as_version=4)
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str((ROOT / path).parent)}}).execute()
        rows.append((Path(path).stem, time.perf_counter() - t0))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--no-notebooks", action="store_true", help="only the widget latencies")
    args = ap.parse_args(argv)
    print("widget callback (computation), 20 varied calls")
    print(f"{'chapter':20s} {'median [ms]':>12s} {'max [ms]':>10s}   goal 50 ms")
    for name, med, mx in widget_latencies():
        print(f"{name:20s} {med:12.2f} {mx:10.2f}")
    if not args.no_notebooks:
        print("\nnotebook execution (fresh kernel)")
        print(f"{'notebook':28s} {'wall [s]':>9s} {'goal [s]':>9s}")
        for name, t in notebook_times():
            goal = GOALS.get(name)
            print(f"{name:28s} {t:9.1f} {goal if goal else '-':>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
