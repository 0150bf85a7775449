"""`floors sensitivity`: which uncertain parameters move the cost most (one at a time)."""

from __future__ import annotations

from pathlib import Path

import click

from floors import api
from floors.cli.common import assumption_options, command_line, main, reports_input_errors
from floors.cli.run import FORMATS, write_files
from floors.problems import InputError, Problem
from floors.report.uncertainty import add_sensitivity
from floors.uncertainty import sensitivity as rank_parameters


@main.command()
@assumption_options
@click.option("--year", type=int, default=None, metavar="YEAR", help="Year whose cost is compared [default: the last].")
@click.option("--benefit", default="total", show_default=True, help="The benefit whose cost is compared.")
@click.option("--to", type=int, default=None, metavar="YEAR", help="Last year costed [default: macro.horizon].")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help="Folder for the results.")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True, default=("xlsx",),
              show_default=True, help="What to write (repeatable).")
@reports_input_errors
def sensitivity(country, scenarios, sets, assumptions_dir, year, benefit, to, out_dir, formats) -> None:
    """Rank the uncertain parameters by how much each moves the cost, one at a time.

    Every parameter with a declared uncertainty range is set to the low and then the high
    end of its range (the 10th and 90th percentiles for normal ranges), the others staying
    at their values; all in one vectorised pass. Prints the ranking and writes the run's
    workbook with a 'sensitivity' sheet and a tornado chart.

    \b
    Examples:
      floors sensitivity
      floors sensitivity --year 2030 --benefit old_age
      floors sensitivity -s universal-child-benefit --set children.take_up=0.9
    """
    if len(scenarios) > 1:
        raise InputError([Problem("sensitivity takes one scenario (a+b to combine files)", key="--scenario",
                                  value=list(scenarios))])
    result = api.run(country, list(scenarios), set=list(sets), to=to, assumptions=assumptions_dir,
                     command=command_line())
    name = result.scenarios[0]
    (iso3, one), = result.countries.items()
    rows = rank_parameters(one.parameters[name], result.bundle, year, benefit, to)
    width = max(len(r["parameter"]) for r in rows) + 2
    click.echo(f"{name}: {benefit} cost in {rows[0]['year']}, {rows[0]['base']:.2%} of GDP; each parameter at "
               f"the ends of its range")
    click.echo(f"{'parameter':<{width}}{'low':>10}{'high':>10}{'cost at low':>13}{'cost at high':>14}{'swing':>9}")
    for r in rows:
        click.echo(f"{r['parameter']:<{width}}{r['low']:>10.4g}{r['high']:>10.4g}{r['cost_at_low']:>13.2%}"
                   f"{r['cost_at_high']:>14.2%}{r['swing']:>9.2%}")
    label = f"{name}-sensitivity"
    write_files(out_dir / f"{iso3}-{label}" / f"floors-{iso3}-{label}", formats,
                lambda: result.workbook(add_sheets=lambda wb, record: add_sensitivity(wb, rows)), result.to_frame)
