"""`floors validate` and `floors params`: check the inputs and show the effective parameters."""

from __future__ import annotations

import shutil
import textwrap

import click

from floors.assumptions import ParameterSet, assumptions_root
from floors.cli.common import assumption_options, load, main, refuse_warnings, reports_input_errors, strict_option
from floors.inputs.tables import check_tables
from floors.problems import InputError
from floors.projections import build_projections


@main.command()
@assumption_options
@click.option("--to", "to", type=int, default=None, metavar="YEAR", help="Last year to project.")
@strict_option
@reports_input_errors
def validate(country, scenarios, sets, assumptions_dir, to, strict) -> None:
    """Check the assumption files and the bundled data, reporting every problem at once.

    Loads every layer (default, country, scenarios, --set), checks each value against
    its type and range, and builds the projections, so that a year outside the data or
    a malformed table is caught too. Prints OK and a one-line summary, or every problem
    (exit status 2). --strict makes every warning a problem too.

    \b
    Examples:
      floors validate
      floors validate --country KEN --to 2035
      floors validate --scenario my-scenario.yaml --set macro.base_year=2025
    """
    table_problems = check_tables(assumptions_root(assumptions_dir) / "data")
    try:
        params, bundle = load(country, scenarios, sets, assumptions_dir)
    except InputError as exc:  # the data tables' problems too, so that one run lists them all
        raise InputError([*exc.problems, *table_problems]) from None
    if table_problems:
        raise InputError(table_problems)
    projections = build_projections(params, bundle, to)
    warnings = list(dict.fromkeys([*params.warnings, *projections.warnings]))
    refuse_warnings(warnings, strict)
    years = projections.years
    first, last = int(years[0]), int(years[-1])
    pop = float(projections.population.sel(year=first).sum())
    gdp = float(projections.gdp.sel(year=first))
    click.echo(
        f"OK: {params.country}, {len(params)} parameters from {len(params.files)} files, "
        f"projections {first}–{last} (population {pop / 1e6:.2f} M and GDP "
        f"{gdp / 1e9:,.1f} bn {projections.currency} in {first})"
    )
    for warning in warnings:
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
