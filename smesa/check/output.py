"""Writing findings for people (text), for GitHub Actions, for machines (JSON), and as a
Markdown report for a CI step summary. Every finding links to its rule's page."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from smesa.check import translate
from smesa.check.engine import count
from smesa.check.findings import Finding
from smesa.check.registry import rule_page

# GitHub shows at most 10 annotations of each level per step; the rest are dropped
# silently. The most useful come first (errors before warnings, in file order) and the
# step summary carries the full report.
GITHUB_ANNOTATION_LIMIT = 10


@dataclass(frozen=True)
class Report:
    """The findings of one run and what a reader needs around them."""

    findings: list[Finding]
    files: int
    docs_base: str = ""  # site URL under which rules/<id>/ pages live
    annotate: frozenset[tuple[str, int]] | None = field(default=None)  # changed lines only
    lang: str = "en"  # of the words around the findings (translate them with check.translate)

    def url(self, finding: Finding) -> str:
        return f"{self.docs_base}{rule_page(finding.rule)}/" if self.docs_base else ""

    def summary(self) -> str:
        errors, warnings = count(self.findings)
        if self.lang == "zh":
            return translate.summary(errors, warnings, self.files)
        return (
            f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} "
            f"in {_plural(self.files, 'file')}"
        )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def text(report: Report) -> Iterable[str]:
    """`path:line:col: severity RULE-ID message (fix) <rule page>`, then a count."""
    for f in report.findings:
        fix = translate.fixed(f.fix, report.lang)
        url = report.url(f)
        see = f" <{url}>" if url else ""
        level = translate.severity(str(f.severity), report.lang)
        yield f"{f.path}:{f.line}:{f.column}: {level} {f.rule} {f.message}{fix}{see}"
    yield report.summary()


def escape_data(value: str) -> str:
    """Escape a workflow command's message (GitHub's toolkit `escapeData`)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command's property value (GitHub's toolkit `escapeProperty`)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(report: Report) -> Iterable[str]:
    """GitHub Actions workflow commands: an annotation per finding (on changed lines
    only, when told which), errors first; then the count."""
    chosen = [
        f for f in report.findings if report.annotate is None or (f.path, f.line) in report.annotate
    ]
    chosen.sort(key=lambda f: (not f.is_error, f.path, f.line, f.column))
    shown = {"error": 0, "warning": 0}
    for f in chosen:
        level = "error" if f.is_error else "warning"
        shown[level] += 1
        if shown[level] > GITHUB_ANNOTATION_LIMIT:
            continue
        properties = ",".join(
            f"{key}={escape_property(str(value))}"
            for key, value in (
                ("file", f.path),
                ("line", f.line),
                ("col", f.column),
                ("title", f"{f.rule} {f.alias}"),
            )
        )
        message = f.message + translate.fixed(f.fix, report.lang)
        url = report.url(f)
        if url:
            message += f"\n{url}"
        yield f"::{level} {properties}::{escape_data(message)}"
    hidden = sum(max(0, n - GITHUB_ANNOTATION_LIMIT) for n in shown.values())
    words = functools.partial(translate.words, lang=report.lang)
    if hidden:
        yield words(
            f"{hidden} more finding(s) not annotated (GitHub shows 10 per level): see the summary"
        )
    elsewhere = len(report.findings) - len(chosen)
    if elsewhere:
        yield words(
            f"{elsewhere} finding(s) on lines this change did not touch are not annotated: "
            "see the summary"
        )
    yield report.summary()


def as_json(report: Report) -> Iterable[str]:
    errors, warnings = count(report.findings)
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
                "url": report.url(f),
            }
            for f in report.findings
        ],
        "summary": {"errors": errors, "warnings": warnings, "files": report.files},
    }
    yield json.dumps(document, ensure_ascii=False, indent=2)


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def markdown(report: Report) -> str:
    """The full report as Markdown, for `$GITHUB_STEP_SUMMARY` and pull-request comments."""
    errors, _ = count(report.findings)
    mark = "❌" if errors else "✅"
    lines = [f"### {mark} smesa check: {report.summary()}", ""]
    if report.findings:
        header = ("where", "severity", "rule", "message", "how to fix")
        cells = [translate.words(word, report.lang) for word in header]
        lines += ["| " + " | ".join(cells) + " |", "|---|---|---|---|---|"]
        for f in report.findings:
            url = report.url(f)
            rule = f"[{f.rule} {f.alias}]({url})" if url else f"{f.rule} {f.alias}"
            level = translate.severity(str(f.severity), report.lang)
            lines.append(
                f"| `{f.path}:{f.line}:{f.column}` | {level} | {rule} | "
                f"{_cell(f.message)} | {_cell(f.fix)} |"
            )
    return "\n".join(lines) + "\n"


FORMATS = {"text": text, "github": github, "json": as_json}
