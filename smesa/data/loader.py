"""Strict YAML loading with a location for every value.

PyYAML's safe loader follows YAML 1.1: `no`/`off` become booleans, `01234` becomes
668, a repeated key silently keeps the last value, and anchors allow alias bombs. None
of that may reach a model. This module composes the node graph with libyaml (fast) and
builds plain values itself under a small, explicit schema:

- `true`/`false` are booleans, `null`/`~`/empty are null;
- plain decimal integers without leading zeros are ints, plain decimals are floats;
- plain `YYYY-MM-DD` is a date;
- everything else is a string (quoted scalars are always strings).

It returns the data and a table of `(line, column)` for every value and every key, so
that any finding can point at the exact spot. It never raises for bad input: problems
come back as `LoadProblem`s. It reads regular files only (never a pipe or a device,
which would hang or exhaust memory), and bounds nesting before libyaml composes: its
composer recurses in C, and a deep enough file would crash the process.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.cyaml import CParser
from yaml.events import MappingEndEvent, MappingStartEvent, SequenceEndEvent, SequenceStartEvent
from yaml.nodes import ScalarNode, SequenceNode

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 32
# A plain integer must fit in 64 bits: records hold years, counts and measured values,
# and Python's int() refuses more than 4,300 digits.
MAX_INT = 2**63 - 1
# libyaml's composer needs about 300 bytes of C stack per level: composing is safe well
# past this depth, even in a thread with a small stack. Deeper files are walked first.
COMPOSE_SAFE_DEPTH = 200

Path_ = tuple[str | int, ...]
Position = tuple[int, int]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_DATE = "tag:yaml.org,2002:timestamp"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_ALLOWED_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _DATE, _SEQ, _MAP})

_EXACT = {"": _NULL, "~": _NULL, "null": _NULL, "true": _BOOL, "false": _BOOL}
_NUMERIC_START = frozenset("0123456789+-")
_TEXT_KEYS = frozenset(("en", "zh"))
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LEADING_TAB_RE = re.compile(rb"^[ ]*\t", re.MULTILINE)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A reason a file could not be read, with where and how to fix it."""

    line: int
    column: int
    message: str
    fix: str


@dataclass(slots=True)
class Document:
    """One YAML file: its data and the position of every value and key in it.

    Positions are taken on demand: most files have no finding, and recording a position
    for each of their values would cost a sixth of the loading time. The first question
    about a position parses the file's bytes again, this time keeping them.
    """

    data: Any = None
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)
    styles: dict[Path_, str] = field(default_factory=dict)  # of quoted and block strings
    texts: list[tuple[Path_, str, str]] = field(default_factory=list)  # (path, en|zh, text)
    raw: bytes = b""
    located: bool = True
    # Where to read the bytes again when `raw` was not kept (parsed in another process).
    file: Path | None = None

    def locate(self) -> None:
        """Fill in the positions of values and keys, if the loader did not keep them."""
        if self.located:
            return
        self.located = True
        raw = self.raw
        if not raw and self.file is not None:
            read = read_regular_file(self.file)
            if isinstance(read, LoadProblem):
                return  # positions fall back to the start of the file
            raw = read
        fresh = load_bytes(raw, locate=True)
        self.values, self.keys, self.styles = fresh.values, fresh.keys, fresh.styles
        self.raw = fresh.raw  # text_position reads the lines of block texts

    def position(self, path: Path_) -> Position:
        """Where the value at `path` is, or its nearest enclosing value when it is absent."""
        self.locate()
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return (1, 1)

    def text_position(self, path: Path_, text: str, offset: int) -> Position:
        """Where character `offset` of the string at `path` stands in the file.

        Exact for single-line scalars and literal blocks (`|`), the usual forms of our
        texts; for other multi-line forms it falls back to where the value starts.
        """
        line, column = self.position(path)  # locates
        style = self.styles.get(path)
        if "\n" not in text:
            return line, column + offset + (1 if style in ("'", '"') else 0)
        if style != "|":
            return line, column
        line_index = text.count("\n", 0, offset)
        in_line = offset - (text.rfind("\n", 0, offset) + 1)
        source_lines = self.raw.decode("utf-8", "replace").splitlines()
        target = line + line_index  # the block's text starts on the line after `|`
        if target >= len(source_lines):
            return line, column
        source = source_lines[target]
        indent = len(source) - len(source.lstrip(" "))
        return target + 1, indent + in_line + 1

    def key_position(self, path: Path_) -> Position:
        """Where the key of `path` is written (for unknown or duplicate keys)."""
        self.locate()
        return self.keys.get(path) or self.position(path)


class _Composer(CParser):
    """libyaml's composer with our resolver: only the tags listed above, no YAML 1.1 traps."""

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR
            exact = _EXACT.get(value)  # type: ignore[arg-type]
            if exact is not None:
                return exact
            if value[:1] not in _NUMERIC_START:  # type: ignore[index]
                return _STR  # most scalars are text: no regular expression for them
            if _INT_RE.fullmatch(value):
                return _INT
            if _FLOAT_RE.fullmatch(value):
                return _FLOAT
            if _DATE_RE.fullmatch(value):
                return _DATE
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    # libyaml's composer calls these for path-based resolvers, which we do not use.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _Invalid(Exception):
    """Internal: stops building one file at a located problem."""

    def __init__(self, problem: LoadProblem) -> None:
        self.problem = problem


def _line_col_at_byte(raw: bytes, offset: int) -> Position:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


class _Relocate(Exception):
    """Internal: a problem needs the positions this pass does not keep; start again."""


class _Builder:
    __slots__ = ("doc", "locate", "seen")

    def __init__(self, doc: Document, locate: bool) -> None:
        self.doc = doc
        self.locate = locate
        self.seen: set[int] = set()

    def build(self, node: Any, path: Path_) -> Any:
        if id(node) in self.seen:
            raise _Invalid(
                _problem(
                    node,
                    "anchors and aliases (&name, *name) are not allowed",
                    "write the value out in full where it is used",
                )
            )
        self.seen.add(id(node))
        if self.locate:
            mark = node.start_mark
            self.doc.values[path] = (mark.line + 1, mark.column + 1)
        if len(path) > MAX_DEPTH:
            raise _Invalid(
                _problem(node, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")
            )
        tag = node.tag
        if tag not in _ALLOWED_TAGS:
            raise _Invalid(
                _problem(
                    node,
                    f"custom YAML tag {tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed",
                    "remove the tag (the text starting with '!')",
                )
            )
        if isinstance(node, ScalarNode):
            if node.style and self.locate:
                self.doc.styles[path] = node.style
            return _scalar(node, tag)
        if isinstance(node, SequenceNode):
            if tag != _SEQ:
                raise _Invalid(_problem(node, f"a list cannot carry the tag {tag!r}", "remove it"))
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        if tag != _MAP:
            raise _Invalid(_problem(node, f"a mapping cannot carry the tag {tag!r}", "remove it"))
        result: dict[str, Any] = {}
        keys = self.doc.keys
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR, _INT):
                raise _Invalid(
                    _problem(key_node, "a key must be plain text", "write the key as a word")
                )
            key = key_node.value
            child = (*path, key)
            if key in result:
                if not self.locate:
                    raise _Relocate  # the message names the line of the first key
                key_mark = key_node.start_mark
                first = keys[child]
                self.doc.problems.append(
                    LoadProblem(
                        key_mark.line + 1,
                        key_mark.column + 1,
                        f"duplicate key {key!r} (first written at line {first[0]})",
                        "keep one of the two; YAML would silently drop the first",
                    )
                )
                continue
            if self.locate:
                key_mark = key_node.start_mark
                keys[child] = (key_mark.line + 1, key_mark.column + 1)
            value = result[key] = self.build(value_node, child)
            if key in _TEXT_KEYS and type(value) is str:
                self.doc.texts.append((child, key, value))
        return result


def _problem(node: Any, message: str, fix: str) -> LoadProblem:
    mark = node.start_mark
    return LoadProblem(mark.line + 1, mark.column + 1, message, fix)


def _scalar(node: ScalarNode, tag: str) -> Any:
    value = node.value
    if tag == _STR:
        return value
    if tag == _NULL:
        if value in ("", "~", "null"):
            return None
    elif tag == _BOOL:
        if value in ("true", "false"):
            return value == "true"
    elif tag == _INT:
        if _INT_RE.fullmatch(value):
            # Compare lengths first: int() refuses more than 4,300 digits.
            if len(value.lstrip("+-")) <= 19 and -MAX_INT <= (number := int(value)) <= MAX_INT:
                return number
            raise _Invalid(_too_large(node, value))
    elif tag == _FLOAT:
        if _FLOAT_RE.fullmatch(value):
            number = float(value)
            if math.isfinite(number):
                return number
            raise _Invalid(_too_large(node, value))
    elif _DATE_RE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _Invalid(
                _problem(node, f"{value!r} is not a real calendar date", "use YYYY-MM-DD")
            ) from None
    raise _Invalid(
        _problem(node, f"{shown(value)} cannot be read as {tag.rsplit(':', 1)[-1]}", "quote it")
    )


def _too_large(node: ScalarNode, value: str) -> LoadProblem:
    digits = sum(character.isdigit() for character in value)
    return _problem(
        node,
        f"number with {digits:,} digits is too large: {shown(value)}",
        "records hold years, counts and measured values: write a smaller number, "
        "or quote it if it is a code",
    )


def shown(value: str, limit: int = 40) -> str:
    """`value` quoted for a message, cut short: a finding must not echo a whole file."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value):,} characters)"


def load_bytes(raw: bytes, *, locate: bool = True) -> Document:
    """Parse one YAML document held in `raw`; problems are returned, never raised.

    With `locate=False` positions are recorded later, on the first question about one.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    doc = Document(raw=raw, located=locate)
    if len(raw) > MAX_FILE_BYTES:
        doc.problems.append(_over_size(len(raw)))
        return doc
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_col_at_byte(raw, error.start)
        doc.problems.append(
            LoadProblem(line, column, "file is not valid UTF-8", "save the file as UTF-8")
        )
        return doc
    tab = _LEADING_TAB_RE.search(raw)
    if tab:
        line, column = _line_col_at_byte(raw, tab.end() - 1)
        doc.problems.append(
            LoadProblem(line, column, "tab used for indentation", "indent with spaces only")
        )
        return doc
    if b"\x00" in raw:
        line, column = _line_col_at_byte(raw, raw.index(b"\x00"))
        doc.problems.append(LoadProblem(line, column, "NUL byte in file", "remove it"))
        return doc
    if _may_nest_deeper_than_safe(raw):
        too_deep = _first_too_deep(raw)
        if too_deep is not None:
            doc.problems.append(too_deep)
            return doc
    composer = _Composer(raw)
    try:
        node = composer.get_single_node()
        if node is None:
            doc.problems.append(
                LoadProblem(1, 1, "file is empty", "write the record as a YAML mapping")
            )
            return doc
        doc.data = _Builder(doc, locate).build(node, ())
    except _Relocate:
        return load_bytes(raw, locate=True)
    except _Invalid as invalid:
        doc.problems.append(invalid.problem)
        doc.data = None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = error.problem or error.context or "invalid YAML"
        doc.problems.append(LoadProblem(line, column, f"YAML syntax: {what}", _syntax_hint(what)))
        doc.data = None
    except (yaml.YAMLError, RecursionError) as error:
        doc.problems.append(LoadProblem(1, 1, f"YAML error: {error}", "fix the YAML syntax"))
        doc.data = None
    finally:
        composer.dispose()
    if doc.data is not None and not isinstance(doc.data, dict):
        doc.problems.append(
            LoadProblem(
                1,
                1,
                "a record must be a YAML mapping of keys to values",
                "start each line with a key and a colon, like 'id: export-coaching'",
            )
        )
        doc.data = None
    return doc


# For the nesting bound: blanks stay, flow brackets become '[', indicators go, all else
# becomes 'x'.
_NESTING_TABLE = bytes(
    32 if byte in b" \t" else 91 if byte in b"[{" else 120 for byte in range(256)
)
_NESTING_INDICATORS = b"-?:"
_FLOW_SAFE = 128
_BLANKS_SAFE = 16
assert 4 * _BLANKS_SAFE + _FLOW_SAFE <= COMPOSE_SAFE_DEPTH


def _may_nest_deeper_than_safe(raw: bytes) -> bool:
    """False when the file cannot nest deeper than `COMPOSE_SAFE_DEPTH`; cheap, and sound.

    Flow nesting is at most the number of '[' and '{'. A block collection is indented
    deeper than its parent (a sequence under a key may share the key's column), so block
    depth is at most twice the number of columns its collections start at. On its line,
    a collection has only blanks and '- ', '? ', ': ' indicators before it (anything else
    is a syntax error), each indicator followed by a blank: with the indicators removed,
    what precedes it is one run of blanks, at least half its column. With no run of
    `_BLANKS_SAFE` blanks, no collection starts past column 2 * _BLANKS_SAFE, and the
    file nests at most 4 * _BLANKS_SAFE + _FLOW_SAFE deep. Most files pass on one
    translation and two scans of their bytes; the rest are walked (`_first_too_deep`).
    tests/test_loader_structure.py checks the bound on generated YAML.
    """
    shape = raw.translate(_NESTING_TABLE, _NESTING_INDICATORS)
    return shape.count(b"[") > _FLOW_SAFE or b" " * _BLANKS_SAFE in shape


def _first_too_deep(raw: bytes) -> LoadProblem | None:
    """The first collection nested deeper than `MAX_DEPTH`, from libyaml's event stream.

    The stream is read one event at a time, without recursion, and the walk stops at the
    limit: a file of a million '[' costs as little as one of 34. Syntax errors are left
    for the composer to report, with its message (it meets them at the same event).
    """
    parser = CParser(raw)
    depth = 0
    try:
        while (event := parser.get_event()) is not None:
            kind = type(event)
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH + 1:  # the root mapping is level 0 of a key path
                    return _problem(
                        event, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure"
                    )
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    return None


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "quote text that contains ': ' (or use a '|' block)"
    if "found character" in problem and "cannot start any token" in problem:
        return "quote the value"
    if "another document" in problem:
        return "one record per file: remove the '---' separator and what follows"
    if "found duplicate anchor" in problem or "undefined alias" in problem:
        return "anchors and aliases are not allowed: write values out in full"
    return "check indentation and quoting near this spot"


def load_file(path: Path, *, locate: bool = True) -> Document:
    """Read and parse a regular file; anything else is a problem, not an exception."""
    raw = read_regular_file(path)
    if isinstance(raw, LoadProblem):
        return Document(problems=[raw])
    return load_bytes(raw, locate=locate)


def read_regular_file(path: Path) -> bytes | LoadProblem:
    """The bytes of the regular file at `path`, or why they were not read.

    A named pipe would block the reader for ever and a device (/dev/zero) never ends,
    and opening some devices has effects: the type is checked before opening, and again
    on what was opened (the path may have changed in between). A link is not followed;
    callers resolve and vet links first. Never more than the size limit is read.
    """
    try:
        before = os.lstat(path)
        if not stat.S_ISREG(before.st_mode):
            return LoadProblem(1, 1, f"not a regular file: {file_kind(before.st_mode)}", _REGULAR)
        if before.st_size > MAX_FILE_BYTES + 3:
            return _over_size(before.st_size)
        descriptor = os.open(path, _OPEN_FLAGS)
        try:
            opened = os.fstat(descriptor)
            if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (
                before.st_dev,
                before.st_ino,
            ):
                return LoadProblem(1, 1, "the file changed while it was being read", _REGULAR)
            size = opened.st_size
            if size > MAX_FILE_BYTES + 3:
                return _over_size(size)
            chunks, left = [], size
            while left > 0 and (chunk := os.read(descriptor, left)):
                chunks.append(chunk)
                left -= len(chunk)
        finally:
            os.close(descriptor)
    except OSError as error:
        return LoadProblem(
            1, 1, f"cannot read file: {error.strerror or error}", "check the file's permissions"
        )
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


_REGULAR = "replace it with a regular .yml file"


def _over_size(size: int) -> LoadProblem:
    return LoadProblem(
        1,
        1,
        f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
        "split the text or move large material out of the data file",
    )


_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISLNK, "a link"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words: 'a named pipe'."""
    return next((words for test, words in _FILE_KINDS if test(mode)), "not a regular file")
