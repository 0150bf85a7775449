"""`floors params`: find parameters by name and show their values, limits and where each was set.

A pattern picks parameters by their dotted path: a glob (``children.*``, ``*take_up*``) or, without
glob characters, a part of the path in any case (``children``, ``level``). The output is a table for
reading, or CSV or JSON records with the fields of `FIELDS` for programs.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import json
import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

import click

from floors.assumptions import Effective, ParameterSet
from floors.assumptions.layers import DEFAULT_LAYER
from floors.assumptions.template.layout import allowed_text, number_text
from floors.cli.common import assumption_options, load, main, reports_input_errors
from floors.problems import InputError, Problem, did_you_mean

FORMATS = ("table", "csv", "json")
# The fields of a CSV row or a JSON record, in order; programs may rely on these names.
FIELDS = ("parameter", "value", "unit", "description", "allowed", "set_by", "origin", "source", "kind", "cause")
GLOB_CHARACTERS = frozenset("*?[")


@main.command()
@click.argument("patterns", nargs=-1, metavar="[PATTERN]...")
@assumption_options
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table to read; csv or json records (one per parameter) for programs.")
@click.option("--width", type=int, default=None, help="Width of the table [default: the terminal's].")
@reports_input_errors
def params(patterns, country, scenarios, sets, assumptions_dir, output_format, width) -> None:
    """List the effective parameters: value, unit, description, allowed values, the layer that set
    each one and its source.

    PATTERN picks parameters by their dotted name (section.name): a glob such as 'children.*' or
    '*take_up*' (quote it, so that the shell leaves it alone), or a part of the name in any case,
    such as 'children' or 'level'. Several patterns list the parameters any of them matches; a
    pattern that matches nothing is an error (exit 2).

    --format csv or json writes one record per parameter to standard output, with the fields
    parameter, value, unit, description, allowed, set_by, origin, source, kind and cause. Values
    by year are written as {2025: 0.25, 2030: 0.5} in CSV and as an object keyed by year in JSON.

    \b
    Examples:
      floors params                          every parameter of Ecuador's baseline
      floors params children                 the child benefit's parameters
      floors params level take_up            every benefit's level and take-up
      floors params 'children.*' 'old_age.*'
      floors params '*take_up*' --country KEN
      floors params children -s universal-child-benefit --set children.level=0.5
      floors params --format csv > parameters.csv
      floors params macro --format json
    """
    effective, _ = load(country, scenarios, sets, assumptions_dir)
    chosen = select(effective, patterns)
    if output_format == "csv":
        click.echo(params_csv(chosen), nl=False)
    elif output_format == "json":
        click.echo(json.dumps([record(e) for e in chosen], indent=2, ensure_ascii=False))
    else:
        width = width or shutil.get_terminal_size((100, 24)).columns
        click.echo(format_params(effective, max(width, 80), chosen, patterns))


# --- picking parameters -------------------------------------------------------------------------


def matches(path: str, pattern: str) -> bool:
    """Whether ``pattern`` (a glob on the whole path, or else a part of it) picks ``path``, in any case."""
    path, pattern = path.lower(), pattern.lower()
    if GLOB_CHARACTERS & set(pattern):
        return fnmatch.fnmatchcase(path, pattern)
    return pattern in path


def select(effective: ParameterSet, patterns: Sequence[str]) -> list[Effective]:
    """The parameters any pattern picks (all without a pattern); a pattern that picks none is a problem."""
    if not patterns:
        return list(effective.values())
    problems = [_no_match(effective, p) for p in patterns if not any(matches(path, p) for path in effective)]
    if problems:
        raise InputError(problems)
    return [e for path, e in effective.items() if any(matches(path, p) for p in patterns)]


def _no_match(effective: ParameterSet, pattern: str) -> Problem:
    """The problem of a pattern that picks nothing, with the pattern as it was probably meant."""
    sections = sorted({path.partition(".")[0] for path in effective})
    names = {path.partition(".")[2] for path in effective}
    typed = pattern.lower()
    word = "".join(c for c in typed if c not in "*?[]").strip(".")  # the letters, for a glob
    meant = {typed.replace(word, option, 1) for option in {*sections, *names, *effective}} if word else set()
    hint = did_you_mean(typed, meant) or (
        "run 'floors params' without a pattern to list every parameter; the sections are " + ", ".join(sections))
    return Problem(f"no parameter matches {pattern!r}", file="floors params", hint=hint)


# --- records for programs -----------------------------------------------------------------------


def record(e: Effective) -> dict[str, Any]:
    """One parameter as a JSON record: the value as it is (values by year keyed by year), None when not set."""
    definition = e.definition
    return {
        "parameter": e.path,
        "value": e.value,
        "unit": definition.unit,
        "description": definition.description,
        "allowed": allowed_text(definition),
        "set_by": e.layer,
        "origin": e.origin,
        "source": e.citation(),
        "kind": definition.kind,
        "cause": definition.cause,
    }


def value_text(value: Any) -> str:
    """A value as YAML writes it, so that a CSV cell can be pasted into a scenario file or ``--set``:
    ``0.25``, ``true``, ``universal``, ``{2025: 0.25, 2030: 0.5}``; empty when not set."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{year}: {number_text(v)}" for year, v in sorted(value.items())) + "}"
    if isinstance(value, int | float):
        return number_text(value)
    return str(value)


def params_csv(chosen: Sequence[Effective]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for e in chosen:
        writer.writerow({**record(e), "value": value_text(e.value)})
    return out.getvalue()


# --- the table ----------------------------------------------------------------------------------


def format_value(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v:,.10g}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        return f"{value:,.10g}"
    if value is None:
        return "(not set)"
    return str(value)


def format_params(effective: ParameterSet, width: int, chosen: Sequence[Effective] | None = None,
                  patterns: Sequence[str] = ()) -> str:
    """A readable table: a line per parameter, its description, allowed values and source wrapped beneath it."""
    chosen = list(effective.values()) if chosen is None else list(chosen)
    rows = [(e.path, format_value(e.value), e.definition.unit, e.layer) for e in chosen]
    w_path = max(len("parameter"), *(len(r[0]) for r in rows))
    w_value = min(max(len("value"), *(len(r[1]) for r in rows)), 28)
    w_unit = min(max(len("unit"), *(len(r[2]) for r in rows)), 22)
    head = f"{'parameter':<{w_path}}  {'value':<{w_value}}  {'unit':<{w_unit}}  set by"
    title = f"Effective parameters for {effective.country}"
    if patterns:
        title += f": {len(chosen)} of {len(effective)} matching {' or '.join(map(repr, patterns))}"
    lines = [title, head, "-" * min(width, len(head) + 12)]
    indent = " " * 4

    def wrapped(text: str) -> list[str]:
        # Links and file names stay whole, so that they can be copied from the terminal.
        return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ",
                             break_long_words=False, break_on_hyphens=False)

    for e, (path, value, unit, layer) in zip(chosen, rows, strict=True):
        lines.append(f"{path:<{w_path}}  {value:<{w_value}}  {unit:<{w_unit}}  {layer}")
        lines += wrapped(f"{e.definition.label}. {e.definition.description}")
        lines += wrapped(f"allowed: {allowed_text(e.definition)}")
        lines += wrapped(f"source: {e.citation()}")
        if e.layer != DEFAULT_LAYER:  # where to change it: the country's or scenario's file, or --set
            lines += wrapped(f"set in: {e.origin}{f':{e.line}' if e.line else ''}")
    return "\n".join(lines)
