"""CI as GitHub runs it: in a container, as root, on a checkout owned by another user."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _git(root, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_changed_since_works_on_a_checkout_owned_by_another_user(make_repo, tmp_path):
    # GitHub's runner checks out as its user (uid 1001); the job's container runs as
    # root with an empty HOME: git calls that "dubious ownership" and refuses.
    if os.geteuid() != 0:
        pytest.fail("this test reproduces CI, which runs as root: run it as root")
    root = make_repo()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    member = root / "data/members/alpha.yml"
    member.write_text(member.read_text().replace("economy: PRC", "economy: XX"), "utf-8")
    subprocess.run(["chown", "-R", "1001:1001", str(root)], check=True)
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8"}
    refused = subprocess.run(
        ["git", "status"], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert "dubious ownership" in refused.stderr  # the situation is reproduced
    command = [sys.executable, "-m", "smesa.cli", "check", "--format", "github"]
    result = subprocess.run(
        [*command, "--changed-since", "main", "--today", "2026-11-26"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "dubious" not in result.stderr
    assert "::error file=data/members/alpha.yml,line=6,col=10,title=SM201 apec-economy" in (
        result.stdout
    )
