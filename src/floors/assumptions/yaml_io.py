"""Read YAML strictly and safely, keeping the line of every key for messages.

ruamel.yaml's round-trip loader builds only plain mappings, sequences and scalars (no
arbitrary Python objects), refuses duplicate keys, and remembers where each key was. A
value with an explicit tag (``!!python/object:…``, ``!!binary``, a custom ``!tag``) is
refused with a problem rather than ignored.
Every failure becomes a `Problem` instead of a traceback.

What one file may ask of the reader is bounded, and checked while it is read, before
anything is built from it: its size, how deep it nests, how many aliases (``*name``) it
uses and how many values it stands for once they are expanded (a few hundred bytes of
nested aliases can stand for billions of values). Text holding control characters (which
no workbook cell can hold, and no one types on purpose) is refused, naming the key.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from floors.io.cache import cached, code_digest, content_key
from floors.problems import Problem, display_path

# Assumption files are hand-written; anything larger is a data table in the wrong place.
MAX_YAML_BYTES = 1_000_000
# Levels of nesting (a mapping in a mapping in …, the value itself counted): the bundled files need
# at most 5 (a parameter › its uncertainty › source › title); a file nested thousands deep would
# exhaust Python's stack. 24 leaves room for any honest file.
MAX_YAML_DEPTH = 24
# Aliases (*name, repeating what &name marked): the bundled files use a few to share a source. Each
# alias may repeat a whole subtree, which is how a few hundred bytes stand for billions of values.
MAX_YAML_ALIASES = 200
# Values (mappings, lists, numbers, text) once aliases are expanded: the largest bundled file holds under
# 300, a countries.yaml for every country of the world about 1,500.
MAX_YAML_VALUES = 100_000
FEWER_ALIASES = "write the values out, or share fewer of them through &anchors"
# Control characters (all but tab, line feed and carriage return): no workbook cell can hold them
# and they never come from typing; a YAML escape such as "\x07" is the usual way in.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


class LimitExceeded(Exception):
    """A YAML text asks more of the reader than `MAX_YAML_DEPTH`, `MAX_YAML_ALIASES` or `MAX_YAML_VALUES`."""

    def __init__(self, message: str, hint: str, line: int | None = None):
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


class _BoundedComposer(Composer):
    """ruamel's composer, stopping at the first node deeper than `MAX_YAML_DEPTH` or alias beyond
    `MAX_YAML_ALIASES`, before anything is built from the document."""

    levels = 0
    aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                raise LimitExceeded(f"the YAML uses more than {MAX_YAML_ALIASES} aliases (*name), the most floors "
                                    f"reads", FEWER_ALIASES, line)
            return super().compose_node(parent, index)
        self.levels += 1
        try:
            if self.levels > MAX_YAML_DEPTH:
                raise LimitExceeded(f"the YAML nests more than {MAX_YAML_DEPTH} levels deep, the most floors reads",
                                    "an assumption file needs a few levels (parameter › value › year); flatten "
                                    "the nesting", line)
            return super().compose_node(parent, index)
        finally:
            self.levels -= 1


def _plain(node: Any, prefix: tuple, lines: dict[tuple, int], refused: list[tuple[tuple, str]],
           count: list[int] | None = None) -> Any:
    """Turn ruamel's commented containers into dicts and lists, recording key lines.

    Anything but plain mappings, lists, text, numbers, true/false, dates and null (a
    ``!!python/object`` tag, ``!!binary``, ``!!set``, a custom ``!tag``), and text holding
    control characters, is put in ``refused`` with its key path, and read as None.
    ``count`` counts the values built, aliases expanded: beyond `MAX_YAML_VALUES`,
    `LimitExceeded` is raised.
    """
    count = [0] if count is None else count
    count[0] += 1
    if count[0] > MAX_YAML_VALUES:
        raise LimitExceeded(f"the YAML stands for more than {MAX_YAML_VALUES:,} values once its aliases (*name) "
                            f"are expanded, the most floors reads", FEWER_ALIASES)
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
            if isinstance(key, str) and CONTROL_CHARACTERS.search(key):
                refused.append(((*prefix, key), control_text(key) + " in a key"))
            out[key] = _plain(value, (*prefix, key), lines, refused, count)
        return out
    if isinstance(node, CommentedSeq):
        return [_plain(v, (*prefix, i), lines, refused, count) for i, v in enumerate(node)]
    if not isinstance(node, PLAIN_TYPES):
        refused.append((prefix, f"a value of type {type(node).__name__} (from a tag such as !!binary or !!set)"))
        return None
    if isinstance(node, str):
        if CONTROL_CHARACTERS.search(node):
            refused.append((prefix, control_text(node)))
            return None
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def control_text(text: str) -> str:
    """Which control character ``text`` holds, for a message."""
    found = CONTROL_CHARACTERS.search(text)
    return f"the control character U+{ord(found.group()):04X}" if found else "a control character"


def parse_yaml_text(text: str, path: Path, problems: list[Problem]) -> YamlDocument | None:
    """Parse YAML text; on failure append a problem and return None."""
    name = display_path(path)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.Composer = _BoundedComposer
    lines: dict[tuple, int] = {}
    refused: list[tuple[tuple, str]] = []
    try:
        raw = yaml.load(text)
        data = _plain(raw, (), lines, refused)
    except LimitExceeded as exc:
        problems.append(Problem(exc.message, file=name, line=exc.line, hint=exc.hint))
        return None
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
    doc = YamlDocument(path=path, data=data, lines=lines)
    for keys, what in refused:
        control = what.startswith("the control character")
        problems.append(
            Problem(
                f"{what} is not allowed in an assumption file",
                file=name, key=".".join(map(str, keys)) or None, line=doc.line_of(*keys),
                hint="delete the character (often an escape such as \\x07 or a paste from another program)"
                if control else "write plain values (numbers, text, true/false, lists and mappings); floors never "
                                "builds objects from YAML tags",
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
