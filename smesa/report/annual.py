"""The annual report to the SMEWG (ToR §7), computed from the records.

`annual_report(repo, year)` gathers a year's figures: membership at the start and end of
the year, cases, meetings and decisions, the recommendation paper, activities, approvals
and the ToR obligations of the year (`smesa.tor.obligations`). `write_report` turns them into
the files `smesa report` writes: tidy CSVs, a Markdown and an HTML page per language,
the charts of the year, and the PDF (`smesa.report.pdf`).

The figures of a year are taken as of its last day, or as of today for the current
year. Charts come from `smesa.report.charts`, drawn on a snapshot of the repository as of
that day, so a report of 2025 printed in 2027 shows no 2026 bar.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
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
from smesa.tor import obligations, parameters
from smesa.tor.clauses import Clause
from smesa.tor.publication import is_final, public

# Charts of the report: membership and cases over the years, and this year's coverage.
REPORT_CHARTS = ("membership-growth", "cases-per-year", "economy-coverage")

Rows = list[tuple[str, int]]


class ReportError(ValueError):
    """A report that cannot be made: the year is outside the term or has not begun."""


@dataclass(frozen=True, slots=True)
class ApprovalLine:
    """An approval obtained in the year: by which forum, for which record."""

    forum: str  # "SMEWG", "SCE", or "SMEWG (participation)" for a non-member
    date: dt.date
    ref: str
    kind: str
    id: str
    title: models.Text


@dataclass(frozen=True, slots=True)
class Compliance:
    """One obligation of the year, as the report states it."""

    key: str
    title: dict[str, str]
    clause: Clause
    state: obligations.State
    statement: str  # English
    statement_zh: str
    obligation: obligations.Obligation | None = None  # None: the Presidium in office

    def statement_in(self, lang: str) -> str:
        return self.statement_zh if lang == "zh" else self.statement


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

    `today` moves to `day` (so charts end there); records are shared, not copied.
    """
    kept = [
        e
        for e in repo.entries
        if not isinstance(e.record, models.Case) or case_years(e.record.year)
    ]
    return dataclasses.replace(repo, today=day, entries=kept)


def annual_report(repo: Repository, year: int) -> AnnualReport:
    """The figures of `year` from the records. Raises ReportError for a year outside
    the term or not begun."""
    years = report_years(repo)
    if year not in years:
        raise ReportError(
            f"no report for {year}: reports cover the years of the term that have begun "
            f"({years.start}–{years.stop - 1} as of {repo.today})"
        )
    day = min(dt.date(year, 12, 31), repo.today)
    start = dt.date(year - 1, 12, 31)
    # The report's own record counts once the SMEWG approved it (its approval and
    # publication number are then facts, before it is published); everything it
    # reports on is public (smesa.tor.publication).
    reports = sorted(
        (e.record for e in repo.of(models.Report) if e.record.year == year and is_final(e.record)),
        key=lambda r: (r.status != "published", r.id),
    )
    repo = public(repo)
    members = [e.record for e in repo.of(models.Member)]
    active_end = [m for m in members if charts.member_active_on(m, day, repo.today)]
    this_year = as_of(repo, day, lambda y: y == year)
    proposals = sorted(
        (e.record for e in repo.of(models.Proposal) if e.record.year == year),
        key=lambda p: (p.status == "draft", p.id),
    )
    return AnnualReport(
        year=year,
        as_of=day,
        members_start=sum(charts.member_active_on(m, start, repo.today) for m in members),
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
        meetings=_dated(repo, models.Meeting, year, day),
        proposal=proposals[0] if proposals else None,
        activities=_dated(repo, models.Activity, year, day),
        approvals=sorted(_approvals(repo, year, day), key=lambda a: (a.date, a.forum, a.id)),
        compliance=_compliance(repo, year, day),
        record=reports[0] if reports else None,
        presidium=obligations.presidium_in_office(repo, day),
        repo=as_of(repo, day, lambda y: y <= year),
    )


def _dated(repo: Repository, model: Any, year: int, day: dt.date) -> list[Any]:
    records = [e.record for e in repo.of(model) if e.record.date.year == year]
    return sorted((r for r in records if r.date <= day), key=lambda r: (r.date, r.id))


def _approvals(repo: Repository, year: int, day: dt.date) -> list[ApprovalLine]:
    """Every approval dated in the year: of records (SMEWG, SCE), of non-member
    participants, and of ToR revisions and extensions."""
    found: list[ApprovalLine] = []

    def add(forum: str, approval: models.Approval | None, kind: str, rid: str, title: Any) -> None:
        if approval and approval.date.year == year and approval.date <= day:
            found.append(ApprovalLine(forum, approval.date, approval.ref, kind, rid, title))

    for entry in repo.entries:
        record = entry.record
        title = (
            getattr(record, "title", None) or getattr(record, "name", None) or models.Text(en="")
        )
        if isinstance(record, models.Output) and record.approval:
            add("SMEWG", record.approval.smewg, record.kind, entry.id, title)
            add("SCE", record.approval.sce, record.kind, entry.id, title)
        for _, _, person in models.parties(record):
            add("SMEWG (participation)", person.approval, record.kind, entry.id, person.name)
    tor = repo.tor
    for revision in tor.revisions:
        add("SMEWG", revision.approval, "tor", "tor-revision", tor.title)
    for extension in tor.extensions:
        add("SCE", extension.approval, "tor", "tor-extension", tor.title)
    return found


def _compliance(repo: Repository, year: int, day: dt.date) -> list[Compliance]:
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
        out.append(Compliance(o.key, title, o.clause, o.state, statement, statement_zh, o))
    presidium = obligations.presidium_in_office(repo, day)
    if presidium:
        state: obligations.State = "met"
        statement = f"Met: {presidium.id} in office ({presidium.start} to {presidium.end})"
        term = f"{format_date(presidium.start, 'zh')}至{format_date(presidium.end, 'zh')}"
        statement_zh = f"已完成：{presidium.id} 在任（{term}）"
    else:
        state = "overdue"
        statement = f"Not met: no Presidium in office on {day}"
        statement_zh = f"未完成：{format_date(day, 'zh')}无在任主席团"
    out.append(
        Compliance(
            "presidium-in-office",
            labels(REPORT_LABELS)["presidium_in_office"],
            obligations.CLAUSES["presidium-election"],
            state,
            statement,
            statement_zh,
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

    def participants(self, people: list[models.Participant]) -> str:
        return "; ".join(self.t(p.name) for p in people)


def report_markdown(report: AnnualReport, lang: str, chart_dir: str | None = "charts") -> str:
    """The report as the body of a Markdown page (English, or Chinese where translated).

    `chart_dir` is where the page finds `<chart>.<lang>.svg` (see `write_report_charts`);
    None leaves the charts out.
    """
    template = _environment().get_template("reporting-annual.md.j2")
    return template.render(
        report=report,
        w=Words(report.repo, lang),
        chart_dir=chart_dir,
        chart_names=REPORT_CHARTS,
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
    """The site's page body of one annual report; the charts are on the statistics page."""
    return Markup(report_markdown(annual_report(repo, year), lang, chart_dir=None))


def markdown_to_html(markdown_text: str, title: str, lang: str) -> str:
    """A standalone HTML page of the report, with no third-party request."""
    import markdown
    import nh3

    # The Markdown holds no raw HTML of ours; cleaning is a second line of defence.
    body = nh3.clean(markdown.markdown(markdown_text, extensions=["tables"]))
    template = _environment().get_template("reporting-page.html.j2")
    return template.render(title=title, lang="zh-Hans" if lang == "zh" else "en", body=body)
