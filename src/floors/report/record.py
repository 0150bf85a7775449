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
    name: str = ""  # the run's name (floors.naming): the folder and files it was written to
    overrides: dict[str, str] = field(default_factory=dict)  # values set on the command line, in every scenario
    draws: int = 0  # Monte Carlo draws, and their seed
    seed: int = 0
    uncertainty: xr.Dataset | None = None  # the draws' percentiles (floors.uncertainty.summarise), when drawn

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

    def run_rows(self) -> list[list]:
        """README rows naming the run: its name, the values set on the command line, the draws."""
        rows = []
        if self.name:
            rows.append(["run", f"{self.name}: the name of this run's folder and files, from its country, "
                                "scenarios, values set on the command line (-set-…), last year (-to…) and draws "
                                "(-draws…-seed…), or chosen with --name."])
        if self.overrides:
            values = "; ".join(f"{path} = {text}" for path, text in self.overrides.items())
            rows.append(["set on the command line", f"{values}. Every scenario is costed with these values; its "
                                                    "label says so."])
        if self.draws:
            rows.append(["draws", f"{self.draws:,} Monte Carlo draws over the declared uncertainty, seed {self.seed} "
                                  "(sheets uncertainty and uncertain_parameters)."])
        return rows
