"""How readers reach the Secretariat and join: the contact its member record publishes
(models.Contact), in the footer, on the About page and on member pages; while the record
holds none, the repository's issue forms, never an address that looks real."""

from __future__ import annotations

import re
import shutil

from conftest import ROOT, TODAY, smesa
from shipped import copy_of_shipped, edit

from smesa.data.config import repository_url
from smesa.data.repository import load_repository
from smesa.site import generate as gen
from smesa.site.chrome import footer_words
from smesa.site.view import SiteView

SECRETARIAT = "data/members/ccpsmed.yml"
REPOSITORY = repository_url(ROOT)
ASK = f"{REPOSITORY}/issues/new"
JOIN = f"{REPOSITORY}/issues/new?template=member.yml"
CONTACT = """contact:
  email: secretariat@ccpsmed.example
  address:
    en: 1 Example Road, Beijing
    zh: 北京市示例路1号
"""


def shipped(tmp_path, contact: str = ""):
    root = copy_of_shipped(tmp_path)
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    if contact:
        edit(root, SECRETARIAT, "status: active\n", "status: active\n" + contact)
    return root


def about_and_member(root):
    gen.generate(load_repository(root, TODAY), root / "content")
    about = {
        lang: (root / f"content/{lang}/about/index.md").read_text("utf-8") for lang in ("en", "zh")
    }
    host = (root / "content/en/members/ccpsmed.md").read_text("utf-8")
    return about, host


def test_the_membership_form_the_links_open_exists() -> None:
    assert (ROOT / ".github/ISSUE_TEMPLATE/member.yml").is_file()
    assert REPOSITORY.startswith("https://github.com/")


def test_without_a_contact_the_paths_are_the_repositorys_issue_forms(tmp_path) -> None:
    root = shipped(tmp_path)
    words = footer_words(SiteView(load_repository(root, TODAY)), "zh")
    assert words["ask_url"] == ASK and words["join_url"] == JOIN
    assert set(words["contact"].values()) == {""}
    assert words["join_link"] == "申请加入：填写成员申请表（在 GitHub 上）"
    about, host = about_and_member(root)
    assert f"[Write to the Secretariat: a public issue on GitHub]({ASK})" in about["en"]
    assert f"[申请加入：填写成员申请表（在 GitHub 上）]({JOIN})" in about["zh"]
    # Nothing shaped like an address is made up.
    assert not re.search(r"mailto:|@\w", about["en"] + about["zh"] + host)


def test_a_published_contact_is_shown_instead(tmp_path) -> None:
    root = shipped(tmp_path, CONTACT)
    words = footer_words(SiteView(load_repository(root, TODAY)), "zh")
    assert words["contact"]["email"] == "secretariat@ccpsmed.example"
    assert words["contact"]["address"] == "北京市示例路1号"
    assert words["ask_url"] == "" and words["join_url"] == JOIN
    about, host = about_and_member(root)
    mail = '<a href="mailto:secretariat@ccpsmed.example">secretariat@ccpsmed.example</a>'
    assert mail in about["en"] and mail in host
    assert "北京市示例路1号" in about["zh"] and "1 Example Road, Beijing" in host
    assert f"({ASK})" not in about["en"]


def test_a_contact_without_any_way_or_with_a_bad_email_is_a_located_error(tmp_path) -> None:
    root = shipped(tmp_path, "contact:\n  email: secretariat-at-ccpsmed\n")
    done = smesa("check", cwd=root)
    assert done.returncode == 1
    assert re.search(r"data/members/ccpsmed\.yml:\d+:\d+: error .*contact\.email", done.stdout)
    root = shipped(tmp_path / "empty", "contact: {}\n")
    done = smesa("check", cwd=root)
    assert "a contact needs 'email', 'phone', 'address' or 'url'" in done.stdout
