"""Text safety (SM130-SM135): characters the outputs cannot hold, Markdown too large or
too deep for the renderer. Real files on disk, the real engine, the real renderer."""

from __future__ import annotations

import copy
import sys
import time
import unicodedata
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import TODAY, baseline, check, rules_hit, text
from material.extensions.emoji import to_svg, twemoji
from pymdownx.slugs import slugify

from smesa.check.findings import Severity
from smesa.check.rules import BY_ID, RULES
from smesa.check.rules import text as rules_text
from smesa.data.repository import load_repository
from smesa.report import charts
from smesa.site.feeds import atom_feed
from smesa.site.view import SiteView

CASE = "data/cases/2025/alpha-finance.yml"
MEMBER = "data/members/alpha.yml"
MEETING = "data/meetings/plenary-2025.yml"

# The site's Markdown (mkdocs.yml, markdown_extensions), as MkDocs configures it.
EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.emoji",
]
EXTENSION_CONFIGS = {
    "toc": {"permalink": True, "slugify": slugify(case="lower")},
    "pymdownx.highlight": {"use_pygments": True},
    "pymdownx.emoji": {"emoji_index": twemoji, "emoji_generator": to_svg},
}


def render(source: str) -> float:
    """Seconds Python-Markdown takes to render `source` as the site would."""
    start = time.perf_counter()
    markdown.markdown(source, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    return time.perf_counter() - start


def case_with(**fields) -> dict:
    case = copy.deepcopy(baseline()[CASE])
    case.update(fields)
    return {CASE: case}


def found(root: Path, rule_id: str) -> list[tuple[str, int, int, str]]:
    return [(f.path, f.line, f.column, f.message) for f in check(root) if f.rule == rule_id]


def position_of(root: Path, path: str, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of the first `needle` in a file as written."""
    for number, line in enumerate((root / path).read_text("utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


# -- the rules' own examples -----------------------------------------------------------

TEXT_RULES = [r for r in RULES if r.id.startswith("SM13")]
LONG = "x" * (rules_text.MAX_MARKDOWN_CHARS + 1)


def _with_example(example: str) -> dict:
    """The baseline case with the example's keys in place of its own."""
    fields = yaml.safe_load(example.replace(rules_text.LONG_TEXT, LONG))
    return case_with(**fields)


def test_every_text_rule_has_examples():
    assert [r.id for r in TEXT_RULES] == [f"SM13{n}" for n in range(6)]
    assert all(r.examples[0] and r.examples[1] for r in TEXT_RULES)


@pytest.mark.parametrize("rule", TEXT_RULES, ids=lambda r: r.id)
def test_SM13x_failing_example_triggers_exactly_its_rule(make_repo, rule):
    assert rules_hit(check(make_repo(changes=_with_example(rule.examples[0])))) == [rule.id]
    assert rules_hit(check(make_repo(changes=_with_example(rule.examples[1])))) == []


# -- characters ------------------------------------------------------------------------


def test_SM130_control_characters_anywhere(make_repo):
    member = copy.deepcopy(baseline()[MEMBER])
    member["website"] = "https://alpha.example/\x01"  # a valid URL to the model
    meeting = copy.deepcopy(baseline()[MEETING])
    meeting["place"] = text("Ningbo\x1b[31m", "中国宁波")
    meeting["colour"] = "blue\x7f"  # a record that fails its model is read too
    root = make_repo(
        changes={
            **case_with(title=text("Faster\r loans", "为小企业提供\x9b更快贷款")),
            MEMBER: member,
            MEETING: meeting,
        }
    )
    hits = [(f.path, f.message) for f in check(root) if f.rule == "SM130"]
    assert hits == [
        (CASE, "title.en must not hold control characters: control character (U+000D) "
         "at character 7: 'Faster\\r loans'"),
        (CASE, "title.zh must not hold control characters: control character (U+009B) "
         "at character 7: '为小企业提供\\x9b更快贷款'"),
        (MEETING, "place.en must not hold control characters: control character (U+001B) "
         "at character 7: 'Ningbo\\x1b[31m'"),
        (MEETING, "colour must not hold control characters: control character (U+007F) "
         "at character 5: 'blue\\x7f'"),
        (MEMBER, "website must not hold control characters: control character (U+0001) "
         "at character 23: 'https://alpha.example/\\x01'"),
    ]  # fmt: skip
    assert BY_ID["SM130"].severity is Severity.ERROR


def test_SM130_reference_data_and_noncharacters(make_repo):
    topics = (Path(__file__).parents[1] / "data/reference/topics.yml").read_text("utf-8")
    topics = topics.replace("en: Access to finance", 'en: "Access to finance\\uFFFE"', 1)
    root = make_repo(raw={"data/reference/topics.yml": topics})
    [(path, line, column, message)] = found(root, "SM130")
    assert path == "data/reference/topics.yml"
    assert "noncharacter (U+FFFE) at character 18" in message
    assert (line, column) == (
        position_of(root, path, '"Access')[0],
        position_of(root, path, '"Access')[1] + 18,
    )


def test_SM130_is_what_the_feed_writer_refuses(make_repo):
    """XML 1.0 has no C0 controls: the Atom feed (feedgen, lxml) cannot be written with
    one, so the check refuses the record first and the build never starts."""
    root = make_repo(changes=case_with(title=text("Faster\x01 loans", "更快贷款")))
    with pytest.raises(ValueError, match="XML compatible"):
        atom_feed(SiteView(load_repository(root, TODAY)), "https://example.org/", "en")
    assert rules_hit(check(root)) == ["SM130"]


def test_SM131_bidi_control_located_at_the_character(make_repo):
    raw = yaml.safe_dump(baseline()[CASE], allow_unicode=True, sort_keys=False)
    raw = raw.replace("en: Faster loans for small firms", "en: Loans cut to \u202e6 days")
    root = make_repo(raw={CASE: raw})
    line, column = position_of(root, CASE, "\u202e")
    assert found(root, "SM131") == [
        (CASE, line, column, "title.en must not hold bidirectional controls: "
         "RIGHT-TO-LEFT OVERRIDE (U+202E) at character 14: 'Loans cut to \\u202e6 days'")
    ]  # fmt: skip


@pytest.mark.parametrize(
    "char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069",
             "\u200e", "\u200f", "\u061c"]
)  # fmt: skip
def test_SM131_every_direction_control(make_repo, char):
    root = make_repo(changes=case_with(summary=text(f"Six {char}days.", "六天。")))
    [(_, _, _, message)] = found(root, "SM131")
    assert f"(U+{ord(char):04X}) at character 5" in message


def test_SM132_invisible_characters(make_repo):
    summary = text("Loans\u200b in six\u200b days, as\u00adsessed \u2060x\ufeff.", "六天\u3164。")
    root = make_repo(changes=case_with(summary=summary))
    findings = [f for f in check(root) if f.rule == "SM132"]
    assert [f.message for f in findings] == [
        "summary.en must not hold invisible characters: ZERO WIDTH SPACE (U+200B), "
        "SOFT HYPHEN (U+00AD), WORD JOINER (U+2060), ZERO WIDTH NO-BREAK SPACE (U+FEFF) at "
        "character 6 (5 in all): 'Loans\\u200b in six\\u200b days, as\\xadsesse'…",
        "summary.zh must not hold invisible characters: HANGUL FILLER (U+3164) at "
        "character 3: '六天\\u3164。'",
    ]
    assert {f.severity for f in findings} == {Severity.WARNING}


def test_SM132_joiners_and_flags_in_use_pass(make_repo):
    legitimate = (
        "Team 👩\u200d💻 and 👨🏽\u200d🔧; flag \U0001f3f4\U000e0067\U000e0062\U000e0073"
        "\U000e0063\U000e0074\U000e007f; Persian می\u200cخواهم; Hindi क्\u200dष."
    )
    root = make_repo(changes=case_with(summary=text(legitimate, "六天。")))
    assert found(root, "SM132") == []
    stray = make_repo(changes=case_with(summary=text("Six\u200d days \u200c.", "六天。")))
    assert len(found(stray, "SM132")) == 1


def test_character_classes_cover_unicode():
    """Every format character is bidi or invisible; every control but tab and line feed,
    and every noncharacter, is a control: checked against this Python's unicodedata."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Cf":
            assert rules_text.BIDI.match(char) or rules_text.INVISIBLE.match(char), hex(code)
        if category in ("Cc", "Cs") and char not in "\t\n":
            assert rules_text.CONTROL.match(char), hex(code)
        noncharacter = 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
        assert bool(rules_text.CONTROL.match(char)) == (
            noncharacter or (category in ("Cc", "Cs") and char not in "\t\n")
        ), hex(code)


# -- Markdown --------------------------------------------------------------------------


def _body(en: str) -> dict:
    return case_with(body=text(en, "## 服务\n\n一站式贷款窗口。"))


def test_SM133_markdown_too_large(make_repo):
    limit = rules_text.MAX_MARKDOWN_CHARS
    root = make_repo(changes=_body("word " * (limit // 5) + "more"))
    [(_, _, _, message)] = found(root, "SM133")
    assert message == f"body.en is {limit + 4:,} characters long (at most {limit:,})"
    assert found(make_repo(changes=_body("x" * limit)), "SM133") == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("".join(f"## Step {i}\n\ntext\n\n" for i in range(101)), "has more than 100 headings"),
        ("```\nx\n```\n\n" * 33, "has more than 64 code fence lines (``` or ~~~)"),
        ("".join(f"*[A{i}]: a\n" for i in range(33)), "has more than 32 abbreviation"),
        ("---\n" * 65, "has a block of more than 64 headings, rules, fences or definitions"),
        ("See[^1] " * 65 + "\n\n[^1]: A note.", "has more than 64 footnote references '[^'"),
    ],
    ids=["headings", "fences", "abbreviations", "block", "footnotes"],
)
def test_SM133_too_many_elements(make_repo, body, message):
    [(_, _, _, found_message)] = found(make_repo(changes=_body(body)), "SM133")
    assert found_message.startswith(f"body.en {message}")


def test_SM133_SM135_25_kb_of_brackets(make_repo):
    """The issue's build that took a minute: both rules name it, the check stays fast."""
    root = make_repo(changes=_body("[" * 25_000))
    start = time.perf_counter()
    findings = check(root)
    assert time.perf_counter() - start < 5
    assert [(f.rule, f.message) for f in findings] == [
        ("SM135", "body.en never closes 25,000 '[' (at most 8)"),
        ("SM133", "body.en is 25,000 characters long (at most 20,000)"),
    ]


def test_SM134_500_nested_div_markdown(make_repo):
    """Python-Markdown cannot render it (the build's RecursionError); the check says so."""
    nested = '<div markdown="1">\n' * 500 + "Text\n" + "</div>\n" * 500
    with pytest.raises(RecursionError):
        render(nested)
    root = make_repo(changes=_body(nested))
    [(_, _, _, message)] = found(root, "SM134")
    assert message == "body.en has more than 16 HTML elements open at once"


def _case_yaml(body_en: str) -> str:
    """The baseline case as a contributor writes it, its English body a `|` block."""
    case = baseline()[CASE]
    del case["body"]
    raw = yaml.safe_dump(case, allow_unicode=True, sort_keys=False)
    block = "".join(f"    {line}\n" if line else "\n" for line in body_en.splitlines())
    return f"{raw}body:\n  en: |\n{block}  zh: 一站式贷款窗口。\n"


def test_SM134_located_at_the_line_too_deep(make_repo):
    body = "Steps:\n\n" + "".join("    " * level + "- item\n" for level in range(20))
    root = make_repo(raw={CASE: _case_yaml(body)})
    [(_, line, _, message)] = found(root, "SM134")
    assert message == "body.en nests a line 17 deep (lists, quotes, indentation; at most 16)"
    assert line == position_of(root, CASE, " " * (4 + 64) + "- item")[0]


def test_SM135_located_at_the_bracket_past_the_bound(make_repo):
    root = make_repo(raw={CASE: _case_yaml("## Service\n\nSee [1 [2 [3 [4 [5 [6 [7 [8 [9 [10")})
    [(_, line, column, message)] = found(root, "SM135")
    assert (line, column) == position_of(root, CASE, "[9 [10")
    assert message == "body.en never closes 10 '[' (at most 8)"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * 17 + "x" + "]" * 17, "has more than 16 '[' open at once"),
        ("[a](" * 9 + "x" + ")" * 9, "has more than 8 link targets '](' open at once"),
        ("*a " * 17 + "x" + " a*" * 17, "nests emphasis more than 16 deep"),
        ("> " * 17 + "quoted", "nests a line 17 deep"),
        ("<span>" * 17 + "x" + "</span>" * 17, "has more than 16 HTML elements"),
    ],
    ids=["brackets", "link-targets", "emphasis", "quotes", "html"],
)
def test_SM134_each_kind_of_nesting(make_repo, body, message):
    [(_, _, _, found_message)] = found(make_repo(changes=_body(body)), "SM134")
    assert found_message.startswith(f"body.en {message}")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * 9 + "text", "never closes 9 '[' (at most 8)"),
        ("[a](" * 5 + "x", "never closes 5 link targets '](' with ')' (at most 4)"),
        ("<a " * 5 + "text", "has more than 4 HTML tags '<' never closed by '>'"),
        ("<a title='>' " * 5, "has more than 4 HTML tags '<' never closed by '>'"),
        ("<?" * 5, "never closes 5 '<?' with '?>' (at most 4)"),
        ("## A {: " * 17, "has more than 16 '{' not closed by '}' on their line"),
    ],
    ids=["brackets", "link-targets", "tags", "quoted-tags", "processing", "braces"],
)
def test_SM135_each_kind_of_unclosed(make_repo, body, message):
    [(_, _, _, found_message)] = found(make_repo(changes=_body(body)), "SM135")
    assert found_message == f"body.en {message}"


def test_SM135_escaped_brackets_do_not_count(make_repo):
    root = make_repo(changes=_body("\\[" * 100 + " [a] [b](c) `x`"))
    assert found(root, "SM135") == found(root, "SM134") == []


def test_ordinary_markdown_passes():
    ordinary = (
        "## Results {: #results }\n\n| a | b |\n|---|---|\n| **1** | *2* |\n\n"
        "- [APEC](https://www.apec.org) and <https://www.apec.org>\n"
        "    - nested *item* with `code[0]` and snake_case_name\n\n"
        "!!! note\n    Text[^1].\n\n[^1]: A note.\n\n*[SME]: small and medium enterprise\n\n"
        '<div markdown="1">\n<span>x</span><br>\n</div>\n\n```python\nx = {"a": [1, 2]}\n```\n'
    )
    assert rules_text.markdown_excesses(ordinary) == []


def _fill(head: str, unit: str, tail: str = "") -> str:
    """`head`, then `unit` repeated up to the size bound, then `tail`."""
    room = rules_text.MAX_MARKDOWN_CHARS - len(head) - len(tail)
    return head + unit * (room // len(unit)) + tail


def _worst_texts() -> dict[str, str]:
    """Texts at every bound at once or one at a time, filled up to the size bound: what
    the renderer pays most for among the texts the rules let through."""
    depth = rules_text.MAX_BLOCK_DEPTH
    lists = "".join("    " * level + "- a\n" for level in range(depth))
    nested_em = "*a " * 16 + "x" + " a*" * 16
    return {
        "brackets open at once": _fill("[" * 8 + "[" * 8 + "x", "word ", "]" * 8),
        "unclosed link targets": _fill("[a](" * 4 + "[a](" * 4, "w ", ")" * 4),
        "unclosed tags": _fill("<a <a <a <a ", "w "),
        "unclosed quoted tags": _fill("<a x='>' " * 4, "w "),
        "unclosed processing": _fill("<?" * 4, "w "),
        "unclosed braces": _fill("# a " + "{: " * 16 + "\n\n", "w "),
        "nested emphasis": _fill("", nested_em + "\n"),
        "nested lists": _fill("", lists + "\n"),
        "nested quotes": _fill("", "> " * depth + "a\n\n"),
        "nested div markdown": _fill("", '<div markdown="1">\n' * 16 + lists + "</div>\n" * 16),
        "headings": _fill("# a\n\n" * 100, "w "),
        "fences": _fill("```\nx\n```\n\n" * 32, "w "),
        "rules per block": _fill("", "***\n" * 64 + "\n"),
        "abbreviations": _fill("".join(f"*[A{i}]: x\n" for i in range(32)) + "\n", "A1 A31 "),
        "footnotes": _fill("", "w ", "[^1] " * 63 + "\n\n[^1]: x\n"),
        "tables": _fill("|a|b|\n|-|-|\n", "|*x*|`y`|\n"),
        "definitions": _fill("", "a\n:   b\n\n"),
        "admonitions": _fill("", "!!! note\n    x\n\n"),
        "links": _fill("", "[a](b) ![c](d) <http://e.f> "),
        "code spans": _fill("", "`a` "),
        "dense strong emphasis": _fill("", "**@****@@ **@** "),  # the slowest a fuzzer found
        "all bounds at once": _fill(
            "[" * 8 + "[a](" * 4 + "<a <a <a <a " + "<?" * 4 + "{: " * 16 + "\n\n"
            + '<div markdown="1">\n' * 16 + lists + "\n" + "</div>\n" * 16 + "\n"
            + nested_em + "\n\n" + "# a\n" * 64 + "\n" + "```\nx\n```\n\n" * 32,
            "w ",
        ),
    }  # fmt: skip


@pytest.fixture(scope="module")
def plain_render_seconds() -> float:
    """Seconds to render plain paragraphs as long as the size bound allows: the yardstick,
    measured on the same machine at the same moment as the texts it is compared with."""
    render("warm up: extensions loaded, Pygments styles built")
    plain = _fill("", "The centre served 1,012 firms in 2025; loans took six days.\n\n")
    return min(render(plain) for _ in range(3))


@pytest.mark.parametrize("name", list(_worst_texts()))
def test_markdown_within_bounds_renders_quickly(name, plain_render_seconds, capsys):
    """Every text the rules let through renders within 100 times the time of plain
    paragraphs of the same length (the worst measured, tables, about 14 times). A ratio,
    not seconds: a busy machine or coverage's tracer slows both sides alike. 25 KB of `[`
    took the real build 59 s, some 2,000 times the yardstick."""
    worst = _worst_texts()[name]
    assert rules_text.markdown_excesses(worst) == []
    seconds = min(render(worst) for _ in range(2))
    ratio = seconds / plain_render_seconds
    with capsys.disabled():
        print(f"\n  {name}: {len(worst):,} characters in {seconds:.3f} s, {ratio:.1f} x plain")
    assert ratio < 100


def test_deepest_markdown_within_bounds_renders_deep_in_a_stack():
    """Every nesting bound at once, rendered with 500 frames already on the stack (a
    build's MkDocs, plugins and hooks are far fewer): no RecursionError."""
    depth = rules_text.MAX_BLOCK_DEPTH
    inner = "*a " * 16 + "[" * 16 + "x" + "]" * 16 + " a*" * 16 + " " + "[a](" * 8 + ")" * 8
    deepest = (
        '<div markdown="1">\n' * 16
        + "".join("    " * level + "- a\n" for level in range(depth - 1))
        + "    " * (depth - 1) + "- " + inner + "\n\n"
        + "".join("    " * level + "!!! note\n" for level in range(depth - 1))
        + "    " * (depth - 1) + inner + "\n\n"
        + "> " * depth + inner + "\n\n"
        + "</div>\n" * 16
    )  # fmt: skip
    assert rules_text.markdown_excesses(deepest) == []

    def deep(frames: int) -> float:
        return render(deepest) if frames == 0 else deep(frames - 1)

    assert deep(500) < 2


def test_text_rules_run_without_reference_data(make_repo):
    root = make_repo(changes=_body("[" * 9), raw={"data/reference/tor.yml": "title: [\n"})
    assert rules_hit(check(root, TODAY)) == ["SM001", "SM135"]


def test_rule_pages_show_the_examples_escaped():
    """The examples are shown as YAML source: escapes, not the characters themselves."""
    for rule in TEXT_RULES:
        assert not rules_text.SUSPECT.search(rule.examples[0] + rule.examples[1]), rule.id


# -- charts ----------------------------------------------------------------------------

LITERAL_LABELS = ["$x^2$", "$", "$\\frac$", "Costs in $ and %"]


def test_chart_labels_are_drawn_literally(make_repo):
    """A topic named "$x^2$" is drawn as those five characters, not typeset as mathtext;
    "$\\frac$" (which mathtext cannot parse) does not stop the build."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    reference = Path(__file__).parents[1] / "data/reference/topics.yml"
    topics = yaml.safe_load(reference.read_text("utf-8"))
    for topic, label in zip(topics["topics"], LITERAL_LABELS, strict=False):
        topic["name"]["en"] = label
    root = make_repo(raw={"data/reference/topics.yml": yaml.safe_dump(topics, allow_unicode=True)})
    svg = charts.CHARTS["cases-by-topic"].render(load_repository(root, TODAY), "en").decode()
    font = FT2Font(font_manager.findfont(charts.LATIN_FAMILY))

    def glyph(char: str) -> str:
        return f'xlink:href="#{font.postscript_name}-{font.get_char_index(ord(char)):x}"'

    for label in LITERAL_LABELS:
        assert f"<!-- {label} -->" in svg
    # mathtext would drop the dollars and raise the 2 instead of drawing a caret
    assert glyph("$") in svg and glyph("^") in svg and glyph("\\") in svg
