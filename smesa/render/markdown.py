"""Contributor Markdown made inert: what a record's text may not do on a page.

Raw HTML, attribute lists and fence attributes become literal text before rendering;
code stays as it is. The checks (SM140) report the same spots, so a contributor sees
them before a reader would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Raw HTML: a tag, a closing tag, a comment or a processing instruction. Autolinks
# (<https://...>, <mailto:...>) are Markdown, not HTML, and stay.
RAW_HTML = re.compile(r"<(?!(?:https?://|mailto:)[^\s<>]*>)(?=[A-Za-z/!?])")
# attr_list (`{: #id .class key=value }`, `{#id}`, `{.class}`, `{key=value}`): sets ids,
# classes and attributes, e.g. a heading id that the theme prints raw in the table of
# contents.
ATTR_LIST = re.compile(r"\{\s*(?::|#|\.|[A-Za-z_][\w.:-]*\s*=)")
# Code is literal: fenced blocks and inline spans are left as they are.
_CODE = re.compile(
    r"^ {0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}(?P=fence)[ \t]*$|\Z)"
    r"|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)",
    re.MULTILINE | re.DOTALL,
)


def outside_code(markdown_text: str) -> Iterator[tuple[int, str]]:
    """The parts of `markdown_text` that are not code, with their offsets."""
    start = 0
    for code in _CODE.finditer(markdown_text):
        yield start, markdown_text[start : code.start()]
        start = code.end()
    yield start, markdown_text[start:]


# A fence's info string may carry attributes (```{.python #id onclick=...}): only a plain
# language name is kept.
_FENCE_INFO = re.compile(r"\A( {0,3}(?:`{3,}|~{3,}))([^\n]*)")
_LANGUAGE = re.compile(r"[\w+#.-]*")


def fence_attributes(markdown_text: str) -> Iterator[int]:
    """Offsets of the fenced code blocks whose opening line carries more than a language."""
    for code in _CODE.finditer(markdown_text):
        info = _FENCE_INFO.match(code.group(0)) if code.group("fence") else None
        if info and not _LANGUAGE.fullmatch(info.group(2).strip()):
            yield code.start() + info.start(2)


def _plain_fence(code: str) -> str:
    info = _FENCE_INFO.match(code)
    if info is None:
        return code
    words = re.findall(r"[\w+#-]+", info.group(2))
    return info.group(1) + (words[0] if words else "") + code[info.end() :]


def inert_markdown(markdown_text: str) -> str:
    """Contributor Markdown with raw HTML and attribute lists made literal text.

    Contributors write Markdown, not HTML: `<b>` reads as "<b>" and `{: #id}` as
    "{: #id}" (SM140 tells them first), so no contributor text can set an id, a class,
    an attribute or a tag on a page. Code spans and blocks are left as they are, but for
    a fence's attributes: only its language stays.
    """
    out: list[str] = []
    position = 0
    for offset, part in outside_code(markdown_text):
        out.append(_plain_fence(markdown_text[position:offset]))
        out.append(ATTR_LIST.sub(lambda m: "\\" + m.group(0), RAW_HTML.sub("&lt;", part)))
        position = offset + len(part)
    return "".join(out)


# -- page paths ----------------------------------------------------------------------
