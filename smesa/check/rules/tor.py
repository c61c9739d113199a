"""Rules of the Terms of Reference 2025–2028: English outputs, approvals, the Presidium,
membership, non-members, the term and its sunset, and the yearly obligations."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from typing import Any

from smesa.check.findings import Severity
from smesa.check.registry import Hit, rule
from smesa.check.rules.integrity import FEE_KEY
from smesa.data import models
from smesa.data.config import site_url
from smesa.data.loader import Path_
from smesa.data.repository import Repository, dotted
from smesa.data.texts import record_texts
from smesa.tor import adopted, clauses, coverage, parameters
from smesa.tor.obligations import Obligation, yearly_obligations
from smesa.tor.publication import is_final

CJK = re.compile(r"[\u2e80-\u2fdf\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _is_output(record: models.Record) -> bool:
    """Published (or approved, about to be) material, or a member shown on the site."""
    return is_final(record) or isinstance(record, models.Member)


@rule(
    "SM601",
    "english-output",
    Severity.ERROR,
    clauses.OUTPUTS_IN_ENGLISH,
    "write the English text in the 'en' field",
    examples=(
        "title:\n  zh: 数字化转型服务\n",
        "title:\n  en: Digital transformation service\n  zh: 数字化转型服务\n",
    ),
)
def english_output(repo: Repository) -> Iterator[Hit]:
    """Every text of an approved or published output is available in English.

    Applies to every bilingual field (title, summary, body, minutes, names, …) of
    approved and published records and of member institutions; drafts may be
    incomplete.
    """
    for entry, path, text in record_texts(repo):
        if not (text.en or "").strip() and _is_output(entry.record):
            yield Hit(entry, (*path, "en"), f"{dotted(path)} has no English text")


@rule(
    "SM602",
    "english-is-english",
    Severity.ERROR,
    clauses.OUTPUTS_IN_ENGLISH,
    "move the Chinese text to the 'zh' field; in 'en' write names as they are written in English",
    examples=("title:\n  en: 宁波中小企业服务\n", "title:\n  en: Ningbo SME services\n"),
)
def english_is_english(repo: Repository) -> Iterator[Hit]:
    """An English ('en') field holds no Chinese or Japanese characters.

    Catches translations pasted into the wrong field, which would leave the English
    site without the text. The hint says pinyin only for records of the People's
    Republic of China: names elsewhere have their own romanisation.
    """
    economies = _record_economies(repo)
    for source, path, language, text in repo.texts():
        if language == "en" and (match := CJK.search(text)):
            yield Hit(
                source,
                path,
                f"{dotted(path)} is English but holds Chinese text: {match.group()!r}…",
                _PINYIN_FIX if economies.get(source.path) == "PRC" else None,
                within=(text, match.start()),
            )


_PINYIN_FIX = "move the Chinese text to the 'zh' field; in 'en' write names in pinyin"


def _record_economies(repo: Repository) -> dict[str, str]:
    """Path of each member's and case's file -> the economy of its member institution."""
    members = {e.id: e.record.economy for e in repo.of(models.Member)}
    found = {e.source.path: e.record.economy for e in repo.of(models.Member)}
    for entry in repo.of(models.Case):
        if entry.record.member in members:
            found[entry.source.path] = members[entry.record.member]
    return found


PLACEHOLDER = re.compile(r"\bTODO\b")


@rule(
    "SM612",
    "placeholder-left",
    Severity.ERROR,
    clauses.OUTPUTS_IN_ENGLISH,
    "replace the TODO with the real text",
    examples=(
        "summary:\n  en: 'TODO: one or two sentences'\n",
        "summary:\n  en: Loans in 6 days.\n",
    ),
)
def placeholder_left(repo: Repository) -> Iterator[Hit]:
    """An approved or published output holds no TODO placeholder.

    `smesa new` marks what a contributor must write with TODO; a draft may keep them,
    an output shown to readers may not.
    """
    shown = {id(e.source) for e in repo.entries if _is_output(e.record)}
    for source, path, _, text in repo.texts():
        # The substring test first: a pattern starting with \b gets no fast literal search.
        if "TODO" in text and id(source) in shown and (match := PLACEHOLDER.search(text)):
            yield Hit(
                source,
                path,
                f"{dotted(path)} still holds a TODO placeholder",
                within=(text, match.start()),
            )


def _address(url: str | None) -> str:
    """A site address to compare: no trailing slash, scheme and host in lower case."""
    if not url:
        return ""
    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}/{path}".rstrip("/")


@rule(
    "SM613",
    "alliance-website",
    Severity.WARNING,
    clauses.NEW_BODIES,
    "record the site in data/bodies/ as a published website whose url is mkdocs.yml's "
    "site_url, with its SMEWG and SCE approvals",
)
def alliance_website(repo: Repository) -> Iterator[Hit]:
    """The website this repository publishes is recorded as an approved body.

    The site is a website of the alliance, which the ToR allows only with SMEWG and SCE
    approval; so a published body of type `website` records it, at the address it is
    published at (mkdocs.yml `site_url`), and SM604 checks its approvals. Deleting that
    record, setting it back to draft or giving it another address is reported. A
    warning, not an error: a copy of the registry without the record (a fork, a test)
    still builds, and says so. Applies where mkdocs.yml sets `site_url`.
    """
    url = site_url(repo.root)
    if not url:
        return
    websites = [e for e in repo.of(models.Body) if e.record.type == "website"]
    this_site = [e for e in websites if _address(e.record.url) == _address(url)]
    if any(e.record.status == "published" for e in this_site):
        return
    for entry in this_site:
        yield Hit(
            entry,
            ("status",),
            f"this body records the site published at {url}, but it is {entry.record.status}: "
            "the site is public, so its approved record is too",
            "set status: published (with its SMEWG and SCE approvals)",
        )
    if this_site:
        return
    for entry in websites:
        yield Hit(
            entry,
            ("url",) if entry.record.url else ("type",),
            f"the website's url ({entry.record.url or 'none'}) is not the address this "
            f"repository publishes the site at ({url}, mkdocs.yml site_url)",
            f"set url: {url}",
        )
    if not websites:
        yield Hit(
            repo.reference["tor"],
            ("approval_required",),
            f"no body in data/bodies/ records the website this repository publishes ({url}): "
            "ToR §6 allows none without SMEWG and SCE approval",
        )


# Decisions the ToR gives the Presidium (§6.4 elections, §6.5 rule revisions, §6.6
# advisors): taken at the alliance's own meetings, never at an SMEWG session.
PRESIDIUM_ACTS = ("election", "rule-revision", "advisor-appointment")


@rule(
    "SM614",
    "presidium-acts-at-alliance-meetings",
    Severity.ERROR,
    coverage.RULE_REVISIONS,
    "record the decision in the minutes of the plenary or Presidium meeting that took it",
)
def presidium_acts_at_alliance_meetings(repo: Repository) -> Iterator[Hit]:
    """Elections, rule revisions and advisors are decided at the alliance's own meetings.

    ToR §6 gives them to the Presidium (elections and advisors by SM606 and SM607 too):
    a decision of kind `election`, `rule-revision` or `advisor-appointment` recorded
    under an SMEWG session is refused; the SMEWG's own outcomes are `other`.
    """
    for entry in repo.of(models.Meeting):
        meeting = entry.record
        if meeting.type != "smewg":
            continue
        for i, decision in enumerate(meeting.decisions):
            if decision.kind in PRESIDIUM_ACTS:
                yield Hit(
                    entry,
                    ("decisions", i, "kind"),
                    f"a decision of kind {decision.kind!r} is the alliance's, not the SMEWG's: "
                    "it is taken at a plenary or Presidium meeting",
                )


@rule(
    "SM615",
    "paper-discussed-by-presidium",
    Severity.WARNING,
    coverage.PRESIDIUM_DISCUSSES_PAPER,
    "set meeting: to the Presidium meeting or plenary whose minutes record its discussion "
    "(a decision of kind proposal-endorsement), held before the paper was submitted",
    examples=(
        "# data/proposals/recommendations-2025.yml\nid: recommendations-2025\nmeeting: smewg60\n",
        "# data/proposals/recommendations-2025.yml\nid: recommendations-2025\n"
        "meeting: presidium-2025-06\n",
    ),
)
def paper_discussed_by_presidium(repo: Repository) -> Iterator[Hit]:
    """A recommendation paper is discussed by the Presidium before it goes to the SMEWG.

    ToR §6.2 gives the Presidium the discussion of the paper submitted to the SMEWG. A
    paper past draft names in `meeting` the meeting that discussed it: a Presidium
    meeting, or an annual plenary (the Presidium is the heads of the member
    organisations, §6, so their plenary discusses as the Presidium), held on or before
    the paper's submission, whose minutes record a decision of kind
    `proposal-endorsement`. A warning, not an error: the ToR names the discussion among
    the Presidium's functions without a form or a deadline for it.
    """
    meetings = repo.index(models.Meeting)
    for entry in repo.of(models.Proposal):
        paper = entry.record
        if paper.status == "draft":
            continue
        if paper.meeting is None:
            yield Hit(
                entry,
                ("status",),
                "the paper names no meeting of the Presidium that discussed it (ToR §6.2)",
            )
            continue
        found = meetings.get(paper.meeting)
        if found is None:  # SM103 reports the unknown id
            continue
        meeting = found.record
        if meeting.type == "smewg":
            yield Hit(
                entry,
                ("meeting",),
                f"{paper.meeting} is an SMEWG session: the Presidium discusses the paper at "
                "its own meeting or the plenary",
            )
            continue
        if paper.submitted and meeting.date > paper.submitted:
            yield Hit(
                entry,
                ("meeting",),
                f"{paper.meeting} was held on {meeting.date}, after the paper was submitted on "
                f"{paper.submitted}",
            )
        if not any(d.kind == "proposal-endorsement" for d in meeting.decisions):
            yield Hit(
                entry,
                ("meeting",),
                f"the minutes of {paper.meeting} record no discussion of the paper (a decision "
                "of kind proposal-endorsement)",
            )


def _approval_deadline(record: models.Record) -> tuple[str, dt.date | None]:
    """The date an SMEWG approval must precede, and the field it comes from: a
    publication's date of publication, an event's first day, a body's establishment.
    Submitting a paper or report to the SMEWG is how it asks for approval, so
    `submitted` is never the deadline."""
    for name in ("published", "date", "established"):
        value = getattr(record, name, None)
        if isinstance(value, dt.date):
            return name, value
    return "", None


# What SM603's messages call a record of these kinds: the only meetings it reaches are
# plenaries, and the proposals are the recommendation papers.
_NAMED = {"meeting": "plenary", "proposal": "recommendation paper"}


def _held_unapproved(record: models.Record, today: dt.date) -> bool:
    """An activity or plenary that has begun while its record still awaits approval."""
    return (
        isinstance(record, (models.Activity, models.Meeting))
        and record.status == "submitted"
        and record.date <= today
    )


@rule(
    "SM603",
    "prior-smewg-approval",
    Severity.ERROR,
    clauses.PRIOR_APPROVAL,
    "add approval: {smewg: {date: YYYY-MM-DD, ref: YYYY/SMEWGNN/NNN}} from the SMEWG decision",
    examples=(
        "status: published\npublished: 2025-06-01\n",
        "status: published\npublished: 2025-06-01\napproval:\n  smewg:\n"
        "    date: 2025-05-20\n    ref: 2025/SMEWGNN/NNN\n",
    ),
)
def prior_smewg_approval(repo: Repository) -> Iterator[Hit]:
    """Every alliance-branded output carries an SMEWG approval given before it.

    ToR §6 names products, publications, actions, project proposals and activities. The
    records they are: cases, activities, annual plenaries, recommendation papers,
    annual reports and bodies (tor.yml `approval_required` as in force; emptying the list
    without a recorded revision changes nothing but SM704's finding). The approval must
    be dated on or before the publication, the activity's or plenary's first day, or the
    body's establishment.

    It applies to approved and published records, and to an activity or plenary still
    `submitted` once its first day has come: it took place without the approval. A
    paper or report `submitted` to the SMEWG is asking for its approval, and a draft is
    not yet a record of anything, so neither needs one yet.

    Set apart, as our reading: an SMEWG session is the SMEWG's own meeting, not the
    alliance's; a Presidium meeting is the operating mechanism the ToR itself sets up,
    doing what §6.1–6.6 give it to do, and its minutes are published on the website the
    SMEWG and the SCE approved (SM604, SM613). A recommendation paper is not an APEC
    project proposal (a request for APEC funding, which the alliance has none of): it
    needs approval when it is published, like any publication.
    """
    force = parameters.in_force(repo.tor, repo.today)
    for entry in repo.entries:
        record = entry.record
        if not force.needs_smewg_approval(record):
            continue
        assert isinstance(record, models.Output)
        held = _held_unapproved(record, repo.today)
        if not is_final(record) and not held:
            continue
        what = _NAMED.get(record.kind, record.kind)
        smewg = record.approval.smewg if record.approval else None
        if smewg is None and held:
            assert isinstance(record, (models.Activity, models.Meeting))
            yield Hit(
                entry,
                ("status",),
                f"this {what} began on {record.date} while still submitted: "
                "it needed the SMEWG's approval before it took place",
            )
            continue
        if smewg is None:
            yield Hit(
                entry,
                ("approval", "smewg") if record.approval else ("status",),
                f"a {record.status} {what} needs a prior SMEWG approval",
            )
            continue
        name, deadline = _approval_deadline(record)
        if deadline and smewg.date > deadline:
            yield Hit(
                entry,
                ("approval", "smewg", "date"),
                f"SMEWG approval ({smewg.date}) must come on or before {name} ({deadline})",
                "correct the dates: publish only after the SMEWG has approved",
            )


@rule(
    "SM604",
    "new-body-approval",
    Severity.ERROR,
    clauses.NEW_BODIES,
    "record both approvals: approval: {smewg: {date, ref}, sce: {date, ref}}",
)
def new_body_approval(repo: Repository) -> Iterator[Hit]:
    """A new research centre, website, platform or affiliate has SMEWG and SCE approval.

    Applies to records in data/bodies/ that are approved, published or have an
    `established` date; both approvals must precede the establishment.
    """
    for entry in repo.of(models.Body):
        body = entry.record
        if not is_final(body) and body.established is None:
            continue
        for forum in ("smewg", "sce"):
            approval = getattr(body.approval, forum) if body.approval else None
            if approval is None:
                yield Hit(
                    entry,
                    ("approval",) if body.approval else ("type",),
                    f"a new {body.type} needs {forum.upper()} approval before it is set up",
                )
            elif body.established and approval.date > body.established:
                yield Hit(
                    entry,
                    ("approval", forum, "date"),
                    f"{forum.upper()} approval ({approval.date}) comes after the body was "
                    f"established ({body.established})",
                )


@rule(
    "SM605",
    "presidium-term",
    Severity.ERROR,
    clauses.PRESIDIUM,
    "set end to the day before the third anniversary of start, or to the alliance's end "
    "when that comes first",
    examples=(
        "start: 2025-09-16\nend: 2027-09-15\n",
        "start: 2025-09-16\nend: 2028-09-15\n",
    ),
)
def presidium_term(repo: Repository) -> Iterator[Hit]:
    """A Presidium term lasts three years, cut only by the sunset, and terms do not overlap.

    The length is tor.yml `presidium_term_years` as in force when the term began
    (`smesa.tor.parameters`); the term ends the day before the anniversary of its start
    (or on it). A term that would run past the end of the alliance's term ends with it
    (ToR §7: the alliance ends on 31 December 2028 unless the SCE extends it); once an
    extension is recorded, the term runs on to its full length within it. A full term
    that runs past the end is SM701's finding (outside the term), not this rule's.
    """
    force = parameters.in_force(repo.tor, repo.today)
    terms = sorted(repo.of(models.Presidium), key=lambda e: e.record.start)
    for entry in terms:
        p = entry.record
        # the length in force when the term began: a later revision does not cut it
        years = parameters.in_force(repo.tor, p.start).presidium_term_years
        full, lawful = force.presidium_ends(p.start, years)
        if full is None or lawful is None:
            yield Hit(
                entry,
                ("start",),
                f"a {years}-year Presidium term from {p.start} would end after "
                f"{dt.date.max}, the last date the tools can hold",
                "correct the start date",
            )
            continue
        one_day = dt.timedelta(days=1)
        if p.end == lawful or (lawful == full and p.end == full + one_day):
            continue
        if lawful < full and p.end in (full, full + one_day):
            continue  # runs on past the alliance's end: SM701 reports it
        if lawful < full:
            yield Hit(
                entry,
                ("end",),
                f"a Presidium term lasts {years} years, cut by the end of the alliance's term: "
                f"from {p.start} it ends on {lawful}, when the alliance ends unless the SCE "
                f"extends it, not {p.end}",
            )
            continue
        ended_then = any(period.end == p.end for period in force.periods[:-1])
        runs_on = f" (the SCE extended the alliance to {force.term_end})" if ended_then else ""
        yield Hit(
            entry,
            ("end",),
            f"a Presidium term lasts {years} years: from {p.start} it ends on {full}{runs_on}, "
            f"not {p.end}",
        )
    for previous, entry in itertools.pairwise(terms):
        if entry.record.start <= previous.record.end:
            yield Hit(
                entry,
                ("start",),
                f"term starts {entry.record.start}, before the term {previous.id} ends "
                f"({previous.record.end})",
                "start the new term after the previous one ends",
            )


@rule(
    "SM606",
    "presidium-officers",
    Severity.ERROR,
    clauses.PRESIDIUM_POWERS,
    "list the Chair and Vice Chairs under members, and elect them at a meeting",
)
def presidium_officers(repo: Repository) -> Iterator[Hit]:
    """The Chair and Vice Chairs belong to their Presidium, elected at a meeting.

    The meeting named in `elected_at` is one of the alliance's own (a plenary or a
    Presidium meeting, not an SMEWG session), records an election decision and takes
    place on or before the term starts; every member of the Presidium is an active
    member institution when the term starts.
    """
    meetings = repo.index(models.Meeting)
    members = repo.index(models.Member)
    for entry in repo.of(models.Presidium):
        p = entry.record
        in_presidium = set(p.members)
        if p.chair not in in_presidium:
            yield Hit(entry, ("chair",), f"the Chair {p.chair!r} is not among members")
        for i, vice in enumerate(p.vice_chairs):
            if vice not in in_presidium:
                yield Hit(entry, ("vice_chairs", i), f"Vice Chair {vice!r} is not among members")
            if vice == p.chair:
                yield Hit(entry, ("vice_chairs", i), f"{vice!r} cannot be Chair and Vice Chair")
        for i, member_id in enumerate(p.members):
            member = members.get(member_id)
            if member and member.record.withdrawn and member.record.withdrawn <= p.start:
                yield Hit(
                    entry,
                    ("members", i),
                    f"{member_id!r} withdrew on {member.record.withdrawn}, before the term",
                )
        meeting = meetings.get(p.elected_at)
        if meeting is None:
            continue  # reference-resolves (SM103) reports it
        m = meeting.record
        if m.type == "smewg":
            yield Hit(
                entry,
                ("elected_at",),
                f"meeting {m.id!r} is an SMEWG session: the alliance's members elect the "
                "Presidium at their own plenary or Presidium meeting",
                "name in elected_at the plenary (or Presidium meeting) that held the election",
            )
            continue
        if not any(d.kind == "election" and d.presidium in (None, entry.id) for d in m.decisions):
            yield Hit(
                entry,
                ("elected_at",),
                f"meeting {m.id!r} records no election decision for this Presidium",
                f"add to {meeting.source.path} a decision of kind 'election'",
            )
        if m.date > p.start:
            yield Hit(
                entry,
                ("elected_at",),
                f"elected at a meeting on {m.date}, after the term started ({p.start})",
            )


@rule(
    "SM607",
    "advisor-appointed",
    Severity.ERROR,
    clauses.PRESIDIUM_POWERS,
    "name in appointed_at the Presidium meeting that decided the appointment, or mark the "
    "plenary's decision by: presidium",
)
def advisor_appointed(repo: Repository) -> Iterator[Hit]:
    """Advisors are appointed by a decision of the Presidium.

    The meeting named in `appointed_at` records an `advisor-appointment` decision of the
    Presidium (ToR §6.6 gives the power to the Presidium, not to the members): any such
    decision of a Presidium meeting, or one of a plenary marked `by: presidium` (the
    Presidium meeting during it); it is held on or before the advisor's `since` date.
    """
    meetings = repo.index(models.Meeting)
    for entry in repo.of(models.Presidium):
        for i, advisor in enumerate(entry.record.advisors):
            meeting = meetings.get(advisor.appointed_at)
            if meeting is None:
                continue
            m = meeting.record
            by_presidium = [
                d
                for d in m.decisions
                if d.kind == "advisor-appointment"
                and (m.type == "presidium" or (m.type == "plenary" and d.by == "presidium"))
            ]
            if not by_presidium:
                members = m.type == "plenary" and any(
                    d.kind == "advisor-appointment" for d in m.decisions
                )
                yield Hit(
                    entry,
                    ("advisors", i, "appointed_at"),
                    f"meeting {m.id!r} records no Presidium decision appointing advisors"
                    + (
                        ": its appointment is the members' (by: presidium is not set)"
                        if members
                        else ""
                    ),
                )
            elif m.date > advisor.since:
                yield Hit(
                    entry,
                    ("advisors", i, "since"),
                    f"advisor serves from {advisor.since}, before being appointed ({m.date})",
                )


def _fee_keys(value: Any, path: Path_) -> Iterator[Path_]:
    if isinstance(value, dict):
        for key, child in value.items():
            if FEE_KEY.search(str(key)):
                yield (*path, key)
            yield from _fee_keys(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _fee_keys(child, (*path, index))


@rule(
    "SM608",
    "membership-free",
    Severity.ERROR,
    clauses.MEMBERSHIP,
    "remove the fee: membership is free of any fee",
    needs_reference=False,
    examples=("annual_fee: 500\n", "# (no fee field)\n"),
)
def membership_free(repo: Repository) -> Iterator[Hit]:
    """Member records carry no fee, dues or subscription.

    Membership is voluntary and free of any fee; the Secretariat raises funds by
    donations instead.
    """
    for source in repo.sources:
        if source.folder == "members" and isinstance(source.doc.data, dict):
            for path in _fee_keys(source.doc.data, ()):
                yield Hit(source, path, f"membership is free: {dotted(path)!r}", key=True)


@rule(
    "SM609",
    "membership-dates",
    Severity.ERROR,
    clauses.MEMBERSHIP,
    "record the date the institution chose to join (and, if it left, when)",
)
def membership_dates(repo: Repository) -> Iterator[Hit]:
    """A member's join and withdrawal dates are consistent.

    Joining is voluntary and dated: not before the alliance was founded, not in the
    future; founding members joined in the founding year; a withdrawn member has a
    withdrawal date after it joined, and an active one has none.
    """
    founded = repo.tor.founded
    for entry in repo.of(models.Member):
        m = entry.record
        if m.joined.year < founded:
            yield Hit(entry, ("joined",), f"joined {m.joined}, before the alliance ({founded})")
        if m.joined > repo.today:
            yield Hit(entry, ("joined",), f"joined {m.joined} is in the future")
        if m.founding_member and m.joined.year != founded:
            yield Hit(
                entry,
                ("founding_member",),
                f"a founding member joined in {founded}, not {m.joined.year}",
            )
        if m.status == "withdrawn" and m.withdrawn is None:
            yield Hit(entry, ("status",), "a withdrawn member needs its 'withdrawn' date")
        if m.status == "active" and m.withdrawn is not None:
            yield Hit(entry, ("withdrawn",), "an active member has no withdrawal date")
        if m.withdrawn and m.withdrawn < m.joined:
            yield Hit(entry, ("withdrawn",), f"withdrawn {m.withdrawn} before joining")


def _taking_part(record: models.Record) -> tuple[str, dt.date] | None:
    """(field, date) a participant of `record` takes part on: the meeting's or activity's
    date, a case's publication."""
    for name in ("date", "published"):
        value = getattr(record, name, None)
        if isinstance(value, dt.date):
            return name, value
    return None


@rule(
    "SM610",
    "non-member-approval",
    Severity.ERROR,
    clauses.NON_MEMBERS,
    "add approval: {date, ref} of the working group's decision to admit this participant",
)
def non_member_approval(repo: Repository) -> Iterator[Hit]:
    """A non-member participant, partner or sponsor needs a prior approval reference.

    Only member institutions and governments of APEC member economies take part
    without one; every sponsor needs one (APEC Sponsorship Policy and Guidelines). The approval
    comes first: it is dated on or before the meeting, the activity or the case's
    publication the participant takes part in.
    """
    members = repo.index(models.Member)
    for entry in repo.entries:
        taking_part = _taking_part(entry.record)
        for field, i, p in models.parties(entry.record):
            if p.approval:
                if taking_part and p.approval.date > taking_part[1]:
                    name = p.name.en or p.name.zh or ""
                    yield Hit(
                        entry,
                        (field, i, "approval", "date"),
                        f"{field[:-1]} {name!r} was approved on {p.approval.date}, after "
                        f"taking part ({taking_part[0]} {taking_part[1]})",
                        "correct the date: the working group admits a non-member before it "
                        "takes part",
                    )
                continue
            is_member = p.kind == "member" and p.member in members
            is_apec_government = p.kind == "government" and p.economy in repo.economies
            if field != "sponsors" and (is_member or is_apec_government):
                continue
            name = p.name.en or p.name.zh or ""
            yield Hit(entry, (field, i), f"{field[:-1]} {name!r} ({p.kind}) needs an approval")


@rule(
    "SM611",
    "publication-dated",
    Severity.ERROR,
    clauses.ANNUAL_CASES,
    "set published: YYYY-MM-DD (today or earlier), or set status back to approved",
)
def publication_dated(repo: Repository) -> Iterator[Hit]:
    """A published case, paper or report has a publication date, not in the future.

    The paper is the recommendation paper. A draft or submitted one has none yet. The
    date is what the SMEWG's approval must precede (SM603).
    """
    for entry in repo.entries:
        record = entry.record
        if not isinstance(record, models.Case | models.Report | models.Proposal):
            continue
        if record.status == "published" and record.published is None:
            yield Hit(entry, ("status",), f"a published {record.kind} needs its published date")
        elif record.published and record.published > repo.today:
            yield Hit(entry, ("published",), f"published {record.published} is in the future")
        elif record.published and record.status in ("draft", "submitted"):
            yield Hit(
                entry,
                ("published",),
                f"a {record.status} {record.kind} has no publication date yet",
                "remove published, or set status: published",
            )


_TERM_DATES = {
    models.Case: ("published",),
    models.Meeting: ("date",),
    models.Activity: ("date", "end_date"),
    models.Proposal: ("submitted", "published"),
    models.Report: ("submitted", "published"),
    models.Body: ("established",),
    models.Presidium: ("start", "end"),
}


@rule(
    "SM701",
    "within-term",
    Severity.ERROR,
    clauses.SUNSET,
    "use a date inside the term, or record the SCE's extension in data/reference/tor.yml",
)
def within_term(repo: Repository) -> Iterator[Hit]:
    """The alliance's dated work falls inside its term (2025-01-01 to 2028-12-31).

    The end moves only with an SCE extension recorded in tor.yml `extensions` that
    counts (`smesa.tor.parameters`: decided before the term expired, after the SMEWG's
    review). Members' join dates are history and exempt. A Presidium term that would
    run past the end ends with the alliance's (SM605).
    """
    force = parameters.in_force(repo.tor, repo.today)
    start, end = force.term_start, force.term_end
    for entry in repo.entries:
        record = entry.record
        for name in _TERM_DATES.get(type(record), ()):
            day = getattr(record, name)
            if day is not None and not start <= day <= end:
                fix = None
                if isinstance(record, models.Presidium) and name == "end" and day > end:
                    fix = (
                        f"end the term on {end}, with the alliance's, or record the SCE's "
                        "extension in data/reference/tor.yml"
                    )
                yield Hit(
                    entry,
                    (name,),
                    f"{name} {day} is outside the alliance's term ({start} to {end})",
                    fix,
                )
        year = getattr(record, "year", None)
        if isinstance(year, int) and not start.year <= year <= end.year:
            yield Hit(
                entry, ("year",), f"year {year} is outside the term ({start.year}–{end.year})"
            )


@rule(
    "SM702",
    "sunset-approaching",
    Severity.WARNING,
    clauses.SUNSET,
    "ask the SMEWG, then the SCE, to review the alliance; record an extension in tor.yml",
    needs_reference=True,
)
def sunset_approaching(repo: Repository) -> Iterator[Hit]:
    """The end of the term, and so the SMEWG and SCE review, is near.

    Warns `sunset_warning_days` (tor.yml) before the end of the term; after the end,
    the alliance has ended unless the SCE extended it (see SM701 for dated work).
    """
    tor = repo.reference["tor"]
    force = parameters.in_force(repo.tor, repo.today)
    end = force.term_end
    days = (end - repo.today).days
    path = ("extensions",) if repo.tor.extensions else ("term", "end")
    if days < 0:
        yield Hit(tor, path, f"the alliance's term ended on {end} ({-days} days ago)")
    elif days <= repo.tor.sunset_warning_days:
        period = force.periods[-1]
        smewg = parameters.reviews_of(repo.tor, "SMEWG", period.start, period.end)
        sce = [
            r
            for r in parameters.reviews_of(repo.tor, "SCE", period.start, period.end)
            if smewg and r.date > smewg[0].date
        ]
        if not smewg:
            todo = "the SMEWG and then the SCE must review it before then"
        elif not sce:
            todo = f"the SMEWG reviewed it on {smewg[0].date}; the SCE must review it before then"
        else:
            todo = (
                f"the SMEWG reviewed it on {smewg[0].date} and the SCE on {sce[0].date}; it "
                "ends then unless the SCE extends it"
            )
        yield Hit(tor, path, f"the alliance's term ends on {end}, in {days} days: {todo}")


def _listed(value: object) -> str:
    """A parameter's value as a reader writes it: `3`, `2028-12-31`, `cases, reports`."""
    if isinstance(value, tuple | list):
        return ", ".join(map(str, value)) if value else "(none)"
    return str(value)


@rule(
    "SM704",
    "tor-change-recorded",
    Severity.ERROR,
    clauses.TOR_REVISION,
    "restore the ToR's value, or record the SMEWG's revision in tor.yml revisions "
    "({approval: {date, ref}, summary, sets})",
    examples=(
        "presidium_term_years: 4\nrevisions: []\n",
        "presidium_term_years: 4\nrevisions:\n  - approval: {date: 2026-05-12, ref: "
        "2026/SMEWGNN/NNN}\n    summary: {en: Four-year Presidium terms.}\n"
        "    sets: {presidium_term_years: 4}\n",
    ),
)
def tor_change_recorded(repo: Repository) -> Iterator[Hit]:
    """A ToR parameter in tor.yml is the ToR's own, or the one a recorded revision sets.

    `term`, `founded`, `presidium_term_years` and `approval_required` are what the ToR
    2025–2028 sets (`smesa.tor.adopted`); only a revision approved by the SMEWG and
    recorded in `revisions`, with a well-formed SMEWG reference, changes the last two,
    and only an SCE extension moves the end (SM706). The rules apply the values in force
    whatever tor.yml says, so an unrecorded edit changes nothing but this finding.
    """
    tor = repo.reference["tor"]
    by_key = {a.key: a for a in adopted.ADOPTED}
    for key, stated, backed in parameters.unbacked(repo.tor, repo.today):
        path = tuple(key.split("."))
        if key == "term.end":
            yield Hit(
                tor,
                path,
                f"term.end is {stated}, but the ToR ends the term on {backed} (§7): the end "
                "moves only by an SCE extension recorded in extensions",
                "restore term.end and record the SCE's extension in extensions",
            )
            continue
        words = by_key[key]
        if key not in adopted.REVISABLE:
            yield Hit(
                tor,
                path,
                f"{key} is {_listed(stated)}, but the ToR sets {_listed(backed)} "
                f"({words.section}: {words.zh})",
                f"restore {key}: it is the ToR's text, not a setting",
            )
        elif _listed(backed) == _listed(words.value):
            yield Hit(
                tor,
                path,
                f"{key} is {_listed(stated)}, but the ToR sets {_listed(backed)} "
                f"({words.section}: {words.zh}) and no recorded revision changes it",
            )
        else:
            yield Hit(
                tor,
                path,
                f"{key} is {_listed(stated)}, but the last recorded revision that counts sets "
                f"{_listed(backed)}",
                f"write {key}: {_listed(backed)}, or record the revision that sets "
                f"{_listed(stated)}",
            )
    for i, revision in enumerate(repo.tor.revisions):
        decided = revision.approval.date
        if problem := parameters.ref_problem(revision.approval.ref, "SMEWG", decided):
            yield Hit(
                tor,
                ("revisions", i, "approval", "ref"),
                f"revision {i + 1} does not count: {problem}",
                "write the reference of the SMEWG's decision, in the form YYYY/SMEWGNN/NNN",
            )
        if decided > repo.today:
            yield Hit(
                tor,
                ("revisions", i, "approval", "date"),
                f"revision {i + 1} is dated {decided}, after today: record it once decided",
            )
        sets = revision.sets
        if sets.presidium_term_years is None and sets.approval_required is None:
            yield Hit(tor, ("revisions", i, "sets"), f"revision {i + 1} sets no parameter")
        for j, folder in enumerate(sets.approval_required or ()):
            if folder not in models.BY_FOLDER:
                yield Hit(
                    tor,
                    ("revisions", i, "sets", "approval_required", j),
                    f"revision {i + 1}: {folder!r} is not a data folder",
                    "name folders of data/: " + ", ".join(sorted(models.BY_FOLDER)),
                )


@rule(
    "SM705",
    "term-review-order",
    Severity.ERROR,
    clauses.SUNSET_REVIEW,
    "record the SMEWG's review first, then the SCE's, both before the term expires",
    examples=(
        "reviews:\n  - {forum: SCE, date: 2028-09-10, ref: 2028/SOMN/SCE/NNN}\n",
        "reviews:\n  - {forum: SMEWG, date: 2028-08-17, ref: 2028/SMEWGNN/NNN}\n"
        "  - {forum: SCE, date: 2028-09-10, ref: 2028/SOMN/SCE/NNN}\n",
    ),
)
def term_review_order(repo: Repository) -> Iterator[Hit]:
    """The SMEWG reviews the alliance's term before the SCE, both before it expires.

    Each review in tor.yml `reviews` is dated within the term in force (the term as
    adopted, or an extension of it), has a well-formed APEC reference of its forum, and
    an SCE review follows an SMEWG review of the same term. A review is a record of what
    happened: none is dated after today.
    """
    tor = repo.reference["tor"]
    force = parameters.in_force(repo.tor, repo.today)
    for i, review in enumerate(repo.tor.reviews):
        if problem := parameters.ref_problem(review.ref, review.forum, review.date):
            yield Hit(
                tor, ("reviews", i, "ref"), f"the {review.forum} review does not count: {problem}"
            )
        if review.date > repo.today:
            yield Hit(
                tor,
                ("reviews", i, "date"),
                f"the {review.forum} review is dated {review.date}, after today: record it "
                "once it has taken place",
            )
        period = force.period_of(review.date)
        if period is None:
            where = (
                "before the term began"
                if review.date < force.term_start
                else (f"after the alliance's term expired on {force.term_end}")
            )
            yield Hit(
                tor,
                ("reviews", i, "date"),
                f"the {review.forum} review of {review.date} is {where}",
            )
            continue
        if review.forum == "SCE":
            earlier = [
                r
                for r in parameters.reviews_of(repo.tor, "SMEWG", period.start, period.end)
                if r.date < review.date
            ]
            if not earlier:
                yield Hit(
                    tor,
                    ("reviews", i, "date"),
                    f"the SCE reviewed the term ending {period.end} on {review.date}, but no "
                    "SMEWG review of it is recorded before: the SMEWG reviews first (ToR §7)",
                )


@rule(
    "SM706",
    "extension-approved",
    Severity.ERROR,
    clauses.SUNSET,
    "record the SCE's decision as decided, before the term expired, after the SMEWG's "
    "review, with its APEC reference (in the form YYYY/SOMN/SCE/NNN)",
    examples=(
        "extensions:\n  - until: 2032-12-31\n    approval: {date: 2029-01-15, ref: SCE ok}\n",
        "reviews:\n  - {forum: SMEWG, date: 2028-08-17, ref: 2028/SMEWGNN/NNN}\n"
        "extensions:\n  - until: 2032-12-31\n"
        "    approval: {date: 2028-11-20, ref: 2028/SOMN/SCE/NNN}\n",
    ),
)
def extension_approved(repo: Repository) -> Iterator[Hit]:
    """An extension of the alliance's term is an SCE decision taken before it expired.

    The SCE decides it (a well-formed SCE reference) on or before the end of the term in
    force, after the SMEWG reviewed that term (tor.yml `reviews`), and it moves the end
    later. An extension that fails any of these moves nothing: the alliance's dated work
    after the end is outside its term (SM701) and the sunset stands (SM702).
    """
    tor = repo.reference["tor"]
    for status in parameters.in_force(repo.tor, repo.today).extensions:
        for field, problem in status.problems:
            yield Hit(
                tor,
                ("extensions", status.index, *field.split(".")),
                f"the extension to {status.extension.until} does not count: {problem}",
            )


@rule(
    "SM707",
    "membership-history-sourced",
    Severity.ERROR,
    coverage.FOUNDING,
    "give the figure its source ({en: the document it comes from}), mark it sample: true, "
    "or write members: null when it is not known",
    examples=(
        "membership_history:\n  - {year: 2003, members: 19, source: {en: 'ToR, §3'}}\n"
        "  - {year: 2004, members: 21}\n",
        "membership_history:\n  - {year: 2003, members: 19, source: {en: 'ToR, §3'}}\n"
        "  - {year: 2004, members: 21, sample: true}\n",
    ),
)
def membership_history_sourced(repo: Repository) -> Iterator[Hit]:
    """Each figure of the membership history names its source, or says it is a sample.

    tor.yml `membership_history` holds the members at the end of each year from the
    founding until the term began; the term's years are counted from the member records.
    A figure is history only with its source (the ToR, a Secretariat's count and its
    reference); an illustrative one is `sample: true`, and the report and the site show
    it as a sample, never as a count; one that is not known is `members: null`, shown as
    unknown. The founding year holds the ToR's own figure (§3: 19 institutions in 2003),
    every year from it to the last one listed has its entry (a gap would be filled from
    today's member records, which is inference, not history), and no year is listed
    twice or falls before the founding or inside the term.
    """
    tor = repo.reference["tor"]
    history = repo.tor.membership_history
    force = parameters.in_force(repo.tor, repo.today)
    founding = adopted.FOUNDING_MEMBERS
    seen: set[int] = set()
    for i, entry in enumerate(history):
        where = ("membership_history", i)
        if entry.year in seen:
            yield Hit(tor, (*where, "year"), f"{entry.year} is listed twice")
        seen.add(entry.year)
        if entry.year < force.founded or entry.year >= force.term_start.year:
            yield Hit(
                tor,
                (*where, "year"),
                f"{entry.year} is outside the history: it runs from the founding in "
                f"{force.founded} to {force.term_start.year - 1}, the records count the term",
                "remove the entry",
            )
        if entry.members is None:
            if entry.sample or entry.source:
                yield Hit(
                    tor,
                    (*where, "members"),
                    f"{entry.year} is not known, so it has no source and is no sample",
                    "remove source and sample, or write the figure",
                )
        elif entry.sample and entry.source:
            yield Hit(
                tor,
                (*where, "sample"),
                f"{entry.year} names a source and is marked sample: a figure is one or the other",
                "remove sample: true, or the source",
            )
        elif not entry.sample and entry.source is None:
            yield Hit(
                tor,
                (*where, "members"),
                f"{entry.year}: {entry.members} members has no source, so it would be "
                "shown as a count nobody made",
            )
        if entry.year == force.founded and entry.members != founding.value:
            yield Hit(
                tor,
                (*where, "members"),
                f"the founding year {entry.year} holds {entry.members}, but the ToR counts "
                f"{founding.value} founding institutions ({founding.section}: {founding.zh})",
                f"write members: {founding.value}, with the ToR as its source",
            )
    if history and force.founded not in seen:
        yield Hit(
            tor,
            ("membership_history",),
            f"the history does not start at the founding in {force.founded} "
            f"({founding.section}: {founding.value} institutions)",
            f"add {{year: {force.founded}, members: {founding.value}, source: {{en: 'the ToR, "
            f"{founding.section}'}}}}",
        )
    if not history:
        yield Hit(
            tor,
            ("founded",),
            f"membership_history is empty: the years from the founding in {force.founded} to "
            "the term would be inferred from today's member records",
            f"list each year's members from {force.founded}, each with its source, sample: "
            "true, or members: null",
        )
    if history:
        last = max(seen)
        missing = [y for y in range(force.founded, last + 1) if y not in seen]
        if missing:
            yield Hit(
                tor,
                ("membership_history",),
                "the history has no entry for " + ", ".join(map(str, missing)),
                "add each year, with members: null when it is not known",
            )


def _finished_years(repo: Repository) -> range:
    """Years of the term that are over: their yearly obligations are due."""
    force = parameters.in_force(repo.tor, repo.today)
    return range(force.term_start.year, min(repo.today.year, force.term_end.year + 1))


def _finished_years_obligations(repo: Repository) -> dict[int, list[Obligation]]:
    return {year: yearly_obligations(repo, year, repo.today) for year in _finished_years(repo)}


def _yearly(repo: Repository, key: str, what: str) -> Iterator[Hit]:
    """A hit for each finished year whose obligation `key` no record meets, as the
    dashboard counts it (`smesa.tor.obligations.yearly_obligations`); the obligations
    are worked out once for the five yearly rules."""
    tor = repo.reference["tor"]
    for year, obligations in repo.derived(_finished_years_obligations).items():
        obligation = next(o for o in obligations if o.key == key)
        if obligation.met_by is None:
            yield Hit(tor, ("term",), f"no {what} is recorded for {year}{obligation.why_not()}")


@rule(
    "SM501",
    "annual-plenary",
    Severity.WARNING,
    clauses.ANNUAL_PLENARY,
    "record the year's plenary in data/meetings/ (online meetings count)",
)
def annual_plenary(repo: Repository) -> Iterator[Hit]:
    """Each finished year of the term has an annual plenary of all members.

    Counts meetings of type `plenary` dated in the year, held, and not drafts. A plenary
    "of all members" counts when more than half of the member institutions active that
    day are recorded in `attendees` (online included): the ToR sets no quorum, so this is
    our reading, stricter than a meeting of any size.
    """
    yield from _yearly(repo, "annual-plenary", "annual plenary")


@rule(
    "SM502",
    "annual-case-collection",
    Severity.WARNING,
    clauses.ANNUAL_CASES,
    "publish the year's excellent service cases in data/cases/<year>/",
)
def annual_case_collection(repo: Repository) -> Iterator[Hit]:
    """Each finished year of the term has published excellent service cases."""
    yield from _yearly(repo, "case-collection", "published case collection")


@rule(
    "SM504",
    "annual-member-activities",
    Severity.WARNING,
    clauses.MEMBER_ACTIVITIES,
    "record the year's exchanges, training, exhibitions or visits in data/activities/",
)
def annual_member_activities(repo: Repository) -> Iterator[Hit]:
    """Each finished year of the term has an exchange, training, exhibition or visit.

    Counts published activities of those types (and forums, which are exchanges) held in
    the year. The ToR sets no number; one a year is our reading of "actively organise".
    """
    yield from _yearly(
        repo, "member-activities", "exchange, training, exhibition or visit among members"
    )


@rule(
    "SM505",
    "membership-growth",
    Severity.WARNING,
    clauses.MEMBERSHIP_GROWTH,
    "record the members who joined; if members left, say why in the annual report",
)
def membership_growth(repo: Repository) -> Iterator[Hit]:
    """Membership grows: no finished year of the term ends with fewer members than it began.

    The ToR asks for steady growth from the present base and sets no yearly figure, so a
    year without growth is not warned (the annual report shows it), a year of decline is;
    once the term is over, it must end above its base (the members at its start).
    """
    tor = repo.reference["tor"]
    members = [e.record for e in repo.of(models.Member)]

    def active(day: dt.date) -> int:
        return sum(m.joined <= day and (m.withdrawn is None or m.withdrawn > day) for m in members)

    force = parameters.in_force(repo.tor, repo.today)
    base = active(force.term_start - dt.timedelta(days=1))
    for year in _finished_years(repo):
        start, end = active(dt.date(year - 1, 12, 31)), active(dt.date(year, 12, 31))
        if end < start:
            yield Hit(
                tor,
                ("term",),
                f"membership fell in {year}, from {start} to {end} member institutions",
            )
    if repo.today > force.term_end and active(force.term_end) <= base:
        yield Hit(
            tor,
            ("term",),
            f"the term ends with {active(force.term_end)} member institutions, not more than "
            f"the {base} it began with",
        )


@rule(
    "SM503",
    "annual-recommendation-paper",
    Severity.WARNING,
    clauses.ANNUAL_PROPOSAL,
    "record the year's recommendation paper in data/proposals/",
)
def annual_recommendation_paper(repo: Repository) -> Iterator[Hit]:
    """Each finished year of the term has a recommendation paper submitted to the SMEWG."""
    yield from _yearly(repo, "recommendation-paper", "recommendation paper to the SMEWG")


@rule(
    "SM703",
    "annual-report",
    Severity.WARNING,
    clauses.ANNUAL_REPORT,
    "record the year's annual report in data/reports/",
)
def annual_report(repo: Repository) -> Iterator[Hit]:
    """Each finished year of the term has an annual report submitted to the SMEWG."""
    yield from _yearly(repo, "annual-report", "annual report to the SMEWG")
