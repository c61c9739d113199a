"""`smesa intake`: a submitted issue form becomes a record file under data/.

GitHub writes a form into the issue's body as `### <label>` sections, in the form's
order, with `_No response_` for an empty field. The body is read as data only: each
value is checked against its field (one line for an input, a listed choice for a
dropdown, a number, a date), texts are written as YAML strings by the YAML library,
never pasted into YAML, and the written file is read back with the strict loader and
must hold exactly the values meant. Whatever does not fit is a problem named by the
field's label; `smesa check` judges the record itself afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from smesa.data import models
from smesa.data.config import secretariat_reference
from smesa.data.loader import load_bytes
from smesa.data.repository import Repository
from smesa.tools import forms
from smesa.tools.fmt import ID_PATTERN, format_text
from smesa.tools.scaffold import record_id

# GitHub keeps an issue body to 65,536 characters; anything longer did not come from it.
MAX_BODY_CHARACTERS = 65_536
NO_RESPONSE = "_No response_"
_MULTI_SPLIT = re.compile(r", (?=[a-z0-9]+(?:-[a-z0-9]+)*" + re.escape(forms.SEPARATOR) + ")")


class IntakeError(Exception):
    """A body that is not one of our forms at all (wrong file, empty, too long)."""


@dataclass
class Intake:
    kind: str
    record: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    path: str = ""
    text: str = ""


def _normalised(body: str) -> str:
    return body.replace("\r\n", "\n").replace("\r", "\n")


def _heading(label: str) -> str:
    return f"### {label}"


def detect_kind(body: str) -> str:
    """The kind whose form's headings all appear in `body`."""
    lines = set(_normalised(body).split("\n"))
    found = [
        kind
        for kind in forms.KINDS
        if all(_heading(f.label) in lines for f in forms.fields(kind) if f.required)
    ]
    if len(found) != 1:
        raise IntakeError(
            "the issue was not written with one of the forms (case, member, meeting): "
            "open a new issue with a form"
        )
    return found[0]


def sections(body: str, kind: str) -> tuple[dict[str, str | None], list[str]]:
    """Field id -> its text (None when empty), and the labels that are missing."""
    lines = _normalised(body).split("\n")
    labels = [(f.id, _heading(f.label)) for f in forms.fields(kind)]
    labels.append(("confirm", _heading(forms.definitions()["confirm"]["label"])))
    starts: list[tuple[str, int]] = []
    missing: list[str] = []
    position = 0
    for fid, heading in labels:
        try:
            at = lines.index(heading, position)
        except ValueError:
            missing.append(heading[4:])
            continue
        starts.append((fid, at))
        position = at + 1
    values: dict[str, str | None] = {}
    for i, (fid, at) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(lines)
        text = "\n".join(line.rstrip() for line in lines[at + 1 : end]).strip("\n")
        values[fid] = None if text.strip() in ("", NO_RESPONSE) else text
    return values, missing


def _choice(value: str, options: dict[str, str], label: str, problems: list[str]) -> str | None:
    chosen = value.split(forms.SEPARATOR, 1)[0].strip()
    if chosen in options:
        return chosen
    problems.append(f"{label}: {value!r} is not one of the choices of the form")
    return None


def _value(f: forms.Field, text: str, repo: Repository, problems: list[str]) -> Any:
    if f.type == "input" and "\n" in text:
        problems.append(f"{f.label}: must be one line")
        return None
    if f.type == "dropdown":
        options = forms.choices(f.choices or "", repo)
        if not f.multiple:
            chosen = _choice(text, options, f.label, problems)
            return int(chosen) if chosen is not None and f.as_ == "int" else chosen
        picked = [_choice(part, options, f.label, problems) for part in _MULTI_SPLIT.split(text)]
        return [p for p in picked if p is not None] or None
    if f.as_ == "int":
        if not re.fullmatch(r"[0-9]{1,9}", text.strip()):
            problems.append(f"{f.label}: must be a whole number, like 120: {text!r}")
            return None
        return int(text.strip())
    if f.as_ == "secretariat_ref":
        numbers = secretariat_reference(repo.root)
        if not numbers.pattern.fullmatch(text.strip()):
            problems.append(
                f"{f.label}: must be a number of the Secretariat's records, in the form "
                f"{numbers.form}: {text!r}"
            )
            return None
        return text.strip()
    if f.as_ == "date":
        try:
            return dt.date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
        except ValueError:
            pass
        problems.append(f"{f.label}: must be a date written YYYY-MM-DD, like 2026-05-12: {text!r}")
        return None
    if f.type == "input":
        return text.strip()
    return LiteralScalarString(text + "\n") if "\n" in text else text.strip()


def _put(record: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    node = record
    for name in parents:
        node = node.setdefault(name, {})
    node[last] = value


def _record_id(kind: str, record: dict[str, Any]) -> str:
    if kind == "case":
        return record_id(record.get("title", {}).get("en", ""))
    if kind == "member":
        return record_id(record.get("name", {}).get("en", ""))
    return record_id(f"{record.get('type', '')}-{record.get('date', '')}")


def _path(kind: str, record: dict[str, Any]) -> str:
    if kind == "case":
        return f"data/cases/{record['year']}/{record['id']}.yml"
    return f"data/{'members' if kind == 'member' else 'meetings'}/{record['id']}.yml"


def _dump(record: dict[str, Any], rel: str) -> str:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(record, out)
    return format_text(out.getvalue(), rel)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, LiteralScalarString) else value


def intake(body: str, repo: Repository, root: Path, kind: str | None = None) -> Intake:
    """The record a form body describes, its file's path and text (nothing written)."""
    if len(body) > MAX_BODY_CHARACTERS:
        raise IntakeError(
            f"the issue body has {len(body):,} characters, more than GitHub allows "
            f"({MAX_BODY_CHARACTERS:,}): it did not come from a form"
        )
    kind = kind or detect_kind(body)
    result = Intake(kind)
    values, missing = sections(body, kind)
    required = {f.label for f in forms.fields(kind) if f.required}
    required.add(forms.definitions()["confirm"]["label"])
    for label in missing:  # an optional field added since the issue was written: empty
        if label in required:
            result.problems.append(f"{label}: the field is missing (was the form's text edited?)")
    record: dict[str, Any] = {"id": ""}
    if kind in ("case", "meeting"):
        record["status"] = "draft"  # the Secretariat moves it on; drafts are never shown
    for f in forms.fields(kind):
        text = values.get(f.id)
        if text is None:
            if f.required and f.label not in missing:
                result.problems.append(f"{f.label}: required, and left empty")
            continue
        value = _value(f, text, repo, result.problems)
        if value is not None:
            _put(record, f.key, value)
    if kind == "meeting":
        record.setdefault("attendees", [])
    admission = record.get("admission", {})
    if len(admission) == 1:  # the Secretariat's record is a number and a date
        given, other = ("ref", "date") if "ref" in admission else ("date", "ref")
        labels = {f.key: f.label for f in forms.fields(kind)}
        result.problems.append(
            f"{labels['admission.' + other]}: required with "
            f"“{labels['admission.' + given]}”, and left empty"
        )
    if values.get("confirm") is not None and "- [X]" not in values["confirm"]:
        result.problems.append("Confirmation / 确认: the box is not ticked")
    record["id"] = _record_id(kind, record)
    result.record = record
    if result.problems:
        return result
    if not ID_PATTERN.fullmatch(record["id"]):
        result.problems.append(
            "the title gives no file name: write the English title in Latin letters"
        )
        return result
    model = {"case": models.Case, "member": models.Member, "meeting": models.Meeting}[kind]
    if record["id"] in repo.index(model):
        result.problems.append(
            f"a {kind} with the id {record['id']!r} exists already: give it another title"
        )
        return result
    result.path = _path(kind, record)
    if (root / result.path).exists():
        result.problems.append(f"{result.path} exists already: give it another title")
        return result
    result.text = _dump(record, result.path)
    back = load_bytes(result.text.encode("utf-8"))
    if back.problems or back.data != _plain(record):
        # The library wrote what it was given; this only fails if a value cannot be
        # written as YAML at all, and then no file is better than a different one.
        result.problems.append("the form's text cannot be written as a record unchanged")
        result.text = result.path = ""
    return result


def body_from_event(path: Path) -> tuple[str, int | None]:
    """The issue body and number of a GitHub event payload ($GITHUB_EVENT_PATH)."""
    try:
        event = json.loads(path.read_text("utf-8"))
        issue = event["issue"]
        body, number = issue.get("body") or "", issue.get("number")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise IntakeError(f"{path}: not a GitHub issue event ({error})") from None
    if not isinstance(body, str) or not (number is None or isinstance(number, int)):
        raise IntakeError(f"{path}: not a GitHub issue event")
    return body, number
