"""Current health spending as shares of GDP, from the WHO Global Health Expenditure Database.

The latest year published (2022 for most countries) is held constant as a share of GDP:
spending grows with the economy, and no projection of health spending was found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from floors import dims
from floors.problems import InputError, Problem


@dataclass
class HealthSpending:
    public_share_of_gdp: xr.DataArray  # general government health spending, share of GDP
    non_oop_share_of_gdp: xr.DataArray  # current health spending other than out of pocket, share of GDP
    notes: list[str]


def project_health_spending(spending: xr.Dataset, iso3: str, years: np.ndarray) -> HealthSpending:
    """The latest year with all three shares (`floors.inputs.series.health_spending`), held as shares of GDP."""
    complete = spending.dropna(dims.YEAR, subset=["che_pct_gdp", "gghed_pct_che", "oop_pct_che"])
    if complete.sizes[dims.YEAR] == 0:
        raise InputError([Problem(f"no WHO GHED health spending for {iso3}", file=spending.attrs["file"],
                                  hint="add the country's row, or leave health out with --set health.include=false")])
    latest = complete.isel({dims.YEAR: -1})
    che = float(latest["che_pct_gdp"]) / 100
    public = che * float(latest["gghed_pct_che"]) / 100
    non_oop = che * (1 - float(latest["oop_pct_che"]) / 100)

    def held(value: float, name: str, what: str) -> xr.DataArray:
        return xr.DataArray(np.full(len(years), value), coords={dims.YEAR: years}, dims=[dims.YEAR], name=name,
                            attrs={"units": "share of GDP", "source": spending.attrs["source"],
                                   "vintage": spending.attrs["vintage"], "description": what})

    year = int(latest[dims.YEAR])
    return HealthSpending(
        public_share_of_gdp=held(public, "health_public_share_of_gdp", "general government health spending"),
        non_oop_share_of_gdp=held(non_oop, "health_non_oop_share_of_gdp",
                                  "current health spending other than out-of-pocket payments"),
        notes=[f"{iso3}: health spending held at its {year} shares of GDP (WHO GHED): public {public:.2%}, "
               f"other than out of pocket {non_oop:.2%}"],
    )
