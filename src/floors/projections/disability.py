"""People with a severe disability by year, sex and single age, from WHO's 2021 estimates.

WHO publishes severe prevalence (all causes) for all ages by WHO region and by World Bank
income group, and by age group only for the World. floors spreads the country's group
rate over ages with the World's age profile, sex by sex:

    prevalence[sex, age] = group[sex, all ages] × world[sex, band(age)] / world[sex, all ages]
    band: 0-14, 15-59, 60+

and applies it to the population. The same is done with the lower and upper bounds of
the group's 95 % uncertainty interval, between which ``disability.prevalence_position``
moves. Which group stands for a country (its WHO region, or its income group) is a
declared choice (``disability.prevalence_from``, assumptions/countries.yaml).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from floors import dims
from floors.inputs.bundle import Country
from floors.inputs.series import AGE_GROUP, GEOGRAPHY, SEVERITY
from floors.problems import InputError, Problem

# The World's age groups and the single ages each covers.
BANDS = (("0-14", 0, 14), ("15-59", 15, 59), ("60+", 60, dims.MAX_AGE))
INCOME_GROUP_NAMES = {"low": "Low", "lower_middle": "Lower middle", "upper_middle": "Upper middle", "high": "High"}
BOUNDS = {"severe_disability": "prevalence_pct", "severe_disability_low": "prevalence_lower_pct",
          "severe_disability_high": "prevalence_upper_pct"}


def group_of(country: Country, iso3: str, rule: str) -> tuple[str, str, str | None]:
    """(geography_type, geography) of the WHO table that stands for ``iso3`` under ``rule``, and a warning
    where the country has no such group in countries.yaml (a country added by `floors data import`):
    the World's rate then stands for it."""
    group = country.income_group if rule == "who_2021_income_group" else country.who_region
    if group is None:
        field = "income_group" if rule == "who_2021_income_group" else "who_region"
        return "global", "World", (
            f"{iso3}: no {field} in countries.yaml, so the World's severe disability prevalence "
            f"stands for it (disability.prevalence_from = {rule}); add the country's {field} to use its group's")
    if rule == "who_2021_income_group":
        return "wb_income_group", INCOME_GROUP_NAMES[group], None
    return "who_region", group, None


def project_severe_disability(prevalence: xr.Dataset, country: Country, iso3: str, rule: str,
                              population: xr.DataArray) -> tuple[xr.Dataset, list[str]]:
    """People with a severe disability (year × sex × age): WHO's estimate and its 95 % bounds; and warnings.

    ``prevalence``: `floors.inputs.series.disability_prevalence` (every geography; WHO's estimates are
    of one year, 2021: the latest is taken were there more).
    """
    severe = prevalence.sel({SEVERITY: "severe"}).isel({dims.YEAR: -1}, drop=True)
    geography_type, geography, warning = group_of(country, iso3, rule)
    known = (severe[GEOGRAPHY].values == geography) & (severe["geography_type"].values == geography_type)
    group = severe.sel({GEOGRAPHY: geography, AGE_GROUP: "all ages"}) if known.any() else None
    world = severe.isel({GEOGRAPHY: int(np.flatnonzero(severe["geography_type"].values == "global")[0])})
    missing = [s for s in dims.SEXES if group is None or np.isnan(float(group["prevalence_pct"].sel({dims.SEX: s})))]
    if missing or group is None:
        raise InputError([Problem(f"no severe disability prevalence for {geography} ({', '.join(missing)})",
                                  file=prevalence.attrs["file"], key=geography,
                                  hint="restore the rows from the source, or set disability.prevalence_from")])
    ages = population[dims.AGE].values
    out = {}
    for name, column in BOUNDS.items():
        rates = np.zeros((len(dims.SEXES), len(ages)))
        for i, sex in enumerate(dims.SEXES):
            all_ages = float(world["prevalence_pct"].sel({dims.SEX: sex, AGE_GROUP: "all ages"}))
            for band, low, high in BANDS:
                profile = float(world["prevalence_pct"].sel({dims.SEX: sex, AGE_GROUP: band})) / all_ages
                rates[i, (ages >= low) & (ages <= high)] = float(group[column].sel({dims.SEX: sex})) / 100 * profile
        rate = xr.DataArray(rates, coords={dims.SEX: list(dims.SEXES), dims.AGE: ages}, dims=[dims.SEX, dims.AGE])
        persons = (population * rate).transpose(dims.YEAR, dims.SEX, dims.AGE)
        persons.attrs = {"units": "persons",
                         "description": f"people with a severe disability ({column.replace('_pct', '')}: "
                                        f"{geography} all-ages rate by sex, World age profile)",
                         "source": f"{prevalence.attrs['source']}; {geography_type} {geography}",
                         "vintage": prevalence.attrs["vintage"]}
        out[name] = persons
    return xr.Dataset(out), [warning] if warning else []
