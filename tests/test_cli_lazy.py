"""The command line loads each command's module on first use (floors.cli.common.COMMAND_MODULES):
every command is still registered, listed with its short help, and ``floors --version`` imports
none of the library."""

import subprocess
import sys

from click.testing import CliRunner

from floors.cli import main
from floors.cli.common import COMMAND_MODULES


def test_every_command_is_registered_by_its_module_and_listed_with_its_help():
    runner = CliRunner()
    listing = runner.invoke(main, ["--help"]).output
    for name in COMMAND_MODULES:
        command = main.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None and command.name == name, name
        assert command.get_short_help_str(limit=200)[:20] in listing.split(f"  {name} ", 1)[1].splitlines()[0]
    # Every command defined anywhere in floors.cli is in the table (a module that adds one without a line
    # there would never be loaded).
    assert set(main.commands) == set(COMMAND_MODULES)


def test_version_imports_no_part_of_the_library():
    code = ("import sys; from floors.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'xarray', 'numpy', 'openpyxl')"
            " or m.startswith(('floors.assumptions', 'floors.inputs', 'floors.api', 'floors.cli.run')))\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
