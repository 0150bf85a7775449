"""Benchmark: how long `floors app` takes from a lever moved to the numbers updated, against `floors run`.

In process, for one country (Ecuador by default): the app's work for a lever change is what its
callback does on the server: cost the new what-if through `floors.run` (a value never costed
before, so no cache helps), then build the two charts and the three tables and serialise the
charts to JSON, as Dash sends them. Baselines, with the same --set value each time:

* ``floors.run``: the API call alone (the engine);
* ``floors run``: the command in process (click's runner): costing, the printed table, and the
  workbook and CSV written.

Each is repeated (a new lever value each time) and the medians compared. The browser's own
drawing is not included (a few tens of milliseconds for plotly in Chromium).

    python benchmarks/app_latency.py               # 7 repeats, Ecuador
    python benchmarks/app_latency.py -n 15 -c KEN
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable

from click.testing import CliRunner

import floors
from floors.app import Session, WhatIf, figures
from floors.cli import main as cli

LEVER = "children.level"


def timed(work: Callable[[str], object], values: list[str]) -> list[float]:
    seconds = []
    for value in values:
        began = time.perf_counter()
        work(value)
        seconds.append(time.perf_counter() - began)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--repeats", type=int, default=7, help="repeats of each measurement [7]")
    parser.add_argument("-c", "--country", default="ECU", help="country [ECU]")
    args = parser.parse_args()
    country = args.country.upper()

    session = Session()
    start = WhatIf(country)
    session.cost(start)  # the page is open: its starting scenario is costed (and the data read) already
    floors.run(country)

    def app_update(value: str) -> None:
        costed = session.cost(WhatIf.of(country, "baseline", {LEVER: value}))
        for figure in (figures.share_chart(costed), figures.change_chart(costed, session.cost(start))):
            json.dumps(figure)
        figures.result_tables(costed)

    def api_run(value: str) -> None:
        floors.run(country, set=[f"{LEVER}={value}"])

    runner = CliRunner()
    with tempfile.TemporaryDirectory() as out:
        def command(value: str) -> None:
            ran = runner.invoke(cli, ["run", "-c", country, "--set", f"{LEVER}={value}", "-o", out])
            assert ran.exit_code == 0, ran.output

        # A new value for every repeat and every measurement, so that nothing is served from a cache.
        values = [f"0.{300 + i}" for i in range(3 * args.repeats)]
        app_seconds = timed(app_update, values[: args.repeats])
        api_seconds = timed(api_run, values[args.repeats: 2 * args.repeats])
        cli_seconds = timed(command, values[2 * args.repeats:])

    app_median, api_median, cli_median = map(statistics.median, (app_seconds, api_seconds, cli_seconds))
    print(f"{country}: a lever moved to the numbers updated, median of {args.repeats}")
    print(f"  floors app (recost, charts, tables)  {app_median:7.3f} s")
    print(f"  floors.run (the API call alone)      {api_median:7.3f} s   app / API     = {app_median / api_median:.2f}")
    print(f"  floors run (command, files written)  {cli_median:7.3f} s   app / command = {app_median / cli_median:.2f}")
    print(f"  cached (a value moved back to)       {min(timed(app_update, values[:1])):7.3f} s")


if __name__ == "__main__":
    main()
