"""Existing coverage: people already reached by social protection, from two sources.

* National counts in ``assumptions/<ISO3>/coverage.yaml``, each observed in one or more
  years. Between and beyond the observations, the *coverage rate* (the count over its
  reference population, e.g. pensioners over the population above pensionable age) is
  interpolated linearly and held flat, so the covered count grows with its reference
  population. No published projection of coverage was found; this rule is the simplest
  that neither invents growth nor lets coverage shrink as the population grows.
* The ILO's effective coverage ratio of each cash benefit (SDG indicator 1.3.1,
  ``assumptions/data/social_protection_coverage.csv``): the latest observation, held over
  the projection as a share of the benefit's eligible group (the benefit modules apply it).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet, yearly_values
from floors.inputs.series import QUANTILE, SERIES

# Each cash benefit's ILO coverage ratio: the SDG 1.3.1 series and the sex it is published for.
ILO_SERIES = {
    "children": ("SI_COV_CHLD", "total"),
    "maternity": ("SI_COV_MATNL", "female"),
    "disability": ("SI_COV_DISAB", "total"),
    "unemployment": ("SI_COV_UEMP", "total"),
    "old_age": ("SI_COV_PENSN", "total"),
}
# Each cash benefit's national counts in coverage.yaml (none are defined for children and mothers).
NATIONAL_COUNTS = {
    "children": (),
    "maternity": (),
    "disability": ("disability_pensioners", "non_contributory_disability_recipients"),
    "unemployment": ("unemployment_insurance_recipients",),
    "old_age": ("old_age_pensioners", "non_contributory_old_age_recipients"),
}


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


def ratio_name(benefit: str) -> str:
    return f"coverage_ratio_{benefit}"


def ilo_coverage_ratios(ratios: xr.DataArray, years: np.ndarray) -> xr.Dataset:
    """The latest ILO coverage ratio of each cash benefit (share of its eligible group), held by year.

    ``ratios``: `floors.inputs.series.coverage_ratios` (percent, by series, year, sex and quantile).
    A benefit without an ILO observation for the country has no variable: the benefit
    module then nets national counts or nothing (``coverage.if_no_ilo_ratio``).
    """
    out = {}
    for benefit, (series, sex) in ILO_SERIES.items():
        where = {SERIES: series, dims.SEX: sex, QUANTILE: "total"}
        if any(label not in ratios[dim].values for dim, label in where.items()):
            continue
        observed = ratios.sel(where).dropna(dims.YEAR)
        if observed.sizes[dims.YEAR] == 0:
            continue
        latest = observed.isel({dims.YEAR: -1})
        year = int(latest[dims.YEAR])
        ratio = float(latest) / 100
        out[ratio_name(benefit)] = xr.DataArray(
            np.full(len(years), ratio), coords={dims.YEAR: years}, dims=[dims.YEAR],
            attrs={"units": "share of the benefit's eligible group",
                   "description": f"ILO effective coverage ratio of the {benefit.replace('_', ' ')} benefit "
                                  f"(SDG 1.3.1 {series}), {year} observation, held",
                   "source": f"{ratios.attrs['source']}, {series} ({sex}), {year}",
                   "vintage": ratios.attrs["vintage"], "observed": year})
    return xr.Dataset(out)
