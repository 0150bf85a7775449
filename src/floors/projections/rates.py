"""Labour force participation rate, from the assumption files."""

from __future__ import annotations

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet


def participation_rates(params: ParameterSet, years: np.ndarray) -> tuple[xr.DataArray | None, list[str]]:
    """Participation rate (year × sex), or None with a note where no country value is set.

    The bundle holds no labour force data, so the rate comes only from
    ``labour.participation_rate`` in the country's file (or a scenario, or ``--set``).
    Sources give one rate for both sexes; it is applied to each.
    """
    if params.value("labour.participation_rate") is None:
        return None, [f"{params.country}: no labour.participation_rate is set; the labour force and the "
                      f"unemployed are not projected (set it in assumptions/{params.country}/labour.yaml)"]
    rate = params.yearly("labour.participation_rate", years)
    rates = xr.DataArray(np.repeat(rate[:, None], len(dims.SEXES), axis=1),
                         coords={dims.YEAR: years, dims.SEX: list(dims.SEXES)}, dims=[dims.YEAR, dims.SEX],
                         name="participation_rate", attrs={"units": "share of the population of working age"})
    return rates, []
