"""Mid-year population by single year of age and sex, reconciling three WPP vintages.

The bundle has no single-age population from WPP 2022 or 2024 (see
assumptions/data/README.md). We combine, for each year and sex:

    population[year, sex, age] = total_2024[year, sex]           WPP 2024 level
                                 × group_share_2022[year, sex, g]   WPP 2022 age structure
                                 × within_group_2019[year, sex, age] WPP 2019 single-age split

so that the totals by sex equal WPP 2024 exactly, each five-year group keeps its
WPP 2022 share, and only the split of a group into single ages comes from WPP 2019.

WPP 2024 totals are 1 January stocks; the mid-year (1 July) value is the mean of two
consecutive 1 January values. 1 January of years before 2025 is derived backwards with
WPP 2024's population change (births − deaths + net migration) of the year, split by sex
with the sex shares of 1 January 2025.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from floors import dims
from floors.inputs.bundle import Bundle, by_year_sex_age
from floors.problems import InputError, Problem


def _january_totals(bundle: Bundle, iso3: str) -> xr.DataArray:
    """1 January population by sex (year of the 1 January date × sex), WPP 2024."""
    frame, _ = bundle.table("population_total_sex_wpp2024", iso3)
    years = frame["date"].str.slice(0, 4).astype(int).to_numpy()
    values = frame[["pop_female", "pop_male"]].to_numpy(dtype=float)
    jan = xr.DataArray(values, coords={dims.YEAR: years, dims.SEX: list(dims.SEXES)},
                       dims=[dims.YEAR, dims.SEX]).sortby(dims.YEAR)
    # Derive earlier 1 January stocks backwards from the population change of each year.
    births, _ = bundle.table("births_wpp2024", iso3)
    change = births.set_index("year")["pop_change"].astype(float)
    first = int(jan[dims.YEAR].min())
    sex_share = jan.sel(year=first) / jan.sel(year=first).sum(dims.SEX)
    earlier = []
    total = float(jan.sel(year=first).sum())
    for year in range(first - 1, 2021, -1):
        if year not in change.index:
            break
        total -= float(change[year])
        earlier.append((sex_share * total).expand_dims({dims.YEAR: [year]}))
    if earlier:
        jan = xr.concat([*earlier[::-1], jan], dim=dims.YEAR)
    return jan


def _within_group_split(p19: xr.DataArray, group_of_age: np.ndarray) -> xr.DataArray:
    """Share of each single age in its five-year group (WPP 2019), per year and sex."""
    groups = xr.DataArray(group_of_age, coords={dims.AGE: p19[dims.AGE].values}, dims=[dims.AGE])
    group_sum = p19.groupby(groups).sum().sel(group=groups).drop_vars("group")
    share = (p19 / group_sum).where(group_sum > 0)
    # A group with no one in it in WPP 2019: spread it evenly over its ages.
    ages_in_group = pd.Series(group_of_age).map(pd.Series(group_of_age).value_counts()).to_numpy()
    even = xr.DataArray(1.0 / ages_in_group, coords={dims.AGE: p19[dims.AGE].values}, dims=[dims.AGE])
    return share.fillna(even)


def _span(years: list[int]) -> str:
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def project_population(bundle: Bundle, iso3: str, years: np.ndarray) -> xr.DataArray:
    """Mid-year population (year × sex × age 0–100+), in persons."""
    p19_frame, single_card = bundle.table("population_single_age_sex_wpp2019", iso3)
    p22_frame, group_card = bundle.table("population_age5_sex_wpp2022", iso3)
    _, total_card = bundle.table("population_total_sex_wpp2024", iso3)
    p19 = by_year_sex_age(p19_frame, "age", "population")
    p22 = by_year_sex_age(p22_frame, "age_start", "population").rename(age_start="group")
    jan = _january_totals(bundle, iso3)
    mid = (jan + jan.shift({dims.YEAR: -1})) / 2
    mid = mid.isel({dims.YEAR: slice(None, -1)})

    covered = set(p19[dims.YEAR].values) & set(p22[dims.YEAR].values) & set(mid[dims.YEAR].values)
    missing = [int(y) for y in years if int(y) not in covered]
    if missing:
        raise InputError([Problem(
            f"no population data for {iso3} in {_span(missing)}: the bundled WPP data "
            f"cover {min(covered)}–{max(covered)}",
            key="macro.base_year / macro.horizon",
            hint=f"choose years from {min(covered)} to {max(covered)} (--to, or macro.base_year)",
        )])

    group_of_age = (np.minimum(p19[dims.AGE].values, dims.MAX_AGE) // 5) * 5
    p19 = p19.sel(year=years)
    p22 = p22.sel(year=years)
    within = _within_group_split(p19, group_of_age)
    group_share = p22 / p22.sum("group")
    group_share_by_age = group_share.sel(group=xr.DataArray(group_of_age, dims=[dims.AGE],
                                                           coords={dims.AGE: p19[dims.AGE].values}))
    population = mid.sel(year=years) * group_share_by_age.drop_vars("group") * within
    population = population.transpose(dims.YEAR, dims.SEX, dims.AGE)
    population.name = "population"
    population.attrs = {
        "units": "persons",
        "description": "mid-year population by single age and sex",
        # From the cards, so that a table refreshed by `floors data import` names its new vintage.
        "source": f"totals by sex: {total_card.cite()}; five-year age structure: {group_card.cite()}; "
                  f"single-age split: {single_card.cite()}",
    }
    return population


def population_interval(bundle: Bundle, iso3: str, years: np.ndarray) -> xr.Dataset:
    """WPP 2024 mid-year total population and its 80 % prediction interval, where published."""
    frame, _ = bundle.table("population_total_sex_wpp2024", iso3)
    series = frame.assign(year=frame["date"].str.slice(0, 4).astype(int)).set_index("year")
    out = {}
    for column in ("pop_total", "pop_total_80l", "pop_total_80u"):
        s = series[column].astype(float)
        mid = ((s + s.shift(-1)) / 2).dropna()
        out[column] = xr.DataArray(mid.to_numpy(), coords={dims.YEAR: mid.index.to_numpy()}, dims=[dims.YEAR])
    ds = xr.Dataset(out)
    return ds.sel(year=[y for y in years if y in ds[dims.YEAR].values])

