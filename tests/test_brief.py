"""The PDF brief: its numbers are the engine's (read back from the PDF with pypdf), it says what was
costed, the sources and the warnings; `floors run --format pdf` and `floors brief RUN` write it; a
file that is not a workbook of floors, or missing libraries, are input errors (exit 2, nothing
written)."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

import floors
from floors.cli import main
from floors.problems import InputError
from floors.report.brief import brief_pdf
from floors.report.labels import BENEFIT_LABELS

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("fpdf")

SCENARIOS = ["baseline", "whole-floor"]


@pytest.fixture(scope="module")
def ecuador():
    result = floors.run("ECU", SCENARIOS)
    return result, brief_pdf(result.workbook())


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def numbers_after(text: str, label: str, n: int) -> list[list[float]]:
    """The last ``n`` numbers of every line that starts with ``label`` (% and separators dropped)."""
    rows = []
    for line in text.splitlines():
        if line.startswith(label + " "):
            rows.append([float(c.rstrip("%").replace(",", "")) for c in line[len(label):].split()[-n:]])
    return rows


def test_the_briefs_tables_are_the_engines_numbers(ecuador):
    result, data = ecuador
    pages = pdf_pages(data)
    results = result.countries["ECU"].costing.results.sel(country="ECU")
    years = [int(y) for y in results["year"].values]
    for scenario in SCENARIOS:
        (page,) = [p for p in pages if f"· {scenario}: cost of the social protection floor" in p]
        for benefit in results["benefit"].values:
            percent, millions = numbers_after(page, BENEFIT_LABELS[str(benefit)], len(years))[:2]
            # 0.00 % and millions to one decimal: the engine's figures to the last digit shown.
            np.testing.assert_allclose(percent, 100 * results["cost_share_gdp"].sel(
                scenario=scenario, benefit=benefit).values, atol=0.005 + 1e-9)
            np.testing.assert_allclose(millions, results["cost"].sel(scenario=scenario, benefit=benefit).values
                                       / 1e6, atol=0.05 + 1e-9)


def test_the_brief_says_what_was_costed_the_sources_and_the_warnings(ecuador):
    result, data = ecuador
    text = " ".join(" ".join(pdf_pages(data)).split())
    assert "What was costed" in text and "Child benefit. Who: Children aged 0 to 5" in text
    assert "Sources of the data" in text and "World Economic Outlook database, October 2025" in text
    sheet = [r for r in result.workbook()["warnings"].iter_rows(min_row=2, values_only=True)
             if r[0] in ("warning", "no source")]
    assert sheet and f"Warnings ({len({r[2] for r in sheet})})" in text  # each once, as the warnings sheet has them
    assert "Reproduce Run: floors run -c ECU -s baseline -s whole-floor" in text
    assert "Ecuador (ECU) · baseline, whole-floor · floors brief · page 1/" in text


def test_a_brief_of_several_countries_has_each_countrys_total(tmp_path):
    result = floors.run(["ECU", "KEN"])
    text = "\n".join(pdf_pages(brief_pdf(result.workbook())))
    for iso3, one in result.countries.items():
        share = one.costing.results["cost_share_gdp"].sel(country=iso3, year=2030, scenario=result.scenarios[0])
        (row,) = numbers_after(text, f"{result.bundle.country(iso3).name} ({iso3})", share.sizes["benefit"])
        np.testing.assert_allclose(row, 100 * share.values, atol=0.005 + 1e-9)


def test_run_format_pdf_and_floors_brief_write_the_same_brief(runner, tmp_path):
    out = runner.invoke(main, ["run", "--format", "pdf", "--format", "xlsx", "-o", str(tmp_path)])
    assert out.exit_code == 0, out.output
    folder = tmp_path / "ECU-baseline"
    assert sorted(p.name for p in folder.iterdir()) == ["floors-ECU-baseline.pdf", "floors-ECU-baseline.xlsx"]
    again = runner.invoke(main, ["brief", str(folder), "-o", str(tmp_path / "again.pdf")])
    assert again.exit_code == 0, again.output
    first, second = (pdf_pages((p).read_bytes()) for p in (folder / "floors-ECU-baseline.pdf", tmp_path / "again.pdf"))
    assert first == second


def test_not_a_workbook_of_floors_is_an_input_error(runner, tmp_path):
    template = tmp_path / "what-if.xlsx"
    assert runner.invoke(main, ["scenario", "template", "-o", str(template)]).exit_code == 0
    out = runner.invoke(main, ["brief", str(template)])
    assert out.exit_code == 2
    assert "no sheet 'report'" in out.output and "floors run" in out.output
    assert not template.with_suffix(".pdf").exists()


def test_missing_libraries_say_how_to_install_them(ecuador, monkeypatch, runner, tmp_path):
    monkeypatch.setitem(sys.modules, "fpdf", None)  # as if fpdf2 were not installed
    with pytest.raises(InputError) as error:
        brief_pdf(ecuador[0].workbook())
    assert "pip install 'floors[report]'" in str(error.value.problems[0].hint)
    out = runner.invoke(main, ["run", "--format", "pdf", "--format", "xlsx", "-o", str(tmp_path)])
    assert out.exit_code == 2 and "fpdf2" in out.output and "pip install 'floors[report]'" in out.output
    assert "cost as % of GDP" not in out.output  # refused before costing, not after
    assert not (tmp_path / "ECU-baseline").exists()  # nothing half-written


def test_a_country_paid_in_another_currency_gets_us_dollars_at_the_datas_rate():
    result = floors.run("KEN")
    one = result.countries["KEN"].costing
    rate = float(one.inputs["usd_rate"])
    total = one.results["cost"].sel(country="KEN", scenario=result.scenarios[0], benefit="total").values
    (page,) = pdf_pages(brief_pdf(result.workbook()))[:1]
    _share, local, dollars = numbers_after(page, "Total floor", len(total))
    np.testing.assert_allclose(local, total / 1e6, atol=0.05 + 1e-9)
    np.testing.assert_allclose(dollars, total / rate / 1e6, atol=0.05 + 1e-9)
    assert f"US dollars at {rate:,.2f} KES per dollar in every year" in " ".join(page.split())


def test_a_brief_of_draws_shows_the_totals_interval_as_plain_rows():
    """With draws, each scenario's page has the total's 10th percentile, median and 90th percentile in % of
    GDP (from the report sheet), none of them set in bold as a total is; the tables of totals keep theirs."""
    from floors.report.brief import read_workbook

    result = floors.run("ECU", draws=50, seed=2)
    book = result.workbook()
    (page,) = read_workbook(book).pages
    interval = [t for t in page.tables if t.title == "total, % of GDP, 50 draws"]
    assert len(interval) == 1 and not interval[0].total and page.tables[0].total
    quantiles = result.countries["ECU"].uncertainty["cost_share_gdp"].sel(scenario="baseline", benefit="total")
    text = pdf_pages(brief_pdf(book))[0]
    years = [int(y) for y in quantiles["year"].values]
    for q, label in zip((0.1, 0.5, 0.9), ("10th percentile", "median", "90th percentile"), strict=True):
        (percent,) = numbers_after(text, label, len(years))
        np.testing.assert_allclose(percent, 100 * quantiles.sel(quantile=q).values, atol=0.005 + 1e-9)


def test_long_column_names_wrap_in_the_header_instead_of_running_together():
    """A table of countries has a column per benefit, too narrow for 'Unemployment benefit' on one line:
    the header wraps (each name's words apart), it does not print the names into one another."""
    text = pdf_pages(brief_pdf(floors.run(["KEN", "SEN"]).workbook()))[0]
    for name in ("Maternity benefit", "Disability benefit", "Unemployment benefit"):
        assert name.replace(" ", "\n") in text  # on two lines of the header, not one run into the next
