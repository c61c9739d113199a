"""YAML's traps never reach a model; every value keeps its line and column."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smesa.data.loader import (
    MAX_FILE_BYTES,
    Document,
    LoadProblem,
    _first_too_deep,
    _may_nest_deeper_than_safe,
    load_bytes,
    load_file,
)


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail, rather than hang, when the block takes longer (it may block in a system call:
    the alarm's exception interrupts it)."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def problems(source: str | bytes) -> list[tuple[int, int, str]]:
    raw = source.encode("utf-8") if isinstance(source, str) else source
    return [(p.line, p.column, p.message) for p in load_bytes(raw).problems]


def test_yaml_11_booleans_stay_strings():
    doc = load_bytes(b"a: no\nb: NO\nc: off\nd: yes\ne: on\nf: true\ng: false\n")
    assert doc.data == {
        "a": "no",
        "b": "NO",
        "c": "off",
        "d": "yes",
        "e": "on",
        "f": True,
        "g": False,
    }
    assert yaml.safe_load("a: no") == {"a": False}  # what PyYAML alone would have done


def test_numbers_with_leading_zeros_stay_strings():
    doc = load_bytes(b"a: 01234\nb: 1234\nc: 0o17\nd: 0x1F\ne: 1_000\nf: 12.50\ng: -3\nh: 1e3\n")
    assert doc.data == {
        "a": "01234",
        "b": 1234,
        "c": "0o17",
        "d": "0x1F",
        "e": "1_000",
        "f": 12.5,
        "g": -3,
        "h": "1e3",
    }
    assert yaml.safe_load("a: 01234") == {"a": 668}


def test_quoted_values_are_always_strings():
    doc = load_bytes(b"a: '2025'\nb: \"true\"\nc: '2025-01-01'\nd: ''\n")
    assert doc.data == {"a": "2025", "b": "true", "c": "2025-01-01", "d": ""}


def test_plain_dates_and_nulls():
    doc = load_bytes(b"a: 2025-03-01\nb:\nc: ~\nd: null\ne: 2025-03-01T10:00:00\nf: 1:20\n")
    assert doc.data == {
        "a": dt.date(2025, 3, 1),
        "b": None,
        "c": None,
        "d": None,
        "e": "2025-03-01T10:00:00",
        "f": "1:20",
    }


def test_impossible_date_is_a_located_problem():
    assert problems("id: x\nwhen: 2025-02-30\n") == [
        (2, 7, "'2025-02-30' is not a real calendar date")
    ]


def test_duplicate_keys_are_all_reported_with_both_lines():
    doc = load_bytes(b"a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert [(p.line, p.column, p.message) for p in doc.problems] == [
        (4, 3, "duplicate key 'c' (first written at line 3)"),
        (5, 1, "duplicate key 'a' (first written at line 1)"),
    ]


def test_every_value_and_key_is_located():
    doc = load_bytes("id: x\ntitle:\n  en: Hi\n  zh: 你好\nlist:\n  - 1\n  - two\n".encode())
    assert doc.values == {
        (): (1, 1),
        ("id",): (1, 5),
        ("title",): (3, 3),
        ("title", "en"): (3, 7),
        ("title", "zh"): (4, 7),
        ("list",): (6, 3),
        ("list", 0): (6, 5),
        ("list", 1): (7, 5),
    }
    assert doc.keys[("title", "zh")] == (4, 3)
    assert doc.position(("title", "missing", 3)) == (3, 3)


def test_columns_count_characters_not_bytes():
    doc = load_bytes("标题: 你好\nx: [中文, b]\n".encode())
    assert doc.values[("x", 1)] == (2, 9)


def test_byte_order_mark_is_accepted():
    assert load_bytes(b"\xef\xbb\xbfid: x\n").data == {"id": "x"}


def test_non_utf8_is_located():
    assert problems(b"id: x\nname: caf\xe9\n") == [(2, 10, "file is not valid UTF-8")]


def test_tab_indentation_is_located():
    assert problems("id: x\ntitle:\n\ten: Hi\n") == [(3, 1, "tab used for indentation")]


def test_size_cap(tmp_path):
    big = b"a: '" + b"x" * MAX_FILE_BYTES + b"'\n"
    assert problems(big)[0][2].startswith("file is ")
    path = tmp_path / "big.yml"
    path.write_bytes(big)
    assert "over the limit" in load_file(path).problems[0].message


def test_alias_bomb_is_refused_quickly():
    lines = ["a: &a ['x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x']"]
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        lines.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{', '.join(['*' + prev] * 9)}]")
    found = problems("\n".join(lines))
    assert found == [(1, 4, "anchors and aliases (&name, *name) are not allowed")]


def test_custom_tags_are_refused():
    assert problems("a: !!python/object/apply:os.system ['ls']\n") == [
        (1, 4, "custom YAML tag '!!python/object/apply:os.system' is not allowed")
    ]
    assert problems("a: !include other.yml\n") == [
        (1, 4, "custom YAML tag '!include' is not allowed")
    ]


def test_structure_problems():
    assert problems("") == [(1, 1, "file is empty")]
    assert problems("- a\n- b\n") == [(1, 1, "a record must be a YAML mapping of keys to values")]
    assert problems("a: 1\n---\nb: 2\n") == [(2, 1, "YAML syntax: but found another document")]
    assert problems("title: Cost: down\n") == [
        (1, 12, "YAML syntax: mapping values are not allowed in this context")
    ]
    assert problems("? [a, b]\n: c\n") == [(1, 3, "a key must be plain text")]


def test_deep_nesting_is_refused():
    assert problems("a: " + "[" * 40 + "]" * 40)[0][2] == "nesting deeper than 32 levels"


def test_unreadable_file(tmp_path):
    assert load_file(tmp_path / "absent.yml").problems[0].message.startswith("cannot read file")


def _check_document(doc: Document) -> None:
    assert isinstance(doc, Document)
    for problem in doc.problems:
        assert isinstance(problem, LoadProblem)
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message
    if doc.problems and not all(p.message.startswith("duplicate key") for p in doc.problems):
        assert doc.data is None
    if doc.data is not None:
        assert isinstance(doc.data, dict)
        for line, column in doc.values.values():
            assert line >= 1 and column >= 1


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_only_ever_give_located_findings(raw):
    _check_document(load_bytes(raw))


_yaml_text = st.lists(
    st.sampled_from(
        [
            "a:",
            " b:",
            "  - ",
            "- ",
            "&x ",
            "*x",
            "!tag ",
            "!!str ",
            "? ",
            ": ",
            "{",
            "}",
            "[",
            "]",
            ",",
            "'",
            '"',
            "|",
            ">",
            "#",
            "\n",
            "\t",
            " ",
            "no",
            "01234",
            "2025-02-30",
            "2025-01-01",
            "~",
            "---",
            "...",
            "%YAML 1.1\n",
            "中文",
            "\ufeff",
            "\x00",
            "<<: ",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=600, deadline=None)
@given(_yaml_text)
def test_arbitrary_yaml_only_ever_gives_located_findings(source):
    _check_document(load_bytes(source.encode("utf-8")))


@pytest.mark.parametrize("source", ["a: [1, 2", "a: {b", "a: 'x", 'a: "x', "- a\nb: c", ":"])
def test_syntax_errors_are_located(source):
    found = problems(source)
    assert len(found) == 1
    assert found[0][2].startswith(("YAML syntax", "a record must"))


def test_a_5000_digit_integer_is_a_located_problem():
    # int() refuses more than 4,300 digits with a ValueError: that was a traceback.
    assert problems("id: x\nyear: " + "1" * 5000 + "\n") == [
        (2, 7, "number with 5,000 digits is too large: '" + "1" * 40 + "'… (5,000 characters)")
    ]


def test_integers_fit_in_64_bits_and_floats_are_finite():
    assert load_bytes(b"a: 9223372036854775807\nb: -9223372036854775807\n").data == {
        "a": 2**63 - 1,
        "b": -(2**63) + 1,
    }
    assert problems("a: 9223372036854775808\n") == [
        (1, 4, "number with 19 digits is too large: '9223372036854775808'")
    ]
    assert problems("a: 1" + "0" * 400 + ".5\n")[0][:2] == (1, 4)  # float() gives inf
    assert load_bytes(b"a: 1e999\n").data == {"a": "1e999"}  # not a number in our schema


def test_a_long_value_is_cut_short_in_its_message():
    (message,) = (p.message for p in load_bytes(b"a: !!int " + b"x" * 1000 + b"\n").problems)
    assert message == "'" + "x" * 40 + "'… (1,000 characters) cannot be read as int"


def _load_in_a_child(raw: bytes) -> subprocess.CompletedProcess[str]:
    """load_bytes in its own process: a crash of libyaml's C code must fail the test,
    not end the test run."""
    code = (
        "import sys; from smesa.data.loader import load_bytes; "
        "d = load_bytes(sys.stdin.buffer.read()); "
        "print([(p.line, p.column, p.message) for p in d.problems])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        input=raw.decode(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (b"id: x\nbody: " + b"[" * 30_000, (2, 39)),  # 60 KB of '[' crashed the composer
        (b"id: x\nbody: " + b"{a: " * 30_000, (2, 135)),
        (b"id: x\nbody:\n" + b"- " * 30_000 + b"x\n", (3, 65)),  # block, compact
        (b"id: x\nbody:\n" + b"? " * 30_000 + b"x\n", (3, 67)),
        (b"body:\n" + b"".join(b" " * i + b"- k:\n" for i in range(0, 700, 2)), (18, 33)),
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences", "explicit-keys", "indented"],
)
def test_deep_nesting_is_refused_before_composing(raw, where):
    done = _load_in_a_child(raw)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == repr([(*where, "nesting deeper than 32 levels")])


def test_a_nesting_walk_reports_what_the_builder_would():
    # Below the composer's safe depth the builder refuses; above it, the event walk: the
    # same message, at the same node.
    raw = b"a: " + b"[" * 40 + b"]" * 40 + b"\n"
    assert not _may_nest_deeper_than_safe(raw)
    assert load_bytes(raw).problems == [_first_too_deep(raw)]


def test_reading_a_named_pipe_neither_blocks_nor_reads(tmp_path):
    fifo = tmp_path / "pipe.yml"
    os.mkfifo(fifo)
    with within(5):  # opening a pipe with no writer used to block for ever
        found = [p.message for p in load_file(fifo).problems]
    assert found == ["not a regular file: a named pipe"]


def test_a_device_is_not_read(tmp_path):
    with within(5):  # /dev/zero never ends: it used to be read until memory ran out
        found = [p.message for p in load_file(Path("/dev/zero")).problems]
    assert found == ["not a regular file: a character device"]
    link = tmp_path / "zero.yml"
    link.symlink_to("/dev/zero")
    # load_file never follows a link: the repository vets links first.
    assert [p.message for p in load_file(link).problems] == ["not a regular file: a link"]


def test_a_folder_is_not_read(tmp_path):
    assert [p.message for p in load_file(tmp_path).problems] == ["not a regular file: a folder"]
