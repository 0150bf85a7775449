"""Compare scenarios and decompose the change in cost by cause.

Each parameter belongs to one cause of a change in cost, declared as ``cause`` in its
definition (assumptions/default/<section>.yaml):

* ``level``      how much is paid: level, basis, amount, months, administration, the
                 poverty line and minimum wage a level refers to, the health benchmark;
* ``coverage``   who is paid: which benefits, ages, targeting and the headcount it uses,
                 take-up, phase-in, prevalence, existing coverage netted out;
* ``demography`` the population projection (``demography.*``);
* ``macro``      GDP, prices and the labour market (``macro.*``, ``labour.*``).

The change from a reference scenario A to a scenario B is split exactly among the causes
by Shapley values: every "hybrid" scenario that takes some causes' parameters from B and
the rest from A is costed (one vectorised pass, 2^k hybrids for k causes that differ),
and each cause gets its average marginal effect over all orders of switching. The
contributions add up to the total change by construction, whatever the interactions
(a higher level applied to more people), and do not depend on an arbitrary order.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from math import factorial

import numpy as np
import xarray as xr

from floors import dims
from floors.assumptions import ParameterDef, ParameterSet
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.engine.costing import costing
from floors.inputs import Bundle
from floors.problems import InputError, Problem

CAUSES = ("level", "coverage", "demography", "macro")


def cause_of(definition: ParameterDef) -> str | None:
    """The cause a parameter belongs to (its definition's ``cause``), None for a setting that changes no cost."""
    return None if definition.cause == "none" else definition.cause


def differing(sets: Sequence[ParameterSet]) -> list[str]:
    """The parameters whose effective values are not the same in every scenario."""
    first = sets[0]
    return [path for path in first if any(s.value(path) != first.value(path) for s in sets[1:])]


def _hybrid(reference: ParameterSet, other: ParameterSet, paths: list[str]) -> ParameterSet:
    return reference.with_entries({p: other.params[p] for p in paths})


def decompose(names: Sequence[str], sets: Sequence[ParameterSet], bundle: Bundle, to: int | None = None,
              ) -> xr.Dataset:
    """The change in cost (share of GDP) from ``sets[0]`` to each other scenario, by cause.

    Returns ``contribution`` (scenario, cause, benefit, year) and ``change`` (scenario,
    benefit, year) for the scenarios after the first; contributions sum to the change.
    """
    reference = sets[0]
    for name, other in zip(names[1:], sets[1:], strict=True):
        if (other.value("macro.base_year"), other.value("macro.horizon")) != (
                reference.value("macro.base_year"), reference.value("macro.horizon")) and to is None:
            raise InputError([Problem(f"scenario {name} covers other years than {names[0]}", key="macro.base_year",
                                      hint="compare scenarios over the same years (or give --to)")])
    hybrid_names, hybrid_sets, plans = [], [], []
    for name, other in zip(names[1:], sets[1:], strict=True):
        by_cause = {cause: [p for p in differing([reference, other]) if cause_of(reference[p].definition) == cause]
                    for cause in CAUSES}
        active = [cause for cause in CAUSES if by_cause[cause]]
        subsets = [frozenset(c) for r in range(len(active) + 1) for c in itertools.combinations(active, r)]
        for subset in subsets:
            hybrid_names.append(f"{name}|{'+'.join(sorted(subset)) or 'reference'}")
            hybrid_sets.append(_hybrid(reference, other, [p for c in subset for p in by_cause[c]]))
        plans.append((name, active, subsets))
    if not hybrid_sets:
        raise InputError([Problem("compare needs at least two scenarios", key="SCENARIOS",
                                  hint="e.g. floors compare baseline universal-child-benefit")])
    costed = costing(ScenarioParameters.from_sets(hybrid_names, hybrid_sets), bundle, to=to, sets=hybrid_sets,
                     detail=False).results
    share = costed["cost_share_gdp"].squeeze(dims.COUNTRY, drop=True)
    contributions, changes = [], []
    for name, active, subsets in plans:
        value = {s: share.sel({dims.SCENARIO: f"{name}|{'+'.join(sorted(s)) or 'reference'}"}, drop=True)
                 for s in subsets}
        n = len(active)
        per_cause = []
        for cause in CAUSES:
            if cause not in active:
                per_cause.append(xr.zeros_like(value[frozenset()]))
                continue
            total = xr.zeros_like(value[frozenset()])
            for s in subsets:
                if cause in s:
                    continue
                weight = factorial(len(s)) * factorial(n - len(s) - 1) / factorial(n)
                total = total + weight * (value[s | {cause}] - value[s])
            per_cause.append(total)
        contributions.append(xr.concat(per_cause, dim="cause").assign_coords(cause=list(CAUSES)))
        changes.append(value[frozenset(active)] - value[frozenset()])
    out = xr.Dataset({
        "contribution": xr.concat(contributions, dim=dims.SCENARIO).assign_coords({dims.SCENARIO: list(names[1:])}),
        "change": xr.concat(changes, dim=dims.SCENARIO).assign_coords({dims.SCENARIO: list(names[1:])}),
    })
    out["contribution"].attrs = {"units": "share of GDP", "description": "change in cost due to each cause"}
    out["change"].attrs = {"units": "share of GDP", "description": "change in cost from the reference scenario"}
    _check_additive(out)
    return out


def _check_additive(out: xr.Dataset) -> None:
    gap = np.abs(out["contribution"].sum("cause") - out["change"])
    if float(gap.max()) > 1e-12:  # Shapley values add up by construction: anything else is a defect
        raise RuntimeError(f"decomposition does not add up (largest gap {float(gap.max()):.3g})")
