"""Records of every kind with a chosen text in every string field, made from the models.

Shared by the adversarial suite (tests/test_adversarial.py: a payload in every field)
and the canary test (tests/test_canary.py: a unique token in every field). No field is
named here as holding text: `make_record` walks a model of `smesa.data.models.BY_FOLDER`
through its nested models and lists, asks for the text of every string it meets (a
`Slot`), and keeps the first candidate that the field's own annotation accepts, so a
string field added to a model gets a payload and a token without a new test. A string
whose type accepts no candidate (a date-stamp pattern, say) is listed in the record's
`skipped` slots, where the tests count it.

What a walk cannot invent is in the tables below, each with its reason: the ids and
codes that must name an existing record or economy (`REFERENCES`), and dates, numbers
and choices that the ToR rules accept (`DATES`, `NUMBERS`, `CHOICES`). A new reference
field missing from `REFERENCES` gets a text like any string, `smesa check` then fails
with SM103 at its path, and the tests say so.
"""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import itertools
import re
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from smesa.data import models

LANGUAGES = ("en", "zh")

# Ids and codes that name something that must exist (SM103, SM201): the baseline's
# members, topic, plenary and Presidium term (tests/conftest.py). They carry no text.
REFERENCES: dict[str, Any] = {
    "member": "alpha",
    "topics": ["access-to-finance"],
    "attendees": ["alpha", "beta"],
    "organisers": ["alpha"],
    "meeting": "plenary-2025",
    "presidium": "presidium-2025-2028",
    "chair": "alpha",
    "vice_chairs": ["beta"],
    "members": ["alpha", "beta"],
    "elected_at": "plenary-2025",
    "appointed_at": "plenary-2025",
    "economy": "PRC",
    "economies": ["PRC"],
}
# Approvals precede everything they approve (SM603, SM604); the Presidium term is the
# baseline's (three years, SM605); the rest falls in 2025, after the baseline's dates.
DATES: dict[tuple[str, str], dt.date] = {
    ("Approval", "date"): dt.date(2025, 5, 20),
    ("Presidium", "start"): dt.date(2025, 9, 16),
    ("Presidium", "end"): dt.date(2028, 9, 15),
    ("Advisor", "since"): dt.date(2025, 9, 16),
    ("Member", "joined"): dt.date(2015, 4, 1),
    # A meeting can elect the baseline's Presidium: on or before its start (SM606).
    ("Meeting", "date"): dt.date(2025, 9, 16),
}
DAY = dt.date(2025, 9, 30)
NUMBERS: dict[str, int] = {"year": 2025, "count": 120, "joined_apec": 1991}
# First choice of every Literal, except where that choice needs more than the record
# has. An active member has no withdrawal date (SM609).
CHOICES: dict[tuple[str, str], Any] = {("Member", "status"): "active"}
OMITTED: set[tuple[str, str]] = {("Member", "withdrawn")}
# An SMEWG reference has the APEC form and names a session of data/meetings/ (SM620,
# SM621): approvals get numbers of SMEWG60, 900 of them in turn (a number that comes
# round again is SM622's warning, not a refusal).
DOCUMENTS = itertools.count()
# Only a singleton kind: one Presidium term fills the whole ToR term (SM605).
SINGLETONS = (models.Presidium,)


@dataclass(frozen=True)
class Slot:
    """One string of a record: its kind and its key path in the record."""

    model: type[models.Record]
    path: tuple[str | int, ...]
    language: str | None = None  # "en" or "zh" inside a bilingual text
    # The field's own type: what a value must be (not part of the slot's identity).
    annotation: Any = field(default=str, compare=False, hash=False, repr=False)

    def accepts(self, value: str) -> bool:
        """True when the field's type takes `value` as it is (no coercion)."""
        return _accepts(self.annotation, value)

    @property
    def kind(self) -> str:
        return self.model.kind

    @property
    def field(self) -> str:
        """`results[0].metric.en`, as the rules print a key path."""
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else f".{part}"
        return out.lstrip(".")

    @property
    def generic(self) -> tuple[str, ...]:
        """The path with list positions left out: the field, whatever the element."""
        return tuple(p for p in self.path if isinstance(p, str))


Fill = Callable[[Slot], Iterable[str]]


@dataclass
class Made:
    """A record as a YAML-ready dict, and what each slot received."""

    model: type[models.Record]
    data: dict[str, Any]
    placed: dict[Slot, str] = field(default_factory=dict)
    skipped: list[Slot] = field(default_factory=list)

    @property
    def path(self) -> str:
        """The record's file, repository-relative (cases live in their year's folder)."""
        folder = self.model.folder
        if self.model is models.Case:
            folder = f"{folder}/{self.data['year']}"
        return f"data/{folder}/{self.data['id']}.yml"


def make_record(
    model: type[models.Record], record_id: str, fill: Fill, *, status: str = "published"
) -> Made:
    """A valid record of `model` with the text `fill` offers in every string slot.

    `status` applies to outputs; a draft or submitted case or report has no publication
    date yet (SM611).
    """
    made = Made(model, {})
    made.data = _fields(model, model, (), fill, made, record_id=record_id, status=status)
    if status in ("draft", "submitted"):
        made.data.pop("published", None)
    model.model_validate(made.data)  # a generator mistake fails here, not in a rule
    return made


def slots(model: type[models.Record]) -> list[Slot]:
    """Every string slot of `model` a record gets a text in (lists hold one element)."""
    made = make_record(model, "slots", lambda slot: ["text"])
    return [*made.placed, *made.skipped]


def _fields(
    owner: type[models.Record],
    model: type[BaseModel],
    prefix: tuple[str | int, ...],
    fill: Fill,
    made: Made,
    **record: str,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if (model.__name__, name) in OMITTED:
            continue
        if not prefix and name == "id":
            out[name] = record["record_id"]
            continue
        if not prefix and name == "status" and issubclass(model, models.Output):
            out[name] = record["status"]
            continue
        if name in REFERENCES:
            out[name] = copy.deepcopy(REFERENCES[name])  # a shared value would be a YAML alias
            continue
        if model is models.Approval and name == "ref":
            out[name] = f"2025/SMEWG60/{100 + next(DOCUMENTS) % 900:03d}"
            continue
        annotation = info.annotation
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
        language = name if model is models.Text and name in LANGUAGES else None
        value = _value(
            owner,
            model,
            name,
            annotation,
            path=(*prefix, name),
            fill=fill,
            made=made,
            language=language,
        )
        if value is not _NOTHING:
            out[name] = value
    return out


_NOTHING = object()


def _value(
    owner: type[models.Record],
    model: type[BaseModel],
    name: str,
    annotation: Any,
    *,
    path: tuple[str | int, ...],
    fill: Fill,
    made: Made,
    language: str | None,
) -> Any:
    inner = _without_none(annotation)
    base = _base(inner)
    origin = typing.get_origin(base)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return _fields(owner, base, path, fill, made)
    if origin is list:
        (item,) = typing.get_args(base)
        value = _value(
            owner, model, name, item, path=(*path, 0), fill=fill, made=made, language=language
        )
        return [] if value is _NOTHING else [value]
    if origin is Literal:
        return CHOICES.get((model.__name__, name), typing.get_args(base)[0])
    if base is bool:
        return name == "sample"
    if base is int or _is_number(inner):
        return NUMBERS.get(name, 7)
    if base is dt.date:
        day = DATES.get((model.__name__, name), DAY)
        return dt.date.fromordinal(day.toordinal())  # a new object: no YAML alias
    if base is str:
        slot = Slot(owner, path, language, inner)
        for candidate in fill(slot):
            if slot.accepts(candidate):
                made.placed[slot] = candidate
                return candidate
        made.skipped.append(slot)
        if inner is not annotation:
            return _NOTHING  # optional: left out
        raise ValueError(f"{owner.kind} {slot.field}: no candidate fits; add it to REFERENCES")
    raise TypeError(f"{owner.kind} {'.'.join(map(str, path))}: no value for {annotation!r}")


def _without_none(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
        return Union[tuple(args)]  # noqa: UP007 - built from a tuple of types
    return annotation


def _base(annotation: Any) -> Any:
    """The type under Annotated[...] (or the union itself)."""
    while typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _is_number(annotation: Any) -> bool:
    is_union = typing.get_origin(annotation) in (Union, types.UnionType)
    args = typing.get_args(annotation) if is_union else ()
    return bool(args) and all(a in (int, float) for a in args)


_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _accepts(annotation: Any, value: str) -> bool:
    # Keyed by repr: an Annotated type holding a FieldInfo cannot be hashed.
    key = repr(annotation)
    if key not in _ADAPTERS:
        _ADAPTERS[key] = TypeAdapter(annotation)
    adapter = _ADAPTERS[key]
    try:
        adapter.validate_python(value, strict=True)
    except ValidationError:
        return False
    return True


def merge_singleton(made: list[Made]) -> Made:
    """One record of a singleton kind (the Presidium) holding the list elements of all
    of `made`, in order. A singleton's string outside a list could hold the text of
    only one of them: that is refused, so that a new field cannot go untested unnoticed.
    """
    first = made[0]
    merged = Made(first.model, dict(first.data))
    lists = [n for n, v in first.data.items() if isinstance(v, list) and n not in REFERENCES]
    for name in lists:
        merged.data[name] = [item for one in made for item in one.data[name]]
    offsets = dict.fromkeys(lists, 0)
    for one in made:
        for slot, value in one.placed.items():
            name, index, *rest = slot.path
            if name not in offsets or not isinstance(index, int):
                raise NotImplementedError(f"{slot.kind} {slot.field} is not in a list")
            moved = (name, offsets[name] + index, *rest)
            merged.placed[Slot(slot.model, moved, slot.language, slot.annotation)] = value
        merged.skipped.extend(one.skipped)
        for name in lists:
            offsets[name] += len(one.data[name])
    first.model.model_validate(merged.data)
    return merged


# -- writing and reading --------------------------------------------------------------


def dump(data: dict[str, Any]) -> str:
    """A record as YAML, as RepoFactory writes it (tests/conftest.py), with libyaml."""
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)


def slot_lines(text: str, placed: Iterable[Slot]) -> dict[Slot, tuple[int, int]]:
    """The first and last line (1-based) of each slot's value in the YAML `text`."""
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    out = {}
    for slot in placed:
        node = root
        for part in slot.path:
            if isinstance(part, int):
                node = node.value[part]
            else:
                node = next(v for k, v in node.value if k.value == part)
        out[slot] = (node.start_mark.line + 1, node.end_mark.line + 1)
    return out


GZIP_MAGIC = b"\x1f\x8b"


def read_bytes(path: Path) -> bytes:
    """A file's bytes, gzip members unpacked (Pagefind's fragments, sitemap.xml.gz)."""
    data = path.read_bytes()
    while data[:2] == GZIP_MAGIC:
        data = gzip.decompress(data)
    return data


def files_under(folder: Path) -> Iterator[Path]:
    return (p for p in sorted(folder.rglob("*")) if p.is_file())


def find_all(pattern: re.Pattern[bytes], folder: Path) -> Iterator[tuple[str, bytes]]:
    """(file, match) for every match of `pattern` in every file under `folder`: in its
    bytes as written and, for a gzip file, in its unpacked bytes."""
    for path in files_under(folder):
        rel = path.relative_to(folder).as_posix()
        raw = path.read_bytes()
        seen = set()
        for data in (raw, read_bytes(path)):
            for match in pattern.finditer(data):
                if match.group() not in seen:
                    seen.add(match.group())
                    yield rel, match.group()
