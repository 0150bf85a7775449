"""Existing coverage: people already reached by social security, projected at constant rates.

Each coverage count in ``assumptions/<ISO3>/coverage.yaml`` is observed in one or more
years. Between and beyond the observations, the *coverage rate* (the count over its
reference population, e.g. pensioners over the population above pensionable age) is
interpolated linearly and held flat, so the covered count grows with its reference
population. No published projection of coverage was found; this rule is the simplest
that neither invents growth nor lets coverage shrink as the population grows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet, yearly_values


def _aged(low: int, high: int = dims.MAX_AGE) -> Callable[[xr.DataArray, ParameterSet], xr.DataArray]:
    def reference(population: xr.DataArray, params: ParameterSet) -> xr.DataArray:
        ages = population[dims.AGE]
        return population.where((ages >= low) & (ages <= high), 0).sum([dims.SEX, dims.AGE])
    return reference


def _above_pension_reference_age(population: xr.DataArray, params: ParameterSet) -> xr.DataArray:
    age = int(params.value("coverage.pension_reference_age"))
    return _aged(age)(population, params)


# Each coverage count and the population its rate is taken against.
REFERENCE_POPULATION: dict[str, tuple[str, Callable[[xr.DataArray, ParameterSet], xr.DataArray]]] = {
    "old_age_pensioners": ("population above coverage.pension_reference_age", _above_pension_reference_age),
    "disability_pensioners": ("population aged 15–64", _aged(15, 64)),
    "survivor_pensioners": ("total population", _aged(0)),
    "active_contributors": ("population aged 15–64", _aged(15, 64)),
    "unemployment_insurance_recipients": ("population aged 15–64", _aged(15, 64)),
    "non_contributory_old_age_recipients": ("population above coverage.pension_reference_age",
                                            _above_pension_reference_age),
    "non_contributory_disability_recipients": ("total population", _aged(0)),
}


def project_coverage(
    params: ParameterSet,
    population: xr.DataArray,
    years: np.ndarray,
    population_in: Callable[[list[int]], xr.DataArray],
) -> tuple[xr.Dataset, list[str]]:
    """Covered people by year for each coverage count, and notes on how each was projected.

    ``population_in(years)`` gives the population of years outside the projection (the
    years a count was observed in), so each rate is taken in the year of its count.
    """
    out, notes = {}, []
    for name, (label, reference_of) in REFERENCE_POPULATION.items():
        effective = params[f"coverage.{name}"]
        observed = effective.value if isinstance(effective.value, dict) else {int(years[0]): effective.value}
        reference = reference_of(population, params)
        if all(v == 0 for v in observed.values()):
            out[name] = xr.zeros_like(reference)
        else:
            outside = sorted(y for y in observed if y not in reference[dims.YEAR].values)
            observed_reference = reference_of(population_in(outside), params) if outside else None
            rates = {}
            for year, count in sorted(observed.items()):
                base = reference if year not in outside else observed_reference
                rates[year] = count / float(base.sel(year=year))
            out[name] = reference * xr.DataArray(yearly_values(rates, years), coords={dims.YEAR: years},
                                                 dims=[dims.YEAR])
            notes.append(f"{params.country}: coverage.{name} projected at a constant rate of the {label} "
                         f"({', '.join(f'{r:.1%} in {y}' for y, r in rates.items())})")
        out[name].attrs = {"units": "persons", "source": effective.citation(), "reference_population": label}
    return xr.Dataset(out), notes
