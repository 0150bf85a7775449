"""Each projection against the source it comes from, and against hand-computed values.

Reference values are read from the bundled CSVs (so a change to the data is caught by the
data, not by a stale constant) or computed by hand from published figures, with the
tolerance stated at each assertion.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from floors import dims, projections
from floors.assumptions import load_parameters
from floors.inputs import load_country
from floors.projections import build_projections
from floors.projections.macro import cpi_at
from floors.projections.population import interpolate_years, mid_year_totals

DATA = Path(__file__).resolve().parents[1] / "assumptions" / "data"


def project_population(bundle, iso3: str, years: np.ndarray, *, census) -> xr.DataArray:
    """`floors.projections.project_population` on the country's inputs, as build_projections calls it."""
    inputs = load_country(bundle, iso3)
    mid = mid_year_totals(inputs.population_january, inputs.births["pop_change"])
    return projections.project_population(inputs.population_single_age, inputs.population_age5, mid, iso3, years,
                                          census=census)


def census_adjustment(bundle, iso3: str, rule: str):
    """`floors.projections.population.census_adjustment` on the country's inputs."""
    inputs = load_country(bundle, iso3)
    mid = mid_year_totals(inputs.population_january, inputs.births["pop_change"])
    return projections.population.census_adjustment(inputs.census, inputs.population_age5, mid, iso3, rule)


@pytest.fixture(scope="module")
def ecu(bundle):
    params = load_parameters(bundle.folders.base, "ECU", known_countries=bundle.countries)
    return build_projections(params, bundle, to=2030)


def wpp2024_mid_year(iso3: str, year: int, column: str) -> float:
    """Mid-year population as the mean of 1 January of `year` and of `year + 1` (WPP 2024)."""
    table = pd.read_csv(DATA / "population_total_sex.csv")
    rows = table[table["iso3"] == iso3].set_index("date")[column]
    return (rows[f"{year}-01-01"] + rows[f"{year + 1}-01-01"]) / 2


# --- population ------------------------------------------------------------------------

@pytest.mark.parametrize("year", [2025, 2030])
def test_population_sums_to_wpp2024_totals_by_sex(ecu, year):
    pop = ecu.population.sel(year=year)
    for sex, column in (("female", "pop_female"), ("male", "pop_male")):
        expected = wpp2024_mid_year("ECU", year, column)
        assert float(pop.sel(sex=sex).sum()) == pytest.approx(expected, rel=1e-9)


def test_population_2024_matches_the_published_wpp2024_estimate(ecu):
    # WPP 2024 gives Ecuador's 1 July 2024 population as 18.135 million; the bundle has
    # 1 January 2025 only from WPP 2024, so 1 January 2024 is derived backwards with the
    # WPP 2024 population change (see assumptions/data/README.md). 0.1 % tolerance.
    assert float(ecu.population.sel(year=2024).sum()) == pytest.approx(18_135_477.5, rel=1e-3)


def wpp2024_group_shares(iso3: str, year: int, sex: str) -> pd.Series:
    """Share of each five-year group within a sex in the bundled WPP 2024 table (a published year)."""
    groups = pd.read_csv(DATA / "population_age5_sex.csv")
    rows = groups[(groups["iso3"] == iso3) & (groups["year"] == year) & (groups["sex"] == sex)]
    rows = rows.set_index("age_start")["population"]
    return rows / rows.sum()


def modelled_group_shares(population, year: int, sex: str):
    pop = population.sel(year=year, sex=sex)
    return pop.groupby((pop[dims.AGE] // 5) * 5).sum() / pop.sum()


def test_population_age_structure_follows_wpp2024_groups(ecu):
    """Within each sex, each five-year group's share equals its WPP 2024 share in a year the table gives."""
    for sex in dims.SEXES:
        shares = wpp2024_group_shares("ECU", 2030, sex)
        modelled = modelled_group_shares(ecu.population, 2030, sex)
        for start in (0, 15, 65, 100):
            assert float(modelled.sel(age=start)) == pytest.approx(shares[start], abs=1e-9)


def test_population_age_structure_is_interpolated_linearly_between_published_years(ecu):
    """2027 lies 2/5 of the way from 2025 to 2030: each group's share is 0.6 × 2025's + 0.4 × 2030's
    (the modelling choice of assumptions/data/README.md)."""
    for sex in dims.SEXES:
        expected = 0.6 * wpp2024_group_shares("ECU", 2025, sex) + 0.4 * wpp2024_group_shares("ECU", 2030, sex)
        modelled = modelled_group_shares(ecu.population, 2027, sex)
        for start in range(0, 101, 5):
            assert float(modelled.sel(age=start)) == pytest.approx(expected[start], abs=1e-12)


def test_interpolation_returns_the_years_given_unchanged():
    """An annual table (as `floors data import` writes) is returned as it is: interpolation is a no-op."""
    values = xr.DataArray(np.random.default_rng(1).random((4, 2)), dims=[dims.YEAR, dims.SEX],
                          coords={dims.YEAR: [2022, 2023, 2024, 2025], dims.SEX: list(dims.SEXES)})
    assert interpolate_years(values, np.array([2022, 2023, 2024, 2025])).equals(values)
    halfway = interpolate_years(values.sel(year=[2022, 2024]), np.array([2023]))
    np.testing.assert_allclose(halfway.sel(year=2023), (values.sel(year=2022) + values.sel(year=2024)) / 2)


@pytest.fixture(scope="module")
def bol(bundle):
    """Bolivia to 2030 with the default demography.census_age_structure (adjust) and with ignore."""
    out = {}
    for rule in ("adjust", "ignore"):
        params = load_parameters(bundle.folders.base, "BOL", sets=[f"demography.census_age_structure={rule}"],
                                 known_countries=bundle.countries)
        out[rule] = build_projections(params, bundle, to=2030)
    return out


def share_aged(population, year: int, age: int) -> float:
    pop = population.sel(year=year)
    return float(pop.where(pop[dims.AGE] >= age, 0).sum() / pop.sum())


def test_bolivia_follows_its_2024_census_by_default(bundle, bol):
    """INE's 2024 census: 841,275 of 11,365,333 people aged 65 and over (7.40 %); floors' mid-2024
    population has that share (the requirement: 7.4 % ± 0.05 point)."""
    params = load_parameters(bundle.folders.base, "BOL", known_countries=bundle.countries)
    assert params.value("demography.census_age_structure") == "adjust"
    adjusted = bol["adjust"].population
    assert share_aged(adjusted, 2024, 65) == pytest.approx(841_275 / 11_365_333, abs=1e-9)
    assert share_aged(adjusted, 2024, 65) == pytest.approx(0.074, abs=0.0005)
    young = float(adjusted.sel(year=2024).where(adjusted[dims.AGE] < 15, 0).sum() / adjusted.sel(year=2024).sum())
    assert young == pytest.approx(3_063_844 / 11_365_333, abs=1e-9)
    # WPP 2024 as published has far fewer older people (5.7 % in 2024).
    assert share_aged(bol["ignore"].population, 2024, 65) == pytest.approx(0.0572, abs=0.0005)
    assert any("census of 2024-03-23" in note and "65+ 5.7% → 7.4%" in note for note in bol["adjust"].notes)
    assert any("2024 census" in w and "not yet verified" in w for w in bol["adjust"].warnings)
    assert not any("census" in text for text in bol["ignore"].notes + bol["ignore"].warnings)
    assert "census" in adjusted.attrs["source"] and "census" not in bol["ignore"].population.attrs["source"]


@pytest.mark.parametrize("year", [2024, 2027, 2030])
def test_census_adjustment_keeps_wpp2024_totals_and_one_factor_per_broad_group(bol, year):
    adjusted, published = bol["adjust"].population.sel(year=year), bol["ignore"].population.sel(year=year)
    for sex, column in (("female", "pop_female"), ("male", "pop_male")):
        assert float(adjusted.sel(sex=sex).sum()) == pytest.approx(float(published.sel(sex=sex).sum()), rel=1e-12)
        if year >= 2025:  # the years WPP 2024 gives directly (2024 is derived backwards)
            assert float(adjusted.sel(sex=sex).sum()) == pytest.approx(wpp2024_mid_year("BOL", year, column), rel=1e-9)
    ratio = adjusted / published
    broad = {"0-14": slice(0, 14), "15-64": slice(15, 64), "65+": slice(65, 100)}
    for sex in dims.SEXES:
        for ages in broad.values():  # every single age of a broad group moves by the same factor
            within = ratio.sel(sex=sex, age=ages)
            assert float(within.max() - within.min()) < 1e-12
    # Between groups, the factors are the same for both sexes (only the renormalisation within a sex differs).
    relative = ratio.sel(age=70) / ratio.sel(age=30)
    assert float(relative.sel(sex="female")) == pytest.approx(float(relative.sel(sex="male")), rel=1e-12)
    assert float(relative.sel(sex="female")) > 1.2  # 65+ raised against working ages


def test_census_adjustment_applies_to_any_year_asked_for(bundle):
    """The factors are set once, for the census year, and carried to other years, such as the year a
    coverage count was observed in (build_projections' population_in)."""
    census = census_adjustment(bundle, "BOL", "adjust")
    assert census is not None and census.year == 2024 and census.labels == ("0-14", "15-64", "65+")
    assert census_adjustment(bundle, "BOL", "ignore") is None
    assert census_adjustment(bundle, "ECU", "adjust") is None  # no census bundled for Ecuador
    in_2022 = project_population(bundle, "BOL", np.array([2022]), census=census)
    assert share_aged(in_2022, 2022, 65) > share_aged(project_population(bundle, "BOL", np.array([2022]),
                                                                         census=None), 2022, 65) + 0.01


def test_population_has_every_single_age_and_no_negative_count(ecu):
    assert list(ecu.population[dims.AGE].values) == list(range(dims.MAX_AGE + 1))
    assert float(ecu.population.min()) > 0
    assert ecu.population.dims == (dims.YEAR, dims.SEX, dims.AGE)


def test_population_outside_the_data_is_a_clear_error(bundle):
    from floors.problems import InputError

    with pytest.raises(InputError, match="no population data for ECU in 2019"):
        project_population(bundle, "ECU", np.array([2019, 2020]), census=None)


# --- births ----------------------------------------------------------------------------

def test_births_by_sex_add_up_and_follow_the_sex_ratio(ecu):
    table = pd.read_csv(DATA / "births.csv")
    row = table[(table["iso3"] == "ECU") & (table["year"] == 2024)].iloc[0]
    births = ecu.births.sel(year=2024)
    assert float(births.sum()) == pytest.approx(row["births"], rel=1e-12)
    boys, girls = float(births.sel(sex="male")), float(births.sel(sex="female"))
    assert boys / girls == pytest.approx(row["srb_male_per_female"], rel=1e-12)
    # Hand-computed: 268,769 births at 1.046 boys per girl → 131,363 girls (±1).
    assert girls == pytest.approx(268_769 / (1 + row["srb_male_per_female"]), abs=1)


# --- GDP, prices, government finance -----------------------------------------------------

@pytest.mark.parametrize(("year", "usd_bn"), [(2024, 124.676), (2030, 159.376)])
def test_gdp_equals_weo_october_2025(ecu, year, usd_bn):
    # Ecuador uses the US dollar, so WEO GDP in local currency is GDP in USD.
    assert float(ecu.gdp.sel(year=year)) / 1e9 == pytest.approx(usd_bn, rel=1e-4)


def test_gdp_past_the_weo_horizon_grows_at_the_last_real_and_deflator_rates(bundle):
    params = load_parameters(bundle.folders.base, "ECU", known_countries=bundle.countries)
    long = build_projections(params, bundle, to=2032)
    weo = pd.read_csv(DATA / "gdp.csv").query("iso3 == 'ECU'").set_index("year")
    growth = (1 + weo.loc[2030, "real_gdp_growth_pct"] / 100) * (weo.loc[2030, "deflator"] / weo.loc[2029, "deflator"])
    assert float(long.gdp.sel(year=2032)) == pytest.approx(weo.loc[2030, "gdp_lcu"] * growth**2, rel=1e-9)
    assert any("2031" in note for note in long.notes)


def test_beyond_weo_error_rule_refuses_to_extend(bundle):
    from floors.problems import InputError

    params = load_parameters(bundle.folders, "ECU", sets=["macro.beyond_weo=error"], known_countries=bundle.countries)
    with pytest.raises(InputError, match="2031"):
        build_projections(params, bundle, to=2031)


def test_exchange_rate_falls_back_to_the_last_year_with_usd_gdp(bundle):
    # PAK's WEO GDP in US dollars stops in 2025: a 2026 base year takes the 2025 rate and says so.
    params = load_parameters(bundle.folders, "PAK", sets=["macro.base_year=2026"], known_countries=bundle.countries)
    pak = build_projections(params, bundle, to=2030)
    weo = pd.read_csv(DATA / "gdp.csv").query("iso3 == 'PAK'").set_index("year")
    assert pak.usd_rate == pytest.approx(weo.loc[2025, "gdp_lcu"] / weo.loc[2025, "gdp_usd"], rel=1e-12)
    assert any("no GDP in US dollars for 2026" in note for note in pak.notes)


def test_problem_values_print_as_plain_numbers():
    from floors.problems import Problem

    assert "(value: 1.5)" in Problem("too big", value=np.float64(1.5)).format()


def test_government_finance_shares_and_holding_rule(ecu):
    weo = pd.read_csv(DATA / "macro_other.csv").query("iso3 == 'ECU'").set_index("year")
    expenditure, revenue = weo.loc[2024, ["gg_expenditure_pct_gdp", "gg_revenue_pct_gdp"]] / 100
    assert float(ecu.gg_expenditure_share.sel(year=2024)) == pytest.approx(expenditure)
    assert float(ecu.gg_revenue_share.sel(year=2024)) == pytest.approx(revenue)
    # The WEO has no later value for Ecuador: held at 2024's, and said so in the notes.
    assert float(ecu.gg_expenditure_share.sel(year=2030)) == float(ecu.gg_expenditure_share.sel(year=2024))
    assert any("expenditure" in note and "held" in note for note in ecu.notes)


# --- poverty -----------------------------------------------------------------------------

def test_national_poverty_line_projected_with_cpi_meets_inec_december_2025(ecu):
    """INEC's December 2024 line (USD 91.43) carried forward with the WEO CPI gives the
    December 2025 line within 1 % of the USD 92.40 INEC published (the WEO CPI is an
    annual average, interpolated to months, so a small gap is expected)."""
    weo = pd.read_csv(DATA / "gdp.csv").query("iso3 == 'ECU'").set_index("year")["cpi_index"]
    december_2025 = 91.43 * cpi_at(weo, 2025 + 11.5 / 12) / cpi_at(weo, 2024 + 11.5 / 12)
    assert december_2025 == pytest.approx(92.40, rel=0.01)
    # The annual series is the line at each year's average prices: 2030 / 2025 = CPI ratio.
    ratio = float(ecu.poverty_line_national.sel(year=2030) / ecu.poverty_line_national.sel(year=2025))
    assert ratio == pytest.approx(weo[2030] / weo[2025], rel=1e-9)


def test_poverty_headcount_is_inecs_december_2024_rate(ecu):
    assert float(ecu.poverty_headcount.sel(year=2024)) == pytest.approx(0.280)
    assert float(ecu.poverty_headcount.sel(year=2030)) == pytest.approx(0.280)


# --- labour force and coverage -----------------------------------------------------------

def test_labour_force_and_unemployed_by_hand(ecu):
    """ILO modelled rates: population 15+ × participation rate, × unemployment rate (ECU 2024: 64.5 %, 3.45 %)."""
    pop15 = float(ecu.population.sel(year=2024).where(ecu.population[dims.AGE] >= 15, 0).sum())
    labour_force = float(ecu.labour_force.sel(year=2024).sum())
    assert labour_force == pytest.approx(pop15 * 0.645, rel=1e-12)
    # Against INEC's own count (8,731,106 economically active in September 2024, a participation rate of
    # 65.8 %): the ILO's harmonised rate is a little lower and the WPP population 15+ a little larger.
    assert labour_force == pytest.approx(8_731_106, rel=0.05)
    assert float(ecu.unemployed.sel(year=2024).sum()) == pytest.approx(labour_force * 0.0345, rel=1e-12)


def test_labour_rates_are_held_after_the_last_ilo_year_and_can_be_set(bundle):
    params = load_parameters(bundle.folders.base, "KEN", known_countries=bundle.countries)
    ken = build_projections(params, bundle)
    rate = ken.unemployed / ken.labour_force
    assert float(rate.sel(year=2027, sex="female")) == pytest.approx(0.0532, rel=1e-9)
    assert float(rate.sel(year=2030, sex="male")) == pytest.approx(0.0532, rel=1e-9)
    assert any("held at its 2027 value" in note for note in ken.notes)
    mine = build_projections(load_parameters(bundle.folders.base, "KEN", sets=["labour.unemployment_rate=0.1"]), bundle)
    assert float((mine.unemployed / mine.labour_force).sel(year=2025, sex="male")) == pytest.approx(0.1)
    assert float(mine.labour_force.sel(year=2025).sum()) == pytest.approx(float(ken.labour_force.sel(year=2025).sum()))


def test_country_without_labour_rows_has_no_labour_force(tree_with_data):
    from floors.inputs import Bundle

    table = tree_with_data / "data" / "labour_market.csv"
    table.write_text("".join(line for line in table.read_text().splitlines(keepends=True)
                             if not line.startswith("KEN,")))
    bundle = Bundle(tree_with_data)
    ken = build_projections(load_parameters(tree_with_data, "KEN", known_countries=bundle.countries), bundle)
    assert ken.labour_force is None and ken.unemployed is None
    assert any("no ILO modelled labour rates" in note for note in ken.notes)


def test_existing_coverage_reproduces_the_iess_count_and_keeps_its_rate(ecu, bundle):
    pop_2022 = project_population(bundle, "ECU", np.array([2022]), census=None)  # ECU has no bundled census
    over_65_2022 = float(pop_2022.where(pop_2022[dims.AGE] >= 65, 0).sum())
    rate = 548_386 / over_65_2022  # IESS old-age pensioners, December 2022
    over_65_2030 = float(ecu.population.sel(year=2030).where(ecu.population[dims.AGE] >= 65, 0).sum())
    assert float(ecu.coverage["old_age_pensioners"].sel(year=2030)) == pytest.approx(rate * over_65_2030, rel=1e-9)
    # All IESS pensioners of 2022 add up to the 755,111 of the report.
    pensions = ("old_age_pensioners", "disability_pensioners", "survivor_pensioners")
    params = load_parameters(bundle.folders.base, "ECU")
    total_2022 = sum(params.value(f"coverage.{name}")[2022] for name in pensions)
    assert total_2022 == 755_111


def test_projections_as_one_dataset_with_country_dimension(ecu):
    ds = ecu.to_dataset()
    assert ds["population"].dims == (dims.COUNTRY, dims.YEAR, dims.SEX, dims.AGE)
    assert list(ds[dims.COUNTRY].values) == ["ECU"]
    assert list(ds[dims.YEAR].values) == list(range(2024, 2031))


@pytest.mark.parametrize("iso3", ["KEN", "IDN", "PAK", "BOL"])
def test_other_bundled_countries_project(bundle, iso3):
    params = load_parameters(bundle.folders.base, iso3, known_countries=bundle.countries)
    projections = build_projections(params, bundle)
    assert float(projections.population.sel(year=2025).sum()) == pytest.approx(
        wpp2024_mid_year(iso3, 2025, "pop_total"), rel=1e-9)
    assert np.isfinite(projections.gdp.values).all()


def test_international_lines_in_ppp_dollars(ecu):
    lines = ecu.poverty_lines_ppp
    assert float(lines.sel(line="extreme")) == 2.15
    assert float(lines.sel(line="upper_middle")) == 6.85
    # Jolliffe et al. (2022) harmonised national line for Ecuador, from the bundled table.
    assert float(lines.sel(line="national_harmonized")) == pytest.approx(5.9404)
