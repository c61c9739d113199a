"""Internal link check of the built site, and its requests to other hosts.

Walks every HTML page (and stylesheet) under the site folder and reports:

- ``broken-link``: an internal URL (relative, root-relative, or absolute on the site's own
  host) with no file behind it. A URL ending in ``/`` means its ``index.html``, as on
  GitHub Pages; a URL naming a folder is served as that folder's ``index.html`` too.
- ``missing-anchor``: a ``#fragment`` that names no ``id`` (or ``<a name>``) in the page
  it points to.
- ``third-party``: a resource the browser fetches on its own (script, stylesheet, image,
  font, frame, media, preload) from another host. A plain link to another site is not a
  request and is not reported.

Standard library only: ``html.parser`` tokenises HTML as browsers do (unclosed tags,
entities in attribute values) and ``urllib.parse`` resolves URLs; the rest (what a URL
means on a static host, which tags make requests) is this site's policy. A crawler such
as LinkChecker or lychee checks links but does not tell a request from a link, and would
add a dependency for a hundred lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Scheme and host standing in for the site when its own URL is unknown.
PLACEHOLDER_ORIGIN = "https://site.invalid/"
IGNORED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "blob", "about", "sms"})

# (tag, attribute) pairs whose URL the browser fetches when the page loads.
REQUEST_ATTRIBUTES = frozenset(
    {
        ("script", "src"),
        ("img", "src"),
        ("img", "srcset"),
        ("source", "src"),
        ("source", "srcset"),
        ("iframe", "src"),
        ("video", "src"),
        ("video", "poster"),
        ("audio", "src"),
        ("track", "src"),
        ("embed", "src"),
        ("object", "data"),
        ("input", "src"),
    }
)
# (tag, attribute) pairs that hold a link, fetched or followed.
LINK_ATTRIBUTES = REQUEST_ATTRIBUTES | {("a", "href"), ("area", "href"), ("link", "href")}
# <link rel=...> values that make the browser fetch (or connect to) the URL.
REQUEST_RELS = frozenset(
    {
        "stylesheet",
        "icon",
        "apple-touch-icon",
        "apple-touch-icon-precomposed",
        "mask-icon",
        "manifest",
        "preload",
        "prefetch",
        "modulepreload",
        "preconnect",
        "dns-prefetch",
    }
)
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.DOTALL)


@dataclass(frozen=True, order=True)
class LinkProblem:
    """One problem in one page: where it is, what kind, the URL as written, and why."""

    path: str  # relative to the site folder, with / separators
    line: int
    kind: str  # broken-link | missing-anchor | third-party
    url: str
    detail: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind} {self.url!r}: {self.detail}"


@dataclass(frozen=True)
class _Link:
    line: int
    url: str
    request: bool  # fetched by the browser on load, not merely followed


class _PageParser(HTMLParser):
    """Collects the links, the anchor names and a <base href> of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[_Link] = []
        self.anchors: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.anchors.add(values["id"])
        if tag == "a" and "name" in values:
            self.anchors.add(values["name"])
        if tag == "base" and "href" in values and self.base is None:
            self.base = values["href"].strip()
            return
        line = self.getpos()[0]
        for name, value in values.items():
            if (tag, name) not in LINK_ATTRIBUTES:
                continue
            request = (tag, name) in REQUEST_ATTRIBUTES or (
                tag == "link" and bool(REQUEST_RELS & set(values.get("rel", "").lower().split()))
            )
            urls = _srcset(value) if name == "srcset" else [value.strip()]
            self.links.extend(_Link(line, url, request) for url in urls if url)


def _srcset(value: str) -> list[str]:
    """The URLs of a srcset: comma-separated candidates of 'URL [descriptor]'."""
    return [part.split()[0] for part in value.split(",") if part.strip()]


def _css_links(text: str) -> Iterator[_Link]:
    for match in CSS_URL.finditer(text):
        url = (match.group(2) if match.group(2) is not None else match.group(4)).strip()
        if url:
            yield _Link(text.count("\n", 0, match.start()) + 1, url, True)


@dataclass(frozen=True)
class _Site:
    folder: Path
    origin: str  # scheme://host of the site, lower-case
    base_path: str  # path the site is served under, starting and ending with /

    @classmethod
    def at(cls, folder: Path, site_url: str | None) -> _Site:
        parts = urlsplit(site_url or PLACEHOLDER_ORIGIN)
        base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        return cls(folder, f"{parts.scheme}://{parts.netloc}".lower(), base_path)

    def url_of(self, rel: str) -> str:
        """The URL a file under the site folder is served at."""
        return f"{self.origin}{self.base_path}{rel}"

    def target(self, path: str) -> tuple[str | None, str]:
        """The file (relative to the folder) that serves a URL path, or None and why."""
        if not path.startswith(self.base_path):
            return None, f"outside the site's path {self.base_path}"
        rel = unquote(path[len(self.base_path) :])
        if any(part == ".." for part in rel.split("/")):
            return None, "outside the site folder"
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        file = self.folder / rel
        if file.is_dir():
            rel = rel.rstrip("/") + "/index.html"
            file = self.folder / rel
        if file.is_file():
            return rel, ""
        return None, f"no file {rel}"


def check_site(folder: Path, site_url: str | None = None) -> list[LinkProblem]:
    """Every broken internal link, missing anchor and third-party request in the site.

    `site_url` is the URL the site is published at (`smesa.data.config.site_url`): absolute
    URLs on its host are checked like relative ones, and requests to any other host are
    third-party. Without it, every absolute http(s) URL counts as another host's.
    """
    site = _Site.at(folder, site_url)
    pages: dict[str, _PageParser] = {}
    for file in sorted(folder.rglob("*.html")):
        parser = _PageParser()
        parser.feed(file.read_text(encoding="utf-8", errors="replace"))
        parser.close()
        pages[file.relative_to(folder).as_posix()] = parser
    stylesheets = {
        file.relative_to(folder).as_posix(): list(
            _css_links(file.read_text(encoding="utf-8", errors="replace"))
        )
        for file in sorted(folder.rglob("*.css"))
    }

    problems: list[LinkProblem] = []
    for rel, parser in pages.items():
        base = urljoin(site.url_of(rel), parser.base) if parser.base else site.url_of(rel)
        problems += _check_links(site, rel, base, parser.links, pages)
    for rel, links in stylesheets.items():
        problems += _check_links(site, rel, site.url_of(rel), links, pages)
    return sorted(problems)


def _check_links(
    site: _Site, rel: str, base: str, links: Iterable[_Link], pages: dict[str, _PageParser]
) -> Iterator[LinkProblem]:
    for link in links:
        parts = urlsplit(urljoin(base, link.url))
        if parts.scheme in IGNORED_SCHEMES:
            continue
        if parts.scheme not in ("http", "https") or not parts.netloc:
            continue  # ftp:, custom schemes: nothing a static host serves
        if f"{parts.scheme}://{parts.netloc}".lower() != site.origin:
            if link.request:
                yield LinkProblem(
                    rel, link.line, "third-party", link.url, f"request to {parts.netloc}"
                )
            continue
        target, why = site.target(parts.path)
        if target is None:
            yield LinkProblem(rel, link.line, "broken-link", link.url, why)
            continue
        fragment = unquote(parts.fragment)
        if fragment and target in pages and fragment not in pages[target].anchors:
            yield LinkProblem(
                rel, link.line, "missing-anchor", link.url, f"no id {fragment!r} in {target}"
            )
