"""Health: the gap between current health spending and a benchmark, for the people it leaves uncovered.

Method: ILO Social Protection Platform, health protection gap (financial deficit): the
shortfall of per-capita health spending other than out-of-pocket payments from US$239
(``health.benchmark = per_capita``); or, as a regional alternative, the shortfall of
public health spending from a share of GDP (PAHO CD53/5: 6 %). Current spending: WHO
GHED, latest year, held as a share of GDP. The ILO's financial deficit (the gap over the
benchmark) is read as the share of the population whose essential care is not financed:

    uncovered = population × gap / benchmark,   cost = uncovered × benchmark per person = gap

so the health gap counts the uncovered, not the whole population. The gap is closed by
take-up × phase-in. Price year of US$239: not stated by the ILO; taken as US dollars of
the base year (assumptions/default/health.yaml).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet
from floors.benefits.common import Benefit, Context, labelled_result, on_grid, phase_in
from floors.benefits.describe import number


def cost_health(ctx: Context) -> xr.Dataset:
    p, years = ctx.p, ctx.years
    # Plain (scenario, year) arrays, labelled once at the end (see cash_result).
    population = on_grid(ctx, ctx.summed("population", (dims.SEX, dims.AGE)))
    gdp = on_grid(ctx, ctx.values("gdp"))
    # Per person per year, local currency: the USD benchmark at the base year's exchange rate, carried with the CPI.
    benchmark_pc = (p.shared_number("health.benchmark_per_capita_usd", years) * on_grid(ctx, ctx.values("usd_rate"))
                    * on_grid(ctx, ctx.cpi_index))
    non_oop_share = on_grid(ctx, ctx.values("health_non_oop_share_of_gdp"))
    per_capita_gap = np.maximum(benchmark_pc * population - non_oop_share * gdp, 0)
    benchmark_share = p.shared_number("health.benchmark_share_of_gdp", years)
    share_gap = np.maximum(benchmark_share - on_grid(ctx, ctx.values("health_public_share_of_gdp")), 0) * gdp
    per_capita = p.shared_is("health.benchmark", "per_capita")[:, np.newaxis]
    gap = np.where(per_capita, per_capita_gap, share_gap)
    benchmark_total = np.where(per_capita, benchmark_pc * population, benchmark_share * gdp)
    uncovered = np.where(benchmark_total > 0,
                         population * gap / np.where(benchmark_total > 0, benchmark_total, 1), 0.0)
    closed = on_grid(ctx, phase_in(ctx, "health"))
    beneficiaries = uncovered * closed
    return labelled_result(ctx, {
        "eligible": population + np.zeros_like(uncovered),
        "existing_coverage": population - uncovered,
        "beneficiaries": beneficiaries,
        "unit_benefit": np.where(uncovered > 0, gap / np.where(uncovered > 0, uncovered, 1), 0.0),
        "cost": gap * closed,
    }, "the people whose essential health care current spending does not finance "
       "(population × health spending gap / benchmark)")


def describe(params: ParameterSet) -> str:
    v = params.value
    if v("health.benchmark") == "per_capita":
        gap = (f"US${number(v('health.benchmark_per_capita_usd'))} per person a year (US dollars of the base year: "
               f"the ILO states no price year) of health spending other than out-of-pocket payments")
    else:
        gap = f"public health spending of {number(v('health.benchmark_share_of_gdp'))} of GDP"
    return (f"Health protection gap: the cost of raising current health spending (WHO GHED) to {gap}, counted "
            f"for the people it leaves uncovered (population × gap / benchmark); the gap is closed by take-up "
            f"{number(v('health.take_up'))}, phased in from {v('health.start_year')} to {v('health.full_year')}.")


BENEFIT = Benefit(id="health", label="Health protection gap", cost=cost_health, describe=describe,
                  coverage_series=None, national_counts=())
