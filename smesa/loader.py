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
come back as `LoadProblem`s.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.cyaml import CParser
from yaml.nodes import ScalarNode, SequenceNode

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 32

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
            try:
                raw = self.file.read_bytes()
            except OSError:
                return  # positions fall back to the start of the file
        fresh = load_bytes(raw, locate=True)
        self.values, self.keys, self.styles = fresh.values, fresh.keys, fresh.styles

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
            return int(value)
    elif tag == _FLOAT:
        if _FLOAT_RE.fullmatch(value):
            return float(value)
    elif _DATE_RE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _Invalid(
                _problem(node, f"{value!r} is not a real calendar date", "use YYYY-MM-DD")
            ) from None
    raise _Invalid(
        _problem(node, f"{value!r} cannot be read as {tag.rsplit(':', 1)[-1]}", "quote it")
    )


def load_bytes(raw: bytes, *, locate: bool = True) -> Document:
    """Parse one YAML document held in `raw`; problems are returned, never raised.

    With `locate=False` positions are recorded later, on the first question about one.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    doc = Document(raw=raw, located=locate)
    if len(raw) > MAX_FILE_BYTES:
        doc.problems.append(
            LoadProblem(
                1,
                1,
                f"file is {len(raw):,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                "split the text or move large material out of the data file",
            )
        )
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
            LoadProblem(1, 1, "a record must be a YAML mapping of keys to values", "see schema/")
        )
        doc.data = None
    return doc


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
    """Read and parse a file; an unreadable file is a problem, not an exception."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES + 3:
            return Document(
                problems=[
                    LoadProblem(
                        1,
                        1,
                        f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                        "split the text or move large material out of the data file",
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as error:
        return Document(problems=[LoadProblem(1, 1, f"cannot read file: {error.strerror}", "")])
    return load_bytes(raw, locate=locate)
