"""floors from Python: cost a floor in a notebook or a script, as ``floors run`` does.

>>> import floors
>>> result = floors.run("ECU")                                   # Ecuador's baseline
>>> table = result.table()                                       # shares of GDP, benefits × years
>>> round(100 * float(table.loc["total", 2030]), 2)             # in percent
1.78
>>> richer = floors.run("ECU", [{"children.level": 0.5}])        # a what-if written as a dict
>>> change = result.compare(richer)                              # side by side, and the change by cause
>>> round(float(change.by_cause(2030).loc["level"]), 3)
0.273

`run` takes a country (or several, or ``"all"``), scenarios (names, paths, ``a+b``, or
dicts of changes), overrides (``set={"children.level": 0.5}`` or ``["children.level=0.5"]``),
the last year and Monte Carlo draws, and returns a `Result`. Bad input raises
`floors.InputError`, which lists every problem at once (``print(error.report())``).
The command line is a shell over this module.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import xarray as xr
from openpyxl import Workbook

from floors import dims, limits, naming
from floors.assumptions import ParameterSet, load_parameters
from floors.assumptions.layers import COMMAND_LINE_LAYER
from floors.assumptions.location import DEFAULT_COUNTRY, Folders, assumption_folders
from floors.assumptions.scenario import scenario_from_mapping
from floors.assumptions.scenario_info import ScenarioInfo
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.benefits import benefit_problems
from floors.engine import Costing, cost_floor, costing
from floors.engine.compare import CAUSES, decompose, differing
from floors.inputs import Bundle
from floors.io.files import write_atomically
from floors.problems import InputError, Problem
from floors.report import RunRecord, build_workbook, tidy_table
from floors.report.compare import add_compare_sheets
from floors.report.countries import build_countries_workbook
from floors.report.uncertainty import add_sensitivity, add_uncertainty, sensitivity_table, tidy_quantiles
from floors.uncertainty import cost_draws, cost_draws_chunked, summarise
from floors.uncertainty import sensitivity as rank_parameters

# A scenario: a name or path of a scenario file (``"a+b"`` lays b over a), or its changes as a dict.
Scenario = str | os.PathLike | Mapping[str, Any]

BASELINE = "baseline"


@dataclass
class CountryResult:
    """One country's costing of every scenario (one vectorised pass), with what it was costed from."""

    costing: Costing
    parameters: dict[str, ParameterSet]  # scenario name → effective parameters
    uncertainty: xr.Dataset | None = None  # quantiles of the Monte Carlo draws, when draws were asked for
    draws: int = 0
    seed: int = 0


@dataclass
class Result:
    """What `run` returns: the costs of the floor by country, scenario, benefit and year.

    ``to_xarray()`` gives the engine's Dataset, ``to_frame()`` the tidy table of the CSV,
    ``table()`` a pandas table of one measure, ``to_excel(path)`` the workbook ``floors run``
    writes, and ``compare(other)`` the change from this result to another, split by cause.
    """

    countries: dict[str, CountryResult]
    bundle: Bundle
    command: str = ""
    warnings: list[str] = field(default_factory=list)
    name: str = ""  # the run's name (`floors.naming`): its folder and files, e.g. ECU-baseline-set-d8a162
    overrides: dict[str, str] = field(default_factory=dict)  # values set on the command line (set=), as text
    country_warnings: dict[str, list[str]] = field(default_factory=dict)  # each country's own warnings

    @property
    def scenarios(self) -> list[str]:
        """The scenarios' labels: each name, then the values set on the command line (``baseline +
        children.level=0.5``; just ``baseline`` when none were). The results are labelled with them."""
        return list(next(iter(self.countries.values())).parameters)

    @property
    def notes(self) -> list[str]:
        """How the data were extended or held, and which existing coverage was netted."""
        return [n for c in self.countries.values() for n in c.costing.results.attrs.get("notes", "").splitlines() if n]

    def to_xarray(self) -> xr.Dataset:
        """The results as one Dataset (scenario, country, benefit, year, …); a single country's has no
        ``country`` dimension, so that ``.to_pandas()`` and plotting work directly."""
        datasets = [c.costing.results for c in self.countries.values()]
        if len(datasets) == 1:
            return datasets[0].squeeze(dims.COUNTRY, drop=True)
        # Countries cost different benefits where data are missing: align them, missing as NaN.
        return xr.concat(datasets, dim=dims.COUNTRY, join="outer", combine_attrs="drop_conflicts")

    def to_frame(self) -> pd.DataFrame:
        """The tidy table the CSV holds: scenario, country, benefit, variable, unit, year, value."""
        frames = [tidy_table(c.costing.results) for c in self.countries.values()]
        frames += [tidy_quantiles(c.uncertainty, iso3) for iso3, c in self.countries.items()
                   if c.uncertainty is not None]
        return pd.concat(frames, ignore_index=True)

    def table(self, measure: str = "cost_share_gdp", *, scenario: str | None = None,
              country: str | None = None) -> pd.DataFrame:
        """One measure of one scenario and country as a table: benefits (rows) × years (columns).

        ``measure`` is a variable of the results: ``cost_share_gdp`` (the default, a share),
        ``cost`` (local currency), ``beneficiaries``, ``cost_share_gg_expenditure``, …
        """
        iso3 = country or next(iter(self.countries))
        results = self._results_of(iso3)
        if measure not in results:
            raise KeyError(f"{measure!r} is not a result; choose one of {sorted(map(str, results.data_vars))}")
        one = results[measure].sel({dims.SCENARIO: self._label(scenario), dims.COUNTRY: iso3})
        return one.transpose(dims.BENEFIT, dims.YEAR).to_pandas()

    def workbook(self, add_sheets: Callable[[Workbook, RunRecord], None] | None = None) -> Workbook:
        """The workbook ``floors run`` writes (for several countries, the cross-country workbook), in memory;
        ``add_sheets(book, record)`` may add sheets to a one-country workbook."""
        if len(self.countries) > 1:
            return build_countries_workbook([self.record(iso3) for iso3 in self.countries])
        (iso3,) = self.countries
        record = self.record(iso3)
        book = build_workbook(record, record.country_name)
        if record.uncertainty is not None:
            add_uncertainty(book, record)
        if add_sheets is not None:
            add_sheets(book, record)
        return book

    def to_excel(self, path: str | os.PathLike) -> Path:
        """The workbook, written atomically; returns its path."""
        path = Path(path)
        write_atomically(path, self.workbook().save)
        return path

    def to_csv(self, path: str | os.PathLike) -> Path:
        """The tidy table as CSV, written atomically; returns its path."""
        path = Path(path)
        frame = self.to_frame()
        write_atomically(path, lambda temporary: frame.to_csv(temporary, index=False))
        return path

    def compare(self, other: Result) -> Comparison:
        """The change from this result's first scenario to ``other``'s, for one country: both side by side,
        the parameters that differ, and the change in cost split by cause (level, coverage, demography,
        macro; Shapley values that add up exactly to the change)."""
        if len(self.countries) != 1 or list(self.countries) != list(other.countries):
            raise ValueError("compare needs two results for the same single country")
        (iso3,) = self.countries
        names = [self.scenarios[0], other.scenarios[0]]
        if names[1] == names[0]:
            names[1] = f"{names[1]}-other"
        sets = [self.countries[iso3].parameters[self.scenarios[0]],
                other.countries[iso3].parameters[other.scenarios[0]]]
        to = int(self.countries[iso3].costing.results[dims.YEAR].max())
        # Each side named as its run is: the scenario, then -set-… for its own command-line values.
        parts = [f"{label.split(' + ')[0]}{naming.suffix(result.overrides)}"
                 for label, result in zip(names, (self, other), strict=True)]
        return _comparison(names, sets, self.bundle, to, self.command, naming.compare_name(iso3, parts))

    def _label(self, scenario: str | None) -> str:
        """A scenario by its label, or by its name alone (``ilo-ess58`` for ``ilo-ess58 + children.take_up=0.9``)."""
        labels = self.scenarios
        if scenario is None or scenario in labels:
            return scenario or labels[0]
        by_name = {label.split(" + ")[0]: label for label in labels}
        if scenario in by_name:
            return by_name[scenario]
        raise KeyError(f"no scenario {scenario!r} in this result; it has {labels}")

    def _results_of(self, iso3: str) -> xr.Dataset:
        if iso3 not in self.countries:
            raise KeyError(f"{iso3!r} was not costed; this result has {list(self.countries)}")
        return self.countries[iso3].costing.results

    def record(self, iso3: str) -> RunRecord:
        """What a workbook reports about one country's costing."""
        one = self.countries[iso3]
        return RunRecord(results=one.costing.results, inputs=one.costing.inputs, parameter_sets=one.parameters,
                         data_files=self.bundle.files_read(), command=self.command,
                         country_name=self.bundle.country(iso3).name, name=self.name, overrides=self.overrides,
                         draws=one.draws, seed=one.seed, uncertainty=one.uncertainty)


@dataclass
class Comparison:
    """Scenarios of one country side by side, and the change in cost from the first (the reference) by cause."""

    names: list[str]
    parameters: dict[str, ParameterSet]
    costing: Costing
    decomposition: xr.Dataset  # change and contribution (scenario, cause, benefit, year), shares of GDP
    bundle: Bundle
    command: str = ""
    name: str = ""  # the comparison's name (`floors.naming`), e.g. ECU-compare-baseline-vs-whole-floor
    overrides: dict[str, str] = field(default_factory=dict)  # values set on the command line, in every scenario

    @property
    def differing(self) -> list[str]:
        """The parameters whose values differ between the scenarios."""
        return differing(list(self.parameters.values()))

    @property
    def warnings(self) -> list[str]:
        results = self.costing.results
        return list(dict.fromkeys([*filter(None, results.attrs.get("warnings", "").splitlines()),
                                   *(w for params in self.parameters.values() for w in params.warnings)]))

    def table(self, year: int | None = None) -> pd.DataFrame:
        """Cost as a share of GDP in ``year`` (default the last): benefits (rows) × scenarios (columns)."""
        results = self.costing.results
        year = year or int(results[dims.YEAR].max())
        return results["cost_share_gdp"].isel({dims.COUNTRY: 0}).sel({dims.YEAR: year}).transpose(
            dims.BENEFIT, dims.SCENARIO).to_pandas()

    def by_cause(self, year: int | None = None, benefit: str = "total", scenario: str | None = None) -> pd.Series:
        """The change in cost from the reference (percentage points of GDP) in ``year``, split by cause;
        ``total`` is their sum. ``scenario`` defaults to the second."""
        year = year or int(self.decomposition[dims.YEAR].max())
        one = self.decomposition.sel({dims.SCENARIO: scenario or self.names[1], dims.BENEFIT: benefit,
                                      dims.YEAR: year})
        parts = pd.Series({cause: 100 * float(one["contribution"].sel(cause=cause)) for cause in CAUSES})
        parts["total"] = 100 * float(one["change"])
        return parts

    def to_frame(self) -> pd.DataFrame:
        """The tidy table of every scenario's results (the CSV ``floors compare`` writes)."""
        return tidy_table(self.costing.results)

    def workbook(self) -> Workbook:
        """The workbook ``floors compare`` writes, in memory."""
        results = self.costing.results
        iso3 = str(results[dims.COUNTRY].values[0])
        record = RunRecord(results=results, inputs=self.costing.inputs, parameter_sets=self.parameters,
                           data_files=self.bundle.files_read(), command=self.command,
                           country_name=self.bundle.country(iso3).name, name=self.name, overrides=self.overrides)
        book = build_workbook(record, record.country_name)
        add_compare_sheets(book, record, self.decomposition, self.differing)
        return book

    def to_excel(self, path: str | os.PathLike) -> Path:
        """The workbook, written atomically; returns its path."""
        path = Path(path)
        write_atomically(path, self.workbook().save)
        return path


def _comparison(names: list[str], sets: list[ParameterSet], bundle: Bundle, to: int | None, command: str,
                name: str, overrides: dict[str, str] | None = None,
                progress: Callable[[str], None] | None = None) -> Comparison:
    both = costing(ScenarioParameters.from_sets(names, sets), bundle, to=to, sets=sets)
    if progress is not None:
        progress("scenarios costed")
    decomposition = decompose(names, sets, bundle, to)
    if progress is not None:
        progress("change split by cause")
    return Comparison(names=names, parameters=dict(zip(names, sets, strict=True)), costing=both,
                      decomposition=decomposition, bundle=bundle, command=command, name=name,
                      overrides=dict(overrides or {}))


def compare(
    country: str | None = None,
    scenarios: Sequence[Scenario] = (BASELINE,),
    *,
    set: Mapping[str, Any] | Sequence[str] = (),  # the command line's --set, in every scenario
    to: int | None = None,
    assumptions: str | os.PathLike | Folders | None = None,
    command: str | None = None,
    name: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Comparison:
    """Compare scenarios of one country with the first (the reference), as ``floors compare`` does.

    ``scenarios`` as for `run` (at least two; ``"baseline"`` is the country's assumptions alone);
    the change from the reference is split by cause (`Comparison.by_cause`). ``name`` replaces the
    automatic name (`floors.naming`); ``progress`` is called after each step with what was done.
    """
    specs = _scenario_list(scenarios)
    problems = naming.check_name(name) if name is not None else []
    sizes = limits.year_problems(to) + limits.scenario_problems(specs)
    problems += sizes
    if len(specs) < 2:
        problems.append(Problem("compare needs a reference and at least one other scenario", key="SCENARIOS",
                                value=[str(s) for s in specs], hint="e.g. floors compare baseline ilo-ess58, or "
                                                                    "floors.compare('ECU', ['baseline', 'ilo-ess58'])"))
    if sizes:  # before anything is loaded
        raise InputError(problems)
    bundle = Bundle(assumption_folders(assumptions))
    iso3s = _countries(country, bundle)
    if len(iso3s) != 1:
        raise InputError([*problems, Problem("compare works on one country at a time", key="--country",
                                             value=country)])
    sets, values = ([], dict(set)) if isinstance(set, Mapping) else (list(set), {})
    try:
        loaded = _load(bundle, iso3s[0], specs, sets, values)
    except InputError as exc:
        raise InputError([*problems, *exc.problems]) from None
    if problems:
        raise InputError(problems)
    automatic = naming.compare_name(iso3s[0], loaded.names, loaded.overrides, to=to)
    return _comparison(loaded.labels, loaded.sets, bundle, to,
                       command if command is not None else _command(country, specs, sets, values, to, 0, 0),
                       name or automatic, loaded.overrides, progress)


def run(
    country: str | Sequence[str] | None = None,
    scenarios: Scenario | Sequence[Scenario] = (),
    *,
    set: Mapping[str, Any] | Sequence[str] = (),  # the command line's --set
    to: int | None = None,
    draws: int = 0,
    seed: int = 1,
    assumptions: str | os.PathLike | Folders | None = None,
    detail: bool = True,
    chunk: int | None = None,
    progress: Callable[[str], None] | None = None,
    command: str | None = None,
    name: str | None = None,
) -> Result:
    """Cost the floor of ``country`` for each of ``scenarios`` (the baseline when there are none).

    Parameters
    ----------
    country: an ISO3 code (``"KEN"``), several (``["KEN", "SEN"]`` or ``"KEN,SEN"``), or ``"all"``;
        by default the country of the user's assumptions folder, else Ecuador.
    scenarios: each one scenario: a name in the country's scenarios folder or the presets
        (``"ilo-ess58"``), a path, ``"a+b"`` (b laid over a), ``"baseline"``, or a dict of changes
        (``{"children.level": 0.5}``; ``{"title": …, "changes": {…}}`` gives it a title).
    set: overrides applied to every scenario, as ``--set`` does: a dict or ``"section.name=value"``
        strings.
    to: the last year costed (default ``macro.horizon``, 2030).
    draws, seed: Monte Carlo draws over the parameters' declared uncertainty: each country's own
        parameters and ranges, drawn from ``seed`` as if the country were costed alone (so a country's
        percentiles are the same in a run of several countries as in its own run with that seed).
    assumptions: a user's assumptions folder (laid over the bundled one) or a complete tree; by
        default the user's folder that holds the working folder, else the bundled assumptions
        (see `floors.assumptions.location`).
    detail: keep beneficiaries by sex and age (off for large sweeps).
    chunk: cost the draws this many at a time through dask (draws too many for memory).
    progress: called with each country's code once it is costed (for a progress bar).
    command: how to reproduce the run, recorded in the workbook (default: the ``floors run`` line).
    name: the run's name, replacing the automatic one (`floors.naming`): ``Result.name``, the folder
        and files ``floors run`` writes.

    Each scenario is labelled in the results by its name and the values of ``set``
    (``baseline + children.level=0.5``). Raises `InputError` listing every problem in the input.
    """
    problems: list[Problem] = naming.check_name(name) if name is not None else []
    bundle = Bundle(assumption_folders(assumptions))
    iso3s = _countries(country, bundle)
    specs = _scenario_list(scenarios)
    sizes = (limits.draw_problems(draws, seed, chunk) + limits.year_problems(to) + limits.country_problems(iso3s)
             + limits.scenario_problems(specs) + limits.country_draw_problems(iso3s, draws))
    if sizes:  # before any country is loaded
        raise InputError([*problems, *sizes])
    sets, values = ([], dict(set)) if isinstance(set, Mapping) else (list(set), {})
    loads: dict[str, _Loaded] = {}
    for iso3 in iso3s:  # every country's assumptions first, so that every problem is found before any costing
        try:
            loads[iso3] = _load(bundle, iso3, specs, sets, values)
        except InputError as exc:
            problems += [p for p in exc.problems if p not in problems]
    if problems:
        raise InputError(problems)
    countries: dict[str, CountryResult] = {}
    for iso3, loaded in loads.items():
        labels, parameter_sets = loaded.labels, loaded.sets
        try:
            costed = costing(ScenarioParameters.from_sets(labels, parameter_sets), bundle, to=to,
                             sets=parameter_sets, detail=detail)
        except InputError as exc:
            problems += [p for p in exc.problems if p not in problems]
            continue
        one = CountryResult(costed, dict(zip(labels, parameter_sets, strict=True)))
        if draws:
            one.uncertainty = summarise(_draws(labels, parameter_sets, bundle, draws, seed, to, chunk))
            one.draws, one.seed = draws, seed
        countries[iso3] = one
        if progress is not None:
            progress(iso3)
    if problems:
        raise InputError(problems)
    by_country = {iso3: list(dict.fromkeys(
        [*filter(None, one.costing.results.attrs.get("warnings", "").splitlines()),
         *(w for params in one.parameters.values() for w in params.warnings)])) for iso3, one in countries.items()}
    warnings = list(dict.fromkeys(w for found in by_country.values() for w in found))
    first = loads[iso3s[0]]  # the scenarios and the values set are the same in every country
    if len(iso3s) > 1:
        every = sorted(iso3s) == sorted(bundle.countries)
        automatic = naming.countries_name(None if every else iso3s, first.names, first.overrides, to=to,
                                          draws=draws, seed=seed)
    else:
        automatic = naming.run_name(iso3s[0], first.names, first.overrides, to=to, draws=draws, seed=seed)
    return Result(countries=countries, bundle=bundle, warnings=warnings, country_warnings=by_country,
                  command=command if command is not None else _command(country, specs, sets, values, to, draws,
                                                                       seed),
                  name=name or automatic, overrides=first.overrides)


@dataclass
class Sensitivity:
    """Which uncertain parameters move the cost most: each at the ends of its range, one at a time.

    ``rows`` is the ranking (largest swing first), ``table()`` the same as a pandas table, ``result``
    the costing of the scenario itself; ``workbook()`` is the run's workbook with a ``sensitivity``
    sheet and a tornado chart, ``to_frame()`` the ranking as the CSV ``floors sensitivity`` writes.
    """

    result: Result
    rows: list[dict]
    benefit: str
    year: int
    name: str  # `floors.naming`: e.g. ECU-baseline-sensitivity-old_age

    @property
    def scenario(self) -> str:
        return self.result.scenarios[0]

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)

    def to_frame(self) -> pd.DataFrame:
        (iso3,) = self.result.countries
        return sensitivity_table(self.rows, self.scenario, iso3)

    def workbook(self) -> Workbook:
        return self.result.workbook(add_sheets=lambda book, record: add_sensitivity(book, self.rows))

    def to_excel(self, path: str | os.PathLike) -> Path:
        path = Path(path)
        write_atomically(path, self.workbook().save)
        return path


def sensitivity(
    country: str | None = None,
    scenario: Scenario | None = None,
    *,
    set: Mapping[str, Any] | Sequence[str] = (),  # the command line's --set
    to: int | None = None,
    benefit: str = "total",
    assumptions: str | os.PathLike | Folders | None = None,
    command: str | None = None,
    name: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Sensitivity:
    """Rank the parameters with an uncertainty range by how much each moves the cost of ``benefit``
    (``total``: the whole floor) in the last year costed (``to``, default ``macro.horizon``), as
    ``floors sensitivity`` does: each at the low and then the high end of its range, the others at
    their values, all in one vectorised pass. ``progress`` is called after each step."""
    problems = naming.check_name(name) if name is not None else []
    problems += benefit_problems(benefit)  # an unknown benefit, before anything is loaded or costed
    try:
        result = run(country, [scenario] if scenario is not None else [], set=set, to=to, assumptions=assumptions,
                     command=command)
    except InputError as exc:
        raise InputError([*problems, *exc.problems]) from None
    (iso3, one), = result.countries.items()
    params = one.parameters[result.scenarios[0]]
    problems += benefit_problems(benefit, params)  # one the scenario leaves out
    if problems:
        raise InputError(problems)
    if progress is not None:
        progress("scenario costed")
    rows = rank_parameters(params, result.bundle, None, benefit, to)
    if progress is not None:
        progress("parameters ranked")
    automatic = naming.sensitivity_name(iso3, result.scenarios[0].split(" + ")[0], result.overrides,
                                        benefit=benefit, to=to)
    return Sensitivity(result=result, rows=rows, benefit=benefit, year=int(rows[0]["year"]), name=name or automatic)


def planned_name(
    country: str | None = None,
    scenarios: Scenario | Sequence[Scenario] = (),
    *,
    set: Mapping[str, Any] | Sequence[str] = (),
    to: int | None = None,
    draws: int = 0,
    seed: int = 1,
    assumptions: str | os.PathLike | Folders | None = None,
) -> str:
    """The name `run` would give these inputs (its folder and files), found without costing anything."""
    if too_far := limits.year_problems(to):
        raise InputError(too_far)
    bundle = Bundle(assumption_folders(assumptions))
    iso3s = _countries(country, bundle)
    sets, values = ([], dict(set)) if isinstance(set, Mapping) else (list(set), {})
    loaded = _load(bundle, iso3s[0], _scenario_list(scenarios), sets, values)
    if len(iso3s) > 1:
        every = sorted(iso3s) == sorted(bundle.countries)
        return naming.countries_name(None if every else iso3s, loaded.names, loaded.overrides, to=to, draws=draws,
                                     seed=seed)
    return naming.run_name(iso3s[0], loaded.names, loaded.overrides, to=to, draws=draws, seed=seed)


def sweep(
    country: str | None = None,
    axes: Mapping[str, Sequence[Any]] | None = None,
    *,
    scenario: Scenario | None = None,
    set: Mapping[str, Any] | Sequence[str] = (),  # the command line's --set, under every point of the sweep
    to: int | None = None,
    assumptions: str | os.PathLike | Folders | None = None,
) -> xr.Dataset:
    """Cost every combination of the values in ``axes`` in one vectorised pass.

    ``axes`` maps parameters to the values to try, e.g. ``{"children.level": [0.25, 0.5, 1],
    "children.age_max": [5, 11, 17]}``. Returns the costs (``cost``, ``cost_share_gdp``, …) with
    one dimension per swept parameter (named after it), then benefit and year, so that
    ``sweep(...)["cost_share_gdp"].sel(benefit="total", year=2030)`` is a table over the axes.
    Only policy parameters and the two vectorised context parameters
    (``demography.interval_position``, ``macro.gdp_growth_shift``) may be swept: others change
    the projections (set them with ``set=``).
    """
    axes = dict(axes or {})
    if too_far := limits.year_problems(to):
        raise InputError(too_far)
    bundle = Bundle(assumption_folders(assumptions))
    iso3s = _countries(country, bundle)
    if len(iso3s) != 1:
        raise InputError([Problem("a sweep works on one country at a time", key="--country", value=country)])
    sets, values = ([], dict(set)) if isinstance(set, Mapping) else (list(set), {})
    (base,) = _load(bundle, iso3s[0], [scenario] if scenario is not None else [], sets, values).sets
    grid = ScenarioParameters.grid(base, axes)
    results = cost_floor(grid, bundle, to=to, detail=False).squeeze(dims.COUNTRY, drop=True)
    if not axes:
        return results.squeeze(dims.SCENARIO, drop=True)
    index = pd.MultiIndex.from_product([list(v) for v in axes.values()], names=list(axes))
    coords = xr.Coordinates.from_pandas_multiindex(index, dims.SCENARIO)
    return results.drop_vars(dims.SCENARIO).assign_coords(coords).unstack(dims.SCENARIO)


def _draws(names: list[str], parameter_sets: list[ParameterSet], bundle: Bundle, n: int, seed: int,
           to: int | None, chunk: int | None) -> xr.Dataset:
    if not chunk:
        return cost_draws(names, parameter_sets, bundle, n, seed, to)
    return cost_draws_chunked(names, parameter_sets, bundle, n, seed, to, chunk=chunk).compute()


def _countries(country: str | Sequence[str] | None, bundle: Bundle) -> list[str]:
    """'all', one code, ``"KEN,SEN"`` or a list, as upper-case codes, each known to the bundle; None is the
    country of the user's folder (its floors-folder.yaml), else Ecuador."""
    if country is None:
        country = bundle.folders.country or DEFAULT_COUNTRY
    codes = [country] if isinstance(country, str) else list(country)
    codes = [c.strip() for spec in codes for c in spec.split(",") if c.strip()]
    if any(c.lower() == "all" for c in codes):
        return list(bundle.countries)
    if not codes:
        raise InputError([Problem("no country given", key="--country", hint="name a country, e.g. ECU, or all")])
    return list(dict.fromkeys(c.upper() for c in codes))


def _scenario_list(scenarios: Scenario | Sequence[Scenario]) -> list[Scenario]:
    if isinstance(scenarios, str | os.PathLike | Mapping):
        return [scenarios]
    return list(scenarios)


def _name(spec: Scenario) -> str:
    """A scenario's name: its file's (``a+b`` for several), or a dict's title, else ``what-if-`` and a hash
    of its changes (so that two different what-ifs never share a name)."""
    if isinstance(spec, Mapping):
        title = str(spec.get("name") or spec.get("title") or "")
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        if slug:
            return slug
        changes = spec["changes"] if isinstance(spec.get("changes"), Mapping) else spec
        return "what-if-" + naming.short_hash("\n".join(naming.override_list(naming.overrides(changes))))
    return "+".join(Path(part.strip()).stem for part in str(spec).split("+") if part.strip())


@dataclass
class _Loaded:
    """Each scenario's name, label (the name and the values set on the command line) and parameters."""

    names: list[str]
    labels: list[str]
    sets: list[ParameterSet]
    overrides: dict[str, str]  # the values set on the command line, normalised (`floors.naming.overrides`)


def _load(bundle: Bundle, iso3: str, specs: list[Scenario], sets: list[str],
          values: Mapping[str, Any]) -> _Loaded:
    """One parameter set per scenario (the baseline when none is named), every problem gathered."""
    names: list[str] = []
    parameter_sets: list[ParameterSet] = []
    problems: list[Problem] = []
    for spec in specs or [BASELINE]:
        name = BASELINE if spec == BASELINE else _name(spec)
        layers: list[str | ScenarioInfo] = []
        if isinstance(spec, Mapping):
            overlay = scenario_from_mapping(name, {k: v for k, v in spec.items() if k != "name"}, problems)
            if overlay is None:
                continue
            layers = [overlay]
        elif spec != BASELINE:
            layers = [os.fspath(spec)]
        try:
            parameter_sets.append(load_parameters(bundle.folders, iso3, layers, sets,
                                                  known_countries=set(bundle.countries), values=values))
            names.append(name)
        except InputError as exc:
            problems += [p for p in exc.problems if p not in problems]
    if len(set(names)) != len(names) and not problems:
        problems.append(Problem(f"scenario names repeat: {names}", key="--scenario", hint="give each scenario once"))
    if problems:
        raise InputError(problems)
    overrides = command_line_values(parameter_sets[0])
    labels = [naming.scenario_label(name, overrides) for name in names]
    return _Loaded(names, labels, parameter_sets, overrides)


def command_line_values(params: ParameterSet) -> dict[str, str]:
    """The values set on the command line (``--set``, ``set=``) as they were read, normalised to text."""
    return naming.overrides({e.path: e.value for e in params.values() if e.layer == COMMAND_LINE_LAYER})


def _command(country, specs: list[Scenario], sets: list[str], values: Mapping[str, Any], to: int | None,
             draws: int, seed: int) -> str:
    """The ``floors run`` line that gives the same results (a dict scenario has none: it says so)."""
    import shlex

    country = country if isinstance(country, str) else ",".join(country)
    args = ["floors", "run", "-c", country]
    for spec in specs:
        args += ["-s", "<a scenario given as a dict in Python>" if isinstance(spec, Mapping) else os.fspath(spec)]
    args += [a for s in [*sets, *(f"{k}={v}" for k, v in values.items())] for a in ("--set", s)]
    if to is not None:
        args += ["--to", str(to)]
    if draws:
        args += ["--draws", str(draws), "--seed", str(seed)]
    return " ".join(shlex.quote(a) for a in args)
