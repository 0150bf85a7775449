"""Excel-compatible software reads the workbook without repair: LibreOffice Calc, headless.

LibreOffice converts every sheet to CSV; the test checks that each sheet came out and that
every number in `summary` and the benefit sheets equals what openpyxl reads back. It
needs `soffice` (Debian: `apt-get install libreoffice-calc`; `.ci/run` installs it where
it can) and is skipped, saying so, where LibreOffice is not installed.
"""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import openpyxl
import pandas as pd
import pytest

from floors.cli import main

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

# Comma-separated, UTF-8, every sheet to its own file (the last token, -1).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def as_number(text: str) -> float:
    text = str(text).replace(",", "")
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc")
def test_libreoffice_reads_every_sheet_and_the_same_numbers(runner, tmp_path):
    result = runner.invoke(main, ["run", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    workbook = tmp_path / "ECU-baseline" / "floors-ECU-baseline.xlsx"
    converted = tmp_path / "lo"
    profile = tmp_path / "lo-profile"  # a private profile: no clash with a LibreOffice already open
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", CSV_FILTER,
                    "--outdir", str(converted), str(workbook)], check=True, capture_output=True, timeout=180)
    wb = openpyxl.load_workbook(workbook)
    for ws in wb.worksheets:
        csv = converted / f"{workbook.stem}-{ws.title}.csv"
        assert csv.is_file(), f"LibreOffice wrote no sheet {ws.title}"
        if ws.title == "report":  # the presentation sheet is not a table: tests/test_report_print.py prints it
            continue
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        assert list(frame.columns) == [str(c.value) for c in ws[1]]
        assert len(frame) == ws.max_row - 1
        if ws.title in ("summary", "children", "old_age"):
            years = [c for c in frame.columns if c.isdigit()]
            ours = pd.read_excel(workbook, sheet_name=ws.title)[[int(y) for y in years]].to_numpy(dtype=float)
            theirs = np.vectorize(as_number)(frame[years].to_numpy())
            np.testing.assert_allclose(theirs, ours, rtol=1e-12)
