"""Rate-convolution benchmarks (run with NUEM_BENCH=1; see conftest.py).

Agreement with the nested scipy-quad reference is asserted; the speed-up is printed only.
"""
import pytest

from . import run as bench


@pytest.mark.parametrize("make", bench.CASES, ids=lambda f: f.__name__)
def test_rate_engine_matches_nested_quad(make):
    row = bench.run_case(make)
    print(f"\n{row['name']}: max rel diff {row['rel']:.2e}, speed-up cold {row['speed_cold']:.0f}x, "
          f"warm {row['speed_warm']:.0f}x")
    assert row["rel"] < 1e-4
    assert row["total"] > 0
