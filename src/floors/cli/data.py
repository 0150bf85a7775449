"""`floors data import`: refresh the bundled tables from the agencies' files, as downloaded."""

from __future__ import annotations

from pathlib import Path

import click

from floors.assumptions.location import Folders, assumption_folders, folder_to_write, marker_file
from floors.cli.common import main, reports_input_errors
from floors.inputs.importers import plan_import
from floors.paths import bundled_assumptions
from floors.problems import display_path


@main.group()
def data() -> None:
    """Data tables: import the agencies' files (to refresh a country, or add one) into your folder.

    \b
    Examples:
      floors data import WPP2024_Demographic_Indicators_Medium.csv WEOOct2025all.xls
      floors data import --help
    """


@data.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--country", "-c", "countries", multiple=True, metavar="ISO3",
              help="Import only these countries (repeatable, or ECU,MWI); each must be in every file. "
                   "[default: the bundled countries found in each file]")
@click.option("--currency", multiple=True, metavar="[ISO3=]CODE",
              help="ISO 4217 currency of a country not yet bundled, e.g. --currency MWI=MWK (repeatable).")
@click.option("--fiscal-year-gdp", "fiscal_year_gdp", multiple=True, metavar="[ISO3=]yes|no",
              help="Whether a country's WEO GDP is on fiscal years, where the WEO notes do not say "
                   "(or to override them), e.g. --fiscal-year-gdp MWI=no.")
@click.option("--allow-short-weo", is_flag=True,
              help="Accept a country whose WEO series stop before 2030 (as Bolivia's in October 2025); floors "
                   "then holds the last rates past them (macro.beyond_weo).")
@click.option("--dry-run", is_flag=True, help="Check the files and say what would change; write nothing.")
@click.option("--assumptions", "--in", "target", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="FLOORS_ASSUMPTIONS",
              help="Your assumptions folder, made if needed [default: the one that holds the working folder, "
                   "else the working folder].")
@reports_input_errors
def import_(files, countries, currency, fiscal_year_gdp, allow_short_weo, dry_run, target) -> None:
    """Read files as downloaded from the UN, the IMF and the World Bank into your assumptions folder.

    The format of each FILE is recognised from its header (plain or .gz):

    \b
      UN WPP Demographic Indicators   WPP2024_Demographic_Indicators_Medium.csv
                                      → births, population_total_sex
      UN WPP population by age, sex   WPP2024_PopulationByAge5GroupSex_Medium.csv
                                      → population_age5_sex
                                      WPP2024_PopulationBySingleAgeSex_Medium_1950-2023.csv
                                      and …_2024-2100.csv (give both)
                                      → population_single_age_sex
      IMF WEO, By countries           WEOOct2025all.xls (tab-separated text)
                                      → gdp, macro_other
      World Bank WDI (API)            API_SI.POV.NAHC_DS2_en_csv_v2_*.csv
                                      → poverty_headcount_national

    The tables go to your folder's data/ (never into the installed floors): a table there
    replaces the bundled one of the same name, so the bundled countries' rows are copied
    into it as they are and the rows of the countries imported are replaced. Each card
    records the file, its SHA-256, the date and the vintage. Every file is checked first
    (columns, countries, years 2022–2050 for WPP and 2015–2030 for the WEO, numbers, units,
    totals) and the new tables against their cards; any problem and nothing is written
    (exit status 2). A country not yet bundled is added to your folder's countries.yaml:
    its name and M49 code come from the WPP file, its currency from --currency; then
    floors init ISO3 writes its national values to review.

    \b
    Examples:
      floors data import WEOOct2025all.xls                      refresh every bundled country's WEO data
      floors data import WPP2024_Demographic_Indicators_Medium.csv --country ECU --dry-run
      floors data import WPP2024_*.csv WEOOct2025all.xls API_SI.POV.NAHC_*.csv \\
          --country MWI --currency MWI=MWK                     add Malawi
      floors data import WEOOct2025all.xls -c BOL --allow-short-weo
    """
    folder = folder_to_write(target)
    folders = assumption_folders(folder) if folder.is_dir() else Folders(base=bundled_assumptions(), user=folder)
    plan = plan_import(list(files), folders, countries, currency, fiscal_year_gdp, allow_short_weo)
    plan.extra_files = marker_file(folder, next(iter(plan.new_countries), None)) if folders.user is not None else {}
    if dry_run:
        click.echo("dry run: nothing written. The import would change:")
        for line in plan.summary():
            click.echo(f"  {line}")
        return
    for line in plan.summary():
        click.echo(line)
    for path in plan.write():
        click.echo(f"wrote {display_path(path)}")
