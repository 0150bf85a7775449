"""The ``floors`` command line: thin wrappers around the library, with clear errors.

Bad input never gives a traceback: every problem is printed at once and the exit status
is 2. Ctrl-C stops cleanly with status 130.
"""

from __future__ import annotations

import functools
import gc
import importlib
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from floors import __version__
from floors.limits import country_problems, year_problems
from floors.problems import InputError, Problem, display_path

if TYPE_CHECKING:  # the library is imported by the commands that use it, not by `floors --version`
    from floors.assumptions import ParameterSet
    from floors.assumptions.location import Folders
    from floors.inputs import Bundle

# Every command, and the module that defines it (and adds it to `main` when imported). A module is
# imported only when its command runs or help is shown, so `floors --version` and a command's own
# help do not import the whole library. A new command is one line here.
COMMAND_MODULES = {
    "app": "floors.cli.app",
    "brief": "floors.cli.brief",
    "compare": "floors.cli.compare",
    "data": "floors.cli.data",
    "export": "floors.cli.export",
    "init": "floors.cli.init",
    "params": "floors.cli.params",
    "run": "floors.cli.run",
    "scenario": "floors.cli.scenario",
    "sensitivity": "floors.cli.sensitivity",
    "solve": "floors.cli.solve",
    "validate": "floors.cli.check",
}

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
EXIT_INTERNAL_ERROR = 1


def reports_input_errors(command: Callable) -> Callable:
    """Print every input problem and exit 2, instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            click.echo(exc.report(), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("interrupted: nothing was written", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            # A defect in floors, not in the input: say so plainly; FLOORS_DEBUG=1 shows the traceback.
            if os.environ.get("FLOORS_DEBUG"):
                raise
            click.echo(f"internal error in floors ({type(exc).__name__}: {exc}). Nothing was written.\n"
                       "Please report it with the command you ran; FLOORS_DEBUG=1 shows the details.", err=True)
            sys.exit(EXIT_INTERNAL_ERROR)

    return wrapper


def strict_option(command: Callable) -> Callable:
    return click.option("--strict", is_flag=True,
                        help="Treat every warning as an error: list them all, exit 2 and write nothing.")(command)


def refuse_warnings(warnings: list[str], strict: bool) -> None:
    """With ``--strict``, every warning is a problem: all are reported (exit 2) before anything is written."""
    if strict and warnings:
        raise InputError([Problem(f"warning: {w}", file="--strict",
                                  hint="change the value, or run without --strict to accept it as a warning")
                          for w in warnings])


class OptionProblems(click.ClickException):
    """Problems found while the options are read (before the command runs): reported as every other input
    problem is, with exit status 2."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, problems: list[Problem]):
        self.error = InputError(problems)
        super().__init__(self.error.report())

    def show(self, file: Any = None) -> None:
        click.echo(self.error.report(), err=True)


def _within_limits(problems_of: Callable[[Any], list[Problem]]) -> Callable:
    """A click callback refusing a value that breaks a limit of `floors.limits`, before anything is loaded
    (exit 2, with the limit and what to do)."""

    def check(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        found = problems_of(value) if value is not None else []
        if found:
            raise OptionProblems(found)
        return value

    return check


def _country_problems(spec: str) -> list[Problem]:
    codes = [code for code in spec.split(",") if code.strip()]
    if not codes:
        return [Problem("no country given", key="--country",
                        hint="name one, e.g. -c ECU, several as -c KEN,SEN, or -c all")]
    return country_problems(codes)


country_option = click.option(
    "--country", "-c", default=None, metavar="ISO3", callback=_within_limits(_country_problems),
    help="Country code (ISO 3166 alpha-3), e.g. ECU or KEN [default: your assumptions folder's country "
         "(its floors-folder.yaml), else ECU].")
assumptions_option = click.option(
    "--assumptions", "assumptions_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    envvar="FLOORS_ASSUMPTIONS",
    help="Your assumptions folder (made by floors init), laid over the bundled assumptions [default: the one "
         "that holds the working folder, else the bundled assumptions alone].")


def assumption_options(command: Callable) -> Callable:
    """The options every command that reads assumptions shares."""
    options = [
        country_option,
        click.option("--scenario", "-s", "scenarios", multiple=True, metavar="NAME[+NAME]",
                     help="Scenario to lay over the country's assumptions: a name (in your folder's or the "
                          "bundled ISO3/scenarios/, the presets, or NAME.yaml here) or a path; a+b applies a "
                          "then b."),
        click.option("--set", "sets", multiple=True, metavar="SECTION.NAME=VALUE",
                     help="Override one parameter, e.g. --set macro.horizon=2035 (repeatable)."),
        assumptions_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


to_option = click.option(
    "--to", type=int, default=None, metavar="YEAR", callback=_within_limits(year_problems),
    help="Last year costed, and the year sensitivity and solve report [default: macro.horizon].")


def country_of(country: str | None, folders: Folders) -> str:
    """The country named, else the user's folder's, else the embedded default (Ecuador)."""
    from floors.assumptions.location import DEFAULT_COUNTRY

    return (country or folders.country or DEFAULT_COUNTRY).strip().upper()


def load(country: str | None, scenarios, sets, assumptions_dir) -> tuple[ParameterSet, Bundle]:
    from floors.assumptions import load_parameters
    from floors.assumptions.location import assumption_folders
    from floors.inputs import Bundle

    bundle = Bundle(assumption_folders(assumptions_dir))
    params = load_parameters(bundle.folders, country_of(country, bundle.folders), scenarios, sets,
                             known_countries=set(bundle.countries))
    return params, bundle


class FloorsGroup(click.Group):
    """Loads each command's module on first use (`COMMAND_MODULES`), and keeps the arguments as
    typed, for the record a workbook carries of how it was made."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["floors.argv"] = list(args)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(COMMAND_MODULES[cmd_name])
        return self.commands.get(cmd_name)


def program() -> None:
    """``floors`` as a program of its own (the console script, ``python -m floors.cli``), as against `main`
    called within a longer-lived process (tests, a notebook).

    Two settings of Python's garbage collector that only a short-lived process may make. The
    command's module (pandas, xarray, openpyxl, ... on first use) is imported with the collector
    paused, then everything imported is moved out of its sight (`gc.freeze`): importing creates some
    hundred thousand long-lived objects and no garbage worth collecting, and the collector's passes
    over them, during the import, in every full collection after it and while Python shuts down,
    cost about a third of a second of a `floors run` (benchmarks/run.py). After the command, what
    it made is frozen too: the process is ending, and the operating system frees its memory
    without a last traversal of every object."""
    command = sys.argv[1] if len(sys.argv) > 1 else None
    if command in COMMAND_MODULES:
        gc.disable()
        try:
            importlib.import_module(COMMAND_MODULES[command])
        finally:
            gc.freeze()
            gc.enable()
    try:
        main()
    finally:
        gc.freeze()


@click.group(cls=FloorsGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="floors")
def main() -> None:
    """Cost the gaps in a social protection floor, benefit by benefit, to 2030.

    \b
    Examples:
      floors validate                      check Ecuador's assumption files and data
      floors validate --country KEN        the same for Kenya
      floors params --country ECU          every effective parameter, its unit and source
      floors params children               the parameters whose names contain 'children'
      floors run                           cost Ecuador's floor to 2030, write outputs/ECU-baseline/
      floors run -s universal-child-benefit -s targeted-child-benefit
      floors run --country all             every bundled country, side by side
      floors run --set children.level=0.5  a what-if, written to outputs/ECU-baseline-set-<hash>/
      floors run --draws 1000              median and 80 % interval of every cost
      floors compare baseline whole-floor  side by side, and the change by cause
      floors solve --budget 1.5% --vary children.level
      floors run --format pdf              a short PDF brief of the run (also: floors brief RUN)
      floors app                           what-ifs in your browser, on this computer
      floors scenario template --out what-if.xlsx
      floors sensitivity                   which uncertain parameters matter most
      floors init KEN --in my-study        your own assumptions folder for Kenya, to review and edit
      cd my-study && floors run            costs Kenya with your folder's values
      floors data import WPP2024_Demographic_Indicators_Medium.csv
    """


def scenario_name(spec: str) -> str:
    return "+".join(Path(part.strip()).stem for part in spec.split("+") if part.strip())


BASELINE = "baseline"


def command_line() -> str:
    """The command as typed (for the workbook's record), quoted so it can be pasted back; absolute paths
    are shown as `display_path` shows them (relative to the working folder), never this machine's."""
    argv = click.get_current_context().meta.get("floors.argv", sys.argv[1:])
    return " ".join(["floors", *(shlex.quote(_portable(arg)) for arg in argv)])


def _portable(arg: str) -> str:
    option, equals, value = arg.partition("=") if arg.startswith("--") else ("", "", arg)
    return f"{option}{equals}{display_path(value)}" if os.path.isabs(value) else arg
