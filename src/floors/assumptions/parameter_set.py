"""The effective parameters of one country and scenario, as the layers leave them (see `layers`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from floors.assumptions.parameter import ParameterDef, Source, Uncertainty
from floors.assumptions.scenario_info import ScenarioInfo


@dataclass
class Effective:
    """A parameter's value after all layers, and which layer set it."""

    path: str
    definition: ParameterDef
    value: Any
    layer: str
    origin: str  # the file, or "--set", that set the value
    source: Source | None
    no_source: str | None
    uncertainty: Uncertainty | None = None  # follows the layer that set the value
    line: int | None = None  # the line of ``origin`` that set it, for messages

    def citation(self) -> str:
        if self.source is not None:
            return self.source.cite()
        return f"NO SOURCE: {self.no_source}"


@dataclass
class ParameterSet(Mapping[str, Effective]):
    """The effective parameters of one country and scenario."""

    country: str
    params: dict[str, Effective]
    scenarios: list[ScenarioInfo] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __getitem__(self, path: str) -> Effective:
        return self.params[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self.params)

    def __len__(self) -> int:
        return len(self.params)

    def value(self, path: str) -> Any:
        return self.params[path].value

    def with_entries(self, entries: Mapping[str, Effective]) -> ParameterSet:
        """A copy with some parameters' effective entries replaced (hybrid scenarios, Monte Carlo draws)."""
        return replace(self, params={**self.params, **entries})

    def yearly(self, path: str, years: np.ndarray | list[int]) -> np.ndarray:
        """The value for each year: a constant, or values by year interpolated linearly
        between the years given and held flat before the first and after the last."""
        return yearly_values(self.params[path].value, years)


def yearly_values(value: Any, years: np.ndarray | list[int]) -> np.ndarray:
    years = np.asarray(years, dtype=float)
    if isinstance(value, dict):
        known = sorted(value)
        return np.interp(years, known, [float(value[y]) for y in known])
    return np.full(years.shape, float(value))
