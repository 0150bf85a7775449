"""The six benefits of a social protection floor, each a module with one `Benefit` record: its label,
a pure cost function of the parameters and projections (a `Context`) returning a Dataset by
scenario and year, a plain-words description, and the existing coverage it nets out.

A new benefit is a new module here, its record in `BENEFITS`, and its parameters in
assumptions/default/<id>.yaml: the engine, the workbook, `floors params` and the decomposition
pick it up from there.
"""

from floors.benefits import children, disability, health, maternity, old_age, unemployment
from floors.benefits.common import Benefit, Context

# In the order of the floor's life cycle.
BENEFITS: dict[str, Benefit] = {
    b.id: b for b in (children.BENEFIT, maternity.BENEFIT, disability.BENEFIT, unemployment.BENEFIT,
                      old_age.BENEFIT, health.BENEFIT)
}

__all__ = ["BENEFITS", "Benefit", "Context"]
