"""Every bundled country runs to 2030 on the defaults, with declared fallbacks, sane results,
and several countries together in one workbook."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from floors.assumptions import load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.cli import main
from floors.engine import costing
from floors.inputs import Bundle, load_country
from floors.projections import poverty

DATA = Path(__file__).resolve().parents[1] / "assumptions" / "data"
COUNTRIES = list(Bundle(DATA.parent).countries)
# Countries with an official national line per person in the bundle; the rest use the fallback.
NATIONAL_LINE = {"ECU", "COL", "PER", "IDN", "PHL"}


SCENARIOS = ["baseline", "ilo-wp113", "ilo-ess58"]
WP113_BENEFITS = ["children", "maternity", "disability", "unemployment", "old_age", "health"]
ESS58_BENEFITS = ["children", "maternity", "disability", "old_age"]


@pytest.fixture(scope="module")
def costed(bundle):
    """Every country, its baseline and both ILO presets in one pass each."""
    out = {}
    for iso3 in COUNTRIES:
        sets = [load_parameters(bundle.folders.base, iso3, [] if name == "baseline" else [name],
                                known_countries=set(bundle.countries)) for name in SCENARIOS]
        out[iso3] = costing(ScenarioParameters.from_sets(SCENARIOS, sets), bundle, to=2030, sets=sets)
    return out


def wpp2024_mid_year_total(iso3: str, years) -> np.ndarray:
    jan = pd.read_csv(DATA / "population_total_sex.csv").query("iso3 == @iso3")
    jan = jan.assign(year=jan["date"].str.slice(0, 4).astype(int)).set_index("year")["pop_total"]
    change = pd.read_csv(DATA / "births.csv").query("iso3 == @iso3").set_index("year")["pop_change"]
    for year in (2024, 2023, 2022):  # 1 January before 2025, derived backwards as documented
        jan[year] = jan[year + 1] - change[year]
    return np.array([(jan[y] + jan[y + 1]) / 2 for y in years])


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_every_country_runs_to_2030_with_sane_results(costed, iso3):
    results = costed[iso3].results.sel(country=iso3)
    assert int(results["year"].max()) == 2030
    benefits = [b for b in results["benefit"].values if b != "total"]
    assert benefits == WP113_BENEFITS  # no benefit silently omitted
    for variable in ("cost", "cost_share_gdp"):
        values = results[variable].sel(benefit=[*benefits, "total"]).values
        assert np.isfinite(values).all() and (values >= 0).all(), variable
    for variable in ("beneficiaries", "unit_benefit", "eligible", "existing_coverage"):
        by_benefit = results[variable].sel(benefit=benefits, scenario=["baseline", "ilo-wp113"]).values
        assert np.isfinite(by_benefit).all() and (by_benefit >= 0).all(), variable
        # People are not added up across benefits (the groups overlap): the total has no count.
        assert np.isnan(results[variable].sel(benefit="total").values).all(), variable
    # Population totals equal WPP 2024's mid-year totals (the level the costing stands on).
    years = results["year"].values
    population = costed[iso3].inputs["population"].sum(["sex", "age"]).sel(year=years).values
    np.testing.assert_allclose(population, wpp2024_mid_year_total(iso3, years), rtol=1e-9)
    # ESS WP 58's set, gross: old-age pensions at the line from 65 are of the order of the published
    # estimates (ILO for Ecuador 0.98 % of GDP in 2030; HelpAge 2011: under 1.8 % of GDP in 50 countries at
    # lower levels). Bolivia's is about 4 %: its harmonised line is 45 % of GDP per person, and 7.4 % of
    # its people are 65+ (2024 census), hence the upper bound.
    ess58 = results.sel(scenario="ilo-ess58")
    old_age = float(ess58["cost_share_gdp"].sel(benefit="old_age", year=2030))
    assert 0.002 < old_age < 0.045, old_age
    assert 0.005 < float(ess58["cost_share_gdp"].sel(benefit="total", year=2030)) < 0.1
    total = float(results["cost_share_gdp"].sel(scenario="baseline", benefit="total", year=2030))
    assert 0.01 < total < 0.6, total


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_baseline_is_the_ilo_wp113_preset(costed, iso3):
    cost = costed[iso3].results["cost"].sel(country=iso3)
    np.testing.assert_array_equal(cost.sel(scenario="baseline").values, cost.sel(scenario="ilo-wp113").values)


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_ess58_costs_its_four_benefits_gross(costed, iso3):
    results = costed[iso3].results.sel(country=iso3, scenario="ilo-ess58")
    cost = results["cost"]
    for benefit in ("unemployment", "health"):
        assert float(np.abs(cost.sel(benefit=benefit)).sum()) == 0, benefit
    assert float(cost.sel(benefit=ESS58_BENEFITS).min()) > 0
    np.testing.assert_array_equal(results["existing_coverage"].sel(benefit=ESS58_BENEFITS).values, 0)


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_wp113_is_net_of_existing_coverage_and_says_from_what(costed, iso3):
    results = costed[iso3].results.sel(country=iso3)
    notes = results.attrs["notes"] + results.attrs["warnings"]
    for benefit in ("children", "maternity", "disability", "unemployment", "old_age"):
        label = benefit.replace("_", " ")
        assert (f"{label} benefit net of existing coverage" in notes
                or ("no coverage ratio" in notes and label in notes)), (iso3, benefit)
        covered = results["existing_coverage"].sel(scenario="ilo-wp113", benefit=benefit)
        eligible = results["eligible"].sel(scenario="ilo-wp113", benefit=benefit)
        assert bool((covered <= eligible * (1 + 1e-12)).all()), benefit
    wp113 = results["cost"].sel(scenario="ilo-wp113")
    gross = results["beneficiaries"].sel(scenario="ilo-wp113") + results["existing_coverage"].sel(
        scenario="ilo-wp113")
    np.testing.assert_allclose(gross.sel(benefit="old_age").values,
                               results["eligible"].sel(scenario="ilo-wp113", benefit="old_age").values, rtol=1e-9)
    assert float(wp113.sel(benefit="total", year=2030)) > 0


def test_missing_ilo_ratios_are_named_in_the_warnings(costed):
    """The pairs SOURCES.md lists as missing: costed gross, each with a warning."""
    for iso3, series in (("TZA", "SI_COV_CHLD"), ("UGA", "SI_COV_CHLD"), ("COL", "SI_COV_MATNL"),
                         ("ETH", "SI_COV_MATNL"), ("PAK", "SI_COV_MATNL"), ("SEN", "SI_COV_DISAB"),
                         ("UGA", "SI_COV_DISAB"), ("PER", "SI_COV_UEMP")):
        assert f"no coverage ratio ({series})" in costed[iso3].results.attrs["warnings"], (iso3, series)


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_fallbacks_are_declared_never_silent(costed, iso3, bundle):
    warnings = costed[iso3].results.attrs["warnings"]
    line = costed[iso3].inputs["poverty_line_national"]
    if iso3 in NATIONAL_LINE:
        assert "fallback" not in warnings
        assert "fallback" not in line.attrs["source"]
    else:
        assert "poverty.national_line_fallback" in warnings
        assert line.attrs["source"].startswith("fallback")
    if bundle.country(iso3).fiscal_year_gdp:
        assert "fiscal years" in warnings


def test_all_countries_on_the_ilo_wp113_preset_from_the_command_line(runner, tmp_path):
    result = runner.invoke(main, ["run", "--country", "all", "-s", "ilo-wp113", "--format", "csv",
                                  "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (table_path,) = tmp_path.glob("*/*.csv")
    table = pd.read_csv(table_path).query("variable == 'cost_share_gdp' and year == 2030")
    assert set(table["country"]) == set(COUNTRIES)
    assert table.groupby("country")["benefit"].nunique().eq(7).all()  # six benefits and the total
    assert np.isfinite(table["value"]).all()


def fallback_line(bundle, iso3: str, years: np.ndarray, cpi: pd.Series):
    """`floors.projections.poverty.fallback_line` on the country's inputs, as build_projections calls it."""
    inputs = load_country(bundle, iso3)
    return poverty.fallback_line(inputs.poverty_lines_harmonized, inputs.gdp, inputs.weo_population, iso3, years, cpi)


def test_fallback_line_by_hand_for_kenya(bundle):
    table = pd.read_csv(DATA / "poverty_lines_harmonized.csv").set_index("iso3")
    gdp = pd.read_csv(DATA / "gdp.csv").query("iso3 == 'KEN'").set_index("year")
    pop = pd.read_csv(DATA / "macro_other.csv").query("iso3 == 'KEN'").set_index("year")["population_weo"]
    ratio = table.loc["KEN", "npl_2017ppp_usd_per_day"] / table.loc["KEN", "gdp_pc_2017ppp_usd_per_day"]
    cpi = gdp["cpi_index"]
    line, how = fallback_line(bundle, "KEN", np.array([2024, 2030]), cpi)
    expected = ratio * gdp.loc[2017, "gdp_lcu"] / pop[2017] / 12 * cpi[2030] / cpi[2017]
    assert float(line.sel(year=2030)) == pytest.approx(expected, rel=1e-12)
    assert "Jolliffe" in how
    # KHM has no harmonised line: the median ratio of the others.
    khm, how = fallback_line(bundle, "KHM", np.array([2024]), pd.read_csv(DATA / "gdp.csv").query(
        "iso3 == 'KHM'").set_index("year")["cpi_index"])
    assert "median" in how and float(khm.sel(year=2024)) > 0


def test_several_countries_in_one_workbook(runner, tmp_path):
    result = runner.invoke(main, ["run", "--country", "KEN,ecu", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "countries-KEN-ECU-baseline"
    path = folder / "floors-countries-KEN-ECU-baseline.xlsx"
    sheets = pd.read_excel(path, sheet_name=None)
    countries = sheets["countries"]
    assert set(countries["country"]) == {"KEN", "ECU"}
    table = pd.read_csv(folder / "floors-countries-KEN-ECU-baseline.csv")
    for iso3 in ("KEN", "ECU"):
        row = countries[(countries["country"] == iso3) & (countries["benefit"] == "total")].iloc[0]
        csv = table.query("country == @iso3 and benefit == 'total' and variable == 'cost_share_gdp' "
                          "and year == 2030")
        assert row[2030] == pytest.approx(float(csv["value"].iloc[0]), rel=1e-12)
    by_country = sheets["by_country"].set_index("country (2030)")
    assert by_country.loc["ECU", "total"] == pytest.approx(row[2030], rel=1e-12)  # row: ECU's total
    chart = openpyxl.load_workbook(path)["by_country"]._charts[0]
    assert chart.series[0].cat.numRef.f == "'by_country'!$A$2:$A$3"
    assert [s.tx.strRef.f for s in chart.series][:2] == ["'by_country'!B1", "'by_country'!C1"]
    assert len(chart.series) == by_country.shape[1] - 1  # every benefit, not the total
    warnings = sheets["warnings"]
    assert (warnings["country"] == "KEN").any() and warnings["message"].str.contains("fallback").any()


def test_unknown_countries_in_a_list_are_all_reported(runner, tmp_path):
    result = runner.invoke(main, ["run", "--country", "KEN,XXX,KNE", "--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "'XXX'" in result.output and "'KNE'" in result.output and "did you mean 'KEN'" in result.output
    assert not any(tmp_path.iterdir())


def test_init_writes_a_folder_to_review_that_loads(runner, tree):
    result = runner.invoke(main, ["init", "KEN", "--assumptions", str(tree)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tree / "KEN").glob("*.yaml"))
    assert files == ["coverage.yaml", "fiscal_space.yaml", "labour.yaml", "macro.yaml", "poverty.yaml"]
    text = (tree / "KEN" / "coverage.yaml").read_text(encoding="utf-8")
    assert text.count("no_source: 'DEFAULT TO REVIEW") + text.count('no_source: "DEFAULT TO REVIEW') == 7
    assert "# Unit: persons." in text
    params = load_parameters(tree, "KEN", known_countries=set(Bundle(tree).countries))
    assert params["coverage.old_age_pensioners"].layer == "country"
    assert params["coverage.old_age_pensioners"].citation().startswith("NO SOURCE: DEFAULT TO REVIEW")
    # The folder changes nothing until it is filled in.
    default = load_parameters(tree, "SEN", known_countries=set(Bundle(tree).countries))
    assert params.value("labour.participation_rate") == default.value("labour.participation_rate")
    again = runner.invoke(main, ["init", "KEN", "--assumptions", str(tree)])
    assert again.exit_code == 2 and "the file exists already" in again.output and "--force" in again.output


def test_init_from_bundle_keeps_national_values_and_sources(runner, tree):
    before = load_parameters(tree, "ECU", known_countries=set(Bundle(tree).countries))
    result = runner.invoke(main, ["init", "ECU", "--from-bundle", "--force", "--assumptions", str(tree)])
    assert result.exit_code == 0, result.output
    after = load_parameters(tree, "ECU", known_countries=set(Bundle(tree).countries))
    for path in ("coverage.old_age_pensioners", "labour.participation_rate", "poverty.national_line_period",
                 "macro.minimum_wage_monthly"):
        assert after.value(path) == before.value(path)
        assert after[path].citation() == before[path].citation()
    assert after["fiscal_space.existing_spending"].citation().startswith("NO SOURCE: DEFAULT TO REVIEW")


def test_init_unknown_country_exits_2(runner, tree):
    result = runner.invoke(main, ["init", "KNE", "--assumptions", str(tree)])
    assert result.exit_code == 2 and "did you mean 'KEN'" in result.output
    assert not (tree / "KNE").exists()
