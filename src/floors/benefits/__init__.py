"""The six benefit modules of a social protection floor, each a pure function of the
parameters and projections (a `Context`) returning a Dataset by scenario and year."""

from floors.benefits.children import cost_children
from floors.benefits.common import Context
from floors.benefits.disability import cost_disability
from floors.benefits.health import cost_health
from floors.benefits.maternity import cost_maternity
from floors.benefits.old_age import cost_old_age
from floors.benefits.unemployment import cost_unemployment

# In the order of the floor's life cycle; the key is the assumption file's section.
MODULES = {
    "children": cost_children,
    "maternity": cost_maternity,
    "disability": cost_disability,
    "unemployment": cost_unemployment,
    "old_age": cost_old_age,
    "health": cost_health,
}

__all__ = ["MODULES", "Context"]
