"""What every agency format shares: reading a downloaded file, cell checks, and turning the
rows read into the bundle's tables, cards and country list.

An agency module (`wpp`, `weo`, `wdi`) reads one file into an `Extract`: for each bundled
table it feeds, the new rows (as the text to write, in the table's columns and units), and
what it learnt about each country. `floors.inputs.importers.plan_import` gathers the
extracts, checks them together and builds the `ImportPlan` written here.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from floors.assumptions.yaml_io import parse_yaml_text
from floors.inputs.bundle import Country
from floors.inputs.tables import read_table
from floors.io.files import write_all_atomically
from floors.problems import InputError, Problem, display_path

HEAD_BYTES = 65_536

T = TypeVar("T")


# --- the downloaded file ------------------------------------------------------------------


@dataclass
class SourceFile:
    """A file as downloaded from an agency (plain or gzip-compressed)."""

    path: Path
    sha256: str
    encoding: str
    head: list[str]  # the first lines, decoded, without line ends

    @property
    def name(self) -> str:
        return display_path(self.path)

    @classmethod
    def open(cls, path: Path, problems: list[Problem]) -> SourceFile | None:
        name = display_path(path)
        if not path.is_file():
            problems.append(Problem("file not found", file=name, hint="check the path and the file name"))
            return None
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        try:
            with _binary(path) as handle:
                raw = handle.read(HEAD_BYTES)
        except (OSError, EOFError) as exc:
            problems.append(Problem(f"cannot read the file: {exc}", file=name,
                                    hint="download it again; a .gz file must be a complete gzip archive"))
            return None
        if raw[:4] == b"PK\x03\x04" and path.suffix.lower() in (".xlsx", ".xlsm"):
            problems.append(Problem("the file is an Excel workbook: floors reads the agencies' text files", file=name,
                                    hint="for the IMF WEO, download the tab-separated 'By countries' file "
                                         "(WEOOct2025all.xls); for WPP and the World Bank, the CSV files"))
            return None
        if raw[:4] == b"PK\x03\x04":
            problems.append(Problem("the file is a zip archive", file=name,
                                    hint="unzip it and give the data file inside (for the World Bank, "
                                         "API_SI.POV.NAHC_DS2_en_csv_v2_*.csv, not the Metadata_ files)"))
            return None
        encoding = _encoding(raw)
        text = raw.decode(encoding, errors="replace")
        lines = text.splitlines()
        if len(raw) == HEAD_BYTES and lines:
            lines = lines[:-1]  # the last line may be cut short
        return cls(path=path, sha256=digest.hexdigest(), encoding=encoding, head=lines)

    def text(self) -> io.TextIOBase:
        """The whole file as text (a stream: the WPP files are large)."""
        return io.TextIOWrapper(_binary(self.path), encoding=self.encoding, newline="")

    def read_text(self) -> str:
        """The whole file as one text; a file taken for UTF-8 from its first 64 KB that is not
        (the IMF's latin-1, with its first accent far down) is read as latin-1."""
        with _binary(self.path) as handle:
            raw = handle.read()
        try:
            return raw.decode(self.encoding)
        except UnicodeDecodeError:
            if self.encoding != "utf-8-sig":
                raise
            return raw.decode("latin-1")


def _binary(path: Path):
    with open(path, "rb") as handle:
        compressed = handle.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if compressed else open(path, "rb")


def _encoding(raw: bytes) -> str:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    if len(raw) > 1 and raw[1] == 0 and raw[0] != 0:  # the IMF has saved WEO files as UTF-16 without a mark
        return "utf-16-le"
    if len(raw) > 1 and raw[0] == 0 and raw[1] != 0:
        return "utf-16-be"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - 4:  # not merely a character cut at the end of the sample
            return "latin-1"
    return "utf-8-sig"


def csv_header(line: str, delimiter: str = ",") -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def read_rows(source: SourceFile, columns: list[str], country_column: str, wanted: set[str],
              problems: list[Problem], skip: int = 0) -> tuple[pd.DataFrame, set[str]] | None:
    """The rows of ``wanted`` countries (``columns`` as text, ``_line`` the file's line number),
    and every country code in the file. Read in chunks: a WPP file has millions of rows."""
    kept, present = [], set()
    try:
        with source.text() as handle:
            for _ in range(skip):
                handle.readline()
            reader = pd.read_csv(handle, dtype=str, keep_default_na=False, usecols=columns, chunksize=200_000)
            for chunk in reader:
                codes = chunk[country_column].str.strip()
                present.update(codes.unique())
                chunk = chunk[codes.isin(wanted)].copy()
                chunk["_line"] = chunk.index + 2 + skip
                kept.append(chunk)
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
        problems.append(Problem(f"malformed CSV: {str(exc).strip()}", file=source.name,
                                hint="download the file again; every row must have as many cells as the header"))
        return None
    frame = pd.concat(kept) if kept else pd.DataFrame(columns=[*columns, "_line"])
    present.discard("")
    return frame.reset_index(drop=True), present


# --- cells -------------------------------------------------------------------------------


def lines_text(lines: pd.Series | list[int], limit: int = 5) -> str:
    """' (lines 12, 15 and 3 more)' where a fault repeats; nothing for one line (the place names it)."""
    lines = [int(x) for x in lines]
    if len(lines) < 2:
        return ""
    more = len(lines) - limit
    return f" (lines {', '.join(map(str, lines[:limit]))}{f' and {more} more' if more > 0 else ''})"


def numbers(frame: pd.DataFrame, column: str, source: SourceFile, problems: list[Problem]) -> pd.Series:
    """A text column as numbers; a cell that is not a plain number is a problem, an empty
    cell is NaN (see `require_values`)."""
    raw = frame[column].astype(str).str.strip()
    values = pd.to_numeric(raw, errors="coerce")
    text = values.isna() & (raw != "")
    if text.any():
        first = text.idxmax()
        problems.append(Problem(
            f"column {column!r} holds text where a number belongs{lines_text(frame.loc[text, '_line'])}",
            file=source.name, line=int(frame.at[first, "_line"]), key=column, value=raw[first],
            hint="the file may be damaged or edited: download it again"))
    return values


def require_values(frame: pd.DataFrame, column: str, what: str, source: SourceFile,
                   problems: list[Problem]) -> None:
    """An empty cell in a column floors needs is a problem (text cells are reported by `numbers`)."""
    empty = frame[column].astype(str).str.strip() == ""
    if empty.any():
        first = empty.idxmax()
        problems.append(Problem(
            f"column {column!r} is empty for {what}{lines_text(frame.loc[empty, '_line'])}",
            file=source.name, line=int(frame.at[first, "_line"]), key=column, value="",
            hint="floors needs a value in every year it imports; download the complete file again"))


def not_negative(frame: pd.DataFrame, values: pd.Series, column: str, source: SourceFile,
                 problems: list[Problem]) -> None:
    bad = values < 0
    if bad.any():
        first = bad.idxmax()
        problems.append(Problem(f"column {column!r} holds a negative count{lines_text(frame.loc[bad, '_line'])}",
                                file=source.name, line=int(frame.at[first, "_line"]), key=column,
                                value=frame.at[first, column], hint="a count of people or money cannot be negative"))


def missing_columns(header: list[str], required: list[str], source: SourceFile, fmt: str,
                    problems: list[Problem]) -> bool:
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(Problem(f"required column{'s' if len(missing) > 1 else ''} missing: {', '.join(missing)}",
                                file=source.name, line=1 if fmt != "wdi" else None, key=missing[0],
                                hint=f"a {fmt} file as downloaded has the columns {', '.join(required)}; "
                                     "download it again without removing columns"))
    return bool(missing)


def fmt_number(value: float) -> str:
    """A number as floors' tables write it: whole numbers without decimals, others as Python prints them."""
    if np.isnan(value):
        return ""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def span(years) -> str:
    years = sorted(int(y) for y in years)
    if not years:
        return "no years"
    runs, start = [], years[0]
    for previous, year in zip(years, [*years[1:], None], strict=True):
        if year != previous + 1:
            runs.append(f"{start}" if start == previous else f"{start}–{previous}")
            start = year
    return ", ".join(runs)


# --- what an agency module hands back ------------------------------------------------------


@dataclass
class TableSpec:
    """How one agency file feeds one bundled table: its card's texts, and the years required."""

    table: str
    year_column: str  # the column the years are read from ('date' is YYYY-01-01)
    required: tuple[int, int] | None  # every year in this span must be present for each country
    title: Callable[[str], str]  # the title for a vintage
    generic_title: str  # the title when countries come from different vintages
    dataset: Callable[[str], str]
    transformation: str
    optional_columns: dict[str, str] = field(default_factory=dict)  # column → its description once optional
    caveat: str | None = None

    def years(self, frame: pd.DataFrame) -> pd.Series:
        return frame[self.year_column].astype(str).str.slice(0, 4).astype(int)


@dataclass
class CountryInfo:
    name: str | None = None
    m49: int | None = None
    fiscal_year_gdp: bool | None = None


@dataclass
class Extract:
    """What one agency file gives: rows for bundled tables, and facts about each country."""

    source: SourceFile
    format: str
    vintage: str
    url: str
    tables: dict[str, tuple[TableSpec, pd.DataFrame]] = field(default_factory=dict)
    countries: dict[str, CountryInfo] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)  # for checks across files (frames, by name)


# --- the plan: new tables, cards and countries ---------------------------------------------


@dataclass
class TableChange:
    table: str
    csv_text: str
    card_text: str
    removed: dict[str, int]  # rows replaced, by country
    added: dict[str, tuple[int, str]]  # rows written and their years, by country
    sources: list[str]


@dataclass
class ImportPlan:
    root: Path
    tables: list[TableChange]
    new_countries: dict[str, Country]
    countries_text: str | None
    without_rows: dict[str, list[str]]  # a new country → bundled tables that still have no row for it
    extra_files: dict[Path, str] = field(default_factory=dict)  # written with the tables (a new folder's marker)

    def files(self) -> dict[Path, str]:
        out = dict(self.extra_files)
        for change in self.tables:
            out[self.root / "data" / f"{change.table}.csv"] = change.csv_text
            out[self.root / "data" / f"{change.table}.card.yaml"] = change.card_text
        if self.countries_text is not None:
            out[self.root / "countries.yaml"] = self.countries_text
        return out

    def summary(self) -> list[str]:
        lines = []
        for change in self.tables:
            lines.append(f"{change.table}.csv (and its card), from {', '.join(change.sources)}:")
            for iso3, (rows, years) in sorted(change.added.items()):
                before = change.removed.get(iso3, 0)
                verb = f"replace {before} rows by {rows} rows" if before else f"add {rows} rows"
                lines.append(f"  {iso3}: {verb}, {years}")
        for iso3, country in self.new_countries.items():
            lines.append(f"countries.yaml: add {iso3} ({country.name}, M49 {country.m49}, {country.currency}, "
                         f"{'fiscal' if country.fiscal_year_gdp else 'calendar'}-year GDP)")
        for iso3, tables in self.without_rows.items():
            needed = [t for t in tables if "(" not in t]
            optional = [t for t in tables if "(" in t]
            if needed:
                lines.append(f"note: {iso3} still has no rows in {', '.join(needed)}: floors validate -c {iso3} "
                             "needs them (add them by hand, see assumptions/data/README.md)")
            if optional:
                lines.append(f"note: {iso3} has no rows in {'; '.join(optional)}")
        return lines

    def write(self) -> list[Path]:
        files = self.files()
        write_all_atomically({path: _text_writer(text) for path, text in files.items()})
        return list(files)


def _text_writer(text: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8", newline="\n")

    return write


def merged_csv(existing: str, new: pd.DataFrame, countries: set[str]) -> tuple[str, dict[str, int]]:
    """The table's CSV text with the rows of ``countries`` replaced by ``new``: the other
    countries' lines are kept byte for byte, and the rows stay ordered by country."""
    header, *lines = existing.splitlines()
    removed: dict[str, int] = {}
    kept = []
    for line in lines:
        iso3 = line.split(",", 1)[0]
        if iso3 in countries:
            removed[iso3] = removed.get(iso3, 0) + 1
        elif line:
            kept.append((iso3, line))
    columns = next(csv.reader([header]))
    text = new[columns].to_csv(index=False, header=False, lineterminator="\n")
    added = [(line.split(",", 1)[0], line) for line in text.splitlines()]
    rows = sorted(kept + added, key=lambda pair: pair[0])  # stable: each country's rows keep their order
    return "\n".join([header, *(line for _, line in rows)]) + "\n", removed


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _grouped(pairs: list[tuple[str, list[str]]]) -> str:
    """'A for X, Y; B for the other 17 countries' from (text, countries) pairs."""
    groups: dict[str, list[str]] = {}
    for text, countries in pairs:
        groups.setdefault(text, []).extend(countries)
    if len(groups) == 1:
        return next(iter(groups))
    largest = max(groups, key=lambda text: len(groups[text]))
    parts = [f"{text} for {', '.join(sorted(cs))}" for text, cs in groups.items() if text != largest]
    rest = len(groups[largest])
    parts.append(f"{largest} for the other {rest} {'country' if rest == 1 else 'countries'}")
    return "; ".join(parts)


def updated_card(card_text: str, spec: TableSpec, extracts: list[Extract], imported: list[str],
                 before: list[str], after: list[str], today: str) -> str:
    """The card with the import recorded: its origins (one per file, naming the countries each
    supplies), vintage, dataset and title, a line in transformations, and any column the
    imported rows leave empty made optional with a note."""
    yaml = _yaml()
    card = yaml.load(card_text)
    old = card["retrieved_from"]
    if isinstance(old, list):
        origins = [dict(o) for o in old]
    else:
        origin = dict(old)
        origin.setdefault("vintage", str(card["vintage"]))
        origin.setdefault("dataset", str(card["dataset"]))
        origins = [origin]
    claimed = {c for o in origins for c in o.get("countries") or []}
    for origin in origins:
        if not origin.get("countries"):  # the original extraction: every country no other origin names
            origin["countries"] = sorted(set(before) - claimed)
        origin["countries"] = [c for c in origin["countries"] if c not in imported and c in after]
    origins = [o for o in origins if o["countries"]]
    for extract in extracts:
        origins.append({"file": extract.source.path.name, "sha256": extract.source.sha256, "imported": today,
                        "url": extract.url, "vintage": extract.vintage, "dataset": spec.dataset(extract.vintage),
                        "countries": sorted(imported)})
    merged: list[dict] = []  # the same file imported again (other countries, same day): one origin
    for origin in origins:
        rest = {k: v for k, v in origin.items() if k != "countries"}
        same = next((m for m in merged if {k: v for k, v in m.items() if k != "countries"} == rest), None)
        if same is None:
            merged.append(origin)
        else:
            same["countries"] = sorted({*same["countries"], *origin["countries"]})
    origins = merged
    vintages = [(o["vintage"], o["countries"]) for o in origins]
    if len(origins) == 1:
        only = {k: v for k, v in origins[0].items() if k not in ("countries", "vintage", "dataset")}
        card["retrieved_from"] = only
    else:
        for origin in origins:
            origin["countries"] = _flow(origin["countries"])
        card["retrieved_from"] = origins
    card["vintage"] = _grouped(vintages)
    card["dataset"] = _grouped([(o["dataset"], list(o["countries"])) for o in origins])
    single_vintage = len({v for v, _ in vintages}) == 1
    card["title"] = spec.title(vintages[0][0]) if single_vintage else spec.generic_title
    files = ", ".join(f"{e.source.path.name} (sha256 {e.source.sha256[:12]}…)" for e in extracts)
    line = f"{today} floors data import of {', '.join(sorted(imported))} from {files}: {spec.transformation}"
    previous = str(card.get("transformations") or "").rstrip()
    card["transformations"] = LiteralScalarString(f"{previous}\n{line}" if previous else line)
    for column, description in spec.optional_columns.items():
        card["columns"][column]["required"] = False
        card["columns"][column]["description"] = description
    if spec.caveat and spec.caveat not in str(card.get("caveats") or ""):
        previous = str(card.get("caveats") or "").strip()
        card["caveats"] = f"{previous} {spec.caveat}".strip()
    out = io.StringIO()
    yaml.dump(card, out)
    return out.getvalue()


def check_against_card(table: str, csv_text: str, card_text: str, destination: Path) -> list[Problem]:
    """Check the table that would be written with the same code floors reads tables with."""
    with tempfile.TemporaryDirectory(prefix="floors-import-") as folder:
        Path(folder, f"{table}.csv").write_text(csv_text, encoding="utf-8", newline="\n")
        Path(folder, f"{table}.card.yaml").write_text(card_text, encoding="utf-8", newline="\n")
        try:
            read_table(Path(folder), table)
        except InputError as exc:
            name = f"{display_path(destination)} (as the import would write it)"
            return [replace(p, file=name) for p in exc.problems]
    return []


def countries_yaml_with(text: str, new: dict[str, Country], path: Path, problems: list[Problem]) -> str:
    """countries.yaml with a line added for each new country, checked like floors reads it."""
    lines = [text.rstrip("\n")]
    for iso3, country in new.items():
        name = country.name if re.fullmatch(r"[\w .()'-]+", country.name) and country.name[0].isalpha() \
            else json.dumps(country.name, ensure_ascii=False)
        lines.append(f"{iso3}: {{name: {name}, m49: {country.m49}, "
                     f"currency: {country.currency}, fiscal_year_gdp: {str(country.fiscal_year_gdp).lower()}}}")
    out = "\n".join(lines) + "\n"
    doc = parse_yaml_text(out, path, problems)
    if doc is not None:
        for iso3 in new:
            try:
                Country.model_validate(doc.data[iso3])
            except Exception as exc:  # pydantic's ValidationError, or a missing entry
                problems.append(Problem(f"the entry written for {iso3} would be invalid: {exc}",
                                        file=display_path(path), key=iso3))
    return out


ISO3 = re.compile(r"[A-Z]{3}")


def per_country(options: tuple[str, ...] | list[str], name: str, countries: list[str],
                parse: Callable[[str], T], problems: list[Problem]) -> dict[str, T]:
    """Options given as ISO3=VALUE, or as a bare VALUE when one country is imported."""
    out: dict[str, T] = {}
    for option in options:
        iso3, _, value = option.rpartition("=")
        iso3 = iso3.strip().upper()
        if not iso3:
            if len(countries) != 1:
                problems.append(Problem(f"{name} {option!r} does not say which country it is for", key=name,
                                        value=option, hint=f"write {name} ISO3={option} (e.g. MWI={option})"))
                continue
            iso3 = countries[0]
        try:
            out[iso3] = parse(value.strip())
        except ValueError as exc:
            problems.append(Problem(f"{name}: {exc}", key=name, value=option))
    return out
