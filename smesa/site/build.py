"""The site build: validate, generate, sanitise, publish data, and swap site/ atomically.

``SiteBuild`` holds the state of one MkDocs build for the thin hook file. mkdocs-static-i18n
re-runs every event for each extra language with the same config and hook module, so the
data is loaded and the pages planned once, in the first ``on_config``, before MkDocs
lists docs_dir; each page is written by then or, on another core, before MkDocs reads
it (``on_page_read_source``, see ``smesa.site.generate.PageWriter``). The rules run on
another core meanwhile; an error finding aborts the build, before MkDocs reads any page,
with the lines ``smesa check`` prints. Pagefind reads the default language's pages
while MkDocs builds the others (``smesa.site.pagefind.Indexing``).

``build_site`` is what ``smesa build`` runs: MkDocs builds into a temporary sibling of
site/ and only a successful build replaces site/, so a failing build (bad data, a broken
link in strict mode, Pagefind failing, a full disk) leaves the published site as it was.
A build holds a lock on its staging folder while it lives, so the next build can tell
the folder of a build that was killed from one still running, and removes it.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import datetime as dt
import errno
import io
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: no flock; `mkdocs serve` (the laptop preview) needs none
    fcntl = None  # type: ignore[assignment]

from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import File, Files

from smesa.check.engine import count, run_rules
from smesa.check.findings import Finding
from smesa.check.output import Report, text
from smesa.data.config import site_url
from smesa.data.models import LANGUAGES
from smesa.data.repository import Repository, load_repository
from smesa.render import inert
from smesa.report import charts
from smesa.site import i18n, pagefind, sanitize, slugs
from smesa.site.background import Forked, Worker
from smesa.site.generate import (
    CHARTS_DIR,
    UPDATED_KEY,
    GenerateError,
    PageWriter,
    listing_key,
    problems_html,
)
from smesa.site.view import SiteView

TODAY_VARIABLE = "SMESA_TODAY"  # the date for builds MkDocs starts itself (`mkdocs serve`)
TODAY_KEY = "smesa_today"  # the date `build_site` puts on the configuration it builds
# A preview shows every record, each unpublished one marked as such: `mkdocs serve`
# (a contributor's own machine) and `smesa build --preview` (a pull request's artifact).
PREVIEW_KEY = "smesa_preview"
SITE_DIR = "site"
CONFIG_FILE = "mkdocs.yml"
STAGING_PREFIX = f"{SITE_DIR}.tmp-"  # a build's own folder, site/ once published
OLD_PREFIX = f"{SITE_DIR}.old-"  # the site/ it replaced, while it is deleted
# What a full or read-only disk answers to a write.
_WRITE_REFUSED = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def build_day(config: Any) -> dt.date:
    """The date rules check against: the one `build_site` was given, else $SMESA_TODAY
    (YYYY-MM-DD) when MkDocs was started directly, else today."""
    given = config.get(TODAY_KEY)
    if given is not None:
        return given
    value = os.environ.get(TODAY_VARIABLE)
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Abort(f"{TODAY_VARIABLE} must be a YYYY-MM-DD date: {value!r}") from None


_PLAIN_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)


def wrap_tables(html: str) -> str:
    """Each table of a page's Markdown in the frames Material's script would put it in
    (``.md-typeset__scrollwrap > .md-typeset__table``): written here, it scrolls inside
    its frame without a script, and nothing moves when the page loads."""
    if "<table>" not in html:
        return html
    return _PLAIN_TABLE.sub(
        lambda found: (
            '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
            + found.group(0)
            + "</div></div>"
        ),
        html,
    )


class SiteBuild:
    """One MkDocs build, across static-i18n's per-language runs."""

    def __init__(self) -> None:
        self.pages: PageWriter | None = None
        self.serving = False  # started by `mkdocs serve`: its builds are previews
        self.problems: list[str] = []  # a preview's data errors, shown on its pages
        self.downloads: Forked[dict[str, bytes]] | None = None
        self.sanitizer: Worker[str] | None = None
        self.dirty: list[Any] = []  # pages whose HTML the sanitizer is cleaning
        self.clean: set[str] = set()  # generated pages cleaned in this language's build
        # The pages as MkDocs writes them, read for anything active on the other core;
        # what it found, by the digest of the bytes written (see smesa.render.inert).
        self.reader: Worker[tuple[bytes, inert.Reading]] | None = None
        self.readings: dict[bytes, inert.Reading] = {}
        # The rules running beside MkDocs' start, and what their findings are about.
        self.checking: tuple[Forked[list[Finding]], Repository, Path] | None = None
        # Pagefind's run, started once the default language's pages are all written.
        self.indexing: pagefind.Indexing | None = None

    def on_startup(self, command: str) -> None:
        self.serving = command == "serve"

    def on_config(self, config: Any) -> None:
        """Validate data/ and plan the pages, once per build; start writing them.

        Once per build, not once per process: `mkdocs serve` keeps the hook module (and
        so this object) across rebuilds, and each rebuild must see the edited data. Only
        static-i18n's nested build of another language is skipped.
        """
        if i18n.plugin(config).building:
            self._index_default_language(config)
            return
        self.cancel()  # a previous `mkdocs serve` build that failed
        _refuse_incomplete_hook(config, self)
        root = Path(config.config_file_path).resolve().parent
        repo = load_repository(root, build_day(config))
        preview = bool(config.get(PREVIEW_KEY)) or self.serving
        if not self.serving:
            # Any error stops a build, so its pages need not wait for the check: the rules
            # run in a child while this process plans the pages and its children write them,
            # and while MkDocs lists content/. `on_nav` waits for them before MkDocs reads a
            # page (a plan that failed waits now: the data's errors are its likely cause).
            checking = Forked(run_rules, repo)
            try:
                planned = self._plan(config, repo, preview=preview, problems=[])
            except BaseException:
                checking.cancel()
                raise
            self.checking = (checking, repo, root)
            if planned is None:
                return
            self._finish_check()
            self.cancel()
            raise Abort(f"the site was not built: {planned}") from None
        findings = run_rules(repo)
        errors = self._report(findings, repo, root)
        self.problems = []
        if errors and not repo.reference_ok:
            self.cancel()
            raise Abort(f"the site was not built: {errors} error(s) in {root / 'data'}")
        if errors:
            # `mkdocs serve` would keep the browser waiting on the last good build: show
            # the records that pass, and the errors at the top of every page instead.
            wrong = [f for f in findings if f.is_error]
            self.problems = list(text(Report(wrong, len(repo.sources), "")))
            broken = {f.path for f in wrong}
            kept = [e for e in repo.entries if e.source.path not in broken]
            repo = dataclasses.replace(repo, entries=kept)
        planned = self._plan(config, repo, preview=preview, problems=self.problems)
        if planned is not None:
            self.cancel()
            raise Abort(f"the site was not built: {planned}") from None

    def _finish_check(self) -> None:
        """Wait for the rules started by `on_config`; stop the build at any error."""
        if self.checking is None:
            return
        checking, repo, root = self.checking
        self.checking = None
        try:
            findings = checking.result()
        except Exception:
            self.cancel()
            raise
        errors = self._report(findings, repo, root)
        if errors:
            self.cancel()
            raise Abort(f"the site was not built: {errors} error(s) in {root / 'data'}")

    @staticmethod
    def _report(findings: list[Finding], repo: Repository, root: Path) -> int:
        """Print the findings as `smesa check` does; return how many are errors."""
        if findings:
            files = len(repo.sources) + len(repo.misplaced)
            for line in text(Report(findings, files, site_url(root))):
                print(line, file=sys.stderr)
        return count(findings)[0]

    def _index_default_language(self, config: Any) -> None:
        """static-i18n starts building another language: the default language's pages
        are written, so Pagefind reads them now, while MkDocs builds the others."""
        if self.pages is None or self.indexing is not None:
            return
        if self.serving and not pagefind.available():
            return  # the preview has no search (smesa.site.postbuild.finish_site)
        default = i18n.default_language(config)
        others = [lang for lang in i18n.build_languages(config) if lang != default]
        self.indexing = pagefind.start_index(config.site_dir)
        self.indexing.add_default_language(others)

    def take_indexing(self) -> pagefind.Indexing | None:
        indexing, self.indexing = self.indexing, None
        return indexing

    def _plan(
        self, config: Any, repo: Repository, *, preview: bool, problems: list[str]
    ) -> GenerateError | None:
        """Plan the pages and start writing them (the error if a page cannot be planned)."""
        try:
            self.pages = PageWriter(repo, Path(config.docs_dir), preview=preview, problems=problems)
        except GenerateError as error:
            return error
        # static-i18n has not set the current language yet: it is the default one. Its
        # pages are wanted as soon as MkDocs has listed docs_dir (`on_files` adds those
        # not written yet), each only when MkDocs reads it: two children, at a lower
        # priority, on the time MkDocs and the rules leave on both cores. At MkDocs'
        # priority they slowed its start and its first pages by a second (measured).
        self.pages.start(i18n.default_language(config), parts=2, later=True)
        self.sanitizer = Worker(sanitize.clean_html, later=True)
        self.reader = Worker(inert.read_written_page, later=True)
        return None

    def on_files(self, files: Files, config: Any) -> Files:
        """The listing of docs_dir, with the generated pages not written yet.

        MkDocs lists docs_dir as soon as `on_config` returns, while the children still
        write the pages (in a fresh checkout, most do not exist yet); it reads each page
        only once it is written (`page_read`). So the pages missing from the
        listing are added here, in the order MkDocs lists a folder, rather than created
        empty first (about 2,000 empty files: 0.5 to 2 s on ext4 while the children
        write). static-i18n, which sorts the files by language next, sees them all.
        """
        if self.pages is None:
            return files
        missing = [rel for rel in self.pages.files if files.get_file_from_path(rel) is None]
        if not missing:
            return files
        docs, site, urls = config.docs_dir, config.site_dir, config.use_directory_urls
        listed = [*files, *(File(rel, docs, site, urls) for rel in missing)]
        inside = [file for file in listed if not file.generated_by and _in(file, docs)]
        others = [file for file in listed if file not in inside]
        return Files([*sorted(inside, key=_listing_order), *others])

    def on_nav(self, config: Any) -> None:
        """Before MkDocs reads the pages of this language: stop at any error the rules
        found (`on_config` started them).

        In the default language's build, also start the other languages' pages and the
        files written after the build (charts, feeds, open data), on the other core.
        """
        if self.pages is None:
            return
        self.clean = set()  # each language's build has pages of the same paths
        self._finish_check()
        if i18n.is_default_language_build(config):
            for lang in i18n.build_languages(config):
                self.pages.start(lang, later=True)
            if self.downloads is None:
                view = self.pages.view
                self.downloads = Forked(downloads, view, config.site_url, later=True)

    def page_read(self, page: Any) -> None:
        """Before MkDocs reads a page: wait until it is written, if it is not yet (the
        children write the pages in the order MkDocs reads them, ahead of it)."""
        if self.pages is None:
            return
        try:
            self.pages.wait_for(page.file.src_uri)
        except Exception as error:
            self.cancel()
            raise _failed("writing the pages", error) from error

    def page_content(self, html: str, page: Any) -> str:
        """Hand a page made from contributor data to the sanitizer (smesa.site.sanitize).

        It is cleaned on another core while MkDocs converts the next pages; ``on_env``,
        which MkDocs runs before it writes any page, puts the clean HTML in its place.
        """
        _refuse_unslugged_headings(page)
        html = wrap_tables(html)
        if not sanitize.is_generated(page.meta):
            return html
        if self.sanitizer is None:  # the build began without on_config: clean it now
            self.clean.add(page.file.src_uri)
            return sanitize.clean_html(html)
        self.sanitizer.submit(html)
        self.dirty.append(page)
        return html

    def on_env(self) -> None:
        """Put the sanitised HTML of this language's generated pages in place."""
        if self.sanitizer is None:
            return
        try:
            cleaned = self.sanitizer.collect()
        except Exception as error:
            self.cancel()
            raise _failed("sanitising", error) from error
        for page, html in zip(self.dirty, cleaned, strict=True):
            page.content = html
            self.clean.add(page.file.src_uri)
        self.dirty = []

    def not_found_page(self, output: str, lang: str) -> str:
        """The 404 page of a preview with data errors lists them too: the page of a record
        that fails its checks is missing from the preview."""
        if not self.problems:
            return output
        notice = problems_html(self.problems, lang)
        return output.replace(
            '<article class="md-content__inner md-typeset">',
            ('<article class="md-content__inner md-typeset">' + notice),
            1,
        )

    def page_context(self, page: Any) -> None:
        """Refuse to write a generated page whose HTML was not sanitised; date it in the
        sitemap by its records (`lastmod`), not by the build."""
        if sanitize.is_generated(page.meta) and page.file.src_uri not in self.clean:
            raise PluginError(f"{page.file.src_uri}: its HTML was not sanitised")
        updated = page.meta.get(UPDATED_KEY)
        if updated:
            page.update_date = str(updated)

    def page_written(self, output: str) -> None:
        """Read a page, as MkDocs is about to write it, for anything active: in a child,
        while MkDocs renders the next pages. The files are still read back after the
        build (`smesa.site.postbuild`), but a page whose bytes were read here is not
        parsed again."""
        if self.reader is not None:
            self.reader.submit(output)

    def take_readings(self) -> dict[bytes, inert.Reading]:
        readings, self.readings = self.readings, {}
        return readings

    def build_error(self) -> None:
        """Stop the children: this build will publish nothing they make."""
        self.cancel()

    def cancel(self) -> None:
        if self.checking is not None:
            self.checking[0].cancel()
            self.checking = None
        if self.pages is not None:
            self.pages.cancel()
            self.pages = None
        if self.downloads is not None:
            self.downloads.cancel()
            self.downloads = None
        self._stop_sanitizer()
        self._stop_reader()
        if self.indexing is not None:
            self.indexing.stop()
            self.indexing = None

    def _stop_reader(self) -> None:
        if self.reader is not None:
            self.reader.stop()
            self.reader = None
        self.readings = {}

    def _stop_sanitizer(self) -> None:
        if self.sanitizer is not None:
            self.sanitizer.stop()
            self.sanitizer = None
        self.dirty = []
        self.clean = set()

    def post_build(self, config: Any) -> None:
        """Charts, feeds and open data, once the whole site is on disk."""
        if self.pages is None:
            return
        self._finish_check()  # done already, unless a hook file lacks on_nav
        # Every language's pages, built or not: none is left half-written.
        self._wait_for_pages(*LANGUAGES)
        if self.downloads is None:  # no default-language build started them
            self.downloads = Forked(downloads, self.pages.view, config.site_url)
        self.pages = None
        self._stop_sanitizer()
        self._collect_readings()
        try:
            files = self.downloads.result()
        except Exception as error:  # charts.ChartFontMissing says what to install
            raise _failed("making the charts, feeds and downloads", error) from None
        finally:
            self.downloads = None
        site_dir = Path(config.site_dir)
        for rel, content in files.items():
            target = site_dir / rel
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            except OSError as error:
                shown = f"{site_dir.name}/{rel}"
                reason = error.strerror
                raise Abort(f"the site was not built: cannot write {shown}: {reason}") from None

    def _collect_readings(self) -> None:
        if self.reader is None:
            return
        try:
            self.readings = dict(self.reader.collect())
        except Exception as error:
            self.cancel()
            raise _failed("reading the pages", error) from error
        finally:
            if self.reader is not None:
                self.reader.stop()
                self.reader = None

    def _wait_for_pages(self, *langs: str) -> None:
        assert self.pages is not None
        try:
            for lang in langs:
                self.pages.wait(lang)
        except Exception as error:
            self.cancel()
            raise _failed("writing the pages", error) from error


def _in(file: File, folder: str) -> bool:
    return Path(file.abs_src_path or "").is_relative_to(folder)


def _listing_order(file: File) -> list[tuple[int, Any]]:
    return listing_key(file.src_uri)


def _refuse_unslugged_headings(page: Any) -> None:
    """Refuse a heading id that is not a slug: the theme prints ids raw in the table of
    contents (contributor text cannot set one: smesa.render.markdown.inert_markdown)."""
    items = list(page.toc)
    while items:
        item = items.pop()
        if not slugs.is_slug(item.id):
            raise PluginError(f"{page.file.src_uri}: heading id {item.id!r} is not a slug")
        items.extend(item.children)


# The events of the hook file (hooks/smesa_site.py) the build relies on. Without one, a
# page could be read before it is written (page_read_source), published unsanitised
# (page_content, env, page_context), left unread for anything active (post_page), or the
# site left unindexed and unchecked (post_build); a hook file missing one builds nothing.
HOOK_EVENTS = (
    "config",
    "files",
    "nav",
    "page_read_source",
    "page_content",
    "env",
    "build_error",
    "page_context",
    "post_page",
    "post_template",
    "post_build",
)


def _refuse_incomplete_hook(config: Any, build: SiteBuild) -> None:
    """Stop before anything is written if the hook file holding `build` lacks an event."""
    for name, module in (config.get("hooks") or {}).items():
        if any(value is build for value in vars(module).values()):
            missing = [
                f"on_{event}"
                for event in HOOK_EVENTS
                if not callable(getattr(module, f"on_{event}", None))
            ]
            if missing:
                raise Abort(
                    f"the site was not built: {name} has no {', '.join(missing)}; "
                    f"the build needs every event of that file: restore it from git"
                )


def _failed(step: str, error: Exception) -> Abort:
    return Abort(f"the site was not built: {step} failed: {type(error).__name__}: {error}")


def downloads(view: SiteView, site_url: str) -> dict[str, bytes]:
    """The charts, feeds and open data files, by their paths relative to the site root.

    Made in a forked child while MkDocs builds the pages (drawing the charts takes over a
    second, importing matplotlib included), so the pages wait for none of them.
    """
    from smesa.site import feeds, opendata  # imported in the child that calls this

    files: dict[str, str | bytes] = {
        **{f"{CHARTS_DIR}/{name}": svg for name, svg in charts.chart_files(view.repo).items()},
        **{f"{CHARTS_DIR}/{n}": svg for n, svg in charts.narrow_chart_files(view.repo).items()},
        **feeds.feed_files(view, site_url),
        **opendata.open_data_files(view, site_url),
    }
    return {rel: c if isinstance(c, bytes) else c.encode("utf-8") for rel, c in files.items()}


def build_site(
    root: Path, *, today: dt.date | None = None, verbose: bool = False, preview: bool = False
) -> Path:
    """Build the site of the repository at `root` and publish it as `root`/site; with
    `preview`, drafts, submitted and approved records too, each page marked a preview.

    Raises mkdocs' Abort (or another MkDocs error) when the build fails; site/ is then
    left untouched and the staging folder removed. A file that cannot be written (a full
    disk) or a site/ that cannot be replaced is an Abort of one line naming it.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = root.resolve()
    _log_to_stderr(verbose)
    target = root / SITE_DIR
    if not _replaceable(target):
        raise Abort(f"the site was not built: {target} is not a folder: move it away")
    with _staging_folder(root) as staging:
        try:
            config = load_config(str(root / CONFIG_FILE), site_dir=str(staging))
            if today is not None:
                config[TODAY_KEY] = today
            config[PREVIEW_KEY] = preview
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except OSError as error:
            raise Abort(f"the site was not built: {_os_error_line(error, root)}") from None
        try:
            return swap_into_place(staging, target)
        except OSError as error:
            raise Abort(
                f"the site was built but not published: cannot replace {SITE_DIR}/ by "
                f"{staging.name}/: {error.strerror}"
            ) from None


def swap_into_place(staging: Path, target: Path) -> Path:
    """Replace `target` by `staging`; the old tree is deleted after.

    In one step where the system can (Linux's renameat2 RENAME_EXCHANGE), so that no
    moment, and no kill, finds `target` missing; else by two renames, putting `target`
    back if the second fails. Raises OSError, with `target` as it was, if it cannot be
    replaced (not a folder, a mount point, a read-only disk).
    """
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    if not _replaceable(target):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))
    with _repository_locked(target.parent):
        if not target.exists():
            staging.rename(target)
            return target
        if _exchange(staging, target):
            old = staging  # the old tree has the staging folder's name now
        else:
            old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=target.parent))
            old.rmdir()
            target.rename(old)
            try:
                staging.rename(target)
            except OSError:
                old.rename(target)
                raise
        lock = _lock(old)  # so that no other build takes it for a dead build's
    shutil.rmtree(old, ignore_errors=True)
    if lock is not None:
        os.close(lock)
    return target


def _replaceable(target: Path) -> bool:
    """A published site is a real folder; a file or a link there is no site of ours."""
    return not target.is_symlink() and (target.is_dir() or not target.exists())


@contextlib.contextmanager
def _staging_folder(root: Path) -> Iterator[Path]:
    """A new folder in `root` to build into, locked until this process ends, however it
    ends, and removed unless published. The folders of builds that died go first."""
    remove_stale_folders(root)
    with _repository_locked(root):
        try:
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
        except OSError as error:
            raise Abort(
                f"the site was not built: cannot create a folder in {root}: {error.strerror}"
            ) from None
        lock = _lock(staging)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if lock is not None:
            os.close(lock)


def remove_stale_folders(root: Path) -> list[Path]:
    """Remove the staging and old folders in `root` whose build is dead (their lock is
    free); return them. A folder whose lock cannot be taken is left alone."""
    with _repository_locked(root):
        claimed = [
            (folder, lock)
            for folder in sorted(root.iterdir())
            if folder.name.startswith((STAGING_PREFIX, OLD_PREFIX))
            and folder.is_dir()
            and not folder.is_symlink()
            and (lock := _lock(folder)) is not None
        ]
    for folder, lock in claimed:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(lock)
    return [folder for folder, _ in claimed]


def _lock(folder: Path, *, wait: bool = False) -> int | None:
    """An open descriptor of `folder` holding an exclusive flock, which the kernel drops
    when this process ends, however it ends; None if another process holds it, or if
    the file system has no locks (then no folder is ever taken for a dead build's).

    The lock is on the folder itself, not a file in it: it follows the folder through
    renames and puts nothing into the published site.
    """
    if fcntl is None:
        return None
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def _repository_locked(root: Path) -> Iterator[None]:
    """Builds in `root` take turns here to create, lock, publish and claim folders: a
    folder seen unlocked under this lock belongs to no live build."""
    lock = _lock(root, wait=True)
    try:
        yield
    finally:
        if lock is not None:
            os.close(lock)


_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # <linux/fs.h>


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names of `a` and `b` atomically; False where the system or the file system
    cannot, OSError (neither moved) for any other refusal."""
    renameat2 = getattr(_LIBC, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(b), None, str(a))


def _os_error_line(error: OSError, root: Path) -> str:
    """`cannot write <path>: <reason>` (or `<path>: <reason>` for errors other than a full
    or read-only disk), the path relative to `root` where it is inside.

    The path is the error's own, else that of the file open for writing in the code that
    failed: Python names no file when write() fails, and MkDocs writes its pages so.
    """
    path = error.filename
    if error.filename2 is not None and error.errno in _WRITE_REFUSED:
        path = error.filename2  # a copy: the disk refused the target
    if path is None:
        path = _file_written_in(error.__traceback__)
    where = _relative(path, root) if path is not None else f"a file under {root}"
    reason = error.strerror or str(error)
    if error.errno in _WRITE_REFUSED:
        return f"cannot write {where}: {reason}"
    return f"{where}: {reason}"


def _file_written_in(traceback: TracebackType | None) -> str | bytes | None:
    """The name of the file open for writing in the innermost function that has one."""
    frames = []
    while traceback is not None:
        frames.append(traceback.tb_frame)
        traceback = traceback.tb_next
    for frame in reversed(frames):
        if frame.f_locals is frame.f_globals:
            continue  # a module's code: its variables are no file it was writing
        for value in frame.f_locals.values():
            if isinstance(value, io.IOBase) and _is_for_writing(value):
                name = getattr(value, "name", None)
                if isinstance(name, str | bytes):
                    return name
    return None


def _is_for_writing(file: io.IOBase) -> bool:
    try:
        mode = file.mode  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False
    return isinstance(mode, str) and any(c in mode for c in "wax+")


def _relative(path: str | bytes | os.PathLike[str], root: Path) -> str:
    full = Path(os.fsdecode(path))
    try:
        return full.relative_to(root).as_posix()
    except ValueError:
        return str(full)


def _log_to_stderr(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if any(getattr(h, "smesa", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.smesa = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(levelname)-8s- %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
