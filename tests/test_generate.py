"""The page generator on real repositories written to disk (no MkDocs build)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from smesa.check.rules import RULES
from smesa.data.repository import load_repository
from smesa.site import generate as gen
from smesa.site.sanitize import clean_html
from tests.conftest import ROOT, TODAY, RepoFactory, baseline, text

CASE = "data/cases/2025/alpha-finance.yml"
DRAFT = "data/cases/2025/alpha-draft.yml"


def with_draft() -> dict:
    files = baseline()
    draft = copy.deepcopy(files[CASE])
    draft.update(id="alpha-draft", status="draft", title=text("Unpublished idea", "未发布"))
    draft.pop("approval")
    draft.pop("published")
    files[DRAFT] = draft
    return files


RULE_PAGES = sorted(["en/rules/index.md", *(f"en/rules/{rule.id.lower()}.md" for rule in RULES)])


def run(root: Path) -> list[str]:
    docs = root / "content"
    return [
        p.relative_to(docs).as_posix() for p in gen.generate(load_repository(root, TODAY), docs)
    ]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = RepoFactory(tmp_path_factory.mktemp("gen"))(with_draft())
    return root / "content", run(root)


def page(docs: Path, rel: str) -> str:
    return (docs / rel).read_text("utf-8")


def test_pages_for_the_fixture(generated):
    _, files = generated
    pages = [f for f in files if f.startswith("en/")]
    assert pages == [
        "en/about/index.md",
        "en/activities/alpha-training-2025.md",
        "en/activities/index.md",
        "en/cases/alpha-finance.md",
        "en/cases/index.md",
        "en/index.md",
        "en/meetings/index.md",
        "en/meetings/plenary-2025.md",
        "en/members/alpha.md",
        "en/members/beta.md",
        "en/members/index.md",
        "en/recommendations/index.md",
        "en/reports/annual-2026.md",
        "en/reports/annual-report-2025.md",
        "en/reports/index.md",
        "en/reports/status.md",
        *RULE_PAGES,
        "en/statistics/index.md",
    ]


def test_every_page_exists_in_both_languages(generated):
    _, files = generated
    english = {f.removeprefix("en/") for f in files if f.startswith("en/")}
    chinese = {f.removeprefix("zh/") for f in files if f.startswith("zh/")}
    assert english == chinese
    assert len(english) > 10


def test_unpublished_records_get_no_page_and_no_mention(generated):
    docs, files = generated
    assert not any("alpha-draft" in f or "recommendations-2025" in f for f in files)
    for rel in files:
        if rel.endswith(".md"):
            content = page(docs, rel)
            assert "Unpublished idea" not in content and "alpha-draft" not in content
            assert "Late payment hurts SMEs" not in content  # the submitted proposal


def test_case_page_shows_economy_member_topics_and_approval(generated):
    docs, _ = generated
    en = page(docs, "en/cases/alpha-finance.md")
    assert "People&#39;s Republic of China" in en
    assert "[Alpha SME Centre](../members/alpha.md)" in en
    assert "Access to finance" in en
    assert "20 May 2025, 2025/SMEWG60/011" in en
    zh = page(docs, "zh/cases/alpha-finance.md")
    assert "中国" in zh and "融资服务" in zh and "2025年5月20日，2025/SMEWG60/011" in zh
    assert "示例数据" in zh and "Sample data" in en
    assert "smesa: generated" in zh


def test_members_grouped_by_economy_with_apec_names(generated):
    docs, _ = generated
    assert "## People&#39;s Republic of China" in page(docs, "en/members/index.md")
    zh = page(docs, "zh/members/index.md")
    assert "## 中国" in zh and "## 中国台北" in zh


def test_about_shows_term_presidium_secretariat_and_advisors(generated):
    docs, _ = generated
    en = page(docs, "en/about/index.md")
    assert "1 January 2025 to 31 December 2028" in en
    assert "Chair\n:   [Alpha SME Centre](../members/alpha.md)" in en
    assert "Vice Chairs\n:   [Beta Business Network](../members/beta.md)" in en
    assert "Wang Fang" in en and "China Center for Promotion of SME Development" in en
    zh = page(docs, "zh/about/index.md")
    assert "2025年1月1日" in zh and "2028年12月31日" in zh and "王芳" in zh


def test_case_filter_contract(generated):
    docs, _ = generated
    cases = page(docs, "en/cases/index.md")
    for control in ("filter-year", "filter-economy", "filter-topic"):
        assert f'<select id="{control}"><option value="">' in cases
    assert (
        '<li class="smesa-case" data-year="2025" data-economy="PRC" '
        'data-topics="access-to-finance">\n<p class="smesa-card__title">'
        '<a href="alpha-finance/">Faster loans for small firms</a></p>'
    ) in cases
    assert '<span id="case-count">1</span>' in cases


def test_missing_chinese_text_is_announced_on_the_chinese_page(make_repo):
    case = copy.deepcopy(baseline()[CASE])
    case["summary"] = {"en": "Only in English."}
    docs = make_repo(changes={CASE: case}) / "content"
    gen.generate(load_repository(docs.parent, TODAY), docs)
    zh = page(docs, "zh/cases/alpha-finance.md")
    assert "尚无中文译文" in zh and "Only in English." in zh
    assert "为小企业提供更快贷款" in zh  # the Chinese title is still used
    assert "尚无中文译文" not in page(docs, "zh/cases/index.md")
    assert "No English text yet" not in page(docs, "en/cases/alpha-finance.md")


def test_plain_text_cannot_become_markup_and_front_matter_is_escaped(make_repo):
    case = copy.deepcopy(baseline()[CASE])
    case["title"] = text('A *bold* [link](javascript:x) <b onclick="x">"quoted"</b>', "标题")
    docs = make_repo(changes={CASE: case}) / "content"
    gen.generate(load_repository(docs.parent, TODAY), docs)
    en = page(docs, "en/cases/alpha-finance.md")
    assert (
        "# A \\*bold\\* \\[link\\](javascript:x) &lt;b onclick=&#34;x&#34;&gt;"
        "&#34;quoted&#34;&lt;/b&gt;"
    ) in en
    assert "title: A *bold* [link](javascript:x) &lt;b onclick=&quot;x&quot;&gt;" in en


def test_unchanged_repository_rewrites_nothing_and_stale_pages_go(make_repo):
    root = make_repo(with_draft())
    first = run(root)
    docs = root / "content"
    times = {rel: (docs / rel).stat().st_mtime_ns for rel in first}
    assert run(root) == first
    assert {rel: (docs / rel).stat().st_mtime_ns for rel in first} == times

    (root / "data/meetings/plenary-2025.yml").unlink()
    (root / "data/presidium/presidium-2025-2028.yml").unlink()
    third = run(root)
    assert sorted(set(first) - set(third)) == [
        "en/meetings/plenary-2025.md",
        "zh/meetings/plenary-2025.md",
    ]
    assert not (docs / "en/meetings/plenary-2025.md").exists()
    assert json.loads((docs / gen.MANIFEST).read_text("utf-8")) == third
    assert gen.hand_written_files(docs) == []


def test_a_hand_written_page_is_never_overwritten(make_repo):
    root = make_repo()
    hand_written = root / "content/en/cases/index.md"
    hand_written.parent.mkdir(parents=True)
    hand_written.write_text("# My own page\n", "utf-8")
    with pytest.raises(gen.GenerateError, match="was not generated"):
        run(root)
    assert hand_written.read_text("utf-8") == "# My own page\n"


def test_sanitiser_drops_active_content_and_keeps_the_page_structure():
    dirty = (
        '<h2 id="服务内容">服务内容<a class="headerlink" href="#服务内容">¶</a></h2>'
        '<p onclick="alert(1)">Text<script>alert(1)</script><img src="x" onerror="alert(1)">'
        '<a href="javascript:alert(1)">x</a><iframe src="https://evil.example">f</iframe></p>'
        '<ul><li class="smesa-case" data-year="2025" data-pagefind-ignore>c</li></ul>'
        '<table><tr><td style="text-align: right; color: red">1</td></tr></table>'
    )
    assert clean_html(dirty) == (
        '<h2 id="服务内容">服务内容<a class="headerlink" href="#服务内容">¶</a></h2>'
        "<p>Text<img><a>x</a></p>"
        '<ul><li class="smesa-case" data-year="2025">c</li></ul>'
        '<table><tbody><tr><td style="text-align:right">1</td></tr></tbody></table>'
    )


def test_page_writer_plans_names_then_writes_each_language(make_repo):
    root = make_repo()
    docs = root / "content"
    writer = gen.PageWriter(load_repository(root, TODAY), docs)
    assert json.loads((docs / gen.MANIFEST).read_text("utf-8")) == writer.files
    assert not any((docs / rel).exists() for rel in writer.files)
    writer.wait("en")
    assert all(writer.is_written(rel) for rel in writer.files if rel.startswith("en/"))
    assert not any(writer.is_written(rel) for rel in writer.files if rel.startswith("zh/"))
    assert "title: Faster loans for small firms" in page(docs, "en/cases/alpha-finance.md")
    assert not (docs / "zh/cases/alpha-finance.md").exists()
    writer.wait("zh")
    assert "为小企业提供更快贷款" in page(docs, "zh/cases/alpha-finance.md")
    # The pages are those `generate` writes, byte for byte.
    written = {rel: page(docs, rel) for rel in writer.files}
    other = make_repo()
    assert run(other) == writer.files
    assert {rel: page(other / "content", rel) for rel in writer.files} == written


def test_page_writer_waits_for_one_page_not_for_its_language(make_repo):
    # MkDocs reads the pages one by one while the children write them, in its order.
    root = make_repo()
    docs = root / "content"
    writer = gen.PageWriter(load_repository(root, TODAY), docs)
    rel = "en/cases/alpha-finance.md"
    assert not writer.is_written(rel) and writer.is_written("en/about/tor.md")  # not ours
    writer.start("en", parts=2)
    writer.wait_for(rel)
    assert writer.is_written(rel)
    assert "title: Faster loans for small firms" in page(docs, rel)
    writer.wait_for("zh/cases/alpha-finance.md")  # a language not started: started, waited
    assert "为小企业提供更快贷款" in page(docs, "zh/cases/alpha-finance.md")
    writer.wait("en")
    paths = [spec.path for spec in writer.specs]  # the order the children write in
    assert paths == sorted(paths, key=gen.listing_key) and len(paths) > 20


def test_page_writer_reports_a_page_it_cannot_write(make_repo):
    root = make_repo()
    docs = root / "content"
    run(root)
    target = docs / "zh/cases/alpha-finance.md"
    target.unlink()
    target.mkdir()  # a folder where the manifest says a generated page is
    writer = gen.PageWriter(load_repository(root, TODAY), docs)
    writer.start("zh")
    with pytest.raises(gen.GenerateError, match=r"cannot write .*alpha-finance\.md: Is a dir"):
        writer.wait("zh")
    with pytest.raises(ValueError, match="not 'fr'"):
        writer.start("fr")


def test_no_sample_page_repeats_a_heading(tmp_path: Path):
    # A repeated heading repeats in the table of contents (and gets a numbered anchor):
    # the template's own headings must not collide with those cases use.
    docs = tmp_path / "content"
    repeated = {}
    for path in gen.generate(load_repository(ROOT, TODAY), docs):
        headings = [line for line in path.read_text("utf-8").splitlines() if line[:3] == "## "]
        if len(headings) != len(set(headings)):
            repeated[path.relative_to(docs).as_posix()] = headings
    assert repeated == {}


def test_a_page_that_cannot_be_written_names_its_file(tmp_path: Path, make_repo):
    docs = tmp_path / "content"
    (docs / "en").mkdir(parents=True)
    (docs / "en" / "cases").write_text("a file where a folder must be", "utf-8")
    with pytest.raises(gen.GenerateError, match=r"cannot write .*content/en/cases/.*\.md: "):
        gen.generate(load_repository(make_repo(), TODAY), docs)
