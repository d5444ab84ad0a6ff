"""Content files to front matter (YAML nodes that keep their source lines) and Markdown bodies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional

import yaml

from .issues import Issue


@dataclass(frozen=True)
class Value:
    """A YAML value with the line it starts on (1-based, in the file) and, for scalars, the text as typed."""

    data: Any
    line: int
    raw: Optional[str] = None

    def text(self) -> str:
        """The scalar exactly as typed (so 1.10 stays '1.10'); '' for null."""
        if self.raw is not None and self.data is not None:
            return self.raw
        return "" if self.data is None else str(self.data)


@dataclass
class Mapping:
    """A YAML mapping whose values are Value, Mapping or Sequence; remembers each key's line."""

    line: int
    items: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        """The node under key, or None."""
        return self.items.get(key)

    def line_of(self, key: str) -> int:
        """Line of key's value, or of the mapping itself when absent."""
        node = self.items.get(key)
        return node.line if node is not None else self.line


@dataclass
class Sequence:
    """A YAML sequence of nodes."""

    line: int
    items: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class ContentFile:
    """One content file: its path for messages, its front matter (or None) and Markdown body."""

    path: str
    meta: Optional[Mapping]
    body: str
    body_line: int


# libyaml's parser when PyYAML was built with it: about ten times faster, same nodes and marks.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _convert(node: yaml.Node, offset: int, path: str, issues: list[Issue], loader: yaml.SafeLoader) -> Any:
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.ScalarNode):
        try:
            data = loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            issues.append(Issue(path, line, f"cannot read this value ({_first_line(exc)}); put it in quotes"))
            data = node.value
        if isinstance(data, (dt.date, dt.datetime)):
            data = node.value
        return Value(data, line, node.value)
    if isinstance(node, yaml.SequenceNode):
        return Sequence(line, [_convert(child, offset, path, issues, loader) for child in node.value])
    if isinstance(node, yaml.MappingNode):
        mapping = Mapping(line)
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in mapping.items:
                issues.append(
                    Issue(path, key_node.start_mark.line + 1 + offset, f"'{key}' is given twice; keep one of them")
                )
            mapping.items[key] = _convert(value_node, offset, path, issues, loader)
        return mapping
    return Value(None, line)


def _first_line(exc: Exception) -> str:
    problem = getattr(exc, "problem", None)
    return str(problem or exc).splitlines()[0]


def parse_yaml(text: str, path: str, line_offset: int, issues: list[Issue]) -> Any:
    """Parse YAML text into Value/Mapping/Sequence nodes, reporting syntax errors as issues."""
    try:
        try:
            node = yaml.compose(text, Loader=_COMPOSER)
        except yaml.YAMLError:
            # Parse again with the pure-Python parser, whose messages are the ones the hints know.
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        issues.append(Issue(path, line, f"the YAML cannot be read: {exc.problem or exc.context}; {_yaml_hint(exc)}"))
        return None
    except yaml.YAMLError as exc:
        issues.append(Issue(path, line_offset + 1, f"the YAML cannot be read: {_first_line(exc)}"))
        return None
    if node is None:
        return None
    return _convert(node, line_offset, path, issues, yaml.SafeLoader(""))


def _yaml_hint(exc: yaml.MarkedYAMLError) -> str:
    problem = str(exc.problem or "")
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be put in quotes, or written as a block with '|' on the line before"
    if "found character '\\t'" in problem or "tab" in problem:
        return "use spaces, not tabs, to indent"
    if "expected <block end>" in problem or "indentation" in problem:
        return "check the indentation lines up with the lines above"
    return "check the quotes and indentation on that line"


def load_file(path: str, raw: bytes, issues: list[Issue], front_matter: bool = True) -> Optional[ContentFile]:
    """Decode and split one file; problems go to `issues` and the file is returned as far as it can be read."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        issues.append(Issue(path, line, "the file is not UTF-8 text; save it as UTF-8"))
        return None
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not front_matter:
        meta = parse_yaml(text, path, 0, issues)
        if meta is not None and not isinstance(meta, Mapping):
            issues.append(Issue(path, 1, "expected named fields (key: value) at the top level"))
            meta = None
        return ContentFile(path, meta, "", 1)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        issues.append(
            Issue(path, 1, "the file must start with a line '---', then the fields, then another '---' line")
        )
        return ContentFile(path, None, text, 1)
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            meta = parse_yaml(yaml_text, path, 1, issues)
            if meta is None:
                meta = Mapping(2) if not yaml_text.strip() else None
            elif not isinstance(meta, Mapping):
                issues.append(Issue(path, 2, "the fields between the '---' lines must be 'name: value' lines"))
                meta = None
            return ContentFile(path, meta, body, index + 2)
    issues.append(Issue(path, 1, "the fields are not closed: add a line '---' after the last field"))
    return ContentFile(path, None, "", len(lines))
