"""How the workbooks name things: the benefits (from their records) and the floor's total,
five-year age groups, and a parameter's value as a cell."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from floors.benefits import BENEFITS
from floors.io.excel import MILLIONS

# Labels of the benefits (from their records) and of the floor's total.
BENEFIT_LABELS = {**{b.id: b.label for b in BENEFITS.values()}, "total": "Total floor"}


def age_group(age: int) -> str:
    """The five-year age group of an age: '0-4', '5-9', …, '95-99', '100+'."""
    start = min(age // 5 * 5, 100)
    return "100+" if start == 100 else f"{start}-{start + 4}"


def age_group_sums(values: np.ndarray, ages: Iterable) -> list[tuple[str, np.ndarray]]:
    """An array whose last axis is single years of age (``ages``), summed into five-year age groups:
    (group, sums) pairs, youngest group first. A missing value counts as nothing, as in xarray's sum.
    On plain arrays: the workbook sums every input and benefit this way, and xarray's groupby took
    a tenth of a second of each run to do it label by label."""
    labels = [age_group(int(age)) for age in ages]
    groups = sorted(set(labels), key=lambda group: int(group.rstrip("+").split("-")[0]))
    filled = np.where(np.isnan(values), 0.0, values)
    return [(group, filled[..., [i for i, label in enumerate(labels) if label == group]].sum(axis=-1))
            for group in groups]


def yes_no(value: bool) -> str:
    """A boolean as a reader says it: TRUE/FALSE reads as code, 1/0 as a number."""
    return "yes" if value else "no"


def parameter_value(value):
    """A parameter value for a cell: numbers as such, booleans as yes/no, values by year as text."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dict):
        return "; ".join(f"{year}: {v:g}" for year, v in sorted(value.items()))
    if value is None:
        return "(not set)"
    return value


def shown_as(unit: str, number_format: str) -> str:
    """A unit as the cells show it: money is stored in full and shown in millions, and the unit says so."""
    return f"{unit}, shown in millions" if number_format == MILLIONS else unit
