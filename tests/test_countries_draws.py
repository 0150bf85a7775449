"""Monte Carlo draws over several countries (``run --country all --draws N``, ``floors.run([...], draws=N)``).

A country's draws are those of its own run with the same seed, wherever it stands in the list:
its medians and intervals in a run of several countries equal its own run's, to the last bit.
The cross-country workbook, the CSV and the printed summary carry them; too many draws over
the countries are refused before any work.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xarray as xr

import floors
from floors import limits
from floors.cli import main
from floors.problems import InputError
from floors.report.uncertainty import STATISTICS

DRAWS, SEED = 30, 4


@pytest.fixture(scope="module")
def alone() -> dict[str, xr.Dataset]:
    """Each country's percentiles from its own run."""
    return {iso3: floors.run(iso3, draws=DRAWS, seed=SEED).countries[iso3].uncertainty for iso3 in ("KEN", "SEN")}


def test_a_country_draws_the_same_alone_or_with_others_in_any_order(alone):
    for order in (["KEN", "SEN"], ["SEN", "KEN"]):
        together = floors.run(order, draws=DRAWS, seed=SEED)
        assert list(together.countries) == order
        for iso3 in order:
            xr.testing.assert_identical(together.countries[iso3].uncertainty, alone[iso3])
    # The draws are real draws: another seed moves the percentiles, and the interval is not a point.
    other = floors.run(["KEN", "SEN"], draws=DRAWS, seed=SEED + 1).countries["SEN"].uncertainty
    total = alone["SEN"]["cost_share_gdp"].sel(scenario="baseline", benefit="total", year=2030)
    assert float(total.sel(quantile=0.1)) < float(total.sel(quantile=0.5)) < float(total.sel(quantile=0.9))
    assert not np.array_equal(other["cost_share_gdp"].values, alone["SEN"]["cost_share_gdp"].values)


def test_each_country_draws_over_its_own_ranges(tree):
    """A range set in Kenya's own file moves Kenya's draws only (Senegal keeps the default range)."""
    (tree / "KEN").mkdir(exist_ok=True)
    (tree / "KEN" / "children.yaml").write_text(
        "take_up:\n  value: 0.6\n  uncertainty: {low: 0.5, high: 0.7, distribution: uniform, "
        "reason: a test's range for Kenya}\n  source: {title: a test}\n", encoding="utf-8")
    together = floors.run(["KEN", "SEN"], draws=DRAWS, seed=SEED, assumptions=tree)
    for iso3 in ("KEN", "SEN"):
        xr.testing.assert_identical(together.countries[iso3].uncertainty,
                                    floors.run(iso3, draws=DRAWS, seed=SEED, assumptions=tree).countries[iso3]
                                    .uncertainty)
    ken = together.countries["KEN"].parameters["baseline"]["children.take_up"]
    sen = together.countries["SEN"].parameters["baseline"]["children.take_up"]
    assert (ken.uncertainty.low, ken.uncertainty.high) == (0.5, 0.7)
    assert (sen.uncertainty.low, sen.uncertainty.high) == (0.8, 1.0)
    # Kenya's child benefit now costs 50–70 % of its full take-up cost in every draw.
    full = floors.run("KEN", assumptions=tree, set={"children.take_up": 1.0}).table().loc["children", 2030]
    children = together.countries["KEN"].uncertainty["cost_share_gdp"].sel(benefit="children", year=2030)
    assert 0.5 * full * 0.8 < float(children.min()) and float(children.max()) < 0.7 * full * 1.25


def test_draw_rows_are_the_sets_made_one_by_one(bundle):
    """The draws' columns and their lazily made parameter sets (`DrawnSets`, also sliced and subset as the
    chunked path does) equal each scenario's set with each draw's values put in, one by one."""
    from floors.assumptions import load_parameters
    from floors.uncertainty import _with_values, draw_parameters, sample

    known = set(bundle.countries)
    sets = [load_parameters(bundle.folders.base, "ECU", known_countries=known),
            load_parameters(bundle.folders.base, "ECU", ["ilo-ess58"], known_countries=known)]
    rows, drawn_sets = draw_parameters(["baseline", "ilo-ess58"], sets, 7, 3)
    expected = [_with_values(params, {path: column[i] for path, column in sample(params, 7, 3).items()})
                for params in sets for i in range(7)]
    assert rows.names == [f"{name}|{i}" for name in ("baseline", "ilo-ess58") for i in range(7)]
    assert list(drawn_sets) == expected
    assert all(rows.values[path] == [e.value(path) for e in expected] for path in rows.values)
    subset = drawn_sets.rows([3, 9, 12])
    assert list(subset) == [expected[3], expected[9], expected[12]]
    assert list(subset[1:]) == [expected[9], expected[12]] and list(drawn_sets[2:5]) == expected[2:5]


def test_percentile_rows_as_xarray_lays_them_out(alone):
    """tidy_quantiles (plain arrays) gives the rows, order and types of the straightforward way: one
    DataFrame per variable and percentile from xarray's to_dataframe."""
    from floors.report.tidy import COLUMNS
    from floors.report.uncertainty import tidy_quantiles

    summary = alone["KEN"]
    two = xr.concat([summary, summary.assign_coords(scenario=["other"]) * 2], dim="scenario",
                    combine_attrs="override")
    for one in (summary, two):
        frames = []
        for name, var in one.data_vars.items():
            for q, statistic in STATISTICS.items():
                frame = var.sel(quantile=q, drop=True).to_dataframe(name="value").reset_index()
                frame = frame.assign(country="KEN", variable=f"{name}_{statistic}", unit=var.attrs.get("units", ""))
                frames.append(frame[COLUMNS])
        pd.testing.assert_frame_equal(tidy_quantiles(one, "KEN"), pd.concat(frames, ignore_index=True),
                                      check_exact=True)


def rows_of(frame: pd.DataFrame, iso3: str, variable: str) -> pd.DataFrame:
    return frame[(frame["country"] == iso3) & (frame["variable"] == variable)]


def test_run_countries_with_draws_writes_percentiles_to_workbook_csv_and_terminal(runner, tmp_path, alone):
    result = runner.invoke(main, ["run", "-c", "KEN,SEN", "--draws", str(DRAWS), "--seed", str(SEED),
                                  "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    name = f"countries-KEN-SEN-baseline-draws{DRAWS}-seed{SEED}"
    folder = tmp_path / name
    assert sorted(p.name for p in folder.iterdir()) == [f"floors-{name}.csv", f"floors-{name}.xlsx"]

    # The printed summary: each country's median and interval in 2030, as its own run prints them.
    heading = f"{DRAWS} draws (seed {SEED}, each country): total cost in 2030, % of GDP"
    assert heading in result.output
    draws_block = result.output.split(heading)[1].splitlines()
    for iso3, summary in alone.items():
        q = summary["cost_share_gdp"].sel(scenario="baseline", benefit="total", year=2030) * 100
        line = next(line for line in draws_block if line.strip().startswith(iso3 + " "))
        assert line.split()[:2] == [iso3, "baseline"]
        assert f"median {float(q.sel(quantile=0.5)):.2f}" in line
        assert f"80 % interval {float(q.sel(quantile=0.1)):.2f}–{float(q.sel(quantile=0.9)):.2f}" in line

    # The workbook: sheet uncertainty holds every percentile of both variables, by country, benefit and year.
    path = folder / f"floors-{name}.xlsx"
    sheet = pd.read_excel(path, sheet_name="uncertainty")
    years = list(range(2024, 2031))
    for iso3, summary in alone.items():
        for variable in ("cost_share_gdp", "cost"):
            rows = rows_of(sheet, iso3, variable)
            assert len(rows) == len(summary["benefit"]) * 3
            for q, statistic in STATISTICS.items():
                for benefit in summary["benefit"].values:
                    row = rows[(rows["benefit"] == benefit) & (rows["statistic"] == statistic)]
                    expected = summary[variable].sel(scenario="baseline", benefit=benefit, quantile=q).values
                    np.testing.assert_allclose(row[years].to_numpy()[0], expected, rtol=1e-12)
    assert (sheet[sheet["variable"] == "cost"]["unit"].str.contains("KES|XOF")).all()  # each its own currency
    params = pd.read_excel(path, sheet_name="uncertain_parameters")
    assert set(params["country"]) == {"KEN", "SEN"} and "macro.gdp_growth_shift" in set(params["parameter"])

    # by_country: the total's p10, median and p90 in 2030 beside the benefits; the chart stays on the benefits.
    book = openpyxl.load_workbook(path)
    ws = book["by_country"]
    header = [c.value for c in ws[1]]
    assert header[-3:] == [f"total, p10 of {DRAWS} draws", f"total, median of {DRAWS} draws",
                           f"total, p90 of {DRAWS} draws"]
    for row in ws.iter_rows(min_row=2, values_only=True):
        expected = alone[row[0]]["cost_share_gdp"].sel(scenario="baseline", benefit="total", year=2030)
        np.testing.assert_allclose(row[-3:], expected.values, rtol=1e-12)
    chart = ws._charts[0]
    assert all(s.val.numRef.f.split("!")[1].startswith("$") for s in chart.series)
    assert len(chart.series) == header.index("total") - 1  # the benefits only
    readme = {r[0]: r[1] for r in book["README"].iter_rows(min_row=2, values_only=True)}
    assert "sheet: uncertainty" in readme and f"{DRAWS} Monte Carlo draws" in readme["draws"]

    # The CSV: the costing's rows as without draws, then each country's percentile rows.
    table = pd.read_csv(folder / f"floors-{name}.csv")
    plain = runner.invoke(main, ["run", "-c", "KEN,SEN", "-o", str(tmp_path), "--format", "csv"])
    assert plain.exit_code == 0, plain.output
    without = pd.read_csv(tmp_path / "countries-KEN-SEN-baseline" / "floors-countries-KEN-SEN-baseline.csv")
    pd.testing.assert_frame_equal(table.iloc[:len(without)].reset_index(drop=True), without)
    for iso3, summary in alone.items():
        for q, statistic in STATISTICS.items():
            rows = rows_of(table, iso3, f"cost_share_gdp_{statistic}").query("benefit == 'total'")
            np.testing.assert_allclose(rows.sort_values("year")["value"].to_numpy(),
                                       summary["cost_share_gdp"].sel(scenario="baseline", benefit="total",
                                                                     quantile=q).values, rtol=1e-12)


def test_too_many_draws_over_the_countries_are_refused_before_any_work(runner, tmp_path):
    per_country = limits.MAX_COUNTRY_DRAWS // 19 + 1  # within the one-country limit, beyond it for 19
    assert per_country <= limits.MAX_DRAWS_AT_ONCE
    result = runner.invoke(main, ["run", "-c", "all", "--draws", str(per_country), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)  # a message, no crash
    assert f"19 countries × {per_country:,} draws" in result.output
    assert f"more than the {limits.MAX_COUNTRY_DRAWS:,}" in result.output
    assert f"use at most {limits.MAX_COUNTRY_DRAWS // 19:,} draws" in result.output
    assert not (tmp_path / "out").exists()
    # The same run with one draw fewer per country is within the limit (checked, not run).
    assert limits.country_draw_problems(["X"] * 19, per_country - 1) == []
    # The library says the same, with every other problem at once.
    with pytest.raises(InputError) as caught:
        floors.run("all", draws=per_country, seed=-1)
    assert {p.key for p in caught.value.problems} == {"--draws", "--seed"}


def test_a_bad_country_among_several_with_draws_is_refused_with_nothing_written(runner, tmp_path):
    result = runner.invoke(main, ["run", "-c", "KEN,XXX", "--draws", "10", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "XXX" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
