"""The code-quality gates of the README's Development section, run by the test command.

Each is a separate tool configured in pyproject.toml: ruff (style and likely bugs), import-linter
(the layers of DESIGN.md §2: data flows one way) and mypy (the annotations hold). Running them
here keeps the README's single test command the whole of CI.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_is_clean():
    result = _run(sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_layers_import_only_downwards():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if lint_imports is None:
        pytest.fail("lint-imports is not installed: pip install -e '.[test]'")
    result = _run(lint_imports)
    assert result.returncode == 0, result.stdout + result.stderr


def test_annotations_type_check():
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
