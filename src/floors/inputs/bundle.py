"""The bundled data of one assumptions folder: the country list and each table's series.

`Bundle.table` reads one table (checked against its card) as a frame; `floors.inputs.series`
turns each kind of input into labelled arrays, and `floors.inputs.country` gathers a country's.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from floors.assumptions.location import Folders, assumption_folders
from floors.assumptions.yaml_io import read_yaml
from floors.inputs.tables import Card, read_table
from floors.problems import InputError, Problem, did_you_mean, display_path


class Country(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    m49: int
    currency: str
    fiscal_year_gdp: bool
    # Groups that stand for the country where data exist only for groups (disability prevalence).
    who_region: Literal["AFR", "AMR", "EMR", "EUR", "SEAR", "WPR"] | None = None
    income_group: Literal["low", "lower_middle", "upper_middle", "high"] | None = None


class Bundle:
    """The data of the assumption folders, read lazily and checked against their cards.

    A table (or the country list) in the user's folder replaces the bundled one of the same
    name: that is where `floors data import` writes.
    """

    def __init__(self, folders: Folders | Path | str) -> None:
        self.folders = folders if isinstance(folders, Folders) else assumption_folders(folders)
        self.tables_read: set[str] = set()  # for the workbook's record of the data used

    @cached_property
    def countries(self) -> dict[str, Country]:
        problems: list[Problem] = []
        doc = read_yaml(self.folders.countries_file, problems)
        if doc is None:
            raise InputError(problems)
        out = {}
        for iso3, body in (doc.data or {}).items():
            try:
                out[str(iso3)] = Country.model_validate(body)
            except ValidationError as exc:
                problems += [Problem(e["msg"], file=doc.name, key=f"{iso3}.{'.'.join(map(str, e['loc']))}",
                                     line=doc.line_of(iso3)) for e in exc.errors()]
        if problems:
            raise InputError(problems)
        return out

    def country(self, iso3: str) -> Country:
        if iso3 not in self.countries:
            hint = did_you_mean(iso3, list(self.countries)) or (
                f"floors has data for {', '.join(self.countries)}. For another country, download the UN WPP "
                f"and IMF WEO files and import them into your folder: floors data import --help")
            raise InputError([Problem(f"no data for country {iso3!r}", key="--country", hint=hint)])
        return self.countries[iso3]

    def table_path(self, name: str) -> Path:
        return self.folders.data_file(f"{name}.csv")

    def table(self, name: str, iso3: str | None = None) -> tuple[pd.DataFrame, Card]:
        path = self.table_path(name)
        frame, card = read_table(path.parent, name)
        self.tables_read.add(name)
        if iso3 is not None:
            frame = frame[frame["iso3"] == iso3]
            if frame.empty and card.all_countries:
                raise InputError([Problem(f"no rows for {iso3}", file=display_path(path),
                                          key="iso3", hint=f"every country of countries.yaml needs rows in this "
                                                           f"table: restore {iso3}'s rows from the source")])
        return frame, card

    def table_names(self) -> list[str]:
        return sorted({p.stem for folder in self.folders.data_dirs() for p in folder.glob("*.csv")})

    def files(self) -> list[Path]:
        return [path for name in self.table_names()
                for path in (self.table_path(name), self.folders.data_file(f"{name}.card.yaml"))]

    def files_read(self) -> list[Path]:
        """The CSV files and cards of the tables read so far, and the country list."""
        paths = [self.folders.countries_file]
        for name in sorted(self.tables_read):
            paths += [self.table_path(name), self.folders.data_file(f"{name}.card.yaml")]
        return paths
