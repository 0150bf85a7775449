"""Shared fixtures: the real assumptions folder, and a private copy a test may break."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from floors.assumptions import assumptions_root
from floors.inputs import Bundle

REPO_ASSUMPTIONS = assumptions_root()


# A cache folder of this test session's own (floors.io.cache), set before any test module is collected:
# never the user's, never another session's (each xdist worker has its own), removed at the end.
PRIVATE_CACHE = tempfile.mkdtemp(prefix="floors-test-cache-")
os.environ["FLOORS_CACHE_DIR"] = PRIVATE_CACHE
atexit.register(shutil.rmtree, PRIVATE_CACHE, True)


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return Bundle(REPO_ASSUMPTIONS)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the assumption files (the data folder linked, not copied) that a test may edit."""
    root = tmp_path / "assumptions"
    shutil.copytree(REPO_ASSUMPTIONS, root, ignore=shutil.ignore_patterns("data"))
    (root / "data").symlink_to(REPO_ASSUMPTIONS / "data", target_is_directory=True)
    (root / "ECU" / "scenarios").mkdir(exist_ok=True)
    return root


@pytest.fixture
def tree_with_data(tmp_path: Path) -> Path:
    """A full copy, data included, for tests that break a data table."""
    root = tmp_path / "assumptions"
    shutil.copytree(REPO_ASSUMPTIONS, root)
    return root


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
