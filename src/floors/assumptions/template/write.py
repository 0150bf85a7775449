"""Writing the what-if template: every effective parameter of a country in a workbook to fill in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from floors import __version__
from floors.assumptions.parameter import ParameterDef, may_change_by_year
from floors.assumptions.parameter_set import Effective, ParameterSet
from floors.assumptions.template.layout import (
    BY_YEAR_EXAMPLE,
    HEADER,
    NEW_COLUMN,
    PARAMETER_COLUMN,
    README_SHEET,
    SCENARIO_HEADER,
    SCENARIO_SHEET,
    SHEET,
    allowed_text,
    by_year_text,
    is_share,
    kind,
    number_text,
    unit_text,
)
from floors.io.excel import write_table
from floors.io.files import write_atomically

NEW_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: type here
NEW_HEADER_FILL = PatternFill("solid", fgColor="C65911")
GREY_FILL = PatternFill("solid", fgColor="EDEDED")  # for reading only
GREY_FONT = Font(color="595959")


def baseline_value(value: Any) -> Any:
    if isinstance(value, dict):
        return by_year_text(value)
    if value is None:
        return "(not set)"
    return value


def source_text(effective: Effective) -> str:
    return f"{effective.citation()} [set by {effective.layer}: {effective.origin}]"


# --- writing ----------------------------------------------------------------------------------


def write_template(params: ParameterSet, path: Path | str, *, based_on: str | None = None,
                   new_values: Mapping[str, Any] | None = None) -> None:
    """Write the what-if template of ``params`` to ``path`` (atomically).

    ``based_on`` names the scenario ``params`` were loaded with (a name in the country's
    scenarios folder, ``a+b`` for several): the template is read back on top of it.
    ``new_values`` (parameter → value, as checked) fill the "new value" column in advance.
    """
    path = Path(path)
    workbook = build_template(params, based_on=based_on, file_name=path.name, new_values=new_values)
    write_atomically(path, workbook.save)


def build_template(params: ParameterSet, *, based_on: str | None = None, file_name: str = "what-if.xlsx",
                   new_values: Mapping[str, Any] | None = None) -> Workbook:
    wb = Workbook()
    _add_readme(wb.active, params, based_on, file_name)
    _add_parameters(wb.create_sheet(SHEET), params, new_values or {})
    _add_scenario(wb.create_sheet(SCENARIO_SHEET), params, based_on)
    wb.active = wb.sheetnames.index(SHEET)
    return wb


def _add_parameters(ws: Worksheet, params: ParameterSet, new_values: Mapping[str, Any]) -> None:
    effective = list(params.values())
    rows = [[e.path, e.definition.description, unit_text(e.definition), baseline_value(e.value),
             baseline_value(new_values[e.path]) if e.path in new_values else None,
             allowed_text(e.definition), source_text(e)] for e in effective]
    formats = ["0.00%" if is_share(e.definition) else None for e in effective]
    write_table(ws, HEADER, rows, formats=formats, widths=[46, 60, 24, 18, 18, 40, 70], frozen_columns=1, wrap=True)
    _style_columns(ws, NEW_COLUMN)
    for (cell,) in ws.iter_rows(min_row=2, max_col=PARAMETER_COLUMN):
        cell.alignment = Alignment(vertical="top")  # the name on one line, to read down the column
    validations: dict[tuple, DataValidation] = {}
    for row, e in enumerate(effective, start=2):
        cell = ws.cell(row=row, column=NEW_COLUMN)
        if kind(e.definition) == "text":
            cell.number_format = "@"  # so that Excel keeps 2025-12 as typed, not as a date
        rule = _validation(e.definition)
        if rule is not None:
            key = tuple(sorted(rule.items()))
            if key not in validations:
                validations[key] = DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True,
                                                  promptTitle="New value", **rule)
                ws.add_data_validation(validations[key])
            validations[key].add(cell)


def _validation(definition: ParameterDef) -> dict | None:
    """The Excel data validation of a new value: a list for choices, a range for numbers."""
    what, allowed = kind(definition), allowed_text(definition)
    keep = " Leave the cell empty to keep the baseline value."
    if what in ("switch", "choice"):
        options = ["TRUE", "FALSE"] if what == "switch" else definition.choices or []
        return {"type": "list", "formula1": '"' + ",".join(options) + '"', "errorTitle": "Not an allowed value",
                "error": f"Choose {allowed}.{keep}", "prompt": f"{allowed}.{keep}"}
    if what != "number" or definition.range is None:
        return None
    low, high = definition.range
    error = f"Type a number from {number_text(low)} to {number_text(high)}"
    if is_share(definition):
        error += " (a share: type 0.15 or 15 % for 15 %, never 15)"
    if may_change_by_year(definition):
        error += f", or values by year like {BY_YEAR_EXAMPLE}"
    # A warning, not a stop: values by year are text, and are checked when the file is read.
    return {"type": "decimal", "operator": "between", "formula1": number_text(low), "formula2": number_text(high),
            "errorStyle": "warning", "errorTitle": "Outside the allowed range",
            "error": f"{error}.", "prompt": f"{allowed}.{keep}"}


def _style_columns(ws: Worksheet, editable: int) -> None:
    """The column to fill in yellow (and unlocked), the others grey."""
    ws.cell(row=1, column=editable).fill = NEW_HEADER_FILL
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.column == editable:
                cell.fill, cell.protection = NEW_FILL, Protection(locked=False)
            else:
                cell.fill, cell.font = GREY_FILL, GREY_FONT


def _add_scenario(ws: Worksheet, params: ParameterSet, based_on: str | None) -> None:
    folder = f"assumptions/{params.country}/scenarios/"
    rows: list[list[str | None]] = [
        ["title", None, "A short title (required), e.g. Child benefit at half the poverty line."],
        ["description", None, "What the scenario changes and why (optional)."],
        ["author", None, "Who made it (optional)."],
        ["based_on", based_on, "The scenario applied before the new values on sheet what-if (the baseline values "
                               f"include it): a name in {folder} (a+b for several), or empty for none."],
        ["country", params.country, "The country the template was made for; it is refused with another "
                                    "--country (empty: any country)."],
    ]
    write_table(ws, SCENARIO_HEADER, rows, widths=[14, 50, 100], wrap=True)
    for row in range(2, len(rows) + 2):
        ws.cell(row=row, column=2).number_format = "@"
    _style_columns(ws, 2)


def _add_readme(ws: Worksheet, params: ParameterSet, based_on: str | None, file_name: str) -> None:
    ws.title = README_SHEET
    iso3 = params.country
    start = f"scenario {based_on}" if based_on else "the country's assumptions with no scenario"
    rows = [
        ["what this is", f"A what-if template for {iso3}, made by floors {__version__} on "
                         f"{dt.date.today().isoformat()} from {start}. Sheet what-if lists every parameter the "
                         f"costing uses with its value now (the baseline) and an empty column for yours."],
        ["how to fill it in", "On sheet what-if, type a new value in the yellow 'new value' column (E) of each "
                              "parameter you want to change; leave the others empty (an empty cell keeps the "
                              "baseline value). Do not change column A, the parameter's name. On sheet scenario, "
                              "give a title (required) and, if you like, a description and your name."],
        ["numbers", "Type plain numbers with a decimal point (0.5). The unit of each parameter is in column C; "
                    "money is in local currency unless the unit says USD; years as 2030; ages in years."],
        ["shares", "A share is a fraction: type 0.15 for 15 %, or 15 % with the percent sign. A share typed as "
                   "15 is refused (it would mean 1500 %). Some shares may exceed 1: a benefit level of 1.5 pays "
                   "1.5 times its basis (e.g. the poverty line). Baseline shares are shown as percentages."],
        ["values by year", f"A number may change from year to year: type e.g. {BY_YEAR_EXAMPLE} (year: value, "
                           "separated by semicolons). Years in between are interpolated linearly; before the "
                           "first and after the last year the value is held flat."],
        ["choices and switches", "Pick from the drop-down list: column F lists the allowed values. Switches "
                                 "take TRUE or FALSE."],
        ["how to run it", f"floors run --country {iso3} --scenario {file_name}   (floors validate checks it "
                          f"without costing; --scenario OTHER+{file_name} lays it over another scenario; saved in "
                          f"assumptions/{iso3}/scenarios/ it can be named without its path). The scenario named in "
                          f"based_on on sheet scenario is applied first, by itself: do not name it again."],
        ["checks", "Every new value is checked like a value in an assumption file (its type, range or choices). "
                   "Each problem is reported with its sheet and cell, e.g. what-if!E23, and nothing is costed "
                   "until all are fixed."],
        ["sheets", "what-if: the parameters. scenario: title, description, author, the scenario the template "
                   "was made from and the country. README: this guide."],
    ]
    write_table(ws, ("item", "text"), rows, widths=[22, 130], wrap=True)
