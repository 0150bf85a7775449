"""An economist's session, played with a normal (non-editable) install from a scratch folder (issue 15).

The wheel is built from this checkout and installed into a folder of its own, which is put
first on the path of every command, so that what runs is the installed package and its
bundled assumptions, exactly as after ``pip install floors``. The session: a baseline, a
what-if with --set and a run with draws coexist, each labelled by what it ran; ``init``
starts a user's folder, which is edited, run from inside, and survives an upgrade (a
reinstall) while the installed package is never written to; ``-s NAME`` finds
``./NAME.yaml``; ``validate`` catches a typo in a scenario; ``params`` filters.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of this checkout, as pip builds it."""
    build = tmp_path_factory.mktemp("build")
    wheel = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(build), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    if wheel.returncode != 0:
        pytest.fail(f"the wheel could not be built:\n{wheel.stdout}\n{wheel.stderr}")
    return next(build.glob("floors-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The package as pip installs it from the wheel (its dependencies are those of the test environment)."""
    target = tmp_path_factory.mktemp("site")
    _install(wheel, target)
    return target


def _install(wheel: Path, target: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--upgrade", "--target",
                           str(target), str(wheel)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def floors(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "120"}
    env.pop("FLOORS_ASSUMPTIONS", None)
    return subprocess.run([sys.executable, "-m", "floors.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def scenario_labels(folder: Path) -> set[str]:
    (table,) = folder.glob("*.csv")
    with open(table, newline="", encoding="utf-8") as handle:
        return {row["scenario"] for row in csv.DictReader(handle)}


def test_the_session_from_a_scratch_folder(installed, wheel, tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    probe = floors(installed, scratch, "--version")
    ok(probe)
    where = subprocess.run([sys.executable, "-c", "import floors, floors.paths as p; print(floors.__file__); "
                            "print(p.bundled_assumptions())"], cwd=scratch, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(installed)})
    module, bundled = where.stdout.split()
    assert Path(module).is_relative_to(installed) and Path(bundled).is_relative_to(installed), where.stdout
    bundled_files = installed / "floors" / "bundled_assumptions"
    before = files_of(bundled_files)

    # A baseline, a what-if and draws: three results side by side, each labelled by what it ran.
    ok(floors(installed, scratch, "run"))
    what_if = ok(floors(installed, scratch, "run", "--set", "children.level=0.5"))
    ok(floors(installed, scratch, "run", "--draws", "20"))
    runs = sorted(p for p in (scratch / "outputs").iterdir() if p.is_dir())
    assert len(runs) == 3, runs
    labels = {run.name: scenario_labels(run) for run in runs}
    what_ifs = [name for name, label in labels.items() if any("children.level=0.5" in s for s in label)]
    assert len(what_ifs) == 1, labels  # the what-if says so; the baseline and the draws do not
    assert sum("draws20" in name for name in labels) == 1, labels
    assert "ECU · baseline ·" not in what_if
    ok(floors(installed, scratch, "run"))  # the same inputs again: replaced, not a fourth folder
    assert len([p for p in (scratch / "outputs").iterdir() if p.is_dir()]) == 3

    # A user's folder: started anywhere, edited, run from inside it.
    ok(floors(installed, scratch, "init", "KEN", "--in", "study"))
    study = scratch / "study"
    macro = study / "KEN" / "macro.yaml"
    macro.write_text(macro.read_text(encoding="utf-8").replace(
        "minimum_wage_monthly:\n  value:\n", "minimum_wage_monthly:\n  value: 15201\n"), encoding="utf-8")
    assert "15201" in macro.read_text(encoding="utf-8")
    shown = ok(floors(installed, study / "KEN", "params", "minimum_wage", "--format", "csv"))
    assert "macro.minimum_wage_monthly" in shown and "15201" in shown and ",macro.yaml," in shown  # from KEN/
    assert "children.level" not in shown  # the filter
    costed = ok(floors(installed, study, "run", "--format", "csv"))
    assert "KEN" in costed

    # -s NAME finds ./NAME.yaml; validate catches a typo in any scenario it can see.
    (study / "universal.yaml").write_text("title: Universal child benefit\nchanges:\n"
                                          "  children.targeting: universal\n", encoding="utf-8")
    ok(floors(installed, study, "run", "-s", "universal", "--format", "csv"))
    (study / "KEN" / "scenarios").mkdir()
    (study / "KEN" / "scenarios" / "typo.yaml").write_text("title: A typo\nchanges:\n  children.levle: 0.5\n",
                                                           encoding="utf-8")
    bad = floors(installed, study, "validate")
    assert bad.returncode == 2 and "children.levle" in bad.stderr + bad.stdout, bad.stdout + bad.stderr
    assert "Traceback" not in bad.stderr
    assert str(installed) not in bad.stderr + bad.stdout  # no path of the installation in the message

    assert files_of(bundled_files) == before, "the installed package was written to"

    # An upgrade (the wheel installed again) leaves the user's folder as it was, and it still runs.
    (study / "KEN" / "scenarios" / "typo.yaml").unlink()
    mine = files_of(study)
    _install(wheel, installed)
    assert files_of(study) == mine
    ok(floors(installed, study, "validate"))
