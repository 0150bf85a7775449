"""`floors validate`: check the assumption files and the bundled data."""

from __future__ import annotations

from pathlib import Path

import click

from floors.assumptions import load_parameters
from floors.assumptions.location import assumption_folders
from floors.assumptions.scenario import scenario_files
from floors.benefits.common import beyond_the_whole_group
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
from floors.inputs import Bundle
from floors.inputs.tables import check_tables
from floors.problems import InputError, Problem
from floors.projections import build_projections


@main.command()
@assumption_options
@to_option
@strict_option
@reports_input_errors
@shows_progress("validating")
def validate(country, scenarios, sets, assumptions_dir, to, strict) -> None:
    """Check the assumption files, every scenario and the data, reporting every problem at once.

    Loads every layer (default, country, scenarios, --set), checks each value against
    its type and range, and builds the projections, so that a year outside the data or
    a malformed table is caught too. Every scenario file floors can see for the country
    (its scenarios, in your folder and the bundled ones, and the presets) is loaded and
    checked as well, so a typo in a scenario is caught before that scenario is run.
    Prints OK and a one-line summary, or every problem (exit status 2). --strict makes
    every warning a problem too.

    \b
    Examples:
      floors validate
      floors validate --country KEN --to 2035
      floors validate --scenario my-scenario.yaml --set macro.base_year=2025
    """
    folders = assumption_folders(assumptions_dir)
    table_problems = [p for folder in folders.data_dirs() for p in check_tables(folder)]
    try:
        params, bundle = load(country, scenarios, sets, assumptions_dir)
    except InputError as exc:  # the data tables' problems too, so that one run lists them all
        raise InputError([*exc.problems, *table_problems]) from None
    scenario_problems, checked = check_scenario_files(bundle, params.country, sets)
    if table_problems or scenario_problems:
        raise InputError([*table_problems, *scenario_problems])
    projections = build_projections(params, bundle, to)
    if params.value("children.targeting") == "poverty_targeted" and projections.poverty_headcount is not None:
        ratio = params.value("children.poverty_ratio")  # a run refuses a ratio beyond the headcount: so does validate
        ratios = ratio.values() if isinstance(ratio, dict) else [ratio]
        found = beyond_the_whole_group(params.country, "children", float(projections.poverty_headcount.max()),
                                       max(map(float, ratios)))
        if found:
            raise InputError(found)
    warnings = list(dict.fromkeys([*params.warnings, *projections.warnings]))
    refuse_warnings(warnings, strict)
    years = projections.years
    first, last = int(years[0]), int(years[-1])
    pop = float(projections.population.sel(year=first).sum())
    gdp = float(projections.gdp.sel(year=first))
    click.echo(
        f"OK: {params.country}, {len(params)} parameters from {len(params.files)} files, "
        f"projections {first}–{last} (population {pop / 1e6:.2f} M and GDP "
        f"{gdp / 1e9:,.1f} bn {projections.currency} in {first}); "
        f"{len(checked)} scenario file{'s' if len(checked) != 1 else ''} checked"
    )
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


def check_scenario_files(bundle: Bundle, country: str, sets) -> tuple[list[Problem], list[Path]]:
    """Load the country with each scenario file floors can see for it; every problem, and the files checked."""
    folders = bundle.folders
    files = list(dict.fromkeys(path.resolve() for folder in [*folders.scenario_dirs(country), *folders.preset_dirs()]
                               for path in scenario_files(folder)))
    problems: list[Problem] = []
    for path in files:
        try:
            load_parameters(folders, country, [str(path)], sets, known_countries=set(bundle.countries))
        except InputError as exc:
            problems += [p for p in exc.problems if p not in problems]
    return problems, files
