"""What a reader reads: the real site built from the shipped data, every page of both
languages, scanned for the machinery's fingerprints (issue 12).

- no record id of data/ in any visible text, no ISO date, no raw SMEWG session code
  ("SMEWG61"), whether the generator wrote the text (facts, tables, headings, cards) or
  a contributor did (a record's Markdown: minutes, bodies, summaries), no Markdown syntax
  left in the text, no heading without content under it;
- on every /zh/ page: <html lang="zh-Hans">, no sentence in Latin letters only, and no
  half-width comma, colon, semicolon or bracket touching Chinese text. Text marked
  English (lang="en": the contributors' data rules), code and the language menu's
  "English" are not Chinese text.

The expectations come from data/ (the ids) and from the rules above, never from the
built pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser, LexborNode

from tests.browser.local_site import build_site, copy_site_sources
from tests.conftest import ROOT, TODAY

SKIPPED_DIRS = ("assets/", "pagefind/", "data/", "schema/")
# The contributors' section (the data rules, English only, out of the navigation) is
# about YAML: its dates are YAML values. Record ids and headings are checked there too.
CONTRIBUTORS = ("rules/", "zh/rules/")
ANNUAL_REPORTS = ("reports/annual-", "zh/reports/annual-")
NOT_TEXT = "script, style, svg, code, pre, .headerlink, template"
# Written by the generator, not by contributors: facts, tables, headings, cards, nav.
GENERATED_TEXT = "dd, dt, td, th, h1, h2, h3, h4, h5, h6, .smesa-cards li, .md-nav, footer"

CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
HALF_WIDTH = r"[,;:!?()]"
HALF_WIDTH_IN_CHINESE = re.compile(rf"[{CJK}]\s*{HALF_WIDTH}|{HALF_WIDTH}\s*[{CJK}]")
LATIN_WORDS = re.compile(r"[A-Za-z]{2,}(?:[ '’-]+[A-Za-z]{2,})+")
# Names that stay in Latin letters in Chinese text.
LATIN_NAMES = {"APEC SMESA", "JSON Schema"}
URL = re.compile(r"(?:https?://|mailto:)\S+")
ISO_DATE = re.compile(r"(?<![\d/])\d{4}-(?:0[1-9]|1[0-2])(?:-\d{2})?(?![\d/])")
RAW_SESSION = re.compile(r"(?<![/\w])SMEWG\d+(?![/\w])")
MARKDOWN_RESIDUE = re.compile(
    r"(?:^|[:：]\s*)[-*+] \S"  # a list item run into the text before it
    r"|\s[-*+] \S.*\s[-*+] \S"  # two list items run together
    r"|\*\*|__|`|\]\(|\{:"  # emphasis, code, links, attribute lists
    r"|^#{1,6} "  # a heading
)


def record_ids() -> set[str]:
    ids = set()
    for path in (ROOT / "data").rglob("*.yml"):
        if "reference" in path.parts:
            continue
        record = yaml.safe_load(path.read_text("utf-8"))
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            ids.add(record["id"])
    return ids


IDS = record_ids()
ID_PATTERN = re.compile(
    r"(?<![\w/.-])(?:"
    + "|".join(map(re.escape, sorted(IDS, key=len, reverse=True)))
    + r")(?![\w/-])"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site_sources(ROOT, tmp_path_factory.mktemp("text-site"))
    return build_site(root, TODAY)


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, LexborHTMLParser]:
    found = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(SKIPPED_DIRS):
            continue
        tree = LexborHTMLParser(path.read_text("utf-8"))
        for node in tree.css(NOT_TEXT):
            node.decompose()
        found[rel] = tree
    assert len(found) > 100, sorted(found)
    return found


def blocks(tree: LexborHTMLParser, selector: str = "p, li, dd, dt, td, th, h1, h2, h3, h4, h5, h6"):
    """The text of each block of the page's body, one line each."""
    body = tree.body
    assert body is not None
    for node in body.css(selector):
        text = " ".join(node.text(separator=" ").split())
        if text:
            yield node, text


def test_no_record_id_in_any_visible_text(pages: dict[str, LexborHTMLParser]) -> None:
    assert len(IDS) > 40
    found = []
    for rel, tree in pages.items():
        text = tree.body.text(separator=" ") if tree.body else ""
        found += [f"{rel}: {hit}" for hit in sorted(set(ID_PATTERN.findall(text)))]
    assert found == []


def test_no_iso_date_and_no_raw_session_code(pages: dict[str, LexborHTMLParser]) -> None:
    found = []
    for rel, tree in pages.items():
        if rel.startswith(CONTRIBUTORS):
            continue
        text = tree.body.text(separator=" ") if tree.body else ""
        found += [f"{rel}: date {hit}" for hit in sorted(set(ISO_DATE.findall(text)))]
        # Generated text, and the blocks of contributors' Markdown (p, li, ...), except
        # in an annual report: it is printed as the SMEWG approved it (tests/golden).
        contributed = [] if rel.startswith(ANNUAL_REPORTS) else list(blocks(tree))
        for _, block in [*blocks(tree, GENERATED_TEXT), *contributed]:
            found += [f"{rel}: code {hit} in {block[:60]!r}" for hit in RAW_SESSION.findall(block)]
    assert sorted(set(found)) == []


def test_no_markdown_residue(pages: dict[str, LexborHTMLParser]) -> None:
    found = []
    for rel, tree in pages.items():
        if rel.startswith(CONTRIBUTORS):
            continue
        for _, text in blocks(tree):
            if MARKDOWN_RESIDUE.search(text):
                found.append(f"{rel}: {text[:80]!r}")
    assert found == []


# Words run together where a template printed a separator: "Liqun,School",
# "University(since", "endorsement:Members".
RUN_TOGETHER = re.compile(r"[a-z][,;:)][A-Za-z]|[a-z]\([a-z]")


def test_no_words_run_together_in_english(pages: dict[str, LexborHTMLParser]) -> None:
    found = []
    for rel, tree in pages.items():
        if rel.startswith(("zh/", *CONTRIBUTORS)):
            continue
        for node, _ in blocks(tree):
            # The text as written, inline elements joined as they are ("<b>x:</b>y").
            text = " ".join(node.text(separator="").split())
            found += [
                f"{rel}: {hit.group(0)!r} in {text[:70]!r}" for hit in RUN_TOGETHER.finditer(text)
            ]
    assert found == []


def test_every_heading_has_content(pages: dict[str, LexborHTMLParser]) -> None:
    """A heading followed by a heading of the same or a higher level heads nothing (the
    "Minutes" heading whose sections sat beside it)."""
    found = []
    for rel, tree in pages.items():
        article = tree.css_first("article")
        if article is None:
            continue
        children = [c for c in article.iter() if c.tag != "-text"]
        for here, after in zip(children, [*children[1:], None], strict=True):
            level = heading_level(here)
            if level and level > 1 and (after is None or 0 < heading_level(after) <= level):
                found.append(f"{rel}: {here.text().strip()!r}")
    assert found == []


def heading_level(node: LexborNode) -> int:
    return int(node.tag[1]) if re.fullmatch(r"h[1-6]", node.tag or "") else 0


# -- Chinese pages ---------------------------------------------------------------------


def chinese_texts(tree: LexborHTMLParser) -> Iterator[str]:
    """Text nodes of a Chinese page's body that are meant to be Chinese."""
    body = tree.body
    assert body is not None
    for node in body.css('[lang^="en"], .md-select__list, .md-sidebar[hidden]'):
        node.decompose()
    for node in body.traverse(include_text=True):
        if node.tag == "-text":
            text = " ".join((node.text_content or "").split())
            if text:
                yield text


@pytest.fixture(scope="module")
def chinese_pages(site: Path) -> dict[str, LexborHTMLParser]:
    found = {}
    for path in sorted((site / "zh").rglob("*.html")):
        tree = LexborHTMLParser(path.read_text("utf-8"))
        for node in tree.css(NOT_TEXT):
            node.decompose()
        found[path.relative_to(site).as_posix()] = tree
    assert len(found) > 50
    return found


def test_chinese_pages_say_they_are_simplified_chinese(
    chinese_pages: dict[str, LexborHTMLParser],
) -> None:
    langs = {
        rel: tree.css_first("html").attributes.get("lang") for rel, tree in chinese_pages.items()
    }
    assert {rel: lang for rel, lang in langs.items() if lang != "zh-Hans"} == {}


def test_no_latin_only_sentence_on_chinese_pages(
    chinese_pages: dict[str, LexborHTMLParser],
) -> None:
    found = []
    for rel, tree in chinese_pages.items():
        for text in chinese_texts(tree):
            for sentence in re.split(r"[。！？；\n]", text):
                if re.search(rf"[{CJK}]", sentence) or URL.fullmatch(sentence.strip()):
                    continue
                for words in LATIN_WORDS.findall(sentence):
                    if words not in LATIN_NAMES:
                        found.append(f"{rel}: {sentence.strip()[:80]!r}")
                        break
    assert found == []


def test_no_half_width_punctuation_in_chinese_text(
    chinese_pages: dict[str, LexborHTMLParser],
) -> None:
    found = []
    for rel, tree in chinese_pages.items():
        for text in chinese_texts(tree):
            if HALF_WIDTH_IN_CHINESE.search(text):
                found.append(f"{rel}: {text[:80]!r}")
    assert found == []


def test_one_name_for_the_alliance_in_chinese(
    chinese_pages: dict[str, LexborHTMLParser],
) -> None:
    """亚太经合组织中小企业服务联盟, never "APEC中小企业服务联盟" beside it (but in the
    Terms of Reference's own text: its Chinese original is quoted as written)."""
    found = []
    for rel, tree in chinese_pages.items():
        if rel == "zh/about/tor/index.html":
            continue
        for text in chinese_texts(tree):
            if re.search(r"APEC\s*中小企业服务联盟", text):
                found.append(f"{rel}: {text[:80]!r}")
    assert found == []


def test_result_periods_are_in_the_page_language(pages: dict[str, LexborHTMLParser]) -> None:
    """A case result's period reads "2025年" or "2024年7月至2025年3月" on a Chinese page."""
    periods = [
        (rel, node.text(strip=True))
        for rel, tree in pages.items()
        if rel.startswith("zh/cases/")
        for node in tree.css(".smesa-result__period")
    ]
    assert periods
    assert [(rel, text) for rel, text in periods if re.search(r"[A-Za-z]", text)] == []


@pytest.mark.parametrize(
    ("period", "en", "zh"),
    [
        ("2024-07 to 2025-03", "July 2024 – March 2025", "2024年7月至2025年3月"),
        ("2025", "2025", "2025年"),
        ("2025-03", "March 2025", "2025年3月"),
    ],
)
def test_periods_in_words(period: str, en: str, zh: str) -> None:
    from smesa.site.generate import format_period

    assert (format_period(period, "en"), format_period(period, "zh")) == (en, zh)
