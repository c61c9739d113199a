"""Loading the whole data tree: files, documents, validated records and their indexes."""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import gc
import os
import stat
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

import pydantic

from smesa.data import models
from smesa.data.loader import Document, LoadProblem, Path_, Position, file_kind, load_file, shown

DATA_DIR = "data"
REFERENCE_DIR = "reference"

R = TypeVar("R", bound=pydantic.BaseModel)
T = TypeVar("T")


@dataclass(slots=True)
class Source:
    """A data file: its path relative to the repository root and its parsed document."""

    path: str
    doc: Document

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]

    @property
    def folder(self) -> str:
        """The data folder directly under data/ (`cases` for data/cases/2025/x.yml)."""
        parts = self.path.split("/")
        return parts[1] if len(parts) > 2 else ""

    def at(self, path: Path_) -> Position:
        return self.doc.position(path)


@dataclass(slots=True)
class Entry(Generic[R]):
    """A record that passed its model, with the file it came from."""

    record: R
    source: Source

    @property
    def id(self) -> str:
        return self.record.id  # type: ignore[attr-defined]


@dataclass(slots=True)
class SchemaError:
    source: Source
    loc: Path_
    error_type: str
    message: str
    fix: str


@dataclass
class Repository:
    """Everything under data/, loaded once; rules read it and never change it."""

    root: Path
    today: dt.date
    sources: list[Source] = field(default_factory=list)
    load_problems: list[tuple[Source, LoadProblem]] = field(default_factory=list)
    schema_errors: list[SchemaError] = field(default_factory=list)
    misplaced: list[tuple[Source, str]] = field(default_factory=list)
    # Entries under data/ that were not read at all: (source, what it is, how to fix it).
    refused: list[tuple[Source, str, str]] = field(default_factory=list)
    entries: list[Entry[models.Record]] = field(default_factory=list)
    reference: dict[str, Entry[Any]] = field(default_factory=dict)

    # -- access --------------------------------------------------------------------

    def derived(self, compute: Callable[[Repository], T]) -> T:
        """`compute(self)`, computed once for this repository. The cache is not a field:
        a copy made with `dataclasses.replace` (a snapshot) computes its own."""
        cache = self.__dict__.setdefault("_derived", {})
        if compute not in cache:
            cache[compute] = compute(self)
        return cache[compute]  # type: ignore[no-any-return]

    @property
    def reference_ok(self) -> bool:
        return all(name in self.reference for name in models.REFERENCE_MODELS)

    def of(self, model: type[R]) -> list[Entry[R]]:
        return self._by_folder.get(model.folder, [])  # type: ignore[attr-defined,return-value]

    def index(self, model: type[R]) -> dict[str, Entry[R]]:
        """Records of one kind by id (the first file wins when ids repeat)."""
        folder = model.folder  # type: ignore[attr-defined]
        if folder not in self._indexes:
            self._indexes[folder] = {entry.id: entry for entry in reversed(self.of(model))}
        return self._indexes[folder]

    def known_ids(self, model: type[R]) -> set[str]:
        """Ids of every file of a kind, valid or not: a reference to a record that failed
        its model is that record's problem, not the referrer's."""
        folder = model.folder  # type: ignore[attr-defined]
        known = set(self.index(model))
        for source in self.sources:
            if source.folder == folder:
                raw_id = source.doc.data.get("id") if isinstance(source.doc.data, dict) else None
                known.add(raw_id if isinstance(raw_id, str) else source.stem)
        return known

    @cached_property
    def _by_folder(self) -> dict[str, list[Entry[Any]]]:
        grouped: dict[str, list[Entry[Any]]] = {}
        for entry in self.entries:
            grouped.setdefault(entry.record.folder, []).append(entry)
        return grouped

    @cached_property
    def _indexes(self) -> dict[str, dict[str, Entry[Any]]]:
        return {}

    @cached_property
    def economies(self) -> dict[str, models.Economy]:
        if "economies" not in self.reference:
            return {}
        return {e.code: e for e in self.reference["economies"].record.economies}

    @cached_property
    def topics(self) -> dict[str, models.Topic]:
        if "topics" not in self.reference:
            return {}
        return {t.id: t for t in self.reference["topics"].record.topics}

    @property
    def tor(self) -> models.Tor:
        return self.reference["tor"].record

    @cached_property
    def term_end(self) -> dt.date:
        """The end of the alliance's term, moved by any recorded SCE extension (ToR §7)."""
        return max([self.tor.term.end, *(ext.until for ext in self.tor.extensions)])

    def texts(self) -> Iterator[tuple[Source, Path_, str, str]]:
        """Every bilingual text of every valid record: (source, path, language, text)."""
        for entry in self.entries:
            source = entry.source
            for path, language, text in source.doc.texts:
                yield source, path, language, text


@dataclass(slots=True)
class DataTree:
    """What is under data/: the files to read, and the entries that will not be read."""

    files: list[str] = field(default_factory=list)  # sorted repository-relative paths
    # Where to read the files that are links (to a regular file inside the repository).
    targets: dict[str, str] = field(default_factory=dict)
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (path, what, fix)


_SYSTEM_FILES = (".DS_Store", "._", ".~lock.", ".directory", ".Trash", ".fuse_hidden", ".nfs")
_RECORD_SUFFIXES = (".yml", ".yaml")


def data_files(root: Path) -> list[str]:
    """Every regular file under data/ (or link to one inside the repository), as sorted
    repository-relative POSIX paths."""
    return scan_data(root).files


def scan_data(root: Path) -> DataTree:
    """Walk data/ without following links or opening anything.

    Only regular files are read, and links to regular files inside the repository: a
    link out of it would publish a file from elsewhere, a pipe blocks the reader for
    ever, a device never ends. Hidden files are refused rather than skipped, so that
    nothing under data/ goes unseen. Folders are walked whatever their names.
    """
    tree = DataTree()
    base = root / DATA_DIR
    root_real = os.path.realpath(root)
    if os.path.islink(base) and not _inside(os.path.realpath(base), root_real):
        tree.refused.append((DATA_DIR, "a link out of the repository: nothing is read", _NO_LINK))
        return tree
    pending = [(str(base), DATA_DIR)]
    while pending:
        folder, rel_folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as error:
            if rel_folder != DATA_DIR or os.path.lexists(base):
                what = f"an unreadable folder: {error.strerror}"
                tree.refused.append((rel_folder, what, _PERMISSIONS))
            continue
        for entry in entries:
            rel = f"{rel_folder}/{entry.name}"
            refusal = _refusal(entry, rel, root_real, tree)
            if refusal is not None:
                tree.refused.append((_printable(rel), *refusal))
            elif entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, rel))
            else:
                tree.files.append(rel)
    tree.files.sort()
    tree.refused.sort()
    return tree


_NO_LINK = "put the file itself here instead of a link"
_PERMISSIONS = "check its permissions"


def _refusal(
    entry: os.DirEntry[str], rel: str, root_real: str, tree: DataTree
) -> tuple[str, str] | None:
    """(what it is, fix) for an entry that must not be read, else None (`tree` learns the
    target of a link that may be read)."""
    name = entry.name
    if name.startswith("."):
        what = "a hidden folder" if entry.is_dir(follow_symlinks=False) else "a hidden file"
        if name.startswith(_SYSTEM_FILES) or name.endswith((".swp", ".swo")):
            return f"{what} made by the system or an editor", "delete it"
        if name in (".gitkeep", ".keep"):
            return f"{what} that keeps a folder", "delete it: a data folder needs no placeholder"
        return (
            f"{what} (its name starts with '.'): it would never be checked or published",
            "delete it, or rename it without the leading '.'",
        )
    if not name.isprintable():
        return (
            "named with invisible, control or non-UTF-8 characters",
            "rename it with letters, digits and hyphens",
        )
    if entry.is_symlink():
        return _link_refusal(entry, rel, root_real, tree)
    if entry.is_dir(follow_symlinks=False):
        if name.endswith(_RECORD_SUFFIXES):
            return "a folder named like a record file", "rename the folder, or make it a file"
        return None
    if entry.is_file(follow_symlinks=False):
        return None
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as error:
        return f"unreadable: {error.strerror}", _PERMISSIONS
    return f"{file_kind(mode)}, not a regular file: it is not read", "delete it"


def _link_refusal(
    entry: os.DirEntry[str], rel: str, root_real: str, tree: DataTree
) -> tuple[str, str] | None:
    try:
        written = shown(_printable(os.readlink(entry.path)), 240)  # a path, whole
    except OSError as error:
        return f"an unreadable link: {error.strerror}", _NO_LINK
    try:
        target = os.path.realpath(entry.path, strict=True)
        mode = os.stat(target).st_mode
    except OSError as error:
        nowhere = "a loop of links" if error.errno == errno.ELOOP else "a missing file"
        return f"a link to {written}, which leads to {nowhere}", _NO_LINK
    if not _inside(target, root_real):
        return f"a link to {written}, out of the repository: it is not read", _NO_LINK
    if any(part.startswith(".") for part in Path(os.path.relpath(target, root_real)).parts):
        return f"a link to {written}, a hidden file: it is not read", _NO_LINK
    if stat.S_ISDIR(mode):
        return f"a link to the folder {written}: links to folders are not followed", _NO_LINK
    if not stat.S_ISREG(mode):
        return f"a link to {written}, {file_kind(mode)}: it is not read", _NO_LINK
    tree.targets[rel] = target
    return None


def _inside(path: str, root_real: str) -> bool:
    return path.startswith(root_real.rstrip(os.sep) + os.sep)


def _printable(rel: str) -> str:
    """A path that prints: undecodable bytes and control characters escaped."""
    if rel.isprintable():
        return rel
    raw = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in raw)


def load_repository(root: Path, today: dt.date | None = None) -> Repository:
    """Read and validate every file under `root`/data/. Never raises for bad content."""
    repo = Repository(root=root, today=today or dt.date.today())
    # Loading allocates millions of small objects and frees none: the cyclic garbage
    # collector would only rescan them again and again while they are made.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _load_files(repo, root)
    finally:
        if collecting:
            gc.enable()
    return repo


def _load_files(repo: Repository, root: Path) -> None:
    planned: list[tuple[Source, type[pydantic.BaseModel]]] = []
    tree = scan_data(root)
    repo.refused.extend((Source(rel, Document()), what, fix) for rel, what, fix in tree.refused)
    for rel in tree.files:
        source = Source(rel, Document())
        if not rel.endswith(".yml"):
            repo.misplaced.append(
                (source, "use the .yml extension" if rel.endswith(".yaml") else "")
            )
            continue
        folder = source.folder
        if folder == REFERENCE_DIR:
            model: type[pydantic.BaseModel] | None = models.REFERENCE_MODELS.get(source.stem)
        else:
            model = models.BY_FOLDER.get(folder)
        if model is None:
            repo.misplaced.append((source, ""))
            continue
        planned.append((source, model))
    # A link is read at its vetted target, which is absolute (`root / target` is target).
    documents = [
        load_file(root / tree.targets.get(source.path, source.path), locate=False)
        for source, _ in planned
    ]
    for (source, model), document in zip(planned, documents, strict=True):
        source.doc = document
        folder = source.folder
        repo.sources.append(source)
        repo.load_problems.extend((source, problem) for problem in source.doc.problems)
        if source.doc.data is None:
            continue
        record = _validate(repo, source, model)
        if record is None:
            continue
        if folder == REFERENCE_DIR:
            repo.reference[source.stem] = Entry(record, source)
        else:
            repo.entries.append(Entry(record, source))


def _validate(
    repo: Repository, source: Source, model: type[pydantic.BaseModel]
) -> pydantic.BaseModel | None:
    try:
        return model.model_validate(source.doc.data)
    except pydantic.ValidationError as error:
        seen: set[Path_] = set()
        for detail in error.errors(include_url=False):
            loc = _data_loc(source.doc, detail["loc"], detail["type"])
            if loc in seen:
                continue  # one message per spot: unions report once per alternative
            seen.add(loc)
            message, fix = describe_error(model, detail, loc)
            repo.schema_errors.append(SchemaError(source, loc, detail["type"], message, fix))
    except (ArithmeticError, RecursionError, ValueError) as error:
        # pydantic turns a validator's ValueError into a ValidationError but lets other
        # exceptions through: one file's odd value must not stop the whole check.
        message = f"the record cannot be validated: {shown(str(error), 120)}"
        repo.schema_errors.append(SchemaError(source, (), "value_error", message, _VALUE_FIX))
    return None


def _data_loc(doc: Document, loc: tuple[Any, ...], error_type: str) -> Path_:
    """Trim pydantic's location to keys that exist in the data (drop union member names)."""
    path: Path_ = tuple(loc)
    doc.locate()
    if error_type in ("missing", "extra_forbidden"):
        return path
    while path and path not in doc.values:
        path = path[:-1]
    return path


def dotted(path: Path_) -> str:
    """`('results', 0, 'value')` -> `results[0].value`: how a contributor finds the spot."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


_TYPE_WORDS = {
    "string_type": ("must be text", "quote the value"),
    "int_type": ("must be a whole number", "write digits without quotes, e.g. 2025"),
    "int_from_float": ("must be a whole number", "drop the decimals"),
    "float_type": ("must be a number", "write digits without quotes"),
    "bool_type": ("must be true or false", "write true or false (lower case, no quotes)"),
    "date_type": ("must be a date", "write YYYY-MM-DD without quotes"),
    "list_type": ("must be a list", "write one '- item' per line"),
    "model_type": ("must be a mapping of keys to values", "indent its keys below it"),
    "dict_type": ("must be a mapping of keys to values", "indent its keys below it"),
    "string_pattern_mismatch": ("has the wrong form", ""),
    "too_short": ("is too short or empty", "add at least one item"),
    "string_too_short": ("must not be empty", "write a value"),
    "string_too_long": ("is too long", "shorten it"),
    "greater_than_equal": ("is too small", ""),
}


def describe_error(model: type[pydantic.BaseModel], detail: Any, loc: Path_) -> tuple[str, str]:
    """A contributor-facing message and fix for one pydantic error."""
    where = dotted(loc)
    kind = detail["type"]
    if kind == "missing":
        return f"{where} is required", _missing_fix(model, loc)
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
        return f"unknown key {where!r}", hint
    if kind == "value_error":  # a model's own check: its message says it all
        return f"{where}: {detail['ctx']['error']}", _VALUE_FIX
    if kind == "literal_error":
        return (
            f"{where} must be one of {detail['ctx']['expected']}: {_input(detail['input'])}",
            "use one of the listed values",
        )
    if kind == "string_pattern_mismatch":
        pattern = detail["ctx"]["pattern"]
        return (
            f"{where} has the wrong form: {_input(detail['input'])}",
            _PATTERN_FIXES.get(pattern, f"it must match {pattern}"),
        )
    words, fix = _TYPE_WORDS.get(kind, (detail["msg"].lower(), ""))
    value = detail.get("input")
    echoed = f": {_input(value)}" if not isinstance(value, dict | list) else ""
    return f"{where} {words}{echoed}", fix or _VALUE_FIX


_VALUE_FIX = "change the value as the message says"
# Forms a contributor writes, by the pattern of their model field: an example to copy.
_PATTERN_FIXES = {
    f"^{models.ID_PATTERN.pattern}$": (
        "write lower-case words joined by hyphens, like export-coaching"
    ),
    r"^[A-Z]{2,3}$": "write the economy's code in capitals, like VN or PRC",
    r"^https?://[^\s]+$": "write the full address, like https://www.example.org/",
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": "write an e-mail address, like name@example.org",
    r"^[0-9a-f]{10}$": "delete the zh_source line, then run: smesa i18n --stamp with this file",
}


def _missing_fix(model: type[pydantic.BaseModel], loc: Path_) -> str:
    """The line to add for a missing field, shaped like the field's value."""
    key = loc[-1]
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        current = models.model_in(info.annotation) if info is not None else None
    info = getattr(current, "model_fields", {}).get(key) if current is not None else None
    if info is None:
        return f"add the line '{key}: …' with its value"
    annotation = info.annotation
    inner = models.model_in(annotation)
    origin = typing.get_origin(annotation)
    if inner is models.Text:
        return f"add '{key}:' and below it, indented by two spaces, 'en: ' and the English text"
    if inner is not None:
        fields = [n for n, f in inner.model_fields.items() if f.is_required()]
        return f"add '{key}:' and below it, indented by two spaces, " + ", ".join(
            f"'{n}: …'" for n in fields
        )
    if origin is list:
        return f"add '{key}:' and below it one '  - …' line per item"
    if annotation is dt.date:
        return f"add the line '{key}: 2026-05-12' with the real date (YYYY-MM-DD)"
    if annotation is int:
        return f"add the line '{key}: 2026' with the real number"
    if typing.get_origin(annotation) is typing.Literal:
        values = [str(a) for a in typing.get_args(annotation)]
        return f"add the line '{key}: {values[0]}', or with another of: {', '.join(values[1:])}"
    return f"add the line '{key}: …' with its value"


def _input(value: Any) -> str:
    """The offending value for a message; long text is cut (it may be a whole body)."""
    if isinstance(value, str):
        return shown(value)
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:80]}…"


def _allowed_keys(model: type[pydantic.BaseModel], path: Path_) -> list[str]:
    """Field names of the (sub)model at `path`, for 'did you mean' hints."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field_info = getattr(current, "model_fields", {}).get(part)
        if field_info is None:
            return []
        current = models.model_in(field_info.annotation)
        if current is None:
            return []
    return sorted(getattr(current, "model_fields", {}))
