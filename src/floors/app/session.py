"""What the web app knows, without the web: the countries and scenarios on offer, the levers of a
starting scenario, a what-if costed through `floors.run`, its scenario file, and uploads read back.

A what-if is a country, a starting scenario and the values typed into the levers; it is costed as
``floors run -c ISO3 -s START --set path=value ...`` would cost it (the same `floors.run` call, the
same checks and messages, the same workbook). Everything here is plain Python, so that the tests
and the latency benchmark drive it without a browser.
"""

from __future__ import annotations

import re
import shlex
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from io import StringIO
from pathlib import Path
from typing import Any, TypeVar

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from floors import api, naming
from floors.assumptions import Effective, ParameterSet
from floors.assumptions.location import DEFAULT_COUNTRY, Folders, assumption_folders
from floors.assumptions.scenario import SCENARIO_SUFFIXES, TEMPLATE_SUFFIXES, scenario_files
from floors.assumptions.template.layout import allowed_text, kind
from floors.benefits import BENEFITS
from floors.inputs import Bundle
from floors.problems import InputError, Problem, did_you_mean
from floors.report.sheets.fiscal_space import fiscal_space_verdicts

BASELINE = api.BASELINE
# The context knobs the page offers beside the policy levers (the "real growth shift" and
# "demographic variant"): both are applied as arrays, so moving them does not rebuild the projections.
CONTEXT_KNOBS = ("macro.gdp_growth_shift", "demography.interval_position")
# Sections of policy parameters that are not a benefit but shape the whole floor and its financing.
FLOOR_SECTIONS = {"floor": "The floor as a whole", "coverage": "Existing coverage",
                  "fiscal_space": "Fiscal space (financing measures)"}
# How many costings the server keeps: a meeting moves a few levers back and forth.
CACHE_SIZE = 48
MAX_UPLOAD_BYTES = 20_000_000


@dataclass(frozen=True)
class WhatIf:
    """A country, its starting scenario and the values typed into levers (path → text as typed)."""

    country: str
    start: str = BASELINE
    changes: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, country: str, start: str | None, changes: Mapping[str, str]) -> WhatIf:
        return cls(country, start or BASELINE, tuple(sorted((p, str(t).strip()) for p, t in changes.items())))

    @property
    def sets(self) -> list[str]:
        """The changes as ``--set`` values: ``children.level=0.5``."""
        return [f"{path}={text}" for path, text in self.changes]

    @property
    def scenarios(self) -> list[str]:
        return [] if self.start == BASELINE else [self.start]

    def starting_point(self) -> WhatIf:
        return WhatIf(self.country, self.start)


@dataclass(frozen=True)
class Lever:
    """One parameter as the page shows it: a widget, its current text, and what the hover says."""

    path: str
    label: str
    widget: str  # switch, choice, text or number (`floors.assumptions.template.layout.kind`)
    text: str  # the starting scenario's value, as a --set value
    unit: str
    allowed: str
    description: str
    source: str  # where the starting value comes from: its source, and the layer and file that set it
    choices: tuple[str, ...] = ()

    @property
    def hover(self) -> str:
        return (f"{self.description}\nUnit: {self.unit}\nAllowed: {self.allowed}\n"
                f"Value from: {self.source}")


@dataclass(frozen=True)
class LeverGroup:
    title: str
    levers: tuple[Lever, ...]


@dataclass
class Costed:
    """A what-if costed: the result, and the same result's facts the page shows."""

    what_if: WhatIf
    result: api.Result
    verdict: str
    currency: str
    country_name: str
    changed: dict[str, Any] = field(default_factory=dict)  # effective values that differ from the baseline


T = TypeVar("T")


class _Cache(OrderedDict):
    """The last CACHE_SIZE values computed, most recently used last."""

    def get_or_make(self, key: Any, make: Callable[[], T]) -> T:
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = make()
        self[key] = value
        while len(self) > CACHE_SIZE:
            self.popitem(last=False)
        return value


class Session:
    """The app's view of one assumptions folder: what may be costed, and the costings done so far."""

    def __init__(self, assumptions: str | Path | None = None):
        self.assumptions = str(assumptions) if assumptions is not None else None
        self.folders: Folders = assumption_folders(assumptions)
        self.bundle = Bundle(self.folders)
        self._results: _Cache = _Cache()
        self._comparisons: _Cache = _Cache()
        # The server answers requests on several threads; costings run one at a time (one user moves one
        # lever at a time, and the caches are not built to be filled concurrently).
        self._lock = threading.RLock()

    # --- what is on offer ---------------------------------------------------------------------------

    def countries(self) -> list[tuple[str, str]]:
        """Every country the folders hold (the bundled ones and the user's), as (code, name)."""
        return [(iso3, self.bundle.country(iso3).name) for iso3 in self.bundle.countries]

    def default_country(self) -> str:
        return self.folders.country or DEFAULT_COUNTRY

    def scenarios(self, iso3: str) -> list[str]:
        """The starting scenarios of a country: the baseline, its own scenarios (the user's first), the presets."""
        folders = [*self.folders.scenario_dirs(iso3), *self.folders.preset_dirs()]
        names = [p.stem for folder in folders for p in scenario_files(folder)]
        return [BASELINE, *dict.fromkeys(n for n in names if n != BASELINE)]

    # --- costing ------------------------------------------------------------------------------------

    def command(self, what_if: WhatIf) -> str:
        """The ``floors run`` line that costs the same what-if (recorded in the workbook, as the CLI does)."""
        args = ["floors", "run", "-c", what_if.country]
        args += [a for name in what_if.scenarios for a in ("-s", name)]
        args += [a for value in what_if.sets for a in ("--set", value)]
        if self.assumptions is not None:
            args += ["--assumptions", self.assumptions]
        return " ".join(shlex.quote(a) for a in args)

    def cost(self, what_if: WhatIf) -> Costed:
        """The what-if costed by `floors.run` (raises `InputError` with every problem, as the CLI reports them)."""
        with self._lock:
            return self._results.get_or_make(what_if, lambda: self._cost(what_if))

    def _cost(self, what_if: WhatIf) -> Costed:
        result = api.run(what_if.country, what_if.scenarios, set=what_if.sets, assumptions=self.folders,
                         command=self.command(what_if))
        (iso3,) = result.countries
        country = result.bundle.country(iso3)
        label = result.scenarios[0]
        verdict = fiscal_space_verdicts(result.record(iso3))[label]
        baseline = self.parameters(WhatIf(what_if.country)) if what_if != WhatIf(what_if.country) else None
        mine = result.countries[iso3].parameters[label]
        changed = {} if baseline is None else {
            path: e.value for path, e in mine.items() if e.value != baseline[path].value}
        return Costed(what_if, result, verdict, country.currency, country.name, changed)

    def parameters(self, what_if: WhatIf) -> ParameterSet:
        """The effective parameters of a what-if."""
        result = self.cost(what_if).result
        return next(iter(result.countries.values())).parameters[result.scenarios[0]]

    def compare(self, what_if: WhatIf) -> api.Comparison:
        """The what-if against its starting scenario: side by side, and the change split by cause."""
        def make() -> api.Comparison:
            start = self.cost(what_if.starting_point()).result
            return start.compare(self.cost(what_if).result)
        with self._lock:
            return self._comparisons.get_or_make(what_if, make)

    # --- levers -------------------------------------------------------------------------------------

    def levers(self, iso3: str, start: str, extra: tuple[str, ...] = ()) -> list[LeverGroup]:
        """The page's levers, from the starting scenario's parameters and their definitions: each benefit's
        policy parameters, the floor's, the context knobs, then any other parameter in ``extra`` (one an
        uploaded scenario changes)."""
        params = self.parameters(WhatIf(iso3, start))
        groups: list[LeverGroup] = []
        shown: set[str] = set()

        def group(title: str, paths: list[str]) -> None:
            paths = [p for p in paths if p in params and p not in shown]
            if paths:
                shown.update(paths)
                groups.append(LeverGroup(title, tuple(lever(params[p]) for p in paths)))

        for benefit in BENEFITS.values():
            group(benefit.label, [p for p, e in params.items()
                                  if p.partition(".")[0] == benefit.id and e.definition.kind == "policy"])
        for section, title in FLOOR_SECTIONS.items():
            group(title, [p for p, e in params.items()
                          if p.partition(".")[0] == section and e.definition.kind == "policy"])
        group("Context", list(CONTEXT_KNOBS))
        group("Other parameters changed", list(extra))
        return groups

    # --- files --------------------------------------------------------------------------------------

    def scenario_yaml(self, what_if: WhatIf, title: str) -> str:
        """The what-if as a scenario file that ``floors run -c ISO3 -s FILE`` costs to the same numbers:
        every parameter whose effective value differs from the country's baseline (the starting scenario's
        changes and the levers' alike), so that the file stands alone wherever it is saved."""
        costed = self.cost(what_if)
        command = f"floors run -c {what_if.country} -s FILE.yaml"
        if self.assumptions is not None:
            command += f" --assumptions {shlex.quote(self.assumptions)}"
        start = "the baseline" if what_if.start == BASELINE else f"scenario {what_if.start}"
        document = {
            "title": title.strip() or "what-if",
            "description": f"Made in floors app for {costed.country_name}, starting from {start}"
                           + (", with " + ", ".join(what_if.sets) if what_if.sets else "")
                           + f". Cost it with: {command}",
            "author": "floors app",
            "changes": {path: _plain(value) for path, value in costed.changed.items()},
        }
        out = StringIO()
        yaml = YAML()
        yaml.default_flow_style = False
        yaml.width = 100
        yaml.dump(document, out)
        return out.getvalue()

    def read_upload(self, filename: str, content: bytes, iso3: str) -> tuple[str, dict[str, str]]:
        """A scenario file (.yaml) or what-if template (.xlsx) as a starting scenario and lever values:
        the start is the file's ``based_on`` when it names one of the country's scenarios, else the
        baseline; the levers are every parameter whose value the file changes from that start. The
        file goes through the same checks as ``floors run -s FILE`` (raises `InputError`)."""
        # Only the file's own name, in plain characters: it becomes a path floors reads ('+' would split it).
        name = re.sub(r"[^\w.-]", "_", Path(filename).name)
        suffix = Path(name).suffix.lower()
        if suffix not in SCENARIO_SUFFIXES:
            raise InputError([Problem("not a scenario file", file=name, hint="upload a scenario .yaml or a what-if "
                                      "template .xlsx (floors scenario template)")])
        if len(content) > MAX_UPLOAD_BYTES:
            raise InputError([Problem("the file is too large for a scenario", file=name)])
        with tempfile.TemporaryDirectory(prefix="floors-app-") as folder:
            path = Path(folder) / name
            if suffix in TEMPLATE_SUFFIXES:
                path.write_bytes(content)
                spec, start = str(path), None
            else:
                # A YAML file's based_on names a file beside it, which an upload does not have: it is read
                # here instead and the file laid over that scenario (a+b), keeping its line numbers.
                text = content.decode("utf-8", errors="replace")
                start = _based_on(text)
                problems = _based_on_problems(name, text, start, self.scenarios(iso3))
                if problems:
                    raise InputError(problems)
                path.write_text(re.sub(r"(?m)^based_on:", "# based_on:", text), encoding="utf-8")
                spec = f"{start}+{path}" if start not in (None, BASELINE) else str(path)
            try:
                result = api.run(iso3, [spec], assumptions=self.folders)
            except InputError as exc:
                raise InputError([_relative_to(p, folder) for p in exc.problems]) from None
        params = next(iter(result.countries.values())).parameters[result.scenarios[0]]
        if start is None and params.scenarios:  # a template names its starting scenario among the country's
            start = params.scenarios[-1].based_on
        if start not in self.scenarios(iso3):
            start = BASELINE
        starting = self.parameters(WhatIf(iso3, start))
        changes = {p: value_text(e.value) for p, e in params.items() if e.value != starting[p].value}
        return start, changes


def _based_on_problems(name: str, text: str, start: str | None, offered: list[str]) -> list[Problem]:
    """An uploaded file's based_on must name the country's scenarios (it cannot name a file beside it)."""
    unknown = [part.strip() for part in (start or "").split("+") if part.strip() and part.strip() not in offered]
    if not unknown:
        return []
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("based_on:"))
    hint = did_you_mean(unknown[0], offered) or f"the scenarios of this country: {', '.join(offered)}"
    return [Problem("'based_on' names a scenario this country does not have", file=name, key="based_on", line=line,
                    value=start, hint=hint)]


def lever(e: Effective) -> Lever:
    definition = e.definition
    where = e.layer if e.origin in ("", e.layer) else f"{e.layer}, {e.origin}"
    return Lever(path=e.path, label=definition.label, widget=kind(definition), text=value_text(e.value),
                 unit=definition.unit, allowed=allowed_text(definition), description=definition.description,
                 source=f"{e.citation()} (set by {where})", choices=tuple(definition.choices or ()))


def value_text(value: Any) -> str:
    """A value as ``--set`` reads it back (``0.25``, ``true``, ``{2025: 0.25, 2030: 0.5}``); empty when not set."""
    return "" if value is None else naming.value_text(value)


def _plain(value: Any) -> Any:
    """A value as the scenario file shows it: values by year on one line in year order, {2025: 0.5, 2030: 1}."""
    if not isinstance(value, dict):
        return value
    by_year = CommentedMap((int(year), v) for year, v in sorted(value.items()))
    by_year.fa.set_flow_style()
    return by_year


def _based_on(text: str) -> str | None:
    match = re.search(r"(?m)^based_on:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", text)
    return match[1].strip() if match else None


def _relative_to(problem: Problem, folder: str) -> Problem:
    """A problem of an uploaded file named by the file's name, not the temporary folder it was read from.
    The folder may be shown absolute or relative to the working folder (`display_path`); its own name,
    made unique by tempfile, marks where the file's name begins either way."""
    marker = Path(folder).name + "/"
    if problem.file and marker in problem.file:
        return replace(problem, file=problem.file.split(marker, 1)[1])
    return problem
