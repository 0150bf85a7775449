"""Write a country's assumption folder for a ministry to fill in (`floors init`).

Each file holds the national overrides a costing for that country should have (existing
coverage, labour force participation, the poverty line, the minimum wage, spending the
floor would replace), one commented entry per parameter. A value with no national source
yet is marked ``DEFAULT TO REVIEW`` in its ``no_source``, so that it prints as "NO SOURCE:
DEFAULT TO REVIEW …" in `floors params` and in every workbook until someone replaces it.
"""

from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from floors.assumptions.parameter_set import Effective, ParameterSet

REVIEW = "DEFAULT TO REVIEW"

# The national overrides, by file, each with what a reviewer should look for.
NATIONAL_PARAMETERS: dict[str, dict[str, str]] = {
    "coverage": {
        "old_age_pensioners": "old-age pensioners of the social insurance schemes (count, with its year)",
        "disability_pensioners": "disability and invalidity pensioners (count, with its year)",
        "survivor_pensioners": "survivors' pensioners (count, with its year)",
        "active_contributors": "active contributors to social insurance (count, with its year)",
        "unemployment_insurance_recipients": "recipients of unemployment insurance (count, with its year)",
        "non_contributory_old_age_recipients": "recipients of a social (non-contributory) pension",
        "non_contributory_disability_recipients": "recipients of a non-contributory disability benefit",
    },
    "labour": {
        "participation_rate": "labour force participation rate, 15+, from the national labour force survey",
        "unemployment_rate": "unemployment rate, 15+, from the national labour force survey",
    },
    "poverty": {
        "national_line_period": "the reference period of the official poverty line (add the line itself to "
                                "assumptions/data/poverty_lines_national.csv with its URL)",
        "headcount_from": "where the poverty headcount comes from",
        "ppp_factor": "the 2017 private-consumption PPP factor (World Bank ICP), for the international-line basis",
    },
    "macro": {
        "minimum_wage_monthly": "the statutory minimum wage per month (for the minimum-wage basis)",
    },
    "fiscal_space": {
        "existing_spending": "spending on existing non-contributory programmes the floor would replace, % of GDP",
    },
}


def _entry(effective: Effective, what: str, keep_source: bool) -> CommentedMap:
    entry = CommentedMap()
    entry["value"] = effective.value
    if keep_source and effective.layer == "country" and effective.source is not None:
        entry["source"] = effective.source.model_dump(exclude_none=True)
    elif effective.value is None and effective.definition.from_data and effective.source is not None:
        # null takes the country's value from a bundled international table (e.g. ILO modelled rates),
        # which has its source: nothing to review unless a national figure replaces it.
        entry["source"] = effective.source.model_dump(exclude_none=True)
    else:
        entry["no_source"] = (f"{REVIEW}: the international default of floors; replace it with the national "
                              f"figure for {what}, and its source (title, url, locator, date)")
    return entry


def country_files(params: ParameterSet, from_bundle: bool) -> dict[str, str]:
    """The text of each file (section → YAML) for ``params.country``.

    Without ``from_bundle`` every value is the international default; with it, values the
    country already has in the assumptions folder keep their value and source.
    """
    yaml = YAML()
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = {}
    for section, wanted in NATIONAL_PARAMETERS.items():
        doc = CommentedMap()
        for name, what in wanted.items():
            effective = params[f"{section}.{name}"]
            doc[name] = _entry(effective, what, keep_source=from_bundle)
            comment = (f"{effective.definition.description.strip()}\nUnit: {effective.definition.unit}. "
                       f"To review: {what}.")
            doc.yaml_set_comment_before_after_key(name, before=_wrap(comment), indent=0)
        doc.yaml_set_start_comment(
            f"{params.country}: national values for the '{section}' assumptions (written by floors init).\n"
            f"Replace every '{REVIEW}' with the national figure and its source; `floors params -c "
            f"{params.country}` shows what is in use.")
        text = io.StringIO()
        yaml.dump(doc, text)
        out[section] = text.getvalue()
    return out


def _wrap(text: str, width: int = 94) -> str:
    import textwrap

    return "\n".join(line for paragraph in text.splitlines() for line in textwrap.wrap(paragraph, width) or [""])


def planned_files(folder: Path) -> list[Path]:
    return [folder / f"{section}.yaml" for section in NATIONAL_PARAMETERS]
