"""Content files to front matter (YAML nodes that keep their source lines) and Markdown bodies.

Content is treated as hostile: every byte sequence gives a clean file or issues with path:line,
in time linear in the file's size (files over MAX_FILE_BYTES are refused outright).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from .issues import MAX_FILE_BYTES, Issue, file_too_large

# Real front matter nests two or three levels; anything deeper is a mistake or an attack.
MAX_YAML_DEPTH = 20
# Numbers beyond this cannot be a count or a percentage, and could not be printed exactly.
MAX_NUMBER = 10**15

# Characters that cannot appear in a Word document or are invisible: C0 controls except tab, newline and
# carriage return; DEL and the C1 controls; the line and paragraph separators (YAML would count them as
# line breaks, so every later line number would be wrong); U+FFFE/U+FFFF; and lone surrogates (which only
# YAML escapes such as "\ud800" can produce).
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")


def bad_character_message(char: str) -> str:
    """What to tell the author about an invisible or forbidden character."""
    code = f"U+{ord(char):04X}"
    try:
        name = unicodedata.name(char)
        described = f"the invisible character {code} ({name})"
    except ValueError:
        described = f"the invisible control character {code}"
    if 0xD800 <= ord(char) <= 0xDFFF:
        return f"the text holds {code}, half of a character pair, which cannot be printed; remove the '\\u' escape"
    return f"remove {described} (often pasted from Word): retype the text around it"


def find_bad_character(text: str) -> str | None:
    """The first forbidden character in text, or None."""
    match = _BAD_CHARACTER.search(text)
    return match.group(0) if match else None


# What display_name escapes; a name without any is printed as it is.
_ESCAPED_IN_NAME = re.compile(f"{_BAD_CHARACTER.pattern}|[\t\n\r]")


def display_name(name: str) -> str:
    """A file name made safe to print on one line: control characters and undecodable bytes escaped."""
    if _ESCAPED_IN_NAME.search(name) is None:
        return name
    out = []
    for char in name:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif _BAD_CHARACTER.match(char) or char == "\r":
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class Value:
    """A YAML value with the line it starts on (1-based, in the file) and, for scalars, the text as typed."""

    data: Any
    line: int
    raw: str | None = None

    def text(self) -> str:
        """The scalar exactly as typed (so 1.10 stays '1.10'); '' for null."""
        if self.raw is not None and self.data is not None:
            return self.raw
        return "" if self.data is None else str(self.data)


@dataclass
class YamlMapping:
    """A YAML mapping whose values are Value, YamlMapping or YamlSequence; remembers each key's line."""

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
class YamlSequence:
    """A YAML sequence of nodes."""

    line: int
    items: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class ContentFile:
    """One content file: its path for messages, its front matter (or None) and Markdown body."""

    path: str
    meta: YamlMapping | None
    body: str
    body_line: int


# libyaml's parser when PyYAML was built with it: about ten times faster, same nodes and marks.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# ' #' after a plain value starts a YAML comment; two spaces then '# ' is how a comment is meant to look.
_SWALLOWING_COMMENT = re.compile(r"^(?: #|\s*#\S)")


_STR_TAG = "tag:yaml.org,2002:str"


class _Converter:
    """Turns composed YAML nodes into Value/YamlMapping/YamlSequence, reporting what YAML read differently from the page."""

    def __init__(self, path: str, offset: int, lines: list[str], issues: list[Issue]):
        self.path = path
        self.offset = offset
        self.lines = lines
        self.issues = issues
        # The constructor alone, not a whole yaml.SafeLoader: a loader holds its own bound methods (a reference
        # cycle), so one per file was left for the cycle collector (0.4 s of collections at 5,000 files).
        self.constructor = yaml.constructor.SafeConstructor()

    def problem(self, line: int, message: str) -> None:
        self.issues.append(Issue(self.path, line, message))

    def convert(self, node: yaml.Node) -> Any:
        line = node.start_mark.line + 1 + self.offset
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, line)
        if isinstance(node, yaml.SequenceNode):
            return YamlSequence(line, [self.convert(child) for child in node.value])
        if isinstance(node, yaml.MappingNode):
            mapping = YamlMapping(line)
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1 + self.offset
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(key_line, "a field name must be a plain word such as 'status:'; remove the brackets or '?'")
                    continue
                key = str(key_node.value)
                if key in mapping.items:
                    self.problem(key_line, f"'{key}' is given twice; keep one of them")
                mapping.items[key] = self.convert(value_node)
            return mapping
        return Value(None, line)

    def scalar(self, node: yaml.ScalarNode, line: int) -> Value:
        return self.value(node.tag, node.value, node.style, line, node.end_mark.line, node.end_mark.column, node)

    def value(self, tag: str, text: str, style: str | None, line: int, end_line: int, end_column: int,
              node: yaml.ScalarNode | None = None) -> Value:
        """A scalar's value: its `text` as typed, its `tag` (as resolved), `style` (a quote, or '' or None for
        plain), where it ends (0-based, in the text) and, when there is one, its node."""
        try:
            # Most values are text: the constructor would give the text back for them (construct_yaml_str).
            data = text if tag == _STR_TAG else self.constructor.construct_object(
                node or yaml.ScalarNode(tag, text, style=style), deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            # ValueError: e.g. an integer of more digits than Python converts.
            self.problem(line, f"cannot read this value ({_first_line(exc)}); put it in quotes")
            data = text
        except (IndexError, KeyError, AttributeError, TypeError):
            # A value tagged as what it is not ('!!int' on nothing, '!!timestamp x', '!!bool maybe'): PyYAML's
            # constructors assume the text matched the tag's pattern, and fail in their own ways.
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(line, f"cannot read this value (it is not a valid {shown[:40]}); put it in quotes without the tag")
            data = text
        if isinstance(data, (dt.date, dt.datetime)):
            data = text
        if isinstance(data, float) and not math.isfinite(data):
            self.problem(line, f"'{text}' is not a number the report can show; write an ordinary number such as 5009 or 23.5")
            data = text
        elif isinstance(data, int) and not isinstance(data, bool) and abs(data) >= MAX_NUMBER:
            self.problem(line, f"the number {text[:20]}{'...' if len(text) > 20 else ''} is too large; check it")
            data = text
        elif isinstance(data, bytes):
            self.problem(line, "binary data (!!binary) cannot be shown in the report; write text")
            data = text
        raw = text
        if isinstance(data, str):
            bad = find_bad_character(data)
            if bad is not None:
                self.problem(line, bad_character_message(bad))
                # Neither the value nor the text as typed may carry the character on into other messages.
                data = _BAD_CHARACTER.sub("", data)
                raw = _BAD_CHARACTER.sub("", raw)
        if not style and isinstance(data, str):
            self.check_comment(end_line, end_column)
        return Value(data, line, raw)

    def check_comment(self, end_line: int, end_column: int) -> None:
        """A plain value followed on its line by ' #...' lost that text to a YAML comment: say so."""
        if end_line >= len(self.lines):
            return
        rest = self.lines[end_line][end_column:]
        if _SWALLOWING_COMMENT.match(rest):
            shown = rest.strip()[:40]
            self.problem(
                end_line + 1 + self.offset,
                f"YAML reads '{shown}' as a comment and leaves it out; put the whole value in double quotes "
                "(\"...\"), or for a comment leave two spaces before '# '",
            )


def _first_line(exc: Exception) -> str:
    problem = getattr(exc, "problem", None)
    text = str(problem or exc)
    return text.splitlines()[0] if text else type(exc).__name__


def _structure_problem(text: str) -> tuple[int, str] | None:
    """Anchors, aliases or deep nesting, found from the parser's events before anything is built.

    Aliases are refused outright: officers never need them, and they are how a few lines of YAML
    expand into gigabytes (the 'billion laughs').
    """
    depth = 0
    for event in yaml.parse(text, Loader=_COMPOSER):
        line = event.start_mark.line if event.start_mark is not None else 0
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return line, "YAML anchors and aliases ('&name', '*name') are not allowed; write the value out in full"
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return line, f"lists or fields are nested more than {MAX_YAML_DEPTH} deep; simplify them"
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


# Every collection (list or fields) starts at one of these characters: '[' or '{', a list's first '-', the
# first ':' (or '?') of its fields. A text holding few of them cannot nest deeper than that many.
_COLLECTION_MARKS = "[{-:?"
# libyaml's composer recurses in C once per level of nesting, with no limit (a few thousand levels overflow
# the stack of a small thread: a crash, not an error). Up to this many marks it is safe to compose first and
# measure the depth afterwards (400 levels were tested in a 256 KiB thread); real front matter holds 10 to 40.
_COMPOSE_FIRST_MARKS = 200


# A front matter as most are written: one 'name: value' line per field, each value a plain word or sentence,
# a double-quoted text without escapes, or a flow list of such (e.g. `priorities: [1, 2]`,
# `superseded_by: ["1.12"]`). No character these allow can start a comment, an anchor, a tag or a block, end
# a value early or be read as a line break. Such a text is read here as the converter reads the composer's
# nodes (tags by PyYAML's own resolver, values by its constructor), without running the parser or making
# nodes; every other text is composed by libyaml. tests/test_yaml_one_pass.py checks the two agree on
# generated front matter. The characters libyaml does not take as printable (and the line separators) are
# written as a negated class: a class of the printable ranges made this module's import 25 ms slower (the
# regex compiler expands them).
_NOT_PRINTABLE = "\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufeff\\ufffe\\uffff"
_PLAIN_VALUE = f"[A-Za-z0-9(][^{_NOT_PRINTABLE}#&*:@\\\\]*(?<! )"
_QUOTED_VALUE = f'"[^{_NOT_PRINTABLE}"\\\\]*"'
_FLOW_ITEM = f"(?:[A-Za-z0-9][A-Za-z0-9. ]*(?<! )|{_QUOTED_VALUE})"
_FIELD = re.compile(
    f"(?P<key>[A-Za-z_][A-Za-z0-9_]*): (?:(?P<plain>{_PLAIN_VALUE})|(?P<quoted>{_QUOTED_VALUE})"
    f"|(?P<flow>\\[(?:{_FLOW_ITEM}(?:, {_FLOW_ITEM})*)?\\]))"
)
_FLOW_ITEMS = re.compile(_FLOW_ITEM)
# PyYAML's own resolver (untyped in its stubs): a plain scalar's tag, as the composer asks it.
_resolve: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = yaml.resolver.Resolver().resolve


@lru_cache(maxsize=4096)  # the same words come back in every file ('green', 'SM', '2018-03')
def _plain_tag(text: str) -> str:
    """The tag the composer gives a plain scalar of this text (int, float, bool, null, timestamp or str)."""
    return _resolve(yaml.ScalarNode, text, (True, False))


def _simple_fields(converter: _Converter) -> YamlMapping | None:
    """The converter's text, when it is written as _FIELD lines only, read as the composer's nodes would be; None
    for any other text, and then nothing is reported."""
    fields = [_FIELD.fullmatch(line) for line in converter.lines]
    if not all(fields):
        return None
    offset = converter.offset
    mapping = YamlMapping(1 + offset)
    for number, field_line in enumerate(fields):
        assert field_line is not None
        at = number + 1 + offset
        key = field_line.group("key")
        if key in mapping.items:
            converter.problem(at, f"'{key}' is given twice; keep one of them")
        plain, quoted, flow = field_line.group("plain", "quoted", "flow")
        if plain is not None:
            mapping.items[key] = converter.value(_plain_tag(plain), plain, "", at, number, field_line.end())
        elif quoted is not None:
            mapping.items[key] = converter.value(_STR_TAG, quoted[1:-1], '"', at, number, field_line.end())
        else:
            items = []
            for item in _FLOW_ITEMS.finditer(flow):
                typed, end = item.group(0), field_line.start("flow") + item.end()
                if typed.startswith('"'):
                    items.append(converter.value(_STR_TAG, typed[1:-1], '"', at, number, end))
                else:
                    items.append(converter.value(_plain_tag(typed), typed, "", at, number, end))
            mapping.items[key] = YamlSequence(at, items)
    return mapping


def _composed_at_once(text: str) -> tuple[bool, yaml.Node | None]:
    """(True, the composed node) for a text that cannot hold an anchor or alias nor nest deeply enough to crash
    libyaml, composed in one pass and found no deeper than MAX_YAML_DEPTH; (False, None) when the text needs
    the careful path (parse_yaml's events first), whose findings and messages are then the same as ever.
    (Checking every text's events first parsed each front matter twice: a third of the loader's time.)"""
    if _COMPOSER is yaml.SafeLoader or "&" in text or "*" in text:
        return False, None  # no libyaml; or perhaps an anchor or alias, which the events pass finds and places
    marks = sum(map(text.count, _COLLECTION_MARKS))
    if marks > _COMPOSE_FIRST_MARKS:
        return False, None
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.YAMLError:
        return False, None  # the careful path reports it (or a structure problem it meets first)
    # A text of few marks cannot nest deeper than that: its depth need not be measured.
    if node is not None and marks > MAX_YAML_DEPTH and _depth(node) > MAX_YAML_DEPTH:
        return False, None
    return True, node


def _depth(node: yaml.Node) -> int:
    """How many collections deep the node's tree goes, as the events pass counts them (a scalar alone: 0)."""
    deepest = 0
    pending: list[tuple[yaml.Node, int]] = [(node, 0)]
    while pending:
        current, depth = pending.pop()
        if isinstance(current, yaml.SequenceNode):
            pending.extend((child, depth + 1) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            pending.extend((child, depth + 1) for pair in current.value for child in pair)
        else:
            continue
        deepest = max(deepest, depth + 1)
    return deepest


def parse_yaml(text: str, path: str, line_offset: int, issues: list[Issue]) -> Any:
    """Parse YAML text into Value/YamlMapping/YamlSequence nodes, reporting syntax errors as issues."""
    lines = text.split("\n")
    simple = _simple_fields(_Converter(path, line_offset, lines, issues))
    if simple is not None:
        return simple
    try:
        try:
            # One pass for an ordinary front matter; the parser's events first for anything else.
            composed, node = _composed_at_once(text)
            if not composed:
                found = _structure_problem(text)
                if found is not None:
                    issues.append(Issue(path, found[0] + 1 + line_offset, found[1]))
                    return None
                node = yaml.compose(text, Loader=_COMPOSER)
        except yaml.YAMLError:
            # Parse again with the pure-Python parser, whose messages are the ones the hints know.
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        found = _mistake(exc, text, line_offset)
        if found is not None:
            issues.append(Issue(path, found[0] + 1 + line_offset, f"the YAML cannot be read: {found[1]}"))
            return None
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        problem_line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        issues.append(Issue(path, line, f"the YAML cannot be read: {exc.problem or exc.context}; {_yaml_hint(exc, problem_line)}"))
        return None
    except yaml.YAMLError as exc:
        issues.append(Issue(path, line_offset + 1, f"the YAML cannot be read: {_first_line(exc)}"))
        return None
    except RecursionError:
        issues.append(Issue(path, line_offset + 1, f"lists or fields are nested more than {MAX_YAML_DEPTH} deep; simplify them"))
        return None
    if node is None:
        return None
    return _Converter(path, line_offset, lines, issues).convert(node)


# A line that should have been 'name: value': its first word and the rest ('status active', '- date 2018').
_WORDS_WITHOUT_COLON = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\s+(?P<rest>\S.*))?$")
# 'rag:green': YAML reads a ':' as the end of a field name only when a space follows it.
_NO_SPACE_AFTER_COLON = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<name>[A-Za-z_][A-Za-z0-9_]*):(?P<rest>\S.*)$")
_CLOSING = {"[": "]", "{": "}"}


def _mistake(exc: yaml.MarkedYAMLError, text: str, line_offset: int) -> tuple[int, str] | None:
    """Where the author's mistake is (0-based line of `text`) and what it is, for the mistakes PyYAML finds
    only on a later line: a missing ':' (found at the next field), a quote or bracket never closed (found at
    the end of the fields, or wherever the next quote happens to close it); None for any other error,
    which PyYAML reports on its own line. `line_offset`: the file's line number of the line before `text`."""
    lines = text.split("\n")
    context, problem = exc.context or "", exc.problem or ""
    opened = exc.context_mark
    if opened is not None and context == "while scanning a quoted scalar":
        quote = text[opened.index] if opened.index < len(text) else '"'
        return opened.line, f"the value's opening {quote} is never closed; end the value with {quote} on this line"
    if opened is not None and context == "while scanning a simple key" and "could not find expected ':'" in problem:
        return opened.line, _no_colon(lines[opened.line])
    if opened is not None and context.startswith("while parsing a flow "):
        bracket = text[opened.index] if opened.index < len(text) else "["
        what = "the list" if bracket == "[" else "it"
        return opened.line, f"the '{bracket}' on this line is never closed; end {what} with '{_CLOSING.get(bracket, ']')}' on this line"
    found = exc.problem_mark
    if found is None:
        return None
    previous = _scalar_before(text, found.index)
    if previous is None or previous.start_mark.line >= found.line:
        return None
    start = previous.start_mark
    if "mapping values are not allowed" in problem and previous.style is None:
        # A plain value that began at the start of an earlier line and ran on to a 'name:' in the same
        # column: that earlier line is a field whose ':' is missing ('ref "1.3"' then 'action: ...').
        begins_line = lines[start.line][: start.column].strip(" -") == ""
        field_column = len(lines[found.line]) - len(lines[found.line].lstrip(" "))
        if begins_line and start.column == field_column:
            return start.line, _no_colon(lines[start.line])
    if "expected <block end>" in problem and previous.style in ('"', "'") and previous.end_mark.line > start.line:
        # A quoted value that ran on over the next lines until another quote happened to close it.
        quote = previous.style
        return start.line, (f"the value's opening {quote} is not closed on this line, so the value runs on to line "
                            f"{previous.end_mark.line + 1 + line_offset}; end the value with {quote} on this line")
    return None


def _scalar_before(text: str, index: int) -> yaml.ScalarToken | None:
    """The last value (scalar token) PyYAML's scanner read before position `index` of `text`."""
    last: yaml.ScalarToken | None = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index:
                break
            if isinstance(token, yaml.ScalarToken):
                last = token
    except yaml.YAMLError:
        pass  # the error being explained: every token before it has been seen
    return last


def _no_colon(line: str) -> str:
    """What to say about a line that should be 'name: value' but has no ':'."""
    shown = line.strip()
    glued = _NO_SPACE_AFTER_COLON.match(line)
    if glued is not None:
        typed = f"{glued.group('lead').lstrip()}{glued.group('name')}: {glued.group('rest')}"
        return f"'{shown[:40]}' needs a space after the ':'; write '{typed[:60]}'"
    words = _WORDS_WITHOUT_COLON.match(line)
    if words is None:
        return f"'{shown[:40]}' has no ':' after a field name; write the line as 'name: value'"
    lead, name, rest = words.group("lead").lstrip(), words.group("name"), words.group("rest")
    typed = f"{lead}{name}: {rest}" if rest else f"{lead}{name}: ..."
    return (f"'{shown[:40]}' has no ':' after the field name; write '{typed[:60]}', or, if the line continues "
            "the value above it, indent it by two spaces")


_INDENTED_FIELD = re.compile(r"^\s+([A-Za-z_][A-Za-z0-9_]*):(\s|$)")


def _yaml_hint(exc: yaml.MarkedYAMLError, problem_line: str) -> str:
    problem = str(exc.problem or "")
    indented = _INDENTED_FIELD.match(problem_line)
    if indented and ("mapping values are not allowed" in problem or "expected <block end>" in problem):
        return f"'{indented.group(1)}:' is indented; start each field at the beginning of its line (remove the spaces before it)"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be put in quotes, or written as a block with '|' on the line before"
    if "found character '\\t'" in problem or "tab" in problem:
        return "use spaces, not tabs, to indent"
    if "expected <block end>" in problem or "indentation" in problem:
        return "check the indentation lines up with the lines above"
    return "check the quotes and indentation on that line"


def _refusal(raw: bytes) -> str | None:
    """Why a source refused to read this file (a symlink, a special file...), or None for ordinary bytes."""
    reason = getattr(raw, "refusal", None)
    return reason if isinstance(reason, str) else None


def _check_characters(text: str, path: str, issues: list[Issue]) -> str:
    """Report every line holding a forbidden character (at most a few per file) and return the text without them."""
    if _BAD_CHARACTER.search(text) is None:
        return text
    reported = 0
    line_number = 1
    for line in text.split("\n"):
        bad = find_bad_character(line)
        if bad is not None:
            if reported < 10:
                issues.append(Issue(path, line_number, bad_character_message(bad)))
            reported += 1
        line_number += 1
    return _BAD_CHARACTER.sub("", text)


_FIELD_LINE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\s*:")


def _fields_end(lines: list[str]) -> int:
    """Where an unclosed front matter most likely ends: the line after the last field (and its indented lines)."""
    last = 1
    for index in range(1, len(lines)):
        line = lines[index]
        if _FIELD_LINE.match(line) or (line.startswith((" ", "\t")) and line.strip() and last == index):
            last = index + 1
        elif line.strip():
            break
    return last + 1 if last + 1 <= len(lines) else last


def load_file(path: str, raw: bytes, issues: list[Issue], front_matter: bool = True) -> ContentFile | None:
    """Decode and split one file; problems go to `issues` and the file is returned as far as it can be read."""
    refusal = _refusal(raw)
    if refusal is not None:
        issues.append(Issue(path, 1, refusal))
        return None
    if len(raw) > MAX_FILE_BYTES:
        issues.append(Issue(path, 1, file_too_large(len(raw))))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        issues.append(Issue(path, line, "the file is not UTF-8 text; save it as UTF-8"))
        return None
    # Old Mac line ends (a lone CR) count as line ends, as every editor shows them.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _check_characters(text, path, issues)
    if not front_matter:
        meta = parse_yaml(text, path, 0, issues)
        if meta is not None and not isinstance(meta, YamlMapping):
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
                meta = YamlMapping(2) if not yaml_text.strip() else None
            elif not isinstance(meta, YamlMapping):
                issues.append(Issue(path, 2, "the fields between the '---' lines must be 'name: value' lines"))
                meta = None
            return ContentFile(path, meta, body, index + 2)
    issues.append(Issue(path, _fields_end(lines), "the fields are not closed: add a line '---' here, after the last field"))
    return ContentFile(path, None, "", len(lines))
