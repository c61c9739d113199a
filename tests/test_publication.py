"""The publication gate (smesa.tor.publication): one published-only view feeds every public
output; obligations count only public records and events that happened."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from conftest import ROOT, TODAY, baseline, smesa, text

from smesa.data import models
from smesa.data.repository import load_repository
from smesa.data.texts import record_texts
from smesa.report.annual import annual_report, as_of, report_markdown
from smesa.site import generate as gen
from smesa.site.view import SiteView
from smesa.tor.obligations import dashboard
from smesa.tor.publication import counts_for_obligations, is_public, public

UNPUBLISHED = ("draft", "submitted", "approved")


def _with_status(status: str) -> dict[str, dict]:
    files = baseline()
    files["data/cases/2025/alpha-finance.yml"]["status"] = status
    files["data/meetings/plenary-2025.yml"]["status"] = status
    return files


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_the_public_repository_holds_no_unpublished_output(make_repo, status):
    repo = load_repository(make_repo(_with_status(status)), TODAY)
    view = public(repo)
    ids = {e.id for e in view.entries}
    assert "alpha-finance" not in ids and "plenary-2025" not in ids
    assert {"alpha", "beta", "annual-report-2025"} <= ids  # members, published outputs
    assert all(is_public(e.record) for e in view.entries)
    paths = {s.path for s in view.sources}
    assert "data/cases/2025/alpha-finance.yml" not in paths
    assert "data/reference/economies.yml" in paths
    assert view.reference.keys() == repo.reference.keys()


def test_the_public_repository_shares_no_derived_data(make_repo):
    repo = load_repository(make_repo(_with_status("draft")), TODAY)
    everything = record_texts(repo)  # computed, and kept, for the whole repository
    assert "alpha-finance" in {entry.id for entry, _, _ in everything}
    shown = record_texts(public(repo))
    assert "alpha-finance" not in {entry.id for entry, _, _ in shown}
    assert {entry.id for entry, _, _ in shown} == {e.id for e in public(repo).entries}


def test_a_snapshot_of_the_repository_reads_only_its_own_texts(make_repo):
    # `as_of` once copied the cache of the whole repository into the snapshot: its
    # texts were those of every record, cases of other years included.
    records = baseline()
    later = copy.deepcopy(records["data/cases/2025/alpha-finance.yml"])
    later.update(id="alpha-later", year=2026)
    records["data/cases/2026/alpha-later.yml"] = later
    repo = load_repository(make_repo(records), TODAY)
    assert "alpha-later" in {entry.id for entry, _, _ in record_texts(repo)}
    snapshot = as_of(repo, dt.date(2025, 12, 31), lambda year: year == 2025)
    ids = {entry.id for entry, _, _ in record_texts(snapshot)}
    assert "alpha-later" not in ids
    assert ids == {e.id for e in snapshot.entries if e.source.doc.texts}


def test_a_site_view_is_public_whatever_it_is_given(make_repo):
    view = SiteView(load_repository(make_repo(_with_status("submitted")), TODAY))
    assert view.cases == [] and view.meetings == []
    assert "alpha-finance" not in {e.id for e in view.repo.entries}


@pytest.mark.parametrize(
    ("status", "day", "counts"),
    [
        ("draft", dt.date(2025, 9, 20), False),  # a draft never counts
        ("submitted", dt.date(2025, 9, 20), True),  # a meeting held: the record is on its way
        ("approved", dt.date(2025, 9, 20), True),
        ("approved", dt.date(2025, 9, 1), False),  # not yet held
        ("published", dt.date(2025, 9, 1), True),
    ],
)
def test_a_meeting_counts_for_obligations_once_held(status, day, counts):
    files = baseline()
    meeting = models.Meeting.model_validate(
        {**files["data/meetings/plenary-2025.yml"], "status": status}
    )
    assert counts_for_obligations(meeting, day) is counts


def test_a_draft_plenary_does_not_meet_the_annual_plenary(make_repo):
    files = baseline()
    files["data/meetings/plenary-2025.yml"]["status"] = "draft"
    board = dashboard(load_repository(make_repo(files), TODAY))
    plenary = next(o for o in board.obligations if o.key == "annual-plenary" and o.year == 2025)
    assert plenary.state == "overdue" and plenary.met_by is None


def test_a_draft_paper_does_not_meet_the_recommendation_paper(make_repo):
    files = baseline()
    files["data/proposals/recommendations-2025.yml"]["status"] = "draft"
    board = dashboard(load_repository(make_repo(files), TODAY))
    paper = next(o for o in board.obligations if o.key == "recommendation-paper" and o.year == 2025)
    assert paper.met_by is None


def test_the_annual_report_shows_no_unpublished_record(make_repo):
    files = baseline()
    secret = "Canary-7f3a unpublished text"
    draft_meeting = copy.deepcopy(files["data/meetings/plenary-2025.yml"])
    draft_meeting.update(id="plenary-2025-draft", status="draft", title=text(secret, secret))
    files["data/meetings/plenary-2025-draft.yml"] = draft_meeting
    files["data/proposals/recommendations-2025.yml"]["title"] = text(secret, secret)
    # not approved: the report counts to the end of the year (an approved one is fixed
    # on its approval day, before the plenary)
    del files["data/reports/annual-report-2025.yml"]["approval"]
    report = annual_report(load_repository(make_repo(files), TODAY), 2025)
    assert report.proposal is None  # the fixture's paper is submitted, not published
    assert [m.id for m in report.meetings] == ["plenary-2025"]
    assert all(a.id != "recommendations-2025" for a in report.approvals)
    for lang in ("en", "zh"):
        assert secret not in report_markdown(report, lang, chart_dir=None)


def test_the_shipped_2026_report_page_omits_the_submitted_paper(tmp_path):
    # recommendations-2026 is `submitted`: its issues must not reach the site.
    repo = load_repository(ROOT, dt.date(2026, 12, 1))
    paper = repo.index(models.Proposal)["recommendations-2026"].record
    assert paper.status == "submitted"
    docs = tmp_path / "content"
    written = gen.generate(repo, docs)
    everything = "\n".join(path.read_text("utf-8") for path in written)
    # (published minutes may name its topics; its own words stay off the site)
    assert paper.title.en not in everything and paper.title.zh not in everything
    for issue in paper.issues:
        for words in (issue.text.en, issue.text.zh):
            assert words.strip().splitlines()[0] not in everything


def test_one_report_page_per_year(tmp_path, make_repo):
    docs = tmp_path / "content"
    written = {
        p.relative_to(docs).as_posix()
        for p in gen.generate(load_repository(make_repo(), TODAY), docs)
    }
    reports = sorted(p for p in written if p.startswith("en/reports/"))
    # 2025 has a published report: its own page carries the figures; 2026 has none yet.
    assert reports == [
        "en/reports/annual-2026.md",
        "en/reports/annual-report-2025.md",
        "en/reports/index.md",
        "en/reports/status.md",
    ]
    page = (docs / "en/reports/annual-report-2025.md").read_text("utf-8")
    assert "## The year in figures" in page and "### Summary" in page
    index = (docs / "en/reports/index.md").read_text("utf-8")
    assert "(annual-2026.md)" in index and "(annual-report-2025.md)" in index


@pytest.mark.parametrize(
    ("status", "shown"), [("draft", False), ("submitted", False), ("approved", True)]
)
def test_the_report_uses_its_own_record_once_approved(make_repo, status, shown):
    files = baseline()
    report = files["data/reports/annual-report-2025.yml"]
    report.update(status=status, publication_number="APEC#225-SM-01.9")
    report.pop("published")
    if status != "approved":
        report.pop("approval")
    made = annual_report(load_repository(make_repo(files), TODAY), 2025)
    assert (made.record is not None) is shown
    page = report_markdown(made, "en", chart_dir=None)
    assert ("APEC#225-SM-01.9" in page.replace("\\", "")) is shown


def test_no_report_is_written_from_data_with_errors(make_repo):
    files = baseline()
    files["data/cases/2025/alpha-finance.yml"]["title"]["en"] = "Loans\x07 in 6 days"
    root = make_repo(files)
    result = smesa("report", "2025", "--today", "2026-11-26", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "SM130" in result.stderr
    assert "no report written: 1 error(s) in data/" in result.stderr
    assert not (root / "reports").exists()


def test_a_very_long_name_still_lays_out_in_the_report_pdf(make_repo):
    # A table row taller than a page made fpdf2 raise: cells are cut to fit.
    files = baseline()
    long_name = " ".join(["Exceptionally-long-institution-name"] * 500)
    files["data/members/beta.yml"]["name"] = text(long_name, long_name)
    files["data/members/beta.yml"]["joined"] = dt.date(2025, 4, 1)
    files["data/members/beta.yml"]["admission"] = {
        "date": dt.date(2025, 3, 20),
        "ref": "SMESA-SEC/2025/004",
    }
    root = make_repo(files)
    result = smesa("report", "2025", "--today", "2026-11-26", cwd=root)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert (root / "reports" / "2025" / "annual-report-2025.pdf").stat().st_size > 0
