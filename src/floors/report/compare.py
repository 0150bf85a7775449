"""The sheets a comparison adds to the workbook: side by side, parameters that differ, and the
decomposition of the change in cost by cause (with a chart)."""

from __future__ import annotations

import xarray as xr
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.utils import get_column_letter

from floors import dims
from floors.engine.compare import CAUSES, cause_of
from floors.io.excel import add_row_series, stacked_column_chart, styled_chart, write_table, year_widths
from floors.report.labels import BENEFIT_LABELS, parameter_value
from floors.report.printing import lay_out_for_print
from floors.report.record import RunRecord


def comparison_rows(record: RunRecord) -> list[list]:
    """benefit, label, year, each scenario's % of GDP, then each scenario minus the reference."""
    share = record.results["cost_share_gdp"].sel({dims.COUNTRY: record.country})
    reference, others = record.scenarios[0], record.scenarios[1:]
    rows = []
    for benefit in [*record.benefits, "total"]:
        for year in record.years:
            values = share.sel({dims.BENEFIT: benefit, dims.YEAR: year})
            own = [float(values.sel({dims.SCENARIO: s})) for s in record.scenarios]
            base = float(values.sel({dims.SCENARIO: reference}))
            rows.append([benefit, BENEFIT_LABELS.get(benefit, benefit), year, *own,
                         *(float(values.sel({dims.SCENARIO: s})) - base for s in others)])
    return rows


def add_comparison(wb: Workbook, record: RunRecord) -> None:
    ws = wb.create_sheet("comparison", index=2)
    reference, others = record.scenarios[0], record.scenarios[1:]
    header = ["benefit", "label", "year", *record.scenarios, *(f"{s} − {reference}" for s in others)]
    rows = comparison_rows(record)
    n_values = len(header) - 3
    write_table(ws, header, rows, formats=["0.00%"] * len(rows), widths=[14, 22, 8, *([22] * n_values)],
                frozen_columns=3)
    # A line per scenario: the floor's total cost, % of GDP (the total's rows are the last block).
    first = 2 + len(record.benefits) * len(record.years)
    last = first + len(record.years) - 1
    chart = styled_chart(LineChart(), f"{record.country}: cost of the floor by scenario, % of GDP", "% of GDP", "0.0%",
                         "year")
    chart.add_data(Reference(ws, min_col=4, max_col=3 + len(record.scenarios), min_row=first, max_row=last),
                   titles_from_data=False)
    for i, series in enumerate(chart.series):
        series.tx = SeriesLabel(strRef=StrRef(f"'{ws.title}'!${get_column_letter(4 + i)}$1"))
    chart.set_categories(Reference(ws, min_col=3, max_col=3, min_row=first, max_row=last))
    ws.add_chart(chart, f"{get_column_letter(len(header) + 2)}2")


def add_parameters_that_differ(wb: Workbook, record: RunRecord, paths: list[str]) -> None:
    ws = wb.create_sheet("parameters_differ", index=3)
    sets = list(record.parameter_sets.values())
    header = ["parameter", "kind", "cause", "description", "unit", *record.scenarios, "set by (last scenario)",
              "source (last scenario)"]
    rows = []
    for path in paths:
        last = sets[-1][path]
        definition = last.definition
        rows.append([path, definition.kind, cause_of(definition) or "none (reporting only)", definition.description,
                     definition.unit, *(parameter_value(s.value(path)) for s in sets), last.layer,
                     last.citation()])
    write_table(ws, header, rows, widths=[32, 9, 12, 50, 16, *([18] * len(sets)), 14, 60], frozen_columns=1,
                wrap=True)


def decomposition_rows(record: RunRecord, decomposition: xr.Dataset) -> list[list]:
    rows = []
    for scenario in decomposition[dims.SCENARIO].values:
        for benefit in [*record.benefits, "total"]:
            one = decomposition.sel({dims.SCENARIO: scenario, dims.BENEFIT: benefit})
            for cause in CAUSES:
                rows.append([str(scenario), benefit, cause, *one["contribution"].sel(cause=cause).values.tolist()])
            rows.append([str(scenario), benefit, "total change", *one["change"].values.tolist()])
    return rows


def add_decomposition(wb: Workbook, record: RunRecord, decomposition: xr.Dataset) -> None:
    ws = wb.create_sheet("decomposition", index=4)
    rows = decomposition_rows(record, decomposition)
    write_table(ws, ["scenario", "benefit", "cause", *record.years], rows, formats=["0.00%"] * len(rows),
                widths=year_widths([22, 14, 14], record.years), frozen_columns=3)
    # For each compared scenario, the causes of the change in the floor's total, stacked by year.
    block = (len(record.benefits) + 1) * (len(CAUSES) + 1)
    first_col, last_col = 4, 3 + len(record.years)
    for i, scenario in enumerate(decomposition[dims.SCENARIO].values):
        first = 2 + i * block + len(record.benefits) * (len(CAUSES) + 1)  # the total's cause rows
        chart = stacked_column_chart(f"{scenario} − {record.scenarios[0]}: change in cost by cause, % of GDP",
                                     "percentage points of GDP", "0.0%", "year")
        add_row_series(chart, ws, range(first, first + len(CAUSES)), first_col, last_col, "C")
        ws.add_chart(chart, f"{get_column_letter(last_col + 2)}{2 + i * 20}")


def add_compare_sheets(wb: Workbook, record: RunRecord, decomposition: xr.Dataset, paths: list[str]) -> None:
    add_comparison(wb, record)
    add_parameters_that_differ(wb, record, paths)
    add_decomposition(wb, record, decomposition)
    lay_out_for_print(wb)
