"""Parameters of many scenarios at once, as labelled arrays with a ``scenario`` dimension.

The benefit modules never loop over scenarios: each parameter becomes one array whose
``scenario`` axis holds every scenario's value (and a ``year`` axis where the value
changes by year). A sweep of ten thousand what-ifs is then one vectorised computation.
The same values come as plain arrays (``*_values``) for the arithmetic, and as one row where
every scenario has the same value (``shared_*``), so that what does not vary is computed once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet, yearly_values
from floors.assumptions.parameter import check_value, normalised
from floors.problems import InputError, Problem

Made = TypeVar("Made")


def check_unique(names: Sequence[str]) -> None:
    """Scenario names must each be given once: they label the scenario axis."""
    if len(set(names)) != len(names):
        raise InputError([Problem(f"scenario names repeat: {list(names)}", key="--scenario",
                                  hint="give each scenario once")])


def read_only(values: np.ndarray) -> np.ndarray:
    """A read-only view of ``values``: kept arrays are shared by every array a costing makes from them."""
    values = values.view()
    values.flags.writeable = False
    return values


@dataclass
class ScenarioParameters:
    """Effective parameter values by scenario (``values[path][i]`` is scenario ``names[i]``'s)."""

    names: list[str]
    values: dict[str, list[Any]]
    base: ParameterSet  # definitions, sources and the country; its own values are scenario 0's

    @classmethod
    def from_sets(cls, names: Sequence[str], sets: Sequence[ParameterSet]) -> ScenarioParameters:
        """Scenarios loaded one by one through the assumption layers (the usual `floors run`)."""
        check_unique(names)
        values = {path: [s.value(path) for s in sets] for path in sets[0]}
        return cls(list(names), values, sets[0])

    @classmethod
    def grid(cls, base: ParameterSet, axes: Mapping[str, Sequence[Any]]) -> ScenarioParameters:
        """Every combination of the values in ``axes`` (path → values) laid over ``base``.

        Each distinct value is checked against its parameter's rules once; the scenario
        names spell out the combination ("children.level=0.5,old_age.pensionable_age=60").
        """
        check_axes(base, axes)
        axes = normalised_axes(base, axes)
        paths = list(axes)
        combos = list(itertools.product(*(axes[p] for p in paths)))
        names = [",".join(f"{p}={v}" for p, v in zip(paths, combo, strict=True)) for combo in combos]
        values = {path: [base.value(path)] * len(combos) for path in base}
        for i, path in enumerate(paths):
            values[path] = [combo[i] for combo in combos]
        return cls(names, values, base)

    @classmethod
    def grid_rows(cls, base: ParameterSet, axes: Mapping[str, Sequence[Any]], rows: np.ndarray) -> ScenarioParameters:
        """Rows ``rows`` (flat indices, last axis fastest) of the grid of ``axes``, named by index.

        For sweeps too large to hold: each chunk builds only its own rows (axes checked
        beforehand with `check_axes`).
        """
        axes = normalised_axes(base, axes)
        positions = np.unravel_index(np.asarray(rows), [len(v) for v in axes.values()])
        values = {path: [base.value(path)] * len(rows) for path in base}
        for k, (path, options) in enumerate(axes.items()):
            values[path] = [options[j] for j in positions[k]]
        return cls([str(int(r)) for r in rows], values, base)

    def __len__(self) -> int:
        return len(self.names)

    def scenario_coord(self) -> dict[str, list[str]]:
        return {dims.SCENARIO: self.names}

    def _kept(self, kind: str, key: Hashable, source: object, make: Callable[[], Made]) -> Made:
        """``make()``, kept under (``kind``, ``key``) while ``source`` (the column of ``values``, or the labels, it
        was made from) is the same object: a replaced column is made afresh. A costing asks for the same columns
        often; kept outside the dataclass's fields (not compared, not carried over by `dataclasses.replace`)."""
        known = self.__dict__.setdefault(kind, {})
        found = known.get(key)
        if found is None or found[0] is not source:
            found = known[key] = (source, make())
        return found[1]

    @property
    def scenario_index(self) -> pd.Index:
        """The scenario labels as one index, built once (again only if ``names`` is replaced): every
        parameter array shares it; rebuilding it from ``names`` on every call was most of a large sweep's time."""
        return self._kept("_scenario_index", None, self.names, lambda: pd.Index(self.names, name=dims.SCENARIO))

    def number(self, path: str, years: np.ndarray) -> xr.DataArray:
        """A numeric parameter as (scenario, year), values by year interpolated."""
        return self.labelled(self.number_values(path, years), years, name=path)

    def number_values(self, path: str, years: np.ndarray) -> np.ndarray:
        """`number`'s values as a plain (scenario, year) array (for arithmetic labelled once at the end)."""
        return np.broadcast_to(self.shared_number(path, years), (len(self), len(years)))

    def shared_number(self, path: str, years: np.ndarray) -> np.ndarray:
        """`number_values`, as one row where every scenario has the same value: arithmetic with it then runs
        once, not once per scenario (numpy broadcasts it where needed). Read-only: kept for each column and years."""
        column = self.values[path]
        return self._kept("_numbers", (path, np.asarray(years).tobytes()), column,
                          lambda: read_only(self._number_rows(path, column, years)))

    def _number_rows(self, path: str, column: list[Any], years: np.ndarray) -> np.ndarray:
        if self.same_everywhere(path):  # the common case: one value for every scenario
            return yearly_values(column[0], years)[np.newaxis]
        try:  # one number per scenario, the same in every year (a sweep's column): converted at C speed
            return np.broadcast_to(np.array(column, dtype=float)[:, np.newaxis], (len(column), len(years)))
        except TypeError:  # some values by year ({year: value}): each distinct one interpolated once
            if not any(isinstance(v, dict) for v in column):
                raise
            distinct = {repr(v): v for v in column}
            rows = {key: yearly_values(v, years) for key, v in distinct.items()}
            return np.stack([rows[repr(v)] for v in column])

    def labelled(self, values: np.ndarray, years: np.ndarray | None = None, name: str | None = None) -> xr.DataArray:
        """Plain values by scenario (and year, when ``years`` are given) as a labelled array. The labels are
        built once per set of years and shared: building them for every array was most of a costing's time."""
        index = self.scenario_index
        coordinates = self._kept("_coordinates", None if years is None else np.asarray(years).tobytes(), index,
                                 lambda: xr.Coordinates({dims.SCENARIO: index}
                                                        | ({} if years is None else {dims.YEAR: years})))
        axes = [dims.SCENARIO] if years is None else [dims.SCENARIO, dims.YEAR]
        return xr.DataArray(values, coords=coordinates, dims=axes, name=name)

    def scalar(self, path: str) -> xr.DataArray:
        """A parameter that cannot change by year (an age, a switch, a choice), by scenario."""
        return self.labelled(self.scalar_values(path), name=path)

    def scalar_values(self, path: str) -> np.ndarray:
        """`scalar`'s values as a plain array by scenario (read-only: kept, as a costing asks for some columns
        often, and shared by every array made from it)."""
        column = self.values[path]
        return self._kept("_scalars", path, column, lambda: read_only(self._scalar_column(path, column)))

    def _scalar_column(self, path: str, column: list[Any]) -> np.ndarray:
        uniform = self.same_everywhere(path)
        bad = [v for v in (column[:1] if uniform else column) if isinstance(v, dict)]
        if bad:
            raise InputError([Problem(f"{path} cannot change by year", key=path, value=bad[0],
                                      hint="give one value, e.g. 65")])
        # One value for every scenario (the usual case): repeated, not converted scenario by scenario.
        return np.repeat(np.asarray(column[:1]), len(column)) if uniform else np.asarray(column)

    def shared_scalar(self, path: str) -> np.ndarray:
        """`scalar_values`, one row where every scenario has the same value (see `shared_number`)."""
        values = self.scalar_values(path)
        return values[:1] if self.same_everywhere(path) else values

    def is_(self, path: str, choice: str) -> xr.DataArray:
        """True for the scenarios whose text parameter ``path`` is ``choice``."""
        return self.labelled(self.is_values(path, choice), name=path)

    def is_values(self, path: str, choice: str) -> np.ndarray:
        """`is_`'s values as a plain boolean array by scenario."""
        return np.broadcast_to(self.shared_is(path, choice), len(self))

    def shared_is(self, path: str, choice: str) -> np.ndarray:
        """`is_values`, one row where every scenario has the same value (see `shared_number`)."""
        if self.same_everywhere(path):  # one comparison, not one per scenario
            return np.array([self.values[path][0] == choice])
        return self.scalar_values(path) == choice

    def same_everywhere(self, path: str) -> bool:
        """Whether every scenario has the same value; remembered for each column (a module asks often)."""
        column = self.values[path]
        # count: at C speed (a grid's columns)
        return self._kept("_same_everywhere", path, column, lambda: column.count(column[0]) == len(column))

    def scenarios_where(self, path: str, predicate) -> list[str]:
        return [n for n, v in zip(self.names, self.values[path], strict=True) if predicate(v)]


def check_axes(base: ParameterSet, axes: Mapping[str, Sequence[Any]]) -> None:
    """Every value of a sweep checked against its parameter's rules, all problems at once."""
    problems = []
    for path, options in axes.items():
        if path not in base:
            problems.append(Problem(f"unknown parameter {path!r}", key=path))
            continue
        for option in options:
            problems += check_value(base[path].definition, option, file="--grid", key=path, line=None)
    if problems:
        raise InputError(problems)


def normalised_axes(base: ParameterSet, axes: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
    """The values of a sweep as the engine takes them (`normalised`: 80% as 0.8, 65.0 as 65)."""
    return {path: [normalised(base[path].definition, v) for v in options] for path, options in axes.items()}
