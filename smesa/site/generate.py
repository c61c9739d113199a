"""Records to Markdown pages, in English and Chinese, written as real files under docs_dir.

Real files, not ``File.generated``: mkdocs-static-i18n 1.3.1 crashes on or silently drops
generated files (its issues #263 and #283). Every page is written in both languages; a
Chinese page whose record has no Chinese text shows the English text under a visible
"尚无中文译文" notice, instead of relying on static-i18n's fallback, which would put
English text into the Chinese search index.

A file is rewritten only when its content changes (``mkdocs serve`` then rebuilds only
what changed), and a manifest in docs_dir lists what the generator owns, so pages of
records that disappear or stop being published are deleted, and a hand-written page is
never overwritten.

Values reach the Markdown in one of two ways: plain text (titles, names, units) is
escaped for Markdown and HTML by ``inline`` (Jinja autoescaping is on), and contributor
Markdown (summaries, bodies, minutes) is passed as it is by ``PageContext.md``. That
Markdown is untrusted: the rendered page is sanitised by ``smesa.site.sanitize``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import multiprocessing
import posixpath
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
import nh3
import yaml
from markupsafe import Markup, escape

from smesa.check.registry import rule_page
from smesa.check.rules import RULES
from smesa.data import models
from smesa.data.config import repository_url
from smesa.data.models import LANGUAGES
from smesa.data.repository import Repository
from smesa.data.texts import REPORT_LABELS, SITE_LABELS, format_date, is_stale, labels
from smesa.render import inert
from smesa.render.markdown import inert_markdown, outside_code
from smesa.render.templating import inline, markdown_environment
from smesa.report import annual as reporting
from smesa.report import charts
from smesa.site import background, sanitize
from smesa.site.chrome import issue_links
from smesa.site.view import SECTIONS, SiteView, record_day
from smesa.tor import coverage

MANIFEST = ".smesa-generated.json"
# <html lang> and hreflang of each language: the site's Chinese is Simplified Chinese.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
# Where the charts are in the built site (written by smesa.site.build, not under docs_dir).
CHARTS_DIR = "assets/charts"
LATEST_CASES = 5
DESCRIPTION_CHARS = 200


class GenerateError(Exception):
    """A page that cannot be written, or would overwrite a file the generator does not own."""


# -- text helpers --------------------------------------------------------------------


def plain(markdown_text: str) -> str:
    """Contributor Markdown reduced to one line of plain text (for meta descriptions)."""
    stripped = html.unescape(nh3.clean(markdown_text, tags=set()))
    stripped = re.sub(r"[#*_`>\[\]]|\]\([^)]*\)", "", stripped)
    return " ".join(stripped.split())


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[: limit - 1]
    return cut.rstrip(" ,;:") + "…"


def format_number(value: float | int, lang: str = "en") -> str:
    """`1,240` in English; in Chinese `1240`, and `1.25万` from ten thousand up (Chinese
    groups digits by ten thousands, and a comma inside Chinese text reads as punctuation)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if lang != "zh":
        return f"{value:,}"
    for size, unit in ((100_000_000, "亿"), (10_000, "万")):
        if abs(value) >= size:
            return f"{value / size:.4g}{unit}"
    return f"{value}"


_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_YEAR = re.compile(r"\d{4}")
_PERIOD = re.compile(r"\s*(\d{4}-\d{2}(?:-\d{2})?)\s*(?:to|–|-|—|至)\s*(\d{4}-\d{2}(?:-\d{2})?)\s*")


def format_month(text: str, lang: str) -> str:
    """`2024-07` as `July 2024` / `2024年7月` (`2024-07-15` as a full date), `2025` as
    `2025` / `2025年`; other text as is."""
    if _YEAR.fullmatch(text.strip()):
        return f"{text.strip()}年" if lang == "zh" else text.strip()
    found = _MONTH.fullmatch(text.strip())
    if not found:
        return text
    year, month, day = (int(g) if g else None for g in found.groups())
    if day:
        return format_date(dt.date(year, month, day), lang)
    if lang == "zh":
        return f"{year}年{month}月"
    return f"{dt.date(year, month, 1):%B} {year}"


def format_period(text: str | None, lang: str) -> str:
    """A result's period (`2024-07 to 2025-03`) in words: `July 2024 – March 2025`,
    `2024年7月至2025年3月`. A period in another form is shown as written."""
    if not text:
        return ""
    found = _PERIOD.fullmatch(text)
    if not found:
        return format_month(text, lang)
    start, end = (format_month(part, lang) for part in found.groups())
    return f"{start}至{end}" if lang == "zh" else f"{start} – {end}"


# Units written with a Western magnitude, and the Chinese one to say instead (x factor).
_CHINESE_MAGNITUDES = (("十亿", 10, "亿"), ("百万", 100, "万"), ("千万", 1000, "万"))
_SESSION = re.compile(r"SMEWG\s?(\d+)")
# A session code in running text: not part of a document number (2025/SMEWG60/011) or
# of an address.
_SESSION_IN_TEXT = re.compile(r"(?<![/\w])SMEWG(\d+)(?![/\w])")


def ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


@cache
def environment() -> jinja2.Environment:
    # Every printed value that is not marked safe reads literally in the Markdown (names,
    # references, reference data and labels with their values); contributor Markdown
    # comes through `PageContext.md`, made inert.
    env = markdown_environment(literal=True)
    env.filters["inline"] = inline
    env.globals["models"] = models
    env.globals["rule_page"] = rule_page
    env.tests["heading_first"] = starts_with_heading
    return env


_BLANK_LINES = re.compile(r"\n{3,}")


def tidy(markdown_text: str) -> str:
    """At most one blank line in a row (templates leave more around optional parts).

    One blank line between definition-list entries keeps them in one tight list; without
    it the next term would continue the previous definition.
    """
    return _BLANK_LINES.sub("\n\n", markdown_text)


_ANY_HEADING = re.compile(r"^(#{1,5})(?= )", re.MULTILINE)


def demote(markdown_text: str, below: int) -> str:
    """Headings of contributor Markdown moved down so that the first level is `below`+1:
    a "## Opening" in minutes shown under the page's "## Minutes" becomes "### Opening"."""
    levels = [len(m.group(1)) for m in _ANY_HEADING.finditer(markdown_text)]
    if not levels:
        return markdown_text
    shift = below + 1 - min(levels)
    if shift <= 0:
        return markdown_text
    return _ANY_HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + shift), markdown_text)


def _page_url(docs_path: str) -> str:
    """The directory URL of a docs page (`cases/x.md` -> `cases/x`, `index.md` -> ``)."""
    url = docs_path.removesuffix(".md")
    if url == "index" or url.endswith("/index"):
        url = url.removesuffix("index")
    return url.strip("/")


def starts_with_heading(markdown_text: str | None) -> bool:
    return bool(markdown_text) and markdown_text.lstrip().startswith("#")


# -- one page ------------------------------------------------------------------------


@cache
def _relative(target: str, start: str) -> str:
    # Pages link to the same few thousand targets from a handful of folders, and relpath
    # (which makes both paths absolute first) is slow enough to matter 6,000 times.
    return posixpath.relpath(target, start)


@dataclass
class PageContext:
    """Helpers a template uses to render one page in one language."""

    view: SiteView
    lang: str
    path: str  # inside the language folder, e.g. "cases/x.md"
    missing: bool = False
    stale: bool = False
    # The site's words, read once per page: `labels` looks at the file each time.
    words: dict[str, Any] = field(default_factory=lambda: labels(SITE_LABELS), repr=False)

    @property
    def other(self) -> str:
        return "en" if self.lang == "zh" else "zh"

    def label(self, key: str, **values: object) -> str:
        text = self.words[key][self.lang]
        return text.format(**values) if values else text

    def kind(self, group: str, key: str) -> str:
        return self.words[group][key][self.lang]

    def name(self, text: models.Text | None) -> str:
        """A text in this language, else the other one (for names of other records)."""
        return text.read(self.lang) if text is not None else ""

    def t(self, text: models.Text | None) -> str:
        """A text of this page's record; a missing translation is announced on the page."""
        if text is not None and not getattr(text, self.lang) and getattr(text, self.other):
            self.missing = True
        if text is not None and self.lang == "zh" and is_stale(text):
            self.stale = True
        return self.name(text)

    def propose_change(self, record: models.Record) -> str:
        """The address of GitHub's editor on the record's file: a plain link, no request
        to GitHub from the reader's browser. Empty when no repository is configured."""
        repository = repository_url(self.view.repo.root)
        source = self.view.source_path(record)
        return f"{repository}/edit/main/{source}" if repository and source else ""

    def issue_links(self) -> dict[str, str]:
        """The repository's issue and membership form (smesa.site.chrome.issue_links)."""
        return issue_links(self.view)

    def email(self, address: str | None) -> Markup:
        """A mailto link (the models only accept an address shaped like one)."""
        if not address:
            return Markup("")
        return Markup('<a href="mailto:{0}">{1}</a>').format(address, inline(address))

    def english(self, text: str) -> str:
        """Text that exists in English only (e.g. rule descriptions from the code)."""
        if self.lang != "en":
            self.missing = True
        return text

    def md(self, text: models.Text | None, below: int = 1) -> Markup:
        """Contributor Markdown of this page's record, as a block: no raw HTML or
        attribute list takes effect (`inert_markdown`), and the page is sanitised too.
        Its headings sit below a heading of level `below` (minutes under "Minutes")."""
        return Markup(demote(inert_markdown(self.sessions_named(self.t(text).strip())), below))

    def md_of(self, text: models.Text | None) -> Markup:
        """Contributor Markdown of another record shown on this page, made inert as `md`."""
        return Markup(inert_markdown(self.sessions_named(self.name(text).strip())))

    def sessions_named(self, markdown_text: str) -> str:
        """Contributor Markdown with each SMEWG session code outside code in words, as the
        site's own text says it ("at SMEWG61" -> "at the 61st SMEWG meeting"). The open
        data and feeds keep the text as written."""
        if "SMEWG" not in markdown_text:
            return markdown_text
        out, end = [], 0
        for offset, part in outside_code(markdown_text):
            out.append(markdown_text[end:offset])
            out.append(_SESSION_IN_TEXT.sub(self._session_words, part))
            end = offset + len(part)
        out.append(markdown_text[end:])
        return "".join(out)

    def _session_words(self, found: re.Match[str]) -> str:
        number = int(found.group(1))
        return self.label("smewg_session_n", n=number, nth=ordinal(number))

    def link(self, target: str) -> str:
        """Relative path from this page to `target` (a docs path in the language folder)."""
        return _relative(target, posixpath.dirname(self.path) or ".")

    def root(self) -> str:
        """URL of the site root relative to this page's URL, for links MkDocs cannot check."""
        folder = self.path.removesuffix(".md").removesuffix("index").strip("/")
        depth = len(folder.split("/")) if folder else 0
        return "../" * (depth + (self.lang != LANGUAGES[0]))

    def a(self, text: str, target: str | None) -> Markup:
        """A Markdown link (MkDocs checks it in strict mode), or plain text without target."""
        label = inline(text)
        if target is None:
            return label
        return Markup(f"[{label}]({self.link(target)})")

    def url(self, address: str | None) -> Markup:
        """An external link (the models only accept http and https addresses)."""
        if not address:
            return Markup("")
        # The text between the tags is still Markdown: it must read literally.
        return Markup('<a href="{0}">{1}</a>').format(address, inline(address))

    def member(self, member_id: str) -> Markup:
        member = self.view.member_by_id.get(member_id)
        if member is None:
            return inline(member_id)
        return self.a(self.name(member.name), f"members/{member_id}.md")

    def record(self, model: type[models.Output], record_id: str, title: str) -> Markup:
        return self.a(title or record_id, self.view.page_of(model, record_id))

    def meeting(self, meeting_id: str) -> Markup:
        """A link to a public meeting; nothing for one that is not public (not even its
        id: the page says no more than the public records do)."""
        meeting = next((m for m in self.view.meetings if m.id == meeting_id), None)
        if meeting is None:
            return Markup("")
        return self.record(models.Meeting, meeting_id, self.name(meeting.title))

    def economy(self, code: str) -> str:
        economy = self.view.repo.economies.get(code)
        return self.name(economy.name) if economy else code

    def topic(self, topic_id: str) -> str:
        topic = self.view.repo.topics.get(topic_id)
        return self.name(topic.name) if topic else topic_id

    def economies(self, codes: list[str]) -> str:
        # "Hong Kong, China" holds a comma: lists of economies use semicolons.
        return ("、" if self.lang == "zh" else "; ").join(self.economy(c) for c in codes)

    def topics(self, topic_ids: list[str]) -> str:
        return ("、" if self.lang == "zh" else "; ").join(self.topic(t) for t in topic_ids)

    def date(self, day: dt.date | None) -> str:
        return format_date(day, self.lang)

    def dates(self, start: dt.date, end: dt.date | None) -> str:
        """`8–10 July 2025`, `2025年7月8日至10日`; the year and month once when shared."""
        if end is None or end == start:
            return self.date(start)
        if self.lang == "zh":
            if (start.year, start.month) == (end.year, end.month):
                return f"{self.date(start)}至{end.day}日"
            if start.year == end.year:
                return f"{self.date(start)}至{end.month}月{end.day}日"
            return f"{self.date(start)}至{self.date(end)}"
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{self.date(end)}"
        return f"{self.date(start)} – {self.date(end)}"

    def number(self, value: float | int) -> str:
        return format_number(value, self.lang)

    def period(self, text: str | None) -> str:
        return format_period(text, self.lang)

    @property
    def comma(self) -> str:
        """What separates items of a list of names: `、` in Chinese, `; ` in English
        ("Hong Kong, China" holds a comma)."""
        return "、" if self.lang == "zh" else "; "

    def aside(self, text: str) -> str:
        """`text` in brackets after what precedes it: full-width ones in Chinese."""
        return f"（{text}）" if self.lang == "zh" else f" ({text})"

    def session(self, code: str | None) -> Markup:
        """An SMEWG session code (`SMEWG61`) in words, linked to the meeting's page when
        the alliance recorded that session."""
        if not code:
            return Markup("")
        found = _SESSION.fullmatch(code.strip())
        if not found:
            return inline(code)
        number = int(found.group(1))
        words = self.label("smewg_session_n", n=number, nth=ordinal(number))
        meeting = next((m for m in self.view.meetings if m.smewg_session == code), None)
        if meeting is None:
            return inline(words)
        return self.record(models.Meeting, meeting.id, self.name(meeting.title))

    def result_figure(self, result: models.Result) -> str:
        """`21 → 6 working days`, `1,240 SMEs`: a result as a figure, before and after."""
        unit = self.t(result.unit)
        amount, baseline = result.value, result.baseline
        if self.lang == "zh":
            # "1.86 十亿元" reads as a translation: Chinese counts in 万 and 亿 (18.6亿元).
            for prefix, factor, instead in _CHINESE_MAGNITUDES:
                if unit.startswith(prefix):
                    unit = instead + unit.removeprefix(prefix)
                    amount = round(amount * factor, 6)
                    baseline = None if baseline is None else round(baseline * factor, 6)
                    break
        value = self.number(amount)
        if baseline is not None:
            value = f"{self.number(baseline)} → {value}"
        if not unit:
            return value
        # Chinese units follow the number directly (6个工作日, 1240家).
        return f"{value}{unit}" if self.lang == "zh" else f"{value} {unit}"

    def headline(self, case: models.Case) -> models.Result | None:
        """The result a card leads with: the first one with a before and after, else the first."""
        with_baseline = [r for r in case.results if r.baseline is not None]
        return (with_baseline or case.results or [None])[0]

    def href(self, target: str) -> str:
        """The URL of docs page `target` relative to this page's URL (for raw HTML, where
        MkDocs does not rewrite .md links)."""
        here = _page_url(self.path)
        there = _page_url(target)
        rel = _relative(there or ".", here or ".")
        return "./" if rel == "." else rel + "/"

    def approval(self, approval: models.Approval | None) -> str:
        if approval is None:
            return ""
        return self.label("approval_text", date=self.date(approval.date), ref=approval.ref)

    def participant(self, participant: models.Participant) -> Markup:
        """A member institution by its linked name; anyone else with what they are, their
        economy and the approval that let them take part."""
        if participant.member and participant.member in self.view.member_by_id:
            return self.member(participant.member)
        name = inline(self.name(participant.name))
        details = [self.kind("participant_kinds", participant.kind)]
        if participant.economy:
            details.append(self.economy(participant.economy))
        if participant.approval:
            details.append(self.label("approved_on", approval=self.approval(participant.approval)))
        separator = "；" if self.lang == "zh" else "; "
        return name + inline(self.aside(separator.join(details)))


@dataclass
class PageSpec:
    """A page to write in every language."""

    path: str
    template: str
    title: Callable[[PageContext], str]
    description: Callable[[PageContext], str]
    sample: bool = False
    values: dict[str, Any] = field(default_factory=dict)
    # The page's heading when it is not its title (the home page: "Home" in the
    # navigation and the browser tab, the alliance's name as its heading).
    heading: Callable[[PageContext], str] | None = None
    # Maintainer material written in English only (the data rules): in another language
    # the page says so in that language and marks its English text as English.
    english_only: bool = False
    # Rendered text that names records by id (the annual reports and the dashboard,
    # made by smesa.report): ids become linked titles and ISO dates words.
    names_records: bool = False


def render(spec: PageSpec, view: SiteView, lang: str) -> str:
    ctx = PageContext(view, lang, spec.path)
    # An English-only page is English throughout, under a note in the page's language.
    page_ctx = PageContext(view, "en", spec.path) if spec.english_only else ctx
    title = spec.title(page_ctx)
    description = shorten(plain(spec.description(page_ctx)))
    body = tidy(environment().get_template(spec.template).render(ctx=page_ctx, **spec.values))
    if spec.names_records:
        body = reader_names(body, ctx)
    meta: dict[str, Any] = {
        # Material prints these without escaping (nav, <meta>): escape them here.
        "title": html.escape(" ".join(title.split())),
        "description": html.escape(description),
        sanitize.GENERATED_KEY: sanitize.GENERATED_VALUE,
    }
    if spec.english_only and lang != "en":
        # Its table of contents would list English headings outside the English part.
        meta["hide"] = ["toc"]
    updated = last_changed(spec, view)
    if updated is not None:
        meta[UPDATED_KEY] = updated.isoformat()
    head = ["---", front_matter(meta), "---", ""]
    english_only = spec.english_only and lang != "en"
    if english_only:
        head.append('<div lang="en" markdown="1">')
        head.append("")
    heading = spec.heading(page_ctx) if spec.heading else title
    head.append(f"# {inline(heading)}")
    head.append("")
    if english_only:
        # Inside the English part: its heading comes first, then this Chinese note.
        note = escape(ctx.label("english_only"))
        head.append(
            f'<p class="smesa-untranslated" lang="{HTML_LANG[lang]}" {_NOT_INDEXED}>{note}</p>'
        )
        head.append("")
    if ctx.missing:
        head.append(
            f'<p class="smesa-untranslated" {_NOT_INDEXED}>{escape(ctx.label("untranslated"))}</p>'
        )
        head.append("")
    if ctx.stale:
        head.append(
            f'<p class="smesa-untranslated" {_NOT_INDEXED}>'
            f"{escape(ctx.label('stale_translation'))}</p>"
        )
        head.append("")
    if view.problems:
        head.append(problems_html(view.problems, lang))
        head.append("")
    if view.preview:
        record = spec.values.get("record")
        if record is not None and view.unpublished(record):
            status = ctx.kind("statuses", record.status)
            note = escape(ctx.label("preview_record").format(status=status))
        else:
            note = escape(ctx.label("preview_site"))
        head.append(f'<p class="smesa-preview" {_NOT_INDEXED}><strong>{note}</strong></p>')
        head.append("")
    if spec.sample:
        note = escape(ctx.label("sample_note"))
        head.append(f'<p class="smesa-sample" {_NOT_INDEXED}><strong>{note}</strong></p>')
        head.append("")
    tail = "\n\n</div>\n" if english_only else "\n"
    return "\n".join(head) + "\n" + body.strip() + tail


def problems_html(problems: list[str], lang: str) -> str:
    """The data errors of a preview as an HTML block: what to fix, in the check's words."""
    words = labels(SITE_LABELS)["preview_errors"][lang]
    items = "".join(f"<li><code>{escape(line)}</code></li>" for line in problems)
    return (
        f'<div class="smesa-errors" role="alert" {_NOT_INDEXED}>'
        f"<p><strong>{escape(words)}</strong></p><ul>{items}</ul></div>"
    )


# Notices about a page (sample data, translation) are not what it says: search results
# would otherwise open with "Sample data: ..." (Pagefind skips these elements).
_NOT_INDEXED = 'data-pagefind-ignore="all"'
UPDATED_KEY = "smesa_updated"  # the sitemap's lastmod (smesa.site.build.page_context)


def last_changed(spec: PageSpec, view: SiteView) -> dt.date | None:
    """When a page's content last changed, from its records (not the build date): its
    own record, else the records it lists, else every public record."""
    own = spec.values.get("record") or spec.values.get("member")
    if own is not None:
        return record_day(own)
    listed = spec.values.get("records")
    if listed is None:
        return view.last_public_change
    days = [d for d in map(record_day, listed) if d is not None and d <= view.repo.today]
    return max(days, default=None)


_ISO_DATE = re.compile(r"(?<![\w/-])(\d{4})-(\d{2})-(\d{2})(?![\w/-])")


def reader_names(markdown_text: str, ctx: PageContext) -> str:
    """Text made by smesa.report for maintainers as well ("Met: plenary-2025 on
    2025-09-16") as a reader reads it: each record id becomes the record's title, linked
    to its page, and each ISO date a written date."""
    names = ctx.view.record_names()

    def name(found: re.Match[str]) -> str:
        model, title = names[found.group(0)]
        target = ctx.view.page_of(model, found.group(0)) if model else None
        return str(ctx.a(ctx.name(title), target))

    if names:
        ids = "|".join(re.escape(i) for i in sorted(names, key=len, reverse=True))
        markdown_text = re.sub(rf"(?<![\w/.-])(?:{ids})(?![\w/-])", name, markdown_text)

    def date(found: re.Match[str]) -> str:
        try:
            day = dt.date(*(int(g) for g in found.groups()))
        except ValueError:
            return found.group(0)
        return ctx.date(day)

    return _ISO_DATE.sub(date, markdown_text)


def front_matter(meta: dict[str, Any]) -> str:
    """`meta` as YAML, one `key: value` line each (no folding: width is unbounded).

    libyaml's emitter (CSafeDumper) writes the same bytes as PyYAML's pure-Python one,
    and is much cheaper on thousands of pages, except for a value
    holding a character beyond U+FFFF (an emoji) or U+0085: libyaml writes it as a
    double-quoted escape, which reads back as the same text.
    """
    return yaml.dump(meta, Dumper=yaml.CSafeDumper, allow_unicode=True, width=10_000).strip()


# -- which pages ---------------------------------------------------------------------


def _label(key: str) -> Callable[[PageContext], str]:
    return lambda ctx: ctx.label(key)


def _text(text: models.Text | None) -> Callable[[PageContext], str]:
    return lambda ctx: ctx.t(text)


def page_specs(view: SiteView) -> Iterable[PageSpec]:
    """Every page of the site that comes from data."""
    yield PageSpec(
        "index.md",
        "home.md.j2",
        _label("home_nav"),
        _label("home_description"),
        values={"latest": LATEST_CASES},
        heading=_label("home"),
    )
    yield PageSpec("about/index.md", "about.md.j2", _label("about"), _label("about_description"))
    yield PageSpec(
        "members/index.md", "members.md.j2", _label("members"), _label("members_description")
    )
    for member in view.members:
        yield PageSpec(
            f"members/{member.id}.md",
            "member.md.j2",
            _text(member.name),
            _text(member.description or member.name),
            member.sample,
            {"member": member},
        )
    yield PageSpec("cases/index.md", "cases.md.j2", _label("cases"), _label("cases_description"))
    lists = (
        (models.Meeting, view.meetings, "meetings"),
        (models.Proposal, view.proposals, "recommendations"),
        (models.Activity, view.activities, "activities"),
        (models.Report, view.reports, "reports"),
    )
    for model, records, key in lists:
        yield PageSpec(
            f"{SECTIONS[model]}/index.md",
            "list.md.j2",
            _label(key),
            _label(f"{key}_description"),
            values={
                "records": records,
                "model": model,
                "figure_years": figure_years(view) if model is models.Report else [],
            },
        )
    for model, records in ((models.Case, view.cases), *((m, r) for m, r, _ in lists)):
        for record in records:
            yield PageSpec(
                f"{SECTIONS[model]}/{record.id}.md",
                f"{model.kind}.md.j2",
                _text(record.title),  # type: ignore[attr-defined]
                _text(getattr(record, "summary", None) or record.title),  # type: ignore[attr-defined]
                record.sample,
                {"record": record, "report_body": _report_body},
                names_records=model is models.Report,
            )
    yield from rule_pages()
    yield from reporting_pages(view)
    yield PageSpec(
        "statistics/index.md",
        "statistics.md.j2",
        _label("statistics"),
        _label("statistics_description"),
        values={
            "charts": charts.CHARTS,
            "chart_table": charts.chart_table,
            "chart_file": charts.chart_file,
            "chart_dir": CHARTS_DIR,
        },
    )


def reporting_pages(view: SiteView) -> Iterable[PageSpec]:
    """The governance dashboard and the annual reports computed from the data (ToR §7)."""
    words = labels(REPORT_LABELS)
    yield PageSpec(
        "reports/status.md",
        "reporting-embed.md.j2",
        lambda ctx: words["status_title"][ctx.lang],
        _label("reports_description"),
        values={"content": reporting.status_page_body},
        names_records=True,
    )
    # One page per year: a published report's own page carries its figures
    # (report.md.j2); a year without one gets a page of its figures to date.
    for year in figure_years(view):
        yield PageSpec(
            f"reports/annual-{year}.md",
            "reporting-embed.md.j2",
            lambda ctx, year=year: ctx.label("annual_report_title", year=year),
            _label("reports_description"),
            values={"content": partial(reporting.report_page_body, year=year)},
            names_records=True,
        )


def figure_years(view: SiteView) -> list[int]:
    """Years of the term with no published report: each has a page of its figures."""
    reported = {report.year for report in view.reports}
    return [y for y in reporting.report_years(view.repo) if y not in reported]


_HEADING = re.compile(r"^(#{2,5}) ", re.MULTILINE)


def _report_body(repo: Repository, lang: str, *, year: int) -> Markup:
    """The figures of a published report's year, under one heading after the report's
    own text, their headings a level down (none outside the term)."""
    if year not in reporting.report_years(repo):
        return Markup("")
    body = _HEADING.sub(r"#\1 ", reporting.report_page_body(repo, lang, year=year))
    return Markup(f"## {inline(labels(SITE_LABELS)['year_in_figures'][lang])}\n\n{body}")


def rule_pages() -> Iterable[PageSpec]:
    """The rules reference: a page per rule, generated from the registry (issue: every
    finding links to its rule's page, so a rule without one is a broken link)."""
    registered = RULES
    yield PageSpec(
        "rules/index.md",
        "rules.md.j2",
        _label("rules"),
        _label("rules_description"),
        values={
            "rules": registered,
            "clauses": coverage.table([(rule.id, rule.clause) for rule in registered]),
        },
        english_only=True,
    )
    for rule in registered:
        yield PageSpec(
            f"{rule_page(rule.id)}.md",
            "rule.md.j2",
            lambda ctx, rule=rule: f"{rule.id} {rule.title}",
            lambda ctx, rule=rule: rule.title,
            values={"rule": rule},
            english_only=True,
        )


# -- writing -------------------------------------------------------------------------


def generate(repo: Repository, docs_dir: Path) -> list[Path]:
    """Write every generated page (both languages); delete stale ones.

    Returns the generated files. Raises GenerateError rather than overwrite a file the
    generator did not write (a hand-written page at a generated page's path).
    """
    writer = PageWriter(repo, docs_dir)
    for lang in LANGUAGES:
        _render_and_write(list(enumerate(writer.specs)), lang, writer.view, writer.docs)
    return [writer.docs / rel for rel in writer.files]


class PageWriter:
    """The generated pages of one site build, each language written on another core.

    MkDocs needs the pages' names long before their text: it lists docs_dir, static-i18n
    sorts the files by language and the navigation is built (all before ``on_nav``), and
    only then are the pages read, one language at a time: the default language in the
    build itself, every other one in a nested build (mkdocs-static-i18n). So the plan is
    made at once: which files (the manifest, which the build adds to MkDocs' listing of
    docs_dir where a page is not written yet) and stale files removed; the text of each
    language is rendered and written in forked children, in the order MkDocs reads the
    pages, and the build waits for a page only if MkDocs is about to read it before it is
    written (``wait_for``). On two cores most of the rendering then happens while MkDocs
    lists docs_dir or builds the previous language.

    Raises GenerateError, before anything is written, when a generated page would
    overwrite a file the generator did not write (a hand-written page).
    """

    def __init__(
        self,
        repo: Repository,
        docs_dir: Path,
        *,
        preview: bool = False,
        problems: list[str] | None = None,
    ) -> None:
        self.docs = Path(docs_dir)
        self.view = SiteView(repo, preview=preview, problems=problems)
        # Written in the order MkDocs reads them, so that it seldom waits for one.
        self.specs = sorted(page_specs(self.view), key=lambda spec: listing_key(spec.path))
        self._number = {spec.path: number for number, spec in enumerate(self.specs)}
        self.files = sorted(f"{lang}/{spec.path}" for spec in self.specs for lang in LANGUAGES)
        owned = _read_manifest(self.docs)
        for rel in self.files:
            if rel not in owned and (self.docs / rel).exists():
                raise GenerateError(
                    f"{self.docs / rel} exists and was not generated: move the hand-written "
                    f"page, or delete it if it is a generated page left without {MANIFEST}"
                )
        for rel in sorted(owned - set(self.files)):
            _remove(self.docs, rel)
        _write_if_changed(self.docs / MANIFEST, json.dumps(self.files, indent=1) + "\n")
        self._children: dict[str, list[background.Forked[None]]] = {}
        self._written: set[str] = set()
        # Per language, a flag per page (in `specs` order) that its child sets once the
        # page is on disk: memory shared with the children, which fork inherits.
        self._done: dict[str, Any] = {}

    def start(self, lang: str, *, parts: int = 1, later: bool = False) -> None:
        """Render and write the pages of `lang` in `parts` forked children (once per
        language); `later`: at a lower priority (see smesa.site.background)."""
        if lang not in LANGUAGES:
            raise ValueError(f"pages are generated in {LANGUAGES}, not {lang!r}")
        if lang not in self._children:
            done = self._done[lang] = multiprocessing.RawArray("B", len(self.specs))
            numbered = list(enumerate(self.specs))
            self._children[lang] = [
                background.Forked(
                    _render_and_write,
                    *(numbered[part::parts], lang, self.view, self.docs, done),
                    later=later,
                )
                for part in range(parts)
            ]

    def wait_for(self, rel: str) -> None:
        """Return once the page `rel` (docs-relative, `<lang>/...`) is written, if it is
        one of the generated pages (raises what rendering raised)."""
        found = self._numbered(rel)
        if found is None or found[0] in self._written:
            return
        lang, number = found
        self.start(lang)
        children, done = self._children[lang], self._done[lang]
        child = children[number % len(children)]
        while not done[number]:
            if not child.running():  # ended (or not forked): its result says how
                self.wait(lang)
                return
            time.sleep(0.0005)

    def is_written(self, rel: str) -> bool:
        """True once the generated page `rel` is written (and for any other file)."""
        found = self._numbered(rel)
        if found is None or found[0] in self._written:
            return True
        done = self._done.get(found[0])
        return done is not None and bool(done[found[1]])

    def _numbered(self, rel: str) -> tuple[str, int] | None:
        """The language and number (in `specs`) of the generated page `rel`, if it is one."""
        lang, _, path = rel.partition("/")
        number = self._number.get(path)
        return None if number is None or lang not in LANGUAGES else (lang, number)

    def wait(self, lang: str) -> None:
        """Return once the pages of `lang` are written (raises what rendering raised)."""
        self.start(lang)
        if lang not in self._written:
            for child in self._children[lang]:
                child.result()
            self._written.add(lang)

    def cancel(self) -> None:
        """Stop the children: the build failed."""
        for children in self._children.values():
            for child in children:
                child.cancel()


def _render_and_write(
    specs: list[tuple[int, PageSpec]], lang: str, view: SiteView, docs: Path, done: Any = None
) -> None:
    """Render the pages of `specs` (numbered) in `lang` and write the changed ones,
    setting each one's flag in `done` once it is on disk."""
    for number, spec in specs:
        _write_if_changed(docs / lang / spec.path, render(spec, view, lang))
        if done is not None:
            done[number] = 1


def listing_key(rel: str) -> list[tuple[int, Any]]:
    """Where MkDocs' listing of docs_dir puts the file `rel` among those of its language
    (`mkdocs.structure.files.get_files`, a sorted os.walk): a folder's files before its
    subfolders, index.md first."""
    *folders, name = PurePosixPath(rel).parts
    index_last = PurePosixPath(name).stem not in ("index", "README")
    return [*((1, folder) for folder in folders), (0, (index_last, name))]


def hand_written_files(docs_dir: Path) -> list[str]:
    """Files under docs_dir the generator does not own (docs-relative POSIX paths)."""
    docs = Path(docs_dir)
    owned = _read_manifest(docs) | {MANIFEST}
    found = (p.relative_to(docs).as_posix() for p in inert.site_files(docs))
    return sorted(rel for rel in found if rel not in owned and "__pycache__" not in rel)


def _read_manifest(docs: Path) -> set[str]:
    manifest = docs / MANIFEST
    if not manifest.is_file():
        return set()
    return set(json.loads(manifest.read_text("utf-8")))


def _write_if_changed(target: Path, content: str) -> None:
    if target.is_file() and target.read_text("utf-8") == content:
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, "utf-8")
    except OSError as error:  # a full disk names no file of its own
        raise GenerateError(f"cannot write {target}: {error.strerror}") from None


def _remove(docs: Path, rel: str) -> None:
    target = docs / rel
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != docs and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
