"""Warnings as a person reads them: each kind once, with where it occurred, instead of one line per country.

``floors run --country all`` gives the same warning for many countries, differing only
in the country and its numbers ("KEN: no national poverty line … 21.6% of GDP per
person …"). Warnings are grouped by their text with the country (or country and
scenario) prefix taken off and every number masked; a group of one is printed as it
is, a larger group once, its numbers kept where they agree and shown as … where they
differ, followed by where it occurred: ``(in 14 countries: KEN, SEN, …)``. Every
warning, in full, is on the workbook's ``warnings`` sheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
SHOWN = 10  # places named in a group before "and N more"


@dataclass
class Group:
    body: str  # the first message of the kind, without its prefix
    messages: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # the country, or "country scenario", of each


def _split(message: str, prefixes: Sequence[str]) -> tuple[str, str]:
    """(where, what): the longest known prefix ("KEN", "ETH baseline") before ': ', or none."""
    for prefix in prefixes:
        if message.startswith(f"{prefix}: "):
            return prefix, message[len(prefix) + 2:]
    return "", message


def group(warnings: Sequence[str], countries: Sequence[str] = (), scenarios: Sequence[str] = ()) -> list[Group]:
    """The warnings by kind, in the order each kind first occurs."""
    prefixes = sorted([*countries, *(f"{c} {s}" for c in countries for s in scenarios)], key=len, reverse=True)
    groups: dict[str, Group] = {}
    for message in dict.fromkeys(warnings):
        place, body = _split(message, prefixes)
        key = NUMBER.sub("#", body)
        one = groups.setdefault(key, Group(body))
        one.messages.append(message)
        one.bodies.append(body)
        one.places.append(place)
    return list(groups.values())


def _template(bodies: list[str]) -> str:
    """The common text of one kind: numbers that agree kept, numbers that differ as …."""
    pieces = NUMBER.split(bodies[0])
    numbers = [NUMBER.findall(body) for body in bodies]
    out = [pieces[0]]
    for i, piece in enumerate(pieces[1:]):
        values = {found[i] for found in numbers}
        out.append((values.pop() if len(values) == 1 else "…") + piece)
    return "".join(out)


def _places(places: list[str], countries: Sequence[str], scenarios: Sequence[str]) -> str:
    named = list(dict.fromkeys(p for p in places if p))
    if len(scenarios) == 1:  # one scenario: the country says it all
        named = list(dict.fromkeys(p.split(" ")[0] for p in named))
    every_country = all(p in countries for p in named)
    shown = ", ".join(named[:SHOWN]) + (f" and {len(named) - SHOWN} more" if len(named) > SHOWN else "")
    if not named:
        return f"{len(places)} times"
    what = "countries" if every_country else "places"
    return f"in {len(named)} {what}: {shown}"


def format_warnings(warnings: Sequence[str], countries: Sequence[str] = (), scenarios: Sequence[str] = ()) -> list[str]:
    """One line per kind of warning, starting ``warning:``."""
    lines = []
    for kind in group(warnings, countries, scenarios):
        if len(kind.messages) == 1:
            lines.append(f"warning: {kind.messages[0]}")
        else:
            lines.append(f"warning: {_template(kind.bodies)} ({_places(kind.places, countries, scenarios)})")
    return lines
