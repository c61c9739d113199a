"""The annual report to the SMEWG (ToR §7), computed from the records.

`annual_report(repo, year)` gathers a year's figures: membership at the start of the
year and on the report's day, cases, meetings and decisions, the recommendation paper,
activities, approvals and the ToR obligations of the year (`smesa.tor.obligations`).
`publication` lays them out as a document (`smesa.report.document`): the Markdown and
HTML pages, the PDF (`smesa.report.pdf`) and the site's report pages all print it.

**An approved report is fixed.** Once the SMEWG approved the report (its record is final
and carries the approval), its figures are those of the approval day: every count is
made on the public records of events up to that day, so a later build, with later
records, prints the same report. A report not yet approved counts up to the end of the
year, or up to today in the current year, and says it is a draft on every page. Only
public records (`smesa.tor.publication.public`) are counted or named.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from markupsafe import Markup

from smesa.data import models
from smesa.data.repository import Repository
from smesa.data.texts import REPORT_LABELS, format_date, labels
from smesa.render.templating import inline
from smesa.report import charts
from smesa.report.document import (
    Block,
    Bullets,
    Document,
    Figure,
    Heading,
    Note,
    Para,
    Table,
    markdown_blocks,
)
from smesa.tor import obligations, parameters
from smesa.tor.clauses import Clause
from smesa.tor.publication import is_final, public

# Charts of the report: membership and cases over the years, and this year's coverage.
REPORT_CHARTS = ("membership-growth", "cases-per-year", "economy-coverage")
ALLIANCE_MEETINGS = ("plenary", "presidium")

Rows = list[tuple[str, int]]


class ReportError(ValueError):
    """A report that cannot be made: the year is outside the term or has not begun."""


@dataclass(frozen=True, slots=True)
class ApprovalLine:
    """An approval obtained in the year: by which forum, for which record (and, for a
    non-member's participation, for whom)."""

    forum: str  # "SMEWG", "SCE", or "SMEWG (participation)" for a non-member
    date: dt.date
    ref: str
    kind: str
    id: str
    title: models.Text
    participant: models.Text | None = None


@dataclass(frozen=True, slots=True)
class Compliance:
    """One obligation of the year, as the report states it."""

    key: str
    title: dict[str, str]
    clause: Clause
    state: obligations.State
    statement: str  # English, as the dashboard says it (record ids, ISO dates)
    statement_zh: str
    obligation: obligations.Obligation | None = None  # None: the Presidium in office
    detail: dict[str, str] = field(default_factory=dict)  # for readers, per language

    @property
    def late(self) -> bool:
        return bool(self.obligation and self.obligation.late)

    def statement_in(self, lang: str) -> str:
        return self.statement_zh if lang == "zh" else self.statement

    def detail_in(self, lang: str) -> str:
        return self.detail.get(lang) or self.statement_in(lang)


@dataclass
class AnnualReport:
    year: int
    as_of: dt.date
    members_start: int
    members_end: int
    new_members: list[models.Member]
    withdrawals: list[models.Member]
    members_by_economy: Rows
    cases: list[models.Case]
    cases_by_economy: Rows
    cases_by_topic: Rows
    coverage: Rows
    meetings: list[models.Meeting]
    proposal: models.Proposal | None
    activities: list[models.Activity]
    approvals: list[ApprovalLine]
    compliance: list[Compliance]
    record: models.Report | None
    presidium: models.Presidium | None
    repo: Repository = field(repr=False)  # the repository as of `as_of`, for the charts
    # this year's cases as of `as_of`: the coverage chart beside this year's table
    year_repo: Repository | None = field(default=None, repr=False)

    @property
    def growth(self) -> int:
        return self.members_end - self.members_start

    @property
    def growth_percent(self) -> float | None:
        if not self.members_start:
            return None
        return round(100 * self.growth / self.members_start, 1)

    @property
    def complete(self) -> bool:
        """True when the year is over: obligations not met are then missed."""
        return self.as_of == dt.date(self.year, 12, 31)

    @property
    def missed(self) -> list[Compliance]:
        return [c for c in self.compliance if c.state == "overdue"]

    @property
    def approval(self) -> models.Approval | None:
        """The SMEWG's approval of this report, when recorded."""
        if self.record and self.record.approval:
            return self.record.approval.smewg
        return None

    @property
    def sample(self) -> bool:
        """True when any record the report is made from is sample data: the report
        then says so on its cover, its imprint and every page, like the site."""
        return (self.record is not None and self.record.sample) or any(
            getattr(e.record, "sample", False) for e in self.repo.entries
        )

    @property
    def approved(self) -> bool:
        """True when the SMEWG approved the report: it is then fixed, not a draft."""
        return self.approval is not None

    @property
    def alliance_meetings(self) -> list[models.Meeting]:
        return [m for m in self.meetings if m.type in ALLIANCE_MEETINGS]

    @property
    def smewg_sessions(self) -> list[models.Meeting]:
        return [m for m in self.meetings if m.type == "smewg"]

    @property
    def published_on(self) -> dt.date:
        """The day whose month the cover shows: publication, else approval, else today's
        figures (a draft)."""
        if self.record and self.record.published:
            return self.record.published
        return self.approval.date if self.approval else self.as_of

    def title(self, lang: str) -> str:
        if self.record:
            return text_in(self.record.title, lang)
        return labels(REPORT_LABELS)["default_title"][lang].format(year=self.year)


# -- computing -----------------------------------------------------------------------


def text_in(text: models.Text | None, lang: str) -> str:
    """A record text in `lang`, English when it has no translation."""
    return text.read(lang).strip() if text is not None else ""


def report_years(repo: Repository) -> range:
    """The years a report can be made for: the term's years up to the current one."""
    force = parameters.in_force(repo.tor, repo.today)
    return range(force.term_start.year, min(repo.today.year, force.term_end.year) + 1)


def as_of(repo: Repository, day: dt.date, case_years: Callable[[int], bool]) -> Repository:
    """The repository as it stood on `day`, with only the cases of `case_years`.

    `today` moves to `day` (so charts end there), and a record of an event after `day`
    is left out: a case published later, a meeting or activity held later, a member who
    joined later, a paper or report submitted later. Records are shared, not copied.
    """
    kept = [
        e
        for e in repo.entries
        if _happened(e.record, day)
        and (not isinstance(e.record, models.Case) or case_years(e.record.year))
    ]
    return dataclasses.replace(repo, today=day, entries=kept)


# The date that says when a record's event happened, by kind.
_EVENT_DATE = {
    models.Case: "published",
    models.Meeting: "date",
    models.Activity: "date",
    models.Proposal: "submitted",
    models.Report: "submitted",
    models.Body: "established",
    models.Presidium: "start",
    models.Member: "joined",
}


def _happened(record: models.Record, day: dt.date) -> bool:
    name = _EVENT_DATE.get(type(record))
    when = getattr(record, name, None) if name else None
    return when is None or when <= day


def report_day(repo: Repository, year: int) -> tuple[dt.date, models.Report | None]:
    """The day a report of `year` is as of, and its final record (if any).

    An approved report is as of its approval (at the latest the year's end): fixed. One
    not approved is as of the year's end, or today in the current year.
    """
    reports = sorted(
        (e.record for e in repo.of(models.Report) if e.record.year == year and is_final(e.record)),
        key=lambda r: (r.status != "published", r.id),
    )
    record = reports[0] if reports else None
    approval = record.approval.smewg if record and record.approval else None
    day = min(dt.date(year, 12, 31), repo.today)
    if approval is not None:
        day = min(day, approval.date)
    return day, record


def annual_report(repo: Repository, year: int) -> AnnualReport:
    """The figures of `year` from the public records. Raises ReportError for a year
    outside the term or not begun."""
    years = report_years(repo)
    if year not in years:
        raise ReportError(
            f"no report for {year}: reports cover the years of the term that have begun "
            f"({years.start}–{years.stop - 1} as of {repo.today})"
        )
    # The report's own record counts once the SMEWG approved it (its approval and
    # publication number are then facts, before it is published); everything it
    # reports on is public (smesa.tor.publication), as it stood on the report's day.
    day, record = report_day(repo, year)
    start = dt.date(year - 1, 12, 31)
    seen = as_of(public(repo), day, lambda y: True)
    members = [e.record for e in seen.of(models.Member)]
    active_end = [m for m in members if charts.member_active_on(m, day, day)]
    this_year = as_of(seen, day, lambda y: y == year)
    proposals = sorted(
        (e.record for e in seen.of(models.Proposal) if e.record.year == year),
        key=lambda p: p.id,
    )
    return AnnualReport(
        year=year,
        as_of=day,
        members_start=sum(charts.member_active_on(m, start, day) for m in members),
        members_end=len(active_end),
        new_members=sorted(
            (m for m in members if m.joined.year == year and m.joined <= day),
            key=lambda m: (m.joined, m.id),
        ),
        withdrawals=sorted(
            (m for m in members if m.withdrawn and m.withdrawn.year == year and m.withdrawn <= day),
            key=lambda m: (m.withdrawn, m.id),
        ),
        members_by_economy=sorted(
            Counter(m.economy for m in active_end).items(), key=lambda row: (-row[1], row[0])
        ),
        cases=sorted(charts.published_cases(this_year), key=lambda c: (c.published or day, c.id)),
        cases_by_economy=charts.chart_data(this_year, "cases-by-economy"),
        cases_by_topic=charts.chart_data(this_year, "cases-by-topic"),
        coverage=charts.chart_data(this_year, "economy-coverage"),
        meetings=_dated(seen, models.Meeting, year, day),
        proposal=proposals[0] if proposals else None,
        activities=_dated(seen, models.Activity, year, day),
        approvals=sorted(_approvals(seen, year, day), key=lambda a: (a.date, a.forum, a.ref)),
        compliance=_compliance(as_of(repo, day, lambda y: True), seen, year, day),
        record=record,
        presidium=obligations.presidium_in_office(seen, day),
        repo=as_of(seen, day, lambda y: y <= year),
        year_repo=this_year,
    )


def _dated(repo: Repository, model: Any, year: int, day: dt.date) -> list[Any]:
    records = [e.record for e in repo.of(model) if e.record.date.year == year]
    return sorted((r for r in records if r.date <= day), key=lambda r: (r.date, r.id))


def _title(record: models.Record) -> models.Text:
    found = getattr(record, "title", None) or getattr(record, "name", None)
    return found if isinstance(found, models.Text) else models.Text(en=record.id)


def _approvals(repo: Repository, year: int, day: dt.date) -> list[ApprovalLine]:
    """Every approval dated in the year: of records (SMEWG, SCE), of non-member
    participants, and of ToR revisions and extensions."""
    found: list[ApprovalLine] = []

    def add(
        forum: str,
        approval: models.Approval | None,
        kind: str,
        rid: str,
        title: models.Text,
        *,
        participant: models.Text | None = None,
    ) -> None:
        if approval and approval.date.year == year and approval.date <= day:
            found.append(
                ApprovalLine(forum, approval.date, approval.ref, kind, rid, title, participant)
            )

    for entry in repo.entries:
        record = entry.record
        title = _title(record)
        if isinstance(record, models.Output) and record.approval:
            add("SMEWG", record.approval.smewg, record.kind, entry.id, title)
            add("SCE", record.approval.sce, record.kind, entry.id, title)
        for _, _, person in models.parties(record):
            add(
                "SMEWG (participation)",
                person.approval,
                record.kind,
                entry.id,
                title,
                participant=person.name,
            )
    tor = repo.tor
    for revision in tor.revisions:
        add("SMEWG", revision.approval, "tor", "tor-revision", tor.title)
    for extension in tor.extensions:
        add("SCE", extension.approval, "tor", "tor-extension", tor.title)
    return found


def _compliance(repo: Repository, seen: Repository, year: int, day: dt.date) -> list[Compliance]:
    """The obligations of the year as of `day`, counted as the dashboard counts them
    (`repo`: a paper submitted and not yet published meets its obligation), and said
    with the titles of public records only (`seen`): an unpublished one by its kind."""
    words = {lang: Words(seen, lang) for lang in models.LANGUAGES}
    out = []
    for found in obligations.yearly_obligations(repo, year, day):
        o = found
        if o.state == "due" and day == dt.date(year, 12, 31):
            o = dataclasses.replace(o, state="overdue")  # the year is over: missed
        statement, statement_zh = o.statement, o.statement_in("zh")
        if o.state == "due":
            statement = f"Not yet due: {statement[0].lower()}{statement[1:]}"
            statement_zh = f"尚未到期。{statement_zh}"
        title = obligations.titles()[o.key]
        detail = {lang: w.obligation_detail(o) for lang, w in words.items()}
        out.append(Compliance(o.key, title, o.clause, o.state, statement, statement_zh, o, detail))
    presidium = obligations.presidium_in_office(repo, day)
    if presidium:
        state: obligations.State = "met"
        statement = f"Met: {presidium.id} in office ({presidium.start} to {presidium.end})"
        term = f"{format_date(presidium.start, 'zh')}至{format_date(presidium.end, 'zh')}"
        statement_zh = f"已完成：{presidium.id} 在任（{term}）"
        detail = {
            lang: w("c_presidium", start=w.date(presidium.start), end=w.date(presidium.end))
            for lang, w in words.items()
        }
    else:
        state = "overdue"
        statement = f"Not met: no Presidium in office on {day}"
        statement_zh = f"未完成：{format_date(day, 'zh')}无在任主席团"
        detail = {lang: w("c_no_presidium", date=w.date(day)) for lang, w in words.items()}
    out.append(
        Compliance(
            "presidium-in-office",
            labels(REPORT_LABELS)["presidium_in_office"],
            obligations.CLAUSES["presidium-election"],
            state,
            statement,
            statement_zh,
            None,
            detail,
        )
    )
    return out


# -- labels and pages ----------------------------------------------------------------


@cache
def _environment() -> Any:
    from smesa.render.templating import markdown_environment

    # Every value the templates print reads literally in the Markdown (titles, names,
    # references: contributor text), and `cell` keeps it on one table line; only the
    # page bodies made by these templates are marked safe.
    env = markdown_environment(literal=True)
    env.filters["cell"] = inline
    return env


_SESSION = re.compile(r"SMEWG\s?(\d+)", re.IGNORECASE)


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


# Records an obligation can be met by, by obligation: where to find its title.
_MET_BY: dict[str, type[models.Record]] = {
    "annual-plenary": models.Meeting,
    "case-collection": models.Case,
    "member-activities": models.Activity,
    "recommendation-paper": models.Proposal,
    "annual-report": models.Report,
}


class Words:
    """What a template needs to say things in one language."""

    def __init__(self, repo: Repository, lang: str) -> None:
        self.repo = repo
        self.lang = lang
        self.labels = labels(REPORT_LABELS)

    def __call__(self, key: str, **values: object) -> str:
        return self.labels[key][self.lang].format(**values)

    def t(self, text: models.Text | None) -> str:
        return text_in(text, self.lang)

    def date(self, day: dt.date | None) -> str:
        return format_date(day, self.lang)

    def month(self, day: dt.date, *, draft: bool = False) -> str:
        """ "December 2025" (the cover's month of publication), or "Draft, …"."""
        return self(
            "draft_month" if draft else "month", month=f"{day:%B}", year=day.year, number=day.month
        )

    def economy(self, code: str) -> str:
        economy = self.repo.economies.get(code)
        return text_in(economy.name, self.lang) if economy else code

    def topic(self, topic_id: str) -> str:
        topic = self.repo.topics.get(topic_id)
        return text_in(topic.name, self.lang) if topic else topic_id

    def member(self, member_id: str) -> str:
        entry = self.repo.index(models.Member).get(member_id)
        return text_in(entry.record.name, self.lang) if entry else member_id

    def kind(self, key: str) -> str:
        return self.labels["kinds"].get(key, {}).get(self.lang, key)

    def state(self, state: str) -> str:
        return self.labels["states"][state][self.lang]

    def aside(self, text: str) -> str:
        """`text` in brackets after what precedes it: full-width ones in Chinese."""
        return f"（{text}）" if self.lang == "zh" else f" ({text})"

    def chart_title(self, name: str) -> str:
        return charts.CHARTS[name].title[self.lang]

    def chart_alt(self, name: str) -> str:
        return charts.CHARTS[name].alt[self.lang]

    def names(self, people: list[models.Participant]) -> str:
        return ("、" if self.lang == "zh" else "; ").join(self.t(p.name) for p in people)

    participants = names

    def record_title(self, model: type[models.Record], record_id: str | None) -> str:
        """A public record's title; one that is not public is named by its kind only."""
        entry = self.repo.index(model).get(record_id or "")
        if entry is None:
            return self("unpublished_record", kind=self.kind(model.kind))
        return self.t(_title(entry.record))

    def obligation_detail(self, o: obligations.Obligation) -> str:
        """What the report says of an obligation: titles and dates, no record ids."""
        due = self.date(o.due)
        if o.state != "met":
            said = (
                self("c_due", due=due)
                if o.state == "due"
                else self("c_missing", missing=obligations.missing(o.key, self.lang), due=due)
            )
            model = _MET_BY.get(o.key)
            for record_id, target in o.off_target:
                title = self.record_title(model, record_id) if model else record_id
                said += self("c_off_target", title=title, target=self.session(target))
            return said
        model = _MET_BY[o.key]
        title = self.record_title(model, o.met_by)
        when = self.date(o.met_on)
        if o.key == "annual-plenary":
            return self("c_plenary", title=title, date=when)
        if o.key == "case-collection":
            return (
                self("c_cases", count=o.count, date=when)
                if o.count > 1
                else self("c_case", date=when)
            )
        if o.key == "member-activities":
            if o.count > 1:
                return self("c_activities", count=o.count, date=when, title=title)
            return self("c_activity", title=title, date=when)
        session = self.session(o.session) if o.session else self("the_second_plenary")
        if o.late:
            return self("c_submitted_late", title=title, date=when, session=session, due=due)
        return self("c_submitted", title=title, date=when, session=session)

    def session(self, code: str | None) -> str:
        """An SMEWG session code (`SMEWG61`) in words: "the 61st SMEWG meeting"."""
        found = _SESSION.fullmatch((code or "").strip())
        if not found:
            return code or ""
        number = int(found.group(1))
        return self("smewg_session_n", n=number, nth=_ordinal(number))

    def approved_what(self, line: ApprovalLine) -> str:
        what = self("approved_what", kind=self.kind(line.kind), title=self.t(line.title))
        if line.participant is None:
            return what
        return self("participation", name=self.t(line.participant), what=what)

    def source(self, what: str, day: dt.date) -> str:
        return self(
            "source", source=self("source_registry", what=self(f"what_{what}"), date=self.date(day))
        )


# -- the document -----------------------------------------------------------------------


def _table(
    doc: Document,
    w: Words,
    title: str,
    header: tuple[str, ...],
    rows: list[tuple[object, ...]],
    *,
    source: str,
    numeric: tuple[bool, ...] = (),
    widths: tuple[int, ...] = (),
    number: bool = True,
) -> Table:
    n = doc.next_table() if number else 0
    return Table(
        n,
        title,
        header,
        tuple(tuple(str(v) for v in row) for row in rows),
        source,
        numeric,
        widths,
        w("table_caption", number=n, title=title) if number else "",
    )


def _front(report: AnnualReport, w: Words, doc: Document) -> None:
    """The draft mark, the imprint, the acronyms and the report's own narrative."""
    if not report.approved:
        doc.add(Note(w("draft_note", date=w.date(report.as_of))))
    doc.add(Para(w("forum")), Para(w.month(report.published_on, draft=not report.approved)))
    doc.add(Heading(w("imprint"), other=_other(w, "imprint")))
    secretariat = w.t(report.repo.tor.secretariat)
    number = report.record.publication_number if report.record else None
    doc.add(
        Para(w("produced_by", secretariat=secretariat)),
        Para(w("copyright", year=report.published_on.year)),
        Para(w("licence")),
        Para(w("publication_number", number=number) if number else w("publication_number_pending")),
    )
    if report.approval:
        approval = report.approval
        doc.add(Para(w("approved_line", date=w.date(approval.date), ref=approval.ref)))
    else:
        doc.add(Para(w("not_approved")))
    doc.add(Para(w("disclaimer")))
    if report.sample:
        doc.add(Note(w("sample_report_note")))
    doc.add(Heading(w("acronyms"), other=_other(w, "acronyms")))
    acronyms = [(abbr, words[w.lang]) for abbr, words in w.labels["acronym_list"].items()]
    doc.add(
        _table(
            doc,
            w,
            w("acronyms"),
            (w("col_acronym"), w("col_meaning")),
            acronyms,
            source="",
            widths=(35, 135),
            number=False,
        )
    )
    if report.record:
        doc.add(Heading(w("review"), other=_other(w, "review")))
        doc.add(Para(w.t(report.record.summary)))
        doc.add(*markdown_blocks(w.t(report.record.body)))


def _other(w: Words, key: str, **values: object) -> str:
    """The label `key` in the other language: the PDF's headings carry both."""
    return w.labels[key]["zh" if w.lang == "en" else "en"].format(**values)


def _figures(report: AnnualReport, w: Words, doc: Document, *, charts_too: bool) -> None:
    day = report.as_of
    r = report
    doc.add(Heading(w("summary"), other=_other(w, "summary")))
    if r.approved:
        doc.add(Para(w("frozen_note", date=w.date(day))))
    else:
        doc.add(Para(w("as_of", date=w.date(day)) + ("" if r.complete else " " + w("in_progress"))))
    growth = f"{r.growth:+d}" + (
        f" ({r.growth_percent:+.1f}%)" if r.growth_percent is not None else ""
    )
    summary = [
        (w("measure_members_at_start"), r.members_start),
        (w("measure_members_at_end", date=w.date(day)), r.members_end),
        (w("measure_growth"), growth),
        (w("measure_new_members"), len(r.new_members)),
        (w("measure_withdrawals"), len(r.withdrawals)),
        (w("measure_published_cases"), len(r.cases)),
        (w("measure_alliance_meetings"), len(r.alliance_meetings)),
        (w("measure_smewg_sessions"), len(r.smewg_sessions)),
        (w("measure_activities"), len(r.activities)),
        (w("measure_approvals"), len(r.approvals)),
    ]
    doc.add(
        _table(
            doc,
            w,
            w("summary_table"),
            (w("col_measure"), w("col_value")),
            summary,
            source=w.source("obligations", day),
            numeric=(False, True),
            widths=(130, 40),
        )
    )
    if r.missed:
        doc.add(Para(w("missed"), strong=True))
        doc.add(
            Bullets(
                tuple(
                    f"{c.title[w.lang]}{w.aside(c.clause.section)}{w('colon')} "
                    + c.detail_in(w.lang)
                    for c in r.missed
                )
            )
        )
    else:
        doc.add(Para(w("all_met")))

    doc.add(Heading(w("membership"), other=_other(w, "membership")))
    changes = [
        (w.t(m.name), w.economy(m.economy), w("joined_on", date=w.date(m.joined)))
        for m in r.new_members
    ] + [
        (w.t(m.name), w.economy(m.economy), w("withdrew_on", date=w.date(m.withdrawn)))
        for m in r.withdrawals
    ]
    if changes:
        doc.add(
            _table(
                doc,
                w,
                w("membership_changes"),
                (w("col_member"), w("col_economy"), w("col_date")),
                changes,
                source=w.source("members", day),
                widths=(85, 45, 40),
            )
        )
    rows = [(w.economy(code), count) for code, count in r.members_by_economy]
    doc.add(
        _table(
            doc,
            w,
            w("members_by_economy", date=w.date(day)),
            (w("col_economy"), w("col_count")),
            rows,
            source=w.source("members", day),
            numeric=(False, True),
            widths=(130, 40),
        )
    )

    doc.add(Heading(w("cases"), other=_other(w, "cases")))
    if r.cases:
        rows = [(w.t(c.title), w.member(c.member), w.date(c.published)) for c in r.cases]
        doc.add(
            _table(
                doc,
                w,
                w("cases_table"),
                (w("col_case"), w("col_member"), w("col_date")),
                rows,
                source=w.source("cases", day),
                widths=(90, 50, 30),
            )
        )
        rows = [(w.economy(code), count) for code, count in r.cases_by_economy]
        doc.add(
            _table(
                doc,
                w,
                w("cases_by_economy"),
                (w("col_economy"), w("measure_published_cases")),
                rows,
                source=w.source("cases", day),
                numeric=(False, True),
                widths=(130, 40),
            )
        )
        rows = [(w.topic(topic), count) for topic, count in r.cases_by_topic]
        doc.add(
            _table(
                doc,
                w,
                w("cases_by_topic"),
                (w("col_topic"), w("measure_published_cases")),
                rows,
                source=w.source("cases", day),
                numeric=(False, True),
                widths=(130, 40),
            )
        )
    else:
        doc.add(Para(w("none")))
    total = len(report.repo.economies)
    rows = [(w(f"coverage_{key}"), f"{count} / {total}") for key, count in r.coverage]
    doc.add(
        _table(
            doc,
            w,
            w("coverage_table"),
            (w("col_measure"), w("col_count")),
            rows,
            source=w.source("cases", day),
            numeric=(False, True),
            widths=(130, 40),
        )
    )

    doc.add(Heading(w("meetings"), other=_other(w, "meetings")))
    if not r.meetings:
        doc.add(Para(w("none")))
    for m in r.meetings:
        doc.add(Heading(w.t(m.title), level=3))
        line = w("meeting_line", type=w.kind(m.type), date=w.date(m.date))
        if m.place:
            line = w("meeting_place", line=line, place=w.t(m.place))
        doc.add(Para(line))
        if m.decisions:
            doc.add(
                Bullets(
                    tuple(
                        # "Other: ..." would print our catch-all kind: the text says it
                        w.t(d.text)
                        if d.kind == "other"
                        else w("decision", kind=w.kind(d.kind), text=w.t(d.text))
                        for d in m.decisions
                    )
                )
            )
            continue
        session = (m.smewg_session or "").casefold()
        count = sum(1 for a in r.approvals if session and f"/{session}/" in f"/{a.ref.casefold()}/")
        doc.add(Para(w("session_approvals", count=count) if count else w("no_decisions")))

    doc.add(Heading(w("proposal"), other=_other(w, "proposal")))
    p = r.proposal
    if p is None:
        doc.add(Para(w("no_proposal")))
    else:
        doc.add(Para(w.t(p.title), strong=True))
        if p.submitted:
            meeting = w.session(p.target_meeting)
            doc.add(Para(w("proposal_line", date=w.date(p.submitted), meeting=meeting)))
        doc.add(Para(w.t(p.summary)))
        doc.add(Para(w("issues_raised")), Bullets(tuple(w.t(i.title) for i in p.issues)))

    doc.add(Heading(w("activities"), other=_other(w, "activities")))
    if r.activities:
        rows = [
            (
                w.t(a.title),
                w.date(a.date),
                w.names(a.participants),
                w.names(a.partners),
                w.names(a.sponsors),
            )
            for a in r.activities
        ]
        header = (
            w("col_activity"),
            w("col_date"),
            w("col_participants"),
            w("col_partners"),
            w("col_sponsors"),
        )
        doc.add(
            _table(
                doc,
                w,
                w("activities_table"),
                header,
                rows,
                source=w.source("activities", day),
                widths=(42, 24, 50, 27, 27),
            )
        )
    else:
        doc.add(Para(w("none")))

    doc.add(Heading(w("approvals"), other=_other(w, "approvals")))
    if r.approvals:
        forum = {"SMEWG (participation)": "SMEWG"}
        rows = [
            (w.date(a.date), forum.get(a.forum, a.forum), a.ref, w.approved_what(a))
            for a in r.approvals
        ]
        header = (w("col_date"), w("col_forum"), w("col_reference"), w("col_approved"))
        doc.add(
            _table(
                doc,
                w,
                w("approvals_table"),
                header,
                rows,
                source=w.source("approvals", day),
                widths=(30, 18, 38, 84),
            )
        )
    else:
        doc.add(Para(w("none")))

    doc.add(Heading(w("compliance"), other=_other(w, "compliance")))
    rows = [
        (
            c.title[w.lang],
            c.clause.section,
            w.state("late" if c.late else c.state),
            c.detail_in(w.lang),
        )
        for c in r.compliance
    ]
    header = (w("col_obligation"), w("col_clause"), w("col_state"), w("col_detail"))
    doc.add(
        _table(
            doc,
            w,
            w("compliance_table"),
            header,
            rows,
            source=w.source("obligations", day),
            widths=(48, 22, 22, 78),
        )
    )

    if charts_too:
        doc.add(Heading(w("charts"), other=_other(w, "charts")))
        history = charts.history_provenance(report.repo, w.lang)
        for name in REPORT_CHARTS:
            if name == "membership-growth" and history:
                # each stretch of years with where its figures come from: a sample is
                # said to be one (SM707 makes every other figure name its source)
                colon, sep = ("：", "；") if w.lang == "zh" else (": ", "; ")
                told = sep.join(f"{years}{colon}{what}" for years, what in history)
                source = w("source", source=w("source_history", date=w.date(day), history=told))
            else:
                source = w.source("members" if name == "membership-growth" else "cases", day)
            n = doc.next_figure()
            title = w.chart_title(name)
            doc.add(
                Figure(
                    n,
                    name,
                    title,
                    w.chart_alt(name),
                    source,
                    w("figure_caption", number=n, title=title),
                )
            )


def publication(
    report: AnnualReport, lang: str, *, front: bool = True, charts_too: bool = True
) -> Document:
    """The report as a document in `lang`: with its front matter (draft mark, imprint,
    acronyms, narrative) for a publication, without it for the site's figures pages."""
    w = Words(report.repo, lang)
    doc = Document(lang)
    if front:
        _front(report, w, doc)
    _figures(report, w, doc, charts_too=charts_too)
    return doc


def chart_repo(report: AnnualReport, name: str) -> Repository:
    """The repository a report's chart is drawn on: this year's cases for the coverage
    chart (as the table beside it), the years up to the report's for the others."""
    if name == "economy-coverage" and report.year_repo is not None:
        return report.year_repo
    return report.repo


def _kind(block: Block) -> str:
    return type(block).__name__


def report_markdown(
    report: AnnualReport, lang: str, chart_dir: str | None = "charts", *, front: bool = True
) -> str:
    """The report as the body of a Markdown page (English, or Chinese where translated).

    `chart_dir` is where the page finds `<chart>.<lang>.svg` (see `write_report_charts`);
    None leaves the charts out. `front`: the publication's front matter (draft mark,
    imprint, acronyms and the report's own narrative); the site's pages leave it out.
    """
    doc = publication(report, lang, front=front, charts_too=chart_dir is not None)
    template = _environment().get_template("reporting-annual.md.j2")
    return template.render(
        blocks=doc.blocks,
        kind=_kind,
        lang=lang,
        chart_dir=chart_dir,
        chart_file=charts.chart_file,
    )


def status_markdown(
    repo: Repository, board: obligations.Dashboard, lang: str, *, public: bool = False
) -> str:
    """The governance dashboard as Markdown (`smesa status`'s content). `public` leaves
    out the titles of records awaiting approval: unpublished text stays off the site."""
    template = _environment().get_template("reporting-status.md.j2")
    return template.render(board=board, w=Words(repo, lang), public=public)


def status_page_body(repo: Repository, lang: str) -> Markup:
    """The site's governance page body, as of the build date (`reporting-embed.md.j2`)."""
    return Markup(status_markdown(repo, obligations.dashboard(repo), lang, public=True))


def report_page_body(repo: Repository, lang: str, *, year: int) -> Markup:
    """The site's page body of one annual report's figures: the record's own text is the
    page's, and the charts are on the statistics page."""
    return Markup(report_markdown(annual_report(repo, year), lang, chart_dir=None, front=False))


def markdown_to_html(markdown_text: str, title: str, lang: str, *, draft: bool = False) -> str:
    """A standalone HTML page of the report, with no third-party request."""
    import markdown
    import nh3

    # The Markdown holds no raw HTML of ours; cleaning is a second line of defence.
    body = nh3.clean(markdown.markdown(markdown_text, extensions=["tables"]))
    template = _environment().get_template("reporting-page.html.j2")
    return template.render(
        title=title,
        lang="zh-Hans" if lang == "zh" else "en",
        body=body,
        draft=draft,
        draft_mark=labels(REPORT_LABELS)["draft_mark"][lang],
    )
