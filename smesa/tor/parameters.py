"""The ToR parameters in force, and the lawful history of the alliance's term.

tor.yml states the values the rules read, but a value is in force only when the record
shows how it came to be (ToR §6, §7):

- as the ToR 2025–2028 set it (`smesa.tor.adopted`), or as the latest SMEWG-approved
  revision recorded in `revisions` sets it;
- the term ends on 31 December 2028, and later only by an extension the SCE approved
  before the term in force expired, after the SMEWG reviewed that term (`reviews`), each
  decision with a well-formed APEC reference.

The rules read the values in force: an edit of tor.yml that the record does not back
changes nothing the rules enforce, and SM704–SM706 report it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from smesa.data import models
from smesa.tor import adopted

# An APEC document: year, the forum's path, a three-digit serial (YYYY/SMEWGNN/NNN,
# YYYY/SOMN/SCE/NNN). The forum must appear in the path.
APEC_REF = re.compile(r"(\d{4})/([A-Z][A-Za-z0-9]*(?:/[A-Z][A-Za-z0-9]*)*)/(\d{3})")
# What messages show as the form: patterns, never a number someone could take for a real
# document (tests/test_example_references.py).
REF_EXAMPLE = {"SMEWG": "YYYY/SMEWGNN/NNN", "SCE": "YYYY/SOMN/SCE/NNN"}


def ref_problem(ref: str, forum: str, day: dt.date) -> str | None:
    """Why `ref` is not the APEC reference of a decision of `forum` taken on `day`."""
    match = APEC_REF.fullmatch(ref)
    if match is None:
        return f"{ref!r} is not an APEC document reference of the form {REF_EXAMPLE[forum]}"
    if int(match.group(1)) != day.year:
        return f"{ref!r} is a document of {match.group(1)}, not of {day.year} when it was decided"
    if not any(part.upper().startswith(forum) for part in match.group(2).split("/")):
        return f"{ref!r} is not a document of the {forum} (of the form {REF_EXAMPLE[forum]})"
    return None


def add_years(day: dt.date, years: int) -> dt.date | None:
    """The same day `years` later, or None past the last date Python holds (9999-12-31)."""
    if day.year + years > dt.MAXYEAR:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# Meetings outside the approval clause (ToR §6): an SMEWG session is the SMEWG's own, not
# an alliance-branded activity; a Presidium meeting is the operating mechanism the ToR
# itself sets up, doing what §6.1-6.6 give it to do (its minutes are published on the
# website, which the SMEWG and the SCE approved: SM604, SM613). The annual plenary is
# the alliance's branded event, so it needs approval like any activity.
EXEMPT_MEETINGS = ("smewg", "presidium")


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of the alliance's term: the term as adopted, or one extension of it."""

    start: dt.date
    end: dt.date
    extension: int | None = None  # index in tor.yml `extensions`; None: as adopted


@dataclass(frozen=True, slots=True)
class ExtensionStatus:
    """An extension as the record shows it: what it extends, and why it does not count."""

    index: int
    extension: models.Extension
    expiry: dt.date  # the end of the term in force when it was decided
    problems: tuple[tuple[str, str], ...]  # (field of the extension, why it does not count)

    @property
    def lawful(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class InForce:
    """The ToR parameters the rules apply."""

    term_start: dt.date
    term_end: dt.date
    founded: int
    presidium_term_years: int
    approval_required: frozenset[str]
    periods: tuple[Period, ...]
    extensions: tuple[ExtensionStatus, ...] = field(default=())

    def needs_smewg_approval(self, record: models.Record) -> bool:
        """Whether the ToR's approval clause (§6) reaches `record`: an output of a folder
        in `approval_required`, other than a meeting the clause does not reach."""
        if not isinstance(record, models.Output) or record.folder not in self.approval_required:
            return False
        return not (isinstance(record, models.Meeting) and record.type in EXEMPT_MEETINGS)

    def period_of(self, day: dt.date) -> Period | None:
        """The stretch of the term `day` falls in (None before or after the term)."""
        return next((p for p in self.periods if p.start <= day <= p.end), None)

    def presidium_ends(
        self, start: dt.date, years: int | None = None
    ) -> tuple[dt.date | None, dt.date | None]:
        """(the last day of a full Presidium term from `start`, the last day it may
        serve): the same, or the alliance's end when that comes first (the sunset cuts
        the term, ToR §7). `years` defaults to the length in force. None past the last
        date the tools hold."""
        anniversary = add_years(start, years or self.presidium_term_years)
        if anniversary is None:
            return None, None
        full = anniversary - dt.timedelta(days=1)
        return full, (min(full, self.term_end) if start <= self.term_end else full)


def reviews_of(tor: models.Tor, forum: str, start: dt.date, end: dt.date) -> list[models.Review]:
    """The reviews by `forum` dated from `start` to `end`, earliest first; one without a
    well-formed reference does not count (SM705 reports it)."""
    found = [
        r
        for r in tor.reviews
        if r.forum == forum and start <= r.date <= end and ref_problem(r.ref, forum, r.date) is None
    ]
    return sorted(found, key=lambda r: r.date)


def extension_statuses(tor: models.Tor) -> list[ExtensionStatus]:
    """Each recorded extension in the order decided, with the term it extends.

    An extension counts when the SCE decided it (a well-formed SCE reference) on or
    before the term in force expired, after the SMEWG reviewed that term, and it moves
    the end later. One that does not count moves nothing.
    """
    order = sorted(range(len(tor.extensions)), key=lambda i: tor.extensions[i].approval.date)
    expiry = adopted.TERM_END.value
    assert isinstance(expiry, dt.date)
    start: dt.date = adopted.TERM_START.value  # type: ignore[assignment]
    out = []
    for index in order:
        extension = tor.extensions[index]
        decided = extension.approval.date
        problems: list[tuple[str, str]] = []
        if problem := ref_problem(extension.approval.ref, "SCE", decided):
            problems.append(("approval.ref", problem))
        if decided > expiry:
            problems.append(
                (
                    "approval.date",
                    f"the SCE decided it on {decided}, after the term expired on {expiry}: "
                    "the alliance ended then (ToR §7)",
                )
            )
        if extension.until <= expiry:
            problems.append(
                ("until", f"until {extension.until} is not after the end it extends ({expiry})")
            )
        reviewed = [r for r in reviews_of(tor, "SMEWG", start, expiry) if r.date < decided]
        if not reviewed:
            problems.append(
                (
                    "approval.date",
                    f"no SMEWG review of the term ending {expiry} is recorded before the "
                    "SCE's decision (tor.yml reviews: the SMEWG reviews, then the SCE)",
                )
            )
        out.append(ExtensionStatus(index, extension, expiry, tuple(problems)))
        if not problems:
            start, expiry = expiry + dt.timedelta(days=1), extension.until
    return out


def revisions_in_force(tor: models.Tor, today: dt.date) -> list[models.Revision]:
    """Recorded revisions with a well-formed SMEWG reference, decided by `today`, in the
    order decided."""
    return sorted(
        (
            r
            for r in tor.revisions
            if r.approval.date <= today
            and ref_problem(r.approval.ref, "SMEWG", r.approval.date) is None
        ),
        key=lambda r: r.approval.date,
    )


def in_force(tor: models.Tor, today: dt.date) -> InForce:
    """The parameters in force on `today`: as adopted, changed only by the record."""
    years: int = adopted.PRESIDIUM_TERM_YEARS.value  # type: ignore[assignment]
    required = frozenset(adopted.APPROVAL_REQUIRED.value)  # type: ignore[arg-type]
    for revision in revisions_in_force(tor, today):
        if revision.sets.presidium_term_years is not None:
            years = revision.sets.presidium_term_years
        if revision.sets.approval_required is not None:
            required = frozenset(revision.sets.approval_required)
    start: dt.date = adopted.TERM_START.value  # type: ignore[assignment]
    end: dt.date = adopted.TERM_END.value  # type: ignore[assignment]
    periods = [Period(start, end)]
    statuses = extension_statuses(tor)
    for status in statuses:
        if status.lawful:
            after = periods[-1].end + dt.timedelta(days=1)
            periods.append(Period(after, status.extension.until, status.index))
    return InForce(
        term_start=start,
        term_end=periods[-1].end,
        founded=adopted.FOUNDED.value,  # type: ignore[arg-type]
        presidium_term_years=years,
        approval_required=required,
        periods=tuple(periods),
        extensions=tuple(statuses),
    )


def stated(tor: models.Tor, key: str) -> object:
    """The value tor.yml states for a parameter (`term.end`, `presidium_term_years`)."""
    value: object = tor
    for part in key.split("."):
        value = getattr(value, part)
    return tuple(sorted(value)) if isinstance(value, list) else value


def unbacked(tor: models.Tor, today: dt.date) -> Iterator[tuple[str, object, object]]:
    """(key, stated, in force) for each parameter tor.yml states otherwise than the
    record backs."""
    force = in_force(tor, today)
    backed: dict[str, object] = {
        "term.start": force.term_start,
        "term.end": adopted.TERM_END.value,
        "founded": force.founded,
        "presidium_term_years": force.presidium_term_years,
        "approval_required": tuple(sorted(force.approval_required)),
    }
    for key, value in backed.items():
        if stated(tor, key) != value:
            yield key, stated(tor, key), value
