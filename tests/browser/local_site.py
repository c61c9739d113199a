"""Build the site, serve it on 127.0.0.1, open it in headless Chromium.

Plain functions, no pytest: the browser tests and ``scripts/bench.py`` share them.

Builds run in a copy of the repository (data/, the hand-written pages of content/,
mkdocs.yml, overrides/, hooks/), so they neither touch the working tree's content/ and
site/ nor race another build.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Browser, Playwright

from smesa.site.generate import hand_written_files

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# pyproject.toml: the repository setting, for the pages' links to GitHub.
SITE_SOURCES = ("data", "mkdocs.yml", "overrides", "hooks", "pyproject.toml")
# The same for a repository whose data/ a test wrote.
SITE_WITHOUT_DATA = tuple(name for name in SITE_SOURCES if name != "data")


def copy_site_sources(source: Path, target: Path, names: tuple[str, ...] = SITE_SOURCES) -> Path:
    """Copy what a site build reads (`names`, then content/ without the pages the
    generator wrote)."""
    for name in names:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, target / name)
    for rel in hand_written_files(source / "content"):
        (target / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / "content" / rel, target / "content" / rel)
    return target


def build_site(root: Path, today: dt.date) -> Path:
    """Run ``smesa build`` (validation, generation, MkDocs, Pagefind) in `root`."""
    done = subprocess.run(
        [sys.executable, "-m", "smesa.cli", "build", "--today", today.isoformat()],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"smesa build failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return root / "site"


def launch_chromium(playwright: Playwright) -> Browser:
    """The system Chromium, headless (Playwright's own browsers cannot be downloaded here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a missing address with the site's root 404.html, as static hosts do
        (GitHub Pages serves that one page for every language)."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


# Compressed by the server as static hosts do (Pagefind's files are gzip already).
COMPRESSED_TYPES = (".html", ".css", ".js", ".svg", ".json", ".xml", ".txt", ".csv", "/")


class _CompressingHandler(_QuietHandler):
    """Like a static host: text is sent gzip-compressed to a client that asks for it, and
    may be cached for ten minutes (GitHub Pages' max-age)."""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        local = Path(self.translate_path(path))
        if local.is_dir():
            local = local / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.endswith(COMPRESSED_TYPES) and local.is_file()):
            super().do_GET()
            return
        if path.endswith("/") is False and Path(self.translate_path(path)).is_dir():
            super().do_GET()  # the redirect to the folder's address
            return
        body = gzip.compress(local.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(local)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(directory: Path, *, compress: bool = False) -> Iterator[str]:
    """Serve `directory` over HTTP on 127.0.0.1 (a random free port); yield its base URL.
    `compress`: gzip text responses, as a real host does (for Lighthouse)."""
    handler_class = _CompressingHandler if compress else _QuietHandler
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
