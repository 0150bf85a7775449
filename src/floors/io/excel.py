"""Excel cells, tables and charts: the helpers every workbook of floors is written with.

`write_table` writes one table from A1 (a styled, frozen, filterable header, number formats
by row, text always stored as text, never as a formula, wrapped rows tall enough for their
text); `number_format` gives the format for a unit (money in millions, shares as 0.00%);
`styled_chart`, `stacked_column_chart` and `add_row_series` make native charts that Excel and
LibreOffice both show with their axes; `print_setup` and `charts_on_pages` make a sheet
print on landscape A4, one page wide, with no chart cut by a page break.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from copy import copy
from typing import TypeVar

import numpy as np
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart._chart import ChartBase
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")  # a number or switch beside wrapped text
FORMULA_STARTS = ("=", "+", "-", "@")

# Money in millions: the cell keeps the full amount (machines and formulas read it), the two
# trailing commas show it divided by a million, as Excel and LibreOffice both read the format.
MILLIONS = "#,##0.0,,"
SHARE = "0.00%"


def number_format(unit: str | None) -> str:
    """An Excel number format for a unit: shares as percentages, counts and money with separators."""
    unit = unit or ""
    if unit.startswith("share"):
        return SHARE
    if unit.startswith("local currency per year"):
        return MILLIONS
    if unit in ("persons", "persons per year"):
        return "#,##0"
    if unit.startswith("index"):
        return "0.000"
    return "#,##0.00"


def _cell_value(value):
    """A value openpyxl stores as a number, a boolean or text (NumPy scalars unwrapped)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None  # an empty cell, never a NaN that Excel cannot show
    return value


def write_table(ws: Worksheet, header: Sequence, rows: Iterable[Sequence], *, formats: Iterable[str | None] = (),
                widths: Sequence[float] = (), frozen_columns: int = 0, wrap: bool = False) -> int:
    """One table from A1: a styled, frozen, filterable header and one row per item.

    ``formats`` gives a number format per row (for tables whose rows have different
    units), applied to its numeric cells after the frozen label columns. Text is always
    stored as text, even when it starts with '=', '+', '-' or '@'.
    With ``wrap``, each row is made tall enough for its longest text (LibreOffice does
    not grow a row on opening, so text would otherwise overlap the next row). Returns the
    number of data rows.
    """
    with _collector_paused():
        return _write_table(ws, header, rows, formats=formats, widths=widths, frozen_columns=frozen_columns,
                            wrap=wrap)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused: the thousands of cells a table creates would start
    many collections, each walking every object of the run (the results' arrays and labels), for
    nothing to free. Restored afterwards (left off if it was off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _write_table(ws: Worksheet, header: Sequence, rows: Iterable[Sequence], *, formats: Iterable[str | None],
                 widths: Sequence[float], frozen_columns: int, wrap: bool) -> int:
    ws.append([_cell_value(h) for h in header])
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    formats = iter(formats)
    # A style set through openpyxl looks it up in the workbook's lists (slow for thousands of cells):
    # each combination is set once, then its style copied to every other cell that takes it.
    styles: dict[tuple, StyleArray] = {}
    column_widths: dict[int, float | None] = {}  # the widths do not change while rows are written
    n = 0
    for n, row in enumerate(rows, start=1):
        values = [_cell_value(v) for v in row]
        ws.append(values)
        fmt = next(formats, None)
        # The row's cells by position: ws[n + 1] would scan every cell of the sheet for its width (quadratic).
        lines = 1
        for cell in (ws.cell(row=n + 1, column=column) for column in range(1, len(values) + 1)):
            if isinstance(cell.value, str):
                formula_like = cell.value.startswith(FORMULA_STARTS)
                if formula_like:
                    cell.data_type = "s"  # text from a file, not a formula
                if formula_like or wrap:
                    _set_style(cell, styles, ("text", formula_like, wrap))
                if wrap:  # as fit_row_height measures the row, from the values just written
                    if cell.column not in column_widths:
                        column_widths[cell.column] = column_width(ws, cell.column)
                    lines = max(lines, text_lines(cell.value, column_widths[cell.column]))
            elif cell.value is not None:
                numeric = isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
                number_format = fmt if fmt and numeric and cell.column > frozen_columns else None
                if number_format or wrap:  # in a table of tall rows, a value stands at the top, by its text
                    _set_style(cell, styles, ("value", number_format, wrap))
        set_lines(ws, n + 1, lines)
    ws.freeze_panes = ws.cell(row=2, column=frozen_columns + 1)
    if n:
        ws.auto_filter.ref = ws.dimensions
    return n


def _set_style(cell: Cell, styles: dict[tuple, StyleArray], kind: tuple) -> None:
    """Give ``cell`` the style ``kind`` names (formula-like or wrapped text; a value's number format and top
    alignment), set through openpyxl the first time a starting style takes it, copied afterwards."""
    key = (tuple(cell._style or ()), kind)  # a new cell has no style array yet (the default style)
    if key in styles:
        cell._style = copy(styles[key])
        return
    if kind[0] == "value":
        _, number_format, top = kind
        if number_format:
            cell.number_format = number_format
        if top:
            cell.alignment = TOP
    else:
        _, formula_like, wrap = kind
        if formula_like:
            cell.quotePrefix = True
        if wrap:
            cell.alignment = WRAP
    styles[key] = copy(cell._style)


def column_width(ws: Worksheet, column: int) -> float | None:
    """A column's width in characters as set, or None where it is the default."""
    letter = get_column_letter(column)
    return ws.column_dimensions[letter].width if letter in ws.column_dimensions else None


def set_lines(ws: Worksheet, row: int, lines: int) -> None:
    """Make ``row`` tall enough for ``lines`` lines of wrapped text (LibreOffice does not grow it on opening)."""
    if lines > 1:
        ws.row_dimensions[row].height = lines * LINE_HEIGHT + 2


ChartT = TypeVar("ChartT", bound=ChartBase)


def styled_chart(chart: ChartT, title: str, y_title: str, y_format: str, x_title: str | None = None,
                 size: tuple[float, float] = (9, 18)) -> ChartT:
    """``chart`` with a title, axis titles and formats, and visible axes (LibreOffice hides them unless told)."""
    chart.title = title
    chart.y_axis.title, chart.y_axis.number_format = y_title, y_format
    if x_title:
        chart.x_axis.title = x_title
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.height, chart.width = size
    return chart


def stacked_column_chart(title: str, y_title: str, y_format: str, x_title: str | None = None,
                         size: tuple[float, float] = (9, 18)) -> BarChart:
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    return styled_chart(chart, title, y_title, y_format, x_title, size)


def add_row_series(chart: ChartBase, ws: Worksheet, rows: Iterable[int], first_col: int, last_col: int,
                   label_col: str) -> None:
    """Each of ``rows`` of ``ws`` a series over the columns from ``first_col`` to ``last_col`` (the
    years), named by its cell in ``label_col``; the categories are the header row's years."""
    for row in rows:
        chart.add_data(Reference(ws, min_col=first_col, max_col=last_col, min_row=row, max_row=row),
                       from_rows=True, titles_from_data=False)
        chart.series[-1].tx = SeriesLabel(strRef=StrRef(f"'{ws.title}'!${label_col}${row}"))
    chart.set_categories(Reference(ws, min_col=first_col, max_col=last_col, min_row=1, max_row=1))


def year_widths(labels: Sequence[float], years: Sequence[int], width: float = 13) -> list[float]:
    return [*labels, *([width] * len(years))]


# --- Printing -----------------------------------------------------------------------------------
# Sizes in points (1/72 in). Paper: A4 landscape, with margins wide enough for a footer.
PAPER_WIDTH, PAPER_HEIGHT = 842.0, 595.0
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM, MARGIN_FOOTER = 0.4, 0.5, 0.7, 0.3  # inches, as Excel stores them
ROW_HEIGHT = 15.0  # Excel's default row (Calibri 11); every row whose height matters is set to it explicitly
LINE_HEIGHT = 14.0  # one line of wrapped text
CM = 72 / 2.54
# What the sizes below may be off by: LibreOffice and Excel measure fonts and margins a little
# differently; a page planned 10 % short still ends where planned in both.
SLACK = 0.9


def printable_size() -> tuple[float, float]:
    """Width and height (points) of the printable area of a landscape A4 page, less the slack."""
    width = PAPER_WIDTH - 2 * 72 * MARGIN_SIDE
    height = PAPER_HEIGHT - 72 * (MARGIN_TOP + MARGIN_BOTTOM)
    return width * SLACK, height * SLACK


def column_points(width: float | None) -> float:
    """A column's width in points from its width in characters, as the widest program draws it: Excel
    gives 7 px a digit (5.25 pt), LibreOffice, where Calibri and its metric twin Carlito are not
    installed, measures by a wider font, nearly 7 pt (measured on its PDF of a workbook)."""
    return 7 * (width if width is not None else 8.43) + 5


def points_to_width(points: float) -> float:
    """The inverse of `column_points`: how many characters' width ``points`` is."""
    return (points - 5) / 7


def sheet_width(ws: Worksheet, last_column: int | None = None) -> float:
    """The width in points of the columns from A to ``last_column`` (default the last used)."""
    last = last_column or ws.max_column
    return sum(column_points(column_width(ws, i)) for i in range(1, last + 1))


def text_lines(text: str, width: float | None) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (a little generous: an
    average letter is narrower than the digit Excel measures columns by, so this never comes out short)."""
    per_line = max(1, int((width or 8.43) * 1.05))
    return sum(max(1, math.ceil(len(paragraph) / per_line)) for paragraph in str(text).split("\n"))


def fit_row_height(ws: Worksheet, row: Sequence, widths: dict[int, float] | None = None) -> None:
    """Make a row tall enough for the wrapped text of its cells (``widths``: a merged cell's width by column)."""
    lines = 1
    for cell in row:
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            width = (widths or {}).get(cell.column) or column_width(ws, cell.column)
            lines = max(lines, text_lines(cell.value, width))
    set_lines(ws, row[0].row, lines)


def row_points(ws: Worksheet, row: int) -> float:
    height = ws.row_dimensions[row].height if row in ws.row_dimensions else None
    return height or ROW_HEIGHT


def print_setup(ws: Worksheet, footer: str, *, scale: int | None = None, title_rows: int = 1) -> None:
    """Landscape A4, margins, the header row(s) repeated on every page, and a footer naming the
    country and scenario(s) (left), the sheet (centre) and the page (right).

    The sheet is printed at ``scale`` (default: the largest that fits its width on one page) rather
    than with Excel's fit-to-width, because `charts_on_pages` must know the scale to plan where
    pages end; a computed scale prints the same in Excel and LibreOffice.
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = scale or fit_scale(sheet_width(ws))
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
    ws.page_margins.top, ws.page_margins.bottom = MARGIN_TOP, MARGIN_BOTTOM
    ws.page_margins.header = ws.page_margins.footer = MARGIN_FOOTER
    if title_rows:
        ws.print_title_rows = f"1:{title_rows}"
    ws.oddFooter.left.text = footer.replace("&", "&&")
    ws.oddFooter.center.text = "&A"  # the sheet's name
    ws.oddFooter.right.text = "page &P of &N"
    for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.size = 8


def fit_scale(width: float) -> int:
    """The print scale (%) at which ``width`` points fit the page's width; never above 100 or below 10."""
    return max(10, min(100, math.floor(100 * printable_size()[0] / width)))


def charts_on_pages(ws: Worksheet, first_row: int | None = None) -> list[int]:
    """Move the sheet's charts below its table, on pages of their own: a page break after the table,
    then the charts one under another, a new page whenever the next would not fit, each shrunk to
    a page if taller. Call after `print_setup` (the scale decides how much a page holds). Rows
    under the charts get an explicit height, so the plan holds in any program. Returns the rows
    after which a page ends (the manual breaks)."""
    charts = ws._charts
    if not charts:
        return []
    scale = ws.page_setup.scale / 100
    title = sum(row_points(ws, r) for r in range(1, _title_rows(ws) + 1))
    room = printable_size()[1] / scale - title  # sheet points a page holds below the repeated header
    width = max(sheet_width(ws), *(c.width * CM for c in charts))
    if width * scale > printable_size()[0]:  # a chart wider than the table: shrink it to the page's width
        for chart in charts:
            ratio = min(1.0, printable_size()[0] / scale / (chart.width * CM))
            chart.width, chart.height = chart.width * ratio, chart.height * ratio
    row = (first_row or ws.max_row) + 1
    breaks = [row - 1]
    used = 0.0
    for chart in charts:
        height = min(chart.height * CM, room - 2 * ROW_HEIGHT)
        chart.width, chart.height = chart.width * height / (chart.height * CM), height / CM
        rows = math.ceil(height / ROW_HEIGHT) + 1  # the chart and a row of air under it
        if used and used + rows * ROW_HEIGHT > room:
            breaks.append(row - 1)
            used = 0.0
        chart.anchor = f"A{row}"
        for r in range(row, row + rows):
            ws.row_dimensions[r].height = ROW_HEIGHT
        row += rows
        used += rows * ROW_HEIGHT
    set_row_breaks(ws, breaks)
    return breaks


def set_row_breaks(ws: Worksheet, rows: Iterable[int]) -> None:
    """Manual page breaks after each of ``rows``."""
    ws.row_breaks = RowBreak()
    for row in rows:
        ws.row_breaks.append(Break(id=row))


def _title_rows(ws: Worksheet) -> int:
    titles = ws.print_title_rows  # '1:1' or None
    return int(str(titles).split(":")[-1].lstrip("$")) if titles else 0
