"""One sheet per benefit: people eligible, existing coverage netted out, beneficiaries, unit
benefit, cost, and beneficiaries by sex and five-year age group."""

from __future__ import annotations

import numpy as np
import xarray as xr
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from floors import dims
from floors.io.excel import number_format, write_table, year_widths
from floors.report.labels import age_group, shown_as
from floors.report.record import RunRecord

BENEFIT_MEASURES = (
    ("eligible", "people eligible (before coverage, targeting and take-up)"),
    ("existing_coverage", "of whom already covered by existing schemes (netted out)"),
    ("beneficiaries", "beneficiaries paid by the floor"),
    ("unit_benefit", "benefit per beneficiary per year"),
    ("cost", "cost, including administration"),
    ("cost_share_gdp", "cost, % of GDP"),
    ("cost_share_gg_expenditure", "cost, % of general government expenditure"),
)


BENEFIT_HEADER = ("scenario", "variable", "measure", "sex", "age group", "unit")


def benefit_rows(record: RunRecord, benefit: str) -> list[tuple[list, str]]:
    res = record.results.sel({dims.COUNTRY: record.country, dims.BENEFIT: benefit})
    units = {"unit_benefit": f"{record.currency} per beneficiary per year", "cost": f"{record.currency} per year"}
    out = []
    for scenario in record.scenarios:
        one = res.sel({dims.SCENARIO: scenario})
        for variable, label in BENEFIT_MEASURES:
            unit = units.get(variable, one[variable].attrs.get("units", ""))
            fmt = number_format(one[variable].attrs.get("units", ""))
            out.append(([scenario, variable, label, "all", "all", shown_as(unit, fmt), *one[variable].values.tolist()],
                        fmt))
        if "beneficiaries_by_sex_age" in one and bool(np.isfinite(one["beneficiaries_by_sex_age"]).any()):
            detail = one["beneficiaries_by_sex_age"]
            groups = xr.DataArray([age_group(int(a)) for a in detail[dims.AGE].values], dims=[dims.AGE])
            grouped = detail.groupby(groups.rename("age_group")).sum()
            order = sorted(grouped["age_group"].values.tolist(), key=lambda g: int(g.rstrip("+").split("-")[0]))
            for sex in detail[dims.SEX].values:
                for group in order:
                    values = grouped.sel({dims.SEX: sex, "age_group": group}).transpose(dims.YEAR).values
                    if np.any(values > 0):
                        out.append(([scenario, "beneficiaries_by_sex_age", "beneficiaries by sex and age group",
                                     str(sex), group, "persons", *values.tolist()], "#,##0"))
    return out


def add_benefit_sheet(wb: Workbook, record: RunRecord, benefit: str) -> Worksheet:
    ws = wb.create_sheet(benefit)
    rows = benefit_rows(record, benefit)
    write_table(ws, [*BENEFIT_HEADER, *record.years], (r for r, _ in rows), formats=(f for _, f in rows),
                widths=year_widths([14, 24, 44, 8, 10, 30], record.years), frozen_columns=3)
    return ws
