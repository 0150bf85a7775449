"""Plausibility checks on a costing's results: values that are possible but deserve a second look.

They never stop a run (``floors run --strict`` makes them errors); each is one line of
the run's warnings and of the workbook's ``warnings`` sheet. Checks on one parameter's
value (``warn_above`` / ``warn_below`` in the default files) live with the parameters;
these look at results:

* a floor whose total cost is above ``floor.warn_total_above`` (a share of GDP) in any
  year: worth checking the levels, the poverty line and the health benchmark;

* a child benefit above the national poverty line per person: a benefit per child is
  usually a fraction of the line, so more than the whole line is more likely a slip in
  ``children.level``, ``children.basis`` or an age weight than a design;
* data in the wrong scale: GDP per person against the national poverty line (both in local
  currency) and in US dollars outside the bounds any country has. A GDP table in thousands or
  millions where the card says units passes every check of the table (it is consistent from
  year to year) and gives a floor of 0.01 % or 1,000 % of GDP;
* more people already covered than are eligible for a benefit (`over_covered`, called by
  the benefit modules, which see the counts before they are cut to the eligible): the
  benefit then reaches no one new, which usually means a coverage count for a wider group
  (or for the wrong ages) than the benefit's. An ILO coverage ratio of 100 % (Bolivia's
  universal pension) is not flagged: it cannot exceed the eligible.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from floors import dims

RELATIVE_TOLERANCE = 1e-9  # a benefit of exactly the line (level 1, the default) is not above it
# The national poverty line per person per year as a share of GDP per person: about 0.15 in Ecuador, near 1 in
# the poorest countries (World Bank WDI and PIP). Beyond 0.02-3, one of the two is in the wrong scale (a table in
# thousands or millions where its card says units).
LINE_TO_GDP_PER_PERSON = (0.02, 3.0)
# GDP per person in current US dollars: from about 200 (Burundi) to about 250,000 (Monaco) in the World Bank's
# WDI (NY.GDP.PCAP.CD, 2023); twice as wide a margin on either side still flags a factor of 1,000.
GDP_PER_PERSON_USD = (100.0, 500_000.0)
MAX_SCENARIOS = 5  # warnings named per check: a sweep of thousands of scenarios would drown the others


def implausible(out: xr.Dataset, data: xr.Dataset, total_limit: np.ndarray) -> list[str]:
    """Warnings for ``out`` (the engine's results, one country) costed from ``data`` (its projections);
    ``total_limit`` is ``floor.warn_total_above`` by scenario (a plain array)."""
    country = str(out[dims.COUNTRY].values[0])
    scenarios, years = out.indexes[dims.SCENARIO], out.indexes[dims.YEAR].values
    benefits = [str(b) for b in out[dims.BENEFIT].values]

    def of(name: str, benefit: str) -> np.ndarray:  # one benefit's variable, plain by (scenario, year)
        return _by_scenario_year(out[name].isel({dims.COUNTRY: 0, dims.BENEFIT: benefits.index(benefit)}))

    total = of("cost_share_gdp", "total")
    above = total > total_limit[:, np.newaxis]
    warnings = []
    for row, column in _first_hits(above):
        warnings.append(f"{country} {scenarios[row]}: the floor costs {total[row, column]:.1%} of GDP in "
                        f"{years[column]}, above floor.warn_total_above ({total_limit[row]:.0%}); check the levels, "
                        f"the poverty line and the health benchmark before using this figure")
    hit = int(above.any(axis=1).sum())
    if hit > MAX_SCENARIOS:  # a large sweep: name a few, count the rest
        warnings.append(f"{country}: and {hit - MAX_SCENARIOS} more scenarios above floor.warn_total_above")
    if "children" in benefits and "poverty_line_national" in data:
        per_child = of("unit_benefit", "children")
        line = np.broadcast_to(_by_scenario_year(data["poverty_line_national"]) * 12, per_child.shape)
        for row, column in _first_hits(per_child > line * (1 + RELATIVE_TOLERANCE)):
            warnings.append(f"{country} {scenarios[row]}: the child benefit ({per_child[row, column]:,.0f} a year per "
                            f"child) is above the national poverty line per person ({line[row, column]:,.0f} a "
                            f"year) in {years[column]}; check children.level, children.basis and the age weights")
    return warnings + wrong_scale(country, data)


def wrong_scale(country: str, data: xr.Dataset) -> list[str]:
    """Warnings where GDP per person is outside `LINE_TO_GDP_PER_PERSON` of the poverty line or outside
    `GDP_PER_PERSON_USD`: a table in the wrong scale, which no check of one table can see."""
    if "gdp" not in data or "population" not in data:
        return []
    people = data["population"].sum([d for d in data["population"].dims if d not in (dims.YEAR, dims.SCENARIO)])
    year = int(data[dims.YEAR].values[0])  # the first year is enough: a scale error is in every year
    per_person = _in_year(data["gdp"] / people, year)
    warnings = []
    if "poverty_line_national" in data:
        line = _in_year(data["poverty_line_national"] * 12, year)
        low, high = LINE_TO_GDP_PER_PERSON
        if per_person > 0 and not low <= line / per_person <= high:
            warnings.append(f"{country}: the national poverty line ({line:,.0f} a year) is {line / per_person:.3g} "
                            f"times GDP per person ({per_person:,.0f}) in {year}, outside {low:g}-{high:g}; check "
                            f"the scale of gdp.csv (gdp_lcu in units, not thousands or millions) and of the poverty "
                            f"line")
    if "usd_rate" in data:
        usd = per_person / _in_year(data["usd_rate"], year)
        low, high = GDP_PER_PERSON_USD
        if not low <= usd <= high:
            warnings.append(f"{country}: GDP per person is {usd:,.0f} US dollars in {year}, outside {low:,.0f}-"
                            f"{high:,.0f}; check the scale of gdp.csv (gdp_lcu and gdp_usd in units, not thousands "
                            f"or millions) and of the population tables (persons)")
    return warnings


def _in_year(array: xr.DataArray, year: int) -> float:
    """The largest value of ``array`` in ``year`` (over scenarios; the whole array when it has no years)."""
    return float((array.sel({dims.YEAR: year}) if dims.YEAR in array.dims else array).max())


def over_covered(country: str, benefit: str, covered: np.ndarray, eligible: np.ndarray, scenarios: Sequence[str],
                 years: np.ndarray) -> list[str]:
    """Warnings where more people are already covered than are eligible for ``benefit`` (plain arrays by
    (scenario, year))."""
    more = (eligible > 0) & (covered > eligible * (1 + RELATIVE_TOLERANCE))
    return [f"{country} {scenarios[row]}: more people are already covered ({covered[row, column]:,.0f}) than the "
            f"{eligible[row, column]:,.0f} eligible for {benefit} in {years[column]}, so the benefit reaches no one "
            f"new; check the coverage.* counts against the benefit's ages" for row, column in _first_hits(more)]


def _first_hits(mask: np.ndarray) -> list[tuple[int, int]]:
    """(row, first column where ``mask`` holds) for the first few rows (scenarios) of a (scenario, year) mask
    with one. Vectorised over scenarios: a sweep of thousands costs one pass, and its warnings name the first
    `MAX_SCENARIOS` scenarios only."""
    return [(int(row), int(mask[row].argmax())) for row in np.flatnonzero(mask.any(axis=1))[:MAX_SCENARIOS]]


def _by_scenario_year(array: xr.DataArray) -> np.ndarray:
    """A labelled array by (scenario,) year as plain (scenario or one row, year) values."""
    values = array.transpose(*[d for d in (dims.SCENARIO, dims.YEAR) if d in array.dims]).values
    return values if dims.SCENARIO in array.dims else values[np.newaxis]
