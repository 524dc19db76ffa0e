"""Coverage toys: throughput serial vs Dask, growth with toys and true values, and a campaign
estimate (issue 16).  ``python tests/benchmarks/coverage_bench.py`` prints the table;
``NUEM_BENCH=1 pytest tests/benchmarks/test_coverage_bench.py -s`` runs it as a test (which
asserts equal numbers across executors, never a timing).

Timings are wall-clock on whatever machine runs them (ours: 2 cores shared with other jobs).
"""
from __future__ import annotations

import time

import numpy as np

from nuemcore import coverage as cv

ANALYSIS = "solar_cevns.mu_e_paper"   # 3 bins, 5 profiled pulls: a realistic cost per toy


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def throughput(n_toys=512, n_truth=4, workers=2, name=ANALYSIS):
    """Toys per second serial and on a loopback Dask LocalCluster of ``workers`` processes
    (cluster start-up excluded; the workers build the protocol on first use, included)."""
    from distributed import Client, LocalCluster
    cv.analysis(name)
    thetas = cv.analysis(name).rule_limit() * np.linspace(0.6, 1.4, n_truth)
    ser, t_ser = _timed(lambda: cv.run(name, n_toys, 1, thetas=thetas))
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        ex = client.get_executor()
        client.run(lambda: cv.analysis(name))          # warm the workers' caches
        dsk, t_dsk = _timed(lambda: cv.run(name, n_toys, 1, thetas=thetas, executor=ex))
    n = n_toys * n_truth
    return {"toys": n, "serial_toys_per_s": n / t_ser, "dask_toys_per_s": n / t_dsk,
            "ratio_dask_over_serial": t_ser / t_dsk, "identical": ser == dsk}


def growth(name=ANALYSIS, toys=(128, 256, 512), truths=(2, 4, 8)):
    """Serial seconds against toys per true value (4 true values) and against the number of
    true values (256 toys)."""
    lim = cv.analysis(name).rule_limit()
    by_toys = {n: _timed(lambda: cv.run(name, n, 1, thetas=lim * np.linspace(0.6, 1.4, 4)))[1]
               for n in toys}
    by_truth = {m: _timed(lambda: cv.run(name, 256, 1, thetas=lim * np.linspace(0.6, 1.4, m)))[1]
                for m in truths}
    return by_toys, by_truth


def campaign_estimate(toys_per_s_per_core, toys=10_000, masses=100, experiments=5, truths=10,
                      cores=(1, 64, 512)):
    """An estimate (not a measurement): core-hours and wall hours for toys x masses x
    experiments, with ``truths`` true values per mass, at the measured rate per core."""
    n = toys * masses * experiments * truths
    hours = n / toys_per_s_per_core / 3600.0
    return {"toys": n, "core_hours": hours, "wall_hours": {c: hours / c for c in cores}}


def main():
    t = throughput()
    print(f"{ANALYSIS}: {t['toys']} toys; serial {t['serial_toys_per_s']:.0f} toys/s, Dask 2 "
          f"workers {t['dask_toys_per_s']:.0f} toys/s, ratio {t['ratio_dask_over_serial']:.2f}; "
          f"identical numbers: {t['identical']}")
    by_toys, by_truth = growth()
    print("seconds vs toys per true value (4 true values):",
          {k: round(v, 2) for k, v in by_toys.items()})
    print("seconds vs number of true values (256 toys):",
          {k: round(v, 2) for k, v in by_truth.items()})
    e = campaign_estimate(t["serial_toys_per_s"])
    print(f"ESTIMATE 1e4 toys x 100 masses x 5 experiments x 10 true values = {e['toys']:.1e} "
          f"toys: {e['core_hours']:.0f} core-hours; wall hours on 1/64/512 cores: "
          + ", ".join(f"{v:.2g}" for v in e["wall_hours"].values()))
    return t, by_toys, by_truth, e


if __name__ == "__main__":
    main()
