"""The annual report as an APEC publication (issue 13), read as the Secretariat would send
it: the PDF's text and page images, the Markdown, HTML and CSV of the shipped 2025
report (approved: fixed on its approval day) and 2026 report (not approved: a draft).

The golden files in tests/golden/ are the approved 2025 report; a build on a later day,
with later records, must reproduce them byte for byte. After a deliberate change of the
report's layout or words, regenerate them: `SMESA_GOLDEN=write pytest
tests/test_report_publication.py -k golden`, and read the diff before committing it.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
import yaml
from conftest import ROOT

from smesa.data import models
from smesa.data.repository import load_repository
from smesa.report import charts
from smesa.report.annual import annual_report, chart_repo, report_markdown
from smesa.report.outputs import figures_csv, obligations_csv, write_report

DAY = dt.date(2026, 12, 1)
GOLDEN = Path(__file__).parent / "golden"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def squeeze(extracted: str) -> str:
    return "".join(extracted.replace("\x00", "").split())


@pytest.fixture(scope="module")
def repo():
    return load_repository(ROOT, DAY)


@pytest.fixture(scope="module")
def made(repo, tmp_path_factory):
    """Both reports written as `smesa report` writes them: (report, folder, PDF reader)."""
    out = {}
    for year in (2025, 2026):
        report = annual_report(repo, year)
        folder = tmp_path_factory.mktemp(f"report{year}")
        write_report(report, folder)
        reader = pypdf.PdfReader(folder / f"annual-report-{year}.pdf")
        out[year] = (report, folder, reader)
    return out


def pdf_text(reader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


# -- approved is fixed; not approved is a draft -----------------------------------------


def test_the_approved_report_is_as_of_its_approval_and_the_other_a_draft(made):
    approved, _, _ = made[2025]
    draft, _, _ = made[2026]
    assert (approved.approved, approved.as_of) == (True, dt.date(2025, 10, 21))
    # no case published after the approval is counted (two were, in November/December)
    assert all(c.published <= dt.date(2025, 10, 21) for c in approved.cases)
    assert (draft.approved, draft.as_of) == (False, DAY)


def test_draft_on_every_page_of_a_report_not_approved_only(made):
    for year, expected in ((2025, False), (2026, True)):
        _, folder, reader = made[year]
        pages = pdf_text(reader)
        assert [("DRAFT" in page) for page in pages] == [expected] * len(pages), year
        md = (folder / f"annual-report-{year}.en.md").read_text("utf-8")
        assert ("> **Draft: not yet approved by the SMEWG." in md) is expected
        html = (folder / f"annual-report-{year}.zh.html").read_text("utf-8")
        assert ('<body class="draft" data-mark="草稿">' in html) is expected
    cover = pdf_text(made[2026][2])[0]
    assert "Draft, December 2026" in cover
    assert "Approved by" not in cover


def _later_records(records: dict[str, dict]) -> None:
    """Records a later build has: a case published after the approval, a member who
    joined after it, a meeting after it, and the next year's work."""
    case = copy.deepcopy(records["data/cases/2025/chao-phraya-supplier-development.yml"])
    case.update(id="late-2025-case", published=dt.date(2025, 12, 20))
    records["data/cases/2025/late-2025-case.yml"] = case
    member = copy.deepcopy(records["data/members/lanna-women-entrepreneurs-network.yml"])
    member.update(id="late-member", joined=dt.date(2025, 11, 3))
    member.pop("admission", None)
    records["data/members/late-member.yml"] = member
    meeting = copy.deepcopy(records["data/meetings/presidium-2025-06.yml"])
    meeting.update(id="presidium-2025-12", date=dt.date(2025, 12, 2))
    records["data/meetings/presidium-2025-12.yml"] = meeting


def _shipped_records() -> dict[str, dict]:
    return {
        path.relative_to(ROOT).as_posix(): yaml.safe_load(path.read_text("utf-8"))
        for path in sorted((ROOT / "data").rglob("*.yml"))
        if "/reference/" not in path.as_posix()
    }


def _outputs(report) -> dict[str, str]:
    return {
        "annual-report-2025.en.md": report_markdown(report, "en"),
        "annual-report-2025.zh.md": report_markdown(report, "zh"),
        "annual-report-2025-figures.csv": figures_csv(report),
        "annual-report-2025-obligations.csv": obligations_csv(report),
    }


def test_golden_snapshot_of_the_approved_report(made):
    outputs = _outputs(made[2025][0])
    if os.environ.get("SMESA_GOLDEN") == "write":
        GOLDEN.mkdir(exist_ok=True)
        for name, text in outputs.items():
            (GOLDEN / name).write_bytes(text.encode("utf-8"))
    for name, text in outputs.items():
        assert text.encode("utf-8") == (GOLDEN / name).read_bytes(), name


def test_a_later_build_with_later_records_reproduces_the_approved_report(make_repo):
    records = _shipped_records()
    _later_records(records)
    root = make_repo(records)
    shutil.copy(ROOT / "data/reference/tor.yml", root / "data/reference/tor.yml")
    for day in (DAY, dt.date(2027, 6, 30)):
        later = annual_report(load_repository(root, day), 2025)
        for name, text in _outputs(later).items():
            assert text.encode("utf-8") == (GOLDEN / name).read_bytes(), (day, name)


# -- an APEC publication ----------------------------------------------------------------


def test_the_imprint_disclaimer_acronyms_and_narrative_are_in_the_pdf(made):
    _, _, reader = made[2025]
    pages = pdf_text(reader)
    imprint = " ".join(pages[1].split())
    assert "for the Asia-Pacific Economic Cooperation Secretariat, 35 Heng Mui Keng" in imprint
    assert "Singapore 119616, www.apec.org" in imprint
    assert "© 2025 APEC Secretariat" in imprint
    assert "Creative Commons Attribution-NonCommercial-ShareAlike 3.0 Singapore" in imprint
    assert "do not necessarily represent those of APEC member economies" in imprint
    text = " ".join(" ".join(pages).split())
    assert "Acronyms" in text and "SOM Steering Committee on Economic and Technical" in text
    assert "Outlook for 2026" in text  # the report record's own narrative


def test_tables_and_figures_are_numbered_with_their_sources(made):
    for year in (2025, 2026):
        _, folder, _ = made[year]
        md = (folder / f"annual-report-{year}.en.md").read_text("utf-8")
        tables = [int(n) for n in re.findall(r"^\*\*Table (\d+)\. ", md, re.MULTILINE)]
        figures = [int(n) for n in re.findall(r"^\*\*Figure (\d+)\. ", md, re.MULTILINE)]
        assert tables == list(range(1, len(tables) + 1)) and len(tables) >= 10
        assert figures == [1, 2, 3]
        assert md.count("*Source: APEC SMESA registry") == len(tables) + len(figures)
        zh = (folder / f"annual-report-{year}.zh.md").read_text("utf-8")
        assert "**表1 " in zh and "*资料来源：" in zh


def test_no_record_id_iso_date_or_workflow_status_in_the_publication(made, repo):
    ids = sorted(e.id for e in repo.entries if "-" in e.id)
    for year in (2025, 2026):
        _, folder, reader = made[year]
        text = "\n".join(pdf_text(reader))
        flat = " ".join(text.split())
        assert [i for i in ids if i in flat] == [], year
        assert ISO_DATE.findall(flat) == [], year
        assert "Status:" not in flat
        md = (folder / f"annual-report-{year}.en.md").read_text("utf-8")
        assert [i for i in ids if re.search(rf"(?<![\w/-]){re.escape(i)}(?![\w-])", md)] == []
        # a bullet is a bullet, not a typed "- "
        assert [line for line in text.splitlines() if line.startswith("- ")] == []


def test_only_published_records_are_printed(made, repo):
    paper = repo.index(models.Proposal)["recommendations-2026"].record
    case = repo.index(models.Case)["xiling-design-to-factory-matching"].record
    assert (paper.status, case.status) == ("submitted", "submitted")
    secrets = [paper.title.en, paper.title.zh, case.title.en, case.title.zh]
    secrets += [issue.text.en.strip().splitlines()[0] for issue in paper.issues]
    _, folder, reader = made[2026]
    texts = {
        p.name: p.read_text("utf-8") for p in folder.iterdir() if p.suffix != ".pdf" and p.is_file()
    }
    texts["pdf"] = squeeze("".join(pdf_text(reader)))
    for name, content in texts.items():
        for secret in secrets:
            assert squeeze(secret) not in squeeze(content), (name, secret)
    # the submitted paper still meets its obligation, named by its kind only
    md = texts["annual-report-2026.en.md"]
    assert "| Met | Recommendation paper (not yet published), submitted on 9 October 2026" in md


def test_the_labels_say_what_they_count(made):
    _, folder, _ = made[2025]
    md = (folder / "annual-report-2025.en.md").read_text("utf-8")
    assert "| Meetings of the alliance held (plenary, Presidium) | 2 |" in md
    assert "| SMEWG sessions attended | 2 |" in md
    assert "| Member institutions on 21 October 2025 | 24 |" in md
    # a non-member's approval names the participant and what it took part in
    assert "Participation of Asia-Pacific SME Finance Observatory in Activity: Training" in md
    # an SMEWG session says what the alliance obtained there, never an empty heading
    session = md[md.index("### 60th APEC SMEWG Meeting") :]
    assert session.split("\n\n")[2] == (
        "Approvals obtained at this session: 10, listed among the year&#39;s approvals."
    )
    # sponsors are not partners
    draft_md = (made[2026][1] / "annual-report-2026.en.md").read_text("utf-8")
    assert "| Partners | Sponsors |" in draft_md
    assert "|  | Meridian Pacific Freight Co. |" in draft_md


def test_the_charts_count_what_the_tables_beside_them_count(made):
    for year in (2025, 2026):
        report, _, _ = made[year]
        coverage = charts.chart_data(chart_repo(report, "economy-coverage"), "economy-coverage")
        assert coverage == report.coverage, year
        growth = charts.chart_data(chart_repo(report, "membership-growth"), "membership-growth")
        assert growth[0] == ("2003", 19)  # ToR §3: nineteen institutions founded it
        assert growth[-1] == (str(year), report.members_end)


# -- the pages as images -----------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_every_page_as_an_image(made, tmp_path):
    from PIL import Image

    for year in (2025, 2026):
        _, folder, reader = made[year]
        prefix = tmp_path / f"p{year}"
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", str(folder / f"annual-report-{year}.pdf"), prefix],
            check=True,
        )
        images = sorted(tmp_path.glob(f"p{year}-*.png"))
        assert len(images) == len(reader.pages)
        for path in images:
            image = Image.open(path).convert("RGB")
            colours = image.getcolors(maxcolors=1 << 20) or []
            inked = sum(n for n, (r, g, b) in colours if r + g + b < 600)
            assert inked > 200, (year, path.name)  # something is printed on every page
            # the watermark's pink, on every page of a draft and nowhere else
            pink = sum(n for n, (r, g, b) in colours if r > 230 and 200 < g < 232 and b < 236)
            assert (pink > 500) is (year == 2026), (year, path.name, pink)


def test_a_report_of_sample_records_says_so_on_every_page(made, tmp_path):
    note = "Sample data: this report is made from illustrative records."
    for year in (2025, 2026):
        report, folder, reader = made[year]
        assert report.sample
        pages = pdf_text(reader)
        assert note in pages[0]  # the cover
        assert note in pages[1]  # the imprint
        assert all("SAMPLE DATA)" in " ".join(page.split()) for page in pages[1:]), year
        assert note in (folder / f"annual-report-{year}.en.md").read_text("utf-8")
        assert "示例数据：本报告依据示意性记录生成" in (
            folder / f"annual-report-{year}.zh.md"
        ).read_text("utf-8")
    # records that are not samples make a report without the note
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "data", root / "data")
    for path in (root / "data").rglob("*.yml"):
        text = path.read_text("utf-8")
        path.write_text(text.replace("sample: true", "sample: false"), "utf-8")
    real = annual_report(load_repository(root, DAY), 2025)
    assert not real.sample
    assert note not in report_markdown(real, "en")
