"""`floors run`: cost the floor and write the workbook and the tidy table."""

from __future__ import annotations

import click
import xarray as xr

from floors import api, dims
from floors.assumptions.location import assumption_folders
from floors.cli.common import (
    assumption_options,
    command_line,
    country_of,
    main,
    refuse_warnings,
    reports_input_errors,
    strict_option,
    to_option,
)
from floors.cli.output import echo_warnings, result_options, write_results
from floors.cli.progress import dask_progress, progress
from floors.inputs import Bundle
from floors.report import RunRecord
from floors.report.countries import benefits_of, last_year_rows
from floors.report.sheets.report import total_interval


def format_summary(results, years: list[int]) -> str:
    """% of GDP by benefit (rows) for a few years (columns), one block per scenario."""
    share = results["cost_share_gdp"].sel(country=results.attrs["country"])
    blocks = []
    for scenario in share["scenario"].values:
        table = share.sel(scenario=scenario, year=years).to_pandas() * 100
        lines = [f"{results.attrs['country']} · {scenario} · cost as % of GDP",
                 f"{'benefit':<14}" + "".join(f"{y:>9}" for y in years)]
        for benefit, row in table.iterrows():
            if benefit == "total":
                lines.append("-" * (14 + 9 * len(years)))
            lines.append(f"{benefit:<14}" + "".join(f"{v:>9.2f}" for v in row.to_numpy()))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


@main.command()
@assumption_options
@to_option
@result_options
@click.option("--notes/--no-notes", default=False, help="Print how the data were extended and held.")
@click.option("--draws", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
              help="Monte Carlo draws over the parameters' declared uncertainty (0: none).")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Random seed of the draws (same seed, same draws).")
@click.option("--chunk", type=click.IntRange(min=1), default=None, metavar="N",
              help="Cost the draws N at a time through dask (for draws too many for memory).")
@strict_option
@reports_input_errors
def run(country, scenarios, sets, assumptions_dir, to, out_dir, formats, name, notes, draws, seed, chunk,
        strict) -> None:
    """Cost the floor benefit by benefit, print % of GDP and write the workbook and the tidy table.

    Each --scenario is one scenario (a+b lays b over a); with none, the country's
    baseline. Results go to OUT/NAME/floors-NAME.xlsx (summary with chart, one sheet per
    benefit, inputs, assumptions, warnings, meta) and .csv (columns scenario, country,
    benefit, variable, unit, year, value). NAME says what was run: ECU-baseline,
    ECU-universal-child-benefit, then -set-<hash> when --set is given (a hash of the
    values), -to<YEAR> with --to, -draws<N>-seed<S> with --draws; --name chooses another.
    The same command replaces its own files (only once everything is written); other
    inputs never overwrite them. A scenario costed with --set values is labelled with
    them (baseline + children.level=0.5) in the table, the CSV and the workbook.
    --country all (or a list such as KEN,SEN,ECU) costs several countries together into
    OUT/countries-<...>/, with a cross-country sheet and chart in % of GDP; with --draws,
    each country gets its own draws (those of its own run with the same --seed).

    \b
    Examples:
      floors run
      floors run --set children.targeting=poverty_targeted --set old_age.pensionable_age=60
      floors run -s universal-child-benefit -s targeted-child-benefit --to 2030
      floors run --country KEN --set unemployment.include=false --format csv
      floors run --country all
      floors run --country KEN,SEN,ECU -s path/to/scenario.yaml -o results
      floors run --draws 1000 --seed 7          median and 80 % interval of every cost
      floors run --country all --draws 1000     the same for each of the 19 countries
      floors run --set children.level=0.5 --name half-line
      floors run --strict                       any warning is an error: exit 2, nothing written
    """
    countries = country_list(country, assumptions_dir)
    if len(countries) > 1:
        run_countries(countries, scenarios, sets, assumptions_dir, to, out_dir, formats, name, strict,
                      draws=draws, seed=seed, chunk=chunk)
        return
    what = f"costing {countries[0]}" + (f" and {draws:,} draws" if draws else "")
    # Chunked draws: a bar over dask's tasks; otherwise a spinner (one display at a time).
    with dask_progress(what) if draws and chunk else progress(what) as step:
        result = api.run(country, list(scenarios), set=list(sets), to=to, draws=draws, seed=seed, chunk=chunk,
                         assumptions=assumptions_dir, command=command_line(), name=name, progress=step)
    refuse_warnings(result.warnings, strict)
    (iso3, one), = result.countries.items()
    results = one.costing.results
    years = [int(y) for y in results["year"].values]
    shown = sorted({years[0], *(y for y in (2025, 2030) if y in years), years[-1]})
    click.echo(format_summary(results, shown))
    if one.uncertainty is not None:
        click.echo(format_draws({iso3: one.uncertainty}, draws, seed))
    paths = write_results(out_dir, result.name, formats, result.workbook, result.to_frame)
    echo_warnings(result.warnings, [iso3], result.scenarios, paths.get("xlsx"))
    if notes:
        click.echo("\nnotes:\n" + results.attrs["notes"])


def country_list(spec: str | None, assumptions_dir) -> list[str]:
    """'all', one code, or a comma-separated list, as upper-case codes (checked later, all at once);
    none named: the user's folder's country, else the embedded default."""
    folders = assumption_folders(assumptions_dir)
    if spec is None:
        return [country_of(None, folders)]
    if spec.strip().lower() == "all":
        return list(Bundle(folders).countries)
    return [code.strip().upper() for code in spec.split(",") if code.strip()]


def run_countries(countries: list[str], scenarios, sets, assumptions_dir, to, out_dir, formats, name=None,
                  strict: bool = False, *, draws: int = 0, seed: int = 1, chunk: int | None = None) -> None:
    """Cost several countries (each over every scenario in one pass), then report them side by side.

    Countries are a dimension of the results: each country's Dataset is stacked on the
    ``country`` axis, and a benefit a country could not cost is missing (NaN) there. With
    ``draws``, each country's draws are the ones its own run with ``seed`` would make.
    """
    with progress("costing" + (f" with {draws:,} draws each" if draws else ""), total=len(countries)) as step:
        result = api.run(countries, list(scenarios), set=list(sets), to=to, draws=draws, seed=seed, chunk=chunk,
                         assumptions=assumptions_dir, command=command_line(), name=name, progress=step)
    refuse_warnings(result.warnings, strict)
    records = [result.record(iso3) for iso3 in result.countries]
    years = records[0].years
    year = 2030 if 2030 in years else years[-1]
    click.echo(format_countries(records, year))
    if draws:
        click.echo(format_draws({iso3: one.uncertainty for iso3, one in result.countries.items()
                                 if one.uncertainty is not None}, draws, seed))
    paths = write_results(out_dir, result.name, formats, result.workbook, result.to_frame)
    echo_warnings(result.warnings, list(result.countries), result.scenarios, paths.get("xlsx"))


def format_countries(records: list[RunRecord], year: int) -> str:
    benefits = benefits_of(records)
    lines = [f"cost as % of GDP in {year}",
             f"{'country':<10}{'scenario':<26}" + "".join(f"{b[:12]:>13}" for b in [*benefits, "total"])]
    for row in last_year_rows(records, year):
        label, *values = row
        country, _, scenario = label.partition(" ")  # "KEN" or "KEN <scenario label>"
        cells = "".join(f"{v * 100:>13.2f}" if v is not None else f"{'—':>13}" for v in values)
        lines.append(f"{country:<10}{scenario or records[0].scenarios[0]:<26}{cells}")
    return "\n".join(lines)


def format_draws(summaries: dict[str, xr.Dataset], n: int, seed: int) -> str:
    """The total's median and 80 % interval in the last year, for each scenario (and country, when there
    are several: the same lines as each country's own run with this seed)."""
    first = next(iter(summaries.values()))
    year = int(first[dims.YEAR].values[-1])
    several = len(summaries) > 1
    lines = [f"\n{n:,} draws (seed {seed}{', each country' if several else ''}): total cost in {year}, % of GDP"]
    for iso3, summary in summaries.items():
        for scenario in summary[dims.SCENARIO].values:
            low, median, high = 100 * total_interval(summary, str(scenario))[:, -1]  # the last year
            label = f"{iso3:<5}{scenario}" if several else str(scenario)
            lines.append(f"  {label:<28} median {median:.2f}   80 % interval {low:.2f}–{high:.2f}")
    return "\n".join(lines)
