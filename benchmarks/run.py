"""Benchmark: how long what a user does takes, against the targets of issue 19.

Each figure is the median of several repeats (wall-clock time, so a busy machine shows
in it: the load average is printed with the core count). Commands run as a user runs
them, in a fresh process, with the cache of parsed tables warm (`floors.io.cache`, in a
temporary folder of this benchmark's own; one run with the cache off is shown beside).

    python benchmarks/run.py                 # every figure
    python benchmarks/run.py --repeats 3
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from timing import median_seconds  # benchmarks/timing.py, beside this script


def report(what: str, seconds: float, target: float | None) -> None:
    """One line: the figure, its target and the ratio (below 1: the target is met)."""
    if target is None:
        print(f"{what:<52} {seconds:8.3f} s")
    else:
        verdict = "met" if seconds <= target else "NOT met"
        print(f"{what:<52} {seconds:8.3f} s   target {target:6.3f} s   ratio {seconds / target:5.2f}  ({verdict})")


def command(args: list[str], env: dict[str, str], cwd: Path, without_dask: bool = False) -> Callable[[], object]:
    """A floors command in a fresh process. ``without_dask``: as installed without the [scale] extra
    (xarray imports dask, when present, on its first array: about 0.2 s)."""
    floors = [sys.executable, "-m", "floors.cli"]
    if without_dask:
        floors = [sys.executable, "-c", "import sys; sys.modules['dask'] = None; sys.argv[0] = 'floors'\n"
                                        "from floors.cli import program; program()"]
    return lambda: subprocess.run([*floors, *args], env=env, cwd=cwd, check=True, capture_output=True)


def recost(repeats: int) -> tuple[float, float]:
    """In one process, as the web app does: the baseline once, then one what-if after another
    (floors.run with set=), each timed; returns the median and the first what-if's time."""
    import floors

    floors.run("ECU")  # the process's first run: imports, tables and YAML read
    levels = [0.3 + 0.01 * i for i in range(repeats + 1)]
    next_level = iter(levels).__next__  # a new value each time: nothing is served from a cache of results
    first = median_seconds(1, lambda: floors.run("ECU", set={"children.level": next_level()}))
    return median_seconds(repeats, lambda: floors.run("ECU", set={"children.level": next_level()})), first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="repeats of each figure [5]")
    args = parser.parse_args()
    n = args.repeats
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores (nproc), load average {load}; Python {sys.version.split()[0]}")
    # The commands run as on a user's machine, where Python keeps the compiled bytecode of floors' modules
    # (__pycache__). An environment that forbids it (PYTHONDONTWRITEBYTECODE, set on some build machines)
    # would add compiling floors' sources, about 0.05-0.1 s, to every command's figure.
    user = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    if "PYTHONDONTWRITEBYTECODE" in os.environ:
        print("PYTHONDONTWRITEBYTECODE is set here: the commands run without it, as on a user's machine")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        env = {**user, "FLOORS_CACHE_DIR": str(folder / "cache")}
        off = {**user, "FLOORS_CACHE_DIR": "off"}
        out = ["-o", str(folder / "out")]
        command(["run", *out], env, folder)()  # fills the cache
        report("floors --version", median_seconds(n, command(["--version"], env, folder)), 0.3)
        report("floors run (ECU, warm cache)", median_seconds(n, command(["run", *out], env, folder)), 1.0)
        report("floors run (ECU, warm cache, without dask)",
               median_seconds(n, command(["run", *out], env, folder, without_dask=True)), 1.0)
        report("floors run (ECU, cache off)", median_seconds(max(1, n // 2), command(["run", *out], off, folder)), None)
        command(["run", "-c", "all", *out], env, folder)()
        report("floors run --country all (19 countries, warm)",
               median_seconds(max(1, n // 2), command(["run", "-c", "all", *out], env, folder)), 3.0)
        drawn = ["run", "-c", "all", "--draws", "1000", *out]
        command(drawn, env, folder)()
        report("floors run --country all --draws 1000 (19 countries)", median_seconds(max(1, n // 2),
                                                                                  command(drawn, env, folder)), None)
        print("  (against the same 19 one-country runs with --draws in a loop: python benchmarks/uncertainty.py)")
        os.environ["FLOORS_CACHE_DIR"] = env["FLOORS_CACHE_DIR"]
        median, first = recost(max(n * 4, 10))
        report("in-process recost of one what-if (floors.run, set=)", median, 0.05)
        report("  the first what-if after the baseline", first, None)


if __name__ == "__main__":
    main()
