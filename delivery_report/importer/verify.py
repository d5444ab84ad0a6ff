"""Read the written Markdown back as the build will, to prove it says what the Word cell said."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Block, Heading, ListBlock, Paragraph, RestrictedBlock, Span
from ..richtext import parse
from .cells import Para, merge_runs

# (character, bold, italic, underline, superscript, link target); whitespace is left out, since
# Markdown rightly squeezes it and the report does not depend on it
Char = tuple[str, bool, bool, bool, bool, "str | None"]


def read_back(markdown: str) -> list[Char]:
    """The visible characters of `markdown` with their formatting, as the build parses it."""
    chars: list[Char] = []
    _walk(parse(markdown), chars)
    return chars


def _walk(blocks: Iterable[Block], chars: list[Char]) -> None:
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            _add(block.spans, chars)
        elif isinstance(block, ListBlock):
            for item in block.items:
                _walk(item.blocks, chars)
        elif isinstance(block, RestrictedBlock):
            _walk(block.blocks, chars)


def _add(spans: Iterable[Span], chars: list[Char]) -> None:
    for span in spans:
        chars.extend((c, span.bold, span.italic, span.underline, span.superscript, span.href)
                     for c in span.text if not c.isspace())


def expected(paras: list[Para]) -> list[Char]:
    """The visible characters of the Word paragraphs with their formatting."""
    chars: list[Char] = []
    for para in paras:
        for run in merge_runs(para.runs):
            chars.extend((c, run.bold, run.italic, run.underline, run.superscript, run.href)
                         for c in run.text if not c.isspace())
    return chars


def first_difference(markdown: str, paras: list[Para]) -> str:
    """'' when the Markdown reads back as the paragraphs; else the text around the first difference."""
    got, want = read_back(markdown), expected(paras)
    if got == want:
        return ""
    index = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    return "".join(c[0] for c in want[max(0, index - 15): index + 15])
