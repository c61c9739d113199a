"""Written outputs carry nothing active: checked on the files, after they are written.

Escaping and sanitising happen in several places (Markdown escaping, nh3, the theme's
own templates); a value escaped in one place can still come out raw in another (the
theme's table of contents printed heading ids raw). So the build, and `smesa report`,
read back every HTML, SVG, XML and JSON file they wrote, parse it as a browser or a
feed reader would (lexbor, an HTML5 parser; the XML parser for feeds), and refuse to
publish when any file holds:

- a script that is not the theme's own (a `src` on the site, or inline text that the
  hand-written pages carry too), or an element that runs or embeds something else
  (iframe, object, embed, base, form, a refreshing meta);
- an event handler attribute (`onload`, `onerror`...);
- a `javascript:`, `vbscript:` or `data:` address in a URL attribute;
- inside the page content, an element id or name of the theme's kind (`__drawer`),
  which would shadow the theme's own element (DOM clobbering);
- in a feed's HTML content, any of the above; in JSON, an address of that kind.

Pagefind's fragments (gzip-compressed JSON that its search page shows) are read too.
"""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

URL_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "formaction",
    "srcset",
    "poster",
    "background",
    "data",
    "ping",
    "xlink:href",
    "cite",
)
_URL_SELECTOR = ", ".join(f"[{name.replace(':', chr(92) + ':')}]" for name in URL_ATTRIBUTES)
FORBIDDEN = (
    "iframe, frame, frameset, object, embed, applet, base, form, portal, foreignObject, "
    # SVG's animation elements set any attribute, a link's href or a handler included.
    "animate, set, animateMotion, animateTransform, handler, listener"
)
_BAD_SCHEME = re.compile(r"(?:javascript|vbscript|data):", re.IGNORECASE)
# What a browser takes out of a URL before it reads the scheme (the URL standard): tabs
# and newlines anywhere, control characters and spaces at either end.
_URL_TABS = re.compile(r"[\t\n\r]+")
_URL_ENDS = "".join(map(chr, range(0x21)))
# An attribute name starts after a space, a "/" (`<svg/onload=...>`) or a closing quote
# (`<img src="x"onerror=...>`): the HTML tokenizer's rules. Only a page that has one
# starting "on" is walked attribute by attribute.
_HANDLER_HINT = re.compile(r"[\s/\"']on[a-z]+\s*=", re.IGNORECASE)
# Paths to the site root differ from page to page ("../..", "/"): the same script.
_ROOT = re.compile(r'"(?:\.\./)*\.\.?/?"|"/"')
_TO_ROOT = re.compile(r'(?<=")(?:\.\./)+|(?<=")/(?=assets/)')
PAGEFIND_MAGIC = b"pagefind_dcd"


@dataclass(frozen=True, slots=True)
class Active:
    """Something active in a written file: where, and what."""

    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def normalise_script(text: str) -> str:
    return _TO_ROOT.sub("", _ROOT.sub('"."', text.strip()))


def inline_scripts(html: str) -> set[str]:
    """The inline scripts of a page, normalised: what a reviewed page may carry."""
    tree = LexborHTMLParser(html)
    return {normalise_script(node.text(deep=True)) for node in tree.css("script:not([src])")}


def bad_url(value: str) -> bool:
    return _BAD_SCHEME.match(_URL_TABS.sub("", value.strip(_URL_ENDS))) is not None


def html_problems(
    html: str, allowed_scripts: set[str] | frozenset[str] = frozenset(), *, page: bool = True
) -> Iterator[str]:
    """What is active in an HTML document (or fragment: `page=False`)."""
    tree = LexborHTMLParser(html)
    for node in tree.css("script"):
        src = node.attributes.get("src")
        if src is not None:
            if not page or re.match(r"[a-zA-Z][\w+.-]*:|//", src.strip()):
                yield f"script from {src!r}"
        elif normalise_script(node.text(deep=True)) not in allowed_scripts:
            yield f"inline script {node.text(deep=True).strip()[:60]!r}"
    for node in tree.css(FORBIDDEN):
        yield f"<{node.tag}> element"
    for node in tree.css("meta[http-equiv]"):
        if (node.attributes.get("http-equiv") or "").lower() == "refresh":
            yield "refreshing <meta>"
    if _HANDLER_HINT.search(html):
        for node in tree.root.traverse() if tree.root else ():
            for name in node.attributes:
                if name.lower().startswith("on"):
                    yield f"event handler {name}= on <{node.tag}>"
    for node in tree.css(_URL_SELECTOR):
        attrs = node.attrs
        for name in URL_ATTRIBUTES:
            value = attrs.get(name)
            # A scheme needs a colon: most addresses (relative ones) are done here.
            if value and ":" in value and bad_url(value):
                yield f"{name}={value[:40]!r} on <{node.tag}>"
    within = ("article ", "nav.md-nav--secondary ") if page else ("",)
    clobbering = ", ".join(f"{w}[{a}^='__']" for w in within for a in ("id", "name"))
    for node in tree.css(clobbering):
        yield f"id or name {node.attributes.get('id') or node.attributes.get('name')!r}"


# Keys whose values are addresses a reader's browser may follow or load.
ADDRESS_KEYS = frozenset({"url", "href", "src", "image", "website", "link"})


def json_problems(value: Any) -> Iterator[str]:
    """Addresses in a JSON value that would run something (`javascript:`, `data:`...).

    Other strings are data, not markup: a text may hold "<b>" in a code span, which its
    page shows escaped and Pagefind's results show escaped too.
    """
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        key, item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.items())
        elif isinstance(item, list):
            stack.extend((key, element) for element in item)
        elif isinstance(item, str) and key in ADDRESS_KEYS and bad_url(item):
            yield f"{key} {item[:40]!r}"


def xml_problems(data: bytes) -> Iterator[str]:
    """What is active in a feed or sitemap: its HTML content and its links."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        yield f"not well-formed XML ({error})"
        return
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.rsplit("}", 1)[-1] in ("href", "src") and bad_url(value):
                yield f"{name}={value[:40]!r}"
        if element.text and element.attrib.get("type") in ("html", "xhtml"):
            yield from html_problems(element.text, page=False)
        elif element.text and bad_url(element.text):
            yield f"text {element.text[:40]!r}"


def file_problems(path: Path, allowed_scripts: set[str]) -> Iterator[str]:
    """What is active in one written file (nothing for kinds that hold no markup)."""
    suffix = path.suffix
    if suffix not in (".html", ".htm", ".svg", ".xml", ".json", ".gz", ".pf_fragment"):
        return
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
        suffix = Path(path.stem).suffix or suffix
    if data.startswith(PAGEFIND_MAGIC):
        data, suffix = data[len(PAGEFIND_MAGIC) :], ".json"
    if suffix in (".html", ".htm"):
        yield from html_problems(data.decode("utf-8", "replace"), allowed_scripts)
    elif suffix == ".svg":
        yield from html_problems(data.decode("utf-8", "replace"), page=False)
    elif suffix == ".xml":
        yield from xml_problems(data)
    elif suffix in (".json", ".pf_fragment"):
        try:
            value = json.loads(data)
        except ValueError as error:
            yield f"not valid JSON ({error})"
            return
        yield from json_problems(value)


def verify_tree(
    root: Path, reviewed: Iterable[Path] = (), *, skip: tuple[str, ...] = (), within: str = ""
) -> list[Active]:
    """Everything active in the files under `root`.

    `reviewed` are pages made from reviewed sources only (the hand-written pages): the
    inline scripts they carry are the theme's, and allowed everywhere. Files under the
    folders of `skip` (the theme's own assets) are not read; with `within`, only the
    files of that folder are.
    """
    allowed: set[str] = set()
    for page in reviewed:
        allowed |= inline_scripts(page.read_text("utf-8"))
    found: list[Active] = []
    for path in sorted(p for p in (root / within).rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(skip):
            continue
        found.extend(Active(rel, what) for what in file_problems(path, allowed))
    return found
