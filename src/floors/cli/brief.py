"""`floors brief`: a short PDF of a run for a report or a minister's desk, from its workbook."""

from __future__ import annotations

import zipfile
from pathlib import Path

import click

from floors.cli.common import main, reports_input_errors
from floors.cli.export import find_workbook
from floors.io.files import write_atomically
from floors.problems import InputError, Problem, display_path


def brief_bytes(workbook: Path) -> bytes:
    """The brief of a workbook file; a file that is not a readable workbook of floors is an input error."""
    from floors.report.brief import brief_pdf

    try:
        return brief_pdf(workbook)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as exc:
        raise InputError([Problem(f"cannot read the workbook: {exc}", file=display_path(workbook),
                                  hint="write it again with floors run (or compare, sensitivity)")]) from exc


@main.command()
@click.argument("run", type=click.Path(path_type=Path))
@click.option("--out", "-o", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The PDF to write [default: beside the workbook, floors-NAME.pdf].")
@reports_input_errors
def brief(run, out) -> None:
    """Write a short PDF brief of a run: per scenario the cost by benefit and year in % of GDP and in
    millions, a chart, then what was costed, the data's sources and the warnings.

    RUN is a run folder (OUT/NAME, as floors run printed it) or a workbook. The brief shows what
    the workbook's report sheet prints; nothing is computed again. floors run --format pdf
    writes it with the run. Needs the optional libraries: pip install 'floors[report]'.

    \b
    Examples:
      floors brief outputs/ECU-baseline
      floors brief outputs/ECU-compare-baseline-vs-whole-floor -o brief.pdf
    """
    workbook = find_workbook(run, "brief")
    data = brief_bytes(workbook)
    path = out or workbook.with_suffix(".pdf")
    write_atomically(path, lambda temporary: temporary.write_bytes(data))
    click.echo(f"wrote {display_path(path)}")
