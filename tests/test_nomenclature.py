"""Nomenclature (SM901, SM902) on disguised names: width, case, spaces, traditional
characters and invisible ones; findings still at the character of the original text."""

from __future__ import annotations

import copy
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from conftest import baseline, check

from smesa.check.rules import nomenclature

CASE = "data/cases/2025/alpha-finance.yml"


def summary_findings(make_repo, en: str, zh: str, rule: str) -> list[str]:
    case = copy.deepcopy(baseline()[CASE])
    case["summary"] = {"en": en, "zh": zh}
    root = make_repo(changes={CASE: case})
    return [f.message.split(" is not APEC usage")[0] for f in check(root) if f.rule == rule]


def located(root: Path, rule: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.fix) for f in check(root) if f.rule == rule]


@pytest.mark.parametrize(
    ("en", "matched"),
    [
        ("Loans in TAIWAN.", "'TAIWAN'"),
        ("Loans in taiwan.", "'taiwan'"),
        ("Loans in Hong\u00a0Kong.", "'Hong\\xa0Kong'"),
        ("Loans in HONG\u3000KONG.", "'HONG\\u3000KONG'"),
        ("Loans in every ｃｏｕｎｔｒｙ.", "'ｃｏｕｎｔｒｙ'"),
        ("Loans in every ＣＯＵＮＴＲＹ.", "'ＣＯＵＮＴＲＹ'"),
        ("Loans for member\ncountries.", "'member\\ncountries'"),
        ("Loans in Tai\u200bwan.", "'Tai\\u200bwan'"),
        ("Loans in Tai\u00adwan.", "'Tai\\xadwan'"),
        ("Loans for member states.", "'member states'"),
        ("Loans in 𝐓𝐚𝐢𝐰𝐚𝐧.", "'𝐓𝐚𝐢𝐰𝐚𝐧'"),
    ],
)
def test_SM901_finds_disguised_english(make_repo, en, matched):
    [message] = summary_findings(make_repo, en, "中小企业。", "SM901")
    assert message == f"summary.en: {matched}"


@pytest.mark.parametrize(
    "en",
    [
        "Loans in Hong Kong, China and Chinese Taipei.",
        "Loans in HONG KONG, CHINA.",
        "Loans in Hong\u00a0Kong, China.",
        "Loans in Hong Kong，China.",
        "Loans for member economies; Viet Nam; Brunei Darussalam.",
    ],
)
def test_SM901_keeps_correct_english(make_repo, en):
    assert summary_findings(make_repo, en, "中小企业。", "SM901") == []


@pytest.mark.parametrize(
    ("zh", "matched", "use"),
    [
        ("各成員國中小企業。", "'成員國'", "成员经济体"),
        ("臺灣的中小企業。", "'臺灣'", "中国台北"),
        ("台灣的中小企業。", "'台灣'", "中国台北"),
        ("中華台北的中小企業。", "'中華台北'", "中国台北"),
        ("中國台灣的中小企业。", "'中國台灣'", "中国台北"),
        ("中華民國的中小企业。", "'中華民國'", "中国台北"),
        ("台\u200b湾的中小企业。", "'台\\u200b湾'", "中国台北"),
        ("⾹港的中小企业。", "'⾹港'", "中国香港"),  # a Kangxi radical for 香
    ],
)
def test_SM902_finds_disguised_chinese(make_repo, zh, matched, use):
    case = copy.deepcopy(baseline()[CASE])
    case["summary"] = {"en": "SMEs.", "zh": zh}
    findings = [f for f in check(make_repo(changes={CASE: case})) if f.rule == "SM902"]
    assert [(f.message.split(" is not")[0], f.fix) for f in findings] == [
        (f"summary.zh: {matched}", f"write {use!r}")
    ]


@pytest.mark.parametrize(
    "zh",
    [
        "中国台北的中小企业。",
        "中國台北的中小企業。",
        "中国香港与中國香港。",
        "各成员经济体。",
        "台北市。",
    ],
)
def test_SM902_keeps_correct_chinese(make_repo, zh):
    assert summary_findings(make_repo, "SMEs.", zh, "SM902") == []


def test_SM901_SM902_point_at_the_original_characters(make_repo):
    """Offsets survive forms of other lengths: a ligature (two letters), İ (two in lower
    case), a zero-width space (none) before the match."""
    case = copy.deepcopy(baseline()[CASE])
    del case["summary"]
    raw = yaml.safe_dump(case, allow_unicode=True, sort_keys=False)
    raw += "summary:\n  en: ﬁnance İn\u200b ＴＡＩＷＡＮ\n  zh: 融资﹐臺灣\n"
    root = make_repo(raw={CASE: raw})
    lines = raw.splitlines()
    en_line = next(i for i, line in enumerate(lines, 1) if "ＴＡＩＷＡＮ" in line)
    assert located(root, "SM901") == [
        (en_line, lines[en_line - 1].index("Ｔ") + 1, "write 'Chinese Taipei'")
    ]
    assert located(root, "SM902") == [
        (en_line + 1, lines[en_line].index("臺") + 1, "write '中国台北'")
    ]


def test_normal_form_keeps_a_map_to_the_original():
    alphabet = frozenset("abcdefghijklmnopqrstuvwxyz ,")
    original = "xﬁ İ a\u200b\u00adb Ｃ\u00a0d\ttail"
    normal = nomenclature.normalise(original, alphabet)
    assert normal.text == "xfi i̇ ab c d tail"
    sources = [original[normal.original(at)] for at in range(len(normal.text))]
    assert sources == list("xﬁﬁ İİ ab Ｃ\u00a0d\ttail")


def test_big_texts_normalise_the_same(monkeypatch):
    """Above SCAN_ALL_ABOVE characters every changing code point is learnt at once
    instead of the text's own: the same normal form."""
    alphabet = frozenset("abcdefghijklmnopqrstuvwxyz ,台湾")
    text = "TAI\u200bWAN ｃｏｕｎｔｒｙ ﬁne 臺灣 İ\u3000x"
    small = nomenclature.normalise(text, alphabet)
    monkeypatch.setattr(nomenclature, "SCAN_ALL_ABOVE", 0)
    assert nomenclature.normalise(text, alphabet) == small


def test_changing_ranges_hold_every_code_point_that_changes():
    """CHANGING is where the scan for big texts looks: no code point outside it has a
    normal form (NFKC, lower case, whitespace, format, OpenCC's t2s) other than itself."""
    codes = [c for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    converted = nomenclature.simplified("\n".join(chr(c) for c in codes)).split("\n")
    assert len(converted) == len(codes)
    outside = [
        hex(code)
        for code, simple in zip(codes, converted, strict=True)
        if not any(low <= code <= high for low, high in nomenclature.CHANGING)
        and (
            simple != chr(code)
            or unicodedata.normalize("NFKC", chr(code)) != chr(code)
            or chr(code).lower() != chr(code)
            or chr(code).isspace()
            or unicodedata.category(chr(code)) == "Cf"
        )
    ]
    assert outside == []


def test_patterns_in_traditional_characters_still_match(make_repo):
    """Patterns are read as simplified too, so a term written 臺灣 finds 台湾."""
    reference = Path(__file__).parents[1] / "data/reference/nomenclature.yml"
    terms = reference.read_text("utf-8") + (
        "  - pattern: 寶島\n    language: zh\n    use: 中国台北\n    why: 测试。\n"
    )
    case = copy.deepcopy(baseline()[CASE])
    case["summary"] = {"en": "SMEs.", "zh": "宝岛的中小企业。"}
    root = make_repo(changes={CASE: case}, raw={"data/reference/nomenclature.yml": terms})
    assert [f.message.split(" is not")[0] for f in check(root) if f.rule == "SM902"] == [
        "summary.zh: '宝岛'"
    ]


def test_a_match_never_spans_two_texts(make_repo):
    """All texts are searched as one string with a separator between them: a pattern that
    could cross it (here `\\W+`) finds a phrase inside one text, never the end of one text
    and the start of the next."""
    reference = Path(__file__).parents[1] / "data/reference/nomenclature.yml"
    terms = reference.read_text("utf-8") + (
        "  - pattern: (?i)\\bpartner\\W+economies\\b\n    language: en\n"
        "    use: member economies\n    why: A test.\n"
    )
    case = copy.deepcopy(baseline()[CASE])
    case["title"] = {"en": "Loans for SMEs of a partner", "zh": "中小企业贷款"}
    case["summary"] = {"en": "Economies gained; partner, economies too.", "zh": "经济体受益。"}
    root = make_repo(changes={CASE: case}, raw={"data/reference/nomenclature.yml": terms})
    found = [f.message.split(" is not")[0] for f in check(root) if f.rule == "SM901"]
    assert found == ["summary.en: 'partner, economies'"]
