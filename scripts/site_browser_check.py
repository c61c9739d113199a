"""Check the built site in headless Chromium: language switch, Pagefind search, 404 pages.

Serves ``site/`` on 127.0.0.1 and fails if any request leaves it, any response is 4xx/5xx,
or the console logs an error. Usage: ``python scripts/site_browser_check.py [site_dir]``.
"""

import subprocess
import sys
import time

from playwright.sync_api import Page, sync_playwright

PORT = 8766
BASE = f"http://127.0.0.1:{PORT}"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def switch_language(page: Page, lang: str) -> tuple[str, str]:
    page.click(".md-select .md-header__button")
    page.click(f"a.md-select__link[hreflang={lang}]")
    page.wait_for_load_state("networkidle")
    return page.url.removeprefix(BASE), page.evaluate("document.documentElement.lang")


def search(page: Page, path: str, query: str) -> list[str]:
    page.goto(BASE + path)
    page.wait_for_load_state("networkidle")
    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    return [a.get_attribute("href") for a in page.query_selector_all(".pagefind-ui__result-link")]


def main(site_dir: str) -> int:
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(PORT), "--bind", "127.0.0.1", "-d", site_dir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1)
    requests, failures, console = [], [], []
    checks = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("response", lambda r: r.status >= 400 and failures.append((r.status, r.url)))
            page.on("console", lambda m: m.type == "error" and console.append(m.text))
            page.on("pageerror", lambda e: console.append(str(e)))
            page.goto(BASE + "/about/")
            page.wait_for_load_state("networkidle")
            checks.append(("en->zh", switch_language(page, "zh"), ("/zh/about/", "zh")))
            checks.append(("zh->en", switch_language(page, "en"), ("/about/", "en")))
            checks.append(("search en", "/" in search(page, "/search/", "secretariat"), True))
            checks.append(("search zh", "/zh/" in search(page, "/zh/search/", "秘书处"), True))
            for path, lang in (("/404.html", "en"), ("/zh/404.html", "zh")):
                page.goto(BASE + path)
                checks.append((path, page.evaluate("document.documentElement.lang"), lang))
            browser.close()
    finally:
        server.terminate()
        server.wait()
    external = sorted({url for url in requests if not url.startswith(BASE + "/")})
    checks += [("external", external, []), ("4xx", failures, []), ("console", console, [])]
    ok = True
    for name, got, expected in checks:
        ok &= got == expected
        print(f"{'ok  ' if got == expected else 'FAIL'} {name}: {got!r}")
    print(f"{len(requests)} requests, all on {BASE}" if not external else "")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "site"))
