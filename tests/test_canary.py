"""The publication boundary, tried with canaries (issue 9): a unique token in every
string field of a draft, a submitted and an approved record of every output kind, then a
real site build and `smesa report` for every year of the term so far. Not one token may
reach a file of site/ or of the report, and no figure may count those records: every
figure is compared with a build of the same repository without them.

The records come from the models (tests/hostile.py walks `smesa.data.models.BY_FOLDER`
through nested models and lists), so a string field added to a model gets a token
without a change here; `test_every_string_field_holds_a_token` fails if a field's type
accepts none of the token's forms. A token is `CANARY<nnnn><Kind><Status><Field>`,
letters and digits only, so that it survives slugs, escaping and search indexing; where
a field's pattern allows no letters it takes a form of the same number that the
pattern accepts (`APEC#299-CNRY-99.<n>` for a publication number, `c0ffee<nnnn>` for a
translation fingerprint). Ids and codes that must name existing records or economies
(hostile.REFERENCES) name the baseline's public ones: a record's own id is its token.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pypdf
import pytest
from selectolax.lexbor import LexborHTMLParser

from smesa.data import models
from smesa.data.repository import load_repository
from smesa.report.annual import report_years
from tests import hostile
from tests.browser.local_site import copy_site_sources
from tests.conftest import ROOT, TODAY, RepoFactory, baseline, check

pytestmark = pytest.mark.build

STATUSES = ("draft", "submitted", "approved")
OUTPUT_MODELS = [m for m in models.BY_FOLDER.values() if issubclass(m, models.Output)]
# Every form a token takes; group 1, 2 or 3 is its number.
TOKEN = re.compile(rb"(?i)canary(\d{4})|CNRY-99\.(\d+)|c0ffee(\d{4})")
# Public text of the baseline, found where the tokens are looked for: the search
# proves that gzip files (Pagefind's fragments) are read unpacked.
PUBLISHED_TITLE = "为小企业提供更快贷款".encode()


@dataclass
class Canaries:
    """The tokens handed out, by number: (record file, slot) of each."""

    where: list[tuple[str, str]] = field(default_factory=list)
    records: list[hostile.Made] = field(default_factory=list)

    def _next(self, file: str, what: str) -> int:
        self.where.append((file, what))
        return len(self.where) - 1

    def record(self, model: type[models.Output], status: str) -> hostile.Made:
        kind = model.__name__
        folder = model.folder if model is not models.Case else "cases/2025"
        record_id = f"canary{len(self.where):04d}{kind}{status}".lower()
        file = f"data/{folder}/{record_id}.yml"
        self._next(file, "id")

        def fill(slot: hostile.Slot) -> list[str]:
            field_name = "".join(
                part.title().replace("_", "") if isinstance(part, str) else str(part)
                for part in slot.path
            )
            n = self._next(file, slot.field)
            token = f"CANARY{n:04d}{kind}{status.title()}{field_name}"
            return [
                token,
                token.lower(),
                f"https://example.org/{token}",
                f"{token}@example.org",
                f"APEC#299-CNRY-99.{n}",
                f"c0ffee{n:04d}",
            ]

        made = hostile.make_record(model, record_id, fill, status=status)
        assert made.path == file
        self.records.append(made)
        return made

    def describe(self, match: bytes) -> str:
        found = TOKEN.fullmatch(match)
        assert found is not None
        number = int(next(g for g in found.groups() if g is not None))
        if number >= len(self.where):
            return f"{match.decode()} (not a token handed out)"
        file, slot = self.where[number]
        return f"{match.decode()} = {file} {slot}"


@dataclass
class Build:
    root: Path
    check: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]
    reports: dict[int, Path]
    report_runs: dict[int, subprocess.CompletedProcess[str]]

    @property
    def site(self) -> Path:
        return self.root / "site"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smesa.cli", *args],
        cwd=cwd,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


def build_and_report(root: Path) -> Build:
    today = TODAY.isoformat()
    checked = run("check", "--today", today, cwd=root)
    built = run("build", "--today", today, cwd=root)
    reports, runs = {}, {}
    for year in report_years(load_repository(root, TODAY)):
        reports[year] = root / "annual" / str(year)
        runs[year] = run(
            "report", str(year), "--today", today, "--out", str(reports[year]), cwd=root
        )
    return Build(root, checked, built, reports, runs)


@pytest.fixture(scope="module")
def canaries() -> Canaries:
    made = Canaries()
    for model in OUTPUT_MODELS:
        for status in STATUSES:
            made.record(model, status)
    return made


@pytest.fixture(scope="module")
def builds(canaries: Canaries, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """The baseline with the canary records ("with") and without them ("without")."""
    factory = RepoFactory(tmp_path_factory.mktemp("canary"))
    names = ("mkdocs.yml", "overrides", "hooks")
    with_canaries = {**baseline(), **{made.path: made.data for made in canaries.records}}
    return {
        "with": build_and_report(copy_site_sources(ROOT, factory(with_canaries), names=names)),
        "without": build_and_report(copy_site_sources(ROOT, factory(baseline()), names=names)),
    }


@pytest.fixture(scope="module")
def built(builds: dict[str, Build]) -> dict[str, Build]:
    """Both builds, which the tests of their output need."""
    for name, done in builds.items():
        assert done.build.returncode == 0, f"build {name}:\n{done.build.stderr[-4000:]}"
        for year, report in done.report_runs.items():
            assert report.returncode == 0, f"report {year} {name}:\n{report.stderr[-3000:]}"
    return builds


# -- the records ----------------------------------------------------------------------


def test_every_output_kind_and_status_has_a_canary_record(canaries: Canaries, capsys):
    kinds = {(made.model, made.data["status"]) for made in canaries.records}
    assert kinds == {(m, s) for m in OUTPUT_MODELS for s in STATUSES}
    assert {m.folder for m in OUTPUT_MODELS} == {
        "cases",
        "meetings",
        "proposals",
        "activities",
        "reports",
        "bodies",
    }
    with capsys.disabled():
        print(
            f"\ncanary suite: {len(canaries.where)} tokens in {len(canaries.records)} records "
            f"({len(OUTPUT_MODELS)} output kinds x {len(STATUSES)} statuses)"
        )


def test_every_string_field_holds_a_token(canaries: Canaries):
    for made in canaries.records:
        assert made.skipped == [], f"{made.path}: no token form fits {made.skipped}"
        expected = {slot.path for slot in hostile.slots(made.model)}
        assert {slot.path for slot in made.placed} == expected, made.path
    # Both languages of every text, and the fields whose pattern admits no letters.
    fields = {slot.field for made in canaries.records for slot in made.placed}
    assert {"title.en", "title.zh", "body.zh_source", "publication_number", "url"} <= fields


def test_canary_records_pass_check(builds: dict[str, Build]):
    done = builds["with"].check
    errors = [line for line in done.stdout.splitlines() if ": error " in line]
    assert errors == [], "\n".join(errors)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_both_builds_and_reports_succeed(built: dict[str, Build]):
    for done in built.values():
        assert (done.site / "index.html").is_file()
        assert "Traceback" not in done.build.stderr
        for year, folder in done.reports.items():
            assert (folder / f"annual-report-{year}.pdf").is_file()


# -- not one token ----------------------------------------------------------------------


def tokens_in(folder: Path, canaries: Canaries) -> list[str]:
    """Each token found under `folder` once per file (whatever its letter case)."""
    found = {(rel, m.lower()): m for rel, m in hostile.find_all(TOKEN, folder)}
    return [f"{rel}: {canaries.describe(m)}" for (rel, _), m in sorted(found.items())]


def test_no_token_reaches_the_site(built: dict[str, Build], canaries: Canaries):
    site = built["with"].site
    assert tokens_in(built["without"].site, canaries) == []  # the pattern matches no site
    fragments = hostile.files_under(site / "pagefind")
    assert any(PUBLISHED_TITLE in hostile.read_bytes(p) for p in fragments)
    found = tokens_in(site, canaries)
    assert found == [], f"{len(found)} token(s) on the site:\n" + "\n".join(found)


def pdf_text(path: Path) -> bytes:
    reader = pypdf.PdfReader(path)
    extracted = "".join(page.extract_text() or "" for page in reader.pages)
    return "".join(extracted.replace("\x00", "").split()).encode()


def test_no_token_reaches_the_reports(built: dict[str, Build], canaries: Canaries):
    found = []
    for year, folder in built["with"].reports.items():
        found += [f"{year}/{line}" for line in tokens_in(folder, canaries)]
        for pdf in folder.glob("*.pdf"):
            found += [
                f"{year}/{pdf.name} (text): {canaries.describe(m.group())}"
                for m in TOKEN.finditer(pdf_text(pdf))
            ]
    assert found == [], f"{len(found)} token(s) in the reports:\n" + "\n".join(found)


def test_the_token_search_reads_gzip_and_every_form(tmp_path: Path, canaries: Canaries):
    """The search finds a token in a plain file, in a gzip file (as Pagefind writes its
    fragments), in a gzip file inside gzip, and in each of the token's forms."""
    import gzip

    (tmp_path / "pagefind" / "fragment").mkdir(parents=True)
    (tmp_path / "page.html").write_text("<p>x CANARY0001CaseDraftTitleEn y</p>", "utf-8")
    fragment = json.dumps({"content": "canary0002casedraftid"}).encode()
    (tmp_path / "pagefind/fragment/en_1.pf_fragment").write_bytes(gzip.compress(fragment))
    twice = gzip.compress(gzip.compress(b"APEC#299-CNRY-99.3"))
    (tmp_path / "sitemap.xml.gz").write_bytes(twice)
    (tmp_path / "data.json").write_text('{"zh_source": "c0ffee0004"}', "utf-8")
    (tmp_path / "clean.html").write_text("<p>canary yellow, c0ffee, CNRY</p>", "utf-8")
    found = sorted(rel for rel, _ in hostile.find_all(TOKEN, tmp_path))
    assert found == [
        "data.json",
        "page.html",
        "pagefind/fragment/en_1.pf_fragment",
        "sitemap.xml.gz",
    ]
    assert canaries.describe(b"canary0000").endswith(" id")


# -- no count includes them -----------------------------------------------------------


def article(path: Path) -> str:
    """The text of a page's content (what the page says, without the theme)."""
    tree = LexborHTMLParser(path.read_text("utf-8"))
    node = tree.css_first("article") or tree.body
    return " ".join(node.text(separator=" ").split()) if node else ""


def figures(path: Path) -> list[list[str]]:
    """The statistics page's headline figures and every row of its chart tables."""
    tree = LexborHTMLParser(path.read_text("utf-8"))
    rows = [[li.text(strip=True)] for li in tree.css("ul.smesa-figures li")]
    rows += [[cell.text(strip=True) for cell in tr.css("th, td")] for tr in tree.css("tr")]
    return rows


def test_statistics_count_no_unpublished_record(built: dict[str, Build]):
    for page in ("statistics/index.html", "zh/statistics/index.html"):
        with_, without = (figures(built[k].site / page) for k in ("with", "without"))
        assert len(without) > 3, page
        assert with_ == without, page
    for chart in sorted((built["without"].site / "assets/charts").glob("*.svg")):
        rel = chart.relative_to(built["without"].site)
        assert (built["with"].site / rel).read_bytes() == chart.read_bytes(), rel


def test_open_data_holds_no_unpublished_record(built: dict[str, Build]):
    for rel in ("data/cases.json", "data/cases.csv", "data/members.json", "data/members.csv"):
        with_, without = ((built[k].site / rel).read_text("utf-8") for k in ("with", "without"))
        assert with_ == without, rel
    assert len(json.loads((built["without"].site / "data/cases.json").read_text("utf-8"))) == 1


def test_every_page_reads_as_without_the_unpublished_records(built: dict[str, Build]):
    """The same pages, each with the same text: no list, count or figure changes."""
    with_, without = (
        sorted(p.relative_to(built[k].site).as_posix() for p in built[k].site.rglob("*.html"))
        for k in ("with", "without")
    )
    assert with_ == without
    differ = [
        rel
        for rel in without
        if article(built["with"].site / rel) != article(built["without"].site / rel)
    ]
    assert differ == [], "pages that read differently with unpublished records: " + ", ".join(
        differ
    )


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


def test_report_figures_count_no_unpublished_record(built: dict[str, Build]):
    for year, folder in built["without"].reports.items():
        for part in ("figures", "obligations"):
            name = f"annual-report-{year}-{part}.csv"
            without = csv_rows(folder / name)
            with_ = csv_rows(built["with"].reports[year] / name)
            assert without, name
            extra = [row for row in with_ if row not in without]
            missing = [row for row in without if row not in with_]
            assert (extra, missing) == ([], []), f"{name}: rows with canaries / without"
            assert with_ == without, name


# -- references from public records ---------------------------------------------------


def referencing(canaries: Canaries, *, published: bool = False) -> dict[str, dict]:
    """The baseline and the canaries, where public records name unpublished meetings:
    the Presidium is elected at the draft meeting, its advisor appointed at the
    submitted one, and the recommendation paper, now published, was discussed at the
    approved one. `published`: those meetings are published (the control)."""
    files = copy.deepcopy({**baseline(), **{m.path: m.data for m in canaries.records}})
    meetings = {
        made.data["status"]: files[made.path]
        for made in canaries.records
        if made.model is models.Meeting
    }
    meetings["submitted"]["decisions"][0].update(kind="advisor-appointment", by="presidium")
    meetings["submitted"]["decisions"][0].pop("presidium")
    presidium = files["data/presidium/presidium-2025-2028.yml"]
    presidium["elected_at"] = meetings["draft"]["id"]
    presidium["advisors"][0]["appointed_at"] = meetings["submitted"]["id"]
    proposal = files["data/proposals/recommendations-2025.yml"]
    proposal.update(
        status="published",
        published=dt.date(2025, 8, 2),  # after its approval, as SM603 and SM611 ask
        meeting=meetings["approved"]["id"],
        approval={"smewg": {"date": dt.date(2025, 5, 20), "ref": "2025/SMEWG60/011"}},
    )
    if published:
        for meeting in meetings.values():
            meeting["status"] = "published"
    return files


def test_a_reference_from_a_public_record_reaches_no_unpublished_text(
    canaries: Canaries, tmp_path: Path
):
    """Either `smesa check` refuses the references (an error located in a referring file,
    which the same references to published meetings do not get) and the build with it,
    or the site and the reports hold no token of the meetings named."""
    factory = RepoFactory(tmp_path)
    control = [f for f in check(factory(referencing(canaries, published=True))) if f.is_error]
    assert control == [], "the fixture itself is invalid"
    names = ("mkdocs.yml", "overrides", "hooks")
    root = copy_site_sources(ROOT, factory(referencing(canaries)), names=names)
    errors = [f for f in check(root) if f.is_error]
    if errors:
        referring = {
            "data/presidium/presidium-2025-2028.yml",
            "data/proposals/recommendations-2025.yml",
        }
        assert {f.path for f in errors} <= referring, errors
        assert all(f.line > 0 and f.column > 0 and f.rule for f in errors)
        done = run("build", "--today", TODAY.isoformat(), cwd=root)
        assert done.returncode == 1 and not (root / "site").exists(), done.stderr[-3000:]
        return
    done = build_and_report(root)
    assert done.build.returncode == 0, done.build.stderr[-4000:]
    found = tokens_in(done.site, canaries)
    for year, folder in done.reports.items():
        found += [f"report {year}/{line}" for line in tokens_in(folder, canaries)]
    assert found == [], f"{len(found)} token(s) reached through references:\n" + "\n".join(found)
