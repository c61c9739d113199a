"""Pagefind search index, built once for the whole bilingual site.

Pagefind splits the index by each page's ``<html lang>`` (``en``/``zh``, set by Material
from the language of each static-i18n build) and its UI loads the index matching the
page it runs on. Only ``data-pagefind-body`` (``overrides/main.html``) is indexed, so the
404 and search pages, headers and navigation stay out of results.

The build runs Pagefind's service (`pagefind --service`, which its Node and Python APIs
drive), not its command line, so that Pagefind reads the default language's pages while
MkDocs builds the other languages and only the last language is read after the build
(`Indexing`): on the benchmark site, the wait for Pagefind after MkDocs went from 5-7 s
to about 3 s. The index is byte for byte what `pagefind --site` builds from the same
files (tests/test_pagefind.py).

Its output is checked before the site is published: Pagefind 1.x ignores its write
errors, so on a full disk it exits 0 leaving empty or cut-off index files.

The binary is Pagefind 1.6.0 extended from npm (scripts/install-node-tools.sh), not
PyPI's 1.5.2: its ICU4X segmentation of Chinese found every case containing each of
1,328 two- to four-character phrases of the sample cases' Chinese titles and summaries
(mean recall 1.000), where 1.5.2 found 0.825 of them.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger

from smesa.render import inert
from smesa.site.background import LATER_NICENESS
from smesa.site.processes import preexec_dying_with_us

log = get_plugin_logger(__name__)

# Installed beside the checkout by scripts/install-node-tools.sh (pinned in package.json):
# npm installs the one package of @pagefind/<system>-<cpu> that fits the machine.
NODE_MODULES = Path(__file__).resolve().parents[2] / ".node-tools" / "node_modules"
_CPUS = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}


def executable_for(system: str, machine: str) -> Path:
    """Where npm puts Pagefind's extended binary on a machine (`sys.platform`,
    `platform.machine()`), named as Pagefind's own runner names it (node's
    process.platform and os.arch(): pagefind/lib/resolveBinary.js)."""
    name = "windows" if system == "win32" else system.rstrip("0123456789")  # freebsd14
    cpu = _CPUS.get(machine.lower(), machine.lower())
    binary = "pagefind_extended.exe" if name == "windows" else "pagefind_extended"
    return NODE_MODULES / "@pagefind" / f"{name}-{cpu}" / "bin" / binary


EXECUTABLE = executable_for(sys.platform, platform.machine())
EXECUTABLE_VARIABLE = "SMESA_PAGEFIND"
OUTPUT_SUBDIR = "pagefind"
ENTRY = "pagefind-entry.json"
# The toc permalink "¶" would otherwise end every result title.
EXCLUDED = [".headerlink"]
# Index files in gzip form: a cut-off one does not decompress.
COMPRESSED = (".pf_meta", ".pf_index", ".pf_fragment", ".pagefind")
# What is given each index file's bytes (and decompressed, if compressed): `verify_index`.
Reader = Callable[[Path, bytes, bytes | None], None]


# What Pagefind's globs (the wax crate) read as syntax, escaped to stand for themselves.
_GLOB_SYNTAX = re.compile(r"([?*$:<>()\[\]{},])")
EVERY_PAGE = "**/*.html"


def folders_glob(names: list[str], *, top: bool) -> str | None:
    """A Pagefind glob of the HTML files under the folders `names` of the site root (and
    `top`: those at the root itself); None where a name cannot be written in one (a
    backslash, which no escape makes literal)."""
    if not (names or top) or any("\\" in name for name in names):
        return None
    escaped = [_GLOB_SYNTAX.sub(r"\\\1", name) for name in names]
    patterns = (["*.html"] if top else []) + [f"{name}/**/*.html" for name in escaped]
    return patterns[0] if len(patterns) == 1 else "{" + ",".join(patterns) + "}"


class Indexing:
    """Pagefind's service (``pagefind --service``, the program its Node and Python APIs
    run) building one index of a site, part by part (`start_index`).

    The default language's pages are all written before static-i18n builds the others:
    Pagefind reads them then (`add_default_language`), on the core MkDocs leaves idle,
    and reads the rest once the site is built (`add_remaining`). Pagefind reads the
    folders in the order its command line does, so the index is byte for byte the one
    `pagefind --site` builds. Its service handles one message at a time, in order."""

    def __init__(self, site: Path, process: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
        self.site, self.process, self.errors = site, process, errors
        self._received = b""
        self._sent = 0
        self._waiting: list[int] = []
        self._remaining = EVERY_PAGE  # the pages not asked for yet
        self._index = 0

    def open(self) -> None:
        """Create the index Pagefind builds (the first answer: Pagefind has started)."""
        payload = self._request({"type": "NewIndex", "config": {"exclude_selectors": EXCLUDED}})
        self._index = payload["index_id"]

    def add_default_language(self, other_languages: list[str]) -> None:
        """Have Pagefind read the pages written so far, those of the default language:
        every HTML file but those in the other languages' folders (static-i18n writes a
        language under its code). Where that cannot be written as a glob, Pagefind reads
        every page at the end instead."""
        names = sorted(p.name for p in self.site.iterdir() if p.is_dir())
        mine = folders_glob([n for n in names if n not in other_languages], top=True)
        rest = folders_glob(other_languages, top=False) if other_languages else None
        if mine is None or rest is None or self._remaining != EVERY_PAGE:
            return
        self._send({"type": "AddDir", "path": str(self.site.resolve()), "glob": mine})
        self._remaining = rest

    def add_remaining(self) -> None:
        """Have Pagefind read the pages it has not read yet (all of them, without
        `add_default_language`)."""
        self._send({"type": "AddDir", "path": str(self.site.resolve()), "glob": self._remaining})

    def add_again(self, pages: list[Path]) -> None:
        """Have Pagefind read `pages` again, as they are now: a page changed after it was
        read replaces its first reading (Pagefind keeps one page per URL)."""
        for page in pages:
            contents = page.read_bytes().decode("utf-8", "replace")
            rel = page.relative_to(self.site).as_posix()
            self._send({"type": "AddFile", "file_path": rel, "file_contents": contents})

    def wait(self) -> None:
        """Wait until Pagefind has read every page asked for (the files may change then)."""
        while self._waiting:
            self._receive(self._waiting[0])

    def write(self) -> None:
        """Have Pagefind write its index to ``site/pagefind`` (`finish` waits for it)."""
        self._send(
            {"type": "WriteFiles", "output_path": str((self.site / OUTPUT_SUBDIR).resolve())}
        )

    def finish(self, languages: list[str], read: Reader | None = None) -> dict[str, int]:
        """Wait for the index, end Pagefind, then check its output; return the pages
        indexed per language. `read`: see `verify_index`.

        Fails the build (mkdocs' Abort, one line naming the file) if Pagefind fails, does
        not index every built language (a page lacks the right ``lang`` attribute), or
        leaves an index file empty, cut off or unreadable.
        """
        self.wait()
        self._close_input()
        if self.process.wait() != 0:
            raise self._failure()
        self.errors.close()
        pages = verify_index(self.site, languages, read)
        log.info(
            "Pagefind indexed %s", ", ".join(f"{n} '{lang}' pages" for lang, n in pages.items())
        )
        return pages

    def stop(self) -> None:
        """End Pagefind: the build failed before its index was needed."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._close_input()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.errors.close()

    def _request(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self._receive(self._send(payload, index=False))

    def _send(self, payload: dict[str, Any], *, index: bool = True) -> int:
        self._sent += 1
        if index:
            payload = {**payload, "index_id": self._index}
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode()
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(base64.b64encode(message) + b",")
            self.process.stdin.flush()
        except OSError:  # Pagefind ended: what it said is in its error output
            raise self._failure() from None
        self._waiting.append(self._sent)
        return self._sent

    def _receive(self, message_id: int) -> dict[str, Any]:
        """The answer to message `message_id`, and those before it (each is checked)."""
        assert self.process.stdout is not None
        while True:
            while b"," in self._received:
                encoded, _, self._received = self._received.partition(b",")
                answer = json.loads(base64.b64decode(encoded))
                payload = answer["payload"]
                if payload.get("type") == "Error":
                    raise _fail(f"pagefind failed indexing {self.site.name}/: {payload['message']}")
                if answer.get("message_id") in self._waiting:
                    self._waiting.remove(answer["message_id"])
                if answer.get("message_id") == message_id:
                    return payload
            chunk = self.process.stdout.read1(65536)
            if not chunk:
                raise self._failure()
            self._received += chunk

    def _failure(self) -> Abort:
        """The error of a Pagefind that ended before it answered."""
        self._close_input()
        returncode = self.process.wait()
        self.errors.seek(0)
        said = reason_said(self.errors.read().decode("utf-8", "replace"))
        return _fail(f"pagefind failed ({returncode}) indexing {self.site.name}/: {said}")

    def _close_input(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(OSError):
                self.process.stdin.close()


def reason_said(stderr: str) -> str:
    """The line of Pagefind's error output that says what went wrong: its last, or the
    message of a panic (Rust prints a note about backtraces after it)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for number, line in enumerate(lines[:-1]):
        if " panicked at " in line:
            return lines[number + 1]
    return lines[-1] if lines else "no message"


def available() -> bool:
    """True when the Pagefind binary `get_executable` would run is there."""
    return Path(os.environ.get(EXECUTABLE_VARIABLE) or EXECUTABLE).is_file()


def get_executable() -> Path:
    """Pagefind's extended binary (``$SMESA_PAGEFIND`` names another one, for tests); the
    build stops, saying how to install it, without it."""
    executable = Path(os.environ.get(EXECUTABLE_VARIABLE) or EXECUTABLE)
    if not executable.is_file():
        raise Abort(f"Pagefind is not installed ({executable}): run scripts/install-node-tools.sh")
    return executable


def command(site_dir: str | Path) -> list[str]:
    """Pagefind's command line for the same index of ``site_dir`` (the benchmark's and the
    tests' reference)."""
    excluded = [arg for selector in EXCLUDED for arg in ("--exclude-selectors", selector)]
    site = ["--site", str(site_dir), "--output-subdir", OUTPUT_SUBDIR]
    return [str(get_executable()), *site, *excluded, "--quiet"]


def start_index(site_dir: str | Path) -> Indexing:
    """Start Pagefind's service for ``site_dir``; it works while this process does."""
    site = Path(site_dir)
    # A pipe nobody reads meanwhile could fill up; the file is closed by finish or stop.
    errors = tempfile.TemporaryFile()  # noqa: SIM115
    process = subprocess.Popen(
        [str(get_executable()), "--service"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
        cwd=site,
        # None while another thread runs (smesa.site.processes.preexec_dying_with_us).
        # At a lower priority: it reads the default language's pages while MkDocs builds
        # the others, which it slowed by half a second at MkDocs' priority (measured).
        preexec_fn=preexec_dying_with_us(LATER_NICENESS),  # noqa: PLW1509
    )
    indexing = Indexing(site, process, errors)
    try:
        indexing.open()
    except BaseException:
        indexing.stop()
        raise
    return indexing


def verify_index(site: Path, languages: list[str], read: Reader | None = None) -> dict[str, int]:
    """Pages indexed per language, from the Pagefind output of `site` checked whole: the
    entry file names every language with pages and a metadata file, the fragment and
    index folders hold files, and no file is empty or (if compressed) cut off. Paths in
    messages start at the site folder's name (``site.tmp-x/pagefind/...``).

    `read(path, data, unzipped)` is given each file's bytes as they are checked, and
    those bytes decompressed if the file is compressed (None otherwise), so that the
    build reads the index for anything active without reading it again."""
    output = site / OUTPUT_SUBDIR
    entry_file = output / ENTRY
    entry_data, _ = _check_file(entry_file, site)
    try:
        entry = json.loads(entry_data)
        pages = {lang: meta["page_count"] for lang, meta in entry["languages"].items()}
        hashes = [meta["hash"] for meta in entry["languages"].values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        shown = _shown(entry_file, site)
        raise _fail(f"pagefind wrote an unreadable {shown}: {_reason(error)}") from None
    if sorted(pages) != sorted(languages):
        raise _fail(f"pagefind indexed languages {sorted(pages)}, expected {languages}")
    empty = sorted(lang for lang, count in pages.items() if not count)
    if empty:
        raise _fail(f"pagefind indexed no page in {', '.join(empty)}: {_shown(entry_file, site)}")
    for folder in ("fragment", "index"):
        if not any((output / folder).glob("*")):
            raise _fail(f"pagefind wrote no file in {_shown(output / folder, site)}/")
    for name in hashes:
        meta = output / f"pagefind.{name}.pf_meta"
        if not meta.is_file():
            raise _fail(f"pagefind wrote no {_shown(meta, site)}")
    for path in inert.site_files(site, within=OUTPUT_SUBDIR):
        data, unzipped = _check_file(path, site)
        if read is not None:
            read(path, data, unzipped)
    return pages


def _check_file(path: Path, site: Path) -> tuple[bytes, bytes | None]:
    """The bytes of an index file, and decompressed if it is compressed."""
    unzipped = None
    try:
        data = path.read_bytes()
        if data and path.name.endswith(COMPRESSED):
            unzipped = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise _fail(
            f"pagefind wrote an unreadable {_shown(path, site)}: {_reason(error)}"
        ) from None
    if not data:
        raise _fail(f"pagefind wrote an empty {_shown(path, site)} (is the disk full?)")
    return data, unzipped


def _shown(path: Path, site: Path) -> str:
    return path.relative_to(site.parent).as_posix()


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _fail(message: str) -> Abort:
    return Abort(f"the site was not built: {message}")
