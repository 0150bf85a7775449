"""The what-if template: every parameter of a country in a workbook, to fill in and read back.

`write_template` writes the effective parameters (after the default → country → scenario
layers) to an Excel workbook:

* ``what-if``   one row per parameter: its dotted name, description, unit, baseline
                value, an empty "new value" column for the user, the allowed values and
                the source of the baseline value;
* ``scenario``  title (required), description, author, the scenario the template was
                made from (``based_on``) and the country;
* ``README``    how to fill it in and run it.

`read_template` turns a filled template into the same `ScenarioInfo` a YAML scenario
file gives (its ``changes`` hold only the cells the user filled), so that layering,
``based_on`` and composition with ``+`` are shared. Each new value is read by its
parameter's kind (a number, a share, a choice, true/false, text, values by year such as
``2025: 0.5; 2030: 1``) and checked with `check_value`; every bad cell is a `Problem`
that names the sheet and cell (``what-if!E23 (children.level)``).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from floors import __version__
from floors.assumptions.layers import Effective, ParameterSet, load_defaults
from floors.assumptions.parameter import SHARE_UNITS, ParameterDef, check_value, may_change_by_year
from floors.assumptions.scenario import ScenarioInfo
from floors.assumptions.yaml_io import YamlDocument
from floors.io.excel import write_table
from floors.io.files import write_atomically
from floors.problems import Problem, did_you_mean, display_path

SHEET = "what-if"
SCENARIO_SHEET = "scenario"
README_SHEET = "README"
HEADER = ("parameter", "description", "unit", "baseline value", "new value", "allowed values",
          "source of the baseline value")
PARAMETER_COLUMN, NEW_COLUMN = HEADER.index("parameter") + 1, HEADER.index("new value") + 1
SCENARIO_HEADER = ("field", "value", "what to write")
SCENARIO_FIELDS = ("title", "description", "author", "based_on", "country")
BY_YEAR_EXAMPLE = "2025: 0.5; 2030: 1"
TEMPLATE_HINT = "make a new template with 'floors scenario template' and copy your values into it"
# A template is a few hundred cells; anything much larger is the wrong file.
MAX_TEMPLATE_BYTES = 20_000_000

NEW_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: type here
NEW_HEADER_FILL = PatternFill("solid", fgColor="C65911")
GREY_FILL = PatternFill("solid", fgColor="EDEDED")  # for reading only
GREY_FONT = Font(color="595959")


# --- what a parameter takes -------------------------------------------------------------------


def kind(definition: ParameterDef) -> str:
    """``switch`` (true/false), ``choice`` (from a list), ``text`` (matching a pattern) or ``number``."""
    if isinstance(definition.value, bool):
        return "switch"
    if definition.choices:
        return "choice"
    if definition.pattern or isinstance(definition.value, str):
        return "text"
    return "number"


def is_share(definition: ParameterDef) -> bool:
    return definition.unit in SHARE_UNITS


def number_text(value: float | int) -> str:
    """A number as text that reads back to the same number (no thousands separators)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def by_year_text(value: Mapping[int, float]) -> str:
    """Values by year as a cell shows them: ``2025: 0.5; 2030: 1``."""
    return "; ".join(f"{year}: {number_text(v)}" for year, v in sorted(value.items()))


def unit_text(definition: ParameterDef) -> str:
    if is_share(definition):
        return f"{definition.unit} (0.15 = 15 %)"
    if kind(definition) == "switch":
        return f"{definition.unit} (TRUE or FALSE)"
    return definition.unit


def allowed_text(definition: ParameterDef) -> str:
    what = kind(definition)
    if what == "switch":
        return "TRUE or FALSE"
    if what == "choice":
        return "one of: " + ", ".join(definition.choices or [])
    if what == "text":
        return f"text matching {definition.pattern}" if definition.pattern else "text"
    if definition.range is None:
        numbers = "any number"
    else:
        low, high = definition.range
        numbers = f"{number_text(low)} to {number_text(high)}"
        if is_share(definition):
            numbers += f" ({number_text(low * 100)} % to {number_text(high * 100)} %)"
    return f"{numbers}, or values by year like {BY_YEAR_EXAMPLE}" if may_change_by_year(definition) else numbers


def baseline_value(value: Any) -> Any:
    if isinstance(value, dict):
        return by_year_text(value)
    if value is None:
        return "(not set)"
    return value


def source_text(effective: Effective) -> str:
    return f"{effective.citation()} [set by {effective.layer}: {effective.origin}]"


# --- writing ----------------------------------------------------------------------------------


def write_template(params: ParameterSet, path: Path | str, *, based_on: str | None = None) -> None:
    """Write the what-if template of ``params`` to ``path`` (atomically).

    ``based_on`` names the scenario ``params`` were loaded with (a name in the country's
    scenarios folder, ``a+b`` for several): the template is read back on top of it.
    """
    path = Path(path)
    workbook = build_template(params, based_on=based_on, file_name=path.name)
    write_atomically(path, workbook.save)


def build_template(params: ParameterSet, *, based_on: str | None = None, file_name: str = "what-if.xlsx") -> Workbook:
    wb = Workbook()
    _add_readme(wb.active, params, based_on, file_name)
    _add_parameters(wb.create_sheet(SHEET), params)
    _add_scenario(wb.create_sheet(SCENARIO_SHEET), params, based_on)
    wb.active = wb.sheetnames.index(SHEET)
    return wb


def _add_parameters(ws: Worksheet, params: ParameterSet) -> None:
    effective = list(params.values())
    rows = [[e.path, e.definition.description, unit_text(e.definition), baseline_value(e.value), None,
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


# --- reading ----------------------------------------------------------------------------------


def default_definitions(root: Path) -> dict[str, ParameterDef]:
    """Every parameter's definition (the default layer reports its own problems; here they are dropped)."""
    params, _ = load_defaults(root / "default", [])
    return {path: e.definition for path, e in params.items()}


class CellError(ValueError):
    """A cell that cannot be read as its parameter's kind of value."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def parse_number(text: str) -> int | float:
    """``0.5``, ``2030`` or ``15 %`` (= 0.15)."""
    text = text.strip()
    percent = text.endswith("%")
    digits = text.rstrip("%").strip()
    try:
        number = Decimal(digits)
    except InvalidOperation:
        hint = f"type a number with a decimal point (0.5), a percentage (15 %) or values by year like {BY_YEAR_EXAMPLE}"
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
            hint = f"type it without thousands separators: {text.replace(',', '')}"
        elif re.fullmatch(r"-?\d+,\d+\s*%?", text):
            hint = f"use a decimal point, not a comma: {text.replace(',', '.')}"
        raise CellError("expected a number, got text", hint) from None
    if not number.is_finite():
        raise CellError(f"{digits} is not a finite number", "type a plain number, e.g. 0.5")
    if percent:
        return float(number / 100)
    return int(digits) if re.fullmatch(r"[-+]?\d+", digits) else float(number)


def parse_by_year(text: str) -> dict[int, int | float]:
    """``2025: 0.5; 2030: 1`` → ``{2025: 0.5, 2030: 1}``."""
    hint = f"write years and values like {BY_YEAR_EXAMPLE}"
    out: dict[int, int | float] = {}
    for part in filter(str.strip, text.split(";")):
        match = re.fullmatch(r"\s*(\d{4})\s*:\s*(\S.*?)\s*", part)
        if match is None:
            raise CellError(f"cannot read {part.strip()!r} as year: value", hint)
        year = int(match[1])
        if year in out:
            raise CellError(f"year {year} is given twice", "give each year once")
        try:
            out[year] = parse_number(match[2])
        except CellError as exc:
            raise CellError(f"{exc.message} (year {year})", exc.hint) from None
    if not out:
        raise CellError("no values by year", hint)
    return out


def read_value(raw: Any, definition: ParameterDef) -> Any:
    """A cell's value as its parameter takes it; `check_value` then judges it."""
    what = kind(definition)
    if isinstance(raw, dt.date | dt.time | dt.timedelta):
        raise CellError("Excel has read this cell as a date or time",
                        "format the cell as Text (Format Cells › Text) and type the value again")
    if what == "switch":
        if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
            return raw.strip().lower() == "true"
        return raw
    if what in ("choice", "text"):
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return number_text(raw)  # e.g. a period 2023 that Excel stored as a number
        return raw.strip() if isinstance(raw, str) else raw
    if isinstance(raw, str):
        return parse_by_year(raw) if ":" in raw else parse_number(raw)
    return raw


def share_hint(problem: Problem, definition: ParameterDef) -> Problem:
    """A share typed as a percentage (15 for 0.15): say how to write it in a cell."""
    v = problem.value
    if (not is_share(definition) or definition.range is None or isinstance(v, bool)
            or not isinstance(v, int | float) or not definition.range[1] < v <= 100):
        return problem
    fraction = number_text(float(Decimal(repr(v)) / 100))  # 0.658 for 65.8, not 0.6579999999999999
    return replace(problem, hint=f"a share is a fraction: type {fraction} or {number_text(v)} % (with "
                                 f"the percent sign) for {number_text(v)} %")


@dataclass
class _Sheets:
    """The workbook as typed, and (when a new value is a formula) the results Excel saved."""

    typed: Workbook
    path: Path
    saved: Workbook | None = None

    def value(self, sheet: str, coordinate: str) -> Any:
        cell = self.typed[sheet][coordinate]
        if cell.data_type == "f":
            if self.saved is None:
                self.saved = _load(self.path, data_only=True)
            return _Formula(self.saved[sheet][coordinate].value)
        return cell.value


@dataclass
class _Formula:
    result: Any


def _load(path: Path, *, data_only: bool) -> Workbook:
    with warnings.catch_warnings():  # e.g. "data validation extension is not supported"
        warnings.simplefilter("ignore")
        return load_workbook(path, data_only=data_only)


def _open(path: Path, name: str, problems: list[Problem]) -> _Sheets | None:
    if not path.is_file():
        problems.append(Problem("file not found", file=name, hint="check the path and the file name"))
        return None
    size = path.stat().st_size
    if size > MAX_TEMPLATE_BYTES:
        problems.append(Problem(f"file is {size:,} bytes, more than a what-if template can be", file=name,
                                hint=TEMPLATE_HINT))
        return None
    try:
        workbook = _load(path, data_only=False)
    except Exception as exc:  # whatever a broken or foreign file raises, it is bad input
        problems.append(Problem(f"not a valid Excel workbook (.xlsx): {type(exc).__name__}: {exc}", file=name,
                                hint="save it from Excel as 'Excel Workbook (*.xlsx)', or " + TEMPLATE_HINT))
        return None
    missing = [s for s in (SHEET, SCENARIO_SHEET) if s not in workbook.sheetnames]
    for sheet in missing:
        problems.append(Problem(f"no sheet {sheet!r} (sheets: {', '.join(workbook.sheetnames)})", file=name,
                                hint=f"a what-if template has the sheets {SHEET!r} and {SCENARIO_SHEET!r}; "
                                     + TEMPLATE_HINT))
    return None if missing else _Sheets(workbook, path)


def _columns(ws: Worksheet, wanted: tuple[str, ...], name: str, problems: list[Problem]) -> dict[str, int] | None:
    """The column of each header in ``wanted`` (found by name in row 1)."""
    found = {str(c.value).strip().lower(): c.column for c in ws[1] if c.value is not None}
    missing = [h for h in wanted if h not in found]
    for header in missing:
        problems.append(Problem(f"no column {header!r} in row 1 of sheet {ws.title!r}", file=name,
                                key=f"{ws.title}!1:1", hint=f"row 1 names the columns: {', '.join(wanted)}; "
                                                          + TEMPLATE_HINT))
    return None if missing else {h: found[h] for h in wanted}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_text(value)
    return str(value).strip()


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_fields(sheets: _Sheets, name: str, country: str | None,
                 problems: list[Problem]) -> tuple[dict[str, str], dict[tuple, int], dict[str, str]]:
    ws = sheets.typed[SCENARIO_SHEET]
    columns = _columns(ws, SCENARIO_HEADER[:2], name, problems)
    fields: dict[str, str] = {}
    lines: dict[tuple, int] = {}
    if columns is None:
        return fields, lines, {}
    for row in range(2, ws.max_row + 1):
        field_cell = ws.cell(row=row, column=columns["field"])
        value_cell = ws.cell(row=row, column=columns["value"])
        field, value = _cell_text(field_cell.value).lower(), sheets.value(SCENARIO_SHEET, value_cell.coordinate)
        if isinstance(value, _Formula):
            value = value.result
        if not field:
            continue
        if field not in SCENARIO_FIELDS:
            if not _is_empty(value):
                problems.append(Problem(f"unknown field {field!r}", file=name, key=f"{SCENARIO_SHEET}!"
                                        f"{field_cell.coordinate}", hint=did_you_mean(field, SCENARIO_FIELDS)
                                        or f"the fields are {', '.join(SCENARIO_FIELDS)}"))
            continue
        fields[field], lines[(field,)] = _cell_text(value), row
    letter = get_column_letter(columns["value"])
    cells = {field: f"{SCENARIO_SHEET}!{letter}{row} ({field})" for (field,), row in lines.items()}
    if not fields.get("title"):
        problems.append(Problem("a title is required", file=name, key=cells.get("title", f"{SCENARIO_SHEET}!{letter}"),
                                hint="type a short title for the scenario, e.g. 'Child benefit at half the poverty "
                                     "line'; it names the scenario in the results"))
    expected = fields.get("country", "").upper()
    if country and expected and expected != country.upper():
        problems.append(Problem(f"this template was made for {expected}, not {country.upper()}", file=name,
                                key=cells["country"], value=fields["country"],
                                hint=f"run it with --country {expected}, or empty the cell to use it for any country"))
    return fields, lines, cells


def _read_changes(sheets: _Sheets, name: str, definitions: Mapping[str, ParameterDef],
                  problems: list[Problem]) -> dict[str, tuple[Any, int]]:
    ws = sheets.typed[SHEET]
    columns = _columns(ws, (HEADER[PARAMETER_COLUMN - 1], HEADER[NEW_COLUMN - 1]), name, problems)
    changes: dict[str, tuple[Any, int]] = {}
    if columns is None:
        return changes
    for row in range(2, ws.max_row + 1):
        path_cell = ws.cell(row=row, column=columns["parameter"])
        cell = ws.cell(row=row, column=columns["new value"])
        raw = sheets.value(SHEET, cell.coordinate)
        if _is_empty(raw):
            continue
        path = _cell_text(path_cell.value)
        where = f"{SHEET}!{cell.coordinate} ({path})" if path else f"{SHEET}!{cell.coordinate}"
        if isinstance(raw, _Formula):
            if _is_empty(raw.result):
                problems.append(Problem("a formula with no saved result", file=name, key=where,
                                        hint="type the value itself, or open the file in Excel and save it so "
                                             "that the formula's result is stored"))
                continue
            raw = raw.result
        if path not in definitions:
            hint = (did_you_mean(path, list(definitions)) or "column A names the parameter as floors does, e.g. "
                    "children.level; 'floors params' lists them") if path else "type the parameter's name in column A"
            message = f"unknown parameter {path!r}" if path else "a new value with no parameter named in its row"
            problems.append(Problem(message, file=name, key=f"{SHEET}!{path_cell.coordinate}", hint=hint))
            continue
        if path in changes:
            problems.append(Problem(f"{path} is given a new value twice (rows {changes[path][1]} and {row})",
                                    file=name, key=where, hint="keep one of the two rows"))
            continue
        definition = definitions[path]
        try:
            value = read_value(raw, definition)
        except CellError as exc:
            problems.append(Problem(exc.message, file=name, key=where, value=raw, hint=exc.hint))
            continue
        found = check_value(definition, value, file=name, key=where, line=None)
        if found:
            problems += [share_hint(p, definition) for p in found]
            continue
        changes[path] = (value, row)
    return changes


def read_template(path: Path, problems: list[Problem], definitions: Mapping[str, ParameterDef],
                  country: str | None = None) -> ScenarioInfo | None:
    """A filled what-if template as a scenario: the filled cells are its changes.

    Every problem (a bad cell, a missing title or sheet, a file that is not a workbook)
    is appended to ``problems``; None when the file cannot be read as a template at all.
    ``country`` is the country it is used for, checked against the one it was made for.
    """
    name = display_path(path)
    sheets = _open(path, name, problems)
    if sheets is None:
        return None
    fields, lines, cells = _read_fields(sheets, name, country, problems)
    changes = _read_changes(sheets, name, definitions, problems)
    lines.update({("changes", key): row for key, (_, row) in changes.items()})
    data = {**fields, "changes": {key: value for key, (value, _) in changes.items()}}
    doc = YamlDocument(path=path, data=data, lines=lines)
    return ScenarioInfo(path=path, name=name, title=fields.get("title", ""), description=fields.get("description", ""),
                        author=fields.get("author", ""), based_on=fields.get("based_on") or None, doc=doc,
                        changes=dict(changes), cells=cells)
