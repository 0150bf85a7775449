"""Every sheet of a workbook ready to print: landscape A4 one page wide, the header row on every
page, a footer with the country, scenario(s), sheet and page, and the charts on pages of their own.

The ``report`` sheet lays out its own pages (one per scenario); this does every other sheet.
Call it last, after every sheet and chart is in place (a comparison or the draws add some after
the run's sheets): it is safe to call again, each call starting from the tables as they are.
"""

from __future__ import annotations

from openpyxl import Workbook

from floors.io.excel import charts_on_pages, print_setup
from floors.report.sheets.report import SHEET as REPORT


def lay_out_for_print(wb: Workbook, footer: str | None = None) -> None:
    """``footer``: the country and scenario(s); by default the one the first sheet has (a sheet added
    to a run's workbook prints with the run's footer)."""
    if footer is None:
        footer = (wb.worksheets[0].oddFooter.left.text or "").replace("&&", "&")
    for ws in wb.worksheets:
        if ws.title == REPORT:
            continue
        print_setup(ws, footer)
        charts_on_pages(ws)
