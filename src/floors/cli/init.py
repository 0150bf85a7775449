"""`floors init ISO3`: a country's assumption folder, ready for a ministry to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from floors.assumptions import assumptions_root, load_parameters
from floors.assumptions.init import REVIEW, country_files, planned_files
from floors.cli.common import main, reports_input_errors
from floors.inputs import Bundle
from floors.io.files import Writer, write_all_atomically
from floors.problems import InputError, Problem, display_path


@main.command()
@click.argument("iso3")
@click.option("--from-bundle", is_flag=True,
              help="Start from the values floors uses today for the country (keeping national values and their "
                   "sources) instead of the international defaults.")
@click.option("--force", is_flag=True, help="Replace existing files of the country.")
@click.option("--assumptions", "assumptions_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="FLOORS_ASSUMPTIONS", help="Assumptions folder [default: the bundled one].")
@reports_input_errors
def init(iso3, from_bundle, force, assumptions_dir) -> None:
    """Write assumptions/ISO3/ with the national values a costing needs, each marked for review.

    The files (coverage, labour, poverty, macro, fiscal_space) list every national
    override with its description and unit in comments; values without a national
    source are marked DEFAULT TO REVIEW, which floors params and the workbooks show
    until someone replaces them. Existing files are kept unless --force.

    \b
    Examples:
      floors init KEN
      floors init ECU --from-bundle --force
      floors init SEN --assumptions my-assumptions/
    """
    root = assumptions_root(assumptions_dir)
    bundle = Bundle(root)
    iso3 = iso3.upper()
    bundle.country(iso3)  # a clear error for a country with no bundled data
    folder = root / iso3
    existing = [p for p in planned_files(folder) if p.exists()]
    if existing and not force:
        raise InputError([Problem("the file exists already", file=display_path(p),
                                  hint="edit it, or pass --force to replace it") for p in existing])
    params = load_parameters(root, iso3, known_countries=set(bundle.countries), with_country_files=from_bundle)
    texts = country_files(params, from_bundle)
    write_all_atomically({folder / f"{section}.yaml": _text_writer(text) for section, text in texts.items()})
    # What was written must load: a defect here would hand a ministry a broken folder.
    load_parameters(root, iso3, known_countries=set(bundle.countries))
    to_review = sum(text.count(REVIEW) for text in texts.values())
    for section in texts:
        click.echo(f"wrote {display_path(folder / f'{section}.yaml')}")
    click.echo(f"{to_review} values marked {REVIEW}; floors params -c {iso3} lists them with their sources")


def _text_writer(text: str) -> Writer:
    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")
    return write
