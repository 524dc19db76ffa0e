"""Fixtures for the rendered-book tests: a local HTTP server over _build/html and headless
Debian Chromium driven by Playwright (never `playwright install`: the browser is /usr/bin/chromium).

Skips when Chromium or the built book is missing, unless CI is set: then it fails instead.
Set NUEM_HTML to test a book built elsewhere, NUEM_CHROMIUM for another Chromium binary.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from check_toc import listed_files  # noqa: E402

HTML = Path(os.environ.get("NUEM_HTML", ROOT / "_build" / "html"))
CHROMIUM = os.environ.get("NUEM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IN_CI = bool(os.environ.get("CI"))


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so browser tests may not be skipped)")
    pytest.skip(reason)


def toc_pages() -> list[tuple[str, Path]]:
    """(source path relative to the repo, built HTML page) for every file in _toc.yml."""
    found, _ = listed_files()
    return [(str(src.relative_to(ROOT)), HTML / src.relative_to(ROOT).with_suffix(".html"))
            for src in found]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site():
    """Base URL of a local server (127.0.0.1, random port) serving the built book."""
    if not (HTML / "index.html").is_file():
        _unavailable(f"no built book at {HTML} (run `make book`)")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        _unavailable("playwright is not installed (make venv)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
