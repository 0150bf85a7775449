"""`floors run`: cost the floor and write the workbook and the tidy table."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
import pandas as pd
import xarray as xr
from openpyxl import Workbook

from floors import dims
from floors.assumptions import ParameterSet, assumptions_root
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.cli.common import (
    assumption_options,
    command_line,
    load_scenarios,
    main,
    refuse_warnings,
    reports_input_errors,
    run_warnings,
    strict_option,
)
from floors.engine import Costing, costing
from floors.inputs import Bundle
from floors.problems import InputError, Problem, display_path
from floors.report import RunRecord, build_workbook, tidy_table, write_all_atomically
from floors.report.countries import benefits_of, build_countries_workbook, last_year_rows
from floors.report.uncertainty import add_uncertainty, tidy_quantiles
from floors.uncertainty import cost_draws, cost_draws_chunked, summarise


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


FORMATS = ("xlsx", "csv")


def run_record(costed: Costing, names: list[str], parameter_sets: list[ParameterSet], bundle: Bundle) -> RunRecord:
    """What a workbook reports about one country's costing."""
    iso3 = costed.results.attrs["country"]
    return RunRecord(results=costed.results, inputs=costed.inputs,
                     parameter_sets=dict(zip(names, parameter_sets, strict=True)),
                     data_files=bundle.files_read(), command=command_line(), country_name=bundle.country(iso3).name)


def write_files(stem: Path, formats, workbook: Callable[[], Workbook], table: Callable[[], pd.DataFrame]) -> None:
    """Build what ``formats`` asks for (only that), write it atomically as <stem>.xlsx / .csv, and say so."""
    writers = {}
    if "xlsx" in formats:
        writers[stem.with_suffix(".xlsx")] = workbook().save
    if "csv" in formats:
        frame = table()
        writers[stem.with_suffix(".csv")] = lambda temporary: frame.to_csv(temporary, index=False)
    write_all_atomically(writers)
    click.echo("")
    for path in writers:
        click.echo(f"wrote {display_path(path)}")


def write_outputs(stem: Path, costed: Costing, names: list[str], parameter_sets: list[ParameterSet], bundle: Bundle,
                  formats, add_sheets: Callable[[Workbook, RunRecord], None] | None = None,
                  extra_rows: pd.DataFrame | None = None) -> None:
    """Write the workbook and/or the tidy table of a costing, both or neither, and say so."""
    def workbook() -> Workbook:
        record = run_record(costed, names, parameter_sets, bundle)
        book = build_workbook(record, record.country_name)
        if add_sheets is not None:
            add_sheets(book, record)
        return book

    def table() -> pd.DataFrame:
        frame = tidy_table(costed.results)
        return frame if extra_rows is None else pd.concat([frame, extra_rows], ignore_index=True)

    write_files(stem, formats, workbook, table)


@main.command()
@assumption_options
@click.option("--to", type=int, default=None, metavar="YEAR", help="Last year costed [default: macro.horizon].")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help="Folder for the results.")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True, default=FORMATS,
              show_default=True, help="What to write (repeatable): the Excel workbook, the tidy CSV table.")
@click.option("--notes/--no-notes", default=False, help="Print how the data were extended and held.")
@click.option("--draws", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
              help="Monte Carlo draws over the parameters' declared uncertainty (0: none).")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Random seed of the draws (same seed, same draws).")
@click.option("--chunk", type=click.IntRange(min=1), default=None, metavar="N",
              help="Cost the draws N at a time through dask (for draws too many for memory).")
@strict_option
@reports_input_errors
def run(country, scenarios, sets, assumptions_dir, to, out_dir, formats, notes, draws, seed, chunk, strict) -> None:
    """Cost the floor benefit by benefit, print % of GDP and write the workbook and the tidy table.

    Each --scenario is one scenario (a+b lays b over a); with none, the country's
    baseline. Results go to OUT/<country>-<scenario>/floors-<country>-<scenario>.xlsx
    (summary with chart, one sheet per benefit, inputs, assumptions, warnings, meta) and
    .csv (columns scenario, country, benefit, variable, unit, year, value). Files are
    replaced only when everything has been written. --country all (or a list such as
    KEN,SEN,ECU) costs several countries together into OUT/countries-<...>/, with a
    cross-country sheet and chart in % of GDP.

    \b
    Examples:
      floors run
      floors run --set children.targeting=poverty_targeted --set old_age.pensionable_age=60
      floors run -s universal-child-benefit -s targeted-child-benefit --to 2030
      floors run --country KEN --set unemployment.include=false --format csv
      floors run --country all
      floors run --country KEN,SEN,ECU -s path/to/scenario.yaml
      floors run --draws 1000 --seed 7          median and 80 % interval of every cost
      floors run --strict                       any warning is an error: exit 2, nothing written
    """
    countries = country_list(country, assumptions_dir)
    if len(countries) > 1 and draws:
        raise InputError([Problem("--draws works on one country at a time", key="--draws",
                                  hint="run each country with --draws, or drop --draws for --country all")])
    if len(countries) > 1:
        run_countries(countries, scenarios, sets, assumptions_dir, to, out_dir, formats, strict)
        return
    names, parameter_sets, bundle = load_scenarios(country, scenarios, sets, assumptions_dir)
    params = ScenarioParameters.from_sets(names, parameter_sets)
    costed = costing(params, bundle, to=to, sets=parameter_sets)
    results = costed.results
    warnings = run_warnings(results, parameter_sets)
    refuse_warnings(warnings, strict)
    iso3 = results.attrs["country"]
    years = [int(y) for y in results["year"].values]
    shown = sorted({years[0], *(y for y in (2025, 2030) if y in years), years[-1]})
    click.echo(format_summary(results, shown))
    label = names[0] if len(names) == 1 else f"{names[0]}-and-{len(names) - 1}-more"
    stem = out_dir / f"{iso3}-{label}" / f"floors-{iso3}-{label}"
    add_sheets = extra_rows = None
    if draws:
        summary = monte_carlo(names, parameter_sets, bundle, draws, seed, to, chunk)
        extra_rows = tidy_quantiles(summary, iso3)

        def add_sheets(wb, record):
            add_uncertainty(wb, record, summary, draws, seed)
    write_outputs(stem, costed, names, parameter_sets, bundle, formats, add_sheets, extra_rows)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if notes:
        click.echo("\nnotes:\n" + results.attrs["notes"])


def country_list(spec: str, assumptions_dir) -> list[str]:
    """'all', one code, or a comma-separated list, as upper-case codes (checked later, all at once)."""
    if spec.strip().lower() == "all":
        return list(Bundle(assumptions_root(assumptions_dir)).countries)
    return [code.strip().upper() for code in spec.split(",") if code.strip()]


def run_countries(countries: list[str], scenarios, sets, assumptions_dir, to, out_dir, formats,
                  strict: bool = False) -> None:
    """Cost several countries (each over every scenario in one pass), then report them side by side.

    Countries are a dimension of the results: each country's Dataset is stacked on the
    ``country`` axis, and a benefit a country could not cost is missing (NaN) there.
    """
    records, costings, problems = [], [], []
    with click.progressbar(countries, label="costing", item_show_func=lambda c: c or "", file=sys.stderr) as bar:
        for iso3 in bar:
            try:
                names, parameter_sets, bundle = load_scenarios(iso3, scenarios, sets, assumptions_dir)
                costed = costing(ScenarioParameters.from_sets(names, parameter_sets), bundle, to=to,
                                 sets=parameter_sets)
            except InputError as exc:
                problems += [p for p in exc.problems if p not in problems]
                continue
            costings.append(costed)
            records.append(run_record(costed, names, parameter_sets, bundle))
    if problems:
        raise InputError(problems)
    warnings = [w for record in records for w in run_warnings(record.results, record.parameter_sets.values())]
    refuse_warnings(warnings, strict)
    years = records[0].years
    year = 2030 if 2030 in years else years[-1]
    click.echo(format_countries(records, year))
    label = "all" if len(countries) == len(bundle.countries) else "-".join(countries)  # the last country's bundle
    label = f"{label}-{records[0].scenarios[0]}" + (f"-and-{len(records[0].scenarios) - 1}-more"
                                                    if len(records[0].scenarios) > 1 else "")
    stem = out_dir / f"countries-{label}" / f"floors-countries-{label}"
    write_files(stem, formats, lambda: build_countries_workbook(records),
                lambda: pd.concat([tidy_table(c.results) for c in costings], ignore_index=True))
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


def format_countries(records: list[RunRecord], year: int) -> str:
    benefits = benefits_of(records)
    lines = [f"cost as % of GDP in {year}",
             f"{'country':<10}{'scenario':<26}" + "".join(f"{b[:12]:>13}" for b in [*benefits, "total"])]
    for row in last_year_rows(records, year):
        label, *values = row
        country, _, scenario = label.partition(" ")
        cells = "".join(f"{v * 100:>13.2f}" if v is not None else f"{'—':>13}" for v in values)
        lines.append(f"{country:<10}{scenario or records[0].scenarios[0]:<26}{cells}")
    return "\n".join(lines)


def monte_carlo(names, parameter_sets, bundle, n: int, seed: int, to, chunk) -> xr.Dataset:
    """Draw, cost and summarise; print the total's median and 80 % interval in the last year."""
    if chunk:
        from dask.diagnostics import ProgressBar

        draws = cost_draws_chunked(names, parameter_sets, bundle, n, seed, to, chunk=chunk)
        with ProgressBar(out=sys.stderr):
            draws = draws.compute()
    else:
        draws = cost_draws(names, parameter_sets, bundle, n, seed, to)
    summary = summarise(draws)
    year = int(summary[dims.YEAR].values[-1])
    click.echo(f"\n{n:,} draws (seed {seed}): total cost in {year}, % of GDP")
    for scenario in names:
        q = summary["cost_share_gdp"].sel({dims.SCENARIO: scenario, dims.BENEFIT: "total", dims.YEAR: year}) * 100
        click.echo(f"  {scenario:<28} median {float(q.sel(quantile=0.5)):.2f}   80 % interval "
                   f"{float(q.sel(quantile=0.1)):.2f}–{float(q.sel(quantile=0.9)):.2f}")
    return summary
