"""Real site builds of small fixture repositories with `smesa build` (MkDocs, static-i18n,
Pagefind): what is published, what never is, and that a failed build publishes nothing."""

from __future__ import annotations

import copy
import csv
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import jsonschema
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, get_files
from mkdocs.structure.pages import Page

from smesa.check.rules import RULES
from smesa.data.repository import load_repository
from smesa.report import charts
from smesa.site import pagefind, sanitize
from smesa.site.build import TODAY_VARIABLE, SiteBuild
from smesa.site.generate import PageWriter
from tests.browser.local_site import copy_site_sources
from tests.conftest import APPROVAL, ROOT, TODAY, RepoFactory, baseline, text

pytestmark = pytest.mark.build

CASE = "data/cases/2025/alpha-finance.yml"
DRAFT_MARK = "Zebracorn-draft-4711"
SUBMITTED_MARK = "Quokka-submitted-5150"  # awaits approval: listed nowhere by its text
SAFE_MARK = "Sanitised-but-visible-8093"
# Markdown that passes the check (SM140 refuses HTML and attribute lists, SM142 images
# from elsewhere): links with a script or another scheme.
PAYLOADS = (
    "[x](javascript:alert(1))",
    "[y](vbscript:msgbox) and [z](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[w](  JaVaScRiPt:alert(1))",
)
ATOM = "{http://www.w3.org/2005/Atom}"


def site_repository(factory: RepoFactory, files: dict | None = None) -> Path:
    """A fixture repository with the site sources of this checkout (not its generated pages)."""
    return copy_site_sources(ROOT, factory(files), names=("mkdocs.yml", "overrides", "hooks"))


def smesa_build(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smesa.cli", "build", *options],
        cwd=root,
        env={**os.environ, TODAY_VARIABLE: TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


def fixture_files() -> dict:
    files = baseline()
    draft = copy.deepcopy(files[CASE])
    draft.update(
        id="alpha-draft",
        status="draft",
        title=text(f"Draft {DRAFT_MARK}", f"草稿 {DRAFT_MARK}"),
        summary=text(f"Summary {DRAFT_MARK}.", f"摘要 {DRAFT_MARK}。"),
        body=text(f"Body {DRAFT_MARK}.", f"正文 {DRAFT_MARK}。"),
    )
    draft.pop("approval")
    draft.pop("published")
    files["data/cases/2025/alpha-draft.yml"] = draft
    submitted = copy.deepcopy(draft)
    submitted.update(
        id="alpha-submitted",
        status="submitted",
        title=text(f"Submitted {SUBMITTED_MARK}", f"已提交 {SUBMITTED_MARK}"),
        summary=text(f"Summary {SUBMITTED_MARK}.", f"摘要 {SUBMITTED_MARK}。"),
        body=text(f"Body {SUBMITTED_MARK}.", f"正文 {SUBMITTED_MARK}。"),
    )
    files["data/cases/2025/alpha-submitted.yml"] = submitted
    unsafe = copy.deepcopy(files[CASE])
    unsafe.update(
        id="beta-digital",
        member="beta",
        topics=["digital-transformation"],
        approval={"smewg": dict(APPROVAL)},
        title=text("Digital invoices for small firms", "小企业电子发票"),
        summary=text("E-invoicing for 300 firms.", "为300家企业推广电子发票。"),
        body={"en": "\n\n".join((f"{SAFE_MARK} opens the case.", *PAYLOADS)) + "\n"},
        results=[{"metric": text("Firms", "企业"), "value": 300, "unit": text("firms", "家")}],
    )
    files["data/cases/2025/beta-digital.yml"] = unsafe
    return files


def read_all(site: Path) -> dict[str, str]:
    """Every file of the site as text, gzip files (Pagefind's index, sitemap.xml.gz) unpacked."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        out[path.relative_to(site).as_posix()] = data.decode("utf-8", errors="replace")
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = site_repository(RepoFactory(tmp_path_factory.mktemp("site")), fixture_files())
    (root / "site").mkdir()
    (root / "site" / "stale.html").write_text("old", "utf-8")
    done = smesa_build(root)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    return root


@pytest.fixture(scope="module")
def site(built: Path) -> Path:
    return built / "site"


@pytest.fixture(scope="module")
def files(site: Path) -> dict[str, str]:
    return read_all(site)


PAGES = [
    "about/index.html",
    "about/tor/index.html",
    "activities/alpha-training-2025/index.html",
    "activities/index.html",
    "cases/alpha-finance/index.html",
    "cases/beta-digital/index.html",
    "cases/index.html",
    "index.html",
    "meetings/index.html",
    "meetings/plenary-2025/index.html",
    "members/alpha/index.html",
    "members/beta/index.html",
    "members/index.html",
    "recommendations/index.html",
    "reports/annual-2026/index.html",
    "reports/annual-report-2025/index.html",
    "reports/index.html",
    "reports/status/index.html",
    *(f"rules/{rule.id.lower()}/index.html" for rule in RULES),
    "rules/index.html",
    "search/index.html",
    "statistics/index.html",
]


def test_output_pages(site: Path, built: Path):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert pages == sorted(["404.html", "zh/404.html", *PAGES, *(f"zh/{p}" for p in PAGES)])
    assert not list(built.glob("site.*")), "the build left a staging or old folder behind"


def test_every_generated_page_exists_in_both_languages(built: Path, site: Path):
    manifest = json.loads((built / "content/.smesa-generated.json").read_text("utf-8"))
    pages = [rel for rel in manifest if rel.endswith(".md")]
    english = {rel.removeprefix("en/") for rel in pages if rel.startswith("en/")}
    assert english == {rel.removeprefix("zh/") for rel in pages if rel.startswith("zh/")}
    for rel in english:
        url = rel.removesuffix(".md").removesuffix("index").rstrip("/")
        folder = f"{url}/" if url else ""
        assert (site / f"{folder}index.html").is_file(), rel
        assert (site / f"zh/{folder}index.html").is_file(), rel


def test_draft_text_reaches_no_file(files: dict[str, str]):
    found = [
        name
        for name, content in files.items()
        for mark in (DRAFT_MARK, SUBMITTED_MARK, "Late payment hurts SMEs")
        if mark in content
    ]
    assert found == []
    # The unpacking works: published text is found in the Chinese search index.
    assert any(n.startswith("pagefind/") and "为小企业提供更快贷款" in c for n, c in files.items())
    assert "alpha-draft" not in "".join(files)


def test_unsafe_markdown_is_published_without_active_content(files: dict[str, str]):
    case = files["cases/beta-digital/index.html"]
    assert SAFE_MARK in case
    assert SAFE_MARK in files["zh/cases/beta-digital/index.html"]  # English text, with notice
    assert "尚无中文译文" in files["zh/cases/beta-digital/index.html"]
    # Downloads carry the contributor's Markdown as data (JSON strings), not as HTML.
    served = {
        n: c
        for n, c in files.items()
        if not n.startswith(("data/", "assets/")) and not n.endswith(".js")  # Pagefind's
    }
    for name, content in served.items():
        for needle in ("javascript:", "vbscript:", "data:text", "JaVaScRiPt"):
            assert needle not in content, f"{needle!r} in {name}"


def test_case_page_shows_approval_results_and_member_link(files: dict[str, str]):
    page = files["cases/alpha-finance/index.html"]
    assert "20 May 2025, 2025/SMEWG60/011" in page
    assert '<a href="../../members/alpha/">Alpha SME Centre</a>' in page
    beta = files["cases/beta-digital/index.html"]
    assert (
        '<span class="smesa-result__figure">300 firms</span> '
        '<span class="smesa-result__metric">Firms</span>'
    ) in beta
    assert "Sample data" in page and "示例数据" in files["zh/cases/alpha-finance/index.html"]


def test_case_library_markup_for_the_filters(files: dict[str, str]):
    page = files["zh/cases/index.html"]
    for control in ("filter-year", "filter-economy", "filter-topic"):
        assert f'<select id="{control}"><option value="">' in page
    assert '<option value="CT">中国台北</option>' in page
    card = re.search(
        r'<li class="smesa-case"([^>]*)>\s*<p class="smesa-card__title">(.*?)</p>', page
    )
    assert card is not None
    assert sorted(card.group(1).split()) == [
        'data-economy="CT"',
        'data-topics="digital-transformation"',
        'data-year="2025"',
    ]
    assert card.group(2) == '<a href="beta-digital/">小企业电子发票</a>'
    assert '<span id="case-count">2</span>' in page
    assert "smesa-cases.js" in page


def test_pages_have_descriptions_open_graph_and_feed_links(files: dict[str, str]):
    page = files["zh/cases/alpha-finance/index.html"]
    assert '<meta name="description" content="贷款审批从21天缩短至6天。">' in page
    assert '<meta property="og:title" content="为小企业提供更快贷款">' in page
    assert (
        '<meta property="og:url" content="https://apec-smesa.github.io/zh/cases/alpha-finance/">'
    ) in page
    assert (
        '<link rel="alternate" type="application/atom+xml" hreflang="zh-Hans" '
        'title="亚太经合组织中小企业服务联盟" href="https://apec-smesa.github.io/zh/feed.xml">'
    ) in page


def test_sitemap_lists_only_built_pages(files: dict[str, str]):
    sitemap = files["sitemap.xml"]
    assert "https://apec-smesa.github.io/cases/beta-digital/" in sitemap
    assert "recommendations-2025" not in sitemap


def test_feeds_hold_exactly_the_published_cases(site: Path):
    for feed, prefix, title in (
        ("feed.xml", "https://apec-smesa.github.io/", "Faster loans for small firms"),
        ("zh/feed.xml", "https://apec-smesa.github.io/zh/", "为小企业提供更快贷款"),
    ):
        entries = ET.parse(site / feed).getroot().findall(f"{ATOM}entry")
        assert [e.findtext(f"{ATOM}id") for e in entries] == [
            f"{prefix}cases/beta-digital/",
            f"{prefix}cases/alpha-finance/",
        ]
        assert entries[1].findtext(f"{ATOM}title") == title


def test_downloads_hold_exactly_the_published_cases_and_match_the_schemas(site: Path):
    cases = json.loads((site / "data/cases.json").read_text("utf-8"))
    assert [c["id"] for c in cases] == ["beta-digital", "alpha-finance"]
    members = json.loads((site / "data/members.json").read_text("utf-8"))
    assert [m["id"] for m in members] == ["alpha", "beta"]
    for name, records in (("cases", cases), ("members", members)):
        schema = json.loads((site / f"schema/{name}.schema.json").read_text("utf-8"))
        assert schema == json.loads((ROOT / f"schema/{name}.schema.json").read_text("utf-8"))
        for record in records:
            jsonschema.validate(record, schema)
    rows = list(csv.DictReader(io.StringIO((site / "data/cases.csv").read_text("utf-8"))))
    assert [(r["id"], r["economy"], r["smewg_approval_ref"]) for r in rows] == [
        ("beta-digital", "CT", "2025/SMEWG60/011"),
        ("alpha-finance", "PRC", "2025/SMEWG60/011"),
    ]
    assert "members.csv" in {p.name for p in (site / "data").iterdir()}


def test_statistics_pages_show_every_chart_in_their_language(site: Path):
    for page, lang in (("statistics/index.html", "en"), ("zh/statistics/index.html", "zh")):
        html = (site / page).read_text("utf-8")
        images = re.findall(
            r'<img class="smesa-chart" src="([^"]+)" alt="([^"]*)" '
            r'width="\d+" height="\d+" loading="lazy">',
            html,
        )
        assert [unescape(alt) for _, alt in images] == [
            chart.alt[lang] for chart in charts.CHARTS.values()
        ]
        for (src, _), name in zip(images, charts.CHARTS, strict=True):
            target = (site / page).parent / src
            assert target.resolve() == (site / f"assets/charts/{name}.{lang}.svg").resolve()
            assert ET.parse(target).getroot().tag == "{http://www.w3.org/2000/svg}svg"
        # the membership history's sample figures say so in the chart's table (SM707)
        sample = "19 (sample figure, not a count)" if lang == "en" else "19（示例数据，非统计数）"
        assert f'<td>2004</td>\n<td style="text-align:right">{sample}</td>' in html
        assert '<td>2003</td>\n<td style="text-align:right">19</td>' in html


def test_no_third_party_requests_from_pages(files: dict[str, str]):
    for name, content in files.items():
        if name.endswith(".html"):
            for attribute in ('src="http', "@import", 'rel="stylesheet" href="http'):
                assert attribute not in content, f"{attribute} in {name}"
            assert "fonts.googleapis" not in content and "cdn.jsdelivr" not in content


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def old_site(root: Path) -> dict[str, bytes]:
    (root / "site" / "cases").mkdir(parents=True)
    (root / "site" / "index.html").write_text("<p>published yesterday</p>", "utf-8")
    (root / "site" / "cases" / "index.html").write_bytes(b"\x00old\xff")
    return snapshot(root / "site")


def test_invalid_repository_fails_with_located_messages_and_keeps_site(make_repo):
    case = copy.deepcopy(baseline()[CASE])
    case["status"] = "published"
    case.pop("approval")  # published without prior SMEWG approval
    case["topics"] = ["no-such-topic"]
    root = site_repository(make_repo, {**baseline(), CASE: case})
    before = old_site(root)
    done = smesa_build(root)
    assert done.returncode == 1
    located = [line for line in done.stderr.splitlines() if line.startswith(f"{CASE}:")]
    assert len(located) >= 2 and all(" error " in line for line in located), done.stderr
    assert "Traceback" not in done.stderr
    assert "site/ is unchanged" in done.stderr
    assert snapshot(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("site")) == ["site"]


def test_a_build_failing_after_validation_keeps_site(make_repo):
    root = site_repository(make_repo)
    (root / "content/en/about/broken.md").write_text("[gone](missing.md)\n", "utf-8")
    before = old_site(root)
    done = smesa_build(root)
    assert done.returncode == 1
    assert "missing.md" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("site")) == ["site"]


def without_hook_event(root: Path, event: str) -> None:
    """Rename the function `event` of the fixture repository's hook file: MkDocs no longer
    calls it."""
    hook = root / "hooks/smesa_site.py"
    source = hook.read_text("utf-8")
    assert source.count(f"def {event}(") == 1
    hook.write_text(source.replace(f"def {event}(", f"def renamed_{event}("), "utf-8")


@pytest.mark.parametrize(
    "event",
    [
        # MkDocs would read pages still being written by the children.
        "on_page_read_source",
        # Pages would be published as MkDocs made them, not as the sanitizer cleaned them.
        "on_env",
        "on_page_context",
        # The pages would not be read back for anything active, nor the site indexed.
        "on_post_page",
        "on_post_build",
    ],
)
def test_a_hook_file_missing_an_event_publishes_nothing(make_repo, event: str):
    root = site_repository(make_repo, fixture_files())
    without_hook_event(root, event)
    before = old_site(root)
    done = smesa_build(root)
    assert done.returncode == 1
    assert f"hooks/smesa_site.py has no {event}; " in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(root / "site") == before
    assert not list((root / "content").rglob("cases/*.md"))  # stopped before writing


def test_a_generated_page_not_sanitised_is_not_written(tmp_path: Path):
    # The last guard before MkDocs renders a page: on_env put the clean HTML of every
    # generated page in place, or the page is refused.
    build = SiteBuild()
    page = Page(None, File("cases/x.md", str(tmp_path), str(tmp_path / "site"), True), {})
    page.meta = {sanitize.GENERATED_KEY: sanitize.GENERATED_VALUE}
    with pytest.raises(PluginError, match=r"^cases/x\.md: its HTML was not sanitised$"):
        build.page_context(page)
    build.clean.add("cases/x.md")
    build.page_context(page)  # cleaned: written
    page.meta = {}
    build.clean.clear()
    build.page_context(page)  # hand-written: written as MkDocs made it


def test_a_page_that_cannot_be_written_fails_the_build_with_its_path(make_repo):
    root = site_repository(make_repo)
    assert smesa_build(root).returncode == 0
    page = root / "content/zh/cases/alpha-finance.md"
    page.unlink()
    page.mkdir()  # where the manifest lists a generated page
    before = snapshot(root / "site")
    done = smesa_build(root)
    assert done.returncode == 1
    assert f"writing the pages failed: GenerateError: cannot write {page}: Is a directory" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr
    assert snapshot(root / "site") == before


def test_a_missing_cjk_font_fails_the_build_clearly(make_repo, monkeypatch):
    from mkdocs.exceptions import Abort

    from smesa.site.build import build_site

    root = site_repository(make_repo)
    before = old_site(root)
    monkeypatch.setattr(charts, "CJK_FAMILY", "No Such CJK Font")  # as on a bare machine
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    with pytest.raises(Abort, match=r"ChartFontMissing: the Chinese charts need .*fonts-noto-cjk"):
        build_site(root, today=TODAY)
    assert snapshot(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("site")) == ["site"]


def test_unused_theme_assets_are_not_deployed(site: Path):
    assets = [p.relative_to(site).as_posix() for p in (site / "assets").rglob("*") if p.is_file()]
    assert not [a for a in assets if a.endswith(".map") or "/lunr/" in a or "/workers/" in a]
    for path in (site / "assets").rglob("*"):
        if path.suffix in (".js", ".css"):
            assert b"sourceMappingURL" not in path.read_bytes(), path
    # Material's bundle and palettes: no page loads them (overrides/main.html).
    assert not [a for a in assets if "/bundle." in a or "/palette." in a]
    assert any(a.startswith("assets/stylesheets/main.") for a in assets)  # the theme's own
    pages = [p.read_text("utf-8") for p in site.rglob("*.html")]
    assert not [page for page in pages if "/bundle." in page or "/palette." in page]


def test_pages_not_written_yet_are_listed_where_mkdocs_lists_them(tmp_path: Path):
    # MkDocs lists docs_dir before the children have written the pages; the build adds
    # the missing ones. The listing must be the one MkDocs makes once they are written.
    names = ("mkdocs.yml", "overrides", "hooks")
    root = copy_site_sources(ROOT, RepoFactory(tmp_path)(), names=names)
    config = load_config(str(root / "mkdocs.yml"))
    site = SiteBuild()
    site.pages = PageWriter(load_repository(root, TODAY), Path(config.docs_dir))
    before = get_files(config)
    assert len(before) < len(site.pages.files)  # the hand-written pages only
    listed = site.on_files(before, config)
    site.pages.wait("en")
    site.pages.wait("zh")
    on_disk = get_files(config)
    assert [f.src_uri for f in listed] == [f.src_uri for f in on_disk]
    assert [f.dest_uri for f in listed] == [f.dest_uri for f in on_disk]


def test_the_search_index_is_the_one_pagefinds_command_line_builds(site: Path, tmp_path: Path):
    # The build has Pagefind read the English pages while MkDocs builds the Chinese ones,
    # then the rest; the result must be what `pagefind --site` makes of the same pages
    # (as Pagefind saw them: before the Chinese ones were marked zh-Hans).
    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    marked = 0
    for page in copy.rglob("*.html"):
        html = page.read_bytes()
        unmarked = html.replace(b'<html lang="zh-Hans"', b'<html lang="zh"', 1)
        marked += unmarked != html
        page.write_bytes(unmarked)
    assert marked == len(list((copy / "zh").rglob("*.html")))
    subprocess.run(pagefind.command(copy), check=True, capture_output=True)

    def tree(folder: Path) -> dict[str, bytes]:
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file()
        }

    assert tree(site / "pagefind") == tree(copy / "pagefind")
