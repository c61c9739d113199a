"""Registry integrity: files parse, records fit their model, ids and references hold."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from smesa.check.findings import Severity
from smesa.check.registry import Hit, rule
from smesa.data import models
from smesa.data.repository import Repository, Source, dotted
from smesa.tor import clauses

FEE_KEY = re.compile(r"fee|dues|subscription|payment|charge", re.IGNORECASE)


@rule(
    "SM001",
    "yaml-invalid",
    Severity.ERROR,
    clauses.INTEGRITY,
    "fix the YAML at this spot",
    needs_reference=False,
    examples=("title:\n  en: Cost: down 30%\n", "title:\n  en: 'Cost: down 30%'\n"),
)
def yaml_invalid(repo: Repository) -> Iterator[Hit]:
    """A data file must be strict, well-formed YAML.

    Triggers on syntax errors, duplicate keys, tabs, non-UTF-8 bytes, anchors and
    aliases, custom tags, empty files and files over the size limit.
    """
    for source, problem in repo.load_problems:
        if problem.message.startswith("YAML syntax") and any(
            run.closed_on <= problem.line for run in quotes_running_on(source)
        ):
            continue  # a quote left open earlier: SM005 names the line where it opens
        yield Hit(
            source,
            (),
            problem.message,
            problem.fix,
            position=(problem.line, problem.column),
        )


@rule(
    "SM002",
    "schema-invalid",
    Severity.ERROR,
    clauses.INTEGRITY,
    "change the field as the message says",
    needs_reference=False,
    examples=("year: '2025'\n", "year: 2025\n"),
)
def schema_invalid(repo: Repository) -> Iterator[Hit]:
    """A record must have the fields of its kind, each of the right type.

    Triggers on missing required fields, unknown keys, wrong types (a quoted number, a
    date in another form) and values outside the allowed list.
    """
    for error in repo.schema_errors:
        is_extra = error.error_type == "extra_forbidden"
        if is_extra and error.source.folder == "members" and FEE_KEY.search(str(error.loc[-1])):
            continue  # reported as membership-free (SM608), with the ToR reason
        if error.error_type == "missing" and any(
            error.loc[-1] in run.keys for run in quotes_running_on(error.source)
        ):
            continue  # the key is there, inside an open quote: SM005 says where it opens
        yield Hit(error.source, error.loc, error.message, error.fix, key=is_extra)


_KEY_LINE = re.compile(r"^( *)([A-Za-z_][A-Za-z0-9_-]*):(?: |$)")


@dataclass(frozen=True)
class QuoteRun:
    """A quoted text that opens on one line and closes lines later, over `keys`."""

    line: int
    column: int
    closed_on: int
    quote: str
    keys: tuple[str, ...]


def quotes_running_on(source: Source) -> list[QuoteRun]:
    """Quoted texts that run over lines which look like keys of the record: a closing
    quote forgotten at the end of a line, so the next quote in the file closes it."""
    raw = source.doc.raw or b""
    if b"'" not in raw and b'"' not in raw:
        return []
    text = raw.decode("utf-8", errors="replace")
    lines = text.split("\n")
    found = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if not isinstance(token, yaml.ScalarToken) or token.plain:
                continue
            start, end = token.start_mark, token.end_mark
            if end.line == start.line:
                continue
            opener = _KEY_LINE.match(lines[start.line])
            indent = len(opener.group(1)) if opener else start.column
            swallowed = [
                (len(match.group(1)), match.group(2))
                for row in lines[start.line + 1 : end.line + 1]
                if (match := _KEY_LINE.match(row)) and len(match.group(1)) <= indent
            ]
            outermost = min((depth for depth, _ in swallowed), default=0)
            keys = tuple(key for depth, key in swallowed if depth == outermost)
            if keys:
                quote = '"' if token.style == '"' else "'"
                found.append(QuoteRun(start.line + 1, start.column + 1, end.line + 1, quote, keys))
    except yaml.YAMLError:
        return found  # a syntax error: SM001 reports it
    return found


@rule(
    "SM005",
    "quote-runs-on",
    Severity.ERROR,
    clauses.INTEGRITY,
    "close the quote at the end of its line",
    needs_reference=False,
    examples=(
        "summary:\n  en: 'Loans in 6 days.\nbody:\n  en: Quick.'\n",
        "summary:\n  en: 'Loans in 6 days.'\nbody:\n  en: Quick.\n",
    ),
)
def quote_runs_on(repo: Repository) -> Iterator[Hit]:
    """A quoted text closes on the line where it opens, not lines later over other keys.

    Triggers when a quote left open swallows the lines after it: YAML reads everything
    up to the next quote mark (an apostrophe in "firm's" will do) as one text, so the
    record seems to have no `body` although the file shows one, or the file stops
    parsing lines later. Reported where the quote opens; the missing field or the
    syntax error it causes is not reported again.
    """
    sources = {error.source.path: error.source for error in repo.schema_errors}
    for source, problem in repo.load_problems:
        if problem.message.startswith("YAML syntax"):
            sources[source.path] = source
    for source in sources.values():
        for run in quotes_running_on(source):
            keys = ", ".join(repr(k) for k in run.keys)
            yield Hit(
                source,
                (),
                f"the text quoted on line {run.line} is closed only on line {run.closed_on}: "
                f"the lines between, with {keys}, are read as part of it",
                f"add the closing {run.quote} at the end of line {run.line}, "
                "or remove the opening one",
                position=(run.line, run.column),
            )


@rule(
    "SM003",
    "file-misplaced",
    Severity.ERROR,
    clauses.INTEGRITY,
    "move the file to the data folder of its kind, with the .yml extension",
    needs_reference=False,
)
def file_misplaced(repo: Repository) -> Iterator[Hit]:
    """Every file under data/ is a .yml record in a known folder.

    Known folders: reference/ (economies, topics, tor, nomenclature) and one folder per
    record kind (members, cases, meetings, proposals, presidium, activities, reports,
    bodies).
    """
    known = ", ".join(sorted(models.BY_FOLDER))
    for source, fix in repo.misplaced:
        yield Hit(
            source,
            (),
            f"{source.path} is not a record file this repository knows",
            fix or f"records live in data/<kind>/ with kind one of: {known}",
        )


@rule(
    "SM004",
    "file-not-regular",
    Severity.ERROR,
    clauses.INTEGRITY,
    "replace it with a regular .yml file, or delete it",
    needs_reference=False,
)
def file_not_regular(repo: Repository) -> Iterator[Hit]:
    """Everything under data/ is a visible, regular file or folder of the repository.

    Triggers on links that leave the repository, lead nowhere (missing target, a loop)
    or to a folder; named pipes, sockets and devices; hidden files and folders (a name
    starting with '.', such as .DS_Store); folders named like record files (x.yml/);
    names with invisible or control characters. None of them is read: a link out of the
    repository would publish a file from elsewhere, a pipe would hang the check.
    """
    for source, what, fix in repo.refused:
        yield Hit(source, (), f"{source.path} is {what}", fix or None, position=(1, 1))


@rule(
    "SM101",
    "id-matches-file-name",
    Severity.ERROR,
    clauses.INTEGRITY,
    "rename the file or change the id so that they are equal",
    examples=("# data/members/abc.yml\nid: abd\n", "# data/members/abc.yml\nid: abc\n"),
)
def id_matches_file_name(repo: Repository) -> Iterator[Hit]:
    """A record's id equals its file name (without .yml).

    The id is the record's permanent address: its page URL and its references.
    """
    for entry in repo.entries:
        if entry.id != entry.source.stem:
            yield Hit(
                entry,
                ("id",),
                f"id must equal the file name {entry.source.stem!r}: {entry.id!r}",
            )


@rule(
    "SM102",
    "unique-id",
    Severity.ERROR,
    clauses.INTEGRITY,
    "give one of the records another id",
)
def unique_id(repo: Repository) -> Iterator[Hit]:
    """Ids are unique within a record kind.

    Cases of different years still share one id space.
    """
    for model in models.RECORD_MODELS:
        first: dict[str, str] = {}
        for entry in repo.of(model):
            if entry.id in first:
                yield Hit(entry, ("id",), f"id {entry.id!r} is already used by {first[entry.id]}")
            else:
                first[entry.id] = entry.source.path


def _references(
    repo: Repository,
) -> Iterator[tuple[object, tuple, str, type[models.Record] | str]]:
    """(entry, path, id, kind) for every reference a record makes."""
    for entry in repo.entries:
        r = entry.record
        if isinstance(r, models.Case):
            yield entry, ("member",), r.member, models.Member
            for i, topic in enumerate(r.topics):
                yield entry, ("topics", i), topic, "topic"
            yield from _participant_refs(entry, "partners", r.partners)
        elif isinstance(r, models.Meeting):
            for i, member in enumerate(r.attendees):
                yield entry, ("attendees", i), member, models.Member
            for i, decision in enumerate(r.decisions):
                if decision.presidium:
                    yield entry, ("decisions", i, "presidium"), decision.presidium, models.Presidium
            yield from _participant_refs(entry, "guests", r.guests)
        elif isinstance(r, models.Proposal):
            if r.meeting:
                yield entry, ("meeting",), r.meeting, models.Meeting
            for i, issue in enumerate(r.issues):
                for j, topic in enumerate(issue.topics):
                    yield entry, ("issues", i, "topics", j), topic, "topic"
        elif isinstance(r, models.Presidium):
            yield entry, ("chair",), r.chair, models.Member
            for i, member in enumerate(r.vice_chairs):
                yield entry, ("vice_chairs", i), member, models.Member
            for i, member in enumerate(r.members):
                yield entry, ("members", i), member, models.Member
            yield entry, ("elected_at",), r.elected_at, models.Meeting
            for i, advisor in enumerate(r.advisors):
                yield entry, ("advisors", i, "appointed_at"), advisor.appointed_at, models.Meeting
        elif isinstance(r, models.Activity):
            for i, member in enumerate(r.organisers):
                yield entry, ("organisers", i), member, models.Member
            for field in ("participants", "partners", "sponsors"):
                yield from _participant_refs(entry, field, getattr(r, field))


def _participant_refs(entry, field, participants):
    for i, participant in enumerate(participants):
        if participant.member:
            yield entry, (field, i, "member"), participant.member, models.Member


@rule(
    "SM103",
    "reference-resolves",
    Severity.ERROR,
    clauses.INTEGRITY,
    "use the id of an existing record (its file name)",
    examples=("member: yongjiang-sme-centre\n", "member: yongjiang-sme-service-centre\n"),
)
def reference_resolves(repo: Repository) -> Iterator[Hit]:
    """Every member, meeting, Presidium and topic a record names exists.

    Topics come from data/reference/topics.yml; the others are files under data/.
    """
    known = {model: repo.known_ids(model) for model in models.RECORD_MODELS}
    for entry, path, ref, kind in _references(repo):
        if kind == "topic":
            if ref not in repo.topics:
                yield Hit(
                    entry,
                    path,
                    f"{dotted(path)} names an unknown topic: {ref!r}",
                    "use an id from data/reference/topics.yml: " + ", ".join(sorted(repo.topics)),
                )
        elif ref not in known[kind]:  # type: ignore[index]
            yield Hit(
                entry,
                path,
                f"{dotted(path)} names no {kind.kind} in data/{kind.folder}/: {ref!r}",  # type: ignore[union-attr]
            )


@rule(
    "SM104",
    "case-year-folder",
    Severity.ERROR,
    clauses.ANNUAL_CASES,
    "keep the case in data/cases/<year>/ and publish it in that year",
)
def case_year_folder(repo: Repository) -> Iterator[Hit]:
    """A case lives in the folder of its year, and is published in that year.

    Cases are published as yearly collections (ToR §5.2), so the year is part of the
    record's place. That a case is published in its own year is our convention, not the
    ToR's: §5.2 asks for cases every year and says nothing of when a case written in one
    year may be published. We count a year's collection by publication date, so a case
    published in January 2026 is a 2026 case (set its year to 2026), never a late 2025
    one.
    """
    for entry in repo.of(models.Case):
        case = entry.record
        parts = entry.source.path.split("/")
        if len(parts) != 4 or parts[2] != str(case.year):
            yield Hit(
                entry,
                ("year",),
                f"a {case.year} case must be at data/cases/{case.year}/{entry.source.stem}.yml",
            )
        if case.published and case.published.year != case.year:
            yield Hit(
                entry,
                ("published",),
                f"published must fall in the case's year {case.year}: {case.published}",
                "set year to the year of publication, or correct the date",
            )


@rule(
    "SM201",
    "apec-economy",
    Severity.ERROR,
    clauses.MEMBER_ECONOMIES,
    "use an APEC economy code from data/reference/economies.yml",
    examples=("economy: TW\n", "economy: CT\n"),
)
def apec_economy(repo: Repository) -> Iterator[Hit]:
    """Economy codes name one of the 21 APEC member economies.

    APEC's customary codes (PRC, CT, HKC, ROK, …) are used, not ISO codes.
    """
    codes = repo.economies
    by_iso = {e.iso: e.code for e in codes.values()}

    def bad(code: str) -> str | None:
        if code in codes:
            return None
        if code in by_iso:
            return f"use the APEC code {by_iso[code]!r}, not the ISO code"
        return "use one of: " + ", ".join(sorted(codes))

    for entry in repo.entries:
        r = entry.record
        refs: list[tuple[tuple, str]] = []
        if isinstance(r, models.Member):
            refs.append((("economy",), r.economy))
        if isinstance(r, models.Proposal):
            refs += [
                (("issues", i, "economies", j), code)
                for i, issue in enumerate(r.issues)
                for j, code in enumerate(issue.economies)
            ]
        for field, i, participant in models.parties(r):
            if participant.economy:
                refs.append(((field, i, "economy"), participant.economy))
        for path, code in refs:
            fix = bad(code)
            if fix and not (
                path[-1] == "economy" and len(path) == 3 and _is_non_member_economy(r, path)
            ):
                yield Hit(entry, path, f"{dotted(path)} is not an APEC economy: {code!r}", fix)


def _is_non_member_economy(record: models.Record, path: tuple) -> bool:
    """Participants from non-member economies are allowed (with approval, see SM610)."""
    participant = getattr(record, path[0])[path[1]]
    return participant.kind == "non-member-economy"
