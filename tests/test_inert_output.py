"""The build reads back what it wrote (smesa.render.inert): anything active stops it."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from smesa.render import inert
from tests.browser.local_site import copy_site_sources
from tests.conftest import ROOT, RepoFactory
from tests.test_site_build import smesa_build

PAGE = """<!doctype html><html><head><script src="../assets/javascripts/bundle.js"></script>
<script>__md_scope=new URL("../..",location)</script></head><body>
<input id="__drawer"><nav class="md-nav md-nav--secondary"><a href="#results">Results</a></nav>
<article class="md-content__inner"><h2 id="results">Results</h2>{}</article></body></html>"""
ALLOWED = {inert.normalise_script('__md_scope=new URL(".",location)')}


def problems(fragment: str) -> list[str]:
    return list(inert.html_problems(PAGE.format(fragment), ALLOWED))


def test_a_theme_page_is_clean():
    assert problems("<p>Loans in <b>6 days</b>, <a href='https://a.example/'>more</a>.</p>") == []


@pytest.mark.parametrize(
    ("fragment", "what"),
    [
        ("<script>alert(1)</script>", "inline script 'alert(1)'"),
        (
            '<script src="https://evil.example/x.js"></script>',
            "script from 'https://evil.example/x.js'",
        ),
        ('<script src="//evil.example/x.js"></script>', "script from '//evil.example/x.js'"),
        ("<img src=x onerror=alert(1)>", "event handler onerror= on <img>"),
        ("<svg onload=alert(1)></svg>", "event handler onload= on <svg>"),
        # A browser starts an attribute after a "/" or a closing quote too.
        ("<svg/onload=alert(1)>", "event handler onload= on <svg>"),
        ('<img src="x.png"onerror=alert(1)>', "event handler onerror= on <img>"),
        ("<img src='x.png'/ONERROR\n=alert(1)>", "event handler onerror= on <img>"),
        # The tokenizer's whitespace includes the form feed; Chinese text does not hide it.
        ("<p>出口贷款<img src=x\fOnError=alert(1)>六天</p>", "event handler onerror= on <img>"),
        ('<a href="/x"\tonclick="alert(1)">链接</a>', "event handler onclick= on <a>"),
        # SVG animation sets an attribute: a link's href, or a handler.
        (
            "<svg><a><animate attributeName=href values=javascript:alert(1) /></a></svg>",
            "<animate> element",
        ),
        ("<svg><set attributeName=onmouseover to=alert(1) /></svg>", "<set> element"),
        ('<a href="javascript:alert(1)">x</a>', "href='javascript:alert(1)' on <a>"),
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', "href='jav\\tascript:alert(1)' on <a>"),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', "href=' JaVaScRiPt:alert(1)' on <a>"),
        (
            '<img src="data:image/svg+xml;base64,AAAA">',
            "src='data:image/svg+xml;base64,AAAA' on <img>",
        ),
        ('<iframe src="https://a.example/"></iframe>', "<iframe> element"),
        ("<form action='https://a.example/'><input></form>", "<form> element"),
        ('<meta http-equiv="refresh" content="0;url=https://a.example/">', "refreshing <meta>"),
        ('<h3 id="__drawer">x</h3>', "id or name '__drawer'"),
        ('<a name="__search">x</a>', "id or name '__search'"),
    ],
)
def test_each_kind_of_active_content_is_found(fragment, what):
    assert problems(fragment) == [what]


def test_the_table_of_contents_is_read_too():
    page = PAGE.format("").replace(
        '<a href="#results">', '<a href="#__drawer"><svg onload=alert(document.domain) x="">'
    )
    assert list(inert.html_problems(page, ALLOWED)) == ["event handler onload= on <svg>"]


def test_scripts_are_the_same_whatever_the_depth_of_the_page():
    for base in ('"."', '".."', '"../../.."', '"/"'):
        assert inert.normalise_script(f"__md_scope=new URL({base},location)") in ALLOWED


def test_json_strings_and_feeds_are_read(tmp_path: Path):
    (tmp_path / "data.json").write_text(
        json.dumps([{"url": "javascript:alert(1)"}, {"meta": {"image": "data:image/svg,x"}}])
    )
    (tmp_path / "text.json").write_text(json.dumps({"body": "`<img src=x onerror=alert(2)>`"}))
    (tmp_path / "ok.json").write_text(json.dumps({"title": "Costs < 5%", "url": "https://a.b/"}))
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">'
        "&lt;script&gt;alert(3)&lt;/script&gt;</content>"
        '<link href="javascript:alert(4)"/></entry></feed>'
    )
    (tmp_path / "feed.xml").write_text(atom)
    fragment = inert.PAGEFIND_MAGIC + json.dumps({"url": " javascript:alert(5)"}).encode()
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "en_1.pf_fragment").write_bytes(gzip.compress(fragment))
    found = sorted(str(a) for a in inert.verify_tree(tmp_path))
    assert found == [
        "data.json: image 'data:image/svg,x'",
        "data.json: url 'javascript:alert(1)'",
        "feed.xml: href='javascript:alert(4)'",
        "feed.xml: inline script 'alert(3)'",
        "pagefind/en_1.pf_fragment: url ' javascript:alert(5)'",
    ]


@pytest.mark.build
def test_a_build_whose_theme_writes_a_handler_is_not_published(tmp_path: Path):
    # The theme override is reviewed code; if it ever prints something active, the files
    # read back say so and site/ stays as it was.
    root = copy_site_sources(
        ROOT, RepoFactory(tmp_path)(), names=("mkdocs.yml", "overrides", "hooks")
    )
    main = root / "overrides" / "main.html"
    main.write_text(
        main.read_text("utf-8").replace(
            "<div data-pagefind-body>{{ super() }}</div>",
            "<div data-pagefind-body>{{ super() }}<img src=x onerror=alert(1)></div>",
        ),
        "utf-8",
    )
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("previous", "utf-8")
    done = smesa_build(root)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "active item(s) in its files" in done.stderr
    assert "index.html: event handler onerror= on <img>" in done.stderr
    assert (root / "site" / "index.html").read_text("utf-8") == "previous"
    assert not list(root.glob("site.tmp-*"))


def test_a_page_read_as_it_was_written_is_read_again_once_its_bytes_change(tmp_path: Path):
    clean = PAGE.format("<p>Loans in 6 days</p>")
    page = tmp_path / "index.html"
    page.write_bytes(clean.encode("utf-8"))  # as MkDocs writes it
    digest, reading = inert.read_written_page(clean)
    known = {digest: reading}
    assert inert.verify_tree(tmp_path, [page], known=known) == []
    # Whatever changes the file after it was read, the bytes on disk are what is read.
    page.write_text(PAGE.format("<svg/onload=alert(1)>"), "utf-8")
    found = [str(a) for a in inert.verify_tree(tmp_path, [page], known=known)]
    assert found == ["index.html: event handler onload= on <svg>"]


def test_a_reading_is_kept_by_the_bytes_written_not_by_the_page():
    # MkDocs writes `output.encode("utf-8", errors="xmlcharrefreplace")`: a lone
    # surrogate (which no UTF-8 file can hold) is written as a character reference.
    html = PAGE.format("<p>\ud800</p>")
    digest, reading = inert.read_written_page(html)
    written = html.encode("utf-8", errors="xmlcharrefreplace")
    assert b"&#55296;" in written and digest == inert.digest(written)
    assert reading == inert.read_html(written.decode("utf-8"))


@pytest.mark.build
def test_what_pagefind_took_from_a_page_is_read_too(tmp_path: Path):
    # Pagefind takes a page's first image as its result image: an address that runs is
    # found in the page and, checked with the rest of its index, in its fragment.
    root = copy_site_sources(
        ROOT, RepoFactory(tmp_path)(), names=("mkdocs.yml", "overrides", "hooks")
    )
    tor = root / "content" / "en" / "about" / "tor.md"
    tor.write_text(tor.read_text("utf-8") + '\n\n<img src="data:image/png;base64,AAAA">\n')
    done = smesa_build(root)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "about/tor/index.html: src='data:image/png;base64,AAAA' on <img>" in done.stderr
    fragment = re.search(
        r"pagefind/fragment/en_\w+\.pf_fragment: image 'data:image/png", done.stderr
    )
    assert fragment is not None, done.stderr[-2000:]
    assert not (root / "site").exists()


@pytest.mark.build
def test_a_page_changed_after_mkdocs_wrote_it_is_not_published(tmp_path: Path):
    # Each page is read as MkDocs writes it; a file changed after that (here by another
    # hook, before ours reads the site back) is read again from disk.
    root = copy_site_sources(
        ROOT, RepoFactory(tmp_path)(), names=("mkdocs.yml", "overrides", "hooks")
    )
    (root / "hooks" / "later.py").write_text(
        "from pathlib import Path\n\n"
        "def on_post_build(config):\n"
        "    page = Path(config.site_dir) / 'about' / 'index.html'\n"
        "    page.write_text(page.read_text('utf-8') + '<svg/onload=alert(1)>', 'utf-8')\n",
        "utf-8",
    )
    config = root / "mkdocs.yml"
    hooks = "hooks:\n  - hooks/smesa_site.py\n"
    assert hooks in config.read_text("utf-8")
    config.write_text(
        config.read_text("utf-8").replace(hooks, hooks + "  - hooks/later.py\n"), "utf-8"
    )
    done = smesa_build(root, "--verbose")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "about/index.html: event handler onload= on <svg>" in done.stderr
    assert not (root / "site").exists()
    # Every other page was read as MkDocs wrote it; the 404 pages come from a template.
    parsed = re.search(r"read back: (\d+) pages read as they were written, (.*)", done.stderr)
    assert parsed is not None and int(parsed[1]) > 50, done.stderr[-2000:]
    assert parsed[2] == "3 parsed again: 404.html, about/index.html, zh/404.html"


@pytest.mark.build
def test_a_heading_id_that_is_not_a_slug_stops_the_build(tmp_path: Path):
    # Contributor text cannot set an id (inert_markdown, SM140); a reviewed page could.
    root = copy_site_sources(
        ROOT, RepoFactory(tmp_path)(), names=("mkdocs.yml", "overrides", "hooks")
    )
    tor = root / "content" / "en" / "about" / "tor.md"
    heading = "\n\n## Odd {: id='__drawer\"><svg onload=alert(1) x=' }\n"
    tor.write_text(tor.read_text("utf-8") + heading, "utf-8")
    done = smesa_build(root)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "en/about/tor.md: heading id '__drawer\"><svg onload=alert(1) x=' is not a slug" in (
        done.stderr
    )
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    ("href", "active"),
    [
        ("jav\tascript:alert(1)", True),  # browsers drop tabs and newlines anywhere
        ("java\nscript:alert(1)", True),
        ("\x01 javascript:alert(1)", True),  # and controls and spaces at the ends
        ("jav ascript:alert(1)", False),  # a space inside: a relative address
        ("https://example.org/javascript:x", False),
    ],
)
def test_an_address_is_read_as_a_browser_reads_it(href, active):
    assert inert.bad_url(href) is active


@pytest.mark.parametrize(
    ("html", "maybe"),
    [
        ("<img src=x onerror=alert(1)>", True),
        ("<svg/ONLOAD=alert(1)>", True),
        ('<img src="x"onerror=1>', True),
        ("<img src=x\fonerror =1>", True),
        ("<p>出口 <b id=x\ronclick=1>贷款</b></p>", True),
        # Attributes that only contain "on", and text that only looks like one.
        ('<div data-md-component="content" class=icon>', False),
        ("onclick=1 at the start of a text is not an attribute", False),
        ("<p>turn on=off</p><p>a\u00a0onclick=1</p>", False),  # no space of HTML's before it
    ],
)
def test_a_handler_is_looked_for_where_the_tokenizer_starts_an_attribute(html, maybe):
    assert inert.may_have_handler(html) is maybe


def test_a_theme_like_id_deep_inside_the_content_is_found():
    nested = '<div data-pagefind-body><div><div id="__search" class="highlight">x</div></div></div>'
    assert problems(nested) == ["id or name '__search'"]
