"""Running the rules over a repository: one pass, every finding, sorted by place."""

from __future__ import annotations

from smesa.check.findings import Finding, Severity
from smesa.check.rules import RULES
from smesa.data.repository import Repository


def run_rules(repo: Repository) -> list[Finding]:
    """All findings of all rules; rules that need the reference data wait for it."""
    findings: list[Finding] = []
    for rule in RULES:
        if rule.needs_reference and not repo.reference_ok:
            continue
        findings.extend(rule.run(repo))
    findings.sort()
    return findings


def count(findings: list[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return errors, len(findings) - errors
