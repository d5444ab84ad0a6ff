"""Markdown to the model's rich text, with markdown-it-py (CommonMark, raw HTML off)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterator, Optional

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .model import BLOCK_PLACEHOLDERS, Heading, ListBlock, ListItem, Paragraph, Placeholder, RichText, Span

_MD = MarkdownIt("commonmark", {"html": False, "typographer": False})

# ++underline++ and ^superscript^ are not CommonMark; they are found inside text tokens.
# "Action 3.10" becomes an internal link, except when it names next year's plan ("Action 1.2, 2018/19").
_INLINE = re.compile(
    r"\+\+(?P<u>[^+\n]+?)\+\+"
    r"|\^(?P<sup>[^\^\s]{1,20})\^"
    r"|(?P<action>\bActions?\s+(?P<ref>\d+\.\d+)\b(?!\.\d)(?!,\s*\d{4}/\d{2}))"
)
_RAW_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_BLOCK_PLACEHOLDER = re.compile(r"^\{(" + "|".join(BLOCK_PLACEHOLDERS) + r")\}$")


@dataclass(frozen=True)
class MarkdownProblem:
    """Something in a Markdown text the author should change; `line` is 0-based within the text."""

    line: int
    message: str


def parse(text: str) -> RichText:
    """Parse Markdown into rich-text blocks."""
    return parse_with_problems(text)[0]


def parse_with_problems(text: str) -> tuple[RichText, list[MarkdownProblem]]:
    """Parse Markdown and report what will not render as the author meant (e.g. raw HTML)."""
    problems: list[MarkdownProblem] = []
    if not text or not text.strip():
        return (), problems
    tokens = _MD.parse(text)
    blocks, _ = _blocks(tokens, 0, len(tokens), problems)
    return tuple(blocks), problems


def _blocks(tokens: list[Token], i: int, end: int, problems: list[MarkdownProblem]) -> tuple[list, int]:
    out: list = []
    while i < end:
        tok = tokens[i]
        kind = tok.type
        if kind in ("paragraph_open", "heading_open"):
            inline = tokens[i + 1]
            spans = _spans(inline, problems)
            placeholder = _BLOCK_PLACEHOLDER.match(inline.content.strip())
            if placeholder and kind == "paragraph_open":
                out.append(Placeholder(placeholder.group(1)))
            elif kind == "heading_open":
                out.append(Heading(int(tok.tag[1]), spans))
            elif spans:
                out.append(Paragraph(spans))
            i += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            close = _matching_close(tokens, i)
            items = []
            j = i + 1
            while j < close:
                item_close = _matching_close(tokens, j)
                inner, _ = _blocks(tokens, j + 1, item_close, problems)
                items.append(ListItem(tuple(inner)))
                j = item_close + 1
            start = int(tok.attrGet("start") or 1) if kind == "ordered_list_open" else 1
            out.append(ListBlock(kind == "ordered_list_open", tuple(items), start))
            i = close + 1
        elif kind in ("blockquote_open",):
            close = _matching_close(tokens, i)
            inner, _ = _blocks(tokens, i + 1, close, problems)
            out.extend(inner)
            i = close + 1
        elif kind in ("fence", "code_block", "html_block"):
            if kind == "html_block" and tok.map:
                problems.append(MarkdownProblem(tok.map[0], "raw HTML is not allowed and will show as typed"))
            for line in tok.content.rstrip("\n").split("\n"):
                out.append(Paragraph((Span(line),)))
            i += 1
        else:
            i += 1
    return out, i


def _matching_close(tokens: list[Token], i: int) -> int:
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _spans(inline: Token, problems: list[MarkdownProblem]) -> tuple[Span, ...]:
    base = Span("")
    stack: list[Span] = [base]
    out: list[Span] = []
    for child in inline.children or []:
        kind = child.type
        style = stack[-1]
        if kind == "text":
            tag = _RAW_TAG.search(child.content)
            if tag:
                line = inline.map[0] if inline.map else 0
                problems.append(MarkdownProblem(line, f"raw HTML {tag.group(0)!r} is not allowed and would show as typed; use Markdown (**bold**, *italic*, ++underline++, x^sup^)"))
            out.extend(_split_text(child.content, style))
        elif kind == "code_inline":
            out.append(replace(style, text=child.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append(replace(style, text=" " if kind == "softbreak" else "\n"))
        elif kind == "strong_open":
            stack.append(replace(style, bold=True))
        elif kind == "em_open":
            stack.append(replace(style, italic=True))
        elif kind == "link_open":
            stack.append(replace(style, href=str(child.attrGet("href") or "")))
        elif kind in ("strong_close", "em_close", "link_close"):
            if len(stack) > 1:
                stack.pop()
        elif kind == "image":
            out.append(replace(style, text=child.content or ""))
        elif kind == "html_inline":
            out.append(replace(style, text=child.content))
            line = inline.map[0] if inline.map else 0
            problems.append(MarkdownProblem(line, f"raw HTML {child.content!r} is not allowed and will show as typed"))
    return _merge(out)


def _split_text(text: str, style: Span) -> Iterator[Span]:
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            yield replace(style, text=text[pos : match.start()])
        if match.group("u") is not None:
            yield replace(style, text=match.group("u"), underline=True)
        elif match.group("sup") is not None:
            yield replace(style, text=match.group("sup"), superscript=True)
        else:
            linked = style.href is None
            yield replace(style, text=match.group("action"), action_ref=match.group("ref") if linked else None)
        pos = match.end()
    if pos < len(text):
        yield replace(style, text=text[pos:])


def _formatting(span: Span) -> tuple:
    return (span.bold, span.italic, span.underline, span.superscript, span.href, span.action_ref)


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and span.action_ref is None and _formatting(merged[-1]) == _formatting(span):
            merged[-1] = replace(merged[-1], text=merged[-1].text + span.text)
        else:
            merged.append(span)
    return tuple(merged)


def first_line_problem(problems: list[MarkdownProblem]) -> Optional[MarkdownProblem]:
    """The earliest problem, for callers that report one per text."""
    return min(problems, key=lambda p: p.line) if problems else None
