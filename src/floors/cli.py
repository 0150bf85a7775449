"""The ``floors`` command line: thin wrappers around the library, with clear errors.

Bad input never gives a traceback: every problem is printed at once and the exit status
is 2. Ctrl-C stops cleanly with status 130.
"""

from __future__ import annotations

import functools
import os
import shlex
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import click

from floors import __version__
from floors.assumptions import ParameterSet, assumptions_root, load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.engine import costing
from floors.inputs import Bundle
from floors.problems import InputError, display_path
from floors.projections import build_projections
from floors.report import RunRecord, build_workbook, tidy_table, write_all_atomically

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
EXIT_INTERNAL_ERROR = 1


def reports_input_errors(command: Callable) -> Callable:
    """Print every input problem and exit 2, instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            click.echo(exc.report(), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("interrupted: nothing was written", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            # A defect in floors, not in the input: say so plainly; FLOORS_DEBUG=1 shows the traceback.
            if os.environ.get("FLOORS_DEBUG"):
                raise
            click.echo(f"internal error in floors ({type(exc).__name__}: {exc}). Nothing was written.\n"
                       "Please report it with the command you ran; FLOORS_DEBUG=1 shows the details.", err=True)
            sys.exit(EXIT_INTERNAL_ERROR)

    return wrapper


def assumption_options(command: Callable) -> Callable:
    """The options every command that reads assumptions shares."""
    options = [
        click.option("--country", "-c", default="ECU", show_default=True, metavar="ISO3",
                     help="Country code (ISO 3166 alpha-3), e.g. ECU or KEN."),
        click.option("--scenario", "-s", "scenarios", multiple=True, metavar="NAME[+NAME]",
                     help="Scenario file(s) to lay over the country's assumptions: a name in "
                          "assumptions/ISO3/scenarios/ or a path; a+b applies a then b."),
        click.option("--set", "sets", multiple=True, metavar="SECTION.NAME=VALUE",
                     help="Override one parameter, e.g. --set macro.horizon=2035 (repeatable)."),
        click.option("--assumptions", "assumptions_dir", type=click.Path(file_okay=False, path_type=Path),
                     default=None, envvar="FLOORS_ASSUMPTIONS",
                     help="Assumptions folder [default: the bundled one]."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def load(country: str, scenarios, sets, assumptions_dir) -> tuple[ParameterSet, Bundle]:
    root = assumptions_root(assumptions_dir)
    bundle = Bundle(root)
    params = load_parameters(root, country.upper(), scenarios, sets, known_countries=set(bundle.countries))
    return params, bundle


class FloorsGroup(click.Group):
    """Keeps the arguments as typed, for the record a workbook carries of how it was made."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["floors.argv"] = list(args)
        return super().parse_args(ctx, args)


@click.group(cls=FloorsGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="floors")
def main() -> None:
    """Cost the gaps in a social protection floor, benefit by benefit, to 2030.

    \b
    Examples:
      floors validate                      check Ecuador's assumption files and data
      floors validate --country KEN        the same for Kenya
      floors params --country ECU          every effective parameter, its unit and source
      floors params --set macro.horizon=2035
      floors run                           cost Ecuador's floor to 2030, write outputs/ECU-baseline/
      floors run -s universal-child-benefit -s targeted-child-benefit
    """


@main.command()
@assumption_options
@click.option("--to", "to", type=int, default=None, metavar="YEAR", help="Last year to project.")
@reports_input_errors
def validate(country, scenarios, sets, assumptions_dir, to) -> None:
    """Check the assumption files and the bundled data, reporting every problem at once.

    Loads every layer (default, country, scenarios, --set), checks each value against
    its type and range, and builds the projections, so that a year outside the data or
    a malformed table is caught too. Prints OK and a one-line summary, or every problem
    (exit status 2).

    \b
    Examples:
      floors validate
      floors validate --country KEN --to 2035
      floors validate --scenario my-scenario.yaml --set macro.base_year=2025
    """
    params, bundle = load(country, scenarios, sets, assumptions_dir)
    projections = build_projections(params, bundle, to)
    years = projections.years
    first, last = int(years[0]), int(years[-1])
    pop = float(projections.population.sel(year=first).sum())
    gdp = float(projections.gdp.sel(year=first))
    click.echo(
        f"OK: {params.country}, {len(params)} parameters from {len(params.files)} files, "
        f"projections {first}–{last} (population {pop / 1e6:.2f} M and GDP "
        f"{gdp / 1e9:,.1f} bn {projections.currency} in {first})"
    )
    for warning in params.warnings:
        click.echo(f"warning: {warning}", err=True)


@main.command()
@assumption_options
@click.option("--width", type=int, default=None, help="Width of the table [default: the terminal's].")
@reports_input_errors
def params(country, scenarios, sets, assumptions_dir, width) -> None:
    """List every effective parameter with its value, unit, the layer that set it and its source.

    \b
    Examples:
      floors params
      floors params --country KEN
      floors params --scenario universal-child-benefit --set children.level=0.5
    """
    effective, _ = load(country, scenarios, sets, assumptions_dir)
    width = width or shutil.get_terminal_size((100, 24)).columns
    click.echo(format_params(effective, max(width, 80)))


def format_value(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v:,.10g}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        return f"{value:,.10g}"
    if value is None:
        return "(not set)"
    return str(value)


def format_params(effective: ParameterSet, width: int) -> str:
    """A readable table: one block per parameter, the source wrapped beneath it."""
    rows = [(e.path, format_value(e.value), e.definition.unit, e.layer, e.citation()) for e in effective.values()]
    w_path = max(len(r[0]) for r in rows)
    w_value = min(max(len(r[1]) for r in rows), 28)
    w_unit = min(max(len(r[2]) for r in rows), 22)
    head = f"{'parameter':<{w_path}}  {'value':<{w_value}}  {'unit':<{w_unit}}  set by"
    lines = [f"Effective parameters for {effective.country}", head, "-" * min(width, len(head) + 12)]
    indent = " " * 4
    for path, value, unit, layer, source in rows:
        lines.append(f"{path:<{w_path}}  {value:<{w_value}}  {unit:<{w_unit}}  {layer}")
        lines += textwrap.wrap(f"source: {source}", width=width, initial_indent=indent, subsequent_indent=indent)
    return "\n".join(lines)


def scenario_name(spec: str) -> str:
    return "+".join(Path(part.strip()).stem for part in spec.split("+") if part.strip())


def load_scenarios(country, scenarios, sets, assumptions_dir) -> tuple[list[str], list[ParameterSet], Bundle]:
    """One parameter set per scenario (the baseline when none is named), every problem gathered."""
    root = assumptions_root(assumptions_dir)
    bundle = Bundle(root)
    specs = list(scenarios) or [None]
    names, sets_, problems = [], [], []
    for spec in specs:
        try:
            sets_.append(load_parameters(root, country.upper(), [spec] if spec else [], sets,
                                         known_countries=set(bundle.countries)))
            names.append(scenario_name(spec) if spec else "baseline")
        except InputError as exc:
            problems += [p for p in exc.problems if p not in problems]
    if problems:
        raise InputError(problems)
    return names, sets_, bundle


def format_summary(results, years: list[int]) -> str:
    """% of GDP by benefit (rows) for a few years (columns), one block per scenario."""
    share = results["cost_share_gdp"].sel(country=results.attrs["country"])
    blocks = []
    for scenario in share["scenario"].values:
        table = share.sel(scenario=scenario, year=years).to_pandas() * 100
        lines = [f"{results.attrs['country']} · {scenario} · cost as % of GDP",
                 f"{'benefit':<14}" + "".join(f"{y:>9}" for y in years)]
        for benefit, row in table.iterrows():
            if benefit == "total":
                lines.append("-" * (14 + 9 * len(years)))
            lines.append(f"{benefit:<14}" + "".join(f"{v:>9.2f}" for v in row.to_numpy()))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


FORMATS = ("xlsx", "csv")


@main.command()
@assumption_options
@click.option("--to", type=int, default=None, metavar="YEAR", help="Last year costed [default: macro.horizon].")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help="Folder for the results.")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True, default=FORMATS,
              show_default=True, help="What to write (repeatable): the Excel workbook, the tidy CSV table.")
@click.option("--notes/--no-notes", default=False, help="Print how the data were extended and held.")
@reports_input_errors
def run(country, scenarios, sets, assumptions_dir, to, out_dir, formats, notes) -> None:
    """Cost the floor benefit by benefit, print % of GDP and write the workbook and the tidy table.

    Each --scenario is one scenario (a+b lays b over a); with none, the country's
    baseline. Results go to OUT/<country>-<scenario>/floors-<country>-<scenario>.xlsx
    (summary with chart, one sheet per benefit, inputs, assumptions, warnings, meta) and
    .csv (columns scenario, country, benefit, variable, unit, year, value). Files are
    replaced only when everything has been written.

    \b
    Examples:
      floors run
      floors run --set children.targeting=poverty_targeted --set old_age.pensionable_age=60
      floors run -s universal-child-benefit -s targeted-child-benefit --to 2030
      floors run --country KEN --set unemployment.include=false --format csv
    """
    names, parameter_sets, bundle = load_scenarios(country, scenarios, sets, assumptions_dir)
    params = ScenarioParameters.from_sets(names, parameter_sets)
    costed = costing(params, bundle, to=to, sets=parameter_sets)
    results = costed.results
    iso3 = results.attrs["country"]
    years = [int(y) for y in results["year"].values]
    shown = sorted({years[0], *(y for y in (2025, 2030) if y in years), years[-1]})
    click.echo(format_summary(results, shown))
    label = names[0] if len(names) == 1 else f"{names[0]}-and-{len(names) - 1}-more"
    stem = out_dir / f"{iso3}-{label}" / f"floors-{iso3}-{label}"
    writers = {}
    if "xlsx" in formats:
        record = RunRecord(results=results, inputs=costed.inputs,
                           parameter_sets=dict(zip(names, parameter_sets, strict=True)),
                           data_files=bundle.files_read(), command=command_line())
        workbook = build_workbook(record, bundle.country(iso3).name)
        writers[stem.with_suffix(".xlsx")] = workbook.save
    if "csv" in formats:
        table = tidy_table(results)
        writers[stem.with_suffix(".csv")] = lambda temporary: table.to_csv(temporary, index=False)
    write_all_atomically(writers)
    click.echo("")
    for path in writers:
        click.echo(f"wrote {display_path(path)}")
    for warning in dict.fromkeys(w for ps in parameter_sets for w in ps.warnings):
        click.echo(f"warning: {warning}", err=True)
    if notes:
        click.echo("\nnotes:\n" + results.attrs["notes"])


def command_line() -> str:
    """The command as typed (for the workbook's record), quoted so it can be pasted back."""
    argv = click.get_current_context().meta.get("floors.argv", sys.argv[1:])
    return " ".join(["floors", *(shlex.quote(arg) for arg in argv)])


if __name__ == "__main__":
    main()
