"""Reading a filled what-if template back as a scenario (`read_template`)."""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from floors.assumptions.parameter import ParameterDef, check_value, percent_hint, percentage
from floors.assumptions.scenario_info import ScenarioInfo
from floors.assumptions.template.layout import (
    BY_YEAR_EXAMPLE,
    HEADER,
    MAX_TEMPLATE_BYTES,
    NEW_COLUMN,
    PARAMETER_COLUMN,
    SCENARIO_FIELDS,
    SCENARIO_HEADER,
    SCENARIO_SHEET,
    SHEET,
    TEMPLATE_HINT,
    kind,
    number_text,
)
from floors.assumptions.yaml_io import YamlDocument
from floors.problems import Problem, did_you_mean, display_path


class CellError(ValueError):
    """A cell that cannot be read as its parameter's kind of value."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def parse_number(text: str) -> int | float | str:
    """``0.5`` or ``2030`` as a number; a percentage (``15 %``) as typed, for `check_value` to read by its
    parameter's unit (0.15 for a share, refused for any other unit)."""
    text = text.strip()
    if percentage(text) is not None:
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        hint = f"type a number with a decimal point (0.5), a percentage (15 %) or values by year like {BY_YEAR_EXAMPLE}"
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
            hint = f"type it without thousands separators: {text.replace(',', '')}"
        elif re.fullmatch(r"-?\d+,\d+\s*%?", text):
            hint = f"use a decimal point, not a comma: {text.replace(',', '.')}"
        raise CellError("expected a number, got text", hint) from None
    if not number.is_finite():
        raise CellError(f"{text} is not a finite number", "type a plain number, e.g. 0.5")
    return int(text) if re.fullmatch(r"[-+]?\d+", text) else float(number)


def parse_by_year(text: str) -> dict[int, int | float | str]:
    """``2025: 0.5; 2030: 1`` → ``{2025: 0.5, 2030: 1}`` (a percentage as typed, as `parse_number`)."""
    hint = f"write years and values like {BY_YEAR_EXAMPLE}"
    out: dict[int, int | float | str] = {}
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
    """A share typed as a number of percent (15 for 0.15): say how to type it in a cell."""
    v = problem.value
    if isinstance(v, bool) or not isinstance(v, int | float):
        return problem
    hint = percent_hint(definition, v, cell=True)
    return problem if hint is None else replace(problem, hint=hint)


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


def _why_not_a_workbook(path: Path, exc: Exception) -> str:
    """What openpyxl's refusal means in words: a zip that is not a workbook raises a bare KeyError."""
    if zipfile.is_zipfile(path) and isinstance(exc, KeyError):
        return "a zip archive without a workbook's parts (no [Content_Types].xml or xl/workbook.xml)"
    if not zipfile.is_zipfile(path):
        return "not a zip archive, as every .xlsx file is (an old .xls, a CSV or a damaged file?)"
    return f"{type(exc).__name__}: {exc}"


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
        problems.append(Problem(f"not a valid Excel workbook (.xlsx): {_why_not_a_workbook(path, exc)}", file=name,
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
