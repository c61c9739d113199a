"""Ahead-of-time warnings for the ToR's dated obligations (the "expiring soon" rules).

SM501–SM503 and SM703 report a finished year's missing plenary, cases, paper and report,
SM702 the approaching sunset. These rules look ahead, within the current year and the
Presidium's term, from the deadlines `smesa.tor.obligations` computes for `smesa status`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from smesa.check.findings import Severity
from smesa.check.registry import Hit, rule
from smesa.data import models
from smesa.data.repository import Repository
from smesa.tor import clauses, parameters
from smesa.tor import obligations as duties

# Due at an SMEWG session: the window of tor.yml `obligation_warning_days` applies.
AT_SMEWG = ("recommendation-paper", "annual-report")


def _current_year(repo: Repository) -> list[duties.Obligation]:
    """This year's obligations, if this year is in the term."""
    year = repo.today.year
    force = parameters.in_force(repo.tor, repo.today)
    if not force.term_start.year <= year <= force.term_end.year:
        return []
    return duties.yearly_obligations(repo, year, repo.today)


def _what(obligation: duties.Obligation) -> str:
    return f"{duties.titles()[obligation.key]['en']} for {obligation.year}"


def _where(obligation: duties.Obligation) -> str:
    return "SMEWG's second plenary" if obligation.key in AT_SMEWG else "end of the year"


@rule(
    "SM710",
    "obligation-due-soon",
    Severity.WARNING,
    clauses.ANNUAL_REPORT,
    "prepare it and record it in data/ once submitted (status: submitted)",
)
def obligation_due_soon(repo: Repository) -> Iterator[Hit]:
    """This year's recommendation paper or annual report is due at an SMEWG session soon.

    Warns `obligation_warning_days` (tor.yml) before the SMEWG's second plenary of the
    year (the second SMEWG meeting recorded in it) while no paper or report of the year
    is past draft. No warning until that session is recorded; `smesa status` shows the
    deadline as 31 December meanwhile.
    """
    tor = repo.reference["tor"]
    window = repo.tor.obligation_warning_days
    for obligation in _current_year(repo):
        if obligation.key not in AT_SMEWG or not obligation.due_recorded:
            continue
        days = (obligation.due - repo.today).days
        if obligation.state == "due" and days <= window:
            yield Hit(
                tor,
                ("obligation_warning_days",),
                f"{_what(obligation)} is due at the {_where(obligation)} on "
                f"{obligation.due}, in {days} days: {duties.missing(obligation.key)} yet",
            )


@rule(
    "SM713",
    "obligation-overdue",
    Severity.WARNING,
    clauses.ANNUAL_PROPOSAL,
    "submit it as soon as possible and record it in data/ (status: submitted)",
)
def obligation_overdue(repo: Repository) -> Iterator[Hit]:
    """This year's recommendation paper or annual report missed its SMEWG session.

    Applies between the SMEWG's second plenary of the year and the year's end; once the
    year is over SM503 and SM703 report the missing paper or report instead.
    """
    tor = repo.reference["tor"]
    for obligation in _current_year(repo):
        if obligation.key in AT_SMEWG and obligation.state == "overdue":
            yield Hit(
                tor,
                ("term",),
                f"{_what(obligation)} was due at the {_where(obligation)} on "
                f"{obligation.due}: {duties.missing(obligation.key)}",
            )


@rule(
    "SM711",
    "presidium-election-due",
    Severity.WARNING,
    clauses.PRESIDIUM_POWERS,
    "plan the election at a plenary, then record the new term in data/presidium/",
)
def presidium_election_due(repo: Repository) -> Iterator[Hit]:
    """The Presidium's term ends soon and no next term is recorded.

    Warns `obligation_warning_days` (tor.yml) before the Presidium in office ends its
    term; SM712 reports a Presidium that is no longer in office. A term that ends with
    the alliance's (cut by the sunset, ToR §7) needs no successor unless the SCE extends
    the alliance.
    """
    current = duties.presidium_in_office(repo, repo.today)
    if current is None:
        return
    election = duties.presidium_election(repo, repo.today)
    if election is None:  # the term ends with the alliance's: SM702 warns of that
        return
    days = (current.end - repo.today).days
    if election.state == "due" and days <= repo.tor.obligation_warning_days:
        entry = repo.index(models.Presidium)[current.id]
        yield Hit(
            entry,
            ("end",),
            f"the Presidium's term ends on {current.end}, in {days} days, and no next term "
            "is recorded: the members must elect the next Presidium",
        )


@rule(
    "SM712",
    "presidium-in-office",
    Severity.ERROR,
    clauses.PRESIDIUM,
    "record the Presidium elected for the current term in data/presidium/",
)
def presidium_in_office(repo: Repository) -> Iterator[Hit]:
    """A Presidium is in office on every day of the term.

    The first Presidium of the term is elected at its first annual plenary, so the rule
    allows none until the end of the term's first year; after that, and after any term
    ends, a gap is an error. Nothing is checked outside the alliance's term.
    """
    today = repo.today
    force = parameters.in_force(repo.tor, today)
    if not force.term_start <= today <= force.term_end:
        return
    if duties.presidium_in_office(repo, today) is not None:
        return
    ended = [e for e in repo.of(models.Presidium) if e.record.end < today]
    if not ended and today <= dt.date(force.term_start.year, 12, 31):
        return
    if ended:
        last = max(ended, key=lambda e: e.record.end)
        yield Hit(
            last,
            ("end",),
            f"no Presidium is in office on {today}: this term ended on {last.record.end}",
        )
    else:
        yield Hit(
            repo.reference["tor"],
            ("presidium_term_years",),
            f"no Presidium is in office on {today}: none is recorded for the term",
        )
