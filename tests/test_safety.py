"""Safety: YAML never builds objects, and text from files never becomes a formula in a workbook floors writes."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from floors.assumptions.yaml_io import parse_yaml_text
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
