"""The ToR parameters are a governed record (ToR §6 revisions, §7 reviews and extensions).

Each test is a mutation of the shipped data: the finding appears on the mutated copy and
not on the data as shipped (the first test asserts that once for all of them).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, check
from shipped import copy_of_shipped, edit

from smesa.check.findings import Severity
from smesa.data.repository import load_repository
from smesa.tor import parameters
from smesa.tor.obligations import dashboard

TOR = "data/reference/tor.yml"
TODAY = dt.date(2026, 12, 1)

REVISION = """revisions:
  - approval:
      date: 2026-05-12
      ref: {ref}
    summary:
      en: Presidium terms of four years.
    sets:
      presidium_term_years: 4
"""
SMEWG_REVIEW = "  - forum: SMEWG\n    date: 2028-08-17\n    ref: 2028/SMEWG67/009\n"
SCE_REVIEW = "  - forum: SCE\n    date: 2028-09-10\n    ref: 2028/SOM3/SCE/011\n"
EXTENSION = (
    "extensions:\n  - until: 2032-12-31\n    approval:\n      date: {date}\n      ref: {ref}\n"
)


@pytest.fixture
def shipped(tmp_path):
    return copy_of_shipped(tmp_path)


def found(root: Path, rule: str, day: dt.date = TODAY) -> list[tuple[str, str]]:
    return [(f.path, f.message) for f in check(root, day) if f.rule == rule]


@pytest.mark.parametrize("day", [TODAY, dt.date(2028, 6, 1)])
def test_the_shipped_data_passes_every_governance_rule(day):
    findings = check(ROOT, day)
    assert [f for f in findings if f.rule in ("SM704", "SM705", "SM706")] == []
    assert [f for f in findings if f.severity is Severity.ERROR] == []


# -- SM704: a parameter changed without a recorded revision ---------------------------


def test_SM704_presidium_term_years_changed_without_a_revision(shipped):
    edit(shipped, TOR, "presidium_term_years: 3", "presidium_term_years: 4")
    assert found(shipped, "SM704") == [
        (
            TOR,
            "presidium_term_years is 4, but the ToR sets 3 (§6: 任期为三年) and no recorded "
            "revision changes it",
        )
    ]
    # the rules still apply the length in force: the shipped Presidium stays lawful
    assert found(shipped, "SM605") == []


def test_SM704_a_recorded_revision_backs_the_change(shipped):
    edit(shipped, TOR, "presidium_term_years: 3", "presidium_term_years: 4")
    edit(shipped, TOR, "revisions: []\n", REVISION.format(ref="2026/SMEWG62/020"))
    assert found(shipped, "SM704") == []
    # a term that began before the revision keeps its three years
    assert found(shipped, "SM605") == []
    force = parameters.in_force(load_repository(shipped, TODAY).tor, TODAY)
    assert force.presidium_term_years == 4


def test_SM704_a_revision_with_a_malformed_reference_does_not_count(shipped):
    edit(shipped, TOR, "presidium_term_years: 3", "presidium_term_years: 4")
    edit(shipped, TOR, "revisions: []\n", REVISION.format(ref="approved at SMEWG62"))
    assert [m for _, m in found(shipped, "SM704")] == [
        "presidium_term_years is 4, but the ToR sets 3 (§6: 任期为三年) and no recorded "
        "revision changes it",
        "revision 1 does not count: 'approved at SMEWG62' is not an APEC document reference "
        "of the form YYYY/SMEWGNN/NNN",
    ]


def test_SM704_term_end_moves_only_by_an_extension(shipped):
    edit(shipped, TOR, "  end: 2028-12-31", "  end: 2030-12-31")
    assert [m for _, m in found(shipped, "SM704")] == [
        "term.end is 2030-12-31, but the ToR ends the term on 2028-12-31 (§7): the end moves "
        "only by an SCE extension recorded in extensions"
    ]
    # and the sunset warning does not go away with it
    assert [m for _, m in found(shipped, "SM702", dt.date(2028, 6, 1))] == [
        "the alliance's term ends on 2028-12-31, in 213 days: the SMEWG and then the SCE "
        "must review it before then"
    ]


def test_SM704_emptying_approval_required_does_not_switch_SM603_off(shipped):
    edit(
        shipped,
        TOR,
        "approval_required:\n  - cases\n  - activities\n  - meetings\n  - proposals\n"
        "  - reports\n  - bodies\n",
        "approval_required: []\n",
    )
    case = "data/cases/2025/yongjiang-sme-financing-fast-track.yml"
    text = (shipped / case).read_text("utf-8")
    start = text.index("approval:\n")
    end = text.index("\n", text.index("ref:", start)) + 1
    (shipped / case).write_text(text[:start] + text[end:], "utf-8")
    assert [m for _, m in found(shipped, "SM704")] == [
        "approval_required is (none), but the ToR sets activities, bodies, cases, meetings, "
        "proposals, reports "
        "(§6: 所有APEC联盟品牌产品、出版物、行动、项目提案与活动，均须事先获得中小企业工作组批准) "
        "and no recorded revision changes it"
    ]
    assert found(shipped, "SM603") == [(case, "a published case needs a prior SMEWG approval")]


def test_SM704_founded_is_history(shipped):
    edit(shipped, TOR, "founded: 2003", "founded: 2001")
    assert [m for _, m in found(shipped, "SM704")] == [
        "founded is 2001, but the ToR sets 2003 (§3: 2003年，来自APEC经济体的19家服务机构代表齐聚"
        "中国宁波……该联盟正式成立)"
    ]


# -- SM705: the SMEWG reviews, then the SCE --------------------------------------------


def test_SM705_the_sce_review_needs_the_smewg_review_first(shipped):
    edit(shipped, TOR, "reviews: []\n", "reviews:\n" + SCE_REVIEW)
    day = dt.date(2028, 10, 1)
    assert [m for _, m in found(shipped, "SM705", day)] == [
        "the SCE reviewed the term ending 2028-12-31 on 2028-09-10, but no SMEWG review of "
        "it is recorded before: the SMEWG reviews first (ToR §7)"
    ]
    in_order = shipped.parent / "in-order"
    shutil.copytree(shipped, in_order)
    edit(in_order, TOR, "reviews:\n", "reviews:\n" + SMEWG_REVIEW)
    assert found(in_order, "SM705", day) == []


def test_SM705_a_review_is_well_formed_and_within_the_term(shipped):
    review = "  - forum: SMEWG\n    date: 2029-02-01\n    ref: 2029/SCE1/001\n"
    edit(shipped, TOR, "reviews: []\n", "reviews:\n" + review)
    assert sorted(m for _, m in found(shipped, "SM705", dt.date(2029, 3, 1))) == [
        "the SMEWG review does not count: '2029/SCE1/001' is not a document of the SMEWG "
        "(of the form YYYY/SMEWGNN/NNN)",
        "the SMEWG review of 2029-02-01 is after the alliance's term expired on 2028-12-31",
    ]


def test_the_reviews_are_dashboard_rows_met_by_their_records_in_order(shipped):
    day = dt.date(2028, 10, 1)

    def rows(root):
        board = dashboard(load_repository(root, day))
        return [
            (o.key, o.state, str(o.due), o.met_by)
            for o in board.obligations
            if o.key.endswith("review")
        ]

    before = rows(shipped)
    assert [r[:2] for r in before] == [("smewg-review", "due"), ("sce-review", "due")]
    edit(shipped, TOR, "reviews: []\n", "reviews:\n" + SMEWG_REVIEW + SCE_REVIEW)
    assert rows(shipped) == [
        ("smewg-review", "met", "2028-12-31", "2028/SMEWG67/009"),
        ("sce-review", "met", "2028-12-31", "2028/SOM3/SCE/011"),
    ]


# -- SM706: an extension is the SCE's, before expiry -----------------------------------


def test_SM706_an_extension_after_expiry_with_a_malformed_reference(shipped):
    edit(shipped, TOR, "extensions: []\n", EXTENSION.format(date="2029-01-15", ref="SCE ok"))
    day = dt.date(2029, 2, 1)
    assert sorted(m for _, m in found(shipped, "SM706", day)) == [
        "the extension to 2032-12-31 does not count: 'SCE ok' is not an APEC document "
        "reference of the form YYYY/SOMN/SCE/NNN",
        "the extension to 2032-12-31 does not count: no SMEWG review of the term ending "
        "2028-12-31 is recorded before the SCE's decision (tor.yml reviews: the SMEWG "
        "reviews, then the SCE)",
        "the extension to 2032-12-31 does not count: the SCE decided it on 2029-01-15, after "
        "the term expired on 2028-12-31: the alliance ended then (ToR §7)",
    ]
    assert [m for _, m in found(shipped, "SM702", day)] == [
        "the alliance's term ended on 2028-12-31 (32 days ago)"
    ]


def test_SM706_a_lawful_extension_moves_the_end(shipped):
    edit(shipped, TOR, "reviews: []\n", "reviews:\n" + SMEWG_REVIEW + SCE_REVIEW)
    edit(
        shipped,
        TOR,
        "extensions: []\n",
        EXTENSION.format(date="2028-09-10", ref="2028/SOM3/SCE/011"),
    )
    day = dt.date(2029, 2, 1)
    assert found(shipped, "SM706", day) == []
    assert found(shipped, "SM702", day) == []
    assert parameters.in_force(load_repository(shipped, day).tor, day).term_end == dt.date(
        2032, 12, 31
    )
