"""The sheets of a run's workbook, one module each, every one with its ``add_…(wb, record)``
and the row builders behind it; `floors.report.workbook.build_workbook` puts them together."""
