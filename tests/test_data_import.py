"""`floors data import`: agency files, as downloaded, into the bundled tables and cards.

The files here are small copies of the agencies' layouts (UN WPP 2024 CSV, IMF WEO "By
countries" tab-separated, World Bank WDI API CSV) for Ecuador (bundled), Malawi (not
bundled) and a few rows the import must skip. **Every number in them is invented** (a
smooth model, plausible in size): they test the reading, never the data.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import math
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from floors.cli import main
from floors.inputs.tables import read_table
from floors.paths import display_path

from .conftest import REPO_ASSUMPTIONS

# --- the agencies' layouts, with invented numbers ------------------------------------------

WPP_IDENTITY = ["SortOrder", "LocID", "Notes", "ISO3_code", "ISO2_code", "SDMX_code", "LocTypeID", "LocTypeName",
                "ParentID", "Location", "VarID", "Variant", "Time"]
WPP_INDICATORS = [*WPP_IDENTITY, "TPopulation1Jan", "TPopulation1July", "TPopulationMale1July",
                  "TPopulationFemale1July", "PopDensity", "PopSexRatio", "MedianAgePop", "NatChange", "NatChangeRT",
                  "PopChange", "PopGrowthRate", "DoublingTime", "Births", "Births1519", "CBR", "TFR", "NRR", "MAC",
                  "SRB", "Deaths", "DeathsMale", "DeathsFemale", "CDR", "LEx", "LExMale", "LExFemale", "LE15",
                  "LE15Male", "LE15Female", "LE65", "LE65Male", "LE65Female", "LE80", "LE80Male", "LE80Female",
                  "InfantDeaths", "IMR", "LBsurvivingAge1", "Under5Deaths", "Q5", "Q0040", "Q0040Male",
                  "Q0040Female", "Q0060", "Q0060Male", "Q0060Female", "Q1550", "Q1550Male", "Q1550Female", "Q1560",
                  "Q1560Male", "Q1560Female", "NetMigrations", "CNMR"]
WPP_AGES = [*WPP_IDENTITY, "MidPeriod", "AgeGrp", "AgeGrpStart", "AgeGrpSpan", "PopMale", "PopFemale", "PopTotal"]

# iso3: (LocID, ISO2, name, thousands in mid-2024, growth a year, crude birth rate, SortOrder)
PLACES = {"ECU": (218, "EC", "Ecuador", 18135.0, 0.008, 14.8, 150),
          "MWI": (454, "MW", "Malawi", 21200.0, 0.025, 33.5, 52)}


def single_ages(iso3: str, year: int) -> dict[str, list[float]]:
    """Thousands by sex and single age 0–100+, 1 July (invented: an exponential age profile)."""
    _, _, _, base, growth, _, _ = PLACES[iso3]
    total = base * (1 + growth) ** (year - 2024)
    slope = 0.04 if iso3 == "MWI" else 0.02
    weights = [math.exp(-slope * a) for a in range(100)] + [0.0004]
    out = {}
    for sex, share, tilt in (("male", 0.494, 1.01), ("female", 0.506, 0.99)):
        profile = [w * tilt ** (a / 10) for a, w in enumerate(weights)]
        out[sex] = [round(total * share * p / sum(profile), 3) for p in profile]
    return out


def july(iso3: str, year: int) -> tuple[float, float]:
    ages = single_ages(iso3, year)
    return round(sum(ages["male"]), 3), round(sum(ages["female"]), 3)


def january(iso3: str, year: int) -> float:
    return round((sum(july(iso3, year - 1)) + sum(july(iso3, year))) / 2, 3)


def indicator_row(iso3: str, year: int) -> dict[str, str]:
    loc, iso2, name, _, _, cbr, order = PLACES[iso3]
    male, female = july(iso3, year)
    total = round(male + female, 3)
    births = round(total * cbr / 1000, 3)
    deaths = round(total * 5.2 / 1000, 3)
    row = {c: "" for c in WPP_INDICATORS}
    row.update(SortOrder=str(order), LocID=str(loc), ISO3_code=iso3, ISO2_code=iso2, SDMX_code=str(loc),
               LocTypeID="4", LocTypeName="Country/Area", ParentID="931", Location=name, VarID="2",
               Variant="Medium", Time=str(year), TPopulation1Jan=f"{january(iso3, year):.3f}",
               TPopulation1July=f"{total:.3f}", TPopulationMale1July=f"{male:.3f}",
               TPopulationFemale1July=f"{female:.3f}", PopDensity="70.123", PopSexRatio="97.6",
               MedianAgePop="28.1", NatChange=f"{births - deaths:.3f}", NatChangeRT="9.6",
               PopChange=f"{january(iso3, year + 1) - january(iso3, year):.3f}", PopGrowthRate="0.85",
               DoublingTime="", Births=f"{births:.3f}", Births1519="25.1", CBR=f"{1000 * births / total:.3f}",
               TFR="2.01", NRR="0.97", MAC="28.4", SRB="104.9", Deaths=f"{deaths:.3f}",
               DeathsMale=f"{deaths * 0.55:.3f}", DeathsFemale=f"{deaths * 0.45:.3f}",
               CDR=f"{1000 * deaths / total:.3f}", LEx="77.9", IMR="10.2", NetMigrations="-20.5", CNMR="-1.1")
    return row


def world_row(year: int) -> dict[str, str]:
    """An aggregate: no ISO3 code, counts far above any country's (the import skips it)."""
    row = {c: "" for c in WPP_INDICATORS}
    row.update(SortOrder="1", LocID="900", LocTypeID="1", LocTypeName="World", Location="World", VarID="2",
               Variant="Medium", Time=str(year), TPopulation1Jan="8091734.930", TPopulation1July="8161972.572",
               TPopulationMale1July="4093028.129", TPopulationFemale1July="4068944.443", Births="132000.000",
               CBR="16.2", SRB="105.0", Deaths="61000.000", CDR="7.5", CNMR="0.0", PopChange="70000.000")
    return row


Mutate = Callable[[dict[str, str]], dict[str, str] | None]


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]], mutate: Mutate | None = None,
              drop: tuple[str, ...] = ()) -> Path:
    out = io.StringIO()
    columns = [c for c in header if c not in drop]
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        row = mutate(dict(row)) if mutate else row
        if row is not None:
            writer.writerow([row[c] for c in columns])
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8", newline="")  # UTF-8 with a BOM, as the UN's
    return path


def wpp_indicators(folder: Path, mutate: Mutate | None = None, drop: tuple[str, ...] = ()) -> Path:
    rows = [world_row(y) for y in range(2021, 2053)]
    rows += [indicator_row(iso3, y) for iso3 in PLACES for y in range(2021, 2053)]
    return write_csv(folder / "WPP2024_Demographic_Indicators_Medium.csv", WPP_INDICATORS, rows, mutate, drop)


def age_rows(iso3: str, year: int, width: int) -> list[dict[str, str]]:
    loc, iso2, name, _, _, _, order = PLACES[iso3]
    ages = single_ages(iso3, year)
    rows = []
    for start in range(0, 101, width):
        stop = 101 if start == 100 else start + width
        male = round(sum(ages["male"][start:stop]), 3)
        female = round(sum(ages["female"][start:stop]), 3)
        label = "100+" if start == 100 else (f"{start}-{start + 4}" if width == 5 else str(start))
        rows.append({"SortOrder": str(order), "LocID": str(loc), "Notes": "", "ISO3_code": iso3, "ISO2_code": iso2,
                     "SDMX_code": str(loc), "LocTypeID": "4", "LocTypeName": "Country/Area", "ParentID": "931",
                     "Location": name, "VarID": "2", "Variant": "Medium", "Time": str(year),
                     "MidPeriod": f"{year}.5", "AgeGrp": label, "AgeGrpStart": str(start),
                     "AgeGrpSpan": "-1" if start == 100 else str(width), "PopMale": f"{male:.3f}",
                     "PopFemale": f"{female:.3f}", "PopTotal": f"{male + female:.3f}"})
    return rows


def wpp_age5(folder: Path, mutate: Mutate | None = None) -> Path:
    rows = [r for iso3 in PLACES for y in range(2022, 2052) for r in age_rows(iso3, y, 5)]
    return write_csv(folder / "WPP2024_PopulationByAge5GroupSex_Medium.csv", WPP_AGES, rows, mutate)


def wpp_single(folder: Path) -> list[Path]:
    """Two files, as the UN splits them: estimates to 2023, projections from 2024."""
    out = []
    for first, last, label in ((2019, 2023, "1950-2023"), (2024, 2051, "2024-2100")):
        rows = [r for iso3 in PLACES for y in range(first, last + 1) for r in age_rows(iso3, y, 1)]
        out.append(write_csv(folder / f"WPP2024_PopulationBySingleAgeSex_Medium_{label}.csv", WPP_AGES, rows))
    return out


WEO_YEARS = list(range(1980, 2031))
WEO_HEADER = ["WEO Country Code", "ISO", "WEO Subject Code", "Country", "Subject Descriptor", "Subject Notes",
              "Units", "Scale", "Country/Series-specific Notes", *map(str, WEO_YEARS), "Estimates Start After"]
WEO_NOTES = ("Source: National Statistics Office Latest actual data: {last} National accounts manual used: System "
             "of National Accounts (SNA) 2008 GDP valuation: Market prices Reporting in calendar year: Yes "
             "Start/end months of reporting year: January/December Base year: 2017 Chain-weighted: No")
# subject: descriptor, units, scale, value(iso3, year) or None for n/a
WEO_SUBJECTS = {
    "NGDP_RPCH": ("Gross domestic product, constant prices", "Percent change", "",
                  lambda c, y: 2.5 + (y % 3) / 10 if c == "ECU" else 3.5 - (y % 4) / 10),
    "NGDP": ("Gross domestic product, current prices", "National currency", "Billions",
             lambda c, y: 99.291 * 1.04 ** (y - 2015) if c == "ECU" else 3011.456 * 1.24 ** (y - 2015)),
    "NGDPD": ("Gross domestic product, current prices", "U.S. dollars", "Billions",
              lambda c, y: 99.291 * 1.04 ** (y - 2015) if c == "ECU" else 6.373 * 1.02 ** (y - 2015)),
    "NGDPDPC": ("Gross domestic product per capita, current prices", "U.S. dollars", "Units",
                lambda c, y: 6000.5),
    "NGDP_D": ("Gross domestic product, deflator", "Index", "",
               lambda c, y: 94.1 * 1.015 ** (y - 2015) if c == "ECU" else 60.2 * 1.2 ** (y - 2015)),
    "PCPI": ("Inflation, average consumer prices", "Index", "",
             lambda c, y: 100.5 * 1.015 ** (y - 2015) if c == "ECU" else 55.3 * 1.18 ** (y - 2015)),
    "PCPIPCH": ("Inflation, average consumer prices", "Percent change", "",
                lambda c, y: 1.5 if c == "ECU" else 18.0),
    "LUR": ("Unemployment rate", "Percent of total labor force", "",
            lambda c, y: 3.8 if c == "ECU" else None),
    "LP": ("Population", "Persons", "Millions",
           lambda c, y: 16.2 * 1.012 ** (y - 2015) if c == "ECU" else 17.1 * 1.026 ** (y - 2015)),
    "GGR_NGDP": ("General government revenue", "Percent of GDP", "",
                 lambda c, y: (36.1 if y <= 2024 else None) if c == "ECU" else 21.7),
    "GGX_NGDP": ("General government total expenditure", "Percent of GDP", "",
                 lambda c, y: (38.9 if y <= 2024 else None) if c == "ECU" else 27.4),
}
WEO_COUNTRIES = {"ECU": ("248", "Ecuador", 2024), "MWI": ("676", "Malawi", 2023), "CIV": ("662", "Côte d'Ivoire", 2024)}
WEO_FIRST_DATA = 2000


def weo_value(subject: str, iso3: str, year: int) -> str:
    if year < WEO_FIRST_DATA:
        return "n/a"
    value = WEO_SUBJECTS[subject][3]("ECU" if iso3 == "CIV" else iso3, year)
    return "n/a" if value is None else f"{value:,.3f}"


def weo_rows() -> list[dict[str, str]]:
    rows = []
    for iso3, (code, name, last) in WEO_COUNTRIES.items():
        for subject, (descriptor, units, scale, _) in WEO_SUBJECTS.items():
            row = {"WEO Country Code": code, "ISO": iso3, "WEO Subject Code": subject, "Country": name,
                   "Subject Descriptor": descriptor, "Subject Notes": "Values are based upon GDP in national "
                   "currency", "Units": units, "Scale": scale,
                   "Country/Series-specific Notes": WEO_NOTES.format(last=last) if subject == "NGDP" else "",
                   "Estimates Start After": str(last)}
            row.update({str(y): weo_value(subject, iso3, y) for y in WEO_YEARS})
            rows.append(row)
    return rows


def weo_file(folder: Path, mutate: Mutate | None = None) -> Path:
    """Tab-separated latin-1 text named .xls, with the IMF's closing line."""
    lines = ["\t".join(WEO_HEADER)]
    for row in weo_rows():
        row = mutate(dict(row)) if mutate else row
        if row is not None:
            lines.append("\t".join(row[c] for c in WEO_HEADER))
    lines += ["", "International Monetary Fund, World Economic Outlook Database, October 2025"]
    path = folder / "WEOOct2025all.xls"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    return path


WDI_YEARS = list(range(1960, 2025))
WDI_VALUES = {"ECU": {2019: "25", 2022: "25.2", 2023: "26.1"}, "MWI": {2010: "50.7", 2019: "50.7"},
              "KEN": {2021: "38.6"}}


def wdi_file(folder: Path, values: dict[str, dict[int, str]] | None = None, indicator: str = "SI.POV.NAHC") -> Path:
    values = WDI_VALUES if values is None else values
    names = {"ECU": "Ecuador", "MWI": "Malawi", "KEN": "Kenya"}
    lines = ['"Data Source","World Development Indicators",', "", '"Last Updated Date","2025-07-01",', "",
             ",".join(f'"{c}"' for c in ["Country Name", "Country Code", "Indicator Name", "Indicator Code",
                                          *map(str, WDI_YEARS)]) + ","]
    lines.append(",".join(f'"{c}"' for c in ["Africa Eastern and Southern", "AFE", "Poverty headcount ratio at "
                                              "national poverty lines (% of population)", indicator,
                                              *[""] * len(WDI_YEARS)]) + ",")
    for iso3, by_year in values.items():
        cells = [names.get(iso3, iso3), iso3, "Poverty headcount ratio at national poverty lines (% of population)",
                 indicator, *[by_year.get(y, "") for y in WDI_YEARS]]
        lines.append(",".join(f'"{c}"' for c in cells) + ",")
    path = folder / "API_SI.POV.NAHC_DS2_en_csv_v2_12345.csv"
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def downloads(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "downloads"
    folder.mkdir()
    single = wpp_single(folder)
    return {"indicators": wpp_indicators(folder), "age5": wpp_age5(folder), "single_a": single[0],
            "single_b": single[1], "weo": weo_file(folder), "wdi": wdi_file(folder)}


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run_import(runner, root: Path, files, *args: str):
    result = runner.invoke(main, ["data", "import", *map(str, files), "--assumptions", str(root), *args])
    assert "Traceback" not in result.output, result.output
    return result


NEW = ("--country", "ECU", "--country", "MWI", "--currency", "MWI=MWK")


@pytest.fixture
def imported(runner, tree_with_data: Path, downloads: dict[str, Path]) -> Path:
    before = snapshot(tree_with_data)
    result = run_import(runner, tree_with_data, downloads.values(), *NEW)
    assert result.exit_code == 0, result.output
    tree_with_data.joinpath(".before").mkdir()
    for name, content in before.items():  # kept for comparisons
        target = tree_with_data / ".before" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return tree_with_data


def table(root: Path, name: str) -> pd.DataFrame:
    frame, _ = read_table(root / "data", name)
    return frame


def source(downloads, key: str, **where) -> pd.DataFrame:
    frame = pd.read_csv(downloads[key], dtype={"ISO3_code": str}, encoding="utf-8-sig", keep_default_na=False)
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame


# --- what an import writes ----------------------------------------------------------------


def test_tables_hold_the_files_numbers_in_the_bundle_units(imported, downloads):
    births = table(imported, "births").set_index(["iso3", "year"])
    for iso3 in ("ECU", "MWI"):
        row = source(downloads, "indicators", ISO3_code=iso3, Time=2030).iloc[0]
        mine = births.loc[(iso3, 2030)]
        assert mine["births"] == round(row["Births"] * 1000)  # thousands → persons
        assert mine["deaths"] == round(row["Deaths"] * 1000)
        assert mine["pop_change"] == round(row["PopChange"] * 1000)
        assert mine["srb_male_per_female"] == pytest.approx(row["SRB"] / 100)  # per 100 → per female
        assert mine["cbr_per_1000"] == pytest.approx(row["CBR"])
        assert mine["net_migration_rate_per_1000"] == pytest.approx(row["CNMR"])
        assert mine["series"] == "projection_median" and births.loc[(iso3, 2023), "series"] == "estimate"
        assert pd.isna(mine["births_80l"])
    assert sorted(births.loc["MWI"].index) == list(range(2021, 2051))

    totals = table(imported, "population_total_sex").set_index(["iso3", "date"])
    mwi = totals.loc[("MWI", "2031-01-01")]
    assert mwi["pop_total"] == round(source(downloads, "indicators", ISO3_code="MWI", Time=2031)
                                     ["TPopulation1Jan"].iloc[0] * 1000)
    assert mwi["pop_male"] + mwi["pop_female"] == mwi["pop_total"]
    shares = [m / (m + f) for m, f in (july("MWI", 2030), july("MWI", 2031))]
    assert mwi["pop_male"] == round(mwi["pop_total"] * sum(shares) / 2)
    assert (min(totals.loc["MWI"].index), max(totals.loc["MWI"].index)) == ("2025-01-01", "2051-01-01")

    age5 = table(imported, "population_age5_sex").set_index(["iso3", "year", "sex", "age_group"])
    row = source(downloads, "age5", ISO3_code="ECU", Time=2040, AgeGrp="65-69").iloc[0]
    assert age5.loc[("ECU", 2040, "female", "65-69"), "population"] == round(row["PopFemale"] * 1000)
    assert age5.loc[("ECU", 2040, "male", "100+"), "age_start"] == 100
    assert len(age5.loc["MWI"]) == 29 * 2 * 21  # 2022–2050, two sexes, 21 groups

    single = table(imported, "population_single_age_sex").set_index(["iso3", "year", "sex", "age"])
    assert single.loc[("MWI", 2023, "male", 7), "population"] == round(single_ages("MWI", 2023)["male"][7] * 1000)
    assert single.loc[("MWI", 2045, "female", 100), "population"] == round(
        single_ages("MWI", 2045)["female"][100] * 1000)
    assert sorted(single.loc["MWI"].index.get_level_values("year").unique()) == list(range(2020, 2051))

    gdp = table(imported, "gdp").set_index(["iso3", "year"])
    assert gdp.loc[("MWI", 2027), "gdp_lcu"] == pytest.approx(float(weo_value("NGDP", "MWI", 2027)
                                                                     .replace(",", "")) * 1e9)
    assert gdp.loc[("MWI", 2027), "cpi_index"] == pytest.approx(float(weo_value("PCPI", "MWI", 2027)
                                                                      .replace(",", "")))
    assert gdp.loc[("MWI", 2023), "is_projection"] is False or not gdp.loc[("MWI", 2023), "is_projection"]
    assert gdp.loc[("MWI", 2024), "is_projection"] and gdp.loc[("MWI", 2024), "last_actual_year"] == 2023
    assert not gdp.loc[("MWI", 2024), "gdp_fiscal_year_basis"]
    assert gdp.loc[("MWI", 2030), "source_vintage"] == "IMF WEO October 2025"
    assert sorted(gdp.loc["MWI"].index) == list(range(2015, 2031))

    other = table(imported, "macro_other").set_index(["iso3", "year"])
    assert other.loc[("MWI", 2020), "population_weo"] == pytest.approx(float(weo_value("LP", "MWI", 2020)) * 1e6)
    assert pd.isna(other.loc[("MWI", 2020), "unemployment_rate_pct"])  # n/a in the WEO
    assert other.loc[("ECU", 2020), "unemployment_rate_pct"] == 3.8
    assert pd.isna(other.loc[("ECU", 2026), "gg_expenditure_pct_gdp"])

    wdi = table(imported, "poverty_headcount_national")
    assert wdi[wdi["iso3"] == "ECU"][["year", "poverty_headcount_national_pct"]].values.tolist() == [
        [2019, 25.0], [2022, 25.2], [2023, 26.1]]
    assert wdi[wdi["iso3"] == "MWI"]["year"].tolist() == [2010, 2019]


def test_other_countries_rows_are_kept_byte_for_byte(imported):
    changed = ["births", "population_total_sex", "population_age5_sex",
               "population_single_age_sex", "gdp", "macro_other", "poverty_headcount_national"]
    for name in changed:
        before = (imported / ".before" / "data" / f"{name}.csv").read_text().splitlines()
        after = (imported / "data" / f"{name}.csv").read_text().splitlines()
        assert after[0] == before[0]
        keep = [line for line in before[1:] if line.split(",")[0] not in ("ECU", "MWI")]
        assert [line for line in after[1:] if line.split(",")[0] not in ("ECU", "MWI")] == keep, name
        countries = [line.split(",")[0] for line in after[1:]]
        assert countries == sorted(countries), f"{name}: rows not ordered by country"
    # KEN is in the WDI file, but only ECU and MWI were asked for.
    wdi = table(imported, "poverty_headcount_national")
    assert wdi[wdi["iso3"] == "KEN"]["year"].tolist() == [2005, 2015, 2021]
    for name in ("health_expenditure", "poverty_lines_national", "poverty_lines_harmonized"):
        for suffix in (".csv", ".card.yaml"):
            assert (imported / "data" / f"{name}{suffix}").read_bytes() == \
                   (imported / ".before" / "data" / f"{name}{suffix}").read_bytes()


def test_cards_record_the_files_vintage_and_transformation(imported, downloads):
    for name in ("births", "population_total_sex", "population_age5_sex",
                 "population_single_age_sex", "gdp", "macro_other", "poverty_headcount_national"):
        frame, card = read_table(imported / "data", name)  # the same check floors makes on every read
        origins = card.retrieved_from if isinstance(card.retrieved_from, list) else [card.retrieved_from]
        mine = [o for o in origins if o.file]
        assert mine, name
        for origin in mine:
            path = next(p for p in downloads.values() if p.name == origin.file)
            assert origin.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
            assert origin.imported and origin.countries == ["ECU", "MWI"]
        assert "floors data import of ECU, MWI from" in card.transformations.splitlines()[-1]
        assert set(frame["iso3"]) >= {"ECU", "MWI", "KEN"}
    _, age5 = read_table(imported / "data", "population_age5_sex")
    assert age5.vintage == "WPP 2024"  # the same revision from two origins
    assert [o.vintage for o in age5.retrieved_from] == ["WPP 2024", "WPP 2024"]
    assert age5.retrieved_from[0].commit == "33717a3954eb204bbe3045fac19db275f81e5ad2"
    assert "KEN" in age5.retrieved_from[0].countries and "ECU" not in age5.retrieved_from[0].countries
    _, births = read_table(imported / "data", "births")
    assert births.vintage == "WPP 2024"  # the same vintage from two origins
    _, single = read_table(imported / "data", "population_single_age_sex")
    assert [o.file for o in single.retrieved_from if o.file] == [downloads["single_a"].name,
                                                                 downloads["single_b"].name]
    _, totals = read_table(imported / "data", "population_total_sex")
    assert not totals.columns["pop_total_80l"].required and "no interval" in totals.columns["pop_total_80l"].description
    assert "split by sex with an approximation" in totals.transformations
    assert "demography.interval_position" in totals.caveats
    _, gdp = read_table(imported / "data", "gdp")
    assert gdp.vintage == "IMF WEO October 2025"
    _, wdi = read_table(imported / "data", "poverty_headcount_national")
    assert wdi.vintage == "WDI July 2025 (last updated 2025-07-01) for ECU, MWI; WDI June 2025 for the other " \
                          "18 countries"


def test_inputs_name_each_countrys_own_vintage(imported):
    """A card with one origin per group of countries: each country's inputs (and the projections'
    sources) cite the origin its rows come from, not the card's list of vintages."""
    from floors.inputs import Bundle, load_country

    bundle = Bundle(imported)
    ecu, ken = load_country(bundle, "ECU"), load_country(bundle, "KEN")
    assert ecu.population_single_age.attrs["vintage"] == "WPP 2024"
    assert ken.population_single_age.attrs["vintage"] == "WPP 2019"
    assert "World Population Prospects 2024" in ecu.population_single_age.attrs["source"]
    assert ecu.poverty_headcount.attrs["vintage"] == "WDI July 2025 (last updated 2025-07-01)"
    assert ken.poverty_headcount.attrs["vintage"] == "WDI June 2025"


def test_an_imported_annual_age_structure_is_used_as_it_is(imported):
    """The WPP file has every year: the projections take each year's shares as imported (the
    interpolation between the bundled table's fifth years changes nothing), while a country
    left as bundled keeps five-year points and is interpolated."""
    import numpy as np

    from floors import dims
    from floors.inputs import Bundle, load_country
    from floors.projections import project_population
    from floors.projections.population import mid_year_totals

    groups = table(imported, "population_age5_sex")
    assert sorted(groups.loc[groups["iso3"] == "ECU", "year"].unique()) == list(range(2022, 2051))
    assert sorted(groups.loc[groups["iso3"] == "KEN", "year"].unique()) == [2015, 2020, *range(2025, 2051, 5)]
    ecu = load_country(Bundle(imported), "ECU")
    population = project_population(ecu.population_single_age, ecu.population_age5,
                                    mid_year_totals(ecu.population_january, ecu.births["pop_change"]), "ECU",
                                    np.array([2023, 2027]), census=None)
    for year in (2023, 2027):
        rows = groups[(groups["iso3"] == "ECU") & (groups["year"] == year) & (groups["sex"] == "female")]
        expected = rows.set_index("age_start")["population"] / rows["population"].sum()
        pop = population.sel(year=year, sex="female")
        modelled = pop.groupby((pop[dims.AGE] // 5) * 5).sum() / pop.sum()
        np.testing.assert_allclose(modelled.values, expected.sort_index().values, rtol=1e-12)


def test_a_new_country_is_added_and_validates(runner, imported):
    countries = (imported / "countries.yaml").read_text()
    assert countries.startswith((imported / ".before" / "countries.yaml").read_text())
    assert countries.endswith('MWI: {name: Malawi, m49: 454, currency: MWK, fiscal_year_gdp: false}\n')
    # WHO GHED is not imported: a row by hand, as the data README says, for the health benefit.
    with open(imported / "data" / "health_expenditure.csv", "a") as handle:
        handle.write("MWI,2022,45.1,7.9,13.2,29.3,11.5\n")
    result = runner.invoke(main, ["validate", "-c", "MWI", "--assumptions", str(imported)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: MWI, ") and "MWK" in result.output
    mid_2024 = sum(july("MWI", 2024)) / 1000  # millions, as WPP's 1 July (the projection averages 1 January)
    shown = float(result.output.split("population ")[1].split(" M")[0])
    assert shown == pytest.approx(mid_2024, rel=0.01)
    result = runner.invoke(main, ["validate", "-c", "ECU", "--to", "2050", "--assumptions", str(imported)])
    assert result.exit_code == 0, result.output
    # Data floors has only for the bundled countries: each gap a declared fallback, with a warning.
    run = runner.invoke(main, ["run", "-c", "MWI", "--format", "csv", "--assumptions", str(imported),
                               "--out", str(imported / "out")])
    assert run.exit_code == 0, run.output
    for fallback in ("the World's severe disability prevalence", "no statutory pensionable age",
                     "the unemployment benefit is left out", "no coverage ratio (SI_COV_PENSN)"):
        assert fallback in run.output, fallback


def test_a_new_country_goes_into_the_users_folder_and_only_there(runner, tmp_path, downloads, monkeypatch):
    """The way for a country floors has no data for: import its files into your folder, then init it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FLOORS_ASSUMPTIONS", raising=False)
    bundled = snapshot(REPO_ASSUMPTIONS / "data")
    result = run_import(runner, Path("study"), downloads.values(), *NEW)
    assert result.exit_code == 0, result.output
    study = tmp_path / "study"
    assert snapshot(REPO_ASSUMPTIONS / "data") == bundled
    assert "MWI: {name: Malawi" in (study / "countries.yaml").read_text()
    assert (study / "floors-folder.yaml").read_text().endswith("country: MWI\n")
    assert "wrote study/data/gdp.csv" in result.output
    # The user's table replaces the bundled one: the bundled countries' rows are copied into it unchanged.
    mine = (study / "data" / "gdp.csv").read_text().splitlines()
    assert [line for line in mine if line.startswith("KEN,")] == [
        line for line in (REPO_ASSUMPTIONS / "data" / "gdp.csv").read_text().splitlines() if line.startswith("KEN,")]
    with open(study / "data" / "health_expenditure.csv", "w") as handle:  # not imported: by hand, as documented
        handle.write((REPO_ASSUMPTIONS / "data" / "health_expenditure.csv").read_text() + "MWI,2022,45.1,7.9,13.2,"
                     "29.3,11.5\n")
    import shutil
    shutil.copy(REPO_ASSUMPTIONS / "data" / "health_expenditure.card.yaml", study / "data")
    init = runner.invoke(main, ["init", "MWI", "--in", "study"])
    assert init.exit_code == 0, init.output
    monkeypatch.chdir(study)
    result = runner.invoke(main, ["validate"])  # the folder's country, MWI
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: MWI, ")


def test_the_summary_says_what_was_written(runner, tree_with_data, downloads):
    result = run_import(runner, tree_with_data, [downloads["wdi"], downloads["weo"]], *NEW,
                        "--fiscal-year-gdp", "MWI=no")
    # MWI needs a WPP file for its name and M49 code: nothing is written.
    assert result.exit_code == 2, result.output
    assert "MWI is not a bundled country yet" in result.output and "import a WPP file" in result.output
    result = run_import(runner, tree_with_data, [downloads["wdi"], downloads["weo"]], "-c", "ECU")
    assert result.exit_code == 0, result.output
    assert "gdp.csv (and its card), from WEOOct2025all.xls:" in result.output
    assert "  ECU: replace 16 rows by 16 rows, 2015–2030" in result.output
    assert "  ECU: replace 17 rows by 3 rows, 2019, 2022–2023" in result.output
    assert f"wrote {display_path(tree_with_data / 'data' / 'gdp.csv')}" in result.output


def test_dry_run_reports_and_writes_nothing(runner, tree_with_data, downloads):
    before = snapshot(tree_with_data)
    result = run_import(runner, tree_with_data, downloads.values(), *NEW, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("dry run: nothing written")
    assert "MWI: add 30 rows, 2021–2050" in result.output  # births
    assert "ECU: replace 36 rows by 30 rows, 2021–2050" in result.output
    assert "countries.yaml: add MWI (Malawi, M49 454, MWK, calendar-year GDP)" in result.output
    assert "note: MWI still has no rows in health_expenditure: floors validate -c MWI needs them" in result.output
    assert "note: MWI has no rows in labour_market (the unemployment benefit is left out" in result.output
    assert snapshot(tree_with_data) == before


def test_default_countries_are_the_bundled_ones_in_the_file(runner, tree_with_data):
    """A WDI file with every bundled country replaces the whole table: the card has one origin again."""
    folder = tree_with_data.parent / "downloads"
    folder.mkdir()
    bundled = re.findall(r"^([A-Z]{3}):", (REPO_ASSUMPTIONS / "countries.yaml").read_text(), flags=re.M)
    path = wdi_file(folder, {iso3: {2020: "30.5", 2023: "29"} for iso3 in [*bundled, "MWI"]})
    result = run_import(runner, tree_with_data, [path])
    assert result.exit_code == 0, result.output
    frame, card = read_table(tree_with_data / "data", "poverty_headcount_national")
    assert sorted(set(frame["iso3"])) == sorted(bundled)  # MWI is in the file but not bundled: left out
    assert len(frame) == 2 * len(bundled)
    assert not isinstance(card.retrieved_from, list) and card.retrieved_from.file == path.name
    assert card.vintage == "WDI July 2025 (last updated 2025-07-01)"


def test_importing_again_keeps_one_origin_per_file(runner, tree_with_data, downloads):
    for country in ("ECU", "KEN", "ECU"):
        result = run_import(runner, tree_with_data, [downloads["wdi"]], "-c", country)
        assert result.exit_code == 0, result.output
    _, card = read_table(tree_with_data / "data", "poverty_headcount_national")
    assert [(o.file, o.countries) for o in card.retrieved_from] == [
        (None, [c for c in card.retrieved_from[0].countries if c not in ("ECU", "KEN")]),
        (downloads["wdi"].name, ["ECU", "KEN"])]
    assert len(card.transformations.splitlines()) == 3  # one line per import (the original card had none)


def test_a_country_whose_weo_stops_early_needs_allow_short_weo(runner, tree_with_data, tmp_path):
    def short(row):
        if row["ISO"] == "ECU":
            row.update({str(y): "n/a" for y in range(2026, 2031)})
        return row

    path = weo_file(tmp_path, short)
    result = run_import(runner, tree_with_data, [path], "-c", "ECU")
    assert result.exit_code == 2
    assert "ECU NGDP has no value for 2026–2030: floors needs 2015–2030" in result.output
    assert "--allow-short-weo" in result.output
    result = run_import(runner, tree_with_data, [path], "-c", "ECU", "--allow-short-weo")
    assert result.exit_code == 0, result.output
    assert table(tree_with_data, "gdp").query("iso3 == 'ECU'")["year"].max() == 2025


def test_compressed_and_utf16_files_as_downloaded(runner, tree_with_data, downloads, tmp_path):
    """The UN serves .csv.gz; the IMF has saved its 'xls' as UTF-16 text without a byte-order mark."""
    packed = tmp_path / (downloads["indicators"].name + ".gz")
    packed.write_bytes(gzip.compress(downloads["indicators"].read_bytes()))
    weo = tmp_path / "WEOApr2025all.xls"
    weo.write_bytes(downloads["weo"].read_bytes().decode("latin-1").replace("October", "April").encode("utf-16-le"))
    result = run_import(runner, tree_with_data, [packed, weo], "-c", "ECU")
    assert result.exit_code == 0, result.output
    _, card = read_table(tree_with_data / "data", "births")
    mine = card.retrieved_from[-1]
    assert mine.file == packed.name and mine.sha256 == hashlib.sha256(packed.read_bytes()).hexdigest()
    gdp = table(tree_with_data, "gdp").set_index(["iso3", "year"])
    assert gdp.loc[("ECU", 2020), "gdp_lcu"] == pytest.approx(float(weo_value("NGDP", "ECU", 2020)) * 1e9)
    assert gdp.loc[("ECU", 2020), "source_vintage"] == "IMF WEO April 2025"


def test_a_latin1_weo_whose_first_accent_is_far_down(runner, tree_with_data, tmp_path):
    """The real file has 'Côte d'Ivoire' well past the first 64 KB that the encoding is guessed from."""
    def long_notes(row):
        return {**row, "Subject Notes": row["Subject Notes"] * 200} if row["ISO"] != "CIV" else row

    path = weo_file(tmp_path, long_notes)
    assert path.read_bytes().index("Côte".encode("latin-1")) > 65_536
    result = run_import(runner, tree_with_data, [path], "-c", "ECU")
    assert result.exit_code == 0, result.output


# --- malformed agency files: exit 2, a clear message, every file unchanged -------------------


def _set(column: str, value: str, iso3: str = "MWI", year: str = "2030", **match):
    def mutate(row):
        if row.get("ISO3_code", row.get("ISO")) == iso3 and row.get("Time", year) == year and all(
                row.get(k) == v for k, v in match.items()):
            row[column] = value
        return row
    return mutate


def _shift_group(row):
    if row["ISO3_code"] == "ECU" and row["Time"] == "2035" and row["AgeGrp"] == "40-44":
        row["PopMale"] = f"{float(row['PopMale']) + 30:.3f}"
        row["PopTotal"] = f"{float(row['PopTotal']) + 30:.3f}"
    return row


def _persons(row):
    if row["ISO3_code"] in PLACES:
        for column in ("TPopulation1Jan", "TPopulation1July", "TPopulationMale1July", "TPopulationFemale1July",
                       "Births", "Deaths", "PopChange"):
            row[column] = f"{float(row[column]) * 1000:.0f}"
    return row


def _weo_cell(row):
    if row["ISO"] == "MWI" and row["WEO Subject Code"] == "PCPI":
        row["2021"] = "1.2.3"
    return row


def _other_file(folder: Path) -> Path:
    path = folder / "notes.csv"
    path.write_text("a,b,c\n1,2,3\n")
    return path


# case: (the files, from a folder of good ones and one for the broken one; options; what the message says)
CASES = {
    "unrecognised format": (
        lambda good, bad: [wpp_indicators(good), _other_file(bad)], NEW,
        ["notes.csv:1", "unrecognised format", "(value: 'a,b,c')",
         "known formats: UN WPP Demographic Indicators", "IMF WEO", "World Bank WDI"]),
    "missing column": (
        lambda good, bad: [wpp_indicators(bad, drop=("Births", "SRB"))], NEW,
        ["WPP2024_Demographic_Indicators_Medium.csv:1 › Births", "required columns missing: Births, SRB"]),
    "country not in the file": (
        lambda good, bad: [wdi_file(good), weo_file(good)], ("-c", "ECU", "-c", "PER"),
        ["WEOOct2025all.xls › ISO", "country PER not found in the file",
         "API_SI.POV.NAHC_DS2_en_csv_v2_12345.csv › Country Code"]),
    "missing years": (
        lambda good, bad: [wpp_indicators(bad, lambda r: None if r["Time"] == "2051" else r)], NEW,
        ["WPP2024_Demographic_Indicators_Medium.csv › MWI",
         "MWI: population_total_sex needs the 1 January dates 2025–2051; the file lacks 2051",
         "WPP files must cover 2022–2050"]),
    "non-numeric cell": (
        lambda good, bad: [weo_file(bad, _weo_cell)], NEW,
        ["WEOOct2025all.xls:", "› 2021:", "MWI PCPI 2021 is not a number (value: '1.2.3')"]),
    "negative count": (
        lambda good, bad: [wpp_age5(bad, _set("PopFemale", "-1.000", AgeGrp="20-24"))], NEW,
        ["WPP2024_PopulationByAge5GroupSex_Medium.csv:", "› PopFemale", "column 'PopFemale' holds a negative count",
         "(value: '-1.000')"]),
    "wrong scale": (
        lambda good, bad: [weo_file(bad, _millions)], NEW,
        ["WEOOct2025all.xls:", "› Scale", "MWI NGDP: Scale is 'Millions', floors expects 'Billions'"]),
    "not in thousands": (
        lambda good, bad: [wpp_indicators(bad, _persons)], NEW,
        ["WPP2024_Demographic_Indicators_Medium.csv:", "› TPopulation1July", "the population is not in thousands"]),
    "sex ratio per female": (
        lambda good, bad: [wpp_indicators(bad, _set("SRB", "1.049"))], NEW,
        ["› SRB", "SRB is not males per 100 female births", "(value: '1.049')"]),
    "male + female is not the total": (
        lambda good, bad: [wpp_indicators(bad, _set("TPopulationMale1July", "99.000"))], NEW,
        ["WPP2024_Demographic_Indicators_Medium.csv:", "› TPopulation1July",
         "TPopulationMale1July + TPopulationFemale1July differs from TPopulation1July"]),
    "age groups are not the total": (
        lambda good, bad: [wpp_indicators(good), wpp_age5(bad, _shift_group)], NEW,
        ["WPP2024_Demographic_Indicators_Medium.csv:", "› TPopulationMale1July", "the age groups of",
         "WPP2024_PopulationByAge5GroupSex_Medium.csv do not add up to the total: ECU 2035 male"]),
    "another WDI indicator": (
        lambda good, bad: [wdi_file(bad, indicator="SI.POV.GINI")], NEW,
        ["API_SI.POV.NAHC_DS2_en_csv_v2_12345.csv:", "indicator SI.POV.GINI is not one floors bundles"]),
}


def _millions(row):
    if row["WEO Subject Code"] == "NGDP" and row["ISO"] == "MWI":
        row["Scale"] = "Millions"
    return row


@pytest.mark.parametrize("case", CASES)
def test_a_malformed_file_changes_nothing(runner, tree_with_data, tmp_path, case):
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    make, args, fragments = CASES[case]
    before = snapshot(tree_with_data)
    result = run_import(runner, tree_with_data, make(good, bad), *args)
    assert result.exit_code == 2, result.output
    for fragment in fragments:
        assert fragment in result.output, f"{fragment!r} not in:\n{result.output}"
    assert snapshot(tree_with_data) == before
