"""WordprocessingML building blocks, written as text: runs, paragraphs, cells and tables.

Paragraphs and tables are written as XML text and spliced into the package once at save: python-docx's
object API walks the whole table for every cell it touches (quadratic for large plans), and building
an lxml element per run measured 50 times slower. Every piece of text and every attribute value goes
through markupsafe's escaper (never hand escaping), and the finished document is parsed once before it
is saved (see package.py), so a malformed part fails the build instead of reaching Word.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import escape as _markup_escape

TWIPS_PER_CM = 567
HEADER_FILL = "D9D9D9"
# The contents' page numbers stand at a right tab: the portrait text width (21 cm less 2 x 2.2 cm margins).
CONTENTS_TAB_CM = 16.6


@lru_cache(maxsize=256)
def twips(cm: float) -> int:
    """Centimetres as twentieths of a point, the unit of WordprocessingML lengths."""
    return round(cm * TWIPS_PER_CM)


# A character markupsafe's escaper would change: text without one (most of it) is written as it is.
_TO_ESCAPE = re.compile("[&<>\"']")


def escape(text: str) -> str:
    """Text escaped for XML (& < > " ' as entities) by markupsafe's C escaper: the bulk of a large
    document is its text, and xml.sax.saxutils was a fifth of the DOCX rendering time."""
    return str(_markup_escape(text)) if _TO_ESCAPE.search(text) else text


def attr(value: str) -> str:
    """An attribute value, quoted and escaped."""
    return f'"{escape(value)}"'


def bookmark_name(ref: str) -> str:
    """The bookmark an internal link to action `ref` points at."""
    return "action_" + re.sub(r"[^A-Za-z0-9]", "_", ref)


@lru_cache(maxsize=1024)  # a document uses a few dozen combinations, tens of thousands of times
def run_properties(bold: bool = False, italic: bool = False, underline: bool = False, superscript: bool = False,
                   size: float | None = None, colour: str | None = None, char_style: str | None = None,
                   plain: bool = False) -> str:
    """A run's w:rPr (empty when it has no formatting). `plain` draws it in the text colour without
    underline whatever its character style says."""
    props = [f"<w:rStyle w:val={attr(char_style)}/>"] if char_style else []
    if bold:
        props.append("<w:b/>")
    if italic:
        props.append("<w:i/>")
    if colour or plain:
        props.append(f"<w:color w:val={attr(colour or 'auto')}/>")
    if size:
        half_points = int(size * 2)
        props.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    if underline or plain:
        props.append(f'<w:u w:val="{"single" if underline else "none"}"/>')
    if superscript:
        props.append('<w:vertAlign w:val="superscript"/>')
    return f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""


def run(text: str, bold: bool = False, italic: bool = False, underline: bool = False, superscript: bool = False,
        size: float | None = None, colour: str | None = None, char_style: str | None = None,
        plain: bool = False) -> str:
    """A run of text with its formatting and character style (see run_properties); newlines become
    breaks and tabs become tab stops."""
    rpr = run_properties(bold, italic, underline, superscript, size, colour, char_style, plain)
    if "\n" not in text and "\t" not in text:  # most runs: one piece of text
        return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else f"<w:r>{rpr}</w:r>"
    pieces = []
    for i, line in enumerate(text.split("\n")):
        if i:
            pieces.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>"


def paragraph(runs: str, style: str | None = None, left_cm: float | None = None,
              hanging_cm: float | None = None, after_pt: float | None = None,
              right_tab_cm: float | None = None, keep_next: bool = False) -> str:
    """A paragraph of runs with an optional style, indent, space after, a dotted right tab, and kept on the
    same page as the next paragraph (a heading or an introduction with what it introduces)."""
    props = []
    if style:
        props.append(f"<w:pStyle w:val={attr(style)}/>")
    if keep_next:
        props.append("<w:keepNext/>")
    if right_tab_cm is not None:
        props.append(f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{twips(right_tab_cm)}"/></w:tabs>')
    if after_pt is not None:
        props.append(f'<w:spacing w:after="{int(after_pt * 20)}"/>')
    if left_cm is not None:
        hanging = f' w:hanging="{twips(hanging_cm)}"' if hanging_cm else ""
        props.append(f'<w:ind w:left="{twips(left_cm)}"{hanging}/>')
    ppr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
    return f"<w:p>{ppr}{runs}</w:p>"


def kept_with_next(paragraph_xml: str) -> str:
    """A paragraph already written, now kept on the same page as the next one (<w:keepNext/> after its style)."""
    if paragraph_xml.startswith("<w:p><w:pPr>"):
        head, rest = "<w:p><w:pPr>", paragraph_xml[len("<w:p><w:pPr>"):]
        if rest.startswith("<w:keepNext/>") or "<w:keepNext/>" in rest.split("</w:pPr>", 1)[0]:
            return paragraph_xml
        if rest.startswith("<w:pStyle"):
            end = rest.index("/>") + 2
            return head + rest[:end] + "<w:keepNext/>" + rest[end:]
        return head + "<w:keepNext/>" + rest
    if paragraph_xml == "<w:p/>":
        return "<w:p><w:pPr><w:keepNext/></w:pPr></w:p>"
    if paragraph_xml.startswith("<w:p>"):
        return "<w:p><w:pPr><w:keepNext/></w:pPr>" + paragraph_xml[len("<w:p>"):]
    return paragraph_xml


def heading_bookmark(element_id: str) -> str:
    """The bookmark of a heading with this id ('_Toc' names are hidden from Word's bookmark list)."""
    return ("_Toc_" + re.sub(r"[^A-Za-z0-9]", "_", element_id))[:40]


def field(instruction: str, shown: str, rpr: str = "") -> str:
    """A complex field (e.g. PAGEREF) with the result shown until the word processor updates it; `rpr`
    (run_properties) formats every run of it, as LibreOffice draws the result as the field's start."""
    result = f'<w:t xml:space="preserve">{escape(shown)}</w:t>' if shown else ""
    return (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r>{rpr}{result}</w:r>"
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')


def simple_field(instruction: str, shown: str, size: float | None = None) -> str:
    """A simple field such as PAGE or NUMPAGES."""
    return f"<w:fldSimple w:instr={attr(' ' + instruction + ' ')}>{run(shown, size=size)}</w:fldSimple>"


def bookmarked(paragraph_xml: str, name: str, mark_id: int) -> str:
    """Wrap a paragraph's runs in a bookmark (the target of internal links)."""
    head, sep, rest = paragraph_xml.partition("</w:pPr>")
    if not sep:
        head, rest = "<w:p>", paragraph_xml[len("<w:p>"):]
    else:
        head += sep
    body = rest[: -len("</w:p>")]
    return f'{head}<w:bookmarkStart w:id="{mark_id}" w:name={attr(name)}/>{body}<w:bookmarkEnd w:id="{mark_id}"/></w:p>'


def hyperlink_anchor(anchor: str, runs: str) -> str:
    """An internal link to a bookmark."""
    return f"<w:hyperlink w:anchor={attr(anchor)}>{runs}</w:hyperlink>"


def hyperlink_external(relationship_id: str, runs: str) -> str:
    """A link to a web address held in the document's relationships."""
    return f"<w:hyperlink r:id={attr(relationship_id)}>{runs}</w:hyperlink>"


def cell(paragraphs: list[str], width_cm: float, fill: str = "") -> str:
    """A table cell of a fixed width, optionally shaded; an empty cell still holds one paragraph."""
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill={attr(fill)}/>' if fill else ""
    body = "".join(paragraphs) or "<w:p/>"
    return f'<w:tc><w:tcPr><w:tcW w:w="{twips(width_cm)}" w:type="dxa"/>{shade}</w:tcPr>{body}</w:tc>'


def table(headers: list[str], widths_cm: list[float], caption: str, rows: list[list[str]],
          style: str = "TableGrid") -> str:
    """A fixed-layout table with a header row repeated on every page, rows that never split across a
    page (unless one is taller than a page), and a caption for assistive technology."""
    total = twips(sum(widths_cm))
    grid = "".join(f'<w:gridCol w:w="{twips(w)}"/>' for w in widths_cm)
    header = "".join(headers)
    body = "".join(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>" for cells in rows)
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val={attr(style)}/><w:tblW w:w="{total}" w:type="dxa"/>'
        f'<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f"<w:tblCaption w:val={attr(caption)}/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{header}</w:tr>{body}</w:tbl>"
    )
