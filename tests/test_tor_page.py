"""The published English ToR (content/en/about/tor.md) says what the Chinese says, and
states the readings the registry rests on as translator's notes."""

from __future__ import annotations

from conftest import ROOT

EN = (ROOT / "content/en/about/tor.md").read_text("utf-8")
ZH = (ROOT / "content/zh/about/tor.md").read_text("utf-8")
TEXT = " ".join(EN.split())


def test_the_second_plenary_is_a_translators_note_not_added_words():
    assert "第二次年度全体成员会议" in ZH
    assert "to the SMEWG at the second annual plenary meeting.[^second-plenary]" in TEXT
    assert "at the SMEWG's second plenary meeting of the year" not in TEXT
    note = TEXT[TEXT.index("[^second-plenary]: *Translator's note.*") :]
    assert "We read it as the SMEWG's second plenary of the year" in note
    assert "submitted to that session by its last day" in note


def test_the_background_says_what_the_chinese_says():
    assert "人才物流难畅通" in ZH and "the flow of talent and goods is obstructed" in TEXT
    assert "talent and logistics are hard to secure" not in TEXT
    assert "沟通机制" in ZH and "an effective communication mechanism between SMEs" in TEXT
    assert "当前，促进中小企业发展" in ZH and "At present, promoting the development" in TEXT
    assert "现金流灵活性不足等问题" in ZH and "problems such as insufficient cash-flow" in TEXT


def test_the_guidelines_by_the_titles_apec_gives_them():
    for title in (
        "Guidelines on Managing Cooperation with Non-Members",
        "APEC Publications Guidelines",
        "APEC Sponsorship Policy and Guidelines",
        "APEC Branding Manual",
    ):
        assert f"*{title}*" in TEXT, title
    assert "Branding Handbook" not in TEXT and "Publication Guidelines*" not in TEXT


def test_the_smewg_is_named_one_way():
    assert TEXT.count("APEC Small and Medium Enterprises Working Group (SMEWG)") == 1
    assert "APEC SMEWG" not in TEXT
