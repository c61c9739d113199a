"""APEC nomenclature: the words APEC uses for its members, in English and Chinese."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from functools import cache

from smesa.findings import Severity
from smesa.models import Nomenclature
from smesa.repository import Repository, dotted
from smesa.rules import clauses
from smesa.rules.registry import Hit, rule

SEPARATOR = "\x00"  # the loader refuses NUL bytes, so no text holds one
_LOOKAROUND = re.compile(r"\(\?<?[=!][^()]*\)")
_METACHARACTERS = re.compile(r"[\\.^$*+?{}\[\]|()]")


def literal_needle(pattern: str) -> tuple[str, bool] | None:
    """The plain text every match of `pattern` contains, and whether case is ignored.

    `(?i)\\bmember countries\\b` -> ("member countries", True). A substring test with it
    is a hundred times faster than the regular expression, and most texts fail it.
    None when the pattern is more than a literal with word boundaries and lookarounds.
    """
    ignore_case = pattern.startswith("(?i)")
    core = _LOOKAROUND.sub("", pattern.removeprefix("(?i)").replace(r"\b", ""))
    if not core or _METACHARACTERS.search(core):
        return None
    return (core.lower() if ignore_case else core), ignore_case


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _find(pattern: str, whole: str, whole_lower: str) -> Iterator[re.Match[str]]:
    """Matches of `pattern` in `whole`, found through its literal text where it has one.

    A pattern that starts with `\\b` or a lookbehind gets no literal-prefix speed-up from
    the regex engine, which then tries every position. Its literal core is where any
    match starts (the rest is zero-width), so `str.find` gives the candidates.
    """
    compiled = _compiled(pattern)
    needle = literal_needle(pattern)
    if needle is None or len(whole_lower) != len(whole):
        yield from compiled.finditer(whole)
        return
    text, ignore_case = needle
    haystack = whole_lower if ignore_case else whole
    at = haystack.find(text)
    while at != -1:
        match = compiled.match(whole, at)
        if match:
            yield match
        at = haystack.find(text, at + 1)


def _matches(repo: Repository, language: str) -> Iterator[Hit]:
    terms = [t for t in repo.reference["nomenclature"].record.terms if t.language == language]
    texts = [(s, p, t) for s, p, lang, t in repo.texts() if lang == language]
    # One pass per term over all texts joined: the regex engine's literal search is fast
    # on one long string, and a match maps back to its text by offset.
    whole = SEPARATOR.join(t for _, _, t in texts)
    starts = list(itertools.accumulate((len(t) + 1 for _, _, t in texts[:-1]), initial=0))
    whole_lower = whole.lower() if any(t.pattern.startswith("(?i)") for t in terms) else whole
    taken: dict[int, list[tuple[int, int]]] = {}
    found: list[tuple[int, int, Nomenclature, str]] = []
    for term in terms:
        for match in _find(term.pattern, whole, whole_lower):
            if SEPARATOR in match.group():
                continue
            index = bisect.bisect_right(starts, match.start()) - 1
            start, end = match.start() - starts[index], match.end() - starts[index]
            # Terms are in priority order: "member countries" hides its "countries".
            spans = taken.setdefault(index, [])
            if not any(start < e and s < end for s, e in spans):
                spans.append((start, end))
                found.append((index, start, term, match.group()))
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
