"""Which lines a change touched, from git: pull-request annotations go on those only."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

_FILE = re.compile(r"^\+\+\+ b/(.*)$")
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class ChangedLinesError(Exception):
    """git could not say what changed (not a repository, unknown ref)."""


def _git(root: Path, *args: str) -> str:
    # CI runs as root in a container on a checkout that belongs to the runner's user:
    # git then refuses the repository ("dubious ownership") unless told it is safe. Only
    # the repository being checked is named, and only for this command.
    trusted = f"safe.directory={root.resolve().as_posix()}"
    try:
        done = subprocess.run(
            ["git", "-c", trusted, *args], cwd=root, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise ChangedLinesError(f"cannot run git: {error.strerror}") from None
    if done.returncode != 0:
        raise ChangedLinesError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def changed_lines(root: Path, ref: str) -> frozenset[tuple[str, int]]:
    """Lines added or changed in the working tree since the merge base of `ref` and HEAD,
    untracked files included (all their lines)."""
    base = _git(root, "merge-base", ref, "HEAD").strip()
    diff = _git(
        root, "diff", "--unified=0", "--no-color", "--no-ext-diff", "--relative", base, "--", "."
    )
    found: set[tuple[str, int]] = set()
    path = None
    for line in diff.splitlines():
        if match := _FILE.match(line):
            path = match.group(1)
        elif line.startswith("+++ "):
            path = None  # deleted file
        elif path and (hunk := _HUNK.match(line)):
            start, length = int(hunk.group(1)), int(hunk.group(2) or 1)
            found.update((path, n) for n in range(start, start + length))
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--", ".")
    for rel in untracked.splitlines():
        try:
            count = (root / rel).read_bytes().count(b"\n") + 1
        except OSError:
            continue
        found.update((rel, n) for n in range(1, count + 1))
    return frozenset(found)
