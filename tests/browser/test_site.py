"""The built bilingual site in headless Chromium: language switch, case filters, search,
no third-party requests (axe runs on every page kind in test_layout.py).

Expected values come from the data files (``load_repository``), never from the built
pages, so a page that lists the wrong cases fails.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import ROOT, TODAY
from playwright.sync_api import Page

from smesa.data import models
from smesa.data.repository import load_repository

from .conftest import SitePage

pytestmark = pytest.mark.browser

REPO = load_repository(ROOT, TODAY)
PUBLISHED_CASES = sorted(
    (e.record for e in REPO.of(models.Case) if e.record.status == "published"),
    key=lambda case: case.id,
)
MEMBERS = {e.record.id: e.record for e in REPO.of(models.Member)}
A_CASE = PUBLISHED_CASES[0].id
A_MEMBER = sorted(MEMBERS)[0]
LANGUAGE_PREFIX = {"en": "", "zh": "/zh"}
# <html lang> and hreflang: the site's Chinese is Simplified Chinese.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}

# Every kind of page, inside a language folder.
PAGES = [
    "/",
    "/about/",
    "/about/tor/",
    "/members/",
    f"/members/{A_MEMBER}/",
    "/cases/",
    f"/cases/{A_CASE}/",
    "/statistics/",
    "/meetings/",
    "/recommendations/",
    "/activities/",
    "/reports/",
    "/search/",
    "/404.html",
]


def assert_clean(site: SitePage) -> None:
    """No request left 127.0.0.1, no response >= 400, no console error."""
    site.page.wait_for_load_state("networkidle")
    traffic = site.traffic
    assert traffic.external == []
    assert traffic.failed == []
    assert traffic.errors == []


# -- language switch -------------------------------------------------------------------


def switch_language(site: SitePage, lang: str) -> tuple[str, str]:
    """Pick `lang` in Material's language menu; return the new path and <html lang>."""
    page = site.page
    page.click(".md-select .md-header__button")
    with page.expect_navigation():
        page.click(f'a.md-select__link[hreflang="{HTML_LANG[lang]}"]')
    return site.path, page.evaluate("document.documentElement.lang")


@pytest.mark.parametrize(
    "path", ["/", "/about/", f"/cases/{A_CASE}/", f"/members/{A_MEMBER}/", "/statistics/"]
)
def test_language_switch_keeps_the_page(site: SitePage, path: str) -> None:
    site.open(path)
    assert switch_language(site, "zh") == (f"/zh{path}", "zh-Hans")
    assert switch_language(site, "en") == (path, "en")
    assert_clean(site)


# -- case library filters --------------------------------------------------------------


def case_economy(case: models.Case) -> str:
    return MEMBERS[case.member].economy


FILTER_VALUE: dict[str, Callable[[models.Case], list[str]]] = {
    "year": lambda case: [str(case.year)],
    "economy": lambda case: [case_economy(case)],
    "topic": lambda case: list(case.topics),
}


def expected_cases(**wanted: str) -> set[str]:
    """Published cases matching every filter, computed from the data files."""
    return {
        case.id
        for case in PUBLISHED_CASES
        if all(value in FILTER_VALUE[key](case) for key, value in wanted.items())
    }


def narrowing_value(key: str) -> str:
    """The most common value of a filter that still hides at least one case."""
    counts = Counter(v for case in PUBLISHED_CASES for v in FILTER_VALUE[key](case))
    for value, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if len(expected_cases(**{key: value})) < len(PUBLISHED_CASES):
            return value
    raise AssertionError(f"no {key} value narrows the sample cases")


def listed_cases(page: Page) -> tuple[set[str], set[str], str]:
    """Cases without the hidden attribute, cases actually rendered, and the shown count."""
    state = page.evaluate(
        """() => {
            const items = [...document.querySelectorAll("#case-list li.smesa-case")];
            const id = (li) => new URL(li.querySelector("a").href).pathname;
            return {
                unhidden: items.filter((li) => !li.hidden).map(id),
                rendered: items.filter((li) => li.getClientRects().length > 0).map(id),
                count: document.getElementById("case-count").textContent.trim(),
            };
        }"""
    )

    def ids(paths: list[str]) -> set[str]:
        assert all("/cases/" in p for p in paths), paths
        return {p.rstrip("/").rsplit("/", 1)[-1] for p in paths}

    return ids(state["unhidden"]), ids(state["rendered"]), state["count"]


def select_filters(site: SitePage, **wanted: str) -> None:
    for key in ("year", "economy", "topic"):
        site.page.select_option(f"#filter-{key}", wanted.get(key, ""))


def location(site: SitePage) -> tuple[str, dict[str, str]]:
    """The page's path and query (the filter state a shared link carries)."""
    url = urlsplit(site.page.url)
    return url.path, dict(parse_qsl(url.query))


def assert_listed(site: SitePage, expected: set[str]) -> None:
    unhidden, rendered, count = listed_cases(site.page)
    assert unhidden == expected
    assert rendered == expected
    assert count == str(len(expected))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_case_filters_narrow_the_list_and_survive_a_reload(site: SitePage, lang: str) -> None:
    prefix = LANGUAGE_PREFIX[lang]
    site.open(f"{prefix}/cases/")
    assert site.page.is_visible("#case-filters")
    assert_listed(site, {case.id for case in PUBLISHED_CASES})

    for key in FILTER_VALUE:
        value = narrowing_value(key)
        select_filters(site, **{key: value})
        assert_listed(site, expected_cases(**{key: value}))
        assert location(site) == (f"{prefix}/cases/", {key: value})

    # All three at once, in the URL, restored by a reload.
    wanted = {"year": narrowing_value("year"), "topic": narrowing_value("topic")}
    wanted["economy"] = case_economy(
        next(c for c in PUBLISHED_CASES if c.id in expected_cases(**wanted))
    )
    select_filters(site, **wanted)
    expected = expected_cases(**wanted)
    assert 0 < len(expected) < len(PUBLISHED_CASES)
    assert_listed(site, expected)
    site.page.reload()
    assert location(site) == (f"{prefix}/cases/", wanted)
    for key, value in wanted.items():
        assert site.page.input_value(f"#filter-{key}") == value
    assert_listed(site, expected)

    select_filters(site)
    assert_listed(site, {case.id for case in PUBLISHED_CASES})
    assert location(site) == (f"{prefix}/cases/", {})
    assert_clean(site)


# -- search ----------------------------------------------------------------------------

SEARCH_ALL = """async (query) => {
    const pagefind = await import("/pagefind/pagefind.js");
    const found = await pagefind.search(query);
    return Promise.all(found.results.map((r) => r.data().then((d) => d.url)));
}"""


@pytest.mark.parametrize(
    ("lang", "query", "case_id"),
    [
        ("en", "fast track", "yongjiang-sme-financing-fast-track"),
        ("zh", "快车道", "yongjiang-sme-financing-fast-track"),
    ],
)
def test_search_finds_the_case_in_the_page_language_only(
    site: SitePage, lang: str, query: str, case_id: str
) -> None:
    case = next(c for c in PUBLISHED_CASES if c.id == case_id)
    assert query in getattr(case.title, lang), "the query must come from the case title"
    prefix = LANGUAGE_PREFIX[lang]
    expected = f"{prefix}/cases/{case_id}/"
    page = site.open(f"{prefix}/search/")

    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_selector(".pagefind-ui__result-link")
    shown = page.eval_on_selector_all(
        ".pagefind-ui__result-link", "links => links.map(a => new URL(a.href).pathname)"
    )
    assert expected in shown

    every = page.evaluate(SEARCH_ALL, query)
    assert expected in every
    if lang == "zh":
        assert all(url.startswith("/zh/") for url in every), every
    else:
        assert not any(url.startswith("/zh/") for url in every), every
    assert_clean(site)


# -- every page stays on 127.0.0.1 ------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_request_leaves_localhost(site: SitePage, lang: str) -> None:
    prefix = LANGUAGE_PREFIX[lang]
    for path in PAGES:
        # Wait for the network to settle: late requests of a page count too.
        site.open(prefix + path, wait_until="networkidle")
    # Pagefind loads its index, fragments and WebAssembly only once someone searches.
    site.open(f"{prefix}/search/")
    site.page.fill(".pagefind-ui__search-input", "SME" if lang == "en" else "中小企业")
    site.page.wait_for_selector(".pagefind-ui__result-link")
    site.page.wait_for_load_state("networkidle")

    visited = {url.removeprefix(site.traffic.base_url) for url in site.traffic.requests}
    assert {prefix + path for path in PAGES} <= visited
    assert any("/pagefind/" in url and "fragment" in url for url in visited)
    assert_clean(site)


def test_not_found_page_in_each_language(site: SitePage) -> None:
    headings = {}
    for lang, prefix in LANGUAGE_PREFIX.items():
        page = site.open(f"{prefix}/404.html")
        assert page.evaluate("document.documentElement.lang") == HTML_LANG[lang]
        headings[lang] = page.inner_text("article h1")
    assert headings["en"].startswith("404")
    assert headings["zh"].startswith("404")
    assert headings["en"] != headings["zh"]
    assert_clean(site)


def test_root_not_found_page_speaks_both_languages(site: SitePage) -> None:
    """The hosting serves only the root 404.html, for Chinese addresses too: it says it in
    both languages, with links home and to the search in each."""
    page = site.open("/zh/no-such-page/")
    assert page.evaluate("document.documentElement.lang") == "en"
    links = page.eval_on_selector_all(
        "article a", "links => links.map(a => new URL(a.href).pathname)"
    )
    assert links == ["/", "/search/", "/zh/", "/zh/search/"]
    assert page.get_attribute("article section", "lang") == "zh-Hans"
    assert "页面未找到" in page.inner_text("article section")


def test_case_filter_is_kept_across_the_language_switch(site: SitePage) -> None:
    value = narrowing_value("topic")
    site.open("/cases/")
    select_filters(site, topic=value)
    switch_language(site, "zh")
    assert location(site) == ("/zh/cases/", {"topic": value})
    assert site.page.input_value("#filter-topic") == value
    assert_listed(site, expected_cases(topic=value))
    switch_language(site, "en")
    assert location(site) == ("/cases/", {"topic": value})
    assert_clean(site)


def test_no_match_shows_the_empty_state_and_a_reset(site: SitePage) -> None:
    """Filters that leave no case say so and offer to show every case again; each option
    says how many cases it leaves."""
    years = {str(case.year) for case in PUBLISHED_CASES}
    pairs = [
        (year, code)
        for year in sorted(years)
        for code in sorted({case_economy(c) for c in PUBLISHED_CASES})
        if not expected_cases(year=year, economy=code)
    ]
    assert pairs, "the sample data must hold a year and an economy with no case together"
    year, code = pairs[0]
    site.open("/cases/")
    label = site.page.eval_on_selector(f'#filter-year option[value="{year}"]', "o => o.textContent")
    assert label.endswith(f"({len(expected_cases(year=year))})")
    select_filters(site, year=year, economy=code)
    assert_listed(site, set())
    assert site.page.is_visible("#case-empty")
    site.page.click("#case-empty .smesa-filter-reset")
    assert_listed(site, {case.id for case in PUBLISHED_CASES})
    assert not site.page.is_visible("#case-empty")
    assert location(site) == ("/cases/", {})
    assert_clean(site)


# -- search snippets -------------------------------------------------------------------

EXCERPTS = """async (query) => {
    const pagefind = await import("/pagefind/pagefind.js");
    const found = await pagefind.search(query);
    return Promise.all(found.results.slice(0, 5).map((r) => r.data().then((d) => d.excerpt)));
}"""


@pytest.mark.parametrize(
    ("lang", "query", "notice"), [("en", "export", "Sample data"), ("zh", "出口", "示例数据")]
)
def test_search_snippets_are_the_page_not_its_notices(
    site: SitePage, lang: str, query: str, notice: str
) -> None:
    site.open(f"{LANGUAGE_PREFIX[lang]}/search/")
    excerpts = site.page.evaluate(EXCERPTS, query)
    assert excerpts
    assert [e for e in excerpts if notice in e] == []
