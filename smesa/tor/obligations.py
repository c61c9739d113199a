"""What the Terms of Reference oblige the alliance to do, and when: the governance dashboard.

One source for the annual report's compliance section (`smesa.report.annual`), the
`smesa status` dashboard and the ahead-of-time rules (`smesa.check.rules.obligations`):

- every year of the term: the annual plenary (§4.5, §5.3) and the case collection (§5.2)
  by 31 December; the recommendation paper (§4.2) and the annual report (§7) at the
  SMEWG's second plenary of the year, the second SMEWG meeting recorded in the year
  (31 December, "date not yet recorded", until it is);
- the next Presidium election (§6): when the term of the Presidium in office ends;
- the SMEWG and then SCE review (§7): before the end of the alliance's term.

An obligation is met by a record: a plenary held, a published case, a paper or report
that is past draft, a later Presidium term. Nothing here is a ToR figure of its own.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from smesa.data import models
from smesa.data.repository import Repository
from smesa.data.texts import format_date, labels
from smesa.tor import clauses, parameters
from smesa.tor.clauses import Clause
from smesa.tor.publication import counts_for_obligations

State = Literal["met", "due", "overdue"]
YEARLY = (
    "annual-plenary",
    "case-collection",
    "member-activities",
    "recommendation-paper",
    "annual-report",
)
# Activities that are the exchanges, training, exhibitions and visits of ToR §4.3–4.4.
MEMBER_ACTIVITY_TYPES = ("exchange", "training", "exhibition", "visit", "forum")

OBLIGATION_LABELS = "obligations.yml"  # titles and sentences, in both languages


def titles() -> dict[str, dict[str, str]]:
    """The title of each obligation, by key, per language."""
    return labels(OBLIGATION_LABELS)["titles"]  # type: ignore[no-any-return]


def missing(key: str, lang: str = "en") -> str:
    """What is missing while the obligation `key` is not met ("no annual plenary ...")."""
    return labels(OBLIGATION_LABELS)["missing"][key][lang]  # type: ignore[no-any-return]


CLAUSES: dict[str, Clause] = {
    "annual-plenary": clauses.ANNUAL_PLENARY,
    "case-collection": clauses.ANNUAL_CASES,
    "member-activities": clauses.MEMBER_ACTIVITIES,
    "recommendation-paper": clauses.ANNUAL_PROPOSAL,
    "annual-report": clauses.ANNUAL_REPORT,
    "presidium-election": clauses.PRESIDIUM,
    "smewg-review": clauses.SUNSET,
    "sce-review": clauses.SUNSET,
}


@dataclass(frozen=True, slots=True)
class Obligation:
    """One thing the ToR asks for, its deadline, and the record that meets it (if any)."""

    key: str  # e.g. "annual-report"
    year: int | None  # the year of a yearly obligation
    due: dt.date
    due_recorded: bool  # False: the deadline is a fallback (31 December), not a record
    met_by: str | None  # id of the record that meets it
    met_on: dt.date | None
    state: State
    note: str = ""
    count: int = 0  # records that meet it (cases published)
    # Due at an SMEWG session (paper, report): its name, when recorded; whether the
    # record that meets it came after the session; records that went to another session.
    session: str | None = None
    late: bool = False
    off_target: tuple[tuple[str, str], ...] = ()  # (record id, the session it names)
    # Plenaries that do not count: (id, member institutions that attended, members then).
    thin: tuple[tuple[str, int, int], ...] = ()

    @property
    def clause(self) -> Clause:
        return CLAUSES[self.key]

    def title(self, lang: str = "en") -> str:
        base = titles()[self.key][lang]
        if self.year is None:
            return base
        return _say("title_of_year", lang, title=base, year=self.year)

    @property
    def statement(self) -> str:
        """One plain sentence: "Met: …", "Not met: …" or "Due: …"."""
        return self.statement_in("en")

    def statement_in(self, lang: str) -> str:
        """`statement` in `lang` (dates in English as YYYY-MM-DD)."""

        def day(value: dt.date) -> str:
            return format_date(value, lang) if lang == "zh" else value.isoformat()

        deadline = day(self.due) + ("" if self.due_recorded else _say("date_not_recorded", lang))
        if self.state == "met":
            when = _say("met_on", lang, date=day(self.met_on)) if self.met_on else ""
            if self.late:
                due = _say("at_session", lang, session=self.session, deadline=day(self.due))
                return _say(
                    "met_late",
                    lang,
                    record=self.met_by,
                    when=when,
                    due=due if self.session else deadline,
                )
            many = self.count > 1
            key = "met_by_many" if many else "met"
            return _say(key, lang, record=self.met_by, when=when, count=self.count)
        key = "not_met" if self.state == "overdue" else "due"
        said = _say(key, lang, missing=missing(self.key, lang), deadline=deadline)
        return said + self.why_not(lang)

    def why_not(self, lang: str = "en") -> str:
        """Why records of the year do not meet it ("; x went to SMEWG60, ..."), or ""."""
        said = "".join(
            _say("off_target", lang, record=record, target=target)
            for record, target in self.off_target
        )
        return said + "".join(
            _say("thin_plenary", lang, record=record, attended=attended, members=members)
            for record, attended, members in self.thin
        )


def _say(key: str, lang: str, **values: object) -> str:
    return labels(OBLIGATION_LABELS)[key][lang].format(**values)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Awaiting:
    """A record that was submitted or shown without the approval it needs (ToR §6)."""

    kind: str
    id: str
    path: str
    status: str
    forum: Literal["SMEWG", "SCE"]
    title: str


@dataclass(slots=True)
class Dashboard:
    today: dt.date
    term_start: dt.date
    term_end: dt.date
    obligations: list[Obligation] = field(default_factory=list)
    awaiting: list[Awaiting] = field(default_factory=list)

    @property
    def due(self) -> list[Obligation]:
        return [o for o in self.obligations if o.state == "due"]

    @property
    def overdue(self) -> list[Obligation]:
        return [o for o in self.obligations if o.state == "overdue"]

    @property
    def met(self) -> list[Obligation]:
        return [o for o in self.obligations if o.state == "met"]

    def to_json(self) -> dict[str, object]:
        def item(o: Obligation) -> dict[str, object]:
            return {
                "obligation": o.key,
                "year": o.year,
                "title": o.title("en"),
                "clause": o.clause.section,
                "due": o.due.isoformat(),
                "due_recorded": o.due_recorded,
                "state": o.state,
                "met_by": o.met_by,
                "met_on": o.met_on.isoformat() if o.met_on else None,
                "late": o.late,
                "statement": o.statement,
            }

        return {
            "today": self.today.isoformat(),
            "term": {"start": self.term_start.isoformat(), "end": self.term_end.isoformat()},
            "overdue": [item(o) for o in self.overdue],
            "due": [item(o) for o in self.due],
            "met": [item(o) for o in self.met],
            "awaiting_approval": [
                {
                    "kind": a.kind,
                    "id": a.id,
                    "path": a.path,
                    "status": a.status,
                    "forum": a.forum,
                    "title": a.title,
                }
                for a in self.awaiting
            ],
        }


# -- deadlines -----------------------------------------------------------------------


def smewg_second_plenary(repo: Repository, year: int) -> models.Meeting | None:
    """The SMEWG's second plenary of `year`: the second SMEWG meeting recorded in it."""
    sessions = sorted(
        (e.record for e in repo.of(models.Meeting) if e.record.type == "smewg"),
        key=lambda m: m.date,
    )
    in_year = [m for m in sessions if m.date.year == year]
    return in_year[1] if len(in_year) >= 2 else None


def _at_smewg(repo: Repository, year: int) -> tuple[dt.date, bool]:
    meeting = smewg_second_plenary(repo, year)
    # due by the session's last day: papers are handed in during it
    return (meeting.end_date or meeting.date, True) if meeting else (dt.date(year, 12, 31), False)


def _state(met: bool, due: dt.date, today: dt.date) -> State:
    return "met" if met else ("overdue" if due < today else "due")


def _first(
    records: list[tuple[str, dt.date | None]], today: dt.date
) -> tuple[str | None, dt.date | None, int]:
    """The earliest record (id, date) that happened by `today` (undated ones count), and
    how many did."""
    done = sorted(
        ((day or dt.date.min), rid) for rid, day in records if day is None or day <= today
    )
    if not done:
        return None, None, 0
    day, rid = done[0]
    return rid, (None if day == dt.date.min else day), len(done)


def session_names(meeting: models.Meeting) -> set[str]:
    """What a record may call an SMEWG session in `target_meeting`: SMEWG61, smewg61."""
    return {name.casefold() for name in (meeting.smewg_session, meeting.id) if name}


def _at_session(
    repo: Repository, year: int, records: list[Any], today: dt.date
) -> tuple[list[tuple[str, dt.date | None]], list[tuple[str, str]]]:
    """The papers or reports of `year` that went to the session they are due at, and
    (id, target) of those that went to another.

    The ToR has both submitted at the SMEWG's second plenary of the year (§4.2, §7, as
    the translator's note on the ToR page reads it). When that session is recorded, a
    record counts only if its `target_meeting` names it; until it is, one that names
    another recorded SMEWG session (the first plenary, another year's) does not count.
    """
    session = smewg_second_plenary(repo, year)
    others = set().union(
        *(
            session_names(e.record)
            for e in repo.of(models.Meeting)
            if e.record.type == "smewg" and e.record is not session
        )
    )
    on_target, off = [], []
    for r in records:
        target = r.target_meeting.casefold()
        if (target in session_names(session)) if session else (target not in others):
            on_target.append((r.id, r.submitted))
        elif r.submitted is None or r.submitted <= today:
            off.append((r.id, r.target_meeting))
    return on_target, off


def plenary_attendance(repo: Repository, meeting: models.Meeting) -> tuple[int, int]:
    """(member institutions recorded as attending, member institutions active that day).

    A plenary "of all members" (ToR §4.5, §5.3) counts when more than half of them
    attended, online included: our reading, since the ToR sets no quorum (SM501's page).
    """
    members = repo.derived(_members_on)(meeting.date)
    return len(members & set(meeting.attendees)), len(members)


def _members_on(repo: Repository) -> Callable[[dt.date], frozenset[str]]:
    """The member institutions active on a day, worked out once per day asked rather
    than once per plenary: plenaries held on one day cost one pass over the members."""
    members = [(e.id, e.record.joined, e.record.withdrawn) for e in repo.of(models.Member)]

    @functools.cache
    def on(day: dt.date) -> frozenset[str]:
        return frozenset(
            i for i, joined, gone in members if joined <= day and (gone is None or gone > day)
        )

    return on


def yearly_obligations(repo: Repository, year: int, today: dt.date) -> list[Obligation]:
    """The yearly obligations of `year`, as they stand on `today`.

    A paper or report is met only by one submitted to the session it is due at; one
    submitted after that session's last day meets it late (`late`).
    """
    year_end = dt.date(year, 12, 31)
    at_smewg, recorded = _at_smewg(repo, year)
    session = smewg_second_plenary(repo, year)
    session_name = (session.smewg_session or session.id) if session else None

    def counted(model: type[models.Output]) -> list[Any]:
        return [e.record for e in repo.of(model) if counts_for_obligations(e.record, today)]

    papers, papers_off = _at_session(
        repo, year, [p for p in counted(models.Proposal) if p.year == year], today
    )
    reports, reports_off = _at_session(
        repo, year, [r for r in counted(models.Report) if r.year == year], today
    )
    plenaries = [m for m in counted(models.Meeting) if m.type == "plenary" and m.date.year == year]
    thin = [
        (m.id, attended, members)
        for m in plenaries
        if m.date <= today
        for attended, members in [plenary_attendance(repo, m)]
        if not attended * 2 > members
    ]
    evidence: dict[str, list[tuple[str, dt.date | None]]] = {
        "annual-plenary": [
            (m.id, m.date) for m in plenaries if m.id not in {rid for rid, _, _ in thin}
        ],
        "member-activities": [
            (a.id, a.date)
            for a in counted(models.Activity)
            if a.type in MEMBER_ACTIVITY_TYPES and a.date.year == year
        ],
        "case-collection": [
            (c.id, c.published)
            for c in counted(models.Case)
            if c.year == year and c.status == "published"
        ],
        "recommendation-paper": papers,
        "annual-report": reports,
    }
    off_target = {"recommendation-paper": papers_off, "annual-report": reports_off}
    out = []
    for key in YEARLY:
        at_session = key in off_target
        due, due_recorded = (at_smewg, recorded) if at_session else (year_end, True)
        met_by, met_on, count = _first(evidence[key], today)
        state = _state(met_by is not None, due, today)
        out.append(
            Obligation(
                key,
                year,
                due,
                due_recorded,
                met_by,
                met_on,
                state,
                count=count,
                session=session_name if at_session else None,
                late=bool(met_on and met_on > due),
                off_target=tuple(off_target.get(key, ())) if met_by is None else (),
                thin=tuple(thin) if key == "annual-plenary" and met_by is None else (),
            )
        )
    return out


def presidium_in_office(repo: Repository, day: dt.date) -> models.Presidium | None:
    for entry in repo.of(models.Presidium):
        if entry.record.start <= day <= entry.record.end:
            return entry.record
    return None


def presidium_election(repo: Repository, today: dt.date) -> Obligation | None:
    """The next election: when the current (or last) term ends; met by a later term.

    With no term recorded at all, the first Presidium of the term is due by the end of
    the term's first year (its first annual plenary elects it). None when the current
    (or last) term ends with the alliance's: the sunset cuts it (ToR §7), and no election
    is due unless the SCE extends the alliance.
    """
    terms = sorted((e.record for e in repo.of(models.Presidium)), key=lambda p: p.start)
    current = presidium_in_office(repo, today) or next(
        (p for p in reversed(terms) if p.start <= today), None
    )
    if current is None:
        first_year_end = dt.date(repo.tor.term.start.year, 12, 31)
        upcoming = terms[0] if terms else None
        met_by = upcoming.id if upcoming and upcoming.start <= first_year_end else None
        return Obligation(
            "presidium-election",
            None,
            first_year_end,
            True,
            met_by,
            upcoming.start if met_by and upcoming else None,
            _state(met_by is not None, first_year_end, today),
        )
    successor = next((p for p in terms if p.start > current.end), None)
    alliance_end = parameters.in_force(repo.tor, today).term_end
    if successor is None and current.end >= alliance_end:
        return None
    return Obligation(
        "presidium-election",
        None,
        current.end,
        True,
        successor.id if successor else None,
        successor.start if successor else None,
        "met" if successor else ("overdue" if current.end < today else "due"),
        note=f"the term of {current.id} ends on {current.end}",
    )


def reviews(repo: Repository, today: dt.date) -> list[Obligation]:
    """The SMEWG review, then the SCE's, of the term in force before it expires (ToR §7).

    Each is met by a review recorded in tor.yml `reviews` (the SCE's only after the
    SMEWG's). The SMEWG's is due at its second plenary of the term's last year (31
    December, "date not yet recorded", until that session is); the SCE's by the end of
    the term. A recorded SCE extension moves the end, and with it the next reviews.
    """
    period = parameters.in_force(repo.tor, today).periods[-1]
    end = period.end

    def held(forum: str) -> list[models.Review]:
        found = parameters.reviews_of(repo.tor, forum, period.start, end)
        return [r for r in found if r.date <= today]

    smewg = next(iter(held("SMEWG")), None)
    sce = next((r for r in held("SCE") if smewg and r.date > smewg.date), None)
    smewg_due, recorded = _at_smewg(repo, end.year)
    if not recorded:
        smewg_due = end
    return [
        Obligation(
            "smewg-review",
            None,
            smewg_due,
            recorded,
            smewg.ref if smewg else None,
            smewg.date if smewg else None,
            _state(smewg is not None, smewg_due, today),
        ),
        Obligation(
            "sce-review",
            None,
            end,
            True,
            sce.ref if sce else None,
            sce.date if sce else None,
            _state(sce is not None, end, today),
        ),
    ]


def awaiting_approval(repo: Repository) -> Iterator[Awaiting]:
    """Records past draft that lack an approval they need.

    A submitted record of a kind the approval clause reaches awaits the SMEWG's
    decision; an approved or published one without it is shown anyway (SM603 reports it
    as an error); a body also needs the SCE (ToR §6).
    """
    force = parameters.in_force(repo.tor, repo.today)
    for entry in repo.entries:
        record = entry.record
        if not isinstance(record, models.Output) or record.status == "draft":
            continue
        approval = record.approval or models.Approvals()
        title = getattr(record, "title", None) or getattr(record, "name", None)
        name = (title.en or title.zh or "") if isinstance(title, models.Text) else ""
        needs_smewg = force.needs_smewg_approval(record)
        forums: list[Literal["SMEWG", "SCE"]] = []
        if needs_smewg and approval.smewg is None:
            forums.append("SMEWG")
        if isinstance(record, models.Body) and approval.sce is None:
            forums.append("SCE")
        for forum in forums:
            yield Awaiting(record.kind, entry.id, entry.source.path, record.status, forum, name)


def dashboard(repo: Repository, today: dt.date | None = None) -> Dashboard:
    """The obligations of the term's years up to `today`'s (later years are not due yet),
    the next Presidium election, the reviews, and what awaits approval."""
    day = today or repo.today
    force = parameters.in_force(repo.tor, day)
    board = Dashboard(day, force.term_start, force.term_end)
    last = min(day.year, force.term_end.year)
    for year in range(force.term_start.year, last + 1):
        board.obligations.extend(yearly_obligations(repo, year, day))
    election = presidium_election(repo, day)
    if election is not None:
        board.obligations.append(election)
    board.obligations.extend(reviews(repo, day))
    board.obligations.sort(key=lambda o: (o.due, o.year or 0, list(CLAUSES).index(o.key)))
    board.awaiting = sorted(awaiting_approval(repo), key=lambda a: (a.kind, a.id, a.forum))
    return board


def format_text(board: Dashboard) -> str:
    """The dashboard as plain text for `smesa status`."""
    lines = [
        f"APEC SMESA governance status as of {board.today} "
        f"(term {board.term_start} to {board.term_end})",
    ]
    for heading, items in (("Overdue", board.overdue), ("Due", board.due)):
        lines.append("")
        lines.append(f"{heading} ({len(items)}):")
        lines.extend(
            f"  {o.due}  {o.title('en')} [{o.clause.section}]"
            + ("" if o.due_recorded else " (date not yet recorded)")
            for o in items
        )
        if not items:
            lines.append("  none")
    lines.append("")
    lines.append(f"Awaiting approval ({len(board.awaiting)}):")
    lines.extend(f"  {a.forum:<5} {a.kind} {a.id} ({a.status}): {a.title}" for a in board.awaiting)
    if not board.awaiting:
        lines.append("  none")
    lines.append("")
    lines.append(f"Met ({len(board.met)}):")
    lines.extend(f"  {o.title('en')}: {o.statement}" for o in board.met)
    return "\n".join(lines)
