"""`floors init ISO3`: a country's assumption folder, ready for a ministry to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from floors.assumptions import load_parameters
from floors.assumptions.init import REVIEW, country_files, planned_files
from floors.assumptions.location import Folders, assumption_folders, folder_to_write, marker_file
from floors.cli.common import main, reports_input_errors
from floors.inputs import Bundle
from floors.io.files import Writer, write_all_atomically
from floors.paths import bundled_assumptions
from floors.problems import InputError, Problem, display_path


@main.command()
@click.argument("iso3")
@click.option("--assumptions", "--in", "target", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="FLOORS_ASSUMPTIONS",
              help="Your assumptions folder, made if needed [default: the one that holds the working folder, "
                   "else the working folder].")
@click.option("--from-bundle/--from-defaults", default=True, show_default=True,
              help="Start from the values floors uses today for the country (keeping national values and their "
                   "sources), or from the international defaults.")
@click.option("--force", is_flag=True, help="Replace existing files of the country.")
@reports_input_errors
def init(iso3, target, from_bundle, force) -> None:
    """Start your assumptions folder for a country: the national values a costing needs, each to review.

    Writes ISO3/coverage.yaml, labour.yaml, poverty.yaml, macro.yaml and fiscal_space.yaml
    into your folder (and floors-folder.yaml, which marks it). Each file lists the national
    parameters with their description and unit in comments; values without a national
    source are marked DEFAULT TO REVIEW, which floors params and the workbooks show until
    someone replaces them. Your folder is laid over the assumptions bundled with floors:
    it holds only what you change, survives upgrades of floors, and is found from any
    folder inside it (or name it with --assumptions). Existing files are kept unless --force.

    A country floors has no data for needs its population and GDP first: download the UN
    WPP and IMF WEO files and run floors data import (see floors data import --help).

    \b
    Examples:
      floors init KEN --in my-study          start my-study/ for Kenya
      cd my-study && floors run              costs Kenya with my-study's values
      floors init SEN                        in the folder you are in (or the study holding it)
      floors init ECU --from-defaults --force
    """
    folder = folder_to_write(target)
    folders = assumption_folders(folder) if folder.is_dir() else Folders(base=bundled_assumptions(), user=folder)
    bundle = Bundle(folders)
    iso3 = iso3.upper()
    bundle.country(iso3)  # a clear error (with the way to import data) for a country with no data
    country_dir = folder / iso3
    existing = [p for p in planned_files(country_dir) if p.exists()]
    if existing and not force:
        raise InputError([Problem("the file exists already", file=display_path(p),
                                  hint="edit it, or pass --force to replace it") for p in existing])
    params = load_parameters(folders, iso3, known_countries=set(bundle.countries), with_country_files=from_bundle)
    texts = {country_dir / f"{section}.yaml": text for section, text in country_files(params, from_bundle).items()}
    texts.update(marker_file(folder, iso3))
    write_all_atomically({path: _text_writer(text) for path, text in texts.items()})
    # What was written must load: a defect here would hand a ministry a broken folder.
    load_parameters(assumption_folders(folder), iso3, known_countries=set(bundle.countries))
    to_review = sum(text.count(REVIEW) for text in texts.values())
    for path in texts:
        click.echo(f"wrote {display_path(path)}")
    click.echo(f"{to_review} values marked {REVIEW}; floors params -c {iso3} lists them with their sources")


def _text_writer(text: str) -> Writer:
    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")
    return write
