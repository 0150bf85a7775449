"""The engine's results as one tidy long table: scenario, country, benefit, variable, unit, year, value."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xarray as xr

from floors import dims
from floors.problems import InputError, Problem, display_path

COLUMNS = [dims.SCENARIO, dims.COUNTRY, dims.BENEFIT, "variable", "unit", dims.YEAR, "value"]


def tidy_table(results: xr.Dataset) -> pd.DataFrame:
    """Every headline variable (those by scenario, country, benefit and year) as rows."""
    frames = []
    for name, var in results.data_vars.items():
        if set(var.dims) != {dims.SCENARIO, dims.COUNTRY, dims.BENEFIT, dims.YEAR}:
            continue  # detail by sex and age stays in the workbook
        frame = var.to_dataframe(name="value").reset_index()
        frame["variable"] = name
        frame["unit"] = var.attrs.get("units", "")
        frames.append(frame[COLUMNS])
    return pd.concat(frames, ignore_index=True)


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file beside ``path``, then rename it into place.

    A failure never leaves a half-written file and never destroys the previous one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except PermissionError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError([Problem(f"cannot write {display_path(path)}: {exc.strerror}", file=display_path(path),
                                  hint="close the file if another program has it open, or choose --out")]) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
