"""Language alternates: absolute hreflang links, and no sitemap.xml requests per page.

static-i18n rewrites ``extra.alternate`` for every page so the language selector points at
the same page in the other language. Material renders that list twice: as
``<link rel="alternate" hreflang>`` in ``<head>`` (relative URLs, but search engines want
absolute ones) and as the selector menu. Material's bundle would fetch ``sitemap.xml``
next to every ``<link rel="alternate">`` to "stay on page"; the pages do not load the
bundle (overrides/main.html), and each selector link already targets the right page.

So: head links become absolute (from ``site_url``), and the selector keeps page-relative
links (``overrides/partials/alternate.html`` reads ``switch_link``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from smesa.render import inert
from smesa.site import i18n

# The site's Chinese is Simplified Chinese: `zh-Hans` in <html lang> and hreflang (BCP 47),
# where static-i18n and Material say `zh`.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
_ZH_ROOT = re.compile(rb'<html lang="zh"(?=[ >])')


def absolute_alternates(alternates: list[dict[str, Any]], site_url: str) -> list[dict[str, Any]]:
    """Return ``extra.alternate`` entries with an absolute ``link`` and the original kept.

    static-i18n gives site-relative links for pages (``zh/about/``) and absolute paths for
    language roots (``/zh/``); ``urljoin`` resolves both against ``site_url``.
    """
    if not site_url:
        raise PluginError("site_url must be set: hreflang alternates must be absolute URLs")
    return [
        {
            **alt,
            "switch_link": alt["link"],
            "link": urljoin(site_url, alt["link"]),
            "lang": HTML_LANG.get(alt.get("lang", ""), alt.get("lang")),
        }
        for alt in alternates
    ]


def _current(config: MkDocsConfig) -> list[dict[str, Any]]:
    # static-i18n assigns the per-page list as an *attribute* of config.extra (a UserDict),
    # not as a key; Jinja's ``config.extra.alternate`` reads the attribute first.
    return getattr(config.extra, "alternate", None) or config.extra["alternate"]


def _replace(config: MkDocsConfig, value: list[dict[str, Any]]) -> None:
    config.extra.alternate = value
    config.extra["alternate"] = value


def page_alternates(config: MkDocsConfig) -> None:
    """Make the current page's alternates absolute (run after static-i18n's page context)."""
    _replace(config, absolute_alternates(_current(config), config.site_url))


def language_root_alternates(config: MkDocsConfig) -> None:
    """Point a page-less template (404.html) at the language homepages.

    Without this it inherits the alternates of whichever page was rendered last.
    """
    roots = i18n.plugin(config).extra_alternate
    _replace(config, absolute_alternates(roots, config.site_url))


def mark_simplified_chinese(site_dir: str | Path) -> int:
    """Write ``<html lang="zh-Hans">`` on the Chinese pages; return how many changed.

    Run after Pagefind has indexed the site: Pagefind names its indexes by ``<html lang>``
    and the build expects ``zh``; its UI, on a ``zh-Hans`` page, falls back to the ``zh``
    index (the language without its script subtag).
    """
    changed = 0
    for page in inert.site_files(Path(site_dir), within="zh"):
        if page.suffix != ".html":
            continue
        html = page.read_bytes()
        marked = _ZH_ROOT.sub(b'<html lang="zh-Hans"', html, count=1)
        if marked != html:
            # Overwritten, not truncated first: the page only grows, and on ext4 truncating
            # 1,000 pages and writing them again took 0.5 s, overwriting them 0.07 s.
            with page.open("r+b") as file:
                file.write(marked)
                file.truncate()
            changed += 1
    return changed
