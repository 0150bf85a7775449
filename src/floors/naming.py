"""How a run is named: the folder and files it writes, and the label of each scenario in its results.

One rule, used by the command line and the library alike, so that results made from
different inputs never land in the same place, and the same inputs always do:

* A scenario's **label** is its name followed by every value set on the command line
  (``--set``, or ``set=`` in Python), sorted by parameter: ``baseline + children.level=0.5``.
  It is what the results call the scenario (the ``scenario`` column of the CSV, the
  workbook's sheets, the printed tables), so a what-if is never taken for the baseline.
* A run's **name** is a readable stem, then a suffix for everything else that changes
  the numbers::

      ECU-baseline                          floors run
      ECU-universal-child-benefit           floors run -s universal-child-benefit
      ECU-baseline-and-whole-floor          floors run -s baseline -s whole-floor
      ECU-baseline-set-d8a162               floors run --set children.level=0.5
      ECU-baseline-to2035                   floors run --to 2035
      ECU-baseline-draws200-seed1           floors run --draws 200
      countries-all-baseline                floors run -c all
      ECU-compare-baseline-vs-whole-floor   floors compare baseline whole-floor
      ECU-baseline-sensitivity-old_age      floors sensitivity --benefit old_age

  ``-set-`` carries the first six hex digits of the SHA-256 of the sorted, normalised
  values (``0.50`` and ``0.5`` are the same value; the order of the ``--set`` does not
  matter; a parameter set twice keeps its last value, as the costing does). Scenario
  parts longer than 60 characters are shortened to the first scenario, the count of the
  others and a hash of all their names. A name chosen with ``--name`` (``name=`` in
  Python) replaces the whole automatic name.

The folder is ``OUT/<name>/`` and the files in it ``floors-<name>.xlsx`` and ``.csv``:
running the same inputs again replaces them; other inputs get another folder.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from floors.problems import Problem

MAX_PART = 60  # characters of scenario names in a run's name, beyond which they are shortened
MAX_NAME = 100
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+@=-]*")
_UNSAFE = re.compile(r"[\\/:*?\"<>|\s\x00-\x1f]+")  # not allowed, or awkward, in a file name on some system


def value_text(value: Any) -> str:
    """A value as YAML would write it, the same however it was typed (0.50 → 0.5, 1.0 → 1, True → true)."""
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "ndim", None) == 0:
        value = item()  # NumPy scalars as Python ones
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{value_text(k)}: {value_text(v)}"
                               for k, v in sorted(value.items(), key=lambda kv: _order(kv[0]))) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    return str(value)


def _order(key: Any) -> tuple[int, Any]:
    return (0, key) if isinstance(key, int | float) and not isinstance(key, bool) else (1, str(key))


def overrides(values: Mapping[str, Any]) -> dict[str, str]:
    """The values set on the command line (parameter → value as read), normalised: parameter → text, sorted."""
    return {str(path).strip(): value_text(values[path]) for path in sorted(values, key=lambda p: str(p).strip())}


def override_list(texts: Mapping[str, str]) -> list[str]:
    """``["children.level=0.5", …]``: the normalised overrides as ``--set`` would take them."""
    return [f"{path}={text}" for path, text in texts.items()]


def scenario_label(name: str, texts: Mapping[str, str]) -> str:
    """``baseline + children.level=0.5``: what the results call a scenario costed with command-line values."""
    return " + ".join([name, *override_list(texts)])


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def suffix(texts: Mapping[str, str] | None = None, *, to: int | None = None, draws: int = 0, seed: int = 1) -> str:
    """``-set-d8a162``, ``-to2035``, ``-draws200-seed1``: what besides the scenarios changes the numbers."""
    out = ""
    if texts:
        out += "-set-" + short_hash("\n".join(override_list(texts)))
    if to is not None:
        out += f"-to{to}"
    if draws:
        out += f"-draws{draws}-seed{seed}"
    return out


def safe(text: str) -> str:
    """A name as a file name: characters some systems refuse (/ \\ : * ? " < > |, spaces) become '-'."""
    return _UNSAFE.sub("-", text).strip("-.") or "unnamed"


def scenarios_part(names: Sequence[str], joiner: str = "-and-") -> str:
    """The scenario names joined, or, when that is too long, the first, how many more, and a hash of them all."""
    parts = [safe(n) for n in names] or ["baseline"]
    joined = joiner.join(parts)
    if len(joined) <= MAX_PART:
        return joined
    rest = len(parts) - 1
    head = parts[0][:MAX_PART // 2]
    more = f"{joiner}{rest}-more" if rest else ""
    return f"{head}{more}-{short_hash(chr(10).join(names))}"


def run_name(country: str, names: Sequence[str], texts: Mapping[str, str] | None = None, *, to: int | None = None,
             draws: int = 0, seed: int = 1) -> str:
    """``ECU-baseline``, ``ECU-a-and-b-set-d8a162``: one country's run of the scenarios ``names``."""
    return f"{country}-{scenarios_part(names)}{suffix(texts, to=to, draws=draws, seed=seed)}"


def countries_name(countries: Sequence[str] | None, names: Sequence[str], texts: Mapping[str, str] | None = None,
                   *, to: int | None = None, draws: int = 0, seed: int = 1) -> str:
    """``countries-all-baseline``, ``countries-KEN-SEN-ilo-ess58``, ``countries-all-baseline-draws1000-seed7``:
    a run of several countries (None: every one)."""
    which = "all" if countries is None else "-".join(countries)
    return f"countries-{which}-{scenarios_part(names)}{suffix(texts, to=to, draws=draws, seed=seed)}"


def compare_name(country: str, names: Sequence[str], texts: Mapping[str, str] | None = None, *,
                 to: int | None = None) -> str:
    """``ECU-compare-baseline-vs-whole-floor``: scenarios compared with the first."""
    return f"{country}-compare-{scenarios_part(names, '-vs-')}{suffix(texts, to=to)}"


def sensitivity_name(country: str, name: str, texts: Mapping[str, str] | None = None, *, benefit: str = "total",
                     to: int | None = None) -> str:
    """``ECU-baseline-sensitivity``, ``ECU-baseline-sensitivity-old_age``: the ranking of the uncertain parameters."""
    which = "" if benefit == "total" else f"-{safe(benefit)}"
    return f"{country}-{scenarios_part([name])}-sensitivity{which}{suffix(texts, to=to)}"


def check_name(name: str, key: str = "--name") -> list[Problem]:
    """A run name chosen by the user is a folder and a file name: letters, digits and . _ - + = @ only."""
    why = None
    if not name:
        why = "it is empty"
    elif len(name) > MAX_NAME:
        why = f"it is longer than {MAX_NAME} characters"
    elif not _NAME.fullmatch(name):
        why = "it must start with a letter or digit and hold only letters, digits and . _ - + = @"
    elif name.endswith("."):
        why = "it must not end with a dot"
    if why is None:
        return []
    return [Problem(f"cannot name the run {name!r}: {why}", key=key, value=name,
                    hint=f"the name is the folder and the file names of the results, e.g. {key} {safe(name)[:40]}")]


def files(out: Path, name: str) -> Path:
    """``OUT/<name>/floors-<name>``: the stem of the results' files (add .xlsx or .csv)."""
    return Path(out) / name / f"floors-{name}"
