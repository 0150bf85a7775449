"""Child benefit: a monthly cash transfer for children.

Method: the ILO's comparable set of benefits (ESS Working Paper 58, Ortiz et al. 2017,
Annex II, benefit 1, "allowances for all children"): beneficiaries × unit benefit,
categorical; children aged 0-5 at 25 % of the national poverty line, as the World Bank
describes the ILO costing (Grosh et al. 2022, chapter 1, note 16). Net of the children
existing schemes reach (`existing_coverage`). Poverty-targeted variants pay the share of
children below the national poverty line (the headcount rate × ``children.poverty_ratio``),
as in the ILO-UNICEF costing for Ecuador (docs/sources/001). Age-differentiated levels
multiply the level by ``age_weight_0_5``, ``_6_11`` and ``_12_17``.
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
from floors.benefits.describe import cash_benefit, netted

# The age bands the age weights apply to (the last one is open-ended up to age_max).
AGE_WEIGHT_BANDS = (("children.age_weight_0_5", 0, 5), ("children.age_weight_6_11", 6, 11),
                    ("children.age_weight_12_17", 12, 200))


def cost_children(ctx: Context) -> xr.Dataset:
    # Plain arrays by (scenario or one row, year), people by `PEOPLE`: labelled once, in cash_result.
    p, years, population = ctx.p, ctx.years, ctx.values("population", PEOPLE)
    low, high = p.shared_scalar("children.age_min"), p.shared_scalar("children.age_max")
    bands = AgeBands(population)
    eligible = bands.between(low, high)
    weighted = np.zeros((1, len(years)))
    for path, lo, hi in AGE_WEIGHT_BANDS:
        weighted = weighted + p.shared_number(path, years) * bands.between(low.clip(min=lo), high.clip(max=hi))
    paid_share = (targeted_share(ctx, "children", p.shared_number("children.poverty_ratio", years))
                  * phase_in(ctx, "children"))
    by_sex_age = population * age_mask(ages_of(ctx), by_scenario(low), by_scenario(high)) if ctx.detail else None
    return cash_result(ctx, "children", eligible, existing_coverage(ctx, BENEFIT, eligible), paid_share,
                       weighted_beneficiaries=weighted * paid_share, eligible_by_sex_age=by_sex_age,
                       description="children aged children.age_min to children.age_max")


def describe(params: ParameterSet) -> str:
    v = params.value
    who = (f"Children aged {v('children.age_min')} to {v('children.age_max')}"
           + netted(params, "those whom child or family benefits already reach"))
    return cash_benefit(BENEFIT.label, who, params, "children")


BENEFIT = Benefit(id="children", label="Child benefit", cost=cost_children, describe=describe,
                  coverage_series="SI_COV_CHLD", national_counts=())
