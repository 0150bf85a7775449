"""Excel cells, tables and charts: the helpers every workbook of floors is written with.

`write_table` writes one table from A1 (a styled, frozen, filterable header, number formats
by row, text always stored as text, never as a formula); `number_format` gives the format
for a unit; `styled_chart`, `stacked_column_chart` and `add_row_series` make native charts
that Excel and LibreOffice both show with their axes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

import numpy as np
from openpyxl.chart import BarChart, Reference
from openpyxl.chart._chart import ChartBase
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
WRAP = Alignment(wrap_text=True, vertical="top")
FORMULA_STARTS = ("=", "+", "-", "@")


def number_format(unit: str | None) -> str:
    """An Excel number format for a unit: shares as percentages, counts and money with separators."""
    unit = unit or ""
    if unit.startswith("share"):
        return "0.00%"
    if unit in ("persons", "persons per year") or unit.startswith("local currency per year"):
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
    stored as text, even when it starts with '=', '+', '-' or '@'. Returns the number of
    data rows.
    """
    ws.append([_cell_value(h) for h in header])
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    formats = iter(formats)
    n = 0
    row_width = len(header)
    for n, row in enumerate(rows, start=1):
        values = [_cell_value(v) for v in row]
        ws.append(values)
        fmt = next(formats, None)
        # The row's cells by position: ws[n + 1] would scan every cell of the sheet for its width (quadratic).
        row_width = max(row_width, len(values))
        for cell in (ws.cell(row=n + 1, column=column) for column in range(1, row_width + 1)):
            if isinstance(cell.value, str):
                if cell.value.startswith(FORMULA_STARTS):
                    cell.data_type, cell.quotePrefix = "s", True  # text from a file, not a formula
                if wrap:
                    cell.alignment = WRAP
            elif (fmt and cell.column > frozen_columns and isinstance(cell.value, int | float)
                  and not isinstance(cell.value, bool)):
                cell.number_format = fmt
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=2, column=frozen_columns + 1)
    if n:
        ws.auto_filter.ref = ws.dimensions
    return n


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
