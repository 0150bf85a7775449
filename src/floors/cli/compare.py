"""`floors compare`: scenarios side by side, what differs, and why the cost changes."""

from __future__ import annotations

import click

from floors import api, naming
from floors.cli.common import (
    BASELINE,
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
from floors.engine.compare import CAUSES
from floors.problems import InputError, Problem


def format_comparison(results, decomposition, year: int, overrides: dict[str, str] | None = None) -> str:
    """The scenarios side by side in ``year``, and the change by cause; values set on the command line for
    every scenario are said once, in the title, rather than in each scenario's label."""
    share = results["cost_share_gdp"].sel(country=results.attrs["country"], year=year).to_pandas().T * 100
    common = " + " + " + ".join(naming.override_list(overrides)) if overrides else ""
    title = f"{results.attrs['country']} · cost as % of GDP in {year}"
    if common and all(str(n).endswith(common) for n in share.columns):
        share.columns = [str(n).removesuffix(common) for n in share.columns]
        title += f" · every scenario with {common.removeprefix(' + ')}"
    else:
        common = ""
    names = list(share.columns)
    width = max(12, *(len(n) + 2 for n in names))
    lines = [title, f"{'benefit':<14}" + "".join(f"{n:>{width}}" for n in names)]
    for benefit, row in share.iterrows():
        if benefit == "total":
            lines.append("-" * (14 + width * len(names)))
        lines.append(f"{benefit:<14}" + "".join(f"{v:>{width}.2f}" for v in row.to_numpy()))
    lines += ["", f"change in the total from {names[0]}, {year}, by cause (percentage points of GDP)",
              f"{'scenario':<28}" + "".join(f"{c:>12}" for c in CAUSES) + f"{'total':>12}"]
    total = decomposition.sel(benefit="total", year=year)
    for scenario in total["scenario"].values:
        one = total.sel(scenario=scenario)
        parts = "".join(f"{float(one['contribution'].sel(cause=c)) * 100:>12.3f}" for c in CAUSES)
        lines.append(f"{str(scenario).removesuffix(common):<28}{parts}{float(one['change']) * 100:>12.3f}")
    return "\n".join(lines)


def other_than_baseline(specs) -> str:
    """A scenario to compare with the baseline in a hint: the one given, unless it is the baseline itself."""
    return specs[0] if specs and specs[0] != BASELINE else "ilo-ess58"  # a preset: every country has it


@main.command()
@click.argument("positional", nargs=-1, metavar="[REFERENCE] [SCENARIO ...]")
@assumption_options
@to_option
@result_options
@strict_option
@reports_input_errors
def compare(positional, country, scenarios, sets, assumptions_dir, to, out_dir, formats, name, strict) -> None:
    """Compare scenarios with the first (the reference): cost side by side, the differences,
    the parameters that differ, and the change in cost split by cause.

    The scenarios are the arguments, then each -s (REFERENCE SCENARIO, or -s REFERENCE -s
    SCENARIO, or a mix): a scenario name, a path to a .yaml file, a+b (b laid over a), or
    'baseline' (the country's assumptions alone). The causes are level (how much is
    paid), coverage (who is paid), demography (the population projection) and macro
    (GDP, prices, labour market); their contributions (Shapley values over the causes)
    add up exactly to the change. Parameters are also marked policy or context (macro,
    demography, data). The workbook holds every sheet of `floors run` for all the
    scenarios, plus comparison, parameters_differ and decomposition (with charts), in
    OUT/NAME/ with NAME such as ECU-compare-baseline-vs-whole-floor (then -set-<hash>
    for --set values and -to<YEAR>, as for floors run).

    \b
    Examples:
      floors compare baseline universal-child-benefit
      floors compare -s baseline -s old-age-pension -s whole-floor --to 2030
      floors compare old-age-pension my-pension.yaml --set demography.interval_position=-1
    """
    specs = [*positional, *scenarios]
    if len(specs) < 2:
        raise InputError([Problem("compare needs a reference and at least one other scenario",
                                  key="SCENARIOS", value=specs,
                                  hint=f"e.g. floors compare {BASELINE} {other_than_baseline(specs)}")])
    with progress("comparing") as step:
        comparison = api.compare(country, specs, set=list(sets), to=to, assumptions=assumptions_dir,
                                 command=command_line(), name=name, progress=step)
    refuse_warnings(comparison.warnings, strict)
    results = comparison.costing.results
    years = [int(y) for y in results["year"].values]
    click.echo(format_comparison(results, comparison.decomposition, 2030 if 2030 in years else years[-1],
                                 comparison.overrides))
    paths = comparison.differing
    kinds = {path: comparison.parameters[comparison.names[0]][path].definition.kind for path in paths}
    policy = [p for p in paths if kinds[p] == "policy"]
    context = [p for p in paths if kinds[p] == "context"]
    click.echo(f"\nparameters that differ: {len(policy)} policy ({', '.join(policy) or 'none'}); "
               f"{len(context)} context ({', '.join(context) or 'none'})")
    written = write_results(out_dir, comparison.name, formats, comparison.workbook, comparison.to_frame)
    echo_warnings(comparison.warnings, [results.attrs["country"]], comparison.names, written.get("xlsx"))
