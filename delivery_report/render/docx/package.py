"""The DOCX package: styles, page sections, core properties, splicing the body in and fixed zip dates."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from ...issues import BuildError

FONT = "Arial"
_HEADING_STYLES = (("Title", 16), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11))
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme")
_FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")


class RenderError(BuildError):
    """The DOCX writer produced something Word could not open: a bug, reported instead of a corrupt file."""


def set_up_styles(doc: DocxDocument) -> None:
    """Arial throughout, British English, black headings, tight list spacing."""
    styles = doc.styles
    normal: Any = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for name in _FONT_ATTRS:
        fonts.set(qn(name), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    rpr.append(lang)
    normal.paragraph_format.space_after = Pt(6)
    for style_name, size in _HEADING_STYLES:
        style: Any = styles[style_name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)  # headings black, not the theme blue
        style.element.get_or_add_rPr()
        heading_fonts = style.element.rPr.find(qn("w:rFonts"))
        if heading_fonts is None:
            heading_fonts = OxmlElement("w:rFonts")
            style.element.rPr.insert(0, heading_fonts)
        for name in _THEME_FONT_ATTRS:
            heading_fonts.attrib.pop(qn(name), None)
        for name in _FONT_ATTRS:
            heading_fonts.set(qn(name), FONT)
    styles["Title"].paragraph_format.space_after = Pt(12)  # type: ignore[union-attr]
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3"):
        styles[name].paragraph_format.space_after = Pt(2)  # type: ignore[union-attr]


def set_page(section: Any, landscape: bool) -> None:
    """A4, portrait for the cover report and landscape for the appendices' wide tables."""
    short, long = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    margin = Cm(1.5) if landscape else Cm(2.2)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = Cm(1.8)


def set_properties(doc: DocxDocument, title: str, subject: str, author: str, comments: str, stamp: dt.datetime) -> None:
    """Core properties; dates from the content, never the clock, so the same commit gives the same bytes."""
    props = doc.core_properties
    props.title = title
    props.subject = subject
    props.author = author
    props.last_modified_by = author
    props.language = "en-GB"
    props.revision = 1
    props.comments = comments
    naive = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
    props.created = naive
    props.modified = naive
    props.last_printed = naive


def set_footer(doc: DocxDocument, text: str) -> None:
    """The provenance line in the footer of every page (later sections inherit the first's footer)."""
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.text = text
    for run in paragraph.runs:
        run.font.size = Pt(8)


MARKER = "@@block-{}@@"
_MARKER_PARAGRAPH = re.compile(r"<w:p><w:r><w:t>@@block-(\d+)@@</w:t></w:r></w:p>")


def add_marker(doc: DocxDocument, index: int) -> None:
    """A paragraph that holds the place of body block `index` until the package is written."""
    doc.add_paragraph(MARKER.format(index))


def _fill_markers(document_xml: bytes, blocks: list[str]) -> bytes:
    text = document_xml.decode("utf-8")
    filled, count = _MARKER_PARAGRAPH.subn(lambda m: blocks[int(m.group(1))], text)
    if count != len(blocks):
        raise RenderError(f"the DOCX writer lost {len(blocks) - count} block(s) of the report; nothing was written")
    data = filled.encode("utf-8")
    try:
        etree.fromstring(data, etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise RenderError(f"the DOCX writer produced malformed XML ({exc}); nothing was written") from None
    return data


def normalised_package(data: bytes, blocks: list[str]) -> bytes:
    """Rewrite the package with the report's blocks in place and fixed member dates (same content, same bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            payload = source.read(info.filename)
            if info.filename == "word/document.xml":
                payload = _fill_markers(payload, blocks)
            target.writestr(member, payload)
    return out.getvalue()
