"""The corpus of broken inputs in ``tests/bad_inputs/``: each must give its message and exit status.

Each case is a folder ``tests/bad_inputs/<case>/`` holding ``case.yaml`` (data, not code):

    what: one line on what is broken
    args: [validate, --set, children.level=9]   # after 'floors'; --assumptions (and --out for run) are added
    data: true            # a full copy of the bundled data (default: the data folder linked, read-only)
    files: {ECU/labour.yaml: "text"}        # written into the copy of the assumptions folder
    bytes: {ECU/labour.yaml: "caf\\xe9"}     # written as bytes (each character one byte): not UTF-8
    pad: {ECU/labour.yaml: 1100000}         # comment lines appended up to this many bytes
    remove: [data/births.csv]
    edit: [{file: data/gdp.csv, pattern: '^ECU,2027,', replace: 'ECU,2027a,'}]   # a regex (encoding: latin-1)
    template: {file: ECU/scenarios/what-if.xlsx, cells: {children.take_up: 15}, fields: {title: T}}
    exit: 2
    expect: [file name, key, value, hint]   # each must appear in the output
    problems: 3                             # optional: "3 problems found"
    workbook: {warnings: [text]}            # optional, for a run that succeeds: text in a sheet

and optionally a ``tree/`` folder laid over the copy of the assumptions folder (scenario
files and the like, as they would be on disk). Every case also checks that no traceback
and no "internal error" reaches the user, and that a failed run writes nothing (a
successful one leaves no temporary file).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from ruamel.yaml import YAML

from floors.cli import main

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(path.parent for path in CORPUS.glob("*/case.yaml"))


def test_the_corpus_holds_at_least_forty_cases():
    assert len(CASES) >= 40


def load_case(folder: Path) -> dict:
    case = YAML(typ="safe").load((folder / "case.yaml").read_text(encoding="utf-8"))
    unknown = set(case) - {"what", "args", "data", "files", "bytes", "pad", "remove", "edit", "template", "exit",
                           "expect", "problems", "workbook"}
    assert not unknown, f"{folder.name}/case.yaml: unknown keys {unknown}"
    return case


def inside(root: Path, name: str) -> Path:
    """``root / name``, refusing a path through the linked data folder (the repository's own data)."""
    path = root / name
    assert path.parent.resolve().is_relative_to(root.resolve()), f"{name}: set 'data: true' to change a data file"
    return path


def apply_case(case: dict, folder: Path, root: Path, runner) -> None:
    """Break the copy of the assumptions folder at ``root`` as the case says."""
    if (folder / "tree").is_dir():
        assert case.get("data") or not (folder / "tree" / "data").exists(), "set 'data: true' to change a data file"
        shutil.copytree(folder / "tree", root, dirs_exist_ok=True)
    for name, text in (case.get("files") or {}).items():
        inside(root, name).parent.mkdir(parents=True, exist_ok=True)
        inside(root, name).write_text(text, encoding="utf-8")
    for name, text in (case.get("bytes") or {}).items():
        inside(root, name).write_bytes(text.encode("latin-1"))
    for name, size in (case.get("pad") or {}).items():
        path = inside(root, name)
        line = "# " + "padding " * 12 + "\n"
        path.write_text(path.read_text(encoding="utf-8") + line * (size // len(line) + 1), encoding="utf-8")
    for name in case.get("remove") or []:
        inside(root, name).unlink()
    for edit in case.get("edit") or []:
        path = inside(root, edit["file"])
        text, count = re.subn(edit["pattern"], edit["replace"], path.read_text(encoding="utf-8"),
                              count=edit.get("count", 1), flags=re.MULTILINE)
        assert count, f"{edit['pattern']!r} matches nothing in {edit['file']}: the case no longer breaks anything"
        path.write_text(text, encoding=edit.get("encoding", "utf-8"))  # e.g. latin-1: saved as Excel may save it
    if case.get("template"):
        fill_template(case["template"], root, runner)


def fill_template(spec: dict, root: Path, runner) -> None:
    """A what-if template made by floors, with the case's cells typed in (by parameter name) and saved."""
    path = root / spec["file"]
    made = runner.invoke(main, ["scenario", "template", "--assumptions", str(root), "--out", str(path)])
    assert made.exit_code == 0, made.output
    workbook = openpyxl.load_workbook(path)
    what_if, scenario = workbook["what-if"], workbook["scenario"]
    rows = {row[0].value: row[0].row for row in what_if.iter_rows(min_row=2)}
    for parameter, value in (spec.get("cells") or {}).items():
        what_if.cell(row=rows[parameter], column=5, value=value)
    fields = {row[0].value: row[0].row for row in scenario.iter_rows(min_row=2)}
    for field, value in (spec.get("fields") or {}).items():
        scenario.cell(row=fields[field], column=2, value=value)
    workbook.save(path)


@pytest.mark.parametrize("folder", CASES, ids=[folder.name for folder in CASES])
def test_bad_input(folder: Path, request, runner, tmp_path):
    case = load_case(folder)
    root = request.getfixturevalue("tree_with_data" if case.get("data") else "tree")
    apply_case(case, folder, root, runner)
    out = tmp_path / "out"
    args = [str(a) for a in case["args"]]
    args += ["--assumptions", str(root)] + (["--out", str(out)] if args[0] == "run" else [])

    result = runner.invoke(main, args)

    output = result.output
    assert result.exit_code == case["exit"], output
    for fragment in case.get("expect") or []:
        assert str(fragment) in output, f"{fragment!r} not in:\n{output}"
    if "problems" in case:
        assert f"{case['problems']} problem{'s' if case['problems'] != 1 else ''} found" in output, output
    assert "Traceback" not in output and "internal error" not in output, output
    written = sorted(p for p in out.rglob("*") if p.is_file()) if out.exists() else []
    if result.exit_code != 0:
        assert written == [], f"a failed run wrote {written}"
    assert not [p for p in written if p.name.endswith(".tmp")], written
    for sheet, fragments in (case.get("workbook") or {}).items():
        workbook = openpyxl.load_workbook(next(p for p in written if p.suffix == ".xlsx"), read_only=True)
        cells = " ".join(str(v) for row in workbook[sheet].iter_rows(values_only=True) for v in row if v is not None)
        for fragment in fragments:
            assert fragment in cells, f"{fragment!r} not in sheet {sheet!r}"
