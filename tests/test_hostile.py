"""Hostile, careless and unusual input that a case file cannot hold, and legitimate variants that must keep working.

The bad-input corpus (tests/bad_inputs/) holds the cases written as text; here are those
generated (a file nested thousands deep, a based_on chain of forty files), those through
the Python API, the commands the hints suggest, and files as other programs save them
(a byte-order mark, CRLF line ends, Unicode, CSV columns shuffled or added, a template
saved as .xlsm, outputs through a symlink, two runs into one folder at once).
"""

from __future__ import annotations

import ast
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import floors
from floors import limits
from floors.assumptions.scenario import MAX_BASED_ON
from floors.cli import main
from floors.cli.common import COMMAND_MODULES
from floors.problems import InputError

SRC = Path(floors.__file__).parent


def refused(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    for fragment in fragments:
        assert fragment in result.output, f"{fragment!r} not in:\n{result.output}"


# --- Unbounded work: each limit is checked before the work it bounds ---------------------------------------------

def test_a_scenario_nested_thousands_deep_is_refused_quickly(runner, tree):
    (tree / "ECU" / "scenarios" / "deep.yaml").write_text(
        "title: deep\nchanges:\n  children.level: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = runner.invoke(main, ["validate", "--assumptions", str(tree), "-s", "deep"])
    refused(result, "deep.yaml:3", "nests more than 24 levels deep")
    assert time.perf_counter() - started < 30  # a generous bound on a loaded machine; the refusal takes ~1 s


def test_a_set_value_nested_thousands_deep_is_refused(runner, tree):
    result = runner.invoke(main, ["validate", "--assumptions", str(tree),
                                  "--set", "children.level=" + "{a: " * 3000 + "1" + "}" * 3000])
    refused(result, "--set", "nests more than 24 levels deep")


def test_a_based_on_chain_of_forty_scenarios_is_refused(runner, tree):
    folder = tree / "ECU" / "scenarios"
    for i in range(40):
        folder.joinpath(f"step{i}.yaml").write_text(f"title: step {i}\nbased_on: step{i + 1}.yaml\nchanges: {{}}\n",
                                                    encoding="utf-8")
    folder.joinpath("step40.yaml").write_text("title: the end\nchanges: {}\n", encoding="utf-8")
    result = runner.invoke(main, ["run", "--assumptions", str(tree), "-s", "step0", "--format", "csv"])
    refused(result, f"'based_on' chains more than {MAX_BASED_ON}", "base the scenario directly on the one")


def test_a_based_on_chain_within_the_limit_still_works(runner, tree, tmp_path):
    folder = tree / "ECU" / "scenarios"
    for i in range(5):
        folder.joinpath(f"step{i}.yaml").write_text(f"title: step {i}\nbased_on: step{i + 1}.yaml\nchanges: {{}}\n",
                                                    encoding="utf-8")
    folder.joinpath("step5.yaml").write_text("title: end\nchanges:\n  children.level: 0.5\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", "--assumptions", str(tree), "-s", "step0"])
    assert result.exit_code == 0, result.output


def test_too_many_countries_are_refused_before_any_is_loaded(runner):
    codes = ",".join(f"X{i:04d}" for i in range(limits.MAX_COUNTRIES + 1))
    result = runner.invoke(main, ["run", "--country", codes])
    assert result.exit_code == 2 and "more than the 300 one command takes" in result.output, result.output
    with pytest.raises(InputError, match="more than the 300"):
        floors.run(codes.split(","))


def test_too_many_scenarios_and_a_far_year_are_refused_by_the_api():
    with pytest.raises(InputError, match="more than the 64 one command takes"):
        floors.run("ECU", ["whole-floor"] * (limits.MAX_SCENARIOS + 1))
    started = time.perf_counter()
    for call in (lambda: floors.run("ECU", to=2**31), lambda: floors.sweep("ECU", {}, to=-(2**40)),
                 lambda: floors.compare("ECU", ["baseline", "whole-floor"], to=10**12)):
        with pytest.raises(InputError, match="outside 1950–2100"):
            call()
    assert time.perf_counter() - started < 30


def test_a_far_year_on_the_command_line_is_refused_before_allocating_anything():
    """`floors validate --to 2147483648` once allocated 16 GB of years: now the option itself is refused (exit 2),
    here in a process that may not take more than 2 GB."""
    def small():
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, resource.getrlimit(resource.RLIMIT_AS)[1]))

    done = subprocess.run([sys.executable, "-m", "floors.cli", "validate", "--to", "2147483648"], capture_output=True,
                          text=True, timeout=120, preexec_fn=small)
    assert done.returncode == 2, done.stderr
    assert "outside 1950–2100" in done.stderr and "Traceback" not in done.stderr


# --- Messages that mislead ------------------------------------------------------------------------------------------

def test_a_template_saved_as_xlsm_or_in_capitals_is_read(runner, tree, tmp_path):
    template = tmp_path / "what-if.xlsx"
    made = runner.invoke(main, ["scenario", "template", "--assumptions", str(tree), "--out", str(template)])
    assert made.exit_code == 0, made.output
    book = openpyxl.load_workbook(template)
    rows = {row[0].value: row[0].row for row in book["what-if"].iter_rows(min_row=2)}
    book["what-if"].cell(row=rows["children.level"], column=5, value=0.5)
    fields = {row[0].value: row[0].row for row in book["scenario"].iter_rows(min_row=2)}
    book["scenario"].cell(row=fields["title"], column=2, value="Half the line")
    for name in ("half.xlsm", "HALF.XLSX"):
        book.save(tmp_path / name)
        result = runner.invoke(main, ["run", "--assumptions", str(tree), "-s", str(tmp_path / name),
                                      "--out", str(tmp_path / "out"), "--format", "csv"])
        assert result.exit_code == 0, result.output
        written = next((tmp_path / "out").glob(f"ECU-{Path(name).stem}/*.csv"))
        table = pd.read_csv(written)
        assert set(table["scenario"]) == {Path(name).stem}


def hinted_commands() -> set[str]:
    """Every ``floors COMMAND …`` that a hint in the code suggests (the hint= of a Problem, as written)."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.keyword) and node.arg == "hint") or (
                    isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "hint" for t in node.targets)):
                text = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in ast.walk(node.value)
                               if (isinstance(part, ast.Constant) and isinstance(part.value, str))
                               or isinstance(part, ast.FormattedValue))
                for match in re.finditer(r"floors ([a-z]+)(?: [^'\";,)]*)?", text):
                    if match.group(1) in COMMAND_MODULES:
                        found.add(match.group().strip())
    return found


# What each suggested command is run as here: placeholders ({}) filled in, outputs in the test's folder.
HINTS = {
    "floors compare baseline ilo-ess58": ["compare", "baseline", "ilo-ess58", "--format", "csv"],
    "floors compare baseline universal-child-benefit": ["compare", "baseline", "universal-child-benefit",
                                                        "--format", "csv"],
    "floors compare {} {}": ["compare", "baseline", "whole-floor", "--format", "csv"],
    "floors data import --help": ["data", "import", "--help"],
    "floors export outputs/ECU-baseline": ["export", "{out}/ECU-baseline", "-o", "{out}/exported"],
    "floors init ISO3 --assumptions": ["init", "KEN", "--assumptions", "{tmp}/my-study"],
    "floors init {}": ["init", "SEN", "--assumptions", "{tmp}/other-study"],
    "floors run": ["run"],
    "floors run first": ["run", "--format", "csv"],
    "floors run or floors compare": ["run", "--format", "csv"],
    "floors run (or compare": ["run", "--format", "csv"],
    "floors scenario template": ["scenario", "template", "--out", "{tmp}/what-if.xlsx"],
    "floors params": ["params", "children.level"],
}


def test_every_command_a_hint_suggests_is_known_here():
    unknown = hinted_commands() - set(HINTS)
    assert not unknown, f"hints suggest commands this test does not run: {sorted(unknown)}; add them to HINTS"


def test_every_command_a_hint_suggests_runs(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "outputs"
    ran = set()
    for hint in ["floors run", *sorted(set(HINTS) - {"floors run"})]:  # run first: export reads its results
        args = [a.format(out=out, tmp=tmp_path) for a in HINTS[hint]]
        if args[0] in ("run", "compare"):
            args += ["--out", str(out)]
        if tuple(args) in ran:
            continue
        ran.add(tuple(args))
        result = runner.invoke(main, args)
        assert result.exit_code == 0, f"the hint '{hint}' suggests a command that fails:\n{result.output}"


# --- Legitimate variants keep working -------------------------------------------------------------------------------

def test_a_scenario_and_a_country_file_with_a_bom_crlf_and_unicode(runner, tree, tmp_path):
    (tree / "ECU" / "scenarios" / "accents.yaml").write_bytes(
        "\ufefftitle: Prestación por hijo — ½ línea\r\ndescription: niñas y niños\r\nchanges:\r\n"
        "  children.level: 0.5\r\n".encode("utf-8"))
    macro = tree / "ECU" / "macro.yaml"
    macro.write_bytes(b"\xef\xbb\xbf" + macro.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    out = tmp_path / "out"
    result = runner.invoke(main, ["run", "--assumptions", str(tree), "-s", "accents", "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(next(out.glob("*/*.xlsx")), read_only=True)
    text = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert "Prestación por hijo — ½ línea" in text
    plain = runner.invoke(main, ["run", "--assumptions", str(tree), "--set", "children.level=0.5", "--out", str(out),
                                 "--format", "csv"])
    assert plain.exit_code == 0, plain.output
    tables = {p.parent.name: pd.read_csv(p) for p in out.glob("*/*.csv")}
    ours, theirs = tables["ECU-accents"], tables[next(n for n in tables if n.startswith("ECU-baseline-set-"))]
    assert ours["value"].to_numpy() == pytest.approx(theirs["value"].to_numpy(), rel=1e-12)


def test_a_csv_saved_by_excel_with_shuffled_and_extra_columns(runner, tree_with_data, tmp_path):
    """A byte-order mark, CRLF, columns in another order and one more column: the same results."""
    before = runner.invoke(main, ["run", "--assumptions", str(tree_with_data), "--out", str(tmp_path / "a"),
                                  "--format", "csv"])
    assert before.exit_code == 0, before.output
    path = tree_with_data / "data" / "gdp.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table = table[list(reversed(table.columns))].assign(comment="typed by hand")
    path.write_bytes(b"\xef\xbb\xbf" + table.to_csv(index=False, lineterminator="\r\n").encode("utf-8"))
    checked = runner.invoke(main, ["validate", "--assumptions", str(tree_with_data)])
    assert checked.exit_code == 0, checked.output
    after = runner.invoke(main, ["run", "--assumptions", str(tree_with_data), "--out", str(tmp_path / "b"),
                                 "--format", "csv"])
    assert after.exit_code == 0, after.output
    first, second = (pd.read_csv(next((tmp_path / x).glob("*/*.csv"))) for x in "ab")
    assert second["value"].to_numpy() == pytest.approx(first["value"].to_numpy(), rel=1e-12)


def test_outputs_through_a_symlinked_folder_and_from_a_read_only_assumptions_tree(runner, tree, tmp_path):
    real = tmp_path / "real-out"
    real.mkdir()
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    files_before = sorted(p for p in tree.rglob("*") if p.is_file())
    modes = {p: p.stat().st_mode for p in files_before}
    for p in files_before:
        p.chmod(0o444)
    try:
        result = runner.invoke(main, ["run", "--assumptions", str(tree), "--out", str(tmp_path / "linked")])
    finally:
        for p, mode in modes.items():
            p.chmod(mode)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in real.glob("*/*")) == ["floors-ECU-baseline.csv", "floors-ECU-baseline.xlsx"]
    assert sorted(p for p in tree.rglob("*") if p.is_file()) == files_before  # nothing written among the inputs


def test_runs_into_one_folder_at_once(tmp_path):
    """A run with another name and two with the same name, all at once into one folder: each ends well, no
    temporary stays, and the shared name holds one run's whole table (never a mix or a half)."""
    out = tmp_path / "out"
    commands = [["--set", "children.level=0.3"]]
    commands += [["--set", f"children.level={level}", "--name", "shared"] for level in (0.5, 0.6)]
    runs = [subprocess.Popen([sys.executable, "-m", "floors.cli", "run", "--out", str(out), "--format", "csv",
                              *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for args in commands]
    done = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], done
    assert not list(out.rglob("*.tmp"))
    tables = {p.parent.name: pd.read_csv(p) for p in out.rglob("*.csv")}
    assert len(tables) == 2
    other = [t["scenario"].iloc[0] for name, t in tables.items() if name != "shared"]
    assert other == ["baseline + children.level=0.3"]
    shared = tables["shared"]
    assert shared["scenario"].nunique() == 1 and shared["scenario"].iloc[0] in (
        "baseline + children.level=0.5", "baseline + children.level=0.6")
    assert len(shared) == len(tables[next(n for n in tables if n != "shared")])


def test_a_control_character_in_a_scenario_given_in_python_is_refused():
    """The workbook writer cannot hold it (IllegalCharacterError): refused when the scenario is read."""
    with pytest.raises(InputError, match="U\\+0007 is not allowed in a scenario's title"):
        floors.run("ECU", [{"title": "bell\x07", "changes": {"children.level": 0.5}}])
