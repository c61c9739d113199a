"""Pagefind's service builds the site's index in parts (smesa.site.pagefind.Indexing): the
default language's pages while the others are built, the rest at the end. The index must
be the one Pagefind's command line builds from the same files, byte for byte."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from smesa.render.inert import PAGEFIND_MAGIC
from smesa.site import pagefind

# Folder names that are glob syntax to Pagefind, and one (a backslash) no glob can name.
ODD_NAMES = ["a b[1]", "c{x}", "d$e", "m<n>", "p:q", "q?w", "r(s)", "s*t", "u,v", "x!y", "中文"]


def page(lang: str, words: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><title>{words}</title></head>'
        f"<body><nav>Menu</nav><main data-pagefind-body><h1>{words}</h1>"
        f'<p>{words} for small firms.<a class="headerlink" href="#">¶</a></p></main></body></html>'
    )


def make_site(root: Path, english: list[str], chinese: list[str]) -> Path:
    """A site as static-i18n writes it: English at the root, Chinese under zh/."""
    site = root / "site"
    (site / "404.html").parent.mkdir(parents=True)
    (site / "index.html").write_text(page("en", "Home page"), "utf-8")
    (site / "404.html").write_text("<!doctype html><html lang='en'><body>Not found</body></html>")
    for number, name in enumerate(english):
        (site / name / "deep").mkdir(parents=True)
        (site / name / "index.html").write_text(page("en", f"Loans {number}"), "utf-8")
        (site / name / "deep" / "index.html").write_text(page("en", f"Deep {number}"), "utf-8")
    for number, name in enumerate(chinese):
        (site / "zh" / name).mkdir(parents=True)
        (site / "zh" / name / "index.html").write_text(page("zh", f"贷款服务 {number}"), "utf-8")
    (site / "zh" / "index.html").write_text(page("zh", "首页"), "utf-8")
    return site


def command_line_index(site: Path, target: Path) -> Path:
    """What `pagefind --site` builds from a copy of `site`."""
    shutil.copytree(site, target, ignore=shutil.ignore_patterns(pagefind.OUTPUT_SUBDIR))
    subprocess.run(pagefind.command(target), check=True, capture_output=True)
    return target / pagefind.OUTPUT_SUBDIR


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def index_in_parts(site: Path, *, changed_after: dict[str, str] | None = None) -> dict[str, int]:
    """Index `site` as the build does: its English pages first, then the Chinese ones,
    with the pages of `changed_after` (path: new HTML) rewritten in between and read again."""
    indexing = pagefind.start_index(site)
    try:
        indexing.add_default_language(["zh"])
        indexing.wait()
        for rel, html in (changed_after or {}).items():
            (site / rel).write_text(html, "utf-8")
        indexing.add_remaining()
        indexing.add_again([site / rel for rel in changed_after or {}])
        indexing.wait()
        indexing.write()
        return indexing.finish(["en", "zh"])
    finally:
        indexing.stop()


def fragments(output: Path) -> list[dict]:
    files = sorted((output / "fragment").iterdir())
    data = [gzip.decompress(p.read_bytes()).removeprefix(PAGEFIND_MAGIC) for p in files]
    return [json.loads(d) for d in data]


def test_folders_glob_escapes_glob_syntax_and_gives_up_on_a_backslash():
    assert pagefind.folders_glob(["about", "c{x}"], top=True) == (
        r"{*.html,about/**/*.html,c\{x\}/**/*.html}"
    )
    assert pagefind.folders_glob(["zh"], top=False) == "zh/**/*.html"  # no braces for one
    assert pagefind.folders_glob([], top=True) == "*.html"
    assert pagefind.folders_glob([], top=False) is None
    assert pagefind.folders_glob(["a\\b"], top=True) is None


def test_an_index_built_in_parts_is_the_command_lines_byte_for_byte(tmp_path: Path):
    site = make_site(tmp_path, ["about", "cases", *ODD_NAMES], ["about", "cases"])
    pages = index_in_parts(site)
    # Every page with a body: the English home and 2 per folder; the Chinese home and 2.
    assert pages == {"en": 1 + 2 * (2 + len(ODD_NAMES)), "zh": 3}
    expected = command_line_index(site, tmp_path / "copy")
    assert tree(site / pagefind.OUTPUT_SUBDIR) == tree(expected)
    assert not any("¶" in fragment["content"] for fragment in fragments(expected))


def test_each_index_file_is_handed_over_as_it_is_checked_decompressed_if_compressed(
    tmp_path: Path,
):
    site = make_site(tmp_path, ["about"], ["about"])
    index_in_parts(site)
    seen: dict[str, tuple[bytes, bytes | None]] = {}

    def read(path: Path, data: bytes, unzipped: bytes | None) -> None:
        seen[path.relative_to(site / pagefind.OUTPUT_SUBDIR).as_posix()] = (data, unzipped)

    assert pagefind.verify_index(site, ["en", "zh"], read) == {"en": 3, "zh": 2}
    written = tree(site / pagefind.OUTPUT_SUBDIR)
    assert {rel: data for rel, (data, _) in seen.items()} == written
    for rel, (data, unzipped) in seen.items():
        compressed = rel.endswith(pagefind.COMPRESSED)
        assert unzipped == (gzip.decompress(data) if compressed else None), rel
    assert any(rel.startswith("fragment/") for rel in seen)


def test_a_folder_no_glob_can_name_is_indexed_with_the_rest(tmp_path: Path):
    site = make_site(tmp_path, ["about", "back\\slash"], ["about"])
    indexing = pagefind.start_index(site)
    try:
        indexing.add_default_language(["zh"])  # reads nothing yet: the whole site, later
        indexing.wait()
        indexing.add_remaining()
        indexing.write()
        assert indexing.finish(["en", "zh"]) == {"en": 5, "zh": 2}
    finally:
        indexing.stop()
    assert tree(site / pagefind.OUTPUT_SUBDIR) == tree(command_line_index(site, tmp_path / "c"))


def test_a_page_changed_after_it_was_read_is_indexed_as_it_is_now(tmp_path: Path):
    site = make_site(tmp_path, ["about", "cases"], ["about"])
    index_in_parts(site, changed_after={"about/index.html": page("en", "Factoring reversed")})
    found = {fragment["url"]: fragment["content"] for fragment in fragments(site / "pagefind")}
    assert "Factoring reversed" in found["/about/"] and "Loans 0" not in found["/about/"]
    assert len(found) == len(fragments(site / "pagefind"))  # one page per address
    assert tree(site / pagefind.OUTPUT_SUBDIR) == tree(command_line_index(site, tmp_path / "c"))


# A Pagefind that ends at once, and a service that answers every message with an error
# (as Pagefind answers one it cannot do).
FAILING = "#!/bin/sh\necho 'Error: no service here' >&2\nexit 4\n"
REFUSING = """#!/usr/bin/env python3
import base64, json, sys
data = b""
while chunk := sys.stdin.buffer.read1(65536):
    data += chunk
    while b"," in data:
        message, _, data = data.partition(b",")
        asked = json.loads(base64.b64decode(message))
        answer = {"message_id": asked["message_id"],
                  "payload": {"type": "Error", "message": "Index cannot be created here"}}
        sys.stdout.buffer.write(base64.b64encode(json.dumps(answer).encode()) + b",")
        sys.stdout.buffer.flush()
"""


@pytest.mark.parametrize(
    ("program", "message"),
    [
        (FAILING, "pagefind failed (4) indexing site/: Error: no service here"),
        (REFUSING, "pagefind failed indexing site/: Index cannot be created here"),
    ],
)
def test_a_pagefind_that_fails_is_one_line(tmp_path: Path, monkeypatch, program, message):
    fake = tmp_path / "pagefind"
    fake.write_text(program, "utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv(pagefind.EXECUTABLE_VARIABLE, str(fake))
    site = make_site(tmp_path, ["about"], ["about"])
    with pytest.raises(Abort) as raised:
        pagefind.start_index(site)
    assert str(raised.value) == f"the site was not built: {message}"


def test_a_pagefind_that_panics_is_one_line_with_its_reason(tmp_path: Path):
    site = make_site(tmp_path, ["about"], ["about"])
    (site / pagefind.OUTPUT_SUBDIR).write_text("a file where the index goes", "utf-8")
    with pytest.raises(Abort) as raised:
        index_in_parts(site)
    message = str(raised.value)
    assert message.startswith("the site was not built: pagefind failed (101) indexing site/: ")
    # Which of Pagefind's writes fails first varies ("File exists", "Not a directory").
    assert re.search(r'Os \{ code: \d+, kind: \w+, message: "[^"]+" \}$', message), message
    assert "\n" not in message
