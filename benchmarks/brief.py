"""Benchmark: the PDF brief of Ecuador's run, against writing its workbook.

The target (issue 16) is under 2 s for Ecuador. Each step is repeated and the median reported:
building and saving the workbook (what `floors run` writes anyway), and the brief made from that
workbook in memory (what `--format pdf` adds), then their ratio. The first brief of a session
also imports matplotlib and fpdf2 and loads the font; it is timed apart.

    python benchmarks/brief.py              # the baseline, 5 repetitions
    python benchmarks/brief.py --repeat 9 -s baseline -s whole-floor
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import timeit
from pathlib import Path

import floors
from floors.report.brief import brief_pdf


def median_seconds(function, repeat: int) -> float:
    return statistics.median(timeit.repeat(function, number=1, repeat=repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each step [5]")
    parser.add_argument("-s", "--scenario", action="append", dest="scenarios", help="scenarios [the baseline]")
    args = parser.parse_args()
    result = floors.run("ECU", args.scenarios or [])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "floors-ECU.xlsx"
        workbook_seconds = median_seconds(lambda: result.workbook().save(path), args.repeat)
        book = result.workbook()
        start = time.perf_counter()
        brief_pdf(book)
        first_seconds = time.perf_counter() - start
        data = brief_pdf(book)
        brief_seconds = median_seconds(lambda: brief_pdf(book), args.repeat)
    scenarios = ", ".join(result.scenarios)
    print(f"Ecuador ({scenarios}), median of {args.repeat}:")
    print(f"  workbook, built and saved   {workbook_seconds:6.3f} s")
    print(f"  brief from the workbook     {brief_seconds:6.3f} s   ({len(data) / 1024:.0f} KiB)")
    print(f"  first brief of the session  {first_seconds:6.3f} s   (imports matplotlib and fpdf2)")
    print(f"  brief / workbook            {brief_seconds / workbook_seconds:6.2f}")


if __name__ == "__main__":
    main()
