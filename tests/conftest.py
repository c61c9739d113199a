"""Shared fixtures: small real repositories written to disk, checked by the real engine."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from smesa.check.engine import run_rules
from smesa.check.findings import Finding
from smesa.data.repository import load_repository

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 26)

APPROVAL = {"date": dt.date(2025, 5, 20), "ref": "2025/SMEWG60/011"}


def text(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def baseline() -> dict[str, dict[str, Any]]:
    """A minimal repository that meets every rule for 2025 (checked as of TODAY)."""
    member = {
        "id": "alpha",
        "sample": True,
        "name": text("Alpha SME Centre", "阿尔法中小企业中心"),
        "economy": "PRC",
        "type": "sme-service-centre",
        "joined": dt.date(2003, 11, 1),
        "founding_member": True,
        "head": {"name": text("Li Ming", "李明")},
    }
    beta = {
        **copy.deepcopy(member),
        "id": "beta",
        "name": text("Beta Business Network", "贝塔商业网络"),
        "economy": "CT",
        "joined": dt.date(2015, 4, 1),
        "founding_member": False,
        "head": {"name": text("Chen Hua", "陈华")},
    }
    return {
        "data/members/alpha.yml": member,
        "data/members/beta.yml": beta,
        "data/cases/2025/alpha-finance.yml": {
            "id": "alpha-finance",
            "sample": True,
            "year": 2025,
            "member": "alpha",
            "topics": ["access-to-finance"],
            "status": "published",
            "published": dt.date(2025, 6, 1),
            "approval": {"smewg": dict(APPROVAL)},
            "title": text("Faster loans for small firms", "为小企业提供更快贷款"),
            "summary": text("Loan approval cut from 21 to 6 days.", "贷款审批从21天缩短至6天。"),
            "body": text("## Service\n\nA one-stop loan desk.", "## 服务\n\n一站式贷款窗口。"),
        },
        "data/meetings/plenary-2025.yml": {
            "id": "plenary-2025",
            "sample": True,
            "status": "published",
            "type": "plenary",
            "title": text("Annual plenary 2025", "2025年度全体会议"),
            "date": dt.date(2025, 9, 16),
            "mode": "hybrid",
            "place": text("Ningbo, China", "中国宁波"),
            "approval": {"smewg": {"date": dt.date(2025, 5, 13), "ref": "2025/SMEWG60/019"}},
            "attendees": ["alpha", "beta"],
            "decisions": [
                {
                    "kind": "election",
                    "text": text("Presidium elected.", "选举产生主席团。"),
                    "presidium": "presidium-2025-2028",
                },
                {
                    "kind": "advisor-appointment",
                    "by": "presidium",
                    "text": text("Advisor appointed.", "聘请顾问。"),
                },
            ],
        },
        "data/presidium/presidium-2025-2028.yml": {
            "id": "presidium-2025-2028",
            "sample": True,
            "start": dt.date(2025, 9, 16),
            "end": dt.date(2028, 9, 15),
            "chair": "alpha",
            "vice_chairs": ["beta"],
            "members": ["alpha", "beta"],
            "elected_at": "plenary-2025",
            "advisors": [
                {
                    "name": text("Wang Fang", "王芳"),
                    "appointed_at": "plenary-2025",
                    "since": dt.date(2025, 9, 16),
                }
            ],
        },
        "data/proposals/recommendations-2025.yml": {
            "id": "recommendations-2025",
            "sample": True,
            "status": "submitted",
            "year": 2025,
            "title": text("Recommendations 2025", "2025年建议书"),
            "summary": text("Three issues.", "三个问题。"),
            "target_meeting": "SMEWG61",
            "meeting": "presidium-2025-06",
            "submitted": dt.date(2025, 8, 1),
            "issues": [
                {
                    "title": text("Receivables", "账款"),
                    "text": text("Late payment hurts SMEs.", "拖欠账款影响中小企业。"),
                    "economies": ["PRC"],
                    "topics": ["access-to-finance"],
                }
            ],
        },
        # The Presidium meeting that discussed the paper (SM615); a draft, like the
        # sessions below, so that no page, count or report of the baseline shows it.
        "data/meetings/presidium-2025-06.yml": {
            "id": "presidium-2025-06",
            "sample": True,
            "status": "draft",
            "type": "presidium",
            "title": text("Presidium meeting", "主席团会议"),
            "date": dt.date(2025, 6, 24),
            "mode": "online",
            "attendees": ["alpha"],
            "decisions": [
                {
                    "kind": "proposal-endorsement",
                    "text": text("Paper endorsed.", "通过建议书。"),
                }
            ],
        },
        # The SMEWG sessions whose documents approve the case and the report (SM621);
        # drafts, so that no page, count or report of the baseline shows them.
        "data/meetings/smewg60.yml": {
            **smewg_session(dt.date(2025, 5, 13), "SMEWG60"),
            "status": "draft",
        },
        "data/meetings/smewg61.yml": {
            **smewg_session(dt.date(2025, 8, 20), "SMEWG61"),
            "status": "draft",
        },
        # An exchange, training, exhibition or visit of the year (ToR §4.3-4.4, SM504).
        "data/activities/alpha-training-2025.yml": {
            "id": "alpha-training-2025",
            "sample": True,
            "status": "published",
            "type": "training",
            "title": text("Training on SME finance", "中小企业金融培训"),
            "summary": text("Two days for member staff.", "面向成员工作人员的两天培训。"),
            "date": dt.date(2025, 7, 8),
            "mode": "online",
            "organisers": ["alpha"],
            "approval": {"smewg": {"date": dt.date(2025, 5, 13), "ref": "2025/SMEWG60/016"}},
        },
        # The website the registry publishes, approved by the SMEWG and the SCE (ToR §6,
        # SM613): its url is the site_url of the fixtures' mkdocs.yml (test_cli).
        "data/bodies/smesa-website.yml": {
            "id": "smesa-website",
            "sample": True,
            "status": "published",
            "type": "website",
            "name": text("Alliance website", "联盟网站"),
            "description": text("Cases and reports.", "案例和报告。"),
            "established": dt.date(2025, 7, 1),
            "url": "https://smesa.example/",
            "approval": {
                "smewg": {"date": dt.date(2025, 5, 13), "ref": "2025/SMEWG60/018"},
                "sce": {"date": dt.date(2025, 5, 28), "ref": "2025/SOM2/SCE/009"},
            },
        },
        "data/reports/annual-report-2025.yml": {
            "id": "annual-report-2025",
            "sample": True,
            "status": "published",
            "year": 2025,
            "title": text("Annual report 2025", "2025年度报告"),
            "summary": text("The year in brief.", "年度概要。"),
            "body": text("## 2025\n\nWork done.", "## 2025年\n\n工作。"),
            "target_meeting": "SMEWG61",
            "submitted": dt.date(2025, 8, 20),
            "published": dt.date(2025, 10, 1),
            "approval": {"smewg": {"date": dt.date(2025, 8, 25), "ref": "2025/SMEWG61/004"}},
        },
    }


def smewg_session(day: dt.date, session: str) -> dict[str, Any]:
    """An SMEWG meeting record, e.g. smewg_session(date(2026, 5, 12), "SMEWG62")."""
    return {
        "id": session.lower(),
        "sample": True,
        "status": "published",
        "type": "smewg",
        "title": text(session, session),
        "date": day,
        "mode": "offline",
        "smewg_session": session,
    }


class RepoFactory:
    """Writes a repository to disk: the real reference data plus the given records."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.count = 0

    def __call__(
        self,
        records: dict[str, Any] | None = None,
        *,
        changes: dict[str, Any] | None = None,
        raw: dict[str, bytes | str] | None = None,
    ) -> Path:
        """`records` replaces the baseline; `changes` updates it (None deletes a file);
        `raw` writes files byte for byte."""
        self.count += 1
        root = self.base / f"repo{self.count}"
        shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
        files = baseline() if records is None else records
        for path, value in (changes or {}).items():
            if value is None:
                files.pop(path, None)
            else:
                files[path] = value
        for path, value in files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False), "utf-8")
        for path, content in (raw or {}).items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return root


@pytest.fixture
def make_repo(tmp_path: Path) -> RepoFactory:
    return RepoFactory(tmp_path)


def check(root: Path, today: dt.date = TODAY) -> list[Finding]:
    return run_rules(load_repository(root, today))


def smesa(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real `smesa` command, as a contributor or CI runs it."""
    return subprocess.run(
        [sys.executable, "-m", "smesa.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        input=stdin,
    )


def rules_hit(findings: list[Finding]) -> list[str]:
    return sorted({f.rule for f in findings})
