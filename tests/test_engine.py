"""The engine on Ecuador: totals, fiscal indicators, scenarios as a dimension, and `floors run`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floors import dims
from floors.assumptions import load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.cli import main
from floors.engine import cost_floor
from floors.inputs import Bundle

from .conftest import REPO_ASSUMPTIONS


@pytest.fixture(scope="module")
def bundle_():
    return Bundle(REPO_ASSUMPTIONS)


@pytest.fixture(scope="module")
def baseline(bundle_):
    params = load_parameters(REPO_ASSUMPTIONS, "ECU")
    return cost_floor(ScenarioParameters.from_sets(["baseline"], [params]), bundle_, sets=[params])


def test_dimensions_in_design_order(baseline):
    assert baseline["cost"].dims == (dims.SCENARIO, dims.COUNTRY, dims.BENEFIT, dims.YEAR)
    assert baseline["beneficiaries_by_sex_age"].dims == (dims.SCENARIO, dims.COUNTRY, dims.BENEFIT, dims.YEAR,
                                                         dims.SEX, dims.AGE)
    assert list(baseline[dims.BENEFIT].values) == ["children", "maternity", "disability", "unemployment",
                                                   "old_age", "health", "total"]


def test_total_is_the_sum_of_the_benefits(baseline):
    cost = baseline["cost"]
    np.testing.assert_allclose(cost.sel(benefit="total"), cost.drop_sel(benefit="total").sum(dims.BENEFIT),
                               rtol=1e-12)


def test_fiscal_indicators(baseline, bundle_):
    share = baseline["cost_share_gdp"].sel(scenario="baseline", country="ECU", benefit="total", year=2030)
    cost = baseline["cost"].sel(scenario="baseline", country="ECU", benefit="total", year=2030)
    assert float(share) == pytest.approx(float(cost) / 159.376e9, rel=1e-4)  # WEO GDP 2030
    expenditure = baseline["cost_share_gg_expenditure"].sel(scenario="baseline", country="ECU", benefit="total",
                                                            year=2024)
    gdp_share = baseline["cost_share_gdp"].sel(scenario="baseline", country="ECU", benefit="total", year=2024)
    assert float(expenditure) == pytest.approx(float(gdp_share) / 0.381, rel=2e-3)  # GG expenditure 38.1 % of GDP


def test_old_age_by_hand_on_ecuador(baseline):
    """Old-age gap in 2030 from the projections: (people from Ecuador's statutory age 60 − IESS pensioners
    − MIES pensions) × the line × 12 (national counts come before the ILO's ratio)."""
    from floors.projections import build_projections

    params = load_parameters(REPO_ASSUMPTIONS, "ECU")
    proj = build_projections(params, Bundle(REPO_ASSUMPTIONS))
    assert proj.statutory_pensionable_age.sel(year=2030).values.tolist() == [60, 60]
    over_60 = float(proj.population.sel(year=2030, age=slice(60, None)).sum())
    pensioners = float(proj.coverage["old_age_pensioners"].sel(year=2030)
                       + proj.coverage["non_contributory_old_age_recipients"].sel(year=2030))
    line = float(proj.poverty_line_national.sel(year=2030))
    expected = (over_60 - pensioners) * line * 12
    cost = baseline["cost"].sel(scenario="baseline", country="ECU", benefit="old_age", year=2030)
    assert float(cost) == pytest.approx(expected, rel=1e-9)


def test_empty_overlay_equals_baseline(tree, bundle_, baseline):
    (tree / "ECU" / "scenarios" / "nothing.yaml").write_text("title: Nothing changes\nchanges: {}\n")
    params = load_parameters(tree, "ECU", ["nothing"])
    again = cost_floor(ScenarioParameters.from_sets(["nothing"], [params]), bundle_, sets=[params])
    np.testing.assert_allclose(again["cost"].values, baseline["cost"].values, rtol=1e-12)


def test_scenarios_that_change_projections_are_stacked(bundle_):
    low = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=["labour.participation_rate=0.5"])
    high = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=["labour.participation_rate=0.7"])
    out = cost_floor(ScenarioParameters.from_sets(["low", "high"], [low, high]), bundle_, sets=[low, high])
    unemployed = out["beneficiaries"].sel(benefit="unemployment", year=2030, country="ECU")
    assert float(unemployed.sel(scenario="high") / unemployed.sel(scenario="low")) == pytest.approx(0.7 / 0.5)
    old_age = out["cost"].sel(benefit="old_age", year=2030, country="ECU")
    assert float(old_age.sel(scenario="high")) == float(old_age.sel(scenario="low"))


@settings(max_examples=10, deadline=None)
@given(level=st.floats(0.1, 3.0))
def test_floor_cost_linear_in_child_level(bundle_, level):
    base = load_parameters(REPO_ASSUMPTIONS, "ECU")
    out = cost_floor(ScenarioParameters.grid(base, {"children.level": [1.0, level]}), bundle_, detail=False)
    child = out["cost"].sel(benefit="children", country="ECU", year=2030)
    assert float(child.isel(scenario=1)) == pytest.approx(float(child.isel(scenario=0)) * level, rel=1e-9)


def test_left_out_benefit_costs_nothing_and_drops_from_total(bundle_, baseline):
    base = load_parameters(REPO_ASSUMPTIONS, "ECU")
    out = cost_floor(ScenarioParameters.grid(base, {"health.include": [False], "old_age.include": [False]}), bundle_)
    total = float(out["cost"].sel(benefit="total", year=2030).squeeze())
    kept = baseline["cost"].sel(benefit=["children", "maternity", "disability", "unemployment"], year=2030)
    assert total == pytest.approx(float(kept.sum()), rel=1e-12)


# --- floors run ------------------------------------------------------------------------------

def test_run_prints_the_table_and_writes_the_tidy_csv(runner, tmp_path):
    result = runner.invoke(main, ["run", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "ECU · baseline · cost as % of GDP" in result.output
    assert "total" in result.output and "2030" in result.output
    path = tmp_path / "ECU-baseline" / "floors-ECU-baseline.csv"
    table = pd.read_csv(path)
    assert list(table.columns) == ["scenario", "country", "benefit", "variable", "unit", "year", "value"]
    total = table.query("benefit == 'total' and variable == 'cost_share_gdp' and year == 2030")["value"]
    assert f"{float(total.iloc[0]) * 100:.2f}" in result.output


def test_run_bad_set_is_exit_2_and_writes_nothing(runner, tmp_path):
    result = runner.invoke(main, ["run", "--out", str(tmp_path), "--set", "children.level=15",
                                  "--set", "old_age.pensionable_ag=60"])
    assert result.exit_code == 2
    assert "15 is above the maximum 5" in result.output
    assert "did you mean 'old_age.pensionable_age'?" in result.output
    assert "Traceback" not in result.output
    assert not any(tmp_path.iterdir())


def test_run_bad_scenario_file_is_exit_2(runner, tree, tmp_path):
    (tree / "ECU" / "scenarios" / "broken.yaml").write_text("title: Broken\nchanges:\n  children.targeting: poor\n")
    result = runner.invoke(main, ["run", "--assumptions", str(tree), "--out", str(tmp_path), "-s", "broken"])
    assert result.exit_code == 2
    assert "'poor' is not one of the allowed values" in result.output


def test_run_keeps_the_previous_result_when_a_run_fails(runner, tmp_path):
    assert runner.invoke(main, ["run", "--out", str(tmp_path)]).exit_code == 0
    path = tmp_path / "ECU-baseline" / "floors-ECU-baseline.csv"
    before = path.read_bytes()
    assert runner.invoke(main, ["run", "--out", str(tmp_path), "--set", "children.level=-1"]).exit_code == 2
    assert path.read_bytes() == before


def test_run_without_labour_data_explains_how_to_proceed(runner, tmp_path, tree_with_data):
    # Without labour rows (a country added by `floors data import`, say), the unemployment benefit is left out
    # with a warning; a missing national line falls back on the harmonised line, with a warning.
    table = tree_with_data / "data" / "labour_market.csv"
    table.write_text("".join(line for line in table.read_text().splitlines(keepends=True)
                             if not line.startswith("KEN,")))
    args = ["run", "--assumptions", str(tree_with_data), "--country", "KEN", "--out", str(tmp_path)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "the unemployment benefit is left out" in result.output
    assert "fallback" in result.output and "Jolliffe" in result.output
    # Asked to refuse instead, every problem comes at once.
    strict = runner.invoke(main, [*args, "--set", "unemployment.if_no_data=error",
                                  "--set", "poverty.national_line_fallback=none"])
    assert strict.exit_code == 2
    assert "unemployment.include=false" in strict.output
    assert "5 problems found" in strict.output
    assert strict.output.count("KEN has no national poverty line") == 4
    ok = runner.invoke(main, [*args, "--set", "unemployment.include=false",
                              "--set", "poverty.national_line_fallback=none",
                              *(f"--set={b}.basis=gdp_per_capita" for b in ("children", "maternity", "disability",
                                                                            "old_age"))])
    assert ok.exit_code == 0, ok.output


def test_costings_in_threads_keep_their_xarray_options(bundle_, monkeypatch):
    """xarray's options are global to the process and a costing sets two of them while it runs. Here a first
    costing is under way when a second starts, and the first finishes while the second is still costing:
    the second must still run with its options (exact alignment, attributes kept), not the defaults the first
    restored on leaving. (Costings in threads run one at a time: the second waits for the first.)"""
    import dataclasses
    import threading

    import xarray as xr

    from floors.benefits import BENEFITS

    params = load_parameters(REPO_ASSUMPTIONS, "ECU")
    first_inside, second_inside, first_done = threading.Event(), threading.Event(), threading.Event()
    options_seen: dict[str, dict] = {}
    original = BENEFITS["children"]

    def watched(ctx):
        if threading.current_thread().name == "first":
            first_inside.set()
            second_inside.wait(1)  # without a lock the second costing gets in; with one this times out
        else:
            second_inside.set()
            first_done.wait(5)
            options_seen["second"] = dict(xr.get_options())
        return original.cost(ctx)

    monkeypatch.setitem(BENEFITS, "children", dataclasses.replace(original, cost=watched))

    def cost(name):
        cost_floor(ScenarioParameters.from_sets(["baseline"], [params]), bundle_, sets=[params])
        if name == "first":
            first_done.set()

    first = threading.Thread(target=cost, args=("first",), name="first")
    first.start()
    first_inside.wait(30)  # the second starts once the first is costing
    second = threading.Thread(target=cost, args=("second",), name="second")
    second.start()
    first.join(30)
    second.join(30)
    assert options_seen["second"]["arithmetic_join"] == "exact"
    assert options_seen["second"]["keep_attrs"] is True
    assert xr.get_options()["arithmetic_join"] == "inner"  # restored once both are done
