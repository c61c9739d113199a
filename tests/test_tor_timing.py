"""Timing against the record (ToR §4.2, §7): a recommendation paper or annual report is met
only when submitted to the session it is due at, the SMEWG's second plenary of the year,
and the dashboard says "met late" when it came after that session.

Each test mutates the shipped data; the shipped data meets both on time.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT, check
from shipped import copy_of_shipped, edit

from smesa.data.repository import load_repository
from smesa.tor.obligations import dashboard, format_text

PAPER = "data/proposals/recommendations-2025.yml"
REPORT = "data/reports/annual-report-2025.yml"
DAY = dt.date(2026, 3, 1)


@pytest.fixture
def shipped(tmp_path):
    return copy_of_shipped(tmp_path)


def row(root, key, year=2025, day=DAY):
    board = dashboard(load_repository(root, day))
    return next(o for o in board.obligations if o.key == key and o.year == year)


def warnings(root, rule):
    return [f.message for f in check(root, DAY) if f.rule == rule]


def test_the_shipped_paper_and_report_went_to_smewg61_on_time():
    paper, report = row(ROOT, "recommendation-paper"), row(ROOT, "annual-report")
    assert (paper.state, paper.late, paper.session, str(paper.due)) == (
        "met",
        False,
        "SMEWG61",
        "2025-10-21",
    )
    assert (report.state, report.late) == ("met", False)


def test_a_paper_submitted_after_its_session_is_met_late(shipped):
    edit(shipped, PAPER, "submitted: 2025-10-06", "submitted: 2025-10-25")
    paper = row(shipped, "recommendation-paper")
    assert (paper.state, paper.late) == ("met", True)
    assert paper.statement == (
        "Met late: recommendations-2025 on 2025-10-25, after SMEWG61 (2025-10-21)"
    )
    assert paper.statement_in("zh") == (
        "逾期完成：recommendations-2025（2025年10月25日），晚于SMEWG61（2025年10月21日）"
    )
    assert "Met late: recommendations-2025" in format_text(dashboard(load_repository(shipped, DAY)))
    assert warnings(shipped, "SM503") == []


def test_a_report_submitted_after_its_session_is_met_late(shipped):
    edit(shipped, REPORT, "submitted: 2025-10-21", "submitted: 2025-10-22")
    report = row(shipped, "annual-report")
    assert (report.state, report.late) == ("met", True)


def test_a_paper_for_the_first_plenary_does_not_meet_it(shipped):
    edit(shipped, PAPER, "target_meeting: SMEWG61", "target_meeting: SMEWG60")
    paper = row(shipped, "recommendation-paper")
    assert paper.state == "overdue"
    assert paper.statement == (
        "Not met: no recommendation paper submitted to the SMEWG (due 2025-10-21); "
        "recommendations-2025 went to SMEWG60, not this session"
    )
    assert warnings(shipped, "SM503") == [
        "no recommendation paper to the SMEWG is recorded for 2025; recommendations-2025 "
        "went to SMEWG60, not this session"
    ]


def test_a_report_for_another_years_session_does_not_meet_it(shipped):
    edit(shipped, REPORT, "target_meeting: SMEWG61", "target_meeting: SMEWG62")
    assert row(shipped, "annual-report").state == "overdue"
    assert warnings(shipped, "SM703") == [
        "no annual report to the SMEWG is recorded for 2025; annual-report-2025 went to "
        "SMEWG62, not this session"
    ]


def test_until_the_session_is_recorded_a_paper_naming_another_one_waits(shipped):
    # 2026: only SMEWG62 is recorded; the paper names SMEWG63, so it counts meanwhile
    late_2026 = dt.date(2026, 12, 1)
    paper = row(shipped, "recommendation-paper", 2026, late_2026)
    assert (paper.state, paper.due_recorded) == ("met", False)
    edit(
        shipped,
        "data/proposals/recommendations-2026.yml",
        "target_meeting: SMEWG63",
        "target_meeting: SMEWG62",
    )
    paper = row(shipped, "recommendation-paper", 2026, late_2026)
    assert paper.state == "due" and paper.off_target == (("recommendations-2026", "SMEWG62"),)
