"""Local = CI: what CI annotates and what it does not is said; drafts are covered by
smesa i18n; a TODO left in a submitted record warns, in an approved one it is an error."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, smesa

from smesa.data.config import repository_url
from smesa.tools.forms import accepted_label
from tests.browser.local_site import SITE_WITHOUT_DATA, copy_site_sources


def _git(root, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_findings_on_unchanged_lines_are_counted_not_dropped(make_repo, tmp_path):
    root = make_repo()
    beta = root / "data/members/beta.yml"
    beta.write_text(beta.read_text("utf-8").replace("economy: CT", "economy: YY"), "utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "base, with an error already")
    alpha = root / "data/members/alpha.yml"
    alpha.write_text(alpha.read_text("utf-8").replace("economy: PRC", "economy: XX"), "utf-8")
    result = smesa(
        "check", "--format", "github", "--changed-since", "main", "--today", "2026-11-26", cwd=root
    )
    lines = result.stdout.splitlines()
    assert [line.split("::")[1] for line in lines if line.startswith("::")] == [
        "error file=data/members/alpha.yml,line=6,col=10,title=SM201 apec-economy"
    ]
    assert lines[-2] == (
        "1 finding(s) on lines this change did not touch are not annotated: see the summary"
    )
    assert lines[-1].startswith("2 errors, 0 warnings in ")


def _scaffolded(
    root, status: str, title: str = "Export coaching", topics: str = "skills-and-talent"
) -> str:
    result = smesa(
        "new", "case", "--title-en", title, "--member", "beta",
        "--topics", topics, "--year", "2026", cwd=root,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rel = result.stdout.splitlines()[0].removeprefix("wrote ")
    path = root / rel
    path.write_text(path.read_text("utf-8").replace("status: draft", f"status: {status}"), "utf-8")
    return rel


def test_SM619_a_todo_in_a_submitted_record_warns_and_in_an_approved_one_errors(make_repo):
    root = make_repo()
    rel = _scaffolded(root, "draft")
    assert smesa("check", rel, "--today", "2026-11-26", cwd=root).stdout.endswith(
        "0 errors, 0 warnings in 1 file\n"
    )
    path = root / rel
    path.write_text(path.read_text("utf-8").replace("status: draft", "status: submitted"))
    submitted = smesa("check", rel, "--today", "2026-11-26", cwd=root)
    assert submitted.returncode == 0
    assert [line.split(" ")[1:3] for line in submitted.stdout.splitlines()[:-1]] == [
        ["warning", "SM619"]
    ] * 3  # summary, challenge, body: one finding per text
    path.write_text(path.read_text("utf-8").replace("status: submitted", "status: approved"))
    approved = smesa("check", rel, "--today", "2026-11-26", cwd=root)
    assert approved.returncode == 1
    assert "error SM612" in approved.stdout and "SM619" not in approved.stdout


def test_i18n_counts_drafts_and_takes_files(make_repo):
    root = make_repo()
    rel = _scaffolded(root, "draft")
    everything = smesa("i18n", cwd=root).stdout
    assert f"{rel}:12:7: missing title.zh" in everything
    one = smesa("i18n", rel, cwd=root).stdout.splitlines()
    assert one[1].split() == ["cases", "4", "0%", "4", "0", "0"]
    assert all(line.startswith(rel) for line in one[3:]) and len(one) == 7
    public = smesa("i18n", "--public", cwd=root).stdout
    assert rel not in public


# --- the guides and the laptop path ---------------------------------------------------

GUIDES = {"en": ROOT / "CONTRIBUTING.md", "zh": ROOT / "CONTRIBUTING.zh.md"}


def _make_serve() -> str:
    """The command `make serve` runs, as typed in an activated environment."""
    makefile = (ROOT / "Makefile").read_text("utf-8").replace("\\\n", " ")
    recipe = re.search(r"^serve:.*\n\t(.+)$", makefile, re.MULTILINE)
    assert recipe, "no serve target"
    return " ".join(recipe.group(1).replace("$(BIN)/", "").split())


@pytest.mark.parametrize("lang", GUIDES)
def test_the_guide_walks_both_paths_with_the_one_repository_address(lang):
    guide = GUIDES[lang].read_text("utf-8")
    repository = repository_url(ROOT)
    assert repository.startswith("https://github.com/")
    for address in re.findall(r"https://github\.com/[^\s)`>*]+", guide):
        assert address.startswith(repository) or address.startswith("https://github.com/YOU/"), (
            address
        )
    for step in (
        f"{repository}/issues/new/choose",  # the browser path: the forms
        accepted_label(),
        "Fork",
        f"git remote add upstream {repository}.git",
        "git push -u origin",
        "git pull upstream main",
        ".venv\\Scripts\\python -m pip install",  # Windows
        ". .venv/bin/activate",  # then `smesa` is found, as the guide writes it
        ".venv\\Scripts\\Activate.ps1",
        _make_serve(),  # Windows has no make: the same command
        "smesa new case",
        "make serve",
    ):
        assert step in guide, step


GITHUB_REPOSITORY = re.compile(r"github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_-]+(?:\.[A-Za-z]+)*)")
# Files that may write the repository's address: the setting, and the guides (Markdown
# cannot read a setting: the test above holds them to it).
MAY_NAME_THE_REPOSITORY = {"pyproject.toml", "CONTRIBUTING.md", "CONTRIBUTING.zh.md"}


def test_no_file_but_the_setting_and_the_guides_names_a_github_repository():
    """The repository's address is one setting ([project.urls] Repository): the record
    pages' links, the forms, the intake and the workflows read it or GitHub's context,
    and no file holds an address of its own (of ours or another)."""
    tracked = subprocess.run(
        ["git", "-c", f"safe.directory={ROOT}", "ls-files", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split("\0")
    ours = repository_url(ROOT).removeprefix("https://")
    fork = "github.com/YOU/" + ours.rsplit("/", 1)[1]  # the guides' clone of your fork
    found = {}
    for name in tracked:
        path = ROOT / name
        if not name or name == "package-lock.json" or not path.is_file():
            continue  # the lock file lists npm packages' funding pages
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        for match in GITHUB_REPOSITORY.finditer(text):
            address = match.group(0).removesuffix(".git")
            if name in MAY_NAME_THE_REPOSITORY and address in (ours, fork):
                continue
            if match[1].startswith("example-"):
                continue  # a test's stand-in for another repository
            found.setdefault(name, []).append(match.group(0))
    assert found == {}
    assert "github.com/" not in (ROOT / "mkdocs.yml").read_text("utf-8")  # no repo_url copy


def test_a_windows_checkout_has_lf_line_endings(tmp_path):
    """Git for Windows checks text out with CRLF (core.autocrlf=true): `smesa fmt --check`
    then found all 60 data files to reformat, and the pre-commit hook refused every
    commit. .gitattributes keeps LF everywhere; the golden CSV files keep CSV's CRLF."""
    import json

    case = "data/cases/2025/x.yml"
    golden = "tests/golden/x.csv"

    def checkout(attributes: bool) -> tuple[bytes, bytes]:
        repo = tmp_path / ("with" if attributes else "without")
        for rel, content in ((case, b"id: x\nyear: 2025\n"), (golden, b"a,b\r\n1,2\r\n")):
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            (repo / rel).write_bytes(content)
        if attributes:
            shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
        _git(repo, "init", "-q", "-b", "main")
        _git(repo, "add", ".")
        _git(repo, "commit", "-qm", "x")
        (repo / case).unlink()
        (repo / golden).unlink()
        _git(repo, "-c", "core.autocrlf=true", "checkout", "--", ".")
        return (repo / case).read_bytes(), (repo / golden).read_bytes()

    assert checkout(attributes=False)[0] == b"id: x\r\nyear: 2025\r\n"  # what Windows got
    assert checkout(attributes=True) == (b"id: x\nyear: 2025\n", b"a,b\r\n1,2\r\n")
    settings = json.loads((ROOT / ".vscode/settings.json").read_text("utf-8"))
    assert settings["files.eol"] == "\n"  # a new file saved in VS Code on Windows too


@pytest.mark.parametrize("lang", GUIDES)
def test_the_windows_set_up_is_make_setups(lang):
    """Windows has no make: the guide's two lines are the recipe's, with Scripts\\ for bin/
    (and py -3 for python3; the version check is the pip's requires-python there)."""
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = re.search(r"^\$\(STAMP\):.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe
    lines = [line.strip() for line in recipe.group(1).splitlines()]
    assert "$(PYTHON) -m venv $(VENV)" in lines
    pip = next(line for line in lines if " -m pip install " in line)
    windows = pip.replace("$(BIN)/", ".venv\\Scripts\\").replace(" --quiet", "").replace("'", '"')
    guide = GUIDES[lang].read_text("utf-8")
    assert f"py -3 -m venv .venv\n{windows}\n" in guide


# Modules of Python on Linux and macOS that Python on Windows has not.
WINDOWS_LACKS = ("fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "readline")


def test_the_laptop_path_imports_nothing_windows_lacks():
    """`mkdocs serve` loads the hook, which loads the site build: an `import fcntl` there
    stopped the preview on Windows before it started. Run here with those modules
    absent: the hook, MkDocs' server and `smesa check` load and run."""
    script = (
        "import importlib.util, sys\n"
        f"for name in {WINDOWS_LACKS!r}: sys.modules[name] = None\n"
        "spec = importlib.util.spec_from_file_location('hook', 'hooks/smesa_site.py')\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "import mkdocs.commands.serve\n"
        "import smesa.tools.scaffold, smesa.tools.translations, smesa.tools.fmt\n"
        "from smesa.cli import main\n"
        "sys.exit(main(['check', '--today', '2026-11-26', 'data/members/ccpsmed.yml']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode in (0, 1) and done.stderr == "", done.stderr
    assert re.search(r"\d+ errors?, \d+ warnings? in \d+ files?", done.stdout)


def _broken_example(make_repo) -> tuple[Path, str]:
    """The guides' example: the case they create, with a quote left open."""
    root = make_repo()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")  # the rule pages' address
    title = "Export coaching for first-time exporters"
    rel = _scaffolded(root, "draft", title, "market-access-and-gvcs, skills-and-talent")
    path = root / rel
    text = path.read_text("utf-8")
    text = text.replace(
        "who was helped, how, with what result.'", "who was helped, how, with what result."
    )
    text = text.replace(
        "what your institution did, for whom, since when.",
        "what your institution did for the firm's owners.",
    )
    path.write_text(text, "utf-8")
    return root, rel


@pytest.mark.parametrize("lang", GUIDES)
def test_the_guide_shows_what_smesa_check_prints_in_its_language(make_repo, lang):
    root, rel = _broken_example(make_repo)
    result = smesa("check", "--lang", lang, rel, cwd=root)
    assert result.returncode == 1
    guide = GUIDES[lang].read_text("utf-8")
    for line in result.stdout.splitlines():
        assert line in guide, line


def test_the_laptop_targets_need_no_root_browser_font_or_npm():
    dry = subprocess.run(
        ["make", "-n", "setup", "check", "serve"], cwd=ROOT, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    assert "install-system-deps" not in dry.stdout and "install-node-tools" not in dry.stdout
    assert "mkdocs serve" in dry.stdout
    full = subprocess.run(
        ["make", "-n", "build"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert "install-system-deps" in full.stdout  # the full build still installs them


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_requires_python_is_what_the_pinned_dependencies_need():
    """Debian 12's python3 is 3.11.2; pymdown-extensions 13 needs 3.11.5. The project says
    the highest minimum of its pins, so pip and `make setup` name the real one."""
    import importlib.metadata
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    ours = _version(project["requires-python"].removeprefix(">="))
    pins = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    needed = {}
    for pin in pins:
        name = pin.split("==")[0]
        spec = importlib.metadata.metadata(name).get("Requires-Python") or ""
        for clause in spec.split(","):
            if clause.strip().startswith(">="):
                needed[name] = _version(clause.strip()[2:].strip().removesuffix(".*"))
    assert ours == max(needed.values()), needed


def test_make_setup_refuses_an_older_python_with_a_sentence(tmp_path):
    script = ROOT / "scripts/check-python.py"
    assert subprocess.run([sys.executable, str(script)], check=False).returncode == 0
    project = tmp_path / "pyproject.toml"
    project.write_text('[project]\nrequires-python = ">=3.99.1"\n', "utf-8")
    old = subprocess.run(
        [sys.executable, str(script), str(project)], capture_output=True, text=True, check=False
    )
    have = ".".join(str(part) for part in sys.version_info[:3])
    assert old.returncode == 1
    assert old.stderr.startswith(
        f"make setup: {sys.executable} is Python {have}; the pinned tools need Python 3.99.1 "
        "or newer.\n"
    )
    assert "make setup PYTHON=" in old.stderr
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", "setup", "PYTHON=python3"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert dry[:2] == ["python3 scripts/check-python.py", "python3 -m venv .venv"]


@pytest.mark.build
def test_serve_works_on_a_laptop_without_pagefind(tmp_path):
    """`make serve` without npm's Pagefind: the preview is served, with no search and a
    warning saying so (the deploy build still requires it: `finish_site`)."""
    from conftest import RepoFactory
    from test_serve import _free_port, _wait_for

    root = RepoFactory(tmp_path)()
    copy_site_sources(ROOT, root, names=SITE_WITHOUT_DATA)
    port = _free_port()
    env = {
        **os.environ,
        "SMESA_TODAY": "2026-11-26",
        "NO_MKDOCS_2_WARNING": "1",
        "SMESA_PAGEFIND": str(tmp_path / "no-pagefind-here"),
    }
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root, stdout=out, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        try:
            _wait_for(f"http://127.0.0.1:{port}/cases/alpha-finance/", "Faster loans", 180)
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert "Pagefind is not installed: this preview has no search" in log.read_text("utf-8")
