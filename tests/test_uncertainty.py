"""Monte Carlo draws and sensitivity: reproducible, consistent with the deterministic run,
wider when a range widens, and the same through dask as in memory."""

from __future__ import annotations

import dataclasses

import numpy as np
import openpyxl
import pandas as pd
import pytest

from floors.assumptions import load_parameters
from floors.assumptions.parameter import Uncertainty
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.cli import main
from floors.engine import cost_floor
from floors.uncertainty import cost_draws, cost_draws_chunked, sample, sensitivity, summarise, uncertain


@pytest.fixture(scope="module")
def ecu(bundle):
    return load_parameters(bundle.folders.base, "ECU", known_countries=set(bundle.countries))


def with_ranges(params, ranges: dict[str, tuple[float, float]] | None = None, zero_width: bool = False):
    """``params`` with some uncertainty ranges replaced (or every range collapsed onto its value)."""
    changed = {}
    for e in uncertain(params):
        if zero_width:
            u = Uncertainty(low=float(e.value), high=float(e.value), distribution=e.uncertainty.distribution,
                            reason="test")
        elif ranges and e.path in ranges:
            u = Uncertainty(low=ranges[e.path][0], high=ranges[e.path][1], reason="test")
        else:
            continue
        changed[e.path] = dataclasses.replace(e, uncertainty=u)
    return dataclasses.replace(params, params={**params.params, **changed})


def test_defaults_declare_ranges_with_sources_or_reasons(ecu):
    paths = {e.path for e in uncertain(ecu)}
    assert {"disability.prevalence_position", "children.take_up", "demography.interval_position",
            "macro.gdp_growth_shift"} <= paths
    for e in uncertain(ecu):
        assert e.uncertainty.source is not None or e.uncertainty.reason


def test_zero_width_ranges_reproduce_the_deterministic_run(ecu, bundle):
    flat = with_ranges(ecu, zero_width=True)
    draws = cost_draws(["baseline"], [flat], bundle, 20, seed=3)
    deterministic = cost_floor(ScenarioParameters.from_sets(["baseline"], [ecu]), bundle, sets=[ecu], detail=False)
    expected = deterministic["cost_share_gdp"].sel(country="ECU", scenario="baseline")
    for i in range(20):
        np.testing.assert_allclose(draws["cost_share_gdp"].sel(scenario="baseline", draw=i).values,
                                   expected.values, rtol=1e-12)


def test_the_same_seed_gives_the_same_draws_and_another_seed_others(ecu, bundle):
    a = cost_draws(["baseline"], [ecu], bundle, 30, seed=11)
    b = cost_draws(["baseline"], [ecu], bundle, 30, seed=11)
    c = cost_draws(["baseline"], [ecu], bundle, 30, seed=12)
    np.testing.assert_array_equal(a["cost"].values, b["cost"].values)
    assert not np.allclose(a["cost"].values, c["cost"].values)


def test_the_interval_widens_when_a_range_widens(ecu, bundle):
    narrow = with_ranges(ecu, {"disability.prevalence_position": (-0.2, 0.2)})
    wide = with_ranges(ecu, {"disability.prevalence_position": (-1.0, 1.0)})

    def width(params):
        q = summarise(cost_draws(["b"], [params], bundle, 400, seed=5))["cost_share_gdp"]
        one = q.sel(scenario="b", benefit="disability", year=2030)
        return float(one.sel(quantile=0.9) - one.sel(quantile=0.1))

    assert width(wide) > 2 * width(narrow) > 0


def test_draws_follow_their_distributions(ecu):
    drawn = sample(ecu, 20_000, seed=1)
    position = drawn["disability.prevalence_position"]  # triangular on [-1, 1], most likely 0
    assert position.min() >= -1 and position.max() <= 1
    assert np.mean(position) == pytest.approx(0.0, abs=0.02)
    assert np.mean(np.abs(position) <= 0.5) == pytest.approx(0.75, abs=0.01)  # 1 - (1 - 0.5)^2
    position = drawn["demography.interval_position"]  # normal80: ±1 are the 10th and 90th percentiles
    assert np.mean(np.abs(position) <= 1) == pytest.approx(0.8, abs=0.01)


def test_the_dask_path_gives_the_same_numbers(ecu, bundle):
    names, sets = ["baseline", "pension"], [ecu, load_parameters(bundle.folders.base, "ECU", ["old-age-pension"])]
    in_memory = cost_draws(names, sets, bundle, 24, seed=9)
    lazy = cost_draws_chunked(names, sets, bundle, 24, seed=9, chunk=7)
    assert lazy["cost"].chunks is not None  # really dask-backed, in chunks of the draw axis
    computed = lazy.compute()
    for name in ("cost", "cost_share_gdp"):
        np.testing.assert_array_equal(computed[name].transpose(*in_memory[name].dims).values, in_memory[name].values)


def test_run_with_draws_writes_interval_fan_chart_and_csv(runner, tmp_path):
    result = runner.invoke(main, ["run", "--draws", "60", "--seed", "4", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "60 draws (seed 4)" in result.output and "80 % interval" in result.output
    folder = tmp_path / "ECU-baseline-draws60-seed4"  # its own folder: the baseline without draws is another
    path = folder / "floors-ECU-baseline-draws60-seed4.xlsx"
    sheet = pd.read_excel(path, sheet_name="uncertainty")
    total = sheet[(sheet["benefit"] == "total") & (sheet["variable"] == "cost_share_gdp")].set_index("statistic")
    assert (total.loc["p10", 2030] <= total.loc["median", 2030] <= total.loc["p90", 2030])
    assert total.loc["p10", 2030] < total.loc["p90", 2030]
    table = pd.read_csv(folder / "floors-ECU-baseline-draws60-seed4.csv")
    median = table.query("variable == 'cost_share_gdp_median' and benefit == 'total' and year == 2030")["value"]
    assert float(median.iloc[0]) == pytest.approx(total.loc["median", 2030], rel=1e-12)
    wb = openpyxl.load_workbook(path)
    fan = wb["summary"]._charts[-1]
    rows = [int(s.val.numRef.f.rsplit("$", 1)[1]) for s in fan.series]
    assert all(s.val.numRef.f.startswith("'uncertainty'!") for s in fan.series)
    assert [wb["uncertainty"].cell(row=r, column=5).value for r in rows] == ["p10", "median", "p90"]
    assert {wb["uncertainty"].cell(row=r, column=2).value for r in rows} == {"total"}
    params = pd.read_excel(path, sheet_name="uncertain_parameters")
    assert "disability.prevalence_position" in set(params["parameter"])


def test_sensitivity_ranks_parameters_by_their_swing(ecu, bundle, runner, tmp_path):
    rows = sensitivity(ecu, bundle, 2030)
    swings = [r["swing"] for r in rows]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    take_up = next(r for r in rows if r["parameter"] == "children.take_up")
    low = load_parameters(bundle.folders.base, "ECU", sets=["children.take_up=0.8"])
    direct = cost_floor(ScenarioParameters.from_sets(["x"], [low]), bundle, sets=[low], detail=False)
    assert take_up["cost_at_low"] == pytest.approx(
        float(direct["cost_share_gdp"].sel(benefit="total", year=2030, country="ECU", scenario="x")), rel=1e-12)
    result = runner.invoke(main, ["sensitivity", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "ECU-baseline-sensitivity" / "floors-ECU-baseline-sensitivity.xlsx"
    sheet = pd.read_excel(path, sheet_name="sensitivity")
    assert list(sheet["parameter"]) == [r["parameter"] for r in rows]
    tornado = openpyxl.load_workbook(path)["sensitivity"]._charts[0]
    assert tornado.type == "bar" and len(tornado.series) == 2


@pytest.mark.parametrize(("entry", "message"), [
    ("{low: 0.95, high: 0.8, reason: r}", "above high"),
    ("{low: 0.8, high: 1.0}", "needs a 'source' or a 'reason'"),
    ("{low: 0.8, high: 1.5, reason: r}", "outside the parameter's range"),
    ("{low: 0.95, high: 1.0, distribution: triangular, reason: r}", "must contain"),
])
def test_bad_uncertainty_declarations_exit_2(runner, tree, entry, message):
    (tree / "ECU" / "children.yaml").write_text(
        f"take_up: {{value: 0.9, source: {{title: a survey}}, uncertainty: {entry}}}\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", "--assumptions", str(tree)])
    assert result.exit_code == 2, result.output
    assert message in result.output and "children.take_up" in result.output and "Traceback" not in result.output


def test_a_chunked_sweep_equals_the_in_memory_sweep(ecu, bundle):
    from floors.engine.chunked import cost_grid_chunked

    axes = {"children.level": [0.2, 0.5, 1.0, 1.5], "old_age.pensionable_age": [60, 65, 70],
            "macro.gdp_growth_shift": [-0.01, 0.0, 0.01]}
    lazy = cost_grid_chunked(ecu, axes, bundle, chunk=10, variables=("cost_share_gdp", "cost"))
    assert lazy["cost"].chunks is not None and lazy.sizes["scenario"] == 36
    computed = lazy.compute()
    in_memory = cost_floor(ScenarioParameters.grid(ecu, axes), bundle, detail=False).squeeze("country", drop=True)
    for name in ("cost_share_gdp", "cost"):
        np.testing.assert_array_equal(computed[name].transpose(*in_memory[name].dims).values, in_memory[name].values)
