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

from collections.abc import Callable, Sequence

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet, yearly_values
from floors.inputs.series import QUANTILE, SERIES


def counts(params: ParameterSet) -> list[str]:
    """The coverage counts (coverage.* parameters with ``reference_ages``), by name."""
    # Definitions only, straight from the dict: the values the projections read are asked for by name, which
    # is how the engine knows what a projection depends on (engine.costing.built_projections).
    return [path.split(".", 1)[1] for path, e in params.params.items() if e.definition.reference_ages is not None]


def _reference(params: ParameterSet, name: str) -> tuple[str, Callable[[xr.DataArray], xr.DataArray]]:
    """A count's reference population (a label, and the function summing it from a population)."""
    low_spec, high_spec = params[f"coverage.{name}"].definition.reference_ages or (0, None)
    low = int(params.value(low_spec)) if isinstance(low_spec, str) else int(low_spec)
    high = dims.MAX_AGE if high_spec is None else int(high_spec)
    if high_spec is None:
        label = "total population" if low == 0 else f"population aged {low} and over"
        if isinstance(low_spec, str):
            label = f"population above {low_spec} ({low})"
    else:
        label = f"population aged {low}–{high}"

    def reference(population: xr.DataArray) -> xr.DataArray:
        ages = population[dims.AGE]
        return population.where((ages >= low) & (ages <= high), 0).sum([dims.SEX, dims.AGE])

    return label, reference


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
    for name in counts(params):
        label, reference_of = _reference(params, name)
        effective = params[f"coverage.{name}"]
        observed = effective.value if isinstance(effective.value, dict) else {int(years[0]): effective.value}
        reference = reference_of(population)
        if all(v == 0 for v in observed.values()):
            out[name] = xr.zeros_like(reference)
        else:
            outside = sorted(y for y in observed if y not in reference[dims.YEAR].values)
            observed_reference = reference_of(population_in(outside)) if outside else None
            rates = {}
            for year, count in sorted(observed.items()):
                base = observed_reference if year in outside and observed_reference is not None else reference
                rates[year] = count / float(base.sel(year=year))
            out[name] = reference * xr.DataArray(yearly_values(rates, years), coords={dims.YEAR: years},
                                                 dims=[dims.YEAR])
            notes.append(f"{params.country}: coverage.{name} projected at a constant rate of the {label} "
                         f"({', '.join(f'{r:.1%} in {y}' for y, r in rates.items())})")
        out[name].attrs = {"units": "persons", "source": effective.citation(), "reference_population": label}
    return xr.Dataset(out), notes


def ratio_name(series: str) -> str:
    return f"coverage_ratio_{series}"


def ilo_coverage_ratios(ratios: xr.DataArray, years: np.ndarray, series_wanted: Sequence[str]) -> xr.Dataset:
    """The latest ILO coverage ratio of each series asked for (a share of its group), held by year.

    ``ratios``: `floors.inputs.series.coverage_ratios` (percent, by series, year, sex and quantile);
    each series for both sexes together, or for women where it concerns them alone (mothers of
    newborns). A series without an observation for the country has no variable: the benefit then
    nets national counts or nothing (``coverage.if_no_ilo_ratio``).
    """
    out = {}
    for series in series_wanted:
        if series not in ratios[SERIES].values:
            continue
        one = ratios.sel({SERIES: series, QUANTILE: "total"})
        sex = next((s for s in ("total", "female") if s in one[dims.SEX].values
                    and one.sel({dims.SEX: s}).notnull().any()), None)
        if sex is None:
            continue
        observed = one.sel({dims.SEX: sex}).dropna(dims.YEAR)
        latest = observed.isel({dims.YEAR: -1})
        year = int(latest[dims.YEAR])
        out[ratio_name(series)] = xr.DataArray(
            np.full(len(years), float(latest) / 100), coords={dims.YEAR: years}, dims=[dims.YEAR],
            attrs={"units": "share of the group", "description": f"ILO effective coverage ratio {series} "
                                                                 f"(SDG 1.3.1), {year} observation, held",
                   "source": f"{ratios.attrs['source']}, {series} ({sex}), {year}",
                   "vintage": ratios.attrs["vintage"], "observed": year})
    return xr.Dataset(out)
