"""The workbook of a run over several countries: costs side by side as % of GDP.

Costs in local currency are not comparable across countries, so the cross-country
sheets use shares of GDP. Sheets: ``report`` (per scenario, one printed page of each country's
cost by benefit in the last year, with a chart), ``README``, ``countries`` (country × benefit × scenario
by year), ``by_country`` (the last year, one row per country and scenario, with a
stacked chart), ``warnings`` and ``assumptions`` (with a country column) and ``meta``.
With Monte Carlo draws, ``by_country`` also gives the total's median and 80 % interval, and
``uncertainty`` and ``uncertain_parameters`` hold what a one-country workbook's do (the
percentiles in local currency too, each in its country's own currency), with a country column.
A benefit a country could not cost (for want of data) is an empty cell, never a zero.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from openpyxl import Workbook
from openpyxl.chart import Reference
from openpyxl.utils import get_column_letter

from floors import __version__, dims
from floors.io.excel import stacked_column_chart, write_table, year_widths
from floors.report.labels import BENEFIT_LABELS, parameter_value
from floors.report.printing import lay_out_for_print
from floors.report.record import RunRecord
from floors.report.sheets.meta import meta_rows
from floors.report.sheets.report import add_countries_report, countries_footer, total_interval
from floors.report.sheets.warnings import warning_rows
from floors.report.uncertainty import STATISTICS, parameter_rows, uncertainty_rows
from floors.uncertainty import QUANTILES


def benefits_of(records: list[RunRecord]) -> list[str]:
    costed = {b for r in records for b in r.benefits}
    return [b for b in BENEFIT_LABELS if b in costed and b != "total"]


def country_rows(records: list[RunRecord]) -> list[list]:
    rows = []
    benefits = [*benefits_of(records), "total"]
    for record in records:
        share = _shares(record)
        for scenario in record.scenarios:
            for benefit in benefits:
                if benefit in share.benefits:
                    values = share.values[share.scenarios[scenario], share.benefits[benefit]].tolist()
                else:
                    values = [None] * len(record.years)  # not costed for this country
                rows.append([record.country, record.country_name, scenario, benefit,
                             BENEFIT_LABELS.get(benefit, benefit), *values])
    return rows


def last_year_rows(records: list[RunRecord], year: int) -> list[list]:
    rows = []
    benefits = [*benefits_of(records), "total"]
    for record in records:
        share = _shares(record)
        last = share.years[year]
        for scenario in record.scenarios:
            one = share.values[share.scenarios[scenario], :, last]
            rows.append([f"{record.country} {scenario}" if len(record.scenarios) > 1 else record.country,
                         *(float(one[share.benefits[b]]) if b in share.benefits else None
                           for b in benefits)])
    return rows


class _Shares(NamedTuple):
    """A country's cost as a share of GDP as a plain array (scenario × benefit × year), with each
    label's position: looking up thousands of cells by label in xarray is slow."""
    values: np.ndarray
    scenarios: dict[str, int]
    benefits: dict[str, int]
    years: dict[int, int]


def _shares(record: RunRecord) -> _Shares:
    share = record.results["cost_share_gdp"].sel({dims.COUNTRY: record.country}).transpose(
        dims.SCENARIO, dims.BENEFIT, dims.YEAR)

    def positions(dim: str) -> dict:
        return {label: i for i, label in enumerate(share[dim].values.tolist())}

    return _Shares(share.values, positions(dims.SCENARIO), positions(dims.BENEFIT), positions(dims.YEAR))


def interval_columns(n: int) -> list[str]:
    """by_country's extra columns with draws: the total's median and 80 % interval."""
    return [f"total, {STATISTICS[q]} of {n:,} draws" for q in QUANTILES]


def add_uncertainty_sheets(wb: Workbook, records: list[RunRecord]) -> None:
    """Sheets ``uncertainty`` (each country's percentiles of the draws, as in a one-country workbook, with the
    country first) and ``uncertain_parameters`` (each country's ranges)."""
    years = records[0].years
    ws = wb.create_sheet("uncertainty")
    rows = [([record.country, record.country_name, *row], fmt) for record in records if record.uncertainty is not None
            for row, fmt in uncertainty_rows(record, record.uncertainty)]
    write_table(ws, ["country", "name", "scenario", "benefit", "label", "variable", "statistic", "unit", *years],
                (r for r, _ in rows), formats=(f for _, f in rows),
                widths=year_widths([9, 20, 14, 14, 22, 16, 10, 20], years), frozen_columns=7)
    ws = wb.create_sheet("uncertain_parameters")
    write_table(ws, ["country", "scenario", "parameter", "value", "low", "high", "distribution", "unit",
                     "source or reason"],
                [[record.country, *row] for record in records for row in parameter_rows(record)],
                widths=[9, 14, 32, 10, 10, 10, 12, 22, 90], frozen_columns=3, wrap=True)


def build_countries_workbook(records: list[RunRecord]) -> Workbook:
    """The cross-country workbook; records with the percentiles of Monte Carlo draws (`RunRecord.uncertainty`)
    add the median and 80 % interval of every cost."""
    drawn = any(record.uncertainty is not None for record in records)
    years = records[0].years
    last = years[-1]
    benefits = benefits_of(records)
    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    rows = [
        ["workbook", f"floors costing of a social protection floor in {len(records)} countries"],
        ["what it is", "The cost of closing the gaps in each benefit of a social protection floor (ILO "
                       f"Recommendation No. 202), as % of GDP, year by year, computed by floors {__version__}."],
        ["countries", ", ".join(f"{r.country_name} ({r.country})" for r in records)],
        ["years", f"{years[0]} to {last}"],
        *records[0].run_rows(),
        ["scenarios", ", ".join(records[0].scenarios)],
        ["units", "Shares of each country's GDP (" + "; ".join(sorted({str(r.inputs["gdp"].attrs.get("vintage"))
                                                                        for r in records})) +
                  "); costs in local currency are in each country's own workbook (floors run --country ISO3)."],
        ["sheet: report", "For reports: per scenario, one landscape page of each country's cost by benefit in "
                          f"{last}, % of GDP (total in bold), with a chart."],
        ["sheet: countries", "% of GDP by country, scenario and benefit (rows) and year (columns); an empty "
                             "cell is a benefit the country could not cost (see warnings)."],
        ["sheet: by_country", f"% of GDP in {last} by country (rows) and benefit (columns), with a stacked chart"
                              + ("; the total's median and 80 % interval over the draws." if drawn else ".")],
        *([["sheet: uncertainty", "10th, 50th (median) and 90th percentiles over the Monte Carlo draws of each "
                                  "benefit's cost, % of GDP and in local currency, by country, scenario and year; "
                                  "each country's draws use its own ranges and the run's seed, as in its own run."],
           ["sheet: uncertain_parameters", "Each country's uncertain parameters: value, range, distribution and "
                                           "source."]] if drawn else []),
        ["sheet: warnings", "Every fallback, gap and implausible value, by country."],
        ["sheet: assumptions", "Every effective parameter by country and scenario, with its layer and source."],
        ["sheet: meta", "Version, time, command line, SHA-256 of the files read."],
        ["reproduce", f"Run: {records[0].command}"],
    ]
    write_table(readme, ("item", "text"), rows, widths=[22, 130], wrap=True)

    ws = wb.create_sheet("countries")
    data = country_rows(records)
    write_table(ws, ["country", "name", "scenario", "benefit", "label", *years], data, formats=["0.00%"] * len(data),
                widths=year_widths([9, 20, 16, 14, 22], years), frozen_columns=5)

    ws = wb.create_sheet("by_country")
    data = last_year = last_year_rows(records, last)
    header = [f"country ({last})", *benefits, "total"]
    if drawn:  # each row is one country and scenario, in the order of last_year_rows
        header += interval_columns(records[0].draws)
        pairs = [(r.uncertainty, scenario) for r in records if r.uncertainty is not None for scenario in r.scenarios]
        data = [[*row, *total_interval(summary, scenario)[:, years.index(last)].tolist()]
                for row, (summary, scenario) in zip(data, pairs, strict=True)]
    write_table(ws, header, data, formats=["0.00%"] * len(data), widths=[20, *([14] * (len(header) - 1))],
                frozen_columns=1)
    chart = stacked_column_chart(f"Cost of the floor in {last}, % of GDP", "% of GDP", "0%", size=(10, 24))
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(benefits), min_row=1, max_row=1 + len(data)),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, max_col=1, min_row=2, max_row=1 + len(data)))
    ws.add_chart(chart, f"{get_column_letter(len(header) + 2)}2")
    if drawn:
        add_uncertainty_sheets(wb, records)

    ws = wb.create_sheet("warnings")
    data = [[r.country, *row] for r in records for row in warning_rows(r)]
    write_table(ws, ("country", "kind", "scenario", "message"), data, widths=[9, 12, 16, 140], wrap=True)

    ws = wb.create_sheet("assumptions")
    data = [[r.country, scenario, e.path, e.definition.kind, parameter_value(e.value), e.definition.unit, e.layer,
             e.citation()]
            for r in records for scenario, params in r.parameter_sets.items() for e in params.values()]
    write_table(ws, ("country", "scenario", "parameter", "kind", "value", "unit", "set by", "source"), data,
                formats=["General"] * len(data), widths=[9, 16, 34, 9, 16, 22, 12, 80], frozen_columns=3, wrap=True)

    ws = wb.create_sheet("meta")
    seen, data = set(), []
    for record in records:
        for row in meta_rows(record):
            key = (row[0], row[2]) if row[0].endswith("SHA-256") else (row[0], record.country)
            if key in seen:
                continue
            seen.add(key)
            data.append([record.country if not row[0].endswith("SHA-256") else "all", *row])
    write_table(ws, ("country", "item", "value", "detail"), data, widths=[9, 34, 70, 60])
    add_countries_report(wb, records, benefits, last_year)
    lay_out_for_print(wb, countries_footer(records))
    return wb
