"""World Bank World Development Indicators, one indicator as downloaded from the API
(``API_SI.POV.NAHC_DS2_en_csv_v2_*.csv``, inside the zip of
api.worldbank.org/v2/en/indicator/SI.POV.NAHC?downloadformat=csv).

Four lines of preamble ("Data Source", a blank line, "Last Updated Date", a blank line),
then "Country Name","Country Code","Indicator Name","Indicator Code" and one column per
year, every line ending with a comma. Only SI.POV.NAHC (poverty headcount at national
lines, % of population) is bundled: it feeds ``poverty_headcount_national``.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pandas as pd

from floors.inputs.importers.common import Extract, SourceFile, TableSpec, fmt_number, lines_text
from floors.problems import Problem

URL = "https://api.worldbank.org/v2/en/indicator/SI.POV.NAHC?downloadformat=csv"
FORMAT = "World Bank WDI API CSV (API_SI.POV.NAHC_DS2_en_csv_v2_*.csv)"
INDICATOR = "SI.POV.NAHC"
REQUIRED_COLUMNS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]

HEADCOUNT = TableSpec(
    table="poverty_headcount_national", year_column="year", required=None,  # any year: at least one value
    title=lambda v: "Poverty headcount ratio at national poverty lines (World Bank WDI SI.POV.NAHC)",
    generic_title="Poverty headcount ratio at national poverty lines (World Bank WDI SI.POV.NAHC)",
    dataset=lambda v: f"World Development Indicators, SI.POV.NAHC, downloaded from the World Bank API ({v})",
    transformation="every year with a value, as published (percent of the population).",
)


def _header_line(head: list[str]) -> int | None:
    for number, line in enumerate(head[:10]):
        if line.lstrip("\ufeff").startswith('"Country Name"') or line.lstrip("\ufeff").startswith("Country Name"):
            return number
    return None


def detect(head: list[str]) -> bool:
    first = head[0].lstrip("\ufeff") if head else ""
    return first.startswith(('"Data Source"', "Data Source")) or (_header_line(head) is not None
                                                                  and "Indicator Code" in "".join(head[:10]))


def _vintage(head: list[str]) -> str:
    for line in head[:4]:
        if m := re.search(r"Last Updated Date\"?,\"?(\d{4})-(\d{2})-(\d{2})", line):
            updated = date(int(m[1]), int(m[2]), int(m[3]))
            return f"WDI {updated:%B %Y} (last updated {updated.isoformat()})"
    return "WDI (no 'Last Updated Date' in the file)"


def read(source: SourceFile, wanted: set[str], problems: list[Problem]) -> tuple[Extract, set[str]] | None:
    skip = _header_line(source.head)
    if skip is None:
        problems.append(Problem("no header line starting \"Country Name\" in the first lines", file=source.name,
                                hint="use the CSV as downloaded from the World Bank API (4 lines of preamble, "
                                     "then the header)"))
        return None
    header = [c for c in next(csv.reader([source.head[skip].lstrip("\ufeff")])) if c]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    years = [c for c in header if re.fullmatch(r"\d{4}", c)]
    if missing or not years:
        missing += [] if years else ["the year columns (1960 …)"]
        problems.append(Problem(f"required column{'s' if len(missing) > 1 else ''} missing: {', '.join(missing)}",
                                file=source.name, line=skip + 1, key=missing[0],
                                hint="a WDI API file has the columns " + ", ".join(REQUIRED_COLUMNS)
                                     + " and one per year"))
        return None
    frame = _rows(source, skip, header, problems)
    if frame is None:
        return None
    present = set(frame["Country Code"].str.strip()) - {""}
    frame = frame[frame["Country Code"].str.strip().isin(wanted)].reset_index(drop=True)
    n = len(problems)
    other = frame["Indicator Code"].str.strip() != INDICATOR
    if other.any():
        first = other.idxmax()
        problems.append(Problem(f"indicator {frame.at[first, 'Indicator Code']} is not one floors bundles",
                                file=source.name, line=int(frame.at[first, "_line"]), key="Indicator Code",
                                value=frame.at[first, "Indicator Code"],
                                hint=f"floors imports {INDICATOR} (poverty headcount ratio at national poverty "
                                     f"lines, % of population) from the World Bank"))
        return None
    long = frame.melt(id_vars=["Country Code", "_line"], value_vars=years, var_name="year", value_name="cell")
    long["cell"] = long["cell"].astype(str).str.strip()
    long = long.sort_values(["Country Code", "year"]).reset_index(drop=True)
    values = pd.to_numeric(long["cell"], errors="coerce")
    text = values.isna() & (long["cell"] != "")
    if text.any():
        first = text.idxmax()
        problems.append(Problem(f"{long.at[first, 'Country Code']} {long.at[first, 'year']} is not a number"
                                f"{lines_text(long.loc[text, '_line'])}", file=source.name,
                                line=int(long.at[first, "_line"]), key=long.at[first, "year"],
                                value=long.at[first, "cell"], hint="download the file again"))
    outside = (values < 0) | (values > 100)
    if outside.any():
        first = outside.idxmax()
        problems.append(Problem(f"{long.at[first, 'Country Code']} {long.at[first, 'year']}: a headcount is a "
                                f"percentage from 0 to 100{lines_text(long.loc[outside, '_line'])}",
                                file=source.name, line=int(long.at[first, "_line"]), key=long.at[first, "year"],
                                value=long.at[first, "cell"], hint="SI.POV.NAHC is in percent of the population"))
    for iso3 in sorted(set(long["Country Code"])):
        if values[long["Country Code"] == iso3].isna().all():
            line = int(long.loc[long["Country Code"] == iso3, "_line"].iloc[0])
            problems.append(Problem(f"{iso3} has no value in any year", file=source.name, line=line,
                                    key="Country Code", value=iso3,
                                    hint="floors needs at least one year of the headcount; import the country "
                                         "without this file, or leave it out with --country"))
    if len(problems) > n:
        return None
    kept = long[values.notna()]
    table = pd.DataFrame({"iso3": kept["Country Code"].str.strip(), "year": kept["year"].astype(int),
                          "poverty_headcount_national_pct": values[values.notna()].map(fmt_number)})
    extract = Extract(source=source, format="wdi", vintage=_vintage(source.head), url=URL)
    extract.tables[HEADCOUNT.table] = (HEADCOUNT, table.sort_values(["iso3", "year"]))
    return extract, present


def _rows(source: SourceFile, skip: int, header: list[str], problems: list[Problem]) -> pd.DataFrame | None:
    rows = list(csv.reader(io.StringIO(source.read_text(), newline="")))[skip + 1:]
    out = []
    for number, row in enumerate(rows, start=skip + 2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row[:len(header)]
        if len(cells) < len(header) or any(cell.strip() for cell in row[len(header):]):
            problems.append(Problem(f"the row has {len(row)} cells, the header {len(header)}", file=source.name,
                                    line=number, hint="download the file again"))
            return None
        out.append([*cells, number])
    return pd.DataFrame(out, columns=[*header, "_line"])
