"""The tidy table and Excel tables built the fast way give what the straightforward way gives.

`tidy_table` works on plain arrays, `write_table` copies styles and pauses the garbage collector:
checked against xarray's own `to_dataframe` and against cells styled one by one through openpyxl.
"""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from openpyxl import Workbook

import floors
from floors import dims
from floors.io.excel import LINE_HEIGHT, write_table
from floors.report.tidy import COLUMNS, tidy_table


def tidy_by_xarray(results: xr.Dataset) -> pd.DataFrame:
    """The tidy table as xarray builds it: one DataFrame per variable, NaN rows dropped."""
    frames = []
    for name, var in results.data_vars.items():
        if set(var.dims) == {dims.SCENARIO, dims.COUNTRY, dims.YEAR}:
            var = var.expand_dims({dims.BENEFIT: ["total"]})
        if set(var.dims) != {dims.SCENARIO, dims.COUNTRY, dims.BENEFIT, dims.YEAR}:
            continue
        frame = var.to_dataframe(name="value").reset_index()
        frame["variable"], frame["unit"] = name, var.attrs.get("units", "")
        frames.append(frame[COLUMNS].dropna(subset=["value"]))
    return pd.concat(frames, ignore_index=True)


def test_tidy_table_of_a_real_run_is_xarrays_table():
    results = floors.run("KEN", ["baseline", "ilo-ess58"]).countries["KEN"].costing.results
    table = tidy_table(results)
    pd.testing.assert_frame_equal(table, tidy_by_xarray(results), check_exact=True)
    assert set(table[dims.SCENARIO]) == {"baseline", "ilo-ess58"} and len(table) > 500


def test_tidy_table_keeps_each_variables_dimension_order_and_drops_empty_values():
    coords = {dims.SCENARIO: ["a", "b"], dims.COUNTRY: ["KEN"], dims.BENEFIT: ["children", "old_age", "health"],
              dims.YEAR: [2024, 2025, 2026, 2027]}
    values = np.arange(24, dtype=float).reshape(2, 1, 3, 4)
    values[1, 0, 2, 3] = np.nan
    cost = xr.DataArray(values, coords=coords, dims=list(coords), attrs={"units": "share of GDP"})
    results = xr.Dataset({
        "cost": cost,
        "turned": cost.transpose(dims.YEAR, dims.BENEFIT, dims.COUNTRY, dims.SCENARIO),  # rows in this order
        "space": cost.sum(dims.BENEFIT).where(cost[dims.YEAR] > 2024),  # under "total", 2024 empty
        "by_age": cost.expand_dims(age=["0-14"]),  # detail: not in the table
    })
    table = tidy_table(results)
    pd.testing.assert_frame_equal(table, tidy_by_xarray(results), check_exact=True)
    assert len(table) == 23 + 23 + 6
    turned = table[table["variable"] == "turned"]
    assert turned[dims.YEAR].head(6).tolist() == [2024] * 6 and turned[dims.SCENARIO].head(2).tolist() == ["a", "b"]
    space = table[table["variable"] == "space"]
    assert set(space[dims.BENEFIT]) == {"total"} and space[dims.YEAR].min() == 2025
    assert set(space["unit"]) == {"share of GDP"}  # the sum keeps the variable's attributes
    assert space["value"].iloc[0] == pytest.approx(1 + 5 + 9)  # scenario a, 2025: 1 + 5 + 9


def test_write_table_styles_each_cell_as_if_set_one_by_one():
    wb = Workbook()
    ws = wb.active
    rows = [["=SUM(A1)", "b" * 35, 0.25, True], ["plain", "short", 3, float("nan")], ["-1", "x", 0.5, "@here"]]
    write_table(ws, ["label", "text", "share", "flag"], rows, formats=["0.00%", None, "#,##0"], widths=[8, 10],
                frozen_columns=1, wrap=True)
    formula_like = [ws["A2"], ws["A4"], ws["D4"]]
    assert all(c.data_type == "s" and c.quotePrefix and c.alignment.wrap_text for c in formula_like)
    assert not ws["A3"].quotePrefix and ws["A3"].alignment.wrap_text
    assert ws["C2"].number_format == "0.00%" and ws["C3"].number_format == "General"  # row without a format
    assert ws["C4"].number_format == "#,##0" and ws["D2"].number_format == "General"  # a boolean keeps General
    assert ws["D3"].value is None and ws["C2"].alignment.wrap_text is not True
    # in a table of tall rows, values (numbers, switches) stand at the top beside their wrapped text
    assert all(ws[c].alignment.vertical == "top" for c in ("C2", "C3", "C4", "D2"))
    # 35 letters in a column 10 wide: int(10 * 1.05) = 10 a line, so 4 lines
    assert ws.row_dimensions[2].height == 4 * LINE_HEIGHT + 2
    assert ws.row_dimensions[3].height is None and ws.row_dimensions[4].height is None
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:D4"


@pytest.mark.parametrize("enabled", [True, False])
def test_write_table_leaves_the_garbage_collector_as_it_found_it(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        write_table(Workbook().active, ["a"], [[1], [2]])
        assert gc.isenabled() is enabled
        with pytest.raises(TypeError):
            write_table(Workbook().active, ["a"], 5)  # not rows: fails midway
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
