"""Open data at stable URLs: ``/data/{members,cases}.{json,csv}`` and ``/schema/*.json``.

JSON downloads are lists of records exactly as the models hold them, so each item
validates against the JSON Schema published beside it; e-mail addresses are left out.
CSV downloads flatten the fields a spreadsheet user wants, every cell made safe to open
in a spreadsheet (`smesa.report.outputs.spreadsheet_cell`). Only published cases appear.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

from smesa.data import models, schema
from smesa.data.models import LANGUAGES
from smesa.report.outputs import spreadsheet_cell
from smesa.site.feeds import language_root
from smesa.site.view import SiteView

DATA_DIR = "data"
PRIVATE_KEYS = {"email"}


def _public(value: Any) -> Any:
    """A JSON value without private keys (e-mail addresses of people)."""
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items() if k not in PRIVATE_KEYS}
    if isinstance(value, list):
        return [_public(v) for v in value]
    return value


def record_json(record: models.Record) -> dict[str, Any]:
    return _public(record.model_dump(mode="json", exclude_none=True))


Column = tuple[str, Callable[[Any], Any]]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _csv(columns: list[Column], records: list[Any]) -> str:
    buffer = io.StringIO()
    # CRLF, as RFC 4180 has it: the writer quotes a cell only for the characters of its
    # line ending, so with "\n" alone a carriage return went unquoted and split the row.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in columns])
    for record in records:
        values = (value(record) for _, value in columns)
        writer.writerow(spreadsheet_cell(v) for v in values)
    return buffer.getvalue()


MEMBER_COLUMNS: list[Column] = [
    ("id", lambda m: m.id),
    ("name_en", lambda m: m.name.en),
    ("name_zh", lambda m: m.name.zh),
    ("economy", lambda m: m.economy),
    ("type", lambda m: m.type),
    ("joined", lambda m: _iso(m.joined)),
    ("founding_member", lambda m: m.founding_member),
    ("status", lambda m: m.status),
    ("withdrawn", lambda m: _iso(m.withdrawn)),
    ("website", lambda m: m.website),
    ("sample", lambda m: m.sample),
]


def _smewg(case: models.Case) -> models.Approval | None:
    return case.approval.smewg if case.approval else None


def case_columns(view: SiteView, site_url: str) -> list[Column]:
    def url(lang: str) -> Callable[[models.Case], str]:
        return lambda c: f"{language_root(site_url, lang)}cases/{c.id}/"

    return [
        ("id", lambda c: c.id),
        ("year", lambda c: c.year),
        ("member", lambda c: c.member),
        ("economy", view.case_economy),
        ("topics", lambda c: ";".join(c.topics)),
        ("title_en", lambda c: c.title.en),
        ("title_zh", lambda c: c.title.zh),
        ("published", lambda c: _iso(c.published)),
        ("smewg_approval_date", lambda c: _iso(a.date) if (a := _smewg(c)) else None),
        ("smewg_approval_ref", lambda c: a.ref if (a := _smewg(c)) else None),
        *((f"url_{lang}", url(lang)) for lang in LANGUAGES),
        ("sample", lambda c: c.sample),
    ]


def _dump(records: list[models.Record]) -> str:
    return json.dumps([record_json(r) for r in records], ensure_ascii=False, indent=1) + "\n"


def open_data_files(view: SiteView, site_url: str) -> dict[str, str]:
    """The downloads and the JSON Schemas, by their paths relative to the site root."""
    files = {
        f"{DATA_DIR}/members.json": _dump(view.members),
        f"{DATA_DIR}/members.csv": _csv(MEMBER_COLUMNS, view.members),
        f"{DATA_DIR}/cases.json": _dump(view.cases),
        f"{DATA_DIR}/cases.csv": _csv(case_columns(view, site_url), view.cases),
    }
    for name, document in schema.schemas().items():
        files[f"{schema.SCHEMA_DIR}/{name}"] = schema.render(document)
    return files
