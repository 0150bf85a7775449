"""Projections of one country from the base year to the horizon, as labelled arrays.

`build_projections` turns the effective parameters and the bundled data into a
`Projections`: population by age and sex, births, GDP and prices, government finance,
poverty lines, labour force and existing coverage. Every rule applied to the data
(extensions past the data, values held constant) is recorded in ``notes``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet
from floors.inputs import Bundle
from floors.problems import InputError, Problem
from floors.projections.births import project_births
from floors.projections.coverage import ilo_coverage_ratios, project_coverage
from floors.projections.disability import project_severe_disability
from floors.projections.health import project_health_spending
from floors.projections.labour import project_labour
from floors.projections.macro import project_macro
from floors.projections.pension_age import statutory_pensionable_age
from floors.projections.population import census_adjustment, population_interval, project_population
from floors.projections.poverty import international_lines, project_poverty


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
    usd_rate: float  # local currency per US dollar in the first year
    cpi_2017: float  # CPI (annual average) in 2017, the price year of the international lines
    population_interval: xr.Dataset
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
        return ds.transpose(*dims.ordered(list(ds.dims)))


def horizon_years(params: ParameterSet, to: int | None = None) -> np.ndarray:
    base = int(params.value("macro.base_year"))
    last = int(to if to is not None else params.value("macro.horizon"))
    if last < base:
        raise InputError([Problem(f"the horizon {last} is before the base year {base}",
                                  key="--to / macro.horizon", value=last,
                                  hint=f"choose a horizon from {base} on")])
    return np.arange(base, last + 1)


def build_projections(params: ParameterSet, bundle: Bundle, to: int | None = None) -> Projections:
    iso3 = params.country
    country = bundle.country(iso3)
    years = horizon_years(params, to)
    census = census_adjustment(bundle, iso3, params.value("demography.census_age_structure"))
    population = project_population(bundle, iso3, years, census=census)
    births = project_births(bundle, iso3, years)
    macro = project_macro(bundle, iso3, years, params.value("macro.beyond_weo"), params.value("macro.real_gdp_growth"))
    poverty = project_poverty(bundle, iso3, years, macro.cpi_all_years, params.value("poverty.national_line_period"),
                              params.value("poverty.headcount_from"), params.value("poverty.national_line_fallback"))
    labour = project_labour(params, bundle, population, years)
    notes = [*macro.notes, *poverty.notes, *labour.notes]

    @functools.cache
    def population_in(other: tuple[int, ...]) -> xr.DataArray:
        return project_population(bundle, iso3, np.asarray(other), census=census)

    coverage, coverage_notes = project_coverage(params, population, years,
                                                lambda other: population_in(tuple(other)))
    coverage = coverage.merge(ilo_coverage_ratios(bundle, iso3, years))
    pension_age, pension_notes = statutory_pensionable_age(bundle, iso3, years)
    notes += coverage_notes + pension_notes
    warnings = list(poverty.warnings)
    if census is not None:
        notes.append(census.note())
        warnings.append(census.warning())
    if country.fiscal_year_gdp:
        warnings.append(f"{iso3}: the IMF WEO reports GDP, prices and government finance for fiscal years "
                        f"(FY t-1/t shown as year t); they are set against calendar-year population without "
                        f"adjustment")
    health = project_health_spending(bundle, iso3, years)
    notes += health.notes
    severe_disability, disability_warnings = project_severe_disability(
        bundle, iso3, params.value("disability.prevalence_from"), population)
    warnings += disability_warnings
    return Projections(
        country=iso3, years=years, population=population, births=births, gdp=macro.gdp,
        gdp_deflator=macro.gdp_deflator, cpi=macro.cpi, gdp_real_growth=macro.gdp_real_growth,
        gg_expenditure_share=macro.gg_expenditure_share, gg_revenue_share=macro.gg_revenue_share,
        poverty_line_national=poverty.national_line, poverty_headcount=poverty.headcount_rate,
        poverty_lines_ppp=international_lines(params, bundle, iso3),
        labour_force=labour.labour_force, unemployed=labour.unemployed, coverage=coverage,
        severe_disability=severe_disability,
        statutory_pensionable_age=pension_age,
        health_public_share_of_gdp=health.public_share_of_gdp,
        health_non_oop_share_of_gdp=health.non_oop_share_of_gdp, usd_rate=macro.usd_rate,
        cpi_2017=float(macro.cpi_all_years[2017]),
        population_interval=population_interval(bundle, iso3, years), currency=country.currency, notes=notes,
        warnings=warnings,
    )
