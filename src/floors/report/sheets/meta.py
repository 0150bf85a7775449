"""Sheet ``meta``: version, time, command line, SHA-256 of every file read, library versions."""

from __future__ import annotations

import functools
import hashlib
import platform
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from floors import __version__
from floors.io.excel import write_table
from floors.report.record import RunRecord

LIBRARIES = ("numpy", "pandas", "xarray", "pydantic", "openpyxl", "click", "ruamel.yaml")


def sha256(path: Path) -> str:
    """The file's SHA-256. Within one process a file is hashed again only when its size or modification
    time changes (as make and git judge it): `--country all` lists the same defaults for every country."""
    stat = path.stat()
    return _sha256_of(path.resolve(), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=4096)
def _sha256_of(path: Path, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def _library_version(library: str) -> str:
    try:
        return version(library)
    except PackageNotFoundError:
        return "not installed"


def digest_of(files: dict[str, str]) -> str:
    """One SHA-256 for a set of files: of their sorted 'name  hash' lines (as sha256sum prints them)."""
    lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(files.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def _relative(path: Path, root: Path | None) -> str:
    try:
        return path.resolve().relative_to(root).as_posix() if root else path.name
    except ValueError:
        return path.as_posix()


def meta_rows(record: RunRecord) -> list[list]:
    assumption_files = dict.fromkeys(p for params in record.parameter_sets.values() for p in params.files)
    root = _common_root([*assumption_files, *record.data_files])
    assumption_hashes = {_relative(p, root): sha256(p) for p in assumption_files}
    data_hashes = {_relative(p, root): sha256(p) for p in record.data_files}
    rows = [
        ["floors version", __version__, ""],
        ["created (UTC)", record.created.strftime("%Y-%m-%d %H:%M:%S"), ""],
        ["command line", record.command, ""],
        ["country", record.country, ""],
        ["scenarios", ", ".join(record.scenarios), ""],
        ["years", f"{record.years[0]}-{record.years[-1]}", ""],
        ["currency", record.currency, ""],
        ["assumption files, SHA-256 of all", digest_of(assumption_hashes),
         f"{len(assumption_hashes)} files; sha256 of the sorted 'hash  file' lines below"],
        ["data files, SHA-256 of all", digest_of(data_hashes),
         f"{len(data_hashes)} files; sha256 of the sorted 'hash  file' lines below"],
        ["python", platform.python_version(), platform.platform()],
    ]
    rows += [[f"library {library}", _library_version(library), ""] for library in LIBRARIES]
    rows += [["assumption file SHA-256", digest, name] for name, digest in sorted(assumption_hashes.items())]
    rows += [["data file SHA-256", digest, name] for name, digest in sorted(data_hashes.items())]
    return rows


def _common_root(paths: Sequence[Path]) -> Path | None:
    """The assumptions folder the files share, so hashes are listed by paths a reader can find."""
    import os

    resolved = [str(p.resolve()) for p in paths]
    return Path(os.path.commonpath(resolved)) if resolved else None


def add_meta(wb: Workbook, record: RunRecord) -> Worksheet:
    ws = wb.create_sheet("meta")
    write_table(ws, ("item", "value", "detail"), meta_rows(record), widths=[34, 70, 60])
    return ws
