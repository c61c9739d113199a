"""The annual report (issue 5): figures counted again here from the YAML, the PDF read back,
and the `smesa report` / `smesa status` commands run as a real process."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pypdf
import pytest
import yaml
from conftest import ROOT, TODAY
from test_cli import smesa

from smesa.data.repository import load_repository
from smesa.report.annual import ReportError, annual_report, report_markdown, status_markdown
from smesa.report.outputs import FIGURE_COLUMNS, write_report
from smesa.tor.obligations import dashboard

YEAR = 2025


def records(folder: str) -> list[dict]:
    return [
        yaml.safe_load(path.read_text("utf-8"))
        for path in sorted((ROOT / "data" / folder).rglob("*.yml"))
    ]


def squeeze(extracted: str) -> str:
    return "".join(extracted.replace("\x00", "").split())


def active(member: dict, day: dt.date) -> bool:
    left = member.get("withdrawn")
    return member["joined"] <= day and (left is None or left > day)


@pytest.fixture(scope="module")
def sample_repo():
    return load_repository(ROOT, TODAY)


@pytest.fixture(scope="module")
def written(sample_repo, tmp_path_factory) -> tuple[object, Path]:
    report = annual_report(sample_repo, YEAR)
    out = tmp_path_factory.mktemp("report")
    write_report(report, out)
    return report, out


# The shipped 2025 report was approved at SMEWG61 on 21 October 2025: it is as of then.
APPROVED = dt.date(2025, 10, 21)


def test_figures_match_an_independent_count(sample_repo):
    report = annual_report(sample_repo, YEAR)
    assert report.as_of == APPROVED and report.approved
    members = records("members")
    start, end = dt.date(YEAR - 1, 12, 31), APPROVED
    assert report.members_start == sum(active(m, start) for m in members)
    assert report.members_end == sum(active(m, end) for m in members)
    assert report.growth == report.members_end - report.members_start
    assert [m.id for m in report.new_members] == [
        m["id"] for m in members if m["joined"].year == YEAR and m["joined"] <= end
    ]
    assert [m.id for m in report.withdrawals] == [
        m["id"]
        for m in members
        if m.get("withdrawn") and m["withdrawn"].year == YEAR and m["withdrawn"] <= end
    ]
    assert dict(report.members_by_economy) == Counter(
        m["economy"] for m in members if active(m, end)
    )
    economy_of = {m["id"]: m["economy"] for m in members}
    cases = [
        c
        for c in records("cases")
        if c["year"] == YEAR and c["status"] == "published" and c["published"] <= end
    ]
    assert sorted(c.id for c in report.cases) == sorted(c["id"] for c in cases)
    assert dict(report.cases_by_economy) == Counter(economy_of[c["member"]] for c in cases)
    topics = Counter(t for c in cases for t in set(c["topics"]))
    assert {k: v for k, v in report.cases_by_topic if v} == topics
    meetings = [m for m in records("meetings") if m["date"].year == YEAR and m["date"] <= end]
    assert sorted(m.id for m in report.meetings) == sorted(m["id"] for m in meetings)
    activities = [a for a in records("activities") if a["date"].year == YEAR and a["date"] <= end]
    assert sorted(a.id for a in report.activities) == sorted(a["id"] for a in activities)
    assert report.proposal is not None and report.proposal.id == f"recommendations-{YEAR}"
    event = {"cases": "published", "activities": "date", "reports": "submitted"}
    event |= {"bodies": "established", "meetings": "date", "proposals": "submitted"}
    smewg = [
        r["approval"]["smewg"]["ref"]
        for folder, when in event.items()
        for r in records(folder)
        if r.get("approval", {}).get("smewg")
        and r["status"] == "published"
        and r[when] <= end
        and r["approval"]["smewg"]["date"].year == YEAR
    ]
    assert sorted(a.ref for a in report.approvals if a.forum == "SMEWG") == sorted(smewg)
    assert [(c.key, c.state) for c in report.compliance] == [
        ("annual-plenary", "met"),
        ("case-collection", "met"),
        ("member-activities", "met"),
        ("recommendation-paper", "met"),
        ("annual-report", "met"),
        ("presidium-in-office", "met"),
    ]


def test_csv_is_tidy_and_matches_the_report(written):
    report, out = written
    with (out / f"annual-report-{YEAR}-figures.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == FIGURE_COLUMNS
    value = {(r["section"], r["measure"], r["key"]): r["value"] for r in rows}
    assert value["membership", "members_at_end", ""] == str(report.members_end)
    assert value["cases", "published_cases", ""] == str(len(report.cases))
    assert value["cases_by_economy", "published_cases", "VN"] == "1"
    assert value["compliance", "met", "annual-report"] == "1"
    assert {r["year"] for r in rows} == {str(YEAR)}


def test_pdf_opens_with_its_pages_and_both_languages(written):
    _report, out = written
    reader = pypdf.PdfReader(out / f"annual-report-{YEAR}.pdf")
    # cover, imprint, contents, 8 pages of sections and charts, none holding only a footer
    assert len(reader.pages) == 11
    footer = "APEC SME Service Alliance Annual Report 2025"
    bodies = [page.extract_text().replace(footer, "").split() for page in reader.pages]
    assert [number for number, words in enumerate(bodies, 1) if len(words) <= 1] == []
    assert reader.metadata.title == "APEC SME Service Alliance Annual Report 2025"
    outline = [item.title for item in reader.outline]
    assert outline[:3] == ["About this publication", "Acronyms", "1. The year in review"]
    assert outline[-1] == "10. Charts"
    cover = reader.pages[0].extract_text()
    # pypdf separates the CJK glyphs of the embedded CFF font (a space or a NUL between
    # characters; viewers show them right): compare the Chinese without them
    assert "Publication number: APEC#225-SM-01.1" in cover
    assert "Approved by the SMEWG on 21 October 2025 (2025/SMEWG61/014)" in cover
    assert "December 2025" in cover  # the month of publication
    assert "亚太经合组织中小企业服务联盟2025年度报告" in squeeze(cover)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Compliance with the Terms of Reference" in text
    assert "职权范围履行情况" in squeeze(text)


def test_pages_in_english_and_chinese(written, sample_repo):
    _report, out = written
    en = (out / f"annual-report-{YEAR}.en.md").read_text("utf-8")
    zh = (out / f"annual-report-{YEAR}.zh.md").read_text("utf-8")
    assert en.startswith("# APEC SME Service Alliance Annual Report 2025\n")
    assert "| Viet Nam | 1 |" in en
    assert "![" in en and "(charts/membership-growth.en.svg)" in en
    assert zh.startswith("# 亚太经合组织中小企业服务联盟2025年度报告\n")
    assert "## 职权范围履行情况" in zh and "| 越南 | 1 |" in zh
    assert (out / "charts" / "economy-coverage.zh.svg").is_file()
    html = (out / f"annual-report-{YEAR}.zh.html").read_text("utf-8")
    assert '<html lang="zh-Hans">' in html and "<table>" in html and "http" not in html
    board = status_markdown(sample_repo, dashboard(sample_repo), "en")
    assert "## Overdue\n\nNone recorded." in board
    assert "| Met: recommendations-2025 on 2025-10-06 |" in board
    board_zh = status_markdown(sample_repo, dashboard(sample_repo), "zh")
    assert "| 已完成：recommendations-2025（2025年10月6日） |" in board_zh
    due = "截止日期：2026年12月31日，具体日期尚未记录；尚未向中小企业工作组提交年度报告"
    assert f"| 2026年12月31日（日期尚未记录） | {due} |" in board_zh
    for english in ("Met:", "Due by", "Not met", " on 20"):
        assert english not in board_zh


def test_a_year_with_missing_obligations_says_so(make_repo):
    root = make_repo(
        changes={
            "data/meetings/plenary-2025.yml": None,
            "data/reports/annual-report-2025.yml": None,
            "data/presidium/presidium-2025-2028.yml": None,
        }
    )
    report = annual_report(load_repository(root, TODAY), 2025)
    assert not report.approved and report.as_of == dt.date(2025, 12, 31)
    # The dashboard's sentences (CSV), then the report's: titles and dates, no ids.
    # The fixture's paper is submitted (not public) and went to SMEWG61: it is met.
    assert [c.statement for c in report.missed] == [
        "Not met: no annual plenary recorded (due 2025-12-31)",
        "Not met: no annual report submitted to the SMEWG (due 2025-08-20)",
        "Not met: no Presidium in office on 2025-12-31",
    ]
    assert [c.detail_in("en") for c in report.missed] == [
        "no annual plenary recorded (due 31 December 2025)",
        "no annual report submitted to the SMEWG (due 20 August 2025)",
        "no Presidium was in office on 31 December 2025",
    ]
    assert [c.detail_in("zh") for c in report.missed] == [
        "尚无年度全体成员会议记录（截止日期：2025年12月31日）",
        "尚未向中小企业工作组提交年度报告（截止日期：2025年8月20日）",
        "2025年12月31日无在任主席团",
    ]
    page = report_markdown(report, "en", chart_dir=None)
    assert "**Obligations not met this year:**" in page
    assert "- Annual plenary of all members (§4.5, §5.3): no annual plenary recorded" in page
    assert "> **Draft: not yet approved by the SMEWG." in page
    zh = report_markdown(report, "zh", chart_dir=None)
    assert "尚无年度全体成员会议记录" in zh and "Not met" not in zh


def test_the_current_year_is_not_yet_due(make_repo):
    report = annual_report(load_repository(make_repo(), TODAY), 2026)
    assert report.as_of == TODAY and not report.complete
    states = {c.key: c.state for c in report.compliance}
    assert states["annual-plenary"] == "due"
    assert report.missed == []


@pytest.mark.parametrize("year", [2024, 2027, 2029])
def test_no_report_outside_the_begun_term(make_repo, year):
    with pytest.raises(ReportError, match=f"no report for {year}"):
        annual_report(load_repository(make_repo(), TODAY), year)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "2031", "--today", "2026-11-26"), "no report for 2031"),
        (("report", "twenty"), "invalid int value"),
        (("report", "2025", "--today", "soon"), "not a YYYY-MM-DD date"),
        (("status", "--format", "yaml"), "invalid choice"),
    ],
)
def test_cli_usage_errors(make_repo, args, message):
    result = smesa(*args, cwd=make_repo())
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_needs_a_data_folder(tmp_path):
    for args in (("report", "2025"), ("status",)):
        result = smesa(*args, cwd=tmp_path)
        assert (result.returncode, "Traceback" in result.stderr) == (2, False)
        assert "no data/ folder" in result.stderr


def test_cli_status_json(make_repo):
    result = smesa("status", "--today", "2026-11-26", "--format", "json", cwd=make_repo())
    assert result.returncode == 0, result.stderr
    assert '"overdue": []' in result.stdout


def test_pages_plug_into_the_site_generator(sample_repo):
    from functools import partial

    from smesa.report.annual import report_page_body, status_page_body
    from smesa.site.generate import PageSpec, render
    from smesa.site.view import SiteView

    view = SiteView(sample_repo)
    status = PageSpec(
        "reports/status.md",
        "reporting-embed.md.j2",
        lambda ctx: "Governance status",
        lambda ctx: "What is due",
        values={"content": status_page_body},
    )
    page = render(status, view, "zh")
    assert page.startswith("---\n") and "## 待办" in page and "| 选举新一届主席团 | §6 |" in page
    report = PageSpec(
        "reports/annual-2025.md",
        "reporting-embed.md.j2",
        lambda ctx: "Annual report 2025",
        lambda ctx: "Figures",
        values={"content": partial(report_page_body, year=2025)},
    )
    assert "| Viet Nam | 1 |" in render(report, view, "en")
