"""`floors run`: cost the floor and write the workbook and the tidy table."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pandas as pd
import xarray as xr
from openpyxl import Workbook

from floors import api, dims
from floors.assumptions import assumptions_root
from floors.cli.common import (
    assumption_options,
    command_line,
    main,
    refuse_warnings,
    reports_input_errors,
    strict_option,
)
from floors.inputs import Bundle
from floors.io.files import write_all_atomically
from floors.problems import InputError, Problem, display_path
from floors.report import RunRecord
from floors.report.countries import benefits_of, last_year_rows


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
    with _dask_progress(chunk if draws else None):
        result = api.run(country, list(scenarios), set=list(sets), to=to, draws=draws, seed=seed, chunk=chunk,
                         assumptions=assumptions_dir, command=command_line())
    refuse_warnings(result.warnings, strict)
    (iso3, one), = result.countries.items()
    results = one.costing.results
    years = [int(y) for y in results["year"].values]
    shown = sorted({years[0], *(y for y in (2025, 2030) if y in years), years[-1]})
    click.echo(format_summary(results, shown))
    if one.uncertainty is not None:
        click.echo(format_draws(one.uncertainty, draws, seed))
    names = result.scenarios
    label = names[0] if len(names) == 1 else f"{names[0]}-and-{len(names) - 1}-more"
    write_files(out_dir / f"{iso3}-{label}" / f"floors-{iso3}-{label}", formats, result.workbook, result.to_frame)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if notes:
        click.echo("\nnotes:\n" + results.attrs["notes"])


@contextlib.contextmanager
def _dask_progress(chunk: int | None):
    """dask's progress bar on stderr while chunked draws compute (nothing otherwise)."""
    if not chunk:
        yield
        return
    from dask.diagnostics import ProgressBar

    with ProgressBar(out=sys.stderr):
        yield


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
    with click.progressbar(length=len(countries), label="costing", item_show_func=lambda c: c or "",
                           file=sys.stderr) as bar:
        result = api.run(countries, list(scenarios), set=list(sets), to=to, assumptions=assumptions_dir,
                         command=command_line(), progress=lambda iso3: bar.update(1, iso3))
    refuse_warnings(result.warnings, strict)
    records = [result.record(iso3) for iso3 in result.countries]
    years = records[0].years
    year = 2030 if 2030 in years else years[-1]
    click.echo(format_countries(records, year))
    every = len(countries) == len(result.bundle.countries)
    label = "all" if every else "-".join(countries)
    label = f"{label}-{result.scenarios[0]}" + (f"-and-{len(result.scenarios) - 1}-more"
                                                if len(result.scenarios) > 1 else "")
    write_files(out_dir / f"countries-{label}" / f"floors-countries-{label}", formats, result.workbook,
                result.to_frame)
    for warning in result.warnings:
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


def format_draws(summary: xr.Dataset, n: int, seed: int) -> str:
    """The total's median and 80 % interval in the last year, for each scenario."""
    year = int(summary[dims.YEAR].values[-1])
    lines = [f"\n{n:,} draws (seed {seed}): total cost in {year}, % of GDP"]
    for scenario in summary[dims.SCENARIO].values:
        q = summary["cost_share_gdp"].sel({dims.SCENARIO: scenario, dims.BENEFIT: "total", dims.YEAR: year}) * 100
        lines.append(f"  {scenario:<28} median {float(q.sel(quantile=0.5)):.2f}   80 % interval "
                     f"{float(q.sel(quantile=0.1)):.2f}–{float(q.sel(quantile=0.9)):.2f}")
    return "\n".join(lines)
