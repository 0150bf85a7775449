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

import numpy as np
import xarray as xr

from floors.assumptions import ParameterSet
from floors.benefits.common import (
    PEOPLE,
    AgeBands,
    Benefit,
    Context,
    age_mask,
    ages_of,
    by_scenario,
    cash_result,
    existing_coverage,
    phase_in,
    targeted_share,
)
from floors.benefits.describe import cash_benefit, netted, number


def severely_disabled(ctx: Context) -> np.ndarray:
    """People with a severe disability laid out as `PEOPLE`, under each scenario's rule (one row where every
    scenario has the same rule: the usual case, and a large sweep's biggest array otherwise)."""
    p = ctx.p
    position = by_scenario(p.shared_scalar("disability.prevalence_position").astype(float))
    estimate = ctx.values("severe_disability", PEOPLE)
    bound = np.where(position >= 0, ctx.values("severe_disability_high", PEOPLE),
                     ctx.values("severe_disability_low", PEOPLE))
    who = estimate + abs(position) * (bound - estimate)
    prevalence = p.shared_number("disability.prevalence", ctx.years)[:, np.newaxis, np.newaxis, :]
    fixed = ctx.values("population", PEOPLE) * prevalence
    return np.where(by_scenario(p.shared_scalar("disability.prevalence_from") == "fixed"), fixed, who)


def cost_disability(ctx: Context) -> xr.Dataset:
    # Plain arrays by (scenario or one row, year), people by `PEOPLE`: labelled once, in cash_result.
    p = ctx.p
    low, high = p.shared_scalar("disability.age_min"), p.shared_scalar("disability.age_max")
    disabled = severely_disabled(ctx)
    eligible = AgeBands(disabled).between(low, high)
    paid_share = targeted_share(ctx, "disability") * phase_in(ctx, "disability")
    by_sex_age = disabled * age_mask(ages_of(ctx), by_scenario(low), by_scenario(high)) if ctx.detail else None
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
