"""The reader's short cut for a line of plain words gives exactly what markdown-it's tokens give.

richtext draws a one-line text that starts with a letter, a quote or a bracket and holds no character
that starts Markdown syntax without running markdown-it (most action titles are such lines). These
tests run both ways on generated lines, and check that a line the short cut must not take (a list, a
heading, emphasis, a link, an entity, raw HTML, a second line) is not taken.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from delivery_report import richtext
from delivery_report.model import Paragraph, Span

# Letters, digits, punctuation Markdown gives a meaning to only at the start of a line or in pairs, the
# words the reader itself looks for (Action refs, ++underline++, ^sup^, restricted), and spaces and
# characters of other scripts (a no-break space, dashes, curly quotes, the minus sign).
PIECES = st.sampled_from((
    "a", "Z", "7", " ", ".", ",", ";", ":", "'", '"', "(", ")", "/", "%", "$", "#", "@", "^", "+", "=", "{", "}",
    "~", "|", "-", "?", "\u00a0", "\u2013", "\u2019", "\u201c", "\u2212", "é", "\u2022 ", "\u00b7 ", " o ", "Action 3.1", "actions 6.1 and 6.2",
    "Action 1.2, 2018/19", "++u++", "x^2^", "restricted", ":::", "::: restricted", "{braces}", " 1. ", " # ",
))
FIRST = st.sampled_from(("A", "d", "(", "'", '"', "\u2018", "\u201c", "Action 2.1 "))


_NEVER = re.compile(r"(?!)")


def _parsed_without_short_cut(text: str) -> tuple[object, ...]:
    """What the reader makes of the text with the short cut switched off: markdown-it's tokens."""
    short_cut = richtext._PLAIN_LINE
    richtext._PARSED.clear()
    richtext._PLAIN_LINE = _NEVER
    try:
        parsed = richtext._parsed(text)
    finally:
        richtext._PLAIN_LINE = short_cut
        richtext._PARSED.clear()
    return parsed.blocks, parsed.problems, parsed.mentions


def _parsed_with_short_cut(text: str) -> tuple[object, ...]:
    richtext._PARSED.clear()
    parsed = richtext._parsed(text)
    richtext._PARSED.clear()
    return parsed.blocks, parsed.problems, parsed.mentions


@given(FIRST, st.lists(PIECES, max_size=30))
@example("Deliver outcome 12 of area 3, with partners.", [])
@example("Action 1.2 and actions 6.1 and 6.2 (see ++this++ x^2^)", [])
@example("A", [" ", "\u00a0"])
def test_a_plain_line_reads_as_markdown_it_reads_it(first: str, pieces: list[str]) -> None:
    text = first + "".join(pieces)
    if richtext._PLAIN_LINE.fullmatch(text) is None:
        # Not a plain line (it ends with a space): the reader must parse it, and so it does.
        assert text != text.rstrip()
        return
    assert _parsed_with_short_cut(text) == _parsed_without_short_cut(text)


def test_the_short_cut_draws_the_line_as_one_paragraph_without_markdown_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> None:
        raise AssertionError(f"markdown-it was run on {text!r}")

    richtext._PARSED.clear()
    monkeypatch.setattr(richtext._MD, "parse", refuse)
    blocks = richtext.parse("Work with Action 4.2 partners")
    assert blocks == (Paragraph((Span("Work with "), Span("Action 4.2", action_ref="4.2"), Span(" partners"))),)
    with pytest.raises(AssertionError, match="markdown-it was run"):
        richtext.parse("Work with *all* partners")


@pytest.mark.parametrize("text", [
    "- a list", "1. numbered", "2) numbered", "# heading", "> quote", "    code", "*emphasis*", "a *b* c", "a _b_ c",
    "a [link](https://x.org)", "a ![image](x.png)", "a <b>tag</b>", "a &amp; b", "a \\* b", "a `code`",
    "two\nlines", "tab\there", "::: restricted", "ends with a space ", " starts with a space", "---", "***",
    "=== a", "[ref]: https://x.org", "a\x00b", "a\rb",
])
def test_markdown_syntax_is_never_taken_for_a_plain_line(text: str) -> None:
    assert richtext._PLAIN_LINE.fullmatch(text) is None
