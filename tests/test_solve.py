"""`floors solve`: the value found meets the budget when costed again from scratch, and bad requests say why."""

from __future__ import annotations

import re

import pytest

from floors.assumptions import load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.cli import main
from floors.engine import cost_floor
from floors.problems import InputError, Problem
from floors.solve import format_number, read_budget, solve_budget

from .conftest import REPO_ASSUMPTIONS

ACCURACY = 1e-5  # 0.001 percentage points of GDP


@pytest.fixture(scope="module")
def base():
    return load_parameters(REPO_ASSUMPTIONS, "ECU")


def cost_with(sets: list[str], year: int, benefit: str = "total", bundle=None) -> float:
    """The cost share of GDP costed independently: through the assumption layers, as `floors run --set` does."""
    params = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=sets)
    results = cost_floor(ScenarioParameters.from_sets(["check"], [params]), bundle, sets=[params])
    return float(results["cost_share_gdp"].sel(scenario="check", country="ECU", benefit=benefit, year=year))


def test_child_level_meets_the_budget(base, bundle):
    solution = solve_budget(base, bundle, ["children.level"], 0.02, 2030)
    value = solution.values["children.level"]
    assert solution.exact and solution.reason is None
    assert 0.25 < value < 1  # the baseline (level 0.25) costs 1.78 % of GDP in 2030
    assert abs(solution.cost_share - 0.02) <= ACCURACY
    # Costed again from scratch, at the value exactly as printed.
    again = cost_with(solution.set_options(), 2030, bundle=bundle)
    assert again == pytest.approx(solution.cost_share, rel=1e-12)
    assert abs(again - 0.02) <= ACCURACY
    assert solution.by_benefit["total"] == pytest.approx(again, rel=1e-12)
    assert sum(v for k, v in solution.by_benefit.items() if k != "total") == pytest.approx(again, rel=1e-12)
    low, high = solution.bracket
    printed = format_number(value)  # the shortest rounding that meets the budget may step out by half a digit
    half_digit = 0.5 * 10 ** -len(printed.partition(".")[2])
    assert low - half_digit <= value <= high + half_digit
    assert solution.iterations >= 2 and solution.scenarios > solution.iterations


def test_take_up_meets_the_budget(base, bundle):
    solution = solve_budget(base, bundle, ["children.take_up"], 0.016, 2030)
    value = solution.values["children.take_up"]
    assert 0 < value < 1
    assert abs(cost_with(solution.set_options(), 2030, bundle=bundle) - 0.016) <= ACCURACY


def test_one_benefit_meets_its_own_budget(base, bundle):
    solution = solve_budget(base, bundle, ["children.level"], 0.01, 2027, benefit="children")
    children = cost_with(solution.set_options(), 2027, benefit="children", bundle=bundle)
    assert abs(children - 0.01) <= ACCURACY
    assert cost_with(solution.set_options(), 2027, bundle=bundle) > 0.01 + 0.005  # the other benefits come on top


def test_two_parameters_move_by_one_factor(bundle):
    base = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=["old_age.level=0.5"])  # children.level is 0.25
    solution = solve_budget(base, bundle, ["children.level", "old_age.level"], 0.025, 2030)
    children, old_age = solution.values["children.level"], solution.values["old_age.level"]
    assert old_age / children == pytest.approx(2, rel=1e-3)  # the ratio kept (each value rounded)
    assert children == pytest.approx(0.25 * solution.factor, rel=1e-3)
    assert old_age == pytest.approx(0.5 * solution.factor, rel=1e-3)
    again = cost_with(solution.set_options(), 2030, bundle=bundle)  # old_age.level is one of them (a --set once)
    assert abs(again - 0.025) <= ACCURACY


def test_a_huge_range_is_searched_from_its_lower_limit_out(bundle):
    """children.fixed_amount may go to 10^12 a month: a linear grid would never see the few dollars that matter."""
    sets = ["children.basis=fixed_amount"]
    base = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=sets)
    solution = solve_budget(base, bundle, ["children.fixed_amount"], 0.02, 2030)
    assert 1 < solution.values["children.fixed_amount"] < 1000  # USD a month per child aged 0-5
    assert abs(cost_with([*sets, *solution.set_options()], 2030, bundle=bundle) - 0.02) <= ACCURACY
    assert solution.iterations <= 5


def test_a_phase_in_start_stays_before_its_full_year(bundle):
    sets = ["children.full_year=2030", "children.level=4"]
    base = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=sets)
    solution = solve_budget(base, bundle, ["children.start_year"], 0.04, 2027)
    year = solution.values["children.start_year"]
    assert year <= 2030
    assert cost_with([*sets, f"children.start_year={year}"], 2027, bundle=bundle) <= 0.04
    assert cost_with([*sets, f"children.start_year={solution.next_value}"], 2027, bundle=bundle) > 0.04


def test_pensionable_age_is_a_whole_number_whose_costs_bracket_the_budget(bundle):
    fixed = ["old_age.pensionable_age_rule=fixed"]
    base = load_parameters(REPO_ASSUMPTIONS, "ECU", sets=fixed)
    solution = solve_budget(base, bundle, ["old_age.pensionable_age"], 0.015, 2030)
    age = solution.values["old_age.pensionable_age"]
    assert isinstance(age, int) and 60 < age < 65  # from 60 it costs 1.78 %, from 65 1.18 %
    assert not solution.exact and "cannot be met exactly" in solution.reason
    assert solution.next_value == age - 1  # a lower age costs more
    at_age = cost_with([*fixed, f"old_age.pensionable_age={age}"], 2030, bundle=bundle)
    at_next = cost_with([*fixed, f"old_age.pensionable_age={solution.next_value}"], 2030, bundle=bundle)
    assert at_age <= 0.015 < at_next
    assert solution.cost_share == pytest.approx(at_age, rel=1e-12)
    assert solution.next_cost_share == pytest.approx(at_next, rel=1e-12)
    assert solution.bracket == (age - 1, age)


def test_cli_prints_the_value_the_costs_and_a_run_line_that_reproduces_it(runner, bundle):
    result = runner.invoke(main, ["solve", "--budget", "1.6%", "--to", "2029", "--vary", "children.take_up"])
    assert result.exit_code == 0, result.output
    found = re.search(r"floors run --to 2029 --set children\.take_up=([0-9.]+)$", result.output, re.MULTILINE)
    assert found, result.output
    printed = found.group(1)
    assert abs(cost_with([f"children.take_up={printed}"], 2029, bundle=bundle) - 0.016) <= ACCURACY
    assert re.search(rf"^children\.take_up = {re.escape(printed)}\s", result.output, re.MULTILINE)
    reached = re.search(r"^cost in 2029: ([0-9.]+)% of GDP, within 0.001 points of the budget$", result.output,
                        re.MULTILINE)
    assert reached and abs(float(reached.group(1)) - 1.6) <= 0.001, result.output
    for benefit in ("children", "maternity", "old_age", "total"):
        assert re.search(rf"^{benefit}\s+\d+\.\d{{3}}$", result.output, re.MULTILINE), benefit


def test_cli_runs_on_top_of_a_scenario_and_keeps_it_in_the_run_line(runner):
    result = runner.invoke(main, ["solve", "-s", "targeted-child-benefit", "--budget", "0.5%", "--benefit",
                                  "children", "--vary", "children.level", "--set", "children.admin_rate=0.05"])
    assert result.exit_code == 0, result.output
    assert "floors run -s targeted-child-benefit --set children.admin_rate=0.05 --set children.level=" in result.output


def test_unreachable_budget_says_what_can_be_reached(runner):
    result = runner.invoke(main, ["solve", "--budget", "0.5%", "--to", "2030", "--vary", "children.level"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "a budget of 0.5% of GDP cannot be met" in result.output
    assert "1.5109% to 6.9790% of GDP in 2030" in result.output  # level 0 to level 5
    assert "the lowest value children.level may take here" in result.output

    high = runner.invoke(main, ["solve", "--budget", "30%", "--vary", "old_age.pensionable_age",
                                "--set", "old_age.pensionable_age_rule=fixed"])
    assert high.exit_code == 2
    assert "cost is highest at old_age.pensionable_age=50 (the lowest value" in high.output


def test_a_parameter_that_changes_nothing_is_reported(base, bundle):
    with pytest.raises(InputError, match=r"does not change with children\.fixed_amount"):
        solve_budget(base, bundle, ["children.fixed_amount"], 0.02, 2030)
    with pytest.raises(InputError, match=r"old_age.pensionable_age only with old_age.pensionable_age_rule: fixed"):
        solve_budget(base, bundle, ["old_age.pensionable_age"], 0.02, 2030)  # the statutory age is in use


@pytest.mark.parametrize(("args", "expected"), [
    (["--budget", "1.5%", "--vary", "children.levl"], "did you mean 'children.level'?"),
    (["--budget", "1.5%", "--vary", "children.basis"], "children.basis is text"),
    (["--budget", "1.5%", "--vary", "children.include"], "is a switch (true/false), not a number"),
    (["--budget", "1.5%", "--vary", "labour.participation_rate"], "is not a benefit's parameter"),
    (["--budget", "1.5", "--vary", "children.level"], "write 1.5% for 1.5 % of GDP, or the share 0.015"),
    (["--budget", "1", "--vary", "children.level"], "the budget 1 is ambiguous: 1 % of GDP, or all of GDP?"),
    (["--budget", "abc", "--vary", "children.level"], "cannot read the budget 'abc'"),
    (["--budget", "-1%", "--vary", "children.level"], "a budget must be a positive share of GDP"),
    (["--budget", "1.5%", "--vary", "children.level", "--to", "2020"], "the horizon 2020 is before the base year"),
    (["--budget", "1.5%", "--vary", "children.level", "--benefit", "pensions"], "unknown benefit 'pensions'"),
    (["--budget", "1.5%", "--vary", "children.level", "--benefit", "children", "--set", "children.include=false"],
     "the children benefit is left out"),
    (["--budget", "1.5%", "--vary", "children.level", "--set", "children.level={2025: 0.5, 2030: 1.0}"],
     "children.level changes by year here"),
    (["--budget", "1.5%", "--vary", "children.level", "--vary", "old_age.pensionable_age"],
     "only numbers that need not be whole can be varied together"),
    (["--budget", "1.5%", "--vary", "children.level", "--vary", "children.fixed_amount"],
     "which a common factor cannot move"),
])
def test_bad_requests_exit_2_without_a_traceback(runner, args, expected):
    result = runner.invoke(main, ["solve", *args])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_every_problem_is_reported_at_once(runner):
    result = runner.invoke(main, ["solve", "--budget", "2", "--vary", "children.levl", "--vary", "children.basis",
                                  "--to", "2020", "--benefit", "chldren"])
    assert result.exit_code == 2
    assert result.output.startswith("5 problems found:")
    for expected in ("ambiguous", "did you mean 'children.level'?", "children.basis is text", "before the base year",
                     "did you mean 'children'?"):
        assert expected in result.output


@pytest.mark.parametrize(("text", "share"), [("1.5%", 0.015), ("0.015", 0.015), (" 2 % ", 0.02), ("0.5", 0.5)])
def test_budget_reads_percent_and_share(text, share):
    problems: list[Problem] = []
    assert read_budget(text, problems) == pytest.approx(share)
    assert problems == []


def test_numbers_are_written_out_in_full():
    assert format_number(1e-05) == "0.00001"
    assert format_number(0.4312) == "0.4312"
    assert format_number(66) == "66"
    assert float(format_number(0.1 + 0.2)) == 0.1 + 0.2
