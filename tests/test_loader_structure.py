"""No file under data/, however made, crashes, hangs or leaks: links, pipes, hidden files,
nesting, sizes and odd values all end as located findings."""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import TODAY, RepoFactory, baseline, check, smesa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_loader import within

from smesa.check.engine import run_rules
from smesa.check.rules import BY_ID
from smesa.data import models
from smesa.data.loader import (
    _NESTING_INDICATORS,
    _NESTING_TABLE,
    COMPOSE_SAFE_DEPTH,
    MAX_FILE_BYTES,
    _may_nest_deeper_than_safe,
)
from smesa.data.repository import load_repository

SECRET = "token-from-outside-the-repository"
PRESIDIUM = "data/presidium/presidium-2025-2028.yml"
NO_LINK = "put the file itself here instead of a link"


def sm004(root: Path) -> list[tuple[str, int, int, str, str]]:
    with within(20):
        findings = check(root)
    assert all(SECRET not in f.message for f in findings)
    return [(f.path, f.line, f.column, f.message, f.fix) for f in findings if f.rule == "SM004"]


def _outside_file(root: Path) -> Path:
    outside = root.parent / f"{root.name}-outside.yml"
    outside.write_text(f"id: gamma\nsecret: {SECRET}\n", "utf-8")
    return outside


def _link_out(path: Path, root: Path) -> None:
    path.symlink_to(_outside_file(root))


def _relative_link_out(path: Path, root: Path) -> None:
    _outside_file(root)
    path.symlink_to(Path(os.path.relpath(root.parent, path.parent), f"{root.name}-outside.yml"))


def _link_into_git(path: Path, root: Path) -> None:
    (root / ".git").mkdir(exist_ok=True)
    (root / ".git" / "config").write_text(f"[user]\n  name = {SECRET}\n")
    path.symlink_to(Path(os.path.relpath(root, path.parent), ".git", "config"))


def _hidden_folder(path: Path, root: Path) -> None:
    path.mkdir()
    (path / "gamma.yml").write_text("id: gamma\n")


# What to make at data/members/<name>; the finding's message after "<path> is "; its fix.
SPECIAL: dict[str, tuple[str, Callable[[Path, Path], object], str, str]] = {
    "link-out": (
        "gamma.yml",
        _link_out,
        "a link to '{outside}', out of the repository: it is not read",
        NO_LINK,
    ),
    "relative-link-out": (
        "up.yml",
        _relative_link_out,
        "a link to '../../../{root}-outside.yml', out of the repository: it is not read",
        NO_LINK,
    ),
    "link-to-dev-zero": (
        "zero.yml",
        lambda path, root: path.symlink_to("/dev/zero"),
        "a link to '/dev/zero', out of the repository: it is not read",
        NO_LINK,
    ),
    "dangling-link": (
        "gone.yml",
        lambda path, root: path.symlink_to("missing.yml"),
        "a link to 'missing.yml', which leads to a missing file",
        NO_LINK,
    ),
    "link-loop": (
        "loop.yml",
        lambda path, root: path.symlink_to(path.name),
        "a link to 'loop.yml', which leads to a loop of links",
        NO_LINK,
    ),
    "link-to-a-folder": (
        "cases",
        lambda path, root: path.symlink_to(root / "data"),
        "a link to the folder '{root_path}/data': links to folders are not followed",
        NO_LINK,
    ),
    "link-into-git": (
        "config.yml",
        _link_into_git,
        "a link to '../../.git/config', a hidden file: it is not read",
        NO_LINK,
    ),
    "named-pipe": (
        "pipe.yml",
        lambda path, root: os.mkfifo(path),
        "a named pipe, not a regular file: it is not read",
        "delete it",
    ),
    "socket": (
        "sock.yml",
        lambda path, root: _bind_socket(path),
        "a socket, not a regular file: it is not read",
        "delete it",
    ),
    "folder-named-like-a-record": (
        "delta.yml",
        lambda path, root: path.mkdir(),
        "a folder named like a record file",
        "rename the folder, or make it a file",
    ),
    "desktop-services-store": (
        ".DS_Store",
        lambda path, root: path.write_bytes(b"\x00\x00\x00\x01Bud1"),
        "a hidden file made by the system or an editor",
        "delete it",
    ),
    "hidden-record": (
        ".gamma.yml",
        lambda path, root: path.write_text("id: gamma\n"),
        "a hidden file (its name starts with '.'): it would never be checked or published",
        "delete it, or rename it without the leading '.'",
    ),
    "hidden-folder": (
        ".drafts",
        _hidden_folder,
        "a hidden folder (its name starts with '.'): it would never be checked or published",
        "delete it, or rename it without the leading '.'",
    ),
    "placeholder": (
        ".gitkeep",
        lambda path, root: path.write_bytes(b""),
        "a hidden file that keeps a folder",
        "delete it: a data folder needs no placeholder",
    ),
    "bidi-override-in-name": (
        "\u202elmy.yml",
        lambda path, root: path.write_text("id: gamma\n"),
        "named with invisible, control or non-UTF-8 characters",
        "rename it with letters, digits and hyphens",
    ),
}


def _bind_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays


@pytest.mark.parametrize("case", SPECIAL, ids=str)
def test_SM004_file_not_regular(make_repo, case):
    name, make, message, fix = SPECIAL[case]
    root = make_repo()
    make(root / "data" / "members" / name, root)
    path = f"data/members/{name}".replace("\u202e", "\\u202e")
    message = message.format(
        outside=root.parent / f"{root.name}-outside.yml", root=root.name, root_path=root
    )
    assert sm004(root) == [(path, 1, 1, f"{path} is {message}", fix)]


def test_SM004_a_name_that_is_not_utf8(make_repo):
    root = make_repo()
    (root / "data" / "members").joinpath(os.fsdecode(b"caf\xe9.yml")).write_text("id: x\n")
    assert sm004(root) == [
        (
            "data/members/caf\\xe9.yml",
            1,
            1,
            "data/members/caf\\xe9.yml is named with invisible, control or non-UTF-8 characters",
            "rename it with letters, digits and hyphens",
        )
    ]


def test_SM004_data_itself_a_link_out_of_the_repository(make_repo, tmp_path):
    root = make_repo()
    elsewhere = tmp_path / "elsewhere"
    (root / "data").rename(elsewhere)
    (root / "data").symlink_to(elsewhere)
    assert sm004(root) == [
        ("data", 1, 1, "data is a link out of the repository: nothing is read", NO_LINK)
    ]


def test_a_link_to_a_record_inside_the_repository_is_read(make_repo):
    files = baseline()
    member = copy.deepcopy(files["data/members/beta.yml"])
    member["id"], member["economy"] = "gamma", "XX"
    root = make_repo(raw={"shared/gamma.yml": yaml.safe_dump(member, allow_unicode=True)})
    (root / "data/members/gamma.yml").symlink_to("../../shared/gamma.yml")
    with within(20):
        repo = load_repository(root, TODAY)
        findings = run_rules(repo)
    assert "gamma" in repo.index(models.Member)
    # Located in the file the link points to.
    assert [(f.path, f.line, f.column, f.rule) for f in findings if "gamma" in f.path] == [
        ("data/members/gamma.yml", 1, 10, "SM201")  # economy: XX, the first key
    ]


def test_check_command_ends_on_a_pipe_and_deep_nesting(make_repo):
    # A real process, as CI runs it: the pipe used to hang it for ever, the nesting to
    # end it with a segmentation fault (exit 139) and no output.
    root = make_repo(raw={"data/cases/2025/deep.yml": "id: deep\nbody: " + "[" * 30_000})
    os.mkfifo(root / "data/members/pipe.yml")
    done = subprocess.run(
        [sys.executable, "-m", "smesa.cli", "check", "--today", TODAY.isoformat()],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (1, "")
    assert [line.split(" (")[0] for line in done.stdout.splitlines()[:-1]] == [
        "data/cases/2025/deep.yml:2:39: error SM001 nesting deeper than 32 levels",
        "data/members/pipe.yml:1:1: error SM004 data/members/pipe.yml is a named pipe, "
        "not a regular file: it is not read",
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [((9999, 1, 1), (9999, 12, 31)), ((9998, 3, 1), (9999, 12, 31)), ((9997, 2, 28), None)],
)
def test_SM605_a_term_that_would_end_after_9999(make_repo, start, end):
    record = copy.deepcopy(baseline()[PRESIDIUM])
    record["start"] = dt.date(*start)
    record["end"] = dt.date(*end) if end else dt.date.max
    with within(20):
        found = [(f.rule, f.line, f.message) for f in check(make_repo(changes={PRESIDIUM: record}))]
    assert (
        "SM605",
        3,
        f"a 3-year Presidium term from {dt.date(*start)} would end after 9999-12-31, "
        "the last date the tools can hold",
    ) in found


@pytest.mark.parametrize(
    "pattern",
    ["a{99999999999}", "(" * 5000 + ")" * 5000],
    ids=["overflowing-repeat", "nested-groups"],
)
def test_a_pattern_re_cannot_compile_is_a_finding(make_repo, pattern):
    root = make_repo()
    path = root / "data/reference/nomenclature.yml"
    terms = yaml.safe_load(path.read_text("utf-8"))
    terms["terms"][0]["pattern"] = pattern
    path.write_text(yaml.safe_dump(terms, allow_unicode=True, sort_keys=False), "utf-8")
    with within(20):
        found = [f for f in check(root) if f.path == "data/reference/nomenclature.yml"]
    assert [(f.rule, f.message.split(": ")[:2]) for f in found] == [
        ("SM002", ["terms[0].pattern", "pattern is not a valid regular expression"])
    ]


def test_a_validator_that_raises_is_a_finding(make_repo, monkeypatch):
    # pydantic lets exceptions other than ValueError through its validators.
    def overflow(data: object) -> None:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(models.Member, "model_validate", overflow)
    findings = check(make_repo())
    assert sorted({(f.path, f.line, f.rule, f.message) for f in findings if f.rule == "SM002"}) == [
        (
            f"data/members/{name}.yml",
            1,
            "SM002",
            "the record cannot be validated: 'date value out of range'",
        )
        for name in ("alpha", "beta")
    ]


# -- generated structure ---------------------------------------------------------------

_depths = st.one_of(
    st.sampled_from([0, 1, 31, 32, 33, 34, 199, 200, 201, 30_000]), st.integers(0, 300)
)


def _nested(kind: str, depth: int) -> str:
    if kind == "flow-sequence":
        return "[" * depth + "x" + "]" * depth
    if kind == "flow-mapping":
        return "{a: " * depth + "x" + "}" * depth
    if kind == "unclosed":
        return "[" * depth
    if kind == "compact":
        return "\n" + "- " * depth + "x"
    if kind == "explicit-keys":
        return "\n" + "? " * depth + "x"
    return (
        "\n" + "".join(" " * level + "k:\n" for level in range(min(depth, 700))) + " " * 701 + "x"
    )


_bodies = st.one_of(
    st.builds(
        _nested,
        st.sampled_from(
            ["flow-sequence", "flow-mapping", "unclosed", "compact", "explicit-keys", "indented"]
        ),
        _depths,
    ).map(lambda nested: f"id: gamma\nbody: {nested}\n".encode()),
    st.binary(max_size=300),
    st.integers(1, 6000).map(lambda digits: b"id: gamma\nyear: " + b"9" * digits + b"\n"),
    # With the byte order mark: MAX_FILE_BYTES exactly, one byte more, far more.
    st.sampled_from([MAX_FILE_BYTES - 19, MAX_FILE_BYTES - 18, 2 * MAX_FILE_BYTES]).map(
        lambda size: b"\xef\xbb\xbfid: gamma\nbody: '" + b"x" * size + b"'\n"
    ),
    st.sampled_from(["0001-01-01", "9999-12-31", "2025-02-29", "0000-01-01"]).map(
        lambda day: f"id: gamma\njoined: {day}\nstart: {day}\nend: {day}\n".encode()
    ),
)

_SPECIAL_KINDS = sorted(SPECIAL)


@st.composite
def _trees(draw: st.DrawFn) -> list[tuple[str, str, bytes | str]]:
    """(folder under data/, kind of entry, YAML bytes or a SPECIAL key)"""
    folders = st.sampled_from(["members", "cases/2025", "presidium", "reference", "notes", ""])
    entries = draw(
        st.lists(
            st.tuples(
                folders,
                st.one_of(
                    st.tuples(st.just("file"), _bodies),
                    st.tuples(st.just("special"), st.sampled_from(_SPECIAL_KINDS)),
                ),
            ),
            max_size=4,
        )
    )
    return [(folder, kind, what) for folder, (kind, what) in entries]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_trees())
def test_any_tree_gives_located_findings_only(tree):
    with tempfile.TemporaryDirectory() as tmp:
        root = RepoFactory(Path(tmp))()
        expected: set[str] = set()
        for index, (folder, kind, what) in enumerate(tree):
            where = root / "data" / folder
            where.mkdir(parents=True, exist_ok=True)
            if kind == "file":
                name = f"gamma-{index}.yml"
                (where / name).write_bytes(what)
            else:
                name, make, _, _ = SPECIAL[what]
                name = f".{index}-{name[1:]}" if name.startswith(".") else f"x{index}-{name}"
                make(where / name, root)
                expected.add(f"data/{folder}/{name}".replace("//", "/"))
        with within(30):
            findings = run_rules(load_repository(root, TODAY))
    for finding in findings:
        assert finding.rule in BY_ID
        assert finding.path.startswith("data") and finding.path.isprintable()
        assert finding.line >= 1 and finding.column >= 1
        assert finding.message and finding.fix
        assert SECRET not in finding.message and len(finding.message) < 1000
    reported = {f.path for f in findings if f.rule == "SM004"}
    assert {path.replace("\u202e", "\\u202e") for path in expected} <= reported


_yaml_shapes = st.lists(
    st.sampled_from(
        ["- ", "? ", ": ", "a: ", "a:", "-", "\n", " ", "  ", "    ", "[", "]", "{", "}", ",", "a"]
    ),
    max_size=120,
).map("".join)


def _depth(raw: bytes) -> int | None:
    """Deepest nesting of collections, from libyaml's events; None if the YAML is invalid."""
    depth = deepest = 0
    try:
        for event in yaml.parse(raw, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return deepest


@settings(max_examples=1500, deadline=None)
@given(_yaml_shapes)
def test_the_nesting_bound_holds(source):
    # What `_may_nest_deeper_than_safe` relies on: depth <= 4 * (longest run of blanks
    # once indicators are removed) + 2 + (number of '[' and '{').
    raw = source.encode()
    depth = _depth(raw)
    shape = raw.translate(_NESTING_TABLE, _NESTING_INDICATORS)
    blanks = max((len(run) for run in re.findall(rb"[ ]+", shape)), default=0)
    if depth is not None:
        assert depth <= 4 * blanks + 2 + shape.count(b"[")
    if not _may_nest_deeper_than_safe(raw):
        assert (depth or 0) <= COMPOSE_SAFE_DEPTH


def test_fmt_does_not_read_a_named_pipe_given_by_name(make_repo):
    from smesa.tools.fmt import rewrite

    root = make_repo()
    os.mkfifo(root / "data/members/pipe.yml")
    with within(20):
        outcome = rewrite(root, "data/members/pipe.yml", check_only=True)
        result = smesa("fmt", "--check", "data/members/pipe.yml", cwd=root)
    assert (outcome.status, outcome.detail) == ("refused", "not a regular file: a named pipe")
    assert result.returncode == 2 and "Traceback" not in result.stderr
