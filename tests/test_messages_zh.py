"""`smesa check --lang zh` and LANG=zh_*: every message and hint the rules and the loader
write has a Chinese template in smesa/templates/messages.zh.yml."""

from __future__ import annotations

import ast
import json
import os
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
    placeholders = re.compile(r"\{(\d+)(?:!t)?\}")  # {1!t}: a word of ours, translated
    for section in ("messages", "fixes", "values", "output"):
        for en, zh in catalogue[section].items():
            if HAN.search(en.replace("{0}", "")) is None and en.strip("{}0123456789 ") != "":
                assert HAN.search(zh) or en == zh == "HTML", (section, en)  # not copied
            assert sorted(placeholders.findall(zh)) == sorted(placeholders.findall(en)), en


def test_every_reason_of_the_nomenclature_has_chinese():
    """SM901 prints the `why` of data/reference/nomenclature.yml: a term added there
    needs its reason in Chinese in the catalogue's `values`."""
    import yaml as pyyaml

    terms = pyyaml.safe_load((ROOT / "data/reference/nomenclature.yml").read_text("utf-8"))
    reasons = {t["why"] for t in terms["terms"] if not HAN.search(t["why"])}
    assert len(reasons) >= 9
    assert reasons - set(translate.catalogue()["values"]) == set()


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


# --- every Chinese line smesa check prints ----------------------------------------------

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|<[^>]*>|“[^”]*”|\[[^\]]*\]\([^)]*\)")
_LATIN = re.compile(r"(?<![A-Za-z0-9_./\\-])[A-Za-z][A-Za-z0-9_./:-]*")
# Names that stay as written in Chinese text: formats and literals a contributor types.
_NAMES = {"Markdown", "HTML", "YAML", "Tab", "true", "false", "smesa", "check", "SMEWGnn"}


def _identifiers() -> set[str]:
    """The words a message may hold as written: field names, listed values, folders."""
    import enum
    import typing

    from pydantic import BaseModel

    from smesa.data import models

    found: set[str] = set(models.BY_FOLDER)
    seen: set[type] = set()

    def walk(annotation) -> None:
        for inner in typing.get_args(annotation):
            walk(inner)
        if typing.get_origin(annotation) is typing.Literal:
            found.update(str(value) for value in typing.get_args(annotation))
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            found.update(str(member.value) for member in annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                return
            seen.add(annotation)
            for name, info in annotation.model_fields.items():
                found.add(name)
                walk(info.annotation)

    for model in (*models.RECORD_MODELS, models.Tor, models.Economies, models.Topics):
        walk(model)
    return found


def english_words(line: str, identifiers: set[str]) -> list[str]:
    """Latin words of a Chinese line that are not identifiers, paths, codes or quoted."""
    words = []
    for found in _LATIN.findall(_QUOTED.sub(" ", line)):
        word = found.rstrip(".:-")
        if re.search(r"[/._0-9:-]", word) or word.isupper() or word in identifiers:
            continue  # a path, key path, date, rule, code, id, acronym or field name
        if word not in _NAMES:
            words.append(word)
    return words


def test_english_words_are_found_and_identifiers_are_not():
    identifiers = _identifiers()
    line = (
        "data/x.yml:1:1: 错误 SM603 published 状态的activity须事先获得 SMEWG 批准"
        "（APEC calls its members economies, never countries）"
    )
    assert english_words(line, identifiers) == ["activity", "calls", "its", "never", "countries"]
    assert (
        english_words(
            "approval.smewg.ref 引用的 'a b' 在 data/meetings/ 中 type: smewg", identifiers
        )
        == []
    )


def _broken_with_every_kind_of_file(tmp_path: Path) -> Path:
    """The broken fixture, plus what SM004 refuses and a text past each Markdown bound."""
    root = tmp_path / "broken"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(ROOT / "data/reference", root / "data/reference", dirs_exist_ok=True)
    cases = root / "data/cases"
    (cases / ".DS_Store").write_text("x")
    (root / "data/members/.gitkeep").write_text("")
    (cases / ".draft.yml").write_text("id: x\n")
    (cases / "2025/folder.yml").mkdir()
    (cases / "bad\x07name.yml").write_text("id: x\n")
    for name, target in (
        ("outside", "/etc/hostname"), ("missing", "nowhere.yml"), ("loop", "loop.yml"),
        ("to-folder", "2025"), ("to-hidden", ".DS_Store"), ("to-pipe", "pipe.yml"),
    ):  # fmt: skip
        (cases / f"{name}.yml").symlink_to(target)
    os.mkfifo(cases / "pipe.yml")
    texts = {
        "brackets": "[" * 9 + " x",
        "brackets-deep": "[" * 17 + "x" + "]" * 17,
        "targets": "[a](" * 5 + " x",
        "targets-deep": "[a](" * 9 + "x" + ")" * 9,
        "emphasis": " ".join(["*a"] * 17) + " x " + " ".join(["a*"] * 17),
        "nesting": "> " * 17 + "x",
        "html": "<div>" * 17 + "x",
        "processing": "<?" * 5 + "x",
        "tags": "<a " * 5 + "x",
        "footnotes": " ".join(f"[^{i}]" for i in range(65)),
        "braces": "{: " * 17 + "x",
        "size": "Loans in six days. " * 1100,
        "abbreviations": "\n\n".join(f"*[A{i}]: x" for i in range(33)),
        "headings": "\n\n".join(f"# H{i}" for i in range(101)),
        "fences": "\n\n".join("```\nx\n```" for _ in range(33)),
        "block": "\n".join(f"# H{i}" for i in range(65)),
    }
    for name, text in texts.items():
        (cases / "2025" / f"md-{name}.yml").write_text(
            f"id: md-{name}\nyear: 2025\nmember: beta\ntopics: [access-to-finance]\n"
            "status: draft\ntitle: {en: Title}\nsummary: {en: Summary}\n"
            f"challenge: {{en: Challenge}}\nbody:\n  en: {json.dumps(text)}\n",
            "utf-8",
        )
    return root


def test_every_chinese_line_of_smesa_check_is_chinese_but_for_identifiers(tmp_path):
    """Run as a contributor would, in text, as GitHub annotations and as the step
    summary: no English left in a Chinese sentence (a file kind, a record kind, a
    reason, a bound), only what is written as the record has it."""
    root = _broken_with_every_kind_of_file(tmp_path)
    summary = tmp_path / "summary.md"
    text = _smesa(root, "--lang", "zh", env={})
    github = _smesa(root, "--format", "github", "--summary", str(summary), env={"LANG": "zh_CN"})
    lines = text.stdout.splitlines()
    assert text.returncode == 1 and len(lines) > 60
    for rule in ("SM004", "SM133", "SM134", "SM135", "SM603", "SM610", "SM901", "SM002"):
        assert f" {rule} " in text.stdout, rule
    assert sum(" SM004 " in line for line in lines) == 12
    annotations = [line.split("::", 2)[2] for line in github.stdout.splitlines() if "::" in line]
    identifiers = _identifiers()
    left = {
        line: words
        for line in [*lines, *annotations, *summary.read_text("utf-8").splitlines()]
        if (words := english_words(line.replace("%0A", " "), identifiers))
    }
    assert left == {}


def test_annotations_and_the_step_summary_follow_the_language(tmp_path):
    root = tmp_path / "broken"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(ROOT / "data/reference", root / "data/reference", dirs_exist_ok=True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=root, check=True)
    alpha = root / "data/members/alpha.yml"
    alpha.write_text(alpha.read_text("utf-8").replace("economy: TW", "economy: XX"), "utf-8")
    summary = tmp_path / "summary.md"
    everything = _smesa(root, "--format", "github", env={"LANG": "zh_CN.UTF-8"}).stdout
    lines = everything.splitlines()
    first = next(line for line in lines if line.startswith("::error"))
    assert first.endswith(  # message and hint in Chinese, the hint in full-width brackets
        "title=SM603 prior-smewg-approval::published 状态的活动须事先获得 SMEWG 批准（按 SMEWG "
        "的决定添加 approval: {smewg: {date: YYYY-MM-DD, ref: YYYY/SMEWGNN/NNN}}）"
    )
    english = _smesa(root, "--format", "github", env={}).stdout.splitlines()
    hidden = re.fullmatch(
        r"(\d+) more finding\(s\) not annotated \(GitHub shows 10 per level\): see the summary",
        english[-2],
    )
    assert hidden, english[-2]
    assert lines[-2] == (
        f"另有 {hidden.group(1)} 条问题未在代码行上标注"
        "（GitHub 每个级别最多显示 10 条）：见检查摘要"
    )
    errors, warnings, files = re.fullmatch(
        r"(\d+) errors, (\d+) warnings in (\d+) files", english[-1]
    ).groups()
    total = f"{errors} 个错误，{warnings} 个警告，共检查 {files} 个文件"
    assert lines[-1] == total
    changed = _smesa(
        root, "--lang", "zh", "--format", "github", "--changed-since", "main",
        "--summary", str(summary), env={},
    ).stdout.splitlines()  # fmt: skip
    assert [line.split("::")[1] for line in changed if line.startswith("::")] == [
        "error file=data/members/alpha.yml,line=6,col=10,title=SM201 apec-economy"
    ]
    elsewhere = int(errors) + int(warnings) - 1
    assert changed[-2] == f"{elsewhere} 条问题位于本次修改未涉及的行，未在代码行上标注：见检查摘要"
    table = summary.read_text("utf-8").splitlines()
    assert table[0] == f"### ❌ smesa check: {total}"
    assert table[2] == "| 位置 | 级别 | 规则 | 问题 | 修改方法 |"
    rows = [row for row in table if row.startswith("| `")]
    assert len(rows) == elsewhere + 1 and all(" | 错误 | " in r or " | 警告 | " in r for r in rows)
    _smesa(root, "--format", "github", "--summary", str(summary), env={"LANG": "C.UTF-8"})
    assert "| where | severity | rule | message | how to fix |" in summary.read_text("utf-8")
