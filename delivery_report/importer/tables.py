"""The Word document as the importer needs it: paragraphs and tables in order, cells with shading and merges."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..model import Span
from .cells import Para, classify
from .limits import TooLarge, check_package

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_OFF = ("0", "false", "off", "none")
MAX_COLUMNS = 63  # Word's own limit; a merge or indent claiming more is cut to it
# Characters the build refuses in content (load.py's list): Word's line separator (U+2028), a vertical
# tab or form feed (how some converters write a line break), NEL and a lone carriage return are line
# breaks in the document, so they become line breaks; U+2029 ends a paragraph (split in _split_paragraphs).
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x85\u2028]")
PARAGRAPH_SEPARATOR = "\u2029"
# What is left of that list cannot be shown at all (controls, non-characters, half surrogate pairs): removed, and counted.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


class UnreadableDocument(Exception):
    """The file is not a Word document python-docx can open."""


@dataclass
class Cell:
    """One table cell: its paragraphs, its fill colour and whether it continues a merge from above."""

    paras: list[Para]
    fill: str | None = None
    merged_from_above: bool = False
    span: int = 1

    @property
    def text(self) -> str:
        """All the cell's text, paragraphs joined with spaces."""
        return " ".join(" ".join(p.text.split()) for p in self.paras if p.text.strip()).strip()


@dataclass
class Row:
    """A table row: cells keyed by the grid column each starts at."""

    cells: dict[int, Cell]


@dataclass
class Table:
    """A table of the document, numbered from 1 in document order as Word counts them."""

    number: int
    rows: list[Row]


@dataclass
class Block:
    """A paragraph of the document body (outside tables), with its style name."""

    para: Para
    style: str
    heading_level: int = 0

    @property
    def text(self) -> str:
        """The paragraph's text with whitespace collapsed."""
        return " ".join(self.para.text.split())

    @property
    def all_bold(self) -> bool:
        """True when every visible character is bold (hand-made plans mark headings this way)."""
        visible = [run for run in self.para.runs if run.text.strip()]
        return bool(visible) and all(run.bold for run in visible)


@dataclass
class WordDocument:
    """The body as a sequence of paragraphs and tables, and the core properties the importer uses."""

    body: list[Block | Table] = field(default_factory=list)
    author: str = ""
    removed_characters: Counter[str] = field(default_factory=Counter)  # invisible characters taken out, by character


def read_document(path: Path) -> WordDocument:
    """Open a .docx and read its body; raise UnreadableDocument with a plain reason when it is not one."""
    import docx  # imported here so a missing python-docx is reported by the caller, not at import time
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(path):
        raise UnreadableDocument("is not a Word .docx file (a .docx is a zip package); save it from Word as 'Word Document (*.docx)'")
    try:
        check_package(path)  # before python-docx reads a byte: it reads every part whole
    except TooLarge as refusal:
        raise UnreadableDocument(str(refusal)) from None
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableDocument(f"cannot be opened as a Word document ({exc.__class__.__name__}); "
                                 "open it in Word and save it again as 'Word Document (*.docx)'") from None
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise UnreadableDocument(f"cannot be opened as a Word document ({exc.__class__.__name__}); "
                                 "open it in Word and save it again as 'Word Document (*.docx)'") from None
    except Exception as exc:
        raise UnreadableDocument(f"is damaged ({exc.__class__.__name__}); open it in Word and save it again") from None
    reader = _Reader(document)
    try:
        body = list(reader.body(document.element.body))
    except Exception as exc:
        raise UnreadableDocument(f"is damaged ({exc.__class__.__name__}); open it in Word and save it again") from None
    return WordDocument(body=body, author=str(document.core_properties.author or ""),
                        removed_characters=reader.removed)


class _Reader:
    """Walks WordprocessingML directly: python-docx's object API re-walks tables for every cell."""

    def __init__(self, document: Any):
        self.document = document
        self.style_names: dict[str, str] = {}
        self.heading_levels: dict[str, int] = {}
        for style in document.styles.element.findall(f"{W}style"):
            style_id = style.get(f"{W}styleId") or ""
            name_el = style.find(f"{W}name")
            name = name_el.get(f"{W}val") if name_el is not None else style_id
            self.style_names[style_id] = name or style_id
            outline = style.find(f"{W}pPr/{W}outlineLvl")
            lowered = (name or "").lower()
            if lowered.startswith("heading") and lowered[7:].strip().isdigit():
                self.heading_levels[style_id] = int(lowered[7:].strip())
            elif lowered == "title":
                self.heading_levels[style_id] = 1
            elif outline is not None and (outline.get(f"{W}val") or "").isdigit():
                self.heading_levels[style_id] = int(outline.get(f"{W}val") or "0") + 1
        self.numbering = self._numbering_formats()
        self.table_count = 0
        self.removed: Counter[str] = Counter()

    def _numbering_formats(self) -> dict[tuple[str, str], str]:
        """(numId, ilvl) -> numFmt ('bullet', 'decimal', ...) from the numbering part."""
        formats: dict[tuple[str, str], str] = {}
        try:
            numbering = self.document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return formats
        abstract: dict[str, dict[str, str]] = {}
        for item in numbering.findall(f"{W}abstractNum"):
            levels = {}
            for lvl in item.findall(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt")
                levels[lvl.get(f"{W}ilvl") or "0"] = fmt.get(f"{W}val") if fmt is not None else "decimal"
            abstract[item.get(f"{W}abstractNumId") or ""] = levels
        for num in numbering.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            levels = abstract.get(ref.get(f"{W}val") or "" if ref is not None else "", {})
            for ilvl, fmt in levels.items():
                formats[(num.get(f"{W}numId") or "", ilvl)] = fmt
        return formats

    def body(self, element: Any) -> Iterator[Block | Table]:
        for child in element:
            tag = child.tag
            if tag == f"{W}p":
                paras, style_id = self.paragraph(child)
                style_name = self.style_names.get(style_id, style_id)
                if style_name.lower().startswith("toc "):
                    continue  # a table of contents entry repeats a heading; it is not content
                for para in paras:
                    yield Block(para, style_name, self.heading_levels.get(style_id, 0))
            elif tag == f"{W}tbl":
                self.table_count += 1
                yield self.table(child, self.table_count)
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    yield from self.body(content)

    def table(self, element: Any, number: int) -> Table:
        rows: list[Row] = []
        for tr in element.iterchildren(f"{W}tr"):
            cells: dict[int, Cell] = {}
            column = 0
            trpr = tr.find(f"{W}trPr")
            if trpr is not None:
                before = trpr.find(f"{W}gridBefore")
                if before is not None and (before.get(f"{W}val") or "").isdigit():
                    column = min(int(before.get(f"{W}val") or "0"), MAX_COLUMNS)
            for tc in _cells(tr):
                tcpr = tc.find(f"{W}tcPr")
                span, fill, continues = 1, None, False
                if tcpr is not None:
                    grid_span = tcpr.find(f"{W}gridSpan")
                    if grid_span is not None and (grid_span.get(f"{W}val") or "").isdigit():
                        span = min(max(1, int(grid_span.get(f"{W}val") or "1")), MAX_COLUMNS)
                    fill = _fill(tcpr.find(f"{W}shd"))
                    vmerge = tcpr.find(f"{W}vMerge")
                    continues = vmerge is not None and (vmerge.get(f"{W}val") or "continue") == "continue"
                paras = []
                for p in tc.iter(f"{W}p"):
                    parts, _ = self.paragraph(p)
                    paras.extend(parts)
                    if fill is None:
                        ppr = p.find(f"{W}pPr")
                        fill = _fill(ppr.find(f"{W}shd")) if ppr is not None else None
                cells[column] = Cell(paras, fill, continues, span)
                column += span
            rows.append(Row(cells))
        return Table(number, rows)

    def paragraph(self, p: Any) -> tuple[list[Para], str]:
        """The paragraph (several when its text holds Word's paragraph separator U+2029) and its style id."""
        ppr = p.find(f"{W}pPr")
        style_id, indent, kind, level = "", 0, "para", 0
        if ppr is not None:
            style = ppr.find(f"{W}pStyle")
            style_id = style.get(f"{W}val") or "" if style is not None else ""
            ind = ppr.find(f"{W}ind")
            if ind is not None:
                raw = ind.get(f"{W}left") or ind.get(f"{W}start") or "0"
                indent = int(raw) if raw.lstrip("-").isdigit() else 0
            num = ppr.find(f"{W}numPr")
            if num is not None:
                num_id_el, ilvl_el = num.find(f"{W}numId"), num.find(f"{W}ilvl")
                num_id = num_id_el.get(f"{W}val") or "" if num_id_el is not None else ""
                ilvl = ilvl_el.get(f"{W}val") or "0" if ilvl_el is not None else "0"
                if num_id and num_id != "0":
                    fmt = self.numbering.get((num_id, ilvl), "bullet")
                    kind = "bullet" if fmt in ("bullet", "none") else "ordered"
                    level = int(ilvl) if ilvl.isdigit() else 0
        runs = list(self.runs(p, None, False))
        para = Para(runs=runs, kind=kind, level=level, style=self.style_names.get(style_id, style_id),
                    indent_twips=indent)
        return [classify(part) for part in _split_paragraphs(para)], style_id

    def runs(self, element: Any, href: str | None, in_link: bool) -> Iterator[Span]:
        for child in element:
            tag = child.tag
            if tag == f"{W}r":
                yield from self.run(child, href, in_link)
            elif tag == f"{W}hyperlink":
                rid = child.get(R_ID)
                target = href
                if rid:
                    rel = self.document.part.rels.get(rid)
                    target = rel.target_ref if rel is not None and rel.is_external else href
                yield from self.runs(child, target, True)
            elif tag in (f"{W}ins", f"{W}moveTo", f"{W}smartTag", f"{W}fldSimple", f"{W}customXml", f"{W}sdt",
                         f"{W}sdtContent", f"{W}dir", f"{W}bdo"):
                yield from self.runs(child, href, in_link)
            # w:del and w:moveFrom (tracked deletions and moves away), bookmarks, comments and proofing
            # marks carry no text the document shows

    def run(self, r: Any, href: str | None, in_link: bool) -> Iterator[Span]:
        rpr = r.find(f"{W}rPr")
        bold = italic = underline = superscript = False
        if rpr is not None:
            bold = _on(rpr.find(f"{W}b"))
            italic = _on(rpr.find(f"{W}i"))
            u = rpr.find(f"{W}u")
            underline = u is not None and (u.get(f"{W}val") or "single") not in _OFF
            va = rpr.find(f"{W}vertAlign")
            superscript = va is not None and va.get(f"{W}val") == "superscript"
            if _on(rpr.find(f"{W}vanish")):
                return  # hidden text is not part of what the plan says
        if in_link or _is_link_style(rpr):
            underline = False  # a link's underline is how links look, not the author's emphasis
        pieces: list[str] = []
        for child in r:
            tag = child.tag
            if tag == f"{W}t":
                pieces.append(child.text or "")
            elif tag == f"{W}tab":
                pieces.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                if child.get(f"{W}type") not in ("page", "column"):
                    pieces.append("\n")
            elif tag == f"{W}noBreakHyphen":
                pieces.append("-")
            elif tag == f"{W}sym":
                pieces.append("")
        text = _LINE_BREAK.sub("\n", "".join(pieces))
        for char in _INVISIBLE.findall(text):
            self.removed[char] += 1
        text = _INVISIBLE.sub("", text)
        if text:
            yield Span(text, bold, italic, underline, superscript, href)


def _split_paragraphs(para: Para) -> list[Para]:
    """The paragraph cut at each U+2029: what follows a separator is a paragraph of its own (an item of
    Word's numbering stays an item of the same list). Called before classify, so a kind other than 'para'
    is Word's numbering."""
    if not any(PARAGRAPH_SEPARATOR in run.text for run in para.runs):
        return [para]
    groups: list[list[Span]] = [[]]
    for run in para.runs:
        for index, piece in enumerate(run.text.split(PARAGRAPH_SEPARATOR)):
            if index:
                groups.append([])
            if piece:
                groups[-1].append(replace(run, text=piece))
    first = replace(para, runs=groups[0])
    rest = [replace(para, runs=runs) if para.kind != "para" else Para(runs=runs, style=para.style)
            for runs in groups[1:]]
    return [first, *rest]


def _cells(tr: Any) -> Iterator[Any]:
    """The row's w:tc elements, looking through content controls and custom XML wrappers."""
    for child in tr:
        if child.tag == f"{W}tc":
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            inner = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if inner is not None:
                yield from (tc for tc in inner if tc.tag == f"{W}tc")


def _on(element: Any) -> bool:
    return element is not None and (element.get(f"{W}val") or "true") not in _OFF


def _is_link_style(rpr: Any) -> bool:
    if rpr is None:
        return False
    style = rpr.find(f"{W}rStyle")
    return style is not None and (style.get(f"{W}val") or "").lower() == "hyperlink"


def _fill(shd: Any) -> str | None:
    if shd is None:
        return None
    fill = (shd.get(f"{W}fill") or "").upper()
    if fill and fill != "AUTO":
        return fill
    # a pattern shading (w:val solid with w:color) fills with the pattern colour
    if (shd.get(f"{W}val") or "") == "solid":
        colour = (shd.get(f"{W}color") or "").upper()
        return colour if colour and colour != "AUTO" else None
    return None
