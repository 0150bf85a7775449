"""The Excel what-if template: written, filled in with openpyxl as a user would, read back as a scenario.

Each test runs the real command line (`floors scenario template`, then `floors run`,
`validate` or `params` with `--scenario file.xlsx`) on a private copy of the assumption
files, and checks the values that reach the costing, the results, and for each kind of
bad cell a message naming the sheet and cell, exit status 2 and no traceback.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from floors.assumptions import load_parameters
from floors.assumptions.layers import default_definitions
from floors.assumptions.template.read import read_template
from floors.cli import main

# A new value for each kind of parameter: a number, a share, a choice, values by year, a switch.
EDITS = {
    "children.months": 6,
    "children.take_up": 0.8,
    "children.targeting": "poverty_targeted",
    "old_age.level": "2025: 0.5; 2030: 1",
    "unemployment.include": False,
}
INTENDED = {**EDITS, "old_age.level": {2025: 0.5, 2030: 1}}
YAML_CHANGES = """\
  children.months: 6
  children.take_up: 0.8
  children.targeting: poverty_targeted
  old_age.level: {2025: 0.5, 2030: 1.0}
  unemployment.include: false
"""


def invoke(runner, *args: str):
    result = runner.invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def make_template(runner, root: Path, out: Path, *args: str) -> Path:
    result = invoke(runner, "scenario", "template", "--assumptions", str(root), "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    return out


def row_of(ws, name: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == name)


def fill(path: Path, values: dict, *, title: str | None = "My what-if", **fields) -> Path:
    """Type new values (column E, by parameter) and scenario fields, and save, as a user would in Excel."""
    wb = load_workbook(path)
    ws = wb["what-if"]
    for name, value in values.items():
        ws.cell(row=row_of(ws, name), column=5).value = value
    info = wb["scenario"]
    for field, value in {"title": title, **fields}.items():
        info.cell(row=row_of(info, field), column=2).value = value
    wb.save(path)
    return path


@pytest.fixture
def template(runner, tree, tmp_path) -> Path:
    return make_template(runner, tree, tmp_path / "what-if.xlsx")


def run_csv(runner, root: Path, out: Path, *args: str) -> pd.DataFrame:
    """`floors run` writing the tidy table only; the table without its scenario column."""
    result = invoke(runner, "run", "--assumptions", str(root), "--out", str(out), "--format", "csv", *args)
    assert result.exit_code == 0, result.output
    (csv,) = out.glob("*/*.csv")
    return pd.read_csv(csv).drop(columns="scenario")


# --- writing ------------------------------------------------------------------------------------


def test_template_lists_every_parameter_with_its_baseline(template, tree):
    params = load_parameters(tree, "ECU")
    wb = load_workbook(template)
    assert wb.sheetnames == ["README", "what-if", "scenario"]
    ws = wb["what-if"]
    assert [c.value for c in ws[1]] == ["parameter", "description", "unit", "baseline value", "new value",
                                        "allowed values", "source of the baseline value"]
    assert [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)] == list(params)
    assert ws.freeze_panes == "B2"
    assert all(ws.cell(row=r, column=5).value is None for r in range(2, ws.max_row + 1))

    share = row_of(ws, "children.take_up")
    assert ws.cell(row=share, column=3).value == "share (0.15 = 15 %)"
    assert ws.cell(row=share, column=4).value == 1.0 and ws.cell(row=share, column=4).number_format == "0.00%"
    assert ws.cell(row=share, column=6).value == "0 to 1 (0 % to 100 %), or values by year like 2025: 0.5; 2030: 1"
    national = row_of(ws, "poverty.national_line_period")
    assert "INEC" in ws.cell(row=national, column=7).value and "country" in ws.cell(row=national, column=7).value
    from_data = row_of(ws, "labour.participation_rate")  # null: the ILO modelled rate of each year
    assert ws.cell(row=from_data, column=4).value == "(not set)"
    assert "ILO modelled" in ws.cell(row=from_data, column=7).value
    by_year = row_of(ws, "coverage.old_age_pensioners")
    assert ws.cell(row=by_year, column=4).value == "2022: 548386"
    assert ws.cell(row=row_of(ws, "unemployment.include"), column=4).value is True

    # The column to fill is highlighted and unlocked; the others grey.
    new, other = ws.cell(row=share, column=5), ws.cell(row=share, column=4)
    assert new.fill.fgColor.rgb != other.fill.fgColor.rgb and not new.protection.locked
    assert ws.column_dimensions["B"].width == 60

    rules = {str(cell): dv for dv in ws.data_validations.dataValidation for cell in dv.sqref.ranges}
    choice = rules[f"E{row_of(ws, 'children.targeting')}"]
    assert choice.type == "list" and choice.formula1 == '"universal,poverty_targeted"'
    take_up = rules[f"E{row_of(ws, 'children.take_up')}"]
    assert (take_up.type, take_up.operator, take_up.formula1, take_up.formula2) == ("decimal", "between", "0", "1")
    assert "never 15" in take_up.error
    assert rules[f"E{row_of(ws, 'unemployment.include')}"].formula1 == '"TRUE,FALSE"'

    scenario = wb["scenario"]
    assert [scenario.cell(row=r, column=1).value for r in range(2, 7)] == [
        "title", "description", "author", "based_on", "country"]
    assert scenario["B2"].value is None and scenario["B5"].value is None and scenario["B6"].value == "ECU"
    readme = " ".join(str(c.value) for row in wb["README"].iter_rows() for c in row)
    assert "floors run --country ECU --scenario what-if.xlsx" in readme and "0.15 for 15 %" in readme


def test_text_from_files_is_never_a_formula(runner, tree, tmp_path):
    path = tree / "default" / "children.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  description: Monthly child benefit as a multiple"
    assert old in text
    path.write_text(text.replace(old, "  description: =HYPERLINK(1) Monthly child benefit as a multiple"),
                    encoding="utf-8")
    ws = load_workbook(make_template(runner, tree, tmp_path / "t.xlsx"))["what-if"]
    cell = ws.cell(row=row_of(ws, "children.level"), column=2)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix


def test_existing_file_is_kept_unless_forced(runner, tree, template):
    template.write_bytes(b"mine")
    result = invoke(runner, "scenario", "template", "--assumptions", str(tree), "--out", str(template))
    assert result.exit_code == 2 and "file exists" in result.output and "--force" in result.output
    assert template.read_bytes() == b"mine"
    make_template(runner, tree, template, "--force")
    assert load_workbook(template).sheetnames[1] == "what-if"


def test_out_must_be_xlsx(runner, tree, tmp_path):
    result = invoke(runner, "scenario", "template", "--assumptions", str(tree), "--out", str(tmp_path / "t.xls"))
    assert result.exit_code == 2 and "must end in .xlsx" in result.output
    assert not (tmp_path / "t.xls").exists()


@pytest.mark.parametrize("args", [["scenario", "--help"], ["scenario", "template", "--help"]])
def test_help_has_examples(runner, args):
    result = invoke(runner, *args)
    assert result.exit_code == 0 and "Examples" in result.output
    assert "floors scenario template --country ECU --out what-if.xlsx" in result.output


# --- reading back -------------------------------------------------------------------------------


def test_filled_template_reads_back_as_the_intended_overlay(tree, template):
    fill(template, EDITS, description="- half the cost", author="Costing unit")
    problems = []
    info = read_template(template, problems, default_definitions(tree), "ECU")
    assert problems == []
    assert {path: value for path, (value, _) in info.changes.items()} == INTENDED
    assert (info.title, info.description, info.author, info.based_on) == (
        "My what-if", "- half the cost", "Costing unit", None)
    params = load_parameters(tree, "ECU", [str(template)])
    baseline = load_parameters(tree, "ECU")
    changed = {path for path in params if params.value(path) != baseline.value(path)}
    assert changed == set(INTENDED)
    assert all(params.value(path) == value and params[path].layer == "scenario" for path, value in INTENDED.items())
    assert params["children.take_up"].origin.endswith("what-if.xlsx")


def test_run_with_the_template_costs_the_same_as_yaml_and_set(runner, tree, template, tmp_path):
    fill(template, EDITS)
    (tree / "ECU" / "scenarios" / "same.yaml").write_text("title: Same\nchanges:\n" + YAML_CHANGES, encoding="utf-8")
    from_template = run_csv(runner, tree, tmp_path / "a", "-s", str(template))
    from_yaml = run_csv(runner, tree, tmp_path / "b", "-s", "same")
    sets = ["--set=children.months=6", "--set=children.take_up=0.8", "--set=children.targeting=poverty_targeted",
            "--set=old_age.level={2025: 0.5, 2030: 1}", "--set=unemployment.include=false"]
    from_set = run_csv(runner, tree, tmp_path / "c", *sets)
    baseline = run_csv(runner, tree, tmp_path / "d")
    pd.testing.assert_frame_equal(from_template, from_yaml)
    pd.testing.assert_frame_equal(from_template, from_set)
    assert not from_template["value"].equals(baseline["value"])


def test_empty_template_is_the_baseline(runner, tree, template, tmp_path):
    fill(template, {})
    assert {p: e.value for p, e in load_parameters(tree, "ECU", [str(template)]).items()} == {
        p: e.value for p, e in load_parameters(tree, "ECU").items()}
    pd.testing.assert_frame_equal(run_csv(runner, tree, tmp_path / "a", "-s", str(template)),
                                  run_csv(runner, tree, tmp_path / "b"))


def test_shares_may_be_typed_as_percentages_and_numbers_as_text(tree, template):
    fill(template, {"children.take_up": "80 %", "labour.participation_rate": "65.8%", "children.months": " 6 ",
                    "poverty.national_line_period": 2024})
    params = load_parameters(tree, "ECU", [str(template)])
    assert params.value("children.take_up") == 0.8 and params.value("labour.participation_rate") == 0.658
    assert params.value("children.months") == 6
    assert params.value("poverty.national_line_period") == "2024"


def test_template_by_name_in_the_scenarios_folder(runner, tree, template):
    fill(template, {"children.months": 6})
    template.rename(tree / "ECU" / "scenarios" / "mine.xlsx")
    result = invoke(runner, "params", "--assumptions", str(tree), "-s", "mine", "--width", "200")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("children.months"))
    assert " 6 " in line and "scenario" in line
    assert invoke(runner, "validate", "--assumptions", str(tree), "-s", "mine.xlsx").exit_code == 0


def test_template_made_from_a_scenario_is_read_back_on_top_of_it(runner, tree, tmp_path):
    path = make_template(runner, tree, tmp_path / "t.xlsx", "--scenario", "targeted-child-benefit")
    wb = load_workbook(path)
    assert wb["scenario"]["B5"].value == "targeted-child-benefit"
    ws = wb["what-if"]
    assert ws.cell(row=row_of(ws, "children.targeting"), column=4).value == "poverty_targeted"
    fill(path, {"children.level": 0.5})
    params = load_parameters(tree, "ECU", [str(path)])
    # targeted-child-benefit is based on only-children: the whole chain comes first, then the template.
    assert [s.path.name for s in params.scenarios] == ["only-children.yaml", "targeted-child-benefit.yaml", "t.xlsx"]
    assert params.value("children.targeting") == "poverty_targeted" and params.value("children.level") == 0.5
    assert params.value("old_age.include") == load_parameters(tree, "ECU", ["targeted-child-benefit"]).value(
        "old_age.include")


def test_composition_order_is_respected(runner, tree, template, tmp_path):
    (tree / "ECU" / "scenarios" / "a.yaml").write_text(
        "title: A\nchanges:\n  children.take_up: 0.5\n  children.months: 6\n", encoding="utf-8")
    fill(template, {"children.take_up": 0.8})
    after = load_parameters(tree, "ECU", [f"a+{template}"])
    before = load_parameters(tree, "ECU", [f"{template}+a"])
    assert after.value("children.take_up") == 0.8 and after.value("children.months") == 6
    assert before.value("children.take_up") == 0.5
    a_then_template = run_csv(runner, tree, tmp_path / "x", "-s", f"a.yaml+{template}")
    by_set = run_csv(runner, tree, tmp_path / "y", "--set", "children.take_up=0.8", "--set", "children.months=6")
    pd.testing.assert_frame_equal(a_then_template, by_set)


# --- bad cells ----------------------------------------------------------------------------------


def expect_problem(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    for fragment in fragments:
        assert fragment in result.output, f"{fragment!r} not in:\n{result.output}"


def validate(runner, root: Path, *args: str):
    return invoke(runner, "validate", "--assumptions", str(root), *args)


@pytest.mark.parametrize(("name", "value", "fragments"), [
    ("children.take_up", 15, ["15 is above the maximum 1 (share)", "type 0.15 or 15 %"]),
    ("labour.participation_rate", 65.8, ["65.8 is above the maximum 1", "type 0.658 or 65.8 %"]),
    ("children.months", "six", ["expected a number, got text", "'six'"]),
    ("children.months", "6,5", ["use a decimal point, not a comma: 6.5"]),
    ("children.fixed_amount", "1,000", ["without thousands separators: 1000"]),
    ("poverty.national_line_period", dt.datetime(2025, 12, 1), ["Excel has read this cell as a date",
                                                                "format the cell as Text"]),
    ("children.targeting", "poverty-targeted", ["not one of the allowed values", "did you mean 'poverty_targeted'?"]),
    ("unemployment.include", "maybe", ["expected true or false"]),
    ("old_age.level", "2025 0.5; 2030: 1", ["cannot read '2025 0.5' as year: value", "2025: 0.5; 2030: 1"]),
    ("old_age.level", "2025: 0.5; 1900: 1", ["year 1900 is outside the years the data cover"]),
    ("old_age.level", "2025: half", ["expected a number, got text (year 2025)"]),
    ("children.level", "=1/2", ["a formula with no saved result"]),
])
def test_bad_cell_names_sheet_and_cell(runner, tree, template, name, value, fragments):
    fill(template, {name: value})
    row = row_of(load_workbook(template)["what-if"], name)
    expect_problem(validate(runner, tree, "-s", str(template)), "what-if.xlsx", f"what-if!E{row} ({name})",
                   *fragments)


def test_unknown_parameter_in_column_a(runner, tree, template):
    wb = load_workbook(template)
    ws = wb["what-if"]
    row = ws.max_row + 1
    ws.cell(row=row, column=1).value, ws.cell(row=row, column=5).value = "children.levle", 0.5
    ws.cell(row=2, column=1).value = None  # a value in a row whose name was deleted
    ws.cell(row=2, column=5).value = True
    wb["scenario"]["B2"] = "T"
    wb.save(template)
    expect_problem(validate(runner, tree, "-s", str(template)), "2 problems found", f"what-if!A{row}",
                   "unknown parameter 'children.levle'", "did you mean 'children.level'?",
                   "what-if!A2", "a new value with no parameter named in its row")


def test_missing_title(runner, tree, template):
    fill(template, {"children.months": 6}, title=None)
    expect_problem(validate(runner, tree, "-s", str(template)), "scenario!B2 (title)", "a title is required")


def test_every_bad_cell_is_reported_at_once(runner, tree, template):
    fill(template, {"children.take_up": 15, "children.targeting": "everyone", "children.months": "x"}, title=" ")
    expect_problem(validate(runner, tree, "-s", str(template)), "4 problems found", "children.take_up",
                   "children.targeting", "children.months", "a title is required")


def test_template_for_another_country(runner, tree, template):
    fill(template, {})
    expect_problem(validate(runner, tree, "-c", "KEN", "-s", str(template)), "scenario!B6 (country)",
                   "this template was made for ECU, not KEN", "--country ECU")


def test_not_a_workbook(runner, tree, tmp_path):
    path = tmp_path / "what-if.xlsx"
    path.write_text("parameter,new value\nchildren.level,0.5\n", encoding="utf-8")
    expect_problem(validate(runner, tree, "-s", str(path)), "what-if.xlsx", "not a valid Excel workbook (.xlsx)",
                   "not a zip archive", "floors scenario template")


def test_a_zip_that_is_not_a_workbook(runner, tree, tmp_path):
    """A zip of other files is named as such, not reported as openpyxl's bare KeyError."""
    path = tmp_path / "what-if.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    result = validate(runner, tree, "-s", str(path))
    expect_problem(result, "what-if.xlsx", "a zip archive without a workbook's parts", "floors scenario template")
    assert "KeyError" not in result.output


def test_missing_sheet(runner, tree, template):
    wb = load_workbook(template)
    del wb["scenario"]
    wb.save(template)
    expect_problem(validate(runner, tree, "-s", str(template)), "no sheet 'scenario'", "README, what-if")


def test_missing_column(runner, tree, template):
    wb = load_workbook(template)
    wb["what-if"]["E1"] = "my value"
    wb["scenario"]["B2"] = "T"
    wb.save(template)
    expect_problem(validate(runner, tree, "-s", str(template)), "no column 'new value' in row 1 of sheet 'what-if'")


def test_based_on_a_scenario_that_does_not_exist(runner, tree, template):
    fill(template, {}, based_on="whole-flor")
    expect_problem(validate(runner, tree, "-s", str(template)), "scenario!B5 (based_on)",
                   "'based_on' names a scenario that does not exist", "did you mean 'whole-floor.yaml'?")


def test_template_only_from_the_countrys_scenarios(runner, tree, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("title: Elsewhere\nchanges:\n  children.months: 6\n", encoding="utf-8")
    result = invoke(runner, "scenario", "template", "--assumptions", str(tree), "--out", str(tmp_path / "t.xlsx"),
                    "-s", str(outside))
    expect_problem(result, "scenario", "is not in", "copy elsewhere.yaml into")
    assert not (tmp_path / "t.xlsx").exists()
