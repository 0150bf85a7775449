"""Fiscal space: the floor's cost against government finance, and the measures that pay for it.

    financing_gap[s, y]   = max(cost_share_gdp[s, total, y] − existing_spending[s, y], 0)
    options[s, y]         = reallocation + revenue_increase + contributions_from_extended_coverage
    remaining_gap[s, y]   = financing_gap − options          (negative: the measures leave room)

All in shares of GDP (ILO fiscal-space framework, ESS Working Paper 48: the options are
set by the user in ``fiscal_space.*``). The year from which the gap stays closed is
``first_year_closed``.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions.scenario_parameters import ScenarioParameters

OPTIONS = ("reallocation", "revenue_increase", "contributions_from_extended_coverage")

# Variable → (what it is, unit), in the order the workbook shows them.
FISCAL_SPACE_VARIABLES = {
    "fs_cost_share_gdp": "cost of the floor",
    "fs_gg_revenue_share_gdp": "general government revenue",
    "fs_gg_expenditure_share_gdp": "general government expenditure",
    "fs_existing_spending_share_gdp": "existing spending the floor replaces (netted)",
    "fs_financing_gap_share_gdp": "financing gap (cost − existing spending)",
    **{f"fs_{name}_share_gdp": f"option: {name.replace('_', ' ')}" for name in OPTIONS},
    "fs_options_share_gdp": "options, total",
    "fs_remaining_gap_share_gdp": "remaining gap (financing gap − options; below 0: room left)",
}


def fiscal_space(cost_share_gdp: np.ndarray, revenue_share: np.ndarray, expenditure_share: np.ndarray,
                 p: ScenarioParameters, years: np.ndarray) -> dict[str, np.ndarray]:
    """Fiscal-space indicators (`FISCAL_SPACE_VARIABLES`) as plain (scenario, year) arrays, from the floor's total
    cost and general government revenue and expenditure (shares of GDP, by (scenario or one row, year))."""
    cost = cost_share_gdp
    existing = p.number_values("fiscal_space.existing_spending", years)
    gap = np.maximum(cost - existing, 0.0)
    options = {name: p.number_values(f"fiscal_space.{name}", years) for name in OPTIONS}
    total_options = sum(options.values())
    every = np.ones_like(cost)  # each indicator by scenario, where government finance is one row for all
    return {
        "fs_cost_share_gdp": cost,
        "fs_gg_revenue_share_gdp": revenue_share * every,
        "fs_gg_expenditure_share_gdp": expenditure_share * every,
        "fs_existing_spending_share_gdp": existing,
        "fs_financing_gap_share_gdp": gap,
        **{f"fs_{name}_share_gdp": value for name, value in options.items()},
        "fs_options_share_gdp": cast(np.ndarray, total_options),
        "fs_remaining_gap_share_gdp": gap - total_options,
    }


def first_year_closed(remaining_gap: xr.DataArray) -> dict[str, int | None]:
    """For each scenario, the first year from which the measures cover the gap in every later year."""
    out = {}
    for scenario in remaining_gap[dims.SCENARIO].values:
        closed = (remaining_gap.sel({dims.SCENARIO: scenario}) <= 1e-12).values
        years = remaining_gap[dims.YEAR].values
        # The last run of closed years reaching the horizon.
        open_years = np.flatnonzero(~closed)
        start = 0 if open_years.size == 0 else open_years[-1] + 1
        out[str(scenario)] = int(years[start]) if start < len(years) else None
    return out
