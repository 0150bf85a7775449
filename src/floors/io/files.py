"""Writing output files so that a failure never leaves a partial file or loses an earlier one.

Each file is first written to a temporary file beside its destination; only when every
file of a run has been written are they renamed into place (a rename within a folder is
atomic). A locked or read-only destination gives a clear message, not a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from floors.problems import InputError, Problem, display_path

Writer = Callable[[Path], None]


def write_atomically(path: Path, write: Writer) -> None:
    """Write one file through a temporary file beside ``path``, then rename it into place."""
    write_all_atomically({path: write})


def write_all_atomically(files: Mapping[Path, Writer]) -> None:
    """Write every file to a temporary beside it, then rename them all into place.

    If any write fails (or the run is interrupted), no destination is touched.
    """
    temporaries: dict[Path, Path] = {}
    created: list[Path] = []  # folders made here, removed again if nothing lands in them
    finished = False
    try:
        for path, write in files.items():
            try:
                created += _missing_folders(path.parent)
                path.parent.mkdir(parents=True, exist_ok=True)
                handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            except OSError as exc:
                raise _cannot_write(path, exc, in_folder=True) from exc
            os.close(handle)
            temporaries[path] = Path(name)
            try:
                write(temporaries[path])
                os.chmod(temporaries[path], _mode_for(path))
            except OSError as exc:
                raise _cannot_write(path, exc) from exc
        for path in temporaries:  # a file another program holds open fails here, before anything is replaced
            if path.exists():
                try:
                    with open(path, "r+b"):
                        pass
                except OSError as exc:
                    raise _cannot_write(path, exc) from exc
        for path, temporary in temporaries.items():
            try:
                os.replace(temporary, path)
            except OSError as exc:
                raise _cannot_write(path, exc) from exc
        finished = True
    finally:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
        if not finished:
            for folder in reversed(created):  # deepest first; a folder that holds anything stays
                with contextlib.suppress(OSError):
                    folder.rmdir()


def _missing_folders(folder: Path) -> list[Path]:
    """The folders from the outermost missing one down to ``folder`` that do not exist yet."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing[::-1]


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, or the usual ones for a new file (mkstemp's are 0600)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _cannot_write(path: Path, exc: OSError, in_folder: bool = False) -> InputError:
    """A clear problem for a failed write; ``in_folder`` when no file could be created in the folder at all."""
    name = display_path(path)
    if in_folder and (isinstance(exc, PermissionError) or exc.errno == errno.EROFS):
        folder = display_path(path.parent)
        return InputError([Problem(f"cannot write in the folder {folder}: {exc.strerror or exc}", file=name,
                                   hint="the folder is read-only or belongs to someone else: choose a writable "
                                        "folder with --out")])
    if exc.errno == errno.ENOSPC:
        hint = "free some disk space, or choose another folder with --out"
    elif isinstance(exc, PermissionError):
        hint = "close the file if another program (Excel) has it open, or choose a writable folder with --out"
    else:
        hint = "choose another folder with --out"
    return InputError([Problem(f"cannot write {name}: {exc.strerror or exc}", file=name, hint=hint)])
