"""A user's own assumptions folder, laid over the bundled assumptions (issue 15).

`floors init ISO3 --in DIR` starts one anywhere; floors finds it from any folder inside it;
it holds only what its user changes; nothing is written inside floors' own files; scenarios
are found by name in it, among the bundled ones and in the working folder; messages and
workbooks show no absolute path of the machine.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from floors.assumptions import load_parameters
from floors.assumptions.location import MARKER, Folders, assumption_folders
from floors.cli import main
from floors.paths import bundled_assumptions

from .conftest import REPO_ASSUMPTIONS


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch) -> Path:
    """An empty working folder, outside the checkout, with no FLOORS_ASSUMPTIONS."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("FLOORS_ASSUMPTIONS", raising=False)
    return folder


def snapshot(root: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in root.rglob("*.yaml")}


def test_init_starts_a_folder_anywhere_and_leaves_floors_own_files_alone(runner, scratch):
    before = snapshot(REPO_ASSUMPTIONS)
    result = runner.invoke(main, ["init", "KEN", "--in", "my-study"])
    assert result.exit_code == 0, result.output
    study = scratch / "my-study"
    assert (study / MARKER).is_file() and "country: KEN" in (study / MARKER).read_text()
    assert sorted(p.name for p in (study / "KEN").glob("*.yaml")) == [
        "coverage.yaml", "fiscal_space.yaml", "labour.yaml", "macro.yaml", "poverty.yaml"]
    assert "wrote my-study/KEN/coverage.yaml" in result.output
    assert snapshot(REPO_ASSUMPTIONS) == before
    assert not (REPO_ASSUMPTIONS / "KEN").exists()


def test_commands_inside_the_folder_find_it_and_its_country(runner, scratch):
    assert runner.invoke(main, ["init", "KEN", "--in", "my-study"]).exit_code == 0
    study = scratch / "my-study"
    labour = study / "KEN" / "labour.yaml"
    text = labour.read_text(encoding="utf-8")
    # A reviewer replaces the default participation rate by a national figure with its source.
    text = re.sub(r"participation_rate:\n(  .*\n)+",
                  "participation_rate:\n  value: 0.7125\n  source: {title: a reviewer's national figure "
                  "(a test value), date: 2026-11-30}\n", text)
    labour.write_text(text, encoding="utf-8")
    (study / "notes").mkdir()
    os.chdir(study / "notes")  # any folder inside the user's folder
    folders = assumption_folders()
    assert folders.user == study and folders.country == "KEN"
    assert folders.base.resolve() == bundled_assumptions().resolve()
    result = runner.invoke(main, ["params", "labour.participation_rate", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"KEN"' in result.output or "0.7125" in result.output
    params = load_parameters(None, "KEN")
    assert params.value("labour.participation_rate") == 0.7125
    assert params["labour.participation_rate"].origin == "my-study/KEN/labour.yaml"
    run = runner.invoke(main, ["run", "--format", "csv", "--out", str(scratch / "outputs")])
    assert run.exit_code == 0, run.output
    assert "KEN" in run.output and list((scratch / "outputs").glob("KEN-*/*.csv"))


def test_the_user_folder_changes_only_what_it_holds(scratch):
    """A bundled country's national values stay unless the user's folder replaces them."""
    study = scratch / "study"
    (study / "ECU").mkdir(parents=True)
    (study / MARKER).write_text("country: ECU\n")
    (study / "ECU" / "macro.yaml").write_text(
        "minimum_wage_monthly:\n  value: 482\n  source: {title: a reviewer's national figure (a test value), "
        "date: 2026-11-30}\n", encoding="utf-8")
    bundled = load_parameters(REPO_ASSUMPTIONS, "ECU")
    mine = load_parameters(study, "ECU")
    assert mine.value("macro.minimum_wage_monthly") == 482
    changed = {p for p in bundled if bundled.value(p) != mine.value(p)}
    assert changed == {"macro.minimum_wage_monthly"}
    assert mine["coverage.old_age_pensioners"].citation() == bundled["coverage.old_age_pensioners"].citation()


def test_init_without_data_for_the_country_points_to_the_import(runner, scratch):
    result = runner.invoke(main, ["init", "HND", "--in", "study"])
    assert result.exit_code == 2, result.output
    assert "no data for country 'HND'" in result.output and "floors data import" in result.output
    assert "Traceback" not in result.output and not (scratch / "study").exists()


def test_nothing_is_written_inside_the_installed_package(runner, scratch, tmp_path, monkeypatch):
    installed = tmp_path / "site-packages" / "floors" / "bundled_assumptions"
    installed.mkdir(parents=True)
    monkeypatch.setattr("floors.assumptions.location.bundled_assumptions", lambda: installed)
    result = runner.invoke(main, ["init", "KEN", "--in", str(installed)])
    assert result.exit_code == 2, result.output
    assert "never writes inside its installed package" in result.output
    assert list(installed.iterdir()) == []


def test_a_scenario_is_found_by_name_here_in_the_folder_and_in_the_bundle(runner, scratch):
    study = scratch / "study"
    (study / "ECU" / "scenarios").mkdir(parents=True)
    (study / MARKER).write_text("country: ECU\n")
    (study / "ECU" / "scenarios" / "pensions-at-60.yaml").write_text(
        "title: Pensions from 60\nchanges:\n  old_age.pensionable_age: 60\n")
    (scratch / "my-scenario.yaml").write_text("title: Mine\nchanges:\n  children.level: 0.5\n")
    folders = Folders(base=REPO_ASSUMPTIONS, user=study)
    # ./NAME.yaml in the working folder, by name or as a path.
    for spec in ("my-scenario", "./my-scenario.yaml", "my-scenario.yaml"):
        assert load_parameters(folders, "ECU", [spec]).value("children.level") == 0.5, spec
    # The user's scenarios, then the bundled ones and the presets.
    assert load_parameters(folders, "ECU", ["pensions-at-60"]).value("old_age.pensionable_age") == 60
    assert load_parameters(folders, "ECU", ["pensions-at-60+ilo-ess58"]).scenarios[-1].name.endswith("ilo-ess58.yaml")


def test_a_name_in_two_places_is_ambiguous_and_a_missing_one_says_where_it_looked(runner, scratch):
    (scratch / "ilo-ess58.yaml").write_text("title: Mine\nchanges:\n  children.level: 0.5\n")
    result = runner.invoke(main, ["validate", "-s", "ilo-ess58"])
    assert result.exit_code == 2, result.output
    assert "ambiguous" in result.output and "-s ./ilo-ess58.yaml" in result.output
    assert "bundled:presets/ilo-ess58.yaml" in result.output
    missing = runner.invoke(main, ["run", "-s", "nowhere", "--out", "out"])
    assert missing.exit_code == 2 and "scenario 'nowhere' not found" in missing.output
    assert "the working folder" in missing.output
    assert str(REPO_ASSUMPTIONS) not in missing.output and not (scratch / "out").exists()


def test_validate_checks_every_scenario_file_it_can_see(runner, scratch):
    study = scratch / "study"
    (study / "ECU" / "scenarios").mkdir(parents=True)
    (study / MARKER).write_text("country: ECU\n")
    (study / "ECU" / "scenarios" / "good.yaml").write_text("title: Good\nchanges:\n  children.level: 0.5\n")
    (study / "ECU" / "scenarios" / "typo.yaml").write_text("title: Typo\nchanges:\n  children.levle: 0.5\n")
    (study / "ECU" / "scenarios" / "range.yaml").write_text("title: Range\nchanges:\n  children.take_up: 7\n")
    os.chdir(study)
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 2, result.output
    assert "ECU/scenarios/typo.yaml" in result.output and "children.levle" in result.output
    assert "did you mean 'children.level'" in result.output
    assert "ECU/scenarios/range.yaml" in result.output and "children.take_up" in result.output
    assert "Traceback" not in result.output
    (study / "ECU" / "scenarios" / "typo.yaml").unlink()
    (study / "ECU" / "scenarios" / "range.yaml").unlink()
    ok = runner.invoke(main, ["validate"])
    assert ok.exit_code == 0, ok.output
    checked = int(re.search(r"(\d+) scenario files? checked", ok.output).group(1))
    bundled = len(list((REPO_ASSUMPTIONS / "ECU" / "scenarios").glob("*.yaml")))
    presets = len(list((REPO_ASSUMPTIONS / "presets").glob("*.yaml")))
    assert checked == bundled + presets + 1


def test_a_missing_assumptions_folder_is_a_clear_error(runner, scratch):
    result = runner.invoke(main, ["run", "--assumptions", "no-such-folder"])
    assert result.exit_code == 2, result.output
    assert "the assumptions folder does not exist" in result.output and "floors init" in result.output


def test_workbooks_hold_no_absolute_path_of_the_machine(runner, scratch, tmp_path):
    assert runner.invoke(main, ["init", "ECU", "--in", str(tmp_path / "elsewhere" / "study")]).exit_code == 0
    (scratch / "mine.yaml").write_text("title: Mine\nchanges:\n  children.level: 0.5\n")
    result = runner.invoke(main, ["run", "-s", "mine", "--assumptions", str(tmp_path / "elsewhere" / "study"),
                                  "--format", "xlsx", "--out", str(scratch / "outputs")])
    assert result.exit_code == 0, result.output
    (workbook,) = (scratch / "outputs").glob("*/*.xlsx")
    machine = [str(tmp_path), str(REPO_ASSUMPTIONS.resolve()), str(Path.home())]
    for ws in load_workbook(workbook, read_only=True):
        for row in ws.iter_rows(values_only=True):
            for cell in row:
                if isinstance(cell, str):
                    assert not any(m in cell for m in machine), (ws.title, cell)
