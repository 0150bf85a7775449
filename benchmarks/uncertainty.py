"""Benchmark: 1,000 Monte Carlo draws for each of the 19 bundled countries, against a single run.

For every country: the deterministic costing (one scenario) and the 1,000-draw costing
(one vectorised pass over scenario × draw), both after the country's data are loaded
once. Prints each country's times and their ratio, the total, the peak memory traced
during the largest draw run, the process's maximum resident memory, and the same
draws through the dask path (chunks of 250) for one country.

Then the target of issue 19, ``--country all --draws 1000``: ``floors.run`` of every
country with draws together, against the honest baseline, the same single-country runs
with draws one after another in the same process (each country's percentiles are
checked identical); medians of several repeats, and the peak memory traced of each.

    python benchmarks/uncertainty.py                 # 1,000 draws, all countries
    python benchmarks/uncertainty.py --draws 200 --countries ECU KEN --repeats 3
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import xarray as xr
from timing import median_seconds  # benchmarks/timing.py, beside this script

import floors
from floors.assumptions import assumptions_root, load_parameters
from floors.assumptions.scenario_parameters import ScenarioParameters
from floors.engine import costing
from floors.inputs import Bundle
from floors.uncertainty import cost_draws, cost_draws_chunked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--countries", nargs="*", default=None)
    parser.add_argument("--repeats", type=int, default=3, help="repeats of the countries-together figures [3]")
    args = parser.parse_args()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores (nproc), load average {load}")

    root = assumptions_root()
    bundle = Bundle(root)
    countries = args.countries or list(bundle.countries)
    print(f"{args.draws:,} draws per country; times in seconds")
    print(f"{'country':<8}{'single run':>12}{'draws':>10}{'ratio':>9}{'per draw':>11}  total 2030 % of GDP (p10–p90)")
    total_single = total_draws = 0.0
    peak_country, peak = None, 0
    for iso3 in countries:
        params = load_parameters(root, iso3, known_countries=set(bundle.countries))
        one = ScenarioParameters.from_sets(["baseline"], [params])
        costing(one, bundle, sets=[params])  # load and check the country's tables once
        start = time.perf_counter()
        costing(one, bundle, sets=[params])
        single = time.perf_counter() - start
        start = time.perf_counter()
        draws = cost_draws(["baseline"], [params], bundle, args.draws, seed=1)
        many = time.perf_counter() - start
        share = draws["cost_share_gdp"].sel(benefit="total", year=2030, scenario="baseline").values * 100
        p10, p90 = np.percentile(share, [10, 90])
        print(f"{iso3:<8}{single:>12.2f}{many:>10.2f}{many / single:>9.1f}{many / args.draws * 1000:>9.2f}ms"
              f"  {p10:.2f}–{p90:.2f}")
        total_single += single
        total_draws += many
        if peak_country is None:
            tracemalloc.start()
            cost_draws(["baseline"], [params], bundle, args.draws, seed=1)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            peak_country = iso3
    n = len(countries)
    print(f"{'all':<8}{total_single:>12.2f}{total_draws:>10.2f}{total_draws / total_single:>9.1f}")
    print(f"{n} countries × {args.draws:,} draws = {n * args.draws:,} costings in {total_draws:.1f} s; the same "
          f"number of single runs would take about {total_single * args.draws:,.0f} s "
          f"({total_single * args.draws / total_draws:,.0f}× longer)")
    print(f"peak traced memory of one country's draws ({peak_country}): {peak / 2**20:,.0f} MiB; "
          f"max resident memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    iso3 = countries[0]
    params = load_parameters(root, iso3, known_countries=set(bundle.countries))
    start = time.perf_counter()
    in_memory = cost_draws(["baseline"], [params], bundle, args.draws, seed=1)
    memory_time = time.perf_counter() - start
    start = time.perf_counter()
    chunked = cost_draws_chunked(["baseline"], [params], bundle, args.draws, seed=1, chunk=250).compute()
    dask_time = time.perf_counter() - start
    same = np.array_equal(chunked["cost"].transpose(*in_memory["cost"].dims).values, in_memory["cost"].values)
    print(f"dask path ({iso3}, chunks of 250): {dask_time:.2f} s against {memory_time:.2f} s in memory; "
          f"identical numbers: {same}")
    countries_together(countries, args.draws, args.repeats)


def peak_traced(action: Callable[[], object]) -> int:
    """The peak memory (bytes) traced by tracemalloc while ``action`` runs."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def countries_together(countries: list[str], n: int, repeats: int) -> None:
    """``floors run --country all --draws N`` in one process against the loop of the same one-country runs."""
    def together() -> dict[str, xr.Dataset]:
        result = floors.run(countries, draws=n, seed=1)
        return {iso3: one.uncertainty for iso3, one in result.countries.items()}

    def loop() -> dict[str, xr.Dataset]:
        return {iso3: floors.run(iso3, draws=n, seed=1).countries[iso3].uncertainty for iso3 in countries}

    first_together, first_loop = together(), loop()  # also warms what each reads
    same = all(first_together[iso3].identical(first_loop[iso3]) for iso3 in countries)
    looped = median_seconds(repeats, loop)
    measured = median_seconds(repeats, together)
    # The same work either way: the target is that costing the countries together adds nothing to the loop
    # (10 % allowed for the noise of a shared machine, where repeats of either differ by about 5 %).
    target = 1.1 * looped
    verdict = "met" if measured <= target else "NOT met"
    print(f"\n--country {'all' if len(countries) > 1 else countries[0]} --draws {n:,} ({len(countries)} countries, "
          f"floors.run in one process, median of {repeats}):")
    print(f"  together {measured:.2f} s; baseline, the {len(countries)} one-country runs with --draws in a loop "
          f"{looped:.2f} s; ratio {measured / looped:.2f}; target: supported, at most 1.1× the loop "
          f"({target:.2f} s): {verdict}")
    print(f"  each country's median and interval identical to its own run's: {same}")
    print(f"  peak traced memory: together {peak_traced(together) / 2**20:,.0f} MiB, one country "
          f"({countries[0]}) {peak_traced(lambda: floors.run(countries[0], draws=n, seed=1)) / 2**20:,.0f} MiB "
          "(the countries are costed one after another; only their percentiles are kept)")


if __name__ == "__main__":
    main()
