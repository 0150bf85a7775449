"""Outputs at the edge: the tidy long table (CSV) and the Excel workbook, written atomically."""

from floors.io.files import write_all_atomically, write_atomically
from floors.report.record import RunRecord
from floors.report.tidy import tidy_table
from floors.report.workbook import build_workbook

__all__ = ["RunRecord", "build_workbook", "tidy_table", "write_all_atomically", "write_atomically"]
