"""The Excel workbook of a run: results, the inputs and assumptions behind them, and a record.

Sheets, each but the first one table starting at A1 with a frozen header row:

* ``report``      the presentation sheet: per scenario, one landscape page of cost by benefit
                  and year in % of GDP and millions of money, with a chart; what was costed;
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

Each sheet is a module of `floors.report.sheets`; this one puts them together.
"""

from __future__ import annotations

from openpyxl import Workbook

from floors.report.labels import BENEFIT_LABELS
from floors.report.printing import lay_out_for_print
from floors.report.record import RunRecord
from floors.report.sheets.assumptions import add_assumptions
from floors.report.sheets.benefit import BENEFIT_MEASURES, add_benefit_sheet
from floors.report.sheets.fiscal_space import add_fiscal_space
from floors.report.sheets.inputs import add_inputs
from floors.report.sheets.meta import add_meta
from floors.report.sheets.readme import add_readme, benefit_definition
from floors.report.sheets.report import add_report, footer
from floors.report.sheets.summary import SUMMARY_MEASURES, add_summary
from floors.report.sheets.warnings import add_warnings

# Names the tests, and code written before the split, import from here.
__all__ = ["BENEFIT_LABELS", "BENEFIT_MEASURES", "SUMMARY_MEASURES", "RunRecord", "benefit_definition",
           "build_workbook"]


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
    add_report(wb, record, country_name)
    lay_out_for_print(wb, footer(record))
    return wb
