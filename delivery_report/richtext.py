"""Markdown to the model's rich text, with markdown-it-py (CommonMark, raw HTML off)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
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

# Characters that show as nothing (soft hyphen, zero-width spaces and joiners, word joiner, BOM): inside a
# fence line or between 'Action' and its ref they hide nothing from a reader, so they hide nothing here.
_INVISIBLE = "\u00ad\u200b-\u200f\u2060\ufeff"
# Characters a reader takes for a colon.
_COLON_LIKE = ":\uff1a\ufe55\ufe13\u2236\ua789\u02d0"


def _names_restricted(params: str, *_: str) -> bool:
    """True for '::: restricted' and for every fence a reader would take for it ('::: Restricted',
    ':::restricted', a no-break space or a tab before the word): the text after it is kept out of public
    outputs even if a reader of old versions ever ignored the content error that any but the canonical
    form is (see _fence_problems)."""
    return re.sub(rf"[\s{_INVISIBLE}]", "", params).casefold().startswith("restric")


# The one form the build reads as a restricted fence: three or more colons, ordinary spaces, 'restricted'.
# (Indentation, and the '>' or list item it stands in, are markdown-it's: a fence it opens is where the
# author put it.)
_CANONICAL_FENCE_PARAMS = re.compile(r" +restricted *")
# Any line a reader could take for a restricted fence: in any case, after any indentation, quote marks and
# list markers, with any colon look-alikes, spaces or invisible characters, even misspelt ('restriced').
_LOOKS_LIKE_FENCE = re.compile(
    rf"^(?P<lead>(?:[\s>{_INVISIBLE}]|[-+*]|[0-9]{{1,9}}[.)])*)(?P<colons>[{_COLON_LIKE}]{{2,}})"
    rf"(?P<gap>[\s{_INVISIBLE}]*)(?P<word>restric\w*)(?P<rest>.*)$",
    re.IGNORECASE,
)
_RESTRIC = re.compile("restric", re.IGNORECASE)

# '::: restricted' ... ':::' fences Part 2 / exempt text; any other '::: name' is caught by the second rule.
container_plugin(_MD, "restricted", validate=_names_restricted)
container_plugin(_MD, "unknown", validate=lambda params, *_: True)
# Word's lists pasted as plain text (into GitHub's editor, say) keep Word's own bullets: '•', '◦', '▪'
# and the like, with a space or tab after them; its second and third levels come as 'o' and '§' followed
# by a tab, and the Symbol font's bullets as private-use characters. Such lines are read as Markdown list
# items ('- '), nested where they are indented under the item above; '–' and '·' only with a space after
# them, since they also start sentences. A line inside a fenced code block is left as typed.
_WORD_BULLET = re.compile(
    r"^(?P<lead>[ \t>]*)"
    r"(?:[\u2022\u25e6\u25aa\u25cf\u25cb\u25a0\u25a1\u25ab\u2023\u2043\uf0b7\uf0a7][ \t\u00a0]*"
    r"|[\u2013\u00b7][ \t\u00a0]+|[o\u00a7]\t[ \t\u00a0]*)"
    r"(?P<rest>\S.*)$",
    re.MULTILINE,
)
# A numbered item as Word pastes it, '2) ...' (or '2.<tab>...'): CommonMark starts a list inside a
# paragraph only at 1, so items pasted from the middle of Word's list would be run into the sentence above.
_WORD_NUMBER = re.compile(r"[0-9]{1,3}(?:\)[ \t]+|\.\t[ \t]*)\S")
# A numbered line as only Word writes it, the number followed by a tab: like a pasted bullet, the line
# after it that is not indented is the next paragraph (see _word_item_ends).
_WORD_NUMBER_TAB = re.compile(r"^[ \t>]*[0-9]{1,3}[.)]\t", re.MULTILINE)


def _word_numbered_item(state: StateBlock, line: int, end: int, silent: bool) -> bool:
    """Ends a paragraph at a line numbered '2) ...' so that markdown-it's list rule reads it as a list
    starting at 2; it makes no tokens itself (only the paragraph asks it, in silent mode)."""
    if not silent or state.is_code_block(line) or state.sCount[line] < state.blkIndent:
        return False
    start = state.bMarks[line] + state.tShift[line]
    return _WORD_NUMBER.match(state.src, start, state.eMarks[line]) is not None


def _word_item_ends(state: StateBlock, line: int, end: int, silent: bool) -> bool:
    """Ends a pasted Word bullet's (or tab-numbered) item at the next line not indented under it: Word puts each
    paragraph on one line, so the line after a bullet is the next paragraph, not more of the bullet's text
    (which CommonMark would otherwise make it: a 'lazy continuation')."""
    word_items = state.env.get("word_items") if isinstance(state.env, dict) else None
    if not silent or not word_items or line - 1 not in word_items or state.isEmpty(line):
        return False
    return bool(state.sCount[line] < state.blkIndent)


_MD.block.ruler.before("list", "word_numbered_item", _word_numbered_item, {"alt": ["paragraph"]})
_MD.block.ruler.before("list", "word_item_ends", _word_item_ends, {"alt": ["paragraph"]})

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
# Every action a text names, whatever the case, however listed: "Actions 6.1, 6.2 and 6.3", "actions 6.1 &
# 6.2", "ACTION 6.2", "Action 6.1-6.3" (each ref named is counted; the ones between are not named).
_REF_TEXT = r"[0-9]+\.[0-9]+(?![0-9])"
_GAP = rf"[\s{_INVISIBLE}]"
_MENTION = re.compile(
    rf"\bactions?(?:{_GAP}|[-\u2013\u2014:#(])*"
    rf"(?P<refs>{_REF_TEXT}(?:(?:{_GAP}*(?:[,;&/+\u2013\u2014-]|\band\b|\bor\b|\bto\b)){{1,3}}{_GAP}*{_REF_TEXT})*)",
    re.IGNORECASE,
)
_ACTION_WORD = re.compile("action", re.IGNORECASE)
_REF_IN_LIST = re.compile(_REF_TEXT)
# A link to an action's anchor names the action as surely as its ref does, in any case, in any address.
_ACTION_ANCHOR = re.compile(r"#action-([0-9]+\.[0-9]+)(?![0-9])", re.IGNORECASE)
_RAW_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_BLOCK_PLACEHOLDER = re.compile(r"^\{(" + "|".join(BLOCK_PLACEHOLDERS) + r")\}$")


@dataclass(frozen=True, slots=True)
class MarkdownProblem:
    """Something in a Markdown text the author should change; `line` is 0-based within the text."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class ActionMention:
    """An action named in a text ("Action 3.10", "actions 6.1 & 6.2", a '#action-3.10' link); `line` is
    0-based within the text. `restricted`: inside a '::: restricted' block, so never public. `linked`: the
    report prints it as a link to the action, so a ref that is not in the plan is worth a warning."""

    ref: str
    line: int
    restricted: bool
    linked: bool


@dataclass(frozen=True, slots=True)
class _Parsed:
    blocks: RichText
    problems: tuple[MarkdownProblem, ...]
    mentions: tuple[ActionMention, ...]


_EMPTY = _Parsed((), (), ())


@dataclass
class _Reading:
    """What parsing one text finds besides its blocks."""

    lines: list[str]
    problems: list[MarkdownProblem] = field(default_factory=list)
    mentions: list[ActionMention] = field(default_factory=list)
    # 0-based lines where markdown-it opened a restricted block: True where written in the canonical form
    fences: dict[int, bool] = field(default_factory=dict)
    # 0-based lines whose pasted Word bullet was read as '- ': the line as typed, and its indentation's length
    as_typed: dict[int, tuple[str, int]] = field(default_factory=dict)


def parse(text: str) -> RichText:
    """Parse Markdown into rich-text blocks."""
    return _parsed(text).blocks


def action_mentions(text: str) -> tuple[ActionMention, ...]:
    """Every action the text names, in the order written (see ActionMention)."""
    return _parsed(text).mentions


# Parsed texts, by their text. A build that compares with an earlier report, or writes the audit trail,
# reads many versions of the same files, and most statuses are unchanged between them: parsing each
# text once halves the cost of that second pass. Rich text is immutable, so sharing it is safe.
_PARSED: dict[str, _Parsed] = {}
_PARSED_LIMIT = 50_000  # texts
_PARSED_CHARS_LIMIT = 20_000_000  # characters held, so hostile content cannot grow it without bound
_parsed_chars = 0


def parse_with_problems(text: str) -> tuple[RichText, list[MarkdownProblem]]:
    """Parse Markdown and report what will not render as the author meant (e.g. raw HTML)."""
    parsed = _parsed(text)
    return parsed.blocks, list(parsed.problems)


def _parsed(text: str) -> _Parsed:
    if not text or not text.strip():
        return _EMPTY
    cached = _PARSED.get(text)
    if cached is not None:
        return cached
    global _parsed_chars
    reading = _Reading(text.split("\n"))
    if _PLAIN_LINE.fullmatch(text):
        blocks = _plain_line(text, reading)
    elif (simple := _simple_list(reading)) is not None:
        blocks = simple
    else:
        tokens = _MD.parse(text)
        if _WORD_BULLET.search(text) or _WORD_NUMBER_TAB.search(text):
            pasted = _word_bullets_as_items(tokens, reading)
            numbered = {n for n, line in enumerate(reading.lines) if _WORD_NUMBER_TAB.match(line)}
            tokens = _MD.parse(pasted, {"word_items": set(reading.as_typed) | numbered})
        blocks, _ = _blocks(tokens, 0, len(tokens), reading, False)
        # Only a link definition or nesting as deep as markdown-it reads can drop a line: most texts have neither.
        if "]:" in text or any(token.level >= _DEEPEST for token in tokens):
            _dropped_lines(tokens, reading)
    _fence_problems("\n".join(reading.lines), reading)
    parsed = _Parsed(tuple(blocks), tuple(reading.problems), tuple(reading.mentions))
    if len(_PARSED) >= _PARSED_LIMIT or _parsed_chars + len(text) > _PARSED_CHARS_LIMIT:
        _PARSED.clear()
        _parsed_chars = 0
    _PARSED[text] = parsed
    _parsed_chars += len(text)
    return parsed


# A line that reads as a front-matter field, 'name: value', at the left margin (issue 18: 'rag: red' typed
# below the closing '---' was printed in the status text and the R/A/G left unset).
_FIELD_LIKE_LINE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_/ ]{0,40}):[ \t]+(?P<value>\S.*)$", re.MULTILINE)


def field_name(typed: str) -> str:
    """A name as a field would be written: 'RAG', 'R/A/G' -> 'rag'; 'Key aims' -> 'key_aims'."""
    return "_".join(typed.replace("/", "").lower().split())


def field_like_lines(text: str, names: frozenset[str]) -> list[tuple[int, str, str]]:
    """Each line of the text that is exactly '<name>: <value>' at the left margin, where <name> is one of
    `names` in any case, with '/' or spaces for '_' ('RAG: red', 'R/A/G: red', 'Key aims: 1.4' as well as
    'rag: red'), outside code blocks and raw HTML (which print as typed): (0-based line, the name as typed,
    the value). A list item ('- Lead: ...'), an indented line, or a name that is not one of `names` ('Note:
    the Panel agreed') is prose, and not reported."""
    candidates = [m for m in _FIELD_LIKE_LINE.finditer(text) if field_name(m.group("name")) in names]
    if not candidates:
        return []
    as_code: set[int] = set()
    for token in _MD.parse(text):
        if token.type in ("fence", "code_block", "html_block") and token.map:
            as_code.update(range(token.map[0], token.map[1]))
    found = []
    for match in candidates:
        line = text.count("\n", 0, match.start())
        if line not in as_code:
            found.append((line, match.group("name"), match.group("value").strip()))
    return found


def _word_bullets_as_items(tokens: list[Token], reading: _Reading) -> str:
    """The text with each pasted Word bullet (see _WORD_BULLET) outside fenced code written '- ', line for
    line, so every line keeps its number; `reading.lines` becomes that text and `reading.as_typed` keeps
    the lines as typed. `tokens`: the text as typed, parsed (to find its fenced code)."""
    in_fence: set[int] = set()
    for token in tokens:
        if token.type == "fence" and token.map:
            in_fence.update(range(token.map[0], token.map[1]))
    for number, line in enumerate(reading.lines):
        bullet = _WORD_BULLET.match(line)
        if bullet is not None and number not in in_fence:
            reading.lines[number] = f"{bullet.group('lead')}- {bullet.group('rest')}"
            reading.as_typed[number] = (line, len(bullet.group("lead")))
    return "\n".join(reading.lines)


# A block token this deep means markdown-it may have stopped reading at its maxNesting (it stops at that level).
_DEEPEST = _MD.options["maxNesting"] - 1
# The block tokens whose lines are drawn (as text, or as typed); a line of text outside all of them is dropped.
_DRAWN = frozenset(("paragraph_open", "heading_open", "fence", "code_block", "html_block", "table_open", "hr"))
# A line holding only markup: list markers, quote marks, a '::: restricted' fence or its closing ':::'.
_MARKUP_ONLY = re.compile(r"[\s>]*(?:(?:[-+*]|[0-9]{1,9}[.)])(?:\s+|$))*(?::{3,}.*)?")
# A link reference definition, '[minutes]: https://...', at the start of a line, a quote or a list item.
_LINK_DEFINITION = re.compile(r"^[ \t>]*(?:(?:[-+*]|[0-9]{1,9}[.)])[ \t]+)*\[[^\]]+\]:")


def _dropped_lines(tokens: list[Token], reading: _Reading) -> None:
    """Report each line of text that no drawn block holds, which both outputs would leave out without a word.

    Two things do that (issue 18): a link reference definition ('[minutes]: https://...'), which markdown-it
    takes as the target of '[minutes]' links and never prints (GitHub's preview hides it too), so an error:
    the link written in place, [minutes](https://...), is drawn in both outputs; and blocks nested beyond
    markdown-it's maxNesting (list levels 10 and deeper, quotes or lists some twenty deep), which it stops
    reading, so an error too (list levels 4 to 9 are refused in _blocks already: the DOCX draws three)."""
    drawn: set[int] = set()
    for token in tokens:
        if token.type in _DRAWN and token.map:
            drawn.update(range(token.map[0], token.map[1]))
    previous_dropped = False
    for number, line in enumerate(reading.lines):
        if number in drawn or _MARKUP_ONLY.fullmatch(line):
            previous_dropped = False
            continue
        if _LINK_DEFINITION.match(line):
            reading.problems.append(MarkdownProblem(number, (
                "a link definition ('[name]: address') is never printed, in the report or on GitHub; write the "
                "link where it is used, as [text](https://...), and delete this line")))
        elif not previous_dropped:
            reading.problems.append(MarkdownProblem(number, (
                "this line is nested too deeply (lists or '>' quotes inside one another) and would be left out "
                "of the report; indent it less, or start it as a new paragraph")))
        previous_dropped = True


def _code_lines(token: Token, reading: _Reading) -> list[str]:
    """A code block's lines as typed: a Word bullet in indented code is printed as the author typed it."""
    lines = token.content.rstrip("\n").split("\n")
    if not reading.as_typed or token.type != "code_block" or not token.map:
        return lines
    for n, line in enumerate(lines):
        typed = reading.as_typed.get(token.map[0] + n)
        if typed is None:
            continue
        rewritten, (original, lead) = reading.lines[token.map[0] + n], typed
        removed = len(rewritten) - len(line)  # the indentation markdown-it took off
        if rewritten.endswith(line) and 0 <= removed <= lead:
            lines[n] = original[removed:]
    return lines


# List levels the outputs draw: the DOCX has a bullet style for three (List Bullet, 2 and 3) and would draw a
# fourth level at the third's indent, so a deeper item is an error at its line rather than a list drawn flatter
# than typed.
MAX_LIST_DEPTH = 3

# One line of plain words (most action titles: "Deliver the outcome of area 3, with partners."): it starts
# with a letter, a quote or a bracket and holds no character that begins Markdown syntax (no list, heading,
# quote, fence, code, emphasis, link, image, HTML, entity or escape can start in it), no line break and no
# control character, and ends without a space. markdown-it reads such a text as one paragraph holding one
# text token, the whole line; it is drawn here without running the parser, through the same _spans.
# (tests/test_richtext_plain.py checks the two agree on generated lines.)
_PLAIN_LINE = re.compile(r"[A-Za-z\"'(\u2018\u201c][^\x00-\x1f\x7f-\x9f\\`*_\[\]!<&\u2028\u2029]*(?<!\s)")


def _plain_line(text: str, reading: _Reading) -> list[Block]:
    """The blocks of a text that _PLAIN_LINE matches: what markdown-it's tokens for it give, without them."""
    inline = Token("inline", "", 0, map=[0, 1], content=text, children=[Token("text", "", 0, content=text)])
    spans = _spans(inline, reading, False)
    return [Paragraph(spans)] if spans else []


# A status as most are written: a list of one-line points, some with one-line points under them, in plain
# words with perhaps a few **bold** ones:
#     - Mid-year reviews received and signed off (see Action 2.1)
#       - **All** signed off by the panel
#     - Second point
# Each line is '- ' (or '  - ' under a point) and a text that _PLAIN_LINE would take, except that it may hold
# '**words**': letters, digits and spaces between the stars, the first pair after the start of the text or a
# space, the second before its end, a space or one of .,;:) (so the first can only open and the second only
# close bold text, and each pair is bold whatever surrounds it). markdown-it reads such a text as a bullet
# list whose items each hold one paragraph (and perhaps a list of the same), each paragraph one inline token
# of text and strong tokens; it is drawn here from the runs those tokens hold, without running the parser or
# making tokens, as _spans draws them (_run_spans: the same _split_text, _find_mentions and _merge).
# (tests/test_richtext_plain.py checks the two agree on generated texts.)
_LIST_POINT = re.compile(r"(?P<under>  )?- (?P<text>[^\x00-\x1f\x7f-\x9f\\`_\[\]!<&\u2028\u2029]+)")
_PLAIN_RUN = re.compile(r"[^\x00-\x1f\x7f-\x9f\\`*_\[\]!<&\u2028\u2029]*")
_BOLD_WORDS = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ]*[A-Za-z0-9])?")
_FIRST_CHARACTER = re.compile("[A-Za-z\"'(\u2018\u201c]")
_AFTER_BOLD = " .,;:)"


def _simple_list(reading: _Reading) -> list[Block] | None:
    """The blocks of a status written as _LIST_POINT describes, or None for any other text (which is parsed)."""
    lines = reading.lines[:-1] if len(reading.lines) > 1 and reading.lines[-1] == "" else reading.lines
    points: list[tuple[bool, list[tuple[str, bool]]]] = []
    for line in lines:
        point = _LIST_POINT.fullmatch(line)
        if point is None:
            return None
        runs = _point_runs(point.group("text"))
        if runs is None or (point.group("under") and not points):
            return None
        points.append((bool(point.group("under")), runs))
    if not points:
        return None
    items: list[ListItem] = []
    under: list[ListItem] = []
    for number, (is_under, runs) in enumerate(points):
        paragraph = Paragraph(_run_spans(runs, number, reading))
        if is_under:
            under.append(ListItem((paragraph,)))
            continue
        if under:
            items[-1] = ListItem((*items[-1].blocks, ListBlock(False, tuple(under), 1)))
            under = []
        items.append(ListItem((paragraph,)))
    if under:
        items[-1] = ListItem((*items[-1].blocks, ListBlock(False, tuple(under), 1)))
    return [ListBlock(False, tuple(items), 1)]


def _point_runs(text: str) -> list[tuple[str, bool]] | None:
    """One point's text as the runs of markdown-it's inline tokens for it (each text, and whether it is between
    a pair of '**'), or None when the text holds anything else or its stars are not certain to be bold
    text's (see _LIST_POINT)."""
    if text[-1].isspace() or (text[0] != "*" and _FIRST_CHARACTER.match(text) is None):
        return None
    parts = text.split("**")
    if len(parts) % 2 == 0:
        return None
    runs: list[tuple[str, bool]] = []
    last = len(parts) - 1
    for index, part in enumerate(parts):
        if index % 2:
            if _BOLD_WORDS.fullmatch(part) is None:
                return None
            runs.append((part, True))
            continue
        if _PLAIN_RUN.fullmatch(part) is None:
            return None
        if index > 0 and not (part[:1] in _AFTER_BOLD and (part or index == last)):
            return None
        if index < last and not (part.endswith(" ") or (not part and index == 0)):
            return None
        if part:
            runs.append((part, False))
    return runs


_PLAIN_STYLE = Span("")
_BOLD_STYLE = Span("", bold=True)


def _run_spans(runs: list[tuple[str, bool]], line: int, reading: _Reading) -> tuple[Span, ...]:
    """What _spans gives for an inline token of these runs (text tokens, bold ones between strong_open and
    strong_close) on this line, without making the tokens."""
    out: list[Span] = []
    for text, bold in runs:
        out.extend(_split_text(text, _BOLD_STYLE if bold else _PLAIN_STYLE))
    _find_mentions([(span.text, line, span.action_ref) for span in out], False, reading)
    return _merge(out)


def _blocks(tokens: list[Token], i: int, end: int, reading: _Reading, fenced: bool,
            list_depth: int = 0) -> tuple[list[Block], int]:
    """Blocks from tokens[i:end]; `fenced` inside a restricted block; `list_depth` lists around them."""
    problems = reading.problems
    out: list[Block] = []
    while i < end:
        tok = tokens[i]
        kind = tok.type
        if kind == "container_restricted_open":
            close = _matching_close(tokens, i)
            if tok.map:
                reading.fences[tok.map[0]] = _CANONICAL_FENCE_PARAMS.fullmatch(tok.info) is not None
                if not _closed(tok, reading.lines):
                    problems.append(MarkdownProblem(tok.map[0], "the '::: restricted' block is not closed; add a line ':::' where the restricted text ends"))
            inner, _ = _blocks(tokens, i + 1, close, reading, True, list_depth)
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
            spans = _spans(inline, reading, fenced)
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
            if list_depth == MAX_LIST_DEPTH and tok.map:
                problems.append(MarkdownProblem(tok.map[0], (
                    f"this list item is nested {list_depth + 1} levels deep; the report draws at most "
                    f"{MAX_LIST_DEPTH} levels of list: indent it less (two spaces per level)")))
            items = []
            j = i + 1
            while j < close:
                item_close = _matching_close(tokens, j)
                inner, _ = _blocks(tokens, j + 1, item_close, reading, fenced, list_depth + 1)
                items.append(ListItem(tuple(inner)))
                j = item_close + 1
            start = int(tok.attrGet("start") or 1) if kind == "ordered_list_open" else 1
            out.append(ListBlock(kind == "ordered_list_open", tuple(items), start))
            i = close + 1
        elif kind in ("blockquote_open",):
            # A '>' quote is drawn as its paragraphs, without the quote's indent (neither output has a quote
            # style): its text is all printed, so it is not refused; one nested too deeply for markdown-it to
            # read is reported by _dropped_lines.
            close = _matching_close(tokens, i)
            inner, _ = _blocks(tokens, i + 1, close, reading, fenced, list_depth)
            out.extend(inner)
            i = close + 1
        elif kind in ("fence", "code_block", "html_block"):
            if kind == "html_block" and tok.map:
                problems.append(MarkdownProblem(tok.map[0], "raw HTML is not allowed and will show as typed"))
            lines = _code_lines(tok, reading)
            for line in lines:
                out.append(Paragraph((Span(line),)))
            # a code fence's text starts on the line after its ``` line
            first = (tok.map[0] if tok.map else 0) + (1 if kind == "fence" else 0)
            _find_mentions([(line + "\n", first + n, None) for n, line in enumerate(lines)], fenced, reading)
            i += 1
        else:
            i += 1
    return out, i


def _closed(opening: Token, lines: list[str]) -> bool:
    """Whether markdown-it found the closing line of this container (it closes one left open at the end of
    the text or of the list item or quote holding it, and its tokens do not say which happened)."""
    assert opening.map is not None
    end = opening.map[1]
    if end >= len(lines):
        return False
    closing = re.fullmatch(r"[ \t>]*(:+)[ \t]*", lines[end])
    return closing is not None and len(closing.group(1)) >= len(opening.markup)


def _fence_problems(text: str, reading: _Reading) -> None:
    """Every line that looks like a '::: restricted' fence but is not one in its one canonical form."""
    if not reading.fences and not _RESTRIC.search(text):
        return
    for number, line in enumerate(reading.lines):
        canonical = reading.fences.get(number)
        if canonical:
            continue
        looks = _LOOKS_LIKE_FENCE.match(line)
        if looks is None and canonical is None:
            continue
        fault = _fence_fault(looks, canonical is not None) if looks else "it is not written exactly so"
        reading.problems.append(MarkdownProblem(number, (
            f"this line looks like a '::: restricted' fence but is not one: {fault}; "
            "write it exactly '::: restricted' (three colons, a space, lower case, not indented 4 spaces or more) "
            "and end the block with a line ':::', so that its text is never published")))


def _fence_fault(looks: re.Match[str], opened: bool) -> str:
    """What makes a fence-like line differ from '::: restricted', in the author's terms."""
    colons, gap, word, rest = looks.group("colons", "gap", "word", "rest")
    odd_colon = next((c for c in colons if c != ":"), None)
    if odd_colon is not None:
        return f"its colons include {_describe(odd_colon)}, not ':'"
    if len(colons) < 3:
        return "it has two colons, not three"
    if not gap:
        return f"there is no space between '{colons}' and '{word}'"
    odd_space = next((c for c in gap if c != " "), None)
    if odd_space is not None:
        return f"{_describe(odd_space)} stands where an ordinary space belongs"
    if word != "restricted":
        return f"'{word}' is not 'restricted' in lower case" if word.lower() == "restricted" else f"'{word}' is not 'restricted'"
    if rest.strip(" "):
        return "there is more after 'restricted' on the line"
    odd_lead = next((c for c in looks.group("lead") if c not in " \t>-+*.)0123456789"), None)
    if odd_lead is not None:
        return f"the line starts with {_describe(odd_lead)}"
    if not opened and looks.group("lead").expandtabs(4).startswith("    "):
        return "it is indented 4 spaces or more, so it is printed as typed"
    return "here it is code (inside a code block or indented 4 spaces or more), printed as typed"


def _describe(char: str) -> str:
    """A character named so that an author can find it: 'U+00A0 (NO-BREAK SPACE)'."""
    if char == "\t":
        return "a tab"
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'an invisible character')})"


def _find_mentions(pieces: list[tuple[str, int, str | None]], fenced: bool, reading: _Reading) -> None:
    """Note the actions named in text printed as one run: pieces of (text, 0-based line, linked ref)."""
    text = "".join(piece for piece, _, _ in pieces)
    if not _ACTION_WORD.search(text):
        return
    ends = []
    total = 0
    for piece, _, _ in pieces:
        total += len(piece)
        ends.append(total)
    for match in _MENTION.finditer(text):
        for ref in _REF_IN_LIST.finditer(match.group("refs")):
            _, line, linked = pieces[bisect_right(ends, match.start("refs") + ref.start())]
            reading.mentions.append(ActionMention(ref.group(0), line, fenced, linked == ref.group(0)))


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


def _spans(inline: Token, reading: _Reading, fenced: bool) -> tuple[Span, ...]:
    problems = reading.problems
    base = Span("")
    stack: list[Span] = [base]
    out: list[Span] = []
    # the line each span of `out` is on, to place the actions it names
    span_lines: list[int] = []
    first_line = inline.map[0] if inline.map else 0
    line = first_line
    for child in inline.children or []:
        kind = child.type
        style = stack[-1]
        if kind in ("softbreak", "hardbreak"):
            span_lines.extend([line] * (len(out) - len(span_lines)))
            line += 1
        if kind == "text":
            tag = _RAW_TAG.search(child.content)
            if "<!--" in child.content:
                # GitHub's preview hides an HTML comment, but with raw HTML off both outputs print it as typed:
                # a note meant for reviewers would be published.
                problems.append(MarkdownProblem(line, "an HTML comment '<!-- ... -->' is hidden on GitHub but would be "
                                                      "printed in the report as typed; delete it (a note for reviewers "
                                                      "belongs in the pull request's description)"))
            elif tag:
                problems.append(MarkdownProblem(line, f"raw HTML {tag.group(0)!r} is not allowed and would show as typed; use Markdown (**bold**, *italic*, ++underline++, x^sup^)"))
            out.extend(_split_text(child.content, style))
        elif kind == "code_inline":
            out.append(_styled(child.content, style))
        elif kind in ("softbreak", "hardbreak"):
            out.append(_styled(" " if kind == "softbreak" else "\n", style))
        elif kind == "strong_open":
            stack.append(replace(style, bold=True))
        elif kind == "em_open":
            stack.append(replace(style, italic=True))
        elif kind == "link_open":
            href = str(child.attrGet("href") or "")
            problem = _link_problem(href)
            if problem:
                problems.append(MarkdownProblem(line, problem))
            for anchor in _ACTION_ANCHOR.finditer(unquote(href)):
                reading.mentions.append(ActionMention(anchor.group(1), line, fenced, True))
            stack.append(replace(style, href=href if problem is None else None))
        elif kind in ("strong_close", "em_close", "link_close"):
            if len(stack) > 1:
                stack.pop()
        elif kind == "image":
            out.append(_styled(child.content or "", style))
        elif kind == "html_inline":
            out.append(_styled(child.content, style))
            problems.append(MarkdownProblem(line, f"raw HTML {child.content!r} is not allowed and will show as typed"))
    span_lines.extend([line] * (len(out) - len(span_lines)))
    _find_mentions([(span.text, at, span.action_ref) for span, at in zip(out, span_lines)], fenced, reading)
    return _merge(out)


def _styled(text: str, style: Span, underline: bool = False, superscript: bool = False,
            action_ref: str | None = None) -> Span:
    """`style` with another text (and underline, superscript or an action link added): built directly, as
    dataclasses.replace, which inspects the class on every call, was a third of the cost of the spans."""
    return Span(text, style.bold, style.italic, style.underline or underline, style.superscript or superscript,
                style.href, action_ref or style.action_ref)


def _split_text(text: str, style: Span) -> Iterator[Span]:
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            yield _styled(text[pos : match.start()], style)
        if match.group("u") is not None:
            yield _styled(match.group("u"), style, underline=True)
        elif match.group("sup") is not None:
            yield _styled(match.group("sup"), style, superscript=True)
        else:
            linked = style.href is None
            yield Span(match.group("action"), style.bold, style.italic, style.underline, style.superscript,
                       style.href, match.group("ref") if linked else None)
        pos = match.end()
    if pos < len(text):
        yield _styled(text[pos:], style)


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
    return tuple(span if len(texts) == 1 else _styled("".join(texts), span) for span, texts in runs)
