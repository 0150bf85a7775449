"""Sheet ``warnings``: implausible values that did not block the run, parameters without a
source, and how the data were extended or held."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from floors.io.excel import write_table
from floors.report.labels import parameter_value
from floors.report.record import RunRecord


def warning_rows(record: RunRecord) -> list[list]:
    rows = [["warning", "all scenarios", text] for text in record.results.attrs.get("warnings", "").splitlines()
            if text]
    for scenario, params in record.parameter_sets.items():
        rows += [["warning", scenario, text] for text in params.warnings]
        rows += [["no source", scenario, f"{e.path} = {parameter_value(e.value)}: {e.no_source}"]
                 for e in params.values() if e.source is None]
    rows += [["data note", "all scenarios", note] for note in record.results.attrs.get("notes", "").splitlines()
             if note]
    return rows


def add_warnings(wb: Workbook, record: RunRecord) -> Worksheet:
    ws = wb.create_sheet("warnings")
    write_table(ws, ("kind", "scenario", "message"), warning_rows(record), widths=[12, 16, 140], wrap=True)
    return ws
