"""The content files' JSON Schemas (`schemas/*.schema.json`): the one definition of each file's fields.

`assemble` takes from here the fields each file may have and the words a field may hold, so a field
exists in exactly one place; editors read the same files for completion (docs/editing.md).
"""

from __future__ import annotations

import functools
import json
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
