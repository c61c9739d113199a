"""Branches of the rules' helpers that no whole-repository test reaches (`make coverage`
lists them): each is a case a contributor's text can produce."""

from __future__ import annotations

import itertools

from conftest import baseline, check

from smesa.check.rules import nomenclature
from smesa.check.rules import text as rules_text
from smesa.check.rules.text import find_characters, markdown_excesses

CASE = "data/cases/2025/alpha-finance.yml"
MEETING = "data/meetings/plenary-2025.yml"


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


def test_a_paren_that_opens_no_link_target_is_not_counted():
    assert list(rules_text._link_targets("[a](b) (and a remark) [c](d)")) == []


def test_a_closing_tag_nothing_opened_closes_nothing():
    assert list(rules_text._html("</b>" + "<i>" * rules_text.MAX_HTML_DEPTH)) == []
    deep = list(rules_text._html("</b>" + "<i>" * (rules_text.MAX_HTML_DEPTH + 1)))
    assert [e.kind for e in deep] == ["deep"]


def test_a_closing_tag_closes_what_was_opened_inside_it():
    unwound = "<b><i><u>x</b>" * (rules_text.MAX_HTML_DEPTH + 1)
    assert list(rules_text._html(unwound)) == []


def test_a_less_than_sign_before_anything_but_a_letter_is_text():
    maths = "<b>1 < 2, 3 <4, <中文, <-, <<" * (rules_text.MAX_UNCLOSED_TAGS + 1)
    assert list(rules_text._unclosed_tags(maths)) == []


def test_self_closed_tags_are_complete():
    closed = '<br/><a b="c"/><a b/>' * (rules_text.MAX_UNCLOSED_TAGS + 1)
    assert list(rules_text._unclosed_tags(closed)) == []
    open_ = list(rules_text._unclosed_tags("<br " * (rules_text.MAX_UNCLOSED_TAGS + 1)))
    assert [e.kind for e in open_] == ["unclosed"]


def test_markup_in_a_string_that_is_not_a_text(make_repo):
    """SM140 reads references and other plain strings too, not only the en/zh texts."""
    files = baseline()
    files[CASE]["approval"]["smewg"]["ref"] = "2025/SMEWG60/011{: #x}"
    files[MEETING]["approval"]["smewg"]["ref"] = "2025/SMEWG60/019 <3 {x"  # no markup
    found = [f.message for f in check(make_repo(files)) if f.rule == "SM140"]
    assert found == ["approval.smewg.ref holds markup: '{: #x}'"]


def test_a_fenced_block_with_attributes_is_markup(make_repo):
    files = baseline()
    files[CASE]["body"]["en"] += "\n\n```python {: .x}\nprint(1)\n```\n"
    found = [f.message for f in check(make_repo(files)) if f.rule == "SM140"]
    assert len(found) == 1 and found[0].startswith("body.en")


def test_a_non_member_economy_may_name_an_economy_outside_apec(make_repo):
    """SM201 lets a participant of kind non-member-economy name its economy (SM610 asks
    for its approval); any other participant names an APEC economy."""
    files = baseline()
    files[MEETING]["guests"] = [
        {"name": {"en": "Ministry of MSMEs", "zh": "部"}, "economy": "IND", "kind": kind}
        for kind in ("non-member-economy", "government")
    ]
    found = [f.message.split(" is")[0] for f in check(make_repo(files)) if f.rule == "SM201"]
    assert found == ["guests[1].economy"]


def test_the_start_tag_pattern_stops_only_before_a_close_or_the_end():
    """What lets `_unclosed_tags` leave its last branch untested (`pragma: no cover`):
    Python-Markdown's tolerant start-tag pattern, after `<a` and any 1 to 4 characters
    that matter to it, ends before `>`, `/>`, a character a tag continues with, or the
    end, never elsewhere."""
    pattern = rules_text._start_tag()
    stops = []
    for size in range(1, 5):
        for chars in itertools.product("a =\"'/<>,\n", repeat=size):
            tag = "<a" + "".join(chars)
            end = pattern.match(tag).end()
            after = tag[end : end + 1]
            if after not in ("", ">") and not tag.startswith("/>", end):
                stops.append(after)
    assert set(stops) <= rules_text._TAG_CONTINUES
