"""The bundled data: every table matches its card, and every bundled country has data."""

from __future__ import annotations

import pandas as pd
import pytest

from floors.inputs.tables import read_table

from .conftest import REPO_ASSUMPTIONS

TABLES = sorted(p.stem for p in (REPO_ASSUMPTIONS / "data").glob("*.csv"))


def test_every_table_has_a_card():
    cards = {p.name.removesuffix(".card.yaml") for p in (REPO_ASSUMPTIONS / "data").glob("*.card.yaml")}
    assert set(TABLES) == cards
    assert len(TABLES) == 15


@pytest.mark.parametrize("table", TABLES)
def test_table_matches_its_card(table):
    frame, card = read_table(REPO_ASSUMPTIONS / "data", table)
    assert len(frame) > 0
    assert card.licence and card.vintage and card.publisher
    assert set(card.columns) <= set(frame.columns)
    # The bundle is a faithful copy: same rows as the raw CSV.
    assert len(frame) == len(pd.read_csv(REPO_ASSUMPTIONS / "data" / f"{table}.csv"))


def test_every_bundled_country_has_population_gdp_and_births(bundle):
    for iso3 in bundle.countries:
        for table in ("population_total_sex", "population_age5_sex",
                      "population_single_age_sex", "births", "gdp"):
            frame, _ = bundle.table(table, iso3)
            assert not frame.empty, (iso3, table)
    assert len(bundle.countries) == 19


def test_a_table_a_country_may_lack_says_what_floors_does_instead():
    """A country without rows (one added by `floors data import`) runs on a declared fallback, or needs rows."""
    optional = {table for table in TABLES if read_table(REPO_ASSUMPTIONS / "data", table)[1].if_missing}
    assert optional == {"social_protection_coverage", "labour_market", "pensionable_age", "population_census_broad_age",
                        "poverty_lines_national", "poverty_lines_harmonized", "poverty_headcount_national"}
