"""Old-age pension for older persons.

Method: the ILO's comparable set of benefits (ESS Working Paper 58, Ortiz et al. 2017,
benefit 5, universal old-age basic pensions) at the national poverty line, from the
country's statutory pensionable age by sex (``old_age.pensionable_age_rule = statutory``,
assumptions/data/pensionable_age.csv) or from ``old_age.pensionable_age`` (fixed; 65 in
the ILO costing as described by Grosh et al. 2022). Costed as a gap, net of the people
already receiving a pension (`existing_coverage`), as in the ILO costing for Ecuador
(docs/sources/001: "una transferencia a quienes no se encuentran actualmente cubiertos por
algún régimen de pensión").
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet
from floors.benefits.common import (
    PEOPLE,
    Benefit,
    Context,
    ages_of,
    by_scenario,
    cash_result,
    existing_coverage,
    from_age,
    phase_in,
    share_from_age,
    targeted_share,
)
from floors.benefits.describe import cash_benefit, netted, number


def pensionable_age(ctx: Context) -> np.ndarray:
    """The age the pension starts at, by (scenario, sex) where a scenario takes the statutory age, else by
    (scenario, one) (the fixed age, with a warning, where the country has no statutory age in the bundle)."""
    p = ctx.p
    fixed = p.shared_scalar("old_age.pensionable_age").astype(float)[:, np.newaxis]
    statutory = p.shared_is("old_age.pensionable_age_rule", "statutory")
    if not bool(statutory.any()):
        return fixed
    if "statutory_pensionable_age" not in ctx.data:
        ages = sorted({f"{v:g}" for v in fixed[:, 0]})
        ctx.warnings.append(f"{ctx.country}: no statutory pensionable age in the pensionable_age table: "
                            f"the old-age benefit starts at old_age.pensionable_age ({', '.join(ages)}); add the "
                            f"country's row with its source to use its statutory age")
        return fixed
    # The table holds one age per sex for the whole projection: its first year's, by (scenario or one row, sex).
    by_sex = ctx.values("statutory_pensionable_age", (dims.SCENARIO, dims.SEX, dims.YEAR))[:, :, 0]
    return np.where(statutory[:, np.newaxis], by_sex, fixed)


def cost_old_age(ctx: Context) -> xr.Dataset:
    # Plain arrays by (scenario or one row, year), people by `PEOPLE`: labelled once, in cash_result.
    population = ctx.values("population", PEOPLE)
    age = pensionable_age(ctx)
    eligible = from_age(population, age)
    paid_share = targeted_share(ctx, "old_age") * phase_in(ctx, "old_age")
    by_sex_age = population * share_from_age(ages_of(ctx), by_scenario(age)) if ctx.detail else None
    return cash_result(ctx, "old_age", eligible, existing_coverage(ctx, BENEFIT, eligible), paid_share,
                       eligible_by_sex_age=by_sex_age,
                       description="people from the pensionable age (old_age.pensionable_age_rule)")


def describe(params: ParameterSet) -> str:
    v = params.value
    if v("old_age.pensionable_age_rule") == "statutory":
        pension_age = "the statutory pensionable age of the main contributory scheme, by sex"
    else:
        pension_age = f"age {number(v('old_age.pensionable_age'))}"
    who = f"People from {pension_age}" + netted(params, "those already receiving a pension")
    return cash_benefit(BENEFIT.label, who, params, "old_age")


BENEFIT = Benefit(id="old_age", label="Old-age pension", cost=cost_old_age, describe=describe,
                  coverage_series="SI_COV_PENSN",
                  national_counts=("old_age_pensioners", "non_contributory_old_age_recipients"))
