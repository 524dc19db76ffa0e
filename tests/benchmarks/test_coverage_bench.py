"""Coverage throughput, serial vs Dask (run with NUEM_BENCH=1; see conftest.py).  Asserts that
both executors give identical numbers; timings are printed only."""
from . import coverage_bench as cb


def test_coverage_serial_vs_dask():
    t, by_toys, by_truth, e = cb.main()
    assert t["identical"]
    assert e["toys"] == 10_000 * 100 * 5 * 10
