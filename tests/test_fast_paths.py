"""The shortcuts taken for speed (issue 19) give the numbers of the straightforward computation:
projections reused within a process only when every value they read is the same, a parameter
the same in every scenario costed once, and the horizon checked before any array is made."""

from __future__ import annotations

import contextlib
import os

import numpy as np
import pytest
import xarray as xr

from floors.assumptions import load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.benefits import Context
from floors.benefits.common import PEOPLE, AgeBands, from_age, on_grid, share_from_age
from floors.benefits.disability import severely_disabled
from floors.engine import cost_floor
from floors.engine.costing import _BUILT, build_context_data
from floors.inputs import Bundle
from floors.io.cache import CACHE_ENV
from floors.problems import InputError
from floors.projections import build_projections

from .conftest import REPO_ASSUMPTIONS


@pytest.fixture(scope="module")
def bundle_():
    return Bundle(REPO_ASSUMPTIONS)


def cost(params, bundle, **kwargs) -> xr.Dataset:
    return cost_floor(ScenarioParameters.from_sets(["s"], [params]), bundle, sets=[params], **kwargs)


@contextlib.contextmanager
def disk_cache_off():
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = "off"
    try:
        yield
    finally:
        os.environ.pop(CACHE_ENV)
        if before is not None:
            os.environ[CACHE_ENV] = before


def fresh(params, bundle) -> xr.Dataset:
    """Costed with nothing reused: projections built anew (neither this process's nor the disk cache's)."""
    _BUILT.clear()
    with disk_cache_off():
        return cost(params, bundle)


def test_reused_projections_give_the_numbers_of_projections_built_anew(bundle_):
    base = load_parameters(REPO_ASSUMPTIONS, "ECU")
    first = fresh(base, bundle_)
    again = cost(base, bundle_)  # the projections are reused
    xr.testing.assert_identical(again, first)
    # A value the projections read (real growth rebuilds GDP) is a new projection, not the baseline's.
    growth = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=["macro.real_gdp_growth=0.04"])
    reused = cost(growth, bundle_)
    assert float(reused["cost_share_gdp"].sel(benefit="total", year=2030).squeeze()) != pytest.approx(
        float(first["cost_share_gdp"].sel(benefit="total", year=2030).squeeze()), rel=1e-6)
    xr.testing.assert_identical(reused, fresh(growth, bundle_))
    # So is the pensionable age, which sets the reference population of the pensioners counted.
    age = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=["old_age.pensionable_age_rule=fixed",
                                                         "old_age.pensionable_age=60"])
    xr.testing.assert_identical(cost(age, bundle_), fresh(age, bundle_))
    # A value they do not read (a benefit level) shares them.
    cost(base, bundle_)
    built = sum(len(entries) for entries in _BUILT.values())
    level = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=["children.level=0.5"])
    xr.testing.assert_identical(cost(level, bundle_), fresh(level, bundle_))
    _BUILT.clear()
    with disk_cache_off():
        cost(base, bundle_)
        cost(level, bundle_)
    assert sum(len(entries) for entries in _BUILT.values()) == 1 <= built


def test_projections_built_by_an_earlier_process_are_read_from_the_cache(bundle_):
    base = load_parameters(REPO_ASSUMPTIONS, "ECU")
    first = fresh(base, bundle_)
    cost(base, bundle_)  # built (the cache was off above) and written to the disk cache
    _BUILT.clear()  # as a new process
    other = Bundle(REPO_ASSUMPTIONS)
    xr.testing.assert_identical(cost(base, other), first)
    assert other.tables_read  # the tables are recorded for the workbook, though none was read


def test_a_reused_projection_still_records_the_tables_it_was_read_from(bundle_):
    base = load_parameters(REPO_ASSUMPTIONS, "ECU")
    fresh(base, bundle_)
    read_first = set(bundle_.tables_read)
    other = Bundle(REPO_ASSUMPTIONS)
    cost(base, other)  # reused: no table read again, and yet the workbook's meta sheet must list them
    assert other.tables_read == read_first and read_first


def straightforward_disabled(ctx: Context) -> xr.DataArray:
    """The arithmetic of `severely_disabled` with every parameter by scenario (before issue 19)."""
    p, data = ctx.p, ctx.data
    position = p.scalar("disability.prevalence_position").astype(float)
    estimate = data["severe_disability"]
    bound = xr.where(position >= 0, data["severe_disability_high"], data["severe_disability_low"])
    who = estimate + abs(position) * (bound - estimate)
    fixed = data["population"] * p.number("disability.prevalence", ctx.years)
    return xr.where(p.is_("disability.prevalence_from", "fixed"), fixed, who)


@pytest.mark.parametrize(("sets", "axes"), [
    ([], {"children.level": [0.25, 0.5, 1.0]}),  # the rule the same everywhere: no scenario axis
    ([], {"disability.prevalence_position": [-1.0, 0.0, 0.5]}),
    (["disability.prevalence_from=fixed"], {"disability.prevalence": [0.01, 0.02]}),
    (["disability.prevalence_from=fixed"], {"children.level": [0.25, 0.5]}),
])
def test_a_rule_shared_by_every_scenario_counts_the_people_of_the_straightforward_arithmetic(bundle_, sets, axes):
    base = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=sets)
    p = ScenarioParameters.grid(base, axes)
    data, *_ = build_context_data(p, bundle_, None, None)
    ctx = Context(p=p, data=data, years=data["year"].values, country="ECU")
    with xr.set_options(arithmetic_join="exact", keep_attrs=True):
        fast, slow = severely_disabled(ctx), straightforward_disabled(ctx)
    assert fast.shape[0] == (1 if p.same_everywhere("disability.prevalence_position") and
                             p.same_everywhere("disability.prevalence") else len(p))  # one row where shared
    slow = slow.transpose(*PEOPLE).values
    np.testing.assert_allclose(np.broadcast_to(fast, slow.shape), slow, rtol=1e-12, atol=0)


def test_a_sweep_gives_each_scenario_the_cost_of_its_own_run(bundle_):
    base = load_parameters(REPO_ASSUMPTIONS, "ECU")
    axes = {"children.level": [0.1, 0.7], "old_age.pensionable_age": [60, 67],
            "disability.prevalence_position": [-1, 1]}
    sweep_params = ScenarioParameters.grid(base, axes)
    sweep = cost_floor(sweep_params, bundle_, detail=False)
    for i, name in enumerate(sweep["scenario"].values):
        one = {path: [sweep_params.values[path][i]] for path in axes}
        single = cost_floor(ScenarioParameters.grid(base, one), bundle_, detail=False)
        np.testing.assert_allclose(sweep["cost"].sel(scenario=name).values, single["cost"].squeeze("scenario").values,
                                   rtol=1e-12, atol=0)


def test_a_horizon_beyond_the_data_is_refused_before_anything_is_allocated(bundle_):
    """The library's own check (the command line refuses such a --to even earlier): np.arange to year
    2147483648 would ask for gigabytes."""
    base = load_parameters(REPO_ASSUMPTIONS, "ECU")
    with pytest.raises(InputError, match="the horizon 2147483648 is beyond the population data") as caught:
        build_projections(base, bundle_, to=2147483648)
    assert "choose a horizon from 2024 to" in caught.value.report()


@pytest.mark.parametrize("population_by_scenario", [False, True])
def test_age_bands_on_plain_arrays_sum_the_ages_a_mask_picks(population_by_scenario):
    """`AgeBands` looks bands up in cumulative sums on plain arrays; each scenario's band must be the
    sum over the ages a straightforward mask picks, bounds beyond the ages and empty bands included, with or
    without a scenario axis on the population (Monte Carlo draws of the demographic interval give it one)."""
    rng = np.random.default_rng(19)
    ages, years = np.arange(101), np.arange(2024, 2031)
    low = xr.DataArray([0, 6, 18, 65, 50, -3, 90], dims=["scenario"], coords={"scenario": list("abcdefg")})
    high = xr.DataArray([5, 11, 64, 200, 40, 2, 100], dims=["scenario"], coords={"scenario": list("abcdefg")})
    shape = (len(low), 2, len(ages), len(years)) if population_by_scenario else (2, len(ages), len(years))
    population = xr.DataArray(rng.uniform(0, 1e5, shape),
                              dims=(["scenario"] if population_by_scenario else []) + ["sex", "age", "year"],
                              coords={"age": ages, "year": years}
                              | ({"scenario": list("abcdefg")} if population_by_scenario else {}))
    bands = AgeBands(population.expand_dims([d for d in PEOPLE if d not in population.dims]).transpose(*PEOPLE).values)
    got = bands.between(low.values, high.values)
    mask = (population["age"] >= low) & (population["age"] <= high)
    expected = population.where(mask, 0.0).sum(["sex", "age"]).transpose("scenario", "year")
    np.testing.assert_allclose(got, expected.values, rtol=1e-12, atol=1e-6)
    assert (got[list("abcdefg").index("e")] == 0).all()  # low above high: nobody
    one = bands.between(0, 17)  # bounds for all: one row, unless the population has scenarios
    assert one.shape == ((len(low) if population_by_scenario else 1), len(years))


def test_plain_arrays_refuse_labels_other_than_the_costings(bundle_):
    """`on_grid` takes the place of arithmetic_join='exact': an array by other years or scenarios is an error,
    not silently broadcast."""
    params = load_parameters(REPO_ASSUMPTIONS, "ECU")
    p = ScenarioParameters.from_sets(["s"], [params])
    years = np.arange(2024, 2031)
    ctx = Context(p=p, data=xr.Dataset(), years=years, country="ECU")
    np.testing.assert_array_equal(on_grid(ctx, p.number("children.level", years)),
                                  p.number_values("children.level", years))
    with pytest.raises(ValueError, match="years"):
        on_grid(ctx, xr.DataArray(np.ones(3), dims=["year"], coords={"year": [2024, 2025, 2026]}))
    with pytest.raises(ValueError, match="scenarios"):
        on_grid(ctx, xr.DataArray(np.ones(1), dims=["scenario"], coords={"scenario": ["other"]}))
    with pytest.raises(ValueError, match="age"):
        on_grid(ctx, xr.DataArray(np.ones(2), dims=["age"]))


@pytest.mark.parametrize("population_by_scenario", [False, True])
def test_people_from_an_age_on_plain_arrays_match_the_share_of_each_age_group(population_by_scenario):
    """`from_age` looks thresholds up in cumulative sums on plain arrays; for thresholds by scenario and sex,
    fractional (61.5) and beyond the ages, it must count what each single-year group's share above the threshold
    gives (`share_from_age`, the by-age detail's rule)."""
    rng = np.random.default_rng(7)
    ages, years, scenarios = np.arange(101), np.arange(2024, 2031), ["a", "b", "c", "d"]
    fixed = xr.DataArray([65.0, 60.0, 0.0, 130.0], dims=["scenario"], coords={"scenario": scenarios})
    by_sex = xr.DataArray([[61.5, 62.0], [55.0, 60.25], [65.0, 65.0], [-2.0, 100.0]], dims=["scenario", "sex"],
                          coords={"scenario": scenarios, "sex": ["female", "male"]})
    shape = (len(scenarios), 2, len(ages), len(years)) if population_by_scenario else (2, len(ages), len(years))
    population = xr.DataArray(rng.uniform(0, 1e5, shape),
                              dims=(["scenario"] if population_by_scenario else []) + ["sex", "age", "year"],
                              coords={"sex": ["female", "male"], "age": ages, "year": years}
                              | ({"scenario": scenarios} if population_by_scenario else {}))
    people = population.expand_dims([d for d in PEOPLE if d not in population.dims]).transpose(*PEOPLE).values
    for threshold in (fixed, by_sex):
        got = from_age(people, threshold.values.reshape(len(scenarios), -1))
        expected = (population * share_from_age(population["age"], threshold)).sum(["sex", "age"])
        np.testing.assert_allclose(got, expected.transpose("scenario", "year").values, rtol=1e-12, atol=1e-6)
    assert (from_age(people, fixed.values[:, np.newaxis])[scenarios.index("d")] == 0).all()  # beyond the oldest age
    with pytest.raises(ValueError, match="threshold"):
        from_age(people, np.ones((len(scenarios), 3)))  # three sexes
