"""Every input of one country, as labelled arrays: what `floors.projections.build_projections` projects from.

`load_country` checks the country and returns a `CountryInputs` whose inputs are read on first use
(one `floors.inputs.series` function each, then kept), so that a run reads only the tables its
settings need, and `Bundle.files_read` lists only those (a run that ignores the census does not
read the census table, nor one that takes the headcount from the national line table the WDI's).
"""

from __future__ import annotations

from functools import cached_property

import xarray as xr

from floors.inputs import series
from floors.inputs.bundle import Bundle, Country


class CountryInputs:
    """The inputs of ``iso3`` in ``bundle``, each an `xarray` object with ``units``, ``source`` and
    ``vintage`` in its ``attrs`` (see `floors.inputs.series` for each)."""

    def __init__(self, bundle: Bundle, iso3: str) -> None:
        self.bundle, self.iso3 = bundle, iso3

    @cached_property
    def country(self) -> Country:
        """The country's entry in countries.yaml (name, currency, fiscal-year GDP, WHO region, income group)."""
        return self.bundle.country(self.iso3)

    @cached_property
    def population_january(self) -> xr.DataArray:
        return series.population_january(self.bundle, self.iso3)

    @cached_property
    def population_january_interval(self) -> xr.Dataset:
        return series.population_january_interval(self.bundle, self.iso3)

    @cached_property
    def population_age5(self) -> xr.DataArray:
        return series.population_by_age5(self.bundle, self.iso3)

    @cached_property
    def population_single_age(self) -> xr.DataArray:
        return series.population_by_single_age(self.bundle, self.iso3)

    @cached_property
    def births(self) -> xr.Dataset:
        return series.births(self.bundle, self.iso3)

    @cached_property
    def census(self) -> xr.DataArray | None:
        return series.census_broad_age(self.bundle, self.iso3)

    @cached_property
    def gdp(self) -> xr.Dataset:
        return series.gdp(self.bundle, self.iso3)

    @cached_property
    def government_finance(self) -> xr.Dataset:
        return series.government_finance(self.bundle, self.iso3)

    @cached_property
    def weo_population(self) -> xr.DataArray:
        return series.weo_population(self.bundle, self.iso3)

    @cached_property
    def health_spending(self) -> xr.Dataset:
        return series.health_spending(self.bundle, self.iso3)

    @cached_property
    def poverty_lines_national(self) -> xr.Dataset:
        return series.poverty_lines_national(self.bundle, self.iso3)

    @cached_property
    def poverty_lines_harmonized(self) -> xr.Dataset:
        """Every country's harmonised line (a country without one takes a median of the others')."""
        return series.poverty_lines_harmonized(self.bundle)

    @cached_property
    def poverty_headcount(self) -> xr.DataArray:
        return series.poverty_headcount(self.bundle, self.iso3)

    @cached_property
    def labour_rates(self) -> xr.Dataset:
        return series.labour_rates(self.bundle, self.iso3)

    @cached_property
    def coverage_ratios(self) -> xr.DataArray:
        return series.coverage_ratios(self.bundle, self.iso3)

    @cached_property
    def disability_prevalence(self) -> xr.Dataset:
        """WHO's rates for every geography (the country's group is chosen in the projections)."""
        return series.disability_prevalence(self.bundle)

    @cached_property
    def pensionable_age(self) -> xr.DataArray | None:
        return series.pensionable_age(self.bundle, self.iso3)


def load_country(bundle: Bundle, iso3: str) -> CountryInputs:
    """The inputs of ``iso3`` (an unknown country is an `InputError` with a "did you mean")."""
    bundle.country(iso3)
    return CountryInputs(bundle, iso3)
