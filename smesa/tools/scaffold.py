"""`smesa new case|member|meeting`: a correctly named, correctly shaped file to fill in.

The few facts a record cannot do without are asked for (or given as options) and checked
against the repository at once; everything else is marked TODO or left as commented-out
optional fields, so that the file passes the check as a draft and says what is missing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from slugify import slugify

from smesa.data import models
from smesa.data.repository import Repository
from smesa.tools.fmt import ID_PATTERN, format_text, modeline


class ScaffoldError(Exception):
    """A fact that does not fit the repository; the message says what would."""


@dataclass(frozen=True)
class Question:
    name: str
    prompt: str
    default: Callable[[dict[str, Any]], str | None] = lambda _: None


QUESTIONS: dict[str, tuple[Question, ...]] = {
    "case": (
        Question("title_en", "Title in English"),
        Question("title_zh", "Title in Chinese (optional)", lambda _: ""),
        Question("member", "Member id (file name in data/members/)"),
        Question("topics", "Topics (ids, comma-separated)"),
        Question("year", "Year", lambda _: str(dt.date.today().year)),
        Question("id", "Id", lambda facts: _slug(facts.get("title_en", ""))),
    ),
    "member": (
        Question("name_en", "Name in English"),
        Question("name_zh", "Name in Chinese (optional)", lambda _: ""),
        Question("economy", "Economy code (e.g. PRC, CT, HKC, ROK)"),
        Question("type", "Type", lambda _: "sme-service-centre"),
        Question("head_en", "Name of the head of the institution (in English)"),
        Question("joined", "Joined (YYYY-MM-DD)", lambda _: dt.date.today().isoformat()),
        Question(
            "admission_ref",
            "Number of the Secretariat's record admitting it (e.g. SMESA-SEC/YYYY/NNN)",
        ),
        Question("id", "Id", lambda facts: _slug(facts.get("name_en", ""))),
    ),
    "meeting": (
        Question("title_en", "Title in English"),
        Question("type", "Type (plenary, presidium, smewg)", lambda _: "plenary"),
        Question("date", "Date (YYYY-MM-DD)"),
        Question("mode", "Mode (online, offline, hybrid)", lambda _: "online"),
        Question(
            "id", "Id", lambda facts: _slug(f"{facts.get('type', '')}-{facts.get('date', '')}")
        ),
    ),
}


# Words a file name does not end with: cut at 60 characters, "Export coaching for
# first-time exporters in the Mekong region" would otherwise end in "-in-the".
_TRAILING_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "via",
        "per",
    ]
)


def record_id(text: str | None) -> str:
    """A record id from a title: lower-case words joined by hyphens, at most 60
    characters, cut at a word and never ending in a word like "in" or "the"."""
    words = slugify(text or "", max_length=60, word_boundary=True).split("-")
    while len(words) > 1 and words[-1] in _TRAILING_WORDS:
        words.pop()
    return "-".join(w for w in words if w)


_slug = record_id


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("smesa", "templates/new"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, not HTML; values pass through the `yaml` filter
    )
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env


def _date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ScaffoldError(f"{what} must be a date YYYY-MM-DD: {value!r}") from None


def _validated(kind: str, facts: dict[str, Any], repo: Repository) -> dict[str, Any]:
    """Facts checked against the repository, in the form the template wants."""
    record_id = facts["id"]
    if not record_id or not ID_PATTERN.fullmatch(record_id):
        raise ScaffoldError(f"id must be lower-case words joined by hyphens: {record_id!r}")
    if kind == "case":
        if facts["member"] not in repo.index(models.Member):
            raise ScaffoldError(
                f"no member {facts['member']!r} in data/members/ (add the member first: "
                "smesa new member)"
            )
        topics = [t.strip() for t in facts["topics"].split(",") if t.strip()]
        unknown = [t for t in topics if t not in repo.topics]
        if not topics or unknown:
            raise ScaffoldError(
                f"unknown topics {unknown or topics!r}; choose from: " + ", ".join(repo.topics)
            )
        if not facts["year"].isdigit():
            raise ScaffoldError(f"year must be a number: {facts['year']!r}")
        return {**facts, "topics": topics, "year": int(facts["year"])}
    if kind == "member":
        if facts["economy"] not in repo.economies:
            raise ScaffoldError(
                f"economy must be an APEC code: {facts['economy']!r}; one of "
                + ", ".join(sorted(repo.economies))
            )
        types = models.Member.model_fields["type"].annotation.__args__
        if facts["type"] not in types:
            raise ScaffoldError(f"type must be one of {', '.join(types)}: {facts['type']!r}")
        return {**facts, "joined": _date(facts["joined"], "joined")}
    types = models.Meeting.model_fields["type"].annotation.__args__
    modes = ("online", "offline", "hybrid")
    if facts["type"] not in types or facts["mode"] not in modes:
        raise ScaffoldError(
            f"type must be one of {', '.join(types)} and mode one of {', '.join(modes)}"
        )
    return {**facts, "date": _date(facts["date"], "date")}


def target_path(kind: str, facts: dict[str, Any]) -> str:
    if kind == "case":
        return f"data/cases/{facts['year']}/{facts['id']}.yml"
    return f"data/{'members' if kind == 'member' else 'meetings'}/{facts['id']}.yml"


def collect(kind: str, given: dict[str, str | None], ask: Callable[[str, str | None], str] | None):
    """The facts: from options, else from `ask` (interactive), else their defaults."""
    facts: dict[str, Any] = {}
    missing = []
    for question in QUESTIONS[kind]:
        value = given.get(question.name)
        default = question.default(facts)
        if value is None and ask is not None:
            value = ask(question.prompt, default) or default
        if value is None:
            value = default
        if value is None:
            missing.append(question.name)
        facts[question.name] = value
    if missing:
        flags = ", ".join("--" + name.replace("_", "-") for name in missing)
        raise ScaffoldError(f"missing {flags} (or run in a terminal to be asked)")
    return facts


def write(root: Path, kind: str, facts: dict[str, Any], repo: Repository) -> str:
    """Write the new file; returns its repository-relative path. Never overwrites."""
    facts = _validated(kind, facts, repo)
    rel = target_path(kind, facts)
    path = root / rel
    if path.exists():
        raise ScaffoldError(f"{rel} exists already: choose another --id")
    text = (
        _environment()
        .get_template(f"{kind}.yml.j2")
        .render(modeline=modeline(rel), path=rel, **facts)
    )
    text = format_text(text, rel)  # born formatted: `smesa fmt --check` passes at once
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": fail rather than overwrite
        out.write(text)
    return rel
