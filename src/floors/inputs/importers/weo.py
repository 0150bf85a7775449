"""The IMF World Economic Outlook database, "By countries", as downloaded (e.g. ``WEOOct2025all.xls``).

Despite its name the file is tab-separated text (latin-1; UTF-16 in some editions): one
row per country and subject, the years as columns, numbers with thousands separators and
``n/a`` or ``--`` where there is none, and a last line naming the edition. It feeds
``gdp`` (NGDP, NGDPD, NGDP_D, NGDP_RPCH, PCPI, PCPIPCH) and ``macro_other`` (LP, LUR,
GGX_NGDP, GGR_NGDP).
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation

import pandas as pd

from floors.inputs.importers.common import CountryInfo, Extract, SourceFile, TableSpec, span
from floors.problems import Problem

URL = "https://www.imf.org/en/Publications/WEO/weo-database"
FORMAT = "IMF WEO 'By countries' tab-separated file (WEOOct2025all.xls)"
FIRST_YEAR = 2015  # the first year of the bundled WEO tables (the CPI of 2017 prices the international lines)
LAST_YEAR = 2030  # the last WEO year: the projections run on the WEO to 2030
SHORT_LAST_YEAR = 2024  # with --allow-short-weo: at least to the default base year
MISSING = ("", "n/a", "--", "NA")
REQUIRED_COLUMNS = ["ISO", "WEO Subject Code", "Country", "Units", "Scale", "Country/Series-specific Notes",
                    "Estimates Start After"]
MONTHS = {"Apr": "April", "Oct": "October", "Jan": "January", "Jul": "July", "Sep": "September"}

# subject → (table, column, units, scale, factor, required every year, may be negative)
SUBJECTS = {
    "NGDP": ("gdp", "gdp_lcu", "National currency", "Billions", 10**9, True, False),
    "NGDPD": ("gdp", "gdp_usd", "U.S. dollars", "Billions", 10**9, False, False),
    "NGDP_D": ("gdp", "deflator", "Index", "", 1, True, False),
    "NGDP_RPCH": ("gdp", "real_gdp_growth_pct", "Percent change", "", 1, True, True),
    "PCPI": ("gdp", "cpi_index", "Index", "", 1, True, False),
    "PCPIPCH": ("gdp", "cpi_inflation_pct", "Percent change", "", 1, True, True),
    "LP": ("macro_other", "population_weo", "Persons", "Millions", 10**6, True, False),
    "LUR": ("macro_other", "unemployment_rate_pct", "Percent of total labor force", "", 1, False, False),
    "GGX_NGDP": ("macro_other", "gg_expenditure_pct_gdp", "Percent of GDP", "", 1, False, False),
    "GGR_NGDP": ("macro_other", "gg_revenue_pct_gdp", "Percent of GDP", "", 1, False, False),
}
OPTIONAL_ROWS = {"LUR"}  # a query of the WEO database may leave it out; the other rows must be there


def detect(header: list[str]) -> bool:
    return "WEO Subject Code" in header or "WEO Country Code" in header


def _edition(vintage: str) -> str:
    return vintage.removeprefix("IMF WEO ")


GDP = TableSpec(
    table="gdp", year_column="year", required=None,  # checked here, with --allow-short-weo
    title=lambda v: f"GDP in local currency and USD, GDP deflator, real growth and CPI, {v}",
    generic_title="GDP in local currency and USD, GDP deflator, real growth and CPI, IMF WEO (edition by "
                  "country: see vintage and retrieved_from)",
    dataset=lambda v: f"World Economic Outlook database, {_edition(v)} (NGDP, NGDPD, NGDP_D, NGDP_RPCH, PCPI, "
                      "PCPIPCH)",
    transformation="NGDP and NGDPD (billions) × 1e9, the other series as published; thousands separators "
                   "removed, n/a and -- left empty; years 2015 to the last year with NGDP, as labelled in the "
                   "file (fiscal-year data in the year the IMF gives them); last_actual_year = 'Estimates Start "
                   "After' of NGDP; is_projection = year > last_actual_year; gdp_fiscal_year_basis from the NGDP "
                   "notes ('Reporting in calendar year: No') or --fiscal-year-gdp.",
)

OTHER = TableSpec(
    table="macro_other", year_column="year", required=None,
    title=lambda v: f"Population, unemployment rate and general government expenditure and revenue, {v}",
    generic_title="Population, unemployment rate and general government expenditure and revenue, IMF WEO "
                  "(edition by country: see vintage and retrieved_from)",
    dataset=lambda v: f"World Economic Outlook database, {_edition(v)} (LP, LUR, GGX_NGDP, GGR_NGDP)",
    transformation="LP (millions) × 1e6; LUR, GGX_NGDP and GGR_NGDP as published, n/a and -- left empty; "
                   "the same years as gdp.csv.",
)


def _vintage(source: SourceFile, rows: list[list[str]], problems: list[Problem]) -> str | None:
    for row in reversed(rows[-5:]):
        text = " ".join(row)
        if m := re.search(r"World Economic Outlook Database, (\w+ \d{4})", text):
            return f"IMF WEO {m[1]}"
    if m := re.match(r"WEO(Apr|Oct|Jan|Jul|Sep)(\d{4})", source.path.name):
        return f"IMF WEO {MONTHS[m[1]]} {m[2]}"
    problems.append(Problem("cannot tell the WEO edition: the last line does not name it and the file name is "
                            "not the IMF's", file=source.name, value=source.path.name,
                            hint="keep the name the file was downloaded with, e.g. WEOOct2025all.xls"))
    return None


def _number(text: str) -> Decimal | None:
    text = text.strip()
    if text in MISSING:
        return None
    return Decimal(text.replace(",", ""))


def read(source: SourceFile, wanted: set[str], problems: list[Problem], allow_short: bool = False
         ) -> tuple[Extract, set[str]] | None:
    rows = list(csv.reader(io.StringIO(source.read_text(), newline=""), delimiter="\t"))
    header = [cell.strip() for cell in rows[0]] if rows else []
    header[0:1] = [header[0].lstrip("\ufeff")] if header else []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    years = [int(c) for c in header if re.fullmatch(r"\d{4}", c)]
    if missing or not years:
        missing += [] if years else ["the year columns (1980 … 2030)"]
        problems.append(Problem(f"required column{'s' if len(missing) > 1 else ''} missing: {', '.join(missing)}",
                                file=source.name, line=1, key=missing[0],
                                hint="a WEO 'By countries' file has the columns " + ", ".join(REQUIRED_COLUMNS)
                                     + " and one per year; download it again"))
        return None
    vintage = _vintage(source, rows, problems)
    col = {name: header.index(name) for name in header if name}
    found: dict[tuple[str, str], tuple[int, list[str]]] = {}
    present = set()
    for number, row in enumerate(rows[1:], start=2):
        if len(row) <= col["WEO Subject Code"] or not row[col["ISO"]].strip():
            continue
        iso3, subject = row[col["ISO"]].strip(), row[col["WEO Subject Code"]].strip()
        present.add(iso3)
        if iso3 in wanted and subject in SUBJECTS:
            if (iso3, subject) in found:
                problems.append(Problem(f"{iso3} has two {subject} rows (lines {found[iso3, subject][0]} and "
                                        f"{number})", file=source.name, line=number, key="WEO Subject Code",
                                        value=subject, hint="each country has one row per subject"))
            found[iso3, subject] = (number, row + [""] * (len(header) - len(row)))
    if vintage is None:
        return None
    extract = Extract(source=source, format="weo", vintage=vintage, url=URL)
    gdp = []
    for iso3 in sorted(wanted & present):
        table = _country(source, iso3, found, col, years, problems, allow_short)
        if table is None:
            continue
        frame, info = table
        extract.countries[iso3] = info
        gdp.append(frame)
    if not gdp:
        return extract, present
    frame = pd.concat(gdp)
    frame["source_vintage"] = vintage
    extract.tables[GDP.table] = (GDP, frame[["iso3", "year", "gdp_lcu", "gdp_usd", "deflator", "real_gdp_growth_pct",
                                             "cpi_index", "cpi_inflation_pct", "is_projection", "last_actual_year",
                                             "gdp_fiscal_year_basis", "source_vintage"]])
    extract.tables[OTHER.table] = (OTHER, frame[["iso3", "year", "population_weo", "unemployment_rate_pct",
                                                 "gg_expenditure_pct_gdp", "gg_revenue_pct_gdp", "source_vintage"]])
    return extract, present


def _country(source: SourceFile, iso3: str, found: dict, col: dict[str, int], years: list[int],
             problems: list[Problem], allow_short: bool) -> tuple[pd.DataFrame, CountryInfo] | None:
    n = len(problems)
    absent = [s for s in SUBJECTS if (iso3, s) not in found and s not in OPTIONAL_ROWS]
    if absent:
        problems.append(Problem(f"{iso3} has no row for {', '.join(absent)}", file=source.name,
                                key="WEO Subject Code", value=absent[0],
                                hint="download the entire database 'By countries' (all subjects)"))
        return None
    values: dict[str, dict[int, Decimal | None]] = {}
    for subject, (_table, _column, units, scale, _factor, _required, negative) in SUBJECTS.items():
        if (iso3, subject) not in found:
            continue
        line, row = found[iso3, subject]
        for name, expected in (("Units", units), ("Scale", scale)):
            if row[col[name]].strip() != expected:
                problems.append(Problem(
                    f"{iso3} {subject}: {name} is {row[col[name]].strip()!r}, floors expects {expected!r}"
                    if expected else f"{iso3} {subject}: {name} is {row[col[name]].strip()!r}, floors expects none",
                    file=source.name, line=line, key=name, value=row[col[name]].strip(),
                    hint="floors converts the WEO's own units; a file with other units or scales is not the WEO "
                         "'By countries' download"))
        series: dict[int, Decimal | None] = {}
        for year in years:
            if year < FIRST_YEAR:
                continue
            cell = row[col[str(year)]]
            try:
                series[year] = _number(cell)
            except InvalidOperation:
                problems.append(Problem(f"{iso3} {subject} {year} is not a number", file=source.name, line=line,
                                        key=str(year), value=cell,
                                        hint="WEO numbers look like 1,234.567; n/a or -- where there is none"))
                series[year] = None
                continue
            number = series[year]
            if number is not None and number < 0 and not negative:
                problems.append(Problem(f"{iso3} {subject} {year} is negative", file=source.name, line=line,
                                        key=str(year), value=cell, hint=f"{subject} ({units}) cannot be negative"))
        values[subject] = series
    if len(problems) > n:
        return None
    with_gdp = [y for y, v in values["NGDP"].items() if v is not None]
    last = max(with_gdp, default=FIRST_YEAR - 1)
    needed = SHORT_LAST_YEAR if allow_short else LAST_YEAR
    row_years = list(range(FIRST_YEAR, last + 1))
    if last < needed:
        gone = [y for y in range(FIRST_YEAR, needed + 1) if y not in with_gdp]
        problems.append(Problem(
            f"{iso3} NGDP has no value for {span(gone)}: floors needs {FIRST_YEAR}–{needed}",
            file=source.name, line=found[iso3, "NGDP"][0], key=str(gone[0]),
            value=found[iso3, "NGDP"][1][col[str(gone[0])]] if str(gone[0]) in col else "(no column)",
            hint=f"the projections run on the WEO from {FIRST_YEAR} (the CPI of 2017 prices the international "
                 f"lines) to {LAST_YEAR}; where the IMF stops earlier (Bolivia in October 2025), "
                 "--allow-short-weo keeps the years published (floors then holds the last rates)"))
        return None
    for subject, (_t, _c, _u, _s, _f, required, _n) in SUBJECTS.items():
        if required and subject in values:
            gone = [y for y in row_years if values[subject].get(y) is None]
            if gone:
                line, row = found[iso3, subject]
                cell = row[col[str(gone[0])]] if str(gone[0]) in col else "(no column)"
                problems.append(Problem(f"{iso3} {subject} has no value for {span(gone)}", file=source.name,
                                        line=line, key=str(gone[0]), value=cell,
                                        hint=f"floors needs {subject} in every year with GDP ({FIRST_YEAR}–{last})"))
    if len(problems) > n:
        return None
    line, ngdp = found[iso3, "NGDP"]
    estimates = ngdp[col["Estimates Start After"]].strip()
    if not re.fullmatch(r"\d{4}", estimates):
        problems.append(Problem(f"{iso3} NGDP: 'Estimates Start After' is not a year", file=source.name, line=line,
                                key="Estimates Start After", value=estimates,
                                hint="floors records the last actual year (last_actual_year) from it"))
        return None
    notes = ngdp[col["Country/Series-specific Notes"]]
    calendar = re.search(r"Reporting in calendar year:\s*(Yes|No)", notes)
    info = CountryInfo(fiscal_year_gdp=None if calendar is None else calendar[1] == "No")
    frame = pd.DataFrame({"iso3": iso3, "year": row_years})
    for subject, (_table, column, _u, _s, factor, _r, _n) in SUBJECTS.items():
        series = values.get(subject, {})
        frame[column] = [_scaled(series.get(y), factor) for y in row_years]
    frame["last_actual_year"] = int(estimates)
    frame["is_projection"] = frame["year"] > int(estimates)
    frame["gdp_fiscal_year_basis"] = info.fiscal_year_gdp  # settled with the options by the caller
    return frame, info


def _scaled(value: Decimal | None, factor: int) -> str:
    if value is None:
        return ""
    return repr(float(value * factor)) if factor != 1 else format(value.normalize(), "f")
