"""The ``floors`` command line: thin wrappers around the library, with clear errors.

`common` holds the group, the shared options and the error handling; each other module
adds its commands to the group when imported.
"""

from floors.cli import check, compare, data, export, init, params, run, scenario, sensitivity, solve  # noqa: F401  (registers the commands)
from floors.cli.common import main

__all__ = ["main"]
