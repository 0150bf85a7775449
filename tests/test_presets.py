"""The presets that apply to any country (assumptions/presets/): every value sourced, found by name, and the
default is the ILO WP 113 package."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from floors.assumptions import load_parameters
from floors.assumptions.location import Folders
from floors.assumptions.scenario import find_scenario

from .conftest import REPO_ASSUMPTIONS

PRESETS = sorted((REPO_ASSUMPTIONS / "presets").glob("*.yaml"))


def changes_of(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))["changes"]


def test_the_ilo_presets_are_there():
    assert {p.stem for p in PRESETS} >= {"ilo-wp113", "ilo-ess58", "every-child-at-the-line"}


@pytest.mark.parametrize("path", [p for p in PRESETS if p.stem.startswith("ilo-")], ids=lambda p: p.stem)
def test_every_parameter_of_an_ilo_preset_has_a_source_or_says_what_was_searched(path):
    for name, change in changes_of(path).items():
        assert isinstance(change, dict) and "value" in change, f"{path.name} › {name}: write {{value, source}}"
        assert change.get("source") or change.get("no_source"), f"{path.name} › {name} has no source"
        if change.get("no_source"):
            text = " ".join(change["no_source"].split())
            assert "could not be read" in text or "could not" in text, (name, text)
            assert "docs/research/" in text, f"{path.name} › {name}: say where the search is recorded"


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_a_preset_applies_to_every_country(path, bundle):
    for iso3 in bundle.countries:
        params = load_parameters(REPO_ASSUMPTIONS, iso3, [path.stem], known_countries=set(bundle.countries))
        assert params.scenarios[-1].path == path


def test_the_defaults_are_the_ilo_wp113_preset():
    """Every value the WP 113 preset sets is already the default: the baseline is that package."""
    defaults = load_parameters(REPO_ASSUMPTIONS, "KEN")
    for name, change in changes_of(REPO_ASSUMPTIONS / "presets" / "ilo-wp113.yaml").items():
        assert defaults.value(name) == change["value"], name


def test_a_country_scenario_of_the_same_name_comes_before_a_preset(tree):
    (tree / "ECU" / "scenarios" / "ilo-ess58.yaml").write_text("title: Ecuador's own\nchanges: {}\n")
    folders = Folders(base=tree)
    assert find_scenario("ilo-ess58", folders, "ECU", []) == tree / "ECU" / "scenarios" / "ilo-ess58.yaml"
    assert find_scenario("ilo-ess58", folders, "KEN", []) == tree / "presets" / "ilo-ess58.yaml"


def test_an_unknown_scenario_lists_the_presets_too(runner):
    from floors.cli import main

    result = runner.invoke(main, ["run", "-s", "ilo-wp13"])
    assert result.exit_code == 2
    assert "did you mean 'ilo-wp113'?" in result.output
