"""The content files' JSON Schemas (`schemas/*.schema.json`): the one definition of each file's fields.

The reader (`reader.py`) walks each file against `spec(name)`, compiled from here: every field's kind, whether
it is required, the words it may hold and its pattern, so a field exists in exactly one place; editors
read the same files for completion (docs/editing.md).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources
from typing import Any

# The schema of each kind of content file, by the name of its file in schemas/ (without .schema.json).
SCHEMA_NAMES = (
    "action", "business-area", "kpi", "recommendation", "people", "priorities", "plan", "cover-report",
    "report-record",
)


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """The parsed schema `schemas/<name>.schema.json` (installed as the package delivery_report.schemas)."""
    text = resources.files("delivery_report.schemas").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def _node(name: str, path: tuple[str, ...]) -> dict[str, Any]:
    """The schema of the object at `path` (field names; a list field stands for one of its entries)."""
    node = load_schema(name)
    for key in path:
        node = node["properties"][key]
        if node.get("type") == "array":
            node = node["items"]
    return node


def fields(name: str, *path: str) -> tuple[str, ...]:
    """The fields allowed in a file (or in each entry of the list field at `path`), in the schema's order."""
    return tuple(_node(name, path)["properties"])


def required(name: str, *path: str) -> tuple[str, ...]:
    """The fields a file (or each entry of the list at `path`) must have."""
    return tuple(_node(name, path).get("required", ()))


def choices(name: str, *path: str) -> tuple[str, ...]:
    """The words a field may hold (its `enum`), e.g. choices('action', 'rag')."""
    return tuple(_node(name, path)["enum"])


def pattern(name: str, *path: str) -> str:
    """The regular expression a text field must match (its `pattern`), e.g. pattern('action', 'ref')."""
    found: str = _node(name, path)["pattern"]
    return found


# --- the schemas as the reader walks them --------------------------------------------------------


class Kind(Enum):
    """What the reader makes of a field, decided by its schema's `type` (and `anyOf`, `enum`,
    `contentMediaType`, `format`): one reading per kind, in reader.py."""

    TEXT = "text"  # a string (or a number read as typed, such as a ref 1.10)
    MARKDOWN = "Markdown text"  # a string with "contentMediaType": "text/markdown"
    DATE = "date"  # a string with "format": "date"
    WORD = "word"  # a string with an `enum`
    INTEGER = "whole number"
    NUMBER = "number"
    FLAG = "true or false"  # a boolean
    TEXTS = "text or list of texts"  # anyOf a string and an array of strings
    INTEGERS = "whole number or list of them"  # anyOf an integer and an array of integers
    MAPPING = "named fields"  # an object
    ENTRIES = "list of named fields"  # an array of objects


@dataclass(frozen=True, eq=False)
class Spec:
    """One field (or a whole file) as its schema declares it: how to read it and what it may hold.

    `path` names it from the file's top ('values', 'label'); `fields` are an object's fields, or each
    entry's for a list of objects; `in_entries` is true for a field of each entry of a list. A spec is
    itself (equal and hashed by identity): each is compiled once, and the reader keys its hooks by it."""

    schema: str
    path: tuple[str, ...]
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    max_items: int | None = None
    in_entries: bool = False
    fields: Mapping[str, Spec] = field(default_factory=dict)
    # What a field left out reads as, where the schema gives one (the office's words: plan.md `words`).
    default: Any = None

    @functools.cached_property
    def regex(self) -> re.Pattern[str] | None:
        """The pattern, compiled once (the schemas' patterns are plain regular expressions Python reads alike)."""
        return re.compile(self.pattern) if self.pattern is not None else None

    @property
    def key(self) -> str:
        """The field's name as content writes it (the schema's name for a whole file)."""
        return self.path[-1] if self.path else self.schema


def _plain_kind(node: dict[str, Any]) -> Kind:
    """The kind of a schema node without `anyOf`."""
    if "enum" in node:
        return Kind.WORD
    if node.get("type") == "string":
        if node.get("contentMediaType") == "text/markdown":
            return Kind.MARKDOWN
        return Kind.DATE if node.get("format") == "date" else Kind.TEXT
    if node.get("type") == "array":
        return {"object": Kind.ENTRIES, "string": Kind.TEXTS, "integer": Kind.INTEGERS}[node["items"]["type"]]
    return {"integer": Kind.INTEGER, "number": Kind.NUMBER, "boolean": Kind.FLAG, "object": Kind.MAPPING}[node["type"]]


# A field that may be written in either of two ways reads as one kind: a ref typed 1.10 or "1.10" is text,
# initials are one text or a list of them, priorities one number or a list of them.
_EITHER = {
    frozenset({Kind.TEXT, Kind.NUMBER}): Kind.TEXT,
    frozenset({Kind.TEXT, Kind.TEXTS}): Kind.TEXTS,
    frozenset({Kind.INTEGER, Kind.INTEGERS}): Kind.INTEGERS,
}


def _kind(node: dict[str, Any], where: str) -> Kind:
    options = node.get("anyOf")
    if not options:
        return _plain_kind(node)
    if node.get("type") == "string":  # a string matching any of several patterns or words (a due date)
        return Kind.TEXT
    kinds = frozenset(_plain_kind(option) for option in options)
    if kinds not in _EITHER:
        raise ValueError(f"{where}: the reader has no kind for anyOf {sorted(k.name for k in kinds)}; add one to schema._EITHER")
    return _EITHER[kinds]


def _rules(node: dict[str, Any]) -> tuple[tuple[str, ...], str | None]:
    """The words (`enum`) and the pattern a string field may match, from the node and its `anyOf` strings."""
    options = [node, *(o for o in node.get("anyOf", ()) if o.get("type", "string") == "string")]
    if node.get("type") == "array" and node["items"].get("type") == "string":
        options.append(node["items"])  # a list of words: each entry one of the items' words
    choices = tuple(word for option in options for word in option.get("enum", ()))
    patterns = [option["pattern"] for option in options if "pattern" in option]
    return choices, patterns[0] if patterns else None


def _compile(name: str, path: tuple[str, ...], node: dict[str, Any], required: bool, in_entries: bool) -> Spec:
    kind = _kind(node, f"{name}.schema.json {'.'.join(path)}")
    shape = node["items"] if kind is Kind.ENTRIES else node
    children = {
        key: _compile(name, (*path, key), child, key in shape.get("required", ()), kind is Kind.ENTRIES)
        for key, child in shape.get("properties", {}).items()
    }
    choices, pattern = _rules(node)
    return Spec(name, path, kind, required, choices, pattern, node.get("maxItems"), in_entries, children,
                node.get("default"))


@functools.cache
def spec(name: str) -> Spec:
    """A content file's schema as the reader walks it: the file is a MAPPING whose `fields` are its fields."""
    return _compile(name, (), load_schema(name), True, False)
