"""Sheet ``README``: what the workbook is and how to read it, the benefits in plain words."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from floors import __version__
from floors.assumptions import ParameterSet
from floors.benefits import BENEFITS
from floors.io.excel import write_table
from floors.report.labels import BENEFIT_LABELS
from floors.report.record import RunRecord
from floors.report.sheets.fiscal_space import fiscal_space_verdicts


def benefit_definition(params: ParameterSet, benefit: str) -> str:
    return BENEFITS[benefit].describe(params)


SHEET_GUIDE = (
    ("report", "For reports: one landscape page per scenario with the cost of each benefit by year in % of GDP "
               "(total in bold), in millions of local currency (and of US dollars where the currency is another), "
               "and a chart; a last page says what was costed. Prints as it is; copy a table into a document."),
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
    rows = [
        ["workbook", f"floors costing of a social protection floor: {country_name} ({record.country})"],
        ["what it is", "The cost of closing the gaps in each benefit of a social protection floor (ILO "
                       "Recommendation No. 202), year by year, as computed by floors " + __version__ + "."],
        ["country", f"{country_name} ({record.country}); currency {record.currency}"],
        ["years", f"{record.years[0]} to {record.years[-1]}"],
        ["units", f"Money in {record.currency} at current prices (nominal) per year, shown in millions; people "
                  f"as counts; shares as percentages. {data_vintages(record)}"],
    ]
    rows += record.run_rows()
    rows += [[f"scenario {name}", text] for name, text in scenario_texts(record).items()]
    rows += [[f"sheet: {sheet}", text] for sheet, text in SHEET_GUIDE]
    rows += [[f"fiscal space {name}", text] for name, text in fiscal_space_verdicts(record).items()]
    rows += [[f"benefit: {benefit}", text] for benefit, text in benefit_texts(record)]
    rows.append(["reproduce", f"Run: {record.command}"])
    return rows


def benefit_texts(record: RunRecord) -> list[tuple[str, str]]:
    """(benefit, what was costed in plain words) for every benefit: who, how much, the coverage netted
    (national counts or the ILO's ratio, as the engine noted it), or that it was left out."""
    first_params = next(iter(record.parameter_sets.values()))
    out = []
    for benefit in BENEFIT_LABELS:
        if benefit == "total":
            continue
        if benefit in record.benefits:
            text = benefit_definition(first_params, benefit)
            label = f"{benefit.replace('_', ' ')} benefit"
            text += "".join(f" Here: {note.split(': ', 1)[1]}." for note in record.results.attrs.get(
                "notes", "").splitlines() if f": {label} net of existing coverage" in note)
            if len(record.parameter_sets) > 1:
                text += f" (Values of scenario {record.scenarios[0]}; the assumptions sheet has every scenario's.)"
        else:
            text = f"{BENEFIT_LABELS[benefit]}: not included in this run ({benefit}.include is false)."
        out.append((benefit, text))
    return out


def scenario_texts(record: RunRecord) -> dict[str, str]:
    """Each scenario in plain words: its files' titles and descriptions, and the values set on the command line."""
    out = {}
    for name, params in record.parameter_sets.items():
        described = [f"{s.title}: {s.description}".strip(": ") for s in params.scenarios]
        text = " + ".join(described) if described else "the country's assumptions with no scenario file"
        if record.overrides:
            text += "; with " + ", ".join(f"{path} = {value}" for path, value in record.overrides.items()) + \
                    " set on the command line"
        out[name] = text
    return out


def data_vintages(record: RunRecord) -> str:
    """The vintages of the main data, as their tables' cards give them."""
    return (f"GDP and prices: {_vintage(record, 'gdp')}; government finance: "
            f"{_vintage(record, 'gg_expenditure_share')}; population: {_vintage(record, 'population')}.")


def add_readme(wb: Workbook, record: RunRecord, country_name: str) -> Worksheet:
    ws = wb.active
    ws.title = "README"
    write_table(ws, ("item", "text"), readme_rows(record, country_name), widths=[26, 130], wrap=True)
    return ws


def _vintage(record: RunRecord, name: str) -> str:
    """The vintage of an input, as its table's card gives it (so a refreshed table names its new vintage)."""
    return str(record.inputs[name].attrs.get("vintage", "see the inputs sheet"))
