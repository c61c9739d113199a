"""Writing findings for people (text), for GitHub Actions and for machines (JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from smesa.engine import count
from smesa.findings import Finding


def text(findings: list[Finding], files: int) -> Iterable[str]:
    """`path:line:col: severity RULE-ID message (fix)`, then a count."""
    for f in findings:
        fix = f" ({f.fix})" if f.fix else ""
        yield f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}{fix}"
    yield summary(findings, files)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def escape_data(value: str) -> str:
    """Escape a workflow command's message (GitHub's toolkit `escapeData`)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command's property value (GitHub's toolkit `escapeProperty`)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: list[Finding], files: int) -> Iterable[str]:
    """GitHub Actions workflow commands: one annotation per finding."""
    for f in findings:
        properties = ",".join(
            f"{key}={escape_property(str(value))}"
            for key, value in (
                ("file", f.path),
                ("line", f.line),
                ("col", f.column),
                ("title", f"{f.rule} {f.alias}"),
            )
        )
        message = f"{f.message} ({f.fix})" if f.fix else f.message
        level = "error" if f.is_error else "warning"
        yield f"::{level} {properties}::{escape_data(message)}"
    yield summary(findings, files)


def summary(findings: list[Finding], files: int) -> str:
    errors, warnings = count(findings)
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(files, 'file')}"


def as_json(findings: list[Finding], files: int) -> Iterable[str]:
    errors, warnings = count(findings)
    document = {
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "rule": f.rule,
                "alias": f.alias,
                "severity": str(f.severity),
                "message": f.message,
                "fix": f.fix,
            }
            for f in findings
        ],
        "summary": {"errors": errors, "warnings": warnings, "files": files},
    }
    yield json.dumps(document, ensure_ascii=False, indent=2)


FORMATS = {"text": text, "github": github, "json": as_json}
