"""Fixtures of the browser tests: the real site, built once per pytest process (so once
per xdist worker, each in its own temporary copy of the repository) from the shipped
data, served on 127.0.0.1, and a headless Chromium that records what each page does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, TODAY
from playwright.sync_api import Browser, Page, sync_playwright

from .local_site import build_site, copy_site_sources, launch_chromium, serve


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site_sources(ROOT, tmp_path_factory.mktemp("site-repo"))
    return build_site(root, TODAY)


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@dataclass
class Traffic:
    """Everything a page did on the network and in its console."""

    base_url: str
    requests: list[str] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def external(self) -> list[str]:
        """Requests to anything but the local server (data: and blob: URLs stay local)."""
        local = (self.base_url + "/", "data:", "blob:")
        return sorted({url for url in self.requests if not url.startswith(local)})


@dataclass
class SitePage:
    """A Chromium tab on the local site that records its traffic."""

    page: Page
    traffic: Traffic

    def open(self, path: str, wait_until: str = "load") -> Page:
        self.page.goto(self.traffic.base_url + path, wait_until=wait_until)  # type: ignore[arg-type]
        return self.page

    @property
    def path(self) -> str:
        return self.page.url.removeprefix(self.traffic.base_url)


@pytest.fixture
def site(browser: Browser, base_url: str) -> Iterator[SitePage]:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    traffic = Traffic(base_url)
    # On the context, not the page: requests made by workers are recorded too.
    context.on("request", lambda request: traffic.requests.append(request.url))
    context.on(
        "response",
        lambda response: (
            response.status >= 400 and traffic.failed.append((response.status, response.url))
        ),
    )
    page.on("console", lambda m: m.type == "error" and traffic.errors.append(m.text))
    page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    yield SitePage(page, traffic)
    context.close()
