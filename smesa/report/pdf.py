"""The annual report as a PDF laid out like an APEC publication (fpdf2).

Cover (the forum, title in English and Chinese, month of publication, the approval or
the draft mark), the imprint on its back (producer, APEC Secretariat's address,
copyright, licence, publication number, disclaimer), contents, then the numbered
sections of `smesa.report.annual.publication` in English: the acronyms, the report's own
narrative, numbered tables and figures, each with its source. Headings carry the Chinese
too. A report the SMEWG has not approved says DRAFT across every page.

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
from smesa.report.annual import AnnualReport, Words, chart_repo, publication
from smesa.report.document import Bullets, Figure, Heading, Note, Para, Table

if TYPE_CHECKING:
    from fpdf import FPDF

BLUE = (31, 95, 159)  # the charts' bar colour
INK = (31, 31, 31)
GREY = (110, 110, 110)
RED = (176, 0, 32)
WATERMARK = (243, 218, 222)
CJK_CHAR = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
LATIN = "dejavu"
CJK = "notocjk"
# Sections of the front matter that are not numbered (the imprint is on the cover's back).
UNNUMBERED = ("imprint", "acronyms")


@cache
def font_files() -> tuple[Path, Path, Path, tuple[Path, int]]:
    """DejaVu Sans regular, bold and oblique, and the Noto Sans CJK SC file with its
    face index."""
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
    return (
        ttf / "DejaVuSans.ttf",
        ttf / "DejaVuSans-Bold.ttf",
        ttf / "DejaVuSans-Oblique.ttf",
        (Path(cjk), index),
    )


def _pdf(report: AnnualReport, en: Words) -> FPDF:
    from fpdf import FPDF

    title = report.title("en")
    draft = None if report.approved else en("draft_mark")
    marks = ", ".join(m for m in (draft, en("sample_mark") if report.sample else None) if m)

    class Publication(FPDF):
        def header(self) -> None:
            if draft is None:
                return
            # Under everything the page then prints: the mark never hides a figure.
            self.set_font(LATIN, "B", 110)
            self.set_text_color(*WATERMARK)
            with self.rotation(angle=55, x=self.w / 2, y=self.h / 2):
                self.text(self.w / 2 - 68, self.h / 2 + 14, draft)
            self.set_text_color(*INK)
            self.set_font(LATIN, size=10)

        def footer(self) -> None:
            if self.page_no() == 1:
                return
            self.set_y(-14)
            self.set_font(LATIN, size=8)
            self.set_text_color(*GREY)
            self.cell(0, 6, title + (f" ({marks})" if marks else ""), align="L")
            self.set_x(self.l_margin)
            self.cell(0, 6, str(self.page_no()), align="R")

    pdf = Publication(format="A4", unit="mm")
    regular, bold, oblique, (cjk, index) = font_files()
    pdf.add_font(LATIN, "", str(regular))
    pdf.add_font(LATIN, "B", str(bold))
    pdf.add_font(LATIN, "I", str(oblique))
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
    en, zh = Words(report.repo, "en"), Words(report.repo, "zh")
    pdf = _pdf(report, en)
    _cover(pdf, report, en, zh)
    blocks = publication(report, "en").blocks
    # The cover says what precedes the imprint (draft note, forum, month).
    first = next(i for i, b in enumerate(blocks) if isinstance(b, Heading))
    blocks = blocks[first:]
    imprint_end = next(
        i for i, b in enumerate(blocks) if isinstance(b, Heading) and i > 0 and b.level == 2
    )
    pdf.add_page()  # the cover's back: the imprint
    _blocks(pdf, report, blocks[:imprint_end], numbered=False)
    pdf.add_page()
    pdf.insert_toc_placeholder(_contents, pages=1)
    # The contents placeholder ends with a page break: the next section starts on it.
    _blocks(pdf, report, blocks[imprint_end:], numbered=True, fresh=True)
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
    pdf.set_y(205)
    _line(pdf, en.month(report.published_on, draft=not report.approved), 8, 14, "B")
    pdf.ln(2)
    lines = []
    approval = report.approval
    if approval:
        lines.append(en("approved_line", date=en.date(approval.date), ref=approval.ref))
        lines.append(zh("approved_line", date=zh.date(approval.date), ref=approval.ref))
    else:
        pdf.set_text_color(*RED)
        _line(pdf, en("draft_note", date=en.date(report.as_of)), 5.5, 10, "B")
        pdf.set_text_color(*INK)
    if report.sample:
        pdf.set_text_color(*RED)
        _line(pdf, en("sample_report_note"), 5.5, 10, "B")
        pdf.set_text_color(*INK)
    if report.record and report.record.publication_number:
        lines.append(en("publication_number", number=report.record.publication_number))
    secretariat = report.repo.tor.secretariat
    lines.append(en("prepared_by", secretariat=en.t(secretariat)))
    lines.append(zh("prepared_by", secretariat=zh.t(secretariat)))
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


def _blocks(
    pdf: FPDF, report: AnnualReport, blocks: list, *, numbered: bool, fresh: bool = False
) -> None:
    """Lay out `blocks`; a section (level-2 heading) starts a page when little is left.
    Sections are numbered, but for the front matter's (UNNUMBERED)."""
    number = 0
    unnumbered = {labels(REPORT_LABELS)[key]["en"] for key in UNNUMBERED}
    for i, block in enumerate(blocks):
        if isinstance(block, Heading) and block.level == 2:
            # a section whose first block is a chart starts with it, not above it
            figure_next = i + 1 < len(blocks) and isinstance(blocks[i + 1], Figure)
            if not fresh and (pdf.get_y() > 200 or (figure_next and pdf.get_y() > 150)):
                pdf.add_page()
            fresh = False
            text = block.text
            if numbered and text not in unnumbered:
                number += 1
                text = f"{number}. {text}"
            _heading(pdf, f"{text}  {block.other}".strip(), text)
        elif isinstance(block, Heading):
            if pdf.get_y() > 250:
                pdf.add_page()
            pdf.ln(1)
            _line(pdf, block.text, 6, 11, "B")
            pdf.ln(1)
        elif isinstance(block, Note):
            _note(pdf, block.text)
        elif isinstance(block, Para):
            _para(pdf, block.text, bold=block.strong)
        elif isinstance(block, Bullets):
            _bullets(pdf, block.items)
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Figure):
            _figure(pdf, report, block)


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


def _bullets(pdf: FPDF, items: tuple[str, ...]) -> None:
    indent = 6
    for item in items:
        pdf.set_font(LATIN, size=10)
        y = pdf.get_y()
        pdf.set_x(pdf.l_margin + 1)
        pdf.cell(indent - 1, 5.5, "•")
        pdf.set_xy(pdf.l_margin + indent, y)
        starts_cjk = bool(CJK_CHAR.match(item))
        pdf.set_font(CJK if starts_cjk else LATIN, size=10)
        pdf.multi_cell(
            pdf.w - pdf.r_margin - pdf.l_margin - indent,
            5.5,
            item,
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(1)
    pdf.ln(1)
    pdf.set_font(LATIN, size=10)


def _note(pdf: FPDF, text: str) -> None:
    pdf.set_draw_color(*RED)
    pdf.set_text_color(*RED)
    pdf.set_font(LATIN, "B", 10)
    pdf.multi_cell(0, 6, text, border=1, align="L", padding=2, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_text_color(*INK)
    pdf.set_font(LATIN, size=10)


def _source(pdf: FPDF, text: str) -> None:
    if not text:
        return
    pdf.set_font(LATIN, "I", 8)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 4.2, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(LATIN, size=10)


# A table row must fit on one page; a longer cell is cut (its full text is in the CSV).
CELL_CHARS = 400


def _fits(text: str) -> str:
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1].rstrip() + "…"


def _table(pdf: FPDF, table: Table) -> None:
    from fpdf.enums import Align
    from fpdf.fonts import FontFace

    if table.caption:
        if pdf.get_y() > 245:  # a caption is not left alone at the foot of a page
            pdf.add_page()
        _line(pdf, table.caption, 5.5, 10, "B")
        pdf.ln(1)
    pdf.set_font(LATIN, size=9)
    widths = table.widths or tuple(1 for _ in table.header)
    aligns = tuple(Align.R if table.align(i) else Align.L for i in range(len(table.header)))
    with pdf.table(
        col_widths=widths,
        headings_style=FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE),
        cell_fill_color=(236, 242, 248),
        cell_fill_mode="ROWS",
        line_height=5,
        text_align=aligns,
        first_row_as_headings=True,
        borders_layout="HORIZONTAL_LINES",
    ) as rows:
        for values in (table.header, *table.rows):
            rows.row([_fits(str(value)) for value in values])
    pdf.ln(1)
    _source(pdf, table.source)
    pdf.ln(3)


def _figure(pdf: FPDF, report: AnnualReport, figure: Figure) -> None:
    chart = charts.CHARTS[figure.chart]
    width = 170
    height = width * chart.figsize[1] / chart.figsize[0]
    if pdf.get_y() + height + 22 > pdf.h - pdf.b_margin:
        pdf.add_page()
    svg = chart.render(chart_repo(report, figure.chart), "en")
    pdf.image(io.BytesIO(svg), x=pdf.l_margin, w=width, h=height)
    pdf.ln(2)
    zh = charts.CHARTS[figure.chart].title["zh"]
    _line(pdf, f"{figure.caption}  {zh}", 5.5, 10, "B")
    _source(pdf, figure.source)
    pdf.ln(5)
