"""Unemployment benefit for unemployed people not covered by an unemployment benefit.

Method: ILO Working Paper 113 (Cattaneo et al. 2024) adds an income guarantee for the
unemployed to the floor; beneficiaries = unemployed people (labour force × ILO modelled
unemployment rate) − those already receiving an unemployment benefit (`existing_coverage`),
paid ``unemployment.months`` a year (ILO Convention 102, Article 24: 13 weeks within 12
months; WP 113's own duration could not be read).
"""

from __future__ import annotations

import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet
from floors.benefits.common import Benefit, Context, cash_result, existing_coverage, phase_in, targeted_share
from floors.benefits.describe import cash_benefit, netted
from floors.problems import InputError, Problem


def cost_unemployment(ctx: Context) -> xr.Dataset | None:
    """The benefit's costs; None (left out, with a warning) where there are no unemployment data
    and ``unemployment.if_no_data`` is leave_out."""
    if "unemployed" not in ctx.data:
        if bool(ctx.p.shared_is("unemployment.if_no_data", "leave_out").all()):
            ctx.warnings.append(
                f"{ctx.country}: the unemployment benefit is left out of the floor (unemployment.if_no_data = "
                f"leave_out): there is no projection of the unemployed, which needs the ILO modelled rates "
                f"(the labour_market table) or labour.participation_rate and labour.unemployment_rate")
            return None
        raise InputError([Problem(
            f"the unemployment benefit cannot be costed for {ctx.country}: there is no projection of the "
            f"unemployed (no ILO modelled labour rates for it in the labour_market table)",
            key="unemployment.include",
            hint=f"set labour.participation_rate and labour.unemployment_rate in {ctx.country}/labour.yaml of your "
                 f"assumptions folder (floors init {ctx.country}) with their sources, or leave the benefit out "
                 f"with --set unemployment.include=false")])
    unemployed = ctx.summed("unemployed", (dims.SEX,))
    paid_share = targeted_share(ctx, "unemployment") * phase_in(ctx, "unemployment")
    return cash_result(ctx, "unemployment", unemployed, existing_coverage(ctx, BENEFIT, unemployed),
                       paid_share, description="unemployed people")


def describe(params: ParameterSet) -> str:
    who = ("Unemployed people (population 15+ × ILO modelled participation and unemployment rates)"
           + netted(params, "those already receiving an unemployment benefit"))
    return cash_benefit(BENEFIT.label, who, params, "unemployment")


BENEFIT = Benefit(id="unemployment", label="Unemployment benefit", cost=cost_unemployment, describe=describe,
                  coverage_series="SI_COV_UEMP", national_counts=("unemployment_insurance_recipients",))
