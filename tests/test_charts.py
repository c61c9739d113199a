"""Statistics charts: the numbers, the SVG files, and how they are written."""

from __future__ import annotations

import copy
import datetime as dt
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
import yaml

from smesa.data.repository import load_repository
from smesa.data.texts import labels
from smesa.report import charts
from tests.conftest import APPROVAL, ROOT, TODAY, RepoFactory, baseline, text

SVG = "{http://www.w3.org/2000/svg}"
NAMES = ["membership-growth", "cases-by-economy", "cases-by-topic", "cases-per-year"]
NAMES += ["economy-coverage"]
ALL_FILES = [f"{name}.{lang}.svg" for name in NAMES for lang in ("en", "zh")]


@pytest.fixture(scope="module")
def sample():
    return load_repository(ROOT, TODAY)


@pytest.fixture(scope="module")
def sample_svgs(sample) -> dict[tuple[str, str], bytes]:
    return {
        (name, lang): charts.CHARTS[name].render(sample, lang)
        for name in charts.CHARTS
        for lang in charts.LANGUAGES
    }


def _yaml_records(folder: str) -> list[dict]:
    return [
        yaml.safe_load(path.read_text("utf-8"))
        for path in sorted((ROOT / "data" / folder).rglob("*.yml"))
    ]


def _draft_case(**changes) -> dict:
    case = copy.deepcopy(baseline()["data/cases/2025/alpha-finance.yml"])
    case.update(
        id="beta-draft",
        member="beta",
        topics=["women-and-inclusive-smes"],
        status="draft",
        title=text("Draft only: mentoring circles", "仅草稿：导师圈"),
    )
    case.pop("published")
    case.pop("approval")
    case.update(changes)
    return case


# -- the numbers -----------------------------------------------------------------------


def test_registry_lists_every_chart_with_both_languages():
    assert list(charts.CHARTS) == NAMES
    for chart in charts.CHARTS.values():
        for lang in ("en", "zh"):
            assert chart.title[lang] and chart.alt[lang] and all(chart.columns[lang])


def test_sample_counts_agree_with_the_yaml_files(sample):
    """Every number is recounted here from the YAML files, not through the repository."""
    members = _yaml_records("members")
    economy_of = {m["id"]: m["economy"] for m in members}
    published = [c for c in _yaml_records("cases") if c["status"] == "published"]
    assert published, "the sample data has published cases"

    by_economy = Counter(economy_of[c["member"]] for c in published)
    assert dict(charts.chart_data(sample, "cases-by-economy")) == by_economy
    assert sum(v for _, v in charts.chart_data(sample, "cases-by-economy")) == len(published)

    by_topic = Counter(t for c in published for t in set(c["topics"]))
    topic_rows = dict(charts.chart_data(sample, "cases-by-topic"))
    assert {k: v for k, v in topic_rows.items() if v} == by_topic
    taxonomy = yaml.safe_load((ROOT / "data/reference/topics.yml").read_text("utf-8"))
    assert set(topic_rows) == {t["id"] for t in taxonomy["topics"]}

    per_year = Counter(c["year"] for c in published)
    years = range(min(per_year), TODAY.year + 1)
    assert charts.chart_data(sample, "cases-per-year") == [(str(y), per_year[y]) for y in years]

    def active(member: dict, day: dt.date) -> bool:
        left = member.get("withdrawn")
        return member["joined"] <= day and (left is None or left > day)

    growth = charts.chart_data(sample, "membership-growth")
    assert growth[0][0] == "2003" and growth[-1][0] == str(TODAY.year)
    # before the member records begin, the Secretariat's counts in tor.yml; then the records
    tor = yaml.safe_load((ROOT / "data/reference/tor.yml").read_text("utf-8"))
    history = {h["year"]: h["members"] for h in tor["membership_history"]}
    assert growth[0] == ("2003", 19)  # ToR §3: 19 institutions founded the alliance
    for year, count in growth:
        day = min(dt.date(int(year), 12, 31), TODAY)
        expected = history.get(int(year), sum(active(m, day) for m in members))
        assert count == expected, year

    with_members = {m["economy"] for m in members if active(m, TODAY)}
    assert charts.chart_data(sample, "economy-coverage") == [
        ("members", len(with_members)),
        ("cases", len(by_economy)),
    ]


def test_rows_are_sorted_most_first(sample):
    for name in ("cases-by-economy", "cases-by-topic"):
        values = [v for _, v in charts.chart_data(sample, name)]
        assert values == sorted(values, reverse=True)


def test_membership_counts_members_active_at_year_end(make_repo: RepoFactory):
    beta = copy.deepcopy(baseline()["data/members/beta.yml"])
    beta.update(status="withdrawn", withdrawn=dt.date(2020, 6, 30))
    tor = yaml.safe_load((ROOT / "data/reference/tor.yml").read_text("utf-8"))
    tor["membership_history"] = []  # counted from the records alone
    changes = {"data/members/beta.yml": beta, "data/reference/tor.yml": tor}
    repo = load_repository(make_repo(changes=changes), TODAY)
    expected = {year: 2 if 2015 <= year <= 2019 else 1 for year in range(2003, 2027)}
    assert charts.chart_data(repo, "membership-growth") == [
        (str(y), n) for y, n in expected.items()
    ]
    assert charts.chart_data(repo, "economy-coverage") == [("members", 1), ("cases", 1)]


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_an_unpublished_case_counts_nowhere(make_repo: RepoFactory, status: str):
    case = _draft_case(status=status, year=2026)
    if status == "approved":
        case["approval"] = {"smewg": dict(APPROVAL)}
    root = make_repo(changes={"data/cases/2026/beta-draft.yml": case})
    repo = load_repository(root, TODAY)
    assert len(repo.of(charts.models.Case)) == 2, "the unpublished case loaded"

    assert charts.chart_data(repo, "cases-by-economy") == [("PRC", 1)]
    assert dict(charts.chart_data(repo, "cases-by-topic"))["women-and-inclusive-smes"] == 0
    assert charts.chart_data(repo, "cases-per-year") == [("2025", 1), ("2026", 0)]
    assert charts.chart_data(repo, "economy-coverage") == [("members", 2), ("cases", 1)]
    en = charts.CHARTS["cases-by-economy"].render(repo, "en").decode()
    zh = charts.CHARTS["cases-by-economy"].render(repo, "zh").decode()
    assert "People's Republic of China" in en and "Chinese Taipei" not in en
    assert "中国" in zh and "中国台北" not in zh


def test_table_labels_are_in_the_reader_language(sample):
    en = dict(charts.chart_table(sample, "cases-by-economy", "en"))
    zh = dict(charts.chart_table(sample, "cases-by-economy", "zh"))
    assert en["Hong Kong, China"] == zh["中国香港"]
    assert "融资服务" in dict(charts.chart_table(sample, "cases-by-topic", "zh"))
    assert [k for k, _ in charts.chart_table(sample, "economy-coverage", "zh")] == [
        "有成员机构",
        "有已发布案例",
    ]


# -- the SVG files ---------------------------------------------------------------------


def test_every_chart_is_a_titled_svg_of_paths(sample_svgs):
    for (name, lang), svg in sample_svgs.items():
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"
        assert root[0].tag == f"{SVG}title"
        assert root[0].text == charts.CHARTS[name].title[lang]
        assert root.find(f".//{SVG}text") is None, "text must be drawn as paths"
        assert len(svg) < 60_000, (name, lang, len(svg))


def test_chinese_charts_draw_noto_sans_cjk_sc_glyphs(sample_svgs):
    for name in charts.CHARTS:
        en, zh = sample_svgs[name, "en"], sample_svgs[name, "zh"]
        assert en != zh
        assert b'id="NotoSansCJKsc-Regular-' in zh and b"NotoSansCJK" not in en
        assert b'id="DejaVuSans-' in en


def test_economy_names_follow_apec_usage(sample_svgs):
    zh = sample_svgs["cases-by-economy", "zh"].decode()
    assert "<!-- 中国台北 -->" in zh and "台湾" not in zh and "中华台北" not in zh


def test_output_is_identical_across_runs_and_processes(sample, sample_svgs, tmp_path):
    assert (
        charts.CHARTS["membership-growth"].render(sample, "zh")
        == sample_svgs["membership-growth", "zh"]
    )
    script = (
        "import sys; from pathlib import Path; from smesa.data.repository import load_repository;"
        "from smesa.report.charts import chart_files; from tests.conftest import ROOT, TODAY;"
        "files = chart_files(load_repository(ROOT, TODAY));"
        "[(Path(sys.argv[1]) / name).write_bytes(svg) for name, svg in files.items()]"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, env=env, check=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(ALL_FILES)
    for (name, lang), svg in sample_svgs.items():
        assert (tmp_path / f"{name}.{lang}.svg").read_bytes() == svg, (name, lang)


def test_chart_files_name_every_chart_in_every_language(sample, sample_svgs):
    files = charts.chart_files(sample)
    assert list(files) == ALL_FILES
    assert files == {f"{name}.{lang}.svg": svg for (name, lang), svg in sample_svgs.items()}


def test_a_missing_cjk_font_is_a_clear_error(sample, monkeypatch):
    monkeypatch.setattr(charts, "CJK_FAMILY", "No Such CJK Font")
    with pytest.raises(charts.ChartFontMissing, match="fonts-noto-cjk"):
        charts.CHARTS["cases-by-topic"].render(sample, "zh")
    assert charts.CHARTS["cases-by-topic"].render(sample, "en").startswith(b"<?xml")


def test_compact_svg_rounds_glyphs_and_drops_layout_whitespace():
    raw = (
        b'<svg>\n <defs>\n  <path id="g" d="M 1228 531 \nL -91 0 \nz\n" '
        b'transform="scale(0.015625)"/>\n  <path d="M 0 1.5 \nL 2 3 \n"/>\n </defs>\n</svg>'
    )
    assert charts.compact_svg(raw) == (
        b'<svg><defs><path id="g" d="M77 33L-6 0z" transform="scale(0.25)"/>'
        b'<path d="M0 1.5L2 3"/></defs></svg>'
    )


def test_importing_the_module_does_not_import_matplotlib():
    code = "import sys, smesa.report.charts; sys.exit('matplotlib' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_every_chart_has_its_words_in_both_languages_and_the_label_file_no_other():
    words = labels(charts.CHART_LABELS)
    assert list(words) == list(charts.CHARTS)
    for name, chart in charts.CHARTS.items():
        for lang in ("en", "zh"):
            assert chart.title[lang].strip() and chart.alt[lang].strip(), (name, lang)
            assert len(chart.columns[lang]) == 2 and all(chart.columns[lang]), (name, lang)
    bars = charts.CHARTS["economy-coverage"].words["bars"]
    assert set(bars) == {
        key for key, _ in charts.chart_data(load_repository(ROOT, TODAY), "economy-coverage")
    }
