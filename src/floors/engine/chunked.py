"""Sweeps too large for memory: the same engine, chunk by chunk, through xarray's dask backend.

`cost_grid_chunked` returns a lazy Dataset over every combination of the sweep's axes
(a flat ``scenario`` index, last axis fastest). Each chunk builds its own parameter rows
and is costed by `cost_floor` when dask computes it, so no step ever holds the whole
sweep: on a dask cluster (``dask.distributed.Client``) the chunks run on the workers, and
``to_zarr`` writes the result chunk by chunk. The numbers equal the in-memory engine's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet
from floors.assumptions.scenario_parameters import ScenarioParameters, check_axes
from floors.engine import PROJECTION_SECTIONS, cost_floor
from floors.engine.adjustments import VECTORISED
from floors.inputs import Bundle
from floors.problems import InputError, Problem


def cost_grid_chunked(base: ParameterSet, axes: Mapping[str, Sequence[Any]], bundle: Bundle, *, chunk: int = 10_000,
                      to: int | None = None, variables: Sequence[str] = ("cost_share_gdp",)) -> xr.Dataset:
    """Lazily cost every combination of ``axes`` laid over ``base``: dims (scenario, benefit, year)."""
    try:
        import dask.array as da
    except ImportError as exc:
        raise InputError([Problem("chunked sweeps need dask, which is not installed", key="chunk",
                                  hint='python -m pip install "floors[scale]"')]) from exc
    check_axes(base, axes)
    rebuilt = [p for p in axes if p.split(".")[0] in PROJECTION_SECTIONS and p not in VECTORISED]
    if rebuilt:
        raise InputError([Problem(f"a chunked sweep varies policy parameters (and {', '.join(VECTORISED)}) only",
                                  key=", ".join(rebuilt), hint="fix these in the assumptions and sweep the rest")])
    n = math.prod(len(v) for v in axes.values())
    first = cost_floor(ScenarioParameters.grid_rows(base, axes, np.arange(1)), bundle, to=to, detail=False)
    one = first.squeeze(dims.COUNTRY, drop=True).isel({dims.SCENARIO: 0}, drop=True)
    template = xr.Dataset({name: one[name].expand_dims({dims.SCENARIO: np.arange(n)}).chunk({dims.SCENARIO: chunk})
                           for name in variables})
    index = xr.DataArray(da.arange(n, chunks=chunk), dims=[dims.SCENARIO], coords={dims.SCENARIO: np.arange(n)})

    def block(rows: xr.DataArray) -> xr.Dataset:
        ids = rows.values
        results = cost_floor(ScenarioParameters.grid_rows(base, axes, ids), bundle, to=to, detail=False)
        results = results.squeeze(dims.COUNTRY, drop=True).assign_coords({dims.SCENARIO: ids})
        return xr.Dataset({name: results[name] for name in variables})  # only the coordinates of these variables

    out = xr.map_blocks(block, index, template=template)
    out.attrs["axes"] = {path: list(values) for path, values in axes.items()}
    return out
