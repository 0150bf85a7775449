"""National poverty line per person per month, projected with the CPI, and the headcount.

A line observed in a reference month (e.g. INEC's December 2024 line) is priced at that
month's CPI, read from the WEO's annual average CPI taken to stand at mid-year and
interpolated log-linearly. In year ``y`` the line is ``line × CPI[y] / CPI(reference)``,
that is, in the average prices of year ``y``. An annual reference period (``2024``) is
taken as that year's average prices.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from floors import dims
from floors.problems import InputError, Problem
from floors.projections.macro import cpi_at

# Units in poverty_lines_national.csv that convert to "per person per month".
MONTHLY_FACTOR = {"per person per month": 1.0, "per person per year": 1 / 12}


@dataclass
class Poverty:
    national_line: xr.DataArray | None  # local currency per person per month, by year
    headcount_rate: xr.DataArray | None  # share of population, by year
    line_description: str
    notes: list[str]
    warnings: list[str]


def fallback_line(harmonized: xr.Dataset, weo: xr.Dataset, weo_population: xr.DataArray, iso3: str,
                  years: np.ndarray, cpi_series: pd.Series) -> tuple[xr.DataArray, str]:
    """A national line in local currency where none is bundled, from the harmonised lines.

    Jolliffe et al. (2022) give each country's national line and its GDP per person, both
    in 2017 PPP dollars a day; their ratio is free of the PPP factor. That ratio times the
    country's 2017 GDP per person in local currency (IMF WEO GDP / WEO population) is the
    line at 2017 prices, carried to each year with the CPI. A country without a harmonised
    line (KHM) takes the median ratio of the bundled countries in the same World Bank income
    group, or of all of them when its group is unknown.

    ``harmonized``: `floors.inputs.series.poverty_lines_harmonized` (every country);
    ``weo``: `floors.inputs.series.gdp`; ``weo_population``: `floors.inputs.series.weo_population`.
    """
    ratios = (harmonized["npl_2017ppp_usd_per_day"] / harmonized["gdp_pc_2017ppp_usd_per_day"]).to_series()
    if iso3 in ratios.index:
        ratio = float(ratios[iso3])
        how = (f"the harmonised national line (Jolliffe et al. 2022), {ratio:.1%} of GDP per person in 2017 "
               f"PPP terms")
    else:
        ratio = float(ratios.median())
        how = (f"the median ratio of harmonised national lines to GDP per person ({ratio:.1%}) among the "
               f"{len(ratios)} bundled countries that have one ({iso3} has none in Jolliffe et al. 2022)")
    gdp_2017 = weo["gdp_lcu"].to_series().get(2017)
    pop_2017 = weo_population.to_series().get(2017)
    if gdp_2017 is None or pop_2017 is None or not np.isfinite(gdp_2017 * pop_2017) or 2017 not in cpi_series.index:
        raise InputError([Problem(f"{iso3} has no national poverty line, and no 2017 GDP, population or CPI "
                                  f"(IMF WEO) to derive one", key="poverty.national_line_fallback",
                                  hint="set poverty.national_line_fallback=none and choose another basis")])
    monthly_2017 = ratio * gdp_2017 / pop_2017 / 12
    values = monthly_2017 * cpi_series.reindex(years).to_numpy() / float(cpi_series[2017])
    line = xr.DataArray(values, coords={dims.YEAR: years}, dims=[dims.YEAR], name="poverty_line_national",
                        attrs={"units": "local currency per person per month",
                               "source": f"fallback: {how} ({harmonized.attrs['source']}), × 2017 GDP per person "
                                         f"in local currency, carried with the CPI ({weo.attrs['source']})",
                               "vintage": harmonized.attrs["vintage"]})
    return line, how


def reference_time(period: str) -> float:
    """The decimal year at which a reference period's prices stand."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})", period):
        return int(m[1]) + (int(m[2]) - 0.5) / 12
    if re.fullmatch(r"\d{4}", period):
        return int(period) + 0.5
    raise ValueError(f"cannot place the reference period {period!r} in time")


def _choose_line(lines: xr.Dataset, period: str) -> pd.Series | None:
    frame = lines.to_dataframe()
    rows = frame[(frame["line_type"] == "poverty") & frame["unit"].isin(MONTHLY_FACTOR)]
    rows = rows[rows["reference_period"].str.fullmatch(r"\d{4}(-\d{2})?")]
    if rows.empty:
        return None
    if period == "latest":
        return rows.sort_values("reference_period").iloc[-1]
    chosen = rows[rows["reference_period"] == period]
    if chosen.empty:
        available = ", ".join(sorted(rows["reference_period"]))
        raise InputError([Problem(
            f"no national poverty line for the period {period!r}", key="poverty.national_line_period",
            file=lines.attrs["file"], value=period,
            hint=f"periods available for this country: {available}, or 'latest'")])
    return chosen.iloc[0]


def project_poverty(lines: xr.Dataset, iso3: str, years: np.ndarray, cpi_series: pd.Series,
                    line_period: str, headcount_from: str, fallback: str = "none", *,
                    weo: xr.Dataset, harmonized: xr.Dataset, weo_population: xr.DataArray,
                    wdi_headcount: Callable[[], xr.DataArray]) -> Poverty:
    """The national line in each year's average prices, and the headcount rate.

    ``lines``: `floors.inputs.series.poverty_lines_national`. ``cpi_series`` is the annual-average
    CPI for every year with data (not only the projection years), so that a line observed before
    the base year can be priced; ``weo`` names its source. ``harmonized`` and ``weo_population``
    serve the fallback line (`fallback_line`). ``wdi_headcount()`` gives the WDI headcount
    (`floors.inputs.series.poverty_headcount`), read only where the headcount comes from it.
    """
    notes: list[str] = []
    warnings: list[str] = []
    row = _choose_line(lines, line_period)
    line = None
    description = "none"
    if row is None and fallback == "harmonised_share_of_gdp":
        line, how = fallback_line(harmonized, weo, weo_population, iso3, years, cpi_series)
        description = f"fallback line: {how}"
        warnings.append(f"{iso3}: no national poverty line in local currency is bundled; the line used is a "
                        f"fallback (poverty.national_line_fallback): {how}. Set the official line in "
                        f"the poverty_lines_national table (data/poverty_lines_national.csv) to replace it.")
    elif row is None:
        notes.append(f"{iso3}: no national poverty line per person in local currency in the bundle")
    else:
        monthly = float(row["value_lcu"]) * MONTHLY_FACTOR[row["unit"]]
        ref = reference_time(row["reference_period"])
        if not cpi_series.index.min() + 0.5 <= ref <= cpi_series.index.max() + 0.5:
            raise InputError([Problem(
                f"the poverty line's reference period {row['reference_period']} is outside the years "
                f"with CPI data ({cpi_series.index.min()}–{cpi_series.index.max()})",
                key="poverty.national_line_period", hint="choose a base year and horizon around it")])
        values = monthly * cpi_series.reindex(years).to_numpy() / cpi_at(cpi_series, ref)
        line = xr.DataArray(values, coords={dims.YEAR: years}, dims=[dims.YEAR], name="poverty_line_national",
                            attrs={"units": "local currency per person per month",
                                   "source": f"{row['source_agency']}, {row['reference_period']} "
                                             f"({row['source_url']}; {lines.attrs['source']}), projected with "
                                             f"the CPI ({weo.attrs['source']})",
                                   "vintage": str(row["reference_period"])})
        description = (f"{row['source_agency']} poverty line, {row['value_lcu']:g} {row['currency']} "
                       f"{row['unit']} in {row['reference_period']}")

    rate, rate_note, rate_source, rate_vintage = None, "", "", ""
    if headcount_from == "national_line_table" and row is not None and pd.notna(row["headcount_pct"]):
        rate, rate_note = float(row["headcount_pct"]) / 100, f"{row['source_agency']} {row['reference_period']}"
        rate_source, rate_vintage = f"{rate_note} ({lines.attrs['source']})", str(row["reference_period"])
    else:
        wdi = wdi_headcount()
        if wdi.sizes[dims.YEAR]:
            latest = wdi.isel({dims.YEAR: -1})
            rate = float(latest) / 100
            rate_note = f"World Bank WDI SI.POV.NAHC {int(latest[dims.YEAR])}"
            rate_source, rate_vintage = f"{rate_note} ({wdi.attrs['source']})", wdi.attrs["vintage"]
            if headcount_from == "national_line_table":
                notes.append(f"{iso3}: no headcount published with the national line; used {rate_note}")
    headcount = None
    if rate is not None:
        headcount = xr.DataArray(np.full(len(years), rate), coords={dims.YEAR: years}, dims=[dims.YEAR],
                                 name="poverty_headcount", attrs={"units": "share of population",
                                                                  "source": rate_source, "vintage": rate_vintage})
        notes.append(f"{iso3}: poverty headcount {rate:.1%} ({rate_note}) held constant to {int(years.max())}")
    else:
        notes.append(f"{iso3}: no poverty headcount in the bundle")
    return Poverty(line, headcount, description, notes, warnings)


INTERNATIONAL_LINES = ("international_line_extreme", "international_line_lower_middle",
                       "international_line_upper_middle")


def international_lines(params, harmonized: xr.Dataset, iso3: str) -> xr.DataArray:
    """The World Bank's international lines and the country's harmonised national line, in
    2017 PPP USD per person per day (``line`` dimension).

    They stay in PPP dollars: a 2017 private-consumption PPP factor to turn them into
    local currency is not bundled. The harmonised national line (Jolliffe et al. 2022,
    ``harmonized``: `floors.inputs.series.poverty_lines_harmonized`) is missing for a country
    with no row in the table (KHM), and then left out.
    """
    names = [name.removeprefix("international_line_") for name in INTERNATIONAL_LINES]
    values = [float(params.value(f"poverty.{name}")) for name in INTERNATIONAL_LINES]
    cited = dict.fromkeys(params[f"poverty.{name}"].citation() for name in INTERNATIONAL_LINES)
    sources = [f"international lines: {'; '.join(cited)}"]
    if iso3 in harmonized[dims.COUNTRY].values:
        names.append("national_harmonized")
        values.append(float(harmonized["npl_2017ppp_usd_per_day"].sel({dims.COUNTRY: iso3})))
        sources.append(f"harmonised national line: {harmonized.attrs['source']}")
    return xr.DataArray(values, coords={dims.LINE: names}, dims=[dims.LINE], name="poverty_lines_ppp",
                        attrs={"units": "2017 PPP USD per person per day", "source": "; ".join(sources)})
