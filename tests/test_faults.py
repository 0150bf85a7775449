"""Faults while writing the results: a clear message, a non-zero exit, no partial file, the last results intact.

A full disk and a locked workbook are in test_workbook.py. Here: a read-only folder or
file system and Ctrl-C in the middle of writing either file. Tests may run as root,
for whom a folder's permissions do not block writing, so each fault is simulated where
the operating system would raise it (the real read-only folder runs for other users).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from floors.cli import main


def disk_full_in_csv(monkeypatch):
    def fail(self, path, **kwargs):
        Path(path).write_text("scenario,country\nbaseline,EC", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(pd.DataFrame, "to_csv", fail)


def read_only_folder(monkeypatch):
    def fail(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(tempfile, "mkstemp", fail)


def read_only_file_system(monkeypatch):
    def fail(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")
    monkeypatch.setattr(tempfile, "mkstemp", fail)


def ctrl_c_in_workbook(monkeypatch):
    def interrupt(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise KeyboardInterrupt
    monkeypatch.setattr(openpyxl.Workbook, "save", interrupt)


def ctrl_c_in_csv(monkeypatch):
    def interrupt(self, path, **kwargs):
        Path(path).write_text("scenario,country\n", encoding="utf-8")
        raise KeyboardInterrupt
    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupt)


FAULTS = {
    "disk full while writing the table": (disk_full_in_csv, 2, ["No space left on device", "free some disk space"]),
    "read-only output folder": (read_only_folder, 2, ["cannot write in the folder", "choose a writable folder"]),
    "read-only file system": (read_only_file_system, 2, ["Read-only file system", "choose a writable folder"]),
    "Ctrl-C while saving the workbook": (ctrl_c_in_workbook, 130, ["interrupted: nothing was written"]),
    "Ctrl-C while writing the table": (ctrl_c_in_csv, 130, ["interrupted: nothing was written"]),
}


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_fault_while_writing_leaves_the_previous_results_intact(fault, runner, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert runner.invoke(main, ["run", "--out", str(out)]).exit_code == 0
    folder = out / "ECU-baseline"
    before = contents(folder)
    cause, status, messages = FAULTS[fault]
    cause(monkeypatch)

    result = runner.invoke(main, ["run", "--out", str(out), "--set", "children.level=0.5"])

    assert result.exit_code == status, result.output
    for message in messages:
        assert message in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert contents(folder) == before  # no temporary left behind, no file half-replaced


def test_a_fault_on_a_first_run_leaves_no_file(runner, tmp_path, monkeypatch):
    ctrl_c_in_csv(monkeypatch)
    result = runner.invoke(main, ["run", "--out", str(tmp_path / "out")])
    assert result.exit_code == 130
    assert [p for p in (tmp_path / "out").rglob("*") if p.is_file()] == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes in a read-only folder")
def test_a_really_read_only_folder(runner, tmp_path):
    folder = tmp_path / "out" / "ECU-baseline"
    folder.mkdir(parents=True)
    folder.chmod(0o555)
    try:
        result = runner.invoke(main, ["run", "--out", str(tmp_path / "out")])
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2
    assert "cannot write in the folder" in result.output
    assert list(folder.iterdir()) == []


def sigterm_in_workbook(monkeypatch):
    """SIGTERM (a scheduler's timeout, `kill`) arriving while the workbook is half saved."""
    def terminate(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the signal arrives first
    monkeypatch.setattr(openpyxl.Workbook, "save", terminate)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")
def test_sigterm_while_writing_leaves_no_temporary_and_the_previous_results(runner, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert runner.invoke(main, ["run", "--out", str(out)]).exit_code == 0
    folder = out / "ECU-baseline"
    before = contents(folder)
    sigterm_in_workbook(monkeypatch)

    result = runner.invoke(main, ["run", "--out", str(out), "--name", "ECU-baseline"])

    assert result.exit_code == 130, result.output
    assert "interrupted: nothing was written" in result.output
    assert contents(folder) == before  # the half-written temporary removed
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the handler is the writer's alone


def dead_pid() -> int:
    """The pid of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    return int(done.stdout)


def test_temporaries_of_killed_runs_are_swept_by_the_next(runner, tmp_path):
    """A run killed outright (SIGKILL, a power cut) cannot clean up: the next write into the folder does,
    leaving alone the temporaries of a run still writing there."""
    out = tmp_path / "out"
    assert runner.invoke(main, ["run", "--out", str(out), "--format", "csv"]).exit_code == 0
    folder = out / "ECU-baseline"
    killed = folder / f".floors-ECU-baseline.xlsx.floors-{dead_pid()}-k1ll3d.tmp"
    alive = folder / f".floors-ECU-baseline.csv.floors-{os.getppid()}-wr1t1ng.tmp"
    other = folder / "notes.tmp"  # not floors's: never touched
    for path in (killed, alive, other):
        path.write_bytes(b"half")

    result = runner.invoke(main, ["run", "--out", str(out), "--format", "csv"])

    assert result.exit_code == 0, result.output
    assert not killed.exists() and alive.exists() and other.exists()


def full_disk_script(out: Path) -> str:
    """A run whose workbook hits a full disk midway, as openpyxl really writes it (through zipfile), so that
    the half-written zip is left for the garbage collector, which used to print a traceback."""
    return f"""
import errno, io, zipfile
real_open = io.open

class FullDisk(io.FileIO):
    def write(self, data):
        if self.tell() + len(data) > 20_000:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)

def open_on_a_full_disk(file, mode="r", *args, **kwargs):
    if isinstance(file, str) and file.endswith(".tmp") and ".xlsx." in file and "w" in mode:
        return io.BufferedWriter(FullDisk(file, "w"))  # buffered, as a real file: the close fails too
    return real_open(file, mode, *args, **kwargs)

zipfile.io = type("io", (), {{**{{k: getattr(io, k) for k in dir(io) if not k.startswith("__")}},
                               "open": staticmethod(open_on_a_full_disk)}})
from floors.cli import main
main(["run", "--out", {str(out)!r}, "--name", "ECU-baseline"])
"""


def test_a_full_disk_while_saving_the_workbook_is_one_clear_message(runner, tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(main, ["run", "--out", str(out)]).exit_code == 0
    folder = out / "ECU-baseline"
    before = contents(folder)

    done = subprocess.run([sys.executable, "-c", full_disk_script(out)], capture_output=True, text=True, timeout=300)

    assert done.returncode == 2, done.stderr
    assert "No space left on device" in done.stderr and "free some disk space" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert contents(folder) == before


@pytest.fixture
def small_disk(tmp_path):
    """A real 300 kB file system (tmpfs), where the machine lets the tests mount one (root, CAP_SYS_ADMIN)."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(mount_point)], capture_output=True).returncode:
        pytest.skip("cannot mount a small file system here")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def test_a_really_full_disk(runner, small_disk):
    out = small_disk / "out"
    assert runner.invoke(main, ["run", "--out", str(out)]).exit_code == 0
    before = contents(out / "ECU-baseline")
    filler = small_disk / "filler"
    with contextlib.suppress(OSError), open(filler, "wb") as handle:  # the close fails too
        while True:
            handle.write(b"\0" * 4096)
            handle.flush()

    done = subprocess.run([sys.executable, "-m", "floors.cli", "run", "--out", str(out), "--name", "ECU-baseline"],
                          capture_output=True, text=True, timeout=300)

    assert done.returncode == 2, done.stderr
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert contents(out / "ECU-baseline") == before
