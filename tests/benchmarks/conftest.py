"""Benchmarks are not part of the default test run.

Except ``test_live_explorers.py`` (always collected: it prints the live explorers' update
times and asserts only their values), they run only when asked for:  ``NUEM_BENCH=1 .venv/bin/pytest tests/benchmarks -s``
(or ``.venv/bin/python tests/benchmarks/run.py`` for the table alone).  The tests assert the
agreement with the nested-quad reference, never a timing.
"""
import os

from pathlib import Path

#: the live-explorer benchmark asserts no timing and runs in every `make unit`/`make test`
ALWAYS = {"test_live_explorers.py"}
collect_ignore_glob = [] if os.environ.get("NUEM_BENCH") else [
    p.name for p in Path(__file__).parent.glob("test_*.py") if p.name not in ALWAYS]
