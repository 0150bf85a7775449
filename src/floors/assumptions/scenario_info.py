"""A scenario as loaded: from a YAML file, a filled what-if template or a mapping given in Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from floors.assumptions.yaml_io import YamlDocument


@dataclass
class ScenarioInfo:
    path: Path
    name: str
    title: str
    description: str
    author: str
    based_on: str | None
    doc: YamlDocument
    changes: dict[str, tuple[Any, int | None]] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # a template's field → its cell, for messages
