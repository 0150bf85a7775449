"""The engine's results as one tidy long table: scenario, country, benefit, variable, unit, year, value."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from floors import dims

COLUMNS = [dims.SCENARIO, dims.COUNTRY, dims.BENEFIT, "variable", "unit", dims.YEAR, "value"]


def tidy_table(results: xr.Dataset) -> pd.DataFrame:
    """Every headline variable (by scenario, country, benefit and year) as rows; the fiscal-space
    indicators, which concern the floor as a whole, under benefit ``total``. Values the engine leaves
    empty (the total's counts of people, which are not added up) have no row."""
    frames = []
    for name, var in results.data_vars.items():
        if set(var.dims) == {dims.SCENARIO, dims.COUNTRY, dims.YEAR}:
            var = var.expand_dims({dims.BENEFIT: ["total"]})
        if set(var.dims) != {dims.SCENARIO, dims.COUNTRY, dims.BENEFIT, dims.YEAR}:
            continue  # detail by sex and age stays in the workbook
        frame = var.to_dataframe(name="value").reset_index()
        frame["variable"] = name
        frame["unit"] = var.attrs.get("units", "")
        frames.append(frame[COLUMNS].dropna(subset=["value"]))
    return pd.concat(frames, ignore_index=True)
