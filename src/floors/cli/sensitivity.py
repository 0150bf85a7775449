"""`floors sensitivity`: which uncertain parameters move the cost most (one at a time)."""

from __future__ import annotations

import click

from floors import api
from floors.cli.common import (
    assumption_options,
    command_line,
    main,
    refuse_warnings,
    reports_input_errors,
    strict_option,
    to_option,
)
from floors.cli.output import echo_warnings, result_options, write_results
from floors.cli.progress import progress
from floors.problems import InputError, Problem


@main.command()
@assumption_options
@to_option
@result_options
@click.option("--benefit", default="total", show_default=True, metavar="BENEFIT",
              help="Whose cost: total (the whole floor) or one benefit, e.g. children.")
@strict_option
@reports_input_errors
def sensitivity(country, scenarios, sets, assumptions_dir, to, out_dir, formats, name, benefit, strict) -> None:
    """Rank the uncertain parameters by how much each moves the cost, one at a time.

    Every parameter with a declared uncertainty range is set to the low and then the high
    end of its range (the 10th and 90th percentiles for normal ranges), the others staying
    at their values; all in one vectorised pass. The cost compared is that of --benefit in
    the last year costed (--to). Prints the ranking and writes the run's workbook with a
    'sensitivity' sheet and a tornado chart, and the ranking as CSV, to OUT/NAME/ with NAME
    such as ECU-baseline-sensitivity (then -<benefit>, -set-<hash>, -to<YEAR>).

    \b
    Examples:
      floors sensitivity
      floors sensitivity --to 2030 --benefit old_age
      floors sensitivity -s universal-child-benefit --set children.take_up=0.9 -o results
    """
    if len(scenarios) > 1:
        raise InputError([Problem("sensitivity takes one scenario (a+b to combine files)", key="--scenario",
                                  value=list(scenarios), hint="give one -s, or run sensitivity once per scenario")])
    with progress("ranking the uncertain parameters") as step:
        ranked = api.sensitivity(country, scenarios[0] if scenarios else None, set=list(sets), to=to,
                                 benefit=benefit, assumptions=assumptions_dir, command=command_line(), name=name,
                                 progress=step)
    refuse_warnings(ranked.result.warnings, strict)
    rows = ranked.rows
    width = max(len(r["parameter"]) for r in rows) + 2
    click.echo(f"{ranked.scenario}: {benefit} cost in {ranked.year}, {rows[0]['base']:.2%} of GDP; each parameter at "
               f"the ends of its range")
    click.echo(f"{'parameter':<{width}}{'low':>10}{'high':>10}{'cost at low':>13}{'cost at high':>14}{'swing':>9}")
    for r in rows:
        click.echo(f"{r['parameter']:<{width}}{r['low']:>10.4g}{r['high']:>10.4g}{r['cost_at_low']:>13.2%}"
                   f"{r['cost_at_high']:>14.2%}{r['swing']:>9.2%}")
    written = write_results(out_dir, ranked.name, formats, ranked.workbook, ranked.to_frame)
    echo_warnings(ranked.result.warnings, list(ranked.result.countries), ranked.result.scenarios,
                  written.get("xlsx"))
