"""The page's charts and tables, built from a costed what-if (plotly figures and Dash HTML)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from dash import html

from floors.api import Comparison
from floors.app.session import Costed
from floors.benefits import BENEFITS

TOTAL = "total"
# The tables under the charts: (measure in the results, heading, factor to the unit shown, number format).
# The heading's {currency} is the country's.
MEASURES = (
    ("cost_share_gdp", "Cost, % of GDP", 100.0, "{:.2f}"),
    ("cost", "Cost, {currency} million", 1e-6, "{:,.1f}"),
    ("cost_share_gg_expenditure", "Cost, % of general government spending", 100.0, "{:.2f}"),
)
CHART_HEIGHT = 360


def label(benefit: str) -> str:
    return BENEFITS[benefit].label if benefit in BENEFITS else "Total"


def _numbers(row: pd.Series, factor: float) -> list[float | None]:
    """A row of a table as plain numbers for plotly (None where not costed, so the browser draws nothing)."""
    return [None if v is None or math.isnan(v) else float(v) * factor for v in row.to_numpy()]


def share_chart(costed: Costed) -> go.Figure:
    """The cost of each benefit, % of GDP, stacked by year."""
    table = costed.result.table()
    figure = go.Figure()
    for benefit, row in table.drop(index=TOTAL).iterrows():
        figure.add_bar(name=label(str(benefit)), x=[int(y) for y in table.columns], y=_numbers(row, 100.0),
                       meta=str(benefit), hovertemplate="%{y:.2f} % of GDP<extra>%{fullData.name}</extra>")
    figure.add_scatter(name="Total", x=[int(y) for y in table.columns], y=_numbers(table.loc[TOTAL], 100.0),
                       meta=TOTAL, mode="lines+markers", line={"color": "#222"},
                       hovertemplate="total %{y:.2f} % of GDP<extra></extra>")
    return _layout(figure, f"{costed.country_name}: {costed.result.scenarios[0]}", "% of GDP", "stack")


def change_chart(costed: Costed, start: Costed) -> go.Figure:
    """The change from the starting scenario by benefit, percentage points of GDP (up: the what-if costs more)."""
    change = costed.result.table() - start.result.table()
    figure = go.Figure()
    for benefit, row in change.drop(index=TOTAL).iterrows():
        figure.add_bar(name=label(str(benefit)), x=[int(y) for y in change.columns], y=_numbers(row, 100.0),
                       meta=str(benefit), hovertemplate="%{y:+.2f} points<extra>%{fullData.name}</extra>")
    figure.add_scatter(name="Total change", x=[int(y) for y in change.columns], y=_numbers(change.loc[TOTAL], 100.0),
                       meta=TOTAL, mode="lines+markers", line={"color": "#222"},
                       hovertemplate="total %{y:+.2f} points<extra></extra>")
    title = f"Against {start.result.scenarios[0]}: change, points of GDP"
    return _layout(figure, title, "percentage points of GDP", "relative")


def causes_chart(names: Sequence[str], comparisons: Sequence[Comparison], year: int) -> go.Figure:
    """Each saved what-if's change from its starting scenario in ``year``, split by cause."""
    figure = go.Figure()
    parts = [c.by_cause(year) for c in comparisons]
    for cause in causes(parts[0]):
        figure.add_bar(name=cause, y=list(names), x=[p[cause] for p in parts], orientation="h", meta=cause,
                       hovertemplate="%{x:+.2f} points<extra>" + cause + "</extra>")
    figure = _layout(figure, f"Change from each starting scenario in {year}, by cause", "percentage points of GDP",
                     "relative")
    figure.update_layout(height=max(220, 90 + 50 * len(names)))
    return figure


def _layout(figure: go.Figure, title: str, unit: str, barmode: str) -> go.Figure:
    # No web fonts: the browser's own sans-serif, so that nothing is fetched from the internet.
    figure.update_layout(title={"text": title, "font": {"size": 14}}, barmode=barmode, height=CHART_HEIGHT,
                         margin={"l": 55, "r": 10, "t": 45, "b": 40}, legend={"orientation": "h", "y": -0.15},
                         font={"family": "sans-serif", "size": 12}, template="plotly_white")
    figure.update_yaxes(title=unit, zeroline=True)
    figure.update_xaxes(dtick=1)
    return figure


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


def causes(by_cause: pd.Series) -> list[str]:
    """The causes a change is split by (`Comparison.by_cause`), without their total."""
    return [str(c) for c in by_cause.index if c != TOTAL]


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
