"""Word paragraphs (as read from a table cell) to the content format's Markdown, exactly and fast."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..model import Span

# A paragraph that starts with a typed bullet is a list item in the hand-made plans (PDF-to-Word
# conversions keep the bullet as a character); "- " would become a Markdown list anyway.
_GLYPH = re.compile(r"^\s*[•·▪◦‣∙●○■□➢➤►\uf0b7\uf0a7]\s*")
_TYPED_BULLET = re.compile(r"^\s*(?:[•·▪◦‣∙●○■□➢➤►\uf0b7\uf0a7]|[-–](?=\s))\s*")
# "1.<tab>" is how the renderer writes an ordered item; "1. " and "1) " are how people type one.
_TYPED_NUMBER = re.compile(r"^\s*(\d{1,3})[.)](?:\t|\s+)(?=\S)")
_TWIPS_PER_LEVEL = 357  # 0.63 cm: the indent of one list level in the renderer and in Word's defaults


@dataclass
class Para:
    """A paragraph of a cell: plain, a bullet item or a numbered item, at a list level."""

    runs: list[Span] = field(default_factory=list)
    kind: str = "para"  # "para", "bullet" or "ordered"
    level: int = 0
    number: int = 1
    style: str = ""
    indent_twips: int = 0
    typed_number: bool = False  # the number was typed ("3. ..."), so it is kept as typed

    @property
    def text(self) -> str:
        """The paragraph's plain text."""
        return "".join(run.text for run in self.runs)


def classify(para: Para) -> Para:
    """Decide whether a paragraph is a list item, from its style, Word numbering or a typed marker.

    The typed marker ('•', '1.<tab>') is removed from the text so it is not written twice."""
    style = para.style.lower()
    glyph = _GLYPH.match(para.text)
    if glyph and glyph.end() < len(para.text) and (para.kind != "para" or style.startswith("list")):
        # a typed bullet inside a Word list item ("• Setting up ...") would be printed twice
        para = replace(para, runs=_drop_prefix(para.runs, glyph.end()))
    # "List Bullet 2" is level 1 whatever numbering the style carries (LibreOffice gives each such
    # style its own list at ilvl 0)
    if style.startswith("list bullet"):
        return replace(para, kind="bullet", level=max(para.level, _trailing_level(style)))
    if style.startswith("list number"):
        return replace(para, kind="ordered", level=max(para.level, _trailing_level(style)))
    if para.kind != "para":
        return para
    text = para.text
    bullet = _TYPED_BULLET.match(text)
    if bullet and bullet.end() < len(text):
        return replace(para, runs=_drop_prefix(para.runs, bullet.end()), kind="bullet", level=_indent_level(para.indent_twips, 0))
    number = _TYPED_NUMBER.match(text)
    if number:
        return replace(para, runs=_drop_prefix(para.runs, number.end()), kind="ordered", typed_number=True,
                       number=int(number.group(1)), level=_indent_level(para.indent_twips, 1))
    return para


def _trailing_level(style: str) -> int:
    digits = re.search(r"(\d+)$", style)
    return max(0, int(digits.group(1)) - 1) if digits else 0


def _indent_level(indent_twips: int, base: int) -> int:
    """List level from the left indent: the renderer indents level d by 0.63 cm x (d + base)."""
    if indent_twips <= 0:
        return 0
    return max(0, round(indent_twips / _TWIPS_PER_LEVEL) - base)


def _drop_prefix(runs: list[Span], count: int) -> list[Span]:
    out: list[Span] = []
    for run in runs:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(replace(run, text=run.text[count:]) if count else run)
        count = 0
    return out


def slice_runs(runs: list[Span], start: int) -> list[Span]:
    """The runs from character `start` of their joined text on."""
    return _drop_prefix(runs, start)


def merge_runs(runs: list[Span]) -> list[Span]:
    """Neighbouring runs with the same formatting joined; formatting on bare spaces dropped (it is invisible)."""
    out: list[Span] = []
    for run in runs:
        if not run.text:
            continue
        if not run.text.strip() and run.href is None:
            run = Span(run.text)
        if out and out[-1].formatting() == run.formatting():
            out[-1] = replace(out[-1], text=out[-1].text + run.text)
        else:
            out.append(run)
    return out


# --- Markdown ------------------------------------------------------------------------------------

_ESCAPE = re.compile(r"([\\`*_\[\]<])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([#>]|[+*-](?=\s|$)|-(?=[-\s]*$)|=(?=[=\s]*$)|:(?=::)|\d+(?=[.)](\s|$)))")
# Text the content format may read as formatting even when escaped (the build finds ++x++ and ^x^ in
# text, also across neighbouring runs), and placeholders the build fills in.
_UNKEEPABLE = re.compile(r"\+\+|\^"
                         r"|\{(?:business_area_count|action_count|as_at|business_area_list|rag_key)\}")


def _escape(text: str) -> str:
    return _ENTITY.sub("&amp;", _ESCAPE.sub(r"\\\1", text))


def inline_markdown(runs: list[Span], problems: list[str] | None = None) -> str:
    """Runs as Markdown: **bold**, *italic*, ++underline++, x^sup^, [text](url); line breaks as a backslash."""
    out: list[str] = []
    open_marks: list[str] = []
    pending_space = ""
    for run in _split_breaks(merge_runs(runs)):
        if run is None:
            # a line break: close what is open so no marker spans the break, then break
            while open_marks:
                out.append(open_marks.pop())
            out.append("\\\n")
            pending_space = ""
            continue
        if problems is not None and _UNKEEPABLE.search(run.text):
            problems.append(f"the text '{run.text.strip()}' contains '++', '^' or a {{placeholder}}, which the content format may read as formatting or fill in")
        core = run.text.strip(" \t")
        if not core:
            pending_space += run.text
            continue
        lead = run.text[: len(run.text) - len(run.text.lstrip(" \t"))]
        trail = run.text[len(run.text.rstrip(" \t")):]
        wanted = [mark for mark, on in (("**", run.bold), ("*", run.italic)) if on]
        while any(mark not in wanted for mark in open_marks):
            out.append(open_marks.pop())
        out.append(pending_space + lead)
        for mark in wanted:
            if mark not in open_marks:
                out.append(mark)
                open_marks.append(mark)
        out.append(_decorate(run, core, problems))
        pending_space = trail
    while open_marks:
        out.append(open_marks.pop())
    text = "".join(out)
    lines = [line.strip(" \t") for line in text.split("\n")]
    while lines and lines[-1] in ("", "\\"):
        lines.pop()
    if lines and lines[-1].endswith("\\"):
        lines[-1] = lines[-1][:-1]
    return _escape_line_starts("\n".join(lines))


def _split_breaks(runs: list[Span]) -> list[Span | None]:
    """Runs with each line break as None between them."""
    out: list[Span | None] = []
    for run in runs:
        for i, piece in enumerate(run.text.split("\n")):
            if i:
                out.append(None)
            if piece:
                out.append(replace(run, text=piece))
    return out


def _decorate(run: Span, core: str, problems: list[str] | None) -> str:
    text = _escape(core)
    if run.superscript:
        if len(core) <= 20 and not re.search(r"[\s^]", core):
            text = f"^{text}^"
        elif problems is not None:
            problems.append(f"superscript '{core}' has spaces or is longer than 20 characters; it was kept as plain text")
    if run.underline and run.superscript and text.startswith("^"):
        if problems is not None:
            problems.append(f"'{core}' is underlined and superscript; the content format has one or the other, so it was kept as superscript")
    elif run.underline:
        if "+" not in core:
            text = f"++{text}++"
        elif problems is not None:
            problems.append(f"underlined '{core}' contains '+'; it was kept without the underline")
    if run.href:
        target = run.href.replace(" ", "%20")
        # <...> holds parentheses that would otherwise end the link
        text = f"[{text}](<{target}>)" if re.search(r"[()]", target) and not re.search(r"[<>]", target) else f"[{text}]({target})"
    return text


def _escape_line_starts(text: str) -> str:
    """Backslash the first character of any line that would otherwise start a list, heading or quote."""
    lines = text.split("\n")
    fixed = []
    for line in lines:
        match = _LINE_START.match(line)
        if match:
            start = match.start(2)
            if match.group(2).isdigit():
                end = match.end(2)
                line = line[:end] + "\\" + line[end:]
            else:
                line = line[:start] + "\\" + line[start:]
        fixed.append(line)
    return "\n".join(fixed)


def to_markdown(paras: list[Para], problems: list[str] | None = None) -> str:
    """A cell's paragraphs as Markdown: blank lines between paragraphs, nested lists indented."""
    lines: list[str] = []
    stack: list[tuple[int, int, str]] = []  # (level, content indent, kind) of open list items
    counters: dict[int, int] = {}  # the last number given at each level, for Word-numbered items
    previous = ""
    for para in paras:
        inline = inline_markdown(para.runs, problems)
        if not inline:
            continue
        if para.kind == "para":
            if lines:
                lines.append("")
            lines.append(inline)
            stack = []
            counters = {}
            previous = "para"
            continue
        while stack and stack[-1][0] >= para.level:
            popped = stack.pop()
            if stack and stack[-1][0] >= para.level:
                continue
            # a sibling of another kind starts a new list: a blank line keeps it from reading as
            # a lazy continuation of the item above
            if popped[0] == para.level and popped[2] != para.kind:
                lines.append("")
        indent = stack[-1][1] if stack else 0
        level = len(stack)
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if para.kind == "ordered":
            counters[level] = para.number if para.typed_number else counters.get(level, 0) + 1
        else:
            counters.pop(level, None)
        marker = "- " if para.kind == "bullet" else f"{counters[level]}. "
        if previous == "para":
            lines.append("")
        body = inline.replace("\n", "\n" + " " * (indent + len(marker)))
        lines.append(" " * indent + marker + body)
        stack.append((para.level, indent + len(marker), para.kind))
        previous = "list"
    return "\n".join(lines)


def plain_text(paras: list[Para]) -> str:
    """The cell's text on one line, for short fields such as the due date."""
    return " ".join(" ".join(para.text.split()) for para in paras if para.text.strip()).strip()
