"""Benchmarks are not part of the default test run.

They run only when asked for:  ``NUEM_BENCH=1 .venv/bin/pytest tests/benchmarks -s``
(or ``.venv/bin/python tests/benchmarks/run.py`` for the table alone).  The tests assert the
agreement with the nested-quad reference, never a timing.
"""
import os

collect_ignore_glob = [] if os.environ.get("NUEM_BENCH") else ["test_*.py"]
