"""`floors validate`: check the assumption files and the bundled data."""

from __future__ import annotations

import click

from floors.assumptions import assumptions_root
from floors.cli.common import (
    assumption_options,
    load,
    main,
    refuse_warnings,
    reports_input_errors,
    strict_option,
    to_option,
)
from floors.cli.progress import shows_progress
from floors.inputs.tables import check_tables
from floors.problems import InputError
from floors.projections import build_projections


@main.command()
@assumption_options
@to_option
@strict_option
@reports_input_errors
@shows_progress("validating")
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
