"""Where floors' own files are, and how any path is shown to a person.

Messages and workbooks never show a machine's absolute paths: a path inside the working
folder is shown relative to it; a file of the assumptions bundled with floors as
``bundled:default/children.yaml``; a file of a known assumptions folder (a user's folder
found or named for this run, see `floors.assumptions.location`) as ``<folder name>/…``.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

# Folders whose files are shown by a short label rather than by their absolute path.
_LABELLED: dict[Path, str] = {}


def bundled_assumptions() -> Path:
    """The assumptions that come with floors: the checkout's ``assumptions/`` in an editable
    install (how the maintainers edit them), else the copy inside the installed package."""
    checkout = Path(__file__).resolve().parents[2] / "assumptions"
    if (checkout / "default").is_dir():
        return checkout
    return Path(str(resources.files("floors") / "bundled_assumptions"))


def label_folder(folder: Path, label: str) -> None:
    """Show the files of ``folder`` as ``label/…`` when they are outside the working folder."""
    _LABELLED[folder.resolve()] = label


def display_path(path: Path | str) -> str:
    """A path as short as it can be, with no absolute path of this machine in it."""
    p = Path(path)
    if not p.is_absolute() and ".." not in p.parts:
        return p.as_posix()  # as typed
    resolved = p.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        pass
    anchors = {bundled_assumptions().resolve(): "bundled:", **{k: f"{v}/" for k, v in _LABELLED.items()}}
    # The deepest anchor wins: a user's folder may sit inside the checkout.
    for anchor in sorted(anchors, key=lambda a: len(a.parts), reverse=True):
        if resolved.is_relative_to(anchor):
            return anchors[anchor] + resolved.relative_to(anchor).as_posix()
    # Elsewhere: a path the user typed (floors' own files are all anchored above).
    relative = Path(os.path.relpath(resolved, Path.cwd().resolve()))
    return relative.as_posix() if relative.parts[:2].count("..") < 2 else str(p)
