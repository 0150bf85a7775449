"""One rule for percentages (issue 15): where a parameter's unit is a share, ``80%`` or ``80 %`` is read as
0.8 in every layer (default, country and scenario files, ``--set``, the what-if template) and in values by
year; every other unit refuses a percentage and says what to write for that unit; a share written as a
number of percent (80) is refused with a hint that fits its unit; ``solve --budget`` refuses a bare 1."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from floors.assumptions import load_parameters
from floors.assumptions.layers import default_definitions
from floors.assumptions.parameter import SHARE_UNITS, UNITS, WHOLE_UNITS, percentage
from floors.cli import main
from floors.problems import InputError, Problem
from floors.solve import read_budget

from .conftest import REPO_ASSUMPTIONS

SOURCE = "  source: {title: INEC}\n"


def invoke(runner, *args: str):
    result = runner.invoke(main, list(args))
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result


def refused(runner, *args: str) -> str:
    result = invoke(runner, *args)
    assert result.exit_code == 2, result.output
    return result.output


def run_csv(runner, root: Path, out: Path, *args: str) -> pd.DataFrame:
    result = invoke(runner, "run", "--assumptions", str(root), "--out", str(out), "--format", "csv", *args)
    assert result.exit_code == 0, result.output
    (csv,) = out.glob("*/*.csv")
    return pd.read_csv(csv).drop(columns="scenario")


# --- the rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "share"), [("15%", 0.15), ("15 %", 0.15), (" 12.5% ", 0.125), ("-2%", -0.02),
                                             ("65.8%", 0.658), ("100%", 1.0), (".5%", 0.005)])
def test_a_percentage_is_its_share(text, share):
    assert percentage(text) == share  # exactly: 0.658, not 0.6579999999999999


@pytest.mark.parametrize("text", ["15", "15 percent", "%15", "15%%", "1,5%", "fifteen %", 15, 0.15, None, True])
def test_anything_else_is_not_a_percentage(text):
    assert percentage(text) is None


def test_every_unit_of_the_default_files_is_classified_once():
    units = {d.unit for d in default_definitions(REPO_ASSUMPTIONS).values()}
    assert units <= set(UNITS)
    # A share is shown as a percentage (the workbook's and the template's format), and only a share.
    assert {"share", "share of GDP", "share of the basis"} == SHARE_UNITS
    assert not SHARE_UNITS & set(WHOLE_UNITS)


def test_an_unknown_unit_is_refused_where_it_is_defined(runner, tree):
    with open(tree / "default" / "children.yaml", "a", encoding="utf-8") as handle:
        handle.write("bonus:\n  label: b\n  kind: policy\n  cause: level\n  description: d\n  unit: shares\n"
                     "  value: 0.1\n  range: [0, 1]\n  no_source: a test\n")
    output = refused(runner, "validate", "--assumptions", str(tree))
    assert "children.bonus.unit" in output and "unknown unit 'shares'" in output and "did you mean 'share'" in output


# --- accepted where the unit is a share ----------------------------------------------------------


def test_set_a_percentage_is_the_same_value_and_cost_as_the_share(runner, tree, tmp_path):
    as_percent = load_parameters(tree, "ECU", sets=["children.take_up=80%", "children.level=50 %"])
    as_share = load_parameters(tree, "ECU", sets=["children.take_up=0.8", "children.level=0.5"])
    assert as_percent.value("children.take_up") == as_share.value("children.take_up") == 0.8
    assert as_percent.value("children.level") == 0.5 and isinstance(as_percent.value("children.level"), float)
    pd.testing.assert_frame_equal(
        run_csv(runner, tree, tmp_path / "a", "--set", "children.take_up=80%"),
        run_csv(runner, tree, tmp_path / "b", "--set", "children.take_up=0.8"))


def test_params_shows_the_share(runner):
    result = invoke(runner, "params", "--set", "children.take_up=80%", "--width", "200")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("children.take_up "))
    assert " 0.8 " in line and "80%" not in line and "command line" in line


def test_country_and_scenario_files_take_percentages_also_by_year(tree):
    (tree / "ECU" / "labour.yaml").write_text(
        "participation_rate:\n  value: 65.8%\n" + SOURCE + "unemployment_rate:\n  value: {2024: 4 %, 2030: 3.5%}\n"
        + SOURCE, encoding="utf-8")
    (tree / "ECU" / "scenarios" / "pct.yaml").write_text(
        "title: Percentages\nchanges:\n  children.take_up: {2025: 50%, 2030: 100%}\n  children.level: 15 %\n"
        "  macro.gdp_growth_shift: -2%\n  fiscal_space.reallocation: 0.5%\n"
        "  children.admin_rate: {value: 5%, note: UNESCAP's typical range}\n", encoding="utf-8")
    params = load_parameters(tree, "ECU", ["pct"])
    assert params.value("labour.participation_rate") == 0.658
    assert params.value("labour.unemployment_rate") == {2024: 0.04, 2030: 0.035}
    assert params.value("children.take_up") == {2025: 0.5, 2030: 1.0}
    assert params.value("children.level") == 0.15
    assert params.value("macro.gdp_growth_shift") == -0.02
    assert params.value("fiscal_space.reallocation") == 0.005
    assert params.value("children.admin_rate") == 0.05


def test_a_default_file_takes_percentages(tree):
    text = (tree / "default" / "children.yaml").read_text(encoding="utf-8")
    text = text.replace("  value: 0.25\n", "  value: 25%\n", 1)
    text = text.replace("  value: 0.0\n", "  value: {2024: 0%, 2030: 5 %}\n", 1)
    (tree / "default" / "children.yaml").write_text(text, encoding="utf-8")
    params = load_parameters(tree, "ECU")
    assert params.value("children.level") == 0.25
    assert params.value("children.admin_rate") == {2024: 0.0, 2030: 0.05}


def test_the_template_takes_percentages_by_the_same_rule(runner, tree, tmp_path):
    template = tmp_path / "what-if.xlsx"
    assert invoke(runner, "scenario", "template", "--assumptions", str(tree), "--out", str(template)).exit_code == 0
    wb = load_workbook(template)
    ws = wb["what-if"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for name, value in {"children.take_up": "80 %", "children.level": "2025: 25%; 2030: 50 %",
                        "fiscal_space.reallocation": "1%"}.items():
        ws.cell(row=rows[name], column=5).value = value
    wb["scenario"]["B2"] = "Percentages"
    wb.save(template)
    params = load_parameters(tree, "ECU", [str(template)])
    assert params.value("children.take_up") == 0.8
    assert params.value("children.level") == {2025: 0.25, 2030: 0.5}
    assert params.value("fiscal_space.reallocation") == 0.01
    # A share of GDP is shown, and may be typed, as a percentage like any share.
    assert ws.cell(row=rows["fiscal_space.reallocation"], column=4).number_format == "0.00%"
    assert "0 % to 20 %" in ws.cell(row=rows["fiscal_space.reallocation"], column=6).value


# --- refused where the unit is not a share -------------------------------------------------------


@pytest.mark.parametrize(("setting", "fragments"), [
    ("children.months=50%", ["50% is a percentage, but the unit is months per year, not a share",
                             "write a number of months a year, from 0 to 12"]),
    ("children.age_max=5%", ["the unit is years of age", "write an age in whole years, from 0 to 24"]),
    ("children.start_year=100%", ["the unit is year,", "write a calendar year, from 2000 to 2100"]),
    ("children.age_weight_0_5=150%", ["the unit is multiplier", "a multiplier is a plain factor, 1 for unchanged: "
                                                                "write 1.5 for 150%"]),
    ("coverage.old_age_pensioners=40%", ["the unit is persons", "a number of people (a count, not a rate)"]),
    ("children.fixed_amount=10%", ["the unit is local currency per month", "an amount in local currency a month"]),
    ("demography.interval_position=50%", ["the unit is position in the 80 % interval", "from -3 to 3"]),
    ("children.months={2025: 6, 2030: 50%}", ["50% is a percentage [year=2030]", "months per year"]),
])
def test_a_percentage_where_the_unit_is_not_a_share_is_refused(runner, setting, fragments):
    output = refused(runner, "validate", "--set", setting)
    assert "--set › " + setting.split("=")[0] in output
    for fragment in fragments:
        assert fragment in output


def test_the_template_refuses_a_percentage_for_months(runner, tree, tmp_path):
    template = tmp_path / "what-if.xlsx"
    assert invoke(runner, "scenario", "template", "--assumptions", str(tree), "--out", str(template)).exit_code == 0
    wb = load_workbook(template)
    ws = wb["what-if"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "children.months")
    ws.cell(row=row, column=5).value = "50 %"  # was read as 0.5 months before the one rule
    wb["scenario"]["B2"] = "T"
    wb.save(template)
    output = refused(runner, "validate", "--assumptions", str(tree), "-s", str(template))
    assert f"what-if!E{row} (children.months)" in output and "the unit is months per year, not a share" in output


def test_a_default_file_refuses_a_percentage_for_an_age(runner, tree):
    text = (tree / "default" / "children.yaml").read_text(encoding="utf-8")
    (tree / "default" / "children.yaml").write_text(text.replace("  value: 5\n", "  value: 5%\n", 1), encoding="utf-8")
    output = refused(runner, "validate", "--assumptions", str(tree))
    assert "children.age_max" in output and "5% is a percentage, but the unit is years of age" in output


def test_uncertainty_bounds_stay_plain_numbers(tree):
    (tree / "ECU" / "scenarios" / "u.yaml").write_text(
        "title: U\nchanges:\n  children.take_up: {value: 0.9, uncertainty: {low: 80%, high: 1, reason: r}}\n",
        encoding="utf-8")
    with pytest.raises(InputError, match=r"not percentages: for a share, write 0\.8 for 80%"):
        load_parameters(tree, "ECU", ["u"])


# --- hints that fit the unit ---------------------------------------------------------------------


@pytest.mark.parametrize(("setting", "fragments", "absent"), [
    ("children.take_up=80", ["80 is above the maximum 1 (share)", "write 0.8 or 80% for 80 %"], []),
    ("fiscal_space.reallocation=2", ["(share of GDP)", "a share of GDP, where 1 is all of GDP: write 0.02 or 2%"], []),
    # A level is a share of its basis that may exceed 1: 15 is 15 % of the line (0.15), never 15 times it.
    ("children.level=15", ["15 is above the maximum 5 (share of the basis)",
                           "a share of the benefit's basis, where 1 is the whole basis (e.g. the poverty line): "
                           "write 0.15 or 15% for 15 %"], []),
    ("children.level=600", ["write a number from 0 to 5 or a percentage from 0% to 500%"], ["600 %"]),
    ("children.take_up=150%", ["150% (= 1.5) is above the maximum 1 (share)",
                               "write a number from 0 to 1 or a percentage from 0% to 100%"], []),
    ("children.take_up=-5%", ["-5% (= -0.05) is below the minimum 0 (share)"], []),
    ("children.age_weight_0_5=15", ["15 is above the maximum 5 (multiplier)", "write a plain factor, 1 for unchanged, "
                                                                           "from 0 to 5"], ["0.15", "%"]),
    ("children.age_max=30", ["30 is above the maximum 24 (years of age)", "write an age in whole years, from 0 to 24"],
     []),
    ("children.start_year=1990", ["write a calendar year, from 2000 to 2100"], []),
    ("children.months=15", ["write a number of months a year, from 0 to 12"], ["0.15"]),
    ("children.take_up=high", ["expected a number, got text", "or a percentage, e.g. 50%"], []),
    ("children.months=six", ["expected a number, got text", "write a plain number, e.g. 12"], ["%"]),
])
def test_out_of_range_hints_fit_the_unit(runner, setting, fragments, absent):
    output = refused(runner, "validate", "--set", setting)
    hint = output.split("hint:", 1)[1]
    for fragment in fragments:
        assert fragment in output
    for fragment in absent:
        assert fragment not in hint


def test_every_problem_at_once(runner):
    output = refused(runner, "validate", "--set", "children.take_up=80", "--set", "children.months=50%",
                     "--set", "children.level=15%", "--set", "old_age.take_up=90%")
    assert output.startswith("2 problems found:")


# --- solve --budget --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "share"), [("1.5%", 0.015), ("0.015", 0.015), ("1.5 %", 0.015), ("100%", 1.0),
                                             ("0.5", 0.5)])
def test_budget_as_a_percentage_or_a_share(text, share):
    problems: list[Problem] = []
    assert read_budget(text, problems) == share
    assert problems == []


@pytest.mark.parametrize(("text", "fragments"), [
    ("1", ["the budget 1 is ambiguous: 1 % of GDP, or all of GDP?", "write 1% for 1 % of GDP, or the share 0.01"]),
    ("1.5", ["the budget 1.5 is ambiguous: 1.5 % of GDP, or 1.5 times GDP?", "write 1.5% for 1.5 % of GDP"]),
])
def test_a_bare_budget_of_one_or_more_is_ambiguous(runner, text, fragments):
    output = refused(runner, "solve", "--budget", text, "--vary", "children.take_up")
    assert "--budget" in output
    for fragment in fragments:
        assert fragment in output


def test_budget_percent_and_share_find_the_same_value(runner):
    outputs = [invoke(runner, "solve", "--budget", budget, "--vary", "children.take_up")
               for budget in ("1.6%", "0.016")]
    assert all(result.exit_code == 0 for result in outputs), [r.output for r in outputs]
    percent, share = ([line for line in r.output.splitlines() if "engine passes" not in line] for r in outputs)
    assert percent == share and any("reproduce: floors run --set children.take_up=" in x for x in percent)
