"""The loader's short cuts over an ordinary front matter find exactly what the careful two passes find.

load.parse_yaml reads a front matter of 'name: value' lines only (load._FIELD) without the parser, and
composes one that cannot hold an anchor or alias (no '&' or '*') nor nest deeply enough to crash libyaml
(few '[', '{', '-', ':' and '?') in one pass, then measures its depth; every other text, and every text that
fails, goes the careful way: the parser's events first (anchors, aliases, depth), then the composer. These
tests run both ways on generated YAML and compare the values, lines and messages.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from delivery_report import load
from delivery_report.issues import Issue

# Pieces of YAML: fields, lists and flow collections at several indents, quotes, comments, values of every
# type YAML resolves (dates, numbers, booleans, null, binary), tags, and the characters that end or break them.
PIECES = st.sampled_from((
    "ref", "action", "rag", "priorities", "due", ": ", ":", "\n", "\n  ", "\n    ", "\n- ", "\n  - ", "- ", "- - ",
    "[", "]", "{", "}", ", ", "'", '"', "#", " # note", "|", ">", "?", "? ", "!", "!!str ", "!!int ", "!!binary ",
    "!!timestamp ", "!!bool ", "!!float ", "!!null ", "!!seq ", "!!map ", "aGk=", "1", "1.10", "0x1F", "1e400", "9" * 20, ".nan", ".inf", "true", "no", "null", "~", "2018-03",
    "2018-03-01", "2018-03-01 10:00:00", "green", "Deliver the outcome", "\t", " ", "---", "...", "%", "@", "`",
    "\\", "\\u00e9", "é", "x", "key: value", "[1, 2]", "{label: x, value: 1}", "-", "\u00a0",
))


def _careful(text: str) -> tuple[Any, list[Issue]]:
    issues: list[Issue] = []
    at_once, simple = load._composed_at_once, load._simple_fields
    load._composed_at_once = lambda _: (False, None)  # type: ignore[assignment]
    load._simple_fields = lambda *_: None  # type: ignore[assignment]
    try:
        return load.parse_yaml(text, "f.md", 1, issues), issues
    finally:
        load._composed_at_once, load._simple_fields = at_once, simple


def _usual(text: str) -> tuple[Any, list[Issue]]:
    issues: list[Issue] = []
    return load.parse_yaml(text, "f.md", 1, issues), issues


@given(st.lists(PIECES, max_size=40))
@example(["ref", ": ", '"1.3"', "\n", "action", ": ", "Deliver the outcome", "\n", "priorities", ": ", "[1, 2]"])
@example(["due", ": ", "2018-03-01", " # note", "\n", "rag", ":", "green"])
@example(["priorities", ":", "\n- ", "1", "\n- ", "- ", "x"])
@example(["!!int "])
@example(["rag", ": ", "!!float ", "\n"])
@example(["due", ": ", "!!timestamp ", "x"])
@example(["due", ": ", "!!bool ", "maybe"])
def test_one_pass_reads_as_the_careful_path_reads(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _usual(text) == _careful(text)


# Front matter mostly of the shape load._simple_fields reads without the parser ('name: value' lines), with
# values of every type the resolver knows and characters that would end, quote or comment a value.
KEYS = st.sampled_from(("ref", "action", "rag", "priorities", "due", "x_1", "true", "null", "Ref", "_a"))
SAFE_PIECES = (
    "Deliver", " ", " the outcome", ",", ".", "(", ")", "'", '"', "-", "/", "%", "!", "?", "<", ">", "=", "+", "|",
    "^", "~", "`", "$", "[", "]", "{", "}", "_", ";", "1", "1.10", "2018", "-03", "-01", "0x1F", "1e3", "1_000",
    "yes", "no", "on", "Off", "true", "NULL", "~", ".inf", ".nan", "é", "\u00a0", "\u2013", "\U0001f600", "\ufeff",
)
# (No control characters, U+0085 or line separators: load_file has removed them before parse_yaml reads a text.)
TRICKY_PIECES = (":", ": ", " #", "#", "&", "*", "\\", "\t", "@", "`", "-", "?", "|", ">", "!")
VALUE_PIECES = st.sampled_from(SAFE_PIECES * 4 + TRICKY_PIECES)
FLOW_ITEMS = st.sampled_from(("1", "2", "1.12", '"1.12"', '"a b"', "a b", "x", "", " 1", "1 ", '"', "[1]", "a,b"))


@st.composite
def values(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(("sentence",) * 6 + ("plain", "plain", "quoted", "quoted", "flow", "flow", "empty")))
    if shape == "sentence":  # the most common value: words (of any type), starting with a letter or a digit
        return draw(st.sampled_from(("D", "a", "7", "2018-03", "yes", "x"))) + "".join(draw(st.lists(VALUE_PIECES, max_size=6)))
    if shape == "flow":
        return "[" + ", ".join(draw(st.lists(FLOW_ITEMS, max_size=4))) + "]"
    if shape == "empty":
        return draw(st.sampled_from(("", " ", "''", '""', "[]", "[ ]")))
    text = "".join(draw(st.lists(VALUE_PIECES, min_size=1, max_size=8)))
    return f'"{text}"' if shape == "quoted" else text


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    colons = st.sampled_from((": ",) * 8 + (":", ":  ", " : "))
    fields = draw(st.lists(st.tuples(KEYS, colons, values()), min_size=1, max_size=6))
    return "\n".join(key + colon + value for key, colon, value in fields) + draw(st.sampled_from(("", "", "\n", "\n\n")))


@given(front_matter())
@example('ref: "1.3"\naction: Deliver the outcome, with partners.\npriorities: [1, 2]\ndue: 2018-03\nrag: green')
@example("due: 2018-03-01\nrag: yes\nsuperseded_by: [\"1.12\", 1.12]\nx_1: 0x1F")
@example('action: a "quoted" word (and [brackets])')
def test_simple_fields_read_as_the_composer_reads_them(text: str) -> None:
    event(f"read without the parser: {all(load._FIELD.fullmatch(line) for line in text.split(chr(10)))}")
    assert _usual(text) == _careful(text)


def _nested(depth: int) -> str:
    return "key: " + "[" * (depth - 1) + "1" + "]" * (depth - 1)


@pytest.mark.parametrize("depth", [20, 21])
def test_nesting_just_past_the_limit_is_found_after_the_one_pass(depth: int) -> None:
    # Few enough marks to take the one pass; one level too deep must still be refused, on the same line.
    text = f"ref: x\n{_nested(depth)}\n"
    assert load._composed_at_once(text)[0] is (depth <= load.MAX_YAML_DEPTH)
    value, issues = _usual(text)
    assert (value, issues) == _careful(text)
    if depth > load.MAX_YAML_DEPTH:
        assert value is None
        assert [str(i) for i in issues] == ["f.md:3: lists or fields are nested more than 20 deep; simplify them"]
    else:
        assert issues == [] and value.get("ref").data == "x"


def test_texts_that_could_hold_anchors_or_nest_deeply_take_the_careful_path() -> None:
    assert load._composed_at_once("a: &x 1\nb: *x\n") == (False, None)
    assert load._composed_at_once("a: '*'\n") == (False, None)
    # Deeper than libyaml's composer can go in a small thread's stack: never composed before the events pass.
    assert load._composed_at_once("a: " + "[" * 300 + "]" * 300) == (False, None)
    assert load._composed_at_once("a: [1, 2]\nb: 2018-03\n")[0] is True


@pytest.mark.parametrize("value", ["!!int", "!!float", "!!timestamp x", "!!bool maybe", "!!int ''"])
def test_a_value_tagged_as_what_it_is_not_is_a_content_error(value: str) -> None:
    # PyYAML's constructors fail on these with IndexError, AttributeError or KeyError: never a traceback.
    value_read, issues = _usual(f"ref: x\ndue: {value}\n")
    assert value_read.get("ref").data == "x"
    assert [i.line for i in issues] == [3] and "cannot read this value" in issues[0].message
