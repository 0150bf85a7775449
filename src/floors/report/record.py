"""The record of one run that the workbooks report: results, inputs, parameters, files read, command."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import xarray as xr

from floors import dims
from floors.assumptions import ParameterSet


@dataclass
class RunRecord:
    """Everything a workbook reports about one run."""

    results: xr.Dataset  # from floors.engine.costing
    inputs: xr.Dataset  # the projections used
    parameter_sets: dict[str, ParameterSet]  # scenario name → effective parameters
    data_files: list[Path]  # the bundled files read
    command: str
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    country_name: str = ""

    @property
    def country(self) -> str:
        return self.results.attrs["country"]

    @property
    def currency(self) -> str:
        return self.results.attrs["currency"]

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.results[dims.YEAR].values]

    @property
    def scenarios(self) -> list[str]:
        return [str(s) for s in self.results[dims.SCENARIO].values]

    @property
    def benefits(self) -> list[str]:
        """The benefits costed, without the total."""
        return [str(b) for b in self.results[dims.BENEFIT].values if b != "total"]
