"""`floors app` without a browser: the levers and what they say, the checks, the scenario file and the
uploads (floors.app.session), and the `floors app` command's own checks. The page in a real browser
is tests/test_app_browser.py."""

from __future__ import annotations

import importlib.util

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import floors
from floors.benefits import BENEFITS
from floors.cli import main

app = pytest.importorskip("floors.app")
WhatIf = app.WhatIf


@pytest.fixture(scope="module")
def session():
    return app.Session()


def test_every_benefit_has_its_levers_each_saying_unit_allowed_values_and_source(session):
    groups = {g.title: g for g in session.levers("ECU", "baseline")}
    params = floors.run("ECU").countries["ECU"].parameters["baseline"]
    for benefit in BENEFITS.values():
        paths = {lever.path for lever in groups[benefit.label].levers}
        assert f"{benefit.id}.include" in paths and f"{benefit.id}.take_up" in paths, benefit.id
    children = {lever.path.split(".")[1]: lever for lever in groups["Child benefit"].levers}
    assert {"include", "level", "basis", "targeting", "take_up", "start_year", "full_year", "admin_rate",
            "age_min", "age_max"} <= set(children)
    assert {lever.path for lever in groups["Context"].levers} == {"macro.gdp_growth_shift",
                                                                  "demography.interval_position"}
    for group in groups.values():
        for lever in group.levers:
            e = params[lever.path]
            assert lever.unit == e.definition.unit
            assert e.citation() in lever.source and e.citation() in lever.hover
            assert f"Unit: {lever.unit}" in lever.hover and f"Allowed: {lever.allowed}" in lever.hover
    level = children["level"]
    assert (level.widget, level.text, level.allowed) == ("number", "0.25", "0 to 5 (0 % to 500 %), or values by "
                                                                          "year like 2025: 0.5; 2030: 1")
    assert children["targeting"].choices == ("universal", "poverty_targeted")
    assert children["include"].widget == "switch" and children["include"].text == "true"


def test_a_bad_value_is_refused_with_the_command_lines_report(session):
    with pytest.raises(floors.InputError) as refused:
        session.cost(WhatIf.of("ECU", "baseline", {"children.take_up": "80", "children.age_max": "x"}))
    ran = CliRunner().invoke(main, ["run", "-c", "ECU", "--set", "children.age_max=x", "--set", "children.take_up=80"])
    assert ran.exit_code == 2
    assert refused.value.report() in ran.output  # every problem, word for word


def test_the_scenario_file_costs_the_what_if_exactly(session, tmp_path):
    what_if = WhatIf.of("ECU", "universal-child-benefit", {
        "children.level": "45%", "children.take_up": "{2026: 0.5, 2030: 1}", "macro.gdp_growth_shift": "0.01"})
    costed = session.cost(what_if)
    assert costed.result.scenarios[0].startswith("universal-child-benefit + ")
    path = tmp_path / "studies" / "mine.yaml"
    path.parent.mkdir()
    path.write_text(session.scenario_yaml(what_if, "Mine"), encoding="utf-8")
    again = floors.run("ECU", [path])
    assert again.scenarios == ["mine"]
    for measure in ("cost_share_gdp", "cost", "cost_share_gg_expenditure"):
        assert again.table(measure).equals(costed.result.table(measure)), measure
    # Read back as an upload, the file sets the levers to the same what-if (from the baseline).
    start, changes = session.read_upload("mine.yaml", path.read_bytes(), "ECU")
    assert start == "baseline"
    assert changes["children.take_up"] == "{2026: 0.5, 2030: 1}" and changes["children.level"] == "0.45"
    assert session.cost(WhatIf.of("ECU", start, changes)).result.table().equals(costed.result.table())


def test_a_what_if_template_sets_the_start_and_the_levers(session, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    made = CliRunner().invoke(main, ["scenario", "template", "-c", "ECU", "-s", "universal-child-benefit",
                                     "--set", "children.level=0.5", "-o", "what-if.xlsx"])
    assert made.exit_code == 0, made.output
    book = load_workbook(tmp_path / "what-if.xlsx")
    book["scenario"]["B2"] = "Half the line for every child"  # the title a user types
    book.save(tmp_path / "what-if.xlsx")
    start, changes = session.read_upload("what-if.xlsx", (tmp_path / "what-if.xlsx").read_bytes(), "ECU")
    assert (start, changes) == ("universal-child-benefit", {"children.level": "0.5"})
    # saved as a macro-enabled workbook, as floors run -s reads it too
    assert session.read_upload("WHAT-IF.XLSM", (tmp_path / "what-if.xlsx").read_bytes(), "ECU") == (start, changes)


def test_a_bad_upload_names_the_file_not_where_it_was_put(session):
    with pytest.raises(floors.InputError) as refused:
        session.read_upload("bad.yaml", b"title: Bad\nchanges:\n  children.level: 15\n  children.levle: 1\n", "ECU")
    files = {p.file for p in refused.value.problems}
    assert files == {"bad.yaml:3", "bad.yaml"} or all(f and f.startswith("bad.yaml") for f in files), files
    assert len(refused.value.problems) == 2
    with pytest.raises(floors.InputError, match="not a scenario file"):
        session.read_upload("notes.txt", b"hello", "ECU")
    with pytest.raises(floors.InputError) as refused:
        session.read_upload("mine.yaml", b"title: Mine\nbased_on: univresal-child-benefit\n", "ECU")
    (problem,) = refused.value.problems
    assert (problem.file, problem.line, problem.key) == ("mine.yaml", 2, "based_on")
    assert problem.hint == "did you mean 'universal-child-benefit'?"


def test_the_change_from_the_start_splits_by_cause(session):
    what_if = WhatIf.of("ECU", "baseline", {"children.level": "0.5", "macro.gdp_growth_shift": "0.01"})
    parts = session.compare(what_if).by_cause(2030)
    assert parts["level"] > 0.2 and parts["macro"] < 0  # a higher benefit costs more; faster growth, less of GDP
    assert parts.drop("total").sum() == pytest.approx(parts["total"], abs=1e-9)
    change = session.cost(what_if).result.table() - session.cost(what_if.starting_point()).result.table()
    assert parts["total"] == pytest.approx(100 * change.loc["total", 2030], abs=1e-9)


@pytest.fixture
def served(monkeypatch):
    """What `floors app` would serve, recorded instead of served."""
    calls = []
    monkeypatch.setattr(app, "serve", lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


def test_floors_app_checks_everything_before_serving(served):
    runner = CliRunner()
    unknown = runner.invoke(main, ["app", "-c", "XYZ", "--no-browser"])
    assert unknown.exit_code == 2 and "unknown country 'XYZ'" in unknown.output
    misspelt = runner.invoke(main, ["app", "-s", "univeral-child-benefit", "--no-browser"])
    assert misspelt.exit_code == 2 and "universal-child-benefit" in misspelt.output
    bad = runner.invoke(main, ["app", "--set", "children.level=15", "--no-browser"])
    ran = runner.invoke(main, ["run", "--set", "children.level=15"])
    assert bad.exit_code == 2 and bad.output == ran.output
    twice = ["--set", "children.level=0.5", "--set", "children.level=0.7"]  # as floors run: which one was meant?
    assert runner.invoke(main, ["app", *twice, "--no-browser"]).output == runner.invoke(main, ["run", *twice]).output
    assert "children.level is set twice" in runner.invoke(main, ["app", *twice, "--no-browser"]).output
    assert served == []
    good = runner.invoke(main, ["app", "-c", "ecu", "-s", "universal-child-benefit", "--set", "children.level=0.4",
                                "--port", "0", "--no-browser"])
    assert good.exit_code == 0, good.output
    ((args, kwargs),) = served
    assert args[1:] == ("ECU", 0) and kwargs == {"open_browser": False, "start": "universal-child-benefit",
                                                 "values": {"children.level": "0.4"}}


def test_floors_app_without_its_extra_says_how_to_install_it(monkeypatch, served):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "dash" else real(name, *a))
    ran = CliRunner().invoke(main, ["app", "--no-browser"])
    assert ran.exit_code == 2
    assert 'pip install "floors[app]"' in ran.output and "dash" in ran.output
    assert served == []
