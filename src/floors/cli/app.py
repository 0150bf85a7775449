"""`floors app`: the what-if page in the browser, served on this computer."""

from __future__ import annotations

import importlib.util

import click

from floors.cli.common import EXIT_BAD_INPUT, assumptions_option, country_option, main, reports_input_errors
from floors.problems import InputError, Problem

# What the page needs beyond floors itself (the optional extra "app" in pyproject.toml).
APP_MODULES = ("dash", "plotly")
INSTALL_HINT = 'pip install "floors[app]"  (or, in a checkout: pip install -e ".[app]")'


@main.command()
@country_option
@assumptions_option
@click.option("--port", type=click.IntRange(0, 65535), default=8050, show_default=True,
              help="Port on localhost to serve the page on (0: any free port).")
@click.option("--no-browser", is_flag=True, help="Do not open the page in the browser (the address is printed).")
@reports_input_errors
def app(country, assumptions_dir, port, no_browser) -> None:
    """Open the what-if page in the browser: choose a country and a starting scenario, move the
    policy levers, and see the floor recosted, the change from the start, the fiscal-space verdict
    and the warnings. Download the workbook ('floors run' writes the same) and the scenario as a
    .yaml file ('floors run -s FILE' costs it the same); load a scenario file or a what-if template
    to set the levers; keep what-ifs side by side with the change split by cause.

    The page is served on localhost only and fetches nothing from the internet. Stop it with Ctrl+C.

    \b
    Examples:
      floors app
      floors app -c KEN
      floors app --assumptions my-study --port 8060
      floors app --no-browser
    """
    missing = [name for name in APP_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        click.echo(f"floors app needs {', '.join(missing)}, which is not installed. Install it with:\n"
                   f"    {INSTALL_HINT}", err=True)
        raise SystemExit(EXIT_BAD_INPUT)
    from floors.app import Session, serve

    session = Session(assumptions_dir)  # a bad folder or country is reported before anything is served
    if country is not None and country.strip().upper() not in dict(session.countries()):
        known = ", ".join(iso3 for iso3, _ in session.countries())
        raise InputError([Problem(f"unknown country {country!r}", key="--country", value=country,
                                  hint=f"choose one of {known}")])
    serve(session, country.strip().upper() if country else None, port, open_browser=not no_browser)
