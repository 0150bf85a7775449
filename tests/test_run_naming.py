"""Every run is named by what it ran (floors.naming): what-ifs, draws, comparisons, sensitivity and the
run line of solve each get their own folder, their results label the scenario with the values set on
the command line, and the same inputs replace their own files; progress never reaches a pipe, and
warnings come grouped."""

from __future__ import annotations

import importlib
import io
import re
import shlex

import openpyxl
import pandas as pd
import pytest

import floors
from floors import naming
from floors.cli import main
from floors.cli.progress import progress
from floors.cli.warning_groups import format_warnings

HALF = "ECU-baseline-set-d8a162"  # floors run --set children.level=0.5


def run(runner, tmp_path, *args):
    result = runner.invoke(main, ["run", "-o", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    return result


def readme(path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path, read_only=True)["README"]
    return {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}


def test_baseline_what_if_and_draws_each_get_their_folder_and_say_what_they_are(runner, tmp_path):
    plain = run(runner, tmp_path)
    what_if = run(runner, tmp_path, "--set", "children.level=0.5")
    drawn = run(runner, tmp_path, "--draws", "20", "--seed", "3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ECU-baseline", "ECU-baseline-draws20-seed3", HALF]
    assert plain.stdout.startswith("ECU · baseline · cost as % of GDP")
    assert what_if.stdout.startswith("ECU · baseline + children.level=0.5 · cost as % of GDP")
    assert f"wrote {tmp_path.name}" not in what_if.stdout and f"{HALF}/floors-{HALF}.xlsx" in what_if.stdout
    assert "20 draws (seed 3)" in drawn.stdout

    def scenarios(name):
        return set(pd.read_csv(tmp_path / name / f"floors-{name}.csv")["scenario"])

    assert scenarios("ECU-baseline") == {"baseline"}
    assert scenarios(HALF) == {"baseline + children.level=0.5"}
    assert scenarios("ECU-baseline-draws20-seed3") == {"baseline"}
    # The plain baseline keeps its numbers: the what-if did not overwrite it.
    base = pd.read_csv(tmp_path / "ECU-baseline" / "floors-ECU-baseline.csv")
    half = pd.read_csv(tmp_path / HALF / f"floors-{HALF}.csv")
    share = "variable == 'cost_share_gdp' and benefit == 'children' and year == 2030"
    assert float(half.query(share)["value"].iloc[0]) == pytest.approx(2 * float(base.query(share)["value"].iloc[0]))
    # The draws did not replace the baseline's workbook either: it has no uncertainty sheet, theirs has.
    assert "uncertainty" not in openpyxl.load_workbook(tmp_path / "ECU-baseline" / "floors-ECU-baseline.xlsx",
                                                       read_only=True).sheetnames
    drawn_book = tmp_path / "ECU-baseline-draws20-seed3" / "floors-ECU-baseline-draws20-seed3.xlsx"
    assert "uncertainty" in openpyxl.load_workbook(drawn_book, read_only=True).sheetnames

    text = readme(tmp_path / HALF / f"floors-{HALF}.xlsx")
    assert text["run"].startswith(HALF)
    assert text["set on the command line"].startswith("children.level = 0.5")
    assert "scenario baseline + children.level=0.5" in text
    assert "children.level = 0.5 set on the command line" in text["scenario baseline + children.level=0.5"]
    assert "20 Monte Carlo draws" in readme(drawn_book)["draws"] and "seed 3" in readme(drawn_book)["draws"]
    plain_text = readme(tmp_path / "ECU-baseline" / "floors-ECU-baseline.xlsx")
    assert plain_text["run"].startswith("ECU-baseline:") and "set on the command line" not in plain_text


def test_the_same_inputs_replace_their_own_files_however_they_are_typed(runner, tmp_path):
    run(runner, tmp_path, "--set", "children.level=0.5", "--set", "old_age.level=0.8", "--format", "csv")
    csv = tmp_path / "ECU-baseline-set-ddf846" / "floors-ECU-baseline-set-ddf846.csv"
    first = csv.stat().st_mtime_ns
    # The same values, in another order and spelling: the same run, so the same folder, replaced.
    run(runner, tmp_path, "--set", "old_age.level=0.80", "--set", "children.level=0.50", "--format", "csv")
    assert [p.name for p in tmp_path.iterdir()] == ["ECU-baseline-set-ddf846"]
    assert csv.stat().st_mtime_ns >= first and len(list(csv.parent.iterdir())) == 1
    # Another value is another run.
    run(runner, tmp_path, "--set", "children.level=0.6", "--set", "old_age.level=0.8", "--format", "csv")
    assert len(list(tmp_path.iterdir())) == 2


def test_to_and_scenarios_are_in_the_name(runner, tmp_path):
    run(runner, tmp_path, "--to", "2027", "--format", "csv")
    run(runner, tmp_path, "-s", "ilo-ess58", "-s", "ilo-wp113", "--format", "csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ECU-baseline-to2027", "ECU-ilo-ess58-and-ilo-wp113"]


def test_name_chooses_the_folder_and_files(runner, tmp_path):
    run(runner, tmp_path, "--set", "children.level=0.5", "--name", "half-line")
    assert sorted(p.name for p in (tmp_path / "half-line").iterdir()) == ["floors-half-line.csv",
                                                                          "floors-half-line.xlsx"]
    assert readme(tmp_path / "half-line" / "floors-half-line.xlsx")["run"].startswith("half-line:")
    labels = set(pd.read_csv(tmp_path / "half-line" / "floors-half-line.csv")["scenario"])
    assert labels == {"baseline + children.level=0.5"}  # the name is the run's; the label still says what it is


@pytest.mark.parametrize("name", ["../elsewhere", "a/b", "", "with space", ".hidden", "x" * 101, "trailing."])
def test_a_name_that_cannot_be_a_folder_is_refused_before_anything_is_written(runner, tmp_path, name):
    result = runner.invoke(main, ["run", "-o", str(tmp_path / "out"), "--name", name, "--set", "children.levl=1"])
    assert result.exit_code == 2, result.output
    assert "cannot name the run" in result.output and "› --name" in result.output
    assert "did you mean 'children.level'?" in result.output  # every problem at once
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_compare_is_named_by_its_scenarios_and_takes_them_as_arguments_or_with_s(runner, tmp_path):
    args = ["--set", "children.take_up=0.9", "-o", str(tmp_path), "--format", "csv"]
    positional = runner.invoke(main, ["compare", "baseline", "ilo-ess58", *args])
    assert positional.exit_code == 0, positional.output
    with_s = runner.invoke(main, ["compare", "-s", "baseline", "-s", "ilo-ess58", *args])
    assert with_s.exit_code == 0, with_s.output
    assert with_s.stdout == positional.stdout
    name = "ECU-compare-baseline-vs-ilo-ess58-set-" + naming.short_hash("children.take_up=0.9")
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert "every scenario with children.take_up=0.9" in positional.stdout
    labels = set(pd.read_csv(tmp_path / name / f"floors-{name}.csv")["scenario"])
    assert labels == {"baseline + children.take_up=0.9", "ilo-ess58 + children.take_up=0.9"}
    alone = runner.invoke(main, ["compare", "-s", "baseline"])
    assert alone.exit_code == 2 and "compare needs a reference and at least one other scenario" in alone.output


def test_sensitivity_writes_the_ranking_as_csv_too_named_by_its_benefit(runner, tmp_path):
    result = runner.invoke(main, ["sensitivity", "--benefit", "old_age", "-o", str(tmp_path), "--to", "2029"])
    assert result.exit_code == 0, result.output
    name = "ECU-baseline-sensitivity-old_age-to2029"
    assert sorted(p.name for p in (tmp_path / name).iterdir()) == [f"floors-{name}.csv", f"floors-{name}.xlsx"]
    ranking = pd.read_csv(tmp_path / name / f"floors-{name}.csv")
    assert list(ranking.columns[:5]) == ["scenario", "country", "benefit", "year", "parameter"]
    assert set(ranking["benefit"]) == {"old_age"} and set(ranking["year"]) == {2029}
    assert list(ranking["swing"]) == sorted(ranking["swing"], reverse=True)
    sheet = pd.read_excel(tmp_path / name / f"floors-{name}.xlsx", sheet_name="sensitivity")
    assert list(sheet["parameter"]) == list(ranking["parameter"])
    assert "old_age cost in 2029" in result.stdout


@pytest.mark.parametrize("command", [["sensitivity"], ["solve", "--budget", "2%", "--vary", "children.level"]])
def test_an_unknown_benefit_is_refused_before_anything_is_costed(runner, tmp_path, command, monkeypatch):
    engine = importlib.import_module("floors.engine.costing")  # the module, not the function floors.engine exports

    def no_costing(*args, **kwargs):
        raise AssertionError("costed before the benefit was checked")

    monkeypatch.setattr(engine, "build_context_data", no_costing)
    result = runner.invoke(main, [*command, "--benefit", "childs", "--set", "children.levl=1"])
    assert result.exit_code == 2, result.output
    assert "unknown benefit 'childs'" in result.output and "did you mean 'children'?" in result.output
    assert "did you mean 'children.level'?" in result.output  # with the other problems, all at once
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_the_run_line_of_solve_writes_its_own_folder(runner, tmp_path):
    result = runner.invoke(main, ["solve", "--budget", "2%", "--vary", "children.level"])
    assert result.exit_code == 0, result.output
    line = re.search(r"^reproduce: (floors run .*)$", result.output, re.MULTILINE).group(1)
    folder = re.search(r"\(writes outputs/(\S+)/\)", result.output).group(1)
    assert folder.startswith("ECU-baseline-set-") and folder != "ECU-baseline"
    again = runner.invoke(main, [*shlex.split(line)[1:], "-o", str(tmp_path), "--format", "csv"])
    assert again.exit_code == 0, again.output
    assert [p.name for p in tmp_path.iterdir()] == [folder]


def test_several_countries_are_named_and_their_warnings_grouped(runner, tmp_path):
    result = runner.invoke(main, ["run", "-c", "KEN,SEN", "--set", "children.take_up=0.9", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    name = "countries-KEN-SEN-baseline-set-" + naming.short_hash("children.take_up=0.9")
    assert [p.name for p in tmp_path.iterdir()] == [name]
    fallback = [line for line in result.stderr.splitlines() if "no national poverty line" in line]
    assert len(fallback) == 1 and fallback[0].endswith("(in 2 countries: KEN, SEN)")
    assert "…% of GDP per person" in fallback[0]  # the numbers that differ between them
    assert "on the warnings sheet of" in result.stderr and name in result.stderr
    text = readme(tmp_path / name / f"floors-{name}.xlsx")
    assert text["run"].startswith(name) and text["scenarios"] == "baseline + children.take_up=0.9"


def test_python_results_are_named_as_the_command_line_names_them():
    half = floors.run("ECU", set={"children.level": 0.5})
    assert half.name == HALF
    assert half.scenarios == ["baseline + children.level=0.5"]
    assert half.table(scenario="baseline").equals(half.table())  # by its name too
    assert set(half.to_frame()["scenario"]) == {"baseline + children.level=0.5"}
    assert floors.run("ECU", set=["children.level=0.50"]).name == HALF
    assert floors.run("ECU", name="mine").name == "mine"
    with pytest.raises(floors.InputError, match="cannot name the run"):
        floors.run("ECU", name="a/b")
    # Two different what-ifs written as dicts never share a name.
    one, two = (floors.run("ECU", [{"children.level": v}]) for v in (0.4, 0.6))
    assert one.scenarios[0].startswith("what-if-") and one.scenarios != two.scenarios and one.name != two.name
    change = floors.compare("ECU", ["baseline", "ilo-ess58"], name=None)
    assert change.name == "ECU-compare-baseline-vs-ilo-ess58"


def test_the_naming_rule():
    assert naming.overrides({"b.x": 1.0, "a.y": {2030: 0.5, 2025: True}}) == {"a.y": "{2025: true, 2030: 0.5}",
                                                                           "b.x": "1"}
    assert naming.scenario_label("baseline", {"a.y": "1", "b.x": "2"}) == "baseline + a.y=1 + b.x=2"
    assert naming.run_name("ECU", ["baseline"]) == "ECU-baseline"
    assert naming.run_name("ECU", ["a", "b"], {"x.y": "1"}, to=2035, draws=5, seed=2) == \
        f"ECU-a-and-b-set-{naming.short_hash('x.y=1')}-to2035-draws5-seed2"
    many = [f"scenario-number-{i}" for i in range(8)]
    long = naming.run_name("ECU", many)
    assert len(long) < 80 and "-and-7-more-" in long and long != naming.run_name("ECU", [*many[:-1], "other"])
    assert naming.countries_name(None, ["baseline"]) == "countries-all-baseline"
    assert naming.sensitivity_name("KEN", "ilo-ess58", benefit="children") == "KEN-ilo-ess58-sensitivity-children"
    assert naming.safe("my what:if") == "my-what-if"
    assert naming.check_name("ECU-half_line+v2") == []


def test_warnings_are_grouped_by_kind_with_where_they_occurred():
    warnings = [f"{c}: the line is {v}% of GDP per person in 2017 PPP terms" for c, v in
                [("KEN", "21.6"), ("SEN", "31.2"), ("GHA", "15.4")]]
    warnings += ["ETH baseline: the floor costs 25.2% of GDP", "KEN: the WEO reports fiscal years",
                 "children.level = 3 (set by --set): above warn_above"]
    lines = format_warnings(warnings, ["KEN", "SEN", "GHA", "ETH"], ["baseline"])
    assert lines == [
        "warning: the line is …% of GDP per person in 2017 PPP terms (in 3 countries: KEN, SEN, GHA)",
        "warning: ETH baseline: the floor costs 25.2% of GDP",
        "warning: KEN: the WEO reports fiscal years",
        "warning: children.level = 3 (set by --set): above warn_above",
    ]
    many = [f"C{i:02d}: same" for i in range(14)]
    assert format_warnings(many, [f"C{i:02d}" for i in range(14)]) == [
        "warning: same (in 14 countries: C00, C01, C02, C03, C04, C05, C06, C07, C08, C09 and 4 more)"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_and_nowhere_else(monkeypatch):
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stderr", pipe)
    with progress("costing", total=2) as step:
        step("KEN")
        step("SEN")
    assert pipe.getvalue() == ""
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with progress("costing", total=2) as step:
        step("KEN")
    assert "costing" in terminal.getvalue()


def test_commands_show_no_progress_when_stderr_is_not_a_terminal(runner, tmp_path):
    for args in (["run", "-c", "KEN,SEN", "--format", "csv"],
                 ["run", "--draws", "8", "--chunk", "4", "--format", "csv"], ["validate"]):
        result = runner.invoke(main, [*args, "-o", str(tmp_path)] if args[0] == "run" else args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and not re.search(r"^(costing|validating)", result.stderr, re.M), args
        assert "[####" not in result.output and "Completed" not in result.output  # nor dask's own bar
