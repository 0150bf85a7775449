"""Labour force and unemployed people by sex, from the ILO modelled estimates.

    labour_force[year, sex] = Σ_{age ≥ working_age_min} population[year, sex, age] × participation_rate[year]
    unemployed[year, sex]   = labour_force[year, sex] × unemployment_rate[year]

Both rates are ILOEST's (ages 15+, both sexes; assumptions/data/labour_market.csv),
held at their last published year (2027) afterwards, unless ``labour.participation_rate``
or ``labour.unemployment_rate`` is set. ILOEST publishes no split by sex, so both sexes
take the same rates. The IMF WEO's unemployment rates follow national definitions and are
never mixed in (the card's caveats).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet

TABLE = "labour_market"
# Each rate: its parameter and its column in the table (percent).
RATES = {"participation": ("labour.participation_rate", "labour_force_participation_rate_pct"),
         "unemployment": ("labour.unemployment_rate", "unemployment_rate_pct")}


@dataclass
class Labour:
    labour_force: xr.DataArray | None  # year × sex, persons
    unemployed: xr.DataArray | None  # year × sex, persons
    notes: list[str] = field(default_factory=list)


def _rate(params: ParameterSet, ilo_rates: xr.Dataset, which: str, years: np.ndarray,
          notes: list[str]) -> tuple[np.ndarray, str] | None:
    """A rate by year (share) and its source: the parameter where set, else the ILO series held at its end."""
    path, column = RATES[which]
    if params.value(path) is not None:
        return params.yearly(path, years), params[path].citation()
    series = ilo_rates[column].to_series().dropna().sort_index() / 100
    if series.empty:
        return None
    first, last = int(series.index.min()), int(series.index.max())
    if years.min() < first:
        return None
    if years.max() > last:
        notes.append(f"{params.country}: ILO modelled {which} rate held at its {last} value "
                     f"({series[last]:.1%}) for {last + 1}–{int(years.max())}")
    return (series.reindex(range(first, max(last, int(years.max())) + 1)).ffill().loc[years].to_numpy(),
            ilo_rates.attrs["source"])


def project_labour(params: ParameterSet, ilo_rates: xr.Dataset, population: xr.DataArray, years: np.ndarray) -> Labour:
    """Labour force and unemployed (year × sex), or None for each where no rate is available.

    ``ilo_rates``: `floors.inputs.series.labour_rates` (percent, by year; empty for a country without them).
    """
    notes: list[str] = []
    iso3 = params.country
    rates = {which: _rate(params, ilo_rates, which, years, notes) for which in RATES}
    if rates["participation"] is None or rates["unemployment"] is None:
        notes.append(f"{iso3}: no ILO modelled labour rates in {TABLE}.csv and no labour.participation_rate / "
                     f"labour.unemployment_rate set: the labour force and the unemployed are not projected")
        return Labour(None, None, notes)
    working_age_min = int(params.value("labour.working_age_min"))
    working_age = population.where(population[dims.AGE] >= working_age_min, 0).sum(dims.AGE)

    def by_year(values: np.ndarray) -> xr.DataArray:
        return xr.DataArray(values, coords={dims.YEAR: years}, dims=[dims.YEAR])

    participation, participation_source = rates["participation"]
    unemployment, unemployment_source = rates["unemployment"]
    labour_force = (working_age * by_year(participation)).transpose(dims.YEAR, dims.SEX)
    labour_force.name = "labour_force"
    labour_force.attrs = {"units": "persons", "source": f"population × participation rate ({participation_source})",
                          "description": f"labour force aged {working_age_min}+ (population × participation rate)"}
    unemployed = (labour_force * by_year(unemployment)).transpose(dims.YEAR, dims.SEX)
    unemployed.name = "unemployed"
    unemployed.attrs = {"units": "persons", "source": f"labour force × unemployment rate ({unemployment_source})",
                        "description": "labour force × unemployment rate"}
    return Labour(labour_force, unemployed, notes)
