"""The workbooks print: each kind (run, compare, sensitivity, several countries) converted to PDF by
LibreOffice headless, as many analysts print or share them.

Checked on the PDF: the ``report`` sheet prints one page per scenario (plus, for one country, the
page that says what was costed), its numbers are the engine's, and no chart is cut by a page break
(each chart's title, axis titles and legend are on one page, and on one page only). Checked on the
workbook: every sheet is set up to print (landscape A4, scale, repeated header, footer), every
chart lies between two of the manual page breaks and fits the page at the sheet's scale, wrapped
text has rows tall enough, money is shown in millions and booleans as yes/no.

The four workbooks are converted by one LibreOffice process (module fixture), with a private
profile. Skipped, saying so, where LibreOffice is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict

import numpy as np
import openpyxl
import pytest

import floors
from floors.io.excel import CM, MILLIONS, printable_size, row_points

pypdf = pytest.importorskip("pypdf")

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                                         "apt-get install libreoffice-calc")
FOOTER = re.compile(r"^\s*(?P<footer>.*?)\s{2,}(?P<sheet>\S+)\s{2,}page (?P<page>\d+) of (?P<pages>\d+)\s*$")
SCENARIOS = ["baseline", "whole-floor"]
# Four scenarios for the run: four charts on the summary sheet take two pages, so the plan of pages is tested.
RUN_SCENARIOS = [*SCENARIOS, "universal-child-benefit", "old-age-pension"]
DRAWS = 100  # the run's Monte Carlo draws: the report page shows the total's median and 80 % interval
COUNTRIES = ["ECU", "KEN", "SEN"]  # the cross-country workbook, as --country all writes it for every country


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The four kinds of workbook, their PDF pages' text by sheet, and what made them."""
    folder = tmp_path_factory.mktemp("print")
    made = {
        "run": floors.run("ECU", RUN_SCENARIOS, draws=DRAWS, seed=3),  # with draws: their sheets print too
        "compare": floors.compare("ECU", SCENARIOS),
        "sensitivity": floors.sensitivity("ECU"),
        "countries": floors.run(COUNTRIES, draws=DRAWS, seed=3),
    }
    paths = {kind: made[kind].to_excel(folder / f"{kind}.xlsx") for kind in made}
    # The same workbooks without their charts, to count the pages the charts take.
    # Only the sheets with charts, and no row under the tables (the charts' rows have a set height, which
    # LibreOffice prints even empty).
    for kind, path in paths.items():
        charted = {ws.title for ws in made[kind].workbook().worksheets if ws._charts}
        copy = openpyxl.load_workbook(path)
        for ws in copy.worksheets:
            if ws.title not in charted:
                copy.remove(ws)
                continue
            ws._charts = []
            for row in [r for r in ws.row_dimensions if r > ws.max_row]:
                del ws.row_dimensions[row]
        copy.save(folder / f"{kind}-no-charts.xlsx")
    profile = folder / "lo-profile"  # a private profile: no clash with a LibreOffice already open
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *map(str, paths.values()),
                    *(str(folder / f"{kind}-no-charts.xlsx") for kind in made)],
                   check=True, capture_output=True, timeout=300)
    pages = {kind: pages_by_sheet(folder / f"{kind}.pdf") for kind in made}
    pages.update({f"{kind}-no-charts": pages_by_sheet(folder / f"{kind}-no-charts.pdf") for kind in made})
    return made, paths, pages


def pages_by_sheet(pdf) -> dict[str, list[str]]:
    """Each page's text, grouped by the sheet its footer names (footer: country · scenarios, sheet, page)."""
    out: dict[str, list[str]] = defaultdict(list)
    for page in pypdf.PdfReader(pdf).pages:
        text = page.extract_text()
        match = FOOTER.match(text.splitlines()[0])
        assert match, f"a page without the footer: {text[:200]!r}"
        out[match["sheet"]].append(text)
    return out


def table_lines(text: str, label: str, n: int) -> list[list[float]]:
    """The numbers on every line of ``text`` that starts with ``label`` and ends in ``n`` numbers (% signs and
    separators dropped); other lines that start so (a chart's category labels) are not table rows."""
    out = []
    for line in text.splitlines():
        if line.startswith(label + " "):
            cells = line[len(label):].split()[-n:]
            if len(cells) < n:  # a shorter table's row for the same label
                continue
            try:
                out.append([float(c.rstrip("%").replace(",", "")) for c in cells])
            except ValueError:
                continue
    return out


@pytest.mark.parametrize("kind", ["run", "compare", "sensitivity"])
def test_report_sheet_prints_one_page_per_scenario_with_the_engines_numbers(printed, kind):
    made, _, pages = printed
    results = made["run"].countries["ECU"].costing.results if kind == "run" else (
        made[kind].costing.results if kind == "compare" else made[kind].result.countries["ECU"].costing.results)
    scenarios = [str(s) for s in results["scenario"].values]
    report = pages[kind]["report"]
    assert len(report) == len(scenarios) + 1  # a page per scenario, then what was costed
    assert report[-1].splitlines()[1].startswith("What was costed")
    share, cost = results["cost_share_gdp"].sel(country="ECU"), results["cost"].sel(country="ECU")
    years = [int(y) for y in results["year"].values]
    labels = {b: floors.report.labels.BENEFIT_LABELS[b] for b in results["benefit"].values}
    for page, scenario in zip(report, scenarios, strict=False):
        assert f"· {scenario}: cost of the social protection floor" in page
        for benefit, label in labels.items():
            percent, millions = table_lines(page, label, len(years))[:2]
            # Printed as 0.00 % and millions with one decimal: equal to the engine to the last digit shown.
            np.testing.assert_allclose(percent, 100 * share.sel(scenario=scenario, benefit=benefit).values,
                                       atol=0.005 + 1e-9)
            np.testing.assert_allclose(millions, cost.sel(scenario=scenario, benefit=benefit).values / 1e6,
                                       atol=0.05 + 1e-9)
        if kind == "run":  # the total's percentiles over the draws, in a table of their own
            total = made["run"].countries["ECU"].uncertainty["cost_share_gdp"].sel(scenario=scenario, benefit="total")
            assert f"total, % of GDP, {DRAWS} draws" in page
            for q, label in zip((0.1, 0.5, 0.9), ("10th percentile", "median", "90th percentile"), strict=True):
                (percent,) = table_lines(page, label, len(years))
                np.testing.assert_allclose(percent, 100 * total.sel(quantile=q).values, atol=0.005 + 1e-9)


def test_countries_report_prints_one_page_per_scenario_with_the_engines_numbers(printed):
    made, _, pages = printed
    report = pages["countries"]["report"]
    result = made["countries"]
    assert len(report) == len(result.scenarios) == 1
    year = int(result.countries["ECU"].costing.results["year"].max())
    assert f"cost of the social protection floor in {year}" in report[0]
    for iso3, one in result.countries.items():
        share = one.costing.results["cost_share_gdp"].sel(country=iso3, year=year).isel(scenario=0)
        name = f"{result.bundle.country(iso3).name} ({iso3})"
        (printed_row,) = table_lines(report[0], name, share.sizes["benefit"])
        np.testing.assert_allclose(printed_row, 100 * share.values, atol=0.005 + 1e-9)
        # then the total's 10th percentile, median and 90th percentile over the country's own draws
        total = one.uncertainty["cost_share_gdp"].sel(benefit="total", year=year).isel(scenario=0)
        interval = table_lines(report[0], name, 3)[-1]
        np.testing.assert_allclose(interval, 100 * total.sel(quantile=[0.1, 0.5, 0.9]).values, atol=0.005 + 1e-9)


@pytest.mark.parametrize("kind", ["run", "compare", "sensitivity", "countries"])
def test_no_chart_crosses_a_page_break(printed, kind):
    _, paths, pages = printed
    wb = openpyxl.load_workbook(paths[kind])
    charts = 0
    for ws in wb.worksheets:
        if not ws._charts:
            continue
        breaks = sorted(b.id for b in ws.row_breaks.brk)
        room = printable_size()[1] / (ws.page_setup.scale / 100)
        groups = set()
        for chart in ws._charts:
            charts += 1
            first = chart.anchor._from.row + 1  # 1-based
            height = chart.anchor.ext.height / 360000 * CM
            rows, last = 0.0, first
            while rows < height:
                rows += row_points(ws, last)
                last += 1
            # Between two manual breaks (it starts after one and no break falls inside it) ...
            inside = [b for b in breaks if first <= b < last - 1]
            assert not inside, (ws.title, first, last, breaks)
            assert height <= room, (ws.title, height, room)
            before = [b for b in breaks if b < first]
            # On a data sheet the charts start on a page of their own, after a break under the table.
            assert before or ws.title == "report", (ws.title, first, breaks)
            groups.add(max([0, *before]))
        # ... and LibreOffice printed them on exactly the pages planned: the sheet takes one page more per
        # group of charts between breaks than it does without them (none on the report sheet, whose charts
        # sit beside the tables). A chart cut by a break would spill onto a page more. (LibreOffice writes
        # every chart's text on every page of its sheet, clipped, so the text alone cannot say where a
        # chart is; the count of pages can.)
        extra = len(pages[kind][ws.title]) - len(pages[f"{kind}-no-charts"][ws.title])
        assert extra == (0 if ws.title == "report" else len(groups)), (ws.title, extra, groups)
    assert charts >= 2


@pytest.mark.parametrize("kind", ["run", "compare", "sensitivity", "countries"])
def test_every_sheet_is_set_up_to_print(printed, kind):
    _, paths, pages = printed
    wb = openpyxl.load_workbook(paths[kind])
    assert wb.sheetnames[0] == "report"
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert 10 <= ws.page_setup.scale <= 100
        assert ws.oddFooter.right.text == "page &P of &N" and ws.oddFooter.center.text == "&A"
        assert ("ECU" in ws.oddFooter.left.text) if kind != "countries" else "3 countries" in ws.oddFooter.left.text
        if ws.title != "report":
            assert ws.print_title_rows == "$1:$1"  # the header on every page
        # Wrapped text: its row is at least as tall as its lines (LibreOffice does not grow it).
        for row in ws.iter_rows(min_row=2):
            longest = max((len(c.value) for c in row if isinstance(c.value, str) and c.alignment.wrap_text
                           and ws.column_dimensions[c.column_letter].width), default=0)
            if longest > 200:
                assert ws.row_dimensions[row[0].row].height, (ws.title, row[0].row)
    # Every sheet printed one page wide: no sheet has a page without its footer's sheet name, and
    # each sheet's pages are consecutive.
    assert set(pages[kind]) == set(wb.sheetnames)


def test_money_in_millions_and_booleans_as_words(printed):
    _, paths, pages = printed
    wb = openpyxl.load_workbook(paths["run"])
    summary = wb["summary"]
    money = [r for r in summary.iter_rows(min_row=2) if r[3].value == "cost"]
    assert money and all(r[6].number_format == MILLIONS for r in money)
    closed = [r for r in wb["fiscal_space"].iter_rows(min_row=2, values_only=True) if r[1] == "fs_gap_closed"]
    assert closed and {v for r in closed for v in r[4:]} <= {"yes", "no"}
    assumptions = [r for r in wb["assumptions"].iter_rows(min_row=2, values_only=True)
                   if r[1] == "children.include"]
    assert assumptions and assumptions[0][6] == "yes"
    # LibreOffice prints the summary's money in millions too: Ecuador's baseline total in 2030.
    total = printed[0]["run"].countries["ECU"].costing.results["cost"].sel(
        country="ECU", scenario="baseline", benefit="total", year=2030)
    assert f"{float(total) / 1e6:,.1f}" in "".join(pages["run"]["summary"])
    assert float(total) > 1e9  # a sum in the billions, printed as millions


def test_the_report_columns_hold_the_widest_bold_total_of_a_large_currency():
    """Kenya's total in millions of shillings (1,653,923.3 and up) is written in bold: the value columns are
    sized from the widest amount, not a fixed width that made LibreOffice print the totals run together."""
    result = floors.run("KEN")
    ws = result.workbook()["report"]
    costs = result.countries["KEN"].costing.results["cost"].values
    widest = len(f"{np.nanmax(np.abs(costs)) / 1e6:,.1f}")
    assert widest >= 11  # millions of shillings: the case this test is about
    value_columns = [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(2, 9)]
    assert min(value_columns) >= widest + 3, value_columns
