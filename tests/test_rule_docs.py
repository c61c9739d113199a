"""Every rule has a page on the site, generated from the registry; findings link to it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY, RepoFactory, baseline

from smesa.check.rules import RULES
from smesa.data.repository import load_repository
from smesa.data.texts import fingerprint
from smesa.site import generate as gen

CASE = "data/cases/2025/alpha-finance.yml"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = baseline()
    case = files[CASE]
    case["title"]["zh_source"] = fingerprint("An older English title")
    case["summary"]["zh_source"] = fingerprint(case["summary"]["en"])
    root = RepoFactory(tmp_path_factory.mktemp("rules"))(files)
    gen.generate(load_repository(root, TODAY), root / "content")
    return root / "content"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_has_a_page_in_both_languages(docs: Path, rule):
    english = (docs / "en" / "rules" / f"{rule.id.lower()}.md").read_text("utf-8")
    chinese = (docs / "zh" / "rules" / f"{rule.id.lower()}.md").read_text("utf-8")
    assert f"# {rule.id} " in english
    assert rule.alias in english and rule.clause.zh.split("。")[0][:12] in english
    # Maintainer material, in English on both sites: under a Chinese note on /zh/.
    assert "本部分供数据维护人员使用，仅提供英文。" in chinese
    assert '<div lang="en" markdown="1">' in chinese and rule.alias in chinese
    assert f"# {rule.id} " in chinese
    if rule.examples[0]:
        assert rule.examples[0].splitlines()[0] in english


def test_rules_index_lists_every_rule(docs: Path):
    index = (docs / "en" / "rules" / "index.md").read_text("utf-8")
    for rule in RULES:
        assert f"[{rule.id}]({rule.id.lower()}.md)" in index


def test_stale_translation_is_announced_on_the_chinese_page(docs: Path):
    chinese = (docs / "zh" / "cases" / "alpha-finance.md").read_text("utf-8")
    english = (docs / "en" / "cases" / "alpha-finance.md").read_text("utf-8")
    assert "中文译文可能已过时" in chinese
    assert "out of date" not in english
    member = (docs / "zh" / "members" / "alpha.md").read_text("utf-8")
    assert "中文译文可能已过时" not in member
