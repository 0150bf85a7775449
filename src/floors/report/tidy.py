"""The engine's results as one tidy long table: scenario, country, benefit, variable, unit, year, value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from floors import dims

COLUMNS = [dims.SCENARIO, dims.COUNTRY, dims.BENEFIT, "variable", "unit", dims.YEAR, "value"]
_LABELS = {dims.SCENARIO, dims.COUNTRY, dims.BENEFIT, dims.YEAR}


def tidy_table(results: xr.Dataset) -> pd.DataFrame:
    """Every headline variable (by scenario, country, benefit and year) as rows; the fiscal-space
    indicators, which concern the floor as a whole, under benefit ``total``. Values the engine leaves
    empty (the total's counts of people, which are not added up) have no row.

    Built on plain arrays (one pass per variable, no DataFrame per variable): the rows come in the
    order ``DataArray.to_dataframe`` gives, each variable's own dimensions in C order."""
    columns: dict[str, list[np.ndarray]] = {column: [] for column in COLUMNS}
    for name, var in results.data_vars.items():
        labels = {dim: var[dim].values for dim in var.dims}
        values = var.values
        if set(var.dims) == _LABELS - {dims.BENEFIT}:
            labels = {dims.BENEFIT: np.array(["total"]), **labels}  # as expand_dims would: a first axis
            values = values[np.newaxis]
        if set(labels) != _LABELS:
            continue  # detail by sex and age stays in the workbook
        kept = ~pd.isna(values.reshape(-1))
        for dim, position in zip(labels, positions_in(values.shape), strict=True):
            columns[str(dim)].append(labels[dim][position][kept])
        columns["value"].append(values.reshape(-1)[kept])
        rows = int(kept.sum())
        columns["variable"].append(np.full(rows, name, dtype=object))
        columns["unit"].append(np.full(rows, var.attrs.get("units", ""), dtype=object))
    return pd.DataFrame({column: np.concatenate(parts) for column, parts in columns.items()})


def positions_in(shape: tuple[int, ...]) -> list[np.ndarray]:
    """For each axis, the position along it of every element of an array of ``shape`` in C order."""
    return [grid.reshape(-1) for grid in np.indices(shape)]
