"""Workbook sheets and CSV rows for Monte Carlo draws (median and 80 % interval, fan chart) and
for one-at-a-time sensitivity (ranking and tornado chart)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter

from floors import dims
from floors.io.excel import add_row_series, number_format, styled_chart, write_table, year_widths
from floors.report.labels import BENEFIT_LABELS, shown_as
from floors.report.printing import lay_out_for_print
from floors.report.record import RunRecord
from floors.report.tidy import COLUMNS, positions_in
from floors.uncertainty import QUANTILES, range_of, uncertain

STATISTICS = {0.1: "p10", 0.5: "median", 0.9: "p90"}


def uncertainty_rows(record: RunRecord, summary: xr.Dataset) -> list[tuple[list, str]]:
    rows = []
    for variable in ("cost_share_gdp", "cost"):
        unit = "share of GDP" if variable == "cost_share_gdp" else f"{record.currency} per year"
        fmt = number_format("share" if variable == "cost_share_gdp" else "local currency per year")
        # Plain values with each label's position: a cell at a time through xarray's labels was most of the time.
        var = summary[variable].transpose("quantile", dims.SCENARIO, dims.BENEFIT, dims.YEAR)
        values = var.values
        at = {dim: {label: i for i, label in enumerate(var[dim].values.tolist())} for dim in var.dims}
        for scenario in record.scenarios:
            for benefit in [*record.benefits, "total"]:
                for q in QUANTILES:
                    one = values[at["quantile"][q], at[dims.SCENARIO][scenario], at[dims.BENEFIT][benefit]]
                    rows.append(([scenario, benefit, BENEFIT_LABELS.get(benefit, benefit), variable,
                                  STATISTICS[q], shown_as(unit, fmt), *one.tolist()], fmt))
    return rows


def parameter_rows(record: RunRecord) -> list[list]:
    rows = []
    for scenario, params in record.parameter_sets.items():
        for e in uncertain(params):
            u = range_of(e)
            rows.append([scenario, e.path, e.value, u.low, u.high, u.distribution, e.definition.unit, u.cite()])
    return rows


def add_uncertainty(wb: Workbook, record: RunRecord) -> None:
    """Sheets ``uncertainty`` and ``uncertain_parameters``, and the fan charts on ``summary``, of a record with
    the percentiles of its draws (`RunRecord.uncertainty`)."""
    summary, n, seed = record.uncertainty, record.draws, record.seed
    if summary is None:
        raise ValueError("add_uncertainty: the record has no draws")
    ws = wb.create_sheet("uncertainty", index=2)
    rows = uncertainty_rows(record, summary)
    write_table(ws, ["scenario", "benefit", "label", "variable", "statistic", "unit", *record.years],
                (r for r, _ in rows), formats=(f for _, f in rows),
                widths=year_widths([14, 14, 22, 16, 10, 20], record.years), frozen_columns=5)
    ws = wb.create_sheet("uncertain_parameters", index=3)
    write_table(ws, ["scenario", "parameter", "value", "low", "high", "distribution", "unit", "source or reason"],
                parameter_rows(record), widths=[14, 32, 10, 10, 10, 12, 22, 90], frozen_columns=2, wrap=True)
    # A fan chart per scenario on the summary sheet: the total's 10th, 50th and 90th percentiles.
    summary_ws, source = wb["summary"], wb["uncertainty"]
    first_col, last_col = 7, 6 + len(record.years)
    block = (len(record.benefits) + 1) * len(QUANTILES)
    for i, scenario in enumerate(record.scenarios):
        total_first = 2 + i * block + len(record.benefits) * len(QUANTILES)  # the total's p10 row
        chart = styled_chart(LineChart(), f"{record.country} · {scenario}: total cost, % of GDP, median and 80 % "
                                          f"interval ({n:,} draws, seed {seed})", "% of GDP", "0.0%", "year")
        add_row_series(chart, source, range(total_first, total_first + len(QUANTILES)), first_col, last_col, "E")
        total = summary["cost_share_gdp"].sel({dims.SCENARIO: scenario, dims.BENEFIT: "total"})
        chart.y_axis.scaling.min = round(float(total.min()) * 0.8, 3)  # the fan, not a flat line at the top
        chart.series[0].graphicalProperties.line.dashStyle = "dash"
        chart.series[2].graphicalProperties.line.dashStyle = "dash"
        anchor_row = 2 + (len(record.scenarios) + i) * 20
        summary_ws.add_chart(chart, f"{get_column_letter(6 + len(record.years) + 2)}{anchor_row}")
    lay_out_for_print(wb)  # the new sheets, and the fan charts on pages of the summary's


def tidy_quantiles(summary: xr.Dataset, country: str) -> pd.DataFrame:
    """The percentiles as rows of the tidy table (variables cost_p10, cost_share_gdp_median, …): for each
    variable and percentile, every value in the order of the variable's own dimensions (C order), as
    ``to_dataframe`` gives them; built on plain arrays, not a DataFrame per variable and percentile."""
    columns: dict[str, list[np.ndarray]] = {column: [] for column in COLUMNS}
    for name, var in summary.data_vars.items():
        rest = [dim for dim in var.dims if dim != "quantile"]
        values = var.transpose("quantile", *rest).values
        at = {label: i for i, label in enumerate(var["quantile"].values.tolist())}
        positions = positions_in(values.shape[1:])
        rows = positions[0].size if positions else 1
        labels = {str(dim): var[dim].values[position] for dim, position in zip(rest, positions, strict=True)}
        for q in QUANTILES:
            for dim, label_column in labels.items():
                columns[dim].append(label_column)
            columns["value"].append(values[at[q]].reshape(-1))
            columns[dims.COUNTRY].append(np.full(rows, country, dtype=object))
            columns["variable"].append(np.full(rows, f"{name}_{STATISTICS[q]}", dtype=object))
            columns["unit"].append(np.full(rows, var.attrs.get("units", ""), dtype=object))
    return pd.DataFrame({column: np.concatenate(parts) for column, parts in columns.items()})


def add_sensitivity(wb: Workbook, rows: list[dict]) -> None:
    ws = wb.create_sheet("sensitivity", index=2)
    year, benefit = rows[0]["year"], rows[0]["benefit"]
    table = [[r["parameter"], r["value"], r["low"], r["high"], r["distribution"], r["cost_at_low"] - r["base"],
              r["cost_at_high"] - r["base"], r["cost_at_low"], r["cost_at_high"], r["swing"], r["source"]]
             for r in rows]
    formats = ["0.00%"] * len(table)
    write_table(ws, ["parameter", "value", "low", "high", "distribution", f"change at low ({year})",
                     f"change at high ({year})", "cost at low", "cost at high", "swing", "source or reason"],
                table, formats=formats, widths=[32, 10, 10, 10, 12, 16, 16, 14, 14, 12, 80], frozen_columns=5,
                wrap=True)
    chart = BarChart()  # a tornado: the largest swing on top
    chart.type, chart.grouping, chart.overlap = "bar", "clustered", 100
    styled_chart(chart, f"What moves the {benefit} cost in {year} (% of GDP, against {rows[0]['base']:.2%})",
                 "change in % of GDP", "0.0%", size=(3 + 0.8 * len(rows), 20))
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.tickLblPos = "low"  # names at the left edge, clear of the bars
    chart.add_data(Reference(ws, min_col=6, max_col=7, min_row=1, max_row=1 + len(rows)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, max_col=1, min_row=2, max_row=1 + len(rows)))
    ws.add_chart(chart, "M2")
    lay_out_for_print(wb)


SENSITIVITY_COLUMNS = [dims.SCENARIO, dims.COUNTRY, dims.BENEFIT, dims.YEAR, "parameter", "value", "low", "high",
                       "distribution", "cost_base", "cost_at_low", "cost_at_high", "swing", "unit", "source"]


def sensitivity_table(rows: list[dict], scenario: str, country: str) -> pd.DataFrame:
    """The ranking as a tidy table (the CSV of floors sensitivity): one row per parameter, largest swing first;
    costs as shares of GDP."""
    table = pd.DataFrame([{dims.SCENARIO: scenario, dims.COUNTRY: country, dims.BENEFIT: r["benefit"],
                           dims.YEAR: r["year"], "parameter": r["parameter"], "value": r["value"], "low": r["low"],
                           "high": r["high"], "distribution": r["distribution"], "cost_base": r["base"],
                           "cost_at_low": r["cost_at_low"], "cost_at_high": r["cost_at_high"], "swing": r["swing"],
                           "unit": "share of GDP", "source": r["source"]} for r in rows])
    return table.reindex(columns=SENSITIVITY_COLUMNS)
