"""The `smesa` command as contributors and CI run it: a real process, real files."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import smesa

from smesa.check.output import escape_data, escape_property

CASE = "data/cases/2025/alpha-finance.yml"


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


SITE = "https://smesa.example/"


@pytest.fixture
def broken_case(make_repo) -> Path:
    return make_repo(
        changes={CASE: None},
        raw={CASE: BROKEN_CASE, "mkdocs.yml": f"site_name: x\nsite_url: {SITE}\n"},
    )


def test_clean_repository_exits_0(make_repo):
    result = smesa("check", "--today", "2026-11-26", cwd=make_repo())
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "0 errors, 0 warnings in 16 files\n",
        "",
    )


def test_text_format(broken_case):
    result = smesa("check", "--today", "2026-11-26", cwd=broken_case)
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        f"{CASE}:10:3: error SM601 title has no English text "
        f"(write the English text in the 'en' field) <{SITE}rules/sm601/>",
        f"{CASE}:14:9: warning SM901 summary.en: 'member countries' is not APEC usage "
        f"(APEC members are economies, not countries.) (write 'member economies') "
        f"<{SITE}rules/sm901/>",
        "1 error, 1 warning in 16 files",
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
        f"%0A{SITE}rules/sm601/"
    )
    assert lines[1].startswith(f"::warning file={CASE},line=14,col=9,title=SM901 nomenclature-en::")
    assert result.returncode == 1


def test_escaping_follows_the_actions_toolkit():
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_json_format(broken_case):
    result = smesa("check", "--format", "json", "--today", "2026-11-26", cwd=broken_case)
    document = json.loads(result.stdout)
    assert document["summary"] == {"errors": 1, "warnings": 1, "files": 16}
    assert document["findings"][0] == {
        "path": CASE,
        "line": 10,
        "column": 3,
        "rule": "SM601",
        "alias": "english-output",
        "severity": "error",
        "message": "title has no English text",
        "fix": "write the English text in the 'en' field",
        "url": f"{SITE}rules/sm601/",
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


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_annotations_only_on_changed_lines_and_full_summary(make_repo, tmp_path):
    root = make_repo()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    member = root / "data/members/alpha.yml"
    member.write_text(member.read_text().replace("economy: PRC", "economy: XX"), "utf-8")
    (root / "data/members/gamma.yml").write_text("id: gamma\n", "utf-8")  # untracked
    summary = tmp_path / "summary.md"
    result = smesa(
        "check",
        "--format",
        "github",
        "--changed-since",
        "main",
        "--summary",
        str(summary),
        "--today",
        "2026-11-26",
        cwd=root,
    )
    assert result.returncode == 1
    annotated = [
        line.split("::")[1] for line in result.stdout.splitlines() if line.startswith("::")
    ]
    assert annotated == [
        "error file=data/members/alpha.yml,line=6,col=10,title=SM201 apec-economy",
        "error file=data/members/gamma.yml,line=1,col=1,title=SM002 schema-invalid",
        "error file=data/members/gamma.yml,line=1,col=1,title=SM002 schema-invalid",
        "error file=data/members/gamma.yml,line=1,col=1,title=SM002 schema-invalid",
        "error file=data/members/gamma.yml,line=1,col=1,title=SM002 schema-invalid",
        "error file=data/members/gamma.yml,line=1,col=1,title=SM002 schema-invalid",
    ]
    report = summary.read_text("utf-8")
    assert report.startswith("### ❌ smesa check: 6 errors, 0 warnings in 17 files\n")
    assert report.count("\n| `data/members/") == 6


def test_changed_since_an_unknown_ref_is_a_usage_error(make_repo):
    root = make_repo()
    _git(root, "init", "-q")
    result = smesa("check", "--changed-since", "nope", cwd=root)
    assert result.returncode == 2
    assert result.stderr.startswith("smesa: error: git merge-base nope HEAD:")


def test_github_shows_ten_annotations_per_level_then_points_to_the_summary(make_repo):
    raw = {f"data/members/bad{i}.yml": f"id: bad{i}\n" for i in range(3)}
    result = smesa("check", "--format", "github", cwd=make_repo(raw=raw))
    lines = result.stdout.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert lines[-2] == (
        "5 more finding(s) not annotated (GitHub shows 10 per level): see the summary"
    )


def smesa_with(
    *args: str, cwd: Path, env: dict[str, str] | None = None, **popen: Any
) -> subprocess.CompletedProcess[str]:
    """`smesa` with its standard streams set up by the caller (closed, a pipe, a device)."""
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "smesa.cli", *args],
        cwd=cwd,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        **popen,
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_summary_to_a_folder_is_refused_before_any_output(make_repo):
    root = make_repo()
    (root / "summary").mkdir()
    result = smesa("check", "--summary", "summary", cwd=root)
    assert result.returncode == 2 and result.stdout == ""
    assert one_error_line(result) == (
        "smesa: error: cannot write the summary to summary: Is a directory"
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_summary_on_a_full_disk_is_one_line(make_repo):
    result = smesa("check", "--summary", "/dev/full", cwd=make_repo())
    assert result.returncode == 1
    assert one_error_line(result) == "smesa: error: cannot write /dev/full: No space left on device"


def test_a_report_out_to_a_file_is_a_usage_error(make_repo):
    root = make_repo()
    (root / "out.txt").write_text("keep me", "utf-8")
    result = smesa("report", "2025", "--out", "out.txt", "--today", "2026-11-26", cwd=root)
    assert result.returncode == 2
    assert one_error_line(result) == "smesa: error: --out must be a folder, and out.txt is a file"
    assert (root / "out.txt").read_text("utf-8") == "keep me"


@pytest.mark.parametrize("command", ["check", "rules", "status"])
def test_a_closed_stdout_is_a_usage_error(make_repo, command):
    result = smesa_with(command, cwd=make_repo(), stdout=None, preexec_fn=lambda: os.close(1))
    assert result.returncode == 2
    assert one_error_line(result) == (
        "smesa: error: standard output is closed: redirect it to a file or /dev/null"
    )


@pytest.mark.parametrize("command", ["check", "rules", "status"])
def test_a_pipe_closed_by_its_reader_ends_quietly_with_1(make_repo, command):
    # `smesa rules | head -1` once head has gone: nothing to say, but not a success.
    read, write = os.pipe()
    os.close(read)
    try:
        result = smesa_with(command, cwd=make_repo(), stdout=write)
    finally:
        os.close(write)
    assert (result.returncode, result.stderr) == (1, "")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("command", [("check",), ("check", "--format", "json"), ("status",)])
def test_output_to_a_full_disk_is_one_line(make_repo, command):
    with open("/dev/full", "w") as full:
        result = smesa_with(*command, cwd=make_repo(), stdout=full)
    assert result.returncode == 1
    assert one_error_line(result) == (
        "smesa: error: cannot write the output: No space left on device"
    )


@pytest.mark.parametrize("stdin", ["closed", "at its end"])
def test_new_without_answers_names_the_missing_options(make_repo, stdin):
    popen: dict[str, Any] = (
        {"preexec_fn": lambda: os.close(0)} if stdin == "closed" else {"stdin": subprocess.DEVNULL}
    )
    root = make_repo()
    result = smesa_with("new", "case", cwd=root, **popen)
    assert result.returncode == 2
    assert one_error_line(result) == (
        "smesa: error: missing --title-en, --member, --topics (or run in a terminal to be asked)"
    )
    assert sorted(p.name for p in (root / "data/cases/2025").iterdir()) == ["alpha-finance.yml"]


ASCII_STDOUT = [
    {"PYTHONIOENCODING": "ascii"},
    # The C locale, with Python's UTF-8 coercion turned off.
    {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
]


@pytest.mark.parametrize("env", ASCII_STDOUT, ids=["PYTHONIOENCODING=ascii", "C locale"])
def test_an_ascii_stdout_gets_escapes_that_json_reads_back(make_repo, env):
    root = make_repo()
    member = root / "data/members/alpha.yml"
    member.write_text(member.read_text("utf-8").replace("PRC", "中国"), "utf-8")  # quoted
    for command in (("rules",), ("check", "--format", "json"), ("status", "--format", "json")):
        utf8 = smesa_with(*command, cwd=root, env={"PYTHONIOENCODING": "utf-8"})
        ascii_only = smesa_with(*command, cwd=root, env=env)
        assert (ascii_only.returncode, ascii_only.stderr) == (utf8.returncode, "")
        assert ascii_only.stdout.isascii() and not utf8.stdout.isascii()
        if command[0] == "rules":
            assert "\\u2014" in ascii_only.stdout  # the em dash
        else:
            assert json.loads(ascii_only.stdout) == json.loads(utf8.stdout)


def test_a_changed_since_option_is_not_handed_to_git(make_repo, tmp_path):
    root = make_repo()
    _git(root, "init", "-q")
    written = tmp_path / "written-by-git"
    result = smesa("check", f"--changed-since=--output={written}", cwd=root)
    assert result.returncode == 2
    assert one_error_line(result) == (
        f"smesa: error: --changed-since takes a git ref, not an option: '--output={written}'"
    )
    assert not written.exists()


@pytest.mark.parametrize("ending", ["Ctrl-D", "the terminal closed"])
def test_new_in_a_terminal_that_ends_is_a_usage_error(make_repo, ending):
    import pty

    master, terminal = pty.openpty()
    new = subprocess.Popen(
        [sys.executable, "-m", "smesa.cli", "new", "case"],
        cwd=make_repo(),
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    os.close(terminal)
    assert new.stdout is not None
    os.write(master, b"\n")  # no title
    shown = b""
    while shown.count(b"Title in English: ") < 2:  # asked again: a title is needed
        if not select.select([new.stdout], [], [], 30)[0]:
            new.kill()
            pytest.fail(f"not asked for the title again: {shown!r}")
        byte = os.read(new.stdout.fileno(), 1)
        assert byte, (shown, new.communicate())
        shown += byte
    if ending == "Ctrl-D":
        os.write(master, b"\x04")
        _, stderr = new.communicate(timeout=60)
        os.close(master)
    else:
        os.close(master)  # reading the terminal now fails (EIO)
        _, stderr = new.communicate(timeout=60)
    assert new.returncode == 2
    assert stderr.decode() == "smesa: error: input ended before every question was answered\n"
