"""Markdown to the model's rich text, with markdown-it-py (CommonMark, raw HTML off)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from .model import (
    BLOCK_PLACEHOLDERS,
    Block,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Placeholder,
    RestrictedBlock,
    RichText,
    Span,
)

# Tables are switched on only so that they can be reported: a table would otherwise print as a line of pipes.
_MD = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
# '::: restricted' ... ':::' fences Part 2 / exempt text; any other '::: name' is caught by the second rule.
container_plugin(_MD, "restricted", validate=lambda params, *_: params.strip() == "restricted")
container_plugin(_MD, "unknown", validate=lambda params, *_: True)
# Every link target reaches the checks below (markdown-it would otherwise quietly print `[x](file:...)`
# as typed text); only these schemes, and '#anchors', are allowed in either output.
_MD.validateLink = lambda url: True  # type: ignore[method-assign]
ALLOWED_LINK_SCHEMES = ("https:", "http:", "mailto:")

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


# Parsed texts, by their text. A build that compares with an earlier report, or writes the audit trail,
# reads many versions of the same files, and most statuses are unchanged between them: parsing each
# text once halves the cost of that second pass. Rich text is immutable, so sharing it is safe.
_PARSED: dict[str, tuple[RichText, tuple[MarkdownProblem, ...]]] = {}
_PARSED_LIMIT = 50_000  # texts
_PARSED_CHARS_LIMIT = 20_000_000  # characters held, so hostile content cannot grow it without bound
_parsed_chars = 0


def parse_with_problems(text: str) -> tuple[RichText, list[MarkdownProblem]]:
    """Parse Markdown and report what will not render as the author meant (e.g. raw HTML)."""
    if not text or not text.strip():
        return (), []
    cached = _PARSED.get(text)
    if cached is not None:
        return cached[0], list(cached[1])
    global _parsed_chars
    problems: list[MarkdownProblem] = []
    tokens = _MD.parse(text)
    blocks, _ = _blocks(tokens, 0, len(tokens), problems)
    if len(_PARSED) >= _PARSED_LIMIT or _parsed_chars + len(text) > _PARSED_CHARS_LIMIT:
        _PARSED.clear()
        _parsed_chars = 0
    _PARSED[text] = (tuple(blocks), tuple(problems))
    _parsed_chars += len(text)
    return tuple(blocks), problems


def _blocks(tokens: list[Token], i: int, end: int, problems: list[MarkdownProblem]) -> tuple[list[Block], int]:
    out: list[Block] = []
    while i < end:
        tok = tokens[i]
        kind = tok.type
        if kind == "container_restricted_open":
            close = _matching_close(tokens, i)
            if tokens[close].markup != ":::" and tok.map:
                problems.append(MarkdownProblem(tok.map[0], "the '::: restricted' block is not closed; add a line ':::' where the restricted text ends"))
            inner, _ = _blocks(tokens, i + 1, close, problems)
            out.append(RestrictedBlock(tuple(inner)))
            i = close + 1
        elif kind == "container_unknown_open":
            name = tok.info.strip() or "(no name)"
            problems.append(MarkdownProblem(tok.map[0] if tok.map else 0, f"'::: {name}' is not a block the build knows; the only one is '::: restricted' (then the text, then a line ':::')"))
            i += 1
        elif kind == "table_open":
            problems.append(MarkdownProblem(tok.map[0] if tok.map else 0, "tables are not supported here; use a list (one '- ' line per row)"))
            i = _matching_close(tokens, i) + 1
        elif kind in ("paragraph_open", "heading_open"):
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


def _link_problem(href: str) -> str | None:
    """Why a link target is not allowed, or None: only web and mail addresses, and anchors in the report."""
    lowered = href.strip().lower()
    if lowered.startswith("#") and len(lowered) > 1:
        return None
    if lowered.startswith(ALLOWED_LINK_SCHEMES) and len(lowered.split(":", 1)[1].strip("/")) > 0:
        return None
    shown = href if len(href) <= 60 else href[:57] + "..."
    if not href.strip():
        return "a link has no address; write [text](https://...)"
    if ":" not in lowered.split("/", 1)[0]:
        return f"the link '{shown}' is not a full address; write it starting https:// (or mailto: for e-mail)"
    return f"links to '{shown}' are not allowed in a published report; only https://, http://, mailto: and #anchors are"


def _spans(inline: Token, problems: list[MarkdownProblem]) -> tuple[Span, ...]:
    base = Span("")
    stack: list[Span] = [base]
    out: list[Span] = []
    first_line = inline.map[0] if inline.map else 0
    line = first_line
    for child in inline.children or []:
        kind = child.type
        style = stack[-1]
        if kind in ("softbreak", "hardbreak"):
            line += 1
        if kind == "text":
            tag = _RAW_TAG.search(child.content)
            if tag:
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
            href = str(child.attrGet("href") or "")
            problem = _link_problem(href)
            if problem:
                problems.append(MarkdownProblem(line, problem))
            stack.append(replace(style, href=href if problem is None else None))
        elif kind in ("strong_close", "em_close", "link_close"):
            if len(stack) > 1:
                stack.pop()
        elif kind == "image":
            out.append(replace(style, text=child.content or ""))
        elif kind == "html_inline":
            out.append(replace(style, text=child.content))
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


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    # Texts of a run are collected and joined once: adding strings one by one is quadratic in a
    # paragraph of many lines (a few MB took half a minute).
    runs: list[tuple[Span, list[str]]] = []
    for span in spans:
        if not span.text:
            continue
        if runs and span.action_ref is None and runs[-1][0].formatting() == span.formatting():
            runs[-1][1].append(span.text)
        else:
            runs.append((span, [span.text]))
    return tuple(span if len(texts) == 1 else replace(span, text="".join(texts)) for span, texts in runs)
