"""Findings: what a check reports, where, and how to fix it."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One problem at one spot of one file; `path` is relative to the repository root."""

    path: str
    line: int
    column: int
    rule: str
    alias: str
    severity: Severity
    message: str
    fix: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR
