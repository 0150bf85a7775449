"""Problems found in user input, collected and reported all at once.

A `Problem` names where (file, line, key path), what (the value and the rule it
breaks) and how to fix it (a hint). Code that reads user input appends problems to a
list instead of stopping at the first one; `InputError` carries them all to the CLI,
which prints them and exits with status 2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from floors.paths import display_path

__all__ = ["InputError", "Problem", "did_you_mean", "display_path"]

_MISSING = object()


@dataclass(frozen=True)
class Problem:
    message: str
    file: str | None = None
    key: str | None = None
    line: int | None = None
    value: object = _MISSING
    hint: str | None = None

    def format(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.key:
            where += f" › {self.key}"
        text = f"{where}:\n    {self.message}"
        if self.value is not _MISSING:
            text += f" (value: {_plain(self.value)!r})"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def _plain(value: object) -> object:
    """NumPy scalars as Python ones, so messages show 1.5 rather than np.float64(1.5), and dates as 2025-01-01."""
    if isinstance(value, dt.date):
        return value.isoformat()
    item = getattr(value, "item", None)
    return item() if callable(item) and getattr(value, "ndim", None) == 0 else value


class InputError(Exception):
    """One or more problems in user input; nothing was computed or written."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found:"
        return "\n".join([head, *(p.format() for p in self.problems)])


def did_you_mean(word: str, options: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """A "did you mean …?" hint for a misspelt key, or None when nothing is close.

    Only the closest matches are offered: a clear favourite is named alone.
    """
    import difflib

    scored = sorted(
        ((difflib.SequenceMatcher(None, str(word), option).ratio(), option) for option in sorted(map(str, options))),
        reverse=True,
    )
    if not scored or scored[0][0] < 0.6:
        return None
    best = scored[0][0]
    close = [option for score, option in scored[:3] if score >= 0.6 and score >= best - 0.05]
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"
