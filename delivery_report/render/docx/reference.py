"""templates/reference.docx: the Word styles the report is drawn with, which staff can restyle in Word.

`build_reference()` makes the shipped file from python-docx's default template: Arial, British English,
black headings, Word's Hyperlink character style, and only the styles the report uses (the default template's thumbnail, its 150 unused
styles and its leftover parts are dropped). The renderer opens templates/reference.docx as it is, so a
restyled copy (fonts, sizes, colours, spacing) changes every report built after it; it only has to keep
the styles listed in REQUIRED_STYLES.
"""

from __future__ import annotations

import io
from importlib import resources
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ...issues import BuildError
from .package import british_english, normalised_package, without_proof_state

FONT = "Arial"
LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)  # Word's own hyperlink blue
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
REFERENCE_NAME = "reference.docx"
# The styles the renderer draws with, by the names Word shows (Word may renumber the style ids when a
# restyled copy is saved, so the renderer looks the ids up by name).
REQUIRED_STYLES = (
    "Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Bullet 2", "List Bullet 3",
    "Table Grid", "Header", "Footer", "TOC Heading", "toc 1", "toc 2", "Hyperlink",
)
# Kept too: Word's own defaults and the character styles linked to the headings.
_ALSO_KEPT = {"Default Paragraph Font", "Normal Table", "No List", "Title Char", "Heading 1 Char",
              "Heading 2 Char", "Heading 3 Char", "Header Char", "Footer Char"}
_HEADINGS = (("Title", 16), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11))
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme")
_FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")


def open_reference() -> tuple[DocxDocument, dict[str, str]]:
    """The shipped (or restyled) templates/reference.docx, checked to have every style the report uses,
    and the style id of each style name."""
    try:
        data = resources.files("delivery_report.templates").joinpath(REFERENCE_NAME).read_bytes()
    except (FileNotFoundError, ModuleNotFoundError):
        raise BuildError(f"templates/{REFERENCE_NAME} is missing; restore it from git "
                         "(or make it again: python scripts/make_reference_docx.py)") from None
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise BuildError(f"templates/{REFERENCE_NAME} cannot be opened ({exc}); restore it from git") from None
    ids = {style.name: style.style_id for style in doc.styles if style.name}
    missing = [name for name in REQUIRED_STYLES if name not in ids]
    if missing:
        raise BuildError(f"templates/{REFERENCE_NAME} lacks the style(s) {', '.join(missing)}; the report is drawn "
                         "with them: add them back in Word (or restore the file from git)")
    return doc, ids


def build_reference() -> bytes:
    """The reference document as shipped: python-docx's default template, restyled and pruned."""
    doc = Document()
    _set_up_styles(doc)
    for level, indent in ((1, 0.0), (2, 0.5)):
        style: Any = _add_paragraph_style(doc, f"toc {level}", "Normal")
        style.paragraph_format.left_indent = Pt(indent * 28.35)
        style.paragraph_format.space_after = Pt(2)
    _add_hyperlink_style(doc)
    british_english(doc)
    without_proof_state(doc)
    keep = set(REQUIRED_STYLES) | _ALSO_KEPT
    for style in list(doc.styles):
        if style.name not in keep:
            style.element.getparent().remove(style.element)
    _drop_stray_parts(doc)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    out = io.BytesIO()
    doc.save(out)
    return normalised_package(out.getvalue(), [])


def _add_paragraph_style(doc: DocxDocument, name: str, based_on: str) -> object:
    style: Any = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[based_on]
    style.font.name = FONT
    return style


def _add_hyperlink_style(doc: DocxDocument) -> None:
    """Word's built-in 'Hyperlink' character style (blue, underlined), which every link's text carries.
    Beyond the look, LibreOffice 7.4 needs it: its PDF export skips a link whose text has no character
    style (SwEditShell::GetINetAttrs passes over the default character format), so without it the PDF
    lost every link but the Contents' page numbers."""
    style: Any = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    style.base_style = doc.styles["Default Paragraph Font"]
    style.font.color.rgb = LINK_COLOUR
    style.font.underline = True
    style.priority = 99
    style.unhide_when_used = True
    style.element.attrib.pop(qn("w:customStyle"), None)  # Word's own style, not one of ours


def _drop_stray_parts(doc: DocxDocument) -> None:
    """The default template's thumbnail (a picture of another document), Word 2010's styles-with-effects
    copy and a bibliography data part: nothing of this report."""
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rel_id]
    document_rels = doc.part.rels
    for rel_id, rel in list(document_rels.items()):
        if rel.reltype in (_STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
            del document_rels[rel_id]


def _set_up_styles(doc: DocxDocument) -> None:
    """Arial throughout, black headings, tight list spacing (British English is the document default)."""
    styles = doc.styles
    normal: Any = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for name in _FONT_ATTRS:
        fonts.set(qn(name), FONT)
    normal.paragraph_format.space_after = Pt(6)
    for style_name, size in _HEADINGS:
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
        style.paragraph_format.keep_with_next = True
    styles["Title"].paragraph_format.space_after = Pt(12)
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3"):
        styles[name].paragraph_format.space_after = Pt(2)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(8)
