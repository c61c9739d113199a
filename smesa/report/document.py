"""The annual report as a document: headings, paragraphs, lists, numbered tables and
figures, each with its source. `smesa.report.annual` builds one per language; the
Markdown template and the PDF lay out the same blocks, so the two cannot disagree.

All text in a block is plain text (a name, a figure, a sentence of ours): each renderer
makes it literal in its own format. The report record's narrative, Markdown written by
the Secretariat, becomes blocks too (`markdown_blocks`): its headings, paragraphs and
lists, its inline markup read as the words it marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2  # 2: a section, 3: a part of one
    other: str = ""  # the heading in the other language (the PDF carries both)


@dataclass(frozen=True, slots=True)
class Para:
    text: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Note:
    """A boxed statement the reader must not miss (the draft mark)."""

    text: str


@dataclass(frozen=True, slots=True)
class Table:
    number: int
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: str
    numeric: tuple[bool, ...] = ()  # right-aligned columns (counts)
    widths: tuple[int, ...] = ()  # relative column widths in the PDF
    caption: str = ""  # "Table 3. Published cases by economy"

    def align(self, column: int) -> bool:
        return column < len(self.numeric) and self.numeric[column]


@dataclass(frozen=True, slots=True)
class Figure:
    number: int
    chart: str  # a name of smesa.report.charts.CHARTS
    title: str
    alt: str
    source: str
    caption: str = ""


Block = Heading | Para | Bullets | Note | Table | Figure


@dataclass(slots=True)
class Document:
    """The blocks of a report in one language, numbering its tables and figures."""

    lang: str
    blocks: list[Block] = field(default_factory=list)
    tables: int = 0
    figures: int = 0

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def next_table(self) -> int:
        self.tables += 1
        return self.tables

    def next_figure(self) -> int:
        self.figures += 1
        return self.figures


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def plain(text: str) -> str:
    """Markdown inline markup read as words: emphasis dropped, a link as its text."""
    text = _LINK.sub(lambda m: m.group(1) or m.group(2), text)
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def markdown_blocks(text: str, level: int = 3) -> list[Block]:
    """Contributor Markdown as blocks: headings (at `level`), paragraphs and lists."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Para(plain(" ".join(paragraph))))
            paragraph.clear()
        if items:
            blocks.append(Bullets(tuple(items)))
            items.clear()

    for line in text.splitlines():
        if not line.strip():
            flush()
        elif heading := _HEADING.match(line):
            flush()
            blocks.append(Heading(plain(heading.group(2)), level))
        elif bullet := _BULLET.match(line):
            if paragraph:
                flush()
            items.append(plain(bullet.group(1)))
        elif items and line.startswith((" ", "\t")):
            items[-1] = plain(f"{items[-1]} {line}")
        else:
            if items:
                flush()
            paragraph.append(line.strip())
    flush()
    return blocks
