"""A deliberately broken repository (tests/fixtures/broken/) and every finding it yields."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "broken"

EXPECTED = [
    "data/activities/expo-2029.yml:2:9: error SM603",
    "data/activities/expo-2029.yml:10:7: error SM701",
    "data/activities/expo-2029.yml:14:5: error SM610",
    "data/bodies/research-centre.yml:11:3: error SM604",
    "data/bodies/research-centre.yml:13:10: error SM621",
    "data/cases/2025/notes.yaml:1:1: error SM003",
    "data/cases/2025/unapproved-loans.yml:3:9: error SM103",
    "data/cases/2025/unapproved-loans.yml:4:29: error SM103",
    "data/cases/2025/unapproved-loans.yml:9:11: error SM603",
    "data/cases/2025/unapproved-loans.yml:10:10: error SM621",
    "data/cases/2025/unapproved-loans.yml:12:7: error SM602",
    "data/cases/2025/unapproved-loans.yml:16:23: warning SM901",
    "data/cases/2025/unapproved-loans.yml:17:15: warning SM901",
    "data/cases/2025/unapproved-loans.yml:18:8: warning SM902",
    "data/cases/2025/unapproved-loans.yml:20:3: error SM601",
    "data/cases/2026/misfiled.yml:2:7: error SM104",
    "data/cases/2026/unapproved-loans.yml:2:5: error SM102",
    "data/meetings/plenary-2025.yml:2:9: error SM603",
    "data/meetings/plenary-2025.yml:11:5: error SM610",
    "data/members/alpha.yml:6:10: error SM201",
    "data/members/alpha.yml:8:9: error SM609",
    "data/members/alpha.yml:9:18: error SM609",
    "data/members/alpha.yml:10:9: error SM609",
    "data/members/delta.yml:7:7: error SM002",
    "data/members/delta.yml:9:18: error SM002",
    "data/members/delta.yml:10:1: error SM608",
    "data/members/delta.yml:14:1: error SM001",
    "data/members/gamma.yml:2:5: error SM101",
    "data/notes/todo.yml:1:1: error SM003",
    "data/presidium/presidium-2025-2027.yml:3:6: error SM605",
    "data/presidium/presidium-2025-2027.yml:4:8: error SM606",
    "data/presidium/presidium-2025-2027.yml:7:13: error SM606",
    "data/presidium/presidium-2025-2027.yml:12:19: error SM607",
    "data/proposals/recommendations-2025.yml:14:17: error SM201",
    "data/reference/tor.yml:13:3: warning SM503",
    "data/reference/tor.yml:13:3: warning SM504",
    "data/reference/tor.yml:13:3: warning SM703",
    "data/reports/annual-report-2025.yml:5:1: error SM001",
]


def test_broken_fixture_reports_every_finding(tmp_path: Path):
    shutil.copytree(FIXTURE / "data", tmp_path / "data")
    shutil.copytree(ROOT / "data" / "reference", tmp_path / "data" / "reference")
    result = subprocess.run(
        [sys.executable, "-m", "smesa.cli", "check", "--today", "2026-11-26"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert result.stderr == ""
    assert [" ".join(line.split()[:3]) for line in lines[:-1]] == EXPECTED
    assert lines[-1] == "32 errors, 6 warnings in 19 files"
