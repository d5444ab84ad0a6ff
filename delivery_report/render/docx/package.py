"""The DOCX package: styles, page sections, document properties and settings, splicing the body in and
fixed zip dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from xml.parsers import expat

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from ...issues import BuildError
from ..zipped import fixed_package
from . import wordml

MARK_COLOUR = "C00000"
LANGUAGE = "en-GB"
# docProps/app.xml as this product writes it: which program made the file, and no page, word or line
# counts (python-docx's template claims Microsoft Word, 1 page and 0 words; the true counts depend on
# the word processor's layout, which Word and LibreOffice work out again when they open the file).
APP_PROPERTIES = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>delivery-report</Application></Properties>"
)


class RenderError(BuildError):
    """The DOCX writer produced something Word could not open: a bug, reported instead of a corrupt file."""


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


def british_english(doc: DocxDocument) -> None:
    """British English for all text: the document default (every style and run inherits it, and
    LibreOffice declares it as the PDF's language) and any language a style sets of its own."""
    styles = doc.styles.element
    defaults = _child(styles, "w:docDefaults", first=True)
    run_defaults = _child(_child(defaults, "w:rPrDefault", first=True), "w:rPr")
    _child(run_defaults, "w:lang")
    for lang in styles.iter(qn("w:lang")):
        for name in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(name), LANGUAGE)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        # The theme's fonts are chosen for British English; the template's Japanese East Asian
        # theme font choice means nothing here (every style names Arial).
        theme_lang.set(qn("w:val"), LANGUAGE)
        theme_lang.attrib.pop(qn("w:eastAsia"), None)


def without_proof_state(doc: DocxDocument) -> None:
    """Drop the settings' claim that spelling and grammar were already checked (python-docx's template
    says 'clean'), so Word checks the report's text when it is opened."""
    settings = doc.settings.element
    for state in settings.findall(qn("w:proofState")):
        settings.remove(state)


def _child(parent: Any, tag: str, first: bool = False) -> Any:
    """`parent`'s child `tag`, added (first or last) if it has none."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def set_header_and_footer(doc: DocxDocument, header: str, mark: str, footer: str, styles: dict[str, str]) -> None:
    """Every page: the plan and as-at date (and DRAFT / RESTRICTED) at the top; 'Page X of Y' and the
    commit at the foot, the commit ending at the right margin. Each section has its own footer, its tab
    at the right edge of that section's text (portrait or landscape); the header is the same on every page."""
    runs = wordml.run(header)
    if mark:
        runs += wordml.run("   " + mark, bold=True, colour=MARK_COLOUR)
    page = (wordml.run("Page ") + wordml.simple_field("PAGE", "1") + wordml.run(" of ")
            + wordml.simple_field("NUMPAGES", "1") + wordml.run("\t" + footer))
    for index, section in enumerate(doc.sections):
        if index == 0:
            _replace_paragraphs(section.header._element, wordml.paragraph(runs, styles["Header"]))
        else:
            section.footer.is_linked_to_previous = False
        # set_page gave every section its width and margins; 635 EMU make a twip.
        text_width_twips = int(((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)) / 635)
        _replace_paragraphs(section.footer._element, _footer_paragraph(doc, page, styles["Footer"], text_width_twips))


def _footer_paragraph(doc: DocxDocument, runs: str, style: str, right_twips: int) -> str:
    """The footer's paragraph: the Footer style's own tab stops cleared (they are set for one page width) and
    one right tab at the edge of the text, so the commit ends at the right margin in portrait and landscape."""
    stops = doc.styles["Footer"].paragraph_format.tab_stops
    cleared = "".join(f'<w:tab w:val="clear" w:pos="{int(stop.position / 635)}"/>' for stop in stops)
    return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:tabs>{cleared}<w:tab w:val="right" w:pos="{right_twips}"/>'
            f"</w:tabs></w:pPr>{runs}</w:p>")


def _replace_paragraphs(container: Any, paragraph_xml: str) -> None:
    for child in list(container):
        container.remove(child)
    container.append(parse_xml(f"<w:document {nsdecls('w', 'r')}><w:body>{paragraph_xml}</w:body></w:document>")[0][0])


MARKER = "@@block-{}@@"
_MARKER_PARAGRAPH = re.compile(rb"<w:p><w:r><w:t>@@block-(\d+)@@</w:t></w:r></w:p>")


def add_marker(doc: DocxDocument, index: int) -> None:
    """A paragraph that holds the place of body block `index` until the package is written."""
    doc.add_paragraph(MARKER.format(index))


def _filled_pieces(document_xml: bytes, blocks: list[bytes]) -> Iterator[bytes]:
    """document.xml with each marker paragraph replaced by its block, piece by piece: at 5,000 actions the
    body is 14 MB of XML, and holding it whole (as text, then as bytes) set the build's peak memory.

    Every piece is also fed to expat, streaming (it builds no tree), so a malformed part or a character
    XML forbids fails the build instead of reaching Word; the last piece is checked before it is given."""
    parser = expat.ParserCreate()

    def checked(piece: bytes, final: bool = False) -> bytes:
        try:
            parser.Parse(piece, final)
        except expat.ExpatError as exc:
            raise RenderError(f"the DOCX writer produced malformed XML ({exc}); nothing was written") from None
        return piece

    markers = [int(marker.group(1)) for marker in _MARKER_PARAGRAPH.finditer(document_xml)]
    if markers != list(range(len(blocks))):
        raise RenderError(f"the DOCX writer placed {len(markers)} of the report's {len(blocks)} blocks, or not in "
                          "order; nothing was written")
    position = 0
    for marker in _MARKER_PARAGRAPH.finditer(document_xml):
        yield checked(document_xml[position : marker.start()])
        yield checked(blocks[int(marker.group(1))])
        position = marker.end()
    yield checked(document_xml[position:], final=True)


def normalised_package(data: bytes, blocks: list[bytes]) -> bytes:
    """Rewrite the package with the report's blocks (UTF-8 XML) in place and fixed member dates (same content,
    same bytes)."""
    def rewrite(name: str, payload: bytes) -> bytes | Iterator[bytes]:
        if name == "word/document.xml":
            return _filled_pieces(payload, blocks)
        if name == "docProps/app.xml":
            return APP_PROPERTIES
        return payload

    return fixed_package(data, rewrite)
