"""What floors knows about a parameter or a benefit is declared once: a parameter's label, kind and cause in
its YAML definition; a benefit's label, cost and description in its record. Nothing else is needed to add one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from floors.assumptions import load_parameters
from floors.benefits import BENEFITS
from floors.cli import main
from floors.engine.compare import cause_of, decompose

from .conftest import REPO_ASSUMPTIONS


def test_every_parameter_declares_its_label_kind_and_cause():
    params = load_parameters(REPO_ASSUMPTIONS, "ECU")
    for effective in params.values():
        definition = effective.definition
        assert definition.label and definition.kind in ("policy", "context"), effective.path
        assert definition.cause in ("level", "coverage", "demography", "macro", "none"), effective.path


def test_a_definition_without_them_is_refused_with_a_clear_message(runner, tree):
    path = tree / "default" / "children.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('  label: "Child benefit: level"\n  kind: policy\n  cause: level\n', "", 1),
                    encoding="utf-8")
    result = runner.invoke(main, ["validate", "--assumptions", str(tree)])
    assert result.exit_code == 2
    for missing in ("missing required key 'label'", "missing required key 'kind'", "missing required key 'cause'"):
        assert missing in result.output
    assert "children.level" in result.output


def test_every_benefit_is_registered_once_with_its_parameters():
    sections_with_a_switch = {p.split(".")[0] for p in load_parameters(REPO_ASSUMPTIONS, "ECU")
                              if p.endswith(".include")}
    assert set(BENEFITS) == sections_with_a_switch
    params = load_parameters(REPO_ASSUMPTIONS, "ECU")
    for benefit in BENEFITS.values():
        assert benefit.label and callable(benefit.cost)
        text = benefit.describe(params)
        assert text.startswith(benefit.label.split()[0]) and len(text) > 60, benefit.id


NEW_PARAMETER = """
bonus:
  label: "Child benefit: bonus"
  kind: policy
  cause: level
  description: A bonus on top of the child benefit, as a share of it (a test parameter).
  unit: share
  value: 0.0
  range: [0, 1]
  no_source: a parameter made up by the test
"""


def test_a_new_parameter_needs_one_yaml_entry_and_its_use_in_a_formula(tree, monkeypatch, bundle, runner, tmp_path):
    with open(tree / "default" / "children.yaml", "a", encoding="utf-8") as handle:
        handle.write(NEW_PARAMETER)
    # Its use in a formula: the child benefit costs (1 + bonus) times as much.
    plain = BENEFITS["children"]

    def with_bonus(ctx):
        result = plain.cost(ctx)
        return result.assign(cost=result["cost"] * (1 + ctx.p.number("children.bonus", ctx.years)))

    import dataclasses

    monkeypatch.setitem(BENEFITS, "children", dataclasses.replace(plain, cost=with_bonus))
    base = load_parameters(tree, "ECU")
    bonus = load_parameters(tree, "ECU", sets=["children.bonus=0.5"])
    assert cause_of(bonus["children.bonus"].definition) == "level"
    # The decomposition attributes the whole change to the parameter's declared cause.
    d = decompose(["base", "bonus"], [base, bonus], bundle)
    change = d["change"].sel(scenario="bonus", benefit="total", year=2030)
    assert float(change) > 0
    np.testing.assert_allclose(float(d["contribution"].sel(scenario="bonus", benefit="total", year=2030,
                                                           cause="level")), float(change), rtol=1e-12)
    # The workbook's assumptions sheet and parameters_differ show it with its label, kind and cause.
    result = runner.invoke(main, ["run", "--assumptions", str(tree), "--out", str(tmp_path), "--format", "xlsx",
                                  "--set", "children.bonus=0.5"])
    assert result.exit_code == 0, result.output
    (path,) = tmp_path.glob("*/*.xlsx")
    sheet = pd.read_excel(path, sheet_name="assumptions").set_index("parameter")
    row = sheet.loc["children.bonus"]
    assert (row["label"], row["kind"], row["cause"], row["value"]) == ("Child benefit: bonus", "policy", "level", 0.5)
    params = runner.invoke(main, ["params", "--assumptions", str(tree), "--width", "200"])
    assert "children.bonus" in params.output


@pytest.mark.parametrize("benefit", list(BENEFITS))
def test_the_workbook_describes_each_benefit_from_its_record(benefit):
    from floors.report.workbook import BENEFIT_LABELS, benefit_definition

    params = load_parameters(REPO_ASSUMPTIONS, "ECU")
    assert BENEFIT_LABELS[benefit] == BENEFITS[benefit].label
    assert benefit_definition(params, benefit) == BENEFITS[benefit].describe(params)


def test_coverage_counts_and_series_are_declared_with_the_data_they_describe(bundle):
    """A count of people covered says which population its rate is taken against (reference_ages in its YAML
    entry); a benefit's record names the ILO series it nets, which the bundled table holds."""
    from floors.inputs.series import coverage_ratios

    params = load_parameters(REPO_ASSUMPTIONS, "ECU")
    persons = [p for p, e in params.items() if p.startswith("coverage.") and e.definition.unit == "persons"]
    assert persons and all(params[p].definition.reference_ages is not None for p in persons)
    published = set(coverage_ratios(bundle, "ECU")["series"].values)
    for benefit in BENEFITS.values():
        if benefit.coverage_series:
            assert benefit.coverage_series in published, benefit.id
        assert all(f"coverage.{count}" in persons for count in benefit.national_counts), benefit.id
