"""Sheet ``report``, the first of the workbook: what an analyst pastes into a report.

One landscape page per scenario: the cost of each benefit by year in % of GDP with the total in
bold, the same in millions of local currency (and of US dollars where the currency is another),
a stacked column chart under the tables, and a few lines on the scenario, the fiscal space and
the data's vintages. A last page says what was costed, benefit by benefit, in plain words (the
README's definitions, with the coverage netted). The tidy ``summary`` sheet stays for machines.

Each table starts with a header row (its title in column A, then the years) and ends at the
first empty row: `floors.report.brief` reads the tables back from here, so the brief shows
exactly what the sheet prints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import xarray as xr
from openpyxl import Workbook
from openpyxl.chart import Reference
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from floors import dims
from floors.io.excel import (
    CM,
    HEADER_FILL,
    HEADER_FONT,
    MILLIONS,
    ROW_HEIGHT,
    SHARE,
    column_points,
    fit_row_height,
    fit_scale,
    points_to_width,
    print_setup,
    printable_size,
    row_points,
    set_row_breaks,
    sheet_width,
    stacked_column_chart,
)
from floors.report.labels import BENEFIT_LABELS
from floors.report.record import RunRecord
from floors.report.sheets.fiscal_space import fiscal_space_verdicts
from floors.report.sheets.readme import benefit_texts, data_vintages, scenario_texts
from floors.uncertainty import QUANTILES

SHEET = "report"
LABEL_WIDTH, VALUE_WIDTH, GAP_WIDTH = 30, 11, 2
CHART_HEIGHT = 8.0  # cm
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="thin"))
WRAP = Alignment(wrap_text=True, vertical="top")


def footer(record: RunRecord) -> str:
    """What every printed page of a one-country workbook says at its foot: the country and the scenarios."""
    return f"{record.country_name or record.country} ({record.country}) · {', '.join(record.scenarios)}"


def usd_rate(record: RunRecord) -> float | None:
    """Local currency per US dollar, or None where the currency is the dollar (no table needed)."""
    if record.currency == "USD" or "usd_rate" not in record.inputs:
        return None
    return float(record.inputs["usd_rate"])


def money_title(record: RunRecord) -> str:
    return f"millions of {record.currency}, current prices"


USD_TITLE = "millions of US dollars"


def usd_note(record: RunRecord, rate: float) -> str:
    """How the dollars were had: one rate, from the data, for every year (not a forecast of the rate)."""
    attrs = record.inputs["usd_rate"].attrs
    return (f"US dollars at {rate:,.2f} {record.currency} per dollar in every year ({attrs.get('description', '')}; "
            f"{attrs.get('vintage', '')}): one rate, not a forecast of it.")


def write_header(ws: Worksheet, row: int, title: str, columns: Sequence) -> None:
    ws.cell(row=row, column=1, value=title)
    for i, label in enumerate(columns, start=2):
        ws.cell(row=row, column=i, value=label)
    for i in range(1, len(columns) + 2):
        cell = ws.cell(row=row, column=i)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="left" if i == 1 else "right", vertical="top", wrap_text=True)
    fit_row_height(ws, ws[row])  # a benefit's name over a narrow column wraps to a second line


def write_table(ws: Worksheet, row: int, title: str, columns: Sequence, rows: Sequence[tuple[str, Sequence]],
                number_format: str, *, total: str | None = "row") -> int:
    """A presentation table from ``row``: header, then (label, values) rows, the total in bold: the last row
    (under a rule), with ``total="column"`` the last column, with None none. Returns the next free row."""
    write_header(ws, row, title, columns)
    for offset, (label, values) in enumerate(rows, start=1):
        cells = [ws.cell(row=row + offset, column=1, value=label)]
        for i, value in enumerate(values, start=2):
            cell = ws.cell(row=row + offset, column=i, value=value)
            cell.number_format = number_format
            cells.append(cell)
        if total == "row" and offset == len(rows):
            for cell in cells:
                cell.font, cell.border = BOLD, TOTAL_BORDER
        elif total == "column":
            cells[-1].font = BOLD
    return row + len(rows) + 1


def write_text(ws: Worksheet, row: int, text: str, last_column: int, *, label: str | None = None,
               font: Font | None = None) -> int:
    """Wrapped text across the page (merged from A, or from B after a label), tall enough for itself."""
    first = 2 if label is not None else 1
    if label is not None:
        ws.cell(row=row, column=1, value=label).font = BOLD
        ws.cell(row=row, column=1).alignment = WRAP
    cell = ws.cell(row=row, column=first, value=text)
    cell.alignment = WRAP
    if font is not None:
        cell.font = font
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last_column)
    width = sum(column_points(ws.column_dimensions[get_column_letter(i)].width) for i in range(first, last_column + 1))
    fit_row_height(ws, ws[row], widths={first: points_to_width(width)})
    return row + 1


def value_width(costs: np.ndarray) -> float:
    """A value column wide enough for the widest amount in millions, in bold (the total), with the cell's
    padding: a currency of large units (millions of shillings) needs more than the usual width."""
    finite = np.abs(costs[np.isfinite(costs)])
    widest = len(f"{finite.max() / 1e6:,.1f}") if finite.size else 0
    return max(VALUE_WIDTH, widest + 3)


def set_widths(ws: Worksheet, values: int, value_width: float = VALUE_WIDTH) -> int:
    """Column widths: the label, then the values. Returns the last column."""
    ws.column_dimensions["A"].width = LABEL_WIDTH
    for i in range(2, values + 2):
        ws.column_dimensions[get_column_letter(i)].width = value_width
    return values + 1


def add_chart(ws: Worksheet, chart, row: int, last_column: int) -> int:
    """``chart`` under the tables from ``row``, as wide as they are, on rows of known height (so the page's
    plan holds). Below the tables rather than beside them: the page is then as wide as the tables, and
    prints larger. Returns the next free row."""
    chart.width = sheet_width(ws, last_column) / CM
    chart.height = CHART_HEIGHT
    rows = math.ceil(CHART_HEIGHT * CM / ROW_HEIGHT) + 1
    for r in range(row, row + rows):
        ws.row_dimensions[r].height = ROW_HEIGHT
    ws.add_chart(chart, f"A{row}")
    return row + rows


def year_chart(ws: Worksheet, title: str, table_row: int, n_benefits: int, n_years: int):
    """Benefits (the rows of the % of GDP table under ``table_row``, less the total) stacked over the years."""
    chart = stacked_column_chart(title, "% of GDP", "0.0%")
    chart.add_data(Reference(ws, min_col=1, max_col=1 + n_years, min_row=table_row + 1, max_row=table_row + n_benefits),
                   from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=1 + n_years, min_row=table_row, max_row=table_row))
    return chart


def lay_out_pages(ws: Worksheet, pages: list[tuple[int, int]], footer: str, fitted: int) -> None:
    """One printed page per block of rows (first, last), with a manual break after each: the largest
    scale at which the sheet's width and the tallest of the first ``fitted`` blocks fit a page (the
    blocks after them, text, may run on)."""
    for first, last in pages:
        for r in range(first, last + 1):
            if ws.row_dimensions[r].height is None:
                ws.row_dimensions[r].height = ROW_HEIGHT  # explicit: the plan holds in any program
    tallest = max(sum(row_points(ws, r) for r in range(first, last + 1)) for first, last in pages[:fitted])
    scale = min(fit_scale(sheet_width(ws)), max(10, int(100 * printable_size()[1] / tallest)))
    print_setup(ws, footer, scale=scale, title_rows=0)
    ws.print_options.horizontalCentered = True
    set_row_breaks(ws, [last for _, last in pages[:-1]])


def definitions_page(ws: Worksheet, row: int, record: RunRecord, last_column: int, title: str) -> int:
    """The last page: what was costed, benefit by benefit, in plain words; then the data's vintages."""
    ws.cell(row=row, column=1, value=title).font = TITLE_FONT
    row += 2
    for benefit, text in benefit_texts(record):
        row = write_text(ws, row, text, last_column, label=BENEFIT_LABELS[benefit])
    row = write_text(ws, row, "Total: the sum of the benefits' costs (people are not added up: the groups overlap). "
                              "Money at current prices; % of GDP of the same year.", last_column, label="Total floor")
    row = write_text(ws, row, data_vintages(record) + " Every source is on the inputs and assumptions sheets; "
                     "the warnings sheet says how the data were extended.", last_column, label="Data")
    return row - 1


INTERVAL_LABELS = ("10th percentile", "median", "90th percentile")  # of `QUANTILES`


def total_interval(summary: xr.Dataset, scenario: str) -> np.ndarray:
    """The total cost's 10th percentile, median and 90th percentile (rows, as `QUANTILES`) in % of GDP by year
    (columns), over the draws (``summary``: `floors.uncertainty.summarise`)."""
    total = summary["cost_share_gdp"].sel({dims.SCENARIO: scenario, dims.BENEFIT: "total"})
    return total.sel(quantile=list(QUANTILES)).transpose("quantile", dims.YEAR).values


def add_report(wb: Workbook, record: RunRecord, country_name: str) -> Worksheet:
    """The presentation sheet, placed first and made the sheet the workbook opens on."""
    ws = wb.create_sheet(SHEET, 0)
    wb.active = 0
    res = record.results.sel({dims.COUNTRY: record.country})
    years = record.years
    rate = usd_rate(record)
    costs = res["cost"].values  # in local currency; the US dollar table shows them divided by the rate
    last_column = set_widths(ws, len(years), value_width(costs if rate is None else np.append(costs, costs / rate)))
    benefits = [*record.benefits, "total"]
    labels = [BENEFIT_LABELS.get(b, b) for b in benefits]
    scenarios = scenario_texts(record)
    verdicts = fiscal_space_verdicts(record)
    pages, row = [], 1
    for scenario in record.scenarios:
        first = row
        ws.cell(row=row, column=1, value=f"{country_name} ({record.country}) · {scenario}: cost of the social "
                                         f"protection floor, {years[0]}–{years[-1]}").font = TITLE_FONT
        ws.row_dimensions[row].height = 22
        row = write_text(ws, row + 1, f"Scenario: {scenarios[scenario]}.", last_column) + 1
        table_row = row
        one = res.sel({dims.SCENARIO: scenario})

        def values(variable: str, divide: float = 1.0, one=one) -> list[tuple[str, list]]:
            return [(label, [float(v) / divide for v in one[variable].sel({dims.BENEFIT: b}).values])
                    for label, b in zip(labels, benefits, strict=True)]

        row = write_table(ws, row, "% of GDP", years, values("cost_share_gdp"), SHARE) + 1
        if record.uncertainty is not None:
            row = write_table(ws, row, f"total, % of GDP, {record.draws:,} draws", years,
                              list(zip(INTERVAL_LABELS, total_interval(record.uncertainty, scenario).tolist(),
                                       strict=True)), SHARE, total=None) + 1
        row = write_table(ws, row, money_title(record), years, values("cost"), MILLIONS) + 1
        if rate is not None:
            row = write_table(ws, row, USD_TITLE, years, values("cost", rate), MILLIONS) + 1
        row = add_chart(ws, year_chart(ws, f"{record.country} · {scenario}: cost, % of GDP", table_row,
                                       len(benefits) - 1, len(years)), row, last_column)
        notes = [f"Fiscal space: {verdicts[scenario]} (fiscal_space sheet).",
                 f"Data: {data_vintages(record)} Each benefit is costed net of the people existing schemes already "
                 "cover; 'What was costed' (the last page) says what each benefit is."]
        if record.uncertainty is not None:
            notes.append(f"Uncertainty: the total's 10th percentile, median and 90th percentile over {record.draws:,} "
                         f"draws (seed {record.seed}) of the uncertain parameters; the other tables are at each "
                         "parameter's value (uncertainty and uncertain_parameters sheets).")
        if rate is not None:
            notes.append(usd_note(record, rate))
        elif record.currency == "USD":
            notes.append("The local currency is the US dollar: no conversion.")
        for note in notes:
            row = write_text(ws, row, note, last_column)
        pages.append((first, row - 1))
        row += 1
    last = definitions_page(ws, row, record, last_column, f"What was costed: {country_name} ({record.country})")
    pages.append((row, last))
    lay_out_pages(ws, pages, footer(record), fitted=len(record.scenarios))
    return ws


def add_countries_report(wb: Workbook, records: list[RunRecord], benefits: list[str],
                         last_year: Sequence[Sequence]) -> Worksheet:
    """The presentation sheet of a run over several countries: per scenario, one page with each country's
    cost by benefit in % of GDP in the last year (the total in bold) and a chart of the same. ``last_year``:
    those costs, a row (label, then ``benefits`` and the total) per country and scenario, country first
    (`report.countries.last_year_rows`)."""
    ws = wb.create_sheet(SHEET, 0)
    wb.active = 0
    year = records[0].years[-1]
    columns = [BENEFIT_LABELS[b] for b in [*benefits, "total"]]
    last_column = set_widths(ws, len(columns), VALUE_WIDTH + 3)
    pages, row = [], 1
    for s, scenario in enumerate(records[0].scenarios):
        first = row
        ws.cell(row=row, column=1, value=f"{len(records)} countries · {scenario}: cost of the social protection "
                                         f"floor in {year}, % of GDP").font = TITLE_FONT
        ws.row_dimensions[row].height = 22
        row += 2
        table_row = row
        per_country = len(records[0].scenarios)
        rows = [(f"{record.country_name} ({record.country})", list(last_year[r * per_country + s][1:]))
                for r, record in enumerate(records)]
        row = write_table(ws, row, f"% of GDP, {year}", columns, rows, SHARE, total="column") + 1
        drawn = [record for record in records if record.uncertainty is not None]
        if drawn:  # the total's percentiles over each country's own draws
            intervals = [(f"{record.country_name} ({record.country})",
                          total_interval(record.uncertainty, record.scenarios[s])[:, -1].tolist())
                         for record in drawn if record.uncertainty is not None]
            row = write_table(ws, row, f"total, % of GDP, {year}, {drawn[0].draws:,} draws",
                              INTERVAL_LABELS, intervals, SHARE, total=None) + 1
        chart = stacked_column_chart(f"{scenario}: cost in {year}, % of GDP", "% of GDP", "0%")
        chart.add_data(Reference(ws, min_col=2, max_col=1 + len(benefits), min_row=table_row,
                                 max_row=table_row + len(rows)), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, max_col=1, min_row=table_row + 1, max_row=table_row + len(rows)))
        row = add_chart(ws, chart, row, last_column)
        note = ("An empty cell is a benefit the country could not cost for want of data (warnings sheet). Costs in "
                "local currency, each benefit's definition and the data's vintages are in each country's own "
                "workbook (floors run --country ISO3).")
        if drawn:
            note += (f" The percentiles are over {drawn[0].draws:,} draws (seed {drawn[0].seed}) of each country's "
                     "own uncertain parameters, as in its own run; the first table is at each parameter's value "
                     "(uncertainty sheet).")
        row = write_text(ws, row, note, last_column)
        pages.append((first, row - 1))
        row += 1
    lay_out_pages(ws, pages, countries_footer(records), fitted=len(pages))
    return ws


def countries_footer(records: list[RunRecord]) -> str:
    return f"{len(records)} countries · {', '.join(records[0].scenarios)}"
