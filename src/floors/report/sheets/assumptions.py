"""Sheet ``assumptions``: every effective parameter, the layer that set it and its source."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from floors.assumptions.parameter import SHARE_UNITS
from floors.io.excel import write_table
from floors.report.labels import parameter_value
from floors.report.record import RunRecord

ASSUMPTION_HEADER = ("scenario", "parameter", "label", "kind", "cause", "description", "value", "unit", "set by",
                     "file", "source")


def add_assumptions(wb: Workbook, record: RunRecord) -> Worksheet:
    ws = wb.create_sheet("assumptions")
    rows, formats = [], []
    for scenario, params in record.parameter_sets.items():
        for effective in params.values():
            unit = effective.definition.unit
            definition = effective.definition
            rows.append([scenario, effective.path, definition.label, definition.kind, definition.cause,
                         definition.description, parameter_value(effective.value), unit, effective.layer,
                         effective.origin, effective.citation()])
            formats.append("0.00%" if unit in SHARE_UNITS else "General")  # shown as a percentage: a share
    write_table(ws, ASSUMPTION_HEADER, rows, formats=formats, widths=[14, 34, 30, 9, 11, 60, 16, 22, 12, 36, 70],
                frozen_columns=2, wrap=True)
    return ws
