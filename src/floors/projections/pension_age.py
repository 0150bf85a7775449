"""The statutory pensionable age of each country's main contributory scheme, by sex.

From assumptions/data/pensionable_age.csv (one sourced row per country, the ages in force
in ``age_in_force``), held over the projection: Viet Nam's and Indonesia's scheduled rises
are not followed (a note says so). A fractional age (Viet Nam's 61.5) is kept: the old-age
benefit then pays that share of the single-year age group.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from floors import dims
from floors.inputs.bundle import Bundle

TABLE = "pensionable_age"


def statutory_pensionable_age(bundle: Bundle, iso3: str, years: np.ndarray) -> tuple[xr.DataArray | None, list[str]]:
    """Pensionable age (year × sex) and a note; None where the table has no row for the country (the
    old-age benefit then starts at ``old_age.pensionable_age``, with a warning)."""
    table, card = bundle.table(TABLE)
    rows = table[table["iso3"] == iso3]
    if rows.empty:
        return None, []
    row = rows.iloc[0]
    by_sex = [float(row[f"pensionable_age_{'women' if sex == 'female' else 'men'}"]) for sex in dims.SEXES]
    age = xr.DataArray(np.tile(by_sex, (len(years), 1)), coords={dims.YEAR: years, dims.SEX: list(dims.SEXES)},
                       dims=[dims.YEAR, dims.SEX], name="statutory_pensionable_age",
                       attrs={"units": "years of age",
                              "description": f"statutory pensionable age, {row['scheme']}",
                              "source": f"{row['source_title']}, {row['source_url']} ({card.title})"})
    notes = [f"{iso3}: statutory pensionable age {by_sex[1]:g} for men and {by_sex[0]:g} for women "
             f"({row['scheme']}; in force in {int(row['age_in_force'])}), held over the projection"
             + (f"; {row['caveat']}" if row["caveat"] else "")]
    return age, notes
