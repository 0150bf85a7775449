"""Safety: YAML never builds objects, and text from files never becomes a formula in a workbook floors writes."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from floors.assumptions.yaml_io import MAX_YAML_ALIASES, MAX_YAML_DEPTH, parse_yaml_text
from floors.cli import main

FORMULA_STARTS = ("=", "+", "-", "@")


def test_a_python_tag_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    problems = []
    doc = parse_yaml_text(f'value: !!python/object/apply:os.system ["touch {marker}"]\n', Path("x.yaml"), problems)
    assert doc is None and not marker.exists()
    assert "!!python/object/apply:os.system is not allowed" in problems[0].message
    assert problems[0].line == 1 and problems[0].key == "value"


def test_only_the_text_tag_is_allowed():
    problems = []
    doc = parse_yaml_text("period: !!str 2024\n", Path("x.yaml"), problems)
    assert doc.data == {"period": "2024"} and problems == []
    for text in ("a: !!binary aGVsbG8=\n", "a: !!set {x, y}\n", "a: !custom 3\n", "a: !!python/name:os.system\n"):
        problems = []
        assert parse_yaml_text(text, Path("x.yaml"), problems) is None, text
        assert "is not allowed in an assumption file" in problems[0].message


def test_text_that_looks_like_a_formula_stays_text_in_the_template(runner, tree, tmp_path):
    (tree / "ECU" / "scenarios" / "@formula.yaml").write_text(
        'title: "=HYPERLINK(\\"http://example.com\\")"\n'
        "changes:\n  maternity.months:\n    value: 5\n    source: {title: '=1+1', locator: '+page 3', note: '@x'}\n",
        encoding="utf-8")
    path = tmp_path / "what-if.xlsx"
    result = runner.invoke(main, ["scenario", "template", "-s", "@formula", "--assumptions", str(tree),
                                  "--out", str(path)])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(path)
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)]
    assert any(c.value == "@formula" for c in cells)  # based_on, on sheet scenario
    assert any(c.value.startswith("=1+1") for c in cells)  # the source of the baseline value, on sheet what-if
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_yaml_limits_are_checked_while_reading():
    """Nesting, aliases and expanded values are bounded (floors.assumptions.yaml_io); within them, files read."""
    cases = {
        "a: " + "[" * (MAX_YAML_DEPTH + 1) + "]" * (MAX_YAML_DEPTH + 1) + "\n": "nests more than 24 levels deep",
        "".join(f"k{i}: &a{i} 1\n" for i in range(MAX_YAML_ALIASES + 1))
        + "b: [" + ", ".join(f"*a{i}" for i in range(MAX_YAML_ALIASES + 1)) + "]\n": "more than 200 aliases",
        "a: &a [" + ", ".join(["1"] * 400) + "]\nb: &b [" + ", ".join(["*a"] * 50) + "]\n"
        "c: [" + ", ".join(["*b"] * 10) + "]\n": "more than 100,000 values",
    }
    for text, message in cases.items():
        problems = []
        assert parse_yaml_text(text, Path("x.yaml"), problems) is None
        assert len(problems) == 1 and message in problems[0].message, problems
    problems = []
    within = parse_yaml_text("a: &a {title: T}\nb: *a\nc: " + "[" * 10 + "1" + "]" * 10 + "\n", Path("x.yaml"),
                             problems)
    assert problems == [] and within.data["b"] == {"title": "T"}


def test_control_characters_are_refused_in_values_and_keys_but_tabs_and_line_ends_are_text():
    problems = []
    assert parse_yaml_text('title: "a\\x07b"\nsource:\n  "k\\x1bey": 1\n', Path("x.yaml"), problems) is None
    assert [(p.key, p.line) for p in problems] == [("title", 1), ("source.k\x1bey", 3)]
    assert "U+0007" in problems[0].message and "U+001B in a key" in problems[1].message
    problems = []
    doc = parse_yaml_text('title: "a\\tb"\nnote: "one\\r\\ntwo"\n', Path("x.yaml"), problems)
    assert problems == [] and doc.data == {"title": "a\tb", "note": "one\r\ntwo"}
