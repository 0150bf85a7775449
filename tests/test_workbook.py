"""The Excel workbook: every figure equals the engine's, the chart points at the right cells,
the record (assumptions, inputs, hashes) is complete, text never becomes a formula, and
writing is atomic."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from floors.assumptions import load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.cli import main
from floors.engine import costing
from floors.inputs import Bundle
from floors.report import workbook as wbmod

SCENARIOS = ("universal-child-benefit", "old-age-pension")
# What the results call them: a scenario costed with --set values is labelled with them (floors.naming).
LABELS = tuple(f"{s} + maternity.months=4" for s in SCENARIOS)


def engine_results(root: Path, scenarios=(), sets=(), labels=()):
    bundle = Bundle(root)
    names, param_sets = [], []
    for spec in scenarios or [None]:
        param_sets.append(load_parameters(root, "ECU", [spec] if spec else [], list(sets),
                                          known_countries=set(bundle.countries)))
        names.append(spec or "baseline")
    names = list(labels) or names
    return costing(ScenarioParameters.from_sets(names, param_sets), bundle, sets=param_sets)


@pytest.fixture(scope="module")
def two_scenarios(tmp_path_factory, bundle):
    """A two-scenario run through the command line, and the engine's own results for it."""
    out = tmp_path_factory.mktemp("out")
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["run", *[a for s in SCENARIOS for a in ("-s", s)], "--out", str(out),
                                       "--set", "maternity.months=4"])
    assert result.exit_code == 0, result.output
    name = "ECU-universal-child-benefit-and-old-age-pension-set-e2fa79"  # the scenarios, a hash of the --set
    assert name in result.output
    path = out / name / f"floors-{name}.xlsx"
    return path, engine_results(bundle.folders.base, SCENARIOS, ["maternity.months=4"], LABELS)


def year_columns(frame: pd.DataFrame) -> list:
    return [c for c in frame.columns if isinstance(c, int)]


def test_summary_equals_the_engine_for_every_scenario_benefit_measure_and_year(two_scenarios):
    path, costed = two_scenarios
    res = costed.results.sel(country="ECU")
    summary = pd.read_excel(path, sheet_name="summary")
    years = year_columns(summary)
    assert years == list(range(2024, 2031))
    expected_rows = len(wbmod.SUMMARY_MEASURES) * len(SCENARIOS) * res.sizes["benefit"]
    assert len(summary) == expected_rows
    for _, row in summary.iterrows():
        expected = res[row["variable"]].sel(scenario=row["scenario"], benefit=row["benefit"], year=years).values
        np.testing.assert_allclose(row[years].to_numpy(dtype=float), expected, rtol=1e-12)
    # The total row is the sum of the benefits (additive overlap rule), as the reader expects.
    gdp = summary[summary["variable"] == "cost_share_gdp"].set_index(["scenario", "benefit"])[years]
    for scenario in LABELS:
        parts = gdp.loc[scenario].drop("total").sum()
        np.testing.assert_allclose(parts.to_numpy(), gdp.loc[(scenario, "total")].to_numpy(), rtol=1e-12)


def test_benefit_sheets_equal_the_engine_and_the_age_detail_adds_up(two_scenarios):
    path, costed = two_scenarios
    res = costed.results.sel(country="ECU")
    sheets = pd.read_excel(path, sheet_name=None)
    benefits = [b for b in res["benefit"].values if b != "total"]
    assert all(b in sheets for b in benefits)
    for benefit in benefits:
        sheet = sheets[benefit]
        years = year_columns(sheet)
        headline = sheet[sheet["sex"] == "all"]
        assert set(headline["variable"]) == {v for v, _ in wbmod.BENEFIT_MEASURES}
        for _, row in headline.iterrows():
            expected = res[row["variable"]].sel(scenario=row["scenario"], benefit=benefit, year=years).values
            np.testing.assert_allclose(row[years].to_numpy(dtype=float), expected, rtol=1e-12)
        detail = sheet[sheet["variable"] == "beneficiaries_by_sex_age"]
        if benefit in ("children", "disability", "old_age"):
            assert set(detail["sex"]) == {"female", "male"}
            for scenario in LABELS:
                by_age = detail[detail["scenario"] == scenario][years].sum().to_numpy()
                total = res["beneficiaries"].sel(scenario=scenario, benefit=benefit, year=years).values
                np.testing.assert_allclose(by_age, total, rtol=1e-9)
        else:
            assert detail.empty  # births, the unemployed and health have no age profile


def test_chart_per_scenario_refers_to_the_percent_of_gdp_rows(two_scenarios):
    path, costed = two_scenarios
    ws = openpyxl.load_workbook(path)["summary"]
    charts = ws._charts
    assert len(charts) == len(SCENARIOS)
    header = [c.value for c in ws[1]]
    first, last = openpyxl.utils.get_column_letter(header.index(2024) + 1), openpyxl.utils.get_column_letter(
        header.index(2030) + 1)
    benefits = [b for b in costed.results["benefit"].values if b != "total"]
    for chart, scenario in zip(charts, LABELS, strict=True):
        assert scenario in chart.title.tx.rich.p[0].r[0].t
        assert len(chart.series) == len(benefits)
        for series, benefit in zip(chart.series, benefits, strict=True):
            ref = series.val.numRef.f
            row = int(ref.rsplit("$", 1)[1])
            assert ref == f"'summary'!${first}${row}:${last}${row}"
            assert [ws.cell(row=row, column=i).value for i in (1, 2, 4)] == [scenario, benefit, "cost_share_gdp"]
            assert series.tx.strRef.f == f"'summary'!$C${row}"
        assert chart.series[0].cat.numRef.f == f"'summary'!${first}$1:${last}$1"


def test_number_formats_frozen_header_and_no_merged_cells(two_scenarios):
    path, _ = two_scenarios
    wb = openpyxl.load_workbook(path)
    summary = wb["summary"]
    assert summary.freeze_panes == "D2"
    rows = {(r[0].value, r[1].value, r[3].value): r for r in summary.iter_rows(min_row=2)}
    assert rows[(LABELS[1], "total", "cost_share_gdp")][6].number_format == "0.00%"
    assert rows[(LABELS[1], "total", "cost")][6].number_format == "#,##0.0,,"  # the full amount, shown in millions
    assert wb.sheetnames[0] == "report"  # the presentation sheet, laid out for print (tests/test_report_print.py)
    for ws in wb.worksheets[1:]:  # the tables for machines: one header row, nothing merged
        assert not ws.merged_cells.ranges
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2")
        assert ws.column_dimensions["A"].width > 8


def test_assumptions_sheet_lists_every_effective_parameter_with_its_layer(two_scenarios, bundle):
    path, _ = two_scenarios
    sheet = pd.read_excel(path, sheet_name="assumptions")
    params = load_parameters(bundle.folders.base, "ECU", ["old-age-pension"], ["maternity.months=4"],
                             known_countries=set(bundle.countries))
    mine = sheet[sheet["scenario"] == LABELS[1]].set_index("parameter")
    assert set(mine.index) == set(params)
    assert mine.loc["maternity.months", "set by"] == "command line"
    assert mine.loc["poverty.national_line_period", "set by"] == "country"
    assert mine.loc["poverty.national_line_period", "value"] == "2024-12"
    assert "INEC" in mine.loc["poverty.national_line_period", "source"]
    assert mine.loc["coverage.non_contributory_old_age_recipients", "set by"] == "country"
    assert "MIES" in mine.loc["coverage.non_contributory_old_age_recipients", "source"]
    assert mine.loc["labour.participation_rate", "value"] == "(not set)"  # the ILO modelled rate of each year
    assert "ILO modelled" in mine.loc["labour.participation_rate", "source"]
    assert mine.loc["floor.overlap", "set by"] == "default"
    changed = {p for p, layer in mine["set by"].items() if layer == "scenario"}
    assert changed and all(p.startswith(("old_age.", "children.", "maternity.", "disability.", "unemployment.",
                                         "health.", "coverage.net_existing")) for p in changed)


def test_inputs_sheet_holds_the_series_used_with_sources(two_scenarios):
    path, costed = two_scenarios
    inputs = pd.read_excel(path, sheet_name="inputs")
    years = year_columns(inputs)
    population = inputs[inputs["series"] == "population"]
    assert len(population) == 2 * 21  # two sexes × five-year groups 0-4 … 95-99 and 100+
    np.testing.assert_allclose(population[years].sum().to_numpy(),
                               costed.inputs["population"].sum(["sex", "age"]).sel(year=years).values, rtol=1e-12)
    gdp = inputs[inputs["series"] == "gdp"].iloc[0]
    np.testing.assert_allclose(gdp[years].to_numpy(dtype=float), costed.inputs["gdp"].sel(year=years).values)
    assert "IMF" in gdp["source"] and "October 2025" in gdp["source"]
    line = inputs[inputs["series"] == "poverty_line_national"].iloc[0]
    assert "INEC" in line["source"]
    assert {"births", "cpi", "gg_expenditure_share", "old_age_pensioners", "labour_force"} <= set(inputs["series"])
    assert inputs["source"].notna().all()


def test_warnings_sheet_lists_unsourced_parameters_and_data_notes(two_scenarios):
    path, _ = two_scenarios
    warnings = pd.read_excel(path, sheet_name="warnings")
    assert {"no source", "data note"} <= set(warnings["kind"])
    assert warnings["message"].str.contains("children.age_weight_0_5").any()
    assert warnings["message"].str.contains("held").any()


def test_meta_holds_the_sha256_of_every_file_read(two_scenarios, bundle):
    path, _ = two_scenarios
    meta = pd.read_excel(path, sheet_name="meta", keep_default_na=False)
    files = meta[meta["item"].str.endswith("file SHA-256")]
    data = files[files["item"] == "data file SHA-256"]
    assert "data/gdp.csv" in set(data["detail"]) and "countries.yaml" in set(data["detail"])
    assert "ECU/coverage.yaml" in set(files["detail"])
    assert "data/social_protection_coverage.csv" in set(files["detail"])
    for _, row in files.iterrows():
        assert row["value"] == hashlib.sha256((bundle.folders.base / row["detail"]).read_bytes()).hexdigest()
    # The digest of all data files is that of the sorted 'hash  name' lines (what sha256sum prints).
    lines = "".join(f"{h}  {n}\n" for n, h in sorted(zip(data["detail"], data["value"], strict=True)))
    summary = meta.set_index("item")["value"]
    assert summary["data files, SHA-256 of all"] == hashlib.sha256(lines.encode()).hexdigest()
    assert summary["floors version"]
    assert summary["command line"].startswith("floors run -s universal-child-benefit")
    assert summary["library openpyxl"] == openpyxl.__version__


def test_readme_describes_the_run_and_each_benefit(two_scenarios):
    path, _ = two_scenarios
    readme = pd.read_excel(path, sheet_name="README").set_index("item")["text"]
    assert "Ecuador" in readme["country"]
    assert "65" not in readme["benefit: old_age"]  # the first scenario (universal-child-benefit) leaves it out
    assert "statutory pensionable age" in readme["benefit: old_age"]
    assert "0 to 17" in readme["benefit: children"] and "costed gross" in readme["benefit: children"]
    assert "not included in this run" in readme["benefit: health"]
    assert {"sheet: summary", "sheet: meta", f"scenario {LABELS[1]}", "run", "set on the command line"} <= set(
        readme.index)


def test_text_from_files_that_looks_like_a_formula_stays_text(runner, tree, tmp_path):
    (tree / "ECU" / "scenarios" / "@formula.yaml").write_text(
        'title: "=HYPERLINK(\\"http://example.com\\")"\n'
        'description: "+1 more month"\n'
        "changes:\n  maternity.months:\n    value: 5\n    no_source: '-illustrative, @ analyst'\n",
        encoding="utf-8")
    result = runner.invoke(main, ["run", "-s", "@formula", "--assumptions", str(tree), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "ECU-@formula" / "floors-ECU-@formula.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    suspicious = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert any(c.value.startswith("=HYPERLINK") for c in suspicious)
    assert any(c.value == "@formula" for c in suspicious)  # the scenario column
    assert all(c.data_type == "s" for c in suspicious)


def test_a_failed_write_leaves_the_previous_outputs_intact(runner, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert runner.invoke(main, ["run", "--out", str(out)]).exit_code == 0
    folder = out / "ECU-baseline"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def disk_full(self, filename):
        Path(filename).write_bytes(b"PK partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", disk_full)
    result = runner.invoke(main, ["run", "--out", str(out), "--set", "children.level=0.5"])
    assert result.exit_code == 2
    assert "No space left on device" in result.output and "free some disk space" in result.output
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no temporary left, nothing changed


def test_a_locked_workbook_gets_a_clear_message_and_nothing_changes(runner, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert runner.invoke(main, ["run", "--out", str(out)]).exit_code == 0
    folder = out / "ECU-baseline"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real_replace = os.replace

    def locked(src, dst):
        if str(dst).endswith(".xlsx"):
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", locked)
    result = runner.invoke(main, ["run", "--out", str(out), "--set", "children.level=0.5"])
    assert result.exit_code == 2
    assert "cannot write" in result.output and "close the file" in result.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_run_writes_only_the_formats_asked_for(runner, tmp_path):
    result = runner.invoke(main, ["run", "--out", str(tmp_path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert [p.suffix for p in (tmp_path / "ECU-baseline").iterdir()] == [".csv"]


def test_new_outputs_are_readable_by_others(runner, tmp_path):
    old = os.umask(0o022)
    try:
        assert runner.invoke(main, ["run", "--out", str(tmp_path)]).exit_code == 0
    finally:
        os.umask(old)
    for path in (tmp_path / "ECU-baseline").iterdir():
        assert path.stat().st_mode & 0o777 == 0o644


def test_export_writes_every_sheet_as_csv_without_recomputing(runner, tmp_path):
    assert runner.invoke(main, ["run", "--out", str(tmp_path)]).exit_code == 0
    run = tmp_path / "ECU-baseline"
    result = runner.invoke(main, ["export", str(run)])
    assert result.exit_code == 0, result.output
    workbook = pd.read_excel(run / "floors-ECU-baseline.xlsx", sheet_name=None)
    for name, frame in workbook.items():
        csv = pd.read_csv(run / "csv" / f"floors-ECU-baseline-{name}.csv")
        assert csv.shape == frame.shape
    summary = pd.read_csv(run / "csv" / "floors-ECU-baseline-summary.csv")
    np.testing.assert_allclose(summary["2030"], workbook["summary"][2030], rtol=1e-15)


@pytest.mark.parametrize("command", ["export", "brief"])
@pytest.mark.parametrize(("target", "message"), [
    ("missing-folder", "no such run folder or workbook"),
    ("ECU-baseline/floors-ECU-baseline.csv", "not an Excel workbook"),
    ("empty", "expected one floors-*.xlsx workbook"),
])
def test_export_and_brief_bad_targets_exit_2(runner, tmp_path, command, target, message):
    assert runner.invoke(main, ["run", "--out", str(tmp_path)]).exit_code == 0
    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, [command, str(tmp_path / target)])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    if target == "missing-folder":  # the example names the command that was typed
        assert f"e.g. floors {command} outputs/ECU-baseline" in result.output


def test_a_failed_first_run_leaves_no_empty_folder(runner, tmp_path, monkeypatch):
    def disk_full(self, filename):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", disk_full)
    result = runner.invoke(main, ["run", "--out", str(tmp_path / "new" / "out")])
    assert result.exit_code == 2
    assert not (tmp_path / "new").exists()


def test_readme_says_which_existing_coverage_was_netted(tmp_path, runner):
    result = runner.invoke(main, ["run", "--out", str(tmp_path), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    readme = pd.read_excel(tmp_path / "ECU-baseline" / "floors-ECU-baseline.xlsx", sheet_name="README").set_index(
        "item")["text"]
    assert "Here: old age benefit net of existing coverage: national counts" in readme["benefit: old_age"]
    assert "the ILO coverage ratio SI_COV_CHLD (8.6% in 2020)" in readme["benefit: children"]


def test_benefit_definitions_say_exactly_what_was_costed(bundle):
    from floors.report.workbook import benefit_definition

    baseline = load_parameters(bundle.folders.base, "ECU", known_countries=set(bundle.countries))
    children = benefit_definition(baseline, "children")
    assert "Children aged 0 to 5" in children and "ILO's coverage ratio" in children and "0.25 ×" in children
    assert "statutory pensionable age" in benefit_definition(baseline, "old_age")
    assert "WHO's 2021 severe disability prevalence" in benefit_definition(baseline, "disability")
    health = benefit_definition(baseline, "health")
    assert "uncovered" in health and "price year" in health and "US$239" in health
    ess58 = load_parameters(bundle.folders.base, "ECU", ["ilo-ess58"], known_countries=set(bundle.countries))
    assert "costed gross" in benefit_definition(ess58, "children")
    assert "People from age 65" in benefit_definition(ess58, "old_age")


def test_a_file_edited_within_one_process_is_hashed_again(tmp_path):
    """The meta sheet remembers a file's hash within a process (`--country all` lists the same defaults for each
    country), but an edited file, of another size or time, gets its new hash."""
    from floors.report.sheets.meta import sha256

    path = tmp_path / "children.yaml"
    path.write_text("level: 0.25\n")
    assert sha256(path) == hashlib.sha256(b"level: 0.25\n").hexdigest()
    path.write_text("level: 0.5\n")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert sha256(path) == hashlib.sha256(b"level: 0.5\n").hexdigest()
