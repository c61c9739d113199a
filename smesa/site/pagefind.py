"""Pagefind search index, built once for the whole bilingual site.

Pagefind splits the index by each page's ``<html lang>`` (``en``/``zh``, set by Material
from the language of each static-i18n build) and its UI loads the index matching the
page it runs on. Only ``data-pagefind-body`` (``overrides/main.html``) is indexed, so the
404 and search pages, headers and navigation stay out of results.

Its output is checked before the site is published: Pagefind 1.x ignores its write
errors, so on a full disk it exits 0 leaving empty or cut-off index files.

The binary is Pagefind 1.6.0 extended from npm (scripts/install-node-tools.sh), not
PyPI's 1.5.2: its ICU4X segmentation of Chinese found every case containing each of
1,328 two- to four-character phrases of the sample cases' Chinese titles and summaries
(mean recall 1.000), where 1.5.2 found 0.825 of them.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from typing import IO

from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger

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
# Index files in gzip form: a cut-off one does not decompress.
COMPRESSED = (".pf_meta", ".pf_index", ".pf_fragment", ".pagefind")


def build_index(site_dir: str | Path, languages: list[str]) -> dict[str, int]:
    """Index ``site_dir`` into ``site_dir/pagefind``; return pages indexed per language.

    Fails the build (mkdocs' Abort, one line naming the file) if Pagefind fails, does not
    index every built language (a page lacks the right ``lang`` attribute), or leaves an
    index file empty, cut off or unreadable.
    """
    return finish_index(start_index(site_dir), languages)


class Indexing:
    """A Pagefind run in progress (`start_index`), to be finished by `finish_index`."""

    def __init__(self, site: Path, process: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
        self.site, self.process, self.errors = site, process, errors

    def stop(self) -> None:
        """Kill the run: the build failed before it was needed."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.errors.close()


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


def start_index(site_dir: str | Path) -> Indexing:
    """Start Pagefind on ``site_dir``; it runs while this process does other work."""
    site = Path(site_dir)
    command = [
        str(get_executable()),
        "--site",
        str(site),
        "--output-subdir",
        OUTPUT_SUBDIR,
        # The toc permalink "¶" would otherwise end every result title.
        "--exclude-selectors",
        ".headerlink",
        "--quiet",
    ]
    # A pipe nobody reads meanwhile could fill up; the file is closed by finish or stop.
    errors = tempfile.TemporaryFile()  # noqa: SIM115
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=errors,
        # None while another thread runs (smesa.site.processes.preexec_dying_with_us)
        preexec_fn=preexec_dying_with_us(),  # noqa: PLW1509
    )
    return Indexing(site, process, errors)


def finish_index(indexing: Indexing, languages: list[str]) -> dict[str, int]:
    """Wait for Pagefind, then check its output (see `build_index`)."""
    site = indexing.site
    try:
        returncode = indexing.process.wait()
        indexing.errors.seek(0)
        stderr = indexing.errors.read().decode("utf-8", "replace")
    finally:
        indexing.errors.close()
    if returncode != 0:
        last = (stderr.strip().splitlines() or ["no message"])[-1]
        raise _fail(f"pagefind failed ({returncode}) indexing {site.name}/: {last}")
    pages = verify_index(site, languages)
    log.info("Pagefind indexed %s", ", ".join(f"{n} '{lang}' pages" for lang, n in pages.items()))
    return pages


def verify_index(site: Path, languages: list[str]) -> dict[str, int]:
    """Pages indexed per language, from the Pagefind output of `site` checked whole: the
    entry file names every language with pages and a metadata file, the fragment and
    index folders hold files, and no file is empty or (if compressed) cut off. Paths in
    messages start at the site folder's name (``site.tmp-x/pagefind/...``)."""
    output = site / OUTPUT_SUBDIR
    entry_file = output / ENTRY
    _check_file(entry_file, site)
    try:
        entry = json.loads(entry_file.read_bytes())
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
    for path in sorted(output.rglob("*")):
        if path.is_file():
            _check_file(path, site)
    return pages


def _check_file(path: Path, site: Path) -> None:
    try:
        data = path.read_bytes()
        if data and path.name.endswith(COMPRESSED):
            gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise _fail(
            f"pagefind wrote an unreadable {_shown(path, site)}: {_reason(error)}"
        ) from None
    if not data:
        raise _fail(f"pagefind wrote an empty {_shown(path, site)} (is the disk full?)")


def _shown(path: Path, site: Path) -> str:
    return path.relative_to(site.parent).as_posix()


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _fail(message: str) -> Abort:
    return Abort(f"the site was not built: {message}")
