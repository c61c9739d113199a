"""Pagefind search index, built once for the whole bilingual site.

Pagefind splits the index by each page's ``<html lang>`` (``en``/``zh``, set by Material
from the language of each static-i18n build) and its UI loads the index matching the
page it runs on. Only ``data-pagefind-body`` (``overrides/main.html``) is indexed, so the
404 and search pages, headers and navigation stay out of results.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from pagefind_bin_extended import get_executable

log = get_plugin_logger(__name__)

OUTPUT_SUBDIR = "pagefind"


def build_index(site_dir: str | Path, languages: list[str]) -> dict[str, int]:
    """Index ``site_dir`` into ``site_dir/pagefind``; return pages indexed per language.

    Fails the build if Pagefind fails or does not find every built language, which is what
    happens when a page lacks the right ``lang`` attribute.
    """
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
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PluginError(f"pagefind failed ({result.returncode}): {result.stderr.strip()}")
    entry = json.loads((site / OUTPUT_SUBDIR / "pagefind-entry.json").read_text("utf-8"))
    pages = {lang: meta["page_count"] for lang, meta in entry["languages"].items()}
    if sorted(pages) != sorted(languages):
        raise PluginError(f"pagefind indexed languages {sorted(pages)}, expected {languages}")
    log.info("Pagefind indexed %s", ", ".join(f"{n} '{lang}' pages" for lang, n in pages.items()))
    return pages
