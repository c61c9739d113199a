"""Sanitising the HTML of pages made from contributor data (nh3, i.e. Rust's ammonia).

Why the rendered page and not the contributor's Markdown: Markdown has several ways to
produce HTML besides raw tags (``attr_list`` turns ``{onclick=...}`` into an attribute,
``md_in_html`` re-parses HTML blocks, links take any scheme), and only the HTML MkDocs
finally renders shows all of them. Cleaning it in ``on_page_content`` leaves Markdown
rendering, the table of contents and readable Chinese anchors (pymdownx.slugs) as they
are, and the cleaned HTML is what Material's templates, the sitemap and Pagefind see.

The allowlist is what the generated pages and the configured Markdown extensions need:
the theme's classes and ids (header links, admonitions, code highlighting, footnotes),
the case library's filter controls and data attributes, tables with alignment. Anything
else (scripts, event handlers, ``javascript:`` URLs, iframes, forms, styles) is dropped.
Hand-written pages under content/ are reviewed project files and are not cleaned.
"""

from __future__ import annotations

import re
from functools import cache

import nh3

GENERATED_KEY = "smesa"
GENERATED_VALUE = "generated"

TAGS = nh3.ALLOWED_TAGS | {"select", "option", "label", "button", "picture", "source"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir", "hidden", "aria-live", "aria-label"},
    # Notices kept out of Pagefind's index and snippets (smesa.site.generate).
    "p": {"data-pagefind-ignore"},
    "span": {"data-pagefind-ignore"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    # A chart's phone variant (statistics.md.j2), sized so that nothing shifts.
    "source": {"srcset", "media", "width", "height"},
    "ol": {"start"},
    "th": {"align", "colspan", "rowspan", "scope", "style"},
    "td": {"align", "colspan", "rowspan", "style"},
    "abbr": {"title"},
    # The case library's filter contract (tests/browser, assets/javascripts/smesa-cases.js).
    "li": {"data-year", "data-economy", "data-topics"},
    "label": {"for"},
    "option": {"value", "selected"},
    "button": {"type"},
}
# Dropped together with their content, not just unwrapped.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}
URL_SCHEMES = {"http", "https", "mailto"}
_SITE_ASSET = re.compile(r"(?:\.\./)*assets/[\w./-]+\Z")


@cache
def _cleaner() -> nh3.Cleaner:
    # Built once: nh3.clean would convert the allowlist to ammonia's form for every
    # page, a sixth of the cost of cleaning 2,000 pages.
    return nh3.Cleaner(
        tags=TAGS,
        attributes=ATTRIBUTES,
        clean_content_tags=DROP_WITH_CONTENT,
        url_schemes=URL_SCHEMES,
        # Tables from Markdown align cells with style="text-align: ...".
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
        attribute_filter=_own_images_only,
    )


def _own_images_only(element: str, attribute: str, value: str) -> str | None:
    """Keep an image's address only when it is one of the site's own assets (the charts):
    another host would learn who reads the page and some readers cannot reach it (SM142),
    and a path a contributor wrote names nothing (SM143)."""
    own = (("img", "src"), ("source", "srcset"))
    if (element, attribute) in own and not _SITE_ASSET.match(value.strip()):
        return None
    return value


def clean_html(html: str) -> str:
    """The page HTML with only allowed tags, attributes and URL schemes left."""
    return _cleaner().clean(html)


def is_generated(meta: dict[str, object]) -> bool:
    """True for pages the generator wrote (their front matter carries the marker)."""
    return meta.get(GENERATED_KEY) == GENERATED_VALUE
