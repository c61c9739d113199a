"""The publication gate: what may reach the public, defined once.

Every public output (site pages, the annual report, the dashboard, charts, feeds, open
data, the search index) is made from `public(repo)`, a repository holding only public
records, so no output can reach an unpublished record by any path: a reference, a
count, a decision list or an approval line. What is public:

- an output (case, meeting, recommendation paper, activity, report, body) once its
  status is `published`; draft, submitted and approved records are the Secretariat's
  and the SMEWG's business until then;
- member institutions and Presidium terms, which are not outputs (a withdrawn member
  stays, marked by the pages).

Obligations the ToR sets (`smesa.governance`) count a record that is public or that
records something that happened: a meeting held, a paper or report submitted. Drafts
never count.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace

from smesa import models
from smesa.repository import Repository


def is_public(record: models.Record) -> bool:
    """True for a record that may appear in a public output."""
    if isinstance(record, models.Output):
        return record.status == "published"
    return True


def public(repo: Repository) -> Repository:
    """The repository as the public may see it: public records only.

    Sources go with their records (a source of a dropped record would still show its
    raw id and texts); derived data is computed anew, never shared with `repo`.
    """
    entries = [e for e in repo.entries if is_public(e.record)]
    kept = {id(e.source) for e in entries} | {id(e.source) for e in repo.reference.values()}
    return replace(
        repo,
        entries=entries,
        sources=[s for s in repo.sources if id(s) in kept],
        load_problems=[],
        schema_errors=[],
        misplaced=[],
        memo={},
    )


def counts_for_obligations(record: models.Record, day: dt.date) -> bool:
    """True when `record` may meet a ToR obligation as of `day`: it is public, or it
    records an event that has happened (a meeting held, a paper or report submitted)."""
    if is_public(record):
        return True
    if not isinstance(record, models.Output) or record.status == "draft":
        return False
    if isinstance(record, models.Meeting):
        return record.date <= day
    submitted = getattr(record, "submitted", None)
    return submitted is not None and submitted <= day


# -- contributor text is inert -------------------------------------------------------

# Raw HTML: a tag, a closing tag, a comment or a processing instruction. Autolinks
# (<https://...>, <mailto:...>) are Markdown, not HTML, and stay.
RAW_HTML = re.compile(r"<(?!(?:https?://|mailto:)[^\s<>]*>)(?=[A-Za-z/!?])")
# attr_list (`{: #id .class key=value }`, `{#id}`, `{.class}`, `{key=value}`): sets ids,
# classes and attributes, e.g. a heading id that the theme prints raw in the table of
# contents.
ATTR_LIST = re.compile(r"\{\s*(?::|#|\.|[A-Za-z_][\w.:-]*\s*=)")
# Code is literal: fenced blocks and inline spans are left as they are.
_CODE = re.compile(
    r"^ {0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}(?P=fence)[ \t]*$|\Z)"
    r"|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)",
    re.MULTILINE | re.DOTALL,
)


def outside_code(markdown_text: str) -> Iterator[tuple[int, str]]:
    """The parts of `markdown_text` that are not code, with their offsets."""
    start = 0
    for code in _CODE.finditer(markdown_text):
        yield start, markdown_text[start : code.start()]
        start = code.end()
    yield start, markdown_text[start:]


# A fence's info string may carry attributes (```{.python #id onclick=...}): only a plain
# language name is kept.
_FENCE_INFO = re.compile(r"\A( {0,3}(?:`{3,}|~{3,}))([^\n]*)")
_LANGUAGE = re.compile(r"[\w+#.-]*")


def fence_attributes(markdown_text: str) -> Iterator[int]:
    """Offsets of the fenced code blocks whose opening line carries more than a language."""
    for code in _CODE.finditer(markdown_text):
        info = _FENCE_INFO.match(code.group(0)) if code.group("fence") else None
        if info and not _LANGUAGE.fullmatch(info.group(2).strip()):
            yield code.start() + info.start(2)


def _plain_fence(code: str) -> str:
    info = _FENCE_INFO.match(code)
    if info is None:
        return code
    words = re.findall(r"[\w+#-]+", info.group(2))
    return info.group(1) + (words[0] if words else "") + code[info.end() :]


def inert_markdown(markdown_text: str) -> str:
    """Contributor Markdown with raw HTML and attribute lists made literal text.

    Contributors write Markdown, not HTML: `<b>` reads as "<b>" and `{: #id}` as
    "{: #id}" (SM140 tells them first), so no contributor text can set an id, a class,
    an attribute or a tag on a page. Code spans and blocks are left as they are, but for
    a fence's attributes: only its language stays.
    """
    out: list[str] = []
    position = 0
    for offset, part in outside_code(markdown_text):
        out.append(_plain_fence(markdown_text[position:offset]))
        out.append(ATTR_LIST.sub(lambda m: "\\" + m.group(0), RAW_HTML.sub("&lt;", part)))
        position = offset + len(part)
    return "".join(out)


# -- page paths ----------------------------------------------------------------------

# Ids a record cannot take: its page would replace one of the site's own pages
# (`<section>/index`, the dashboard `reports/status`, the figures of a year
# `reports/annual-YYYY`), or its file and page could not exist on Windows.
RESERVED_IDS: dict[str, re.Pattern[str]] = {
    "*": re.compile(r"index|con|prn|aux|nul|com[0-9]|lpt[0-9]"),
    "reports": re.compile(r"status|annual-[0-9]{4}"),
}


def reserved_id(folder: str, record_id: str) -> bool:
    """True when a record of `folder` (data/<folder>/) may not have the id `record_id`."""
    return any(
        pattern.fullmatch(record_id)
        for key, pattern in RESERVED_IDS.items()
        if key in ("*", folder)
    )
