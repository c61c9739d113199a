"""`smesa new case|member|meeting`: a correctly named, correctly shaped file to fill in.

The few facts a record cannot do without are asked for (or given as options) and checked
against the repository at once; everything else is marked TODO or left as commented-out
optional fields, so that the file passes the check as a draft and says what is missing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from slugify import slugify

from smesa.data import models
from smesa.data.config import (
    DEFAULT_SECRETARIAT_REFERENCE,
    ReferenceForm,
    reference_form,
    secretariat_reference,
)
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
        Question("member", "Member institution"),
        Question("topics", "Topics, separated by commas"),
        Question("year", "Year", lambda _: str(dt.date.today().year)),
        Question("id", "Id", lambda facts: _slug(facts.get("title_en", ""))),
    ),
    "member": (
        Question("name_en", "Name in English"),
        Question("name_zh", "Name in Chinese (optional)", lambda _: ""),
        Question("economy", "Economy"),
        Question("type", "Type of institution", lambda _: "sme-service-centre"),
        Question("head_en", "Name of the head of the institution (in English)"),
        Question("joined", "Joined (YYYY-MM-DD)", lambda _: dt.date.today().isoformat()),
        Question(
            "admission_ref",
            "Number of the Secretariat's record admitting it, in the form {form}",
        ),
        Question("id", "Id", lambda facts: _slug(facts.get("name_en", ""))),
    ),
    "meeting": (
        Question("title_en", "Title in English"),
        Question("type", "Type of meeting", lambda _: "plenary"),
        Question("date", "Date (YYYY-MM-DD)"),
        Question("mode", "Online or offline", lambda _: "online"),
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


def collect(
    kind: str,
    given: dict[str, str | None],
    ask: Callable[[str, str | None], str] | None,
    repo: Repository | None = None,
    tell: Callable[[str], None] = lambda _: None,
):
    """The facts: from options, else from `ask` (interactive), else their defaults.

    With a repository, each answer is checked as it is given: a wrong one is said at
    once and asked again (interactive), or refused (an option). Choices are numbered;
    a number, an id, a name in English or Chinese or a listed variant all answer.
    """
    facts: dict[str, Any] = {}
    missing = []
    numbers = secretariat_reference(repo.root if repo is not None else Path("."))
    for question in QUESTIONS[kind]:
        value = given.get(question.name)
        default = question.default(facts)
        options = choices(kind, question.name, repo) if repo is not None else None
        if value is not None:
            facts[question.name] = _resolved(question, value, options, numbers)
            continue
        if ask is None:
            if default is None:
                missing.append(question.name)
            facts[question.name] = default
            continue
        prompt = question.prompt.format(form=numbers.form)
        if options:
            tell(_menu(options))
            prompt += " (number, id or name)"
        while True:
            answer = ask(prompt, default) or default
            if answer is None:
                continue
            try:
                facts[question.name] = _resolved(question, answer, options, numbers)
                break
            except ScaffoldError as error:
                tell(f"  {error}")
    if missing:
        flags = ", ".join("--" + name.replace("_", "-") for name in missing)
        raise ScaffoldError(f"missing {flags} (or run in a terminal to be asked)")
    return facts


MULTIPLE = {"topics"}


def choices(kind: str, name: str, repo: Repository | None) -> dict[str, tuple[str, set[str]]]:
    """id -> (label shown, names that also mean it) for a question with choices."""
    if repo is None:
        return {}
    if name == "member" and kind == "case":
        return {
            e.id: (
                f"{e.record.name.read('en')} ({e.record.economy})",
                {e.id, e.record.name.en or "", e.record.name.zh or ""}
                | ({e.record.short_name.en or ""} if e.record.short_name else set()),
            )
            for e in sorted(repo.of(models.Member), key=lambda e: e.id)
            if e.record.status == "active"
        }
    if name == "topics":
        return {
            t.id: (
                f"{t.name.read('en')} / {t.name.read('zh')}",
                {t.id, t.name.en or "", t.name.zh or ""},
            )
            for t in repo.topics.values()
        }
    if name == "economy":
        return {
            e.code: (
                f"{e.name.read('en')} / {e.name.read('zh')}",
                {e.code, e.iso, e.name.en or "", e.name.zh or "", *e.variants},
            )
            for e in repo.economies.values()
        }
    fixed = {("member", "type"): "member_types", ("meeting", "type"): "meeting_types"}
    table = fixed.get((kind, name)) or ("modes" if name == "mode" else None)
    if table is None:
        return {}
    from smesa.tools.forms import definitions  # the forms' bilingual labels

    return {value: (label, {value}) for value, label in definitions()["choices"][table].items()}


def _menu(options: dict[str, tuple[str, set[str]]]) -> str:
    width = len(str(len(options)))
    return "\n".join(
        f"  {n:>{width}}. {key} — {label}" for n, (key, (label, _)) in enumerate(options.items(), 1)
    )


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _choose(answer: str, options: dict[str, tuple[str, set[str]]], what: str) -> str:
    keys = list(options)
    text = answer.strip()
    if text.isdigit() and 1 <= int(text) <= len(keys):
        return keys[int(text) - 1]
    names = {
        _key(alias): key for key, (_, aliases) in options.items() for alias in aliases if alias
    }
    if _key(text) in names:
        return names[_key(text)]
    close = difflib.get_close_matches(_key(text), list(names), n=1, cutoff=0.6)
    hint = f"did you mean {names[close[0]]!r}? " if close else ""
    raise ScaffoldError(f"{what} {text!r} is not in the list: {hint}answer with its number or id")


def _resolved(
    question: Question, answer: str, options: dict, numbers: ReferenceForm | None = None
) -> str:
    """The answer checked and in the form the record takes (an id, a code, a date)."""
    name, text = question.name, str(answer).strip()
    if options:
        if name in MULTIPLE:
            parts = [p for p in re.split(r"[,;，、]", text) if p.strip()]
            if not parts:
                raise ScaffoldError("choose at least one: numbers or ids, separated by commas")
            chosen = [_choose(p, options, "topic") for p in parts]
            return ", ".join(dict.fromkeys(chosen))
        what = {"member": "member", "economy": "economy", "mode": "mode"}.get(name, name)
        try:
            return _choose(text, options, what)
        except ScaffoldError as error:
            if name != "member":
                raise
            hint = str(error).split(": ", 1)[1]
            raise ScaffoldError(
                f"no member {text!r} in data/members/: {hint}; an institution that is not "
                "listed is added first, with: smesa new member"
            ) from None
    if name in ("title_en", "name_en", "head_en"):
        if not text or "\n" in text:
            raise ScaffoldError("write one line of English")
        if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", text):
            raise ScaffoldError("write it in English here; Chinese has its own question")
    if name in ("joined", "date"):
        _date(text, name)
    if name == "year" and not (text.isdigit() and len(text) == 4):
        raise ScaffoldError(f"year must be four digits, like 2026: {text!r}")
    numbers = numbers or reference_form(DEFAULT_SECRETARIAT_REFERENCE)
    if name == "admission_ref" and not numbers.pattern.fullmatch(text):
        raise ScaffoldError(
            f"write the number of the Secretariat's record, in the form {numbers.form}"
        )
    if name == "id" and (not text or not ID_PATTERN.fullmatch(text)):
        raise ScaffoldError(f"id must be lower-case words joined by hyphens: {text!r}")
    return text


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
