"""Labour force participation rates by sex, from the assumptions or the bundled ILO table."""

from __future__ import annotations

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet
from floors.inputs import Bundle
from floors.problems import InputError, Problem

TABLE = "labour_force_participation_ilo"


def participation_rates(params: ParameterSet, bundle: Bundle, years: np.ndarray) -> tuple[xr.DataArray, list[str]]:
    """Participation rate (year × sex): a parameter's value where one is set, else the latest
    value of the bundled table, held constant over the projection."""
    iso3 = params.country
    notes: list[str] = []
    values = []
    table = None
    for sex in dims.SEXES:
        path = f"labour.participation_rate_{sex}"
        if params.value(path) is not None:
            values.append(params.yearly(path, years))
            continue
        if table is None:
            table, card = bundle.table(TABLE, iso3)
        rows = table[table["sex"] == sex].sort_values("year")
        if rows.empty:
            raise InputError([Problem(
                f"no labour force participation rate for {iso3} ({sex})", key=path,
                file=f"assumptions/data/{TABLE}.csv",
                hint=f"set it in assumptions/{iso3}/labour.yaml with its source")])
        latest = rows.iloc[-1]
        values.append(np.full(len(years), float(latest["participation_rate_pct"]) / 100))
        notes.append(f"{iso3}: {sex} labour force participation {float(latest['participation_rate_pct']):.1f} % "
                     f"({card.publisher}, {int(latest['year'])}) held constant to {int(years.max())}")
    rates = xr.DataArray(np.stack(values, axis=1), coords={dims.YEAR: years, dims.SEX: list(dims.SEXES)},
                         dims=[dims.YEAR, dims.SEX], name="participation_rate",
                         attrs={"units": "share of the population of working age"})
    return rates, notes
