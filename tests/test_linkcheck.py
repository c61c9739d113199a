"""`smesa links`: internal links, anchors and third-party requests of a built site.

Most tests use a small hand-made site on disk; one builds the real site and checks it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, TODAY, smesa

from smesa.tools.linkcheck import LinkProblem, check_site

SITE_URL = "https://smesa.example/"

INDEX = """\
<!doctype html>
<html lang="en">
<head>
<link rel="stylesheet" href="assets/site.css">
<link rel="stylesheet" href="//fonts.example.net/css?family=Noto">
<link rel="alternate" hreflang="zh" href="https://smesa.example/zh/">
<link rel="alternate" type="application/rss+xml" href="https://elsewhere.example/feed.xml">
<script src="https://cdn.example.com/lib.js"></script>
<script src="assets/app.js?v=2"></script>
</head>
<body>
<h1 id="top">Home</h1>
<a href="about/">directory URL</a>
<a href="about">folder without a slash</a>
<a href="/about/">root-relative</a>
<a href="https://smesa.example/about/#team">absolute, own host</a>
<a href="missing/">broken</a>
<a href="https://smesa.example/gone.html">broken, absolute</a>
<a href="#top">fragment here</a>
<a href="#nowhere">fragment missing here</a>
<a href="about/#team">fragment there</a>
<a href="about/#nobody">fragment missing there</a>
<a href="#">top of page</a>
<a href="https://www.apec.org/groups/sme">external link: not checked</a>
<a href="mailto:secretariat@smesa.example">mail</a>
<a href="../outside.html">above the site</a>
<img src="img/logo.png" alt="">
<img src="img/none.png" alt="">
<img srcset="img/logo.png 1x, https://img.example.org/logo@2x.png 2x" alt="">
<a name="legacy"></a><a href="#legacy">old-style anchor</a>
</body>
</html>
"""

ABOUT = """\
<!doctype html>
<html lang="en"><body>
<h2 id="team">Team</h2>
<a href="../index.html#top">back</a>
<a href="../zh/">Chinese</a>
<a href="../#gone">gone</a>
</body></html>
"""

STYLESHEET = """\
@import "print.css";
body { background: url("data:image/svg+xml;charset=utf-8,<svg/>"); }
@font-face { src: url(../fonts/noto.woff2) format("woff2"); }
@font-face { src: url('https://fonts.example.net/x.woff2'); }
"""


def write_site(folder: Path) -> Path:
    files = {
        "index.html": INDEX,
        "about/index.html": ABOUT,
        "zh/index.html": "<!doctype html><html lang=zh><body><a href='../'>English</a></body>",
        "assets/site.css": STYLESHEET,
        "assets/print.css": "",
        "assets/app.js": "",
        "img/logo.png": "",
    }
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site")


def test_every_problem_of_the_hand_made_site(site: Path) -> None:
    assert [str(p) for p in check_site(site, SITE_URL)] == [
        "about/index.html:6: missing-anchor '../#gone': no id 'gone' in index.html",
        "assets/site.css:3: broken-link '../fonts/noto.woff2': no file fonts/noto.woff2",
        "assets/site.css:4: third-party 'https://fonts.example.net/x.woff2': "
        "request to fonts.example.net",
        "index.html:5: third-party '//fonts.example.net/css?family=Noto': "
        "request to fonts.example.net",
        "index.html:8: third-party 'https://cdn.example.com/lib.js': request to cdn.example.com",
        "index.html:17: broken-link 'missing/': no file missing/index.html",
        "index.html:18: broken-link 'https://smesa.example/gone.html': no file gone.html",
        "index.html:20: missing-anchor '#nowhere': no id 'nowhere' in index.html",
        "index.html:22: missing-anchor 'about/#nobody': no id 'nobody' in about/index.html",
        "index.html:26: broken-link '../outside.html': no file outside.html",
        "index.html:28: broken-link 'img/none.png': no file img/none.png",
        "index.html:29: third-party 'https://img.example.org/logo@2x.png': "
        "request to img.example.org",
    ]


def test_a_clean_site_has_no_problem(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    (site / "index.html").write_text('<a href="about/">About</a><a href="#x" id="x">x</a>')
    (site / "about" / "index.html").write_text('<a href="../">Home</a>')
    assert check_site(site, SITE_URL) == []


def test_links_to_other_sites_are_not_requests(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="https://cdn.example.com/lib.js">a link</a>'
        '<link rel="canonical" href="https://elsewhere.example/">'
        '<link rel="preconnect" href="https://cdn.example.com">'
    )
    assert [p.kind for p in check_site(tmp_path, SITE_URL)] == ["third-party"]


def test_a_site_served_under_a_path(tmp_path: Path) -> None:
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "index.html").write_text("")
    (tmp_path / "index.html").write_text(
        '<a href="/smesa/about/">ok</a><a href="/about/">outside</a>'
        '<a href="https://org.example/smesa/about/">ok</a>'
    )
    problems = check_site(tmp_path, "https://org.example/smesa/")
    assert problems == [
        LinkProblem("index.html", 1, "broken-link", "/about/", "outside the site's path /smesa/")
    ]


def test_without_a_site_url_absolute_urls_are_other_hosts(site: Path) -> None:
    problems = check_site(site, None)
    assert "https://smesa.example/gone.html" not in {p.url for p in problems}
    assert {p.url for p in problems if p.kind == "third-party"} == {
        "//fonts.example.net/css?family=Noto",
        "https://cdn.example.com/lib.js",
        "https://img.example.org/logo@2x.png",
        "https://fonts.example.net/x.woff2",
    }


def test_base_href_changes_what_relative_links_mean(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.html").write_text("")
    (tmp_path / "index.html").write_text('<base href="/docs/"><a href="page.html">p</a>')
    assert check_site(tmp_path, SITE_URL) == []


def test_cli_exits_1_and_lists_each_problem(site: Path) -> None:
    result = smesa("links", "site", "--site-url", SITE_URL, cwd=site.parent)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert "site/index.html:17: broken-link 'missing/': no file missing/index.html" in lines
    assert lines[-1] == ("5 broken link(s), 3 missing anchor(s), 4 third-party request(s) in site/")


def test_cli_reads_the_site_url_of_mkdocs_yml(site: Path) -> None:
    (site.parent / "mkdocs.yml").write_text(
        f"site_name: x\nsite_url: {SITE_URL}\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    result = smesa("links", cwd=site.parent)  # default folder: site/
    assert result.returncode == 1
    assert "site/index.html:18: broken-link 'https://smesa.example/gone.html'" in result.stdout


def test_cli_exits_0_on_a_clean_site_and_2_without_one(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text('<a href="./">home</a>')
    clean = smesa("links", cwd=tmp_path)
    assert (clean.returncode, clean.stdout.splitlines()[-1]) == (
        0,
        "0 broken link(s), 0 missing anchor(s), 0 third-party request(s) in site/",
    )
    missing = smesa("links", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2
    assert "no built site in nowhere" in missing.stderr


@pytest.mark.build
def test_the_real_site_has_no_broken_link_and_no_third_party_request(tmp_path: Path) -> None:
    """Builds the shipped data and pages in a copy of the repository, then checks site/."""
    from browser.local_site import copy_site_sources

    copy_site_sources(ROOT, tmp_path)
    build = smesa("build", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert build.returncode == 0, build.stderr[-4000:]

    result = smesa("links", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("0 broken link(s), 0 missing anchor(s)")
