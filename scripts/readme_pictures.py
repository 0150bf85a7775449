"""Make the README's pictures of the report sheet and of the brief, from a real run.

Runs `floors run -s baseline -s whole-floor --format xlsx --format pdf` for Ecuador (the command a
reader would type), prints the workbook with LibreOffice headless (as an analyst would print it)
and renders with pdftoppm (Debian's poppler-utils):

* docs/img/report-sheet.png  the first page of the workbook: the report sheet's baseline page;
* docs/img/brief.png         the first page of the PDF brief.

Needs soffice (libreoffice-calc), pdftoppm (poppler-utils) and the 'report' extra.

    python scripts/readme_pictures.py
    python scripts/readme_pictures.py -o /tmp/img --dpi 80
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from floors.cli import main as floors

ROOT = Path(__file__).resolve().parents[1]


def need(program: str, package: str) -> str:
    found = shutil.which(program)
    if found is None:
        sys.exit(f"{program} is not installed: apt-get install {package}")
    return found


def first_page_png(pdf: Path, png: Path, dpi: int) -> None:
    """The PDF's first page as a PNG (pdftoppm names its output <stem>.png with -singlefile)."""
    subprocess.run([need("pdftoppm", "poppler-utils"), "-png", "-singlefile", "-f", "1", "-l", "1", "-r", str(dpi),
                    str(pdf), str(png.with_suffix(""))], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "docs" / "img", help="folder [docs/img]")
    parser.add_argument("--dpi", type=int, default=110, help="resolution of the pictures [110]")
    args = parser.parse_args()
    soffice = need("soffice", "libreoffice-calc")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        result = CliRunner().invoke(floors, ["run", "-s", "baseline", "-s", "whole-floor", "--format", "xlsx",
                                             "--format", "pdf", "-o", str(work)])
        if result.exit_code != 0:
            sys.exit(result.output)
        run = work / "ECU-baseline-and-whole-floor"
        workbook, brief = run / f"floors-{run.name}.xlsx", run / f"floors-{run.name}.pdf"
        subprocess.run([soffice, f"-env:UserInstallation=file://{work / 'lo-profile'}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(work / "printed"), str(workbook)],
                       check=True, capture_output=True, timeout=300)
        first_page_png(work / "printed" / f"{workbook.stem}.pdf", args.out / "report-sheet.png", args.dpi)
        first_page_png(brief, args.out / "brief.png", args.dpi)
    for name in ("report-sheet.png", "brief.png"):
        print(f"wrote {args.out / name}")


if __name__ == "__main__":
    main()
