"""Faults while writing the results: a clear message, a non-zero exit, no partial file, the last results intact.

A full disk and a locked workbook are in test_workbook.py. Here: a read-only folder or
file system and Ctrl-C in the middle of writing either file. Tests may run as root,
for whom a folder's permissions do not block writing, so each fault is simulated where
the operating system would raise it (the real read-only folder runs for other users).
"""

from __future__ import annotations

import errno
import os
import tempfile
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
