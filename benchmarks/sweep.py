"""Benchmark: cost Ecuador's floor for 10,000 scenarios in one vectorised run, against a loop.

The grid: child benefit level (25 values) × pensionable age (20) × child take-up (20).
The loop runs the same single-scenario costing (`floors run` without the printing)
for a sample of the scenarios and extrapolates to all 10,000; it also checks that the
sampled scenarios give the same costs in both. Prints both times, the ratio and the
peak memory of the sweep.

    python benchmarks/sweep.py            # sample of 100 scenarios for the loop
    python benchmarks/sweep.py --loop 400
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np

from floors.assumptions import assumptions_root, load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.engine import cost_floor
from floors.inputs import Bundle

GRID = {
    "children.level": [round(x, 3) for x in np.linspace(0.1, 2.5, 25)],
    "old_age.pensionable_age": list(range(55, 75)),
    "children.take_up": [round(x, 3) for x in np.linspace(0.05, 1.0, 20)],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loop", type=int, default=100, help="scenarios run one by one in the loop [100]")
    args = parser.parse_args()

    root = assumptions_root()
    bundle = Bundle(root)
    base = load_parameters(root, "ECU", known_countries=bundle.countries)
    cost_floor(ScenarioParameters.grid(base, {}), bundle, detail=False)  # warm the data caches

    sweep_params = ScenarioParameters.grid(base, GRID)
    n = len(sweep_params)
    start = time.perf_counter()
    sweep = cost_floor(sweep_params, bundle, detail=False)
    sweep_seconds = time.perf_counter() - start
    # Memory in a second, traced run: tracing slows Python down, so it stays out of the timing.
    tracemalloc.start()
    cost_floor(sweep_params, bundle, detail=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rng = np.random.default_rng(0)
    sample = rng.choice(n, size=min(args.loop, n), replace=False)
    start = time.perf_counter()
    for i in sample:
        one = {path: [sweep_params.values[path][i]] for path in GRID}
        single = cost_floor(ScenarioParameters.grid(base, one), bundle, detail=False)
        expected = float(sweep["cost"].isel(scenario=i).sel(benefit="total", year=2030).squeeze())
        got = float(single["cost"].sel(benefit="total", year=2030).squeeze())
        assert abs(got - expected) <= 1e-9 * abs(expected), (sweep_params.names[i], got, expected)
    loop_seconds = (time.perf_counter() - start) / len(sample) * n

    print(f"scenarios: {n:,} (grid {' × '.join(str(len(v)) for v in GRID.values())})")
    print(f"vectorised sweep: {sweep_seconds:.2f} s (peak traced memory {peak / 2**20:,.0f} MiB, "
          f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10:,.0f} MiB)")
    print(f"loop of single runs: {loop_seconds:,.1f} s for {n:,} (measured on {len(sample)}, same results)")
    print(f"ratio: the sweep is {loop_seconds / sweep_seconds:,.0f}× faster")


if __name__ == "__main__":
    main()
