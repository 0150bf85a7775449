"""One sheet per benefit: people eligible, existing coverage netted out, beneficiaries, unit
benefit, cost, and beneficiaries by sex and five-year age group."""

from __future__ import annotations

import numpy as np
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from floors import dims
from floors.io.excel import number_format, write_table, year_widths
from floors.report.labels import age_group_sums, shown_as
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
    # Each variable once as a plain (scenario, year) array: selecting scenario by scenario in xarray
    # cost more than the rest of the sheet.
    position = {str(s): i for i, s in enumerate(res[dims.SCENARIO].values)}
    measures = [(variable, label, res[variable].attrs.get("units", ""),
                 res[variable].transpose(dims.SCENARIO, dims.YEAR).values) for variable, label in BENEFIT_MEASURES]
    detail = None
    if "beneficiaries_by_sex_age" in res:
        by_age = res["beneficiaries_by_sex_age"].transpose(dims.SCENARIO, dims.YEAR, dims.SEX, dims.AGE)
        detail = (by_age.values, [str(sex) for sex in by_age[dims.SEX].values], by_age[dims.AGE].values)
    out = []
    for scenario in record.scenarios:
        at = position[scenario]
        for variable, label, stated_unit, values in measures:
            fmt = number_format(stated_unit)
            out.append(([scenario, variable, label, "all", "all", shown_as(units.get(variable, stated_unit), fmt),
                         *values[at].tolist()], fmt))
        if detail is not None and np.isfinite(detail[0][at]).any():
            values, sexes, ages = detail
            sums = age_group_sums(values[at], ages)  # (year, sex) for each age group
            for j, sex in enumerate(sexes):
                for group, by_year_sex in sums:
                    if np.any(by_year_sex[:, j] > 0):
                        out.append(([scenario, "beneficiaries_by_sex_age", "beneficiaries by sex and age group",
                                     sex, group, "persons", *by_year_sex[:, j].tolist()], "#,##0"))
    return out


def add_benefit_sheet(wb: Workbook, record: RunRecord, benefit: str) -> Worksheet:
    ws = wb.create_sheet(benefit)
    rows = benefit_rows(record, benefit)
    write_table(ws, [*BENEFIT_HEADER, *record.years], (r for r, _ in rows), formats=(f for _, f in rows),
                widths=year_widths([14, 24, 44, 8, 10, 30], record.years), frozen_columns=3)
    return ws
