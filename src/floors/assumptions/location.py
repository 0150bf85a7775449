"""Where the assumption files are: the bundled tree, and a user's own folder laid over it.

floors ships a complete tree of assumptions (``default/``, ``countries.yaml``, ``data/``,
``presets/`` and a folder per country with national values). A **user's folder** holds only
what its user changes: country files (``KEN/coverage.yaml``), scenarios
(``KEN/scenarios/*.yaml``), presets, and data imported with ``floors data import``
(``data/``, ``countries.yaml``). `floors init` starts one anywhere; a file named
``floors-folder.yaml`` marks it, so that floors finds it from any folder inside it, as git
finds its repository. Nothing is ever written inside the installed package.

Which folders a command reads, in order of precedence:

1. ``--assumptions DIR`` (or ``assumptions=`` in Python), else the ``FLOORS_ASSUMPTIONS``
   environment variable: a user's folder, laid over the bundled tree, or a complete tree
   (one with ``default/``), used alone;
2. else the user's folder that holds the working folder (``floors-folder.yaml`` here or in
   a parent);
3. else the bundled tree alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from floors.assumptions.yaml_io import read_yaml
from floors.paths import bundled_assumptions, label_folder
from floors.problems import InputError, Problem, display_path

ENV_VAR = "FLOORS_ASSUMPTIONS"
MARKER = "floors-folder.yaml"
DEFAULT_COUNTRY = "ECU"  # the embedded default: costed when no country is named and no user's folder names one


@dataclass(frozen=True)
class Folders:
    """The assumption folders of a run: a complete tree, and the user's folder laid over it."""

    base: Path
    user: Path | None = None
    country: str | None = None  # the user's folder's default country (its floors-folder.yaml)

    @property
    def layers(self) -> list[Path]:
        """The folders in the order they are laid: the later wins."""
        return [self.base, *([self.user] if self.user is not None else [])]

    def country_dirs(self, iso3: str) -> list[Path]:
        return [folder / iso3 for folder in self.layers]

    def scenario_dirs(self, iso3: str) -> list[Path]:
        """Where a scenario named NAME is looked for, first match first: the user's, then the bundled."""
        return [folder / iso3 / "scenarios" for folder in reversed(self.layers)]

    def preset_dirs(self) -> list[Path]:
        """Scenarios for any country (the ILO's published methods), looked for after the country's own."""
        return [folder / "presets" for folder in reversed(self.layers)]

    def data_file(self, name: str) -> Path:
        """A data table or its card: the user's copy (written by `floors data import`) replaces the bundled one."""
        if self.user is not None and (self.user / "data" / name).is_file():
            return self.user / "data" / name
        return self.base / "data" / name

    def data_dirs(self) -> list[Path]:
        return [folder / "data" for folder in self.layers if (folder / "data").is_dir()]

    @property
    def countries_file(self) -> Path:
        """The country list: the user's (written by `floors data import`) replaces the bundled one."""
        if self.user is not None and (self.user / "countries.yaml").is_file():
            return self.user / "countries.yaml"
        return self.base / "countries.yaml"


def assumption_folders(explicit: str | os.PathLike[str] | Folders | None = None, *,
                       start: Path | None = None) -> Folders:
    """The folders a command reads (see the module's docstring for the order)."""
    if isinstance(explicit, Folders):
        return explicit
    named = explicit or os.environ.get(ENV_VAR) or None
    if named:
        folder = Path(named)
        if (folder / "default").is_dir():
            return Folders(base=folder)
        if not folder.is_dir():
            raise InputError([Problem("the assumptions folder does not exist", file=display_path(folder),
                                      key="--assumptions" if explicit else ENV_VAR,
                                      hint="start one with: floors init ISO3 --assumptions " + display_path(folder))])
        return _user_folder(folder)
    found = find_user_folder(start or Path.cwd())
    return _user_folder(found) if found is not None else Folders(base=bundled_assumptions())


def find_user_folder(start: Path) -> Path | None:
    """The folder marked by floors-folder.yaml that holds ``start`` (itself or a parent), if any."""
    for folder in [start.resolve(), *start.resolve().parents]:
        if (folder / MARKER).is_file():
            return folder
    return None


def _user_folder(folder: Path) -> Folders:
    problems: list[Problem] = []
    country = None
    if (folder / MARKER).is_file():
        doc = read_yaml(folder / MARKER, problems)
        data = doc.data if doc is not None else None
        if isinstance(data, dict) and data.get("country") is not None:
            country = str(data["country"]).upper()
        elif doc is not None and data is not None and not isinstance(data, dict):
            problems.append(Problem("expected 'country: ISO3' (or nothing)", file=doc.name,
                                    hint="write e.g. country: KEN, the country floors uses when none is named"))
    if problems:
        raise InputError(problems)
    label_folder(folder, folder.resolve().name)
    return Folders(base=bundled_assumptions(), user=folder, country=country)


def folder_to_write(explicit: str | os.PathLike[str] | None = None, *, start: Path | None = None) -> Path:
    """Where `floors init` and `floors data import` write: the folder named, else the user's folder
    that holds the working folder, else the working folder itself (which becomes a user's folder)."""
    named = explicit or os.environ.get(ENV_VAR) or None
    folder = Path(named) if named else (find_user_folder(start or Path.cwd()) or (start or Path.cwd()))
    installed = bundled_assumptions().resolve()
    if folder.resolve().is_relative_to(installed) and not (installed.parent / "pyproject.toml").is_file():
        raise InputError([Problem("floors never writes inside its installed package (an upgrade would erase it)",
                                  file=display_path(folder), key="--assumptions",
                                  hint="name a folder of your own, e.g. --assumptions my-study")])
    return folder


def marker_file(folder: Path, country: str | None) -> dict[Path, str]:
    """The floors-folder.yaml that makes ``folder`` a user's folder (nothing if it is one, or a complete tree)."""
    if (folder / "default").is_dir() or (folder / MARKER).is_file():
        return {}
    text = ("# A floors assumptions folder: what you change over the assumptions bundled with floors.\n"
            "# floors finds it from any folder inside it (see floors init --help).\n"
            "# The country floors costs when a command names none:\n"
            f"country: {country or DEFAULT_COUNTRY}\n")
    return {folder / MARKER: text}


def assumptions_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The complete tree read when no user's folder is involved (kept for scripts written before user folders)."""
    return assumption_folders(explicit).base
