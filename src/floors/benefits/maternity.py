"""Maternity benefit: a cash transfer to women giving birth, for a number of months.

Method: ILO ESS Working Paper 58 (Ortiz et al. 2017), benefit 3: all mothers of newborns
receive 100 % of the national poverty line for four months; beneficiaries from births.
Mothers with maternity insurance are netted out (``maternity.net_insured``), their share
taken as the share of active contributors among people aged 15–64 (a proxy: no count of
insured mothers is bundled). Births are WPP 2024's, both sexes of child together.
"""

from __future__ import annotations

import xarray as xr

from floors import dims
from floors.benefits.common import Context, cash_result, in_band, phase_in, targeted_share


def insured_share(ctx: Context) -> xr.DataArray:
    """Share of the population aged 15–64 that contributes to social insurance."""
    working_age = in_band(ctx.data["population"], 15, 64)
    return (ctx.data["active_contributors"] / working_age).clip(0, 1)


def cost_maternity(ctx: Context) -> xr.Dataset:
    births = ctx.data["births"].sum(dims.SEX)
    net = ctx.p.scalar("maternity.net_insured").astype(bool)
    covered = births * xr.where(net, insured_share(ctx), 0.0)
    paid_share = targeted_share(ctx, "maternity") * phase_in(ctx, "maternity")
    return cash_result(ctx, "maternity", births, covered, paid_share,
                       description="women giving birth in the year")
