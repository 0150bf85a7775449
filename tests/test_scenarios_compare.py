"""Scenario overlays (empty, inverse, composition order), macro and demographic what-ifs,
fiscal space, and `floors compare` with its decomposition by cause."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xarray as xr

from floors.assumptions import load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.cli import main
from floors.engine import cost_floor, costing
from floors.engine.compare import CAUSES, cause_of, decompose
from floors.engine.fiscal_space import first_year_closed
from floors.inputs import Bundle
from floors.projections import build_projections

DATA = Path(__file__).resolve().parents[1] / "assumptions" / "data"


def params(root: Path, scenarios=(), sets=()):
    return load_parameters(root, "ECU", list(scenarios), list(sets), known_countries=set(Bundle(root).countries))


def cost(root: Path, scenarios=(), sets=()) -> xr.Dataset:
    one = params(root, scenarios, sets)
    return cost_floor(ScenarioParameters.from_sets(["s"], [one]), Bundle(root), sets=[one])


def write_scenario(tree: Path, name: str, changes: str) -> None:
    (tree / "ECU" / "scenarios" / f"{name}.yaml").write_text(f"title: {name}\nchanges:{changes}\n", encoding="utf-8")


def assert_same_costs(a: xr.Dataset, b: xr.Dataset) -> None:
    for variable in ("cost", "beneficiaries", "cost_share_gdp", "fs_remaining_gap_share_gdp"):
        np.testing.assert_array_equal(a[variable].values, b[variable].values)


def test_an_empty_overlay_equals_the_baseline(tree):
    write_scenario(tree, "empty", " {}")
    assert_same_costs(cost(tree, ["empty"]), cost(tree))


def test_a_scenario_then_its_inverse_equals_the_baseline(tree):
    base = params(tree)
    write_scenario(tree, "change", "\n  children.level: 0.5\n  old_age.pensionable_age_rule: fixed\n"
                                   "  macro.real_gdp_growth: 0.01\n  demography.interval_position: -1\n"
                                   "  macro.gdp_growth_shift: 0.01")
    write_scenario(tree, "inverse", f"\n  children.level: {base.value('children.level')}\n"
                                    f"  old_age.pensionable_age_rule: {base.value('old_age.pensionable_age_rule')}\n"
                                    "  macro.real_gdp_growth: null\n  demography.interval_position: 0\n"
                                    "  macro.gdp_growth_shift: 0")
    changed = cost(tree, ["change"])
    assert not np.allclose(changed["cost"].values, cost(tree)["cost"].values)  # the change did something
    assert_same_costs(cost(tree, ["change+inverse"]), cost(tree))


def test_composition_order_later_wins_key_by_key(tree):
    write_scenario(tree, "a", "\n  children.level: 0.5\n  children.age_max: 8")
    write_scenario(tree, "b", "\n  children.level: 0.8")
    assert params(tree, ["a+b"]).value("children.level") == 0.8
    assert params(tree, ["b+a"]).value("children.level") == 0.5
    assert params(tree, ["a+b"]).value("children.age_max") == 8  # b leaves a's other changes alone
    assert_same_costs(cost(tree, ["a+b"]), cost(tree, sets=["children.level=0.8", "children.age_max=8"]))
    assert_same_costs(cost(tree, ["b+a"]), cost(tree, sets=["children.level=0.5", "children.age_max=8"]))


def test_real_growth_scenario_rebuilds_gdp_by_hand(bundle):
    growth = 0.01
    p = params(bundle.folders, sets=[f"macro.real_gdp_growth={growth}"])
    gdp = build_projections(p, bundle, to=2030).gdp
    weo = pd.read_csv(DATA / "gdp.csv").query("iso3 == 'ECU'").set_index("year")
    expected = weo.loc[2024, "gdp_lcu"] * (1 + growth) ** 6 * weo.loc[2030, "deflator"] / weo.loc[2024, "deflator"]
    assert float(gdp.sel(year=2030)) == pytest.approx(expected, rel=1e-12)
    assert float(gdp.sel(year=2024)) == pytest.approx(weo.loc[2024, "gdp_lcu"], rel=1e-12)


@pytest.mark.parametrize(("position", "column"), [(-1, "80l"), (1, "80u")])
def test_demographic_position_uses_the_wpp_interval(bundle, position, column):
    p = params(bundle.folders, sets=[f"demography.interval_position={position}"])
    costed = costing(ScenarioParameters.from_sets(["s"], [p]), bundle, sets=[p])
    inputs = costed.inputs.sel(scenario="s")
    jan = pd.read_csv(DATA / "population_total_sex.csv").query("iso3 == 'ECU'")
    jan = jan.assign(year=jan["date"].str.slice(0, 4).astype(int)).set_index("year")
    mid = (jan.loc[2030, f"pop_total_{column}"] + jan.loc[2031, f"pop_total_{column}"]) / 2
    assert float(inputs["population"].sel(year=2030).sum()) == pytest.approx(mid, rel=1e-9)
    births = pd.read_csv(DATA / "births.csv").query("iso3 == 'ECU'").set_index("year")
    assert float(inputs["births"].sel(year=2030).sum()) == pytest.approx(births.loc[2030, f"births_{column}"],
                                                                        rel=1e-9)
    # Estimates before the interval are not moved; people counted from the population move with it.
    base = costing(ScenarioParameters.from_sets(["s"], [params(bundle.folders)]), bundle).inputs
    assert float(inputs["population"].sel(year=2024).sum()) == pytest.approx(
        float(base["population"].sel(year=2024).sum()), rel=1e-12)
    ratio = float(inputs["population"].sel(year=2030).sum() / base["population"].sel(year=2030).sum())
    assert float(inputs["old_age_pensioners"].sel(year=2030) / base["old_age_pensioners"].sel(year=2030)) == \
        pytest.approx(ratio, rel=1e-12)
    assert any("demography.interval_position" in note for note in costed.results.attrs["notes"].splitlines())


def test_growth_shift_by_hand(bundle):
    shifted_params = params(bundle.folders, sets=["macro.gdp_growth_shift=0.02"])
    shifted = costing(ScenarioParameters.from_sets(["s"], [shifted_params]), bundle).inputs.sel(scenario="s")
    base = costing(ScenarioParameters.from_sets(["s"], [params(bundle.folders)]), bundle).inputs
    weo = pd.read_csv(DATA / "gdp.csv").query("iso3 == 'ECU'").set_index("year")
    g = weo["real_gdp_growth_pct"] / 100
    factor = np.prod([(1 + g[y] + 0.02) / (1 + g[y]) for y in range(2025, 2031)])
    assert float(shifted["gdp"].sel(year=2030)) == pytest.approx(float(base["gdp"].sel(year=2030)) * factor,
                                                                 rel=1e-12)
    assert float(shifted["gdp"].sel(year=2024)) == float(base["gdp"].sel(year=2024))


def test_fiscal_space_by_hand(bundle):
    sets = ["fiscal_space.existing_spending=0.004", "fiscal_space.reallocation=0.01",
            "fiscal_space.revenue_increase={2024: 0.0, 2030: 0.06}",
            "fiscal_space.contributions_from_extended_coverage=0.002"]
    res = cost(bundle.folders, sets=sets).sel(country="ECU", scenario="s")
    total = res["cost_share_gdp"].sel(benefit="total")
    revenue = np.interp(res["year"].values, [2024, 2030], [0.0, 0.06])
    expected_gap = np.maximum(total.values - 0.004, 0) - (0.01 + revenue + 0.002)
    np.testing.assert_allclose(res["fs_remaining_gap_share_gdp"].values, expected_gap, rtol=1e-12)
    closed = expected_gap <= 0
    first = first_year_closed(res["fs_remaining_gap_share_gdp"].expand_dims(scenario=["s"]))["s"]
    expected_first = next(y for i, y in enumerate(res["year"].values) if closed[i:].all())
    assert first == expected_first
    assert first_year_closed(xr.DataArray([[0.1, 0.1]], coords={"scenario": ["x"], "year": [2029, 2030]},
                                          dims=["scenario", "year"]))["x"] is None


def test_run_workbook_and_csv_carry_the_fiscal_space(runner, tmp_path):
    result = runner.invoke(main, ["run", "--out", str(tmp_path), "--set", "fiscal_space.revenue_increase=0.06"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "ECU-baseline-set-0346b4"  # a what-if: its own folder, named by a hash of the --set
    sheet = pd.read_excel(folder / "floors-ECU-baseline-set-0346b4.xlsx", sheet_name="fiscal_space")
    options = sheet[sheet["variable"] == "fs_options_share_gdp"].iloc[0]
    assert options[2030] == pytest.approx(0.06)
    closed = sheet[sheet["variable"] == "fs_gap_closed"].iloc[0]
    assert closed[2030] == "yes"  # 6 % of GDP covers the 5.1 % floor (booleans as words)
    readme = pd.read_excel(folder / "floors-ECU-baseline-set-0346b4.xlsx", sheet_name="README").set_index(
        "item")["text"]
    assert "from 2024 on" in readme["fiscal space baseline + fiscal_space.revenue_increase=0.06"]
    table = pd.read_csv(folder / "floors-ECU-baseline-set-0346b4.csv")
    assert (table["variable"] == "fs_financing_gap_share_gdp").sum() == 7


def test_causes_and_kinds_of_parameters_come_from_their_definitions(bundle):
    base = params(bundle.folders)

    def cause(path):
        return cause_of(base[path].definition)

    assert cause("children.level") == "level" and cause("old_age.months") == "level"
    assert cause("children.take_up") == "coverage" and cause("old_age.pensionable_age") == "coverage"
    assert cause("poverty.headcount_from") == "coverage" and cause("poverty.national_line_period") == "level"
    assert cause("macro.real_gdp_growth") == "macro" and cause("labour.participation_rate") == "macro"
    assert cause("demography.interval_position") == "demography" and cause("macro.gdp_growth_shift") == "macro"
    assert cause("fiscal_space.reallocation") is None
    assert base["children.level"].definition.kind == "policy"
    assert base["macro.real_gdp_growth"].definition.kind == "context"


@pytest.mark.parametrize(("change", "cause"), [
    ("children.level=1.3", "level"),
    ("children.age_max=8", "coverage"),
    ("demography.interval_position=1", "demography"),
    ("macro.gdp_growth_shift=-0.01", "macro"),
    ("macro.real_gdp_growth=0.0", "macro"),
])
def test_a_change_of_one_kind_is_all_attributed_to_its_cause(bundle, change, cause):
    sets = [params(bundle.folders), params(bundle.folders, sets=[change])]
    d = decompose(["a", "b"], sets, bundle)
    direct = cost(bundle.folders, sets=[change])["cost_share_gdp"] - cost(bundle.folders)["cost_share_gdp"]
    np.testing.assert_allclose(d["change"].sel(scenario="b").values,
                               direct.squeeze(["country", "scenario"]).values, atol=1e-15)
    assert abs(float(d["change"].sel(scenario="b", benefit="total", year=2030))) > 1e-4
    others = [c for c in CAUSES if c != cause]
    np.testing.assert_array_equal(d["contribution"].sel(scenario="b", cause=others).values, 0.0)


def test_decomposition_adds_up_to_the_total_change_with_interactions(bundle):
    sets = [params(bundle.folders),
            params(bundle.folders, sets=["children.level=1.5", "children.take_up=0.7", "macro.real_gdp_growth=0.01",
                                      "demography.interval_position=-1"]),
            params(bundle.folders, ["old-age-pension"])]
    d = decompose(["base", "mixed", "pension"], sets, bundle)
    np.testing.assert_allclose(d["contribution"].sum("cause").values, d["change"].values, atol=1e-15)
    both = cost_floor(ScenarioParameters.from_sets(["base", "mixed", "pension"], sets), bundle, sets=sets)
    share = both["cost_share_gdp"].squeeze("country")
    for name in ("mixed", "pension"):
        np.testing.assert_allclose(d["change"].sel(scenario=name).values,
                                   (share.sel(scenario=name) - share.sel(scenario="base")).values, atol=1e-14)
    mixed = d["contribution"].sel(scenario="mixed", benefit="total", year=2030)
    assert all(abs(float(mixed.sel(cause=c))) > 1e-5 for c in CAUSES)  # all four causes are at work


def test_compare_command_writes_the_comparison_workbook(runner, tmp_path, tree):
    write_scenario(tree, "richer", "\n  children.level: 1.2\n  macro.real_gdp_growth: 0.01")
    result = runner.invoke(main, ["compare", "baseline", "richer", "old-age-pension", "--assumptions", str(tree),
                                  "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "by cause" in result.output
    policy, context = result.output.split("parameters that differ:")[1].split(" context ")
    assert "children.level" in policy and "old_age.level" not in context
    assert "1 context (macro.real_gdp_growth)" in result.output
    label = "compare-baseline-vs-richer-vs-old-age-pension"
    path = tmp_path / f"ECU-{label}" / f"floors-ECU-{label}.xlsx"
    sheets = pd.read_excel(path, sheet_name=None)
    side = sheets["comparison"]
    assert list(side.columns[3:]) == ["baseline", "richer", "old-age-pension", "richer − baseline",
                                      "old-age-pension − baseline"]
    np.testing.assert_allclose(side["richer − baseline"], side["richer"] - side["baseline"], atol=1e-15)
    differ = sheets["parameters_differ"].set_index("parameter")
    assert differ.loc["children.level", "kind"] == "policy"
    assert differ.loc["macro.real_gdp_growth", "kind"] == "context"
    assert differ.loc["macro.real_gdp_growth", "cause"] == "macro"
    dec = sheets["decomposition"]
    for (scenario, benefit), block in dec.groupby(["scenario", "benefit"]):
        years = [c for c in dec.columns if isinstance(c, int)]
        causes = block[block["cause"] != "total change"][years].sum()
        np.testing.assert_allclose(causes.to_numpy(), block[block["cause"] == "total change"][years].iloc[0],
                                   atol=1e-15, err_msg=f"{scenario} {benefit}")
    wb = openpyxl.load_workbook(path)
    assert len(wb["decomposition"]._charts) == 2 and len(wb["comparison"]._charts) == 1
    series = wb["decomposition"]._charts[0].series
    rows = [int(s.val.numRef.f.rsplit("$", 1)[1]) for s in series]
    assert [wb["decomposition"].cell(row=r, column=3).value for r in rows] == list(CAUSES)
    assert {wb["decomposition"].cell(row=r, column=2).value for r in rows} == {"total"}


@pytest.mark.parametrize(("args", "message"), [
    (["compare", "baseline"], "at least one other scenario"),
    (["compare", "baseline", "no-such-scenario"], "not found"),
    (["compare", "baseline", "baseline"], "scenario names repeat"),
])
def test_compare_bad_input_exits_2(runner, tmp_path, args, message):
    result = runner.invoke(main, [*args, "--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not any(tmp_path.iterdir())


def test_compare_strict_refuses_warnings(runner, tmp_path):
    result = runner.invoke(main, ["compare", "baseline", "old-age-pension", "--strict", "--out", str(tmp_path),
                                  "--set", "children.level=3"])
    assert result.exit_code == 2, result.output
    assert "warning:" in result.output and not any(tmp_path.iterdir())
