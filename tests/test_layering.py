"""Layering default → country → scenario → --set: one mechanism, later layers win key by key."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from floors.assumptions import load_parameters, yearly_values
from floors.problems import InputError


def test_country_overrides_default(tree: Path):
    params = load_parameters(tree, "ECU")
    assert params["poverty.national_line_period"].value == "2024-12"
    assert params["poverty.national_line_period"].layer == "country"
    assert params["poverty.national_line_period"].origin.endswith("ECU/poverty.yaml")
    # A parameter no country file touches keeps its default and its source.
    assert params["macro.horizon"].layer == "default"
    assert params["macro.horizon"].value == 2030


def test_country_without_overrides_gets_defaults(tree: Path):
    params = load_parameters(tree, "KEN", known_countries={"KEN"})
    assert params["poverty.national_line_period"].value == "latest"
    assert {e.layer for e in params.values()} == {"default"}


def test_scenario_then_set_win_in_order(tree: Path):
    scenario = tree / "ECU" / "scenarios" / "later.yaml"
    scenario.write_text("title: Later horizon\nchanges:\n  macro.horizon: 2040\n  macro.base_year: 2025\n")
    params = load_parameters(tree, "ECU", ["later"], ["macro.horizon=2035"])
    assert params["macro.horizon"].value == 2035 and params["macro.horizon"].layer == "command line"
    assert params["macro.base_year"].value == 2025 and params["macro.base_year"].layer == "scenario"


def test_composition_later_scenario_wins_key_by_key(tree: Path):
    folder = tree / "ECU" / "scenarios"
    (folder / "a.yaml").write_text("title: A\nchanges:\n  macro.horizon: 2040\n  macro.base_year: 2025\n")
    (folder / "b.yaml").write_text("title: B\nchanges:\n  macro:\n    horizon: 2045\n")
    ab = load_parameters(tree, "ECU", ["a+b"])
    ba = load_parameters(tree, "ECU", ["b+a"])
    assert ab.value("macro.horizon") == 2045 and ab.value("macro.base_year") == 2025
    assert ba.value("macro.horizon") == 2040


def test_based_on_is_applied_first(tree: Path):
    folder = tree / "ECU" / "scenarios"
    (folder / "base.yaml").write_text("title: Base\nchanges:\n  macro.horizon: 2040\n  macro.base_year: 2025\n")
    (folder / "child.yaml").write_text("title: Child\nbased_on: base.yaml\nchanges:\n  macro.horizon: 2035\n")
    params = load_parameters(tree, "ECU", ["child"])
    assert params.value("macro.horizon") == 2035
    assert params.value("macro.base_year") == 2025
    assert [s.title for s in params.scenarios] == ["Base", "Child"]


def test_empty_overlay_equals_baseline(tree: Path):
    (tree / "ECU" / "scenarios" / "empty.yaml").write_text("title: Nothing changes\nchanges: {}\n")
    base = load_parameters(tree, "ECU")
    same = load_parameters(tree, "ECU", ["empty"])
    assert {k: e.value for k, e in base.items()} == {k: e.value for k, e in same.items()}


def test_values_by_year_interpolate_and_hold_flat():
    value = {2025: 0.2, 2030: 0.7}
    got = yearly_values(value, [2024, 2025, 2027, 2030, 2032])
    np.testing.assert_allclose(got, [0.2, 0.2, 0.4, 0.7, 0.7])
    np.testing.assert_allclose(yearly_values(3, [2024, 2030]), [3, 3])


def test_set_value_is_checked_like_a_file_value(tree: Path):
    with pytest.raises(InputError) as exc:
        load_parameters(tree, "ECU", sets=["macro.horizon=2200"])
    text = exc.value.report()
    assert "macro.horizon" in text and "above the maximum 2050" in text
