"""`floors app`: the what-if page in the browser, served on this computer."""

from __future__ import annotations

import importlib.util

import click

from floors.cli.common import EXIT_BAD_INPUT, assumption_options, main, reports_input_errors
from floors.problems import InputError, Problem, did_you_mean

# What the page needs beyond floors itself (the optional extra "app" in pyproject.toml).
APP_MODULES = ("dash",)  # plotly.js comes with Dash
INSTALL_HINT = 'pip install "floors[app]"  (or, in a checkout: pip install -e ".[app]")'


@main.command()
@assumption_options
@click.option("--port", type=click.IntRange(0, 65535), default=8050, show_default=True,
              help="Port on localhost to serve the page on (0: any free port).")
@click.option("--no-browser", is_flag=True, help="Do not open the page in the browser (the address is printed).")
@reports_input_errors
def app(country, scenarios, sets, assumptions_dir, port, no_browser) -> None:
    """Open the what-if page in the browser: choose a country and a starting scenario, move the
    policy levers, and see the floor recosted, the change from the start, the fiscal-space verdict
    and the warnings. Download the workbook ('floors run' writes the same) and the scenario as a
    .yaml file ('floors run -s FILE' costs it the same); load a scenario file or a what-if template
    to set the levers; keep what-ifs side by side with the change split by cause. --scenario
    chooses the starting scenario (one of the country's or a preset) and --set the levers' first
    values; both are checked before the page is served.

    The page is served on localhost only and fetches nothing from the internet. Stop it with Ctrl+C.

    \b
    Examples:
      floors app
      floors app -c KEN -s ilo-ess58 --set children.level=0.5
      floors app --assumptions my-study --port 8060
      floors app --no-browser
    """
    missing = [name for name in APP_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        click.echo(f"floors app needs {', '.join(missing)}, which is not installed. Install it with:\n"
                   f"    {INSTALL_HINT}", err=True)
        raise SystemExit(EXIT_BAD_INPUT)
    from floors.app import Session, WhatIf, serve
    from floors.assumptions import load_parameters

    # Everything is checked before the page is served: the folder, the country, the start and the values.
    session = Session(assumptions_dir)
    iso3 = (country or session.default_country()).strip().upper()
    if iso3 not in dict(session.countries()):
        known = ", ".join(code for code, _ in session.countries())
        raise InputError([Problem(f"unknown country {country!r}", key="--country", value=country,
                                  hint=f"choose one of {known}")])
    offered = session.scenarios(iso3)
    start = scenarios[0] if scenarios else offered[0]
    if len(scenarios) > 1 or start not in offered:
        hint = did_you_mean(start, offered) or f"the starting scenarios of {iso3}: {', '.join(offered)}"
        raise InputError([Problem("the page starts from one scenario of the country (or a preset), by its name",
                                  key="--scenario", value=list(scenarios), hint=hint)])
    # The --set values read as floors run reads them (one that cannot be read, or a parameter set twice, is
    # refused), then costed: a bad value raises InputError, as floors run would.
    load_parameters(session.folders, iso3, WhatIf.of(iso3, start, {}).scenarios, list(sets),
                    known_countries=set(dict(session.countries())))
    values = dict(text.partition("=")[::2] for text in sets)
    session.cost(WhatIf.of(iso3, start, values))
    serve(session, iso3, port, open_browser=not no_browser, start=start, values=values)
