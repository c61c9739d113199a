"""APEC nomenclature: the words APEC uses for its members, in English and Chinese.

Texts are compared in a normal form, so that a wording is found however it was typed:
compatibility forms as their plain letters (NFKC: full-width `ｃｏｕｎｔｒｙ`, ligatures,
Kangxi radicals), any case, every kind of whitespace (a line break, U+00A0, U+3000) as a
space, invisible format characters (U+200B, U+00AD) left out, and traditional Chinese
as simplified (OpenCC, one character at a time: 臺灣 is 台湾). Patterns are matched
ignoring case, their Chinese read as simplified. A finding points at the character of
the original text: the normal form keeps where each of its characters came from.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from smesa.check.findings import Severity
from smesa.check.registry import Hit, rule
from smesa.check.rules.text import HIDDEN
from smesa.data.models import Nomenclature
from smesa.data.repository import Repository, dotted
from smesa.tor import clauses

SEPARATOR = "\x00"  # the loader refuses NUL bytes, so no text holds one
_LOOKAROUND = re.compile(r"\(\?<?[=!][^()]*\)")
_METACHARACTERS = re.compile(r"[\\.^$*+?{}\[\]|()]")
# ASCII whitespace but the space (and NUL, the separator, which is no whitespace).
_ASCII_SPACES = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
# Every code point whose normal form differs from its lower case lies in these ranges
# (tests/test_nomenclature.py checks it against unicodedata and OpenCC).
CHANGING = (
    (0x0080, 0xAB69),
    (0xF900, 0x118BF),
    (0x13430, 0x13438),
    (0x16E40, 0x16E5F),
    (0x1BCA0, 0x1BCA3),
    (0x1D15E, 0x1D7FF),
    (0x1E900, 0x2B726),
    (0x2F800, 0x2FA1D),
    (0x30EDE, 0x30EDE),
    (0xE0001, 0xE007F),
)
_ASTRAL = "\U00010000-\U0010ffff"
# The CJK unified ideographs: NFKC leaves them as they are, OpenCC changes some.
IDEOGRAPHS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x3FFFF))
# Above this many characters, normalising every code point of CHANGING once costs less
# than collecting the distinct characters of the texts.
SCAN_ALL_ABOVE = 4_000_000


def literal_needle(pattern: str) -> str | None:
    """The plain text, in lower case, that every match of `pattern` contains.

    `(?i)\\bmember countries\\b` -> "member countries". A substring test with it is a
    hundred times faster than the regular expression, and most texts fail it. None when
    the pattern is more than a literal with word boundaries and lookarounds.
    """
    core = _LOOKAROUND.sub("", pattern.removeprefix("(?i)").replace(r"\b", ""))
    if not core or _METACHARACTERS.search(core):
        return None
    return core.lower()


@cache
def _simplifier():  # type: ignore[no-untyped-def]
    import opencc  # a C++ library: loaded only when there is Chinese to compare

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """`text` with traditional Chinese characters as simplified (ASCII is left alone)."""
    return text if text.isascii() else _simplifier().convert(text)  # type: ignore[no-any-return]


_FORMS: dict[str, str] = {}  # character -> its normal form, learnt as characters are met
# Whitespace is a space; the characters SM131 and SM132 report are not shown, so none.
_SPACE_OR_HIDDEN = re.compile(rf"\s|{HIDDEN.pattern}")


def _learn(chars: Iterable[str]) -> None:
    """Put the normal form of `chars` in _FORMS, converting them all in one call each.

    ASCII needs none (lower case and `_spaces` do it); a surrogate cannot be converted.
    """
    new = [
        c for c in chars if c not in _FORMS and not c.isascii() and not "\ud800" <= c <= "\udfff"
    ]
    if not new:
        return
    joined = "\n".join(new)  # no form holds a line feed, so the forms split again
    forms = simplified(unicodedata.normalize("NFKC", joined)).lower().split("\n")
    # A conversion across characters would shift every form after it: one at a time then.
    # The pinned OpenCC makes none (test_changing_ranges_hold_every_code_point_that_changes
    # converts every code point at once); this guards a future dictionary.
    if len(forms) != len(new):  # pragma: no cover
        forms = [simplified(unicodedata.normalize("NFKC", c)).lower() for c in new]
    _FORMS.update(zip(new, forms, strict=True))
    for char in _SPACE_OR_HIDDEN.findall(joined):
        if char != "\n":
            _FORMS[char] = " " if char.isspace() else ""


def _without(ranges: Iterable[tuple[int, int]], holes: Iterable[tuple[int, int]]) -> list[range]:
    """The code points of `ranges` outside `holes`, as ranges."""
    parts = [range(low, high + 1) for low, high in ranges]
    for low, high in holes:
        parts = [
            part
            for whole in parts
            for part in (
                range(whole.start, min(whole.stop, low)),
                range(max(whole.start, high + 1), whole.stop),
            )
            if part
        ]
    return parts


@cache
def _every_changing_character(ideographs: bool) -> frozenset[str]:
    """Every character whose normal form is not its lower case (a few thousand); the
    unified ideographs, which only the traditional-to-simplified table changes, only
    when asked for (an English pattern has none)."""
    holes = [(0xD800, 0xDFFF)] + ([] if ideographs else list(IDEOGRAPHS))
    chars = [chr(code) for part in _without(CHANGING, holes) for code in part]
    _learn(chars)
    lowered = "\n".join(chars).lower().split("\n")
    return frozenset(
        c for c, low in zip(chars, lowered, strict=True) if _FORMS[c] != low or len(low) != 1
    )


@dataclass(frozen=True, slots=True)
class Normalised:
    """A text's normal form, and where each of its characters came from.

    `changes` lists, for every character whose form is not one character long, where
    its form starts in `text`, where the character is in the original and the form's
    length; between them the two texts run in step.
    """

    text: str
    changes: tuple[tuple[int, int, int], ...] = ()

    def original(self, at: int) -> int:
        """The offset in the original text of character `at` of the normal form."""
        index = bisect.bisect_right(self.changes, (at, float("inf"))) - 1
        if index < 0:
            return at
        start, source, length = self.changes[index]
        if at < start + length:
            return source
        return source + 1 + (at - start - length)


def normalise(text: str, alphabet: frozenset[str]) -> Normalised:
    """`text` in normal form, as far as matching words made of `alphabet` can tell.

    A character is replaced when its form differs from its lower case and the form is
    empty or holds a letter of `alphabet`: other differences cannot make or unmake a
    match, and leaving them keeps the two texts in step.
    """
    if text.isascii():
        return Normalised(_spaces(text.lower()))
    if len(text) > SCAN_ALL_ABOVE:
        ideographs = any(_within(IDEOGRAPHS, c) for c in alphabet)
        candidates = _every_changing_character(ideographs)
    else:
        candidates = frozenset(text)
    finder = _finder(candidates, alphabet)
    if finder is None:
        return Normalised(_spaces(text.lower()))
    pattern, astral = finder
    pieces: list[str] = []
    changes: list[tuple[int, int, int]] = []
    last = length = 0
    for match in pattern.finditer(text):
        at, char = match.start(), match.group()
        if char > "\uffff" and char not in astral:
            continue
        form = _FORMS[char]
        pieces.append(text[last:at])
        length += at - last
        if len(form) != 1:
            changes.append((length, at, len(form)))
        pieces.append(form)
        length += len(form)
        last = at + 1
    pieces.append(text[last:])
    return Normalised(_spaces("".join(pieces).lower()), tuple(changes))


@lru_cache(maxsize=8)
def _finder(
    candidates: frozenset[str], alphabet: frozenset[str]
) -> tuple[re.Pattern[str], frozenset[str]] | None:
    """A pattern that finds the characters of `candidates` to replace, and those of them
    beyond the BMP; None when there are none.

    Python's re tests the astral characters of a class one by one at every position: the
    pattern takes every astral character, and the set says which to replace.
    """
    _learn(candidates)
    changing = {
        c
        for c in candidates
        if len(c.lower()) != 1  # İ: its lower case is two characters
        or (
            (form := _FORMS.get(c, c.lower())) != c.lower()
            and (not form or not alphabet.isdisjoint(form))
        )
    }
    if not changing:
        return None
    for char in changing:
        _FORMS.setdefault(char, char.lower())
    astral = frozenset(c for c in changing if c > "\uffff")
    codes = sorted(ord(c) for c in changing if c <= "\uffff")
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    members = "".join(
        re.escape(chr(low)) + (f"-{re.escape(chr(high))}" if high > low else "")
        for low, high in ranges
    )
    return re.compile(f"[{members}{_ASTRAL if astral else ''}]"), astral


def _within(ranges: Iterable[tuple[int, int]], char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in ranges)


def _spaces(text: str) -> str:
    for space in _ASCII_SPACES:
        if space in text:
            text = text.replace(space, " ")
    return text


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _find(pattern: str, whole: str) -> Iterator[re.Match[str]]:
    """Matches of `pattern` in the normal form `whole`, found through its literal text.

    A pattern that starts with `\\b` or a lookbehind gets no literal-prefix speed-up from
    the regex engine, which then tries every position. Its literal core is where any
    match starts (the rest is zero-width), so `str.find` gives the candidates.
    """
    compiled = _compiled(pattern)
    needle = literal_needle(pattern)
    if needle is None:
        yield from compiled.finditer(whole)
        return
    at = whole.find(needle)
    while at != -1:
        match = compiled.match(whole, at)
        if match:
            yield match
        at = whole.find(needle, at + 1)


def _alphabet(patterns: Iterable[str]) -> frozenset[str]:
    """The characters a match can be made of: letters, digits, spaces and commas."""
    return frozenset(c for p in patterns for c in p.lower() if c.isalnum() or c in " ,")


def _matches(repo: Repository, language: str) -> Iterator[Hit]:
    terms = [t for t in repo.reference["nomenclature"].record.terms if t.language == language]
    patterns = [simplified(t.pattern) for t in terms]
    texts = [(s, p, t) for s, p, lang, t in repo.texts() if lang == language]
    # One pass per term over all texts joined: the regex engine's literal search is fast
    # on one long string, and a match maps back to its text by offset.
    whole = SEPARATOR.join(t for _, _, t in texts)
    starts = list(itertools.accumulate((len(t) + 1 for _, _, t in texts[:-1]), initial=0))
    normal = normalise(whole, _alphabet(patterns))
    taken: dict[int, list[tuple[int, int]]] = {}
    found: list[tuple[int, int, Nomenclature, str]] = []
    for term, pattern in zip(terms, patterns, strict=True):
        for match in _find(pattern, normal.text):
            if SEPARATOR in match.group():
                continue
            begin = normal.original(match.start())
            end = normal.original(match.end() - 1) + 1 if match.end() > match.start() else begin
            index = bisect.bisect_right(starts, begin) - 1
            start, stop = begin - starts[index], end - starts[index]
            # Terms are in priority order: "member countries" hides its "countries".
            spans = taken.setdefault(index, [])
            if not any(start < e and s < stop for s, e in spans):
                spans.append((start, stop))
                found.append((index, start, term, whole[begin:end]))
    for index, start, term, matched in found:
        source, path, text = texts[index]
        yield Hit(
            source,
            path,
            f"{dotted(path)}: {matched!r} is not APEC usage ({term.why})",
            f"write {term.use!r}",
            within=(text, start),
        )


@rule(
    "SM901",
    "nomenclature-en",
    Severity.WARNING,
    clauses.GUIDELINES,
    "use APEC's words (see data/reference/nomenclature.yml)",
    examples=("en: SMEs of member countries\n", "en: SMEs of member economies\n"),
)
def nomenclature_en(repo: Repository) -> Iterator[Hit]:
    """English text uses APEC nomenclature.

    APEC members are economies, not countries; economies are named as APEC names them
    (Chinese Taipei; Hong Kong, China; Viet Nam …). The terms live in
    data/reference/nomenclature.yml.
    """
    yield from _matches(repo, "en")


@rule(
    "SM902",
    "nomenclature-zh",
    Severity.WARNING,
    clauses.GUIDELINES,
    "use APEC's words (see data/reference/nomenclature.yml)",
    examples=("zh: 各成员国中小企业\n", "zh: 各成员经济体中小企业\n"),
)
def nomenclature_zh(repo: Repository) -> Iterator[Hit]:
    """Chinese text uses APEC nomenclature.

    成员经济体, not 成员国; 中国台北, never 中华台北, 中国台湾 or 台湾; 中国香港.
    """
    yield from _matches(repo, "zh")
