"""The page's charts and tables, built from a costed what-if (plotly figures and Dash HTML)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from dash import html

from floors.app.session import Costed
from floors.benefits import BENEFITS
from floors.engine.compare import CAUSES

TOTAL = "total"
# The tables under the charts: (measure in the results, heading, factor to the unit shown, number format).
# The heading's {currency} is the country's.
MEASURES = (
    ("cost_share_gdp", "Cost, % of GDP", 100.0, "{:.2f}"),
    ("cost", "Cost, {currency} million", 1e-6, "{:,.1f}"),
    ("cost_share_gg_expenditure", "Cost, % of general government spending", 100.0, "{:.2f}"),
)
CHART_HEIGHT = 380
# One colour per benefit, the same in every chart (plotly's default sequence).
COLOURS = ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880"]


def label(benefit: str) -> str:
    return BENEFITS[benefit].label if benefit in BENEFITS else "Total"


def _numbers(row: pd.Series, factor: float) -> list[float | None]:
    """A row of a table as plain numbers for plotly (None where not costed, so the browser draws nothing)."""
    return [None if v is None or math.isnan(v) else float(v) * factor for v in row.to_numpy()]


SHARE_HOVER = "%{y:.2f} % of GDP<extra>%{fullData.name}</extra>"
CHANGE_HOVER = "%{y:+.2f} points<extra>%{fullData.name}</extra>"


def _bar(name: str, meta: str, x: list[int], y: list[float | None], hover: str) -> dict:
    return {"type": "bar", "name": name, "meta": meta, "x": x, "y": y, "hovertemplate": hover}


def _line(name: str, x: list[int], y: list[float | None], hover: str) -> dict:
    return {"type": "scatter", "mode": "lines+markers", "name": name, "meta": TOTAL, "x": x, "y": y,
            "line": {"color": "#222"}, "hovertemplate": hover}


def share_chart(costed: Costed) -> dict:
    """The cost of each benefit, % of GDP, stacked by year, and the total."""
    table = costed.result.table()
    years = [int(y) for y in table.columns]
    traces = [_bar(label(str(b)), str(b), years, _numbers(row, 100.0), SHARE_HOVER)
              for b, row in table.drop(index=TOTAL).iterrows()]
    traces.append(_line("Total", years, _numbers(table.loc[TOTAL], 100.0), "total %{y:.2f} % of GDP<extra></extra>"))
    return _figure(traces, f"{costed.country_name}: cost by benefit, % of GDP", "% of GDP", "stack")


def change_chart(costed: Costed, start: Costed) -> dict:
    """The change from the starting scenario by benefit, percentage points of GDP (up: the what-if costs more)."""
    change = costed.result.table() - start.result.table()
    years = [int(y) for y in change.columns]
    traces = [_bar(label(str(b)), str(b), years, _numbers(row, 100.0), CHANGE_HOVER)
              for b, row in change.drop(index=TOTAL).iterrows()]
    traces.append(_line("Total change", years, _numbers(change.loc[TOTAL], 100.0),
                        "total %{y:+.2f} points<extra></extra>"))
    title = f"Change from {start.result.scenarios[0]}, points of GDP"
    return _figure(traces, title, "percentage points of GDP", "relative")


def causes_chart(names: Sequence[str], parts: Sequence[pd.Series], year: int) -> dict:
    """Each saved what-if's change from its starting scenario in ``year``, split by cause (``parts``: each
    one's `Comparison.by_cause`)."""
    traces = [{"type": "bar", "orientation": "h", "name": cause, "meta": cause, "y": list(names),
               "x": [float(p[cause]) for p in parts], "hovertemplate": "%{x:+.2f} points<extra>" + cause + "</extra>"}
              for cause in CAUSES]
    figure = _figure(traces, f"Change from each starting scenario in {year}, by cause", "percentage points of GDP",
                     "relative", horizontal=True)
    figure["layout"]["height"] = max(220, 90 + 50 * len(names))
    return figure


def _figure(traces: list[dict], title: str, unit: str, barmode: str, horizontal: bool = False) -> dict:
    """A plotly figure as plain data (Dash sends it as it is: no validation on the server, which would take
    longer than the costing's own charts are worth). No web fonts: the browser's own sans-serif."""
    value_axis = {"title": {"text": unit}, "zeroline": True, "zerolinecolor": "#888", "gridcolor": "#eee"}
    year_axis = {"dtick": 1, "gridcolor": "#eee"}
    return {"data": traces, "layout": {
        "title": {"text": title, "font": {"size": 14}}, "barmode": barmode, "height": CHART_HEIGHT,
        "margin": {"l": 55, "r": 10, "t": 45, "b": 35},
        "legend": {"traceorder": "reversed"},  # beside the bars, top of the stack first
        "font": {"family": "sans-serif", "size": 12}, "plot_bgcolor": "white", "paper_bgcolor": "white",
        "xaxis": value_axis if horizontal else year_axis, "yaxis": {"automargin": True} if horizontal else value_axis,
        "colorway": COLOURS}}


def result_tables(costed: Costed) -> list:
    """The what-if's results as three tables: % of GDP, local currency, % of government spending."""
    out = []
    for measure, heading, factor, number in MEASURES:
        table = costed.result.table(measure)
        header = html.Tr([html.Th("benefit"), *(html.Th(str(int(y))) for y in table.columns)])
        rows = [html.Tr([html.Th(label(str(benefit))),
                         *(html.Td("–" if v is None else number.format(v)) for v in _numbers(row, factor))],
                        className="total" if benefit == TOTAL else None)
                for benefit, row in table.iterrows()]
        out.append(html.Div([html.H4(heading.format(currency=costed.currency)),
                             html.Table([html.Thead(header), html.Tbody(rows)], id=f"table-{measure}")],
                            className="result-table"))
    return out


def saved_table(rows: Sequence[dict], signed: Sequence[str]) -> html.Table:
    """The saved what-ifs side by side; ``signed`` columns are changes (shown with their sign)."""
    columns = list(rows[0])
    header = html.Tr([html.Th(c) for c in columns])
    body = [html.Tr([html.Td(_cell(row[c], c in signed)) for c in columns]) for row in rows]
    return html.Table([html.Thead(header), html.Tbody(body)], id="saved-table")


def _cell(value, signed: bool) -> str:
    if isinstance(value, float):
        return f"{value:+.2f}" if signed else f"{value:.2f}"
    return str(value)
