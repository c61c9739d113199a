"""Contributor text stays text: SM140 finds markup, the generator neutralises it anyway,
heading ids are slugs, and no record id takes a page of the site (SM141)."""

from __future__ import annotations

import copy

import markdown
import pytest
import yaml
from conftest import TODAY, baseline, check
from selectolax.lexbor import LexborHTMLParser

from smesa.data.repository import load_repository
from smesa.render.markdown import inert_markdown
from smesa.site import generate as gen
from smesa.site.slugs import is_slug, slugify
from smesa.tor.publication import reserved_id

CASE = "data/cases/2025/alpha-finance.yml"


def only(findings, rule):
    return [(f.path, f.line, f.message) for f in findings if f.rule == rule]


EXTENSIONS = ["attr_list", "md_in_html", "toc", "fenced_code", "tables"]

HOSTILE = [
    "## Results {: id='__drawer\"><svg onload=alert(document.domain) x=' }",
    'Text\n{: onclick="alert(1)" }',
    "[x](y){: onmouseover=alert(1)}",
    "<img src=x onerror=alert(1)>",
    '<div markdown="1">\n## Inside {#__search}\n</div>',
    "<!-- hidden --> visible",
    "</p><script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_inert_markdown_renders_no_attribute_or_tag(payload):
    raw = markdown.markdown(payload, extensions=EXTENSIONS)
    html = markdown.markdown(inert_markdown(payload), extensions=EXTENSIONS)
    assert _markup(raw) != {("p", ())} or "<!--" in raw  # markup when left as it is
    assert _markup(html) <= {("p", ()), ("h2", ("id",)), ("a", ("href",))}
    assert "<!--" not in html


def _markup(html: str) -> set[tuple[str, tuple[str, ...]]]:
    """The (tag, attribute names) of every element of an HTML fragment."""
    body = LexborHTMLParser(html).body
    nodes = body.traverse(include_text=True)
    return {(node.tag, tuple(sorted(node.attributes))) for node in nodes} - {
        ("body", ()),
        ("-text", ()),
    }


def test_inert_markdown_keeps_code_and_autolinks():
    text = "Use `<b>{: x}</b>` here, see <https://example.org>.\n\n```\n<i>{#id}</i>\n```\n"
    assert inert_markdown(text) == text
    html = markdown.markdown(text, extensions=EXTENSIONS)
    assert '<a href="https://example.org">' in html and "&lt;b&gt;{: x}&lt;/b&gt;" in html


def test_inert_markdown_leaves_plain_comparisons_alone():
    assert inert_markdown("costs < 5% and 3 > 2") == "costs < 5% and 3 > 2"


def _case_with_body(make_repo, body: str):
    """The baseline with the case's English body written as a literal block (`|`)."""
    files = baseline()
    case = files[CASE]
    case.pop("body", None)
    block = "".join(f"    {line}\n" if line else "\n" for line in body.splitlines())
    raw = yaml.safe_dump(case, allow_unicode=True, sort_keys=False)
    raw += f"body:\n  en: |\n{block}  zh: 正文。\n"
    return make_repo(files, raw={CASE: raw})


def test_SM140_finds_html_and_attribute_lists_at_their_spot(make_repo):
    body = "## Results\n\nLoans <b>fast</b>.\n\n## Next {: #__drawer }\n"
    found = only(check(_case_with_body(make_repo, body)), "SM140")
    assert [(path, message) for path, _line, message in found] == [
        (CASE, "body.en holds HTML, which is shown as written: '<b>fast</b>.'"),
        (CASE, "body.en holds an attribute list, which is shown as written: '{: #__drawer }'"),
    ]
    raw = (make_repo.base / f"repo{make_repo.count}" / CASE).read_text("utf-8").splitlines()
    assert [raw[line - 1].strip() for _path, line, _message in found] == [
        "Loans <b>fast</b>.",
        "## Next {: #__drawer }",
    ]


def test_SM140_accepts_code_autolinks_and_comparisons(make_repo):
    body = "Costs < 5% of sales; see <https://example.org> and `<b>{: x}</b>`.\n"
    assert only(check(_case_with_body(make_repo, body)), "SM140") == []


@pytest.mark.parametrize(
    ("folder", "record_id", "reserved"),
    [
        ("cases", "index", True),
        ("members", "index", True),
        ("reports", "status", True),
        ("reports", "annual-2031", True),
        ("cases", "status", False),
        ("reports", "annual-report-2025", False),
        ("cases", "con", True),
        ("cases", "lpt1", True),
        ("cases", "console", False),
        ("cases", "nul-points", False),
    ],
)
def test_reserved_ids(folder, record_id, reserved):
    assert reserved_id(folder, record_id) is reserved


def test_SM141_refuses_an_id_that_takes_a_site_page(make_repo):
    files = baseline()
    case = copy.deepcopy(files.pop(CASE))
    case["id"] = "index"
    files["data/cases/2025/index.yml"] = case
    assert only(check(make_repo(files)), "SM141") == [
        ("data/cases/2025/index.yml", 1, "id 'index' is reserved for a page of the site")
    ]


def test_every_page_the_site_makes_itself_is_reserved(tmp_path, make_repo):
    # A fixed page of a section (not a record's page) must be a reserved id, or a record
    # could take its address.
    repo = load_repository(make_repo(), TODAY)
    record_pages = {f"{e.record.folder}:{e.id}" for e in repo.entries}
    folders = {"cases": "cases", "reports": "reports", "members": "members"}
    for path in gen.PageWriter(repo, tmp_path / "content").files:
        lang, section, *rest = path.removesuffix(".md").split("/")
        if lang != "en" or not rest or section not in folders:
            continue
        name = rest[-1]
        if f"{folders[section]}:{name}" not in record_pages:
            assert reserved_id(folders[section], name), path


@pytest.mark.parametrize("heading", ["__drawer", "__search", "_x", "???", "成员经济体", "Results"])
def test_heading_slugs_never_look_like_the_themes_ids(heading):
    slug = slugify(heading, "-")
    assert is_slug(slug) and not slug.startswith("_")


def test_a_non_slug_id_is_not_a_slug():
    assert not is_slug('__drawer"><svg onload=alert(1) x=')
    assert not is_slug("__drawer")


@pytest.mark.parametrize(
    ("image", "shown"),
    [
        ("![x](https://example.org/a.png)", "![x](https:"),
        ("![x](//example.org/a.png)", "![x](//"),
        ("![x]( data:image/png;base64,AA)", "![x]( data:"),
    ],
)
def test_SM142_refuses_an_image_from_elsewhere(make_repo, image, shown):
    found = only(check(_case_with_body(make_repo, f"Intro.\n\n{image}\n")), "SM142")
    assert [message for _path, _line, message in found] == [
        f"body.en shows an image from elsewhere: {shown!r}"
    ]


def test_SM142_accepts_links_images_of_the_site_and_code(make_repo):
    body = "[chart](https://example.org/a.png), ![x](../assets/a.png), `![x](https://a.b/c)`\n"
    assert only(check(_case_with_body(make_repo, body)), "SM142") == []


def test_a_fence_keeps_only_its_language():
    text = '```{.python onclick="alert(1)" #__drawer}\nprint(1)\n```\n\n~~~ {.js}\nx\n~~~\n'
    assert inert_markdown(text) == "```python\nprint(1)\n```\n\n~~~js\nx\n~~~\n"


def test_SM140_finds_a_fence_with_attributes(make_repo):
    body = "Intro.\n\n```{.python #__search}\nprint(1)\n```\n\n```python\nok\n```\n"
    found = only(check(_case_with_body(make_repo, body)), "SM140")
    assert [message for _path, _line, message in found] == [
        "body.en gives a code block attributes, which are dropped: '{.python #__search}'"
    ]


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ("See [the plan](plan.md).", "plan.md"),
        ("![x](missing.png)", "missing.png"),
        ("[x]\n\n[x]: ../up.md", "../up.md"),
    ],
)
def test_SM143_refuses_a_link_to_a_path(make_repo, body, target):
    found = only(check(_case_with_body(make_repo, body + "\n")), "SM143")
    assert [message for _path, _line, message in found] == [
        f"body.en links to a path of this site: {target!r}"
    ]


def test_SM143_accepts_full_addresses_anchors_and_code(make_repo):
    body = "[a](https://a.example/x.md), [b](mailto:x@a.example), [c](#results), `[d](e.md)`\n"
    assert only(check(_case_with_body(make_repo, body)), "SM143") == []


def test_SM140_reads_every_other_string_of_a_record(make_repo):
    files = baseline()
    files[CASE]["approval"]["smewg"]["ref"] = "2025/SMEWG60/<img src=x onerror=alert(1)>"
    assert [m for _p, _l, m in only(check(make_repo(files)), "SM140")] == [
        "approval.smewg.ref holds markup: '<img src=x onerror=a'"
    ]
