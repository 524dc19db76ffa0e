"""``python -m nuemcore.coverage``: toy Monte Carlo coverage of one chapter's limit.

    python -m nuemcore.coverage --list
    python -m nuemcore.coverage --analysis NAME --toys N --seed S \
        --executor {serial,processes,dask} [--workers K] [--scheduler ADDR] --json

``--toys`` is the number of toys per true value (half calibrate the threshold, half validate
it); nine or ten true values are thrown around the chapter's limit.  A progress bar goes to
stderr; the JSON (or a short text summary) to stdout.  ``seconds`` is the wall time of the toys.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time

from . import ANALYSES, SerialExecutor, analysis, calibration_factor, run
from ..errors import NuemError


@contextlib.contextmanager
def make_executor(kind, workers=2, scheduler=None):
    """Yield (executor, number of workers).  The executor is a concurrent.futures.Executor:
    "serial" (this process), "processes" (ProcessPoolExecutor of ``workers``) or "dask" (a
    distributed Client executor, on a loopback LocalCluster of ``workers`` processes unless
    ``scheduler`` names an existing cluster, whose worker count is then reported)."""
    if kind == "serial":
        yield SerialExecutor(), 1
    elif kind == "processes":
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=workers) as ex:
            yield ex, workers
    elif kind == "dask":
        from distributed import Client, LocalCluster
        if scheduler:
            with Client(scheduler) as client:
                yield client.get_executor(), len(client.scheduler_info()["workers"])
        else:
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                yield client.get_executor(), workers
    else:
        raise NuemError(f"executor={kind!r}: must be 'serial', 'processes' or 'dask'")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m nuemcore.coverage", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", action="store_true", help="list the analyses and exit")
    ap.add_argument("--analysis", choices=sorted(ANALYSES))
    ap.add_argument("--toys", type=int, default=1000, help="toys per true value (default 1000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--executor", choices=("serial", "processes", "dask"), default="serial")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scheduler", default=None, help="address of an existing Dask scheduler")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    a = ap.parse_args(argv)
    if a.list:
        for name in ANALYSES:
            print(f"{name} {analysis(name).description}")
        return 0
    if not a.analysis:
        ap.error("--analysis NAME is required (see --list)")
    if a.workers < 1:
        ap.error(f"--workers {a.workers}: must be >= 1")
    analysis(a.analysis)            # build (and cache) the protocol before timing
    with make_executor(a.executor, a.workers, a.scheduler) as (ex, n_workers):
        t0 = time.perf_counter()
        r = run(a.analysis, a.toys, a.seed, executor=ex, progress=not a.no_progress)
        dt = time.perf_counter() - t0
    out = {k: r[k] for k in ("analysis", "cl", "n_toys", "true_value", "coverage_asymptotic",
                             "coverage_neyman", "limit_asymptotic", "limit_neyman")}
    out.update(executor=a.executor, workers=n_workers,
               seconds=round(dt, 3), theta_unit=r["theta_unit"],
               moment_limit_asymptotic=r["moment_limit_asymptotic"],
               moment_limit_neyman=r["moment_limit_neyman"],
               calibration_factor=calibration_factor(r),
               limit_fc_exact=r.get("limit_fc_exact"),
               thetas=r["thetas"], coverage_rule=r["coverage_rule"], threshold=r["threshold"])
    if a.json:
        print(json.dumps(out))
    else:
        print(f"{out['analysis']}: coverage of the chapter's rule at theta={out['true_value']:.4g}"
              f" {out['coverage_asymptotic']:.3f}; limit {out['limit_asymptotic']:.4g} "
              f"(rule) vs {out['limit_neyman']} (toy-calibrated) [{out['theta_unit']}]; "
              f"{out['seconds']} s on {out['executor']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
