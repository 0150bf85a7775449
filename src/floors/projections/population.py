"""Mid-year population by single year of age and sex, reconciling three WPP vintages and,
where one is bundled, a national census's broad age structure.

The bundle has no WPP 2022 or 2024 population by single age (see assumptions/data/README.md).
We combine, for each year and sex:

    population[year, sex, age] = total_2024[year, sex]            WPP 2024 level
                                 × group_share_2024[year, sex, g]   WPP 2024 five-year structure
                                 × within_group_2019[year, sex, age] WPP 2019 single-age split

so that the totals by sex equal WPP 2024 exactly, each five-year group keeps its
WPP 2024 share, and only the split of a group into single ages comes from WPP 2019.

The five-year table gives every fifth year (2015, 2020, 2025, …) as bundled, every year
once imported from the WPP annual file. The share of each group within a sex is interpolated
linearly between the years given (a modelling choice: shares move smoothly; on WPP's annual
series, interpolating between fifth years misses a group's share by 0.01 percentage point at
the median and 0.65 at most, and the share aged 60+ or 65+ by 0.35 at most; README.md gives
the measurements). At a year the table gives, the interpolation returns that year's shares.

Where `population_census_broad_age.csv` has a census of the country and
``demography.census_age_structure`` is ``adjust``, the shares of the census's broad groups
(0–14, 15–64, 65+) are scaled by one factor per broad group, the same for both sexes and
for every age in it, so that the census year's mid-year population has the census's shares;
the factors are kept for every year and the shares are renormalised within each sex, so the
totals by sex stay WPP 2024's.

WPP 2024 totals are 1 January stocks; the mid-year (1 July) value is the mean of two
consecutive 1 January values. 1 January of years before 2025 is derived backwards with
WPP 2024's population change (births − deaths + net migration) of the year, split by sex
with the sex shares of 1 January 2025.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from floors import dims
from floors.problems import InputError, Problem

CENSUS_KEY = "demography.census_age_structure"


def _january_totals(january: xr.DataArray, change: xr.DataArray) -> xr.DataArray:
    """1 January population by sex (year of the 1 January date × sex), with the years before the
    first derived backwards from the population change of each year."""
    jan = january.sortby(dims.YEAR)
    change = change.to_series()
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


def mid_year_totals(january: xr.DataArray, change: xr.DataArray) -> xr.DataArray:
    """Mid-year (1 July) population by sex: the mean of two consecutive 1 January values.

    ``january``: `floors.inputs.series.population_january` (1 January by sex); ``change``: the
    population change by year (``pop_change`` of `floors.inputs.series.births`), which carries
    1 January back before the first date given.
    """
    jan = _january_totals(january, change)
    mid = (jan + jan.shift({dims.YEAR: -1})) / 2
    mid = mid.isel({dims.YEAR: slice(None, -1)})
    mid.name = "population_mid_year"
    mid.attrs = {"units": "persons", "description": "mid-year population by sex",
                 "source": january.attrs["source"], "vintage": january.attrs["vintage"]}
    return mid


def _group_counts(age5: xr.DataArray) -> xr.DataArray:
    """Population by five-year group (year × sex × group), the years the table gives."""
    return age5.rename({dims.AGE: "group"})


def interpolate_years(values: xr.DataArray, years: np.ndarray) -> xr.DataArray:
    """``values`` at ``years``, linear between the years it has (which must bracket ``years``).

    At a year it has, the result is that year's value exactly (weight 0 on its neighbour).
    """
    known = values[dims.YEAR].values.astype(int)
    years = np.asarray(years, dtype=int)
    stacked = values.transpose(dims.YEAR, ...)
    if len(known) == 1:
        right = left = np.zeros(len(years), dtype=int)
        weight = np.zeros(len(years))
    else:
        right = np.clip(np.searchsorted(known, years, side="right"), 1, len(known) - 1)
        left = right - 1
        weight = (years - known[left]) / (known[right] - known[left])
    shape = (len(years),) + (1,) * (stacked.ndim - 1)
    data = stacked.values[left] * (1 - weight).reshape(shape) + stacked.values[right] * weight.reshape(shape)
    other = {d: stacked[d].values for d in stacked.dims[1:] if d in stacked.coords}
    return xr.DataArray(data, dims=stacked.dims, coords={dims.YEAR: years, **other}, name=values.name,
                        attrs=values.attrs)


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


@dataclass(frozen=True)
class CensusAdjustment:
    """One factor per broad age group of a census, applied to the WPP 2024 five-year shares.

    ``factor`` is normalised so that Σ factor × ``wpp_share`` = 1: a factor above 1 means the
    census has more people in the group than WPP 2024 in the census year.
    """

    iso3: str
    census_date: str
    year: int
    labels: tuple[str, ...]
    starts: tuple[int, ...]  # first age of each broad group; the last is open-ended
    census_share: tuple[float, ...]  # of the census population
    wpp_share: tuple[float, ...]  # of WPP 2024's mid-year population of the census year, both sexes
    factor: tuple[float, ...]
    agency: str
    verified: bool
    table: str  # the census table, for the note

    def factor_of_groups(self, group_starts: np.ndarray) -> np.ndarray:
        broad = np.searchsorted(np.asarray(self.starts), group_starts, side="right") - 1
        return np.asarray(self.factor)[broad]

    def _shares(self, factors: bool = True) -> str:
        return ", ".join(f"{label} {w:.1%} → {k:.1%}" + (f" (×{f:.3f})" if factors else "") for label, w, k, f in
                         zip(self.labels, self.wpp_share, self.census_share, self.factor, strict=True))

    def note(self) -> str:
        return (f"{self.iso3}: the WPP 2024 age structure is adjusted to the census of {self.census_date} "
                f"({self.agency}; {self.table}.csv; {CENSUS_KEY} = adjust). Share of the mid-{self.year} "
                f"population, WPP 2024 → census, and the factor on every age of the group: {self._shares()}. The "
                f"factors are the same for both sexes and kept for every year; the shares are renormalised within "
                f"each sex, so the totals by sex stay WPP 2024's")

    def warning(self) -> str:
        checked = "" if self.verified else (" (census figures transcribed from news pages quoting the statistics "
                                            "office, not yet verified against its publication)")
        return (f"{self.iso3}: the population by age is adjusted to the {self.year} census's broad age "
                f"groups{checked}; share of the mid-{self.year} population, WPP 2024 → census: "
                f"{self._shares(factors=False)}. {CENSUS_KEY}=ignore uses WPP 2024 as published")


def census_adjustment(census: xr.DataArray | None, age5: xr.DataArray, mid_year: xr.DataArray, iso3: str,
                      rule: str) -> CensusAdjustment | None:
    """The factors that give WPP 2024's census-year population the census's broad age shares,
    or None where the rule (``demography.census_age_structure``) is ``ignore`` or no census of the
    country is bundled.

    ``census``: `floors.inputs.series.census_broad_age` (None: no census); ``age5``:
    `floors.inputs.series.population_by_age5`; ``mid_year``: `mid_year_totals`.
    """
    if rule == "ignore" or census is None:
        return None
    census_date = census.attrs["census_date"]
    starts = census[dims.AGE].values.astype(int)
    where = census.attrs["file"]
    if starts[0] != 0 or (starts % 5).any():
        raise InputError([Problem(
            f"the census groups of {iso3} ({census_date}) start at ages {list(starts)}: they must start at 0 and "
            f"at multiples of 5, so that each five-year group of WPP falls in one census group",
            file=where, key="age_start", hint="give broad groups such as 0-14, 15-64, 65+ (age_start 0, 15, 65)")])
    year = int(census_date[:4])
    counts = _group_counts(age5)
    known = counts[dims.YEAR].values
    if not known.min() <= year <= known.max():
        raise InputError([Problem(
            f"the census of {iso3} ({census_date}) is outside the years of {age5.attrs['table']} "
            f"({known.min()}–{known.max()}), so its age structure cannot be compared with WPP 2024",
            file=where, key=CENSUS_KEY, hint=f"set {CENSUS_KEY}=ignore, or remove the census rows")])
    shares = interpolate_years(counts / counts.sum("group"), np.array([year])).isel({dims.YEAR: 0})
    if year in mid_year[dims.YEAR].values:
        totals = mid_year.sel(year=year)
    else:  # before the first mid-year total: the five-year table's own sums (WPP 2024 too)
        totals = interpolate_years(counts.sum("group"), np.array([year])).isel({dims.YEAR: 0})
    broad = np.searchsorted(starts, shares["group"].values, side="right") - 1
    by_broad = np.stack([shares.sel({dims.SEX: s}).values for s in dims.SEXES])  # sex × group
    broad_share = np.zeros((len(dims.SEXES), len(starts)))
    np.add.at(broad_share.T, broad, by_broad.T)
    weight = totals.sel({dims.SEX: list(dims.SEXES)}).values.astype(float)
    weight = weight / weight.sum()
    target = census.values / census.values.sum()
    # Raking: one factor per broad group, renormalised within each sex, until both sexes together
    # have the census's shares (converges in a few steps; each step moves toward the target).
    factor = np.ones(len(starts))
    for _ in range(1000):
        scaled = factor * broad_share
        achieved = weight @ (scaled / scaled.sum(axis=1, keepdims=True))
        if np.abs(achieved - target).max() < 1e-12:
            break
        factor = factor * target / achieved
    else:  # cannot happen with positive shares; a guard, not a rule
        raise RuntimeError(f"{iso3}: the census factors did not converge")
    wpp = weight @ broad_share
    factor = factor / (factor @ wpp)
    return CensusAdjustment(
        iso3=iso3, census_date=census_date, year=year, labels=tuple(str(g) for g in census["age_group"].values),
        starts=tuple(int(s) for s in starts), census_share=tuple(float(t) for t in target),
        wpp_share=tuple(float(w) for w in wpp), factor=tuple(float(f) for f in factor),
        agency=census.attrs["agency"].split(" (")[0], verified=bool(census.attrs["verified"]),
        table=census.attrs["table"])


def project_population(single_age: xr.DataArray, age5: xr.DataArray, mid_year: xr.DataArray, iso3: str,
                       years: np.ndarray, *, census: CensusAdjustment | None) -> xr.DataArray:
    """Mid-year population (year × sex × age 0–100+), in persons.

    ``single_age``, ``age5``: `floors.inputs.series.population_by_single_age` and
    `floors.inputs.series.population_by_age5`; ``mid_year``: the totals by sex (`mid_year_totals`).
    ``census``: the adjustment to a census's broad age structure (`census_adjustment`), or None
    for WPP 2024's own structure.
    """
    counts = _group_counts(age5)
    p19 = single_age
    known = counts[dims.YEAR].values
    interpolated = set(range(int(known.min()), int(known.max()) + 1))
    covered = set(p19[dims.YEAR].values) & interpolated & set(mid_year[dims.YEAR].values)
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
    within = _within_group_split(p19, group_of_age)
    group_share = interpolate_years(counts / counts.sum("group"), np.asarray(years))
    if census is not None:
        factor = xr.DataArray(census.factor_of_groups(group_share["group"].values),
                              coords={"group": group_share["group"].values}, dims=["group"])
        group_share = group_share * factor
        group_share = group_share / group_share.sum("group")
    group_share_by_age = group_share.sel(group=xr.DataArray(group_of_age, dims=[dims.AGE],
                                                           coords={dims.AGE: p19[dims.AGE].values}))
    population = mid_year.sel(year=years) * group_share_by_age.drop_vars("group") * within
    population = population.transpose(dims.YEAR, dims.SEX, dims.AGE)
    population.name = "population"
    adjusted = "" if census is None else (f"; broad age groups adjusted to the census of {census.census_date} "
                                          f"({census.agency}, {census.table})")
    population.attrs = {
        "units": "persons",
        "description": "mid-year population by single age and sex",
        # From the cards, so that a table refreshed by `floors data import` names its new vintage.
        "source": f"totals by sex: {mid_year.attrs['source']}; five-year age structure: {age5.attrs['source']}, "
                  f"interpolated between the years it gives; single-age split: {single_age.attrs['source']}{adjusted}",
        "vintage": mid_year.attrs["vintage"],
    }
    return population


def population_interval(january_interval: xr.Dataset) -> xr.Dataset:
    """Mid-year total population and its 80 % prediction interval (``pop_total``, ``pop_total_80l``,
    ``pop_total_80u``), each the mean of two consecutive 1 January values
    (`floors.inputs.series.population_january_interval`), the years where any is published."""
    jan = january_interval[["pop_total", "pop_total_80l", "pop_total_80u"]]
    mid = ((jan + jan.shift({dims.YEAR: -1})) / 2).dropna(dims.YEAR, how="all")
    mid.attrs = {"source": january_interval.attrs["source"], "vintage": january_interval.attrs["vintage"]}
    return mid
