"""Where the assumption files are.

In order: the folder given on the command line (``--assumptions``), the folder named by
the ``FLOORS_ASSUMPTIONS`` environment variable, the ``assumptions/`` folder of the
source checkout (an editable install, which is how economists edit them), or the copy
bundled inside an installed wheel.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

ENV_VAR = "FLOORS_ASSUMPTIONS"


def assumptions_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    checkout = Path(__file__).resolve().parents[3] / "assumptions"
    if (checkout / "default").is_dir():
        return checkout
    return Path(str(resources.files("floors") / "bundled_assumptions"))
