"""The ToR audit of issue 13, one mutation of the shipped data per line.

Each test changes one thing in a copy of data/ and asserts the finding (or the
dashboard's row) it now gets; the shipped data has none of them
(`test_the_shipped_data_has_none_of_these_findings`).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import ROOT, check
from shipped import copy_of_shipped, edit

from smesa.check.rules import BY_ID
from smesa.data.repository import load_repository
from smesa.tor.obligations import dashboard

DAY = dt.date(2026, 3, 1)  # 2025 is over: its obligations are due
PRESIDIUM = "data/presidium/presidium-2025-2028.yml"
PLENARY = "data/meetings/plenary-2025.yml"
WEBSITE = "data/bodies/smesa-website.yml"
PAPER = "data/proposals/recommendations-2025.yml"
EXCHANGE = "data/activities/cross-border-ecommerce-exchange-2025.yml"
RULES = (
    "SM104",
    "SM501",
    "SM504",
    "SM505",
    "SM603",
    "SM606",
    "SM607",
    "SM610",
    "SM613",
    "SM614",
    "SM615",
    "SM621",
)


@pytest.fixture
def shipped(tmp_path):
    root = copy_of_shipped(tmp_path)
    (root / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text("utf-8"), "utf-8")
    return root


def found(root, rule, day=DAY):
    return [(f.path, f.message) for f in check(root, day) if f.rule == rule]


def row(root, key, year=2025, day=DAY):
    board = dashboard(load_repository(root, day))
    return next(o for o in board.obligations if o.key == key and o.year == year)


def drop(root, path, start, end):
    """Delete the lines of `path` from the one starting with `start` up to (not
    including) the next one starting with `end`."""
    file = root / path
    lines = file.read_text("utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i in range(first + 1, len(lines)) if lines[i].startswith(end))
    file.write_text("".join(lines[:first] + lines[last:]), "utf-8")


def test_the_shipped_data_has_none_of_these_findings():
    for day in (DAY, dt.date(2026, 12, 1), dt.date(2027, 3, 1)):
        assert [(f.rule, f.message) for f in check(ROOT, day) if f.rule in RULES] == []


# -- §4.3, §4.4: exchanges, training, exhibitions and visits ---------------------------


def test_SM504_a_year_without_activities(shipped):
    for name in ("cross-border-ecommerce-exchange-2025", "digital-finance-training-2025"):
        (shipped / f"data/activities/{name}.yml").unlink()
    assert found(shipped, "SM504") == [
        (
            "data/reference/tor.yml",
            "no exchange, training, exhibition or visit among members is recorded for 2025",
        )
    ]
    assert row(shipped, "member-activities").state == "overdue"


# -- §5.1: membership grows ------------------------------------------------------------


def test_SM505_membership_falls(shipped):
    for name in ("kauri-small-business-network", "maple-trade-sme-centre", "pacific-pyme-chamber"):
        edit(
            shipped,
            f"data/members/{name}.yml",
            "head:",
            "status: withdrawn\nwithdrawn: 2025-06-30\nhead:",
        )
    assert found(shipped, "SM505") == [
        ("data/reference/tor.yml", "membership fell in 2025, from 24 to 21 member institutions")
    ]


def test_SM505_the_term_must_end_above_its_base(shipped):
    # After the term, with no member joined after 2024 (the shipped data's two left out):
    for name in ("lanna-women-entrepreneurs-network", "highlands-sme-enterprise-centre"):
        (shipped / f"data/members/{name}.yml").unlink()
    messages = [m for _, m in found(shipped, "SM505", dt.date(2029, 2, 1))]
    assert messages[-1] == (
        "the term ends with 23 member institutions, not more than the 24 it began with"
    )


# -- §4.5, §5.3: the annual plenary of all members -------------------------------------


def test_SM501_a_one_attendee_plenary_does_not_count(shipped):
    drop(shipped, PLENARY, "  - yongjiang-sme-service-centre", "guests:")
    assert found(shipped, "SM501") == [
        (
            "data/reference/tor.yml",
            "no annual plenary is recorded for 2025; plenary-2025 was attended by 1 of 25 "
            "member institutions",
        )
    ]


def test_SM501_a_draft_plenary_does_not_count(shipped):
    edit(shipped, PLENARY, "status: published", "status: draft")
    assert found(shipped, "SM501") == [
        ("data/reference/tor.yml", "no annual plenary is recorded for 2025")
    ]


# -- §6: the Presidium elects, and appoints advisors -----------------------------------


def test_SM606_a_presidium_elected_at_an_smewg_session(shipped):
    edit(shipped, PRESIDIUM, "elected_at: plenary-2025", "elected_at: smewg61")
    assert [m for _, m in found(shipped, "SM606")] == [
        "meeting 'smewg61' is an SMEWG session: the alliance's members elect the Presidium "
        "at their own plenary or Presidium meeting"
    ]


def test_SM607_a_plenary_decision_of_the_members_is_not_the_presidiums(shipped):
    edit(shipped, PLENARY, "    by: presidium\n", "")
    assert [m for _, m in found(shipped, "SM607")] == [
        "meeting 'plenary-2025' records no Presidium decision appointing advisors: its "
        "appointment is the members' (by: presidium is not set)"
    ] * 2


def test_SM614_a_rule_revision_recorded_at_an_smewg_session(shipped):
    edit(
        shipped,
        "data/meetings/smewg61.yml",
        "smewg_session: SMEWG61\n",
        "smewg_session: SMEWG61\ndecisions:\n  - kind: rule-revision\n    text:\n"
        "      en: The alliance's rules were revised.\n",
    )
    assert [m for _, m in found(shipped, "SM614")] == [
        "a decision of kind 'rule-revision' is the alliance's, not the SMEWG's: it is taken "
        "at a plenary or Presidium meeting"
    ]


# -- §6: every alliance-branded output has the SMEWG's approval first -----------------


def test_SM603_a_published_paper_needs_the_smewgs_approval(shipped):
    edit(
        shipped, PAPER, "approval:\n  smewg:\n    date: 2025-10-21\n    ref: 2025/SMEWG61/013\n", ""
    )
    assert found(shipped, "SM603") == [
        (PAPER, "a published recommendation paper needs a prior SMEWG approval")
    ]


def test_SM603_a_paper_is_approved_before_it_is_published(shipped):
    edit(shipped, PAPER, "published: 2025-10-21", "published: 2025-10-20")
    assert found(shipped, "SM603") == [
        (PAPER, "SMEWG approval (2025-10-21) must come on or before published (2025-10-20)")
    ]


def test_SM603_a_published_paper_is_dated(shipped):
    edit(shipped, PAPER, "published: 2025-10-21\n", "")
    assert [f for f in found(shipped, "SM611") if f[0] == PAPER] == [
        (PAPER, "a published proposal needs its published date")
    ]


def test_SM603_a_branded_plenary_needs_the_smewgs_approval(shipped):
    edit(
        shipped,
        PLENARY,
        "approval:\n  smewg:\n    date: 2025-05-13\n    ref: 2025/SMEWG60/019\n",
        "",
    )
    assert found(shipped, "SM603") == [
        (PLENARY, "a published plenary needs a prior SMEWG approval")
    ]
    awaiting = dashboard(load_repository(shipped, DAY)).awaiting
    assert [(a.id, a.forum) for a in awaiting if a.kind == "meeting"] == [("plenary-2025", "SMEWG")]


def test_SM603_a_plenary_is_approved_before_it_is_held(shipped):
    edit(
        shipped,
        PLENARY,
        "    date: 2025-05-13\n    ref: 2025/SMEWG60/019",
        "    date: 2025-10-20\n    ref: 2025/SMEWG61/019",
    )
    assert found(shipped, "SM603") == [
        (PLENARY, "SMEWG approval (2025-10-20) must come on or before date (2025-09-16)")
    ]


def test_SM603_a_past_activity_still_submitted_without_approval(shipped):
    edit(shipped, EXCHANGE, "status: published", "status: submitted")
    edit(
        shipped,
        EXCHANGE,
        "approval:\n  smewg:\n    date: 2025-10-20\n    ref: 2025/SMEWG61/012\n",
        "",
    )
    assert found(shipped, "SM603") == [
        (
            EXCHANGE,
            "this activity began on 2025-11-18 while still submitted: it needed the SMEWG's "
            "approval before it took place",
        )
    ]
    # before its first day it is a record awaiting the SMEWG's decision, which is lawful
    assert found(shipped, "SM603", dt.date(2025, 11, 17)) == []


def test_SM603_smewg_sessions_and_presidium_meetings_are_set_apart(shipped):
    # The shipped SMEWG sessions and the Presidium meeting carry no approval, and pass;
    # the rule page says why.
    for name in ("smewg60", "smewg61", "smewg62", "presidium-2025-06"):
        assert "approval:" not in (shipped / f"data/meetings/{name}.yml").read_text("utf-8")
    assert found(shipped, "SM603") == []
    page = " ".join(BY_ID["SM603"].description.split())
    assert "Set apart, as our reading: an SMEWG session is the SMEWG's own meeting" in page
    assert "a Presidium meeting is the operating mechanism the ToR itself sets up" in page
    # a plenary turned into a Presidium meeting loses its need of approval, not more
    edit(
        shipped,
        PLENARY,
        "approval:\n  smewg:\n    date: 2025-05-13\n    ref: 2025/SMEWG60/019\n",
        "",
    )
    edit(shipped, PLENARY, "type: plenary", "type: presidium")
    assert found(shipped, "SM603") == []


def test_SM621_an_approval_is_tied_to_the_session_that_gave_it(shipped):
    case = "data/cases/2025/yongjiang-sme-financing-fast-track.yml"
    edit(
        shipped,
        case,
        "    date: 2025-05-13\n    ref: 2025/SMEWG60/011",
        "    date: 2025-04-30\n    ref: 2025/SMEWG60/011",
    )
    assert found(shipped, "SM621") == [
        (case, "approval.smewg.date is 2025-04-30, before SMEWG60 opened on 2025-05-13")
    ]


# -- §6.2: the Presidium discusses the recommendation paper -----------------------------

PAPER_2026 = "data/proposals/recommendations-2026.yml"


def test_SM615_a_paper_no_meeting_discussed(shipped):
    edit(shipped, PAPER, "meeting: presidium-2025-06\n", "")
    assert found(shipped, "SM615") == [
        (PAPER, "the paper names no meeting of the Presidium that discussed it (ToR §6.2)")
    ]


def test_SM615_a_draft_paper_and_an_unknown_meeting_are_left_to_others(shipped):
    # a draft has not gone anywhere yet; an unknown meeting is SM103's finding
    edit(shipped, PAPER, "status: published", "status: draft")
    edit(shipped, PAPER, "meeting: presidium-2025-06\n", "")
    edit(shipped, PAPER_2026, "meeting: plenary-2026", "meeting: plenary-2062")
    assert found(shipped, "SM615", dt.date(2026, 12, 1)) == []
    assert [p for p, _ in found(shipped, "SM103", dt.date(2026, 12, 1))] == [PAPER_2026]


def test_SM615_an_smewg_session_does_not_discuss_it_for_the_presidium(shipped):
    edit(shipped, PAPER, "meeting: presidium-2025-06", "meeting: smewg60")
    assert found(shipped, "SM615") == [
        (
            PAPER,
            "smewg60 is an SMEWG session: the Presidium discusses the paper at its own meeting "
            "or the plenary",
        )
    ]


def test_SM615_the_discussion_comes_first_and_is_in_the_minutes(shipped):
    # the 2026 paper was endorsed at the 2026 plenary, before it was submitted
    edit(shipped, PAPER_2026, "submitted: 2026-10-09", "submitted: 2026-09-01")
    edit(shipped, "data/meetings/plenary-2026.yml", "kind: proposal-endorsement", "kind: other")
    assert found(shipped, "SM615", dt.date(2026, 12, 1)) == [
        (
            PAPER_2026,
            "plenary-2026 was held on 2026-09-22, after the paper was submitted on 2026-09-01",
        ),
        (
            PAPER_2026,
            "the minutes of plenary-2026 record no discussion of the paper (a decision of kind "
            "proposal-endorsement)",
        ),
    ]


# -- Guidelines for Managing Cooperation with Non-Members: approval first --------------


def test_SM610_a_guest_approved_after_the_meeting(shipped):
    edit(
        shipped,
        PLENARY,
        "      date: 2025-05-13\n      ref: 2025/SMEWG60/017",
        "      date: 2025-11-30\n      ref: 2025/SMEWG60/017",
    )
    assert [m for _, m in found(shipped, "SM610")] == [
        "guest 'Asia-Pacific SME Finance Observatory' was approved on 2025-11-30, after "
        "taking part (date 2025-09-16)"
    ]


# -- §6: no website without SMEWG and SCE approval -------------------------------------


def test_SM613_the_sites_own_record_deleted(shipped):
    (shipped / WEBSITE).unlink()
    assert [m for _, m in found(shipped, "SM613")] == [
        "no body in data/bodies/ records the website this repository publishes "
        "(https://apec-smesa.github.io/): ToR §6 allows none without SMEWG and SCE approval"
    ]


def test_SM613_the_sites_own_record_set_to_draft(shipped):
    edit(shipped, WEBSITE, "status: published", "status: draft")
    assert [p for p, _ in found(shipped, "SM613")] == [WEBSITE]


def test_SM613_the_sites_own_record_at_another_address(shipped):
    edit(shipped, WEBSITE, "url: https://apec-smesa.github.io/", "url: https://smesa.example")
    assert [m for _, m in found(shipped, "SM613")] == [
        "the website's url (https://smesa.example) is not the address this repository "
        "publishes the site at (https://apec-smesa.github.io/, mkdocs.yml site_url)"
    ]


# -- SM104: a convention of ours, said on its page -------------------------------------


def test_SM104_says_its_convention_is_ours():
    page = BY_ID["SM104"].description
    assert re.search(r"our convention, not the\s+ToR's", page)
    assert "January 2026 is a 2026 case" in " ".join(page.split())
