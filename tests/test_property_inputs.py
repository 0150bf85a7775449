"""Random assumption values through the command line: valid ones never fail, invalid ones always fail cleanly.

Hypothesis draws parameters and values from the default definitions (their ranges,
choices, units and whether they may change by year):

* a valid value (``--set``, a share also as a percentage, 80%) always validates (exit 0);
* an invalid one (above or below its range, NaN, text, a fraction of an age, values by
  year where they are not allowed, a year outside the data, a misspelt name, a percentage
  where the unit is not a share) always
  gives exit 2 with its problem listed, never a traceback or an "internal error";
* valid values written to a scenario file always run, and every number in the workbook
  is finite.

The budget is fixed (``max_examples``) so that the file runs in about half a minute.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floors.assumptions import assumptions_root
from floors.assumptions.layers import default_definitions
from floors.assumptions.parameter import SHARE_UNITS, WHOLE_UNITS, may_change_by_year
from floors.cli import main

DEFINITIONS = default_definitions(assumptions_root())
# Parameters checked against another (ORDERED_PAIRS): drawn together, so that a valid draw stays valid.
PAIRED = {path for path in DEFINITIONS if path.rsplit(".", 1)[1] in ("start_year", "full_year", "age_min", "age_max")}
NUMBERS = sorted(path for path, d in DEFINITIONS.items()
                 if d.range is not None and not isinstance(d.value, bool | str) and path not in PAIRED)
CHOICES = sorted(path for path, d in DEFINITIONS.items() if d.choices)
SWITCHES = sorted(path for path, d in DEFINITIONS.items() if isinstance(d.value, bool))
PAIRS = sorted({(f"{section}.{low}", f"{section}.{high}") for section in {p.split(".")[0] for p in PAIRED}
                for low, high in (("start_year", "full_year"), ("age_min", "age_max"))
                if f"{section}.{low}" in DEFINITIONS and f"{section}.{high}" in DEFINITIONS})
SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow], "derandomize": True}


def yaml_number(value: float | int) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def percent_text(share: float) -> str:
    """A share as a percentage written as text, as a user would: 0.8 as 80%."""
    return f"{share * 100:.6g}%"


@st.composite
def number_in_range(draw, path: str) -> float | int:
    low, high = DEFINITIONS[path].range
    if DEFINITIONS[path].unit in WHOLE_UNITS:
        return draw(st.integers(math.ceil(low), math.floor(high)))
    return draw(st.floats(low, high, allow_nan=False, allow_infinity=False))


@st.composite
def valid_setting(draw) -> dict[str, str]:
    """One or two parameters with valid values, as ``--set`` texts (values read as YAML)."""
    kind = draw(st.sampled_from(["number", "by year", "choice", "switch", "pair"]))
    if kind == "pair":
        low, high = draw(st.sampled_from(PAIRS))
        a, b = sorted([draw(number_in_range(low)), draw(number_in_range(high))])
        within = DEFINITIONS[low].range[0] <= a <= DEFINITIONS[low].range[1] and (
            DEFINITIONS[high].range[0] <= b <= DEFINITIONS[high].range[1])
        return {low: str(a), high: str(b)} if within else {low: str(DEFINITIONS[low].value)}
    if kind == "choice":
        path = draw(st.sampled_from(CHOICES))
        return {path: draw(st.sampled_from(DEFINITIONS[path].choices))}
    if kind == "switch":
        path = draw(st.sampled_from(SWITCHES))
        return {path: draw(st.sampled_from(["true", "false"]))}
    if kind == "by year":
        path = draw(st.sampled_from([p for p in NUMBERS if may_change_by_year(DEFINITIONS[p])]))
        years = draw(st.lists(st.integers(2020, 2040), min_size=1, max_size=3, unique=True))
        return {path: "{" + ", ".join(f"{y}: {yaml_number(draw(number_in_range(path)))}" for y in years) + "}"}
    path = draw(st.sampled_from(NUMBERS))
    value = draw(number_in_range(path))
    if DEFINITIONS[path].unit in SHARE_UNITS and draw(st.booleans()):  # a share may be written as a percentage
        low, high = DEFINITIONS[path].range
        return {path: percent_text(min(max(round(value, 6), low), high))}
    return {path: yaml_number(value)}


@st.composite
def invalid_setting(draw) -> tuple[str, str]:
    """One parameter with a value that breaks one rule, as a ``--set`` text."""
    path = draw(st.sampled_from(NUMBERS))
    definition = DEFINITIONS[path]
    low, high = definition.range
    step = draw(st.floats(1e-3, 1e6)) * max(1.0, abs(high - low))
    kinds = ["above", "below", "not finite", "text", "bad year", "misspelt"]
    kinds += ["fraction"] if definition.unit in WHOLE_UNITS else []
    kinds += ["by year"] if not may_change_by_year(definition) else []
    kinds += ["percentage"] if definition.unit not in SHARE_UNITS else []
    kind = draw(st.sampled_from(kinds))
    if kind == "misspelt":
        return path + "x", "1"
    value = {
        "above": yaml_number(float(high) + step),
        "below": yaml_number(float(low) - step),
        "not finite": draw(st.sampled_from([".nan", ".inf", "-.inf", "1e400"])),
        "text": draw(st.sampled_from(["high", "n/a", "15 percent", "15%%", "0,5", "2025:1", "[1, 2]", "{}"])),
        "bad year": "{" + str(draw(st.sampled_from([1800, 1949, 2101, 3000]))) + f": {yaml_number(low)}" + "}",
        "fraction": yaml_number(float(low) + 0.5),
        "by year": "{2025: " + yaml_number(definition.value if definition.value is not None else low) + "}",
        "percentage": percent_text(low),  # only a share takes a percentage, even one within its range
    }[kind]
    return path, value


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result


@settings(max_examples=25, **SETTINGS)
@given(setting=valid_setting())
def test_valid_values_always_validate(setting):
    args = [a for path, value in setting.items() for a in ("--set", f"{path}={value}")]
    result = invoke("validate", *args)
    assert result.exit_code == 0, (setting, result.output)


@settings(max_examples=30, **SETTINGS)
@given(setting=invalid_setting())
def test_invalid_values_always_fail_cleanly(setting):
    path, value = setting
    result = invoke("validate", "--set", f"{path}={value}")
    assert result.exit_code == 2, (setting, result.output)
    assert "problem" in result.output and path in result.output


@settings(max_examples=10, **SETTINGS)
@given(settings_=st.lists(valid_setting(), min_size=1, max_size=3))
def test_valid_scenarios_run_and_every_number_in_the_workbook_is_finite(settings_):
    changes = {path: value for setting in settings_ for path, value in setting.items()
               if path.split(".")[1] != "include"}  # leaving every benefit out is refused, rightly
    with tempfile.TemporaryDirectory() as folder:
        scenario = Path(folder) / "random.yaml"
        scenario.write_text("title: Random\nchanges:\n" + "".join(f"  {p}: {v}\n" for p, v in changes.items()),
                            encoding="utf-8")
        result = invoke("run", "-s", str(scenario), "--out", folder, "--format", "xlsx")
        if result.exit_code == 2:  # a valid value the country cannot use (a basis with no data): said clearly
            assert "problem" in result.output and "hint:" in result.output, result.output
            return
        assert result.exit_code == 0, (changes, result.output)
        workbook = openpyxl.load_workbook(next(Path(folder).glob("*/*.xlsx")), read_only=True)
        numbers = [v for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for v in row
                   if isinstance(v, int | float) and not isinstance(v, bool)]
        workbook.close()
        assert numbers and all(math.isfinite(v) for v in numbers)
