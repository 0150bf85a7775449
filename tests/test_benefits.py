"""Each benefit module on a tiny synthetic country whose answers are computed by hand,
and the properties every costing must have (hypothesis)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from floors import dims
from floors.assumptions import load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.benefits import BENEFITS, Context

from .conftest import REPO_ASSUMPTIONS

YEARS = np.array([2024, 2025])
AGES = np.arange(dims.MAX_AGE + 1)


def synthetic_data(currency_scale: float = 1.0) -> xr.Dataset:
    """100 people of each sex at each age 0–100 (20,200 in all), GDP 1,000,000, a poverty line of
    10 then 11 a month, CPI 100 then 110, 25 % poor, 30 unemployed of each sex; 2 % of every age
    severely disabled (1.5–3 % its interval); statutory pensionable age 60 for women and 62.5 for
    men; ILO coverage ratios of 10 % (children), 20 % (mothers) and 50 % (disability), none for
    old age and unemployment."""
    k = currency_scale
    year = {dims.YEAR: YEARS}
    population = xr.DataArray(np.full((2, 2, len(AGES)), 100.0),
                              coords={**year, dims.SEX: list(dims.SEXES), dims.AGE: AGES},
                              dims=[dims.YEAR, dims.SEX, dims.AGE])
    by_year = lambda values: xr.DataArray(np.asarray(values, dtype=float), coords=year, dims=[dims.YEAR])  # noqa: E731
    by_year_sex = lambda value: xr.DataArray(np.full((2, 2), value), coords={**year, dims.SEX: list(dims.SEXES)},  # noqa: E731
                                             dims=[dims.YEAR, dims.SEX])
    by_year_sex_value = lambda female, male: xr.DataArray(  # noqa: E731
        np.tile([female, male], (2, 1)), coords={**year, dims.SEX: list(dims.SEXES)}, dims=[dims.YEAR, dims.SEX])
    return xr.Dataset({
        "population": population,
        "severe_disability": population * 0.02,
        "severe_disability_low": population * 0.015,
        "severe_disability_high": population * 0.03,
        "statutory_pensionable_age": by_year_sex_value(60.0, 62.5),
        "coverage_ratio_SI_COV_CHLD": by_year([0.1, 0.1]),
        "coverage_ratio_SI_COV_MATNL": by_year([0.2, 0.2]),
        "coverage_ratio_SI_COV_DISAB": by_year([0.5, 0.5]),
        "births": by_year_sex(50.0),
        "gdp": by_year([1e6 * k, 1.1e6 * k]),
        "cpi": by_year([100, 110]),
        "poverty_line_national": by_year([10 * k, 11 * k]),
        "poverty_headcount": by_year([0.25, 0.25]),
        "unemployed": by_year_sex(30.0),
        "gg_expenditure_share": by_year([0.3, 0.3]),
        "gg_revenue_share": by_year([0.25, 0.25]),
        "old_age_pensioners": by_year([1000, 1000]),
        "non_contributory_old_age_recipients": by_year([0, 0]),
        "disability_pensioners": by_year([6.8, 6.8]),
        "non_contributory_disability_recipients": by_year([0, 0]),
        "active_contributors": by_year([500, 500]),
        "unemployment_insurance_recipients": by_year([10, 10]),
        "health_public_share_of_gdp": by_year([0.03, 0.03]),
        "health_non_oop_share_of_gdp": by_year([0.1, 0.1]),
        "usd_rate": 1.0 * k,
        "cpi_2017": 80.0,
    })


@pytest.fixture(scope="module")
def base():
    return load_parameters(REPO_ASSUMPTIONS, "ECU")


def run(module: str, base, changes: dict | None = None, currency_scale: float = 1.0) -> xr.Dataset:
    p = ScenarioParameters.grid(base, {k: [v] for k, v in (changes or {}).items()})
    ctx = Context(p=p, data=synthetic_data(currency_scale), years=YEARS, country="SYN")
    return BENEFITS[module].cost(ctx)


def at(result: xr.Dataset, variable: str, year: int = 2024) -> float:
    return float(result[variable].sel(year=year).squeeze())


# --- hand-computed answers ---------------------------------------------------------------

def test_old_age_by_hand(base):
    result = run("old_age", base)
    # Statutory ages: women from 60 (41 ages × 100 = 4,100), men from 62.5 (ages 63–100, 3,800, and half
    # of the 100 aged 62) = 7,950; minus 1,000 pensioners (national counts, no ILO ratio) = 6,950.
    assert at(result, "eligible") == pytest.approx(7950)
    assert at(result, "beneficiaries") == pytest.approx(6950)
    # × the poverty line 10 × 12 months = 834,000; in 2025 the line is 11.
    assert at(result, "cost") == pytest.approx(834_000)
    assert at(result, "cost", 2025) == pytest.approx(6950 * 11 * 12)


def test_old_age_from_a_fixed_age(base):
    fixed = {"old_age.pensionable_age_rule": "fixed"}
    assert at(run("old_age", base, {**fixed, "old_age.pensionable_age": 65}), "beneficiaries") == pytest.approx(
        36 * 200 - 1000)
    assert at(run("old_age", base, {**fixed, "old_age.pensionable_age": 60}), "beneficiaries") == pytest.approx(
        41 * 200 - 1000)


def test_children_universal_targeted_and_age_weighted(base):
    # Ages 0–5: 1,200 children, 10 % already covered (ILO ratio), × 25 % of the line 10 × 12 months.
    assert at(run("children", base), "beneficiaries") == pytest.approx(1080)
    assert at(run("children", base), "cost") == pytest.approx(1080 * 0.25 * 120)
    every_child = {"children.age_max": 17, "children.level": 1.0}
    assert at(run("children", base, every_child), "cost") == pytest.approx(3600 * 0.9 * 120)
    targeted = run("children", base, {**every_child, "children.targeting": "poverty_targeted"})
    assert at(targeted, "beneficiaries") == pytest.approx(3600 * 0.9 * 0.25)
    weighted = run("children", base, {**every_child, "children.age_weight_0_5": 2.0})
    # Ages 0–5 (1,200 children) are paid twice the level.
    assert at(weighted, "cost") == pytest.approx((3600 + 1200) * 0.9 * 120)
    assert at(weighted, "unit_benefit") == pytest.approx(4800 * 120 / 3600)


def test_maternity_by_hand(base):
    result = run("maternity", base)
    # 100 births; 20 % of mothers already receive a maternity benefit (ILO ratio).
    assert at(result, "beneficiaries") == pytest.approx(80)
    assert at(result, "cost") == pytest.approx(80 * 10 * 4)  # four months at the poverty line
    gross = run("maternity", base, {"coverage.net_existing": False})
    assert at(gross, "beneficiaries") == pytest.approx(100)


def test_disability_by_hand(base):
    result = run("disability", base)
    # All ages: 20,200 × 2 % = 404; minus 6.8 pensioners (national counts come before the ILO ratio).
    assert at(result, "eligible") == pytest.approx(404)
    assert at(result, "beneficiaries") == pytest.approx(397.2)
    assert at(result, "cost") == pytest.approx(397.2 * 120)
    by_ratio = run("disability", base, {"coverage.national_counts_first": False})
    assert at(by_ratio, "beneficiaries") == pytest.approx(202)  # 50 % of 404
    upper = run("disability", base, {"disability.prevalence_position": 1.0})
    assert at(upper, "eligible") == pytest.approx(606)  # 3 %
    halfway_down = run("disability", base, {"disability.prevalence_position": -0.5})
    assert at(halfway_down, "eligible") == pytest.approx(20_200 * 0.0175)
    fixed = run("disability", base, {"disability.prevalence_from": "fixed", "disability.age_min": 18,
                                     "disability.age_max": 64})
    # The fixed rule: 2.2 % of ages 18–64 (47 × 200 = 9,400) = 206.8, minus 6.8 = 200.
    assert at(fixed, "beneficiaries") == pytest.approx(200)


def test_unemployment_by_hand(base):
    result = run("unemployment", base)
    assert at(result, "beneficiaries") == pytest.approx(50)  # 60 unemployed − 10 with a benefit (national)
    assert at(result, "cost") == pytest.approx(50 * 10 * 3)  # three months


def test_health_by_hand(base):
    per_capita = run("health", base)
    # 239 USD × 20,200 people − 10 % of GDP (100,000) = 4,727,800.
    gap = 239 * 20_200 - 100_000
    assert at(per_capita, "cost") == pytest.approx(gap)
    # The uncovered: the gap's share of the benchmark, of the population; each costs the benchmark.
    assert at(per_capita, "beneficiaries") == pytest.approx(20_200 * gap / (239 * 20_200))
    assert at(per_capita, "unit_benefit") == pytest.approx(239)
    share = run("health", base, {"health.benchmark": "share_of_gdp"})
    assert at(share, "cost") == pytest.approx((0.06 - 0.03) * 1e6)
    assert at(share, "beneficiaries") == pytest.approx(20_200 * 0.03 / 0.06)


def test_no_ilo_ratio_and_no_count_is_gross_with_a_warning_or_an_error(base):
    data = synthetic_data().drop_vars("coverage_ratio_SI_COV_CHLD")
    p = ScenarioParameters.grid(base, {})
    ctx = Context(p=p, data=data, years=YEARS, country="SYN")
    assert at(BENEFITS["children"].cost(ctx), "beneficiaries") == pytest.approx(1200)
    assert any("no coverage ratio (SI_COV_CHLD)" in w for w in ctx.warnings)
    from floors.problems import InputError

    strict = ScenarioParameters.grid(base, {"coverage.if_no_ilo_ratio": ["error"]})
    with pytest.raises(InputError, match="no ILO coverage ratio"):
        BENEFITS["children"].cost(Context(p=strict, data=data, years=YEARS, country="SYN"))


def test_phase_in_take_up_and_admin(base):
    result = run("old_age", base, {"old_age.start_year": 2024, "old_age.full_year": 2025,
                                   "old_age.take_up": 0.8, "old_age.admin_rate": 0.1})
    assert at(result, "beneficiaries") == pytest.approx(6950 * 0.8 / 2)
    assert at(result, "beneficiaries", 2025) == pytest.approx(6950 * 0.8)
    assert at(result, "cost", 2025) == pytest.approx(6950 * 0.8 * 132 * 1.1)


def test_bases(base):
    gdp_pc = run("old_age", base, {"old_age.basis": "gdp_per_capita", "old_age.level": 0.5})
    assert at(gdp_pc, "unit_benefit") == pytest.approx(0.5 * 1e6 / 20_200)
    fixed = run("old_age", base, {"old_age.basis": "fixed_amount", "old_age.fixed_amount": 20})
    assert at(fixed, "unit_benefit", 2025) == pytest.approx(20 * 1.1 * 12)  # indexed with the CPI
    wage = run("old_age", base, {"old_age.basis": "minimum_wage"})
    assert at(wage, "unit_benefit") == pytest.approx(460 * 12)  # Ecuador's 2024 SBU
    ppp = run("old_age", base, {"old_age.basis": "international_line", "poverty.ppp_factor": 0.5})
    assert at(ppp, "unit_benefit") == pytest.approx(2.15 * 0.5 * 365 * 100 / 80)


def test_basis_without_data_is_a_clear_error(base):
    from floors.problems import InputError

    with pytest.raises(InputError, match="no PPP conversion factor is set"):
        run("old_age", base, {"old_age.basis": "international_line"})


# --- properties ----------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(module=st.sampled_from(["children", "maternity", "disability", "unemployment", "old_age"]),
       level=st.floats(0.05, 3.0), factor=st.floats(0.1, 4.0))
def test_cost_is_linear_in_the_level(base, module, level, factor):
    one = at(run(module, base, {f"{module}.level": level}), "cost", 2025)
    scaled = at(run(module, base, {f"{module}.level": min(level * factor, 5.0)}), "cost", 2025)
    assert scaled == pytest.approx(one * min(level * factor, 5.0) / level, rel=1e-9)


@settings(max_examples=20, deadline=None)
@given(module=st.sampled_from(["children", "maternity", "disability", "unemployment", "old_age", "health"]))
def test_zero_take_up_costs_nothing(base, module):
    assert at(run(module, base, {f"{module}.take_up": 0.0}), "cost", 2025) == 0


def test_no_gap_costs_nothing(base):
    data = synthetic_data()
    data["old_age_pensioners"] = data["old_age_pensioners"] * 0 + 1e9  # everyone already has a pension
    ctx = Context(p=ScenarioParameters.grid(base, {}), data=data, years=YEARS, country="SYN")
    assert float(BENEFITS["old_age"].cost(ctx)["cost"].sum()) == 0


@settings(max_examples=15, deadline=None)
@given(module=st.sampled_from(list(BENEFITS)), scale=st.floats(0.001, 1000.0))
def test_share_of_gdp_unchanged_when_the_currency_is_rescaled(base, module, scale):
    plain = run(module, base)["cost"] / synthetic_data()["gdp"]
    rescaled = run(module, base, currency_scale=scale)["cost"] / synthetic_data(scale)["gdp"]
    np.testing.assert_allclose(rescaled.values, plain.values, rtol=1e-9)


def test_many_scenarios_equal_one_by_one(base):
    """A grid run (one vectorised pass) equals the same scenarios costed one at a time."""
    levels, ages = [0.5, 1.0, 1.5], [60, 65, 70]
    base = base.with_entries({"old_age.pensionable_age_rule": replace(base["old_age.pensionable_age_rule"],
                                                                       value="fixed")})
    p = ScenarioParameters.grid(base, {"old_age.level": levels, "old_age.pensionable_age": ages})
    together = BENEFITS["old_age"].cost(Context(p=p, data=synthetic_data(), years=YEARS, country="SYN"))
    for i, name in enumerate(p.names):
        level, age = levels[i // 3], ages[i % 3]
        alone = run("old_age", base, {"old_age.level": level, "old_age.pensionable_age": age})
        assert float(together["cost"].sel(scenario=name, year=2025)) == pytest.approx(at(alone, "cost", 2025))
