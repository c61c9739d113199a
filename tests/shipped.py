"""Mutation tests of the shipped data: a copy of data/ to change one thing in.

A test module makes its fixture from `copy_of_shipped`, changes one thing with `edit`,
and asserts a finding on the copy that the shipped data (ROOT) does not have.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT


def copy_of_shipped(tmp_path: Path) -> Path:
    """A copy of the shipped data/ under `tmp_path`, to mutate."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "data", root / "data")
    return root


def edit(root: Path, path: str, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new` in one file of `root`."""
    file = root / path
    text = file.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), "utf-8")
