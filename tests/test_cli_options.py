"""One vocabulary of options across the commands, checked by walking every command of `floors.cli.main`:
the same option has the same name, short flag, metavar and help everywhere; every command that lays
assumptions takes -c/--country, -s/--scenario, --set and --assumptions; every command that writes files
takes -o/--out; the year is --to everywhere; and no help text names an option its command does not have."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest

from floors.cli import main

# Commands that take --assumptions but lay no scenario over a country: init writes the user's folder for
# the country given as its argument; data import reads the agencies' files into the data tables.
NO_LAYERS = {"init", "data import"}
# Commands that write files (the others print, or write into the assumptions folder: init, data import).
WRITES = {"run", "compare", "sensitivity", "export", "brief", "scenario template"}
# Commands that write results under a run's name (floors.naming).
RESULTS = {"run", "compare", "sensitivity"}
SHARED = ("--country", "--scenario", "--set", "--assumptions", "--to")
FORBIDDEN = {"--year": "--to", "--output": "--out", "--dir": "--out", "--scenarios": "--scenario",
             "--iso3": "--country", "--country-code": "--country"}


def commands(group: click.Group = main, path: tuple[str, ...] = ()) -> Iterator[tuple[str, click.Command]]:
    # Through list_commands and get_command, as click does: `main` loads each command's module on first use.
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, f"floors {' '.join((*path, name))} is listed but not defined"
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


COMMANDS = dict(commands())


def options(command: click.Command) -> dict[str, click.Option]:
    """Every option by each of its names (--country and -c)."""
    return {name: p for p in command.params if isinstance(p, click.Option) for name in (*p.opts, *p.secondary_opts)}


def test_the_walk_finds_every_command():
    assert {"run", "compare", "sensitivity", "solve", "validate", "params", "export", "init", "data import",
            "scenario template"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - NO_LAYERS))
def test_every_command_that_reads_assumptions_takes_the_shared_options(name):
    have = options(COMMANDS[name])
    if "--assumptions" not in have:
        # export and brief read a run's workbook, not assumptions
        assert name in ("export", "brief"), f"{name} reads no assumptions: add it to the exceptions with a reason"
        return
    for long, short in (("--country", "-c"), ("--scenario", "-s"), ("--set", None), ("--assumptions", None)):
        assert long in have, f"{name} lacks {long}"
        if short:
            assert have[long] is have[short], f"{name}: {long} is not also {short}"


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_command_that_writes_files_takes_o_out(name):
    have = options(COMMANDS[name])
    assert "--out" in have and have["--out"] is have.get("-o"), name


def test_commands_that_write_results_share_out_format_and_name():
    for option in ("--out", "--format", "--name"):
        helps = {name: options(COMMANDS[name])[option].help for name in RESULTS}
        assert len(set(helps.values())) == 1, helps


def test_the_year_is_to_everywhere_and_no_synonyms():
    for name, command in COMMANDS.items():
        have = options(command)
        for word, instead in FORBIDDEN.items():
            assert word not in have, f"{name} has {word}: use {instead}"


def test_an_option_has_one_short_flag_metavar_and_help():
    by_option: dict[str, dict[str, click.Option]] = {}
    for name, command in COMMANDS.items():
        for option in command.params:
            if isinstance(option, click.Option) and not (name in NO_LAYERS and option.opts[0] in SHARED):
                by_option.setdefault(option.opts[0], {})[name] = option
    for long, where in by_option.items():
        shorts = {tuple(sorted(o.opts)) for o in where.values()}
        assert len(shorts) == 1, f"{long} has different flags: {shorts}"
    for long in SHARED:
        where = by_option[long]
        assert len({o.help for o in where.values()}) == 1, f"{long}: the help differs between {sorted(where)}"
        assert len({o.metavar for o in where.values()}) == 1, f"{long}: the metavar differs between {sorted(where)}"
    benefit = by_option["--benefit"]
    assert len({(o.help, o.metavar, o.default) for o in benefit.values()}) == 1


def help_text(name: str) -> str:
    command = COMMANDS[name] if name else main
    return command.help or ""


EXAMPLE = re.compile(r"floors (" + "|".join(sorted(COMMANDS, key=len, reverse=True)) + r")\b([^\n]*)")
OPTION = re.compile(r"(?<![\w.-])(--?[a-z][a-z-]*)")


@pytest.mark.parametrize("name", ["", *sorted(COMMANDS)])
def test_help_names_only_options_that_exist(name):
    """Every `floors CMD …` in a help text uses options CMD has; other options named are the command's own."""
    text = help_text(name)
    for command, rest in EXAMPLE.findall(text):
        assert command in COMMANDS, f"help of {name or 'floors'} names a command floors has not: {command}"
        have = options(COMMANDS[command])
        comment = rest.split("  ", 1)[0] if "  " in rest else rest  # the example, not what is said of it
        for word in OPTION.findall(comment):
            assert word in have or word in ("-h", "--help"), f"help of {name or 'floors'}: floors {command} {word}"
    if not name:
        return
    own = options(COMMANDS[name])
    prose = EXAMPLE.sub("", text)
    for word in OPTION.findall(prose):
        if word.startswith("--") or len(word) == 2:
            assert word in own, f"help of floors {name} names {word}, which it does not have"


def test_bad_option_values_are_refused_with_exit_2(runner):
    result = runner.invoke(main, ["sensitivity", "--year", "2030"])
    assert result.exit_code == 2 and "No such option '--year'" in result.output


@pytest.mark.parametrize(("args", "expected"), [
    (["scenario", "template", "-s", "whole-floor", "-s", "old-age-pension", "-o", "x.xlsx"],
     "a template starts from one scenario (a+b to combine files)"),
    (["sensitivity", "-s", "whole-floor", "-s", "old-age-pension"], "sensitivity takes one scenario"),
    (["compare", "-s", "baseline"], "compare needs a reference and at least one other scenario"),
    (["compare", "baseline", "whole-floor", "--name", "a b"], "cannot name the run 'a b'"),
    (["sensitivity", "--benefit", "pension"], "unknown benefit 'pension'"),
])
def test_bad_combinations_of_the_shared_options_exit_2_and_write_nothing(runner, tmp_path, monkeypatch, args,
                                                                        expected):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert expected in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_template_takes_set_values_as_new_values(runner, tmp_path):
    import openpyxl

    out = tmp_path / "half.xlsx"
    result = runner.invoke(main, ["scenario", "template", "--set", "children.level=0.5", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 new value filled in" in result.output
    sheet = openpyxl.load_workbook(out)["what-if"]
    new = {row[0].value: row[4].value for row in sheet.iter_rows(min_row=2)}
    assert new["children.level"] == 0.5 and new["children.age_max"] is None
