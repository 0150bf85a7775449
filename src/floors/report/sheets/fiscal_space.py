"""Sheet ``fiscal_space``: cost against government finance, the financing gap and the measures
that close it (ILO fiscal-space framework)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from floors import dims
from floors.engine.fiscal_space import FISCAL_SPACE_VARIABLES, first_year_closed
from floors.io.excel import write_table, year_widths
from floors.report.labels import yes_no
from floors.report.record import RunRecord

FISCAL_HEADER = ("scenario", "variable", "measure", "unit")


def fiscal_space_rows(record: RunRecord) -> list[tuple[list, str | None]]:
    res = record.results.sel({dims.COUNTRY: record.country})
    out: list[tuple[list, str | None]] = []
    for scenario in record.scenarios:
        one = res.sel({dims.SCENARIO: scenario})
        for variable, label in FISCAL_SPACE_VARIABLES.items():
            out.append(([scenario, variable, label, "share of GDP", *one[variable].values.tolist()], "0.00%"))
        closed = [yes_no(v) for v in (one["fs_remaining_gap_share_gdp"] <= 1e-12).values.tolist()]
        out.append(([scenario, "fs_gap_closed", "the measures close the gap", "yes/no", *closed], None))
    return out


def fiscal_space_verdicts(record: RunRecord) -> dict[str, str]:
    """One sentence per scenario: from which year the measures set in fiscal_space.* close the gap."""
    remaining = record.results["fs_remaining_gap_share_gdp"].sel({dims.COUNTRY: record.country})
    last = record.years[-1]
    out = {}
    for scenario, year in first_year_closed(remaining).items():
        gap = float(remaining.sel({dims.SCENARIO: scenario, dims.YEAR: last}))
        out[scenario] = (f"the measures set in fiscal_space.* close the financing gap from {year} on"
                         if year is not None else
                         f"the measures set in fiscal_space.* do not close the financing gap by {last} "
                         f"(remaining gap {gap:.2%} of GDP in {last})")
    return out


def add_fiscal_space(wb: Workbook, record: RunRecord) -> Worksheet:
    ws = wb.create_sheet("fiscal_space")
    rows = fiscal_space_rows(record)
    write_table(ws, [*FISCAL_HEADER, *record.years], (r for r, _ in rows), formats=(f for _, f in rows),
                widths=year_widths([14, 34, 58, 14], record.years), frozen_columns=3)
    return ws
