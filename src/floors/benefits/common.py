"""The levers every cash benefit shares: level × basis, targeting, take-up and phase-in,
months paid, administrative cost, and netting out existing coverage.

    beneficiaries[s, y] = eligible[y] × uncovered_share[s, y] × targeted_share[s, y] × phase_in[s, y]
    unit_benefit[s, y]  = level[s, y] × basis[s, y] × months[s, y]          (per beneficiary per year)
    cost[s, y]          = beneficiaries × unit_benefit × weight × (1 + admin_rate)

(DESIGN.md §1; ILO ESS WP 58, Annex II: "the product of the estimated beneficiary
population and the unit cost of the benefit".) Every array carries a ``scenario`` axis,
so many scenarios are costed in one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import xarray as xr

from floors import dims, plausibility
from floors.assumptions import ParameterSet
from floors.assumptions.scenario_parameters import ScenarioParameters
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

    @property
    def cpi_index(self) -> xr.DataArray:
        """CPI relative to the first projection year (1.0 in the base year)."""
        cpi = self.data["cpi"]
        return cpi / cpi.isel({dims.YEAR: 0})


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
    """The monthly amount per person that ``<section>.level`` multiplies, by scenario and year (a plain array)."""
    p, years = ctx.p, ctx.years
    choice = p.scalar(f"{section}.basis")
    needed = {str(v) for v in p.values[f"{section}.basis"]}
    # Only the bases some scenario uses are computed (each on plain (scenario, year) arrays).
    candidates: dict[str, Callable[[], np.ndarray]] = {
        "gdp_per_capita": lambda: (on_grid(ctx, ctx.data["gdp"])
                                   / on_grid(ctx, ctx.data["population"].sum([dims.SEX, dims.AGE])) / 12),
        "fixed_amount": lambda: p.number_values(f"{section}.fixed_amount", years) * on_grid(ctx, ctx.cpi_index),
    }
    problems = []
    if "national_poverty_line" in needed:
        if "poverty_line_national" not in ctx.data:
            problems.append(Problem(f"{ctx.country} has no national poverty line in the bundle",
                                    key=f"{section}.basis", value="national_poverty_line",
                                    hint="choose another basis, e.g. gdp_per_capita or fixed_amount"))
        else:
            candidates["national_poverty_line"] = lambda: on_grid(ctx, ctx.data["poverty_line_national"])
    if "minimum_wage" in needed:
        if any(v is None for v in p.values["macro.minimum_wage_monthly"]):
            problems.append(Problem(f"no minimum wage is set for {ctx.country}", key=f"{section}.basis",
                                    value="minimum_wage",
                                    hint=f"set macro.minimum_wage_monthly in {ctx.country}/macro.yaml of your "
                                         f"assumptions folder (floors init {ctx.country}) with its source, or "
                                         f"choose another basis"))
        else:
            candidates["minimum_wage"] = lambda: (p.number_values("macro.minimum_wage_monthly", years)
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
                per_day = (p.number_values("poverty.international_line_extreme", years)
                           * p.number_values("poverty.ppp_factor", years))
                return per_day * 365 / 12 * on_grid(ctx, ctx.data["cpi"]) / on_grid(ctx, ctx.data["cpi_2017"])
            candidates["international_line"] = international
    if problems:
        raise InputError(problems)
    if len(needed) == 1:  # one basis for every scenario (the usual case): that array alone
        return candidates[needed.pop()]()
    picked = np.full((len(p), len(years)), np.nan)
    for basis in sorted(needed):
        picked = np.where((choice.values == basis)[:, np.newaxis], candidates[basis](), picked)
    return picked


def phase_in(ctx: Context, section: str) -> xr.DataArray:
    """Share of the target reached each year: take-up × a linear path from start_year to full_year."""
    p, years = ctx.p, ctx.years
    start, full = p.scalar(f"{section}.start_year"), p.scalar(f"{section}.full_year")
    bad = [p.names[i] for i in np.flatnonzero(full.values < start.values)]
    if bad:
        raise InputError([Problem(f"{section}.full_year is before {section}.start_year", key=f"{section}.full_year",
                                  hint=f"choose a full_year from start_year on (scenario {bad[0]})")])
    first, last = start.values[:, np.newaxis], full.values[:, np.newaxis]
    path = ((years[np.newaxis, :] - first + 1) / (last - first + 1)).clip(0, 1)
    return p.labelled(p.number_values(f"{section}.take_up", years) * path, years)


def targeted_share(ctx: Context, section: str, poverty_ratio: xr.DataArray | float = 1.0) -> xr.DataArray:
    """1 for universal benefits; the poverty headcount (× a group's ratio) for poverty-targeted ones."""
    targeted = ctx.p.is_(f"{section}.targeting", "poverty_targeted")
    if bool(targeted.any()) and "poverty_headcount" not in ctx.data:
        raise InputError([Problem(f"{ctx.country} has no poverty headcount rate in the bundle",
                                  key=f"{section}.targeting", value="poverty_targeted",
                                  hint="choose targeting: universal")])
    headcount = ctx.data.get("poverty_headcount", xr.zeros_like(ctx.data["gdp"]))
    # Plain (scenario, year) arrays (see cash_result), labelled once at the end.
    share = on_grid(ctx, headcount) * on_grid(ctx, poverty_ratio)
    chosen = targeted.values[:, np.newaxis]
    beyond = (chosen & (share > 1)).any(axis=1)
    if bool(beyond.any()):
        raise InputError(beyond_the_whole_group(ctx.country, section, float(headcount.max()),
                                                float(xr.DataArray(poverty_ratio).max()),
                                                ctx.p.names[int(beyond.argmax())]))
    return ctx.p.labelled(np.where(chosen, share, 1.0), ctx.years)


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


def in_band(values: xr.DataArray, low: xr.DataArray | int, high: xr.DataArray | int) -> xr.DataArray:
    """Sum of ``values`` over ages from ``low`` to ``high`` (inclusive), for bounds that may vary by scenario.

    Cumulative sums make each band two lookups, so ten thousand scenarios with different
    age limits never build a scenario × age array.
    """
    return AgeBands(values).between(low, high)


class AgeBands:
    """`in_band` for several bands of the same ``values`` (the child benefit's age weights): the
    cumulative sum over ages is taken once."""

    def __init__(self, values: xr.DataArray) -> None:
        summed = values.sum(dims.SEX) if dims.SEX in values.dims else values
        self.cumulative = summed.cumsum(dims.AGE)
        self.top = int(summed[dims.AGE].max())
        cumulative = self.cumulative
        extra = set(cumulative.dims) - {dims.SCENARIO, dims.AGE, dims.YEAR}
        if extra:
            raise ValueError(f"in_band: by {sorted(map(str, extra))} where (scenario,) age and year were expected")
        # Plain arrays from here: the cumulative sums as (scenario or one row, age, year).
        table = cumulative.transpose(*[d for d in (dims.SCENARIO, dims.AGE, dims.YEAR) if d in cumulative.dims]).values
        self.table = table if dims.SCENARIO in cumulative.dims else table[np.newaxis]

    def between(self, low: xr.DataArray | int, high: xr.DataArray | int) -> xr.DataArray:
        """The sum over ages from ``low`` to ``high`` (inclusive), by (scenario,) year."""
        cumulative, table, top = self.cumulative, self.table, self.top
        low_, high_ = xr.DataArray(low).clip(0, top + 1), xr.DataArray(high).clip(-1, top)
        by_scenario = [a for a in (cumulative, low_, high_) if dims.SCENARIO in a.dims]
        extra = {d for a in (low_, high_) for d in a.dims} - {dims.SCENARIO}
        scenarios = by_scenario[0].indexes[dims.SCENARIO] if by_scenario else None
        if extra or any(not a.indexes[dims.SCENARIO].equals(scenarios) for a in by_scenario):
            raise ValueError(f"in_band: bounds by {sorted(map(str, extra))} or with other scenarios than the values'")
        count = 1 if scenarios is None else len(scenarios)
        rows = np.arange(count) if table.shape[0] == count else np.zeros(count, dtype=int)
        lo, hi = np.broadcast_to(low_.values, count), np.broadcast_to(high_.values, count)
        upper = np.where((hi >= 0)[:, np.newaxis], table[rows, hi.clip(0, top)], 0.0)
        lower = np.where((lo >= 1)[:, np.newaxis], table[rows, (lo - 1).clip(0, top)], 0.0)
        band = np.where((hi >= lo)[:, np.newaxis], upper - lower, 0.0)
        years = cumulative.indexes[dims.YEAR]
        if scenarios is None:
            return xr.DataArray(band[0], coords={dims.YEAR: years}, dims=[dims.YEAR])
        return xr.DataArray(band, coords={dims.SCENARIO: scenarios, dims.YEAR: years}, dims=[dims.SCENARIO, dims.YEAR])


def age_mask(ages: xr.DataArray, low, high) -> xr.DataArray:
    return ((ages >= low) & (ages <= high)).astype(float)


def share_from_age(ages: xr.DataArray, threshold) -> xr.DataArray:
    """Share of each single-year age group at or above ``threshold`` (a fractional age counts
    the part of its year above it, birthdays spread evenly over the year)."""
    return (ages + 1 - threshold).clip(0, 1)


def from_age(population: xr.DataArray, threshold: xr.DataArray) -> xr.DataArray:
    """People at or above ``threshold`` years of age, by (scenario,) year.

    ``threshold`` may differ by scenario and by sex and be fractional (Viet Nam's statutory
    61.5): the single-year group containing it counts for the share of its year above it.
    Cumulative sums make it two lookups per sex, as in `in_band`.
    """
    ages = population[dims.AGE]
    top = int(ages.max())
    tail = population.isel({dims.AGE: slice(None, None, -1)}).cumsum(dims.AGE).isel({dims.AGE: slice(None, None, -1)})
    t = xr.DataArray(threshold).clip(0, top + 1)
    # The lookups on plain arrays: people as (scenario or one row, sex or one, age, year), thresholds as
    # (scenario, sex or one); each array's scenarios and sexes must be the same labels (exact alignment).
    axes = (dims.SCENARIO, dims.SEX, dims.AGE, dims.YEAR)
    extra = {d for a in (population, t) for d in a.dims} - set(axes)
    if extra or dims.SEX not in population.dims or set(t.dims) - {dims.SCENARIO, dims.SEX}:
        raise ValueError(f"from_age: people by {list(population.dims)} and a threshold by {list(t.dims)}, where "
                         f"people by (scenario,) sex, age and year and a threshold by (scenario,) sex were expected")
    for axis in (dims.SCENARIO, dims.SEX):
        labelled = [a.indexes[axis] for a in (population, t) if axis in a.dims]
        if len(labelled) == 2 and not labelled[0].equals(labelled[1]):
            raise ValueError(f"from_age: the threshold's {axis} labels are not the people's")

    def plain(array: xr.DataArray, order: tuple[str, ...]) -> np.ndarray:
        values = array.transpose(*[d for d in order if d in array.dims]).values
        return values.reshape([array.sizes.get(d, 1) for d in order])

    people, people_above = plain(population, axes), plain(tail, axes)
    threshold_ = plain(t, (dims.SCENARIO, dims.SEX))
    scenarios = next((a.indexes[dims.SCENARIO] for a in (t, population) if dims.SCENARIO in a.dims), None)
    count_s = 1 if scenarios is None else len(scenarios)
    threshold_ = np.broadcast_to(threshold_, (count_s, people.shape[1]))
    whole = np.floor(threshold_)
    index = whole.clip(0, top).astype(int)
    rows = (np.arange(count_s) if people.shape[0] == count_s else np.zeros(count_s, dtype=int))[:, np.newaxis]
    sexes = np.arange(people.shape[1])[np.newaxis, :]
    at, group = people_above[rows, sexes, index], people[rows, sexes, index]  # (scenario, sex, year)
    count = np.where((whole > top)[..., np.newaxis], 0.0, at - (threshold_ - whole)[..., np.newaxis] * group)
    count = np.nansum(count, axis=1)  # over sex, as xarray's sum (which skips NaN)
    years = population.indexes[dims.YEAR]
    if scenarios is None:
        return xr.DataArray(count[0], coords={dims.YEAR: years}, dims=[dims.YEAR])
    return xr.DataArray(count, coords={dims.SCENARIO: scenarios, dims.YEAR: years}, dims=[dims.SCENARIO, dims.YEAR])


def existing_coverage(ctx: Context, benefit: Benefit, eligible: xr.DataArray) -> xr.DataArray:
    """People among ``eligible`` that existing schemes already reach, to be netted out of the benefit.

    National counts of the country file (coverage.yaml) where set and ``coverage.national_counts_first``;
    otherwise the ILO's coverage ratio of the benefit (SDG 1.3.1) × the eligible; nothing where
    ``coverage.net_existing`` is false. What was used is written to ``ctx.notes``.
    """
    p, data = ctx.p, ctx.data
    net = p.scalar("coverage.net_existing").astype(bool)
    counts = [name for name in benefit.national_counts if bool((data[name].values > 0).any())]
    # Plain (scenario, year) arrays below (see cash_result), labelled once at the end.
    national = sum((on_grid(ctx, data[name]) for name in counts), np.zeros((len(p), len(ctx.years)))) \
        if counts else None
    series = benefit.coverage_series
    ratio = data.get(ratio_name(series)) if series else None
    label = benefit.id.replace("_", " ")
    if not bool(net.any()):
        ctx.notes.append(f"{ctx.country}: {label} benefit costed gross: coverage.net_existing is false")
        return xr.zeros_like(eligible)
    if ratio is None and national is None:
        if bool(p.is_("coverage.if_no_ilo_ratio", "error").any()):
            raise InputError([Problem(
                f"{ctx.country} has no ILO coverage ratio ({series}) and no national count for the {label} benefit",
                key="coverage.if_no_ilo_ratio", value="error",
                hint=f"set the counts in {ctx.country}/coverage.yaml of your assumptions folder (floors init "
                     f"{ctx.country}), or coverage.if_no_ilo_ratio=gross")])
        ctx.warnings.append(f"{ctx.country}: the ILO publishes no coverage ratio ({series}) for the {label} benefit "
                            f"and no national count is set: it is costed gross (coverage.if_no_ilo_ratio = gross)")
        return xr.zeros_like(eligible)
    by_ratio = on_grid(ctx, eligible) * on_grid(ctx, ratio) if ratio is not None else None
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
        first = p.scalar("coverage.national_counts_first").astype(bool).values
        covered = np.where(first[:, np.newaxis], national, by_ratio)
        used = (described["national"] if bool(first.all()) else described["ratio"] if not bool(first.any())
                else f"{described['national']} or {described['ratio']} (coverage.national_counts_first by scenario)")
    ctx.notes.append(f"{ctx.country}: {label} benefit net of existing coverage: {used}")
    return p.labelled(np.where(net.values[:, np.newaxis], covered, 0.0), ctx.years)


def cash_result(
    ctx: Context,
    section: str,
    eligible: xr.DataArray,
    covered: xr.DataArray | None,
    paid_share: xr.DataArray,
    *,
    weighted_beneficiaries: xr.DataArray | np.ndarray | None = None,
    eligible_by_sex_age: xr.DataArray | None = None,
    description: str,
) -> xr.Dataset:
    """Beneficiaries, unit benefit, cost and existing coverage of a cash benefit.

    ``eligible`` is the number of people the benefit is for, by (scenario,) year;
    ``covered`` those of them already covered by an existing scheme, netted out;
    ``paid_share`` the targeting × take-up × phase-in share of the rest who are paid.
    ``weighted_beneficiaries`` replaces beneficiaries in the cost where the level differs
    by age (children's age weights).
    """
    p, years = ctx.p, ctx.years
    # Plain arrays by (scenario, year) from here: the same arithmetic, element by element, as on the labelled
    # arrays, without xarray aligning the labels on every step; labelled once at the end.
    people = on_grid(ctx, eligible)
    reached = np.zeros_like(people) if covered is None else on_grid(ctx, covered)
    if bool((reached > 0).any()):
        ctx.warnings += plausibility.over_covered(ctx.country, section, p.labelled(reached, years),
                                                  p.labelled(people, years))
    netted = np.minimum(reached, people)
    uncovered_share = np.where(people > 0, 1 - netted / np.where(people > 0, people, 1), 0.0)
    share = uncovered_share * on_grid(ctx, paid_share)
    beneficiaries = people * share
    monthly = p.number_values(f"{section}.level", years) * basis_per_month(ctx, section)
    unit_benefit = monthly * p.number_values(f"{section}.months", years)
    paid_to = beneficiaries if weighted_beneficiaries is None else \
        on_grid(ctx, weighted_beneficiaries) * uncovered_share
    cost = paid_to * unit_benefit * (1 + p.number_values(f"{section}.admin_rate", years))
    out = {
        "eligible": people.copy(),  # its own array, not a broadcast view of the module's
        "existing_coverage": netted,
        "beneficiaries": beneficiaries,
        "unit_benefit": unit_benefit * np.where(beneficiaries > 0,
                                                paid_to / np.where(beneficiaries > 0, beneficiaries, 1), 1.0),
        "cost": cost,
    }
    result = labelled_result(ctx, out, description)
    if ctx.detail and eligible_by_sex_age is not None:
        result["beneficiaries_by_sex_age"] = eligible_by_sex_age * result["eligible"].copy(data=share)
    return result


def labelled_result(ctx: Context, out: dict[str, np.ndarray], description: str) -> xr.Dataset:
    """A benefit's variables, plain (scenario, year) arrays, as one labelled Dataset."""
    result = xr.Dataset({name: ((dims.SCENARIO, dims.YEAR), values) for name, values in out.items()},
                        coords={dims.SCENARIO: ctx.p.scenario_index, dims.YEAR: ctx.years})
    result.attrs["description"] = description
    return result


def on_grid(ctx: Context, array: xr.DataArray | np.ndarray | float) -> np.ndarray:
    """The values of ``array`` (by scenario and/or year, or neither) as a plain (scenario, year) array,
    broadcast where an axis is missing; its labels must be the context's (as arithmetic_join="exact" asks).
    A plain array or a number is taken as (scenario, year) values already, or broadcast to them."""
    shape = (len(ctx.p), len(ctx.years))
    if not isinstance(array, xr.DataArray):
        return np.broadcast_to(np.asarray(array, dtype=float), shape)
    what = array.name or "an array"
    extra = [str(d) for d in array.dims if d not in (dims.SCENARIO, dims.YEAR)]
    if extra:
        raise ValueError(f"{what}: by {extra} where a benefit's total by (scenario,) year was expected")
    if dims.YEAR in array.dims and not np.array_equal(array.indexes[dims.YEAR].values, ctx.years):
        raise ValueError(f"{what}: its years are not the costing's")
    if dims.SCENARIO in array.dims and not array.indexes[dims.SCENARIO].equals(ctx.p.scenario_index):
        raise ValueError(f"{what}: its scenarios are not the costing's")
    values = array.transpose(*[d for d in (dims.SCENARIO, dims.YEAR) if d in array.dims]).values
    if dims.SCENARIO not in array.dims:
        values = values[np.newaxis]
    if dims.YEAR not in array.dims:
        values = values[..., np.newaxis]
    return np.broadcast_to(values, shape)
