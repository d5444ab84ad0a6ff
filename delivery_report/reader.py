"""The field reader: a file's front matter (load.py's nodes, with lines) read against its JSON Schema.

`Fields` wraps one mapping and its `schema.Spec`. Each field is read as its schema declares it (a text, a
number, one of a few words, a list, named fields...), required or not, checked against the schema's words
and pattern; what is wrong becomes an Issue at the field's line, never an exception, and the value read is
a Python value (str, int, float, bool, a date, an enum member, parsed Markdown, or a `Fields` for named
fields). The friendly hints ("write 'due: 2018-03'", "did you mean 'rag'?") are named hooks in hints.py.
The build asks for fields by name; asking for a field the schema does not declare, or as another kind than
it declares, is a programming error and raises at once.

Like mkdocs' config options, each kind of field is read by one piece of code that validates a value and
reports; unlike them, the declaration is the JSON Schema the editors read too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, TypeVar

from . import richtext
from .hints import (
    CURLY_QUOTES,
    DEFAULT_FILE_RULE,
    FILE_RULES,
    NO_RULE,
    RESTRICTED,
    RULES,
    Rule,
    curly_quotes,
    field_below_front_matter,
    split_joined_list,
)
from .issues import Issue
from .load import MAX_NUMBER, ContentFile, Value, YamlMapping, YamlSequence
from .model import BLOCK_PLACEHOLDERS, INLINE_PLACEHOLDERS, Origin, RestrictedBlock, RichText, Word
from .schema import Kind, Spec

W = TypeVar("W", bound=Word)

# An action named in Markdown: (ref, path, line, inside a restricted file or fence, printed as a link).
Mention = tuple[str, str, int, bool, bool]


class Diagnostics(list[Issue]):
    """The one collector of a reading: its issues in the order found, plus what is checked once every file is
    read: the actions named in Markdown ("links to Action 3.10", "actions 6.1 & 6.2"), and whether any
    '::: restricted' fence was seen."""

    def __init__(self) -> None:
        super().__init__()
        self.mentions: list[Mention] = []
        self.fenced = False


class Fields:
    """One mapping of a file (its front matter, or named fields inside it) read against its schema.

    Every key the schema does not declare is reported when the mapping is opened (hints.FileRule)."""

    def __init__(self, file: ContentFile, meta: YamlMapping, issues: list[Issue], spec: Spec):
        self.file = file
        self.meta = meta
        self.issues = issues
        self.spec = spec
        self.file_rule = FILE_RULES.get(spec.schema, DEFAULT_FILE_RULE)
        self._declared = _declared(spec)
        declared = spec.fields
        for key, node in meta.items.items():
            if key not in declared:
                typed = node.text().strip() if isinstance(node, Value) else ""
                issues.append(self.file_rule.unknown_key(file.path, node.line, key, tuple(declared), typed))

    def problem(self, line: int, message: str) -> None:
        """Record a problem at a line of this file."""
        self.issues.append(Issue(self.file.path, line, message))

    def origin(self) -> Origin:
        """Where this file's fields are."""
        return Origin(self.file.path, 1, tuple((k, v.line) for k, v in self.meta.items.items()))

    # --- one reading per kind of field -------------------------------------------------------------

    def text(self, key: str) -> str:
        """A text, as typed (stripped); '' when absent or wrong."""
        spec, rule = self._field(key, Kind.TEXT)
        node: Any = self.meta.items.get(key)
        typed = self._typed_text(spec, rule, node)
        if not typed:
            return ""
        if rule.check is not None:
            message = rule.check(spec, typed)
            if message:
                self.problem(node.line, message)
                return ""
        value = rule.normalise(typed) if rule.normalise is not None else typed
        if value and not rule.checked_by and not _matches(spec, value):
            self.problem(node.line, self._refused(spec, rule, value))
            return ""
        return value

    def markdown(self, key: str) -> RichText:
        """A Markdown text, parsed; () when absent or wrong."""
        spec, rule = self._field(key, Kind.MARKDOWN)
        node: Any = self.meta.items.get(key)
        node = self._present(spec, rule, node)
        if node is None:
            return ()
        if not isinstance(node, Value):
            self.problem(node.line, f"'{key}' must be text; for several lines write '{key}: |' and indent the lines below")
            return ()
        text = node.text()
        first_line = node.line + (1 if "\n" in text else 0)
        if rule.placeholders and isinstance(node.data, str):
            check_placeholders(self, node.data, first_line)
        return self.parse_markdown(text, first_line, rule.placeholders)

    def date(self, key: str) -> dt.date | None:
        """A day written YYYY-MM-DD."""
        spec, rule = self._field(key, Kind.DATE)
        node: Any = self.meta.items.get(key)
        typed = self._typed_text(spec, rule, node)
        if not typed:
            return None
        try:
            # fromisoformat alone also reads '20171107' and '2017-W45-2': the schema's pattern is the form written.
            if spec.regex is not None and not spec.regex.fullmatch(typed):
                raise ValueError(typed)
            return dt.date.fromisoformat(typed)
        except ValueError:
            self.problem(node.line, f"'{key}' is '{typed}'; write the date as YYYY-MM-DD, e.g. 2017-11-07")
            return None

    def word(self, key: str, vocabulary: type[W]) -> W | None:
        """One of the schema's words (its `enum`), in any case, as the vocabulary's member."""
        spec, rule = self._field(key, Kind.WORD)
        node: Any = self.meta.items.get(key)
        node = self._present(spec, rule, node)
        if node is None:
            return None
        value = node.text().strip().lower() if isinstance(node, Value) else None
        if value not in spec.choices:
            self.problem(node.line, self._refused(spec, rule, node.text() if isinstance(node, Value) else "a list"))
            return None
        return vocabulary(value)

    def integer(self, key: str) -> int | None:
        """A whole number."""
        spec, rule = self._field(key, Kind.INTEGER)
        node: Any = self.meta.items.get(key)
        node = self._present(spec, rule, node)
        if node is None:
            return None
        if _is_integer(node):
            value: int = node.data
            return value
        self.problem(node.line, f"'{key}' must be a whole number, e.g. '{key}: 3'")
        return None

    def number(self, key: str) -> float | None:
        """A number (whole or decimal); never NaN, infinite or beyond what a report could show.

        A required number left out is reported at the named fields that lack it, and one given empty is
        not a number."""
        spec, _rule = self._field(key, Kind.NUMBER)
        node: Any = self.meta.items.get(key)
        if (node is None or (isinstance(node, Value) and node.data is None)) and not spec.required:
            return None
        if _is_number(node):
            return float(node.data)
        line = node.line if node is not None else self.meta.line
        self.problem(line, f"{_number_name(spec)} must be a number, e.g. 5009 or 23.5 (no commas or % sign)")
        return None

    def flag(self, key: str) -> bool:
        """true or false; false when absent. Given with no value it is a problem, and `restricted:` then
        reads as true: an empty restricted line must never publish Part 2 text."""
        spec, rule = self._field(key, Kind.FLAG)
        node: Any = self.meta.items.get(key)
        if isinstance(node, Value) and node.data is None:
            self.problem(node.line, f"'{key}:' has no value; write '{key}: true' or '{key}: false'")
            return key == RESTRICTED
        node = self._present(spec, rule, node)
        if node is None:
            return False
        if isinstance(node, Value) and isinstance(node.data, bool):
            return node.data
        self.problem(node.line, f"'{key}' must be true or false")
        return False

    def texts(self, key: str) -> tuple[str, ...]:
        """One text or a list of texts, each as typed. Initials joined as 'CH/SM' are separate entries, and
        curly quotes around an entry (a word processor's doing) are reported and taken off."""
        spec, rule = self._field(key, Kind.TEXTS)
        node: Any = self.meta.items.get(key)
        node = self._present(spec, rule, node)
        if node is None:
            return ()
        values = []
        for text, line in self._typed_entries(spec, node):
            message = curly_quotes(spec, text)
            if message:
                self.problem(line, message)
            bare = text.strip(CURLY_QUOTES)
            if bare and not rule.checked_by and not _matches(spec, bare):
                self.problem(line, self._refused(spec, rule, bare))
                continue
            values.append(bare)
        return tuple(values)

    def integers(self, key: str) -> tuple[int, ...]:
        """One whole number or a list of them."""
        spec, rule = self._field(key, Kind.INTEGERS)
        node: Any = self.meta.items.get(key)
        node = self._present(spec, rule, node)
        if node is None:
            return ()
        if isinstance(node, YamlMapping):
            self.problem(node.line, f"'{key}' must be a number or a list of numbers such as '{key}: [1, 2]', not named fields")
            return ()
        items = node.items if isinstance(node, YamlSequence) else [node]
        values = []
        for item in items:
            if _is_integer(item):
                values.append(item.data)
            elif rule.entry_hint is not None:
                self.problem(item.line, rule.entry_hint(spec, item))
            else:
                self.problem(item.line, f"each entry of '{key}' must be a whole number")
        return tuple(values)

    def mapping(self, key: str) -> Fields | None:
        """Named fields inside this mapping ('current: {label: ..., value: ...}'), read against their schema."""
        spec, rule = self._field(key, Kind.MAPPING)
        node: Any = self.meta.items.get(key)
        node = self._present(spec, rule, node)
        if node is None:
            return None
        if not isinstance(node, YamlMapping):
            self.problem(node.line, rule.not_a_mapping or f"'{key}' must be named fields, one 'name: value' per line")
            return None
        return Fields(self.file, node, self.issues, spec)

    def entries(self, key: str) -> list[Fields]:
        """A list of named fields ('- initials: SM'), each entry read against the schema of its fields."""
        spec, rule = self._field(key, Kind.ENTRIES)
        node: Any = self.meta.items.get(key)
        sequence = self._sequence(spec, rule, node)
        if sequence is None:
            return []
        mappings = []
        for item in sequence.items:
            if isinstance(item, YamlMapping):
                mappings.append(item)
            else:
                self.problem(item.line, rule.not_an_entry or f"each entry of '{key}' must have named fields (e.g. '- initials: SM')")
        return [Fields(self.file, mapping, self.issues, spec) for mapping in mappings]

    def has_text(self, key: str) -> bool:
        """True when the field holds some text, whether or not it reads as its kind (a date that is not one)."""
        self._field(key, None)
        node: Any = self.meta.items.get(key)
        return isinstance(node, Value) and bool(node.text().strip())

    # --- Markdown -----------------------------------------------------------------------------------

    def body(self, placeholders: bool = False) -> RichText:
        """The file's Markdown below its front matter, parsed (see parse_markdown); a line in it that reads as
        one of the file's own fields ('rag: red', 'RAG: red', 'due: 2018-03') is reported at its line."""
        text, first_line = self.file.body, self.file.body_line
        if text:
            names = {richtext.field_name(key): key for key in self.spec.fields}
            for offset, typed, value in richtext.field_like_lines(text, frozenset(names)):
                self.issues.append(field_below_front_matter(self.file.path, first_line + offset, typed, value,
                                                            names[richtext.field_name(typed)]))
        return self.parse_markdown(text, first_line, placeholders)

    def parse_markdown(self, text: str, first_line: int, placeholders: bool = False) -> RichText:
        """Parse Markdown, reporting raw HTML, links and fences at their lines; notes the actions it names.

        A placeholder such as {rag_key} is filled in only in the cover report's texts; anywhere else it
        would print as typed, so it is a problem at its line."""
        blocks, problems = richtext.parse_with_problems(text)
        for p in problems:
            self.problem(first_line + p.line, p.message)
        if not placeholders and "{" in text:
            for match in _KNOWN_PLACEHOLDER.finditer(text):
                self.problem(first_line + text.count("\n", 0, match.start()),
                             f"'{match.group(0)}' is filled in only in the cover report (cover_report.md); here it "
                             "would print as typed: write the words or the number instead")
        if blocks:
            note_mentions(self, blocks, text, first_line)
        return blocks

    # --- the steps every kind shares ------------------------------------------------------------------

    def _field(self, key: str, kind: Kind | None) -> tuple[Spec, Rule]:
        """The field's schema and its hooks; a field the schema does not declare, or of another kind, raises."""
        found = self._declared.get(key)
        if found is None:
            raise LookupError(f"the build reads '{key}', which schemas/{self.spec.schema}.schema.json does not declare "
                              f"at {'.'.join(self.spec.path) or 'the top'}")
        if kind is not None and found[0].kind is not kind:
            raise TypeError(f"schemas/{found[0].schema}.schema.json declares '{key}' as a {found[0].kind.value}; "
                            f"the build reads it as a {kind.value}")
        return found

    def _present(self, spec: Spec, rule: Rule, node: Any) -> Any:
        """The field's node, or None when it is absent or given empty (then a required field is reported)."""
        if node is None:
            if spec.required:
                # A file's field at the file's top; one of named fields (a rating of plan.md) at their line.
                self.problem(1 if len(spec.path) == 1 else self.meta.line, self._missing(spec, rule))
            return None
        if isinstance(node, Value) and node.data is None:
            if spec.required and not rule.empty_allowed:
                self.problem(node.line, self._missing(spec, rule))
            return None
        return node

    def _missing_line_number(self) -> int:
        """Where a field left out is reported: the file's first line, or the first line of the entry of a list
        (or the named fields) that lacks it."""
        return self.meta.line if self.spec.path else 1

    def _typed_entries(self, spec: Spec, node: Any) -> list[tuple[str, int]]:
        """Each text of a texts field, as typed (stripped), with its line."""
        if isinstance(node, Value):
            joined = split_joined_list(node.data) if isinstance(node.data, str) else None
            return [(part, node.line) for part in joined] if joined is not None else [(node.text().strip(), node.line)]
        if not isinstance(node, YamlSequence):
            self.problem(node.line, f"'{spec.key}' must be a text or a list such as [A, B]")
            return []
        typed = []
        for item in node.items:
            if isinstance(item, Value) and item.data is not None:
                typed.append((item.text().strip(), item.line))
            else:
                self.problem(item.line, f"each entry of '{spec.key}' must be a single piece of text")
        return typed

    def _sequence(self, spec: Spec, rule: Rule, node: Any) -> YamlSequence | None:
        """The list a list field holds; None when it is absent, empty or not a list, or holds more entries
        than the schema allows (each reported; an empty one only when the rule does not allow it)."""
        if node is None:
            if spec.required:
                self.problem(self._missing_line_number(), self._missing(spec, rule))
            return None
        if isinstance(node, Value) and node.data is None and rule.empty_allowed:
            return None
        if not isinstance(node, YamlSequence):
            message = rule.not_a_list if rule.not_a_list is not None else f"'{spec.key}' must be a list, each entry starting with '- '"
            self.problem(node.line, message)
            return None
        if spec.max_items is not None and len(node.items) > spec.max_items:
            template = rule.too_many or "'{key}' lists {count} entries; at most {most} are allowed"
            self.problem(node.line, template.format(key=spec.key, count=len(node.items), most=spec.max_items))
            return None
        return node

    def _missing(self, spec: Spec, rule: Rule) -> str:
        return rule.missing(spec, self.file.path) if rule.missing is not None else _missing_line(spec.key)

    def _typed_text(self, spec: Spec, rule: Rule, node: Any) -> str:
        """A text field's value as typed, stripped; '' (reported) when it is not a single piece of text, or
        required and empty."""
        node = self._present(spec, rule, node)
        if node is None:
            return ""
        if not isinstance(node, Value):
            self.problem(node.line, self.file_rule.not_text.format(key=spec.key))
            return ""
        value = node.text().strip()
        if not value and spec.required and not rule.empty_allowed:
            self.problem(node.line, f"'{spec.key}' is empty; write the {spec.key.replace('_', ' ')}")
        return value

    def _refused(self, spec: Spec, rule: Rule, typed: str) -> str:
        """What to say of a value outside the schema's words or pattern: the field's hint, else the schema's words."""
        hinted = rule.hint(spec, typed) if rule.hint is not None else None
        if hinted:
            return hinted
        if spec.choices and spec.pattern is None:
            return f"'{spec.key}' is '{typed}'; it must be one of: {', '.join(spec.choices)}"
        return f"'{spec.key}' is '{typed}', which is not written as schemas/{spec.schema}.schema.json describes"



# The fields of each mapping's spec with their hooks, found once per spec (hints.RULES is keyed by path).
_DECLARED: dict[Spec, dict[str, tuple[Spec, Rule]]] = {}


def _declared(spec: Spec) -> dict[str, tuple[Spec, Rule]]:
    found = _DECLARED.get(spec)
    if found is None:
        found = _DECLARED[spec] = {
            key: (field, RULES.get((field.schema, *field.path), NO_RULE)) for key, field in spec.fields.items()
        }
    return found


def _missing_line(key: str) -> str:
    return f"'{key}' is missing; add a line '{key}: ...'"


def _matches(spec: Spec, value: str) -> bool:
    """True when a text is one of the schema's words (in any case) or matches its pattern, or it has neither."""
    if spec.pattern is None and not spec.choices:
        return True
    if spec.regex is not None and spec.regex.fullmatch(value):
        return True
    return value.lower() in (word.lower() for word in spec.choices)


def _is_number(node: Any) -> bool:
    return (isinstance(node, Value) and isinstance(node.data, (int, float)) and not isinstance(node.data, bool)
            and math.isfinite(node.data) and abs(node.data) < MAX_NUMBER)


def _is_integer(node: Any) -> bool:
    return (isinstance(node, Value) and isinstance(node.data, int) and not isinstance(node.data, bool)
            and abs(node.data) < MAX_NUMBER)


def _number_name(spec: Spec) -> str:
    """How a number field is named in messages: 'target', 'current' value, each 'values' value."""
    if len(spec.path) == 1:
        return f"'{spec.key}'"
    owner = spec.path[-2]
    return f"each '{owner}' {spec.key}" if spec.in_entries else f"'{owner}' {spec.key}"


# --- placeholders and mentions ------------------------------------------------------------------------

# The cover report's placeholders, as typed anywhere else (where they would print literally).
_KNOWN_PLACEHOLDER = re.compile(r"\{(?:" + "|".join((*INLINE_PLACEHOLDERS, *BLOCK_PLACEHOLDERS)) + r")\}")
_PLACEHOLDER_LIKE = re.compile(r"\{([A-Za-z_ ]+)\}")


def check_placeholders(f: Fields, text: str, first_line: int) -> None:
    """In a cover-report text: report a {placeholder} the build does not know, or a block one inside a line."""
    known = (*INLINE_PLACEHOLDERS, *BLOCK_PLACEHOLDERS)
    for offset, line in enumerate(text.split("\n")):
        for match in _PLACEHOLDER_LIKE.finditer(line):
            name = match.group(1)
            if name not in known:
                f.problem(first_line + offset, f"'{{{name}}}' is not a placeholder the build knows; use one of: {', '.join('{' + k + '}' for k in known)}")
            elif name in BLOCK_PLACEHOLDERS and line.strip() != match.group(0):
                f.problem(first_line + offset, f"'{{{name}}}' must stand on a line of its own, with a blank line before and after")


def note_mentions(f: Fields, blocks: RichText, text: str, first_line: int) -> None:
    """Note every action the text names (richtext.action_mentions), for assemble._check_mentions once all is read."""
    findings = f.issues
    if not isinstance(findings, Diagnostics):
        return
    if has_restricted_block(blocks):
        findings.fenced = True
    mentions = richtext.action_mentions(text)
    if not mentions:
        return
    restricted_field = f.meta.get("restricted")
    file_restricted = isinstance(restricted_field, Value) and restricted_field.data is True
    for mention in mentions:
        findings.mentions.append((mention.ref, f.file.path, first_line + mention.line,
                                  file_restricted or mention.restricted, mention.linked))


def has_restricted_block(blocks: Any) -> bool:
    """True when the blocks hold a '::: restricted' block, at any depth."""
    for block in blocks:
        if isinstance(block, RestrictedBlock):
            return True
        if hasattr(block, "items") and any(has_restricted_block(item.blocks) for item in block.items):
            return True
    return False
