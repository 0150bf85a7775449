"""Writing output files so that a failure never leaves a partial file or loses an earlier one.

Each file is first written to a temporary file beside its destination; only when every
file of a run has been written are they renamed into place (a rename within a folder is
atomic). A locked or read-only destination gives a clear message, not a traceback.

A temporary is named ``.NAME.floors-PID-XXXX.tmp`` (PID the writing process). It is
removed when the write fails, when the run is interrupted (Ctrl-C, and SIGTERM, which
would otherwise end the process on the spot) and, for a process killed outright
(SIGKILL, a power cut), by the next write into the same folder, which sweeps the
temporaries of processes that no longer run. Those of a live process (a run writing into
the same folder at the same time) are left alone.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import re
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from floors.problems import InputError, Problem, display_path

Writer = Callable[[Path], object]  # writes the file at the path it is given; what it returns is ignored
TEMPORARY = re.compile(r"^\..+\.floors-(\d+)-[^.]+\.tmp$")


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as Ctrl-C is, so that the same clean-up runs and nothing half-written stays."""


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
        with terminate_as_interrupt():
            _write_and_replace(files, temporaries, created)
        finished = True
    finally:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
        if not finished:
            for folder in reversed(created):  # deepest first; a folder that holds anything stays
                with contextlib.suppress(OSError):
                    folder.rmdir()


def _write_and_replace(files: Mapping[Path, Writer], temporaries: dict[Path, Path], created: list[Path]) -> None:
    for path, write in files.items():
        try:
            created += _missing_folders(path.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            sweep_temporaries(path.parent)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.floors-{os.getpid()}-", suffix=".tmp",
                                            dir=path.parent)
        except OSError as exc:
            raise _cannot_write(path, exc, in_folder=True) from None
        temporaries[path] = Path(name)  # first: an interrupt from here on finds it to remove
        os.close(handle)
        failure = None
        with _unraisable_ignored():
            try:
                write(temporaries[path])
                os.chmod(temporaries[path], _mode_for(path))
            except OSError as exc:
                failure = _cannot_write(path, exc)
            if failure is not None:
                # On a full disk, the half-written zip of a workbook fails again when it is collected and
                # prints a traceback; collect it now, quietly (the problem above says all there is to say).
                gc.collect()
        if failure is not None:
            raise failure
    for path in temporaries:  # a file another program holds open fails here, before anything is replaced
        if path.exists():
            try:
                with open(path, "r+b"):
                    pass
            except OSError as exc:
                raise _cannot_write(path, exc) from None
    for path, temporary in temporaries.items():
        try:
            os.replace(temporary, path)
        except OSError as exc:
            raise _cannot_write(path, exc) from None


def sweep_temporaries(folder: Path) -> list[Path]:
    """Remove the temporaries in ``folder`` left by processes that no longer run; the paths removed."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = TEMPORARY.match(entry.name)
            if match and not _running(int(match.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except PermissionError:  # another user's process
        return True
    except (OSError, OverflowError):  # no such process, or a number no process can have
        return False
    return True


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While in the block, SIGTERM raises `Terminated` (a KeyboardInterrupt) instead of ending the process
    on the spot, so that clean-up runs. Only the main thread can take signals; elsewhere, nothing changes."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous not in (signal.SIG_DFL, None):  # someone (the command line) already handles it
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Terminated

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _unraisable_ignored() -> Iterator[None]:
    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        yield
    finally:
        sys.unraisablehook = previous


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
