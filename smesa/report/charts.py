"""Statistics charts, rendered at build time to SVG in English and Chinese (issues 3 and 5).

Readers get a static SVG, not a plotting script from a CDN. Three choices make that work:

- Text is converted to paths (``svg.fonttype: path``), so no reader needs a font and
  Chinese labels render on every device; only the glyphs used are embedded, once each.
- The Chinese charts use Noto Sans CJK SC, looked up by family name; the build fails
  with a clear message when it is missing instead of drawing empty boxes. English charts
  use DejaVu Sans, which ships with matplotlib, so they build on any machine.
- Output is deterministic (fixed size, fixed ``svg.hashsalt``, no date), so an unchanged
  repository builds the same files and the published site does not churn.

Every chart counts from one function (``chart_data``) that the page also uses for the
accessible table of the same numbers. Only published cases count. matplotlib is
imported inside functions so that ``smesa check`` starts without it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smesa.data import models
from smesa.data.models import LANGUAGES
from smesa.data.repository import Repository
from smesa.data.texts import labels
from smesa.tor.publication import is_public

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CJK_FAMILY = "Noto Sans CJK SC"
LATIN_FAMILY = "DejaVu Sans"
INK = "#1f1f1f"
BAR = "#1f5f9f"  # contrast 6.6:1 on white, above the 3:1 WCAG asks of graphics
# A sample figure: a pale bar outlined in the bar's colour (the outline gives the 3:1 on
# white). No hatching: the PDF's SVG reader (fpdf2) drops pattern fills, and the bars
# would vanish, reading as zero.
SAMPLE_BAR = "#c9daeb"
TRACK = "#dde3ea"
GRID = "#c8c8c8"
SALT = "smesa-charts"  # fixed svg.hashsalt: the same ids on every build

Rows = list[tuple[str, int | None]]  # None: a figure that is not known


class ChartFontMissing(RuntimeError):
    """The CJK font the Chinese charts need is not installed."""


CHART_LABELS = "charts.yml"  # titles, text alternatives, table headers


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: what it counts and how it is drawn; its words are in charts.yml."""

    name: str
    rows: Callable[[Repository], Rows]  # (label key, value) in drawing order
    draw_on: Callable[..., None]  # draws the rows on a matplotlib Axes
    figsize: tuple[float, float]
    # The phone variant (inches at 96 px): 288 px wide fits a 320 px screen's column, so
    # its 9 pt text is shown at 12 px, not scaled down.
    narrow: tuple[float, float] = (3.0, 3.0)

    @property
    def words(self) -> dict[str, Any]:
        return labels(CHART_LABELS)[self.name]  # type: ignore[no-any-return]

    @property
    def title(self) -> dict[str, str]:
        return self.words["title"]  # type: ignore[no-any-return]

    @property
    def alt(self) -> dict[str, str]:
        return self.words["alt"]  # type: ignore[no-any-return]

    @property
    def columns(self) -> dict[str, tuple[str, str]]:
        """The headers of the accessible table, per language."""
        return {lang: tuple(pair) for lang, pair in self.words["columns"].items()}  # type: ignore[misc]

    def render(self, repo: Repository, lang: str) -> bytes:
        """The SVG of this chart of `repo` in `lang`."""
        return draw(drawing(repo, self.name, lang))


# -- counting ------------------------------------------------------------------------


def published_cases(repo: Repository) -> list[models.Case]:
    """Cases a reader can see: drafts, submitted and approved cases never count."""
    return [e.record for e in repo.of(models.Case) if is_public(e.record)]


def member_active_on(member: models.Member, day: dt.date, today: dt.date) -> bool:
    """Joined by `day` and not withdrawn by then (a withdrawal without a date counts
    from today: the rules report the missing date)."""
    left = member.withdrawn or (today if member.status == "withdrawn" else None)
    return member.joined <= day and (left is None or left > day)


def _membership_growth_rows(repo: Repository) -> Rows:
    """Members at the end of each year, from the founding to the current year, whose
    count is as of today: the history in tor.yml `membership_history` (a figure with its
    source, a sample, or None when not known: `history_marks` says which) for the years
    before the term, the member records after."""
    members = [e.record for e in repo.of(models.Member)]
    history = {h.year: h.members for h in repo.tor.membership_history}
    first = min([repo.tor.founded, *history, *(m.joined.year for m in members)])
    rows: Rows = []
    for year in range(first, repo.today.year + 1):
        day = min(dt.date(year, 12, 31), repo.today)
        counted = sum(member_active_on(m, day, repo.today) for m in members)
        rows.append((str(year), history.get(year, counted)))
    return rows


def history_marks(repo: Repository) -> dict[str, str]:
    """Year -> "sample" or "unknown" for the membership history's figures that are not
    sourced counts (SM707 checks that the others name their source)."""
    return {
        str(h.year): "unknown" if h.members is None else "sample"
        for h in repo.tor.membership_history
        if h.members is None or h.sample
    }


def history_provenance(repo: Repository, lang: str) -> list[tuple[str, str]]:
    """(years, where the figures come from) for the membership history, consecutive
    years of one provenance joined ("2004–2024", "sample figures, not counts")."""
    words = CHARTS["membership-growth"].words["marks"]
    groups: list[tuple[int, int, str]] = []
    for h in sorted(repo.tor.membership_history, key=lambda h: h.year):
        if h.members is None:
            what = words["unknown"][lang]
        elif h.sample:
            what = words["sample_source"][lang]
        else:
            what = h.source.read(lang) if h.source else ""
        if groups and groups[-1][2] == what and groups[-1][1] == h.year - 1:
            groups[-1] = (groups[-1][0], h.year, what)
        else:
            groups.append((h.year, h.year, what))
    year = "{}年" if lang == "zh" else "{}"
    return [(year.format(a if a == b else f"{a}–{b}"), what) for a, b, what in groups]


def _case_economies(repo: Repository) -> list[str]:
    """The economy of each published case: that of its member (unknown members skipped;
    the rules report them)."""
    members = repo.index(models.Member)
    return [
        members[case.member].record.economy
        for case in published_cases(repo)
        if case.member in members
    ]


def _cases_by_economy_rows(repo: Repository) -> Rows:
    """Published cases per economy, most first; economies without cases are left out
    (the coverage chart shows how many there are)."""
    counts = Counter(_case_economies(repo))
    return sorted(counts.items(), key=lambda row: (-row[1], row[0]))


def _cases_by_topic_rows(repo: Repository) -> Rows:
    """Published cases per topic, most first. Every topic of the taxonomy is listed, a
    zero included: a topic nobody covers is worth seeing. A case counts once per topic."""
    counts = Counter(dict.fromkeys(repo.topics, 0))
    for case in published_cases(repo):
        counts.update(set(case.topics))
    order = {topic: i for i, topic in enumerate(repo.topics)}
    return sorted(counts.items(), key=lambda row: (-row[1], order.get(row[0], len(order)), row[0]))


def _cases_per_year_rows(repo: Repository) -> Rows:
    """Published cases per case year, from the first case year to the current year; a
    year without cases shows as zero (ToR §5: cases are published every year)."""
    counts = Counter(case.year for case in published_cases(repo))
    first = min(counts, default=repo.today.year)
    last = max([repo.today.year, *counts])
    return [(str(year), counts[year]) for year in range(first, last + 1)]


def _economy_coverage_rows(repo: Repository) -> Rows:
    """How many APEC economies have an active member today, and how many a published case."""
    with_members = {
        e.record.economy
        for e in repo.of(models.Member)
        if member_active_on(e.record, repo.today, repo.today)
    }
    with_cases = set(_case_economies(repo))
    known = set(repo.economies)
    return [("members", len(with_members & known)), ("cases", len(with_cases & known))]


def chart_data(repo: Repository, name: str) -> Rows:
    """The numbers behind chart `name`: (label key, value) rows in drawing order.

    Label keys are language-neutral: a year ("2025"), an economy code ("PRC"), a topic
    id, or "members"/"cases" for the coverage chart; `label` turns them into text.
    """
    return CHARTS[name].rows(repo)


def label(repo: Repository, name: str, key: str, lang: str) -> str:
    """The text shown for label `key` of chart `name` in `lang`."""
    if name == "cases-by-economy":
        economy = repo.economies.get(key)
        return economy.name.read(lang) if economy else key
    if name == "cases-by-topic":
        topic = repo.topics.get(key)
        return topic.name.read(lang) if topic else key
    if name == "economy-coverage":
        return CHARTS[name].words["bars"][key][lang]  # type: ignore[no-any-return]
    return key


def chart_table(repo: Repository, name: str, lang: str) -> list[tuple[str, int | str]]:
    """`chart_data` with display labels: the rows of the page's accessible table; a
    sample figure says so, and one not known reads "unknown"."""
    marks = history_marks(repo) if name == "membership-growth" else {}
    words = CHARTS["membership-growth"].words["marks"]
    rows: list[tuple[str, int | str]] = []
    for key, value in chart_data(repo, name):
        mark = marks.get(key)
        if value is None or mark == "unknown":
            shown: int | str = words["unknown_cell"][lang]
        elif mark == "sample":
            shown = words["sample_cell"][lang].format(value=value)
        else:
            shown = value
        rows.append((label(repo, name, key, lang), shown))
    return rows


# -- drawing -------------------------------------------------------------------------


def _rc(lang: str) -> dict[str, Any]:
    family = CJK_FAMILY if lang == "zh" else LATIN_FAMILY
    return {
        "svg.fonttype": "path",
        "svg.hashsalt": SALT,
        "path.simplify": True,
        "font.family": [family],
        "font.size": 10,
        "text.color": INK,
        "axes.labelcolor": INK,
        "axes.edgecolor": INK,
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": INK,
        "ytick.color": INK,
        "axes.unicode_minus": False,
        # Labels are names from the data: "$x^2$" is drawn as written, not as mathtext
        # (which would typeset it, or stop the build on "$\\frac$").
        "text.parse_math": False,
    }


def require_cjk_font() -> None:
    """Fail with a clear message when the Chinese charts cannot get their font."""
    from matplotlib import font_manager

    if not any(font.name == CJK_FAMILY for font in font_manager.fontManager.ttflist):
        raise ChartFontMissing(
            f"the Chinese charts need the font {CJK_FAMILY!r}, which matplotlib cannot find: "
            "install Debian's fonts-noto-cjk (scripts/install-system-deps.sh), then delete "
            "matplotlib's font cache (~/.cache/matplotlib/fontlist-*.json) so it is found"
        )


@dataclass(frozen=True, slots=True)
class Drawing:
    """Everything one chart in one language shows, as plain data."""

    name: str
    lang: str
    labels: tuple[str, ...]
    values: tuple[int | None, ...]
    total: int  # APEC economies: the track of the coverage chart
    marks: tuple[str, ...] = ()  # per label: "", "sample" or "unknown" (membership)


def drawing(repo: Repository, name: str, lang: str) -> Drawing:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}: {lang!r}")
    rows = chart_data(repo, name)
    marks = history_marks(repo) if name == "membership-growth" else {}
    return Drawing(
        name=name,
        lang=lang,
        labels=tuple(label(repo, name, key, lang) for key, _ in rows),
        values=tuple(value for _, value in rows),
        total=len(repo.economies),
        marks=tuple(marks.get(key, "") for key, _ in rows) if marks else (),
    )


# Characters a line of a narrow chart's label holds before it wraps.
NARROW_LABEL = {"en": 15, "zh": 7}


def narrow_label(label: str, lang: str) -> str:
    """A label wrapped for the narrow variant: at spaces in English, every few characters
    in Chinese (which has no spaces)."""
    width = NARROW_LABEL[lang]
    if lang == "zh":
        return "\n".join(label[i : i + width] for i in range(0, len(label), width))
    return textwrap.fill(label, width, break_long_words=False)


def draw(drawing: Drawing, *, narrow: bool = False) -> bytes:
    """The SVG of `drawing`; `narrow`: the phone variant (Chart.narrow)."""
    name, lang = drawing.name, drawing.lang
    if lang == "zh":
        require_cjk_font()
    import matplotlib
    from matplotlib.figure import Figure

    chart = CHARTS[name]
    with matplotlib.rc_context(_rc(lang)):
        fig = Figure(figsize=chart.narrow if narrow else chart.figsize, layout="constrained")
        ax = fig.add_subplot()
        wrap = chart.draw_on is not _draw_columns and narrow  # years need no wrapping
        chart.draw_on(
            ax,
            [narrow_label(label, lang) for label in drawing.labels]
            if wrap
            else list(drawing.labels),
            list(drawing.values),
            chart=chart,
            lang=lang,
            total=drawing.total,
            marks=list(drawing.marks),
        )
        if narrow:
            _narrow(fig, ax, chart, lang)
        buffer = io.BytesIO()
        fig.savefig(
            buffer,
            format="svg",
            metadata={
                "Title": chart.title[lang],
                "Description": chart.alt[lang],
                "Language": "zh-Hans" if lang == "zh" else "en",
                "Date": None,
            },
        )
    return compact_svg(buffer.getvalue())


def _narrow(fig: Any, ax: Axes, chart: Chart, lang: str) -> None:
    """Fit a drawn chart to the phone variant: years few enough to read on the axis, and
    the legend below the plot with its words wrapped (beside it, it would not fit)."""
    from matplotlib.ticker import MaxNLocator

    if chart.draw_on is _draw_columns:
        years = [int(tick) for tick in ax.get_xticks() if float(tick).is_integer()]
        if len(ax.patches) <= 4:  # a few bars: no room kept for years not there
            ax.set_xlim(min(years) - 0.8, max(years) + 0.8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    legend = ax.get_legend()
    if legend is not None:
        handles = legend.legend_handles
        words = [text.get_text() for text in legend.texts]
        legend.remove()
        # Chinese entries fit the width as they are.
        wrapped = [textwrap.fill(w, 34) if lang == "en" else w for w in words]
        fig.legend(handles, wrapped, loc="outside lower center", fontsize=9, frameon=False)


_PATH_DATA = re.compile(rb'(?<= d=")[^"]*')
_PATH_COMMAND = re.compile(rb" ?([MLQCZz]) ?")
_BETWEEN_TAGS = re.compile(rb">\s+<")
_GLYPH = re.compile(rb'(?<= d=")([-\d MLQCZz]*)(" transform="scale\()0\.015625(?=\)")')
_NUMBER = re.compile(rb"-?\d+")


def compact_svg(svg: bytes) -> bytes:
    """Shrink matplotlib's SVG by about a third without a visible change.

    matplotlib writes one path command per line, indents every element, and stores glyph
    outlines in 1/64 of a unit of a 100-unit em (FreeType's 26.6 fixed point). Readers
    need none of it: path data loses its line breaks, elements their indentation, and
    glyph outlines are rounded to 1/4 unit (1/400 em: 0.025 pt at 10 pt). The Chinese
    glyphs are most of a Chinese chart's bytes.
    """

    def path_data(match: re.Match[bytes]) -> bytes:
        return _PATH_COMMAND.sub(rb"\1", b" ".join(match.group(0).split()))

    def glyph(match: re.Match[bytes]) -> bytes:
        quarters = _NUMBER.sub(lambda n: b"%d" % ((int(n.group(0)) + 8) // 16), match.group(1))
        return quarters + match.group(2) + b"0.25"

    svg = _PATH_DATA.sub(path_data, svg)
    svg = _BETWEEN_TAGS.sub(b"><", svg)
    return _GLYPH.sub(glyph, svg)


def _integer_axis(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))


def _value_grid(ax: Axes, which: str) -> None:
    ax.grid(axis=which, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def _draw_columns(
    ax: Axes,
    labels: list[str],
    values: list[int | None],
    *,
    chart: Chart,
    lang: str,
    total: int,
    marks: list[str],
) -> None:
    """Vertical bars over the years; counts above the bars when there are few. A sample
    figure is a pale outlined bar, one not known a "?" on the axis, both in the legend."""
    years = [int(year) for year in labels]
    heights = [value or 0 for value in values]
    bars = ax.bar(years, heights, color=BAR, width=0.7)
    words = chart.words.get("marks", {})
    shown = set(marks) - {""}
    for bar, mark, value in zip(bars, marks, values, strict=False):
        if mark == "sample":
            bar.set_facecolor(SAMPLE_BAR)
            bar.set_edgecolor(BAR)
            bar.set_linewidth(1.0)
        if mark == "unknown" or value is None:
            shown.add("unknown")
            ax.annotate("?", (bar.get_x() + bar.get_width() / 2, 0), ha="center", va="bottom")
    if shown:
        from matplotlib.patches import Patch

        handles = [Patch(facecolor=BAR, label=words["count"][lang])]
        if "sample" in shown:
            handles.append(
                Patch(
                    facecolor=SAMPLE_BAR, edgecolor=BAR, linewidth=1.0, label=words["sample"][lang]
                )
            )
        if "unknown" in shown:
            handles.append(Patch(facecolor="none", label="? " + words["unknown"][lang]))
        # a white box: the top gridline would otherwise strike through the first entry
        ax.legend(
            handles=handles, loc="upper left", fontsize=9, frameon=True, framealpha=1
        ).get_frame().set_edgecolor("none")
    if len(years) <= 12:
        ax.bar_label(bars, padding=2, fontsize=9)
        ax.set_xticks(years)
        # keep a bar about as wide as a year among eight, however few years there are
        spare = max(0, 8 - len(years)) / 2
        ax.set_xlim(years[0] - 0.6 - spare, years[-1] + 0.6 + spare)
    else:
        _integer_axis(ax.xaxis)
    _integer_axis(ax.yaxis)
    ax.set_ylim(0, max([*heights, 1]) * (1.35 if shown else 1.12))
    ax.set_xlabel(chart.columns[lang][0])
    ax.set_ylabel(chart.columns[lang][1])
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    _value_grid(ax, "y")


def _draw_rows(
    ax: Axes,
    labels: list[str],
    values: list[int],
    *,
    chart: Chart,
    lang: str,
    total: int,
    marks: list[str],
) -> None:
    """Horizontal bars, largest at the top, each with its count."""
    positions = range(len(values))
    bars = ax.barh(positions, values, color=BAR, height=0.65)
    ax.bar_label(bars, padding=3, fontsize=9)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    _integer_axis(ax.xaxis)
    ax.set_xlim(0, max([*values, 1]) * 1.12)
    ax.set_xlabel(chart.columns[lang][1])
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    _value_grid(ax, "x")


def _draw_coverage(
    ax: Axes,
    labels: list[str],
    values: list[int],
    *,
    chart: Chart,
    lang: str,
    total: int,
    marks: list[str],
) -> None:
    """Two bars against a track of all `total` economies: "13 / 21"."""
    positions = range(len(values))
    ax.barh(positions, [total] * len(values), color=TRACK, height=0.55)
    ax.barh(positions, values, color=BAR, height=0.55)
    for y, value in zip(positions, values, strict=True):
        ax.text(total, y, f" {value} / {total}", va="center", ha="left", fontsize=10)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, total * 1.2)
    ax.set_xticks(sorted({0, total // 2, total}))
    ax.set_xlabel(chart.columns[lang][1])
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)


# -- the charts ----------------------------------------------------------------------


CHARTS: dict[str, Chart] = {
    chart.name: chart
    for chart in (
        Chart("membership-growth", _membership_growth_rows, _draw_columns, (7.2, 3.6), (3.0, 3.2)),
        Chart("cases-by-economy", _cases_by_economy_rows, _draw_rows, (7.2, 5.0), (3.0, 6.6)),
        Chart("cases-by-topic", _cases_by_topic_rows, _draw_rows, (7.2, 4.4), (3.0, 6.2)),
        Chart("cases-per-year", _cases_per_year_rows, _draw_columns, (7.2, 3.6), (3.0, 3.0)),
        Chart("economy-coverage", _economy_coverage_rows, _draw_coverage, (7.2, 2.2), (3.0, 2.4)),
    )
}


def chart_file(name: str, lang: str, *, narrow: bool = False) -> str:
    return f"{name}.{lang}.narrow.svg" if narrow else f"{name}.{lang}.svg"


def chart_files(repo: Repository) -> dict[str, bytes]:
    """Every chart in every language, as `<name>.<lang>.svg` -> SVG bytes, in registry
    order. The site build draws them on another core while MkDocs builds the pages and
    writes them with the feeds and downloads (smesa.site.build)."""
    return {
        chart_file(name, lang): draw(drawing(repo, name, lang))
        for name in CHARTS
        for lang in LANGUAGES
    }


def narrow_chart_files(repo: Repository) -> dict[str, bytes]:
    """The phone variant of every chart in every language, as `<name>.<lang>.narrow.svg`
    (the site serves it to narrow screens in a <picture>; the report has no use for it)."""
    return {
        chart_file(name, lang, narrow=True): draw(drawing(repo, name, lang), narrow=True)
        for name in CHARTS
        for lang in LANGUAGES
    }
