"""Refresh the bundled tables from the agencies' files, as downloaded (`floors data import`).

`plan_import` reads every file, recognises its format from its header, checks it, and
builds the new tables, cards and country list: the rows of the countries imported are
replaced, every other country's rows are kept byte for byte. Every problem in every file
is gathered and raised at once in an `InputError`; nothing is written then.
`ImportPlan.write` writes every changed file together (`write_all_atomically`).

Formats: `wpp` (UN World Population Prospects CSV), `weo` (IMF World Economic Outlook,
"By countries"), `wdi` (World Bank WDI API CSV). See assumptions/data/README.md.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from floors.assumptions.location import Folders, assumption_folders
from floors.inputs.bundle import Bundle, Country
from floors.inputs.importers import wdi, weo, wpp
from floors.inputs.importers.common import (
    CountryInfo,
    Extract,
    ImportPlan,
    SourceFile,
    TableChange,
    check_against_card,
    countries_yaml_with,
    csv_header,
    merged_csv,
    per_country,
    span,
    updated_card,
)
from floors.problems import InputError, Problem, did_you_mean, display_path

__all__ = ["FORMATS", "ImportPlan", "plan_import"]

FORMATS = [wpp.FORMATS["indicators"], wpp.FORMATS["ages"], weo.FORMAT, wdi.FORMAT]
COUNTRY_COLUMN = {"indicators": "ISO3_code", "ages": "ISO3_code", "weo": "ISO", "wdi": "Country Code"}


def _detect(source: SourceFile) -> str | None:
    first = source.head[0].lstrip("\ufeff") if source.head else ""
    if "\t" in first and weo.detect([c.strip() for c in csv_header(first, "\t")]):
        return "weo"
    if wdi.detect(source.head):
        return "wdi"
    return wpp.detect(csv_header(first))


def _read(kind: str, source: SourceFile, wanted: set[str], problems: list[Problem],
          allow_short_weo: bool) -> tuple[Extract, set[str]] | None:
    if kind == "indicators":
        return wpp.read_indicators(source, wanted, problems)
    if kind == "ages":
        return wpp.read_ages(source, wanted, problems)
    if kind == "weo":
        return weo.read(source, wanted, problems, allow_short=allow_short_weo)
    return wdi.read(source, wanted, problems)


def _yes_no(text: str) -> bool:
    value = {"yes": True, "true": True, "no": False, "false": False}.get(text.lower())
    if value is None:
        raise ValueError(f"{text!r} is not yes or no")
    return value


def _currency(text: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise ValueError(f"{text!r} is not an ISO 4217 code (three capital letters, e.g. MWK)")
    return text


def plan_import(files: list[Path], root: Folders | Path, countries: list[str] | tuple[str, ...] = (),
                currency: list[str] | tuple[str, ...] = (), fiscal_year_gdp: list[str] | tuple[str, ...] = (),
                allow_short_weo: bool = False, today: date | None = None) -> ImportPlan:
    """Read and check ``files``; the tables, cards and country list they would make.

    ``root``: the assumption folders read (`Folders`, or a folder as ``--assumptions`` takes
    it). The plan writes into the user's folder when there is one (each table it changes,
    whole: the bundled rows of the other countries are copied with it), else into the
    complete tree named.

    ``countries``: ISO3 codes to import (each must be in every file); by default the
    bundled countries found in each file. A country not yet bundled needs a WPP file in
    the same import (its name and M49 code), its ``currency`` (``ISO3=CODE``) and, unless
    the WEO notes say it, whether its GDP is on fiscal years (``fiscal_year_gdp``,
    ``ISO3=yes|no``). Raises `InputError` with every problem found.
    """
    problems: list[Problem] = []
    folders = root if isinstance(root, Folders) else assumption_folders(root)
    target = folders.user or folders.base
    bundled = Bundle(folders).countries
    explicit = list(dict.fromkeys(c.strip().upper() for arg in countries for c in str(arg).split(",") if c.strip()))
    for iso3 in explicit:
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            problems.append(Problem(f"{iso3!r} is not an ISO 3166 alpha-3 code", key="--country", value=iso3))
    wanted = set(explicit) or set(bundled)

    extracts: list[Extract] = []
    seen: dict[str, str] = {}
    for path in files:
        source = SourceFile.open(Path(path), problems)
        if source is None:
            continue
        if source.sha256 in seen:
            problems.append(Problem(f"the same file as {seen[source.sha256]}", file=source.name,
                                    hint="give each file once"))
            continue
        seen[source.sha256] = source.name
        kind = _detect(source)
        if kind is None:
            first = source.head[0].lstrip("\ufeff")[:120] if source.head else ""
            problems.append(Problem("unrecognised format: the first line is not the header of a file floors "
                                    "imports", file=source.name, line=1, value=first,
                                    hint="known formats: " + "; ".join(FORMATS)))
            continue
        result = _read(kind, source, wanted, problems, allow_short_weo)
        if result is None:
            continue
        extract, present = result
        if explicit:
            for iso3 in explicit:
                if iso3 not in present:
                    close = did_you_mean(iso3, present)
                    problems.append(Problem(f"country {iso3} not found in the file", file=source.name,
                                            key=COUNTRY_COLUMN[kind], value=iso3,
                                            hint=close or "check the code (ISO 3166 alpha-3) or leave it out "
                                                          "of --country"))
        elif not wanted & present:
            problems.append(Problem("none of the bundled countries is in the file", file=source.name,
                                    key=COUNTRY_COLUMN[kind],
                                    hint="name the countries to import with --country ISO3"))
        extracts.append(extract)
    wpp.cross_check(extracts, problems)

    info = _country_info(extracts)
    imported = sorted({iso3 for e in extracts for _spec, frame in e.tables.values() for iso3 in frame["iso3"]})
    new = _new_countries(imported, bundled, info, currency, fiscal_year_gdp, display_path(folders.countries_file),
                         problems)
    fiscal: dict[str, bool | None] = {iso3: c.fiscal_year_gdp for iso3, c in bundled.items()}
    fiscal.update({iso3: i.fiscal_year_gdp for iso3, i in info.items() if i.fiscal_year_gdp is not None})
    fiscal.update({iso3: c.fiscal_year_gdp for iso3, c in new.items()})
    fiscal.update(per_country(fiscal_year_gdp, "--fiscal-year-gdp", imported, _yes_no, []))

    changes = _changes(folders, extracts, fiscal, (today or date.today()).isoformat(), problems)
    countries_text = None
    if new:
        path = folders.countries_file
        countries_text = countries_yaml_with(path.read_text(encoding="utf-8"), new, path, problems)
    if problems:
        raise InputError(problems)
    return ImportPlan(root=target, tables=changes, new_countries=new, countries_text=countries_text,
                      without_rows=_without_rows(folders, new, changes))


def _country_info(extracts: list[Extract]) -> dict[str, CountryInfo]:
    out: dict[str, CountryInfo] = {}
    for extract in extracts:
        for iso3, found in extract.countries.items():
            known = out.setdefault(iso3, CountryInfo())
            known.name = known.name or found.name
            known.m49 = known.m49 if known.m49 is not None else found.m49
            known.fiscal_year_gdp = known.fiscal_year_gdp if known.fiscal_year_gdp is not None \
                else found.fiscal_year_gdp
    return out


def _new_countries(imported: list[str], bundled: dict[str, Country], info: dict[str, CountryInfo],
                   currency: list[str] | tuple[str, ...], fiscal_year_gdp: list[str] | tuple[str, ...],
                   countries_file: str, problems: list[Problem]) -> dict[str, Country]:
    fresh = [iso3 for iso3 in imported if iso3 not in bundled]
    currencies = per_country(currency, "--currency", fresh, _currency, problems)
    fiscal = per_country(fiscal_year_gdp, "--fiscal-year-gdp", imported, _yes_no, problems)
    for iso3 in currencies:
        if iso3 in bundled:
            problems.append(Problem(f"--currency is for a country not yet bundled; {iso3} is bundled (currency "
                                    f"{bundled[iso3].currency})", key="--currency", value=iso3,
                                    hint="edit assumptions/countries.yaml to change a bundled country's entry"))
    new = {}
    for iso3 in fresh:
        known = info.get(iso3, CountryInfo())
        missing = []
        if known.name is None or known.m49 is None:
            missing.append("its name and M49 code: import a WPP file for it in the same command (columns "
                           "Location and LocID)")
        if iso3 not in currencies:
            missing.append(f"its currency: --currency {iso3}=CODE (ISO 4217, e.g. MWK for Malawi)")
        flag = fiscal.get(iso3, known.fiscal_year_gdp)
        if flag is None:
            missing.append(f"whether its GDP is on fiscal years: the WEO notes do not say (or no WEO file is "
                           f"imported); --fiscal-year-gdp {iso3}=yes|no")
        if missing or known.name is None or known.m49 is None or flag is None:
            problems.append(Problem(f"{iso3} is not a bundled country yet; floors adds it to countries.yaml, "
                                    f"which needs {'; '.join(missing)}", file=countries_file, key=iso3))
            continue
        new[iso3] = Country(name=known.name, m49=known.m49, currency=currencies[iso3], fiscal_year_gdp=flag)
    return new


def _changes(folders: Folders, extracts: list[Extract], fiscal: dict[str, bool | None], today: str,
             problems: list[Problem]) -> list[TableChange]:
    by_table: dict[str, list[tuple[Extract, pd.DataFrame]]] = {}
    specs = {}
    for extract in extracts:
        for table, (spec, frame) in extract.tables.items():
            if not frame.empty:
                by_table.setdefault(table, []).append((extract, frame))
                specs[table] = spec
    changes = []
    for table, parts in by_table.items():
        spec = specs[table]
        names = ", ".join(e.source.name for e, _ in parts)
        frame = pd.concat([f for _, f in parts], ignore_index=True)
        key = [c for c in frame.columns if c in ("iso3", "year", "date", "sex", "age", "age_group")]
        repeated = frame.duplicated(subset=key, keep=False)
        if repeated.any():
            row = frame[repeated].iloc[0]
            example = ", ".join(str(row[k]) for k in key)
            problems.append(Problem(f"two files give the same {table} rows (e.g. {example})",
                                    file=names, hint="give each year once: the files must not overlap"))
            continue
        if not _spans_complete(spec, frame, names, problems):
            continue
        if "gdp_fiscal_year_basis" in frame:
            frame["gdp_fiscal_year_basis"] = frame["iso3"].map(fiscal)
            unknown = frame["gdp_fiscal_year_basis"].isna()
            if unknown.any():  # a new country without an entry: already a problem in _new_countries
                continue
        csv_path = folders.data_file(f"{table}.csv")
        card_path = folders.data_file(f"{table}.card.yaml")
        if not csv_path.is_file() or not card_path.is_file():
            problems.append(Problem("the table or its card is missing", file=display_path(csv_path),
                                    hint="restore the assumptions/data folder (git checkout -- assumptions/data)"))
            continue
        existing = csv_path.read_text(encoding="utf-8")
        header = csv_header(existing.split("\n", 1)[0])
        imported = sorted(set(frame["iso3"]))
        new = frame.reindex(columns=header, fill_value="").astype(str)
        text, removed = merged_csv(existing, new, set(imported))
        before = sorted({line.split(",", 1)[0] for line in existing.splitlines()[1:] if line})
        after = sorted(set(before) | set(imported))
        card = updated_card(card_path.read_text(encoding="utf-8"), spec, [e for e, _ in parts], imported, before,
                            after, today)
        problems.extend(check_against_card(table, text, card, csv_path))
        years = spec.years(frame)
        added = {iso3: (int((frame["iso3"] == iso3).sum()), span(years[frame["iso3"] == iso3].unique()))
                 for iso3 in imported}
        changes.append(TableChange(table=table, csv_text=text, card_text=card, removed=removed, added=added,
                                   sources=[e.source.path.name for e, _ in parts]))
    return changes


def _spans_complete(spec, frame: pd.DataFrame, names: str, problems: list[Problem]) -> bool:
    """Every country imported has every year the projections need (spec.required)."""
    if spec.required is None:
        return True
    first, last = spec.required
    years = spec.years(frame)
    complete = True
    for iso3 in sorted(set(frame["iso3"])):
        have = set(years[frame["iso3"] == iso3])
        gone = [y for y in range(first, last + 1) if y not in have]
        if gone:
            complete = False
            what = "1 January dates" if spec.year_column == "date" else "years"
            problems.append(Problem(
                f"{iso3}: {spec.table} needs the {what} {first}–{last}; the file{'s' if ',' in names else ''} "
                f"lack{'' if ',' in names else 's'} {span(gone)}", file=names, key=iso3, value=span(gone),
                hint=_span_rule(spec)))
    return complete


def _span_rule(spec) -> str:
    if spec.table.startswith(("births", "population")):
        return ("WPP files must cover 2022–2050, the years the projections can run (the Demographic Indicators "
                "2022–2051: the 1 January population of 2051 closes mid-2050); a WPP single-age download comes "
                "in two files (…_1950-2023.csv and …_2024-2100.csv): give both")
    return (f"the WEO must cover {weo.FIRST_YEAR}–{weo.LAST_YEAR}; --allow-short-weo accepts a country whose "
            "WEO projections stop earlier")


def _without_rows(folders: Folders, new: dict[str, Country], changes: list[TableChange]) -> dict[str, list[str]]:
    """A new country → the country tables that still have no row for it, each named with what floors does
    without it (from the card's ``if_missing``) or as needed."""
    if not new:
        return {}
    written = {c.table: c.csv_text for c in changes}
    out: dict[str, list[str]] = {}
    for path in map(folders.data_file, sorted({p.name for d in folders.data_dirs() for p in d.glob("*.csv")})):
        text = written.get(path.stem) or path.read_text(encoding="utf-8")
        if not text.startswith("iso3,"):  # not a table of countries (e.g. WHO's regional prevalence)
            continue
        present = {line.split(",", 1)[0] for line in text.splitlines()}
        if_missing = _if_missing(path)
        for iso3 in new:
            if iso3 not in present:
                out.setdefault(iso3, []).append(f"{path.stem} ({if_missing})" if if_missing else path.stem)
    return out


def _if_missing(csv_path: Path) -> str | None:
    card = csv_path.with_suffix(".card.yaml")
    if not card.is_file():
        return None
    from ruamel.yaml import YAML

    return (YAML(typ="safe").load(card.read_text(encoding="utf-8")) or {}).get("if_missing")
