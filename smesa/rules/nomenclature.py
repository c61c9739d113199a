"""APEC nomenclature: the words APEC uses for its members, in English and Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from smesa.findings import Severity
from smesa.models import Nomenclature, scoped_pattern
from smesa.repository import Repository, dotted
from smesa.rules import clauses
from smesa.rules.registry import Hit, rule


@cache
def _combined(terms: tuple[Nomenclature, ...]) -> re.Pattern[str] | None:
    """One alternation for all terms of a language: one pass over each text."""
    if not terms:
        return None
    return re.compile(
        "|".join(f"(?P<t{i}>{scoped_pattern(t.pattern)})" for i, t in enumerate(terms))
    )


def _matches(repo: Repository, language: str) -> Iterator[Hit]:
    terms = tuple(t for t in repo.reference["nomenclature"].record.terms if t.language == language)
    pattern = _combined(terms)
    if pattern is None:
        return
    for source, path, text_language, text in repo.texts():
        if text_language != language:
            continue
        for match in pattern.finditer(text):
            term = terms[int(match.lastgroup[1:])]  # type: ignore[index]
            yield Hit(
                source,
                path,
                f"{dotted(path)}: {match.group()!r} is not APEC usage ({term.why})",
                f"write {term.use!r}",
                within=(text, match.start()),
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
