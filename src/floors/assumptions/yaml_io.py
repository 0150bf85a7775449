"""Read YAML strictly and safely, keeping the line of every key for messages.

ruamel.yaml's round-trip loader builds only plain mappings, sequences and scalars (no
arbitrary Python objects), refuses duplicate keys, and remembers where each key was. A
value with an explicit tag (``!!python/object:…``, ``!!binary``, a custom ``!tag``) is
refused with a problem rather than ignored.
Every failure becomes a `Problem` instead of a traceback.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from floors.io.cache import cached, code_digest, content_key
from floors.problems import Problem, display_path

# Assumption files are hand-written; anything larger is a data table in the wrong place.
MAX_YAML_BYTES = 1_000_000


@dataclass
class YamlDocument:
    """A parsed YAML file as plain Python values, with the line of each key path."""

    path: Path
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)

    @cached_property  # asked for every key's message and origin: resolving the path each time was costly
    def name(self) -> str:
        return display_path(self.path)

    def line_of(self, *keys: object) -> int | None:
        """The line of the longest prefix of ``keys`` that has one."""
        for n in range(len(keys), 0, -1):
            if keys[:n] in self.lines:
                return self.lines[keys[:n]]
        return None


# The only explicit tag an assumption file may use: ``!!str 2024`` keeps a number as text.
TEXT_TAG = "tag:yaml.org,2002:str"
PLAIN_TYPES = (str, bool, int, float, dt.date, type(None))


def _tag(node: Any) -> str | None:
    """The explicit tag of a node (``!!python/object:…``, ``!custom``), or None."""
    tag = getattr(node, "tag", None)
    return getattr(tag, "value", tag) if tag is not None else None


def _plain(node: Any, prefix: tuple, lines: dict[tuple, int], refused: list[tuple[tuple, str]]) -> Any:
    """Turn ruamel's commented containers into dicts and lists, recording key lines.

    Anything but plain mappings, lists, text, numbers, true/false, dates and null (a
    ``!!python/object`` tag, ``!!binary``, ``!!set``, a custom ``!tag``) is put in
    ``refused`` with its key path, and read as None.
    """
    if isinstance(node, TaggedScalar) and _tag(node) == TEXT_TAG:
        return str(node.value)
    if isinstance(node, CommentedMap | CommentedSeq | TaggedScalar) and _tag(node) is not None:
        refused.append((prefix, "the YAML tag " + str(_tag(node)).replace("tag:yaml.org,2002:", "!!")))
        return None
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            with contextlib.suppress(KeyError, TypeError):
                lines[(*prefix, key)] = node.lc.key(key)[0] + 1
            out[key] = _plain(value, (*prefix, key), lines, refused)
        return out
    if isinstance(node, CommentedSeq):
        return [_plain(v, (*prefix, i), lines, refused) for i, v in enumerate(node)]
    if not isinstance(node, PLAIN_TYPES):
        refused.append((prefix, f"a value of type {type(node).__name__} (from a tag such as !!binary or !!set)"))
        return None
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def parse_yaml_text(text: str, path: Path, problems: list[Problem]) -> YamlDocument | None:
    """Parse YAML text; on failure append a problem and return None."""
    name = display_path(path)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        raw = yaml.load(text)
    except DuplicateKeyError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        problems.append(
            Problem(
                f"duplicate key: {exc.problem.strip()}",
                file=name,
                line=line,
                hint="each key may appear once in a mapping; delete or merge the repeated one",
            )
        )
        return None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        hint = "fix the YAML syntax at this line"
        if "\t" in text and ("tab" in what or "\\t" in what):
            hint = "YAML does not allow tabs for indentation; indent with spaces"
        problems.append(Problem(f"YAML syntax error: {what}", file=name, line=line, hint=hint))
        return None
    except YAMLError as exc:
        problems.append(Problem(f"YAML error: {exc}", file=name, hint="fix the YAML syntax"))
        return None
    lines: dict[tuple, int] = {}
    refused: list[tuple[tuple, str]] = []
    doc = YamlDocument(path=path, data=_plain(raw, (), lines, refused), lines=lines)
    for keys, what in refused:
        problems.append(
            Problem(
                f"{what} is not allowed in an assumption file",
                file=name, key=".".join(map(str, keys)) or None, line=doc.line_of(*keys),
                hint="write plain values (numbers, text, true/false, lists and mappings); floors never builds "
                     "objects from YAML tags",
            )
        )
    return None if refused else doc


def read_yaml(path: Path, problems: list[Problem]) -> YamlDocument | None:
    """Read and parse a YAML file; on failure append a problem and return None."""
    name = display_path(path)
    if not path.is_file():
        problems.append(
            Problem("file not found", file=name, hint="check the path and the file name")
        )
        return None
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        problems.append(
            Problem(
                f"file is {size:,} bytes, more than the {MAX_YAML_BYTES:,} an assumption file may have",
                file=name,
                hint="large tables belong in a CSV under assumptions/data/ with a card beside it",
            )
        )
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                f"file is not UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start})",
                file=name,
                line=line,
                hint="save the file as UTF-8 (in most editors: Save As… › Encoding › UTF-8)",
            )
        )
        return None
    return _parse_once(text, path, problems)


def _parse_once(text: str, path: Path, problems: list[Problem]) -> YamlDocument | None:
    """`parse_yaml_text`, or a copy of what the same text gave before, in this process or on disk
    (`floors.io.cache`, keyed by the text and this module's code): only a clean parse is kept."""

    def parse() -> tuple[tuple[YamlDocument | None, list[Problem]], bool]:
        found: list[Problem] = []
        doc = parse_yaml_text(text, path, found)
        return (doc, found), doc is not None and not found

    doc, found = cached("yaml", content_key(code_digest(__file__), text.encode()), parse)
    problems += found
    if doc is None:
        return None
    return YamlDocument(path=path, data=copy.deepcopy(doc.data), lines=dict(doc.lines))
