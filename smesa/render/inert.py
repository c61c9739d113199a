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

The pages are the bulk of it (about 1.2 ms each). The build reads each one as MkDocs writes
it, in a child on the core MkDocs leaves idle (`read_written_page`), and keeps what it
found by the digest of the bytes written; reading the tree back then parses only the
files whose bytes on disk are not bytes already read (`verify_tree`'s `known`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
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
# A scheme needs a colon: the elements with one in a URL attribute (parsed, so "&#58;" is
# one too). Most addresses are relative; a page has few others.
_URL_SELECTOR = ", ".join(f"[{name.replace(':', chr(92) + ':')}*=':']" for name in URL_ATTRIBUTES)
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
# (`<img src="x"onerror=...>`): the HTML tokenizer's rules, in ASCII (its whitespace,
# and the letters it lowercases). Only a page that has one starting "on" is walked
# attribute by attribute. Searched for in the lowercased UTF-8 bytes, as a literal "on"
# and then what comes before it: a sixth of the time the same search takes in the text.
_HANDLER_NAME = re.compile(rb"on[a-z]+[\t\n\f\r ]*=")
_BEFORE_NAME = frozenset(b"\t\n\f\r /\"'")
# Paths to the site root differ from page to page ("../..", "/"): the same script.
_ROOT = re.compile(r'"(?:\.\./)*\.\.?/?"|"/"')
_TO_ROOT = re.compile(r'(?<=")(?:\.\./)+|(?<=")/(?=assets/)')
PAGEFIND_MAGIC = b"pagefind_dcd"
GZIP_MAGIC = b"\x1f\x8b"
# The kinds of file that can hold markup or addresses (a gzip file: by what it holds).
READ_SUFFIXES = (".html", ".htm", ".svg", ".xml", ".json", ".gz", ".pf_fragment")


@dataclass(frozen=True, slots=True)
class Active:
    """Something active in a written file: where, and what."""

    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def normalise_script(text: str) -> str:
    return _TO_ROOT.sub("", _ROOT.sub('"."', text.strip()))


def may_have_handler(html: str) -> bool:
    """True if `html` may have an attribute whose name starts with "on" (any case)."""
    lowered = html.encode("utf-8", "replace").lower()
    return any(
        match.start() and lowered[match.start() - 1] in _BEFORE_NAME
        for match in _HANDLER_NAME.finditer(lowered)
    )


def bad_url(value: str) -> bool:
    return _BAD_SCHEME.match(_URL_TABS.sub("", value.strip(_URL_ENDS))) is not None


# What is active in an HTML document, in document order: (what, script), where `script`
# is the normalised text of an inline script (allowed where a reviewed page has it too)
# and None for anything else.
Reading = tuple[tuple[str, str | None], ...]


def html_problems(
    html: str, allowed_scripts: set[str] | frozenset[str] = frozenset(), *, page: bool = True
) -> Iterator[str]:
    """What is active in an HTML document (or fragment: `page=False`)."""
    return unallowed(read_html(html, page=page), allowed_scripts)


def unallowed(reading: Reading, allowed_scripts: set[str] | frozenset[str]) -> Iterator[str]:
    return (what for what, script in reading if script is None or script not in allowed_scripts)


def inline_scripts(reading: Reading) -> set[str]:
    """The inline scripts of a page, normalised: what a reviewed page may carry."""
    return {script for _, script in reading if script is not None}


def read_html(html: str, *, page: bool = True) -> Reading:
    return tuple(_read_html(html, page))


def _read_html(html: str, page: bool) -> Iterator[tuple[str, str | None]]:
    tree = LexborHTMLParser(html)
    for node in tree.css("script"):
        src = node.attributes.get("src")
        if src is not None:
            if not page or re.match(r"[a-zA-Z][\w+.-]*:|//", src.strip()):
                yield f"script from {src!r}", None
        else:
            text = node.text(deep=True)
            yield f"inline script {text.strip()[:60]!r}", normalise_script(text)
    yield from ((what, None) for what in _active_elements(tree, html, page))


def _active_elements(tree: LexborHTMLParser, html: str, page: bool) -> Iterator[str]:
    for node in tree.css(FORBIDDEN):
        yield f"<{node.tag}> element"
    for node in tree.css("meta[http-equiv]"):
        if (node.attributes.get("http-equiv") or "").lower() == "refresh":
            yield "refreshing <meta>"
    if may_have_handler(html):
        for node in tree.root.traverse() if tree.root else ():
            for name in node.attributes:
                if name.lower().startswith("on"):
                    yield f"event handler {name}= on <{node.tag}>"
    for node in tree.css(_URL_SELECTOR):
        attrs = node.attrs
        for name in URL_ATTRIBUTES:
            value = attrs.get(name)
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


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def read_written_page(html: str) -> tuple[bytes, Reading]:
    """A page as MkDocs writes it (its encoding included): the digest of its bytes, and
    what is active in it, as `verify_tree` would read it from the file."""
    data = html.encode("utf-8", errors="xmlcharrefreplace")
    return digest(data), read_html(data.decode("utf-8", "replace"))


def _page_reading(path: Path, known: Mapping[bytes, Reading]) -> tuple[Reading, bool]:
    """What is active in the page at `path`, and whether it had to be parsed (its bytes
    are not those of a page in `known`)."""
    data = path.read_bytes()
    reading = known.get(digest(data))
    if reading is None:
        return read_html(data.decode("utf-8", "replace")), True
    return reading, False


def file_problems(
    path: Path,
    allowed_scripts: set[str],
    known: Mapping[bytes, Reading] | None = None,
    parsed: list[Path] | None = None,
) -> Iterator[str]:
    """What is active in one written file (nothing for kinds that hold no markup);
    `known`: the readings of pages already read, by the digest of their bytes; the pages
    not among them are added to `parsed`."""
    if path.suffix not in READ_SUFFIXES:
        return
    if path.suffix == ".html" and known:
        reading, was_parsed = _page_reading(path, known)
        if was_parsed and parsed is not None:
            parsed.append(path)
        yield from unallowed(reading, allowed_scripts)
        return
    yield from stored_problems(path, path.read_bytes(), allowed_scripts)


def stored_problems(
    path: Path,
    data: bytes,
    allowed_scripts: set[str] | frozenset[str] = frozenset(),
    *,
    unzipped: bytes | None = None,
) -> Iterator[str]:
    """What is active in `data`, the bytes of the file `path` (`unzipped`: those bytes
    decompressed, where the caller has done it already)."""
    suffix = path.suffix
    if suffix not in READ_SUFFIXES:
        return
    if data[:2] == GZIP_MAGIC:  # x.json.gz holds JSON; a .pf_fragment, Pagefind's JSON
        data = gzip.decompress(data) if unzipped is None else unzipped
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


def site_files(root: Path, *, skip: tuple[str, ...] = (), within: str = "") -> list[Path]:
    """The files under `root` that `verify_tree` reads, in path order: not those under
    the folders of `skip`; with `within`, only those of that folder.

    What `Path.rglob` and `is_file` find (a link to a file is one, a link to a folder is
    not followed), in a quarter of the time: the kind of each entry comes with the
    listing, and the paths are compared as strings until they are sorted."""
    found: list[str] = []
    pending = [within.strip("/")]
    while pending:
        folder = pending.pop()
        try:
            entries = os.scandir(root / folder)
        except OSError:  # gone, or not a folder: as rglob, nothing under it
            continue
        with entries:
            for entry in entries:
                rel = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append(rel)
                elif not rel.startswith(skip) and entry.is_file():
                    found.append(rel)
    found.sort(key=lambda rel: rel.split("/"))
    return [root / rel for rel in found]


def allowed_scripts(reviewed: Iterable[Path], known: Mapping[bytes, Reading]) -> set[str]:
    """The inline scripts of the pages made from reviewed sources only (the hand-written
    pages): the theme's, and allowed everywhere."""
    allowed: set[str] = set()
    for page in reviewed:
        allowed |= inline_scripts(_page_reading(page, known)[0])
    return allowed


def verify_files(
    root: Path,
    files: Iterable[Path],
    allowed: set[str],
    *,
    known: Mapping[bytes, Reading] | None = None,
    parsed: list[Path] | None = None,
) -> list[Active]:
    """Everything active in `files` (under `root`); see `verify_tree`."""
    found: list[Active] = []
    for path in files:
        rel = path.relative_to(root).as_posix()
        found.extend(Active(rel, what) for what in file_problems(path, allowed, known, parsed))
    return found


def verify_tree(
    root: Path,
    reviewed: Iterable[Path] = (),
    *,
    skip: tuple[str, ...] = (),
    within: str = "",
    known: Mapping[bytes, Reading] | None = None,
    parsed: list[Path] | None = None,
) -> list[Active]:
    """Everything active in the files under `root`.

    `reviewed` are pages made from reviewed sources only (the hand-written pages): the
    inline scripts they carry are the theme's, and allowed everywhere. Files under the
    folders of `skip` (the theme's own assets) are not read; with `within`, only the
    files of that folder are. `known` holds the readings of pages already read as they
    were written (`read_written_page`), by digest: a page whose bytes on disk have one
    is not parsed again; any other file is, and a page among them is added to `parsed`.
    """
    known = known or {}
    files = site_files(root, skip=skip, within=within)
    allowed = allowed_scripts(reviewed, known)
    return verify_files(root, files, allowed, known=known, parsed=parsed)
