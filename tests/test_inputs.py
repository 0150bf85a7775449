"""The inputs layer: each kind of input as labelled arrays with units, source and vintage from its card;
projections that take arrays, never the bundle."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import floors.projections
from floors import dims
from floors.engine.adjustments import apply_adjustments
from floors.inputs import Bundle, load_country, series
from floors.inputs.tables import read_table
from floors.problems import InputError

from .conftest import REPO_ASSUMPTIONS

DATA = REPO_ASSUMPTIONS / "data"

# Each input of CountryInputs: its table and the dimensions it leaves in.
INPUTS = {
    "population_january": ("population_total_sex", (dims.YEAR, dims.SEX)),
    "population_january_interval": ("population_total_sex", (dims.YEAR,)),
    "population_age5": ("population_age5_sex", (dims.YEAR, dims.SEX, dims.AGE)),
    "population_single_age": ("population_single_age_sex", (dims.YEAR, dims.SEX, dims.AGE)),
    "births": ("births", (dims.YEAR,)),
    "census": ("population_census_broad_age", (dims.AGE,)),
    "gdp": ("gdp", (dims.YEAR,)),
    "government_finance": ("macro_other", (dims.YEAR,)),
    "weo_population": ("macro_other", (dims.YEAR,)),
    "health_spending": ("health_expenditure", (dims.YEAR,)),
    "poverty_lines_national": ("poverty_lines_national", (dims.LINE,)),
    "poverty_lines_harmonized": ("poverty_lines_harmonized", (dims.COUNTRY,)),
    "poverty_headcount": ("poverty_headcount_national", (dims.YEAR,)),
    "labour_rates": ("labour_market", (dims.YEAR,)),
    "coverage_ratios": ("social_protection_coverage", (series.SERIES, dims.YEAR, dims.SEX, series.QUANTILE)),
    "disability_prevalence": ("disability_prevalence",
                              (series.GEOGRAPHY, dims.YEAR, series.AGE_GROUP, dims.SEX, series.SEVERITY)),
    "pensionable_age": ("pensionable_age", (dims.SEX,)),
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_every_input_is_labelled_with_units_source_and_vintage_from_its_card(bundle, name):
    table, expected_dims = INPUTS[name]
    value = getattr(load_country(bundle, "BOL"), name)  # BOL: the one country with a census
    _, card = read_table(DATA, table)
    arrays = value.data_vars.values() if isinstance(value, xr.Dataset) else [value]
    for array in arrays:
        assert array.dims == expected_dims, name
        assert array.attrs["source"] == card.cite("BOL") == card.cite()
        assert array.attrs["vintage"] == card.vintage
        assert array.attrs["table"] == table and array.attrs["file"].endswith(f"{table}.csv")
        assert "units" in array.attrs


def test_inputs_hold_the_values_of_the_tables_as_published(bundle):
    ecu = load_country(bundle, "ECU")
    jan = pd.read_csv(DATA / "population_total_sex.csv").query("iso3 == 'ECU' and date == '2030-01-01'").iloc[0]
    assert float(ecu.population_january.sel(year=2030, sex="female")) == jan["pop_female"]
    assert float(ecu.population_january_interval["pop_total_80u"].sel(year=2030)) == jan["pop_total_80u"]
    births = pd.read_csv(DATA / "births.csv").query("iso3 == 'ECU'").set_index("year")
    assert ecu.births["pop_change"].to_series().equals(births["pop_change"].astype(float))
    groups = pd.read_csv(DATA / "population_age5_sex.csv").query("iso3 == 'ECU' and year == 2025 and sex == 'male'")
    np.testing.assert_array_equal(ecu.population_age5.sel(year=2025, sex="male").values, groups["population"])
    assert list(ecu.population_age5[dims.AGE].values) == list(range(0, 101, 5))
    gdp = pd.read_csv(DATA / "gdp.csv").query("iso3 == 'ECU'").set_index("year")
    assert ecu.gdp["real_gdp_growth_pct"].to_series().equals(gdp["real_gdp_growth_pct"])  # percent, as published
    assert ecu.gdp["gdp_lcu"].attrs["units"] == "local currency per year"
    assert ecu.census is None and load_country(bundle, "BOL").census.attrs["census_date"] == "2024-03-23"
    assert float(ecu.pensionable_age.sel(sex="male")) == 60
    assert load_country(bundle, "KHM").poverty_lines_national.sizes[dims.LINE] == 0  # none bundled: empty
    assert "KHM" not in ecu.poverty_lines_harmonized[dims.COUNTRY].values  # every country that has one


def test_a_country_is_read_table_by_table_as_its_inputs_are_used():
    bundle = Bundle(REPO_ASSUMPTIONS)
    ecu = load_country(bundle, "ECU")
    assert bundle.tables_read == set()
    ecu.gdp, ecu.government_finance  # noqa: B018
    assert bundle.tables_read == {"gdp", "macro_other"}


def test_an_unknown_country_and_missing_rows_are_input_errors(tree_with_data):
    bundle = Bundle(tree_with_data)
    with pytest.raises(InputError, match="no data for country 'ECX'"):
        load_country(bundle, "ECX")
    path = tree_with_data / "data" / "population_total_sex.csv"
    path.write_text("".join(line for line in path.read_text().splitlines(keepends=True)
                            if not line.startswith("ECU,")))
    with pytest.raises(InputError) as caught:
        load_country(bundle, "ECU").population_january  # noqa: B018
    (problem,) = caught.value.problems
    assert "no rows for ECU" in problem.message and problem.file.endswith("data/population_total_sex.csv")
    assert "restore ECU's rows" in problem.hint


def test_births_outside_the_table_name_the_file(bundle):
    from floors.projections.births import project_births

    with pytest.raises(InputError) as caught:
        project_births(load_country(bundle, "ECU").births, "ECU", np.array([2014, 2015]))
    (problem,) = caught.value.problems
    assert problem.message == "no WPP 2024 births for ECU in [2014]"
    assert problem.file.endswith("data/births.csv") and problem.hint == "the data cover 2015–2050"


def _public_functions():
    modules = [floors.projections] + [importlib.import_module(f"floors.projections.{m.name}")
                                      for m in pkgutil.iter_modules(floors.projections.__path__)]
    for module in modules:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", function


def test_projections_take_arrays_not_the_bundle():
    """Only build_projections gathers the inputs; every other projection (and the engine's demographic
    adjustment) receives labelled arrays, parameters and years."""
    takers = [name for name, function in _public_functions()
              if any(p == "bundle" or "Bundle" in str(p.annotation) or "CountryInputs" in str(p.annotation)
                     for p in inspect.signature(function).parameters.values())
              or ".table(" in inspect.getsource(function)]
    assert takers == ["floors.projections.build_projections"]
    assert "bundle" not in inspect.signature(apply_adjustments).parameters


def test_a_projection_runs_on_arrays_alone():
    """Synthetic arrays, no bundle: the labour force is the working-age population × the participation rate."""
    from floors.projections.labour import project_labour

    years = np.array([2025, 2026])
    population = xr.DataArray(np.full((2, 2, 101), 10.0), dims=[dims.YEAR, dims.SEX, dims.AGE],
                              coords={dims.YEAR: years, dims.SEX: list(dims.SEXES), dims.AGE: np.arange(101)})
    rates = xr.Dataset({"labour_force_participation_rate_pct": (dims.YEAR, [50.0, 60.0]),
                        "unemployment_rate_pct": (dims.YEAR, [10.0, 10.0])}, coords={dims.YEAR: years},
                       attrs={"source": "synthetic"})

    class Params:  # the three values project_labour asks for
        country = "SYN"

        def value(self, path):
            return {"labour.working_age_min": 15}.get(path)

    labour = project_labour(Params(), rates, population, years)
    assert float(labour.labour_force.sel(year=2026, sex="female")) == pytest.approx(86 * 10 * 0.6)
    assert labour.labour_force.attrs["source"] == "population × participation rate (synthetic)"
