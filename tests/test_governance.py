"""The governance dashboard for fixed dates: exactly these items are due and overdue."""

from __future__ import annotations

import copy
import datetime as dt

from conftest import ROOT, baseline, smewg_session

from smesa.data.repository import load_repository
from smesa.tor.obligations import dashboard, format_text


def items(obligations):
    return [(o.key, o.year, str(o.due)) for o in obligations]


def test_sample_data_on_the_fixed_date():
    board = dashboard(load_repository(ROOT, dt.date(2026, 11, 26)))
    assert items(board.overdue) == []
    assert items(board.due) == [
        ("annual-report", 2026, "2026-12-31"),
        ("presidium-election", None, "2028-09-15"),
        ("smewg-review", None, "2028-12-31"),
        ("sce-review", None, "2028-12-31"),
    ]
    assert not board.due[0].due_recorded
    assert [(a.kind, a.id, a.forum) for a in board.awaiting] == [
        ("case", "xiling-design-to-factory-matching", "SMEWG"),
        ("proposal", "recommendations-2026", "SMEWG"),
    ]
    assert "(date not yet recorded)" in format_text(board)


def test_missing_records_are_overdue_and_the_second_smewg_sets_the_deadline(make_repo):
    records = baseline()
    del records["data/meetings/plenary-2025.yml"]
    records["data/meetings/smewg62.yml"] = smewg_session(dt.date(2026, 5, 12), "SMEWG62")
    records["data/meetings/smewg63.yml"] = smewg_session(dt.date(2026, 8, 18), "SMEWG63")
    submitted = copy.deepcopy(records["data/cases/2025/alpha-finance.yml"])
    submitted.update(id="alpha-later", status="submitted", approval=None, published=None)
    del submitted["approval"], submitted["published"]
    records["data/cases/2025/alpha-later.yml"] = submitted
    board = dashboard(load_repository(make_repo(records), dt.date(2026, 9, 1)))
    assert items(board.overdue) == [
        ("annual-plenary", 2025, "2025-12-31"),
        ("recommendation-paper", 2026, "2026-08-18"),
        ("annual-report", 2026, "2026-08-18"),
    ]
    assert items(board.due) == [
        ("annual-plenary", 2026, "2026-12-31"),
        ("case-collection", 2026, "2026-12-31"),
        ("member-activities", 2026, "2026-12-31"),
        ("presidium-election", None, "2028-09-15"),
        ("smewg-review", None, "2028-12-31"),
        ("sce-review", None, "2028-12-31"),
    ]
    assert [(a.id, a.status) for a in board.awaiting] == [
        ("alpha-later", "submitted"),
        ("recommendations-2025", "submitted"),
    ]


def test_no_presidium_makes_the_election_overdue(make_repo):
    root = make_repo(changes={"data/presidium/presidium-2025-2028.yml": None})
    board = dashboard(load_repository(root, dt.date(2026, 3, 1)))
    assert ("presidium-election", None, "2025-12-31") in items(board.overdue)
