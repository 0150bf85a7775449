"""The cache of parsed and checked files (floors.io.cache): the same answer as reading afresh, keyed by
content (an edited file is read again), only clean results kept, relocatable and switchable off."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from floors.assumptions import yaml_io
from floors.inputs import tables
from floors.inputs.tables import read_table
from floors.io import cache
from floors.problems import InputError

from .conftest import REPO_ASSUMPTIONS

TABLE = "health_expenditure"


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of the test's own, and a fresh process memory."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    cache.clear_memory()
    yield tmp_path / "cache"
    cache.clear_memory()


@pytest.fixture
def data(tmp_path) -> Path:
    out = tmp_path / "data"
    out.mkdir()
    for suffix in (".csv", ".card.yaml"):
        shutil.copy(REPO_ASSUMPTIONS / "data" / f"{TABLE}{suffix}", out / f"{TABLE}{suffix}")
    return out


def checks_run(monkeypatch) -> list[str]:
    calls: list[str] = []
    original = tables._check_frame

    def counting(frame, card, name, problems):
        calls.append(name)
        return original(frame, card, name, problems)

    monkeypatch.setattr(tables, "_check_frame", counting)
    return calls


def test_a_cached_table_equals_the_table_read_and_checked_afresh(folder, data, monkeypatch):
    calls = checks_run(monkeypatch)
    first, card = read_table(data, TABLE)
    assert len(calls) == 1 and any(folder.rglob("*.pickle"))
    cache.clear_memory()  # as a new process: from disk
    again, card_again = read_table(data, TABLE)
    assert len(calls) == 1  # not checked again
    pd.testing.assert_frame_equal(again, first, check_exact=True)
    assert card_again == card
    cache.clear_memory()
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    fresh, _ = read_table(data, TABLE)
    assert len(calls) == 2
    pd.testing.assert_frame_equal(fresh, first, check_exact=True)


def test_an_edited_table_is_read_again(folder, data):
    first, _ = read_table(data, TABLE)
    csv = data / f"{TABLE}.csv"
    lines = csv.read_text().splitlines()
    row = lines[1].split(",")
    column = lines[0].split(",").index("che_per_capita_usd")
    before = float(first["che_per_capita_usd"].iloc[0])
    row[column] = repr(before * 1.5)
    csv.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n")
    edited, _ = read_table(data, TABLE)  # same size, and perhaps the same second: the bytes tell
    assert float(edited["che_per_capita_usd"].iloc[0]) == pytest.approx(before * 1.5, rel=1e-12)


def test_a_table_is_checked_again_when_the_bundled_card_it_is_checked_against_changes(folder, data, tmp_path,
                                                                                      monkeypatch):
    """A user's card is checked against the units of floors' own card of the table: a new bundled card (a new
    floors release, an edited checkout) is a new key, so a cached table cannot skip that check."""
    bundled = tmp_path / "bundled"
    shutil.copytree(REPO_ASSUMPTIONS / "data", bundled / "data")
    monkeypatch.setattr(tables, "bundled_assumptions", lambda: bundled)
    tables._bundled_card.cache_clear()
    try:
        read_table(data, TABLE)  # kept: the user's card agrees with the bundled one
        card = bundled / "data" / f"{TABLE}.card.yaml"
        unit = "unit: current USD per person per year"
        assert unit in card.read_text()
        card.write_text(card.read_text().replace(unit, "unit: thousand current USD per person per year"))
        tables._bundled_card.cache_clear()
        with pytest.raises(InputError, match="floors reads it in 'thousand current USD"):
            read_table(data, TABLE)
    finally:
        tables._bundled_card.cache_clear()


def test_a_table_with_a_problem_is_never_kept_and_its_problem_is_reported_every_time(folder, data):
    csv = data / f"{TABLE}.csv"
    lines = csv.read_text().splitlines()
    csv.write_text("\n".join([*lines, lines[1]]) + "\n")  # a repeated row
    for _ in range(2):
        with pytest.raises(InputError, match="repeat the key"):
            read_table(data, TABLE)
    assert not any((folder / "tables").glob("*.pickle"))


def test_the_cache_can_be_switched_off(tmp_path, data, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    cache.clear_memory()
    assert cache.cache_dir() is None
    read_table(data, TABLE)
    assert not any(tmp_path.rglob("*.pickle"))


def test_a_yaml_file_is_parsed_once_and_each_reader_gets_its_own_copy(folder, tmp_path, monkeypatch):
    path = tmp_path / "a.yaml"
    path.write_text("children:\n  level: 0.25\n  ages: [0, 5]\n")
    parses: list[str] = []
    original = yaml_io.parse_yaml_text
    monkeypatch.setattr(yaml_io, "parse_yaml_text", lambda *a: parses.append("x") or original(*a))
    first = yaml_io.read_yaml(path, [])
    first.data["children"]["level"] = 99  # a reader that changes its copy changes nobody else's
    second = yaml_io.read_yaml(path, [])
    assert len(parses) == 1
    assert second.data == {"children": {"level": 0.25, "ages": [0, 5]}}
    assert second.line_of("children", "ages") == 3
    path.write_text("children:\n  level: 0.5\n")
    assert yaml_io.read_yaml(path, []).data == {"children": {"level": 0.5}}


def test_a_yaml_file_with_a_problem_is_reported_every_time(folder, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\na: 2\n")
    for _ in range(2):
        problems: list = []
        assert yaml_io.read_yaml(path, problems) is None
        assert "duplicate key" in problems[0].message


def test_each_kind_keeps_only_its_newest_entries(folder):
    for i in range(5):
        assert cache.cached("numbers", f"key {i}", lambda i=i: (i, True), entries_kept=3) == i
    assert len(list((folder / "numbers").glob("*.pickle"))) == 3
    cache.clear_memory()
    assert cache.cached("numbers", "key 4", lambda: (-1, True), entries_kept=3) == 4  # the newest is still there


def test_an_interrupted_entry_leaves_no_temporary_behind(folder, monkeypatch):
    """Ctrl-C (or SIGTERM) while an entry is being put in place: no entry, and no temporary file left in the
    cache folder (the cache's pruning counts entries only, so a stray temporary would stay for ever)."""
    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.store("tables", "key", {"a": 1})
    assert not [path for path in folder.rglob("*") if path.is_file()]
