"""Monte Carlo draws and one-at-a-time sensitivity over the parameters' declared uncertainty.

Every parameter with an ``uncertainty`` (see `floors.assumptions.parameter.Uncertainty`)
is drawn independently:

* ``uniform``     any value from low to high;
* ``triangular``  low to high, most likely the parameter's value;
* ``normal80``    normal around the parameter's value, low and high its 10th and 90th
                  percentiles (σ = (high − low) / (2 × 1.2816)), clipped to the valid range.

The draws of all scenarios are costed together as one vectorised pass (the engine's
``scenario`` axis holds scenario × draw), then reshaped into a ``draw`` dimension. The
same seed gives the same draws, and every scenario uses the same draws (common random
numbers), so differences between scenarios are not blurred by sampling noise. Several
countries (`floors.run` with a list, ``--country all``) are each drawn from the seed as if
costed alone: a country's draws, and so its percentiles, are the same in any run with that
seed. (Draw i of two countries thus starts from the same random numbers; only each
country's own percentiles are reported, never a sum over countries, so this links nothing
that is shown.)

For draws too many for memory, `cost_draws_chunked` runs the same computation chunk by
chunk through xarray's dask backend (``xr.map_blocks``): on a dask cluster the chunks
run in parallel, and the result can be written out lazily.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import overload

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet
from floors.assumptions.parameter import Uncertainty
from floors.assumptions.parameter_set import Effective
from floors.assumptions.scenario_parameters import ScenarioParameters, check_unique
from floors.engine import costing
from floors.engine.chunked import map_chunks
from floors.inputs import Bundle
from floors.problems import InputError, Problem

Z80 = 1.2815515655446004  # the standard normal's 90th percentile
QUANTILES = (0.1, 0.5, 0.9)
SUMMARISED = ("cost_share_gdp", "cost")


def uncertain(params: ParameterSet) -> list[Effective]:
    """The parameters that carry an uncertainty range, in a fixed order (for reproducible draws)."""
    return sorted((e for e in params.values() if e.uncertainty is not None), key=lambda e: e.path)


def range_of(effective: Effective) -> Uncertainty:
    """The uncertainty range of a parameter returned by `uncertain` (which only returns those with one)."""
    if effective.uncertainty is None:
        raise ValueError(f"{effective.path} has no uncertainty range")
    return effective.uncertainty


def sample(params: ParameterSet, n: int, seed: int) -> dict[str, np.ndarray]:
    """``n`` draws of every uncertain parameter (path → values)."""
    if n < 1:
        raise InputError([Problem("the number of draws must be at least 1", key="--draws", value=n)])
    rng = np.random.default_rng(seed)
    out = {}
    for effective in uncertain(params):
        u, value = range_of(effective), float(effective.value)
        if u.low == u.high:
            draws = np.full(n, u.low if u.distribution != "normal80" else value)
        elif u.distribution == "uniform":
            draws = rng.uniform(u.low, u.high, n)
        elif u.distribution == "triangular":
            draws = rng.triangular(u.low, value, u.high, n)
        else:  # normal80
            draws = rng.normal(value, (u.high - u.low) / (2 * Z80), n)
        valid = effective.definition.range
        out[effective.path] = np.clip(draws, *valid) if valid is not None else draws
    return out


def _with_values(params: ParameterSet, values: dict[str, float]) -> ParameterSet:
    replaced = {path: dataclasses.replace(params[path], value=float(v), layer="draw") for path, v in values.items()}
    return params.with_entries(replaced)


class DrawnSets(Sequence[ParameterSet]):
    """The parameter set of each row (scenario × draw), made only when asked for.

    The engine reads these sets only where a drawn parameter changes the projections (an
    uncertain poverty line, say); the defaults' ranges do not, and making a thousand copies
    of every parameter set was a third of the time of 1,000 draws.
    """

    def __init__(self, sets: Sequence[ParameterSet], drawn: Sequence[dict[str, np.ndarray]], n: int,
                 rows: Sequence[int] | None = None) -> None:
        self._sets, self._drawn, self._n = list(sets), list(drawn), n
        self._rows = list(range(len(self._sets) * n)) if rows is None else list(rows)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> ParameterSet: ...

    @overload
    def __getitem__(self, i: slice) -> DrawnSets: ...

    def __getitem__(self, i: int | slice) -> ParameterSet | DrawnSets:
        if isinstance(i, slice):
            return self.rows(range(len(self._rows))[i])
        scenario, draw = divmod(self._rows[i], self._n)
        values = {path: column[draw] for path, column in self._drawn[scenario].items()}
        return _with_values(self._sets[scenario], values)

    def rows(self, rows: Sequence[int]) -> DrawnSets:
        """The sets of some rows (positions in this sequence), still made only when asked for."""
        return DrawnSets(self._sets, self._drawn, self._n, [self._rows[r] for r in rows])


def draw_parameters(names: Sequence[str], sets: Sequence[ParameterSet], n: int,
                    seed: int) -> tuple[ScenarioParameters, DrawnSets]:
    """Scenario × draw as one list of parameter rows (names 'scenario|draw'), and each row's parameter set.

    Each scenario's draws come from the same seed: every scenario gets the same draws."""
    drawn = [sample(params, n, seed) for params in sets]
    rows = [f"{name}|{i}" for name in names for i in range(n)]
    # The columns `ScenarioParameters.from_sets` would read from the rows' sets, built directly.
    values: dict[str, list] = {path: [] for path in sets[0]}
    for params, columns in zip(sets, drawn, strict=True):
        for path, column in values.items():
            column.extend(columns[path].tolist() if path in columns else [params.value(path)] * n)
    check_unique(names)
    return ScenarioParameters(rows, values, _with_values(sets[0], {p: v[0] for p, v in drawn[0].items()})), \
        DrawnSets(sets, drawn, n)


def _unstack(results: xr.Dataset, names: Sequence[str], n: int) -> xr.Dataset:
    """The engine's scenario axis (scenario|draw) split into scenario and draw."""
    out = results[list(SUMMARISED)].squeeze(dims.COUNTRY, drop=True)
    shape = {dims.SCENARIO: list(names), dims.DRAW: np.arange(n)}
    arrays = {}
    for name, var in out.data_vars.items():
        rest = [d for d in var.dims if d != dims.SCENARIO]
        values = var.transpose(dims.SCENARIO, *rest).values.reshape(len(names), n, *var.shape[1:])
        arrays[name] = xr.DataArray(values, dims=[dims.SCENARIO, dims.DRAW, *rest],
                                    coords={**shape, **{d: out[d].values for d in rest}}, attrs=var.attrs)
    return xr.Dataset(arrays)


def cost_draws(names: Sequence[str], sets: Sequence[ParameterSet], bundle: Bundle, n: int, seed: int,
               to: int | None = None) -> xr.Dataset:
    """Cost and cost as a share of GDP for every scenario and draw: dims (scenario, draw, benefit, year)."""
    p, row_sets = draw_parameters(names, sets, n, seed)
    results = costing(p, bundle, to=to, sets=row_sets, detail=False).results
    return _unstack(results, names, n)


def cost_draws_chunked(names: Sequence[str], sets: Sequence[ParameterSet], bundle: Bundle, n: int, seed: int,
                       to: int | None = None, chunk: int = 250) -> xr.Dataset:
    """`cost_draws`, lazily, ``chunk`` draws at a time through xarray's dask backend.

    The draws are sampled up front (so the numbers equal the in-memory path's); each
    block of the ``draw`` axis is costed by the same engine when dask computes it.
    Call ``.compute()``, or write the result with ``to_zarr``/``to_netcdf`` for sweeps
    larger than memory.
    """
    p, row_sets = draw_parameters(names, sets, n, seed)

    def cost(ids: np.ndarray) -> xr.Dataset:
        rows = [s * n + int(i) for s in range(len(names)) for i in ids]
        part = ScenarioParameters([p.names[r] for r in rows], {path: [column[r] for r in rows]
                                                               for path, column in p.values.items()},
                                  row_sets[rows[0]])
        results = costing(part, bundle, to=to, sets=row_sets.rows(rows), detail=False).results
        return _unstack(results, names, len(ids)).assign_coords({dims.DRAW: ids})

    return map_chunks(dims.DRAW, n, chunk, cost, what="draws", key="--chunk", alternative=", or leave out --chunk")


def summarise(draws: xr.Dataset) -> xr.Dataset:
    """The 10th, 50th and 90th percentiles over the draws (a median and an 80 % interval)."""
    out = draws.quantile(list(QUANTILES), dim=dims.DRAW)
    for name in draws.data_vars:
        out[name].attrs = draws[name].attrs
    return out


def sensitivity(params: ParameterSet, bundle: Bundle, year: int | None = None, benefit: str = "total",
                to: int | None = None) -> list[dict]:
    """One at a time, each uncertain parameter at the low and high ends of its range (the 10th
    and 90th percentiles for normal80), the others at their values: the cost (share of GDP)
    in ``year``, ranked by the swing. One vectorised pass for all parameters."""
    entries = uncertain(params)
    if not entries:
        raise InputError([Problem("no parameter has an uncertainty range", key="uncertainty",
                                  hint="declare one, e.g. take_up: {value: 0.9, uncertainty: {low: 0.8, high: 1.0, "
                                       "reason: ...}}")])
    names, sets = ["base"], [params]
    for e in entries:
        for end in ("low", "high"):
            names.append(f"{e.path}={end}")
            sets.append(_with_values(params, {e.path: getattr(range_of(e), end)}))
    results = costing(ScenarioParameters.from_sets(names, sets), bundle, to=to, sets=sets, detail=False).results
    share = results["cost_share_gdp"].squeeze(dims.COUNTRY, drop=True)
    year = int(share[dims.YEAR].values[-1]) if year is None else year
    if benefit not in share[dims.BENEFIT].values:
        raise InputError([Problem(f"no benefit {benefit!r} in the results", key="--benefit",
                                  hint=f"one of {', '.join(map(str, share[dims.BENEFIT].values))}")])
    at = share.sel({dims.BENEFIT: benefit, dims.YEAR: year})
    base = float(at.sel({dims.SCENARIO: "base"}))
    rows = []
    for e in entries:
        low, high = (float(at.sel({dims.SCENARIO: f"{e.path}={end}"})) for end in ("low", "high"))
        u = range_of(e)
        rows.append({"parameter": e.path, "value": float(e.value), "low": u.low,
                     "high": u.high, "distribution": u.distribution,
                     "cost_at_low": low, "cost_at_high": high, "base": base, "swing": abs(high - low),
                     "source": u.cite(), "year": year, "benefit": benefit})
    return sorted(rows, key=lambda r: -r["swing"])
