"""The report pack as a Word document: portrait cover report, landscape appendices, accessible tables.

Draws a `layout.Report`; decides no wording, order or columns of its own.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping

from docx.enum.section import WD_SECTION

from ...layout import Contents, Report
from ...model import Snapshot
from .draw import Drawer
from .package import (
    british_english,
    normalised_package,
    set_header_and_footer,
    set_page,
    set_properties,
    without_proof_state,
)
from .reference import open_reference
from .wordml import heading_bookmark


def render_docx(report: Report, snapshot: Snapshot, page_numbers: Mapping[str, int] | None = None) -> bytes:
    """Render the report as DOCX bytes; the same report (and page numbers) always gives the same bytes.

    `page_numbers` (heading bookmark -> page, from LibreOffice's layout: render.pdf.heading_pages) fills in
    the Contents' page fields; without it they are left empty for Word or LibreOffice to fill in."""
    doc, styles = open_reference()
    # Enforced here too, so a reference restyled in Word (which may save en-US or a proof state) still
    # gives a British English report whose spelling Word checks.
    british_english(doc)
    without_proof_state(doc)
    drawer = Drawer(doc, report, styles, page_numbers)
    section = doc.sections[0]
    set_page(section, landscape=report.parts[0].landscape if report.parts else False)
    if report.banner:
        drawer.banner(report.banner)
    landscape = report.parts[0].landscape if report.parts else False
    for index, part in enumerate(report.parts):
        if index:
            if part.landscape != landscape:
                section = doc.add_section(WD_SECTION.NEW_PAGE)
                set_page(section, landscape=part.landscape)
                landscape = part.landscape
            else:
                doc.add_page_break()  # type: ignore[no-untyped-call]
        drawer.part(part)
    # Dated by the as-at day, never the clock: the same commit gives the same bytes anywhere, any time.
    stamp = dt.datetime.combine(snapshot.as_at, dt.time(0), dt.timezone.utc)
    props = report.properties
    set_properties(doc, props.title, props.subject, props.author, props.comments, stamp)
    doc.core_properties.identifier = report.identifier
    set_header_and_footer(doc, report.running_header, report.page_mark, report.footer, styles)
    out = io.BytesIO()
    doc.save(out)
    return normalised_package(out.getvalue(), drawer.blocks)


def contents_bookmarks(report: Report) -> list[str]:
    """The bookmarks the Contents' page numbers refer to (PAGEREF fields), in the Contents' order."""
    return [heading_bookmark(entry.target) for part in report.parts for node in part.children
            if isinstance(node, Contents) for entry in node.entries]
