"""Branches of the rules' helpers that no whole-repository test reaches (`make coverage`
lists them): each is a case a contributor's text can produce."""

from __future__ import annotations

from smesa.check.rules import nomenclature
from smesa.check.rules.text import find_characters, markdown_excesses


def test_a_joiner_at_either_end_of_a_text_joins_nothing():
    assert set(find_characters("\u200dLoans")) == {"invisible"}
    assert set(find_characters("Loans\u200d")) == {"invisible"}
    assert find_characters("👩\u200d💻 desk") == {}  # inside an emoji sequence


def test_tag_characters_count_only_inside_a_flag():
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert find_characters(f"Made in {england}") == {}
    assert set(find_characters("hidden\U000e0041text")) == {"invisible"}


def test_closing_tags_unwind_what_they_close():
    assert markdown_excesses("<b><i>Loans</b> in six days") == []
    assert markdown_excesses("a line break<br/>and a rule<hr /> are void") == []


def test_a_pattern_with_metacharacters_has_no_literal_needle():
    assert nomenclature.literal_needle(r"\bmember countr(y|ies)\b") is None
    assert nomenclature.literal_needle(r"(?i)\bmember countries\b") == "member countries"
    whole = "SMEs of member countries and a member country"
    found = [m.group() for m in nomenclature._find(r"member countr(?:y|ies)", whole)]
    assert found == ["member countries", "member country"]
