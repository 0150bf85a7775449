"""Broken assumption files, data tables and options: each gives a clear message and exit status 2.

Every case runs the real command line (`floors validate`) on a private copy of the
assumption files and checks the file, the key, the rule broken and the hint, and that
no Python traceback reaches the user.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from floors.cli import main

SOURCE = "  source: {title: INEC}\n"


def validate(runner, root: Path, *args: str):
    result = runner.invoke(main, ["validate", "--assumptions", str(root), *args])
    assert "Traceback" not in result.output
    return result


def expect_problem(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    for fragment in fragments:
        assert fragment in result.output, f"{fragment!r} not in:\n{result.output}"


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


# --- assumption files ------------------------------------------------------------------

def test_unknown_key_suggests_the_nearest(runner, tree):
    write(tree / "ECU" / "poverty.yaml", 'national_line_perid:\n  value: "2024-12"\n' + SOURCE)
    expect_problem(validate(runner, tree), "ECU/poverty.yaml:1", "unknown parameter 'poverty.national_line_perid'",
                   "did you mean 'poverty.national_line_period'?")


def test_unknown_field_of_a_parameter(runner, tree):
    write(tree / "ECU" / "labour.yaml", "participation_rate:\n  valeu: 0.6\n" + SOURCE)
    expect_problem(validate(runner, tree), "labour.participation_rate", "valeu", "did you mean 'value'?")


def test_unknown_section_file(runner, tree):
    write(tree / "ECU" / "labor.yaml", "participation_rate:\n  value: 0.6\n" + SOURCE)
    expect_problem(validate(runner, tree), "unknown section 'labor'", "did you mean 'labour'?")


def test_duplicate_key(runner, tree):
    write(tree / "ECU" / "labour.yaml", "participation_rate:\n  value: 0.6\n  value: 0.7\n" + SOURCE)
    expect_problem(validate(runner, tree), "ECU/labour.yaml:3", "duplicate key", '"value"')


def test_tab_indentation(runner, tree):
    write(tree / "ECU" / "labour.yaml", "participation_rate:\n\tvalue: 0.6\n")
    expect_problem(validate(runner, tree), "ECU/labour.yaml:2", "YAML does not allow tabs")


def test_yaml_syntax_error(runner, tree):
    write(tree / "ECU" / "labour.yaml", "participation_rate:\n  value: [0.6\n")
    expect_problem(validate(runner, tree), "ECU/labour.yaml", "YAML syntax error", "expected ',' or ']'")


def test_wrong_type(runner, tree):
    write(tree / "ECU" / "labour.yaml", "participation_rate:\n  value: high\n" + SOURCE)
    expect_problem(validate(runner, tree), "labour.participation_rate", "expected a number, got text",
                   "'high'")


def test_share_written_as_a_percentage(runner, tree):
    write(tree / "ECU" / "labour.yaml", "participation_rate:\n  value: 65.8\n" + SOURCE)
    expect_problem(validate(runner, tree), "65.8 is above the maximum 1 (share)", "write 0.658 or 65.8% for 65.8 %")


def test_out_of_range(runner, tree):
    write(tree / "ECU" / "labour.yaml", "working_age_min:\n  value: 3\n" + SOURCE)
    expect_problem(validate(runner, tree), "labour.working_age_min", "3 is below the minimum 10")


def test_year_outside_the_data(runner, tree):
    write(tree / "ECU" / "labour.yaml", "participation_rate:\n  value: {1900: 0.6, 2030: 0.65}\n" + SOURCE)
    expect_problem(validate(runner, tree), "year 1900 is outside the years the data cover (1950–2100)")


def test_horizon_beyond_the_population_data(runner, tree):
    expect_problem(validate(runner, tree, "--to", "2051"),
                   "no population data for ECU in 2051", "choose years from 2022 to 2050")


def test_choice_not_allowed(runner, tree):
    write(tree / "ECU" / "macro.yaml", "beyond_weo:\n  value: hold_last_rate\n" + SOURCE)
    expect_problem(validate(runner, tree), "not one of the allowed values", "did you mean 'hold_last_rates'?")


def test_country_value_without_a_source(runner, tree):
    write(tree / "ECU" / "labour.yaml", "participation_rate:\n  value: 0.6\n")
    expect_problem(validate(runner, tree), "a country value needs a 'source'")


def test_file_not_utf8(runner, tree):
    write(tree / "ECU" / "labour.yaml", b"participation_rate:\n  value: 0.6 \xff\n")
    expect_problem(validate(runner, tree), "ECU/labour.yaml", "not UTF-8", "save the file as UTF-8")


def test_default_without_source_or_reason(runner, tree):
    write(tree / "default" / "labour.yaml",
          "working_age_min:\n  label: l\n  kind: context\n  cause: macro\n  description: d\n  unit: years of age\n"
          "  value: 15\n")
    expect_problem(validate(runner, tree), "default/labour.yaml", "needs a 'source'")


def test_every_problem_is_reported_at_once(runner, tree):
    write(tree / "ECU" / "labour.yaml", "participation_rate:\n  value: 65.8\n" + SOURCE)
    write(tree / "ECU" / "poverty.yaml", 'national_line_perid:\n  value: "2024-12"\n' + SOURCE)
    result = validate(runner, tree, "--set", "macro.horizn=2030")
    expect_problem(result, "3 problems found", "65.8", "national_line_perid", "macro.horizn")


# --- options and scenarios -------------------------------------------------------------

def test_unknown_country(runner, tree):
    expect_problem(validate(runner, tree, "--country", "ECUA"), "no data for country 'ECUA'", "did you mean 'ECU'?")
    expect_problem(validate(runner, tree, "--country", "XYZ"), "no data for country 'XYZ'", "BGD, BOL")


def test_missing_scenario_file(runner, tree):
    expect_problem(validate(runner, tree, "--scenario", "nosuch"), "scenario 'nosuch' not found")


def test_scenario_based_on_cycle(runner, tree):
    folder = tree / "ECU" / "scenarios"
    write(folder / "a.yaml", "title: A\nbased_on: b\nchanges: {}\n")
    write(folder / "b.yaml", "title: B\nbased_on: a\nchanges: {}\n")
    expect_problem(validate(runner, tree, "--scenario", "a"), "based_on", "goes round in a circle")


def test_malformed_set_option(runner, tree):
    expect_problem(validate(runner, tree, "--set", "nodot"), "cannot read --set 'nodot'",
                   "write --set section.name=value")


def test_missing_default_folder(runner, tmp_path):
    expect_problem(validate(runner, tmp_path / "nowhere"), "nowhere")


# --- data tables -----------------------------------------------------------------------

def _edit_csv(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_text_in_a_numeric_column(runner, tree_with_data):
    _edit_csv(tree_with_data / "data" / "gdp.csv", "ECU,2024,", "ECU,2024,n/a")
    expect_problem(validate(runner, tree_with_data), "data/gdp.csv", "gdp_lcu", "n/a")


def test_malformed_csv_row(runner, tree_with_data):
    path = tree_with_data / "data" / "births.csv"
    path.write_text(path.read_text(encoding="utf-8") + "ECU,2099,estimate\n", encoding="utf-8")
    expect_problem(validate(runner, tree_with_data), "data/births.csv")


def test_missing_column(runner, tree_with_data):
    _edit_csv(tree_with_data / "data" / "births.csv", "srb_male_per_female", "srb")
    expect_problem(validate(runner, tree_with_data), "births.csv", "srb_male_per_female")


def test_duplicate_key_rows(runner, tree_with_data):
    path = tree_with_data / "data" / "gdp.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    ecu_2024 = next(r for r in rows if r.startswith("ECU,2024,"))
    path.write_text("\n".join([*rows, ecu_2024]) + "\n", encoding="utf-8")
    expect_problem(validate(runner, tree_with_data), "gdp.csv", "duplicate")


def test_missing_data_file(runner, tree_with_data):
    (tree_with_data / "data" / "births.csv").unlink()
    expect_problem(validate(runner, tree_with_data), "births.csv")


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["validate", "--help"], ["params", "--help"]])
def test_help_and_version(runner, args):
    result = runner.invoke(main, args)
    assert result.exit_code == 0
    assert ("floors" in result.output) and ("Examples" in result.output or "version" in result.output)
