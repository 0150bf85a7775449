"""A cache of parsed and checked files, in the user's cache folder, keyed by content.

Reading and checking the bundled tables and parsing the assumption YAML are most of a
short run's time, and give the same answer for the same bytes. So each result is kept,
in this process and on disk, under the SHA-256 of the bytes it was made from *and* of the
source code that made it: an edited file, or a new check in floors, is simply a new key
and is read afresh. Callers store only results that passed every check (a file with a
problem is re-read, and its problems reported, every time).

Where: ``platformdirs.user_cache_dir("floors")`` (``~/.cache/floors`` on Linux), or the
folder named by ``FLOORS_CACHE_DIR``; ``FLOORS_CACHE_DIR=off`` turns the disk cache off.
Deleting the folder is always safe. Entries are pickles: the folder is the user's own, and
anyone who can write there can already run code as the user.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

import platformdirs

from floors import __version__
from floors.io.files import write_atomically
from floors.problems import InputError

CACHE_ENV = "FLOORS_CACHE_DIR"
DISABLED = {"off", "0", "false", "no", "none"}
Value = TypeVar("Value")

# This process's entries: the second country of `--country all` unpickles nothing. Bounded, oldest out first:
# a long-running process (floors app) reads many uploaded files.
_memory: dict[tuple[str, str], object] = {}
MEMORY_ENTRIES_KEPT = 512


def cache_dir() -> Path | None:
    """The folder of the disk cache, or None when ``FLOORS_CACHE_DIR`` turns it off."""
    setting = os.environ.get(CACHE_ENV)
    if setting is not None and setting.strip().lower() in DISABLED | {""}:
        return None
    return Path(setting) if setting else Path(platformdirs.user_cache_dir("floors"))


@cache
def code_digest(*source_files: str) -> str:
    """A digest of the code that makes a cached value (its modules' source) and of what it runs on."""
    digest = hashlib.sha256(f"{__version__} {sys.version} {pickle.HIGHEST_PROTOCOL}".encode())
    for name in source_files:
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()


def content_key(code: str, *contents: bytes) -> str:
    """The key of a value made by ``code`` (a `code_digest`) from ``contents`` (the files' bytes)."""
    digest = hashlib.sha256(code.encode())
    for content in contents:
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


def cached(kind: str, key: str, make: Callable[[], tuple[Value, bool]], extra_versions: str = "",
           entries_kept: int = 256) -> Value:
    """The value stored under (``kind``, ``key``), else ``make()``'s, stored if ``make`` says it is clean.

    ``make`` returns (value, keep): keep is False when the value carries problems, which
    must be found again on the next read. ``extra_versions`` names the libraries whose
    pickles the value holds (a pandas frame), so an upgrade misses instead of failing.
    Each kind keeps its ``entries_kept`` most recently written entries (every edit of a file
    is a new entry: the folder must not grow for ever).
    """
    memory_key = (kind, key)
    if memory_key in _memory:
        return _memory[memory_key]  # type: ignore[return-value]
    found = load(kind, key, extra_versions)
    if found is not None:
        _remember(memory_key, found[0])
        return found[0]  # type: ignore[return-value]
    value, keep = make()
    if keep:
        _remember(memory_key, value)
        store(kind, key, value, extra_versions, entries_kept)
    return value


def _entry(kind: str, key: str, extra_versions: str) -> Path | None:
    folder = cache_dir()
    return folder / kind / f"{hashlib.sha256((key + extra_versions).encode()).hexdigest()}.pickle" if folder else None


def load(kind: str, key: str, extra_versions: str = "") -> tuple[object] | None:
    """The value on disk under (``kind``, ``key``), as a 1-tuple; None when there is none (or it is unreadable)."""
    path = _entry(kind, key, extra_versions)
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as stream:
            return (pickle.load(stream),)
    except Exception:  # a truncated or stale entry is a miss, never an error
        return None


def store(kind: str, key: str, value: object, extra_versions: str = "", entries_kept: int = 256) -> None:
    """Write (or replace) the value on disk under (``kind``, ``key``); only clean values belong here."""
    path = _entry(kind, key, extra_versions)
    if path is not None:
        _store(path, value)
        _prune(path.parent, entries_kept)


def _remember(key: tuple[str, str], value: object) -> None:
    _memory[key] = value
    while len(_memory) > MEMORY_ENTRIES_KEPT:
        _memory.pop(next(iter(_memory)))


def _store(path: Path, value: object) -> None:
    """Write an entry atomically, as floors writes every file (`floors.io.files.write_atomically`: no entry half
    written, and its temporary removed even on Ctrl-C or SIGTERM); a cache that cannot be written (read-only
    home, full disk) is skipped."""
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically(path, lambda temporary: temporary.write_bytes(data))
    except (InputError, pickle.PicklingError):
        pass


def _prune(folder: Path, entries_kept: int) -> None:
    """Delete all but the ``entries_kept`` newest entries of ``folder`` (run only when an entry is written)."""
    try:
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[entries_kept:]:
            old.unlink(missing_ok=True)
    except OSError:  # another process pruning at the same time, or a read-only folder
        pass


def clear_memory() -> None:
    """Forget this process's entries (tests that switch cache folders)."""
    _memory.clear()
