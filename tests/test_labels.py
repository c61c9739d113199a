"""Label files: every word of our own in both languages, read again when a file changes
(a `mkdocs serve` rebuild shows an edited label without a restart)."""

from __future__ import annotations

import os

import pytest

from smesa.data.texts import REPORT_LABELS, SITE_LABELS, TEMPLATES_DIR, labels

LABEL_FILES = sorted(p.name for p in TEMPLATES_DIR.glob("*.yml"))


def test_an_edited_label_file_is_read_again(tmp_path):
    path = tmp_path / "words.yml"
    path.write_text("greeting: {en: Hello, zh: 你好}\n", "utf-8")
    assert labels(str(path))["greeting"]["en"] == "Hello"
    stat = path.stat()
    path.write_text("greeting: {en: Welcome, zh: 欢迎}\n", "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even within the same tick
    assert labels(str(path))["greeting"]["en"] == "Welcome"


def test_the_site_and_report_label_files_are_among_the_label_files():
    assert {SITE_LABELS, REPORT_LABELS} <= set(LABEL_FILES)


def _leaves(node, path=()):
    if (
        isinstance(node, dict)
        and set(node) & {"en", "zh"}
        and not any(isinstance(v, dict) for v in node.values())
    ):
        yield path, node
    elif isinstance(node, dict):
        for key, child in node.items():
            yield from _leaves(child, (*path, key))


@pytest.mark.parametrize("name", [n for n in LABEL_FILES if not n.startswith("messages")])
def test_every_label_has_both_languages(name):
    missing = [
        "/".join(map(str, path))
        for path, words in _leaves(labels(name))
        # An English label may be empty (a note only Chinese pages need), never absent.
        if "en" not in words or not words.get("zh")
    ]
    assert missing == []
