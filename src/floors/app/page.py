"""The page: its layout and the callbacks that recost a what-if as its levers move (Dash)."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Mapping
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from floors.app import figures
from floors.app.session import BASELINE, Lever, LeverGroup, Session, WhatIf
from floors.engine.compare import CAUSES
from floors.problems import InputError

# Dash's own scripts and plotly.js are served from the installed packages, never from a CDN.
DASH_OPTIONS: dict[str, Any] = {"serve_locally": True, "title": "floors: what-ifs",
                                "update_title": None}


def create_app(session: Session, country: str | None = None, *, start: str | None = None,
               values: Mapping[str, str] | None = None) -> Dash:
    """The web app over ``session`` (one assumptions folder), opening on ``country``, the ``start`` scenario
    (default the baseline) and lever ``values`` (path → text as ``--set`` takes it)."""
    app = Dash(__name__, **DASH_OPTIONS)
    app.layout = layout(session, country or session.default_country(), start or BASELINE, dict(values or {}))
    _callbacks(app, session)
    return app


def layout(session: Session, country: str, start: str = BASELINE, values: dict[str, str] | None = None) -> html.Div:
    countries = [{"label": f"{name} ({iso3})", "value": iso3} for iso3, name in session.countries()]
    levers_side = html.Aside(className="side", children=[
        _field("Country", dcc.Dropdown(id="country", options=countries, value=country, clearable=False)),
        _field("Starting scenario", dcc.Dropdown(id="start", options=_options(session.scenarios(country)),
                                                 value=start, clearable=False)),
        dcc.Upload(id="upload", className="upload", children=html.Div(
            ["Drop or click to load a scenario .yaml or a what-if template .xlsx"])),
        html.Div(id="upload-message", className="message"),
        html.Button("Reset the levers", id="reset", className="small"),
        html.P("Hover over a lever for its unit, allowed values and the source of its value. Shares may be "
               "typed as 0.15 or 15%; values by year as {2025: 0.5, 2030: 1}.", className="note"),
        html.Div(id="lever-panel"),
    ])
    results = html.Main(className="results", children=[
        html.Div(id="status", className="status"),
        html.Div(id="problems"),
        html.P(id="verdict", className="verdict"),
        html.Div(className="charts", children=[dcc.Graph(id="chart-share", config={"displaylogo": False}),
                                                dcc.Graph(id="chart-change", config={"displaylogo": False})]),
        html.Div(id="tables", className="tables"),
        html.H3("Warnings"),
        html.Ul(id="warnings", className="warnings"),
        html.H3("Keep this what-if"),
        html.Div(className="downloads", children=[
            _field("Name", dcc.Input(id="title", value="what-if", type="text", style={"width": "260px"})),
            html.Button("Scenario (.yaml)", id="get-yaml"),
            html.Button("Workbook (.xlsx)", id="get-xlsx"),
            html.Button("Save side by side", id="save"),
            html.Button("Clear the saved", id="clear-saved", className="small"),
        ]),
        html.P(id="run-line", className="note"),
        dcc.Download(id="download-yaml"), dcc.Download(id="download-xlsx"),
        html.H3("What-ifs side by side"),
        html.Div(id="saved"),
    ])
    return html.Div(className="page", children=[
        html.Header([html.H1("floors: what-ifs"),
                     html.Span("social protection floors costed as a share of GDP, on this computer",
                               className="note")]),
        html.Div(className="columns", children=[levers_side, results]),
        dcc.Store(id="starting"),  # the country, starting scenario and the levers' starting texts
        # Lever values an uploaded file sets (or the command line's --set, when the page opens).
        dcc.Store(id="loaded", data={"country": country, "start": start, "changes": values} if values else None),
        dcc.Store(id="current"),  # the what-if on screen (the last one costed without a problem)
        dcc.Store(id="saved-what-ifs", storage_type="session", data=[]),
    ])


def _field(title: str, control) -> html.Label:
    return html.Label([html.Span(title, className="field-title"), control], className="field")


def _options(values: list[str]) -> list[dict[str, str]]:
    return [{"label": v, "value": v} for v in values]


def lever_panel(groups: list[LeverGroup], values: dict[str, str]) -> list:
    """One folding section per group; the first (the child benefit) open."""
    return [html.Details([html.Summary(group.title), *(_lever(lever, values.get(lever.path, lever.text))
                                                       for lever in group.levers)],
                         open=index == 0 or group.title == "Other parameters changed", className="group")
            for index, group in enumerate(groups)]


def _lever(lever: Lever, value: str) -> html.Div:
    ident = {"type": "lever", "path": lever.path}
    control: Any
    if lever.widget == "switch":
        control = dcc.Dropdown(id=ident, options=_options(["true", "false"]), value=value, clearable=False)
    elif lever.widget == "choice":
        control = dcc.Dropdown(id=ident, options=_options(list(lever.choices)), value=value, clearable=False)
    else:  # a number or text, typed as for --set; checked when Enter is pressed or the field is left
        control = dcc.Input(id=ident, type="text", value=value, debounce=True, className="lever-input")
    return html.Div(className="lever", title=lever.hover, children=[
        # "Child benefit: level" shows as "level": the section it sits in names the benefit.
        html.Div([html.Span(lever.label.split(": ", 1)[-1], className="lever-label"),
                  html.Span(f" {lever.unit}", className="unit")]),
        control,
        html.Div(id={"type": "lever-message", "path": lever.path}, className="message"),
    ])


def _callbacks(app: Dash, session: Session) -> None:
    @app.callback(Output("start", "options"), Output("start", "value"), Output("loaded", "data"),
                  Output("upload-message", "children"),
                  Input("country", "value"), Input("start", "value"), Input("upload", "contents"),
                  State("upload", "filename"))
    def choose_start(country, start, contents, filename):
        """The starting scenarios of the country, and the lever values to lay over the start: an upload's,
        the command line's when the page opens, none once the country or the start is changed by hand."""
        offered = session.scenarios(country)
        keep = start if start in offered else BASELINE
        if ctx.triggered_id is None:  # the page opens
            return _options(offered), keep, no_update, ""
        if ctx.triggered_id != "upload" or contents is None:
            return _options(offered), keep, None, ""
        content = base64.b64decode(contents.partition(",")[2])
        try:
            start, changes = session.read_upload(filename, content, country)
        except InputError as exc:
            return no_update, no_update, no_update, html.Pre(exc.report(), className="problems")
        loaded = {"country": country, "start": start, "changes": changes}
        return _options(offered), start, loaded, f"{filename}: {len(changes)} lever(s) set, starting from {start}"

    @app.callback(Output("lever-panel", "children"), Output("starting", "data"),
                  Input("country", "value"), Input("start", "value"), Input("loaded", "data"),
                  Input("reset", "n_clicks"))
    def show_levers(country, start, loaded, _reset):
        if start not in session.scenarios(country):
            raise PreventUpdate  # the country changed; the start follows in a moment
        use_loaded = (loaded is not None and ctx.triggered_id != "reset"
                      and loaded["country"] == country and loaded["start"] == start)
        changes = loaded["changes"] if use_loaded else {}
        groups = session.levers(country, start, tuple(changes))
        texts = {lever.path: lever.text for group in groups for lever in group.levers}
        return lever_panel(groups, changes), {"country": country, "start": start, "texts": texts}

    @app.callback(Output("chart-share", "figure"), Output("chart-change", "figure"), Output("tables", "children"),
                  Output("verdict", "children"), Output("warnings", "children"), Output("status", "children"),
                  Output("problems", "children"), Output({"type": "lever-message", "path": ALL}, "children"),
                  Output("current", "data"), Output("run-line", "children"),
                  Input({"type": "lever", "path": ALL}, "value"), Input("starting", "data"),
                  State({"type": "lever", "path": ALL}, "id"))
    def recost(values, starting, ids):
        if not starting or len(values) != len(starting["texts"]):
            raise PreventUpdate  # the levers of another start are still on the page
        typed = {i["path"]: "" if v is None else str(v) for i, v in zip(ids, values, strict=True)}
        changes = {p: t for p, t in typed.items() if t.strip() != starting["texts"].get(p, "")}
        what_if = WhatIf.of(starting["country"], starting["start"], changes)
        began = time.perf_counter()
        try:
            costed = session.cost(what_if)
        except InputError as exc:
            by_path = {p.key: p.format() for p in exc.problems}
            messages = [by_path.get(i["path"], "") for i in ids]
            report = html.Div([html.Strong("Not costed: the values below are refused (the results shown are "
                                           "the last ones costed)."), html.Pre(exc.report())], className="problems")
            return (no_update,) * 6 + (report, messages, no_update, no_update)
        start = session.cost(what_if.starting_point())
        status = f"costed in {time.perf_counter() - began:.2f} s: {costed.result.scenarios[0]}"
        warnings = [html.Li(w) for w in costed.result.warnings] or [html.Li("none", className="note")]
        verdict = f"Fiscal space: {costed.verdict}."
        run_line = ["The same results from the command line: ", html.Code(session.command(what_if))]
        return (figures.share_chart(costed), figures.change_chart(costed, start), figures.result_tables(costed),
                verdict, warnings, status, None, [""] * len(ids), _stored(what_if), run_line)

    @app.callback(Output("download-yaml", "data"), Input("get-yaml", "n_clicks"), State("current", "data"),
                  State("title", "value"), prevent_initial_call=True)
    def download_yaml(_clicks, current, title):
        if not current:
            raise PreventUpdate
        text = session.scenario_yaml(_what_if(current), title or "what-if")
        return {"content": text, "filename": f"{_slug(title)}.yaml"}

    @app.callback(Output("download-xlsx", "data"), Input("get-xlsx", "n_clicks"), State("current", "data"),
                  prevent_initial_call=True)
    def download_workbook(_clicks, current):
        if not current:
            raise PreventUpdate
        costed = session.cost(_what_if(current))
        return dcc.send_bytes(costed.result.workbook().save, f"floors-{costed.result.name}.xlsx")

    @app.callback(Output("saved-what-ifs", "data"), Input("save", "n_clicks"), Input("clear-saved", "n_clicks"),
                  State("current", "data"), State("title", "value"), State("saved-what-ifs", "data"),
                  prevent_initial_call=True)
    def save(_save, _clear, current, title, saved):
        if ctx.triggered_id == "clear-saved":
            return []
        if not current:
            raise PreventUpdate
        kept = [s for s in saved or [] if s["title"] != (title or "what-if")]  # a name saved again is replaced
        return [*kept, {**current, "title": title or "what-if"}]

    @app.callback(Output("saved", "children"), Input("saved-what-ifs", "data"))
    def side_by_side(saved):
        if not saved:
            return html.P("Save a what-if to see it here beside the others, with its change split by cause.",
                          className="note")
        what_ifs = [_what_if(s) for s in saved]
        comparisons = [session.compare(w) for w in what_ifs]
        year = _last_year(comparisons[0])
        rows = []
        changes = [comparison.by_cause(year) for comparison in comparisons]
        for s, what_if, comparison, parts in zip(saved, what_ifs, comparisons, changes, strict=True):
            totals = comparison.table(year).loc["total"] * 100
            rows.append({"what-if": s["title"], "country": what_if.country, "starting scenario": what_if.start,
                         "changes": ", ".join(what_if.sets) or "none", "start total": float(totals.iloc[0]),
                         "what-if total": float(totals.iloc[1]),
                         **{c: float(parts[c]) for c in CAUSES}, "change": float(parts["total"])})
        signed = [*CAUSES, "change"]
        return [html.P(f"% of GDP in {year}; the change from each what-if's starting scenario split by cause "
                       "(percentage points, adding up to the change).", className="note"),
                figures.saved_table(rows, signed),
                dcc.Graph(id="chart-causes", figure=figures.causes_chart([s["title"] for s in saved], changes, year),
                          config={"displaylogo": False})]


def _last_year(comparison) -> int:
    return int(comparison.decomposition["year"].max())


def _stored(what_if: WhatIf) -> dict:
    return {"country": what_if.country, "start": what_if.start, "changes": dict(what_if.changes)}


def _what_if(stored: dict) -> WhatIf:
    return WhatIf.of(stored["country"], stored["start"], stored["changes"])


def _slug(title: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (title or "").lower()).strip("-") or "what-if"
