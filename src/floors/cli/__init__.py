"""The ``floors`` command line: thin wrappers around the library, with clear errors.

`common` holds the group, the shared options and the error handling; each other module
adds its command to the group when imported, which the group does on first use (the table
`floors.cli.common.COMMAND_MODULES`), so that ``floors --version`` imports none of them.
"""

from floors.cli.common import main, program

__all__ = ["main", "program"]
