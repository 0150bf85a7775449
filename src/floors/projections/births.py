"""Births by sex: WPP 2024 births split with WPP 2024's sex ratio at birth."""

from __future__ import annotations

import numpy as np
import xarray as xr

from floors import dims
from floors.problems import InputError, Problem


def project_births(births: xr.Dataset, iso3: str, years: np.ndarray) -> xr.DataArray:
    """Live births per calendar year (year × sex); boys = births × srb / (1 + srb).

    ``births``: `floors.inputs.series.births` (births and the sex ratio at birth by year).
    """
    known = births[dims.YEAR].values
    missing = [int(y) for y in years if y not in known]
    if missing:
        raise InputError([Problem(f"no {births.attrs['vintage']} births for {iso3} in {missing}",
                                  file=births.attrs["file"], hint=f"the data cover {known.min()}–{known.max()}")])
    chosen = births.sel({dims.YEAR: years})
    total = chosen["births"].to_numpy()
    srb = chosen["srb_male_per_female"].to_numpy()
    values = np.stack([total / (1 + srb), total * srb / (1 + srb)], axis=1)
    return xr.DataArray(values, coords={dims.YEAR: years, dims.SEX: list(dims.SEXES)},
                        dims=[dims.YEAR, dims.SEX], name="births",
                        attrs={"units": "persons per year", "source": births.attrs["source"],
                               "vintage": births.attrs["vintage"]})


def births_interval(births: xr.Dataset) -> xr.Dataset:
    """Births (both sexes) and their 80 % prediction interval by year, where published (NaN elsewhere)."""
    return births[["births", "births_80l", "births_80u"]]
