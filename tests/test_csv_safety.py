"""CSV cells a spreadsheet would run are neutralised the OWASP way ("CSV Injection"), in
every CSV the project writes: the site's members.csv and cases.csv, and the annual
report's figure and obligation CSVs. Each file is read back with the csv module."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io

import pytest
from conftest import TODAY, RepoFactory, baseline, text

from smesa.data.repository import load_repository
from smesa.report.annual import annual_report
from smesa.report.outputs import figures_csv, obligations_csv, spreadsheet_cell
from smesa.site.opendata import open_data_files
from smesa.site.view import SiteView

CASE = "data/cases/2025/alpha-finance.yml"
MEMBER = "data/members/alpha.yml"

# (what a contributor writes, what the CSV cell must hold)
PAYLOADS = [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("-2+3", "'-2+3"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("  =1+1", "'  =1+1"),
    ("Alpha = best", "Alpha = best"),
    ("2+2", "2+2"),
]


def rows(content: str) -> list[dict[str, str]]:
    assert content.count("\r\n") == content.count("\n")  # RFC 4180 line ends, no bare LF
    return list(csv.DictReader(io.StringIO(content, newline="")))


def member(record_id: str, name: str, **fields) -> dict:
    record = copy.deepcopy(baseline()[MEMBER])
    record.update(id=record_id, name=text(name, name), founding_member=False, **fields)
    if record["joined"] >= dt.date(2025, 1, 1):  # joined during the term (SM623)
        day = dt.date.fromordinal(record["joined"].toordinal())  # not the same object:
        record["admission"] = {"date": day, "ref": "SMESA-SEC/2025/001"}  # no YAML alias
    return record


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    changes = {
        f"data/members/payload-{n}.yml": member(f"payload-{n}", name, joined=dt.date(2025, 3, 1))
        for n, (name, _) in enumerate(PAYLOADS)
    }
    changes["data/members/payload-gone.yml"] = member(
        "payload-gone", "-1 (left)", joined=dt.date(2010, 1, 1), status="withdrawn",
        withdrawn=dt.date(2025, 6, 30),
    )  # fmt: skip
    case = copy.deepcopy(baseline()[CASE])
    case["title"] = text(PAYLOADS[0][0], PAYLOADS[1][0])
    changes[CASE] = case
    root = RepoFactory(tmp_path_factory.mktemp("csv"))(changes=changes)
    return load_repository(root, TODAY)


def test_members_csv_neutralises_formulas(repo):
    downloads = open_data_files(SiteView(repo), "https://example.org/")
    by_id = {row["id"]: row for row in rows(downloads["data/members.csv"])}
    for number, (_, cell) in enumerate(PAYLOADS):
        assert by_id[f"payload-{number}"]["name_en"] == cell
        assert by_id[f"payload-{number}"]["name_zh"] == cell
    assert by_id["payload-gone"]["name_en"] == "'-1 (left)"
    assert by_id["alpha"]["founding_member"] == "True"
    assert by_id["alpha"]["joined"] == "2003-11-01"


def test_cases_csv_neutralises_formulas(repo):
    downloads = open_data_files(SiteView(repo), "https://example.org/")
    [case] = rows(downloads["data/cases.csv"])
    assert case["title_en"] == PAYLOADS[0][1]
    assert case["title_zh"] == PAYLOADS[1][1]
    assert case["year"] == "2025"
    assert case["smewg_approval_ref"] == "2025/SMEWG60/011"


def test_report_figures_csv_neutralises_formulas_and_keeps_numbers(repo):
    figures = rows(figures_csv(annual_report(repo, 2025)))
    joined = {row["key"]: row for row in figures if row["measure"] == "joined"}
    for number, (name, _) in enumerate(PAYLOADS):
        # the report trims a name's spaces, then the cell is made inert
        formula = name.strip()[:1] in "=+-@"
        for lang in ("en", "zh"):
            label = joined[f"payload-{number}"][f"label_{lang}"]
            assert label == ("'" if formula else "") + name.strip(), (name, label)
    [left] = [row for row in figures if row["measure"] == "withdrawn"]
    assert left["label_en"] == "'-1 (left)"
    growth = next(row for row in figures if row["measure"] == "growth")
    starts = next(row for row in figures if row["measure"] == "members_at_start")
    ends = next(row for row in figures if row["measure"] == "members_at_end")
    assert int(growth["value"]) == int(ends["value"]) - int(starts["value"])
    assert growth["value"] == str(len(PAYLOADS) - 1)  # a number: nine joined, one left


def test_report_obligations_csv_cells_are_inert(repo):
    for row in rows(obligations_csv(annual_report(repo, 2025))):
        assert all(not value or value[0] not in "=+-@\t\r" for value in row.values()), row


def test_negative_numbers_we_write_stay_numbers():
    assert spreadsheet_cell(-3) == -3
    assert spreadsheet_cell(-2.5) == -2.5
    assert spreadsheet_cell(True) is True
    assert spreadsheet_cell(None) == ""
    assert spreadsheet_cell("-3") == "'-3"
    assert spreadsheet_cell(dt.date(2025, 1, 1)) == "2025-01-01"
