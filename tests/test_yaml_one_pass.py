"""The loader's one pass over an ordinary front matter finds exactly what the careful two passes find.

load.parse_yaml composes a front matter that cannot hold an anchor or alias (no '&' or '*') nor nest
deeply enough to crash libyaml (few '[', '{', '-', ':' and '?') in one pass, then measures its depth;
every other text, and every text that fails, goes the careful way: the parser's events first (anchors,
aliases, depth), then the composer. These tests run both ways on generated YAML and compare the values,
lines and messages.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
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
    at_once = load._composed_at_once
    load._composed_at_once = lambda _: (False, None)  # type: ignore[assignment]
    try:
        return load.parse_yaml(text, "f.md", 1, issues), issues
    finally:
        load._composed_at_once = at_once


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
