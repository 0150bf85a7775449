"""The Python interface: the guide (docs/python.md) runs as written, and the library gives the numbers of
the command line."""

from __future__ import annotations

import contextlib
import doctest
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import floors
from floors import api
from floors.cli import main

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "python.md"


def test_every_block_of_the_guide_runs_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 8
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for number, block in enumerate(blocks):
            exec(compile(block, f"{GUIDE.name}, block {number + 1}", "exec"), namespace)
    output = printed.getvalue()
    assert "unknown parameter 'children.levle'" in output and "did you mean 'children.level'?" in output
    for name in ("ecuador.png", "floors-ECU-baseline.xlsx", "floors-ECU-baseline.csv", "floors-ECU-compare.xlsx"):
        assert (tmp_path / name).stat().st_size > 1000, name


def test_the_module_examples_hold():
    failures, tried = doctest.testmod(api, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried >= 5 and failures == 0


def test_the_library_gives_the_numbers_of_the_command_line(runner, tmp_path):
    result = runner.invoke(main, ["run", "-c", "KEN", "-s", "ilo-ess58", "-s", "ilo-wp113", "--set",
                                  "children.take_up=0.9", "--format", "csv", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (path,) = tmp_path.glob("*/*.csv")
    cli = pd.read_csv(path)
    library = floors.run("KEN", ["ilo-ess58", "ilo-wp113"], set={"children.take_up": 0.9}).to_frame()
    assert len(cli) == len(library)
    np.testing.assert_allclose(cli["value"].to_numpy(), library["value"].to_numpy(), rtol=1e-12)
    assert (cli["variable"].to_numpy() == library["variable"].to_numpy()).all()


def test_compare_gives_the_numbers_of_floors_compare(runner, tmp_path):
    result = runner.invoke(main, ["compare", "baseline", "ilo-ess58", "--format", "csv", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (path,) = tmp_path.glob("*/*.csv")
    cli = pd.read_csv(path).query("variable == 'cost_share_gdp' and year == 2030 and benefit == 'total'")
    comparison = floors.compare("ECU", ["baseline", "ilo-ess58"])
    table = comparison.table(2030)
    for scenario in ("baseline", "ilo-ess58"):
        assert float(cli.query("scenario == @scenario")["value"].iloc[0]) == pytest.approx(
            float(table.loc["total", scenario]), rel=1e-12)
    assert f"{comparison.by_cause(2030)['total']:.3f}" in result.output


def test_a_single_country_result_is_a_plain_dataset():
    ds = floors.run("ECU").to_xarray()
    assert "country" not in ds.dims
    assert ds["cost_share_gdp"].sel(scenario="baseline").to_pandas().shape == (7, 7)


def test_a_sweep_equals_the_runs_one_by_one():
    grid = floors.sweep("ECU", {"children.level": [0.3, 0.6], "old_age.take_up": [0.8, 1.0]})
    for level in (0.3, 0.6):
        for take_up in (0.8, 1.0):
            one = floors.run("ECU", [{"children.level": level, "old_age.take_up": take_up}])
            point = {"children.level": level, "old_age.take_up": take_up, "benefit": "total", "year": 2030}
            assert float(grid["cost"].sel(point)) == pytest.approx(float(one.table("cost").loc["total", 2030]),
                                                                   rel=1e-12)


def test_bad_input_from_python_lists_every_problem():
    with pytest.raises(floors.InputError) as caught:
        floors.run("ECX", [{"children.level": -1}])
    assert "did you mean 'ECU'?" in caught.value.report()
    with pytest.raises(floors.InputError) as caught:
        floors.run("ECU", [{"children.level": -1}, "no-such-scenario"])
    report = caught.value.report()
    assert "2 problems found" in report and "below the minimum 0" in report and "'no-such-scenario' not found" in report
    with pytest.raises(floors.InputError, match="compare needs a reference and at least one other"):
        floors.compare("ECU", ["baseline"])
