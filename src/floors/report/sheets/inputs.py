"""Sheet ``inputs``: the projections the run used, with their unit, source and vintage."""

from __future__ import annotations

import xarray as xr
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from floors import dims
from floors.io.excel import number_format, write_table, year_widths
from floors.report.labels import age_group_sums, shown_as
from floors.report.record import RunRecord

INPUT_HEADER = ("scenario", "series", "description", "sex", "age group", "unit", "source")



def input_rows(record: RunRecord) -> list[tuple[list, str]]:
    data = record.inputs
    scenarios = data[dims.SCENARIO].values.tolist() if dims.SCENARIO in data.dims else ["all scenarios"]
    years = record.years
    out = []
    for scenario in scenarios:
        one = data.sel({dims.SCENARIO: scenario}) if dims.SCENARIO in data.dims else data
        for name, var in one.data_vars.items():
            # Every input carries its description, unit and source (the table's card) in its attributes.
            description = var.attrs.get("description", str(name).replace("_", " "))
            unit, source = var.attrs.get("units", ""), var.attrs.get("source", "")
            fmt = number_format(unit)
            for sex, group, values in _input_series(var, years):
                out.append(([scenario, name, description, sex, group, shown_as(unit, fmt), source, *values], fmt))
    return out


def _input_series(var: xr.DataArray, years: list[int]):
    """(sex, age group, values by year) for one input, whatever its dimensions."""
    if dims.LINE in var.dims:  # the international lines: constants, one row per line
        for line in var[dims.LINE].values:
            yield "all", f"line: {line}", [float(var.sel({dims.LINE: line}))] * len(years)
        return
    if dims.YEAR not in var.dims:  # a constant used in every year
        yield "all", "all", [float(var)] * len(years)
        return
    if dims.AGE in var.dims:
        by_age = var.transpose(dims.YEAR, dims.SEX, dims.AGE)
        sums = age_group_sums(by_age.values, by_age[dims.AGE].values)  # (year, sex) for each age group
        for j, sex in enumerate(by_age[dims.SEX].values):
            for group, by_year_sex in sums:
                yield str(sex), group, by_year_sex[:, j].tolist()
        return
    if dims.SEX in var.dims:
        for sex in var[dims.SEX].values:
            yield str(sex), "all", var.sel({dims.SEX: sex}).values.tolist()
        return
    yield "all", "all", var.values.tolist()


def add_inputs(wb: Workbook, record: RunRecord) -> Worksheet:
    ws = wb.create_sheet("inputs")
    rows = input_rows(record)
    write_table(ws, [*INPUT_HEADER, *record.years], (r for r, _ in rows), formats=(f for _, f in rows),
                widths=year_widths([14, 28, 50, 8, 16, 30, 50], record.years, 15), frozen_columns=2)
    return ws
