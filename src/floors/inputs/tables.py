"""Read the bundled tidy CSV tables, each checked against the card (YAML) beside it.

A card says where a table comes from (source, vintage, licence) and what it must hold:
its key columns and, for every column, a type, a unit and bounds. A table that breaks
its card gives one `Problem` per kind of fault, naming the file, column and rows.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pydantic
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from floors.assumptions import yaml_io
from floors.assumptions.yaml_io import read_yaml
from floors.io.cache import cached, code_digest, content_key
from floors.paths import bundled_assumptions
from floors.problems import InputError, Problem, display_path

ISO3 = r"[A-Z]{3}"  # the codes of countries.yaml (ISO 3166 alpha-3)


class ColumnSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["str", "int", "float", "bool"]
    unit: str | None = None
    description: str | None = None
    required: bool = True
    min: float | None = None
    max: float | None = None
    greater_than: float | None = None  # an exclusive minimum: a GDP, price index or poverty line of 0 is an error
    max_change: float | None = None  # the largest factor between consecutive rows of a country (a unit slip is ×1000)
    choices: list[str] | None = None


class RetrievedFrom(BaseModel):
    """Where rows come from: a commit of a repository that redistributes the data
    (``repository``, ``commit``, ``path``), or a file as downloaded from its publisher and
    read by ``floors data import`` (``file``, ``sha256``, ``imported``, the date). A table
    whose countries come from different origins lists one per origin, each naming its
    ``countries``, ``vintage`` and ``dataset``."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    repository: str | None = None
    commit: str | None = None
    path: str | None = None
    file: str | None = None
    sha256: str | None = None
    imported: str | None = None
    url: str | None = None
    vintage: str | None = None
    dataset: str | None = None
    countries: list[str] | None = None

    @field_validator("imported", mode="before")
    @classmethod
    def _date_as_text(cls, value: object) -> object:
        return value.isoformat() if isinstance(value, date) else value

    @model_validator(mode="after")
    def _one_origin(self) -> RetrievedFrom:
        if not (all((self.repository, self.commit, self.path)) or all((self.file, self.sha256, self.imported))):
            raise ValueError("give either repository, commit and path, or file, sha256 and imported")
        return self


class Card(BaseModel):
    # A vintage or date written as a bare number (2022) is read as text.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    title: str
    publisher: str
    dataset: str
    vintage: str
    licence: str
    retrieved_from: RetrievedFrom | list[RetrievedFrom]
    transformations: str | None = None
    caveats: str | None = None
    use_in_floors: str | None = None
    # What floors does for a country without rows (e.g. one added by `floors data import`); None: it needs rows.
    if_missing: str | None = None
    key: list[str]
    columns: dict[str, ColumnSpec]
    # Key columns whose every combination each country has (a year column without gaps, at the
    # country's step: every year, or every fifth year in a table of five-year points).
    complete: list[str] | None = None
    # Columns that must equal the sum of others (to 0.1 %), e.g. pop_total: [pop_male, pop_female].
    totals: dict[str, list[str]] | None = None
    all_countries: bool = False  # every country of countries.yaml has rows

    def origin(self, iso3: str | None = None) -> RetrievedFrom | None:
        """The origin ``iso3``'s rows come from, where the card lists one per group of countries
        (after `floors data import`); None otherwise."""
        if iso3 is None or not isinstance(self.retrieved_from, list):
            return None
        return next((o for o in self.retrieved_from if o.countries and iso3 in o.countries), None)

    def vintage_of(self, iso3: str | None = None) -> str:
        """The vintage of ``iso3``'s rows: its origin's, else the card's."""
        origin = self.origin(iso3)
        return origin.vintage if origin is not None and origin.vintage else self.vintage

    def cite(self, iso3: str | None = None) -> str:
        """Publisher, dataset and vintage; those of ``iso3``'s own origin where the card names one."""
        origin = self.origin(iso3)
        dataset = origin.dataset if origin is not None and origin.dataset else self.dataset
        return f"{self.publisher}, {dataset} ({self.vintage_of(iso3)})"


def _rows(mask: pd.Series, limit: int = 5) -> str:
    """CSV line numbers (header = line 1) of the first rows where ``mask`` holds."""
    lines = [str(i + 2) for i in mask[mask].index[:limit]]
    more = int(mask.sum()) - len(lines)
    return ", ".join(lines) + (f" and {more} more" if more > 0 else "")


def _check_frame(frame: pd.DataFrame, card: Card, name: str, problems: list[Problem]) -> pd.DataFrame:
    missing = [c for c in card.columns if c not in frame.columns]
    for column in missing:
        problems.append(
            Problem(f"column {column!r} is missing", file=name, key=column,
                    hint=f"the card requires the columns {list(card.columns)}")
        )
    if missing:
        return frame
    frame = frame[list(card.columns)].copy()
    for column, spec in card.columns.items():
        raw = frame[column]
        empty = raw.isna() | (raw.astype(str).str.strip() == "")
        if spec.type in ("int", "float"):
            values = pd.to_numeric(raw, errors="coerce")
            text = values.isna() & ~empty
            if text.any():
                problems.append(
                    Problem(f"column {column!r} holds text where numbers belong (rows {_rows(text)})",
                            file=name, key=column, value=raw[text].iloc[0],
                            hint="write plain numbers with a dot for decimals and no thousands separators")
                )
            infinite = values.isin([np.inf, -np.inf])
            if infinite.any():
                problems.append(Problem(f"column {column!r} holds infinite numbers (rows {_rows(infinite)})",
                                        file=name, key=column, value=raw[infinite].iloc[0],
                                        hint="write a finite number (an empty cell where the card allows it)"))
                values = values.where(~infinite)
            if spec.greater_than is not None and (values <= spec.greater_than).any():
                bad = values <= spec.greater_than
                problems.append(Problem(f"column {column!r} must be above {spec.greater_than:g} (rows {_rows(bad)})",
                                        file=name, key=column, value=values[bad].iloc[0],
                                        hint=f"a {column} of {spec.greater_than:g} or less cannot be right: check the "
                                             f"row against the source"))
            if spec.type == "int":
                fractional = values.notna() & (values % 1 != 0)
                if fractional.any():
                    problems.append(Problem(f"column {column!r} must hold whole numbers (rows {_rows(fractional)})",
                                            file=name, key=column, value=values[fractional].iloc[0]))
            for bound, bad in (("minimum", spec.min is not None and values < spec.min),
                               ("maximum", spec.max is not None and values > spec.max)):
                if isinstance(bad, pd.Series) and bad.any():
                    limit = spec.min if bound == "minimum" else spec.max
                    problems.append(
                        Problem(f"column {column!r} has values beyond the {bound} {limit:g} {spec.unit or ''}"
                                f" (rows {_rows(bad)})".replace("  ", " "),
                                file=name, key=column, value=values[bad].iloc[0],
                                hint="check the unit: percentages as 0–100 where the card says percent")
                    )
            frame[column] = values
        elif spec.type == "bool":
            mapped = raw.astype(str).str.strip().str.lower().map({"true": True, "false": False})
            bad = mapped.isna() & ~empty
            if bad.any():
                problems.append(Problem(f"column {column!r} must hold True or False (rows {_rows(bad)})",
                                        file=name, key=column, value=raw[bad].iloc[0]))
            frame[column] = mapped
        else:
            frame[column] = raw.where(~empty, None)
            # A code in lower case or with a space is another key: the row pasted as 'ecu ' would stand beside
            # ECU's, unread, instead of being reported as the repeat it is.
            miscoded = ~raw.str.fullmatch(ISO3) & ~empty if column == "iso3" else None
            if miscoded is not None and miscoded.any():
                problems.append(Problem(f"column 'iso3' holds values that are not ISO 3166 alpha-3 codes "
                                        f"(rows {_rows(miscoded)})", file=name, key=column,
                                        value=raw[miscoded].iloc[0],
                                        hint="write each country's code as three capital letters, without spaces "
                                             "(ECU)"))
            if spec.choices:
                bad = ~raw.isin(spec.choices) & ~empty
                if bad.any():
                    problems.append(Problem(f"column {column!r} holds values other than {spec.choices} "
                                            f"(rows {_rows(bad)})", file=name, key=column, value=raw[bad].iloc[0]))
        if spec.required and empty.any():
            problems.append(
                Problem(f"column {column!r} has empty or NaN cells (rows {_rows(empty)})", file=name, key=column,
                        hint="fill every cell of a required column; the card marks optional ones 'required: false'")
            )
    duplicated = frame.duplicated(subset=card.key, keep=False)
    if duplicated.any():
        problems.append(
            Problem(f"rows repeat the key {card.key} (rows {_rows(duplicated)})", file=name,
                    hint="each combination of the key columns may appear once; delete the repeated rows")
        )
    if not problems:  # rules across rows, on clean values only
        problems += _totals(frame, card, name) + _jumps(frame, card, name) + _gaps(frame, card, name)
    return frame


def _totals(frame: pd.DataFrame, card: Card, name: str) -> list[Problem]:
    out = []
    for total, parts in (card.totals or {}).items():
        expected = frame[parts].sum(axis=1)
        bad = (frame[total] - expected).abs() > 0.001 * expected.abs() + 1
        if bad.any():
            out.append(Problem(f"column {total!r} is not the sum of {parts} (rows {_rows(bad)})", file=name,
                               key=total, value=frame[total][bad].iloc[0],
                               hint=f"{total} = {' + '.join(parts)}: check the figures and their units in these rows"))
    return out


def _jumps(frame: pd.DataFrame, card: Card, name: str) -> list[Problem]:
    """Values that change by more than the card's ``max_change`` factor from one row of a country to the next."""
    out = []
    ordered = frame.sort_values(card.key)
    for column, spec in card.columns.items():
        if spec.max_change is None or "iso3" not in frame:
            continue
        value, previous = ordered[column], ordered.groupby("iso3")[column].shift()
        ratio = value / previous
        bad = ((value > 0) & (previous > 0) & ((ratio > spec.max_change) | (ratio < 1 / spec.max_change))).sort_index()
        if bad.any():
            out.append(Problem(f"column {column!r} changes by more than a factor {spec.max_change:g} from the row "
                               f"before (rows {_rows(bad)})", file=name, key=column, value=frame[column][bad].iloc[0],
                               hint=f"check the unit ({spec.unit}): a value in thousands or millions, or a fraction "
                                    f"where a percentage belongs, among the others"))
    return out


def _year_step(years: pd.Series) -> int:
    """The step of a country's years: 1 for annual rows, 5 for rows every fifth year (2015, 2020, …).
    It is the greatest common divisor of the gaps, so one missing year among annual rows (a gap
    of 2 among gaps of 1) still counts as missing."""
    gaps = np.diff(np.unique(years.astype(int)))
    return int(np.gcd.reduce(gaps)) if len(gaps) else 1


def _gaps(frame: pd.DataFrame, card: Card, name: str) -> list[Problem]:
    """Rows missing from each country's grid of the ``complete`` columns (years run without gaps,
    at the country's own step)."""
    if not card.complete or "iso3" not in frame:
        return []
    columns = card.complete
    levels = {c: sorted(frame[c].unique()) for c in columns}
    missing: list[str] = []
    for iso3, group in frame.groupby("iso3"):
        axes = [range(int(group[c].min()), int(group[c].max()) + 1, _year_step(group[c])) if c == "year"
                else levels[c] for c in columns]
        expected = pd.MultiIndex.from_product(axes, names=columns)
        gone = expected.difference(pd.MultiIndex.from_frame(group[columns]))
        missing += [f"{iso3} " + ", ".join(f"{c}={v}" for c, v in zip(columns, combo, strict=True)) for combo in gone]
    if not missing:
        return []
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    return [Problem(f"rows are missing: none for {'; '.join(missing[:5])}{more}", file=name,
                    hint=f"each country needs a row for every {' × '.join(columns)}, years without gaps (every "
                         f"year, or every fifth in a table of five-year points): restore the "
                         f"rows from the source")]


def _read_and_check(csv_path: Path) -> tuple[pd.DataFrame | None, Card | None, tuple[Problem, ...]]:
    problems: list[Problem] = []
    card_path = csv_path.with_suffix(".card.yaml")
    name = display_path(csv_path)
    if not csv_path.is_file():
        problems.append(Problem("data file not found", file=name,
                                hint="restore it from version control (git checkout -- <file>)"))
        return None, None, tuple(problems)
    doc = read_yaml(card_path, problems)
    card = None
    if doc is not None:
        try:
            card = Card.model_validate(doc.data)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(Problem(f"card: {err['msg']}", file=doc.name,
                                        key=".".join(map(str, err["loc"]))))
    if card is None:
        return None, None, tuple(problems)
    problems += _unit_problems(card, card_path, doc.name if doc is not None else name)
    try:  # utf-8-sig: a CSV saved by Excel starts with a byte-order mark, which is not part of the first column's name
        frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        repeated = _repeated_headers(csv_path)
    except UnicodeDecodeError:
        problems.append(Problem("file is not UTF-8", file=name, hint="save the CSV as UTF-8"))
        return None, card, tuple(problems)
    except pd.errors.EmptyDataError:
        problems.append(Problem("file is empty", file=name, hint="a data table needs a header row and data rows"))
        return None, card, tuple(problems)
    except pd.errors.ParserError as exc:
        problems.append(Problem(f"malformed CSV: {exc}".strip(), file=name,
                                hint="every row must have as many comma-separated cells as the header"))
        return None, card, tuple(problems)
    if repeated:  # pandas would read the second as 'name.1' and the first alone would be used
        problems += [Problem(f"the column {column!r} appears {count} times in the header", file=name, key=column,
                             hint="keep one column of that name: which one holds the data the card describes?")
                     for column, count in repeated.items()]
        return None, card, tuple(problems)
    if frame.empty:
        problems.append(Problem("file has a header but no rows", file=name,
                                hint="restore the rows from the source (or from version control)"))
        return None, card, tuple(problems)
    frame = frame.replace({"NaN": "", "nan": "", "NA": ""})
    frame = _check_frame(frame, card, name, problems)
    return (None if problems else frame), card, tuple(problems)


def _unit_problems(card: Card, card_path: Path, name: str) -> list[Problem]:
    """A column whose card names another unit than the bundled card of the same table: floors reads every
    column in the bundled card's unit, so a table in thousands or millions would be read as if in units."""
    reference = _bundled_card(card_path.name)
    if reference is None or card_path.resolve() == (bundled_assumptions() / "data" / card_path.name).resolve():
        return []
    return [Problem(f"the card gives {column!r} in {spec.unit!r}, but floors reads it in {expected.unit!r}",
                    file=name, key=f"columns.{column}.unit", value=spec.unit,
                    hint=f"convert the column to {expected.unit} (e.g. multiply thousands by 1,000) and write "
                         f"unit: {expected.unit} on the card")
            for column, spec in card.columns.items()
            if (expected := reference.columns.get(column)) is not None and expected.unit and spec.unit != expected.unit]


@lru_cache(maxsize=32)
def _bundled_card(card_name: str) -> Card | None:
    """The card floors ships for a table, which says the unit it reads each column in (None for another table)."""
    path = bundled_assumptions() / "data" / card_name
    doc = read_yaml(path, []) if path.is_file() else None
    try:
        return Card.model_validate(doc.data) if doc is not None else None
    except ValidationError:
        return None


def _repeated_headers(csv_path: Path) -> dict[str, int]:
    """Column names that appear more than once in the header row, and how often."""
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    return {column: count for column, count in Counter(c.strip() for c in header).items() if count > 1}


def read_table(data_dir: Path, table: str) -> tuple[pd.DataFrame, Card]:
    """Read and check ``data_dir/table.csv``; raise `InputError` listing every problem."""
    path = (data_dir / f"{table}.csv").resolve()
    frame, card, problems = _read_checked(path)
    if problems or frame is None or card is None:
        raise InputError(list(problems))
    return frame.copy(), card


def _read_checked(csv_path: Path) -> tuple[pd.DataFrame | None, Card | None, tuple[Problem, ...]]:
    """`_read_and_check`, or the frame and card these very bytes gave before (`floors.io.cache`): only
    a table that passed every check is kept, keyed by the CSV's and card's content and by this code."""
    card_path = csv_path.with_suffix(".card.yaml")
    if not (csv_path.is_file() and card_path.is_file()):
        return _read_and_check(csv_path)  # the problem of a missing file, found afresh each time

    def read() -> tuple[tuple[pd.DataFrame | None, Card | None, tuple[Problem, ...]], bool]:
        result = _read_and_check(csv_path)
        return result, not result[2]

    # The bundled card of the same table is an input too: a user's card is checked against its units.
    bundled_card = bundled_assumptions() / "data" / card_path.name
    reference = bundled_card.read_bytes() if bundled_card.is_file() else b""
    key = content_key(_checking_code(), csv_path.read_bytes(), card_path.read_bytes(), reference)
    return cached("tables", key, read, extra_versions=f"pandas {pd.__version__} pydantic {pydantic.VERSION}",
                  entries_kept=64)  # a few versions of each bundled table (the largest pickle is about 3 MB)


def _checking_code() -> str:
    """The digest of the code that reads and checks a table (this package and the YAML reader)."""
    return code_digest(*sorted(str(p) for p in Path(__file__).parent.glob("*.py")), yaml_io.__file__)


def check_tables(data_dir: Path) -> list[Problem]:
    """Every problem of every table in ``data_dir`` (each CSV against its card), for ``floors validate``."""
    problems: list[Problem] = []
    names = {path.name.removesuffix(".card.yaml") for path in data_dir.glob("*.card.yaml")}
    for table in sorted(names | {path.stem for path in data_dir.glob("*.csv")}):
        try:
            read_table(data_dir, table)
        except InputError as exc:
            problems += exc.problems
    return problems
