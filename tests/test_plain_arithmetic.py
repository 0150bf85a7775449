"""The engine's arithmetic on plain arrays (issue 19): a sweep gives each scenario exactly the numbers of its
own run, what is the same in every scenario is computed once yet shown (and warned about) for each, and a
benefit's results with labels other than the costing's are refused rather than silently broadcast."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import xarray as xr

from floors.assumptions import load_parameters, yearly_values
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.benefits import BENEFITS
from floors.engine import cost_floor
from floors.inputs import Bundle

from .conftest import REPO_ASSUMPTIONS


@pytest.fixture(scope="module")
def bundle_():
    return Bundle(REPO_ASSUMPTIONS)


def test_a_sweep_gives_each_scenario_every_number_of_its_own_run(bundle_):
    """Every variable (the by-age detail and the fiscal space included) of every scenario of a sweep equals,
    bit for bit, a run of that scenario alone: one row computed for all where a parameter is the same, one per
    scenario where it differs, and a scenario that leaves a benefit out costs nothing for it."""
    base = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=["old_age.pensionable_age_rule=fixed"])
    axes = {"children.age_max": [5, 17], "old_age.pensionable_age": [60, 67],
            "disability.prevalence_position": [-1.0, 0.5], "maternity.include": [True, False]}
    sweep_params = ScenarioParameters.grid(base, axes)
    sweep = cost_floor(sweep_params, bundle_)
    assert float(sweep["cost"].sel(benefit="maternity").isel(scenario=1).sum()) == 0  # left out in scenario 1
    for i, name in enumerate(sweep["scenario"].values):
        single = cost_floor(ScenarioParameters.grid(base, {path: [sweep_params.values[path][i]] for path in axes}),
                            bundle_)
        for variable in sweep.data_vars:
            ours = sweep[variable].sel(scenario=name)
            alone = single[variable].squeeze("scenario", drop=True)
            if "maternity" not in single["benefit"].values and "benefit" in ours.dims:  # left out of its own run
                ours = ours.drop_sel(benefit="maternity")
                assert float(sweep[variable].sel(scenario=name, benefit="maternity").fillna(0).sum()) == 0
            np.testing.assert_array_equal(ours.transpose(*alone.dims).values, alone.values, err_msg=variable)


def test_a_warning_names_each_scenario_though_its_numbers_were_computed_once(bundle_):
    """Pensioners counted from 65 against a benefit from 80: every scenario of the sweep (which differ only in
    the child benefit, so the old-age numbers are one row for all) is named, as before."""
    base = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=["old_age.pensionable_age_rule=fixed",
                                                          "old_age.pensionable_age=80"])
    out = cost_floor(ScenarioParameters.grid(base, {"children.level": [0.25, 0.5, 0.75]}), bundle_)
    lines = [line for line in out.attrs["warnings"].splitlines() if "eligible for old_age" in line]
    assert [line.split(":")[0] for line in lines] == [f"ECU children.level={v}" for v in (0.25, 0.5, 0.75)]
    assert all("more people are already covered (924,746) than the 288,436 eligible" in line for line in lines)


def test_a_parameter_by_scenario_is_one_row_where_it_is_the_same_and_each_scenarios_value_otherwise(bundle_):
    base = load_parameters(REPO_ASSUMPTIONS, "ECU")
    years = np.arange(2024, 2031)
    by_year = {2024: 0.2, 2030: 0.8}
    p = ScenarioParameters.grid(base, {"children.level": [0.5, 1, by_year]})
    assert p.shared_number("children.months", years).shape == (1, len(years))  # the same everywhere
    assert p.number_values("children.months", years).shape == (3, len(years))  # shown for every scenario
    expected = np.stack([yearly_values(v, years) for v in (0.5, 1.0, by_year)])
    np.testing.assert_array_equal(p.shared_number("children.level", years), expected)
    swept = ScenarioParameters.grid(base, {"children.level": [0.5, 1]})  # numbers only: converted in one go
    np.testing.assert_array_equal(swept.number_values("children.level", years)[:, 0], [0.5, 1.0])
    assert p.shared_is("children.basis", "national_poverty_line").tolist() == [True]
    assert p.is_values("children.basis", "national_poverty_line").tolist() == [True] * 3


@pytest.mark.parametrize(("relabel", "message"), [
    (lambda result: result.assign_coords(scenario=["other"]), "its scenarios are not the costing's"),
    (lambda result: result.assign_coords(year=result["year"].values + 1), "its years are not the costing's"),
    (lambda result: result.assign_coords(age=result["age"].values + 1), "its age labels are not the projections'"),
])
def test_a_benefits_results_with_other_labels_are_refused(bundle_, monkeypatch, relabel, message):
    """Where xarray's exact alignment refused arrays with other labels, the plain arithmetic checks them on the
    way in: a benefit (here one a user changed) whose results carry other scenarios, years or ages is an error,
    not numbers put in the wrong place."""
    plain = BENEFITS["children"]
    monkeypatch.setitem(BENEFITS, "children", dataclasses.replace(plain, cost=lambda ctx: relabel(plain.cost(ctx))))
    base = load_parameters(REPO_ASSUMPTIONS, "ECU")
    with pytest.raises(ValueError, match=message):
        cost_floor(ScenarioParameters.from_sets(["s"], [base]), bundle_)
    monkeypatch.undo()
    assert isinstance(cost_floor(ScenarioParameters.from_sets(["s"], [base]), bundle_), xr.Dataset)
