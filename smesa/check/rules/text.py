"""Text safety: characters and Markdown the public outputs cannot hold literally.

Two families of rules. The character rules (SM130-SM132) read every string of every
file, valid record or not: names, places, references and addresses as well as texts.
The Markdown rules (SM133-SM135) read every bilingual text: bodies, summaries and
minutes are rendered as Markdown, and titles and names reach Markdown tables in the
reports, so a new field is covered without a list to keep.

The Markdown bounds are set from Python-Markdown 3.11 with the site's extensions, where
the build's time goes: it scans from every `[`, every link target `](` and every HTML
start tag to the closing one, or to the end of the paragraph or document when there is
none, so each unclosed one costs the whole rest of the text; it reads a block again
for every heading, rule, fence or definition line in it; and it recurses once or more
per level of nesting (lists, quotes, `<div markdown>`, emphasis), so 500 nested blocks
end in a RecursionError. Each scan below is linear; a text within every bound renders
in a small, fixed multiple of its length (tests/test_text_rules.py times the worst).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from smesa.check.findings import Severity
from smesa.check.registry import Hit, rule
from smesa.data.loader import Path_
from smesa.data.repository import Repository, Source, dotted
from smesa.tor import clauses

# -- characters ------------------------------------------------------------------------

# C0 controls but tab and line feed, DEL, C1 controls, the noncharacters, and surrogates
# (which a UTF-8 file cannot hold; listed so that no other way in goes unchecked).
_CONTROL_BMP = "\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
_CONTROL_ASTRAL = "".join(
    chr(plane * 0x10000 + 0xFFFE) + "-" + chr(plane * 0x10000 + 0xFFFF) for plane in range(1, 17)
)
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Every other format character (Unicode category Cf, as of Unicode 14), plus the
# invisible letters that are used to fake a blank: the combining grapheme joiner and
# the Hangul fillers. tests/test_text_rules.py checks the lists against unicodedata.
_INVISIBLE_BMP = (
    "\u00ad\u034f\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e"
    "\u200b-\u200d\u2060-\u2064\u206a-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
)
_INVISIBLE_ASTRAL = (
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
CONTROL = re.compile(f"[{_CONTROL_BMP}{_CONTROL_ASTRAL}]")
BIDI = re.compile(f"[{_BIDI}]")
INVISIBLE = re.compile(f"[{_INVISIBLE_BMP}{_INVISIBLE_ASTRAL}]")
HIDDEN = re.compile(f"[{_BIDI}{_INVISIBLE_BMP}{_INVISIBLE_ASTRAL}]")  # shown as nothing
# One scan for all three: Python's re tests a class's astral characters one by one at
# every position, so this class takes every astral character and `find_characters`
# sorts them out; astral text (emoji) is rare.
SUSPECT = re.compile(f"[{_CONTROL_BMP}{_BIDI}{_INVISIBLE_BMP}\U00010000-\U0010ffff]")
# A flag such as Scotland's is the black flag, tag letters and a cancel tag.
_FLAG_TAGS = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
_ZWNJ, _ZWJ = "\u200c", "\u200d"
# Scripts that join or break letters with ZWNJ/ZWJ: Arabic, Syriac, Thaana, Indic.
_JOINING_SCRIPTS = ((0x0600, 0x08FF), (0x0900, 0x0DFF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFC))
_EMOJI = ((0x2300, 0x23FF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F000, 0x1FAFF))
_EMOJI_TAIL = frozenset("\ufe0f") | {chr(c) for c in range(0x1F3FB, 0x1F400)}  # VS16, skin


def _within(ranges: tuple[tuple[int, int], ...], char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def _joiner_in_use(text: str, at: int) -> bool:
    """ZWJ in an emoji sequence (👩‍💻), or ZWNJ/ZWJ between letters of a joining script."""
    before, after = text[at - 1 : at], text[at + 1 : at + 2]
    if not before or not after:
        return False
    if _within(_JOINING_SCRIPTS, before) and _within(_JOINING_SCRIPTS, after):
        return True
    if text[at] != _ZWJ:
        return False
    if before in _EMOJI_TAIL and at >= 2:
        before = text[at - 2]
    return _within(_EMOJI, before) and _within(_EMOJI, after)


def character_name(char: str) -> str:
    """`RIGHT-TO-LEFT OVERRIDE (U+202E)`; controls have no name, only a number."""
    name = unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        name = {"Cc": "control character", "Cs": "surrogate"}.get(category, "noncharacter")
    return f"{name} (U+{ord(char):04X})"


def _suspect(char: str) -> bool:
    return bool(CONTROL.match(char) or BIDI.match(char) or INVISIBLE.match(char))


def excerpt(text: str, at: int, width: int = 24) -> str:
    """The text around character `at`, as Python writes it, every suspect character
    escaped (repr leaves the Hangul fillers, which are letters, as they are)."""
    start, end = max(0, at - width), at + width
    shown = SUSPECT.sub(
        lambda m: ascii(m.group())[1:-1] if _suspect(m.group()) else m.group(),
        repr(text[start:end]),
    )
    return f"{'…' if start else ''}{shown}{'…' if end < len(text) else ''}"


def strings(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every string in a document's data, with its key path."""
    if type(value) is str:
        yield path, value
    elif type(value) is dict:
        for key, item in value.items():
            yield from strings(item, (*path, key))
    elif type(value) is list:
        for index, item in enumerate(value):
            yield from strings(item, (*path, index))


def _values(data: Any) -> list[str]:
    """Every string in a document's data, without their paths (faster: most files have
    nothing to find)."""
    found: list[str] = []
    stack = [data]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is str:
            found.append(value)
        elif kind is dict:
            stack.extend(value.values())
        elif kind is list:
            stack.extend(value)
    return found


@dataclass(frozen=True, slots=True)
class Spot:
    """Characters of one kind in one string: where the first is, how many there are."""

    first: int
    count: int
    names: tuple[str, ...]


def find_characters(text: str) -> dict[str, Spot]:
    """The suspect characters of `text` by kind ("control", "bidi", "invisible")."""
    found: dict[str, list[int]] = {}
    allowed: list[tuple[int, int]] | None = None
    for match in SUSPECT.finditer(text):
        at, char = match.start(), match.group()
        if char > "\uffff" and not _suspect(char):
            continue  # an emoji, a rare ideograph
        if CONTROL.match(char):
            kind = "control"
        elif BIDI.match(char):
            kind = "bidi"
        else:
            if char in (_ZWJ, _ZWNJ) and _joiner_in_use(text, at):
                continue
            if "\U000e0020" <= char <= "\U000e007f":
                if allowed is None:
                    allowed = [match.span() for match in _FLAG_TAGS.finditer(text)]
                if any(start <= at < end for start, end in allowed):
                    continue
            kind = "invisible"
        found.setdefault(kind, []).append(at)
    return {
        kind: Spot(
            offsets[0],
            len(offsets),
            tuple(dict.fromkeys(character_name(text[at]) for at in offsets)),
        )
        for kind, offsets in found.items()
    }


def _character_spots(repo: Repository) -> list[tuple[Source, Path_, str, str, Spot]]:
    """(file, path, string, kind, spot) of every suspect character in every file: found
    once for the three rules, and kept with the list of files it was found in."""
    return repo.derived(_find_character_spots)


def _find_character_spots(repo: Repository) -> list[tuple[Source, Path_, str, str, Spot]]:
    return [
        (source, path, value, kind, spot)
        for source in repo.sources
        if source.doc.data is not None and SUSPECT.search("\n".join(_values(source.doc.data)))
        for path, value in strings(source.doc.data)
        for kind, spot in find_characters(value).items()
    ]


def _character_hits(repo: Repository, kind: str, what: str) -> Iterator[Hit]:
    for source, path, value, spot_kind, spot in _character_spots(repo):
        if spot_kind == kind:
            many = f" ({spot.count} in all)" if spot.count > 1 else ""
            yield Hit(
                source,
                path,
                f"{dotted(path)} must not hold {what}: {', '.join(spot.names)} at character "
                f"{spot.first + 1}{many}: {excerpt(value, spot.first)}",
                within=(value, spot.first),
            )


@rule(
    "SM130",
    "control-character",
    Severity.ERROR,
    clauses.OUTPUTS_IN_ENGLISH,
    "delete the character (in a double-quoted YAML string, the \\x.. or \\u.... escape)",
    needs_reference=False,
    examples=(
        'title:\n  en: "Faster loans\\x01 for small firms"\n  zh: 为小企业提供更快贷款\n',
        "title:\n  en: Faster loans for small firms\n  zh: 为小企业提供更快贷款\n",
    ),
)
def control_character(repo: Repository) -> Iterator[Hit]:
    """No string holds a control character or a noncharacter.

    Triggers on C0 controls other than tab and line feed (carriage return included), DEL,
    C1 controls and the Unicode noncharacters (U+FFFE, U+FFFF …), in any value of any
    file. XML 1.0 cannot hold C0 controls, so the Atom feeds and the SVG charts could not
    be written; none of these characters has a use in a published text. A double-quoted
    YAML string is the usual way in (`"\\x01"`, `"\\e"`).
    """
    yield from _character_hits(repo, "control", "control characters")


@rule(
    "SM131",
    "bidi-control",
    Severity.ERROR,
    clauses.PRIOR_APPROVAL,
    "delete the character: English and Chinese need no direction marks",
    needs_reference=False,
    examples=(
        'title:\n  en: "Loans cut from 21 to \\u202e6 days"\n  zh: 贷款审批从21天缩短至6天\n',
        "title:\n  en: Loans cut from 21 to 6 days\n  zh: 贷款审批从21天缩短至6天\n",
    ),
)
def bidi_control(repo: Repository) -> Iterator[Hit]:
    """No string holds a bidirectional control character.

    Triggers on embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and
    direction marks (U+200E, U+200F, U+061C), in any value of any file. They reorder
    what a reader sees: "21 to \\u202e6 days" displays as "21 to syad 6", so the
    published page no longer shows the text the SMEWG approved. The site's texts are
    English and Chinese, which need no direction marks; an error, not a warning.
    """
    yield from _character_hits(repo, "bidi", "bidirectional controls")


@rule(
    "SM132",
    "invisible-character",
    Severity.WARNING,
    clauses.GUIDELINES,
    "delete the character; to keep words together use a normal space or a hyphen",
    needs_reference=False,
    examples=(
        'title:\n  en: "Faster loans for small\\u200b firms"\n  zh: 为小企业提供更快贷款\n',
        "title:\n  en: Faster loans for small firms\n  zh: 为小企业提供更快贷款\n",
    ),
)
def invisible_character(repo: Repository) -> Iterator[Hit]:
    """No string holds an invisible formatting character.

    Triggers on zero-width spaces (U+200B), word joiners (U+2060), byte-order marks
    inside a text (U+FEFF), soft hyphens (U+00AD), Hangul fillers and every other
    format character, and on zero-width (non-)joiners outside their use (emoji sequences,
    Arabic and Indic letters); emoji flag tags are allowed. A warning, not an error: the
    outputs can hold them, but a text then differs from what it shows, so search misses
    it and two names that look the same are not. The nomenclature rules (SM901, SM902)
    ignore these characters when they match, so they do not hide a wording either.
    """
    yield from _character_hits(repo, "invisible", "invisible characters")


# -- Markdown --------------------------------------------------------------------------

MAX_MARKDOWN_CHARS = 20_000  # about 3,000 English words or 13 pages of Chinese
MAX_SPLITTING_LINES = 64  # headings, rules, fences and definitions in one block
MAX_ABBREVIATIONS = 32
MAX_HEADINGS = 100  # the table of contents numbers repeated headings in quadratic time
MAX_FENCE_LINES = 64  # every code block starts a highlighter of its own
MAX_BRACKETS_OPEN = 16  # `[` open at once (nested, or never closed)
MAX_UNCLOSED_BRACKETS = 8
MAX_LINK_TARGETS_OPEN = 8  # `](` whose `(` is not yet closed
MAX_UNCLOSED_LINK_TARGETS = 4
MAX_EMPHASIS_DEPTH = 16
MAX_BLOCK_DEPTH = 16  # lists, quotes, admonitions, definitions: one line's nesting
MAX_HTML_DEPTH = 16  # HTML elements open at once, `<div markdown>` included
MAX_UNCLOSED_TAGS = 4  # HTML start tags with no end: each is read to the end of the page
MAX_UNCLOSED_BRACES = 16  # attribute lists `{:` with no `}` on their line
MAX_UNCLOSED_PROCESSING = 4  # `<?` with no `?>`
MAX_FOOTNOTE_REFERENCES = 64  # each one looks for the ids of all the others


@dataclass(frozen=True, slots=True)
class Excess:
    """One bound a text exceeds: at which character, and what to say."""

    kind: str  # "large", "deep" or "unclosed": the rule that reports it
    at: int
    message: str


_ESCAPED_OR_BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)
_ESCAPED_OR_PAREN = re.compile(r"\\.|\]\(|[()]", re.DOTALL)
_BLANK_OR_EMPHASIS = re.compile(r"\n[ \t]*\n|[*_]+")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*?(/?)>")  # not <http://…>
_VOID = frozenset(  # elements that have no end tag
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
_TAG_OPEN = re.compile(r"<[A-Za-z]")
# A line that Python-Markdown takes out of its block, and then reads the rest again.
_BLOCK_LINE = re.compile(
    r"^[ \t]*$"
    r"|^(?P<abbr>[ ]{0,3}\*\[)"
    r"|^(?P<heading>[ ]{0,3}(?:\#|=+[ \t]*$|-+[ \t]*$))"
    r"|^(?P<fence>[ \t]*(?:`{3,}|~{3,}))"
    r"|^[ ]{0,3}(?:(?:[*_-][ \t]*){3,}$|\[[^\]\n]*\]:|!!!|\?\?\?|\{:|:[ \t])",
    re.MULTILINE,
)
# A line whose first characters could nest it too deep; "\n" first is a literal the
# regex engine finds fast, where "^" in MULTILINE mode is tried at every character.
_DEEP_PREFIX = rf"[ \t>*+\-:!?0-9.)]{{{MAX_BLOCK_DEPTH + 1}}}"
_DEEP_FIRST_LINE, _DEEP_LINE = re.compile(_DEEP_PREFIX), re.compile(rf"\n{_DEEP_PREFIX}")
_LINE_MARKER = re.compile(r"[ \t]*(?:>|[-*+:][ \t]|\d{1,9}[.)][ \t]|(?:!!!|\?\?\?)\+?)")


def _brackets(text: str) -> Iterator[Excess]:
    if "[" not in text:
        return
    open_at: list[int] = []
    deepest: int | None = None
    for match in _ESCAPED_OR_BRACKET.finditer(text):
        char = match.group()
        if char == "[":
            open_at.append(match.start())
            if len(open_at) > MAX_BRACKETS_OPEN and deepest is None:
                deepest = match.start()
        elif char == "]" and open_at:
            open_at.pop()
    if len(open_at) > MAX_UNCLOSED_BRACKETS:
        yield Excess(
            "unclosed",
            open_at[MAX_UNCLOSED_BRACKETS],
            f"never closes {len(open_at):,} '[' (at most {MAX_UNCLOSED_BRACKETS})",
        )
    elif deepest is not None:
        yield Excess("deep", deepest, f"has more than {MAX_BRACKETS_OPEN} '[' open at once")


def _link_targets(text: str) -> Iterator[Excess]:
    if "](" not in text:
        return
    parens: list[bool] = []  # True for the `(` of a link target
    targets = 0
    deepest: int | None = None
    starts: list[int] = []
    for match in _ESCAPED_OR_PAREN.finditer(text):
        token = match.group()
        if token in ("](", "("):
            is_target = token == "]("
            parens.append(is_target)
            if is_target:
                targets += 1
                starts.append(match.start() + 1)
                if targets > MAX_LINK_TARGETS_OPEN and deepest is None:
                    deepest = match.start() + 1
        elif token == ")" and parens and parens.pop():
            targets -= 1
            starts.pop()
    if targets > MAX_UNCLOSED_LINK_TARGETS:
        yield Excess(
            "unclosed",
            starts[MAX_UNCLOSED_LINK_TARGETS],
            f"never closes {targets:,} link targets '](' with ')' "
            f"(at most {MAX_UNCLOSED_LINK_TARGETS})",
        )
    elif deepest is not None:
        yield Excess(
            "deep", deepest, f"has more than {MAX_LINK_TARGETS_OPEN} link targets '](' open at once"
        )


def _emphasis(text: str) -> Iterator[Excess]:
    """Emphasis nested deeper than the bound, paired the way Python-Markdown nests it: a
    run of `*` or `_` after a space opens, one before a space closes the last opened, a
    blank line ends every pair. An opening run that nothing closes nests nothing."""
    if text.count("*") + text.count("_") <= MAX_EMPHASIS_DEPTH:
        return
    opened: list[int] = []
    steps: list[tuple[int, int]] = []  # (position, +1 or -1) of the paired runs
    for match in _BLANK_OR_EMPHASIS.finditer(text):
        start, end = match.span()
        if text[start] == "\n":
            opened.clear()
            continue
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isspace() and not after.isspace():
            opened.append(start)
        elif after.isspace() and not before.isspace() and opened:
            steps += ((opened.pop(), 1), (start, -1))
    depth = 0
    for at, step in sorted(steps):
        depth += step
        if depth > MAX_EMPHASIS_DEPTH:
            yield Excess("deep", at, f"nests emphasis more than {MAX_EMPHASIS_DEPTH} deep")
            return


def _columns(spaces: str) -> int:
    return spaces.count(" ") + 4 * spaces.count("\t")


def _line_depth(line: str) -> int:
    """Nesting of one line: its markers (`>`, `-`, `1.`, `:`, `!!!`), and the
    indentation before the first and after the last."""
    markers = 0
    at = len(line) - len(line.lstrip(" \t"))
    indent = _columns(line[:at])
    while match := _LINE_MARKER.match(line, at):
        markers += 1
        at = match.end()
    rest = line[at:]
    return markers + indent // 4 + _columns(rest[: len(rest) - len(rest.lstrip(" \t"))]) // 4


def _deep_line_starts(text: str) -> Iterator[int]:
    if _DEEP_FIRST_LINE.match(text):
        yield 0
    for match in _DEEP_LINE.finditer(text):
        yield match.start() + 1


def _blocks(text: str) -> Iterator[Excess]:
    for start in _deep_line_starts(text):
        end = text.find("\n", start)
        depth = _line_depth(text[start : end if end != -1 else len(text)])
        if depth > MAX_BLOCK_DEPTH:
            yield Excess(
                "deep",
                start,
                f"nests a line {depth} deep (lists, quotes, indentation; "
                f"at most {MAX_BLOCK_DEPTH})",
            )
            return


def _html(text: str) -> Iterator[Excess]:
    if "<" not in text:
        return
    open_tags: list[str] = []
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if name in open_tags:
                while open_tags.pop() != name:
                    pass
        elif name not in _VOID and not self_closing:
            open_tags.append(name)
            if len(open_tags) > MAX_HTML_DEPTH:
                yield Excess(
                    "deep",
                    match.start(),
                    f"has more than {MAX_HTML_DEPTH} HTML elements open at once",
                )
                break
    yield from _unclosed_tags(text)
    if "<?" in text:
        unclosed = text.count("<?", text.rfind("?>") + 1)
        if unclosed > MAX_UNCLOSED_PROCESSING:
            yield Excess(
                "unclosed",
                text.index("<?", text.rfind("?>") + 1),
                f"never closes {unclosed:,} '<?' with '?>' (at most {MAX_UNCLOSED_PROCESSING})",
            )


@cache
def _start_tag() -> re.Pattern[str]:
    """The pattern Python-Markdown's HTML parser reads a start tag with (its own copy)."""
    from markdown.htmlparser import htmlparser

    return htmlparser.locatestarttagend_tolerant  # type: ignore[no-any-return]


_TAG_CONTINUES = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ=/")


def _unclosed_tags(text: str) -> Iterator[Excess]:
    """Start tags the HTML parser reads to the end of the text and then gives up on.

    It follows html.parser's own walk: a complete tag is skipped whole; an incomplete
    one is read to the end (the cost), then passed over as text up to the next `>`. The
    walk stops after the bound, so it costs no more than the renderer on a text that
    passes.
    """
    if not _TAG_OPEN.search(text):
        return
    pattern = _start_tag()
    found: list[int] = []
    at = 0
    while (start := text.find("<", at)) != -1:
        at = start + 1
        if not text[start + 1 : start + 2].isascii() or not text[start + 1 : start + 2].isalpha():
            continue
        match = pattern.match(text, start)
        end = match.end() if match else start + 1
        after = text[end : end + 1]
        if after == ">":
            at = end + 1
        elif text.startswith("/>", end):
            at = end + 2
        elif after == "" or after in _TAG_CONTINUES:
            found.append(start)
            if len(found) > MAX_UNCLOSED_TAGS:
                yield Excess(
                    "unclosed",
                    start,
                    f"has more than {MAX_UNCLOSED_TAGS} HTML tags '<' never closed by '>'",
                )
                return
            close = text.find(">", start + 1)
            at = close + 1 if close != -1 else start + 1
        else:  # pragma: no cover - the pinned pattern stops only before >, /> or the end
            at = max(end, start + 1)


def _footnotes(text: str) -> Iterator[Excess]:
    if text.count("[^") > MAX_FOOTNOTE_REFERENCES:
        at = -1
        for _ in range(MAX_FOOTNOTE_REFERENCES + 1):
            at = text.index("[^", at + 1)
        yield Excess(
            "large", at, f"has more than {MAX_FOOTNOTE_REFERENCES} footnote references '[^'"
        )


def _braces(text: str) -> Iterator[Excess]:
    if "{" not in text:
        return
    unclosed = 0
    line_start = 0
    for line in text.split("\n"):
        if "{" in line:
            after_last = line.rfind("}") + 1
            count = line.count("{", after_last)
            if count:
                unclosed += count
                if unclosed > MAX_UNCLOSED_BRACES:
                    yield Excess(
                        "unclosed",
                        line_start + line.index("{", after_last),
                        f"has more than {MAX_UNCLOSED_BRACES} '{{' not closed by '}}' "
                        "on their line",
                    )
                    return
        line_start += len(line) + 1


def _size(text: str) -> Iterator[Excess]:
    if len(text) > MAX_MARKDOWN_CHARS:
        yield Excess(
            "large",
            MAX_MARKDOWN_CHARS,
            f"is {len(text):,} characters long (at most {MAX_MARKDOWN_CHARS:,})",
        )
    in_block = 0
    counts = dict.fromkeys(("abbr", "heading", "fence"), 0)
    bounds = {"abbr": MAX_ABBREVIATIONS, "heading": MAX_HEADINGS, "fence": MAX_FENCE_LINES}
    what = {
        "abbr": "abbreviation definitions '*[...]:'",
        "heading": "headings",
        "fence": "code fence lines (``` or ~~~)",
    }
    block_start = 0
    for match in _BLOCK_LINE.finditer(text):
        if not match.group().strip():
            in_block, block_start = 0, match.end()
            continue
        in_block += 1
        kind = match.lastgroup
        if kind is not None:
            counts[kind] += 1
            if counts[kind] == bounds[kind] + 1:
                yield Excess("large", match.start(), f"has more than {bounds[kind]} {what[kind]}")
        if in_block == MAX_SPLITTING_LINES + 1:
            yield Excess(
                "large",
                block_start,
                f"has a block of more than {MAX_SPLITTING_LINES} headings, rules, fences "
                "or definitions with no blank line between them",
            )


_INLINE_MARKS = re.compile(r"[\[<{*_]")


def _plainly_within(text: str) -> bool:
    """Whether counting characters is enough to show that `text` is within every bound,
    as most texts are: one line without a bracket, tag, brace or emphasis mark (a title,
    a name), or too few lines, brackets, tags, braces and emphasis to exceed any bound;
    and no line long enough at its start to nest too deep."""
    if "\n" not in text and len(text) <= MAX_MARKDOWN_CHARS and not _INLINE_MARKS.search(text):
        return not _DEEP_FIRST_LINE.match(text)
    return (
        len(text) <= MAX_MARKDOWN_CHARS
        and text.count("\n") < MAX_ABBREVIATIONS  # fewer than any count of lines
        and text.count("[") <= MAX_UNCLOSED_BRACKETS  # footnotes and abbreviations too
        and text.count("](") <= MAX_UNCLOSED_LINK_TARGETS
        and text.count("*") + text.count("_") <= MAX_EMPHASIS_DEPTH
        and text.count("<") <= min(MAX_UNCLOSED_TAGS, MAX_UNCLOSED_PROCESSING)
        and text.count("{") <= MAX_UNCLOSED_BRACES
        and next(_deep_line_starts(text), None) is None
    )


def markdown_excesses(text: str) -> list[Excess]:
    """Every bound of this module that `text` exceeds, in the order of the checks."""
    if _plainly_within(text):
        return []
    found: list[Excess] = []
    checks = (_size, _footnotes, _brackets, _link_targets, _emphasis, _blocks, _html, _braces)
    for check in checks:
        found.extend(check(text))
    return found


def _find_markdown_excesses(repo: Repository) -> list[tuple[Source, Path_, str, Excess]]:
    return [
        (source, path, text, excess)
        for source, path, _, text in repo.texts()
        for excess in markdown_excesses(text)
    ]


def _markdown_hits(repo: Repository, kind: str) -> Iterator[Hit]:
    # Found once for the three rules.
    for source, path, text, excess in repo.derived(_find_markdown_excesses):
        if excess.kind == kind:
            yield Hit(source, path, f"{dotted(path)} {excess.message}", within=(text, excess.at))


LONG_TEXT = "(the rest of a text of 20,001 characters)"


@rule(
    "SM133",
    "markdown-too-large",
    Severity.ERROR,
    clauses.OUTPUTS_IN_ENGLISH,
    "shorten the text, or split it: a blank line between headings, an annex as a linked file",
    needs_reference=False,
    examples=(
        f"body:\n  en: |\n    ## Results\n    {LONG_TEXT}\n  zh: |\n    ## 成效\n",
        "body:\n  en: |\n    ## Results\n    (a text of at most 20,000 characters; annexes "
        "as linked files)\n  zh: |\n    ## 成效\n",
    ),
)
def markdown_too_large(repo: Repository) -> Iterator[Hit]:
    """A text is small enough for Markdown to render quickly.

    Triggers on a text of more than 20,000 characters; more than 100 headings, 64 code
    fence lines, 64 footnote references or 32 abbreviation definitions; and a block with
    more than 64 headings, rules, fences or definitions and no blank line between them.
    Python-Markdown reads a block again for each of those lines, numbers repeated
    headings and footnote references in quadratic time, and starts a highlighter for
    each code block.
    """
    yield from _markdown_hits(repo, "large")


@rule(
    "SM134",
    "markdown-too-deep",
    Severity.ERROR,
    clauses.OUTPUTS_IN_ENGLISH,
    "flatten the text: fewer levels of lists, quotes, HTML elements or brackets",
    needs_reference=False,
    examples=(
        'summary:\n  en: "> > > > > > > > > > > > > > > > > Loans in 6 days"\n'
        "  zh: 贷款审批从21天缩短至6天。\n",
        'summary:\n  en: "> Loans in 6 days"\n  zh: 贷款审批从21天缩短至6天。\n',
    ),
)
def markdown_too_deep(repo: Repository) -> Iterator[Hit]:
    """Markdown is nested shallowly enough to render.

    Triggers when one line nests lists, quotes, admonitions or indentation more than 16
    deep, when more than 16 HTML elements (`<div markdown>` among them) or 16 `[` are
    open at once, when more than 8 link targets `](` are open at once, or emphasis is
    nested more than 16 deep. Python-Markdown recurses once or more per level: 500
    nested `<div markdown>` end the build in a RecursionError.
    """
    yield from _markdown_hits(repo, "deep")


@rule(
    "SM135",
    "markdown-unclosed",
    Severity.ERROR,
    clauses.OUTPUTS_IN_ENGLISH,
    "close what is opened, or write the character escaped (\\[ \\< \\{)",
    needs_reference=False,
    examples=(
        'summary:\n  en: "Loans [[[[[[[[[ in 6 days"\n  zh: 贷款审批从21天缩短至6天。\n',
        'summary:\n  en: "Loans [in 6 days]"\n  zh: 贷款审批从21天缩短至6天。\n',
    ),
)
def markdown_unclosed(repo: Repository) -> Iterator[Hit]:
    """Markdown opens few brackets, links and tags that it never closes.

    Triggers on more than 8 `[` never closed by `]`, more than 4 link targets `](` never
    closed by `)`, more than 4 HTML start tags with no `>`, more than 4 `<?` with no
    `?>`, and more than 16 attribute lists `{` with no `}` on their line. The renderer
    reads from each of them to the end of the paragraph or the page, so the build's time
    grows with the square of a text made of them. An escaped `\\[` does not count.
    """
    yield from _markdown_hits(repo, "unclosed")
