"""The rule registry: stable ids, aliases, severities and the ToR clause each rule enforces.

A rule is a generator function made a `Rule` by `@rule(...)`, and listed in
`smesa.check.rules.RULES`. Its docstring's first line is its title; the rest says what
triggers it. It yields `Hit`s (where and what); the
engine adds the rule's id, severity and fix hint. Rules never raise for bad data.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from smesa.check.findings import Finding, Severity
from smesa.data.loader import Path_
from smesa.data.repository import Entry, Repository, Source
from smesa.tor.clauses import Clause


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule found: a file, the path of the value inside it, and a message."""

    at: Source | Entry
    path: Path_
    message: str
    fix: str | None = None
    key: bool = False  # point at the key rather than the value
    position: tuple[int, int] | None = None  # for problems found before there were values
    within: tuple[str, int] | None = None  # (the string at path, offset of the spot in it)


Check = Callable[[Repository], Iterator[Hit]]


def rule_page(rule_id: str) -> str:
    """The path of a rule's page on the site, without the language or an ending."""
    return f"rules/{rule_id.lower()}"


@dataclass(frozen=True)
class Rule:
    id: str
    alias: str
    severity: Severity
    clause: Clause
    fix: str
    check: Check = field(repr=False)
    needs_reference: bool = True
    examples: tuple[str, str] = ("", "")

    @property
    def title(self) -> str:
        return inspect.getdoc(self.check).split("\n", 1)[0]  # type: ignore[union-attr]

    @property
    def description(self) -> str:
        doc = inspect.getdoc(self.check) or ""
        return doc.split("\n", 1)[1].strip() if "\n" in doc else ""

    def run(self, repo: Repository) -> Iterator[Finding]:
        for hit in self.check(repo):
            source = hit.at if isinstance(hit.at, Source) else hit.at.source
            if hit.position:
                line, column = hit.position
            elif hit.within:
                line, column = source.doc.text_position(hit.path, *hit.within)
            elif hit.key:
                line, column = source.doc.key_position(hit.path)
            else:
                line, column = source.doc.position(hit.path)
            yield Finding(
                path=source.path,
                line=line,
                column=column,
                rule=self.id,
                alias=self.alias,
                severity=self.severity,
                message=hit.message,
                fix=hit.fix if hit.fix is not None else self.fix,
            )


def rule(
    id: str,
    alias: str,
    severity: Severity,
    clause: Clause,
    fix: str,
    *,
    needs_reference: bool = True,
    examples: tuple[str, str] = ("", ""),
) -> Callable[[Check], Rule]:
    """Make a check function a `Rule`; `smesa.check.rules.RULES` lists every rule."""

    def make(check: Check) -> Rule:
        if not inspect.getdoc(check):
            raise ValueError(f"rule {id} needs a docstring: its title")
        return Rule(id, alias, severity, clause, fix, check, needs_reference, examples)

    return make
