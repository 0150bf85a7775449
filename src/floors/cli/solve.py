"""`floors solve`: the value of a parameter at which the floor's cost meets a budget."""

from __future__ import annotations

import shlex
import textwrap
from pathlib import Path

import click

from floors import api, naming
from floors.api import command_line_values
from floors.assumptions import ParameterSet
from floors.benefits import benefit_problems
from floors.cli.common import BASELINE, assumption_options, load, main, reports_input_errors, scenario_name, to_option
from floors.cli.progress import progress
from floors.problems import InputError, Problem, display_path
from floors.solve import Solution, check_request, format_number, read_budget, solve_budget


@main.command()
@assumption_options
@to_option
@click.option("--budget", default=None, metavar="SHARE",
              help="The budget as a share of GDP: 1.5% or 0.015 (a bare number above 1 is refused as ambiguous).")
@click.option("--vary", "vary", multiple=True, metavar="SECTION.NAME",
              help="The parameter to solve for (repeat, or separate with commas, to move several together by one "
                   "common factor on their values).")
@click.option("--benefit", default="total", show_default=True, metavar="BENEFIT",
              help="Whose cost: total (the whole floor) or one benefit, e.g. children.")
@reports_input_errors
def solve(country, scenarios, sets, assumptions_dir, to, budget, vary, benefit) -> None:
    """Find the value of a parameter at which the cost in a year equals a budget (% of GDP).

    The year is the last year costed: --to, by default macro.horizon. The search costs
    many candidate values in each vectorised pass of the engine, over the parameter's
    allowed range, then finer and finer inside the bracket where the cost crosses the
    budget, until the cost is within 0.001 points of GDP of the budget. It runs on top of
    the country's assumptions, the scenario(s) and any --set given.

    A whole-number parameter (an age, a year) cannot meet a budget exactly: the answer is
    the one whose cost is closest to the budget without exceeding it. Several --vary move
    together by one common factor on their values, keeping their ratios (numbers that need
    not be whole only). Prints the value(s), the cost by benefit in that year, and the
    `floors run` command that reproduces it, with the folder it writes (its own: the
    values found are --set values, so its name carries their hash).

    \b
    Examples:
      floors solve --budget 1.5% --to 2030 --vary children.level
      floors solve --budget 0.03 --vary children.take_up
      floors solve --budget 5% --vary old_age.pensionable_age
      floors solve --budget 2% --benefit children --vary children.level -s targeted-child-benefit
      floors solve --budget 2.5% --vary children.level --vary old_age.level --set old_age.level=0.5
    """
    vary = [path.strip() for option in vary for path in option.split(",") if path.strip()]
    problems: list[Problem] = benefit_problems(benefit)  # an unknown benefit, before anything else
    share = read_budget(budget, problems)
    try:
        params, bundle = load(country, scenarios, sets, assumptions_dir)
    except InputError as exc:
        raise InputError(problems + exc.problems) from None
    problems += [p for p in check_request(params, vary, to, benefit) if p not in problems]
    if problems or share is None:
        raise InputError(problems)
    with progress("solving") as step:
        solution = solve_budget(params, bundle, vary, share, to, benefit, progress=step)
    label = naming.scenario_label("+".join(scenario_name(spec) for spec in scenarios) or BASELINE,
                                  command_line_values(params))
    click.echo(format_solution(solution, params, label))
    line = reproduce(solution, params.country, scenarios, sets, assumptions_dir, to)
    written = api.planned_name(params.country, list(scenarios), set=reproduce_sets(solution, sets), to=to,
                               assumptions=assumptions_dir)
    folder = display_path(naming.files(Path("outputs"), written).parent)
    click.echo(f"\nreproduce: {line}\n           (writes {folder}/)")


def format_solution(solution: Solution, params: ParameterSet, label: str) -> str:
    """A short readable report: the value(s), the cost reached, the search, and the cost by benefit."""
    s = solution
    what = "the whole floor" if s.benefit == "total" else f"the {s.benefit} benefit"
    lines = [f"{params.country} · {label} · solve: {what} to cost {_pct(s.budget_share, 4)} of GDP in {s.year}", ""]
    if s.factor is not None:
        lines.append(f"{' and '.join(s.vary)} move together: a common factor of {s.factor:.6g} on their values")
    width = max(len(path) for path in s.vary)
    for path, value in s.values.items():
        limits = params[path].definition.range
        allowed = f", allowed {limits[0]:g}–{limits[1]:g}" if limits else ""
        lines.append(f"{path:<{width}} = {format_number(value):<10}  (was {format_number(s.baseline[path])}"
                     f"{allowed}; {params[path].definition.unit})")
    lines.append("")
    if s.exact:
        lines.append(f"cost in {s.year}: {_pct(s.cost_share, 4)} of GDP, within {s.tolerance * 100:g} points of "
                     f"the budget")
    else:
        lines.append(f"cost in {s.year}: {_pct(s.cost_share, 4)} of GDP, under the budget")
        lines += textwrap.wrap(s.reason or "", width=96, initial_indent="  ", subsequent_indent="  ")
    lines.append(f"search: {s.iterations} engine pass{'es' if s.iterations != 1 else ''} over {s.scenarios} "
                 f"candidate values, {s.seconds:.2f} s")
    lines += ["", f"cost by benefit in {s.year} at this value, % of GDP"]
    for name, share in s.by_benefit.items():
        if name == "total":
            lines.append("-" * 24)
        lines.append(f"{name:<14}{share * 100:>10.3f}")
    return "\n".join(lines)


def _pct(share: float, decimals: int) -> str:
    return f"{share * 100:.{decimals}f}%"


def reproduce_sets(solution: Solution, sets) -> list[str]:
    """The --set options of the reproducing run: the user's (but for the parameters solved for), then the values
    found."""
    varied = set(solution.vary)
    return [*(s for s in sets if s.partition("=")[0].strip() not in varied), *solution.set_options()]


def reproduce(solution: Solution, country: str, scenarios, sets, assumptions_dir, to: int | None = None) -> str:
    """The `floors run` command that costs the floor at the value found."""
    args = ["floors", "run"]
    if country.upper() != "ECU":
        args += ["-c", country.upper()]
    if scenarios:
        args += ["-s", "+".join(scenarios)]
    if assumptions_dir is not None:
        args += ["--assumptions", str(assumptions_dir)]
    if to is not None:
        args += ["--to", str(to)]
    for option in reproduce_sets(solution, sets):
        args += ["--set", option]
    return " ".join(shlex.quote(arg) for arg in args)
