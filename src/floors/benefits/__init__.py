"""The six benefits of a social protection floor, each a module with one `Benefit` record: its label,
a pure cost function of the parameters and projections (a `Context`) returning a Dataset by
scenario and year, a plain-words description, and the existing coverage it nets out.

A new benefit is a new module here, its record in `BENEFITS`, and its parameters in
assumptions/default/<id>.yaml: the engine, the workbook, `floors params` and the decomposition
pick it up from there.
"""

from __future__ import annotations

from floors.assumptions import ParameterSet
from floors.benefits import children, disability, health, maternity, old_age, unemployment
from floors.benefits.common import Benefit, Context
from floors.problems import Problem, did_you_mean

# In the order of the floor's life cycle.
BENEFITS: dict[str, Benefit] = {
    b.id: b for b in (children.BENEFIT, maternity.BENEFIT, disability.BENEFIT, unemployment.BENEFIT,
                      old_age.BENEFIT, health.BENEFIT)
}

__all__ = ["BENEFITS", "Benefit", "Context", "benefit_problems"]


def benefit_problems(benefit: str, params: ParameterSet | None = None, key: str = "--benefit") -> list[Problem]:
    """What is wrong with a benefit named by the user, before anything is costed: an unknown id (with a
    "did you mean"), or, given the parameters, a benefit they leave out. ``total`` is the whole floor."""
    if benefit == "total":
        return []
    if benefit not in BENEFITS:
        hint = did_you_mean(benefit, [*BENEFITS, "total"]) or f"choose total or one of {', '.join(BENEFITS)}"
        return [Problem(f"unknown benefit {benefit!r}", key=key, value=benefit, hint=hint)]
    if params is not None and params.value(f"{benefit}.include") is False:
        return [Problem(f"the {benefit} benefit is left out ({benefit}.include: false)", key=key, value=benefit,
                        hint=f"include it with --set {benefit}.include=true, or choose the total")]
    return []
