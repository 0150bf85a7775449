"""Sheet ``summary``: cost by benefit and year (% of GDP, local currency, % of government
expenditure and revenue), with a stacked column chart per scenario."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from floors import dims
from floors.io.excel import add_row_series, number_format, stacked_column_chart, write_table, year_widths
from floors.report.labels import BENEFIT_LABELS, shown_as
from floors.report.record import RunRecord

# The headline variables of the summary sheet: (variable, what it is, unit or None for the currency).
SUMMARY_MEASURES = (
    ("cost_share_gdp", "cost, % of GDP", "share of GDP"),
    ("cost", "cost in local currency", None),
    ("cost_share_gg_expenditure", "cost, % of general government expenditure", "share of GG expenditure"),
    ("cost_share_gg_revenue", "cost, % of general government revenue", "share of GG revenue"),
)


def summary_rows(record: RunRecord) -> list[tuple[list, str]]:
    """(row, number format) for every measure, scenario and benefit (total last)."""
    res = record.results.sel({dims.COUNTRY: record.country})
    out = []
    for variable, label, unit in SUMMARY_MEASURES:
        unit = unit or f"{record.currency} per year"
        for scenario in record.scenarios:
            values = res[variable].sel({dims.SCENARIO: scenario})
            for benefit in [*record.benefits, "total"]:
                row = values.sel({dims.BENEFIT: benefit}).values.tolist()
                fmt = number_format(unit if variable != "cost" else "local currency per year")
                out.append(([scenario, benefit, BENEFIT_LABELS.get(benefit, benefit), variable, label,
                             shown_as(unit, fmt), *row], fmt))
    return out


SUMMARY_HEADER = ("scenario", "benefit", "label", "variable", "measure", "unit")


def add_summary(wb: Workbook, record: RunRecord) -> Worksheet:
    ws = wb.create_sheet("summary")
    rows = summary_rows(record)
    write_table(ws, [*SUMMARY_HEADER, *record.years], (r for r, _ in rows), formats=(f for _, f in rows),
                widths=year_widths([14, 14, 22, 24, 38, 24], record.years), frozen_columns=3)
    # One stacked column chart per scenario, from the % of GDP rows (the total is the stack's height).
    first_year_col, last_year_col = len(SUMMARY_HEADER) + 1, len(SUMMARY_HEADER) + len(record.years)
    block = len(record.benefits) + 1
    for i, scenario in enumerate(record.scenarios):
        first_row = 2 + i * block
        chart = stacked_column_chart(f"{record.country} · {scenario}: cost of the floor, % of GDP", "% of GDP",
                                     "0.0%", "year")
        # One series per benefit, named after the benefit label in column C of its row.
        add_row_series(chart, ws, range(first_row, first_row + len(record.benefits)), first_year_col, last_year_col,
                       "C")
        ws.add_chart(chart, f"{get_column_letter(last_year_col + 2)}{2 + i * 20}")
    return ws
