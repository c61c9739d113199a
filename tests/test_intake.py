"""The browser path: issue forms generated from data/, and `smesa intake` turning a
submitted form (recorded bodies in tests/intake/) into a checked record, hostile bodies
included; the intake workflow's own scripts run against a local remote."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import typing
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, smesa

from smesa.data import models
from smesa.tools import forms
from smesa.tools.intake import MAX_BODY_CHARACTERS

BODIES = Path(__file__).parent / "intake"
INTAKE = ROOT / ".github" / "workflows" / "intake.yml"
TODAY = "2026-11-26"

CASE_YAML = """\
# yaml-language-server: $schema=../../../schema/cases.schema.json
id: export-coaching-for-first-time-exporters-in-the-mekong-delta
year: 2026
member: mekong-sme-support-centre
topics:
  - market-access-and-gvcs
  - skills-and-talent
status: draft
title:
  en: Export coaching for first-time exporters in the Mekong Delta
  zh: 湄公河三角洲首次出口企业辅导
summary:
  en: The centre coached 40 household businesses through their first export order.
challenge:
  en: Small producers did not know the paperwork buyers abroad ask for.
body:
  en: |
    ## The service

    Six months of weekly coaching, one exporter per firm.

    ## Results

    31 of 40 firms shipped a first order.
beneficiaries:
  count: 40
contact:
  name:
    en: Nguyen Thi Lan
  email: lan@example.org
"""
CASE_PATH = "data/cases/2026/export-coaching-for-first-time-exporters-in-the-mekong-delta.yml"

MEMBER_YAML = """\
# yaml-language-server: $schema=../../schema/members.schema.json
id: red-river-sme-export-support-centre
name:
  en: Red River SME Export Support Centre
  zh: 红河中小企业出口支持中心
economy: VN
type: sme-service-centre
joined: 2026-05-12
website: https://red-river-sme.example.org/
head:
  name:
    en: Tran Van Minh
description:
  en: Export readiness training and buyer matching for small producers in northern Viet Nam.
"""

MEETING_YAML = """\
# yaml-language-server: $schema=../../schema/meetings.schema.json
id: presidium-2026-11-10
status: draft
type: presidium
title:
  en: Presidium meeting, November 2026
  zh: 2026年11月主席团会议
date: 2026-11-10
mode: online
attendees:
  - ccpsmed
  - mekong-sme-support-centre
minutes:
  en: The Presidium discussed the 2027 recommendation paper.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the real data, where records are written."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def body(name: str) -> str:
    return (BODIES / f"{name}.md").read_text("utf-8")


def run_intake(root: Path, text: str, *extra: str) -> tuple[subprocess.CompletedProcess, dict]:
    (root.parent / "body.md").write_text(text, "utf-8")
    out = root.parent / "out"
    out.write_text("", "utf-8")
    result = smesa(
        "intake",
        "--body-file",
        str(root.parent / "body.md"),
        "--comment",
        str(root.parent / "comment.md"),
        "--pr-body",
        str(root.parent / "pr.md"),
        "--outputs",
        str(out),
        "--today",
        TODAY,
        *extra,
        cwd=root,
    )
    outputs = dict(line.split("=", 1) for line in out.read_text("utf-8").splitlines())
    return result, outputs


def written(root: Path) -> list[str]:
    """Record files that are not in the real data."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in (root / "data").rglob("*.yml")
        if not (ROOT / p.relative_to(root)).exists()
    )


# --- the forms --------------------------------------------------------------------------


def test_the_committed_forms_match_data():
    result = smesa("forms", "--check", cwd=ROOT)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout


def test_a_new_member_makes_the_forms_stale_until_smesa_forms(repo):
    shutil.copytree(ROOT / ".github", repo / ".github")
    member = (ROOT / "data/members/ccpsmed.yml").read_text("utf-8")
    (repo / "data/members/new-centre.yml").write_text(
        member.replace("id: ccpsmed", "id: new-centre"), "utf-8"
    )
    stale = smesa("forms", "--check", cwd=repo)
    assert stale.returncode == 1
    assert stale.stdout.splitlines() == [
        ".github/ISSUE_TEMPLATE/case.yml: differs from data/ (run 'smesa forms')",
        ".github/ISSUE_TEMPLATE/meeting.yml: differs from data/ (run 'smesa forms')",
    ]
    assert smesa("forms", cwd=repo).returncode == 0
    case = yaml.safe_load((repo / ".github/ISSUE_TEMPLATE/case.yml").read_text("utf-8"))
    member_field = next(f for f in case["body"] if f.get("id") == "member")
    assert any(o.startswith("new-centre — ") for o in member_field["attributes"]["options"])
    assert smesa("forms", "--check", cwd=repo).returncode == 0


def test_forms_offer_every_economy_topic_and_active_member():
    member = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/member.yml").read_text("utf-8"))
    economy = next(f for f in member["body"] if f.get("id") == "economy")
    options = economy["attributes"]["options"]
    assert len(options) == 21
    assert "VN — Viet Nam / 越南" in options
    assert "HKC — Hong Kong, China / 中国香港" in options
    case = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/case.yml").read_text("utf-8"))
    topics = next(f for f in case["body"] if f.get("id") == "topics")
    assert topics["attributes"]["multiple"] is True
    assert (
        "digital-transformation — Digital transformation / 数字化转型"
        in (topics["attributes"]["options"])
    )
    members = {p.stem for p in (ROOT / "data/members").glob("*.yml")}
    offered = next(f for f in case["body"] if f.get("id") == "member")["attributes"]["options"]
    assert {o.split(" — ")[0] for o in offered} <= members
    assert len(offered) >= len(members) - 2  # withdrawn members are not offered


def test_fixed_choices_are_the_values_the_models_allow():
    def allowed(model: type, name: str) -> set[str]:
        return set(typing.get_args(model.model_fields[name].annotation))

    fixed = forms.definitions()["choices"]
    assert set(fixed["member_types"]) == allowed(models.Member, "type")
    assert set(fixed["meeting_types"]) == allowed(models.Meeting, "type")
    assert set(fixed["modes"]) == allowed(models.Meeting, "mode")


@pytest.mark.parametrize("kind", forms.KINDS)
def test_form_fields_are_fields_of_the_model_with_bilingual_unique_labels(kind):
    model = {"case": models.Case, "member": models.Member, "meeting": models.Meeting}[kind]
    labels = [f.label for f in forms.fields(kind)]
    assert len(set(labels)) == len(labels)
    for field in forms.fields(kind):
        assert " / " in field.label and any("\u4e00" <= c <= "\u9fff" for c in field.label)
        current: typing.Any = model
        for name in field.key.split("."):
            assert name in current.model_fields, (kind, field.key)
            current = models.model_in(current.model_fields[name].annotation) or current
    required = {n for n, f in model.model_fields.items() if f.is_required()}
    keys = {f.key.split(".")[0] for f in forms.fields(kind)} | {"id", "status"}
    assert required <= keys, required - keys


# --- recorded bodies --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "path", "expected"),
    [
        ("case", CASE_PATH, CASE_YAML),
        ("member", "data/members/red-river-sme-export-support-centre.yml", MEMBER_YAML),
        ("meeting", "data/meetings/presidium-2026-11-10.yml", MEETING_YAML),
    ],
)
def test_a_recorded_form_becomes_exactly_this_record(repo, name, path, expected):
    result, outputs = run_intake(repo, body(name))
    assert result.returncode == 0, result.stderr
    assert written(repo) == [path]
    assert (repo / path).read_text("utf-8") == expected
    # A new member waits for the Secretariat's admission record (SM623), which the
    # Secretariat adds in the pull request: the form cannot carry it.
    errors = 1 if name == "member" else 0
    assert outputs == {"path": path, "errors": str(errors)}
    assert smesa("check", path, "--today", TODAY, cwd=repo).returncode == errors
    assert smesa("fmt", "--check", path, cwd=repo).returncode == 0
    comment = (repo.parent / "comment.md").read_text("utf-8")
    summary = f"{errors} error{'' if errors == 1 else 's'}, 0 warnings in 1 file"
    assert f"**{path}**" in comment and summary in comment
    assert ("SM623" in comment) is (name == "member")
    assert "Closes #?" in (repo.parent / "pr.md").read_text("utf-8")


MEMBER_PATH = "data/members/red-river-sme-export-support-centre.yml"
ADMITTED_YAML = MEMBER_YAML + "admission:\n  date: 2026-05-08\n  ref: SMESA-SEC/2026/014\n"


def test_a_member_the_secretariat_admitted_in_the_form_is_written_with_its_record(repo):
    """The Secretariat fills in its decision before labelling: the record carries it,
    and SM623 has nothing to say."""
    result, outputs = run_intake(repo, body("member-admitted"))
    assert result.returncode == 0, result.stderr
    assert (repo / MEMBER_PATH).read_text("utf-8") == ADMITTED_YAML
    assert outputs == {"path": MEMBER_PATH, "errors": "0"}
    comment = (repo.parent / "comment.md").read_text("utf-8")
    assert "0 errors, 0 warnings in 1 file" in comment and "Secretariat / 致秘书处" not in comment


def test_a_member_without_the_secretariats_record_says_who_adds_it_where(repo):
    run_intake(repo, body("member"))
    comment = (repo.parent / "comment.md").read_text("utf-8")
    assert f"`{MEMBER_PATH}:8:9` | error | [SM623 member-admission-recorded]" in comment
    note = comment.split("**For the Secretariat / 致秘书处**", 1)[1]
    assert f"(SM623, {MEMBER_PATH}:8:9)" in note
    assert "fill in “The Secretariat's record admitting it (Secretariat only) /" in note
    assert "remove the label `intake: accepted` and add it again" in note
    assert "```yaml\nadmission:\n  date: YYYY-MM-DD\n  ref: SMESA-SEC/YYYY/NNN\n```" in note
    # and the findings again in Chinese, as smesa check --lang zh prints them
    assert "### ❌ smesa check: 1 个错误，0 个警告，共检查 1 个文件" in note
    assert f"| `{MEMBER_PATH}:8:9` | 错误 | [SM623 member-admission-recorded]" in note
    assert "加入日期为 2026-05-12（在存续期内），但没有入盟记录" in note


@pytest.mark.parametrize(
    ("ref", "date", "problem"),
    [
        (
            "by email", "2026-05-08",
            "- The Secretariat's record admitting it (Secretariat only) / 秘书处的入盟决定编号"
            "（仅由秘书处填写）: must be a number of the Secretariat's records, in the form "
            "SMESA-SEC/YYYY/NNN: 'by email'",
        ),
        (
            "SMESA-SEC/YYYY/NNN", "2026-05-08",  # the placeholder copied
            "in the form SMESA-SEC/YYYY/NNN: 'SMESA-SEC/YYYY/NNN'",
        ),
        (
            "SMESA-SEC/2026/014", "_No response_",
            "- Date of the Secretariat's decision (Secretariat only) / 秘书处的决定日期（仅由秘书处"
            "填写）: required with “The Secretariat's record admitting it (Secretariat only) / "
            "秘书处的入盟决定编号（仅由秘书处填写）”, and left empty",
        ),
    ],
)  # fmt: skip
def test_the_secretariats_record_in_the_form_is_checked(repo, ref, date, problem):
    text = body("member-admitted").replace("SMESA-SEC/2026/014", ref).replace("2026-05-08", date)
    _, outputs = run_intake(repo, text)
    assert outputs == {"path": "", "errors": "0"} and written(repo) == []
    assert problem in (repo.parent / "comment.md").read_text("utf-8")


def test_a_body_of_the_form_before_a_field_was_added_still_reads(repo):
    """An issue written before the Secretariat's fields existed lacks their headings: the
    optional fields are empty, not an error."""
    old = body("member").split("### The Secretariat's record", 1)[0]
    old += "### Confirmation" + body("member").split("### Confirmation", 1)[1]
    result, outputs = run_intake(repo, old)
    assert outputs == {"path": MEMBER_PATH, "errors": "1"}, result.stderr


def test_a_body_edited_in_the_browser_with_crlf_reads_the_same(repo):
    result, outputs = run_intake(repo, body("case").replace("\n", "\r\n"))
    assert outputs["path"] == CASE_PATH, result.stderr
    assert (repo / CASE_PATH).read_text("utf-8") == CASE_YAML


def test_the_event_file_gives_body_and_issue_number(repo):
    event = repo.parent / "event.json"
    event.write_text(json.dumps({"issue": {"number": 42, "body": body("case")}}), "utf-8")
    result = smesa(
        "intake", "--event", str(event), "--pr-body", str(repo.parent / "pr.md"), cwd=repo
    )
    assert result.returncode == 0, result.stderr
    assert (repo / CASE_PATH).read_text("utf-8") == CASE_YAML
    assert "Closes #42." in (repo.parent / "pr.md").read_text("utf-8")


# --- hostile bodies ---------------------------------------------------------------------


def test_shell_and_expression_syntax_stay_text(repo):
    hostile = "$(touch pwned) `touch pwned2`; rm -rf / && ${{ secrets.INTAKE_TOKEN }} | $HOME"
    text = body("case").replace(
        "Small producers did not know the paperwork buyers abroad ask for.", hostile
    )
    result, outputs = run_intake(repo, text)
    assert outputs["path"] == CASE_PATH, result.stderr
    assert not (repo / "pwned").exists() and not (repo / "pwned2").exists()
    record = yaml.safe_load((repo / CASE_PATH).read_text("utf-8"))
    assert record["challenge"] == {"en": hostile}


def test_yaml_in_a_text_is_written_as_text(repo):
    injected = "Fine.\nstatus: published\napproval:\n  smewg: {date: 2026-01-01, ref: x}\n---\n*a"
    text = body("case").replace("Six months of weekly coaching, one exporter per firm.", injected)
    result, outputs = run_intake(repo, text)
    assert outputs["path"] == CASE_PATH, result.stderr
    written_text = (repo / CASE_PATH).read_text("utf-8")
    assert "\n    status: published\n" in written_text  # inside the block, indented
    record = yaml.safe_load(written_text)
    assert record["status"] == "draft" and "approval" not in record
    assert "status: published\napproval:" in record["body"]["en"]


def test_a_newline_in_a_one_line_field_is_refused(repo):
    text = body("case").replace(
        "Export coaching for first-time exporters in the Mekong Delta",
        "Export coaching\nstatus: published",
    )
    result, outputs = run_intake(repo, text)
    assert result.returncode == 0 and outputs == {"path": "", "errors": "0"}
    assert written(repo) == []
    comment = (repo.parent / "comment.md").read_text("utf-8")
    assert "- Title in English / 英文标题: must be one line" in comment
    assert "No record could be made from this form" in comment


def test_a_choice_not_in_the_form_is_refused(repo):
    text = body("case").replace(
        "mekong-sme-support-centre — Mekong SME Support Centre (VN)", "../../etc/passwd"
    )
    _, outputs = run_intake(repo, text)
    assert outputs["path"] == "" and written(repo) == []
    comment = (repo.parent / "comment.md").read_text("utf-8")
    assert "Member institution / 成员机构: '../../etc/passwd' is not one of the choices" in comment


def test_a_huge_body_is_refused_before_it_is_read(repo):
    text = body("case") + "x" * MAX_BODY_CHARACTERS
    result, outputs = run_intake(repo, text)
    assert outputs["path"] == "" and written(repo) == []
    assert "more than GitHub allows (65,536)" in (repo.parent / "comment.md").read_text("utf-8")
    assert "Traceback" not in result.stderr


def test_a_body_that_is_no_form_is_refused(repo):
    _, outputs = run_intake(repo, "Please add our case, thanks!\n### Title\n\nx")
    assert outputs["path"] == ""
    assert "not written with one of the forms" in (repo.parent / "comment.md").read_text("utf-8")


def test_markup_is_written_literally_and_the_check_reports_it(repo):
    text = body("case").replace(
        "31 of 40 firms shipped a first order.",
        "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))",
    )
    result, outputs = run_intake(repo, text)
    assert outputs["path"] == CASE_PATH, result.stderr
    assert int(outputs["errors"]) >= 1
    comment = (repo.parent / "comment.md").read_text("utf-8")
    assert "SM140" in comment
    assert "<script>alert(1)</script>" in (repo / CASE_PATH).read_text("utf-8")


def test_an_unticked_confirmation_and_empty_required_fields_are_named(repo):
    text = body("case").replace("- [X] I have", "- [ ] I have")
    text = text.replace(
        "The centre coached 40 household businesses through their first export order.",
        "_No response_",
    )
    _, outputs = run_intake(repo, text)
    assert outputs["path"] == ""
    comment = (repo.parent / "comment.md").read_text("utf-8")
    assert "- Summary in English / 英文摘要: required, and left empty" in comment
    assert "- Confirmation / 确认: the box is not ticked" in comment


def test_a_second_submission_of_the_same_case_is_refused(repo):
    run_intake(repo, body("case"))
    _, outputs = run_intake(repo, body("case"))
    assert outputs["path"] == ""
    assert "exists already: give it another title" in (repo.parent / "comment.md").read_text(
        "utf-8"
    )


# --- the workflow's own scripts ---------------------------------------------------------


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def _workflow_repository(tmp_path: Path, *files: str) -> tuple[Path, Path]:
    """A bare remote and a clone pushed to it holding data/, .github/, mkdocs.yml and
    `files`, with this checkout's environment: where the workflow's scripts run."""
    remote = tmp_path / "remote.git"
    work = tmp_path / "work"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    work.mkdir()
    for name in ("data", ".github"):
        shutil.copytree(ROOT / name, work / name)
    for name in ("mkdocs.yml", *files):
        shutil.copy(ROOT / name, work / name)
    (work / ".venv").symlink_to(ROOT / ".venv")
    (work / ".gitignore").write_text(".venv\n", "utf-8")
    who = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    _git(work, "init", "-q", "-b", "main")
    _git(work, *who, "add", ".")
    _git(work, *who, "commit", "-qm", "base")
    _git(work, "remote", "add", "origin", str(remote))
    _git(work, "push", "-q", "origin", "main")
    return remote, work


def _steps() -> dict[str, dict]:
    data = yaml.safe_load(INTAKE.read_text("utf-8"))
    return {step.get("name", ""): step for step in data["jobs"]["record"]["steps"]}


def test_the_workflow_scripts_turn_a_hostile_issue_into_a_branch_and_replies(tmp_path):
    """The `run:` scripts of intake.yml, run by bash as the runner would, on a clone of
    a real repository with a local remote; `gh` is a stand-in that records its calls."""
    remote, work = _workflow_repository(tmp_path)

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "gh-calls"
    gh = bin_dir / "gh"
    gh.write_text(
        '#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> "$GH_CALLS"\n'
        '[ "$1 $2" = "pr view" ] && exit 1\nexit 0\n',
        "utf-8",
    )
    gh.chmod(gh.stat().st_mode | stat.S_IEXEC)
    hostile_title = "Export coaching $(touch pwned) ${{ github.token }}"
    event = tmp_path / "event.json"
    text = body("case").replace(
        "Export coaching for first-time exporters in the Mekong Delta", hostile_title
    )
    event.write_text(json.dumps({"issue": {"number": 17, "body": text}}), "utf-8")
    output = tmp_path / "github-output"
    output.write_text("", "utf-8")
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(runner_temp),
        "ISSUE_NUMBER": "17",
        "GH_CALLS": str(calls),
        "BASE": "main",
    }
    steps = _steps()
    record = steps["Write and check the record"]
    done = subprocess.run(
        ["bash", "-e", "-c", " ".join(record["run"].split())],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    outputs = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines())
    path = "data/cases/2026/export-coaching-touch-pwned-github-token.yml"
    assert outputs == {"path": path, "errors": "0"}
    for name in ("Open the pull request", "Post the reply on the issue"):
        step_env = {**env, "RECORD": outputs["path"], "ERRORS": outputs["errors"]}
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", steps[name]["run"]],
            cwd=work,
            env=step_env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, (name, done.stderr)
    assert not (work / "pwned").exists()
    pushed = _git(remote, "show", "intake/issue-17:" + path)
    assert yaml.safe_load(pushed)["title"]["en"] == hostile_title
    assert _git(remote, "log", "--format=%s", "-1", "intake/issue-17") == (
        f"Add {path} from issue #17\n"
    )
    assert calls.read_text("utf-8").splitlines() == [
        "pr view intake/issue-17 --json number",
        f"pr create --base main --head intake/issue-17 --title Add {path} (issue #17) "
        f"--body-file {runner_temp}/pull-request.md",
        f"issue comment 17 --body-file {runner_temp}/comment.md",
    ]
    assert "Closes #17." in (runner_temp / "pull-request.md").read_text("utf-8")


def _run_the_workflow(tmp_path: Path, work: Path, text: str, pr_exists: bool) -> list[str]:
    """The three `run:` scripts of intake.yml for issue 18 with `text` as its body; the
    `gh` calls they made (`gh pr view` succeeds when `pr_exists`)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    calls = tmp_path / "gh-calls"
    calls.write_text("", "utf-8")
    gh = bin_dir / "gh"
    gh.write_text(
        '#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> "$GH_CALLS"\n'
        f'[ "$1 $2" = "pr view" ] && exit {0 if pr_exists else 1}\nexit 0\n',
        "utf-8",
    )
    gh.chmod(gh.stat().st_mode | stat.S_IEXEC)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"issue": {"number": 18, "body": text}}), "utf-8")
    output = tmp_path / "github-output"
    output.write_text("", "utf-8")
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(runner_temp),
        "ISSUE_NUMBER": "18",
        "GH_CALLS": str(calls),
        "BASE": "main",
    }
    steps = _steps()
    record = " ".join(steps["Write and check the record"]["run"].split())
    subprocess.run(["bash", "-e", "-c", record], cwd=work, env=env, check=True)
    outputs = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines())
    for name in ("Open the pull request", "Post the reply on the issue"):
        step_env = {**env, "RECORD": outputs["path"], "ERRORS": outputs["errors"]}
        subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", steps[name]["run"]],
            cwd=work, env=step_env, check=True, capture_output=True,
        )  # fmt: skip
    _git(work, "switch", "-q", "main")  # the next run starts from a fresh checkout
    _git(work, "branch", "-q", "-D", "intake/issue-18")
    return calls.read_text("utf-8").splitlines()


def test_the_secretariat_labels_a_member_twice_and_the_pull_request_is_updated(tmp_path):
    """First without its decision (a draft pull request, the note on the issue), then,
    the issue edited, with it: the branch is pushed again and no second pull request is
    opened. The workflow's scripts, on a clone with a local remote and a stand-in gh."""
    remote, work = _workflow_repository(tmp_path, "pyproject.toml")  # the Secretariat's form
    path = "data/members/red-river-sme-export-support-centre.yml"
    runner_temp = tmp_path / "runner-temp"

    first = _run_the_workflow(tmp_path, work, body("member"), pr_exists=False)
    assert first[1].startswith("pr create --base main --head intake/issue-18 --draft ")
    assert "**For the Secretariat / 致秘书处**" in (runner_temp / "comment.md").read_text("utf-8")
    assert "admission" not in _git(remote, "show", f"intake/issue-18:{path}")

    second = _run_the_workflow(tmp_path, work, body("member-admitted"), pr_exists=True)
    assert second == [
        "pr view intake/issue-18 --json number",
        f"issue comment 18 --body-file {runner_temp}/comment.md",
    ]  # no second pull request
    assert _git(remote, "show", f"intake/issue-18:{path}").endswith(
        "admission:\n  date: 2026-05-08\n  ref: SMESA-SEC/2026/014\n"
    )
    assert "0 errors, 0 warnings in 1 file" in (runner_temp / "comment.md").read_text("utf-8")
    assert "Secretariat / 致秘书处" not in (runner_temp / "comment.md").read_text("utf-8")
