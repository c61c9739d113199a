"""The membership history from the founding is a governed, sourced record (issue 13):
each figure of tor.yml `membership_history` names its source, is marked a sample, or is
not known, and the statistics chart, its table and the annual report say which.

Each test changes one thing in a copy of the shipped data and asserts SM707's finding
(the shipped data has none) or what a reader is shown.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT, check
from shipped import copy_of_shipped, edit

from smesa.data.repository import load_repository
from smesa.report import charts
from smesa.report.annual import annual_report, report_markdown

DAY = dt.date(2026, 12, 1)
TOR = "data/reference/tor.yml"


@pytest.fixture
def shipped(tmp_path):
    return copy_of_shipped(tmp_path)


def found(root):
    return [(f.line, f.message) for f in check(root, DAY) if f.rule == "SM707"]


def test_the_shipped_history_is_sourced_or_marked():
    assert found(ROOT) == []
    history = load_repository(ROOT, DAY).tor.membership_history
    assert (history[0].year, history[0].members) == (2003, 19)
    assert history[0].source is not None and "§3" in (history[0].source.en or "")
    # the later figures are sample numbers, and say so
    assert all(h.sample and h.source is None for h in history[1:])


def test_SM707_a_figure_with_neither_source_nor_sample(shipped):
    edit(shipped, TOR, "  - sample: true\n    year: 2005\n", "  - year: 2005\n")
    assert [m for _, m in found(shipped)] == [
        "2005: 18 members has no source, so it would be shown as a count nobody made"
    ]


def test_SM707_the_founding_year_holds_the_tors_figure(shipped):
    edit(shipped, TOR, "  - year: 2003\n    members: 19\n", "  - year: 2003\n    members: 6\n")
    assert [m for _, m in found(shipped)] == [
        "the founding year 2003 holds 6, but the ToR counts 19 founding institutions "
        "(§3: 2003年，来自APEC经济体的19家服务机构代表齐聚中国宁波)"
    ]


def test_SM707_a_gap_would_be_inferred(shipped):
    edit(shipped, TOR, "  - sample: true\n    year: 2010\n    members: 19\n", "")
    assert [m for _, m in found(shipped)] == ["the history has no entry for 2010"]


def test_SM707_no_history_at_all(shipped):
    text = (shipped / TOR).read_text("utf-8")
    (shipped / TOR).write_text(text[: text.index("membership_history:")], "utf-8")
    assert [m for _, m in found(shipped)] == [
        "membership_history is empty: the years from the founding in 2003 to the term "
        "would be inferred from today's member records"
    ]


def test_SM707_a_year_twice_or_inside_the_term(shipped):
    edit(shipped, TOR, "    year: 2024\n", "    year: 2025\n")
    edit(shipped, TOR, "    year: 2023\n", "    year: 2022\n")
    assert sorted(m for _, m in found(shipped)) == [
        "2022 is listed twice",
        "2025 is outside the history: it runs from the founding in 2003 to 2024, the "
        "records count the term",
        "the history has no entry for 2023, 2024",
    ]


def test_SM707_a_sourced_figure_is_no_sample_and_an_unknown_one_neither(shipped):
    edit(
        shipped,
        TOR,
        "  - sample: true\n    year: 2004\n    members: 19\n",
        "  - sample: true\n    year: 2004\n    members: 19\n    source: {en: Secretariat}\n",
    )
    edit(shipped, TOR, "    year: 2005\n    members: 18\n", "    year: 2005\n    members: null\n")
    assert sorted(m for _, m in found(shipped)) == [
        "2004 names a source and is marked sample: a figure is one or the other",
        "2005 is not known, so it has no source and is no sample",
    ]


def test_the_chart_table_and_report_say_which_figure_is_which(shipped):
    # a year not known: no bar, "not known" in the table and the report's source line
    edit(
        shipped,
        TOR,
        "  - sample: true\n    year: 2005\n    members: 18\n",
        "  - year: 2005\n    members: null\n",
    )
    assert found(shipped) == []
    repo = load_repository(shipped, DAY)
    table = dict(charts.chart_table(repo, "membership-growth", "en"))
    assert table["2003"] == 19
    assert table["2004"] == "19 (sample figure, not a count)"
    assert table["2005"] == "not known"
    assert table["2025"] == 24  # the term: counted from the member records
    zh = dict(charts.chart_table(repo, "membership-growth", "zh"))
    assert (zh["2004"], zh["2005"]) == ("19（示例数据，非统计数）", "不详")
    assert charts.history_provenance(repo, "en") == [
        (
            "2003",
            "Terms of Reference 2025–2028, §3 (19 service institutions founded the "
            "alliance in Ningbo)",
        ),
        ("2004", "sample figures, not counts"),
        ("2005", "not known"),
        ("2006–2024", "sample figures, not counts"),
    ]
    svg = charts.CHARTS["membership-growth"].render(repo, "en")
    assert charts.draw(charts.drawing(repo, "membership-growth", "en")) == svg
    assert charts.drawing(repo, "membership-growth", "en").marks[:3] == ("", "sample", "unknown")
    md = " ".join(report_markdown(annual_report(repo, 2026), "en").split())
    assert (
        "for the years before the term: 2003: Terms of Reference 2025–2028, §3 (19 service "
        "institutions founded the alliance in Ningbo); 2004: sample figures, not counts; "
        "2005: not known; 2006–2024: sample figures, not counts." in md
    )


def test_sample_and_unknown_bars_are_drawn_apart():
    repo = load_repository(ROOT, DAY)
    drawing = charts.drawing(repo, "membership-growth", "en")
    assert drawing.marks == ("",) + ("sample",) * 21 + ("", "", "")[: len(drawing.marks) - 22]
    counted = charts.draw(drawing)
    plain = charts.draw(
        charts.Drawing(drawing.name, drawing.lang, drawing.labels, drawing.values, drawing.total)
    )
    # the pale bars and the legend are in the picture: without the marks it is another
    # one, and the sample bars are filled (a pattern fill would vanish from the PDF)
    assert counted != plain
    assert charts.SAMPLE_BAR.encode() in counted and b"<pattern" not in counted


def test_SM707_the_history_starts_at_the_founding(shipped):
    text = (shipped / TOR).read_text("utf-8")
    start = text.index("  - year: 2003\n")
    end = text.index("  - sample: true\n    year: 2004\n")
    (shipped / TOR).write_text(text[:start] + text[end:], "utf-8")
    assert [m for _, m in found(shipped)] == [
        "the history does not start at the founding in 2003 (§3: 19 institutions)",
        "the history has no entry for 2003",
    ]
