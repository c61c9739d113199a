"""`make serve`'s live preview: a real `mkdocs serve` that rebuilds when data/ changes."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, RepoFactory

from tests.browser.local_site import SITE_WITHOUT_DATA, copy_site_sources

pytestmark = pytest.mark.build

CASE = "data/cases/2025/alpha-finance.yml"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, pattern: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _get(url)
        if page and re.search(pattern, page):
            return page
        time.sleep(0.5)
    raise AssertionError(f"{url} did not show {pattern!r} within {seconds} s")


def test_serve_rebuilds_when_a_record_changes(tmp_path: Path):
    root = RepoFactory(tmp_path)()
    copy_site_sources(ROOT, root, names=SITE_WITHOUT_DATA)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--livereload",
            "--watch",
            "data",
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SMESA_TODAY": "2026-11-26", "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}/cases/alpha-finance/"
        _wait_for(url, "Faster loans for small firms", 120)
        case = root / CASE
        case.write_text(
            case.read_text("utf-8").replace("Faster loans for small firms", "Loans in six days"),
            "utf-8",
        )
        _wait_for(url, "Loans in six days", 120)
        # A contributor previews their own draft: served, and marked as not published.
        draft = re.sub(r"(?m)^published: .*\n", "", case.read_text("utf-8"))
        case.write_text(draft.replace("status: published", "status: draft"), "utf-8")
        _wait_for(url, "Not published: this record is a draft.", 120)
        # A broken record: the findings reach the terminal, and the browser, which shows
        # the errors on every page instead of waiting for a good build.
        case.write_text(case.read_text("utf-8").replace("year: 2025", "year: '2025'"), "utf-8")
        home = f"http://127.0.0.1:{port}/"
        shown = _wait_for(home, "SM002 year must be a whole number", 120)
        assert "This preview leaves out records with errors" in shown
        try:  # the broken case's own page is missing: its 404 says why
            urllib.request.urlopen(url, timeout=5)
            raise AssertionError(f"{url} is still served")
        except urllib.error.HTTPError as missing:
            assert missing.code == 404
            assert "SM002 year must be a whole number" in missing.read().decode("utf-8")
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert f"{CASE}:3:7: error SM002 year must be a whole number: '2025'" in errors
