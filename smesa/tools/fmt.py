"""`smesa fmt`: normalise data files without judgement, and never change what they say.

What it does: keys in the order of the model, two-space indentation, quotes only where
YAML needs them, no trailing spaces, one final newline, the editor's schema line first,
and the file named after the record's id. Comments stay. Every result is read back with
the project's own loader and must hold exactly the same values, or the file is left
alone: meaning is never traded for tidiness. Round-trip editing uses ruamel.yaml, which
keeps comments; the strict loader stays the judge of what a file means.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from smesa.data import models
from smesa.data.loader import LoadProblem, load_bytes, read_regular_file
from smesa.data.models import ID_PATTERN
from smesa.data.repository import DATA_DIR, REFERENCE_DIR
from smesa.data.schema import SCHEMA_DIR, schema_name

MODELINE = "# yaml-language-server: $schema="


@dataclass(frozen=True)
class Outcome:
    path: str  # repository-relative, before any rename
    status: str  # "unchanged" | "changed" | "refused"
    detail: str = ""
    renamed_to: str | None = None


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold long lines: a diff should show what changed
    yaml.preserve_quotes = False
    return yaml


def model_for(rel: str) -> type[pydantic.BaseModel] | None:
    parts = rel.split("/")
    if len(parts) < 3 or parts[0] != DATA_DIR:
        return None
    if parts[1] == REFERENCE_DIR:
        return models.REFERENCE_MODELS.get(parts[-1].removesuffix(".yml"))
    return models.BY_FOLDER.get(parts[1])


def modeline(rel: str) -> str:
    """The yaml-language-server line pointing the editor at the file's JSON Schema."""
    parts = rel.split("/")
    name = (
        schema_name(REFERENCE_DIR, parts[-1].removesuffix(".yml"))
        if parts[1] == REFERENCE_DIR
        else schema_name(parts[1])
    )
    up = "../" * (len(parts) - 1)
    return f"{MODELINE}{up}{SCHEMA_DIR}/{name}"


def _field_model(model: Any, name: str) -> Any:
    fields = getattr(model, "model_fields", {})
    return models.model_in(fields[name].annotation) if name in fields else None


def key_order(model: Any) -> list[str]:
    """Formatted key order: the model's `key_order` first (else id, sample flag, status),
    then the record's own fields, and the approval last."""
    fields = list(getattr(model, "model_fields", {}))
    head = list(getattr(model, "key_order", ("id", "sample", "status")))
    tail = ["approval"]
    return (
        [f for f in head if f in fields]
        + [f for f in fields if f not in head and f not in tail]
        + [f for f in tail if f in fields and f not in head]
    )


def reorder(node: Any, model: Any) -> None:
    """Put mapping keys in the model's field order (unknown keys last, as they were)."""
    if isinstance(node, CommentedSeq):
        for item in node:
            reorder(item, model)
        return
    if not isinstance(node, CommentedMap) or model is None:
        return
    order = key_order(model)
    for name in sorted(node, key=lambda key: order.index(key) if key in order else len(order)):
        node.move_to_end(name)
    for name, child in node.items():
        reorder(child, _field_model(model, name))


def _without_modeline(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(line for line in lines if not line.startswith(MODELINE))


def format_text(text: str, rel: str, edit: Callable[[Any], None] | None = None) -> str:
    """The formatted text of the file at `rel` (an optional edit applied to its data)."""
    yaml = _yaml()
    data = yaml.load(_without_modeline(text))
    reorder(data, model_for(rel))
    if edit is not None:
        edit(data)
    out = io.StringIO()
    yaml.dump(data, out)
    body = "\n".join(line.rstrip() for line in out.getvalue().split("\n")).strip("\n")
    return f"{modeline(rel)}\n{body}\n"


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.smesa-tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def rewrite(
    root: Path,
    rel: str,
    *,
    check_only: bool = False,
    rename: bool = True,
    edit: Callable[[Any], None] | None = None,
    compare: Callable[[Any], Any] = lambda data: data,
) -> Outcome:
    """Format one data file (and apply `edit`); refuse whatever would change its values.

    `compare` maps the data before and after to what must stay equal (all of it, unless
    an edit is meant to change something).
    """
    path = root / rel
    raw = read_regular_file(path)  # never a pipe or a device, even when named
    if isinstance(raw, LoadProblem):
        return Outcome(rel, "refused", raw.message)
    before = load_bytes(raw)
    if before.problems or before.data is None:
        return Outcome(rel, "refused", "it does not parse cleanly: run smesa check first")
    try:
        text = format_text(raw.decode("utf-8-sig"), rel, edit)
    except Exception as error:  # ruamel.yaml's errors have no common base worth naming
        return Outcome(rel, "refused", f"cannot be formatted: {error}")
    after = load_bytes(text.encode("utf-8"))
    if after.problems or compare(after.data) != compare(before.data):
        return Outcome(rel, "refused", "formatting would change its values; left as it is")
    target = rel
    record_id = after.data.get("id") if rename else None
    if isinstance(record_id, str) and rel.split("/")[1] != REFERENCE_DIR:
        candidate = f"{rel.rsplit('/', 1)[0]}/{record_id}.yml"
        if candidate != rel and ID_PATTERN.fullmatch(record_id):
            if (root / candidate).exists():
                return Outcome(rel, "refused", f"cannot rename: {candidate} exists")
            target = candidate
    if text.encode("utf-8") == raw and target == rel:
        return Outcome(rel, "unchanged")
    if not check_only:
        _atomic_write(path, text)
        if target != rel:
            os.replace(path, root / target)
    return Outcome(rel, "changed", renamed_to=target if target != rel else None)
