"""floors beside the ILO's published figures: compute every row of figures.yaml, and write the table.

Each row of ``figures.yaml`` names a published figure (source, definition, value) and the
floors measure that stands beside it (a preset, countries, a benefit, a year). It is
either a *reproduction* (the definitions match; the only differences are in the data,
and the tolerance is derived from them) or an *expected difference* (a known difference
of definition or data, stated in ``reason``; the ratio floors / published must stay in the
band the reason gives). ``test_published.py`` checks every row; this script writes the
table into the README between the markers:

    python tests/published/table.py            # print the table
    python tests/published/table.py --write    # and replace it in README.md
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

import xarray as xr
from ruamel.yaml import YAML

from floors.assumptions import assumptions_root, load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.engine import Costing, costing
from floors.inputs import Bundle

HERE = Path(__file__).parent
FIGURES = HERE / "figures.yaml"
README = HERE.parents[1] / "README.md"
BEGIN, END = "<!-- published-figures:begin -->", "<!-- published-figures:end -->"


@dataclass(frozen=True)
class Row:
    id: str
    source: str
    definition: str
    published: float
    unit: str
    measure: dict
    kind: str  # "reproduction" or "difference"
    reason: str
    tolerance: float | None = None  # reproductions: |ratio - 1| allowed
    band: tuple[float, float] | None = None  # differences: the ratio's expected range
    url: str | None = None


def rows() -> list[Row]:
    raw = YAML(typ="safe").load(FIGURES.read_text(encoding="utf-8"))
    out = []
    for item in raw["figures"]:
        band = item.get("band")
        out.append(Row(**{**item, "band": tuple(band) if band else None}))
    return out


@functools.cache
def bundle() -> Bundle:
    return Bundle(assumptions_root())


def country_groups() -> dict[str, list[str]]:
    raw = YAML(typ="safe").load(FIGURES.read_text(encoding="utf-8"))
    return raw["country_groups"]


@functools.cache
def costed(iso3: str, scenario: str) -> Costing:
    """One country's costing under one scenario or preset, with the projections it used."""
    params = load_parameters(assumptions_root(), iso3, [scenario])
    return costing(ScenarioParameters.from_sets([scenario], [params]), bundle(), detail=False)


def results(iso3: str, scenario: str) -> xr.Dataset:
    return costed(iso3, scenario).results.sel(country=iso3, scenario=scenario)


def population(iso3: str, scenario: str, year: int) -> float:
    return float(costed(iso3, scenario).inputs["population"].sel(year=year).sum())


def gdp_usd(iso3: str, year: int) -> float:
    frame, _ = bundle().table("gdp", iso3)
    return float(frame.set_index("year").loc[year, "gdp_usd"])


def countries_of(measure: dict) -> list[str]:
    named = measure["countries"]
    return country_groups()[named] if isinstance(named, str) else list(named)


def value_of(measure: dict) -> float:
    """The floors figure a row's ``measure`` describes, in the row's unit (percent)."""
    kind, scenario, year = measure["kind"], measure["scenario"], int(measure["year"])
    countries = countries_of(measure)
    benefit = measure.get("benefit", "total")

    def share(iso3: str) -> float:
        return float(results(iso3, scenario)["cost_share_gdp"].sel(benefit=benefit, year=year))

    if kind == "cost_share_gdp":
        (iso3,) = countries
        return 100 * share(iso3)
    if kind == "mean_cost_share_gdp":
        return 100 * sum(share(c) for c in countries) / len(countries)
    if kind == "min_cost_share_gdp":
        return 100 * min(share(c) for c in countries)
    if kind == "max_cost_share_gdp":
        return 100 * max(share(c) for c in countries)
    if kind == "combined_cost_share_gdp":  # the cost of all countries over their combined GDP, in US dollars
        return 100 * sum(share(c) * gdp_usd(c, year) for c in countries) / sum(gdp_usd(c, year) for c in countries)
    if kind == "beneficiaries_share_population":
        people = sum(float(results(c, scenario)["beneficiaries"].sel(benefit=benefit, year=year)) for c in countries)
        return 100 * people / sum(population(c, scenario, year) for c in countries)
    if kind == "coverage_ratio":  # people already covered over the people eligible (one country)
        (iso3,) = countries
        one = results(iso3, scenario).sel(benefit=benefit, year=year)
        return 100 * float(one["existing_coverage"]) / float(one["eligible"])
    raise ValueError(f"unknown measure kind {kind!r} in {FIGURES.name}")


def check(row: Row, ours: float) -> str | None:
    """Why ``ours`` does not stand with the published figure as the row says, or None."""
    ratio = ours / row.published
    if row.kind == "reproduction":
        if abs(ratio - 1) > row.tolerance:
            return f"{row.id}: floors {ours:.3g} vs published {row.published:.3g}: ratio {ratio:.3f} outside 1 ± " \
                   f"{row.tolerance}"
        return None
    low, high = row.band
    if not low <= ratio <= high:
        return f"{row.id}: floors {ours:.3g} vs published {row.published:.3g}: ratio {ratio:.3f} outside the " \
               f"expected {low}–{high} ({row.reason})"
    return None


def markdown() -> str:
    lines = ["| source | definition | published | floors | ratio | test | reason |", "|---|---|---:|---:|---:|---|---|"]
    for row in rows():
        ours = value_of(row.measure)
        test = (f"reproduction, 1 ± {row.tolerance:g}" if row.kind == "reproduction"
                else f"difference, {row.band[0]:g}–{row.band[1]:g}")
        source = f"[{row.source}]({row.url})" if row.url else row.source
        lines.append(f"| {source} | {row.definition} | {row.published:.2f} {row.unit} | {ours:.2f} {row.unit} | "
                     f"{ours / row.published:.2f} | {test} | {' '.join(row.reason.split())} |")
    return "\n".join(lines)


def write_readme(table: str) -> None:
    text = README.read_text(encoding="utf-8")
    start, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
    README.write_text(text[:start] + "\n" + table + "\n" + text[stop:], encoding="utf-8")


if __name__ == "__main__":
    table = markdown()
    print(table)
    if "--write" in sys.argv[1:]:
        write_readme(table)
        print(f"\nwrote the table into {README}")
