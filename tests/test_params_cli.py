"""`floors params`: finding parameters by pattern, and the table, CSV and JSON it writes."""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import pytest
from ruamel.yaml import YAML

from floors.cli import main

from .conftest import REPO_ASSUMPTIONS

FIELDS = ["parameter", "value", "unit", "description", "allowed", "set_by", "origin", "source", "kind", "cause"]


def default_file(section: str) -> dict:
    return YAML(typ="safe").load((REPO_ASSUMPTIONS / "default" / f"{section}.yaml").read_text(encoding="utf-8"))


def ecu_file(section: str) -> dict:
    return YAML(typ="safe").load((REPO_ASSUMPTIONS / "ECU" / f"{section}.yaml").read_text(encoding="utf-8"))


def json_records(runner, *args: str) -> dict[str, dict]:
    result = runner.invoke(main, ["params", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert all(list(r) == FIELDS for r in records)
    return {r["parameter"]: r for r in records}


def csv_rows(runner, *args: str) -> dict[str, dict]:
    result = runner.invoke(main, ["params", *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.output))
    assert reader.fieldnames == FIELDS
    return {row["parameter"]: row for row in reader}


# --- picking parameters -------------------------------------------------------------------------


def test_a_glob_picks_by_the_whole_dotted_name(runner):
    records = json_records(runner, "children.*")
    assert set(records) == {f"children.{name}" for name in default_file("children")}
    assert len(records) >= 10


def test_a_glob_in_the_middle(runner):
    records = json_records(runner, "*take_up*")
    expected = {f"{section}.take_up" for section in
                ("children", "maternity", "disability", "old_age", "unemployment", "health")}
    assert set(records) == expected


def test_a_plain_word_is_a_part_of_the_name_in_any_case(runner):
    records = json_records(runner, "Pensionable_AGE")
    assert set(records) == {"old_age.pensionable_age", "old_age.pensionable_age_rule"}
    assert set(json_records(runner, "children")) == set(json_records(runner, "children.*"))


def test_several_patterns_list_what_any_of_them_picks(runner):
    records = json_records(runner, "children.level", "macro.horizon", "level")
    assert {"children.level", "macro.horizon", "maternity.level", "old_age.level"} <= set(records)
    assert "children.take_up" not in records
    # Each parameter once, in the order of the default files.
    result = runner.invoke(main, ["params", "children.level", "child", "--format", "json"])
    names = [r["parameter"] for r in json.loads(result.output)]
    assert names.count("children.level") == 1 and names == sorted(names, key=names.index)


def test_no_pattern_lists_every_parameter(runner):
    records = json_records(runner)
    assert len(records) == sum(len(default_file(p.stem)) for p in (REPO_ASSUMPTIONS / "default").glob("*.yaml"))


@pytest.mark.parametrize(("pattern", "hint"), [
    ("chidren", "did you mean 'children'?"),
    ("chidren.*", "did you mean 'children.*'?"),
    ("children.levle", "did you mean 'children.level'?"),
    ("*take_upp*", "did you mean '*take_up*'?"),
])
def test_a_pattern_that_matches_nothing_is_an_input_error_with_a_hint(runner, pattern, hint):
    result = runner.invoke(main, ["params", pattern])
    assert result.exit_code == 2, result.output
    assert f"no parameter matches {pattern!r}" in result.output
    assert hint in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_every_pattern_that_matches_nothing_is_reported_at_once(runner):
    result = runner.invoke(main, ["params", "children", "xyzzy", "levle", "--format", "csv"])
    assert result.exit_code == 2
    assert result.output.startswith("2 problems found:")
    assert "no parameter matches 'xyzzy'" in result.output and "no parameter matches 'levle'" in result.output
    # Nothing close to xyzzy: the hint names the sections instead.
    assert "the sections are children, coverage," in result.output
    assert "parameter,value" not in result.output


# --- CSV and JSON -------------------------------------------------------------------------------


def test_csv_rows_hold_the_values_of_the_assumption_files(runner):
    rows = csv_rows(runner, "children.level", "children.include", "national_line_period", "participation_rate",
                    "old_age_pensioners")
    level, default = rows["children.level"], default_file("children")["level"]
    assert float(level["value"]) == default["value"] == 0.25
    assert level["unit"] == default["unit"]
    assert level["description"] == default["description"]
    assert level["allowed"] == "0 to 5 (0 % to 500 %), or values by year like 2025: 0.5; 2030: 1"
    assert level["set_by"] == "default" and level["origin"].endswith("default/children.yaml")
    assert level["source"].startswith(default["source"]["title"])
    assert (level["kind"], level["cause"]) == (default["kind"], default["cause"]) == ("policy", "level")
    assert rows["children.include"]["value"] == "true"
    assert rows["children.include"]["allowed"] == "TRUE or FALSE"
    # A country's value, and the file that set it.
    period = rows["poverty.national_line_period"]
    assert period["value"] == ecu_file("poverty")["national_line_period"]["value"] == "2024-12"
    assert period["set_by"] == "country" and period["origin"].endswith("ECU/poverty.yaml")
    # A value taken from a bundled table is empty; values by year are written as YAML writes them.
    assert rows["labour.participation_rate"]["value"] == ""
    pensioners = ecu_file("coverage")["old_age_pensioners"]["value"]
    assert pensioners == {2022: 548386}
    assert rows["coverage.old_age_pensioners"]["value"] == "{2022: 548386}"
    assert YAML(typ="safe").load(rows["coverage.old_age_pensioners"]["value"]) == pensioners


def test_csv_reads_back_with_pandas(runner):
    result = runner.invoke(main, ["params", "level", "--format", "csv",
                                  "--set", "children.level={2025: 0.25, 2030: 0.5}", "--set", "old_age.level=0.8"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.output)).set_index("parameter")
    assert list(frame.columns) == FIELDS[1:]
    assert frame.loc["children.level", "value"] == "{2025: 0.25, 2030: 0.5}"
    assert frame.loc["children.level", "set_by"] == "command line"
    assert frame.loc["old_age.level", "value"] == "0.8" and frame.loc["old_age.level", "origin"] == "--set"
    assert float(frame.loc["maternity.level", "value"]) == default_file("maternity")["level"]["value"] == 1.0
    assert frame.loc["maternity.level", "set_by"] == "default"


def test_json_records_keep_the_types_of_the_values(runner):
    records = json_records(runner, "children.level", "children.include", "children.targeting", "macro.horizon",
                           "participation_rate", "old_age_pensioners",
                           "--set", "children.level={2025: 0.25, 2030: 0.5}")
    assert records["children.level"]["value"] == {"2025": 0.25, "2030": 0.5}
    assert records["children.level"]["set_by"] == "command line"
    assert records["children.include"]["value"] is True
    assert records["children.targeting"]["value"] == default_file("children")["targeting"]["value"] == "universal"
    assert records["children.targeting"]["allowed"] == "one of: universal, poverty_targeted"
    horizon = default_file("macro")["horizon"]
    assert records["macro.horizon"]["value"] == horizon["value"] == 2030
    assert records["macro.horizon"]["allowed"] == f"{horizon['range'][0]} to {horizon['range'][1]}"
    assert records["labour.participation_rate"]["value"] is None
    assert records["labour.participation_rate"]["source"].startswith("ILO modelled estimates (ILOEST)")
    assert records["coverage.old_age_pensioners"]["value"] == {"2022": 548386}
    assert records["coverage.old_age_pensioners"]["set_by"] == "country"


def test_a_scenario_shows_in_set_by_and_origin(runner):
    records = json_records(runner, "children.age_max", "-s", "universal-child-benefit")
    age_max = records["children.age_max"]
    assert age_max["value"] == 17 and age_max["set_by"] == "scenario"
    assert age_max["origin"].endswith("ECU/scenarios/universal-child-benefit.yaml")


# --- the table ----------------------------------------------------------------------------------


def block_of(output: str, path: str) -> str:
    """The lines of one parameter in the table, joined with single spaces."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(path + " "))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    return re.sub(r"\s+", " ", " ".join(lines[start:end]))


def test_the_table_shows_description_allowed_values_and_source(runner):
    result = runner.invoke(main, ["params", "children.level", "--width", "100"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Effective parameters for ECU: 1 of ")
    default = default_file("children")["level"]
    block = block_of(result.output, "children.level")
    assert block.startswith(f"children.level 0.25 {default['unit']} default ")
    assert f"{default['label']}. {default['description']}" in block
    assert "allowed: 0 to 5 (0 % to 500 %), or values by year like 2025: 0.5; 2030: 1" in block
    assert f"source: {default['source']['title']}" in block
    assert default["source"]["url"] in block


def test_the_table_wraps_to_the_width_and_names_the_file_that_set_a_value(runner):
    result = runner.invoke(main, ["params", "children", "-s", "universal-child-benefit", "--width", "80"])
    assert result.exit_code == 0, result.output
    wrapped = [line for line in result.output.splitlines() if line.startswith("    ")]
    # Only a word longer than a line (a link) goes past the width: it is not cut, so that it can be copied.
    assert wrapped and all(len(line) <= 80 or " " not in line.strip() for line in wrapped)
    assert any(len(line) > 80 and line.strip().startswith("https://") for line in wrapped)
    assert any(line.startswith("      ") for line in wrapped)  # a description longer than a line goes on
    block = block_of(result.output, "children.age_max")
    assert re.match(r"children\.age_max 17 years of age scenario ", block)
    assert re.search(r"set in: \S*ECU/scenarios/universal-child-benefit\.yaml:\d+", block)
    assert "set in:" not in block_of(result.output, "children.take_up")  # a default says no more
    assert "allowed: 0 to 24" in block and "values by year" not in block


def test_help_explains_patterns_and_formats_with_examples(runner):
    result = runner.invoke(main, ["params", "--help"])
    assert result.exit_code == 0
    for text in ("[PATTERN]...", "--format [table|csv|json]", "floors params children",
                 "floors params '*take_up*' --country KEN", "--country", "--scenario", "--set", "--width"):
        assert text in result.output, text
