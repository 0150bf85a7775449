"""Scenario files: sparse overlays that change some parameters, with who and why.

    title: Universal child benefit
    description: Every child 0–17 receives 50 % of the poverty line.
    author: Ministry of Finance, costing unit
    based_on: poverty_targeted.yaml      # optional: another scenario applied first
    changes:
      children.targeting: universal
      children.level: {value: 0.5, note: "as in the 2021 proposal"}

``--scenario a+b`` applies a, then b (later wins key by key). ``based_on`` chains are
followed first; a chain that loops is an error, and so is a ``based_on`` that leaves
the scenario's folder.

A filled what-if template (``.xlsx``, see `floors.assumptions.template.read`) is a scenario
too, named by path or by name in the same folder: its new values are its changes, and
its ``based_on`` names scenarios in the country's scenarios folder (``a+b`` for several).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from floors.assumptions.location import Folders
from floors.assumptions.parameter import ParameterDef
from floors.assumptions.scenario_info import ScenarioInfo
from floors.assumptions.template.read import read_template
from floors.assumptions.yaml_io import CONTROL_CHARACTERS, YamlDocument, control_text, read_yaml
from floors.problems import Problem, did_you_mean, display_path


class ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    description: str = ""
    author: str = ""
    based_on: str | None = None
    changes: dict[str, Any] = Field(default_factory=dict)


TEMPLATE_SUFFIX = ".xlsx"  # what a template is written as
# What is read, in any case (MINE.YAML, WHAT-IF.XLSX): a template saved as a macro-enabled workbook
# (.xlsm) holds the same sheets, and floors reads only their values (it never runs a macro).
YAML_SUFFIXES = (".yaml", ".yml")
TEMPLATE_SUFFIXES = (".xlsx", ".xlsm")
SCENARIO_SUFFIXES = (*YAML_SUFFIXES, *TEMPLATE_SUFFIXES)
# Scenarios in one based_on chain: the bundled ones chain at most 2 (whole-floor on old-age-pension).
MAX_BASED_ON = 16


def find_scenario(spec: str, folders: Folders, country: str, problems: list[Problem]) -> Path | None:
    """The scenario ``spec`` names: a path (as typed, from the working folder), or a name looked for
    among the country's scenarios (the user's folder first, then the bundled), the presets, and
    NAME.yaml in the working folder. A name found both in the working folder and elsewhere is refused
    as ambiguous."""
    as_path = Path(spec)
    if len(as_path.parts) > 1 or spec.startswith("."):  # a path: ./mine.yaml, studies/mine
        path = named_scenario(as_path.parent, as_path.name)
        if not path.is_file():
            problems.append(Problem(f"scenario file {spec!r} not found", key="--scenario", value=spec,
                                    hint="check the path (it is read from the working folder)"))
            return None
        return path
    candidates = [named_scenario(folder, spec) for folder in [*folders.scenario_dirs(country), *folders.preset_dirs()]]
    found = next((p for p in candidates if p.is_file()), None)
    here = named_scenario(Path(), spec)
    if here.is_file():
        if found is not None and found.resolve() != here.resolve():
            problems.append(Problem(f"scenario {spec!r} is ambiguous: {display_path(here)} here, and "
                                    f"{display_path(found)}", key="--scenario", value=spec,
                                    hint=f"write -s ./{here.name} for the file here, or rename it"))
            return None
        return here
    if found is None:
        options = sorted({p.stem for folder in [*folders.scenario_dirs(country), *folders.preset_dirs()]
                          for p in scenario_files(folder)})
        looked = ", ".join(dict.fromkeys(display_path(f) for f in
                                         [*folders.scenario_dirs(country), *folders.preset_dirs()] if f.is_dir()))
        hint = did_you_mean(as_path.stem, options) or (
            f"scenarios for {country}: {', '.join(options)}" if options else
            "give the path to a scenario .yaml file or a what-if template .xlsx")
        problems.append(Problem(f"scenario {spec!r} not found", key="--scenario", value=spec,
                                hint=f"{hint} (looked in {looked or 'no scenario folder'} and the working folder)"))
    return found


def named_scenario(folder: Path, name: str) -> Path:
    """``name`` in ``folder``: as given with its suffix (or when a file has that very name, to be refused
    for its kind rather than reported missing); without one, NAME.yaml (or NAME.xlsx when only it exists)."""
    if Path(name).suffix.lower() in SCENARIO_SUFFIXES or (folder / name).is_file():
        return folder / name
    yaml, template = folder / f"{name}.yaml", folder / f"{name}{TEMPLATE_SUFFIX}"
    return template if template.is_file() and not yaml.is_file() else yaml


def scenario_files(folder: Path) -> list[Path]:
    """The scenario files in a folder (not the lock files Excel leaves beside an open workbook)."""
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in SCENARIO_SUFFIXES
                  and not p.name.startswith("~$"))


def _flatten(changes: dict[str, Any], doc: YamlDocument, problems: list[Problem]) -> dict[str, tuple[Any, int | None]]:
    """Accept ``section.name: value`` and nested ``section: {name: value}`` alike (but not both for one parameter)."""
    flat: dict[str, tuple[Any, int | None]] = {}

    def add(path: str, raw: Any, line: int | None) -> None:
        if path in flat:
            problems.append(Problem(f"{path} is changed twice (lines {flat[path][1]} and {line})", file=doc.name,
                                    key=path, line=line, hint="keep one of the two; the other would be ignored"))
        flat[path] = (raw, line)

    for key, raw in changes.items():
        key = str(key)
        nested = "." not in key and isinstance(raw, dict) and "value" not in raw and all(
            isinstance(k, str) for k in raw
        )
        if nested:
            for name, inner in raw.items():
                add(f"{key}.{name}", inner, doc.line_of("changes", key, name))
        else:
            add(key, raw, doc.line_of("changes", key))
    return flat


def _explain(err: Mapping[str, Any]) -> tuple[str, str | None]:
    """A scenario file's validation error in plain words, with a hint."""
    loc, kind = err["loc"], err["type"]
    field = str(loc[0]) if loc else ""
    if field == "title" and (kind == "string_too_short" or err.get("input") is None):
        return "a title is required", "write a short title, e.g. title: Child benefit at half the poverty line"
    if field == "changes" and len(loc) > 1:
        return f"{loc[1]!r} is not a parameter name", "name each parameter as section.name, e.g. children.level"
    if field == "changes":
        return ("'changes' must be a mapping of parameters to new values",
                "write one 'section.name: value' per line under 'changes:', e.g. '  children.level: 0.5' "
                "(without list dashes)")
    if kind == "string_type":
        return f"'{field}' must be text", f"write {field}: followed by text"
    return err["msg"], None


def _load_one(path: Path, problems: list[Problem], country: str,
              definitions: Mapping[str, ParameterDef]) -> ScenarioInfo | None:
    if path.suffix.lower() in TEMPLATE_SUFFIXES:
        return read_template(path, problems, definitions, country)
    if path.suffix.lower() not in YAML_SUFFIXES:
        problems.append(Problem(f"a scenario is a .yaml file or a what-if template (.xlsx), not a {path.suffix} file",
                                file=display_path(path),
                                hint="save a workbook as 'Excel Workbook (*.xlsx)'; a YAML file must end in .yaml"))
        return None
    doc = read_yaml(path, problems)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.append(
            Problem("a scenario file must be a mapping with title, description and changes", file=doc.name)
        )
        return None
    try:
        model = ScenarioFile.model_validate(doc.data)
    except ValidationError as exc:
        allowed = list(ScenarioFile.model_fields)
        for err in exc.errors():
            loc = ".".join(map(str, err["loc"]))
            line = doc.line_of(*err["loc"][:1])
            if err["type"] == "extra_forbidden":
                problems.append(Problem(f"unknown key {loc!r}", file=doc.name, line=line,
                                        hint=did_you_mean(loc, allowed) or f"allowed keys: {', '.join(allowed)}"))
            elif err["type"] == "missing":
                problems.append(
                    Problem(f"missing required key {loc!r}", file=doc.name,
                            hint="a scenario needs at least a title and its changes")
                )
            else:
                message, hint = _explain(err)
                problems.append(Problem(message, file=doc.name, key=loc, line=line, value=err.get("input"), hint=hint))
        return None
    return ScenarioInfo(
        path=path, name=doc.name, title=model.title, description=model.description,
        author=model.author, based_on=model.based_on, doc=doc, changes=_flatten(model.changes, doc, problems),
    )


def _chain(path: Path, folders: Folders, country: str, definitions: Mapping[str, ParameterDef],
           problems: list[Problem], seen: list[Path]) -> list[ScenarioInfo]:
    """The scenario at ``path`` preceded by everything it is based on."""
    resolved = path.resolve()
    if len(seen) >= MAX_BASED_ON:  # checked before reading the next file: a chain of thousands would exhaust the stack
        problems.append(
            Problem(f"'based_on' chains more than {MAX_BASED_ON} scenarios, the most floors follows",
                    file=display_path(seen[-1]), key="based_on",
                    hint="base the scenario directly on the one that holds the changes you need, or copy them in")
        )
        return []
    if resolved in seen:
        loop = " → ".join(display_path(p) for p in [*seen, resolved])
        problems.append(
            Problem(f"'based_on' goes round in a circle: {loop}", file=display_path(path),
                    key="based_on", hint="remove one 'based_on' so that the chain ends")
        )
        return []
    info = _load_one(path, problems, country, definitions)
    if info is None:
        return []
    if not info.based_on:
        return [info]
    if path.suffix.lower() in TEMPLATE_SUFFIXES:  # a template may sit anywhere: it names the country's scenarios
        folder = next((f for f in folders.scenario_dirs(country) if f.is_dir()), folders.scenario_dirs(country)[0])
        parents = [in_scenario_folders(part.strip(), folders, country) for part in info.based_on.split("+")
                   if part.strip()]
    else:
        folder, parent = path.parent, path.parent / info.based_on
        parents = [parent if parent.suffix else parent.with_suffix(".yaml")]
    allowed = (folder.resolve(), *(f.resolve() for f in folders.layers))
    where = ({"key": info.cells["based_on"], "line": None} if "based_on" in info.cells
             else {"key": "based_on", "line": info.doc.line_of("based_on")})
    chain: list[ScenarioInfo] = []
    for parent in parents:
        if not any(parent.resolve().is_relative_to(a) for a in allowed):
            problems.append(
                Problem("'based_on' points outside the scenario's folder and the assumptions folder",
                        file=info.name, **where, value=info.based_on,
                        hint="name a scenario in the same folder, e.g. based_on: baseline.yaml")
            )
        elif not parent.is_file():
            options = [p.name for p in scenario_files(folder)]
            problems.append(
                Problem("'based_on' names a scenario that does not exist", file=info.name, **where,
                        value=info.based_on,
                        hint=did_you_mean(parent.name, options) or f"scenarios in {display_path(folder)}: {options}")
            )
        else:
            chain += _chain(parent, folders, country, definitions, problems, [*seen, resolved])
    return [*chain, info]


def in_scenario_folders(name: str, folders: Folders, country: str) -> Path:
    """NAME among the country's scenarios (the user's folder first) and the presets; where it would be
    when it is nowhere."""
    candidates = [named_scenario(folder, name) for folder in [*folders.scenario_dirs(country), *folders.preset_dirs()]]
    return next((p for p in candidates if p.is_file()), candidates[0])


def scenario_from_mapping(name: str, mapping: Mapping[str, Any], problems: list[Problem]) -> ScenarioInfo | None:
    """A scenario given in Python rather than in a file: ``{"children.level": 0.5}`` (its changes), or
    ``{"title": …, "description": …, "changes": {…}}``. It goes through the same checks as a file."""
    data = dict(mapping) if "changes" in mapping else {"title": name, "changes": dict(mapping)}
    data.setdefault("title", name)
    doc = YamlDocument(path=Path(f"<scenario {name}>"), data=data)
    # As a file's text is checked when it is read: a workbook cell cannot hold a control character.
    garbled = [f for f in ("title", "description", "author") if CONTROL_CHARACTERS.search(str(data.get(f) or ""))]
    for field in garbled:
        problems.append(Problem(f"{control_text(str(data[field]))} is not allowed in a scenario's {field}",
                                file=doc.name, key=field, hint="delete the character"))
    if garbled:
        return None
    try:
        model = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            message, hint = _explain(err)
            problems.append(Problem(message, file=doc.name, key=".".join(map(str, err["loc"])), hint=hint))
        return None
    return ScenarioInfo(path=doc.path, name=name, title=model.title, description=model.description,
                        author=model.author, based_on=None, doc=doc, changes=_flatten(model.changes, doc, problems))


def resolve_scenarios(
    folders: Folders, country: str, specs: Sequence[str | ScenarioInfo], definitions: Mapping[str, ParameterDef],
    problems: list[Problem],
) -> list[ScenarioInfo]:
    """Every scenario to apply, in order, for specs like ``["a+b", "c.yaml"]`` (or scenarios already built).

    ``definitions`` are the parameters' definitions, by which a what-if template's cells are read.
    """
    infos: list[ScenarioInfo] = []
    for spec in specs:
        if isinstance(spec, ScenarioInfo):
            infos.append(spec)
            continue
        parts = [s.strip() for s in spec.split("+")]
        if not all(parts):  # -s "", -s "a+": nothing would be applied where the user meant something
            problems.append(Problem("a scenario name is empty", key="--scenario", value=spec,
                                    hint="name a scenario (a+b for two), or leave out -s for the baseline"))
            continue
        for part in parts:
            path = find_scenario(part, folders, country, problems)
            if path is not None:
                infos += _chain(path, folders, country, definitions, problems, [])
    return infos
