"""Load the assumption files and lay them over each other, key by key.

One mechanism for every layer: ``default`` defines each parameter; then the country
folder, the scenario file(s) and ``--set key=value`` options may each give a new value
to a parameter named by its dotted path (``section.name``). Later layers win. Every
problem in every file is collected before anything is reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from floors.assumptions.location import Folders, assumption_folders
from floors.assumptions.parameter import (
    Override,
    ParameterDef,
    Source,
    check_uncertainty,
    check_value,
    normalised,
    warnings_for,
)
from floors.assumptions.parameter_set import Effective, ParameterSet
from floors.assumptions.scenario import resolve_scenarios
from floors.assumptions.scenario_info import ScenarioInfo
from floors.assumptions.yaml_io import YamlDocument, parse_yaml_text, read_yaml
from floors.limits import MAX_SET_OPTIONS, count_problems
from floors.problems import InputError, Problem, did_you_mean, display_path

DEFAULT_LAYER = "default"
COUNTRY_LAYER = "country"
SCENARIO_LAYER = "scenario"
COMMAND_LINE_LAYER = "command line"


def split_path(path: str) -> tuple[str, str] | None:
    section, _, name = path.partition(".")
    return (section, name) if section and name and "." not in name else None


def default_definitions(root: Folders | Path | str | None = None) -> dict[str, ParameterDef]:
    """Every parameter's definition (the default layer reports its own problems; here they are dropped)."""
    params, _ = load_defaults(assumption_folders(root).base / "default", [])
    return {path: e.definition for path, e in params.items()}


def load_defaults(folder: Path, problems: list[Problem]) -> tuple[dict[str, Effective], list[Path]]:
    params: dict[str, Effective] = {}
    files = sorted(folder.glob("*.yaml"))
    if not files:
        problems.append(
            Problem(
                "no default assumption files (*.yaml) found",
                file=display_path(folder),
                hint="point --assumptions at a folder that holds default/ and country folders",
            )
        )
    for path in files:
        doc = read_yaml(path, problems)
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            problems.append(
                Problem("expected a mapping of parameter names to definitions", file=doc.name)
            )
            continue
        for name, body in doc.data.items():
            key = f"{path.stem}.{name}"
            line = doc.line_of(name)
            if not isinstance(body, dict):
                problems.append(
                    Problem(
                        "expected a parameter definition (description, unit, value, range, source)",
                        file=doc.name, key=key, line=line, value=body,
                    )
                )
                continue
            definition = _validate_model(ParameterDef, body, doc, (name,), key, problems)
            if definition is None:
                continue
            found = check_value(definition, definition.value, file=doc.name, key=key, line=doc.line_of(name, "value"))
            problems += found
            params[key] = Effective(
                key, definition, definition.value, DEFAULT_LAYER, doc.name, definition.source, definition.no_source,
                definition.uncertainty, doc.line_of(name, "value"),
            )
    return params, files


def _validate_model(model, body: dict, doc: YamlDocument, prefix: tuple, key: str, problems: list[Problem]):
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        allowed = list(model.model_fields)
        for err in exc.errors():
            loc = tuple(err["loc"])
            # Unions report each alternative; the first location part names the field.
            field_path = ".".join(str(p) for p in loc[:1]) if err["type"] != "extra_forbidden" else str(loc[0])
            line = doc.line_of(*prefix, *loc[:1]) if loc else doc.line_of(*prefix)
            if err["type"] == "extra_forbidden":
                hint = did_you_mean(str(loc[-1]), allowed) or f"allowed keys: {', '.join(allowed)}"
                problems.append(
                    Problem(f"unknown key {'.'.join(map(str, loc))!r}", file=doc.name, key=key, line=line, hint=hint)
                )
            elif err["type"] == "missing":
                problems.append(
                    Problem(f"missing required key {field_path!r}", file=doc.name, key=key, line=line,
                            hint=f"add '{field_path}:' to this parameter")
                )
            else:
                where = f"{key}.{field_path}" if loc else key
                # A whole-parameter error (no location) would echo the entire mapping: leave it out.
                shown = {"value": err.get("input")} if loc and not isinstance(err.get("input"), dict) else {}
                problems.append(
                    Problem(err["msg"].replace("Value error, ", ""), file=doc.name, key=where, line=line, **shown)
                )
        # Union types give one error per alternative; keep each message once.
        seen, unique = set(), []
        for p in problems:
            identity = (p.file, p.key, p.line, p.message)
            if identity not in seen:
                seen.add(identity)
                unique.append(p)
        problems[:] = unique
        return None


def _is_override(raw: dict) -> bool:
    """A mapping is either values by year ({2025: 0.5}) or a value with its source
    ({value: …, source: …}). Text keys make it the latter, so that a misspelt 'value' is
    reported instead of being taken as the value itself; but text that starts like a year
    ({2025:1} without the space YAML needs) or mixed with years makes it values by year,
    and that text a bad year."""
    texts = [k for k in raw if isinstance(k, str)]
    return bool(texts) and (any(k in Override.model_fields for k in texts) or (
        len(texts) == len(raw) and not any(re.match(r"\s*\d{4}", k) for k in texts)))


def apply_override(
    params: dict[str, Effective],
    path: str,
    raw: Any,
    *,
    layer: str,
    origin: str,
    line: int | None,
    problems: list[Problem],
    source_required: bool,
    doc: YamlDocument | None = None,
    doc_prefix: tuple = (),
) -> None:
    """Give parameter ``path`` a new value from a later layer, checking it like any other."""
    if path not in params:
        hint = did_you_mean(path, list(params)) or "run 'floors params' to list every parameter"
        problems.append(Problem(f"unknown parameter {path!r}", file=origin, key=path, line=line, hint=hint))
        return
    current = params[path]
    if isinstance(raw, dict) and _is_override(raw):
        doc = doc if doc is not None else YamlDocument(path=Path(origin), data=raw)
        override = _validate_model(Override, raw, doc, doc_prefix, path, problems)
        if override is None:
            return
    else:
        override = Override(value=raw)
    if source_required and override.source is None and not override.no_source:
        problems.append(
            Problem(
                "a country value needs a 'source' (or 'no_source' saying why there is none)",
                file=origin, key=path, line=line,
                hint="write the value as {value: …, source: {title: …, url: …, date: …}}",
            )
        )
        return
    found = check_value(current.definition, override.value, file=origin, key=path, line=line)
    if found:
        problems += found
        return
    source, no_source = override.source, override.no_source
    if source is None and not no_source:
        source = Source(title=f"set by {layer}: {origin}")
    value = normalised(current.definition, override.value)
    uncertainty = override.uncertainty
    if uncertainty is not None:
        try:
            check_uncertainty(uncertainty, value, current.definition.range)
        except ValueError as exc:
            problems.append(Problem(str(exc), file=origin, key=f"{path}.uncertainty", line=line))
            return
    params[path] = Effective(path, current.definition, value, layer, origin, source, no_source, uncertainty, line)


# Parameters of one section whose first may not exceed the second: a phase-in cannot end
# before it starts, and an age band with its minimum above its maximum pays no one.
ORDERED_PAIRS = (("start_year", "full_year", "is before"), ("age_min", "age_max", "is below"))
LAYERS = (DEFAULT_LAYER, COUNTRY_LAYER, SCENARIO_LAYER, COMMAND_LINE_LAYER)


def check_pairs(params: Mapping[str, Effective], problems: list[Problem]) -> None:
    """A problem for each pair of `ORDERED_PAIRS` out of order, at the one of the two set last."""
    for first, second, relation in ORDERED_PAIRS:
        for path, low in params.items():
            section, _, name = path.partition(".")
            high = params.get(f"{section}.{second}")
            if name != first or high is None or not all(
                    isinstance(v, int | float) and not isinstance(v, bool) for v in (low.value, high.value)):
                continue
            if low.value <= high.value:
                continue
            last = high if LAYERS.index(high.layer) >= LAYERS.index(low.layer) else low
            other = low if last is high else high
            problems.append(Problem(
                f"{section}.{second} = {high.value} {relation} {section}.{first} = {low.value} "
                f"(set by {other.origin}{f':{other.line}' if other.line else ''})",
                file=last.origin, key=last.path, line=last.line, value=last.value,
                hint=f"make {section}.{second} at least {low.value}, or {section}.{first} at most {high.value}",
            ))


def load_country(
    folder: Path, params: dict[str, Effective], problems: list[Problem]
) -> list[Path]:
    files = sorted(folder.glob("*.yaml"))
    sections = {p.split(".")[0] for p in params}
    for path in files:
        doc = read_yaml(path, problems)
        if doc is None:
            continue
        if path.stem not in sections:
            hint = (did_you_mean(path.stem, sections)
                    or f"country files are named after default sections: {sorted(sections)}")
            problems.append(Problem(f"unknown section {path.stem!r}", file=doc.name, hint=hint))
            continue
        if not isinstance(doc.data, dict):
            problems.append(Problem("expected a mapping of parameter names to values", file=doc.name))
            continue
        for name, raw in doc.data.items():
            apply_override(
                params, f"{path.stem}.{name}", raw, layer=COUNTRY_LAYER, origin=doc.name,
                line=doc.line_of(name), problems=problems, source_required=True, doc=doc, doc_prefix=(name,),
            )
    return files


def parse_set_option(text: str, problems: list[Problem]) -> tuple[str, Any] | None:
    """Parse one ``--set section.name=value``; the value is read as YAML (0.5, true, {2025: 0.5})."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or not raw.strip():
        problems.append(
            Problem(
                f"cannot read --set {text!r}", file="--set",
                hint="write --set section.name=value, e.g. --set children.level=0.5",
            )
        )
        return None
    doc = parse_yaml_text(raw, Path("--set"), problems)
    if doc is None:
        return None
    return key, doc.data


def load_parameters(
    root: Folders | Path | str | None,
    country: str,
    scenarios: Sequence[str | ScenarioInfo] = (),
    sets: Sequence[str] = (),
    known_countries: set[str] | None = None,
    with_country_files: bool = True,
    values: Mapping[str, Any] | None = None,
) -> ParameterSet:
    """Load every layer for ``country`` and return the effective parameters.

    ``root`` is where the assumptions are (`Folders`, or a folder as ``--assumptions`` takes it;
    None finds them as the command line does). The country's files of the bundled tree come
    first, then those of the user's folder. ``scenarios`` are names, paths or ``a+b`` (files),
    or scenarios built in Python (`scenario_from_mapping`); ``sets`` are ``section.name=value``
    strings and ``values`` a mapping of parameter to value, both the command-line layer (as
    ``--set``). ``with_country_files=False`` skips the country folders (the international defaults).

    Raises `InputError` with every problem found, across all files, when anything is wrong.
    """
    folders = assumption_folders(root)
    problems: list[Problem] = []
    params, files = load_defaults(folders.base / "default", problems)
    country_dirs = [d for d in folders.country_dirs(country) if d.is_dir()]
    if known_countries is not None and country not in known_countries and not country_dirs:
        hint = did_you_mean(country, known_countries) or (
            f"floors has data for {', '.join(sorted(known_countries))}. For another country, download the UN WPP "
            f"and IMF WEO files and import them into your folder: floors data import --help"
        )
        problems.append(Problem(f"no data for country {country!r}", key="--country", hint=hint))
    elif with_country_files:
        for country_dir in country_dirs:
            files += load_country(country_dir, params, problems)

    definitions = {path: e.definition for path, e in params.items()}
    infos = resolve_scenarios(folders, country, scenarios, definitions, problems)
    for info in infos:
        if info.path.is_file():  # a scenario given in Python has no file to record
            files.append(info.path)
        for path, (raw, line) in info.changes.items():
            apply_override(
                params, path, raw, layer=SCENARIO_LAYER, origin=info.name, line=line,
                problems=problems, source_required=False, doc=info.doc, doc_prefix=("changes", path),
            )

    problems += count_problems("--set options", sets, MAX_SET_OPTIONS, "--set",
                               "set each parameter once; put many changes in a scenario file")
    given: dict[str, str] = {}  # parameter → the --set that gave it, to refuse a second one
    for text in sets[:MAX_SET_OPTIONS]:
        parsed = parse_set_option(text, problems)
        if parsed is None:
            continue
        key, raw = parsed
        if key in given:  # as a scenario file changing a parameter twice is refused: which one was meant?
            problems.append(Problem(f"{key} is set twice: --set {given[key]} and --set {text}", file="--set",
                                    key=key, hint="keep one of the two; the other would be ignored"))
            continue
        given[key] = text
        apply_override(
            params, key, raw, layer=COMMAND_LINE_LAYER, origin="--set", line=None,
            problems=problems, source_required=False,
        )

    for key, raw in (values or {}).items():
        if key in given:
            problems.append(Problem(f"{key} is set twice: --set {given[key]} and set={{{key!r}: {raw!r}}}",
                                    file="set=", key=key, hint="keep one of the two; the other would be ignored"))
            continue
        apply_override(params, key, raw, layer=COMMAND_LINE_LAYER, origin="set=", line=None, problems=problems,
                       source_required=False)

    check_pairs(params, problems)
    if problems:
        raise InputError(problems)
    warnings = [
        f"{e.path} = {e.value!r} (set by {e.origin}): {w}"
        for e in params.values()
        for w in warnings_for(e.definition, e.value)
    ]
    return ParameterSet(country, params, infos, files, warnings)
