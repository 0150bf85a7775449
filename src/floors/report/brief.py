"""The brief: a short PDF a ministry can read on screen, print, or paste from.

It is made from a run's workbook (in memory, or read back from its file), so it shows exactly
what the workbook's ``report`` sheet prints: per scenario the tables in % of GDP and in millions,
a chart; then what was costed, benefit by benefit; the data's vintages and sources; the warnings;
and how to reproduce the run. A workbook of several countries gives the countries side by side.

Libraries (the optional extra ``floors[report]``): fpdf2 writes the PDF (pure Python, small, no
system library; its tables take a list of rows); matplotlib draws the chart (already what the
Python guide uses), through its object API with the Agg canvas, so no display is needed. The
text is set in DejaVu Sans, the font matplotlib ships, so every character of a scenario's text
(accents, ×, –, ≥) prints wherever matplotlib is installed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from floors.io.excel import HEADER_FILL, MILLIONS
from floors.problems import InputError, Problem
from floors.report.sheets.report import SHEET as REPORT

MISSING = ("The brief needs the optional libraries fpdf2 and matplotlib", "pip install 'floors[report]'")


def missing_libraries() -> list[str]:
    """The optional libraries of the brief that are not installed (found without importing them)."""
    import sys
    from importlib.util import find_spec

    def installed(module: str) -> bool:  # an entry of None in sys.modules is a module known to be missing
        return sys.modules[module] is not None if module in sys.modules else find_spec(module) is not None

    libraries = {"fpdf2": "fpdf", "matplotlib": "matplotlib"}
    return [library for library, module in libraries.items() if not installed(module)]

MAX_WARNINGS = 25  # the brief lists this many; the workbook's warnings sheet has every one


@dataclass
class Table:
    title: str
    columns: list  # the years, or the benefits of a cross-country table
    rows: list[tuple[str, list[float | None]]]
    number_format: str
    total: bool = True  # its last row is a total, in bold (not the percentiles of draws)

    def cell(self, value: float | None) -> str:
        if value is None:
            return "–"
        if self.number_format == MILLIONS:
            return f"{value / 1e6:,.1f}"
        return f"{value:.2%}"


@dataclass
class Page:
    title: str
    texts: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class BriefContent:
    """What the brief shows, read from a workbook."""

    pages: list[Page]
    definitions: list[tuple[str, str]]
    footer: str
    sources: list[str]
    warnings: list[str]
    warning_count: int
    reproduce: str


def read_workbook(book: Workbook | str | Path) -> BriefContent:
    """The brief's content from a workbook of floors (an open one or its file)."""
    wb = load_workbook(book) if isinstance(book, str | Path) else book
    if REPORT not in wb.sheetnames:
        raise InputError([Problem(f"no sheet {REPORT!r}: not a workbook of this version of floors",
                                  file=str(book) if not isinstance(book, Workbook) else None,
                                  hint="write the workbook again with floors run (or compare, sensitivity)")])
    pages, definitions = read_report(wb[REPORT])
    warnings, count = read_warnings(wb)
    readme = {str(r[0].value): str(r[-1].value) for r in wb["README"].iter_rows(min_row=2) if r[0].value}
    return BriefContent(pages=pages, definitions=definitions, footer=(wb[REPORT].oddFooter.left.text or "").replace(
        "&&", "&"), sources=read_sources(wb), warnings=warnings, warning_count=count,
        reproduce=readme.get("reproduce", ""))


def _is_header(row: tuple) -> bool:
    fill = row[0].fill
    return fill is not None and fill.fgColor is not None and fill.fgColor.rgb in (HEADER_FILL.fgColor.rgb,
                                                                                   f"00{HEADER_FILL.fgColor.rgb}")


def read_report(ws: Worksheet) -> tuple[list[Page], list[tuple[str, str]]]:
    """The report sheet's pages (title, text lines, tables) and its last page's definitions."""
    pages: list[Page] = []
    definitions: list[tuple[str, str]] = []
    table: Table | None = None
    in_definitions = False
    for row in ws.iter_rows():
        first = row[0]
        values = [c.value for c in row]
        if first.font is not None and first.font.sz and float(first.font.sz) >= 14 and first.value:
            in_definitions = str(first.value).startswith("What was costed")
            if not in_definitions:
                pages.append(Page(title=str(first.value)))
            table = None
            continue
        if in_definitions:
            if first.value and len(values) > 1 and values[1]:
                definitions.append((str(first.value), str(values[1])))
            continue
        if not pages:
            continue
        if _is_header(row):
            columns = [v for v in values[1:] if v is not None]
            table = Table(title=str(first.value), columns=columns, rows=[],
                          number_format=row[1].number_format)
            pages[-1].tables.append(table)
            continue
        if table is not None and first.value is not None and any(isinstance(v, int | float) for v in values[1:]):
            cells = values[1:1 + len(table.columns)]
            table.rows.append((str(first.value), [float(v) if isinstance(v, int | float) else None for v in cells]))
            table.number_format = row[1].number_format
            table.total = bool(first.font is not None and first.font.b)  # as the last row read says
            continue
        table = None
        if isinstance(first.value, str):
            pages[-1].texts.append(first.value)
    return pages, definitions


def read_warnings(wb: Workbook) -> tuple[list[str], int]:
    """The warnings (not the data notes), each once, country first in a cross-country workbook."""
    ws = wb["warnings"]
    header = [c.value for c in ws[1]]
    kind, message = header.index("kind"), header.index("message")
    country = header.index("country") if "country" in header else None
    seen: dict[str, None] = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[kind] in ("warning", "no source"):
            text = f"{row[country]}: {row[message]}" if country is not None else str(row[message])
            seen.setdefault(text)
    return list(seen)[:MAX_WARNINGS], len(seen)


def read_sources(wb: Workbook) -> list[str]:
    """The sources of the data the costing used (the inputs sheet), each once."""
    if "inputs" not in wb.sheetnames:
        return []
    ws = wb["inputs"]
    header = [c.value for c in ws[1]]
    column = header.index("source")
    return list(dict.fromkeys(str(r[column]) for r in ws.iter_rows(min_row=2, values_only=True) if r[column]))


def chart_png(table: Table, title: str) -> bytes:
    """A stacked column chart of a % of GDP table (its total left out: the stack's height), as PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    parts = table.rows[:-1]
    by_year = all(isinstance(c, int) for c in table.columns)
    figure = Figure(figsize=(7.5, 3.2), dpi=110)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    if by_year:  # benefits stacked over the years
        x = [str(c) for c in table.columns]
        bottom = [0.0] * len(x)
        for label, values in parts:
            heights = [100 * (v or 0.0) for v in values]
            ax.bar(x, heights, bottom=bottom, label=label)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    else:  # countries (rows) with the benefits (columns) stacked
        x = [label for label, _ in table.rows]
        bottom = [0.0] * len(x)
        for i, benefit in enumerate(table.columns[:-1]):
            heights = [100 * (values[i] or 0.0) for _, values in table.rows]
            ax.bar(x, heights, bottom=bottom, label=str(benefit))
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel("% of GDP")
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=2))  # ticks fall on quarters of a per cent
    ax.spines[["top", "right"]].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()  # listed top to bottom as the stack is
    ax.legend(handles[::-1], labels[::-1], fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    # Fixed margins, room for the legend on the right (tight_layout would measure every label: slow).
    figure.subplots_adjust(left=0.12, right=0.74, top=0.9, bottom=0.28 if not by_year else 0.12)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def render(content: BriefContent) -> bytes:
    """The brief as PDF bytes: A4 portrait, one section per scenario, then the notes."""
    try:
        import matplotlib
        from fpdf import FPDF
    except ImportError as error:
        raise InputError([Problem(f"{MISSING[0]} ({error.name} is not installed)", hint=MISSING[1])]) from None

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(content.pages[0].title if content.pages else "floors brief")
    pdf.set_creator("floors")
    footer_text = content.footer

    def footer() -> None:
        pdf.set_y(-12)
        pdf.set_font("DejaVu", "", 7)
        pdf.cell(0, 5, f"{footer_text} · floors brief · page {pdf.page_no()}/{{nb}}", align="C")

    pdf.footer = footer  # type: ignore[method-assign]

    for page in content.pages:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 13)
        paragraph(pdf, page.title, 6)
        pdf.ln(1)
        pdf.set_font("DejaVu", "", 8)
        for text in page.texts[:1]:  # the scenario in words
            paragraph(pdf, text)
        for table in page.tables:
            pdf.ln(2)
            draw_table(pdf, table)
        if page.tables:
            pdf.ln(2)
            pdf.image(io.BytesIO(chart_png(page.tables[0], page.title.split(":")[0] + ": % of GDP")), w=pdf.epw)
        pdf.set_font("DejaVu", "", 8)
        for text in page.texts[1:]:
            paragraph(pdf, text)

    pdf.add_page()
    if content.definitions:
        section(pdf, "What was costed")
    for label, text in content.definitions:
        pdf.set_font("DejaVu", "B", 8)
        paragraph(pdf, label)
        pdf.set_font("DejaVu", "", 8)
        paragraph(pdf, text)
        pdf.ln(1)
    if content.sources:
        section(pdf, "Sources of the data")
        for source in content.sources:
            paragraph(pdf, f"• {source}")
    section(pdf, f"Warnings ({content.warning_count})")
    if not content.warnings:
        paragraph(pdf, "None.")
    for warning in content.warnings:
        paragraph(pdf, f"• {warning}")
    if content.warning_count > len(content.warnings):
        paragraph(pdf, f"… and {content.warning_count - len(content.warnings)} more: the workbook's warnings "
                             "sheet has every one, with how the data were extended.")
    if content.reproduce:
        section(pdf, "Reproduce")
        paragraph(pdf, content.reproduce)
    return bytes(pdf.output())


def draw_table(pdf, table: Table) -> None:
    """A table with one line per row (plain cells: fpdf2's wrapping tables measure every character, ten
    times slower): the header in white on the workbook's blue, the total in bold under a rule. The font
    shrinks until the widest number fits its column (millions of shillings run to seven digits)."""
    label_width = 56.0
    width = (pdf.epw - label_width) / len(table.columns)
    cells = [(label, [table.cell(v) for v in values]) for label, values in table.rows]
    size = 7.5
    pdf.set_font("DejaVu", "B", size)
    while size > 5 and max(pdf.get_string_width(c) for _, row in cells for c in row) > width - 2:
        size -= 0.5
        pdf.set_font("DejaVu", "B", size)
    pdf.set_fill_color(31, 78, 120)
    pdf.set_text_color(255, 255, 255)
    draw_header(pdf, table, label_width, width)
    pdf.set_text_color(0, 0, 0)
    for i, (label, row) in enumerate(cells):
        total = table.total and i == len(cells) - 1
        pdf.set_font("DejaVu", "B" if total else "", size)
        border = "T" if total else 0
        pdf.cell(label_width, 4.2, label, border=border)
        for text in row:
            pdf.cell(width, 4.2, text, border=border, align="R")
        pdf.ln()


def draw_header(pdf, table: Table, label_width: float, width: float) -> None:
    """The header row on the workbook's blue: on one line, or wrapped onto as many as the longest column
    label needs (the benefits' names over the narrow columns of a table of countries)."""
    line = 3.8
    size = pdf.font_size_pt  # smaller where a single word would not fit its column ('Unemployment')
    while size > 5 and max(pdf.get_string_width(word) for column in table.columns
                           for word in str(column).split()) > width - 1.5:
        size -= 0.5
        pdf.set_font_size(size)
    lines = max(len(pdf.multi_cell(width, line, str(column), align="R", dry_run=True, output="LINES"))
                for column in table.columns)
    height = 4.6 if lines == 1 else line * lines + 0.8
    x, y = pdf.get_x(), pdf.get_y()
    pdf.rect(x, y, label_width + width * len(table.columns), height, style="F")
    pdf.set_xy(x, y + (height - line * lines) / 2 if lines > 1 else y)
    pdf.cell(label_width, line if lines > 1 else height, table.title[:60])
    for i, column in enumerate(table.columns):
        pdf.set_xy(x + label_width + i * width, y + (0.4 if lines > 1 else 0))
        if lines > 1:
            pdf.multi_cell(width, line, str(column), align="R")
        else:
            pdf.cell(width, height, str(column), align="R")
    pdf.set_xy(x, y + height)


def paragraph(pdf, text: str, line_height: float = 4) -> None:
    """Text wrapped at word boundaries to the page's width, in the current font. fpdf2's multi_cell
    measures the whole line again for every character it adds (seconds for a page of sources); this
    measures each word once."""
    space = pdf.get_string_width(" ")
    line: list[str] = []
    used = 0.0
    for word in text.split():
        width = pdf.get_string_width(word)
        if line and used + space + width > pdf.epw:
            pdf.cell(0, line_height, " ".join(line), new_x="LMARGIN", new_y="NEXT")
            line, used = [], 0.0
        used += (space if line else 0.0) + width
        line.append(word)
    pdf.cell(0, line_height, " ".join(line), new_x="LMARGIN", new_y="NEXT")


def section(pdf, title: str) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    paragraph(pdf, title, 6)
    pdf.set_font("DejaVu", "", 8)


def brief_pdf(book: Workbook | str | Path) -> bytes:
    """The brief of a workbook of floors, as PDF bytes."""
    return render(read_workbook(book))
