"""What the commands that write results share: the -o/--out, --format and --name options, writing the
files under the run's name, and printing the warnings grouped with a pointer to the workbook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import click
import pandas as pd
from openpyxl import Workbook

from floors import naming
from floors.cli.progress import progress
from floors.cli.warning_groups import format_warnings
from floors.io.files import write_all_atomically
from floors.problems import display_path

FORMATS = ("xlsx", "csv", "pdf")
DEFAULT_FORMATS = ("xlsx", "csv")  # the brief needs the optional libraries of floors[report]

out_option = click.option(
    "--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
    show_default=True, help="Folder for the results: each run writes its own folder in it, OUT/NAME/ (see --name).")


def _brief_libraries_installed(ctx: click.Context, param: click.Parameter, formats: tuple[str, ...]) -> tuple[str, ...]:
    """A brief asked for without its libraries is refused before anything is costed, not after."""
    if "pdf" in formats:
        from floors.report.brief import MISSING, missing_libraries

        if missing := missing_libraries():
            raise click.BadParameter(f"{MISSING[0]} ({', '.join(missing)} not installed): {MISSING[1]}, "
                                     "or leave out --format pdf")
    return formats


format_option = click.option(
    "--format", "formats", type=click.Choice(FORMATS), multiple=True, default=DEFAULT_FORMATS, show_default=True,
    callback=_brief_libraries_installed,
    help="What to write (repeatable): the Excel workbook, the CSV table, a PDF brief (pip install 'floors[report]').")
name_option = click.option(
    "--name", default=None, metavar="NAME",
    help="Name the results OUT/NAME/floors-NAME.xlsx, .csv and .pdf [default: from what was run: the country, the "
         "scenarios, -set-<hash> for --set values, -to<YEAR>, -draws<N>-seed<S>].")


def result_options(command: Callable) -> Callable:
    """-o/--out, --format and --name: where results go, in which formats, under which name."""
    for option in (name_option, format_option, out_option):
        command = option(command)
    return command


def write_results(out_dir: Path, name: str, formats: Sequence[str], workbook: Callable[[], Workbook],
                  table: Callable[[], pd.DataFrame]) -> dict[str, Path]:
    """Build what ``formats`` asks for (only that), write it atomically to OUT/<name>/floors-<name>.xlsx, .csv
    and .pdf (replacing the same run's files), and say so. Returns the paths by format. The brief is made
    from the workbook in memory, so it shows what the workbook prints."""
    stem = naming.files(out_dir, name)
    writers = {}
    paths: dict[str, Path] = {}
    with progress("writing") as step:
        book = workbook() if {"xlsx", "pdf"} & set(formats) else None
        if "xlsx" in formats and book is not None:
            paths["xlsx"] = stem.with_suffix(".xlsx")
            writers[paths["xlsx"]] = book.save
            step("workbook built")
        if "pdf" in formats and book is not None:
            from floors.report.brief import brief_pdf  # fpdf2 and matplotlib, only when a brief is asked for

            brief = brief_pdf(book)
            paths["pdf"] = stem.with_suffix(".pdf")
            writers[paths["pdf"]] = lambda temporary: temporary.write_bytes(brief)
            step("brief built")
        if "csv" in formats:
            frame = table()
            paths["csv"] = stem.with_suffix(".csv")
            writers[paths["csv"]] = lambda temporary: frame.to_csv(temporary, index=False)
        write_all_atomically(writers)
    click.echo("")
    for path in writers:
        click.echo(f"wrote {display_path(path)}")
    return paths


def echo_warnings(warnings: Sequence[str], countries: Sequence[str] = (), scenarios: Sequence[str] = (),
                  workbook: Path | None = None) -> None:
    """Each kind of warning once, on stderr, then where they all are in full."""
    lines = format_warnings(warnings, countries, scenarios)
    for line in lines:
        click.echo(line, err=True)
    if workbook is not None and len(lines) < len(warnings):
        click.echo(f"{len(warnings)} warnings in {len(lines)} kinds; each in full on the warnings sheet of "
                   f"{display_path(workbook)}", err=True)
    elif workbook is not None and warnings:
        click.echo(f"(also on the warnings sheet of {display_path(workbook)})", err=True)
