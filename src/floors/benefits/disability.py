"""Disability benefit for all persons with severe disabilities.

Method: the ILO's comparable set of benefits (ESS Working Paper 58, Ortiz et al. 2017,
Annex II, benefit 4, "disability benefits for all persons with severe disabilities"), at
the national poverty line. People with a severe disability: WHO's 2021 estimates for the
country's WHO region (or income group) by age and sex (`projections.disability`), moved
within WHO's 95 % interval by ``disability.prevalence_position``, or one
``disability.prevalence`` for every age (``prevalence_from: fixed``). Net of the people
who already receive a disability benefit (`existing_coverage`).
"""

from __future__ import annotations

import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet
from floors.benefits.common import (
    Benefit,
    Context,
    age_mask,
    cash_result,
    existing_coverage,
    in_band,
    phase_in,
    targeted_share,
)
from floors.benefits.describe import cash_benefit, netted, number


def severely_disabled(ctx: Context) -> xr.DataArray:
    """People with a severe disability by (scenario,) year, sex and age, under each scenario's rule
    (no scenario axis where every scenario has the same rule: the usual case, and a large sweep's
    biggest array otherwise)."""
    p, data = ctx.p, ctx.data
    position = p.shared_scalar("disability.prevalence_position").astype(float)
    estimate = data["severe_disability"]
    bound = xr.where(position >= 0, data["severe_disability_high"], data["severe_disability_low"])
    who = estimate + abs(position) * (bound - estimate)
    fixed = data["population"] * p.shared_number("disability.prevalence", ctx.years)
    return xr.where(p.shared_scalar("disability.prevalence_from") == "fixed", fixed, who)


def cost_disability(ctx: Context) -> xr.Dataset:
    p = ctx.p
    low, high = p.scalar("disability.age_min"), p.scalar("disability.age_max")
    disabled = severely_disabled(ctx)
    eligible = in_band(disabled, low, high)
    paid_share = targeted_share(ctx, "disability") * phase_in(ctx, "disability")
    by_sex_age = disabled * age_mask(disabled[dims.AGE], low, high) if ctx.detail else None
    return cash_result(ctx, "disability", eligible, existing_coverage(ctx, BENEFIT, eligible), paid_share,
                       eligible_by_sex_age=by_sex_age,
                       description="persons with severe disabilities aged disability.age_min to disability.age_max")


def describe(params: ParameterSet) -> str:
    v = params.value
    if v("disability.prevalence_from") == "fixed":
        prevalence = f"a severe disability prevalence of {number(v('disability.prevalence'))}"
    else:
        group = "WHO region" if v("disability.prevalence_from") == "who_2021_region" else "World Bank income group"
        prevalence = (f"WHO's 2021 severe disability prevalence for the country's {group}, by sex and age "
                      f"(position {number(v('disability.prevalence_position'))} in its 95 % interval)")
    who = (f"People aged {v('disability.age_min')} to {v('disability.age_max')} with a severe disability "
           f"({prevalence})" + netted(params, "those already receiving a disability benefit"))
    return cash_benefit(BENEFIT.label, who, params, "disability")


BENEFIT = Benefit(id="disability", label="Disability benefit", cost=cost_disability, describe=describe,
                  coverage_series="SI_COV_DISAB",
                  national_counts=("disability_pensioners", "non_contributory_disability_recipients"))
