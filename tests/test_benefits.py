"""Each benefit module on a tiny synthetic country whose answers are computed by hand,
and the properties every costing must have (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from floors import dims
from floors.assumptions import load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.benefits import MODULES, Context

from .conftest import REPO_ASSUMPTIONS

YEARS = np.array([2024, 2025])
AGES = np.arange(dims.MAX_AGE + 1)


def synthetic_data(currency_scale: float = 1.0) -> xr.Dataset:
    """100 people of each sex at each age 0–100 (20,200 in all), GDP 1,000,000, a poverty line of
    10 then 11 a month, CPI 100 then 110, 25 % poor, 30 unemployed of each sex."""
    k = currency_scale
    year = {dims.YEAR: YEARS}
    population = xr.DataArray(np.full((2, 2, len(AGES)), 100.0),
                              coords={**year, dims.SEX: list(dims.SEXES), dims.AGE: AGES},
                              dims=[dims.YEAR, dims.SEX, dims.AGE])
    by_year = lambda values: xr.DataArray(np.asarray(values, dtype=float), coords=year, dims=[dims.YEAR])  # noqa: E731
    by_year_sex = lambda value: xr.DataArray(np.full((2, 2), value), coords={**year, dims.SEX: list(dims.SEXES)},  # noqa: E731
                                             dims=[dims.YEAR, dims.SEX])
    return xr.Dataset({
        "population": population,
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
    return MODULES[module](ctx)


def at(result: xr.Dataset, variable: str, year: int = 2024) -> float:
    return float(result[variable].sel(year=year).squeeze())


# --- hand-computed answers ---------------------------------------------------------------

def test_old_age_by_hand(base):
    result = run("old_age", base)
    # Ages 65–100: 36 ages × 2 sexes × 100 = 7,200; minus 1,000 pensioners = 6,200.
    assert at(result, "beneficiaries") == pytest.approx(6200)
    # 6,200 × the poverty line 10 × 12 months = 744,000; in 2025 the line is 11.
    assert at(result, "cost") == pytest.approx(744_000)
    assert at(result, "cost", 2025) == pytest.approx(6200 * 11 * 12)


def test_old_age_from_60(base):
    result = run("old_age", base, {"old_age.pensionable_age": 60})
    assert at(result, "beneficiaries") == pytest.approx(41 * 200 - 1000)


def test_children_universal_targeted_and_age_weighted(base):
    assert at(run("children", base), "cost") == pytest.approx(3600 * 120)  # ages 0–17
    targeted = run("children", base, {"children.targeting": "poverty_targeted"})
    assert at(targeted, "beneficiaries") == pytest.approx(900)  # 25 % of 3,600
    weighted = run("children", base, {"children.age_weight_0_5": 2.0})
    # Ages 0–5 (1,200 children) are paid twice the level.
    assert at(weighted, "cost") == pytest.approx((3600 + 1200) * 120)
    assert at(weighted, "unit_benefit") == pytest.approx(4800 * 120 / 3600)


def test_maternity_by_hand(base):
    result = run("maternity", base)
    # 100 births; insured share = 500 contributors / 10,000 people aged 15–64 = 5 %.
    assert at(result, "beneficiaries") == pytest.approx(95)
    assert at(result, "cost") == pytest.approx(95 * 10 * 4)  # four months at the poverty line


def test_disability_by_hand(base):
    result = run("disability", base)
    # Ages 18–64: 47 × 200 = 9,400 × 2.2 % = 206.8, minus 6.8 pensioners = 200.
    assert at(result, "beneficiaries") == pytest.approx(200)
    assert at(result, "cost") == pytest.approx(200 * 120)


def test_unemployment_by_hand(base):
    result = run("unemployment", base)
    assert at(result, "beneficiaries") == pytest.approx(50)  # 60 unemployed − 10 insured
    assert at(result, "cost") == pytest.approx(50 * 10 * 3)  # three months


def test_health_by_hand(base):
    per_capita = run("health", base)
    # 239 USD × 20,200 people − 10 % of GDP (100,000) = 4,727,800.
    assert at(per_capita, "cost") == pytest.approx(239 * 20_200 - 100_000)
    share = run("health", base, {"health.benchmark": "share_of_gdp"})
    assert at(share, "cost") == pytest.approx((0.06 - 0.03) * 1e6)


def test_phase_in_take_up_and_admin(base):
    result = run("old_age", base, {"old_age.start_year": 2024, "old_age.full_year": 2025,
                                   "old_age.take_up": 0.8, "old_age.admin_rate": 0.1})
    assert at(result, "beneficiaries") == pytest.approx(6200 * 0.8 / 2)
    assert at(result, "beneficiaries", 2025) == pytest.approx(6200 * 0.8)
    assert at(result, "cost", 2025) == pytest.approx(6200 * 0.8 * 132 * 1.1)


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
    assert float(MODULES["old_age"](ctx)["cost"].sum()) == 0


@settings(max_examples=15, deadline=None)
@given(module=st.sampled_from(list(MODULES)), scale=st.floats(0.001, 1000.0))
def test_share_of_gdp_unchanged_when_the_currency_is_rescaled(base, module, scale):
    plain = run(module, base)["cost"] / synthetic_data()["gdp"]
    rescaled = run(module, base, currency_scale=scale)["cost"] / synthetic_data(scale)["gdp"]
    np.testing.assert_allclose(rescaled.values, plain.values, rtol=1e-9)


def test_many_scenarios_equal_one_by_one(base):
    """A grid run (one vectorised pass) equals the same scenarios costed one at a time."""
    levels, ages = [0.5, 1.0, 1.5], [60, 65, 70]
    p = ScenarioParameters.grid(base, {"old_age.level": levels, "old_age.pensionable_age": ages})
    together = MODULES["old_age"](Context(p=p, data=synthetic_data(), years=YEARS, country="SYN"))
    for i, name in enumerate(p.names):
        level, age = levels[i // 3], ages[i % 3]
        alone = run("old_age", base, {"old_age.level": level, "old_age.pensionable_age": age})
        assert float(together["cost"].sel(scenario=name, year=2025)) == pytest.approx(at(alone, "cost", 2025))
