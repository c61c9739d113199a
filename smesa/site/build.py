"""The site build: validate, generate, sanitise, publish data, and swap site/ atomically.

``SiteBuild`` holds the state of one MkDocs build for the thin hook file. mkdocs-static-i18n
re-runs every event for each extra language with the same config and hook module, so the
data is validated and the pages generated once, in the first ``on_config``, before MkDocs
reads docs_dir. An error finding aborts the build with the lines ``smesa check`` prints.

``build_site`` is what ``smesa build`` runs: MkDocs builds into a temporary sibling of
site/ and only a successful build replaces site/, so a failing build (bad data, a broken
link in strict mode, Pagefind failing) leaves the published site as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort

from smesa.config import site_url
from smesa.engine import count, run_rules
from smesa.output import Report, text
from smesa.repository import load_repository
from smesa.site import charts, feeds, i18n, opendata, sanitize
from smesa.site.background import Forked
from smesa.site.generate import GenerateError, generate
from smesa.site.view import SiteView

TODAY_VARIABLE = "SMESA_TODAY"
SITE_DIR = "site"
CONFIG_FILE = "mkdocs.yml"


def today() -> dt.date:
    """The date rules check against: $SMESA_TODAY (YYYY-MM-DD) if set, else today."""
    value = os.environ.get(TODAY_VARIABLE)
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Abort(f"{TODAY_VARIABLE} must be a YYYY-MM-DD date: {value!r}") from None


class SiteBuild:
    """One MkDocs build, across static-i18n's per-language runs."""

    def __init__(self) -> None:
        self.downloads: Forked[dict[str, bytes]] | None = None

    def on_config(self, config: Any) -> None:
        """Validate data/ and generate the pages, once per build.

        Once per build, not once per process: `mkdocs serve` keeps the hook module (and
        so this object) across rebuilds, and each rebuild must see the edited data. Only
        static-i18n's nested build of another language is skipped.
        """
        if i18n.plugin(config).building:
            return
        root = Path(config.config_file_path).resolve().parent
        repo = load_repository(root, today())
        findings = run_rules(repo)
        if findings:
            files = len(repo.sources) + len(repo.misplaced)
            for line in text(Report(findings, files, site_url(root))):
                print(line, file=sys.stderr)
        errors, _ = count(findings)
        if errors:
            raise Abort(f"the site was not built: {errors} error(s) in {root / 'data'}")
        try:
            generate(repo, Path(config.docs_dir))
        except (GenerateError, charts.ChartFontMissing) as error:
            raise Abort(f"the site was not built: {error}") from None
        # Written once the site is built; made meanwhile, on another core.
        self.downloads = Forked(downloads, SiteView(repo), config.site_url)

    def page_content(self, html: str, page: Any) -> str:
        """Sanitise pages made from contributor data (see smesa.site.sanitize)."""
        return sanitize.clean_html(html) if sanitize.is_generated(page.meta) else html

    def build_error(self) -> None:
        """Stop the child making the downloads: this build will not publish them."""
        if self.downloads is not None:
            self.downloads.cancel()
            self.downloads = None

    def post_build(self, config: Any) -> None:
        """Feeds and open data, once the whole site is on disk."""
        if self.downloads is None:
            return
        site_dir = Path(config.site_dir)
        for rel, content in self.downloads.result().items():
            target = site_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        self.downloads = None


def downloads(view: SiteView, site_url: str) -> dict[str, bytes]:
    """The feeds and open data files, by their paths relative to the site root."""
    files: dict[str, str | bytes] = {
        **feeds.feed_files(view, site_url),
        **opendata.open_data_files(view, site_url),
    }
    return {rel: c if isinstance(c, bytes) else c.encode("utf-8") for rel, c in files.items()}


@contextlib.contextmanager
def _today_set(day: dt.date | None) -> Iterator[None]:
    """Pass the date to the hook, which MkDocs loads itself, through the environment."""
    before = os.environ.get(TODAY_VARIABLE)
    if day is not None:
        os.environ[TODAY_VARIABLE] = day.isoformat()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(TODAY_VARIABLE, None)
        else:
            os.environ[TODAY_VARIABLE] = before


def build_site(root: Path, *, today: dt.date | None = None, verbose: bool = False) -> Path:
    """Build the site of the repository at `root` and publish it as `root`/site.

    Raises mkdocs' Abort (or another MkDocs error) when the build fails; site/ is then
    left untouched.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = root.resolve()
    _log_to_stderr(verbose)
    staging = Path(tempfile.mkdtemp(prefix=f"{SITE_DIR}.tmp-", dir=root))
    try:
        config = load_config(str(root / CONFIG_FILE), site_dir=str(staging))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            with _today_set(today):
                build(config)
        finally:
            config.plugins.on_shutdown()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return swap_into_place(staging, root / SITE_DIR)


def swap_into_place(staging: Path, target: Path) -> Path:
    """Replace `target` by `staging` with two renames; the old tree is deleted after."""
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{target.name}.old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def _log_to_stderr(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if any(getattr(h, "smesa", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.smesa = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(levelname)-8s- %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
