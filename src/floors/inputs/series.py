"""One function per kind of input: read its table (checked against its card) and return labelled arrays.

Every array is over the dimensions of `floors.dims` (``year``, ``sex``, ``age``, ``line``,
``country``), plus a table's own key where `floors.dims` has no name for it (a coverage
``series``, a disability ``geography``). Each carries ``attrs``:

* ``units`` and ``description``;
* ``source``: the card's citation, for the country's own origin where the card lists one
  origin per group of countries (`Card.cite`);
* ``vintage``: the card's vintage, likewise for the country (`Card.vintage_of`);
* ``table`` and ``file``: the table read, for messages about missing data.

Values are as published (percentages as 0–100, counts in persons, 1 January as 1 January):
reading only labels and reshapes, and every modelling choice (mid-year values, interpolation,
extension past the data, which year or group stands for the country) is in `floors.projections`.
A table a country must have rows in (``all_countries`` on its card) raises `InputError` naming
the file; the others give an empty array (length 0 along ``year``), or None where noted.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from floors import dims
from floors.inputs.bundle import Bundle
from floors.inputs.tables import Card
from floors.problems import display_path

# The dimensions of the tables keyed by something floors.dims has no name for.
SERIES = "series"  # a coverage series (SDG 1.3.1 code)
QUANTILE = "quantile"  # the population group a coverage ratio is measured on (total, poorest quintile)
GEOGRAPHY = "geography"  # a WHO region, a World Bank income group, or the World
AGE_GROUP = "age_group"  # WHO's broad age groups (0-14, 15-59, 60+, all ages)
SEVERITY = "severity"  # of a disability (severe; moderate and severe)


def _read(bundle: Bundle, table: str, iso3: str | None) -> tuple[pd.DataFrame, Card, dict[str, str]]:
    """The table's rows (of ``iso3`` only, unless None), its card, and the attributes every array from it
    carries."""
    frame, card = bundle.table(table, iso3)
    meta = {"source": card.cite(iso3), "vintage": card.vintage_of(iso3), "table": table,
            "file": display_path(bundle.table_path(table))}
    return frame, card, meta


def _by_year(frame: pd.DataFrame, columns: dict[str, tuple[str, str]], meta: dict[str, str],
             year: pd.Series | None = None) -> xr.Dataset:
    """Columns of a table keyed by year as variables over ``year`` (sorted; empty cells NaN).
    ``columns``: column → (units, description)."""
    years = (frame["year"] if year is None else year).astype(int)
    order = np.argsort(years.to_numpy(), kind="stable")
    return xr.Dataset(
        {column: (dims.YEAR, frame[column].to_numpy(dtype=float)[order],
                  {**meta, "units": units, "description": description})
         for column, (units, description) in columns.items()},
        coords={dims.YEAR: years.to_numpy()[order]}, attrs=meta)


def _by_year_sex_age(frame: pd.DataFrame, age_column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Population rows (year, sex, age column, population) as values over year × sex × age, with the axes."""
    table = frame.pivot_table(index=["year", "sex"], columns=age_column, values="population", aggfunc="sum")
    years = np.sort(frame["year"].astype(int).unique())
    ages = np.sort(frame[age_column].unique())
    full = table.reindex(pd.MultiIndex.from_product([years, list(dims.SEXES)]), columns=ages)
    return full.to_numpy(dtype=float).reshape(len(years), len(dims.SEXES), len(ages)), years, ages


def _population_by_age(bundle: Bundle, iso3: str, table: str, age_column: str, name: str,
                       description: str) -> xr.DataArray:
    frame, _, meta = _read(bundle, table, iso3)
    values, years, ages = _by_year_sex_age(frame, age_column)
    return xr.DataArray(values, coords={dims.YEAR: years, dims.SEX: list(dims.SEXES), dims.AGE: ages.astype(int)},
                        dims=[dims.YEAR, dims.SEX, dims.AGE], name=name,
                        attrs={**meta, "units": "persons", "description": description})


# --- population -------------------------------------------------------------------------------

def _january(bundle: Bundle, iso3: str) -> tuple[pd.DataFrame, pd.Series, dict[str, str]]:
    frame, _, meta = _read(bundle, "population_total_sex", iso3)
    return frame, frame["date"].str.slice(0, 4).astype(int), meta


def population_january(bundle: Bundle, iso3: str) -> xr.DataArray:
    """Population on 1 January by sex (year of the date × sex), persons."""
    frame, year, meta = _january(bundle, iso3)
    order = np.argsort(year.to_numpy(), kind="stable")
    values = frame[[f"pop_{sex}" for sex in dims.SEXES]].to_numpy(dtype=float)[order]
    return xr.DataArray(values, coords={dims.YEAR: year.to_numpy()[order], dims.SEX: list(dims.SEXES)},
                        dims=[dims.YEAR, dims.SEX], name="population_january",
                        attrs={**meta, "units": "persons", "description": "population on 1 January by sex"})


def population_january_interval(bundle: Bundle, iso3: str) -> xr.Dataset:
    """Total population on 1 January (year of the date) and its 80 % prediction interval, persons;
    NaN where the interval is not published (before 2025, or rows imported from a Medium-variant file)."""
    frame, year, meta = _january(bundle, iso3)
    return _by_year(frame, {"pop_total": ("persons", "population on 1 January, median"),
                            "pop_total_80l": ("persons", "population on 1 January, 80 % interval, lower bound"),
                            "pop_total_80u": ("persons", "population on 1 January, 80 % interval, upper bound")},
                    meta, year=year)


def population_by_age5(bundle: Bundle, iso3: str) -> xr.DataArray:
    """Mid-year population by five-year age group and sex (year × sex × age), persons, for the years
    the table gives. ``age`` is the first age of each group (0, 5, …, 100 for 100+)."""
    return _population_by_age(bundle, iso3, "population_age5_sex", "age_start", "population_age5",
                              "mid-year population by five-year age group (first age of the group) and sex")


def population_by_single_age(bundle: Bundle, iso3: str) -> xr.DataArray:
    """Mid-year population by single age (0–100, 100 for 100+) and sex (year × sex × age), persons."""
    return _population_by_age(bundle, iso3, "population_single_age_sex", "age", "population_single_age",
                              "mid-year population by single age and sex")


def births(bundle: Bundle, iso3: str) -> xr.Dataset:
    """Births (median and 80 % interval), the sex ratio at birth and the population change, by year."""
    frame, _, meta = _read(bundle, "births", iso3)
    return _by_year(frame, {
        "births": ("persons per year", "live births, both sexes, median"),
        "births_80l": ("persons per year", "live births, 80 % interval, lower bound"),
        "births_80u": ("persons per year", "live births, 80 % interval, upper bound"),
        "srb_male_per_female": ("male births per female birth", "sex ratio at birth"),
        "pop_change": ("persons per year", "population change (births − deaths + net migration)"),
    }, meta)


def census_broad_age(bundle: Bundle, iso3: str) -> xr.DataArray | None:
    """The country's latest census by broad age group (``age``: the first age of each group; coordinate
    ``age_group``: its label), persons; None where no census is bundled. ``attrs`` add ``census_date``,
    ``agency`` and ``verified`` (every row checked against the office's own publication)."""
    frame, _, meta = _read(bundle, "population_census_broad_age", iso3)
    if frame.empty:
        return None
    census_date = str(frame["census_date"].max())  # YYYY-MM-DD
    rows = frame[frame["census_date"] == census_date].sort_values("age_start")
    return xr.DataArray(
        rows["population"].to_numpy(dtype=float),
        coords={dims.AGE: rows["age_start"].astype(int).to_numpy(),
                "age_group": (dims.AGE, rows["age_group"].astype(str).to_numpy())},
        dims=[dims.AGE], name="census_population",
        attrs={**meta, "units": "persons", "description": f"census population by broad age group, {census_date}",
               "census_date": census_date, "agency": str(rows["source_agency"].iloc[0]),
               "verified": bool(rows["verified"].all())})


# --- macroeconomy -------------------------------------------------------------------------------

def gdp(bundle: Bundle, iso3: str) -> xr.Dataset:
    """GDP in local currency and in US dollars, the GDP deflator, real growth and the CPI, by year."""
    frame, _, meta = _read(bundle, "gdp", iso3)
    return _by_year(frame, {
        "gdp_lcu": ("local currency per year", "nominal GDP"),
        "gdp_usd": ("US dollars per year", "nominal GDP in US dollars"),
        "deflator": ("index", "GDP deflator"),
        "real_gdp_growth_pct": ("percent per year", "real GDP growth"),
        "cpi_index": ("index (period average)", "consumer price index, annual average"),
    }, meta)


def government_finance(bundle: Bundle, iso3: str) -> xr.Dataset:
    """General government expenditure and revenue, percent of GDP, by year."""
    frame, _, meta = _read(bundle, "macro_other", iso3)
    return _by_year(frame, {"gg_expenditure_pct_gdp": ("percent of GDP", "general government expenditure"),
                            "gg_revenue_pct_gdp": ("percent of GDP", "general government revenue")}, meta)


def weo_population(bundle: Bundle, iso3: str) -> xr.DataArray:
    """The IMF WEO's population by year, persons (the denominator of its GDP per person)."""
    frame, _, meta = _read(bundle, "macro_other", iso3)
    return _by_year(frame, {"population_weo": ("persons", "population (IMF WEO)")}, meta)["population_weo"]


def health_spending(bundle: Bundle, iso3: str) -> xr.Dataset:
    """Current health expenditure (percent of GDP), and the government's and out-of-pocket shares of it."""
    frame, _, meta = _read(bundle, "health_expenditure", iso3)
    return _by_year(frame, {"che_pct_gdp": ("percent of GDP", "current health expenditure"),
                            "gghed_pct_che": ("percent of current health expenditure",
                                              "general government health expenditure"),
                            "oop_pct_che": ("percent of current health expenditure", "out-of-pocket payments")},
                    meta)


# --- poverty ------------------------------------------------------------------------------------

NATIONAL_LINE_COLUMNS = ("reference_period", "line_type", "value_lcu", "currency", "unit", "welfare_measure",
                         "headcount_pct", "source_agency", "source_url", "note")


def poverty_lines_national(bundle: Bundle, iso3: str) -> xr.Dataset:
    """The country's official poverty lines in local currency, one per ``line`` (labelled
    ``<line_type> <reference_period> <unit>``, in the table's order), with the headcount published
    with each (percent, NaN where none) and its agency and URL. Empty where none is bundled."""
    frame, _, meta = _read(bundle, "poverty_lines_national", iso3)
    labels = (frame["line_type"] + " " + frame["reference_period"] + " " + frame["unit"]).to_numpy()
    variables = {}
    for column in NATIONAL_LINE_COLUMNS:
        numeric = column in ("value_lcu", "headcount_pct")
        values = frame[column].to_numpy(dtype=float if numeric else object)
        units = {"value_lcu": "local currency (per person, per the unit)", "headcount_pct": "percent of population"}
        variables[column] = (dims.LINE, values, {**meta, "units": units.get(column, "")})
    return xr.Dataset(variables, coords={dims.LINE: labels}, attrs=meta)


def poverty_lines_harmonized(bundle: Bundle, iso3: str | None = None) -> xr.Dataset:
    """Harmonised national poverty lines and GDP per person, 2017 PPP US dollars per person per day, by
    ``country``: every country of the table (None), or ``iso3``'s row only (empty where it has none)."""
    frame, _, meta = _read(bundle, "poverty_lines_harmonized", iso3)
    units = "2017 PPP US dollars per person per day"
    return xr.Dataset(
        {"npl_2017ppp_usd_per_day": (dims.COUNTRY, frame["npl_2017ppp_usd_per_day"].to_numpy(dtype=float),
                                     {**meta, "units": units, "description": "harmonised national poverty line"}),
         "gdp_pc_2017ppp_usd_per_day": (dims.COUNTRY, frame["gdp_pc_2017ppp_usd_per_day"].to_numpy(dtype=float),
                                        {**meta, "units": units, "description": "GDP per person"})},
        coords={dims.COUNTRY: frame["iso3"].to_numpy()}, attrs=meta)


def poverty_headcount(bundle: Bundle, iso3: str) -> xr.DataArray:
    """The poverty headcount at national lines (World Bank WDI SI.POV.NAHC), percent of the population,
    the years published (empty where none)."""
    frame, _, meta = _read(bundle, "poverty_headcount_national", iso3)
    return _by_year(frame, {"poverty_headcount_national_pct": (
        "percent of population", "poverty headcount ratio at national poverty lines")},
        meta)["poverty_headcount_national_pct"]


# --- labour, coverage, disability, pensions ------------------------------------------------------

def labour_rates(bundle: Bundle, iso3: str) -> xr.Dataset:
    """ILO modelled labour force participation and unemployment rates, ages 15+, both sexes, percent, by
    year (empty where the country has none)."""
    frame, _, meta = _read(bundle, "labour_market", iso3)
    return _by_year(frame, {"labour_force_participation_rate_pct": ("percent of the population 15+",
                                                                    "labour force participation rate"),
                            "unemployment_rate_pct": ("percent of the labour force", "unemployment rate")}, meta)


def _pivot(frame: pd.DataFrame, index: dict[str, str], values: Sequence[str]) -> xr.Dataset:
    """Value columns of a long table over the dimensions ``index`` (dimension → key column), NaN where a
    combination has no row."""
    keyed = frame.rename(columns={column: dim for dim, column in index.items()})
    keyed = keyed.astype({v: float for v in values})
    if dims.YEAR in index:
        keyed[dims.YEAR] = keyed[dims.YEAR].astype(int)
    return keyed.set_index(list(index))[list(values)].to_xarray()


def coverage_ratios(bundle: Bundle, iso3: str) -> xr.DataArray:
    """Effective social protection coverage (SDG 1.3.1 and the ASPIRE series), percent of each benefit's
    group, over ``series`` × ``year`` × ``sex`` (female, male, total) × ``quantile`` (total, poorest
    quintile), NaN where not published."""
    frame, _, meta = _read(bundle, "social_protection_coverage", iso3)
    ratios = _pivot(frame, {SERIES: "series_code", dims.YEAR: "year", dims.SEX: "sex", QUANTILE: "quantile"},
                    ["value_pct"])["value_pct"]
    ratios.attrs = {**meta, "units": "percent of the benefit's group", "description": "effective coverage ratio"}
    return ratios.rename("coverage_ratio")


def disability_prevalence(bundle: Bundle) -> xr.Dataset:
    """WHO's prevalence of disability (estimate, 95 % lower and upper bounds; percent of the population)
    over ``geography`` (coordinate ``geography_type``: global, who_region, wb_income_group) × ``year`` ×
    ``age_group`` × ``sex`` (female, male, total) × ``severity``, NaN where not published."""
    frame, _, meta = _read(bundle, "disability_prevalence", None)
    columns = {"prevalence_pct": "estimate", "prevalence_lower_pct": "lower bound of the 95 % interval",
               "prevalence_upper_pct": "upper bound of the 95 % interval"}
    out = _pivot(frame, {GEOGRAPHY: "geography", dims.YEAR: "year", AGE_GROUP: "age_group", dims.SEX: "sex",
                         SEVERITY: "severity"}, list(columns))
    types = frame.drop_duplicates("geography").set_index("geography")["geography_type"]
    out = out.assign_coords(geography_type=(GEOGRAPHY, types.reindex(out[GEOGRAPHY].values).to_numpy()))
    for name, what in columns.items():
        out[name].attrs = {**meta, "units": "percent of the population", "description": f"prevalence, {what}"}
    out.attrs = meta
    return out


def pensionable_age(bundle: Bundle, iso3: str) -> xr.DataArray | None:
    """The statutory pensionable age of the main contributory scheme by sex, years of age, as in force in
    ``attrs["age_in_force"]``; None where the table has no row for the country. ``attrs`` add the
    ``scheme``, the row's own ``reference`` (title) and ``reference_url``, and its ``caveat``."""
    frame, _, meta = _read(bundle, "pensionable_age", iso3)
    if frame.empty:
        return None
    row = frame.iloc[0]
    column = {"female": "pensionable_age_women", "male": "pensionable_age_men"}
    return xr.DataArray(
        [float(row[column[sex]]) for sex in dims.SEXES], coords={dims.SEX: list(dims.SEXES)}, dims=[dims.SEX],
        name="pensionable_age",
        attrs={**meta, "units": "years of age", "description": f"statutory pensionable age, {row['scheme']}",
               "scheme": str(row["scheme"]), "age_in_force": int(row["age_in_force"]),
               "reference": str(row["source_title"]), "reference_url": str(row["source_url"]),
               "caveat": str(row["caveat"] or "")})
