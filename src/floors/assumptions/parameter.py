"""What a parameter is: its definition in a default file, and the checks on its value.

A parameter is defined once, in ``assumptions/default/<section>.yaml``, with a
description, a unit, a value, a valid range (or a list of choices) and a source. Every
later layer (country, scenario, command line) may only change the value (and say where
the new value comes from); each new value goes through the same `check_value`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from floors.problems import Problem, did_you_mean

# Years a by-year value may name: the span of the bundled demographic data (WPP).
FIRST_YEAR, LAST_YEAR = 1950, 2100


@dataclass(frozen=True)
class Unit:
    """How values in a unit are written: what a value is (for hints) and whether a percentage may stand for it.

    ``percent``: the unit is a share, a ratio in which 1 is 100 %. A percentage written as text (``15%``,
    ``15 %``, ``12.5%``, ``-2%``) is read as the share it stands for (0.15), in every layer (default,
    country and scenario files, ``--set``, the what-if template) and in values by year; the value is kept
    as that number, and floors shows it as a percentage (the workbook, the template). Every other unit
    refuses a percentage and says what to write instead.
    ``whole``: whole numbers that index the data (an age, a calendar year); they cannot change by year.
    ``factor``: a plain factor, 1 for unchanged: written as a number (1.5, not 150%), as floors shows it.
    """

    what: str
    percent: bool = False
    whole: bool = False
    factor: bool = False


# Every unit a parameter may have, classified once. A default file naming another unit is refused: a new
# unit is added here, saying whether it is a share.
UNITS: dict[str, Unit] = {
    # Shares: a percentage is accepted.
    "share": Unit("a share, where 1 is the whole", percent=True),
    "share of GDP": Unit("a share of GDP, where 1 is all of GDP", percent=True),
    # A benefit level, a share of its basis (the poverty line, GDP per person, ...) that may exceed the whole:
    # a quarter of the line is 0.25 or 25%, one and a half times it 1.5 or 150%. Levels are stated as
    # percentages of the line (the ILO's "25 percent of the national poverty line"), so 25% means 0.25 here.
    "share of the basis": Unit("a share of the benefit's basis, where 1 is the whole basis (e.g. the "
                               "poverty line)", percent=True),
    # Not shares: a percentage is refused.
    "multiplier": Unit("a plain factor, 1 for unchanged", factor=True),  # an age weight, the child poverty ratio
    "years of age": Unit("an age in whole years", whole=True),
    "year": Unit("a calendar year", whole=True),
    "months per year": Unit("a number of months a year"),
    "persons": Unit("a number of people (a count, not a rate)"),
    "local currency per month": Unit("an amount in local currency a month"),
    "USD per person per year": Unit("an amount in US dollars a person a year"),
    "2017 PPP USD per person per day": Unit("an amount in 2017 PPP dollars a person a day"),
    "local currency per 2017 PPP USD": Unit("a number of local currency units per 2017 PPP dollar"),
    "position in the 80 % interval": Unit("a position in the interval (0 the median, 1 its upper and -1 its lower "
                                          "bound)"),
    "position in the 95 % interval": Unit("a position in the interval (0 the estimate, 1 its upper and -1 its "
                                          "lower bound)"),
    # Not numbers.
    "switch": Unit("true or false"),
    "rule": Unit("one of the choices"),
    "period": Unit("a period"),
}
SHARE_UNITS = frozenset(name for name, unit in UNITS.items() if unit.percent)
# Whole numbers that cannot change by year: an age indexes the population, a year is a calendar year.
WHOLE_UNITS = tuple(name for name, unit in UNITS.items() if unit.whole)

_PERCENTAGE = re.compile(r"\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*")


def percentage(value: Any) -> float | None:
    """The share a percentage written as text stands for (``15%`` or ``15 %`` → 0.15); None for anything else."""
    match = _PERCENTAGE.fullmatch(value) if isinstance(value, str) else None
    return None if match is None else float(Decimal(match[1]) / 100)  # 0.658 for 65.8 %, not 0.6579999999999999


class Source(BaseModel):
    """Where a value comes from: enough for a reader to find it again."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    url: str | None = None
    locator: str | None = None  # table, page, section or line in the source
    date: str | None = None
    note: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, v: Any) -> Any:
        if isinstance(v, dt.date):  # date: 2024-10-01 written without quotes
            return v.isoformat()
        return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v

    def cite(self) -> str:
        parts = [self.title]
        if self.locator:
            parts.append(self.locator)
        if self.date:
            parts.append(self.date)
        if self.url:
            parts.append(self.url)
        return ", ".join(parts)


Value = bool | int | float | str | dict[int, float]


class Uncertainty(BaseModel):
    """How uncertain a numeric value is, for Monte Carlo draws and sensitivity analysis.

    ``uniform``: any value from low to high equally likely; ``triangular``: most likely
    the parameter's value, from low to high; ``normal80``: normal, with low and high
    the 10th and 90th percentiles (an 80 % interval, as WPP publishes). Each range needs
    a ``source`` or a ``reason`` saying where it comes from.
    """

    model_config = ConfigDict(extra="forbid")

    low: float
    high: float
    distribution: Literal["uniform", "triangular", "normal80"] = "uniform"
    source: Source | None = None
    reason: str | None = None

    @field_validator("low", "high", mode="before")
    @classmethod
    def _no_percentage(cls, bound: Any) -> Any:
        share = percentage(bound)
        if share is not None:
            raise ValueError(f"the bounds of an uncertainty range are plain numbers in the parameter's unit, not "
                             f"percentages: for a share, write {_number_text(share)} for {bound.strip()}")
        return bound

    @model_validator(mode="after")
    def _consistent(self) -> Uncertainty:
        # A bound of .nan or .inf passes every comparison (or none) and turns the draws' costs into NaN.
        for bound, value in (("low", self.low), ("high", self.high)):
            if not math.isfinite(value):
                raise ValueError(f"uncertainty {bound} must be a finite number, not {value}: write the end of the "
                                 f"plausible range, e.g. {bound}: 0.8")
        if self.low > self.high:
            raise ValueError(f"uncertainty low {self.low:g} is above high {self.high:g}")
        if self.source is None and not self.reason:
            raise ValueError("an uncertainty range needs a 'source' or a 'reason' saying where it comes from")
        return self

    def cite(self) -> str:
        return self.source.cite() if self.source is not None else f"reason: {self.reason}"


Kind = Literal["policy", "context"]
# The causes of a change in cost the decomposition splits by (engine.compare); "none" for settings that change
# what is reported, not what is costed (fiscal space, the warning threshold).
Cause = Literal["level", "coverage", "demography", "macro", "none"]


class ParameterDef(BaseModel):
    """A parameter as defined in a default file, with everything floors knows about it: what it is (label,
    description, unit), whether it is a decision about the floor or a setting of its context (kind), which
    cause of a change in cost it belongs to (cause), its value, limits and source. Nothing about a parameter
    is kept in code."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, description="A short name for tables and charts.")
    kind: Kind = Field(description="policy: a decision about the floor; context: macro, demographic or data "
                                   "settings.")
    cause: Cause = Field(description="The cause a change in this parameter is attributed to in a comparison.")
    description: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    value: Value | None
    from_data: str | None = Field(
        default=None,
        description="With value: null, the bundled table that gives each country's value. "
        "A null value with neither from_data nor a country value means 'not available'.",
    )
    range: tuple[float, float] | None = None
    choices: list[str] | None = None
    pattern: str | None = Field(default=None, description="Regular expression a text value must match.")
    warn_above: float | None = None
    warn_below: float | None = None
    source: Source | None = None
    no_source: str | None = Field(
        default=None, description="Why no source could be found; shown wherever the value is."
    )
    note: str | None = None
    uncertainty: Uncertainty | None = None
    reference_ages: tuple[int | str, int | None] | None = Field(
        default=None, description="For a count of people covered: the ages of the population its rate is "
        "taken against, [youngest, oldest] (oldest null: and over; youngest may name an age parameter).")
    by_year: bool = Field(default=True, description="Whether a numeric value may be given by year "
                          "({2025: 0.5, 2030: 1}); never for a year or an age (WHOLE_UNITS).")

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if unit not in UNITS:
            close = did_you_mean(unit, list(UNITS))
            raise ValueError(f"unknown unit {unit!r}: {close + ' ' if close else ''}the units are "
                             f"{', '.join(UNITS)} (a new one is added to UNITS in floors/assumptions/parameter.py, "
                             "saying whether it is a share)")
        return unit

    @model_validator(mode="before")
    @classmethod
    def _percentages(cls, body: Any) -> Any:
        """A default value written as a percentage (25%, {2025: 50%}) as the share it stands for; refused
        with what to write where the unit is not a share."""
        if not isinstance(body, dict) or not isinstance(body.get("unit"), str) or body["unit"] not in UNITS:
            return body
        value = body.get("value")
        numbers = value.items() if isinstance(value, dict) else [(None, value)]
        texts = [(year, v) for year, v in numbers if isinstance(v, str) and percentage(v) is not None]
        if not texts:
            return body
        if body["unit"] not in SHARE_UNITS:
            year, text = texts[0]
            valid, bounds = body.get("range"), None
            if isinstance(valid, list | tuple) and len(valid) == 2 and all(
                    isinstance(x, int | float) and not isinstance(x, bool) for x in valid):
                bounds = (valid[0], valid[1])
            message, hint = _percentage_refused(body["unit"], bounds, text,
                                                f" [year={year}]" if year is not None else "")
            raise ValueError(f"{message}: {hint}")
        return {**body, "value": shares(value)}

    @model_validator(mode="after")
    def _consistent(self) -> ParameterDef:
        if self.source is None and not self.no_source:
            raise ValueError(
                "a parameter needs a 'source' (title, url, locator, date), or 'no_source' "
                "saying why none could be found"
            )
        if self.value is None and not (self.from_data or self.no_source):
            raise ValueError(
                "value: null needs 'from_data' (the table that gives each country's value) or "
                "'no_source' (why there is no default and who must set it)"
            )
        if isinstance(self.value, str) and not (self.choices or self.pattern):
            raise ValueError("a text parameter needs 'choices' (the allowed values) or a 'pattern'")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"range {list(self.range)} has its minimum above its maximum")
        if self.uncertainty is not None:
            check_uncertainty(self.uncertainty, self.value, self.range)
        return self


class Override(BaseModel):
    """A new value for a parameter, set by a country file or a scenario."""

    model_config = ConfigDict(extra="forbid")

    value: Any
    source: Source | None = None
    no_source: str | None = None
    note: str | None = None
    uncertainty: Uncertainty | None = None


def check_uncertainty(u: Uncertainty, value: Any, valid: tuple[float, float] | None) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("an uncertainty range needs a single numeric value (not a switch, text or values by year)")
    if valid is not None and u.distribution != "normal80" and not valid[0] <= u.low <= u.high <= valid[1]:
        raise ValueError(f"uncertainty [{u.low:g}, {u.high:g}] goes outside the parameter's range {list(valid)}")
    if u.distribution == "triangular" and not u.low <= value <= u.high:
        raise ValueError(f"a triangular range [{u.low:g}, {u.high:g}] must contain the value {value:g} (its mode)")


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "values by year"
    return type(value).__name__


def check_value(
    definition: ParameterDef, value: Any, *, file: str, key: str, line: int | None
) -> list[Problem]:
    """Every problem with ``value`` as a value of ``definition``."""

    def problem(message: str, hint: str | None = None, shown: Any = value) -> Problem:
        return Problem(message, file=file, key=key, line=line, value=shown, hint=hint)

    default = definition.value
    if value is None:
        if default is None:
            return []  # taken from the bundled data (from_data)
        return [problem("a value is required", "write a value, or delete the line to keep the default")]
    if isinstance(default, bool):
        if not isinstance(value, bool):
            return [problem("expected true or false", "write true or false")]
        return []
    if isinstance(default, str):
        if definition.pattern:
            if not isinstance(value, str) or not re.fullmatch(definition.pattern, value):
                return [problem(f"expected text matching {definition.pattern}",
                                definition.note or "see the parameter's description with 'floors params'")]
            return []
        if not isinstance(value, str):
            return [problem(f"expected one of {definition.choices}", f"write one of {definition.choices}")]
        if value not in (definition.choices or []):
            from floors.problems import did_you_mean

            hint = did_you_mean(value, definition.choices or []) or f"write one of {definition.choices}"
            return [problem(f"{value!r} is not one of the allowed values {definition.choices}", hint)]
        return []

    # Numeric parameter: a number, or a mapping year → number.
    if isinstance(value, dict) and not may_change_by_year(definition):
        return [problem("this parameter cannot change by year", f"give one value, e.g. {_plain_number(default)}")]
    if isinstance(value, dict):
        if not value:
            return [problem("values by year must name at least one year", "write e.g. {2025: 0.5, 2030: 1.0}")]
        problems: list[Problem] = []
        for year, v in value.items():
            if isinstance(year, bool) or not isinstance(year, int):
                hint = "write years as whole numbers, e.g. 2030"
                if isinstance(year, str) and ":" in year:
                    hint = "write a space after each colon: {2025: 0.5, 2030: 1}"
                problems.append(problem(f"{year!r} is not a year", hint, year))
                continue
            if not FIRST_YEAR <= year <= LAST_YEAR:
                problems.append(
                    problem(
                        f"year {year} is outside the years the data cover ({FIRST_YEAR}–{LAST_YEAR})",
                        "use a year the projections cover",
                        year,
                    )
                )
            problems += _check_number(definition, v, problem, suffix=f" [year={year}]")
        return problems
    return _check_number(definition, value, problem)


def _check_number(definition: ParameterDef, v: Any, problem, suffix: str = "") -> list[Problem]:
    hint: str | None
    unit = definition.unit
    written, share = v, percentage(v)
    if share is not None:
        if unit not in SHARE_UNITS:
            return [problem(*_percentage_refused(unit, definition.range, v, suffix), v)]
        v = share
    if isinstance(v, bool) or not isinstance(v, int | float):
        hint = ("write a plain number, e.g. 0.5, or a percentage, e.g. 50%" if unit in SHARE_UNITS
                else f"write a plain number, e.g. {_plain_number(definition.value)}")
        if isinstance(v, str) and re.match(r"\s*\{?\s*\d{4}\s*:", v):
            hint = "write values by year in braces with a space after each colon: {2025: 0.5, 2030: 1}"
        return [problem(f"expected a number{suffix}, got {kind_of(v)}", hint, v)]
    if v != v or v in (float("inf"), float("-inf")):
        return [problem(f"{v} is not a finite number{suffix}", "write a plain number", v)]
    if unit in WHOLE_UNITS and not float(v).is_integer():
        return [problem(f"{v:g} is not a whole number{suffix} ({unit})", f"write a whole number, e.g. {round(v)}", v)]
    if definition.range is None:
        return []
    low, high = definition.range
    shown = f"{written.strip()} (= {v:g})" if share is not None else f"{v:g}"
    if v < low:
        return [problem(f"{shown} is below the minimum {low:g}{suffix} ({unit})", range_hint(unit, (low, high)),
                        written)]
    if v > high:
        hint = percent_hint(definition, v) if share is None else None
        return [problem(f"{shown} is above the maximum {high:g}{suffix} ({unit})",
                        hint or range_hint(unit, (low, high)), written)]
    return []


def shares(value: Any) -> Any:
    """``value`` with each percentage written as text (``15%``, or in values by year) as its share (0.15)."""
    if isinstance(value, dict):
        return {year: shares(v) for year, v in value.items()}
    share = percentage(value)
    return value if share is None else share


def range_hint(unit: str, valid: tuple[float, float] | None) -> str:
    """How to write a value of ``unit`` within ``valid``: ``write an age in whole years from 0 to 17``."""
    if unit in SHARE_UNITS:
        if valid is None:
            return "write a plain number, e.g. 0.5, or a percentage, e.g. 50%"
        low, high = valid
        return (f"write a number from {low:g} to {high:g} or a percentage from {_percent(low)} to "
                f"{_percent(high)} ({UNITS[unit].what})")
    what = UNITS[unit].what if unit in UNITS else f"a number ({unit})"
    return f"write {what}" + (f", from {valid[0]:g} to {valid[1]:g}" if valid is not None else "")


def percent_hint(definition: ParameterDef, v: float, *, cell: bool = False) -> str | None:
    """For a share written as a number of percent (80 for 0.8), how to write it: ``write 0.8 or 80%``;
    ``cell``: as typed in a template's cell (``type 0.8 or 80 % (with the percent sign)``). None where ``v``
    cannot be a percentage of the parameter: the unit is not a share, or ``v`` % is out of range too."""
    if definition.unit not in SHARE_UNITS or definition.range is None or not 1 < v <= 100:
        return None
    low, high = definition.range
    fraction = float(Decimal(repr(v)) / 100)  # 0.658 for 65.8, not 0.6579999999999999
    if not (v > high and low <= fraction <= high):
        return None
    what, number = UNITS[definition.unit].what, _number_text(fraction)
    percent = f"{_number_text(v)} %"
    if cell:
        return f"{what}: type {number} or {percent} (with the percent sign) for {percent}"
    return f"{what}: write {number} or {_number_text(v)}% for {percent}"


def _percentage_refused(unit: str, valid: tuple[float, float] | None, text: str, suffix: str) -> tuple[str, str]:
    """The problem with a percentage where ``unit`` is not a share, and what to write instead."""
    message = f"{text.strip()} is a percentage{suffix}, but the unit is {unit}, not a share"
    share = percentage(text)
    if unit in UNITS and UNITS[unit].factor and share is not None:
        return message, f"a {unit} is {UNITS[unit].what}: write {_number_text(share)} for {text.strip()}"
    return message, range_hint(unit, valid)


def _percent(share: float) -> str:
    return f"{_number_text(float(Decimal(repr(float(share))) * 100))}%"


def _number_text(value: float) -> str:
    """A number in full, as it would be written back (80, 0.658)."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def may_change_by_year(definition: ParameterDef) -> bool:
    return definition.by_year and definition.unit not in WHOLE_UNITS


def _plain_number(value: Any) -> Any:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 1


def normalised(definition: ParameterDef, value: Any) -> Any:
    """A checked value as the engine takes it: a percentage as its share (80% as 0.8, also by year), and
    65.0 as 65 for a year or an age (they index arrays)."""
    if definition.unit in SHARE_UNITS:
        return shares(value)
    if definition.unit in WHOLE_UNITS and isinstance(value, float):
        return int(value)
    return value


def warnings_for(definition: ParameterDef, value: Any) -> list[str]:
    """Plausibility warnings: the value is allowed but worth a second look."""
    numbers = list(value.values()) if isinstance(value, dict) else [value]
    out = []
    for v in numbers:
        if isinstance(v, bool) or not isinstance(v, int | float):
            continue
        if definition.warn_above is not None and v > definition.warn_above:
            out.append(f"{v:g} is above {definition.warn_above:g} ({definition.unit}), which is unusual")
        if definition.warn_below is not None and v < definition.warn_below:
            out.append(f"{v:g} is below {definition.warn_below:g} ({definition.unit}), which is unusual")
    return out
