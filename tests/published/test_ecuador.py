"""Ecuador's presets against the ILO's published costings for 2030 (see README.md here).

The bands are stated and explained in README.md: they hold the ratio floors / ILO that
the known differences of definition and data produce. A band that fails means floors'
result moved: check the change, then update the table and the explanation together.
"""

from __future__ import annotations

import pytest

from floors.assumptions import load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.engine import cost_floor
from floors.inputs import Bundle

from ..conftest import REPO_ASSUMPTIONS

# preset: (published % of GDP in 2030, lowest and highest ratio floors / ILO accepted)
PUBLISHED = {
    "universal-child-benefit": (7.30, 0.45, 0.65),
    "targeted-child-benefit": (1.30, 0.70, 1.00),
    "maternity-poverty-line": (0.23, 0.15, 0.30),
    "disability-poverty-line": (0.21, 0.60, 0.95),
    "old-age-pension": (0.98, 0.80, 1.00),
    "whole-floor": (2.51, 0.80, 1.00),
}


@pytest.fixture(scope="module")
def results():
    bundle = Bundle(REPO_ASSUMPTIONS)
    sets = [load_parameters(REPO_ASSUMPTIONS, "ECU", [name]) for name in PUBLISHED]
    return cost_floor(ScenarioParameters.from_sets(list(PUBLISHED), sets), bundle, sets=sets, detail=False)


@pytest.mark.parametrize("preset", list(PUBLISHED))
def test_preset_beside_published_figure(results, preset):
    published, low, high = PUBLISHED[preset]
    ours = 100 * float(results["cost_share_gdp"].sel(scenario=preset, country="ECU", benefit="total", year=2030))
    assert low <= ours / published <= high, f"{preset}: floors {ours:.3f} % vs ILO {published} %"


def test_presets_cost_only_their_benefit(results):
    child = results["cost"].sel(scenario="universal-child-benefit", country="ECU", year=2030)
    assert float(child.sel(benefit="total")) == float(child.sel(benefit="children"))


def test_targeted_is_the_poor_share_of_universal(results):
    """Same children, same level and phase-in: targeting multiplies by INEC's 28.0 % headcount."""
    share = results["cost_share_gdp"].sel(country="ECU", benefit="children", year=2030)
    ratio = float(share.sel(scenario="targeted-child-benefit") / share.sel(scenario="universal-child-benefit"))
    assert ratio == pytest.approx(0.280, rel=1e-9)
