"""A preview build (`smesa build --preview`, and every `mkdocs serve` build) shows the
records that are not published yet, each page marked; the deploy build of the same data
shows none of them (tests/test_site_build.py reads every file of that one)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from smesa.render.inert import html_problems
from smesa.site.build import TODAY_VARIABLE
from smesa.site.generate import problems_html
from tests.conftest import TODAY, RepoFactory
from tests.test_site_build import DRAFT_MARK, SUBMITTED_MARK, fixture_files, site_repository

pytestmark = pytest.mark.build

NOT_PUBLISHED = "Not published: this record is"
PREVIEW = "Preview: this build shows records that are not published yet."


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = site_repository(RepoFactory(tmp_path_factory.mktemp("preview")), fixture_files())
    done = subprocess.run(
        [sys.executable, "-m", "smesa.cli", "build", "--preview"],
        cwd=root,
        env={**os.environ, TODAY_VARIABLE: TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return root / "site", done.stdout


def test_a_preview_says_it_must_not_be_published(preview):
    _, output = preview
    assert "preview built" in output and "do not publish it" in output


def test_drafts_and_submitted_records_have_pages_marked_as_not_published(preview):
    site, _ = preview
    draft = (site / "cases" / "alpha-draft" / "index.html").read_text("utf-8")
    assert DRAFT_MARK in draft and f"{NOT_PUBLISHED} a draft." in draft
    submitted = (site / "cases" / "alpha-submitted" / "index.html").read_text("utf-8")
    assert SUBMITTED_MARK in submitted and f"{NOT_PUBLISHED} submitted for approval." in submitted
    chinese = (site / "zh" / "cases" / "alpha-draft" / "index.html").read_text("utf-8")
    assert "尚未发布：此记录为草稿状态。" in chinese


def test_every_generated_page_of_a_preview_says_it_is_one(preview):
    site, _ = preview
    published = (site / "cases" / "alpha-finance" / "index.html").read_text("utf-8")
    assert PREVIEW in published and NOT_PUBLISHED not in published
    pages = [p for p in site.rglob("*.html") if p.name == "index.html" and "search" not in p.parts]
    marker = 'class="smesa-preview"'
    unmarked = [str(p.relative_to(site)) for p in pages if marker not in p.read_text("utf-8")]
    # Hand-written pages (the ToR) carry no notice; every generated page does.
    assert [p for p in unmarked if not p.startswith(("about/tor", "zh/about/tor"))] == []
    assert len(pages) > 20


def test_the_errors_a_preview_shows_are_text_whatever_the_data_holds():
    hostile = (
        "data/cases/2025/x.yml:3:7: error SM002 year must be a whole number: "
        "'<img src=x onerror=alert(1)>'"
    )
    for lang in ("en", "zh"):
        block = problems_html([hostile, "1 error, 0 warnings in 1 file"], lang)
        assert "<img" not in block and "&lt;img src=x onerror=alert(1)&gt;" in block
        assert list(html_problems(f"<html><body>{block}</body></html>")) == []
    assert "本预览未包含有错误的记录" in problems_html([hostile], "zh")
