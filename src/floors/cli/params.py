"""`floors params`: show the effective parameters, their values and where each was set."""

from __future__ import annotations

import shutil
import textwrap

import click

from floors.assumptions import ParameterSet
from floors.cli.common import assumption_options, load, main, reports_input_errors


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
