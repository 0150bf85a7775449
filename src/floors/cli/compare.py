"""`floors compare`: scenarios side by side, what differs, and why the cost changes."""

from __future__ import annotations

from pathlib import Path

import click

from floors import api
from floors.cli.common import BASELINE, command_line, main, refuse_warnings, reports_input_errors, strict_option
from floors.cli.run import FORMATS, write_files
from floors.engine.compare import CAUSES
from floors.problems import InputError, Problem


def format_comparison(results, decomposition, year: int) -> str:
    share = results["cost_share_gdp"].sel(country=results.attrs["country"], year=year).to_pandas().T * 100
    names = list(share.columns)
    width = max(12, *(len(n) + 2 for n in names))
    lines = [f"{results.attrs['country']} · cost as % of GDP in {year}",
             f"{'benefit':<14}" + "".join(f"{n:>{width}}" for n in names)]
    for benefit, row in share.iterrows():
        if benefit == "total":
            lines.append("-" * (14 + width * len(names)))
        lines.append(f"{benefit:<14}" + "".join(f"{v:>{width}.2f}" for v in row.to_numpy()))
    lines += ["", f"change in the total from {names[0]}, {year}, by cause (percentage points of GDP)",
              f"{'scenario':<28}" + "".join(f"{c:>12}" for c in CAUSES) + f"{'total':>12}"]
    total = decomposition.sel(benefit="total", year=year)
    for scenario in total["scenario"].values:
        one = total.sel(scenario=scenario)
        lines.append(f"{scenario:<28}" + "".join(f"{float(one['contribution'].sel(cause=c)) * 100:>12.3f}"
                                                 for c in CAUSES) + f"{float(one['change']) * 100:>12.3f}")
    return "\n".join(lines)


@main.command()
@click.argument("scenarios", nargs=-1, required=True, metavar="REFERENCE SCENARIO [SCENARIO ...]")
@click.option("--country", "-c", default="ECU", show_default=True, metavar="ISO3", help="Country code, e.g. ECU.")
@click.option("--set", "sets", multiple=True, metavar="SECTION.NAME=VALUE",
              help="Override one parameter in every scenario (repeatable).")
@click.option("--assumptions", "assumptions_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="FLOORS_ASSUMPTIONS", help="Assumptions folder [default: the bundled one].")
@click.option("--to", type=int, default=None, metavar="YEAR", help="Last year costed [default: macro.horizon].")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help="Folder for the results.")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True, default=FORMATS,
              show_default=True, help="What to write (repeatable).")
@strict_option
@reports_input_errors
def compare(scenarios, country, sets, assumptions_dir, to, out_dir, formats, strict) -> None:
    """Compare scenarios with the first (the reference): cost side by side, the differences,
    the parameters that differ, and the change in cost split by cause.

    Each SCENARIO is a scenario name, a path to a .yaml file, a+b (b laid over a), or
    'baseline' (the country's assumptions alone). The causes are level (how much is
    paid), coverage (who is paid), demography (the population projection) and macro
    (GDP, prices, labour market); their contributions (Shapley values over the causes)
    add up exactly to the change. Parameters are also marked policy or context (macro,
    demography, data). The workbook holds every sheet of `floors run` for all the
    scenarios, plus comparison, parameters_differ and decomposition (with charts).

    \b
    Examples:
      floors compare baseline universal-child-benefit
      floors compare baseline old-age-pension whole-floor --to 2030
      floors compare old-age-pension my-pension.yaml --set demography.interval_position=-1
    """
    if len(scenarios) < 2:
        raise InputError([Problem("compare needs a reference and at least one other scenario",
                                  key="SCENARIOS", value=list(scenarios),
                                  hint=f"e.g. floors compare {BASELINE} {scenarios[0]}")])
    comparison = api.compare(country, list(scenarios), set=list(sets), to=to, assumptions=assumptions_dir,
                             command=command_line())
    refuse_warnings(comparison.warnings, strict)
    results = comparison.costing.results
    years = [int(y) for y in results["year"].values]
    click.echo(format_comparison(results, comparison.decomposition, 2030 if 2030 in years else years[-1]))
    paths = comparison.differing
    kinds = {path: comparison.parameters[comparison.names[0]][path].definition.kind for path in paths}
    policy = [p for p in paths if kinds[p] == "policy"]
    context = [p for p in paths if kinds[p] == "context"]
    click.echo(f"\nparameters that differ: {len(policy)} policy ({', '.join(policy) or 'none'}); "
               f"{len(context)} context ({', '.join(context) or 'none'})")
    iso3 = results.attrs["country"]
    names = comparison.names
    label = f"compare-{names[0]}-vs-{names[1]}" + (f"-and-{len(names) - 2}-more" if len(names) > 2 else "")
    write_files(out_dir / f"{iso3}-{label}" / f"floors-{iso3}-{label}", formats, comparison.workbook,
                comparison.to_frame)
