"""`smesa check --lang zh` and LANG=zh_*: every message and hint the rules and the loader
write has a Chinese template in smesa/templates/messages.zh.yml."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, check

from smesa.check import translate
from smesa.check.rules import RULES

FIXTURE = Path(__file__).parent / "fixtures" / "broken"
SOURCES = [*sorted((ROOT / "smesa/check/rules").glob("*.py")), ROOT / "smesa/data/loader.py"]
HAN = re.compile(r"[\u4e00-\u9fff]")


def _template(node: ast.expr) -> str | None:
    """The English template of a message expression: `{0}`, `{1}`... for its values."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}")
    if isinstance(node, ast.JoinedStr):
        parts, n = [], 0
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
            else:
                parts.append(f"{{{n}}}")
                n += 1
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _template(node.left)
        right = _template(node.right) if left is not None else None
        if right is None:  # "text: " + ", ".join(...): the call is one value
            right = "{}" if left is not None and isinstance(node.right, ast.Call) else None
        if left is None or right is None:
            return None
        n = len(re.findall(r"(?<!\{)\{\d+\}", left))
        shifted = re.sub(r"(?<!\{)\{(\d+)\}", lambda m: f"{{{int(m.group(1)) + n}}}", right)
        return left + shifted.replace("{}", f"{{{n}}}")
    return None


def templates() -> set[tuple[str, str, str]]:
    """(section, template, where) of every message and hint written as text in a rule
    (`Hit(...)`, `@rule(...)`) or in the loader (`LoadProblem`, `_problem`)."""
    found = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (  # fix = (...) before a Hit
                isinstance(node, ast.Assign)
                and [getattr(t, "id", None) for t in node.targets] == ["fix"]
                and (text := _template(node.value))
            ):
                found.add(("fixes", text, f"{path.name}:{node.lineno}"))
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            args: dict = dict(enumerate(node.args))
            args.update({k.arg: k.value for k in node.keywords if k.arg})
            where = f"{path.name}:{node.lineno}"
            if node.func.id == "Hit":
                pairs = (("messages", args.get(2)), ("fixes", args.get(3, args.get("fix"))))
            elif node.func.id == "rule":
                pairs = (("fixes", args.get(4)),)
            elif node.func.id == "LoadProblem":
                pairs = (("messages", args.get(2)), ("fixes", args.get(3)))
            elif node.func.id == "_problem":
                pairs = (("messages", args.get(1)), ("fixes", args.get(2)))
            else:
                continue
            pairs = tuple(  # `fix or f"..."`: each alternative
                (section, value)
                for section, expr in pairs
                for value in (expr.values if isinstance(expr, ast.BoolOp) else [expr])
            )
            for section, expr in pairs:
                text = _template(expr) if expr is not None else None
                # "{0} {1}": a message made of other texts (Markdown's own words)
                if text and not re.fullmatch(r"(\{\d+\}\W*)+", text):
                    found.add((section, text, where))
    return found


def test_every_template_of_the_rules_and_the_loader_has_chinese():
    found = templates()
    assert len(found) > 150  # the scan is real: it finds the rules' texts
    catalogue = translate.catalogue()
    missing = sorted(
        f"{where}: {section}: {text}"
        for section, text, where in found
        if text not in catalogue[section]
    )
    assert missing == []
    for section in ("messages", "fixes"):
        for en, zh in catalogue[section].items():
            if HAN.search(en.replace("{0}", "")) is None and en.strip("{}0123456789 ") != "":
                assert HAN.search(zh), (section, en)  # translated, not copied
            assert sorted(re.findall(r"\{\d+\}", zh)) == sorted(re.findall(r"\{\d+\}", en)), en


def test_every_rule_has_a_chinese_default_hint():
    for rule in RULES:
        assert translate.translated(rule.fix, "fixes"), rule.id


def test_every_finding_of_the_broken_fixture_reads_in_chinese(tmp_path):
    root = tmp_path / "broken"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(ROOT / "data/reference", root / "data/reference", dirs_exist_ok=True)
    findings = check(root)
    assert len(findings) > 20
    for finding in findings:
        zh = translate.finding(finding, "zh")
        assert HAN.search(zh.message), finding.message
        assert not finding.fix or HAN.search(zh.fix), finding.fix


def test_values_are_kept_as_written():
    assert translate.translated("id 'alpha' is already used by data/members/a.yml", "messages") == (
        "id 'alpha' 已被 data/members/a.yml 使用"
    )
    assert translate.translated("no rule writes this", "messages") is None


def _smesa(root: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smesa.cli", "check", "--today", "2026-11-26", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", **env},
    )


@pytest.mark.parametrize(
    ("args", "env", "chinese"),
    [
        (("--lang", "zh"), {"LANG": "C.UTF-8"}, True),
        ((), {"LANG": "zh_CN.UTF-8"}, True),
        ((), {"LANG": "zh_TW.UTF-8", "LC_ALL": "en_GB.UTF-8"}, False),
        (("--lang", "en"), {"LANG": "zh_CN.UTF-8"}, False),
        ((), {"LANG": "vi_VN.UTF-8"}, False),
    ],
)
def test_the_language_comes_from_lang_or_the_option(tmp_path, args, env, chinese):
    root = tmp_path / "broken"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(ROOT / "data/reference", root / "data/reference", dirs_exist_ok=True)
    result = _smesa(root, "data/members/alpha.yml", *args, env=env)
    assert result.returncode == 1, result.stderr
    first, *_, last = result.stdout.splitlines()
    if chinese:
        assert first.startswith("data/members/alpha.yml:6:10: 错误 SM201 economy 不是 APEC")
        assert last == "4 个错误，0 个警告，共检查 1 个文件"
    else:
        assert first.startswith("data/members/alpha.yml:6:10: error SM201 economy is not an APEC")
        assert last == "4 errors, 0 warnings in 1 file"
