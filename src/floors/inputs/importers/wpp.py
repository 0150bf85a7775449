"""UN World Population Prospects CSV files, as downloaded from population.un.org/wpp/Download.

Two layouts, told apart by the header (both start SortOrder, LocID, Notes, ISO3_code, …,
Location, VarID, Variant, Time):

* Demographic Indicators (``WPP2024_Demographic_Indicators_Medium.csv``): one row per
  location and year, counts in thousands → ``births`` and the 1 January totals by
  sex of ``population_total_sex``;
* population by age and sex (``WPP2024_PopulationByAge5GroupSex_Medium.csv``,
  ``WPP2024_PopulationBySingleAgeSex_Medium_1950-2023.csv`` and ``…_2024-2100.csv``): one
  row per location, year and age group (AgeGrpSpan 5 or 1; -1 for 100+), 1 July, thousands
  → ``population_age5_sex`` or ``population_single_age_sex``. Table names carry no
  vintage: the card says which countries come from which revision. The five-year file has
  every year, so the projections interpolate nothing for the countries imported (the
  bundled table gives every fifth year).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from floors.inputs.importers.common import (
    CountryInfo,
    Extract,
    SourceFile,
    TableSpec,
    csv_header,
    fmt_number,
    lines_text,
    missing_columns,
    not_negative,
    numbers,
    read_rows,
    require_values,
)
from floors.problems import Problem

URL = "https://population.un.org/wpp/Download"
IDENTITY = ["LocID", "Location", "ISO3_code", "Variant", "Time"]
INDICATORS = [*IDENTITY, "TPopulation1Jan", "TPopulation1July", "TPopulationMale1July", "TPopulationFemale1July",
              "PopChange", "Births", "CBR", "SRB", "Deaths", "CDR", "CNMR"]
AGES = [*IDENTITY, "AgeGrp", "AgeGrpStart", "AgeGrpSpan", "PopMale", "PopFemale", "PopTotal"]

FIRST_YEAR, LAST_YEAR = 2022, 2050  # the years the projections can run (population data)
# A country has at most 1.5 billion people; a WPP value above 2 billion means the file is not in thousands.
MOST_THOUSANDS = 2_000_000
RELATIVE_TOLERANCE = 1e-4  # male + female against the total, ages against the total: 0.01 %
ABSOLUTE_TOLERANCE = 0.002  # thousands: the rounding of two published values


def detect(header: list[str]) -> str | None:
    if not {"LocID", "Location", "Time"} <= set(header):
        return None
    return "ages" if {"AgeGrp", "AgeGrpStart"} & set(header) else "indicators"


FORMATS = {
    "indicators": "UN WPP Demographic Indicators CSV (WPP2024_Demographic_Indicators_Medium.csv)",
    "ages": "UN WPP population by age and sex CSV (WPP2024_PopulationByAge5GroupSex_Medium.csv, "
            "WPP2024_PopulationBySingleAgeSex_Medium_*.csv)",
}


def _revision(source: SourceFile, problems: list[Problem]) -> int | None:
    match = re.match(r"WPP(\d{4})_", source.path.name)
    if not match:
        problems.append(Problem("cannot tell the WPP revision from the file name", file=source.name,
                                value=source.path.name,
                                hint="keep the name the file was downloaded with, e.g. "
                                     "WPP2024_Demographic_Indicators_Medium.csv"))
        return None
    return int(match[1])


def _title_year(vintage: str) -> str:
    return vintage.removeprefix("WPP ")


BIRTHS = TableSpec(
    table="births", year_column="year", required=(FIRST_YEAR, LAST_YEAR),
    title=lambda v: f"Births, sex ratio at birth, deaths and population change, {v}",
    generic_title="Births, sex ratio at birth, deaths and population change, UN WPP (revision by country: "
                  "see vintage and retrieved_from)",
    dataset=lambda v: f"World Population Prospects {_title_year(v)}, Demographic Indicators, Medium variant "
                      f"(estimates to {int(_title_year(v)) - 1}, projections from {_title_year(v)})",
    transformation="Births, Deaths and PopChange (thousands) × 1000; SRB (males per 100 female births) / 100; "
                   "CBR, CDR and CNMR as published; years 2015–2050 where the file has them; series = estimate "
                   "to the year before the revision, projection_median from it (WPP defines the Medium variant "
                   "as the median of its probabilistic projections); births_80l and births_80u left empty: the "
                   "Medium-variant file has no interval.",
)

TOTALS = TableSpec(
    table="population_total_sex", year_column="date", required=(FIRST_YEAR + 3, LAST_YEAR + 1),
    title=lambda v: f"Total population by sex on 1 January, {v}",
    generic_title="Total population by sex on 1 January, UN WPP (revision by country: see vintage and "
                  "retrieved_from)",
    dataset=lambda v: f"World Population Prospects {_title_year(v)}, Demographic Indicators, Medium variant",
    transformation="pop_total = TPopulation1Jan × 1000, dated 1 January of Time, 2025–2051. The file gives the "
                   "1 January population for both sexes only, so it is split by sex with an approximation: the "
                   "male share of 1 January is the mean of the male shares of 1 July of the year before and of "
                   "the year (TPopulationMale1July / TPopulation1July), pop_male = pop_total × that share rounded "
                   "to a whole person, pop_female = pop_total − pop_male. pop_total_80l and pop_total_80u left "
                   "empty: the Medium-variant file has no interval.",
    optional_columns={
        "pop_total_80l": "80 % interval, lower bound; empty for the rows imported from a WPP Medium-variant file, "
                         "which has no interval",
        "pop_total_80u": "80 % interval, upper bound; empty for the rows imported from a WPP Medium-variant file, "
                         "which has no interval",
    },
    caveat="Rows imported by floors data import from a WPP Demographic Indicators file have no 80 % interval: "
           "moving those countries within the interval (demography.interval_position) leaves them at the median, "
           "since a missing interval counts as no change.",
)

def _by_age(table: str, what: str, dataset: str, transformation: str) -> TableSpec:
    """The spec of a population table by age and sex, 1 July, 2022–2050 required."""
    return TableSpec(
        table=table, year_column="year", required=(FIRST_YEAR, LAST_YEAR),
        title=lambda v: f"Population by {what} and sex, mid-year (1 July), {v} Medium variant",
        generic_title=f"Population by {what} and sex, mid-year (1 July), UN WPP (revision by country: see vintage "
                      "and retrieved_from)",
        dataset=lambda v: f"World Population Prospects {_title_year(v)}, population by {dataset} and sex, "
                          "Medium variant",
        transformation=transformation)


AGE5 = _by_age("population_age5_sex", "five-year age group", "five-year age group",
               "PopFemale and PopMale (thousands) × 1000 by AgeGrp (0-4 … 95-99, 100+), AgeGrpStart as "
               "age_start; every year 2022–2050.")
SINGLE = _by_age("population_single_age_sex", "single year of age", "single age",
                 "PopFemale and PopMale (thousands) × 1000 by single age 0–99 and 100+ (written 100); years "
                 "2020–2050 where the file has them.")


def _close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs(a - b) <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * np.abs(b)


def _read(source: SourceFile, columns: list[str], wanted: set[str], years: tuple[int, int],
          problems: list[Problem]) -> tuple[pd.DataFrame, set[str], int] | None:
    """The Medium-variant rows of the ``wanted`` countries in ``years``, the countries in the
    file, and the WPP revision."""
    revision = _revision(source, problems)
    header = csv_header(source.head[0].lstrip("\ufeff")) if source.head else []
    if missing_columns(header, columns, source, "UN WPP", problems):
        return None
    read = read_rows(source, columns, "ISO3_code", wanted, problems)
    if read is None:
        return None
    frame, present = read
    other = frame["Variant"].str.strip() != "Medium"
    if other.any():
        first = other.idxmax()
        problems.append(Problem(f"rows of another projection variant than Medium"
                                f"{lines_text(frame.loc[other, '_line'])}",
                                file=source.name, line=int(frame.at[first, "_line"]), key="Variant",
                                value=frame.at[first, "Variant"],
                                hint="import the Medium-variant file (…_Medium.csv): floors' tables hold the "
                                     "Medium variant (= the median of the probabilistic projections)"))
        return None
    time = numbers(frame, "Time", source, problems)
    frame = frame[time.notna()].assign(Time=time[time.notna()].astype(int))
    frame = frame[(frame["Time"] >= years[0]) & (frame["Time"] <= years[1])].reset_index(drop=True)
    return None if revision is None else (frame, present, revision)


def _countries(frame: pd.DataFrame) -> dict[str, CountryInfo]:
    out = {}
    for iso3, rows in frame.groupby("ISO3_code"):
        m49 = pd.to_numeric(rows["LocID"].iloc[0], errors="coerce")
        out[iso3] = CountryInfo(name=rows["Location"].iloc[0].strip(), m49=None if pd.isna(m49) else int(m49))
    return out


def _duplicates(frame: pd.DataFrame, key: list[str], source: SourceFile, problems: list[Problem]) -> bool:
    repeated = frame.duplicated(subset=key, keep=False)
    if repeated.any():
        first = repeated.idxmax()
        problems.append(Problem(f"rows repeat {', '.join(key)}{lines_text(frame.loc[repeated, '_line'])}",
                                file=source.name, line=int(frame.at[first, "_line"]), key=key[-1],
                                value=str(frame.at[first, key[-1]]),
                                hint="each location, year (and age) appears once in a WPP file"))
    return bool(repeated.any())


def read_indicators(source: SourceFile, wanted: set[str], problems: list[Problem]) -> tuple[Extract, set[str]] | None:
    read = _read(source, INDICATORS, wanted, (2014, LAST_YEAR + 1), problems)
    if read is None:
        return None
    frame, present, revision = read
    n = len(problems)
    _duplicates(frame, ["ISO3_code", "Time"], source, problems)
    value = {}
    for column in INDICATORS[len(IDENTITY):]:
        value[column] = numbers(frame, column, source, problems)
        require_values(frame, column, "a year floors imports", source, problems)
        if column not in ("PopChange", "CNMR"):
            not_negative(frame, value[column], column, source, problems)
    if len(problems) > n:
        return None
    _units(frame, value, source, problems)
    _sexes_add_up(frame, value, ("TPopulationMale1July", "TPopulationFemale1July", "TPopulation1July"), source,
                  problems)
    if len(problems) > n:
        return None

    vintage = f"WPP {revision}"
    extract = Extract(source=source, format="indicators", vintage=vintage, url=URL, countries=_countries(frame))
    table = pd.DataFrame({
        "iso3": frame["ISO3_code"], "year": frame["Time"],
        "series": np.where(frame["Time"] < revision, "estimate", "projection_median"),
        "births": (value["Births"] * 1000).round().map(fmt_number), "births_80l": "", "births_80u": "",
        "srb_male_per_female": (value["SRB"] / 100).round(6).map(fmt_number),
        "deaths": (value["Deaths"] * 1000).round().map(fmt_number),
        "cbr_per_1000": value["CBR"].map(fmt_number), "cdr_per_1000": value["CDR"].map(fmt_number),
        "net_migration_rate_per_1000": value["CNMR"].map(fmt_number),
        "pop_change": (value["PopChange"] * 1000).round().map(fmt_number),
    })
    extract.tables[BIRTHS.table] = (BIRTHS, table[(table["year"] >= 2015) & (table["year"] <= LAST_YEAR)]
                                    .sort_values(["iso3", "year"]))
    extract.tables[TOTALS.table] = (TOTALS, _january(frame, value))
    extract.checks["july"] = pd.DataFrame({
        "iso3": frame["ISO3_code"], "year": frame["Time"], "_line": frame["_line"],
        "male": value["TPopulationMale1July"], "female": value["TPopulationFemale1July"]})
    return extract, present


def _sexes_add_up(frame: pd.DataFrame, value: dict[str, pd.Series], columns: tuple[str, str, str],
                  source: SourceFile, problems: list[Problem]) -> None:
    male, female, total = columns
    sexes = value[male] + value[female]
    bad = ~_close(sexes.to_numpy(), value[total].to_numpy())
    if bad.any():
        first = int(np.argmax(bad))
        problems.append(Problem(
            f"{male} + {female} differs from {total}{lines_text(frame.loc[bad, '_line'])}: "
            f"{sexes[first]:,.3f} against {value[total][first]:,.3f} thousand",
            file=source.name, line=int(frame.at[first, "_line"]), key=total, value=frame.at[first, total],
            hint=f"males and females must add up to the total within {RELATIVE_TOLERANCE:.2%}; "
                 "download the file again"))


def _units(frame: pd.DataFrame, value: dict[str, pd.Series], source: SourceFile, problems: list[Problem]) -> None:
    """Counts in thousands, the sex ratio per 100 females, births consistent with the birth rate."""
    big = value["TPopulation1July"] > MOST_THOUSANDS
    if big.any():
        first = big.idxmax()
        problems.append(Problem(
            f"the population is not in thousands: {value['TPopulation1July'][first]:,.0f} for "
            f"{frame.at[first, 'ISO3_code']} in {frame.at[first, 'Time']} would be over 2 billion people",
            file=source.name, line=int(frame.at[first, "_line"]), key="TPopulation1July",
            value=frame.at[first, "TPopulation1July"],
            hint="WPP CSV files give counts in thousands; use the file as downloaded"))
    srb = (value["SRB"] < 90) | (value["SRB"] > 120)
    if srb.any():
        first = srb.idxmax()
        problems.append(Problem(f"SRB is not males per 100 female births{lines_text(frame.loc[srb, '_line'])}",
                                file=source.name, line=int(frame.at[first, "_line"]), key="SRB",
                                value=frame.at[first, "SRB"],
                                hint="WPP gives the sex ratio at birth per 100 females (about 105)"))
    rate = 1000 * value["Births"] / value["TPopulation1July"]
    off = (rate - value["CBR"]).abs() > 0.05 * value["CBR"] + 0.1
    if off.any():
        first = off.idxmax()
        problems.append(Problem(
            f"Births do not match the crude birth rate CBR: {value['Births'][first]:,.3f} thousand births for "
            f"{value['TPopulation1July'][first]:,.3f} thousand people is {rate[first]:.1f} per 1000, CBR says "
            f"{value['CBR'][first]:.1f}{lines_text(frame.loc[off, '_line'])}",
            file=source.name, line=int(frame.at[first, "_line"]), key="Births", value=frame.at[first, "Births"],
            hint="births and population must both be in thousands, as downloaded"))


def _january(frame: pd.DataFrame, value: dict[str, pd.Series]) -> pd.DataFrame:
    """1 January totals by sex: the total as published, split with the mean male share of the
    two 1 July values around it (a declared approximation)."""
    data = pd.DataFrame({"iso3": frame["ISO3_code"], "year": frame["Time"], "jan": value["TPopulation1Jan"],
                         "share": value["TPopulationMale1July"] / value["TPopulation1July"]})
    before = data.assign(year=data["year"] + 1).set_index(["iso3", "year"])["share"].rename("share_before")
    data = data.join(before, on=["iso3", "year"]).dropna(subset=["share_before"])
    first, last = TOTALS.required or (data["year"].min(), data["year"].max())
    data = data[(data["year"] >= first) & (data["year"] <= last)]
    total = (data["jan"] * 1000).round()
    male = (total * (data["share"] + data["share_before"]) / 2).round()
    return pd.DataFrame({
        "iso3": data["iso3"], "date": data["year"].map(lambda y: f"{y}-01-01"),
        "pop_male": male.map(fmt_number), "pop_female": (total - male).map(fmt_number),
        "pop_total": total.map(fmt_number), "pop_total_80l": "", "pop_total_80u": "",
    }).sort_values(["iso3", "date"])


def read_ages(source: SourceFile, wanted: set[str], problems: list[Problem]) -> tuple[Extract, set[str]] | None:
    read = _read(source, AGES, wanted, (2020, LAST_YEAR), problems)
    if read is None:
        return None
    frame, present, revision = read
    n = len(problems)
    value = {c: numbers(frame, c, source, problems) for c in ("AgeGrpStart", "AgeGrpSpan", "PopMale", "PopFemale",
                                                              "PopTotal")}
    for column in ("PopMale", "PopFemale", "PopTotal"):
        require_values(frame, column, "a year floors imports", source, problems)
        not_negative(frame, value[column], column, source, problems)
    if len(problems) > n:
        return None
    spans = set(value["AgeGrpSpan"].dropna().astype(int)) - {-1}
    if spans not in ({1}, {5}):
        problems.append(Problem(f"AgeGrpSpan holds {sorted(spans)}: neither single ages (1) nor five-year groups (5)",
                                file=source.name, key="AgeGrpSpan",
                                hint="import WPP2024_PopulationByAge5GroupSex_Medium.csv or "
                                     "WPP2024_PopulationBySingleAgeSex_Medium_*.csv as downloaded"))
        return None
    width = spans.pop()
    frame = frame.assign(start=value["AgeGrpStart"].astype("Int64"))
    if _duplicates(frame, ["ISO3_code", "Time", "start"], source, problems) or not _groups(frame, width, source,
                                                                                            problems):
        return None
    _sexes_add_up(frame, value, ("PopMale", "PopFemale", "PopTotal"), source, problems)
    sums = pd.DataFrame({"iso3": frame["ISO3_code"], "year": frame["Time"], "total": value["PopTotal"]}
                        ).groupby(["iso3", "year"])["total"].sum()
    if (sums > MOST_THOUSANDS).any():
        (iso3, year), total = sums.idxmax(), sums.max()
        problems.append(Problem(f"the population is not in thousands: the ages of {iso3} in {year} add up to "
                                f"{total:,.0f}, over 2 billion people", file=source.name, key="PopTotal",
                                hint="WPP CSV files give counts in thousands; use the file as downloaded"))
    if len(problems) > n:
        return None

    spec = AGE5 if width == 5 else SINGLE
    extract = Extract(source=source, format=f"ages{width}", vintage=f"WPP {revision}", url=URL,
                      countries=_countries(frame))
    long = pd.concat([
        pd.DataFrame({"iso3": frame["ISO3_code"], "year": frame["Time"], "sex": sex, "age_group": frame["AgeGrp"],
                      "start": frame["start"].astype(int), "thousands": value[column], "_line": frame["_line"]})
        for sex, column in (("female", "PopFemale"), ("male", "PopMale"))])
    long = long.sort_values(["iso3", "year", "sex", "start"])
    long["population"] = (long["thousands"] * 1000).round().map(fmt_number)
    if width == 5:
        rows = long.rename(columns={"start": "age_start"})[["iso3", "year", "sex", "age_group", "age_start",
                                                            "population"]]
        rows = rows[rows["year"] >= FIRST_YEAR]
    else:
        rows = long.rename(columns={"start": "age"})[["iso3", "year", "sex", "age", "population"]]
    extract.tables[spec.table] = (spec, rows)
    extract.checks[f"ages{width}"] = long
    return extract, present


def _groups(frame: pd.DataFrame, width: int, source: SourceFile, problems: list[Problem]) -> bool:
    """Every country and year has each age group once, labelled as WPP labels it."""
    starts = list(range(0, 101, width))
    expected = {s: ("100+" if s == 100 else (f"{s}-{s + 4}" if width == 5 else str(s))) for s in starts}
    label = frame["start"].map(lambda s: expected.get(s) if pd.notna(s) else None)
    wrong = label != frame["AgeGrp"].str.strip()
    if wrong.any():
        first = wrong.idxmax()
        problems.append(Problem(f"AgeGrp does not match AgeGrpStart{lines_text(frame.loc[wrong, '_line'])}",
                                file=source.name, line=int(frame.at[first, "_line"]), key="AgeGrp",
                                value=frame.at[first, "AgeGrp"],
                                hint=f"groups are {expected[0]}, {expected[width]}, … and 100+"))
        return False
    count = frame.groupby(["ISO3_code", "Time"])["start"].nunique()
    short = count[count != len(starts)]
    if not short.empty:
        (iso3, year), got = short.index[0], int(short.iloc[0])
        have = set(frame.loc[(frame["ISO3_code"] == iso3) & (frame["Time"] == year), "start"].astype(int))
        gone = [expected[s] for s in starts if s not in have]
        problems.append(Problem(f"{iso3} {year} has {got} age groups instead of {len(starts)}: missing "
                                f"{', '.join(gone[:5])}{' …' if len(gone) > 5 else ''}", file=source.name,
                                key="AgeGrp", hint="the file must hold every age group of every year imported"))
        return False
    return True


def cross_check(extracts: list[Extract], problems: list[Problem]) -> None:
    """Age groups must add up to the total by sex, and single ages to their five-year group,
    where the same import gives both."""
    july = [e for e in extracts if "july" in e.checks]
    for width in (5, 1):
        for ages in (e for e in extracts if f"ages{width}" in e.checks):
            long = ages.checks[f"ages{width}"]
            sums = long.groupby(["iso3", "year", "sex"])["thousands"].sum()
            for totals in july:
                table = totals.checks["july"].melt(id_vars=["iso3", "year", "_line"], var_name="sex",
                                                   value_name="total").set_index(["iso3", "year", "sex"])
                both = table.join(sums, how="inner")
                bad = both[~_close(both["thousands"].to_numpy(), both["total"].to_numpy())]
                if not bad.empty:
                    (iso3, year, sex), row = bad.index[0], bad.iloc[0]
                    column = "TPopulationMale1July" if sex == "male" else "TPopulationFemale1July"
                    problems.append(Problem(
                        f"the age groups of {ages.source.name} do not add up to the total: {iso3} {year} {sex} "
                        f"{row['thousands']:,.3f} thousand against {column} {row['total']:,.3f} "
                        f"({len(bad)} {'year and sex' if len(bad) == 1 else 'years and sexes'} differ)",
                        file=totals.source.name, line=int(row["_line"]), key=column, value=row["total"],
                        hint=f"the files must be of the same revision and variant; they must agree within "
                             f"{RELATIVE_TOLERANCE:.2%}"))
    for single in (e for e in extracts if "ages1" in e.checks):
        long = single.checks["ages1"]
        grouped = long.assign(group=np.minimum(long["start"] // 5 * 5, 100)).groupby(
            ["iso3", "year", "sex", "group"])["thousands"].sum()
        for age5 in (e for e in extracts if "ages5" in e.checks):
            groups = age5.checks["ages5"].set_index(["iso3", "year", "sex", "start"])
            groups.index = groups.index.set_names(["iso3", "year", "sex", "group"])
            both = groups.join(grouped.rename("singles"), how="inner")
            bad = both[~_close(both["singles"].to_numpy(), both["thousands"].to_numpy())]
            if not bad.empty:
                (iso3, year, sex, _group), row = bad.index[0], bad.iloc[0]
                problems.append(Problem(
                    f"the single ages of {single.source.name} do not add up to the five-year group: {iso3} {year} "
                    f"{sex} {row['age_group']} {row['singles']:,.3f} against {row['thousands']:,.3f} thousand",
                    file=age5.source.name, line=int(row["_line"]),
                    key="PopMale" if sex == "male" else "PopFemale", value=row["thousands"],
                    hint="the files must be of the same revision and variant"))
