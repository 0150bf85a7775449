"""Maternity benefit: a cash transfer to women giving birth, for a number of months.

Method: the ILO's comparable set of benefits (ESS Working Paper 58, Ortiz et al. 2017,
benefit 3): all mothers of newborns receive 100 % of the national poverty line for four
months (ILO policy paper "Social protection for maternity", section 5); beneficiaries
from births (WPP 2024, both sexes of child together). Net of the mothers who already
receive a maternity cash benefit (`existing_coverage`: the ILO's SDG 1.3.1 ratio of
women receiving maternity cash benefits to women giving birth).
"""

from __future__ import annotations

import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet
from floors.benefits.common import Benefit, Context, cash_result, existing_coverage, phase_in, targeted_share
from floors.benefits.describe import cash_benefit, netted


def cost_maternity(ctx: Context) -> xr.Dataset:
    births = ctx.summed("births", (dims.SEX,))
    paid_share = targeted_share(ctx, "maternity") * phase_in(ctx, "maternity")
    return cash_result(ctx, "maternity", births, existing_coverage(ctx, BENEFIT, births), paid_share,
                       description="women giving birth in the year")


def describe(params: ParameterSet) -> str:
    who = "Women giving birth in the year (births, UN WPP)" + netted(
        params, "mothers already receiving a maternity cash benefit")
    return cash_benefit(BENEFIT.label, who, params, "maternity")


BENEFIT = Benefit(id="maternity", label="Maternity benefit", cost=cost_maternity, describe=describe,
                  coverage_series="SI_COV_MATNL", national_counts=())
