"""Plain words for a benefit's definition, built from its parameters (the workbook's README, the brief).

Each benefit module's ``describe(params)`` says who is paid and how much with these helpers,
so the text always matches what was costed.
"""

from __future__ import annotations

from typing import Any

from floors.assumptions import ParameterSet


def number(value: Any) -> str:
    """A parameter value in words: 0.25, (2025: 0.5, 2030: 1), text as it is."""
    if isinstance(value, dict):
        return "(" + ", ".join(f"{y}: {x:g}" for y, x in sorted(value.items())) + ")"
    return f"{value:g}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def levers(params: ParameterSet, section: str) -> str:
    """How much a cash benefit pays, and to how many of those eligible, from the common levers."""
    v = params.value
    level, basis = v(f"{section}.level"), str(v(f"{section}.basis")).replace("_", " ")
    targeting = "universal" if v(f"{section}.targeting") == "universal" else "for people below the poverty line"
    return (f"{number(level)} × the {basis} a month, {number(v(f'{section}.months'))} months a year, {targeting}; "
            f"take-up {number(v(f'{section}.take_up'))}, phased in from {v(f'{section}.start_year')} to "
            f"{v(f'{section}.full_year')}; administration adds {number(v(f'{section}.admin_rate'))} of benefits paid.")


def netted(params: ParameterSet, what: str) -> str:
    """Whether, and from what, the people already covered are netted out."""
    if not params.value("coverage.net_existing"):
        return "; costed gross (coverage.net_existing is false: no one already covered is netted out)."
    return (f", less {what} (national counts where the country file sets them, otherwise the ILO's coverage "
            f"ratio, SDG 1.3.1; the warnings sheet's data notes say which).")


def cash_benefit(label: str, who: str, params: ParameterSet, section: str) -> str:
    return f"{label}. Who: {who} How much: {levers(params, section)}"
