"""Solve for a budget: the value of a parameter at which the floor costs a given share of GDP.

`solve_budget` searches with the vectorised engine, where one `cost_floor` pass costs a
whole grid of candidate values for about the price of one. The first grid spans the
parameter's declared range (geometrically spaced when the range is open or huge, which
amounts to expanding a bracket from near the lower limit outwards, in one pass); each
later pass lays a finer grid, with the secant estimate, inside the bracket where the cost
crosses the budget, until a value costs the budget within the tolerance. A last pass
finds the shortest rounding of that value that still meets the tolerance, so that the
value printed is the value checked.

Whole-number parameters (ages, years) cannot meet a budget exactly: the answer is the
whole number whose cost comes closest to the budget without exceeding it, with the cost
at the next whole number (on the other side of the budget). Several parameters move
together by one common factor on their baseline values, keeping their ratios.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from floors.assumptions import ParameterSet
from floors.assumptions.parameter import WHOLE_UNITS, check_value, percentage
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.benefits import BENEFITS, benefit_problems
from floors.engine import cost_floor
from floors.inputs import Bundle
from floors.problems import InputError, Problem, did_you_mean
from floors.projections import horizon_years

TOLERANCE = 1e-5  # the cost at the value found is within this share of GDP of the budget (0.001 points)
GRID_POINTS = 129  # candidates a pass: the projections dominate a pass, so 129 cost about as much as 1
MAX_PASSES = 60  # each pass narrows the bracket 128-fold: far more than a float's precision needs
HUGE_SPAN = 1e3  # a range wider than this many times the starting value is searched on a geometric grid
OPEN_REACH = 1e12  # how far an open range is searched, in multiples of the starting value
ENUMERATE_WHOLE = 4096  # whole-number ranges up to this many values are costed value by value in one pass


@dataclass
class Solution:
    """What `solve_budget` found."""

    vary: list[str]
    values: dict[str, float | int]  # each varied parameter's value, exactly as `floors run --set` takes it
    baseline: dict[str, float | int]
    factor: float | None  # several parameters: the common factor on their baseline values
    cost_share: float  # cost of `benefit` as a share of GDP in `year`, at `values`
    budget_share: float
    year: int
    benefit: str  # "total" (the whole floor) or one benefit
    exact: bool  # the cost is within `tolerance` of the budget
    reason: str | None  # when not exact: why, and what was reported instead
    bracket: tuple[float, float]  # the last values (or factors) on either side of the budget
    bracket_costs: tuple[float, float]
    by_benefit: dict[str, float]  # cost as a share of GDP by benefit (and total) in `year`, at `values`
    iterations: int  # engine passes (`cost_floor` calls)
    scenarios: int  # candidate values costed over all passes
    seconds: float
    tolerance: float = TOLERANCE
    next_value: int | None = None  # whole numbers: the neighbour on the other side of the budget
    next_cost_share: float | None = None

    def set_options(self) -> list[str]:
        """``section.name=value`` for each varied parameter, as ``floors run --set`` takes it."""
        return [f"{path}={format_number(value)}" for path, value in self.values.items()]


def format_number(value: float | int) -> str:
    """A value written out in full (never 1e-05, which a --set may read as text), to round-trip exactly."""
    if isinstance(value, int | np.integer):
        return str(int(value))
    return np.format_float_positional(float(value), trim="-")


def is_whole(path: str, base: ParameterSet) -> bool:
    return base[path].definition.unit in WHOLE_UNITS


def read_budget(text: str | None, problems: list[Problem]) -> float | None:
    """A budget as a share of GDP, from ``1.5%`` or ``0.015`` (a percentage read as everywhere, `percentage`); a
    bare number of 1 or more is ambiguous (1 % of GDP, or all of it?) and refused."""
    if text is None or not text.strip():
        problems.append(Problem("no budget given", key="--budget", hint="write e.g. --budget 1.5% (or 0.015)"))
        return None
    raw = text.strip()
    share = percentage(raw)
    try:
        value = float(raw) if share is None else share
    except ValueError:
        problems.append(Problem(f"cannot read the budget {text!r}", key="--budget",
                                hint="write a share of GDP as 1.5% or 0.015 (with a decimal point)"))
        return None
    if not math.isfinite(value) or value <= 0:
        problems.append(Problem("a budget must be a positive share of GDP", key="--budget", value=text,
                                hint="write e.g. 1.5% or 0.015"))
        return None
    if share is None and value >= 1:
        whole = "all of GDP" if value == 1 else f"{raw} times GDP"
        problems.append(Problem(f"the budget {raw} is ambiguous: {raw} % of GDP, or {whole}?",
                                key="--budget", value=text,
                                hint=f"write {raw}% for {raw} % of GDP, or the share {value / 100:g}"))
        return None
    return value


def check_request(base: ParameterSet, vary: Sequence[str], year: int | None = None, benefit: str = "total",
                  budget_share: float | None = None, tolerance: float = TOLERANCE) -> list[Problem]:
    """Every problem with a request to solve, before any costing."""
    problems: list[Problem] = []
    if not vary:
        problems.append(Problem("no parameter to vary", key="--vary",
                                hint="name one, e.g. --vary children.level (repeat --vary to move several)"))
    repeated = sorted({path for path in vary if list(vary).count(path) > 1})
    if repeated:
        problems.append(Problem(f"{', '.join(repeated)} named more than once", key="--vary", hint="name each once"))
    for path in dict.fromkeys(vary):
        problems += _check_varied(base, path, several=len(set(vary)) > 1)
    try:
        horizon_years(base, year)  # the year the budget is for is the last year costed (--to), beyond the horizon too
    except InputError as exc:
        problems += exc.problems
    problems += benefit_problems(benefit, base)
    if budget_share is not None and not (math.isfinite(budget_share) and budget_share > 0):
        problems.append(Problem("a budget must be a positive share of GDP", key="--budget", value=budget_share))
    if not tolerance > 0:
        problems.append(Problem("the tolerance must be positive", key="tolerance", value=tolerance))
    return problems


def _check_varied(base: ParameterSet, path: str, several: bool) -> list[Problem]:
    def problem(message: str, hint: str | None = None) -> list[Problem]:
        return [Problem(message, key="--vary", hint=hint)]

    if path not in base:
        return problem(f"unknown parameter {path!r}",
                       did_you_mean(path, list(base)) or "run 'floors params' to list every parameter")
    section = path.split(".")[0]
    if section not in BENEFITS:
        return problem(f"{path} is not a benefit's parameter: solve varies the parameters of the benefits "
                       f"({', '.join(BENEFITS)})",
                       "set projection and other settings with --set and vary e.g. a level, a take-up or an age")
    definition, value = base[path].definition, base.value(path)
    if isinstance(value, bool) or isinstance(definition.value, bool):
        return problem(f"{path} is a switch (true/false), not a number", "vary a numeric parameter")
    if isinstance(value, str) or isinstance(definition.value, str):
        choices = f" (one of {definition.choices})" if definition.choices else ""
        return problem(f"{path} is text{choices}, not a number",
                       "set it with --set and vary a numeric parameter, e.g. a level or a take-up")
    if value is None:
        return problem(f"{path} has no value for {base.country}", f"give it one with --set {path}=VALUE")
    if isinstance(value, dict):
        first = value[min(value)]
        return problem(f"{path} changes by year here ({value}): solve needs a single value to start from",
                       f"give it one value, e.g. --set {path}={format_number(first)}")
    if base.value(f"{section}.include") is False:
        return problem(f"the {section} benefit is left out ({section}.include: false), so {path} changes no cost",
                       f"include it with --set {section}.include=true")
    if several and is_whole(path, base):
        return problem(f"only numbers that need not be whole can be varied together: {path} takes whole numbers "
                       f"({definition.unit})", "vary it on its own")
    if several and value <= 0:
        return problem(f"{path} is {format_number(value)} here, which a common factor cannot move",
                       f"vary it on its own, or start it from a positive value with --set {path}=VALUE")
    return []


@dataclass
class _Axis:
    """The one number the search moves: a parameter's value, or the common factor of several."""

    paths: list[str]
    baseline: list[float]
    ranges: list[tuple[float, float] | None]
    low: float
    high: float  # may be infinite
    whole: bool

    @classmethod
    def of(cls, base: ParameterSet, vary: list[str]) -> _Axis:
        baseline = [base.value(path) for path in vary]
        ranges = [base[path].definition.range for path in vary]
        if len(vary) == 1:
            low, high = ranges[0] if ranges[0] else (min(0.0, baseline[0]), math.inf)
            section, name = vary[0].split(".")
            # A phase-in cannot be full before it starts (the benefit modules refuse it): stay within the other year.
            if name == "start_year" and f"{section}.full_year" in base:
                high = min(high, base.value(f"{section}.full_year"))
            if name == "full_year" and f"{section}.start_year" in base:
                low = max(low, base.value(f"{section}.start_year"))
            if is_whole(vary[0], base):
                return cls(vary, baseline, ranges, math.ceil(low), math.floor(high), whole=True)
            return cls(vary, baseline, ranges, low, high, whole=False)
        low = max([0.0, *(r[0] / b for r, b in zip(ranges, baseline, strict=True) if r)])
        high = min([math.inf, *(r[1] / b for r, b in zip(ranges, baseline, strict=True) if r)])
        return cls(vary, baseline, ranges, low, high, whole=False)

    @property
    def factor(self) -> bool:
        return len(self.paths) > 1

    @property
    def start(self) -> float:
        return 1.0 if self.factor else float(self.baseline[0])

    @property
    def reach(self) -> float:
        """The top of the search: the upper limit, or far beyond the start when the range is open."""
        return min(self.high, self.low + OPEN_REACH * max(abs(self.start), 1.0))

    def row(self, x: float) -> dict[str, float | int]:
        if self.whole:
            return {self.paths[0]: round(x)}
        if not self.factor:
            return {self.paths[0]: float(x)}
        return {path: _clip(float(x) * b, r) for path, b, r in zip(self.paths, self.baseline, self.ranges, strict=True)}

    def first_grid(self) -> np.ndarray:
        scale = max(abs(self.start), 1.0)
        if self.whole and self.reach - self.low < ENUMERATE_WHOLE:
            return np.arange(self.low, self.reach + 1, dtype=float)
        if math.isfinite(self.high) and self.high - self.low <= HUGE_SPAN * scale:
            grid = np.linspace(self.low, self.high, GRID_POINTS)
        else:
            grid = np.concatenate([[self.low], self.low + np.geomspace(1e-6 * scale, self.reach - self.low,
                                                                       GRID_POINTS - 1)])
        return np.unique(np.round(grid)) if self.whole else grid

    def describe(self, x: float) -> str:
        if not self.factor:
            return f"{self.paths[0]}={format_number(self.row(x)[self.paths[0]])}"
        values = ", ".join(f"{path}={format_number(v)}" for path, v in self.row(x).items())
        return f"a common factor of {x:.6g} ({values})"

    def value_text(self, x: float) -> str:
        return format_number(self.row(x)[self.paths[0]]) if not self.factor else self.describe(x)

    def bound(self, x: float) -> str:
        """Which limit of the search ``x`` is, if any."""
        what = "the common factor" if self.factor else self.paths[0]
        if x <= self.low:
            return f"the lowest value {what} may take here"
        if x >= self.high:
            return f"the highest value {what} may take here"
        if x >= self.reach:
            return f"as far as the search went: {what} has no upper limit"
        return "inside the range"


def _clip(value: float, limits: tuple[float, float] | None) -> float:
    return value if limits is None else min(max(value, limits[0]), limits[1])


def _round_significant(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")


class _Costs:
    """Costs candidate rows (path → value) with one engine pass each call, keeping count."""

    def __init__(self, base: ParameterSet, bundle: Bundle, year: int, benefit: str,
                 progress: Callable[[str], None] | None = None):
        self.base, self.bundle, self.year, self.benefit = base, bundle, year, benefit
        self.progress = progress
        self.passes = self.scenarios = 0

    def shares(self, rows: list[dict[str, float | int]]) -> list[dict[str, float]]:
        """Cost as a share of GDP in the year, by benefit and total, for each row."""
        p = self.scenarios_for(rows)
        results = cost_floor(p, self.bundle, to=self.year, detail=False)
        share = results["cost_share_gdp"].isel(country=0).sel(year=self.year).transpose("scenario", "benefit")
        self.passes += 1
        self.scenarios += len(rows)
        if self.progress is not None:
            self.progress(f"pass {self.passes}: {len(rows)} values costed")
        names = [str(b) for b in share["benefit"].values]
        return [dict(zip(names, map(float, line), strict=True)) for line in share.values]

    def scenarios_for(self, rows: list[dict[str, float | int]]) -> ScenarioParameters:
        """One scenario per row: a grid over the first path, with the other paths moving alongside it."""
        first, *others = list(rows[0])
        p = ScenarioParameters.grid(self.base, {first: [row[first] for row in rows]})
        if others:
            problems = [found for path in others for row in rows
                        for found in check_value(self.base[path].definition, row[path], file="floors solve",
                                                 key=path, line=None)]
            if problems:
                raise InputError(problems)
            for path in others:
                p.values[path] = [row[path] for row in rows]
            p.names = [",".join(f"{path}={format_number(v)}" for path, v in row.items()) for row in rows]
        return p


def solve_budget(
    base: ParameterSet,
    bundle: Bundle,
    vary: Sequence[str],
    budget_share: float,
    year: int | None = None,
    benefit: str = "total",
    tolerance: float = TOLERANCE,
    progress: Callable[[str], None] | None = None,
) -> Solution:
    """The value of ``vary`` (one parameter, or several by a common factor) at which the cost of
    ``benefit`` in ``year`` is ``budget_share`` of GDP. ``year`` is the last year costed (``--to``):
    by default ``macro.horizon``, and it may lie beyond it. ``progress`` is called after each engine pass.

    Raises `InputError` for a request that cannot be solved (every problem at once), and when
    no value in the parameter's range meets the budget (saying what range of costs is reachable).
    """
    started = time.perf_counter()
    vary = list(vary)
    problems = check_request(base, vary, year, benefit, budget_share, tolerance)
    if problems:
        raise InputError(problems)
    year = int(horizon_years(base)[-1]) if year is None else int(year)
    axis = _Axis.of(base, vary)
    costs = _Costs(base, bundle, year, benefit, progress)
    seen: dict[float, dict[str, float]] = {}  # x → cost shares by benefit

    def gap(x: float) -> float:
        return seen[x][benefit] - budget_share

    candidates = axis.first_grid()
    for _ in range(MAX_PASSES):
        new = [float(x) for x in np.unique(candidates) if float(x) not in seen]
        if new:
            seen.update(zip(new, costs.shares([axis.row(x) for x in new]), strict=True))
        points = sorted(seen)
        met = [x for x in points if abs(gap(x)) <= tolerance]
        if met:
            best = min(met, key=lambda x: abs(gap(x)))
            values, shares = (axis.row(best), seen[best]) if axis.whole else _shortest(axis, best, costs, budget_share,
                                                                                      tolerance, seen[best])
            low, high = _neighbours(points, best)
            return _solution(axis, costs, started, values, shares, budget_share, tolerance, best,
                             bracket=(low, high), bracket_costs=(seen[low][benefit], seen[high][benefit]))
        crossing = next((i for i in range(len(points) - 1) if (gap(points[i]) > 0) != (gap(points[i + 1]) > 0)), None)
        if crossing is None:
            raise _unreachable(axis, points, seen, budget_share, year, benefit)
        a, b = points[crossing], points[crossing + 1]
        if axis.whole and b - a <= 1:
            return _whole_solution(axis, costs, started, points, seen, budget_share, tolerance, (a, b))
        if not axis.whole and b - a <= 1e-12 * max(1.0, abs(a), abs(b)):
            below = a if gap(a) < 0 else b
            reason = (f"the cost jumps from {_pct(seen[a][benefit])} to {_pct(seen[b][benefit])} of GDP at "
                      f"{axis.describe(a)}: no value costs the budget, and this is the nearest value under it")
            return _solution(axis, costs, started, axis.row(below), seen[below], budget_share, tolerance, below,
                             bracket=(a, b), bracket_costs=(seen[a][benefit], seen[b][benefit]), reason=reason)
        if axis.whole:
            inside = np.arange(a + 1, b)
            candidates = inside if len(inside) <= GRID_POINTS else np.round(np.linspace(a, b, GRID_POINTS))
        else:
            secant = a + (budget_share - seen[a][benefit]) * (b - a) / (seen[b][benefit] - seen[a][benefit])
            candidates = np.append(np.linspace(a, b, GRID_POINTS)[1:-1], secant)
    raise RuntimeError(f"solve did not converge in {MAX_PASSES} passes")


def _neighbours(points: list[float], x: float) -> tuple[float, float]:
    """The evaluated points either side of ``x``, for the record of the last bracket."""
    i = points.index(x)
    return points[max(i - 1, 0)], points[min(i + 1, len(points) - 1)]


def _shortest(axis: _Axis, x: float, costs: _Costs, budget_share: float, tolerance: float,
              shares: dict[str, float]) -> tuple[dict[str, float | int], dict[str, float]]:
    """The value(s) at ``x`` rounded to the fewest significant digits that still meet the tolerance (one pass)."""
    exact = axis.row(x)
    rows: list[dict[str, float | int]] = []
    for digits in range(2, 16):
        row = {path: _clip(_round_significant(v, digits), r)
               for (path, v), r in zip(exact.items(), axis.ranges, strict=True)}
        if row != exact and row not in rows:
            rows.append(row)
    if not rows:
        return exact, shares
    for row, found in zip(rows, costs.shares(rows), strict=True):
        if abs(found[costs.benefit] - budget_share) <= tolerance:
            return row, found
    return exact, shares


def _solution(axis: _Axis, costs: _Costs, started: float, values: dict[str, float | int], shares: dict[str, float],
              budget_share: float, tolerance: float, x: float, bracket: tuple[float, float],
              bracket_costs: tuple[float, float], reason: str | None = None, next_value: int | None = None,
              next_cost: float | None = None) -> Solution:
    cost = shares[costs.benefit]
    return Solution(
        vary=list(axis.paths), values=values, baseline=dict(zip(axis.paths, axis.baseline, strict=True)),
        factor=float(x) if axis.factor else None, cost_share=cost, budget_share=budget_share, year=costs.year,
        benefit=costs.benefit, exact=reason is None, reason=reason, bracket=bracket,
        bracket_costs=bracket_costs, by_benefit=shares, iterations=costs.passes,
        scenarios=costs.scenarios, seconds=time.perf_counter() - started, tolerance=tolerance,
        next_value=next_value, next_cost_share=next_cost,
    )


def _whole_solution(axis: _Axis, costs: _Costs, started: float, points: list[float],
                    seen: dict[float, dict[str, float]], budget_share: float, tolerance: float,
                    bracket: tuple[float, float]) -> Solution:
    """The whole number costing closest to the budget without exceeding it, and its neighbour over it."""
    benefit = costs.benefit
    under = [x for x in points if seen[x][benefit] <= budget_share]
    best = max(under, key=lambda x: (seen[x][benefit], -abs(x - axis.start)))
    over = [x for x in (best - 1, best + 1) if x in seen and seen[x][benefit] > budget_share]
    nxt = min(over, key=lambda x: seen[x][benefit]) if over else (bracket[0] if bracket[1] == best else bracket[1])
    path = axis.paths[0]
    reason = (f"{path} takes whole numbers ({costs.base[path].definition.unit}), so the budget cannot be met exactly: "
              f"{format_number(round(best))} costs "
              f"{_pct(seen[best][benefit])} of GDP (under the budget), {format_number(round(nxt))} costs "
              f"{_pct(seen[nxt][benefit])} (over it)")
    low, high = sorted((best, nxt))
    return _solution(axis, costs, started, axis.row(best), seen[best], budget_share, tolerance, best,
                     bracket=(low, high), reason=reason, next_value=round(nxt),
                     next_cost=seen[nxt][benefit], bracket_costs=(seen[low][benefit], seen[high][benefit]))


def _pct(share: float) -> str:
    return f"{share * 100:.4f}%"


def _unreachable(axis: _Axis, points: list[float], seen: dict[float, dict[str, float]], budget_share: float,
                 year: int, benefit: str) -> InputError:
    """No value in range meets the budget: say what costs can be reached, and which limit stops it."""
    cost = {x: seen[x][benefit] for x in points}
    at_limit = {x: x <= axis.low or x >= min(axis.high, axis.reach) for x in points}  # ties go to a limit
    lowest = min(points, key=lambda x: (cost[x], not at_limit[x]))
    highest = max(points, key=lambda x: (cost[x], at_limit[x]))
    what = "the floor" if benefit == "total" else f"the {benefit} benefit"
    varied = " and ".join(axis.paths) + (" (by a common factor)" if axis.factor else "")
    span = f"from {axis.value_text(points[0])} to {axis.value_text(points[-1])}"
    budget = f"{budget_share * 100:g}%"
    if math.isclose(cost[lowest], cost[highest], rel_tol=1e-12, abs_tol=1e-15):
        return InputError([Problem(
            f"the cost of {what} in {year} does not change with {varied}: it is {_pct(cost[lowest])} of GDP {span}",
            key="--vary",
            hint="check that the parameter is used with the other settings (a fixed amount counts only with basis: "
                 "fixed_amount; old_age.pensionable_age only with old_age.pensionable_age_rule: fixed; nothing "
                 "counts before the benefit's start_year), or vary another parameter")])
    reachable = f"{what} costs {_pct(cost[lowest])} to {_pct(cost[highest])} of GDP in {year} as {varied} goes {span}"
    if budget_share < cost[lowest]:
        return InputError([Problem(
            f"a budget of {budget} of GDP cannot be met: {reachable}", key="--budget", value=budget,
            hint=f"the cost is lowest at {axis.describe(lowest)} ({axis.bound(lowest)}), where {what} costs "
                 f"{_pct(cost[lowest])}: choose a budget of at least that, or vary another parameter too")])
    return InputError([Problem(
        f"a budget of {budget} of GDP cannot be met: {reachable}", key="--budget", value=budget,
        hint=f"the cost is highest at {axis.describe(highest)} ({axis.bound(highest)}), where {what} costs "
             f"{_pct(cost[highest])}: choose a budget of at most that, or vary another parameter too")])
