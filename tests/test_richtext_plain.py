"""The reader's short cuts give exactly what markdown-it's tokens give.

richtext draws a one-line text that starts with a letter, a quote or a bracket and holds no character
that starts Markdown syntax without running markdown-it (most action titles are such lines), and so too a
list of such lines, one level of them under another, with perhaps **bold words** (most statuses). These
tests run both ways on generated texts, and check that a text the short cuts must not take (a list of
another shape, a heading, emphasis they are not sure of, a link, an entity, raw HTML) is not taken.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import event, example, given
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
    """What the reader makes of the text with the short cuts switched off: markdown-it's tokens."""
    short_cut, simple_list = richtext._PLAIN_LINE, richtext._simple_list
    richtext._PARSED.clear()
    richtext._PLAIN_LINE = _NEVER
    richtext._simple_list = lambda reading: None  # type: ignore[assignment]
    try:
        parsed = richtext._parsed(text)
    finally:
        richtext._PLAIN_LINE, richtext._simple_list = short_cut, simple_list
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


# Lines of a status: list markers of every kind and indent (most of them the short cut's own), and texts made
# of plain words, stars in every place (bold or not, closed or not, next to punctuation, a space or a word),
# underscores, the words the reader looks for, and characters Markdown gives a meaning to.
MARKERS = st.sampled_from(("- ", "- ", "- ", "  - ", "  - ", "    - ", "   - ", " - ", "* ", "+ ", "1. ", "2) ", "-", "-  ",
                           "", "> - ", "\t- ", "- - ", "  "))
WORDS = st.sampled_from((
    "Update", "on", "track", "a", "Z", "7", "2018", " ", " ", ".", ",", ";", ":", ")", "(", "'", '"', "\u2018", "\u201c",
    "**", "**", "*", "***", "**on track**", " **on track** ", "**Done**", "**x**", "** x**", "**x **", "**a.b**",
    "_", "__", "~", "^", "x^2^", "++u++", "&", "& ", "&amp;", "<b>", "#", "# ", "{rag_key}", "{", "}", "\u00a0",
    "\u2013", "\u2022 ", "Action 1.2", "actions 6.1 and 6.2", "Action 1.2, 2018/19", "restricted", ":::",
    "::: restricted", "---", "===", "1.", "1)", "\\", "`", "[", "]", "!", "|", "é", "\U0001f600",
))
ENDS = st.sampled_from(("", "\n", "\n", "\n\n", " \n", "\n  "))


# Mostly the short cut's own shape, so that many generated statuses are ones it takes and is checked on.
LIKELY_MARKERS = st.sampled_from(("- ",) * 12 + ("  - ",) * 10 + ("    - ", "* ", "1. ", "", " - "))
SAFE_WORDS = (
    "Update", "on", "track", "Z", " ", " and ", ".", ",", ";", ":", "(", ")", "'", "\u2019", "/", "%", "-", "2018",
    " **on track** ", " **Done**. ", " **a** ", " **7 b**; ", " **x**) ", " **x**: ", " **x**, ", "Action 1.2",
    "actions 6.1 and 6.2", "x^2^", "++u++", "{", "restricted", "\u00a0", "\u2013", "\U0001f600", "é",
)
TRICKY_WORDS = ("**", "*", "_", "&", "&amp;", " **x ** ", " ** x** ", "**y**", "#", "<i>", "`", "\\", "[", "!",
                " **x**!", "\t", " **a**b")
LIKELY_WORDS = st.sampled_from(SAFE_WORDS * 16 + TRICKY_WORDS)
LIKELY_FIRST = st.sampled_from(("A", "d", "(", "'", '"', "\u201c", "**Done** ", "**b**", "Action 2.1 ") * 3
                               + ("7", "*", " ", "**b**x"))


@st.composite
def statuses(draw: st.DrawFn) -> str:
    """A status of any shape: most are not the short cut's."""
    lines = draw(st.lists(st.tuples(MARKERS, st.lists(WORDS, min_size=1, max_size=12)), min_size=1, max_size=6))
    return "\n".join(marker + "".join(words) for marker, words in lines) + draw(ENDS)


@st.composite
def likely_statuses(draw: st.DrawFn) -> str:
    """A status mostly of the short cut's shape, often with one thing that is not."""
    first = draw(st.tuples(st.sampled_from(("- ",) * 20 + ("  - ", "* ", "")), LIKELY_FIRST,
                           st.lists(LIKELY_WORDS, max_size=8)))
    more = draw(st.lists(st.tuples(LIKELY_MARKERS, LIKELY_FIRST, st.lists(LIKELY_WORDS, max_size=8)), max_size=4))
    lines = [first, *more]
    return "\n".join(marker + start + "".join(words).rstrip() for marker, start, words in lines) + draw(ENDS)


def _taken(text: str) -> bool:
    return richtext._PLAIN_LINE.fullmatch(text) is None and richtext._simple_list(richtext._Reading(text.split("\n"))) is not None


@given(st.one_of(statuses(), likely_statuses(), likely_statuses(), likely_statuses()))
@example("- Update 5 on 1.1: progress is **on track** (links to Action 1.1)\n  - detail for round 5 of action 1.1\n"
         "- Second point about 1.1\n")
@example("- **Done**: all signed off\n- (see **Action 2.1**)\n  - a\n  - b\n- c")
@example("- **a**.\n- \u201cquoted **b**\u201d")
@example("- a **b**\n- c\n\n")
def test_a_simple_list_reads_as_markdown_it_reads_it(text: str) -> None:
    taken = _taken(text)
    event(f"short cut taken: {taken}")
    if taken:
        assert _parsed_with_short_cut(text) == _parsed_without_short_cut(text)


def test_the_short_cut_draws_a_simple_list_without_markdown_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> None:
        raise AssertionError(f"markdown-it was run on {text!r}")

    richtext._PARSED.clear()
    monkeypatch.setattr(richtext._MD, "parse", refuse)
    blocks = richtext.parse("- First **done** point\n  - under it, Action 4.2\n- Second")
    first, second = blocks[0].items  # type: ignore[union-attr]
    assert first.blocks[0] == Paragraph((Span("First "), Span("done", bold=True), Span(" point")))
    assert second.blocks == (Paragraph((Span("Second"),)),)
    richtext._PARSED.clear()


@pytest.mark.parametrize("text", [
    "- a\n\n- b", "- a\n    - b", "  - a", "* a", "- a\n* b", "1. a", "- a*b*", "- a **b**c", "- a**b** c", "- **b**x",
    "- a **b.**", "- ** b**", "- a\n  b", "- # h", "- > q", "- a  ", "- a\t", "- [x](y)", "- a & b", "- a_b", "-a",
    "- a\n- b\n\n", "- 1. a", "- 2018 was", "- a\n   - b", "- a **b** **c**d",
])
def test_other_shapes_are_never_taken_for_a_simple_list(text: str) -> None:
    assert not _taken(text)
