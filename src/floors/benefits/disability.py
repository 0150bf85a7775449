"""Disability benefit for persons with severe disabilities of working age.

Method: ILO ESS Working Paper 58 (Ortiz et al. 2017), benefit 4 ("all persons with severe
disabilities"): prevalence of severe disability × population in the age band, net of the
people who already receive a disability pension (contributory and non-contributory), as
in the ILO costing for Ecuador (docs/sources/001). Prevalence: WHO and World Bank (2011).
"""

from __future__ import annotations

import xarray as xr

from floors import dims
from floors.benefits.common import Context, age_mask, cash_result, in_band, phase_in, targeted_share


def cost_disability(ctx: Context) -> xr.Dataset:
    p, years, population = ctx.p, ctx.years, ctx.data["population"]
    low, high = p.scalar("disability.age_min"), p.scalar("disability.age_max")
    prevalence = p.number("disability.prevalence", years)
    eligible = in_band(population, low, high) * prevalence
    covered = ctx.data["disability_pensioners"] + ctx.data["non_contributory_disability_recipients"]
    paid_share = targeted_share(ctx, "disability") * phase_in(ctx, "disability")
    by_sex_age = population * age_mask(population[dims.AGE], low, high) * prevalence if ctx.detail else None
    return cash_result(ctx, "disability", eligible, covered, paid_share, eligible_by_sex_age=by_sex_age,
                       description="persons with severe disabilities aged disability.age_min to disability.age_max")
