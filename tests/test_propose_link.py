"""Record pages link to GitHub's editor on their file ("propose a change"): a plain
link, from the one repository setting, and nothing the reader's browser fetches."""

from __future__ import annotations

from conftest import ROOT, TODAY

from smesa.data.config import repository_url
from smesa.data.repository import load_repository
from smesa.site import generate as gen

# Another repository than ours: the link comes from the setting, not from a copy of it.
FORK = "https://github.com/example-owner/example-fork"
EDIT = f"{FORK}/edit/main/"


def test_record_pages_link_to_the_editor_on_their_file(make_repo):
    root = make_repo()
    project = (ROOT / "pyproject.toml").read_text("utf-8")
    ours = f'Repository = "{repository_url(ROOT)}"'
    assert ours in project
    (root / "pyproject.toml").write_text(project.replace(ours, f'Repository = "{FORK}/"'))
    gen.generate(load_repository(root, TODAY), root / "content")
    case = (root / "content/en/cases/alpha-finance.md").read_text("utf-8")
    assert (
        f'<a href="{EDIT}data/cases/2025/alpha-finance.yml">Propose a change to this page '
        "(on GitHub)</a>"
    ) in case
    member = (root / "content/zh/members/beta.md").read_text("utf-8")
    assert f'<a href="{EDIT}data/members/beta.yml">提议修改本页（在 GitHub 上）</a>' in member
    meeting = (root / "content/en/meetings/plenary-2025.md").read_text("utf-8")
    assert f"{EDIT}data/meetings/plenary-2025.yml" in meeting


def test_without_a_repository_setting_there_is_no_link(make_repo):
    root = make_repo()
    gen.generate(load_repository(root, TODAY), root / "content")
    assert "/edit/main/" not in (root / "content/en/cases/alpha-finance.md").read_text("utf-8")


def test_no_page_asks_githubs_api_for_anything():
    for folder in ("overrides", "smesa/templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".html", ".js", ".j2", ".yml", ".css"):
                assert "api.github.com" not in path.read_text("utf-8"), path
