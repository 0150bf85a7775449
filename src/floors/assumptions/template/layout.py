"""The layout of the what-if template, shared by writing and reading: sheets, columns, and how a
parameter's values are shown as text."""

from __future__ import annotations

from collections.abc import Mapping

from floors.assumptions.parameter import SHARE_UNITS, ParameterDef, may_change_by_year

SHEET = "what-if"
SCENARIO_SHEET = "scenario"
README_SHEET = "README"
HEADER = ("parameter", "description", "unit", "baseline value", "new value", "allowed values",
          "source of the baseline value")
PARAMETER_COLUMN, NEW_COLUMN = HEADER.index("parameter") + 1, HEADER.index("new value") + 1
SCENARIO_HEADER = ("field", "value", "what to write")
SCENARIO_FIELDS = ("title", "description", "author", "based_on", "country")
BY_YEAR_EXAMPLE = "2025: 0.5; 2030: 1"
TEMPLATE_HINT = "make a new template with 'floors scenario template' and copy your values into it"
# A template is a few hundred cells; anything much larger is the wrong file.
MAX_TEMPLATE_BYTES = 20_000_000

# --- what a parameter takes -------------------------------------------------------------------


def kind(definition: ParameterDef) -> str:
    """``switch`` (true/false), ``choice`` (from a list), ``text`` (matching a pattern) or ``number``."""
    if isinstance(definition.value, bool):
        return "switch"
    if definition.choices:
        return "choice"
    if definition.pattern or isinstance(definition.value, str):
        return "text"
    return "number"


def is_share(definition: ParameterDef) -> bool:
    return definition.unit in SHARE_UNITS


def number_text(value: float | int) -> str:
    """A number as text that reads back to the same number (no thousands separators)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def by_year_text(value: Mapping[int, float]) -> str:
    """Values by year as a cell shows them: ``2025: 0.5; 2030: 1``."""
    return "; ".join(f"{year}: {number_text(v)}" for year, v in sorted(value.items()))


def unit_text(definition: ParameterDef) -> str:
    if is_share(definition):
        return f"{definition.unit} (0.15 = 15 %)"
    if kind(definition) == "switch":
        return f"{definition.unit} (TRUE or FALSE)"
    return definition.unit


def allowed_text(definition: ParameterDef) -> str:
    what = kind(definition)
    if what == "switch":
        return "TRUE or FALSE"
    if what == "choice":
        return "one of: " + ", ".join(definition.choices or [])
    if what == "text":
        return f"text matching {definition.pattern}" if definition.pattern else "text"
    if definition.range is None:
        numbers = "any number"
    else:
        low, high = definition.range
        numbers = f"{number_text(low)} to {number_text(high)}"
        if is_share(definition):
            numbers += f" ({number_text(low * 100)} % to {number_text(high * 100)} %)"
    return f"{numbers}, or values by year like {BY_YEAR_EXAMPLE}" if may_change_by_year(definition) else numbers
