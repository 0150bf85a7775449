"""`floors export`: a run's workbook as one CSV per sheet, without computing anything again."""

from __future__ import annotations

import zipfile
from pathlib import Path

import click
import pandas as pd

from floors.cli.common import main, reports_input_errors
from floors.io.files import write_all_atomically
from floors.problems import InputError, Problem, display_path


def find_workbook(run: Path, command: str) -> Path:
    """The workbook of a run folder (outputs/ECU-baseline) or the workbook itself, for ``floors command``."""
    if run.is_dir():
        found = sorted(run.glob("floors-*.xlsx"))
        if len(found) != 1:
            raise InputError([Problem(f"expected one floors-*.xlsx workbook in the folder, found {len(found)}",
                                      file=display_path(run),
                                      hint="give the workbook's path, or run floors run first")])
        return found[0]
    if not run.is_file():
        raise InputError([Problem("no such run folder or workbook", file=display_path(run),
                                  hint=f"e.g. floors {command} outputs/ECU-baseline")])
    if run.suffix.lower() != ".xlsx" or not zipfile.is_zipfile(run):
        raise InputError([Problem("not an Excel workbook (.xlsx)", file=display_path(run),
                                  hint="give a workbook written by floors run or floors compare")])
    return run


@main.command()
@click.argument("run", type=click.Path(path_type=Path))
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the CSV files [default: <run folder>/csv].")
@click.option("--sheet", "sheets", multiple=True, metavar="NAME", help="Export only these sheets (repeatable).")
@reports_input_errors
def export(run, out_dir, sheets) -> None:
    """Write each sheet of a run's workbook as a CSV file (UTF-8), with no recomputation.

    RUN is a run folder (OUT/NAME, as floors run printed it) or a workbook. Every sheet of the
    workbook becomes <stem>-<sheet>.csv: the results, and the inputs, assumptions,
    warnings and meta that make them traceable. The tidy results table that floors run
    writes beside the workbook is not repeated.

    \b
    Examples:
      floors export outputs/ECU-baseline
      floors export outputs/ECU-baseline/floors-ECU-baseline.xlsx --sheet inputs --sheet assumptions
      floors export outputs/ECU-baseline-set-d8a162 -o tables
    """
    workbook = find_workbook(run, "export")
    try:
        frames = pd.read_excel(workbook, sheet_name=None)
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise InputError([Problem(f"cannot read the workbook: {exc}", file=display_path(workbook),
                                  hint="write it again with floors run")]) from exc
    unknown = [s for s in sheets if s not in frames]
    if unknown:
        raise InputError([Problem(f"no sheet {s!r} in the workbook", file=display_path(workbook), key="--sheet",
                                  hint=f"sheets: {', '.join(frames)}") for s in unknown])
    folder = out_dir or workbook.parent / "csv"
    chosen = {name: frame for name, frame in frames.items() if not sheets or name in sheets}
    writers = {folder / f"{workbook.stem}-{name}.csv": (lambda path, f=frame: f.to_csv(path, index=False))
               for name, frame in chosen.items()}
    write_all_atomically(writers)
    for path in writers:
        click.echo(f"wrote {display_path(path)}")
