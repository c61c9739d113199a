"""Every kind of page on phones and on a desktop, in both languages, in headless Chromium:
no sideways scrolling at 320, 360 and 390 px, tables and charts that fit or scroll
inside themselves, legible charts without layout shift, a keyboard path through the
header that skips hidden menus, and axe on every page kind.

Screenshots of every page kind (desktop and 390 px, both languages) are written to
tests/browser/screenshots/ (git-ignored, or $SMESA_SCREENSHOTS) for people to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from smesa.data import models
from smesa.data.repository import load_repository
from tests.conftest import ROOT, TODAY

pytestmark = pytest.mark.browser

REPO = load_repository(ROOT, TODAY)


def first_published(model: type[models.Output]) -> str:
    ids = sorted(e.record.id for e in REPO.of(model) if e.record.status == "published")
    assert ids, f"no published {model.kind} in data/"
    return ids[0]


def a_case_with_results() -> str:
    cases = sorted(
        (e.record for e in REPO.of(models.Case) if e.record.status == "published"),
        key=lambda case: case.id,
    )
    return next(case.id for case in cases if case.results)


MEMBER = sorted(e.record.id for e in REPO.of(models.Member))[0]
RULE = "sm101"

# One page of each kind, inside a language folder.
PAGE_KINDS = {
    "home": "/",
    "about": "/about/",
    "tor": "/about/tor/",
    "members": "/members/",
    "member": f"/members/{MEMBER}/",
    "cases": "/cases/",
    "case": f"/cases/{a_case_with_results()}/",
    "meetings": "/meetings/",
    "meeting": f"/meetings/{first_published(models.Meeting)}/",
    "recommendations": "/recommendations/",
    "recommendation": f"/recommendations/{first_published(models.Proposal)}/",
    "activities": "/activities/",
    "activity": f"/activities/{first_published(models.Activity)}/",
    "reports": "/reports/",
    "report": f"/reports/{first_published(models.Report)}/",
    "status": "/reports/status/",
    "statistics": "/statistics/",
    "search": "/search/",
    "rules": "/rules/",
    "rule": f"/rules/{RULE}/",
    "404": "/404.html",
}
LANGUAGES = {"en": "", "zh": "/zh"}
PHONES = (320, 360, 390)
DESKTOP = 1280

SCREENSHOTS = Path(os.environ.get("SMESA_SCREENSHOTS", Path(__file__).parent / "screenshots"))


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="en-US")
    yield context
    context.close()


def open_at(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url, wait_until="load")
    return page


OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")].filter((node) => {
        const box = node.getBoundingClientRect();
        if (box.width === 0 || getComputedStyle(node).visibility === "hidden") return false;
        // Inside something that scrolls sideways by itself (a table, a chart): fine.
        for (let up = node.parentElement; up && up !== document.body; up = up.parentElement) {
            const style = getComputedStyle(up);
            if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) return false;
        }
        return box.right > width + 0.5 || box.left < -0.5;
    });
    return {
        scroll: document.documentElement.scrollWidth - width,
        wide: wide.slice(0, 5).map((n) => n.tagName.toLowerCase() + "." + n.className),
    };
}"""


@pytest.mark.parametrize("width", PHONES)
def test_no_page_scrolls_sideways_on_a_phone(browser: Browser, base_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 740})
    too_wide = {}
    try:
        page = context.new_page()
        for lang, prefix in LANGUAGES.items():
            for kind, path in PAGE_KINDS.items():
                page.goto(base_url + prefix + path, wait_until="load")
                found = page.evaluate(OVERFLOW)
                if found["scroll"] > 0 or found["wide"]:
                    too_wide[f"{lang} {kind}"] = found
    finally:
        context.close()
    assert too_wide == {}


# Load the images a reader would reach by scrolling (the charts are loading="lazy"; a
# full-page screenshot does not scroll), then name those that did not load.
LOAD_IMAGES = """async () => {
    const images = [...document.images];
    images.forEach((image) => { image.loading = "eager"; });
    const loaded = (image) => image.complete ? null : new Promise((done) => {
        image.addEventListener("load", done); image.addEventListener("error", done);
        setTimeout(done, 5000);
    });
    await Promise.all(images.map(loaded));
    return images.filter((image) => image.naturalWidth === 0).map((image) => image.currentSrc);
}"""


def test_screenshots_of_every_page_kind(browser: Browser, base_url: str) -> None:
    """Full-page screenshots for review, with every image loaded as a reader scrolling
    down would see it; each must be a real, non-empty PNG, and no image may be broken."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    written, broken = [], []
    for width in (DESKTOP, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            for lang, prefix in LANGUAGES.items():
                for kind, path in PAGE_KINDS.items():
                    page.goto(base_url + prefix + path, wait_until="load")
                    broken += [(lang, kind, width, src) for src in page.evaluate(LOAD_IMAGES)]
                    target = SCREENSHOTS / f"{lang}-{kind}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
        finally:
            context.close()
    assert len(written) == 2 * len(LANGUAGES) * len(PAGE_KINDS)
    assert broken == []
    for target in written:
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 5000


# -- tables, charts, images ------------------------------------------------------------


TABLES = """() => [...document.querySelectorAll("article table")].map((table) => {
    const frame = table.closest(".md-typeset__scrollwrap") || table.parentElement;
    const style = getComputedStyle(frame);
    return {
        fits: table.getBoundingClientRect().width <= frame.clientWidth + 1,
        scrolls: style.overflowX,
        focusable: frame.tabIndex === 0,
        cue: (style.backgroundImage.match(/radial-gradient/g) || []).length === 2
            && style.backgroundAttachment.includes("local")
            && getComputedStyle(table).backgroundColor === "rgba(0, 0, 0, 0)",
    };
})"""


@pytest.mark.parametrize("width", PHONES)
def test_tables_scroll_inside_themselves_with_a_cue(
    browser: Browser, base_url: str, width: int
) -> None:
    """A table wider than a phone (the reports' activities, the dashboard, statistics)
    scrolls in its own frame, which takes focus (keyboard) and shows a shadow at the
    edge with more to see. Case results are cards, not tables: they stack."""
    context = browser.new_context(viewport={"width": width, "height": 740})
    wide, found, overflowing = {}, 0, 0
    try:
        page = context.new_page()
        for lang, prefix in LANGUAGES.items():
            for kind in ("report", "status", "statistics", "case"):
                page.goto(base_url + prefix + PAGE_KINDS[kind], wait_until="load")
                frames = page.evaluate(TABLES)
                if kind == "case":
                    assert frames == [] and page.locator("ul.smesa-results li").count() > 0
                found += len(frames)
                overflowing += sum(not f["fits"] for f in frames)
                bad = [
                    f
                    for f in frames
                    if not f["fits"]
                    and not (f["scrolls"] in ("auto", "scroll") and f["focusable"] and f["cue"])
                ]
                if bad:
                    wide[f"{lang} {kind}"] = bad
    finally:
        context.close()
    assert found and wide == {}
    # The reports' activity tables are wider than the narrowest phone: the cue is seen.
    assert overflowing or width > 320


# The smallest text a chart draws, in px at its own size (9 pt; smesa.report.charts).
CHART_TEXT_PX = 12


@pytest.mark.parametrize("width", (320, 390, DESKTOP))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_charts_are_legible_and_sized_at_every_width(
    browser: Browser, base_url: str, lang: str, width: int
) -> None:
    """Every chart is sized before it loads (no layout shift) and shown at its own size:
    its smallest text is 12 px on screen. Phones get the narrow variant (288 px), so it
    fits the column instead of scrolling at 691 px."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = open_at(context, base_url + LANGUAGES[lang] + PAGE_KINDS["statistics"])
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function(
        "[...document.querySelectorAll('article img')].every((img) => img.complete)"
    )
    images = page.evaluate(
        """() => [...document.querySelectorAll("article img.smesa-chart")].map((img) => {
            const source = img.closest("picture")?.querySelector("source");
            const narrow = img.currentSrc.endsWith(".narrow.svg");
            const sized = narrow ? source : img;
            return {
                src: img.currentSrc.split("/").pop(),
                narrow,
                width: Number(sized.getAttribute("width")),
                height: Number(sized.getAttribute("height")),
                natural: img.naturalWidth,
                shown: img.getBoundingClientRect().width,
                shownHeight: img.getBoundingClientRect().height,
                column: img.closest("article").clientWidth,
            };
        })"""
    )
    context.close()
    assert len(images) >= 5
    for image in images:
        assert image["narrow"] == (width < 768), image
        assert image["width"] > 0 and image["height"] > 0, image
        # Drawn at the size it announced, and shown at that size: nothing shifts, and the
        # text is drawn at its own size, not scaled down.
        assert abs(image["natural"] - image["width"]) <= 1, image
        ratio = image["height"] / image["width"]
        assert abs(image["shownHeight"] - image["shown"] * ratio) <= 1, image
        assert CHART_TEXT_PX * image["shown"] / image["natural"] >= CHART_TEXT_PX - 0.1, image
        if width >= 320:
            assert image["shown"] <= image["column"], image


def test_home_and_statistics_do_not_shift_while_loading(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    context.add_init_script(
        """window.__shift = 0;
        new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) {
                if (!entry.hadRecentInput) window.__shift += entry.value;
            }
        }).observe({ type: "layout-shift", buffered: true });"""
    )
    shifts = {}
    try:
        for lang, prefix in LANGUAGES.items():
            for kind in ("home", "statistics", "cases"):
                page = open_at(context, base_url + prefix + PAGE_KINDS[kind])
                page.wait_for_load_state("networkidle")
                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                page.wait_for_timeout(300)
                shifts[f"{lang} {kind}"] = page.evaluate("window.__shift")
                page.close()
    finally:
        context.close()
    assert {key: value for key, value in shifts.items() if value > 0.01} == {}


# -- keyboard --------------------------------------------------------------------------

FOCUSED = """() => {
    const node = document.activeElement;
    return {
        tag: node.tagName.toLowerCase(),
        cls: node.className || "",
        inDrawer: !!node.closest(".md-sidebar--primary"),
        inMenu: !!node.closest(".md-select__inner"),
        visible: node.getClientRects().length > 0 && getComputedStyle(node).visibility !== "hidden",
    };
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keyboard_reaches_the_menu_and_skips_hidden_links(
    phone: BrowserContext, base_url: str, lang: str
) -> None:
    page = open_at(phone, base_url + LANGUAGES[lang] + PAGE_KINDS["case"])
    path = []
    for _ in range(40):
        page.keyboard.press("Tab")
        path.append(page.evaluate(FOCUSED))
    assert [step for step in path if step["inDrawer"] or not step["visible"]] == []
    menu = [i for i, step in enumerate(path) if "smesa-menu-button" in step["cls"]]
    assert menu and menu[0] <= 2, path[:5]

    # The menu opens with the keyboard, and then its links take focus; Escape closes it.
    page.focus(".smesa-menu-button")
    page.keyboard.press("Enter")
    assert page.get_attribute(".smesa-menu-button", "aria-expanded") == "true"
    page.wait_for_timeout(400)
    assert page.evaluate(FOCUSED)["inDrawer"]
    page.keyboard.press("Escape")
    assert page.get_attribute(".smesa-menu-button", "aria-expanded") == "false"
    assert "smesa-menu-button" in page.evaluate(FOCUSED)["cls"]
    page.close()


# -- header search ----------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "query"), [("en", "export"), ("zh", "出口")])
def test_header_search_puts_the_query_in_the_url(
    phone: BrowserContext, base_url: str, lang: str, query: str
) -> None:
    prefix = LANGUAGES[lang]
    page = open_at(phone, base_url + prefix + PAGE_KINDS["about"])
    page.fill("#smesa-q", query)
    with page.expect_navigation():
        page.press("#smesa-q", "Enter")
    assert page.url.startswith(f"{base_url}{prefix}/search/?q=")
    page.wait_for_selector(".pagefind-ui__result-link")
    assert page.input_value(".pagefind-ui__search-input") == query
    # Typing more keeps the URL in step: a reload runs the same search.
    longer = query + "s"
    page.fill(".pagefind-ui__search-input", longer)
    page.wait_for_function("(q) => new URLSearchParams(location.search).get('q') === q", arg=longer)
    page.close()


# -- accessibility ----------------------------------------------------------------------

# axe-core from npm (scripts/install-node-tools.sh), injected into each page: no request.
AXE_CORE = ROOT / ".node-tools" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
    const results = await axe.run(document, { resultTypes: ["violations"] });
    return results.violations.map((v) => v.id + ": " + v.nodes[0].target.join(" "));
}"""


@pytest.mark.parametrize("width", (DESKTOP, 390))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_violation_on_any_page_kind(
    browser: Browser, base_url: str, lang: str, width: int
) -> None:
    assert AXE_CORE.is_file(), "axe-core is missing: run scripts/install-node-tools.sh"
    context = browser.new_context(viewport={"width": width, "height": 900})
    found = {}
    try:
        page = context.new_page()
        for kind, path in PAGE_KINDS.items():
            page.goto(base_url + LANGUAGES[lang] + path, wait_until="load")
            page.add_script_tag(path=str(AXE_CORE))
            violations = page.evaluate(AXE_RUN)
            if violations:
                found[kind] = violations
    finally:
        context.close()
    assert found == {}
