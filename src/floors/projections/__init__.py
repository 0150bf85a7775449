"""Projections of one country from the base year to the horizon, as labelled arrays.

`build_projections` turns the effective parameters and the bundled data into a
`Projections`: population by age and sex, births, GDP and prices, government finance,
poverty lines, labour force and existing coverage. Every rule applied to the data
(extensions past the data, values held constant) is recorded in ``notes``.

`build_projections` is the one place that gathers a country's inputs (`floors.inputs.load_country`,
each read on first use); every other function here takes labelled arrays (with their ``source``
and ``vintage`` in ``attrs``), parameters and years, never the bundle.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet
from floors.inputs import Bundle, load_country
from floors.problems import InputError, Problem
from floors.projections.births import births_interval, project_births
from floors.projections.coverage import ilo_coverage_ratios, project_coverage
from floors.projections.disability import project_severe_disability
from floors.projections.health import project_health_spending
from floors.projections.labour import project_labour
from floors.projections.macro import cpi_of_year, project_macro
from floors.projections.pension_age import statutory_pensionable_age
from floors.projections.population import (
    census_adjustment,
    mid_year_totals,
    population_interval,
    project_population,
)
from floors.projections.poverty import international_lines, project_poverty

# The price year of the international poverty lines (2017 PPP dollars).
PPP_PRICE_YEAR = 2017


@dataclass
class Projections:
    country: str
    years: np.ndarray
    population: xr.DataArray  # year × sex × age, persons
    births: xr.DataArray  # year × sex, persons per year
    gdp: xr.DataArray  # year, local currency per year
    gdp_deflator: xr.DataArray
    cpi: xr.DataArray
    gdp_real_growth: xr.DataArray
    gg_expenditure_share: xr.DataArray
    gg_revenue_share: xr.DataArray
    poverty_line_national: xr.DataArray | None  # local currency per person per month
    poverty_headcount: xr.DataArray | None
    poverty_lines_ppp: xr.DataArray  # line; 2017 PPP USD per person per day
    labour_force: xr.DataArray | None
    unemployed: xr.DataArray | None
    coverage: xr.Dataset  # national counts of people covered by year, and the ILO coverage ratio of each benefit
    severe_disability: xr.Dataset  # people with a severe disability (year × sex × age): estimate, low and high
    statutory_pensionable_age: xr.DataArray | None  # year × sex, years of age
    health_public_share_of_gdp: xr.DataArray
    health_non_oop_share_of_gdp: xr.DataArray
    usd_rate: xr.DataArray  # 0-d: local currency per US dollar in the first year (source and vintage in attrs)
    cpi_2017: xr.DataArray  # 0-d: CPI (annual average) in 2017, the price year of the international lines
    # WPP's median and 80 % interval of the mid-year population (population, population_80l/80u) and of births
    # (births, births_80l/80u) by year, NaN where not published: for demography.interval_position.
    demographic_interval: xr.Dataset
    currency: str
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # fallbacks and gaps a reader of the results must know

    def to_dataset(self) -> xr.Dataset:
        """All projections as one Dataset with a ``country`` dimension."""
        arrays = {name: getattr(self, name) for name in (
            "population", "births", "gdp", "gdp_deflator", "cpi", "gdp_real_growth",
            "gg_expenditure_share", "gg_revenue_share", "poverty_line_national", "poverty_headcount",
            "poverty_lines_ppp",
            "labour_force", "unemployed", "health_public_share_of_gdp", "health_non_oop_share_of_gdp",
            "statutory_pensionable_age")}
        ds = xr.Dataset({k: v for k, v in arrays.items() if v is not None})
        ds = ds.merge(self.coverage).merge(self.severe_disability)
        ds = ds.expand_dims({dims.COUNTRY: [self.country]})
        return ds.transpose(*dims.ordered([str(d) for d in ds.dims]))


def horizon_years(params: ParameterSet, to: int | None = None, data_last: int | None = None) -> np.ndarray:
    """The years costed, base year to horizon; checked before any array is made (``--to 2147483648``
    would otherwise ask for gigabytes): ``data_last`` is the year of the last 1 January population
    (`project_population` then names the exact years its data cover)."""
    base = int(params.value("macro.base_year"))
    last = int(to if to is not None else params.value("macro.horizon"))
    if last < base:
        raise InputError([Problem(f"the horizon {last} is before the base year {base}",
                                  key="--to / macro.horizon", value=last,
                                  hint=f"choose a horizon from {base} on")])
    if data_last is not None and last > data_last:
        raise InputError([Problem(f"the horizon {last} is beyond the population data (their last 1 January is "
                                  f"in {data_last}, so the last mid-year population is {data_last - 1} at most)",
                                  key="--to / macro.horizon", value=last,
                                  hint=f"choose a horizon from {base} to {data_last - 1} at most")])
    return np.arange(base, last + 1)


def demographic_interval(january_interval: xr.Dataset, births: xr.Dataset) -> xr.Dataset:
    """The mid-year population's and the births' median and 80 % interval by year (NaN where not published)."""
    population = population_interval(january_interval).rename(
        pop_total="population", pop_total_80l="population_80l", pop_total_80u="population_80u")
    out = xr.merge([population, births_interval(births)], join="outer", combine_attrs="drop")
    out.attrs = {"source": f"population: {january_interval.attrs['source']}; births: {births.attrs['source']}",
                 "vintage": january_interval.attrs["vintage"]}
    return out


def build_projections(params: ParameterSet, bundle: Bundle, to: int | None = None,
                      coverage_series: Sequence[str] = ()) -> Projections:
    """The projections of ``params.country``: its inputs are read here (each on first use, so a run reads
    only the tables its settings need) and handed to the projection functions as labelled arrays.
    ``coverage_series`` names the ILO coverage ratios (SDG 1.3.1 series) to hold over the years: those the
    benefits net out (their records say which)."""
    iso3 = params.country
    inputs = load_country(bundle, iso3)
    country = inputs.country
    years = horizon_years(params, to, data_last=int(inputs.population_january[dims.YEAR].max()))

    @functools.cache
    def mid_year() -> xr.DataArray:  # 1 July by sex, from 1 January and the population change
        return mid_year_totals(inputs.population_january, inputs.births["pop_change"])

    rule, census = params.value("demography.census_age_structure"), None
    if rule != "ignore" and inputs.census is not None:  # the census table is read only where it may be used
        census = census_adjustment(inputs.census, inputs.population_age5, mid_year(), iso3, rule)

    @functools.cache
    def population_in(other: tuple[int, ...]) -> xr.DataArray:
        return project_population(inputs.population_single_age, inputs.population_age5, mid_year(), iso3,
                                  np.asarray(other), census=census)

    population = population_in(tuple(years))
    births = project_births(inputs.births, iso3, years)
    macro = project_macro(inputs.gdp, inputs.government_finance, iso3, years, params.value("macro.beyond_weo"),
                          params.value("macro.real_gdp_growth"))
    poverty = project_poverty(inputs.poverty_lines_national, iso3, years, macro.cpi_all_years,
                              params.value("poverty.national_line_period"), params.value("poverty.headcount_from"),
                              params.value("poverty.national_line_fallback"), weo=inputs.gdp,
                              harmonized=inputs.poverty_lines_harmonized, weo_population=inputs.weo_population,
                              wdi_headcount=lambda: inputs.poverty_headcount)
    labour = project_labour(params, inputs.labour_rates, population, years)
    notes = [*macro.notes, *poverty.notes, *labour.notes]

    coverage, coverage_notes = project_coverage(params, population, years,
                                                lambda other: population_in(tuple(other)))
    coverage = coverage.merge(ilo_coverage_ratios(inputs.coverage_ratios, years, coverage_series))
    pension_age, pension_notes = statutory_pensionable_age(inputs.pensionable_age, iso3, years)
    notes += coverage_notes + pension_notes
    warnings = list(poverty.warnings)
    if census is not None:
        notes.append(census.note())
        warnings.append(census.warning())
    if country.fiscal_year_gdp:
        warnings.append(f"{iso3}: the IMF WEO reports GDP, prices and government finance for fiscal years "
                        f"(FY t-1/t shown as year t); they are set against calendar-year population without "
                        f"adjustment")
    health = project_health_spending(inputs.health_spending, iso3, years)
    notes += health.notes
    severe_disability, disability_warnings = project_severe_disability(
        inputs.disability_prevalence, country, iso3, params.value("disability.prevalence_from"), population)
    warnings += disability_warnings
    cpi_2017 = cpi_of_year(macro, inputs.gdp, PPP_PRICE_YEAR)
    cpi_2017.attrs["description"] = f"CPI in {PPP_PRICE_YEAR}, the price year of the international poverty lines"
    return Projections(
        country=iso3, years=years, population=population, births=births, gdp=macro.gdp,
        gdp_deflator=macro.gdp_deflator, cpi=macro.cpi, gdp_real_growth=macro.gdp_real_growth,
        gg_expenditure_share=macro.gg_expenditure_share, gg_revenue_share=macro.gg_revenue_share,
        poverty_line_national=poverty.national_line, poverty_headcount=poverty.headcount_rate,
        poverty_lines_ppp=international_lines(params, inputs.poverty_lines_harmonized, iso3),
        labour_force=labour.labour_force, unemployed=labour.unemployed, coverage=coverage,
        severe_disability=severe_disability,
        statutory_pensionable_age=pension_age,
        health_public_share_of_gdp=health.public_share_of_gdp,
        health_non_oop_share_of_gdp=health.non_oop_share_of_gdp, usd_rate=macro.usd_rate, cpi_2017=cpi_2017,
        demographic_interval=demographic_interval(inputs.population_january_interval, inputs.births),
        currency=country.currency, notes=notes, warnings=warnings,
    )
