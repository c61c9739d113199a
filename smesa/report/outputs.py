"""The files of `smesa report`: tidy CSV figures, the obligations, the report in Markdown,
HTML and PDF, and its charts. Nothing is written unless every file could be made."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from smesa.data.models import LANGUAGES
from smesa.render import inert
from smesa.report import charts
from smesa.report.annual import (
    REPORT_CHARTS,
    AnnualReport,
    ReportError,
    Words,
    chart_repo,
    markdown_to_html,
    report_markdown,
)
from smesa.report.pdf import render_pdf

FIGURE_COLUMNS = ("year", "section", "measure", "key", "label_en", "label_zh", "value")
OBLIGATION_COLUMNS = (
    "year",
    "obligation",
    "clause",
    "state",
    "late",
    "due",
    "met_by",
    "statement",
)


def figure_rows(report: AnnualReport) -> list[dict[str, object]]:
    """The report's figures as tidy rows: one measure of one key per row."""
    words = {lang: Words(report.repo, lang) for lang in LANGUAGES}
    rows: list[dict[str, object]] = []

    def row(section: str, measure: str, key: str, value: object, name: Callable[..., str]) -> None:
        rows.append(
            {
                "year": report.year,
                "section": section,
                "measure": measure,
                "key": key,
                "label_en": name(words["en"]),
                "label_zh": name(words["zh"]),
                "value": value,
            }
        )

    def total(section: str, measure: str, value: object) -> None:
        day = report.as_of
        row(section, measure, "", value, lambda w: w(f"measure_{measure}", date=w.date(day)))

    total("membership", "members_at_start", report.members_start)
    total("membership", "members_at_end", report.members_end)
    total("membership", "growth", report.growth)
    total(
        "membership",
        "growth_percent",
        "" if report.growth_percent is None else report.growth_percent,
    )
    total("membership", "new_members", len(report.new_members))
    total("membership", "withdrawals", len(report.withdrawals))
    for m in report.new_members:
        row("new_members", "joined", m.id, m.joined.isoformat(), lambda w, m=m: w.t(m.name))
    for m in report.withdrawals:
        row("withdrawals", "withdrawn", m.id, str(m.withdrawn), lambda w, m=m: w.t(m.name))
    for code, count in report.members_by_economy:
        row("members_by_economy", "members", code, count, lambda w, c=code: w.economy(c))
    total("cases", "published_cases", len(report.cases))
    for code, count in report.cases_by_economy:
        row("cases_by_economy", "published_cases", code, count, lambda w, c=code: w.economy(c))
    for topic, count in report.cases_by_topic:
        row("cases_by_topic", "published_cases", topic, count, lambda w, t=topic: w.topic(t))
    for key, count in report.coverage:
        row("economy_coverage", "economies", key, count, lambda w, k=key: w(f"coverage_{k}"))
    total("meetings", "alliance_meetings", len(report.alliance_meetings))
    total("meetings", "smewg_sessions", len(report.smewg_sessions))
    for kind, count in sorted(Counter(m.type for m in report.meetings).items()):
        row("meetings_by_type", "meetings", kind, count, lambda w, k=kind: w.kind(k))
    total("meetings", "decisions", sum(len(m.decisions) for m in report.meetings))
    total("activities", "activities", len(report.activities))
    for a in report.activities:
        people = len(a.participants) + len(a.partners) + len(a.sponsors)
        row(
            "activities",
            "participants_partners_sponsors",
            a.id,
            people,
            lambda w, a=a: w.t(a.title),
        )
    total("approvals", "approvals", len(report.approvals))
    for forum, count in sorted(Counter(a.forum for a in report.approvals).items()):
        row("approvals_by_forum", "approvals", forum, count, lambda w, f=forum: f)
    for c in report.compliance:
        met = {"met": 1, "overdue": 0, "due": ""}[c.state]
        row("compliance", "met", c.key, met, lambda w, c=c: c.title[w.lang])
        if c.late:
            row("compliance", "late", c.key, 1, lambda w, c=c: c.title[w.lang])
    return rows


# A spreadsheet takes a cell that starts with one of these for a formula and runs it
# (OWASP, "CSV Injection"): =HYPERLINK(...), +cmd|' /C calc'!A0, @SUM(...).
FORMULA_STARTS = frozenset("=+-@\t\r")


def spreadsheet_cell(value: object) -> object:
    """A CSV cell no spreadsheet runs: text that starts like a formula, after any
    spaces, gets a leading `'`, which makes a spreadsheet keep the cell as text (OWASP's
    advice). Numbers the records hold stay numbers, negative ones too; text that only
    looks like a number ("-2+3") is text, and gets the `'`."""
    if value is None:
        return ""
    if isinstance(value, int | float):  # bool included
        return value
    text = str(value)
    return f"'{text}" if text.lstrip(" ")[:1] in FORMULA_STARTS else text


def _csv(columns: tuple[str, ...], rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    # CRLF, as RFC 4180 has it: the writer quotes a cell only for the characters of its
    # line ending, so with "\n" alone a carriage return went unquoted and split the row.
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def figures_csv(report: AnnualReport) -> str:
    return _csv(FIGURE_COLUMNS, figure_rows(report))


def obligations_csv(report: AnnualReport) -> str:
    rows: list[dict[str, object]] = []
    for c in report.compliance:
        o = c.obligation
        met_by = o.met_by if o else (report.presidium.id if report.presidium else None)
        rows.append(
            {
                "year": report.year,
                "obligation": c.key,
                "clause": c.clause.section,
                "state": c.state,
                "late": c.late,
                "due": o.due.isoformat() if o else "",
                "met_by": met_by or "",
                "statement": c.statement,
            }
        )
    return _csv(OBLIGATION_COLUMNS, rows)


def write_report_charts(report: AnnualReport, out_dir: Path) -> list[Path]:
    """The report's charts, as of its day, as `<chart>.<lang>.svg` in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in REPORT_CHARTS:
        for lang in LANGUAGES:
            target = out_dir / charts.chart_file(name, lang)
            target.write_bytes(charts.CHARTS[name].render(chart_repo(report, name), lang))
            written.append(target)
    return written


def write_report(report: AnnualReport, out_dir: Path) -> list[Path]:
    """Write every output of the report to `out_dir`; returns the files written."""
    stem = f"annual-report-{report.year}"
    outputs: dict[str, str] = {
        f"{stem}-figures.csv": figures_csv(report),
        f"{stem}-obligations.csv": obligations_csv(report),
    }
    for lang in LANGUAGES:
        body = report_markdown(report, lang)
        outputs[f"{stem}.{lang}.md"] = f"# {report.title(lang)}\n\n{body}"
        outputs[f"{stem}.{lang}.html"] = markdown_to_html(
            body, report.title(lang), lang, draft=not report.approved
        )
    active = [
        f"{name}: {what}"
        for name, content in outputs.items()
        if name.endswith(".html")
        for what in inert.html_problems(content)
    ]
    if active:  # read back as a browser would, before anything is written
        raise ReportError("the report holds active content: " + "; ".join(active[:5]))
    try:
        pdf_bytes = render_pdf(report)
    except ValueError as error:  # fpdf2: a table cell taller than a page
        raise ReportError(f"the PDF cannot be laid out: {error}") from None
    out_dir.mkdir(parents=True, exist_ok=True)
    written = write_report_charts(report, out_dir / "charts")
    for name, content in outputs.items():
        (out_dir / name).write_text(content, "utf-8")
        written.append(out_dir / name)
    pdf = out_dir / f"{stem}.pdf"
    pdf.write_bytes(pdf_bytes)
    written.append(pdf)
    return sorted(written)
