"""Health: the gap between current health spending and a benchmark.

Method: ILO Social Protection Platform, health protection gap (financial deficit): the
shortfall of per-capita health spending other than out-of-pocket payments from US$239
(``health.benchmark = per_capita``); or, as a regional alternative, the shortfall of
public health spending from a share of GDP (PAHO CD53/5: 6 %). Current spending: WHO
GHED, latest year, held as a share of GDP. The gap is closed by take-up × phase-in.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from floors import dims
from floors.benefits.common import Context, phase_in


def cost_health(ctx: Context) -> xr.Dataset:
    p, years, data = ctx.p, ctx.years, ctx.data
    population = data["population"].sum([dims.SEX, dims.AGE])
    gdp = data["gdp"]
    # Per person per year, local currency: the USD benchmark at the base year's exchange rate, carried with the CPI.
    benchmark_pc = p.number("health.benchmark_per_capita_usd", years) * data["usd_rate"] * ctx.cpi_index
    per_capita_gap = np.maximum(benchmark_pc * population - data["health_non_oop_share_of_gdp"] * gdp, 0)
    share_gap = np.maximum(p.number("health.benchmark_share_of_gdp", years) - data["health_public_share_of_gdp"],
                           0) * gdp
    gap = xr.where(p.is_("health.benchmark", "per_capita"), per_capita_gap, share_gap)
    closed = phase_in(ctx, "health")
    cost = gap * closed
    result = xr.Dataset({
        "eligible": population,
        "existing_coverage": xr.zeros_like(cost),
        "beneficiaries": population * closed,
        "unit_benefit": xr.where(population > 0, gap / population, 0.0),
        "cost": cost,
    })
    result.attrs["description"] = "the whole population (health spending gap per person)"
    return result
