"""Benchmark: write Ecuador's baseline workbook (build every sheet and save), against the costing itself.

The target (issue 5) is under 2 s for the Ecuador workbook. Each step is repeated and
the median reported: the costing (projections and the six benefits), building the
workbook in memory, saving it, and the whole `floors run` without printing. The ratio
of workbook time to costing time shows what the report adds to a run.

    python benchmarks/workbook.py            # 5 repetitions
    python benchmarks/workbook.py --repeat 10 --scenarios 4
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from floors.assumptions import assumptions_root, load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.engine import costing
from floors.inputs import Bundle
from floors.io.files import write_atomically
from floors.report import RunRecord, build_workbook

PRESETS = ["universal-child-benefit", "targeted-child-benefit", "maternity-poverty-line", "disability-poverty-line",
           "old-age-pension", "whole-floor", "only-children"]


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each step [5]")
    parser.add_argument("--scenarios", type=int, default=1,
                        help="scenarios in the run: 1 = the baseline, more adds Ecuador's presets [1]")
    args = parser.parse_args()

    root = assumptions_root()
    specs = [None, *PRESETS][: max(1, args.scenarios)]

    def cost():
        bundle = Bundle(root)
        sets = [load_parameters(root, "ECU", [s] if s else [], known_countries=set(bundle.countries)) for s in specs]
        names = [s or "baseline" for s in specs]
        return bundle, names, sets, costing(ScenarioParameters.from_sets(names, sets), bundle, sets=sets)

    cost()  # warm the data caches, as a second run in one session would be
    cost_seconds, (bundle, names, sets, costed) = timed(cost, args.repeat)
    record = RunRecord(results=costed.results, inputs=costed.inputs, parameter_sets=dict(zip(names, sets, strict=True)),
                       data_files=bundle.files_read(), command="floors run (benchmark)")
    build_seconds, workbook = timed(lambda: build_workbook(record, "Ecuador"), args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "floors-ECU-baseline.xlsx"
        save_seconds, _ = timed(lambda: write_atomically(path, workbook.save), args.repeat)
        size = path.stat().st_size
    write_seconds = build_seconds + save_seconds

    print(f"Ecuador, {len(names)} scenario(s), {args.repeat} repetitions (median):")
    print(f"  costing (projections + benefits)  {cost_seconds * 1000:8.1f} ms")
    print(f"  build the workbook in memory      {build_seconds * 1000:8.1f} ms")
    print(f"  save it (atomic, {size / 1024:,.0f} KiB)         {save_seconds * 1000:8.1f} ms")
    print(f"  writing the workbook              {write_seconds * 1000:8.1f} ms  "
          f"({'under' if write_seconds < 2 else 'OVER'} the 2 s target)")
    print(f"  ratio workbook / costing          {write_seconds / cost_seconds:8.2f}")


if __name__ == "__main__":
    main()
