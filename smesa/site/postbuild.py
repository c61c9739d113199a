"""Steps that need the whole site on disk, run once after the last language is built."""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from smesa.render import inert
from smesa.site import alternates, i18n, pagefind
from smesa.site.generate import hand_written_files

# The theme's own files, copied as they are: nothing of ours is in them.
THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")
SHOWN_PROBLEMS = 10
log = get_plugin_logger(__name__)
SEARCH = f"{pagefind.OUTPUT_SUBDIR}/"
# Material's own search (lunr and its worker) is not used: search is Pagefind. Source
# maps serve developers' tools only. About 2.2 MB that no reader needs.
UNUSED_THEME_FOLDERS = ("assets/javascripts/lunr", "assets/javascripts/workers")
# No page loads Material's bundle (overrides/main.html) or a palette (smesa.css has the
# colours).
UNUSED_THEME_FILES = ("assets/javascripts/bundle.*.min.js", "assets/stylesheets/palette.*.min.css")
_SOURCE_MAP_COMMENT = re.compile(rb"\n?/[/*]# sourceMappingURL=\S+(?: \*/)?\s*$")


def finish_site(
    config: MkDocsConfig,
    *,
    search_optional: bool = False,
    known: Mapping[bytes, inert.Reading] | None = None,
    indexing: pagefind.Indexing | None = None,
) -> None:
    """Remove the theme's unused files, index every language with Pagefind, then read
    back every file written and refuse a site that holds anything active.

    `search_optional` (a `mkdocs serve` preview): without Pagefind, which comes from npm,
    the preview has no search rather than no pages, so a contributor's laptop needs
    neither npm nor root. A build to publish always needs it. `known`: the pages read as
    they were written, by digest (`inert.verify_tree`). `indexing`: Pagefind's run, if
    the build started it (`pagefind.Indexing.add_default_language`)."""
    site = Path(config.site_dir)
    prune_theme_assets(site)
    reviewed = reviewed_pages(config)
    if search_optional and not pagefind.available():
        pagefind.log.info(  # a warning would stop a strict build
            "Pagefind is not installed: this preview has no search "
            "(scripts/install-node-tools.sh installs it)"
        )
        refuse_active(inert.verify_tree(site, reviewed, skip=THEME_ASSETS, known=known))
        return
    indexing = indexing or pagefind.start_index(site)
    known = known or {}
    try:
        # Pagefind reads the pages it has not read yet while the pages are read back (those
        # read as they were written only hashed); a page that is not what MkDocs was seen
        # to write is read by Pagefind again, as it is now. Pagefind writes its index while
        # the other files are read and the Chinese pages marked.
        indexing.add_remaining()
        files = inert.site_files(site, skip=(*THEME_ASSETS, SEARCH))
        allowed = inert.allowed_scripts(reviewed, known)
        pages = [path for path in files if path.suffix == ".html"]
        parsed: list[Path] = []
        found = inert.verify_files(site, pages, allowed, known=known, parsed=parsed)
        log_parsed(site, parsed, len(known))
        indexing.add_again(parsed)
        indexing.wait()
        indexing.write()
        others = [path for path in files if path.suffix != ".html"]
        found += inert.verify_files(site, others, allowed)
        alternates.mark_simplified_chinese(site)

        def read_index(path: Path, data: bytes, unzipped: bytes | None) -> None:
            rel = path.relative_to(site).as_posix()
            problems = inert.stored_problems(path, data, unzipped=unzipped)
            found.extend(inert.Active(rel, what) for what in problems)

        # Pagefind's output is read for anything active as it is checked, not again.
        indexing.finish(i18n.build_languages(config), read_index)
    finally:
        indexing.stop()
    refuse_active(sorted(found, key=lambda active: active.path))


def log_parsed(site: Path, parsed: list[Path], read: int) -> None:
    """Say which pages were parsed again (their files are not what MkDocs was seen to
    write): the 404 pages, which MkDocs writes from a template, and nothing else."""
    names = ", ".join(path.relative_to(site).as_posix() for path in parsed[:SHOWN_PROBLEMS])
    more = f" and {len(parsed) - SHOWN_PROBLEMS} more" if len(parsed) > SHOWN_PROBLEMS else ""
    log.info(
        f"read back: {read} pages read as they were written, "
        f"{len(parsed)} parsed again: {names or 'none'}{more}"
    )


def prune_theme_assets(site: Path) -> None:
    """Remove the theme's files that no page uses (and the comments that name maps)."""
    for folder in UNUSED_THEME_FOLDERS:
        shutil.rmtree(site / folder, ignore_errors=True)
    for pattern in UNUSED_THEME_FILES:
        for path in site.glob(pattern):
            path.unlink()
    for kind in ("javascripts", "stylesheets"):
        for source_map in (site / "assets" / kind).rglob("*.map"):
            source_map.unlink()
            asset = source_map.with_suffix("")
            if asset.is_file():
                asset.write_bytes(_SOURCE_MAP_COMMENT.sub(b"\n", asset.read_bytes()))


def reviewed_pages(config: MkDocsConfig) -> list[Path]:
    """The built pages of the hand-written sources (reviewed project files)."""
    site, default = Path(config.site_dir), i18n.default_language(config)
    pages = []
    for rel in hand_written_files(Path(config.docs_dir)):
        lang, _, page = rel.partition("/")
        if not page.endswith(".md"):
            continue
        url = page.removesuffix(".md").removesuffix("index").strip("/")
        folder = site if lang == default else site / lang
        built = (folder / url / "index.html") if url else folder / "index.html"
        if built.is_file():
            pages.append(built)
    return pages


def refuse_active(found: list[inert.Active]) -> None:
    if found:
        shown = "\n".join(f"  {problem}" for problem in found[:SHOWN_PROBLEMS])
        more = len(found) - SHOWN_PROBLEMS
        raise PluginError(
            f"the site was not published: {len(found)} active item(s) in its files\n{shown}"
            + (f"\n  ... and {more} more" if more > 0 else "")
        )
