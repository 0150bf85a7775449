#!/bin/bash
# Write what a set of runs outputs, to check that a change (a speed-up, a refactoring) leaves every
# number as it was: the CSVs of `run -c all`, the three presets, `--draws 200`, a Kenyan what-if and
# `compare`, a small sweep, and every cell of their workbooks (the lines that hold a run time left out).
#
#     scripts/reference_outputs.sh /tmp/before      # on the old code (e.g. a git worktree)
#     scripts/reference_outputs.sh /tmp/after       # on the new code
#     diff -r /tmp/before /tmp/after                # must print nothing
#
# Uses the `floors` and `python` on PATH, with a cache folder of its own.
set -euo pipefail
out=$(realpath -m "$1"); rm -rf "$out"; mkdir -p "$out/runs"
export FLOORS_CACHE_DIR=$out/cache
cd "$out"
floors run -c all -o runs --name all >/dev/null 2>&1
floors run -s ilo-wp113 -s ilo-ess58 -s every-child-at-the-line -o runs --name presets >/dev/null 2>&1
floors run --draws 200 -o runs --name draws >/dev/null 2>&1
floors run -c KEN --set children.level=0.5 --set old_age.level=0.8 -o runs --name ken >/dev/null 2>&1
floors compare baseline whole-floor -o runs --name compare >/dev/null 2>&1
python - <<'PY' > sweep.txt
import numpy as np

import floors

swept = floors.sweep("ECU", {"children.level": [0.25, 0.5, 1], "children.age_max": [5, 11, 17]})  # a Dataset
for name in sorted(swept.data_vars):
    values = np.asarray(swept[name].values, dtype=float)
    print(name, values.shape, repr(np.nansum(values)), values.ravel()[:50].tolist())
PY
python - <<'PY' > cells.txt
import glob
import re

import openpyxl

run_time = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}")
for path in sorted(glob.glob("runs/*/*.xlsx")):
    for sheet in openpyxl.load_workbook(path).worksheets:
        for row in sheet.iter_rows(values_only=True):
            line = "\t".join("" if value is None else str(value) for value in row)
            if not run_time.search(line):
                print(path, sheet.title, line)
PY
find runs -name "*.xlsx" -delete
rm -rf cache
