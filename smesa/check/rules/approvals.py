"""Approvals verified, not taken on trust: an SMEWG approval names a real APEC document
of a session recorded in data/meetings/, one decision document is not silently reused
for another output, and a member admitted during the term has the Secretariat's record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from smesa.check.findings import Severity
from smesa.check.registry import Hit, rule
from smesa.data import models
from smesa.data.config import DEFAULT_SECRETARIAT_REFERENCE, secretariat_reference
from smesa.data.repository import Entry, Repository, dotted
from smesa.tor import clauses

# APEC meeting documents: year / meeting / serial, YYYY/SMEWGNN/NNN (REFERENCE.md).
SMEWG_DOCUMENT = re.compile(r"(?P<year>\d{4})/(?P<session>SMEWG\d{2})/(?P<serial>\d{3})")
# The Secretariat's record numbers have the form [tool.smesa] secretariat-reference sets
# (smesa.data.config: unconfirmed, SMESA-SEC/YYYY/NNN until the Secretariat says).
EXAMPLE_REF = "YYYY/SMEWGNN/NNN"  # in hints: visibly not a real reference


@dataclass(frozen=True)
class Use:
    """One approval in one record: where, for what, and the decision."""

    entry: Entry
    path: tuple
    subject: str  # what was approved: the record itself, or a participant by name
    approval: models.Approval


def smewg_uses(repo: Repository) -> list[Use]:
    """Every SMEWG decision a record cites: its own approval and its participants'."""
    uses = []
    for entry in repo.entries:
        record = entry.record
        approval = getattr(record, "approval", None)
        if isinstance(approval, models.Approvals) and approval.smewg is not None:
            uses.append(Use(entry, ("approval", "smewg"), entry.source.path, approval.smewg))
        for field, i, participant in models.parties(record):
            if participant.approval is not None:
                name = participant.name.read("en").strip().casefold()
                uses.append(Use(entry, (field, i, "approval"), name, participant.approval))
    return uses


def _sessions(repo: Repository) -> dict[str, models.Meeting]:
    return {
        m.record.smewg_session: m.record
        for m in repo.of(models.Meeting)
        if m.record.type == "smewg" and m.record.smewg_session
    }


@rule(
    "SM620",
    "smewg-reference-form",
    Severity.ERROR,
    clauses.PRIOR_APPROVAL,
    f"write the number of the SMEWG's document, in the form {EXAMPLE_REF}",
    examples=(
        "approval:\n  smewg:\n    date: 2025-05-20\n    ref: approved by email\n",
        "approval:\n  smewg:\n    date: 2025-05-20\n    ref: 2025/SMEWGNN/NNN\n",
    ),
)
def smewg_reference_form(repo: Repository) -> Iterator[Hit]:
    """An SMEWG approval cites an APEC meeting document: year/SMEWGnn/serial.

    The reference is what lets anyone find the decision in APEC's meeting documents;
    "approved by email" or "see minutes" cannot be found. The year is the year of the
    session, so an approval dated in another year cannot cite it.
    """
    for use in smewg_uses(repo):
        ref = use.approval.ref.strip()
        match = SMEWG_DOCUMENT.fullmatch(ref)
        where = dotted((*use.path, "ref"))
        if match is None:
            yield Hit(
                use.entry,
                (*use.path, "ref"),
                f"{where} is not an APEC document number like {EXAMPLE_REF}: {ref!r}",
            )
        elif int(match["year"]) != use.approval.date.year:
            yield Hit(
                use.entry,
                (*use.path, "ref"),
                f"{where} is a document of {match['year']}, but the approval is dated "
                f"{use.approval.date}",
                "correct the year of the reference or the date of the approval",
            )


@rule(
    "SM621",
    "smewg-session-recorded",
    Severity.ERROR,
    clauses.PRIOR_APPROVAL,
    "record the session in data/meetings/ (type: smewg, smewg_session: SMEWGnn), or correct "
    "the reference",
    examples=(
        "approval:\n  smewg:\n    date: 2025-05-01\n"
        "    ref: 2025/SMEWGNN/NNN  # a session that opened on 2025-05-13\n",
        "approval:\n  smewg:\n    date: 2025-05-20\n"
        "    ref: 2025/SMEWGNN/NNN  # a session that opened on 2025-05-13\n",
    ),
)
def smewg_session_recorded(repo: Repository) -> Iterator[Hit]:
    """An SMEWG approval names a recorded session, and is dated on or after it opened.

    The session is an SMEWG meeting recorded in data/meetings/. A decision cannot come
    before the meeting that took it; a session nobody recorded cannot be checked at all.
    """
    sessions = _sessions(repo)
    for use in smewg_uses(repo):
        match = SMEWG_DOCUMENT.fullmatch(use.approval.ref.strip())
        if match is None:
            continue  # SM620
        session = sessions.get(match["session"])
        if session is None:
            yield Hit(
                use.entry,
                (*use.path, "ref"),
                f"{dotted((*use.path, 'ref'))} names {match['session']}, which is not recorded "
                "in data/meetings/",
            )
        elif use.approval.date < session.date:
            yield Hit(
                use.entry,
                (*use.path, "date"),
                f"{dotted((*use.path, 'date'))} is {use.approval.date}, before "
                f"{match['session']} opened on {session.date}",
                f"date the approval on or after {session.date}, the day of the session",
            )


@rule(
    "SM622",
    "approval-reference-shared",
    Severity.WARNING,
    clauses.PRIOR_APPROVAL,
    "cite the SMEWG document that approved this output; each output has its own",
    examples=(
        "approval:\n  smewg:\n    date: 2025-05-20\n    ref: 2025/SMEWGNN/NNN\n"
        "partners:\n  - name:\n      en: Acme Bank\n    kind: private-sector\n"
        "    approval:\n      date: 2025-05-20\n      ref: 2025/SMEWGNN/NNN  # the case's own\n",
        "approval:\n  smewg:\n    date: 2025-05-20\n    ref: 2025/SMEWGNN/NNN\n"
        "partners:\n  - name:\n      en: Acme Bank\n    kind: private-sector\n"
        "    approval:\n      date: 2025-05-20\n"
        "      ref: 2025/SMEWGNN/MMM  # the decision on Acme\n",
    ),
)
def approval_reference_shared(repo: Repository) -> Iterator[Hit]:
    """One SMEWG decision document approves one thing: it is not reused for another.

    The same reference in two records for two different outputs is most often a copied
    reference. The same participant approved once and named in several records (one
    observer at a meeting and an activity) shares a decision rightly.
    """
    first: dict[str, Use] = {}
    for use in smewg_uses(repo):
        ref = use.approval.ref.strip()
        if ref not in first:
            first[ref] = use
            continue
        earlier = first[ref]
        if earlier.subject != use.subject:
            yield Hit(
                use.entry,
                (*use.path, "ref"),
                f"{ref} is cited already by {earlier.entry.source.path} "
                f"({dotted((*earlier.path, 'ref'))}) for something else",
            )


@rule(
    "SM623",
    "member-admission-recorded",
    Severity.ERROR,
    clauses.MEMBERSHIP,
    "add admission: {date: YYYY-MM-DD, ref: <the Secretariat's document number>} from the "
    "Secretariat's record of the decision",
    examples=(
        "# data/members/abc.yml\nid: abc\njoined: 2026-02-16\nfounding_member: false\n",
        "# data/members/abc.yml\nid: abc\njoined: 2026-02-16\nfounding_member: false\n"
        f"admission:\n  date: 2026-02-10\n  ref: {DEFAULT_SECRETARIAT_REFERENCE}\n",
    ),
)
def member_admission_recorded(repo: Repository) -> Iterator[Hit]:
    """A member that joined during the term carries the Secretariat's admission record.

    The record is of the decision admitting it, dated on or before it joined. The
    Secretariat runs the alliance's daily work (ToR §6); a member added without its
    record is a name anybody could have typed. Members of before the term are exempt:
    their admission predates these records. The ToR sets no admission procedure
    (institutions join voluntarily, §6): asking for the record is our reading, stricter
    than the text.
    """
    start = repo.tor.term.start
    numbers = secretariat_reference(repo.root)
    for entry in repo.of(models.Member):
        member = entry.record
        if member.joined < start or member.founding_member:
            continue
        if member.admission is None:
            yield Hit(
                entry,
                ("joined",),
                f"joined {member.joined}, during the term, with no admission record",
            )
            continue
        ref = member.admission.ref.strip()
        if not numbers.pattern.fullmatch(ref):
            yield Hit(
                entry,
                ("admission", "ref"),
                f"admission.ref is not a number of the Secretariat's records: {ref!r}",
                f"write the number of the Secretariat's record, in the form {numbers.form}",
            )
        if member.admission.date > member.joined:
            yield Hit(
                entry,
                ("admission", "date"),
                f"admission.date {member.admission.date} is after joined {member.joined}",
                "a member joins once admitted: correct one of the dates",
            )
