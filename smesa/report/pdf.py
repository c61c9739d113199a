"""The annual report as a PDF laid out like an APEC publication (fpdf2).

Cover (title in English and Chinese, year, publication number, approval line), contents,
then numbered sections with tables and the charts of `smesa.report.charts`. The text is
English, as the ToR asks of every output; headings and the cover carry the Chinese too.

Fonts: DejaVu Sans (shipped with matplotlib) for Latin text and Noto Sans CJK SC
(Debian's fonts-noto-cjk, the font the Chinese charts use) as fpdf2's fallback for
Chinese, so every glyph is embedded and the file reads the same everywhere. fpdf2 embeds
the CJK font's CFF outlines with a CID map; viewers draw it correctly, but text
extraction (pypdf) puts a space between Chinese characters, which is cosmetic.

The charts are embedded as SVG (vector, their text already outlines). Output is
deterministic: the creation date is the report's date.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from smesa.data.texts import REPORT_LABELS, labels
from smesa.report import charts
from smesa.report.annual import REPORT_CHARTS, AnnualReport, Words

if TYPE_CHECKING:
    from fpdf import FPDF

BLUE = (31, 95, 159)  # the charts' bar colour
INK = (31, 31, 31)
GREY = (110, 110, 110)
CJK_CHAR = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
LATIN = "dejavu"
CJK = "notocjk"


@cache
def font_files() -> tuple[Path, Path, tuple[Path, int]]:
    """DejaVu Sans regular and bold, and the Noto Sans CJK SC file with its face index."""
    import matplotlib
    from fontTools.ttLib import TTCollection
    from matplotlib import font_manager

    charts.require_cjk_font()  # a clear message when fonts-noto-cjk is missing
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    cjk = next(f.fname for f in font_manager.fontManager.ttflist if f.name == charts.CJK_FAMILY)
    index = 0
    if cjk.lower().endswith((".ttc", ".otc")):
        faces = TTCollection(cjk, lazy=True).fonts
        index = next(
            i for i, face in enumerate(faces) if face["name"].getDebugName(1) == charts.CJK_FAMILY
        )
    return ttf / "DejaVuSans.ttf", ttf / "DejaVuSans-Bold.ttf", (Path(cjk), index)


def _pdf(report: AnnualReport) -> FPDF:
    from fpdf import FPDF

    title = report.title("en")

    class Publication(FPDF):
        def footer(self) -> None:
            if self.page_no() == 1:
                return
            self.set_y(-14)
            self.set_font(LATIN, size=8)
            self.set_text_color(*GREY)
            self.cell(0, 6, title, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 6, str(self.page_no()), align="R")

    pdf = Publication(format="A4", unit="mm")
    regular, bold, (cjk, index) = font_files()
    pdf.add_font(LATIN, "", str(regular))
    pdf.add_font(LATIN, "B", str(bold))
    pdf.add_font(CJK, "", str(cjk), collection_font_number=index)
    pdf.set_fallback_fonts([CJK], exact_match=False)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(title)
    pdf.set_author(labels(REPORT_LABELS)["alliance"]["en"])
    pdf.set_subject(labels(REPORT_LABELS)["forum"]["en"])
    pdf.set_lang("en")
    pdf.set_creation_date(dt.datetime.combine(report.as_of, dt.time(), tzinfo=dt.UTC))
    return pdf


def render_pdf(report: AnnualReport) -> bytes:
    """The report as PDF bytes."""
    logging.getLogger("fpdf.svg").setLevel(logging.ERROR)  # <title>/<metadata> notices
    pdf = _pdf(report)
    en, zh = Words(report.repo, "en"), Words(report.repo, "zh")
    _cover(pdf, report, en, zh)
    pdf.add_page()
    pdf.insert_toc_placeholder(_contents, pages=1)
    sections = (
        ("summary", _summary),
        ("membership", _membership),
        ("cases", _cases),
        ("meetings", _meetings),
        ("proposal", _proposal),
        ("activities", _activities),
        ("approvals", _approvals),
        ("compliance", _compliance),
        ("charts", _charts),
    )
    # The contents placeholder ends with a page break: the summary starts on that page.
    for number, (key, write) in enumerate(sections, start=1):
        if key == "charts" or (key != "summary" and pdf.get_y() > 200):
            pdf.add_page()
        _heading(pdf, f"{number}. {en(key)}  {zh(key)}", f"{number}. {en(key)}")
        write(pdf, report, en)
    return bytes(pdf.output())


# -- layout pieces -------------------------------------------------------------------


def _cover(pdf: FPDF, report: AnnualReport, en: Words, zh: Words) -> None:
    pdf.add_page()
    pdf.set_fill_color(*BLUE)
    pdf.rect(0, 0, pdf.w, 62, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(20, 22)
    _line(pdf, en("alliance"), 7, 13, "B")
    _line(pdf, zh("alliance"), 7, 11)
    _line(pdf, en("forum"), 7, 11)
    pdf.set_text_color(*INK)
    pdf.set_xy(20, 95)
    _line(pdf, report.title("en"), 11, 24, "B")
    pdf.ln(3)
    _line(pdf, report.title("zh"), 9, 16)
    pdf.ln(6)
    pdf.set_font(LATIN, "B", 40)
    pdf.set_text_color(*BLUE)
    pdf.cell(0, 18, str(report.year), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_y(220)
    pdf.set_font(LATIN, size=10)
    secretariat = report.repo.tor.secretariat
    lines = []
    if report.record and report.record.publication_number:
        lines.append(en("publication_number", number=report.record.publication_number))
    approval = report.approval
    if approval:
        lines.append(en("approved_line", date=en.date(approval.date), ref=approval.ref))
        lines.append(zh("approved_line", date=zh.date(approval.date), ref=approval.ref))
    else:
        lines.append(en("not_approved"))
    lines.append(en("prepared_by", secretariat=en.t(secretariat)))
    lines.append(zh("prepared_by", secretariat=zh.t(secretariat)))
    lines.append(en("as_of", date=en.date(report.as_of)))
    for line in lines:
        _line(pdf, line, 6, 10)
    pdf.set_fill_color(255, 255, 255)


def _contents(pdf: FPDF, outline: list) -> None:
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.set_font(LATIN, "B", 16)
    pdf.set_text_color(*BLUE)
    pdf.cell(
        0,
        12,
        f"{labels(REPORT_LABELS)['contents']['en']}  {labels(REPORT_LABELS)['contents']['zh']}",
    )
    pdf.ln(16)
    pdf.set_text_color(*INK)
    pdf.set_font(LATIN, size=11)
    for section in outline:
        link = pdf.add_link(page=section.page_number)
        pdf.cell(150, 8, section.name, link=link)
        pdf.cell(0, 8, str(section.page_number), align="R", link=link)
        pdf.ln(8)


def _heading(pdf: FPDF, text: str, outline_name: str) -> None:
    pdf.start_section(outline_name)
    pdf.set_text_color(*BLUE)
    _line(pdf, text, 9, 15, "B")
    pdf.set_draw_color(*BLUE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(4)
    pdf.set_text_color(*INK)
    pdf.set_font(LATIN, size=10)


def _line(pdf: FPDF, text: str, height: float, size: float, style: str = "") -> None:
    """One paragraph in the font its first character needs.

    fpdf2 2.8.9 loses the font of a text that starts with a fallback (CJK) glyph right
    after a font change (its Tf lands inside a q/Q pair), garbling the next line; text
    that starts in Chinese is therefore set in the CJK font itself, which has Latin
    glyphs too.
    """
    starts_cjk = bool(text) and bool(CJK_CHAR.match(text))
    pdf.set_font(CJK if starts_cjk else LATIN, "" if starts_cjk else style, size)
    pdf.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(LATIN, size=10)


def _para(pdf: FPDF, text: str, *, bold: bool = False) -> None:
    _line(pdf, text, 5.5, 10, "B" if bold else "")
    pdf.ln(2)


# A table row must fit on one page; a longer cell is cut (its full text is in the CSV).
CELL_CHARS = 400


def _fits(text: str) -> str:
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1].rstrip() + "…"


def _table(
    pdf: FPDF, header: tuple[str, ...], rows: list[tuple[object, ...]], widths: tuple[int, ...]
) -> None:
    from fpdf.fonts import FontFace

    if not rows:
        _para(pdf, labels(REPORT_LABELS)["none"]["en"])
        return
    pdf.set_font(LATIN, size=9)
    with pdf.table(
        col_widths=widths,
        headings_style=FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE),
        cell_fill_color=(236, 242, 248),
        cell_fill_mode="ROWS",
        line_height=5,
        text_align="LEFT",
        first_row_as_headings=True,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        for values in (header, *rows):
            table.row([_fits(str(value)) for value in values])
    pdf.ln(3)
    pdf.set_font(LATIN, size=10)


# -- sections ------------------------------------------------------------------------


def _summary(pdf: FPDF, r: AnnualReport, w: Words) -> None:
    _para(pdf, w("as_of", date=w.date(r.as_of)) + ("" if r.complete else " " + w("in_progress")))
    if r.record:
        _para(pdf, w.t(r.record.summary))
    growth = f"{r.growth:+d}" + (
        f" ({r.growth_percent:+.1f}%)" if r.growth_percent is not None else ""
    )
    _table(
        pdf,
        (w("col_measure"), w("col_value")),
        [
            (w("measure_members_at_start"), r.members_start),
            (w("measure_members_at_end"), r.members_end),
            (w("measure_growth"), growth),
            (w("measure_new_members"), len(r.new_members)),
            (w("measure_withdrawals"), len(r.withdrawals)),
            (w("measure_published_cases"), len(r.cases)),
            (w("measure_meetings"), len(r.meetings)),
            (w("measure_activities"), len(r.activities)),
            (w("measure_approvals"), len(r.approvals)),
        ],
        (130, 40),
    )
    if r.missed:
        _para(pdf, w("missed"), bold=True)
        for c in r.missed:
            _para(pdf, f"- {c.title['en']} ({c.clause.section}): {c.statement}")
    else:
        _para(pdf, w("all_met"))


def _membership(pdf: FPDF, r: AnnualReport, w: Words) -> None:
    changes = [
        (w.t(m.name), w.economy(m.economy), f"{w('joined')} {m.joined}") for m in r.new_members
    ] + [
        (w.t(m.name), w.economy(m.economy), f"{w('withdrew')} {m.withdrawn}") for m in r.withdrawals
    ]
    _table(pdf, (w("col_member"), w("col_economy"), w("col_date")), changes, (85, 45, 40))
    _para(pdf, w("members_by_economy"), bold=True)
    rows = [(w.economy(code), count) for code, count in r.members_by_economy]
    _table(pdf, (w("col_economy"), w("col_count")), rows, (130, 40))


def _cases(pdf: FPDF, r: AnnualReport, w: Words) -> None:
    rows = [(w.t(c.title), w.member(c.member), c.published or "") for c in r.cases]
    _table(pdf, (w("col_case"), w("col_member"), w("col_date")), rows, (85, 60, 25))
    _para(pdf, w("cases_by_economy"), bold=True)
    rows = [(w.economy(code), count) for code, count in r.cases_by_economy]
    _table(pdf, (w("col_economy"), w("measure_published_cases")), rows, (130, 40))
    _para(pdf, w("cases_by_topic"), bold=True)
    rows = [(w.topic(topic), count) for topic, count in r.cases_by_topic]
    _table(pdf, (w("col_topic"), w("measure_published_cases")), rows, (130, 40))
    total = len(r.repo.economies)
    rows = [(w(f"coverage_{key}"), f"{count} / {total}") for key, count in r.coverage]
    _table(pdf, (w("col_measure"), w("col_count")), rows, (130, 40))


def _meetings(pdf: FPDF, r: AnnualReport, w: Words) -> None:
    if not r.meetings:
        _para(pdf, w("none"))
    for m in r.meetings:
        _para(pdf, f"{w.t(m.title)} ({w.kind(m.type)}, {m.date})", bold=True)
        decisions = [(w.kind(d.kind), w.t(d.text)) for d in m.decisions]
        if decisions:
            _table(pdf, (w("col_type"), w("col_decision")), decisions, (40, 130))


def _proposal(pdf: FPDF, r: AnnualReport, w: Words) -> None:
    p = r.proposal
    if p is None:
        _para(pdf, w("no_proposal"))
        return
    _para(pdf, w.t(p.title), bold=True)
    status = w.kind(p.status)
    _para(pdf, w("proposal_line", status=status, meeting=p.target_meeting, date=p.submitted or "—"))
    _para(pdf, w.t(p.summary))
    for issue in p.issues:
        _para(pdf, f"- {w.t(issue.title)}")


def _activities(pdf: FPDF, r: AnnualReport, w: Words) -> None:
    rows = [
        (
            w.t(a.title),
            a.date,
            w.participants(a.participants),
            w.participants([*a.partners, *a.sponsors]),
        )
        for a in r.activities
    ]
    header = (w("col_activity"), w("col_date"), w("col_participants"), w("col_partners"))
    _table(pdf, header, rows, (45, 22, 60, 43))


def _approvals(pdf: FPDF, r: AnnualReport, w: Words) -> None:
    rows = [(a.date, a.forum, a.ref, f"{w.kind(a.kind)}: {w.t(a.title)}") for a in r.approvals]
    header = (w("col_date"), w("col_forum"), w("col_reference"), w("col_record"))
    _table(pdf, header, rows, (22, 33, 40, 75))


def _compliance(pdf: FPDF, r: AnnualReport, w: Words) -> None:
    rows = [(c.title["en"], c.clause.section, w.state(c.state), c.statement) for c in r.compliance]
    header = (w("col_obligation"), w("col_clause"), w("col_state"), w("col_detail"))
    _table(pdf, header, rows, (50, 22, 23, 75))


def _charts(pdf: FPDF, r: AnnualReport, w: Words) -> None:
    for name in REPORT_CHARTS:
        chart = charts.CHARTS[name]
        width = 170
        height = width * chart.figsize[1] / chart.figsize[0]
        if pdf.get_y() + height + 12 > pdf.h - pdf.b_margin:
            pdf.add_page()
        _para(pdf, f"{w.chart_title(name)}  {charts.CHARTS[name].title['zh']}", bold=True)
        pdf.image(io.BytesIO(chart.render(r.repo, "en")), x=pdf.l_margin, w=width, h=height)
        pdf.ln(4)
