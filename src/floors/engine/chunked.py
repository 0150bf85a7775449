"""Sweeps too large for memory: the same engine, chunk by chunk, through xarray's dask backend.

`cost_grid_chunked` returns a lazy Dataset over every combination of the sweep's axes
(a flat ``scenario`` index, last axis fastest). Each chunk builds its own parameter rows
and is costed by `cost_floor` when dask computes it, so no step ever holds the whole
sweep: on a dask cluster (``dask.distributed.Client``) the chunks run on the workers, and
``to_zarr`` writes the result chunk by chunk. The numbers equal the in-memory engine's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet
from floors.assumptions.scenario_parameters import ScenarioParameters, check_axes
from floors.engine.adjustments import VECTORISED
from floors.engine.costing import PROJECTION_SECTIONS, cost_floor
from floors.inputs import Bundle
from floors.problems import InputError, Problem


def map_chunks(dim: str, n: int, chunk: int, cost: Callable[[np.ndarray], xr.Dataset], *, what: str,
               key: str, alternative: str = "") -> xr.Dataset:
    """Lazily ``cost(ids)`` for blocks of ``chunk`` indices 0…n−1 along ``dim``, through xarray's dask
    backend (``map_blocks``). ``cost`` returns a Dataset whose ``dim`` coordinate is ``ids``; the
    template (names, dimensions, coordinates) comes from costing index 0 now."""
    try:
        import dask.array as da
    except ImportError as exc:
        raise InputError([Problem(f"chunked {what} need dask, which is not installed", key=key,
                                  hint='python -m pip install "floors[scale]"' + alternative)]) from exc
    first = cost(np.arange(1))
    names = list(first.data_vars)
    template = xr.Dataset({
        name: first[name].isel({dim: 0}, drop=True)
        .expand_dims({dim: np.arange(n)}, axis=first[name].dims.index(dim)).chunk({dim: chunk})
        for name in names
    })
    index = xr.DataArray(da.arange(n, chunks=chunk), dims=[dim], coords={dim: np.arange(n)})

    def block(ids: xr.DataArray) -> xr.Dataset:
        out = cost(ids.values)
        return xr.Dataset({name: out[name] for name in names})  # only the template's variables and coordinates

    return xr.map_blocks(block, index, template=template)


def cost_grid_chunked(base: ParameterSet, axes: Mapping[str, Sequence[Any]], bundle: Bundle, *, chunk: int = 10_000,
                      to: int | None = None, variables: Sequence[str] = ("cost_share_gdp",)) -> xr.Dataset:
    """Lazily cost every combination of ``axes`` laid over ``base``: dims (scenario, benefit, year)."""
    check_axes(base, axes)
    rebuilt = [p for p in axes if p.split(".")[0] in PROJECTION_SECTIONS and p not in VECTORISED]
    if rebuilt:
        raise InputError([Problem(f"a chunked sweep varies policy parameters (and {', '.join(VECTORISED)}) only",
                                  key=", ".join(rebuilt), hint="fix these in the assumptions and sweep the rest")])

    def cost(ids: np.ndarray) -> xr.Dataset:
        results = cost_floor(ScenarioParameters.grid_rows(base, axes, ids), bundle, to=to, detail=False)
        results = results.squeeze(dims.COUNTRY, drop=True).assign_coords({dims.SCENARIO: ids})
        return xr.Dataset({name: results[name] for name in variables})

    out = map_chunks(dims.SCENARIO, math.prod(len(v) for v in axes.values()), chunk, cost, what="sweeps",
                     key="chunk")
    out.attrs["axes"] = {path: list(values) for path, values in axes.items()}
    return out
