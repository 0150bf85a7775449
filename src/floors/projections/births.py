"""Births by sex: WPP 2024 births split with WPP 2024's sex ratio at birth."""

from __future__ import annotations

import numpy as np
import xarray as xr

from floors import dims
from floors.inputs.bundle import Bundle
from floors.problems import InputError, Problem


def project_births(bundle: Bundle, iso3: str, years: np.ndarray) -> xr.DataArray:
    """Live births per calendar year (year × sex); boys = births × srb / (1 + srb)."""
    frame, card = bundle.table("births", iso3)
    table = frame.set_index("year").sort_index()
    missing = [int(y) for y in years if y not in table.index]
    if missing:
        raise InputError([Problem(f"no WPP 2024 births for {iso3} in {missing}",
                                  file="assumptions/data/births.csv",
                                  hint=f"the data cover {table.index.min()}–{table.index.max()}")])
    table = table.loc[years]
    births = table["births"].to_numpy(dtype=float)
    srb = table["srb_male_per_female"].to_numpy(dtype=float)
    values = np.stack([births / (1 + srb), births * srb / (1 + srb)], axis=1)
    return xr.DataArray(values, coords={dims.YEAR: years, dims.SEX: list(dims.SEXES)},
                        dims=[dims.YEAR, dims.SEX], name="births",
                        attrs={"units": "persons per year", "source": card.cite()})
