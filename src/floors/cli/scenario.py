"""`floors scenario template`: the Excel what-if template, to fill in and run as a scenario."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from floors.assumptions.layers import COMMAND_LINE_LAYER
from floors.assumptions.location import Folders, assumption_folders
from floors.assumptions.scenario import TEMPLATE_SUFFIX, find_scenario, in_scenario_folders
from floors.assumptions.template.write import write_template
from floors.cli.common import assumption_options, country_of, load, main, reports_input_errors
from floors.problems import InputError, Problem, display_path


@main.group()
def scenario() -> None:
    """Scenarios made in Excel: write a what-if template, fill it in, run it like a scenario file.

    \b
    Examples:
      floors scenario template --country ECU --out what-if.xlsx
      floors run --scenario what-if.xlsx
      floors run --scenario whole-floor+what-if.xlsx
    """


@scenario.command()
@assumption_options
@click.option("--out", "-o", "out", type=click.Path(dir_okay=False, path_type=Path), default=Path("what-if.xlsx"),
              show_default=True, help="The workbook to write (.xlsx).")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@reports_input_errors
def template(country, scenarios, sets, assumptions_dir, out, force) -> None:
    """Write every parameter of a country to an Excel workbook to fill in as a what-if scenario.

    Sheet what-if has one row per parameter: its name, description, unit, the value now
    (after the default, country and --scenario layers), a yellow "new value" column for
    yours (filled in advance with any --set values), the allowed values and the source.
    Shares are typed as 0.15 or 15%; values by year like "2025: 0.5; 2030: 1".
    Give the scenario a title on sheet scenario, then pass the file wherever a scenario is
    taken: every cell is checked, and each problem names its sheet and cell. --scenario
    names the one scenario to start from (a name in the country's scenario folders; a+b
    for several), which the template is read back on top of.

    \b
    Examples:
      floors scenario template --country ECU --out what-if.xlsx
      floors scenario template -c ECU -s whole-floor -o whole-floor-what-if.xlsx
      floors scenario template --set children.level=0.5 -o half-line.xlsx
      floors run --scenario what-if.xlsx
      floors validate -s what-if.xlsx
      floors run -s whole-floor+what-if.xlsx
    """
    folders = assumption_folders(assumptions_dir)
    iso3 = country_of(country, folders)
    problems = []
    if len(scenarios) > 1:
        problems.append(Problem("a template starts from one scenario (a+b to combine files)", key="--scenario",
                                value=list(scenarios), hint=f"e.g. -s {'+'.join(scenarios)}"))
    if out.suffix.lower() != TEMPLATE_SUFFIX:
        problems.append(Problem(f"a template is an Excel workbook: the name must end in {TEMPLATE_SUFFIX}",
                                key="--out", value=str(out), hint=f"e.g. --out {out.with_suffix(TEMPLATE_SUFFIX)}"))
    elif out.exists() and not force:
        problems.append(Problem("file exists", file=display_path(out), key="--out",
                                hint="choose another --out, or add --force to replace it"))
    parts = [part.strip() for spec in scenarios for part in spec.split("+") if part.strip()]
    names = [_scenario_name(part, folders, iso3, problems) for part in parts]
    if problems:
        raise InputError(problems)
    params, _ = load(iso3, ["+".join(parts)] if parts else [], (), assumptions_dir)
    new_values = {}
    if sets:  # checked like any --set; they fill the "new value" column, over the scenario's values
        changed, _ = load(iso3, ["+".join(parts)] if parts else [], sets, assumptions_dir)
        new_values = {e.path: e.value for e in changed.values() if e.layer == COMMAND_LINE_LAYER}
    based_on = "+".join(names) or None
    write_template(params, out, based_on=based_on, new_values=new_values)
    click.echo(f"wrote {display_path(out)}: {len(params)} parameters of {iso3}"
               + (f" (from scenario {based_on})" if based_on else "")
               + (f", {len(new_values)} new value{'s' if len(new_values) != 1 else ''} filled in" if new_values
                  else ""))
    click.echo("Type new values in the yellow 'new value' column and a title on sheet 'scenario', then run:\n"
               f"  floors run --country {iso3} --scenario {shlex.quote(str(out))}")


def _scenario_name(part: str, folders: Folders, country: str, problems: list[Problem]) -> str:
    """How the template names the scenario it starts from: by name in the country's scenario folders or the presets."""
    path = find_scenario(part, folders, country, problems)
    if path is None:
        return part
    if in_scenario_folders(path.name, folders, country).resolve() != path.resolve():
        folder = folders.scenario_dirs(country)[0]
        problems.append(Problem(f"scenario {part!r} is not in the country's scenario folders", key="--scenario",
                                hint="a template names the scenario it starts from, so that it can be read back "
                                     f"on top of it: copy {path.name} into {display_path(folder)} and give its name"))
    return path.stem if path.suffix == ".yaml" else path.name
