"""Labour force and unemployed people by sex.

    labour_force[year, sex] = Σ_{age ≥ working_age_min} population[year, sex, age]
                              × participation_rate[year, sex]
    unemployed[year, sex]   = labour_force[year, sex] × unemployment_rate[year]

The unemployment rate (IMF WEO) is the same for both sexes: the WEO publishes no split.
"""

from __future__ import annotations

import xarray as xr

from floors import dims


def project_labour(
    population: xr.DataArray,
    participation_rate: xr.DataArray,
    working_age_min: int,
    unemployment_rate: xr.DataArray | None,
) -> tuple[xr.DataArray, xr.DataArray | None]:
    working_age = population.where(population[dims.AGE] >= working_age_min, 0).sum(dims.AGE)
    labour_force = (working_age * participation_rate).transpose(dims.YEAR, dims.SEX)
    labour_force.name = "labour_force"
    labour_force.attrs = {"units": "persons",
                          "description": f"labour force aged {working_age_min}+ (population × participation rate)"}
    if unemployment_rate is None:
        return labour_force, None
    unemployed = (labour_force * unemployment_rate).transpose(dims.YEAR, dims.SEX)
    unemployed.name = "unemployed"
    unemployed.attrs = {"units": "persons", "description": "labour force × IMF WEO unemployment rate"}
    return labour_force, unemployed
