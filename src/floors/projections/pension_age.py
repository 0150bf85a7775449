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


def statutory_pensionable_age(age: xr.DataArray | None, iso3: str,
                              years: np.ndarray) -> tuple[xr.DataArray | None, list[str]]:
    """Pensionable age (year × sex) and a note; None where the table has no row for the country (the
    old-age benefit then starts at ``old_age.pensionable_age``, with a warning).

    ``age``: `floors.inputs.series.pensionable_age` (by sex, or None).
    """
    if age is None:
        return None, []
    by_sex = [float(age.sel({dims.SEX: sex})) for sex in dims.SEXES]
    held = xr.DataArray(np.tile(by_sex, (len(years), 1)), coords={dims.YEAR: years, dims.SEX: list(dims.SEXES)},
                        dims=[dims.YEAR, dims.SEX], name="statutory_pensionable_age",
                        attrs={"units": "years of age",
                               "description": f"statutory pensionable age, {age.attrs['scheme']}",
                               "source": f"{age.attrs['reference']}, {age.attrs['reference_url']} "
                                         f"({age.attrs['source']})",
                               "vintage": age.attrs["vintage"]})
    caveat = age.attrs["caveat"]
    notes = [f"{iso3}: statutory pensionable age {by_sex[1]:g} for men and {by_sex[0]:g} for women "
             f"({age.attrs['scheme']}; in force in {age.attrs['age_in_force']}), held over the projection"
             + (f"; {caveat}" if caveat else "")]
    return held, notes
