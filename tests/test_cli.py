"""The command line as a user meets it: validate, params and --version."""

from __future__ import annotations

from floors import __version__
from floors.cli import main


def test_validate_prints_ok_and_a_summary(runner):
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: ECU, ")
    assert "projections 2024–2030" in result.output
    assert "population 18.14 M" in result.output and "GDP 124.7 bn USD in 2024" in result.output


def test_validate_another_country(runner):
    result = runner.invoke(main, ["validate", "--country", "ken"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: KEN, ") and "KES" in result.output


def test_params_shows_value_unit_layer_and_source(runner):
    result = runner.invoke(main, ["params", "--width", "200", "--set", "macro.horizon=2035"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    line_period = next(line for line in lines if line.startswith("poverty.national_line_period"))
    assert "2024-12" in line_period and "period" in line_period and "country" in line_period
    horizon = next(line for line in lines if line.startswith("macro.horizon"))
    assert "2035" in horizon and "command line" in horizon
    assert "source: INEC, Encuesta Nacional de Empleo" in result.output
    # A value taken from a bundled table (null) says where it comes from.
    participation = next(line for line in lines if line.startswith("labour.participation_rate"))
    assert "(not set)" in participation and "default" in participation
    assert "source: ILO modelled estimates (ILOEST)" in result.output
    # A value with no source says so, in capitals, where the source would be.
    assert "NO SOURCE" in result.output


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output
