"""The `smesa` command as contributors and CI run it: a real process, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from smesa.output import escape_data, escape_property

CASE = "data/cases/2025/alpha-finance.yml"


def smesa(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smesa.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


BROKEN_CASE = """\
id: alpha-finance
year: 2025
member: alpha
topics: [access-to-finance]
status: published
published: 2025-06-01
approval:
  smewg: {date: 2025-05-20, ref: 2025/SMEWG60/011}
title:
  zh: 只有中文
summary:
  en: |
    Fees fell 30%, costs: down,
    for member countries, next.
  zh: 费用下降30%。
body:
  en: A one-stop loan desk.
  zh: 一站式贷款窗口。
"""


@pytest.fixture
def broken_case(make_repo) -> Path:
    return make_repo(changes={CASE: None}, raw={CASE: BROKEN_CASE})


def test_clean_repository_exits_0(make_repo):
    result = smesa("check", "--today", "2026-11-26", cwd=make_repo())
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "0 errors, 0 warnings in 11 files\n",
        "",
    )


def test_text_format(broken_case):
    result = smesa("check", "--today", "2026-11-26", cwd=broken_case)
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        f"{CASE}:10:3: error SM601 title has no English text "
        "(write the English text in the 'en' field)",
        f"{CASE}:14:9: warning SM901 summary.en: 'member countries' is not APEC usage "
        "(APEC members are economies, not countries.) (write 'member economies')",
        "1 error, 1 warning in 11 files",
    ]


def test_one_file_in_context(broken_case):
    other = smesa("check", "--today", "2026-11-26", "data/members/alpha.yml", cwd=broken_case)
    assert (other.returncode, other.stdout) == (0, "0 errors, 0 warnings in 1 file\n")
    case = smesa("check", "--today", "2026-11-26", CASE, cwd=broken_case)
    assert case.returncode == 1
    assert case.stdout.splitlines()[-1] == "1 error, 1 warning in 1 file"


def test_github_format_escapes(broken_case):
    result = smesa("check", "--format", "github", "--today", "2026-11-26", cwd=broken_case)
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"::error file={CASE},line=10,col=3,title=SM601 english-output::"
        "title has no English text (write the English text in the 'en' field)"
    )
    assert lines[1].startswith(f"::warning file={CASE},line=14,col=9,title=SM901 nomenclature-en::")
    assert result.returncode == 1


def test_escaping_follows_the_actions_toolkit():
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_json_format(broken_case):
    result = smesa("check", "--format", "json", "--today", "2026-11-26", cwd=broken_case)
    document = json.loads(result.stdout)
    assert document["summary"] == {"errors": 1, "warnings": 1, "files": 11}
    assert document["findings"][0] == {
        "path": CASE,
        "line": 10,
        "column": 3,
        "rule": "SM601",
        "alias": "english-output",
        "severity": "error",
        "message": "title has no English text",
        "fix": "write the English text in the 'en' field",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "absent.yml"), "smesa: error: no such file: absent.yml\n"),
        (("check", "--today", "soon"), None),
        (("check", "--format", "xml"), None),
        (("frobnicate",), None),
    ],
)
def test_usage_errors_exit_2_without_traceback(make_repo, args, message):
    result = smesa(*args, cwd=make_repo())
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    if message:
        assert result.stderr == message


def test_outside_a_repository_is_a_usage_error(tmp_path):
    result = smesa("check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("smesa: error: no data/ folder in ")


def test_garbage_files_never_give_a_traceback(make_repo):
    root = make_repo(
        raw={
            "data/cases/2025/a.yml": b"\xff\xfe\x00",
            "data/cases/2025/b.yml": "id: b\nyear: [",
            "data/members/c.yml": "- just\n- a list\n",
            "data/reference/tor.yml": "term: 5\n",
        }
    )
    result = smesa("check", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
    assert [line.split(": ")[0] for line in result.stdout.splitlines()[:-1]] == [
        "data/cases/2025/a.yml:1:1",
        "data/cases/2025/b.yml:3:1",
        "data/members/c.yml:1:1",
        *["data/reference/tor.yml:1:1"] * 7,
        "data/reference/tor.yml:1:7",
    ]


def test_rules_command_lists_every_rule(make_repo):
    result = smesa("rules", cwd=make_repo())
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()][:3] == [
        "SM001",
        "SM002",
        "SM003",
    ]
