"""`floors app` end to end in a real browser: Debian's headless Chromium, driven by Playwright.

One server and one page for the module (a browser session is the costly part): the tests run in
order on that page, as a user would: load it, move a lever, download the scenario and the
workbook, type a bad value, load a scenario file, save what-ifs side by side. Every number on the
page is checked against the engine (`floors.run`) or the command line (`floors run`). Skipped
where Chromium or Playwright is not installed (.ci/run installs Debian's chromium).
"""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import floors
from floors.cli import main

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
app = pytest.importorskip("floors.app")

# Flags that let Chromium run headless in a container without reaching out to the network.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 60_000  # a costing takes about a second; a slow CI machine may take many
LEVEL, TAKE_UP = "children.level", "children.take_up"


def lever(path: str) -> str:
    """The CSS selector of a lever (Dash writes a dict id as sorted JSON)."""
    return "[id='" + json.dumps({"path": path, "type": "lever"}, separators=(",", ":")) + "']"


def lever_message(path: str) -> str:
    return "[id='" + json.dumps({"path": path, "type": "lever-message"}, separators=(",", ":")) + "']"


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    """The app on a free port of localhost, and one Chromium page on it; every request the page makes
    is recorded. All in a working folder of the module's own, where `floors run` writes its outputs
    (files are named relative to it, in the workbook as in the app)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("working-folder"))
        yield from _serve_and_browse(tmp_path_factory)


def _serve_and_browse(tmp_path_factory):
    server = app.listen(app.Session(), "ECU", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/"
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            accept_downloads=True, viewport={"width": 1400, "height": 1000})
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.set_default_timeout(WAIT_MS)
        page.goto(url)
        page.wait_for_selector("#table-cost_share_gdp")
        yield page, requested
        browser.close()
    server.shutdown()
    server.server_close()


def set_lever(page, path: str, text: str) -> None:
    field = page.locator(lever(path))
    field.fill(text)
    field.press("Enter")


def wait_for_status(page, label: str) -> None:
    """Until the page shows the what-if labelled ``label`` costed (the label `floors.run` gives it)."""
    page.wait_for_function("t => document.querySelector('#status').innerText.endsWith(': ' + t)", arg=label)


def chart(page, graph: str) -> dict[str, list[float | None]]:
    """The numbers plotly drew: each trace's y values by its meta (the benefit's id, or 'total')."""
    traces = page.evaluate(f"() => document.querySelector('#{graph} .js-plotly-plot').data"
                           ".map(t => [t.meta, Array.from(t.y)])")
    return dict(map(tuple, traces))


def table(page, measure: str) -> list[list[str]]:
    return page.evaluate(f"() => Array.from(document.querySelectorAll('#table-{measure} tbody tr'))"
                         ".map(r => Array.from(r.children).map(c => c.innerText))")


def test_the_page_loads_everything_from_this_computer(browser_page):
    page, requested = browser_page
    assert requested, "the page made no request"
    hosts = {urlparse(u).hostname for u in requested if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, f"requests left this computer: {sorted(hosts)}"
    # Each lever says its unit, allowed values and the source of its value on hover.
    hover = page.locator(".lever", has=page.locator(lever(LEVEL))).get_attribute("title")
    assert "Unit: share of the basis" in hover and "Allowed: 0 to 5" in hover and "Value from: Grosh" in hover


def test_moving_a_lever_recosts_charts_and_tables_as_the_engine(browser_page):
    page, _ = browser_page
    set_lever(page, LEVEL, "0.5")
    engine = floors.run("ECU", set=[f"{LEVEL}=0.5"])
    wait_for_status(page, engine.scenarios[0])
    start = floors.run("ECU")
    drawn = chart(page, "chart-share")
    shares = engine.table() * 100
    for benefit, row in shares.iterrows():
        assert drawn[benefit] == pytest.approx(row.tolist(), abs=1e-9), benefit
    change = chart(page, "chart-change")
    assert change["children"] == pytest.approx(((engine.table() - start.table()) * 100).loc["children"].tolist(),
                                               abs=1e-9)
    assert min(change["children"]) > 0.1  # doubling the child benefit costs more (points of GDP)
    # The tables: as the engine's numbers, rounded as shown (2 decimals; currency in millions, 1 decimal).
    for measure, factor, tolerance in (("cost_share_gdp", 100, 0.0051), ("cost", 1e-6, 0.051),
                                       ("cost_share_gg_expenditure", 100, 0.0051)):
        expected = engine.table(measure) * factor
        shown = table(page, measure)
        assert len(shown) == len(expected)
        for row, (_, numbers) in zip(shown, expected.iterrows(), strict=True):
            values = [float(cell.replace(",", "")) for cell in row[1:]]
            assert values == pytest.approx(numbers.tolist(), abs=tolerance), (measure, row[0])
    verdict = page.inner_text("#verdict")
    assert "financing gap" in verdict


def test_the_scenario_file_reproduces_the_what_if(browser_page, tmp_path):
    page, _ = browser_page
    page.fill("#title", "Half the line")
    with page.expect_download() as download:
        page.click("#get-yaml")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "half-the-line.yaml"
    out = tmp_path / "out"
    ran = CliRunner().invoke(main, ["run", "-c", "ECU", "-s", str(path), "-o", str(out), "--format", "csv"])
    assert ran.exit_code == 0, ran.output
    (csv,) = out.glob("*/*.csv")
    frame = pd.read_csv(csv).query("variable == 'cost_share_gdp'")
    costed = frame.pivot(index="benefit", columns="year", values="value")
    expected = floors.run("ECU", set=[f"{LEVEL}=0.5"]).table()
    assert costed.loc[expected.index].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-12, abs=1e-15)


def test_the_workbook_is_the_one_floors_run_writes(browser_page, tmp_path):
    page, _ = browser_page
    with page.expect_download() as download:
        page.click("#get-xlsx")
    mine = tmp_path / download.value.suggested_filename
    download.value.save_as(mine)
    # From the app's working folder, without -o: the command line is recorded in the workbook.
    ran = CliRunner().invoke(main, ["run", "-c", "ECU", "--set", f"{LEVEL}=0.5"])
    assert ran.exit_code == 0, ran.output
    (theirs,) = (Path.cwd() / "outputs").glob("*/*.xlsx")
    assert mine.name == theirs.name  # floors-ECU-baseline-set-<hash>.xlsx
    a, b = load_workbook(mine), load_workbook(theirs)
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        rows_a = [r for r in a[name].iter_rows(values_only=True) if r[0] != "created (UTC)"]
        rows_b = [r for r in b[name].iter_rows(values_only=True) if r[0] != "created (UTC)"]
        assert rows_a == rows_b, name


def test_a_bad_value_is_refused_with_the_command_lines_message(browser_page):
    page, _ = browser_page
    before = table(page, "cost_share_gdp")
    set_lever(page, TAKE_UP, "80")
    page.wait_for_function("s => document.querySelector(s).innerText.length > 0", arg=lever_message(TAKE_UP))
    shown = page.inner_text(lever_message(TAKE_UP))
    ran = CliRunner().invoke(main, ["run", "-c", "ECU", "--set", f"{LEVEL}=0.5", "--set", f"{TAKE_UP}=80"])
    assert ran.exit_code == 2
    assert shown.strip() in ran.output  # the same problem, word for word
    assert "write 0.8 or 80%" in shown
    assert "Not costed" in page.inner_text("#problems")
    assert table(page, "cost_share_gdp") == before  # the last results stay on screen
    set_lever(page, TAKE_UP, "1")  # put right: the problem goes
    page.wait_for_function("s => document.querySelector(s).innerText.length == 0", arg=lever_message(TAKE_UP))


def test_an_uploaded_scenario_sets_the_levers(browser_page, tmp_path):
    page, _ = browser_page
    scenario = tmp_path / "mine.yaml"
    scenario.write_text("title: Mine\nbased_on: universal-child-benefit\nchanges:\n  children.level: 0.4\n"
                        "  old_age.pensionable_age: 60\n", encoding="utf-8")
    page.set_input_files("#upload input[type=file]", str(scenario))
    page.wait_for_function("() => document.querySelector('#upload-message').innerText.includes('mine.yaml')")
    assert "universal-child-benefit" in page.inner_text("#start")
    engine = floors.run("ECU", ["universal-child-benefit"], set=["children.level=0.4", "old_age.pensionable_age=60"])
    wait_for_status(page, engine.scenarios[0])
    assert page.input_value(lever(LEVEL)) == "0.4"
    assert page.input_value(lever("old_age.pensionable_age")) == "60"
    expected = engine.table() * 100
    drawn = chart(page, "chart-share")
    assert drawn["total"] == pytest.approx(expected.loc["total"].tolist(), abs=1e-9)


def test_what_ifs_side_by_side_with_the_change_by_cause(browser_page):
    page, _ = browser_page
    page.fill("#title", "Uploaded")
    page.click("#save")
    page.wait_for_selector("#saved-table")
    set_lever(page, LEVEL, "1")  # the starting scenario's level: only the pensionable age stays changed
    older = floors.run("ECU", ["universal-child-benefit"], set=["old_age.pensionable_age=60"])
    wait_for_status(page, older.scenarios[0])
    page.fill("#title", "At the line")
    page.click("#save")
    page.wait_for_function("() => document.querySelectorAll('#saved-table tbody tr').length == 2")
    cells = page.evaluate("() => Array.from(document.querySelectorAll('#saved-table tr'))"
                          ".map(r => Array.from(r.children).map(c => c.innerText))")
    header, *rows = cells
    assert [r[0] for r in rows] == ["Uploaded", "At the line"]
    start = floors.run("ECU", ["universal-child-benefit"])
    for row, level in zip(rows, ("0.4", "1"), strict=True):
        what_if = floors.run("ECU", ["universal-child-benefit"],
                             set=[f"children.level={level}", "old_age.pensionable_age=60"])
        parts = start.compare(what_if).by_cause(2030)
        shown = dict(zip(header, row, strict=True))
        for cause, value in parts.items():
            column = "change" if cause == "total" else cause
            assert float(shown[column]) == pytest.approx(value, abs=0.0051), (row[0], cause)
        assert math.isclose(sum(float(shown[c]) for c in parts.index if c != "total"), float(shown["change"]),
                            abs_tol=0.03)


def test_another_country_and_starting_scenario(browser_page):
    page, _ = browser_page
    page.click("#country")
    page.get_by_role("option", name="Kenya (KEN)").click()
    page.wait_for_function("() => document.querySelector('#chart-share .gtitle').textContent.startsWith('Kenya')")
    page.click("#start")
    page.get_by_role("option", name="ilo-ess58").click()
    wait_for_status(page, "ilo-ess58")  # the levers start again from the scenario: nothing carried over
    expected = floors.run("KEN", ["ilo-ess58"]).table() * 100
    assert chart(page, "chart-share")["total"] == pytest.approx(expected.loc["total"].tolist(), abs=1e-9)
    assert "KES million" in page.inner_text("#tables")
