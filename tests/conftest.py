"""Shared pytest setup for the nuem tests.

* matplotlib uses the non-interactive ``agg`` backend in tests (``MPLBACKEND=agg`` unless set).
* hypothesis: no deadline (tests must not assert on timing), a fixed-size "ci" profile under CI.
* ``fresh_data_caches``: clears the lru caches of ``nuemcore.data`` around a test that changes
  ``NUEM_DATA`` or the files it points to.
"""
from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "agg")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, max_examples=100, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def _clear_data_caches():
    from nuemcore import data

    data.path.cache_clear()
    data._manifest.cache_clear()


@pytest.fixture
def fresh_data_caches():
    """Clear nuemcore.data's caches before and after the test."""
    _clear_data_caches()
    yield
    _clear_data_caches()
