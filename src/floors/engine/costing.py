"""Cost every benefit of one country for many scenarios in one vectorised pass (see the package docstring)."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

import numpy as np
import xarray as xr

from floors import dims, plausibility
from floors.assumptions import ParameterSet
from floors.assumptions.parameter_set import Effective
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.benefits import BENEFITS, Context
from floors.benefits.common import grid_values, plain
from floors.engine.adjustments import VECTORISED, apply_adjustments
from floors.engine.fiscal_space import FISCAL_SPACE_VARIABLES, fiscal_space
from floors.inputs import Bundle
from floors.io import cache
from floors.problems import InputError, Problem
from floors.projections import Projections, build_projections

# Parameter sections that change the projections; scenarios that differ in them need their own
# (except the parameters applied as arrays, engine.adjustments.VECTORISED).
PROJECTION_SECTIONS = ("macro", "demography", "poverty", "labour", "coverage")
# The ILO coverage ratios the benefits net out (each benefit's record names its series).
COVERAGE_SERIES = tuple(b.coverage_series for b in BENEFITS.values() if b.coverage_series)
# Parameters of other sections that change the projections (which WHO group stands for the country).
PROJECTION_PARAMETERS = ("disability.prevalence_from",)
# Coverage settings the benefit modules apply themselves: scenarios may differ in them and share a projection.
APPLIED_BY_BENEFITS = ("coverage.net_existing", "coverage.national_counts_first", "coverage.if_no_ilo_ratio")

HEADLINE = ("eligible", "existing_coverage", "beneficiaries", "unit_benefit", "cost")

UNITS = {
    "eligible": "persons",
    "existing_coverage": "persons",
    "beneficiaries": "persons",
    "unit_benefit": "local currency per beneficiary per year",
    "cost": "local currency per year",
    "cost_share_gdp": "share of GDP",
    "cost_share_gg_expenditure": "share of general government expenditure",
    "cost_share_gg_revenue": "share of general government revenue",
    "beneficiaries_by_sex_age": "persons",
}


def projection_data(projections: Projections) -> xr.Dataset:
    """The projections as one Dataset (no country axis), as the benefit modules read them."""
    data = projections.to_dataset().squeeze(dims.COUNTRY, drop=True)
    data = data.merge(projections.coverage) if "old_age_pensioners" not in data else data
    return data.assign(usd_rate=projections.usd_rate, cpi_2017=projections.cpi_2017)


Built = tuple[xr.Dataset, list[str], list[str], xr.Dataset]  # projection_data, notes, warnings, interval
# Projections built in this process, by data files, country and horizon, each with the parameter values it
# read: a recost, a solve pass or the next sweep that reads the same values reuses them (a few at most:
# each holds arrays by year, sex and age of one country).
_BUILT: OrderedDict[tuple, list[tuple[dict[str, str], Built, set[str]]]] = OrderedDict()
_BUILT_KEYS_KEPT = 32
# One build or lookup at a time: a web server's threads share the store (and a bundle's record of tables read).
_BUILT_LOCK = threading.RLock()
_BUILT_PER_KEY = 8
# xarray's options are global to the process, and `costing` sets two of them for its duration. Two costings
# in threads (a thread pool over countries, a web server's threads) would otherwise set and restore them under
# each other: the first to finish restores xarray's defaults while the other is still costing.
_OPTIONS_LOCK = threading.RLock()
_LIBRARIES = f"numpy {np.__version__} xarray {xr.__version__}"  # what the pickled projections are made of


class _ReadsRecorded(Mapping[str, Effective]):
    """A ParameterSet's parameters that note each one asked for by name: the values a projection depends on.

    Projections ask for values by name (``params.value(path)``, ``params[path]``); where one goes through
    every parameter for their definitions (`projections.coverage.counts`), it reads ``params.params``,
    which records nothing: definitions come from the assumption files, part of the cache's key.
    """

    def __init__(self, params: Mapping[str, Effective]) -> None:
        self._params = params
        self.read: set[str] = set()

    def __getitem__(self, path: str) -> Effective:
        self.read.add(path)
        return self._params[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def items(self):
        return self._params.items()  # for the definitions: records nothing (see above)


def _value_key(params: ParameterSet, path: str) -> str:
    return repr(params.params[path].value) if path in params.params else "<absent>"


def _files_signature(params: ParameterSet, bundle: Bundle) -> tuple:
    """The data and assumption files as they are now (an edited file is a new signature: rebuilt)."""
    paths = [bundle.folders.countries_file, *bundle.files(), *params.files]
    return tuple((str(path), *((s.st_mtime_ns, s.st_size) if (s := _stat(path)) else ())) for path in paths)


def _stat(path):
    try:
        return path.stat()
    except OSError:
        return None


def built_projections(params: ParameterSet, bundle: Bundle, to: int | None) -> Built:
    """`build_projections` as the modules read it, reused when the same data, country, horizon and values
    of every parameter it read were built before in this process (the tables it read are recorded again)."""
    with _BUILT_LOCK:
        return _built_projections(params, bundle, to)


def _disk_key(key: tuple) -> str:
    """The key of a country's projections in the user's cache (floors.io.cache): the files' signature,
    country and horizon, and the code that builds projections, so a new floors version builds afresh."""
    here = Path(__file__).resolve().parents[1]
    code = [str(p) for folder in ("projections", "inputs") for p in sorted((here / folder).glob("*.py"))]
    return cache.content_key(cache.code_digest(*code, __file__, str(here / "dims.py")), repr(key).encode())


def _built_projections(params: ParameterSet, bundle: Bundle, to: int | None) -> Built:
    # The working folder too: the arrays' attrs name their files as shown from it (floors.paths.display_path).
    key = (_files_signature(params, bundle), params.country, to, os.getcwd())
    if key not in _BUILT:  # a new process: the projections an earlier run built, from the user's cache
        found = cache.load("projections", _disk_key(key), _LIBRARIES)
        _BUILT[key] = list(found[0]) if found is not None and isinstance(found[0], list) else []
    for reads, built, tables in _BUILT[key]:
        if all(_value_key(params, path) == value for path, value in reads.items()):
            _BUILT.move_to_end(key)
            bundle.tables_read.update(tables)
            data, notes, warnings, interval = built
            return data.copy(), list(notes), list(warnings), interval.copy()
    recording = _ReadsRecorded(params.params)
    tables_before, bundle.tables_read = bundle.tables_read, set()  # the tables this build reads, on their own
    try:
        projections = build_projections(replace(params, params=cast(dict, recording)), bundle, to, COVERAGE_SERIES)
    finally:
        tables, bundle.tables_read = bundle.tables_read, tables_before
        tables_before.update(tables)
    built = (projection_data(projections), projections.notes, projections.warnings,
             projections.demographic_interval)
    reads = {path: _value_key(params, path) for path in recording.read}
    kept = _BUILT[key]
    kept.append((reads, built, tables))
    del kept[:-_BUILT_PER_KEY]  # Monte Carlo draws of macro parameters would otherwise pile up
    _BUILT.move_to_end(key)
    cache.store("projections", _disk_key(key), kept, _LIBRARIES, entries_kept=_BUILT_KEYS_KEPT * 4)
    while len(_BUILT) > _BUILT_KEYS_KEPT:
        _BUILT.popitem(last=False)
    data, notes, warnings, interval = built
    return data.copy(), list(notes), list(warnings), interval.copy()


def _projection_key(p: ScenarioParameters, i: int, paths: list[str]) -> tuple:
    return tuple(repr(p.values[path][i]) for path in paths)


def build_context_data(p: ScenarioParameters, bundle: Bundle, to: int | None,
                       sets: Sequence[ParameterSet] | None) -> tuple[xr.Dataset, list[str], list[str], xr.Dataset]:
    """Projections shared by every scenario, or stacked by scenario where scenarios change them,
    with their notes and warnings, and the demographic interval (the same for every scenario)."""
    varying = [path for path in p.values
               if (path.split(".")[0] in PROJECTION_SECTIONS or path in PROJECTION_PARAMETERS)
               and path not in VECTORISED and path not in APPLIED_BY_BENEFITS and not p.same_everywhere(path)]
    if not varying:
        return built_projections(p.base, bundle, to)
    if sets is None:
        raise InputError([Problem("a parameter sweep may only vary policy parameters, not macro, poverty, labour "
                                  "or coverage settings", key="--grid")])
    keys = [_projection_key(p, i, varying) for i in range(len(p))]
    built: dict[tuple, Built] = {}
    for key, params in zip(keys, sets, strict=True):
        if key not in built:
            built[key] = built_projections(params, bundle, to)
    stacked = xr.concat([built[key][0] for key in keys], dim=dims.SCENARIO, coords="minimal",
                        compat="override").assign_coords({dims.SCENARIO: p.scenario_index})
    notes = list(dict.fromkeys(note for _, notes, _, _ in built.values() for note in notes))
    warnings = list(dict.fromkeys(w for _, _, warnings, _ in built.values() for w in warnings))
    return stacked, notes, warnings, built[keys[0]][3]


@dataclass
class Costing:
    """The results and the projections they were computed from (for the workbook's inputs)."""

    results: xr.Dataset
    inputs: xr.Dataset  # the projections as the modules read them; a scenario axis where scenarios differ in them


def cost_floor(
    p: ScenarioParameters,
    bundle: Bundle,
    *,
    to: int | None = None,
    sets: Sequence[ParameterSet] | None = None,
    detail: bool = True,
) -> xr.Dataset:
    """Cost every included benefit of the floor, for every scenario of ``p``, in one pass."""
    return costing(p, bundle, to=to, sets=sets, detail=detail).results


def costing(
    p: ScenarioParameters,
    bundle: Bundle,
    *,
    to: int | None = None,
    sets: Sequence[ParameterSet] | None = None,
    detail: bool = True,
) -> Costing:
    """`cost_floor`, keeping the projections used as well. Costings in several threads run one at a time."""
    with _OPTIONS_LOCK, xr.set_options(arithmetic_join="exact", keep_attrs=True):
        data, notes, warnings, interval = build_context_data(p, bundle, to, sets)
        data, adjustment_notes = apply_adjustments(data, p, interval, p.base.country)
        notes = [*notes, *adjustment_notes]
        years = data[dims.YEAR].values
        ctx = Context(p=p, data=data, years=years, country=p.base.country, detail=detail)
        included = [name for name in BENEFITS if bool(p.scalar_values(f"{name}.include").astype(bool).any())]
        if not included:
            raise InputError([Problem("every benefit is left out (include: false)", key="*.include",
                                      hint="include at least one benefit")])
        results: list[tuple[str, xr.Dataset]] = []
        problems: list[Problem] = []
        for name in included:
            try:
                result = BENEFITS[name].cost(ctx)
            except InputError as exc:  # gather every module's problems before reporting
                problems += [p for p in exc.problems if p not in problems]
                continue
            if result is not None:  # None: the module left itself out for want of data, and said so in ctx.warnings
                results.append((name, result))
        if problems:
            raise InputError(problems)
        if not results:
            raise InputError([Problem("no benefit could be costed", key="*.include", hint="; ".join(ctx.warnings))])
        out = _results(ctx, results, bundle.country(p.base.country).currency,
                       notes="\n".join(dict.fromkeys([*notes, *ctx.notes])),
                       warnings="\n".join(dict.fromkeys([*warnings, *ctx.warnings])))
        _check_finite(out)
        limit = p.scalar_values("floor.warn_total_above").astype(float)
        out.attrs["warnings"] = "\n".join(filter(None, [out.attrs["warnings"],
                                                        *plausibility.implausible(out, data, limit)]))
        return Costing(results=out, inputs=data)


def _results(ctx: Context, results: list[tuple[str, xr.Dataset]], currency: str, notes: str,
             warnings: str) -> xr.Dataset:
    """The benefits' results, their total, their cost as shares of GDP and government finance, and the fiscal
    space, as one labelled Dataset by (scenario, country, benefit, year[, sex, age]).

    Every step on plain arrays, laid out as the labelled steps before them left them (headline variables by
    (benefit, scenario, year), summed over benefits in that order), and labelled once at the end: labelling,
    aligning and transposing each of some forty arrays was most of a what-if's time.
    """
    p, years = ctx.p, ctx.years
    benefits = [name for name, _ in results] + ["total"]
    grid = (len(p), len(years))
    headline = {name: np.empty((len(benefits), *grid)) for name in HEADLINE}
    by_age = None
    for i, (benefit, result) in enumerate(results):
        values = grid_values(ctx, result, HEADLINE)  # each benefit's labels checked on the way in
        include = p.scalar_values(f"{benefit}.include").astype(bool)[:, np.newaxis]
        for name in HEADLINE:  # a scenario that leaves the benefit out costs nothing for it
            headline[name][i] = values[name] if include.all() else np.where(include, values[name], 0.0)
        if "beneficiaries_by_sex_age" in result:  # only the age-based benefits have an age profile
            if by_age is None:  # the others (and the total) are NaN, not zero
                by_age = np.full((len(p), len(benefits), len(years), ctx.data.sizes[dims.SEX],
                                  ctx.data.sizes[dims.AGE]), np.nan)
            detail = plain(result.variables["beneficiaries_by_sex_age"], (dims.SCENARIO, dims.YEAR, dims.SEX, dims.AGE),
                           f"the {benefit} benefit's beneficiaries by sex and age")
            by_age[:, i] = detail if include.all() else np.where(include[..., np.newaxis, np.newaxis], detail, 0.0)
    _total(headline, p)
    gdp = ctx.values("gdp")
    variables = dict(headline)
    variables["cost_share_gdp"] = headline["cost"] / gdp
    variables["cost_share_gg_expenditure"] = headline["cost"] / (gdp * ctx.values("gg_expenditure_share"))
    variables["cost_share_gg_revenue"] = headline["cost"] / (gdp * ctx.values("gg_revenue_share"))
    fiscal = fiscal_space(variables["cost_share_gdp"][-1], ctx.values("gg_revenue_share"),
                          ctx.values("gg_expenditure_share"), p, years)

    # Labelled once: (benefit, scenario, year) arrays shown as (scenario, country, benefit, year), fiscal space
    # (scenario, year) as (scenario, country, year).
    by_benefit = (dims.SCENARIO, dims.COUNTRY, dims.BENEFIT, dims.YEAR)

    def labelled_by_benefit(name: str) -> tuple:
        return by_benefit, variables[name][np.newaxis].transpose(2, 0, 1, 3), {"units": UNITS[name]}

    labelled: dict[str, tuple] = {name: labelled_by_benefit(name) for name in HEADLINE}
    coordinates = {dims.COUNTRY: np.array([ctx.country], dtype=object),
                   dims.BENEFIT: np.array(benefits, dtype=object), dims.SCENARIO: p.scenario_index, dims.YEAR: years}
    if by_age is not None:
        labelled["beneficiaries_by_sex_age"] = ((*by_benefit, dims.SEX, dims.AGE), by_age[:, np.newaxis],
                                                {"units": UNITS["beneficiaries_by_sex_age"]})
        coordinates |= {axis: ctx.data.variables[axis] for axis in (dims.SEX, dims.AGE)}
    for name in ("cost_share_gdp", "cost_share_gg_expenditure", "cost_share_gg_revenue"):
        labelled[name] = labelled_by_benefit(name)
    for name, indicator in fiscal.items():
        labelled[name] = ((dims.SCENARIO, dims.COUNTRY, dims.YEAR), indicator[:, np.newaxis],
                          {"units": "share of GDP", "description": FISCAL_SPACE_VARIABLES[name]})
    # The labels first: the Dataset lists its dimensions (country, benefit, scenario, year, sex, age) in their order.
    out = xr.Dataset(coords=coordinates).assign(labelled)
    out.attrs = {"country": ctx.country, "currency": currency, "overlap_rule": "additive", "notes": notes,
                 "warnings": warnings}
    return out


def _total(headline: dict[str, np.ndarray], p: ScenarioParameters) -> None:
    """The floor's total (the last row of each (benefit, scenario, year) array) under ``floor.overlap``:
    'additive' sums the benefits' costs.

    People are not added up: the benefits' groups overlap (a child with a severe disability,
    an unemployed mother), and no data on the overlaps are bundled, so the total's counts of
    people, and its cost per beneficiary, are left empty (NaN) rather than double-counted.
    """
    rules = set(p.values["floor.overlap"])
    if rules != {"additive"}:  # the only rule defined so far; the check keeps a new one from being ignored
        raise InputError([Problem(f"unknown overlap rule(s) {sorted(rules)}", key="floor.overlap")])
    for name, values in headline.items():
        # nansum over the benefits in their order, as xarray's sum did (the order of additions sets the last digit).
        values[-1] = np.nansum(values[:-1], axis=0) if name == "cost" else np.nan


def _check_finite(out: xr.Dataset) -> None:
    """A NaN in a result is a defect upstream (a missing year, a zero population): stop loudly."""
    for name in ("cost", "cost_share_gdp"):
        bad = ~np.isfinite(out[name])
        if bool(bad.any()):
            where = out[name].where(bad, drop=True)
            raise RuntimeError(f"non-finite {name} for {where[dims.BENEFIT].values.tolist()} in "
                               f"{where[dims.YEAR].values.tolist()}")
