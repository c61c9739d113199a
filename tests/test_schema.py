"""JSON Schemas come from the models, stay in step with them, and agree with the data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import ROOT

from smesa.data.loader import load_file
from smesa.data.repository import data_files
from smesa.data.schema import schema_name, schemas, stale_schemas, write_schemas


def test_committed_schemas_match_the_models():
    assert stale_schemas(ROOT) == []


def test_drift_is_detected(tmp_path: Path):
    write_schemas(tmp_path)
    assert stale_schemas(tmp_path) == []
    cases = tmp_path / "schema" / "cases.schema.json"
    cases.write_text(cases.read_text().replace('"year"', '"yaer"'))
    (tmp_path / "schema" / "old.schema.json").write_text("{}")
    assert stale_schemas(tmp_path) == ["cases.schema.json", "old.schema.json"]


def test_a_schema_per_data_folder():
    assert sorted(schemas()) == [
        "activities.schema.json",
        "bodies.schema.json",
        "cases.schema.json",
        "meetings.schema.json",
        "members.schema.json",
        "presidium.schema.json",
        "proposals.schema.json",
        "reference-economies.schema.json",
        "reference-nomenclature.schema.json",
        "reference-topics.schema.json",
        "reference-tor.schema.json",
        "reports.schema.json",
    ]


def _json_ready(value: Any) -> Any:
    """YAML dates are JSON Schema `format: date` strings."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _schema_for(rel: str) -> str:
    parts = rel.split("/")
    if parts[1] == "reference":
        return schema_name("reference", parts[2].removesuffix(".yml"))
    return schema_name(parts[1])


SAMPLE_FILES = [rel for rel in data_files(ROOT) if rel.endswith(".yml")]


@pytest.mark.parametrize("rel", SAMPLE_FILES)
def test_sample_data_validates_with_an_independent_validator(rel: str):
    schema = json.loads((ROOT / "schema" / _schema_for(rel)).read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    data = _json_ready(load_file(ROOT / rel).data)
    assert [error.message for error in validator.iter_errors(data)] == []


def test_independent_validator_rejects_what_the_models_reject():
    schema = schemas()["cases.schema.json"]
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({"id": "x", "year": "2025"})
