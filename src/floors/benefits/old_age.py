"""Old-age pension for people from pensionable age who receive no pension.

Method: ILO ESS Working Paper 58 (Ortiz et al. 2017), benefit 5 (universal old-age basic
pension), costed as a gap as in the ILO costing for Ecuador (docs/sources/001: "una
transferencia a quienes no se encuentran actualmente cubiertos por algún régimen de
pensión"): population from ``old_age.pensionable_age`` − contributory old-age pensioners
− non-contributory pension recipients.
"""

from __future__ import annotations

import xarray as xr

from floors import dims
from floors.benefits.common import Context, age_mask, cash_result, in_band, phase_in, targeted_share


def cost_old_age(ctx: Context) -> xr.Dataset:
    p, population = ctx.p, ctx.data["population"]
    age = p.scalar("old_age.pensionable_age")
    eligible = in_band(population, age, dims.MAX_AGE)
    covered = ctx.data["old_age_pensioners"] + ctx.data["non_contributory_old_age_recipients"]
    paid_share = targeted_share(ctx, "old_age") * phase_in(ctx, "old_age")
    by_sex_age = population * age_mask(population[dims.AGE], age, dims.MAX_AGE) if ctx.detail else None
    return cash_result(ctx, "old_age", eligible, covered, paid_share, eligible_by_sex_age=by_sex_age,
                       description="people from old_age.pensionable_age")
