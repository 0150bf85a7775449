"""The guide to writing a scenario (docs/scenarios.md): its example file is accepted as written, and its
values reach the effective parameters and the costs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from ruamel.yaml import YAML

from floors.assumptions import load_parameters
from floors.assumptions.scenario import ScenarioFile
from floors.cli import main

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "scenarios.md"
NAME = "child-benefit-to-17"


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def example() -> str:
    """The complete example: the guide's first YAML block."""
    return yaml_blocks()[0]


def test_the_example_uses_every_field_of_a_scenario_and_every_form_of_a_change():
    data = YAML(typ="safe").load(example())
    assert set(data) == set(ScenarioFile.model_fields)
    changes = data["changes"]
    assert any(not isinstance(v, dict) for v in changes.values())  # a plain value
    assert {2025: 0.25, 2030: 0.5} in changes.values()  # values by year
    with_more = [v for v in changes.values() if isinstance(v, dict) and "value" in v]
    for field in ("note", "source", "no_source", "uncertainty"):
        assert any(field in v for v in with_more), field


def test_the_example_validates_and_runs_from_the_scenarios_folder(runner, tree, tmp_path):
    (tree / "ECU" / "scenarios" / f"{NAME}.yaml").write_text(example(), encoding="utf-8")
    result = runner.invoke(main, ["validate", "--assumptions", str(tree), "-s", NAME, "--strict"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: ECU, ")

    result = runner.invoke(main, ["run", "--assumptions", str(tree), "-s", NAME, "--format", "csv",
                                  "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "out").glob(f"ECU-{NAME}/*.csv")
    costs = pd.read_csv(path).query("variable == 'cost_share_gdp'").pivot_table("value", "year", "benefit")
    # based_on only-children: the child benefit alone, paid from 2025 only.
    assert list(costs.columns) == ["children", "total"]
    assert costs.loc[2024, "total"] == 0 and costs.loc[2025, "total"] > 0
    assert costs.loc[2030, "total"] > 3 * costs.loc[2025, "total"]  # level doubles, take-up phased in


def test_the_examples_values_reach_the_effective_parameters(runner, tree):
    (tree / "ECU" / "scenarios" / f"{NAME}.yaml").write_text(example(), encoding="utf-8")
    params = load_parameters(tree, "ECU", [NAME])
    assert params.value("children.level") == {2025: 0.25, 2030: 0.5}
    assert params.value("children.age_max") == 17
    assert params.value("children.take_up") == 0.9
    assert params["children.take_up"].uncertainty is not None and params["children.take_up"].uncertainty.low == 0.8
    assert (params.value("children.start_year"), params.value("children.full_year")) == (2025, 2028)
    assert params["children.basis"].citation().startswith("ILO, Social Protection Floors Recommendation, 2012")
    assert params["children.months"].citation().startswith("NO SOURCE: a monthly benefit paid all year")
    # based_on only-children comes first: the other benefits are left out.
    assert params.value("old_age.include") is False and params.value("health.include") is False
    assert [s.title for s in params.scenarios] == ["Child benefit only", YAML(typ="safe").load(example())["title"]]
    for path in ("children.level", "children.age_max", "old_age.include"):
        assert params[path].layer == "scenario", path

    records = json.loads(runner.invoke(main, ["params", "--assumptions", str(tree), "-s", NAME, "children.level",
                                              "--format", "json"]).output)
    assert records == [{**records[0], "value": {"2025": 0.25, "2030": 0.5}, "set_by": "scenario"}]


def test_the_example_runs_from_any_path_composed_with_the_scenario_it_is_based_on(runner, tree, tmp_path):
    study = tmp_path / "studies" / "child-benefit.yaml"
    study.parent.mkdir()
    # Kept outside the assumptions folder, based_on is left out and the base composed with a+b instead.
    study.write_text(re.sub(r"^based_on: .*\n", "", example(), flags=re.M), encoding="utf-8")
    result = runner.invoke(main, ["params", "--assumptions", str(tree), "-s", f"only-children+{study}",
                                  "include", "children.level", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = {r["parameter"]: r for r in json.loads(result.output)}
    assert records["children.level"]["value"] == {"2025": 0.25, "2030": 0.5}
    assert records["children.level"]["origin"].endswith("child-benefit.yaml")
    assert records["children.include"]["value"] is True and records["old_age.include"]["value"] is False


def test_the_broken_example_gives_the_errors_the_guide_shows(runner, tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = GUIDE.read_text(encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(yaml_blocks()[1], encoding="utf-8")
    shown = re.search(r"gives\n\n```\n(.*?)```", text, re.S)
    assert shown is not None
    result = runner.invoke(main, ["run", "--assumptions", str(tree), "-s", "bad.yaml", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip() == shown.group(1).strip()


def test_the_guide_names_only_real_parameters(tree):
    params = load_parameters(tree, "ECU")
    named = set(re.findall(r"\b((?:[a-z_]+)\.[a-z_0-9]+)\b", GUIDE.read_text(encoding="utf-8")))
    sections = {path.partition(".")[0] for path in params}
    claimed = {n for n in named if n.partition(".")[0] in sections and n.partition(".")[2] not in ("yaml", "md")}
    assert {"children.level", "children.take_up", "children.basis"} <= claimed
    assert claimed - set(params) == {"children.levle"}  # the misspelling in the errors section


def test_the_table_the_guide_shows_is_what_floors_params_prints(runner, tree, monkeypatch):
    monkeypatch.chdir(tree.parent)  # so that files are named assumptions/ECU/…, as in the guide
    (tree / "ECU" / "scenarios" / f"{NAME}.yaml").write_text(example(), encoding="utf-8")
    shown = re.search(r"```\n(Effective parameters for ECU.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert shown is not None
    result = runner.invoke(main, ["params", "--assumptions", "assumptions", "children.level", "-s", NAME,
                                  "--width", "90"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == shown.group(1).strip()
