"""The Excel workbook of a run: results, the inputs and assumptions behind them, and a record.

Sheets, each one table starting at A1 with a frozen header row:

* ``README``      what the workbook is and how to read it, the benefits in plain words;
* ``summary``     cost by benefit and year (% of GDP, local currency, % of government
                  expenditure and revenue), with a stacked column chart per scenario;
* one per benefit beneficiaries, unit benefit, cost, existing coverage netted out,
                  and beneficiaries by sex and five-year age group;
* ``fiscal_space`` cost against government finance, the financing gap and the measures
                  that close it (ILO fiscal-space framework);
* ``inputs``      the projections the run used, with their source and vintage;
* ``assumptions`` every effective parameter, the layer that set it and its source;
* ``warnings``    implausible values that did not block the run, parameters without a
                  source, and how the data were extended or held;
* ``meta``        version, time, command line, SHA-256 of every file read, library versions.

Numbers are stored as numbers with number formats; text from files is always stored as
text (never as a formula). The engine knows nothing of this module.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import xarray as xr
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from floors import __version__, dims
from floors.assumptions import ParameterSet
from floors.benefits import BENEFITS
from floors.engine.fiscal_space import FISCAL_SPACE_VARIABLES, first_year_closed
from floors.io.excel import add_row_series, number_format, stacked_column_chart, write_table, year_widths

# Labels of the benefits (from their records) and of the floor's total.
BENEFIT_LABELS = {**{b.id: b.label for b in BENEFITS.values()}, "total": "Total floor"}

# The headline variables of the summary sheet: (variable, what it is, unit or None for the currency).
SUMMARY_MEASURES = (
    ("cost_share_gdp", "cost, % of GDP", "share of GDP"),
    ("cost", "cost in local currency", None),
    ("cost_share_gg_expenditure", "cost, % of general government expenditure", "share of GG expenditure"),
    ("cost_share_gg_revenue", "cost, % of general government revenue", "share of GG revenue"),
)

BENEFIT_MEASURES = (
    ("eligible", "people eligible (before coverage, targeting and take-up)"),
    ("existing_coverage", "of whom already covered by existing schemes (netted out)"),
    ("beneficiaries", "beneficiaries paid by the floor"),
    ("unit_benefit", "benefit per beneficiary per year"),
    ("cost", "cost, including administration"),
    ("cost_share_gdp", "cost, % of GDP"),
    ("cost_share_gg_expenditure", "cost, % of general government expenditure"),
)

LIBRARIES = ("numpy", "pandas", "xarray", "pydantic", "openpyxl", "click", "ruamel.yaml")

@dataclass
class RunRecord:
    """Everything a workbook reports about one run."""

    results: xr.Dataset  # from floors.engine.costing
    inputs: xr.Dataset  # the projections used
    parameter_sets: dict[str, ParameterSet]  # scenario name → effective parameters
    data_files: list[Path]  # the bundled files read
    command: str
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    country_name: str = ""

    @property
    def country(self) -> str:
        return self.results.attrs["country"]

    @property
    def currency(self) -> str:
        return self.results.attrs["currency"]

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.results[dims.YEAR].values]

    @property
    def scenarios(self) -> list[str]:
        return [str(s) for s in self.results[dims.SCENARIO].values]

    @property
    def benefits(self) -> list[str]:
        """The benefits costed, without the total."""
        return [str(b) for b in self.results[dims.BENEFIT].values if b != "total"]


def age_group(age: int) -> str:
    start = min(age // 5 * 5, 100)
    return "100+" if start == 100 else f"{start}-{start + 4}"


# --- sheets -----------------------------------------------------------------------------------


def summary_rows(record: RunRecord) -> list[tuple[list, str]]:
    """(row, number format) for every measure, scenario and benefit (total last)."""
    res = record.results.sel({dims.COUNTRY: record.country})
    out = []
    for variable, label, unit in SUMMARY_MEASURES:
        unit = unit or f"{record.currency} per year"
        for scenario in record.scenarios:
            values = res[variable].sel({dims.SCENARIO: scenario})
            for benefit in [*record.benefits, "total"]:
                row = values.sel({dims.BENEFIT: benefit}).values.tolist()
                out.append(([scenario, benefit, BENEFIT_LABELS.get(benefit, benefit), variable, label, unit, *row],
                            number_format(unit if variable != "cost" else "local currency per year")))
    return out


SUMMARY_HEADER = ("scenario", "benefit", "label", "variable", "measure", "unit")


def add_summary(wb: Workbook, record: RunRecord) -> Worksheet:
    ws = wb.create_sheet("summary")
    rows = summary_rows(record)
    write_table(ws, [*SUMMARY_HEADER, *record.years], (r for r, _ in rows), formats=(f for _, f in rows),
                widths=year_widths([14, 14, 22, 24, 38, 24], record.years), frozen_columns=3)
    # One stacked column chart per scenario, from the % of GDP rows (the total is the stack's height).
    first_year_col, last_year_col = len(SUMMARY_HEADER) + 1, len(SUMMARY_HEADER) + len(record.years)
    block = len(record.benefits) + 1
    for i, scenario in enumerate(record.scenarios):
        first_row = 2 + i * block
        chart = stacked_column_chart(f"{record.country} · {scenario}: cost of the floor, % of GDP", "% of GDP",
                                     "0.0%", "year")
        # One series per benefit, named after the benefit label in column C of its row.
        add_row_series(chart, ws, range(first_row, first_row + len(record.benefits)), first_year_col, last_year_col,
                       "C")
        ws.add_chart(chart, f"{get_column_letter(last_year_col + 2)}{2 + i * 20}")
    return ws


BENEFIT_HEADER = ("scenario", "variable", "measure", "sex", "age group", "unit")


def benefit_rows(record: RunRecord, benefit: str) -> list[tuple[list, str]]:
    res = record.results.sel({dims.COUNTRY: record.country, dims.BENEFIT: benefit})
    units = {"unit_benefit": f"{record.currency} per beneficiary per year", "cost": f"{record.currency} per year"}
    out = []
    for scenario in record.scenarios:
        one = res.sel({dims.SCENARIO: scenario})
        for variable, label in BENEFIT_MEASURES:
            unit = units.get(variable, one[variable].attrs.get("units", ""))
            fmt = number_format(one[variable].attrs.get("units", ""))
            out.append(([scenario, variable, label, "all", "all", unit, *one[variable].values.tolist()], fmt))
        if "beneficiaries_by_sex_age" in one and bool(np.isfinite(one["beneficiaries_by_sex_age"]).any()):
            detail = one["beneficiaries_by_sex_age"]
            groups = xr.DataArray([age_group(int(a)) for a in detail[dims.AGE].values], dims=[dims.AGE])
            grouped = detail.groupby(groups.rename("age_group")).sum()
            order = sorted(grouped["age_group"].values.tolist(), key=lambda g: int(g.rstrip("+").split("-")[0]))
            for sex in detail[dims.SEX].values:
                for group in order:
                    values = grouped.sel({dims.SEX: sex, "age_group": group}).transpose(dims.YEAR).values
                    if np.any(values > 0):
                        out.append(([scenario, "beneficiaries_by_sex_age", "beneficiaries by sex and age group",
                                     str(sex), group, "persons", *values.tolist()], "#,##0"))
    return out


def add_benefit_sheet(wb: Workbook, record: RunRecord, benefit: str) -> Worksheet:
    ws = wb.create_sheet(benefit)
    rows = benefit_rows(record, benefit)
    write_table(ws, [*BENEFIT_HEADER, *record.years], (r for r, _ in rows), formats=(f for _, f in rows),
                widths=year_widths([14, 24, 44, 8, 10, 30], record.years), frozen_columns=3)
    return ws


FISCAL_HEADER = ("scenario", "variable", "measure", "unit")


def fiscal_space_rows(record: RunRecord) -> list[tuple[list, str]]:
    res = record.results.sel({dims.COUNTRY: record.country})
    out = []
    for scenario in record.scenarios:
        one = res.sel({dims.SCENARIO: scenario})
        for variable, label in FISCAL_SPACE_VARIABLES.items():
            out.append(([scenario, variable, label, "share of GDP", *one[variable].values.tolist()], "0.00%"))
        closed = (one["fs_remaining_gap_share_gdp"] <= 1e-12).values.tolist()
        out.append(([scenario, "fs_gap_closed", "the measures close the gap", "true/false", *closed], None))
    return out


def fiscal_space_verdicts(record: RunRecord) -> dict[str, str]:
    """One sentence per scenario: from which year the measures set in fiscal_space.* close the gap."""
    remaining = record.results["fs_remaining_gap_share_gdp"].sel({dims.COUNTRY: record.country})
    last = record.years[-1]
    out = {}
    for scenario, year in first_year_closed(remaining).items():
        gap = float(remaining.sel({dims.SCENARIO: scenario, dims.YEAR: last}))
        out[scenario] = (f"the measures set in fiscal_space.* close the financing gap from {year} on"
                         if year is not None else
                         f"the measures set in fiscal_space.* do not close the financing gap by {last} "
                         f"(remaining gap {gap:.2%} of GDP in {last})")
    return out


def add_fiscal_space(wb: Workbook, record: RunRecord) -> Worksheet:
    ws = wb.create_sheet("fiscal_space")
    rows = fiscal_space_rows(record)
    write_table(ws, [*FISCAL_HEADER, *record.years], (r for r, _ in rows), formats=(f for _, f in rows),
                widths=year_widths([14, 34, 58, 14], record.years), frozen_columns=3)
    return ws


INPUT_HEADER = ("scenario", "series", "description", "sex", "age group", "unit", "source")

# Inputs without attributes of their own.
INPUT_LABELS = {
    "usd_rate": ("local currency per US dollar (WEO GDP in local currency / in USD, base year), converts the "
                 "health benchmark", "local currency per USD"),
    "cpi_2017": ("CPI in 2017, the price year of the international poverty lines", "index (period average)"),
}


def input_rows(record: RunRecord) -> list[tuple[list, str]]:
    data = record.inputs
    scenarios = data[dims.SCENARIO].values.tolist() if dims.SCENARIO in data.dims else ["all scenarios"]
    years = record.years
    out = []
    for scenario in scenarios:
        one = data.sel({dims.SCENARIO: scenario}) if dims.SCENARIO in data.dims else data
        for name, var in one.data_vars.items():
            description, unit = INPUT_LABELS.get(name, (var.attrs.get("description", name.replace("_", " ")),
                                                        var.attrs.get("units", "")))
            source = var.attrs.get("source", "")
            if name in INPUT_LABELS:
                source = "IMF WEO, October 2025" if name == "usd_rate" else "IMF WEO, October 2025 (CPI)"
            fmt = number_format(unit)
            for sex, group, values in _input_series(var, years):
                out.append(([scenario, name, description, sex, group, unit, source, *values], fmt))
    return out


def _input_series(var: xr.DataArray, years: list[int]):
    """(sex, age group, values by year) for one input, whatever its dimensions."""
    if dims.LINE in var.dims:  # the international lines: constants, one row per line
        for line in var[dims.LINE].values:
            yield "all", f"line: {line}", [float(var.sel({dims.LINE: line}))] * len(years)
        return
    if dims.YEAR not in var.dims:  # a constant used in every year
        yield "all", "all", [float(var)] * len(years)
        return
    if dims.AGE in var.dims:
        groups = xr.DataArray([age_group(int(a)) for a in var[dims.AGE].values], dims=[dims.AGE])
        grouped = var.groupby(groups.rename("age_group")).sum()
        order = sorted(grouped["age_group"].values.tolist(), key=lambda g: int(g.rstrip("+").split("-")[0]))
        for sex in var[dims.SEX].values:
            for group in order:
                yield str(sex), group, grouped.sel({dims.SEX: sex, "age_group": group}).transpose().values.tolist()
        return
    if dims.SEX in var.dims:
        for sex in var[dims.SEX].values:
            yield str(sex), "all", var.sel({dims.SEX: sex}).values.tolist()
        return
    yield "all", "all", var.values.tolist()


def add_inputs(wb: Workbook, record: RunRecord) -> Worksheet:
    ws = wb.create_sheet("inputs")
    rows = input_rows(record)
    write_table(ws, [*INPUT_HEADER, *record.years], (r for r, _ in rows), formats=(f for _, f in rows),
                widths=year_widths([14, 28, 50, 8, 16, 30, 50], record.years, 15), frozen_columns=2)
    return ws


ASSUMPTION_HEADER = ("scenario", "parameter", "label", "kind", "cause", "description", "value", "unit", "set by",
                     "file", "source")


def parameter_value(value):
    """A parameter value for a cell: numbers and booleans as such, values by year as text."""
    if isinstance(value, dict):
        return "; ".join(f"{year}: {v:g}" for year, v in sorted(value.items()))
    if value is None:
        return "(not set)"
    return value


def add_assumptions(wb: Workbook, record: RunRecord) -> Worksheet:
    ws = wb.create_sheet("assumptions")
    rows, formats = [], []
    for scenario, params in record.parameter_sets.items():
        for effective in params.values():
            unit = effective.definition.unit
            definition = effective.definition
            rows.append([scenario, effective.path, definition.label, definition.kind, definition.cause,
                         definition.description, parameter_value(effective.value), unit, effective.layer,
                         effective.origin, effective.citation()])
            formats.append("0.00%" if unit.startswith("share") else "General")
    write_table(ws, ASSUMPTION_HEADER, rows, formats=formats, widths=[14, 34, 30, 9, 11, 60, 16, 22, 12, 36, 70],
                frozen_columns=2, wrap=True)
    return ws


def warning_rows(record: RunRecord) -> list[list]:
    rows = [["warning", "all scenarios", text] for text in record.results.attrs.get("warnings", "").splitlines()
            if text]
    for scenario, params in record.parameter_sets.items():
        rows += [["warning", scenario, text] for text in params.warnings]
        rows += [["no source", scenario, f"{e.path} = {parameter_value(e.value)}: {e.no_source}"]
                 for e in params.values() if e.source is None]
    rows += [["data note", "all scenarios", note] for note in record.results.attrs.get("notes", "").splitlines()
             if note]
    return rows


def add_warnings(wb: Workbook, record: RunRecord) -> Worksheet:
    ws = wb.create_sheet("warnings")
    write_table(ws, ("kind", "scenario", "message"), warning_rows(record), widths=[12, 16, 140], wrap=True)
    return ws


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digest_of(files: dict[str, str]) -> str:
    """One SHA-256 for a set of files: of their sorted 'name  hash' lines (as sha256sum prints them)."""
    lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(files.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def _relative(path: Path, root: Path | None) -> str:
    try:
        return path.resolve().relative_to(root).as_posix() if root else path.name
    except ValueError:
        return path.as_posix()


def meta_rows(record: RunRecord) -> list[list]:
    assumption_files = dict.fromkeys(p for params in record.parameter_sets.values() for p in params.files)
    root = _common_root([*assumption_files, *record.data_files])
    assumption_hashes = {_relative(p, root): sha256(p) for p in assumption_files}
    data_hashes = {_relative(p, root): sha256(p) for p in record.data_files}
    rows = [
        ["floors version", __version__, ""],
        ["created (UTC)", record.created.strftime("%Y-%m-%d %H:%M:%S"), ""],
        ["command line", record.command, ""],
        ["country", record.country, ""],
        ["scenarios", ", ".join(record.scenarios), ""],
        ["years", f"{record.years[0]}-{record.years[-1]}", ""],
        ["currency", record.currency, ""],
        ["assumption files, SHA-256 of all", digest_of(assumption_hashes),
         f"{len(assumption_hashes)} files; sha256 of the sorted 'hash  file' lines below"],
        ["data files, SHA-256 of all", digest_of(data_hashes),
         f"{len(data_hashes)} files; sha256 of the sorted 'hash  file' lines below"],
        ["python", platform.python_version(), platform.platform()],
    ]
    for library in LIBRARIES:
        try:
            rows.append([f"library {library}", version(library), ""])
        except PackageNotFoundError:
            rows.append([f"library {library}", "not installed", ""])
    rows += [["assumption file SHA-256", digest, name] for name, digest in sorted(assumption_hashes.items())]
    rows += [["data file SHA-256", digest, name] for name, digest in sorted(data_hashes.items())]
    return rows


def _common_root(paths: Sequence[Path]) -> Path | None:
    """The assumptions folder the files share, so hashes are listed by paths a reader can find."""
    import os

    resolved = [str(p.resolve()) for p in paths]
    return Path(os.path.commonpath(resolved)) if resolved else None


def add_meta(wb: Workbook, record: RunRecord) -> Worksheet:
    ws = wb.create_sheet("meta")
    write_table(ws, ("item", "value", "detail"), meta_rows(record), widths=[34, 70, 60])
    return ws


# --- README -------------------------------------------------------------------------------------


def benefit_definition(params: ParameterSet, benefit: str) -> str:
    return BENEFITS[benefit].describe(params)


SHEET_GUIDE = (
    ("summary", "Cost by benefit (rows) and year (columns): % of GDP, in local currency, and as % of general "
                "government expenditure and revenue, for each scenario; the total is the sum of the benefits' "
                "costs (overlap rule: additive; people are not added up, because the groups overlap). The "
                "chart stacks the benefits' % of GDP."),
    ("one sheet per benefit", "People eligible, those already covered by existing schemes (netted out), "
                              "beneficiaries paid, benefit per beneficiary, cost; beneficiaries by sex and "
                              "five-year age group for the age-based benefits."),
    ("fiscal_space", "The floor's cost against general government revenue and expenditure; the financing gap "
                     "after netting existing spending the floor replaces; the financing measures of the ILO "
                     "fiscal-space framework set in fiscal_space.* (re-allocation, revenue increase, contributions "
                     "from extended coverage), and in which years they close the gap. All in % of GDP."),
    ("inputs", "The projections the costing used: population by sex and age group, births, GDP, prices, "
               "government finance, poverty lines, labour force, existing coverage, health spending; each with "
               "its unit, source and vintage."),
    ("assumptions", "Every parameter after all layers (default < country < scenario < command line): its kind "
                    "(policy: a decision about the floor; context: macro, demographic or data settings), value, "
                    "unit, the layer and file that set it, and its source. Shares are shown as percentages."),
    ("warnings", "Values that are possible but implausible, parameters with no source found, and how the data "
                 "were extended or held beyond what is published."),
    ("meta", "floors version, when and how the workbook was made, SHA-256 of every assumption and data file "
             "read, Python and library versions: enough to reproduce it."),
)


def readme_rows(record: RunRecord, country_name: str) -> list[list]:
    first_params = next(iter(record.parameter_sets.values()))
    rows = [
        ["workbook", f"floors costing of a social protection floor: {country_name} ({record.country})"],
        ["what it is", "The cost of closing the gaps in each benefit of a social protection floor (ILO "
                       "Recommendation No. 202), year by year, as computed by floors " + __version__ + "."],
        ["country", f"{country_name} ({record.country}); currency {record.currency}"],
        ["years", f"{record.years[0]} to {record.years[-1]}"],
        ["units", f"Money in {record.currency} at current prices (nominal) per year; people as counts; shares "
                  f"as percentages. GDP, prices and government finance: IMF WEO October 2025; population: UN "
                  f"WPP 2024."],
    ]
    for name, params in record.parameter_sets.items():
        described = [f"{s.title}: {s.description}".strip(": ") for s in params.scenarios]
        text = " + ".join(described) if described else "the country's assumptions with no scenario file"
        rows.append([f"scenario {name}", text])
    rows += [[f"sheet: {sheet}", text] for sheet, text in SHEET_GUIDE]
    rows += [[f"fiscal space {name}", text] for name, text in fiscal_space_verdicts(record).items()]
    for benefit in BENEFIT_LABELS:
        if benefit == "total":
            continue
        if benefit in record.benefits:
            text = benefit_definition(first_params, benefit)
            # Which existing coverage was netted (national counts or the ILO's ratio), as the engine noted it.
            label = f"{benefit.replace('_', ' ')} benefit"
            text += "".join(f" Here: {note.split(': ', 1)[1]}." for note in record.results.attrs.get(
                "notes", "").splitlines() if f": {label} net of existing coverage" in note)
            if len(record.parameter_sets) > 1:
                text += f" (Values of scenario {record.scenarios[0]}; the assumptions sheet has every scenario's.)"
        else:
            text = f"{BENEFIT_LABELS[benefit]}: not included in this run ({benefit}.include is false)."
        rows.append([f"benefit: {benefit}", text])
    rows.append(["reproduce", f"Run: {record.command}"])
    return rows


def add_readme(wb: Workbook, record: RunRecord, country_name: str) -> Worksheet:
    ws = wb.active
    ws.title = "README"
    write_table(ws, ("item", "text"), readme_rows(record, country_name), widths=[26, 130], wrap=True)
    return ws


def build_workbook(record: RunRecord, country_name: str) -> Workbook:
    wb = Workbook()
    add_readme(wb, record, country_name)
    add_summary(wb, record)
    for benefit in record.benefits:
        add_benefit_sheet(wb, record, benefit)
    add_fiscal_space(wb, record)
    add_inputs(wb, record)
    add_assumptions(wb, record)
    add_warnings(wb, record)
    add_meta(wb, record)
    return wb
