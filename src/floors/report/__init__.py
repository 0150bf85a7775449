"""Outputs at the edge: the tidy long table (CSV) and, later, the Excel workbook."""

from floors.report.tidy import tidy_table, write_atomically

__all__ = ["tidy_table", "write_atomically"]
