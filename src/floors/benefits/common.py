"""The levers every cash benefit shares: level × basis, targeting, take-up and phase-in,
months paid, administrative cost, and netting out existing coverage.

    beneficiaries[s, y] = eligible[y] × uncovered_share[s, y] × targeted_share[s, y] × phase_in[s, y]
    unit_benefit[s, y]  = level[s, y] × basis[s, y] × months[s, y]          (per beneficiary per year)
    cost[s, y]          = beneficiaries × unit_benefit × weight × (1 + admin_rate)

(DESIGN.md §1; ILO ESS WP 58, Annex II: "the product of the estimated beneficiary
population and the unit cost of the benefit".) Every array is by scenario, so many scenarios
are costed in one pass. The arithmetic runs on plain numpy arrays by (scenario, year), or by
`PEOPLE` (scenario, sex, age, year), with one row where every scenario has the same values
(computed once, broadcast by numpy); each benefit's results are labelled once, at the end
(`labelled_result`). Labels are checked where arrays come in (`Context.values`, `on_grid`,
`check_grid`), as xarray's exact alignment did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import xarray as xr

from floors import dims, plausibility
from floors.assumptions import ParameterSet
from floors.assumptions.scenario_parameters import ScenarioParameters, read_only
from floors.problems import InputError, Problem
from floors.projections.coverage import ratio_name

BASES = ("national_poverty_line", "gdp_per_capita", "minimum_wage", "international_line", "fixed_amount")


@dataclass
class Context:
    """What the benefit modules read: the projections (as one Dataset) and the parameters."""

    p: ScenarioParameters
    data: xr.Dataset  # projections without a country axis; may carry a scenario axis
    years: np.ndarray
    country: str
    detail: bool = True  # keep beneficiaries by sex and age (off for large sweeps)
    warnings: list[str] = field(default_factory=list)  # a module that leaves itself out says why here
    notes: list[str] = field(default_factory=list)  # how each benefit was costed (e.g. which coverage was netted)
    _read: dict[tuple[str, tuple[str, ...]], np.ndarray] = field(default_factory=dict, init=False, repr=False)

    def values(self, name: str, axes: tuple[str, ...] = (dims.SCENARIO, dims.YEAR)) -> np.ndarray:
        """The projection ``name`` as a plain array by ``axes``, in that order, an axis it lacks of size 1 (so
        that it broadcasts), read once per costing."""
        return self._remembered((name, axes), lambda: plain(self.data.variables[name], axes, name))

    def summed(self, name: str, over: tuple[str, ...]) -> np.ndarray:
        """The projection ``name`` summed over the axes ``over`` (skipping NaN), as a plain array by (scenario or
        one row, year). Summed as the values are stored, as xarray's sum did: adding them in another order could
        change the last digit."""
        return self._remembered((name, ("sum", *over)), lambda: plain(
            self.data.variables[name].reduce(np.nansum, over), (dims.SCENARIO, dims.YEAR), name))

    def _remembered(self, key: tuple[str, tuple[str, ...]], read: Callable[[], np.ndarray]) -> np.ndarray:
        if not self._read:  # the first read: every variable of the Dataset shares its labels
            check_grid(self, self.data, "the projections")
        if key not in self._read:
            self._read[key] = read_only(read())  # a view of the projections, which later costings reuse
        return self._read[key]

    @property
    def cpi_index(self) -> np.ndarray:
        """CPI relative to the first projection year (1.0 in the base year), by (scenario or one row, year)."""
        cpi = self.values("cpi")
        return cpi / cpi[:, :1]


# The layout of plain arrays of people by sex and age: (scenario or one row, sex, age, year).
PEOPLE = (dims.SCENARIO, dims.SEX, dims.AGE, dims.YEAR)


def plain(array: xr.DataArray | xr.Variable, axes: tuple[str, ...], what: str) -> np.ndarray:
    """The values of ``array`` with its axes in the order of ``axes``, an axis it lacks of size 1 (no labels
    checked: see `Context.values` and `on_grid`)."""
    extra = [str(d) for d in array.dims if d not in axes]
    if extra:
        raise ValueError(f"{what}: by {extra} where at most {list(axes)} were expected")
    values = np.transpose(array.values, [array.dims.index(d) for d in axes if d in array.dims])
    return values.reshape([array.sizes.get(d, 1) for d in axes])


@dataclass(frozen=True)
class Benefit:
    """One benefit of the floor, registered once (floors.benefits.BENEFITS): everything the engine and
    the reports need to know about it lives here or in its parameters' definitions."""

    id: str  # its section of parameters (assumptions/default/<id>.yaml) and its name in the results
    label: str
    cost: Callable[[Context], xr.Dataset | None]  # None: left out for want of data (it says why in ctx.warnings)
    describe: Callable[[ParameterSet], str]  # who is paid and how much, in plain words, from the parameters
    coverage_series: str | None  # the ILO's SDG 1.3.1 coverage ratio netted out (None: not a cash benefit)
    national_counts: tuple[str, ...]  # coverage.* counts netted out before the ILO ratio, where a country sets them


def basis_per_month(ctx: Context, section: str) -> np.ndarray:
    """The monthly amount per person that ``<section>.level`` multiplies, by (scenario or one row, year)."""
    p, years = ctx.p, ctx.years
    column = p.values[f"{section}.basis"]
    needed = {str(column[0])} if p.same_everywhere(f"{section}.basis") else set(map(str, column))
    # Only the bases some scenario uses are computed (each on plain arrays).
    candidates: dict[str, Callable[[], np.ndarray]] = {
        "gdp_per_capita": lambda: (on_grid(ctx, ctx.values("gdp"))
                                   / on_grid(ctx, ctx.summed("population", (dims.SEX, dims.AGE))) / 12),
        "fixed_amount": lambda: p.shared_number(f"{section}.fixed_amount", years) * on_grid(ctx, ctx.cpi_index),
    }
    problems = []
    if "national_poverty_line" in needed:
        if "poverty_line_national" not in ctx.data:
            problems.append(Problem(f"{ctx.country} has no national poverty line in the bundle",
                                    key=f"{section}.basis", value="national_poverty_line",
                                    hint="choose another basis, e.g. gdp_per_capita or fixed_amount"))
        else:
            candidates["national_poverty_line"] = lambda: on_grid(ctx, ctx.values("poverty_line_national"))
    if "minimum_wage" in needed:
        if any(v is None for v in p.values["macro.minimum_wage_monthly"]):
            problems.append(Problem(f"no minimum wage is set for {ctx.country}", key=f"{section}.basis",
                                    value="minimum_wage",
                                    hint=f"set macro.minimum_wage_monthly in {ctx.country}/macro.yaml of your "
                                         f"assumptions folder (floors init {ctx.country}) with its source, or "
                                         f"choose another basis"))
        else:
            candidates["minimum_wage"] = lambda: (p.shared_number("macro.minimum_wage_monthly", years)
                                                  * on_grid(ctx, ctx.cpi_index))
    if "international_line" in needed:
        if any(v is None for v in p.values["poverty.ppp_factor"]):
            problems.append(Problem(f"no PPP conversion factor is set for {ctx.country}", key=f"{section}.basis",
                                    value="international_line",
                                    hint=f"set poverty.ppp_factor in {ctx.country}/poverty.yaml of your assumptions "
                                         f"folder with its source (World Bank ICP 2017), or choose another basis"))
        else:
            # 2017 PPP dollars a day → local currency a month at 2017 prices → CPI to each year.
            def international() -> np.ndarray:
                per_day = (p.shared_number("poverty.international_line_extreme", years)
                           * p.shared_number("poverty.ppp_factor", years))
                return per_day * 365 / 12 * on_grid(ctx, ctx.values("cpi")) / on_grid(ctx, ctx.values("cpi_2017"))
            candidates["international_line"] = international
    if problems:
        raise InputError(problems)
    if len(needed) == 1:  # one basis for every scenario (the usual case): that array alone
        return candidates[needed.pop()]()
    picked = np.full((len(p), len(years)), np.nan)
    for basis in sorted(needed):
        picked = np.where(p.shared_is(f"{section}.basis", basis)[:, np.newaxis], candidates[basis](), picked)
    return picked


def phase_in(ctx: Context, section: str) -> np.ndarray:
    """Share of the target reached each year: take-up × a linear path from start_year to full_year,
    by (scenario or one row, year)."""
    p, years = ctx.p, ctx.years
    start, full = p.shared_scalar(f"{section}.start_year"), p.shared_scalar(f"{section}.full_year")
    bad = [p.names[i] for i in np.flatnonzero(full < start)]
    if bad:
        raise InputError([Problem(f"{section}.full_year is before {section}.start_year", key=f"{section}.full_year",
                                  hint=f"choose a full_year from start_year on (scenario {bad[0]})")])
    first, last = start[:, np.newaxis], full[:, np.newaxis]
    path = ((years[np.newaxis, :] - first + 1) / (last - first + 1)).clip(0, 1)
    return p.shared_number(f"{section}.take_up", years) * path


def targeted_share(ctx: Context, section: str, poverty_ratio: np.ndarray | float = 1.0) -> np.ndarray:
    """1 for universal benefits; the poverty headcount (× a group's ratio) for poverty-targeted ones,
    by (scenario or one row, year)."""
    targeted = ctx.p.shared_is(f"{section}.targeting", "poverty_targeted")
    if bool(targeted.any()) and "poverty_headcount" not in ctx.data:
        raise InputError([Problem(f"{ctx.country} has no poverty headcount rate in the bundle",
                                  key=f"{section}.targeting", value="poverty_targeted",
                                  hint="choose targeting: universal")])
    headcount = ctx.values("poverty_headcount") if "poverty_headcount" in ctx.data else np.zeros((1, len(ctx.years)))
    share = on_grid(ctx, headcount) * on_grid(ctx, poverty_ratio)
    chosen = targeted[:, np.newaxis]
    beyond = (chosen & (share > 1)).any(axis=1)
    if bool(beyond.any()):
        raise InputError(beyond_the_whole_group(ctx.country, section, float(headcount.max()),
                                                float(np.max(poverty_ratio)), ctx.p.names[int(beyond.argmax())]))
    return np.where(chosen, share, 1.0)


def beyond_the_whole_group(country: str, section: str, headcount: float, ratio: float,
                           scenario: str | None = None) -> list[Problem]:
    """A problem when ``ratio`` × the poverty ``headcount`` puts more than all of a group below the line: capping
    it at 100 % would quietly cost the targeted benefit as a universal one. (`floors validate` asks too.)"""
    if headcount * ratio <= 1:
        return []
    return [Problem(f"{section}.poverty_ratio × the poverty headcount ({headcount:.1%}) puts more than 100 % of the "
                    f"group below the line" + (f" (scenario {scenario})" if scenario else ""),
                    key=f"{section}.poverty_ratio", value=ratio,
                    hint=f"a ratio of at most {1 / headcount:.2f} fits {country}'s headcount; or choose "
                         f"{section}.targeting: universal")]


class AgeBands:
    """Sums of people over bands of ages, for bounds that may differ by scenario (the child benefit's age
    weights take several bands of the same people): the cumulative sum over ages is taken once, so each band
    is two lookups and ten thousand scenarios with different age limits never build a scenario × age array."""

    def __init__(self, people: np.ndarray) -> None:
        """``people``: a plain array laid out as `PEOPLE` (scenario or one row, sex, age, year), ages 0, 1, 2, …
        (single years, as the projections hold them)."""
        if people.ndim != len(PEOPLE):
            raise ValueError(f"AgeBands: people by {people.ndim} axes where {list(PEOPLE)} were expected")
        # nansum and nancumsum, as xarray's sum and cumsum (which skip NaN) gave before.
        self.table = np.nancumsum(np.nansum(people, axis=1), axis=1)  # (scenario or one row, age, year)
        self.top = people.shape[2] - 1

    def between(self, low: np.ndarray | int, high: np.ndarray | int) -> np.ndarray:
        """The sum over ages from ``low`` to ``high`` (inclusive; bounds by scenario, or one for all), by
        (scenario or one row, year)."""
        table, top = self.table, self.top
        lo, hi = np.clip(np.atleast_1d(low), 0, top + 1), np.clip(np.atleast_1d(high), -1, top)
        rows = scenario_rows(table.shape[0], len(lo), len(hi), what="AgeBands: bounds")
        lo, hi = np.broadcast_to(lo, len(rows)), np.broadcast_to(hi, len(rows))
        upper = np.where((hi >= 0)[:, np.newaxis], table[rows, hi.clip(0, top)], 0.0)
        lower = np.where((lo >= 1)[:, np.newaxis], table[rows, (lo - 1).clip(0, top)], 0.0)
        return np.where((hi >= lo)[:, np.newaxis], upper - lower, 0.0)


def scenario_rows(people_rows: int, *other_rows: int, what: str) -> np.ndarray:
    """For arrays by scenario of which each has every scenario or one row (the same for all): the row of the
    people's array to read for each scenario. A ValueError, naming ``what``, for any other count."""
    count = max(people_rows, *other_rows)
    if any(n not in (1, count) for n in (people_rows, *other_rows)):
        raise ValueError(f"{what} for other scenarios than the people's")
    return np.arange(count) if people_rows == count else np.zeros(count, dtype=int)


def ages_of(ctx: Context) -> np.ndarray:
    """The projections' single-year ages laid out as `PEOPLE` (1, 1, age, 1), to compare with bounds by scenario."""
    return ctx.data.indexes[dims.AGE].values[np.newaxis, np.newaxis, :, np.newaxis]


def by_scenario(values: np.ndarray) -> np.ndarray:
    """A parameter by scenario (and sex, where it has a second axis) laid out as `PEOPLE`, to broadcast over ages
    and years."""
    return values.reshape(values.shape[0], values.shape[1] if values.ndim > 1 else 1, 1, 1)


def age_mask(ages, low, high):
    """1.0 for the ages from ``low`` to ``high`` (inclusive), 0.0 for the others (plain or labelled arrays)."""
    return ((ages >= low) & (ages <= high)).astype(float)


def share_from_age(ages, threshold):
    """Share of each single-year age group at or above ``threshold`` (a fractional age counts
    the part of its year above it, birthdays spread evenly over the year; plain or labelled arrays)."""
    return (ages + 1 - threshold).clip(0, 1)


def from_age(people: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """People at or above ``threshold`` years of age, by (scenario or one row, year).

    ``people`` is laid out as `PEOPLE` (ages 0, 1, 2, …), ``threshold`` by (scenario or one row, sex or one):
    it may differ by scenario and by sex and be fractional (Viet Nam's statutory 61.5): the single-year group
    containing it counts for the share of its year above it (`share_from_age`). Cumulative sums make it two
    lookups per sex, as in `AgeBands`.
    """
    if people.ndim != len(PEOPLE) or threshold.ndim != 2 or threshold.shape[1] not in (1, people.shape[1]):
        raise ValueError(f"from_age: people by {people.ndim} axes and a threshold by {threshold.shape} where people "
                         f"as {list(PEOPLE)} and a threshold by (scenario, sex) were expected")
    top = people.shape[2] - 1
    rows = scenario_rows(people.shape[0], threshold.shape[0], what="from_age: a threshold")[:, np.newaxis]
    count_s = len(rows)
    # People at or above each age: a cumulative sum from the oldest (nancumsum, as xarray's cumsum gave before).
    people_above = np.nancumsum(people[:, :, ::-1], axis=2)[:, :, ::-1]
    t = np.broadcast_to(threshold.clip(0, top + 1), (count_s, people.shape[1]))
    whole = np.floor(t)
    index = whole.clip(0, top).astype(int)
    sexes = np.arange(people.shape[1])[np.newaxis, :]
    at, group = people_above[rows, sexes, index], people[rows, sexes, index]  # (scenario, sex, year)
    count = np.where((whole > top)[..., np.newaxis], 0.0, at - (t - whole)[..., np.newaxis] * group)
    return np.nansum(count, axis=1)  # over sex, as xarray's sum (which skips NaN)


def existing_coverage(ctx: Context, benefit: Benefit, eligible: np.ndarray) -> np.ndarray:
    """People among ``eligible`` that existing schemes already reach, to be netted out of the benefit, by
    (scenario or one row, year).

    National counts of the country file (coverage.yaml) where set and ``coverage.national_counts_first``;
    otherwise the ILO's coverage ratio of the benefit (SDG 1.3.1) × the eligible; nothing where
    ``coverage.net_existing`` is false. What was used is written to ``ctx.notes``.
    """
    p, data = ctx.p, ctx.data
    net = p.shared_scalar("coverage.net_existing").astype(bool)
    counts = [name for name in benefit.national_counts if bool((ctx.values(name) > 0).any())]
    national = sum((on_grid(ctx, ctx.values(name)) for name in counts), np.zeros((1, len(ctx.years)))) \
        if counts else None
    series = benefit.coverage_series
    ratio_variable = ratio_name(series) if series else ""
    ratio = data.variables.get(ratio_variable)
    label = benefit.id.replace("_", " ")
    nobody = np.zeros((1, len(ctx.years)))
    if not bool(net.any()):
        ctx.notes.append(f"{ctx.country}: {label} benefit costed gross: coverage.net_existing is false")
        return nobody
    if ratio is None and national is None:
        if bool(p.shared_is("coverage.if_no_ilo_ratio", "error").any()):
            raise InputError([Problem(
                f"{ctx.country} has no ILO coverage ratio ({series}) and no national count for the {label} benefit",
                key="coverage.if_no_ilo_ratio", value="error",
                hint=f"set the counts in {ctx.country}/coverage.yaml of your assumptions folder (floors init "
                     f"{ctx.country}), or coverage.if_no_ilo_ratio=gross")])
        ctx.warnings.append(f"{ctx.country}: the ILO publishes no coverage ratio ({series}) for the {label} benefit "
                            f"and no national count is set: it is costed gross (coverage.if_no_ilo_ratio = gross)")
        return nobody
    by_ratio = on_grid(ctx, eligible) * on_grid(ctx, ctx.values(ratio_variable)) if ratio is not None else None
    described = {
        "ratio": (f"the ILO coverage ratio {series} ({float(ratio.values.flat[0]):.1%} in "
                  f"{ratio.attrs.get('observed')}), held, × the eligible" if ratio is not None else ""),
        "national": f"national counts ({' + '.join(f'coverage.{n}' for n in counts)})",
    }
    if national is None:
        covered, used = cast(np.ndarray, by_ratio), described["ratio"]  # a ratio, since not both are None
    elif by_ratio is None:
        covered, used = national, described["national"]
    else:
        first = p.shared_scalar("coverage.national_counts_first").astype(bool)
        covered = np.where(first[:, np.newaxis], national, by_ratio)
        used = (described["national"] if bool(first.all()) else described["ratio"] if not bool(first.any())
                else f"{described['national']} or {described['ratio']} (coverage.national_counts_first by scenario)")
    ctx.notes.append(f"{ctx.country}: {label} benefit net of existing coverage: {used}")
    return np.where(net[:, np.newaxis], covered, 0.0)


def cash_result(
    ctx: Context,
    section: str,
    eligible: np.ndarray,
    covered: np.ndarray | None,
    paid_share: np.ndarray,
    *,
    weighted_beneficiaries: np.ndarray | None = None,
    eligible_by_sex_age: np.ndarray | None = None,
    description: str,
) -> xr.Dataset:
    """Beneficiaries, unit benefit, cost and existing coverage of a cash benefit.

    ``eligible`` is the number of people the benefit is for, by (scenario,) year;
    ``covered`` those of them already covered by an existing scheme, netted out;
    ``paid_share`` the targeting × take-up × phase-in share of the rest who are paid.
    ``weighted_beneficiaries`` replaces beneficiaries in the cost where the level differs
    by age (children's age weights). ``eligible_by_sex_age``, laid out as `PEOPLE`, gives the
    beneficiaries by sex and age (kept where ``ctx.detail``).
    """
    p, years = ctx.p, ctx.years
    # Plain arrays by (scenario, year) throughout, one row where every scenario has the same values (computed
    # once, broadcast by numpy): the same arithmetic, element by element, as on labelled arrays, without xarray
    # aligning the labels on every step; labelled once at the end.
    people = on_grid(ctx, eligible)
    reached = np.zeros_like(people) if covered is None else on_grid(ctx, covered)
    grid = (len(p), len(years))  # every scenario named where it has something to say
    ctx.warnings += plausibility.over_covered(ctx.country, section, np.broadcast_to(reached, grid),
                                              np.broadcast_to(people, grid), p.names, years)
    netted = np.minimum(reached, people)
    uncovered_share = np.where(people > 0, 1 - netted / np.where(people > 0, people, 1), 0.0)
    share = uncovered_share * on_grid(ctx, paid_share)
    beneficiaries = people * share
    monthly = p.shared_number(f"{section}.level", years) * basis_per_month(ctx, section)
    unit_benefit = monthly * p.shared_number(f"{section}.months", years)
    paid_to = beneficiaries if weighted_beneficiaries is None else \
        on_grid(ctx, weighted_beneficiaries) * uncovered_share
    cost = paid_to * unit_benefit * (1 + p.shared_number(f"{section}.admin_rate", years))
    out = {
        "eligible": people.copy(),  # its own array, not a broadcast view of the module's
        "existing_coverage": netted,
        "beneficiaries": beneficiaries,
        "unit_benefit": unit_benefit * np.where(beneficiaries > 0,
                                                paid_to / np.where(beneficiaries > 0, beneficiaries, 1), 1.0),
        "cost": cost,
    }
    by_sex_age = None
    if ctx.detail and eligible_by_sex_age is not None:
        by_sex_age = eligible_by_sex_age * share[:, np.newaxis, np.newaxis, :]
    return labelled_result(ctx, out, description, by_sex_age)


def labelled_result(ctx: Context, out: dict[str, np.ndarray], description: str,
                    by_sex_age: np.ndarray | None = None) -> xr.Dataset:
    """A benefit's variables, plain (scenario or one row, year) arrays, as one labelled Dataset (one row shown
    for every scenario); ``by_sex_age``, laid out as `PEOPLE`, becomes ``beneficiaries_by_sex_age``."""
    grid = (len(ctx.p), len(ctx.years))  # values the same in every scenario (one row) shown for each
    variables: dict[str, tuple[tuple[str, ...], np.ndarray]] = {
        name: ((dims.SCENARIO, dims.YEAR), np.broadcast_to(values, grid)) for name, values in out.items()}
    coordinates = {dims.SCENARIO: ctx.p.scenario_index, dims.YEAR: ctx.years}
    if by_sex_age is not None:
        every = (len(ctx.p), *by_sex_age.shape[1:])
        variables["beneficiaries_by_sex_age"] = (PEOPLE, np.broadcast_to(by_sex_age, every))
        coordinates |= {axis: ctx.data.variables[axis] for axis in (dims.SEX, dims.AGE)}
    result = xr.Dataset(variables, coords=xr.Coordinates(coordinates))
    result.attrs["description"] = description
    return result


def check_grid(ctx: Context, labelled: xr.Dataset | xr.DataArray, what: str) -> None:
    """``labelled``'s years and scenarios, where it has them, must be the costing's, and its sexes and ages the
    projections' (as arithmetic_join="exact" asked of the labelled arithmetic): a ValueError naming ``what``
    otherwise."""
    if dims.YEAR in labelled.indexes and not np.array_equal(labelled.indexes[dims.YEAR].values, ctx.years):
        raise ValueError(f"{what}: its years are not the costing's")
    if dims.SCENARIO in labelled.indexes and not labelled.indexes[dims.SCENARIO].equals(ctx.p.scenario_index):
        raise ValueError(f"{what}: its scenarios are not the costing's")
    for axis in (dims.SEX, dims.AGE):
        if axis in labelled.indexes and labelled is not ctx.data \
                and not labelled.indexes[axis].equals(ctx.data.indexes[axis]):
            raise ValueError(f"{what}: its {axis} labels are not the projections'")


def grid_values(ctx: Context, result: xr.Dataset, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """A benefit's results ``names`` (by scenario and/or year) as plain (scenario, year) arrays, its labels
    checked once (`check_grid`)."""
    check_grid(ctx, result, "a benefit's results")
    shape = (len(ctx.p), len(ctx.years))
    return {name: np.broadcast_to(plain(result.variables[name], (dims.SCENARIO, dims.YEAR), name), shape)
            for name in names}


def on_grid(ctx: Context, array: xr.DataArray | np.ndarray | float) -> np.ndarray:
    """The values of ``array`` (by scenario and/or year, or neither) as a plain (scenario or one row, year)
    array: one row where it has no scenario axis (numpy broadcasts it over the scenarios, so what is the same
    for every scenario is computed once), the years broadcast where it has none; its labels must be the
    context's (`check_grid`). A plain array or a number is taken as such values already."""
    if isinstance(array, xr.DataArray):
        what = str(array.name or "an array")
        check_grid(ctx, array, what)
        values = plain(array, (dims.SCENARIO, dims.YEAR), what)
    else:
        values = np.asarray(array, dtype=float)
        values = values.reshape((1,) * (2 - values.ndim) + values.shape)
    return np.broadcast_to(values, (values.shape[0], len(ctx.years)))
