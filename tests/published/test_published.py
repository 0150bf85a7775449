"""floors beside the ILO's published figures (figures.yaml; the table is in the README).

Each row is either a reproduction, checked within a tolerance derived from the differences
in the data, or an expected difference, checked within the band its reason gives. The
README's table is generated from the same rows by table.py: a stale table fails here too.
"""

from __future__ import annotations

import pytest

from . import table

ROWS = table.rows()


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_figure_stands_beside_the_published_one_as_its_row_says(row):
    assert table.check(row, table.value_of(row.measure)) is None


def test_every_row_is_complete_and_says_why():
    for row in ROWS:
        assert row.kind in ("reproduction", "difference"), row.id
        assert len(row.reason.split()) >= 3, row.id
        if row.kind == "reproduction":
            assert row.tolerance is not None and 0 < row.tolerance < 0.5, row.id
        else:
            low, high = row.band
            assert 0 <= low < high, row.id
    assert len({row.id for row in ROWS}) == len(ROWS)
    assert any(row.kind == "reproduction" for row in ROWS)


def test_the_check_fails_a_figure_outside_its_tolerance_or_band():
    reproduction = next(row for row in ROWS if row.kind == "reproduction")
    assert table.check(reproduction, reproduction.published) is None
    assert table.check(reproduction, reproduction.published * (1 + 2 * reproduction.tolerance)) is not None
    difference = next(row for row in ROWS if row.kind == "difference")
    assert table.check(difference, difference.published * (difference.band[1] + 0.5)) is not None


def test_readme_table_is_the_one_the_script_makes():
    text = table.README.read_text(encoding="utf-8")
    start, stop = text.index(table.BEGIN) + len(table.BEGIN), text.index(table.END)
    assert text[start:stop].strip() == table.markdown().strip(), (
        "the README's table of published figures is stale: run python tests/published/table.py --write")


def test_ecuador_presets_cost_only_their_benefit():
    child = table.results("ECU", "universal-child-benefit")["cost"].sel(year=2030)
    assert float(child.sel(benefit="total")) == float(child.sel(benefit="children"))


def test_targeted_is_the_poor_share_of_universal():
    """Same children, level and phase-in, both gross: targeting multiplies by INEC's 28.0 % headcount."""
    share = {name: float(table.results("ECU", name)["cost_share_gdp"].sel(benefit="children", year=2030))
             for name in ("targeted-child-benefit", "universal-child-benefit")}
    assert share["targeted-child-benefit"] / share["universal-child-benefit"] == pytest.approx(0.280, rel=1e-9)
