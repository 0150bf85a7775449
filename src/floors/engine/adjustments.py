"""Demographic and growth what-ifs applied to the projections as arrays, by scenario (or draw).

Two parameters move the projections without rebuilding them, so that a thousand Monte
Carlo draws (or scenarios) stay one vectorised computation:

* ``demography.interval_position`` p: 0 is the WPP 2024 median; 1 the upper and −1 the
  lower bound of WPP 2024's 80 % prediction interval, fractions in between, and beyond
  ±1 extrapolated linearly. Every age and sex is scaled by
  ``1 + p × (bound / median − 1)`` for the total population (births by their own
  interval); people counted from the population (labour force, unemployed, existing
  coverage) scale with it. Years before the interval is published (it starts in 2025,
  births in 2024) are estimates and are not moved. Scaling all ages alike is an
  approximation: the WPP interval comes mostly from fertility.
* ``macro.gdp_growth_shift`` s: real GDP growth is ``g + s`` in every year after the
  first, so nominal GDP is multiplied by ``Π (1 + g + s) / (1 + g)``; prices and the
  shares of GDP (government finance, health spending) are unchanged.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.projections.coverage import counts
from floors.projections.disability import BOUNDS as SEVERE_DISABILITY

# Parameters applied here; a scenario or draw that changes only these shares one projection.
VECTORISED = ("demography.interval_position", "macro.gdp_growth_shift")

# Variables that count people and so move with the population (and the coverage counts, by name).
PEOPLE = ("population", "labour_force", "unemployed", *SEVERE_DISABILITY)


def _relative_bounds(lower: xr.DataArray, median: xr.DataArray, upper: xr.DataArray,
                     years: np.ndarray) -> tuple[xr.DataArray, xr.DataArray]:
    """(upper/median − 1, 1 − lower/median) by year, 0 where no interval is published."""
    up = (upper / median - 1).reindex({dims.YEAR: years}).fillna(0.0)
    down = (1 - lower / median).reindex({dims.YEAR: years}).fillna(0.0)
    return up, down


def _scale(position: xr.DataArray, up: xr.DataArray, down: xr.DataArray) -> xr.DataArray:
    return (1 + position * xr.where(position > 0, up, down)).clip(min=0.0)


def apply_adjustments(data: xr.Dataset, p: ScenarioParameters, interval: xr.Dataset,
                      iso3: str) -> tuple[xr.Dataset, list[str]]:
    """The projections with the demographic position and growth shift of each scenario applied.

    ``interval``: WPP's median and 80 % interval of the mid-year population (``population``,
    ``population_80l``, ``population_80u``) and of births (``births``, ``births_80l``, ``births_80u``)
    by year, NaN where not published (`floors.projections.Projections.demographic_interval`).
    """
    position = p.scalar("demography.interval_position").astype(float)
    shift = p.scalar("macro.gdp_growth_shift").astype(float)
    years = data[dims.YEAR].values
    notes = []
    out = data
    if bool((position != 0).any()):
        up, down = _relative_bounds(interval["population_80l"], interval["population"], interval["population_80u"],
                                    years)
        people = _scale(position, up, down)
        b_up, b_down = _relative_bounds(interval["births_80l"], interval["births"], interval["births_80u"], years)
        out = out.assign({name: out[name] * people for name in (*PEOPLE, *counts(p.base)) if name in out})
        out = out.assign(births=out["births"] * _scale(position, b_up, b_down))
        notes.append(f"{iso3}: population and births moved within the {interval.attrs['vintage']} 80 % prediction "
                     f"interval (demography.interval_position), all ages alike, from the first year the interval "
                     f"is published")
    if bool((shift != 0).any()):
        growth = data["gdp_real_growth"]
        factor = ((1 + growth + shift) / (1 + growth)).where(data[dims.YEAR] > years[0], 1.0)
        out = out.assign(gdp=out["gdp"] * factor.cumprod(dims.YEAR), gdp_real_growth=growth + shift)
        notes.append(f"{iso3}: real GDP growth shifted by macro.gdp_growth_shift after {years[0]}")
    return out, notes
