"""The report pack as a Word document: portrait cover report, landscape appendices, accessible tables."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import replace
from typing import Iterable, Optional

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..richtext import parse
from ..model import (
    NUMBERED_PARAGRAPH,
    is_numbered_paragraph_list,
    RAG_MEANINGS,
    RAG_WORDS,
    Action,
    BusinessArea,
    Heading,
    ListBlock,
    Paragraph,
    Placeholder,
    Plan,
    RichText,
    Span,
    carried_forward_wording,
    fill_placeholders,
    lifecycle_wording,
    people_display,
    placeholder_values,
    priorities_display,
)

FONT = "Arial"
# Fill and text colours chosen for at least 4.5:1 contrast between the word and its fill.
RAG_FILLS = {
    "red": ("C00000", "FFFFFF"),
    "amber": ("FFC000", "000000"),
    "green": ("00B050", "000000"),
    "complete": ("00B050", "000000"),
    "white": ("FFFFFF", "000000"),
}
RESPONDER_COLOURS = {"panel": "1F4E9E", "pcc": "000000", "chief_constable": "C00000"}
HEADER_FILL = "D9D9D9"
LINK_COLOUR = "0563C1"
BLANK = "________________"

PLAN_COLUMNS = ("Ref.", "Actions", "Links to Strategic Priority", "Due Date", "Sponsor", "Lead Officer", "Current Status", "R/A/G")
PLAN_WIDTHS_CM = (1.3, 5.6, 2.0, 1.8, 1.7, 1.7, 10.4, 2.2)
MONITORING_COLUMNS = ("Panel Recommendations", "Progress Update", "Committee Assessment of Progress")
MONITORING_WIDTHS_CM = (8.2, 12.5, 6.0)


def render_docx(plan: Plan) -> bytes:
    """Render the report pack as DOCX bytes; the same plan always gives the same bytes."""
    doc = Document()
    _set_up_styles(doc)
    writer = _Writer(doc, plan)
    section = doc.sections[0]
    _page(section, landscape=False)
    if plan.snapshot.draft:
        writer.draft_banner()
    if plan.cover is not None:
        writer.cover_report()
        section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    writer.delivery_plan()
    if plan.recommendations:
        doc.add_page_break()
        writer.recommendation_monitoring()
    if plan.kpis:
        doc.add_page_break()
        writer.performance_measures()
    _set_properties(doc, plan)
    out = io.BytesIO()
    doc.save(out)
    return _normalised_zip(out.getvalue(), writer.pending)


# --- document set-up --------------------------------------------------------------------------


def _set_up_styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    rpr.append(lang)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 16), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)  # headings black, not the theme blue
        style.element.get_or_add_rPr()
        heading_fonts = style.element.rPr.find(qn("w:rFonts"))
        if heading_fonts is None:
            heading_fonts = OxmlElement("w:rFonts")
            style.element.rPr.insert(0, heading_fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia", "w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            if attr.endswith("Theme") or attr.endswith("theme"):
                heading_fonts.attrib.pop(qn(attr), None)
            else:
                heading_fonts.set(qn(attr), FONT)
    styles["Title"].paragraph_format.space_after = Pt(12)
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3"):
        styles[name].paragraph_format.space_after = Pt(2)


def _page(section, landscape: bool) -> None:
    short, long = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    margin = Cm(1.5) if landscape else Cm(2.2)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = Cm(1.8)


def _set_properties(doc, plan: Plan) -> None:
    props = doc.core_properties
    props.title = f"{plan.info.title} (as at {plan.snapshot.as_at_short})"
    props.subject = "Level 1 report pack"
    props.author = plan.info.organisation
    props.last_modified_by = plan.info.organisation
    props.language = "en-GB"
    props.revision = 1
    props.comments = f"Built from commit {plan.snapshot.commit}" if plan.snapshot.commit else "Built from the working tree"
    stamp = plan.snapshot.committed_at or dt.datetime.combine(plan.snapshot.as_at, dt.time(0), dt.timezone.utc)
    stamp = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


def _fill_markers(document_xml: bytes, blocks: list[str]) -> bytes:
    text = document_xml.decode("utf-8")
    filled, count = _MARKER_PARAGRAPH.subn(lambda m: blocks[int(m.group(1))], text)
    if count != len(blocks):
        raise RuntimeError(f"DOCX writer lost {len(blocks) - count} block(s) of the report")
    return filled.encode("utf-8")


def _normalised_zip(data: bytes, blocks: list[str]) -> bytes:
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


# --- WordprocessingML, written as text ----------------------------------------------------------
# Paragraphs and tables are written as XML text and parsed once per block: python-docx's object API
# walks the whole table for every cell it touches, which made large plans quadratic.

_MARKER = "@@block-{}@@"
_MARKER_PARAGRAPH = re.compile(r"<w:p><w:r><w:t>@@block-(\d+)@@</w:t></w:r></w:p>")
_TWIPS_PER_CM = 567
_BULLET_STYLES = ("ListBullet", "ListBullet2", "ListBullet3")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _bookmark_name(ref: str) -> str:
    return "action_" + re.sub(r"[^A-Za-z0-9]", "_", ref)


def _twips(cm: float) -> int:
    return int(round(cm * _TWIPS_PER_CM))


def _run(text: str, bold=False, italic=False, underline=False, superscript=False,
         size: Optional[float] = None, colour: Optional[str] = None) -> str:
    props = []
    if bold:
        props.append("<w:b/>")
    if italic:
        props.append("<w:i/>")
    if colour:
        props.append(f'<w:color w:val="{colour}"/>')
    if size:
        half_points = int(size * 2)
        props.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    if underline:
        props.append('<w:u w:val="single"/>')
    if superscript:
        props.append('<w:vertAlign w:val="superscript"/>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    pieces = []
    for i, line in enumerate(text.split("\n")):
        if i:
            pieces.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{_esc(chunk)}</w:t>')
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>"


def _paragraph(runs: str, style: Optional[str] = None, left_cm: Optional[float] = None,
               hanging_cm: Optional[float] = None, after_pt: Optional[float] = None) -> str:
    props = []
    if style:
        props.append(f'<w:pStyle w:val="{style}"/>')
    if after_pt is not None:
        props.append(f'<w:spacing w:after="{int(after_pt * 20)}"/>')
    if left_cm is not None:
        hanging = f' w:hanging="{_twips(hanging_cm)}"' if hanging_cm else ""
        props.append(f'<w:ind w:left="{_twips(left_cm)}"{hanging}/>')
    ppr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
    return f"<w:p>{ppr}{runs}</w:p>"


class _Writer:
    """Writes the parts of the report into one python-docx Document."""

    def __init__(self, doc, plan: Plan):
        self.doc = doc
        self.plan = plan
        self.values = placeholder_values(plan)
        self.refs = {a.ref for a in plan.actions}
        self.bookmark_id = 0
        self.links: dict[str, str] = {}
        self.pending: list[str] = []

    def add(self, xml: str) -> None:
        """Append paragraphs/tables (WordprocessingML text) at the end of the document body.

        A marker paragraph holds the place; the text replaces it when the package is written
        (moving large parsed trees into python-docx's document was quadratic in lxml)."""
        if not xml:
            return
        self.doc.add_paragraph(_MARKER.format(len(self.pending)))
        self.pending.append(xml)

    # rich text ---------------------------------------------------------------------------

    def spans(self, spans: Iterable[Span], size: Optional[float] = None, colour: Optional[str] = None,
              skip_link: str = "") -> str:
        out = []
        for span in spans:
            text = fill_placeholders(span.text, self.values)
            if span.action_ref and span.action_ref in self.refs and span.action_ref != skip_link:
                out.append(f'<w:hyperlink w:anchor="{_bookmark_name(span.action_ref)}">{self._link_run(text, span, size)}</w:hyperlink>')
            elif span.href:
                out.append(f'<w:hyperlink r:id="{self._relationship(span.href)}">{self._link_run(text, span, size)}</w:hyperlink>')
            else:
                out.append(_run(text, span.bold, span.italic, span.underline, span.superscript, size, colour))
        return "".join(out)

    def _link_run(self, text: str, span: Span, size: Optional[float]) -> str:
        return _run(text, span.bold, span.italic, True, span.superscript, size, LINK_COLOUR)

    def _relationship(self, url: str) -> str:
        if url not in self.links:
            self.links[url] = self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
        return self.links[url]

    def blocks(self, blocks: RichText, size: Optional[float] = None, colour: Optional[str] = None,
               depth: int = 0, in_cell: bool = False) -> list[str]:
        """Rich text as a list of paragraph XML strings."""
        out: list[str] = []
        for block in blocks:
            if isinstance(block, Paragraph):
                out.append(_paragraph(self.spans(block.spans, size, colour)))
            elif isinstance(block, Heading):
                if in_cell:
                    out.append(_paragraph(self.spans((replace(s, bold=True) for s in block.spans), size, colour)))
                else:
                    out.append(_paragraph(self.spans(block.spans), f"Heading{min(3, max(1, block.level))}"))
            elif isinstance(block, ListBlock):
                out.extend(self.list(block, size, colour, depth, in_cell))
            elif isinstance(block, Placeholder):
                out.append(self.placeholder(block.name))
        return out

    def list(self, block: ListBlock, size, colour, depth: int, in_cell: bool) -> list[str]:
        out: list[str] = []
        style = _BULLET_STYLES[min(depth, 2)]
        numbered_paragraphs = not in_cell and is_numbered_paragraph_list(block)
        for number, item in enumerate(block.items, start=block.start):
            first = True
            for inner in item.blocks:
                if isinstance(inner, ListBlock):
                    out.extend(self.list(inner, size, colour, depth + 1, in_cell))
                elif isinstance(inner, Paragraph) and first:
                    first = False
                    if numbered_paragraphs:
                        # "- 1.1 The PCC ..." is a numbered paragraph, as in the hand-made report: no bullet.
                        lead = inner.spans[0]
                        numbered = NUMBERED_PARAGRAPH.match(lead.text)
                        rest = lead.text[numbered.end():]
                        spans = ((replace(lead, text=rest),) if rest else ()) + inner.spans[1:]
                        runs = _run(numbered.group(1) + "\t", lead.bold, lead.italic, size=size, colour=colour)
                        out.append(_paragraph(runs + self.spans(spans, size, colour), left_cm=1.0 + 0.63 * depth, hanging_cm=1.0))
                    elif block.ordered:
                        runs = _run(f"{number}.\t", size=size, colour=colour)
                        out.append(_paragraph(runs + self.spans(inner.spans, size, colour),
                                              left_cm=0.63 * (depth + 1), hanging_cm=0.63, after_pt=2))
                    else:
                        out.append(_paragraph(self.spans(inner.spans, size, colour), style))
                else:
                    out.extend(self.blocks((inner,), size, colour, depth + 1, in_cell))
        return out

    def placeholder(self, name: str) -> str:
        if name == "business_area_list":
            return "".join(
                _paragraph(_run(f"{area.number}.\t{area.title}"), left_cm=1.9, hanging_cm=0.63, after_pt=0)
                for area in self.plan.areas
            )
        if name == "rag_key":
            rows = [[self._rag_cell(rag, 2.6), self._cell([_paragraph(_run(meaning))], 14.0)] for rag, meaning in RAG_MEANINGS]
            return self._table(("R/A/G", "Meaning"), (2.6, 14.0), "RAG key", rows)
        return ""

    # tables ------------------------------------------------------------------------------

    @staticmethod
    def _cell(paragraphs: list[str], width_cm: float, fill: str = "") -> str:
        shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
        body = "".join(paragraphs) or "<w:p/>"
        return f'<w:tc><w:tcPr><w:tcW w:w="{_twips(width_cm)}" w:type="dxa"/>{shade}</w:tcPr>{body}</w:tc>'

    def _rag_cell(self, rag: Optional[str], width_cm: float, size: Optional[float] = None) -> str:
        if not rag:
            return self._cell([], width_cm)
        fill, text = RAG_FILLS[rag]
        return self._cell([_paragraph(_run(RAG_WORDS[rag], bold=True, size=size, colour=text))], width_cm, fill)

    def _table(self, headers: tuple[str, ...], widths_cm: tuple[float, ...], caption: str,
               rows: list[list[str]], size: Optional[float] = None) -> str:
        total = _twips(sum(widths_cm))
        grid = "".join(f'<w:gridCol w:w="{_twips(w)}"/>' for w in widths_cm)
        header = "".join(
            self._cell([_paragraph(_run(text, bold=True, size=size))], width, HEADER_FILL)
            for text, width in zip(headers, widths_cm)
        )
        body = "".join(f"<w:tr>{''.join(cells)}</w:tr>" for cells in rows)
        return (
            f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{total}" w:type="dxa"/>'
            f'<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            f'<w:tblCaption w:val="{_esc(caption)}"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            f'<w:tr><w:trPr><w:tblHeader/></w:trPr>{header}</w:tr>{body}</w:tbl>'
        )

    # parts of the report -----------------------------------------------------------------

    def para(self, runs: str, style: Optional[str] = None) -> None:
        self.add(_paragraph(runs, style))

    def bold_line(self, text: str, size: Optional[float] = None) -> None:
        self.para(_run(text, bold=True, size=size))

    def draft_banner(self) -> None:
        self.para(_run("DRAFT – built from uncommitted changes; not for sign-off", bold=True, size=14, colour="C00000"))

    def cover_report(self) -> None:
        cover = self.plan.cover
        for line in cover.heading.upper().split("\n"):
            self.bold_line(line, 14)
        self.bold_line(cover.report_type)
        meeting = cover.meeting.strip()
        if cover.meeting_needs_blank:
            meeting = f"{meeting} {BLANK}".strip()
        self.para(self.spans(_inline_spans(meeting, bold=True)))
        self.para(_run(f"Title: {cover.title}"), "Title")
        self.para(_run("Executive Summary:"), "Heading2")
        self.add("".join(self.blocks(cover.executive_summary)))
        self.para(_run("Recommendation:"), "Heading2")
        self.add("".join(self.blocks(cover.recommendation)))
        self.para(_run("Police and Crime Commissioner"), "Heading2")
        self.para(_run("I hereby approve the recommendation above."))
        self.bold_line(f"Signature\t{BLANK}")
        self.bold_line(f"Date\t\t{BLANK}")
        self.para(_run("PART 1 – NON-CONFIDENTIAL"), "Heading1")
        self.add("".join(self.blocks(cover.sections)))
        if cover.background_papers:
            self.para(_run(cover.background_papers_heading), "Heading2")
            self.add("".join(self.blocks(cover.background_papers)))
        self.para(_run("Public access to information"), "Heading2")
        self.para(_run(
            "Information in this form is subject to the Freedom of Information Act 2000 (FOIA) and other "
            "legislation. Part 1 of this form will be made available on the website within 1 working day of "
            "approval. Any facts and advice that should not be automatically available on request should not be "
            "included in Part 1 but instead on a separate Part 2 form. Deferment of publication is only applicable "
            "where release before that date would compromise the implementation of the decision being approved."
        ))
        self.bold_line(f"Is the publication of this form to be deferred? {'Yes' if cover.publication_deferred else 'No'}")
        self.bold_line(f"Is there a Part 2 form? {'Yes' if self.plan.has_restricted else 'No'}")
        if cover.sign_off:
            rows = [
                [self._cell([_paragraph(_run(row.heading, bold=True)), *self.blocks(row.advice, in_cell=True)], 12.0),
                 self._cell([_paragraph(_run(row.officer))], 4.6)]
                for row in cover.sign_off
            ]
            self.add(self._table(("Name & Role", "Officer"), (12.0, 4.6), "Officers' sign-off", rows))
        self.para(_run("PCC STATUTORY CHIEF OFFICERS' APPROVAL"), "Heading2")
        self.para(_run("We have been consulted about the report and confirm that appropriate financial and legal "
                       "advice have been taken into account."))
        self.para(_run("We are satisfied that this is an appropriate request to be submitted to the Police and "
                       "Crime Commissioner."))
        for chief in cover.chief_officers:
            self.bold_line(chief.officer)
            self.para(_run("Date ") + self.spans(_inline_spans(chief.date or BLANK)))

    def delivery_plan(self) -> None:
        plan = self.plan
        self.para(_run(f"Appendix 1: {plan.info.title} (as at {plan.snapshot.as_at_short})"), "Heading1")
        self.para(_run(self._provenance(), italic=True, size=9))
        self.add("".join(self.blocks(plan.info.intro)))
        self.bold_line(f"OPCC Business Areas which support delivery of the PCC's {plan.info.police_and_crime_plan}")
        for area in plan.areas:
            self.area_table(area)

    def _provenance(self) -> str:
        snap = self.plan.snapshot
        if snap.commit:
            when = snap.committed_at.strftime("%d %B %Y %H:%M UTC") if snap.committed_at else ""
            text = f"Content as at the end of {snap.as_at_words}: commit {snap.commit[:12]} ({when})."
        else:
            text = f"Content from the working tree on {snap.as_at_words}."
        if snap.draft:
            text += " DRAFT: includes uncommitted changes."
        return text

    def area_table(self, area: BusinessArea) -> None:
        self.para(_run(f"Business Area {area.number}: {area.title}"), "Heading2")
        self.add("".join(self.blocks(area.intro)))
        self.para(_run("OPCC activity & progress update"), "Heading3")
        columns, widths = PLAN_COLUMNS, PLAN_WIDTHS_CM
        if not area.uses_priorities:
            columns = tuple(c for c in PLAN_COLUMNS if c != "Links to Strategic Priority")
            widths = PLAN_WIDTHS_CM[:2] + PLAN_WIDTHS_CM[3:6] + (PLAN_WIDTHS_CM[6] + PLAN_WIDTHS_CM[2], PLAN_WIDTHS_CM[7])
        rows = [self.action_cells(action, area.uses_priorities, widths) for action in area.actions]
        self.add(self._table(columns, widths, f"Business Area {area.number}: {area.title}", rows, size=9))

    def action_cells(self, action: Action, with_priorities: bool, widths: tuple[float, ...]) -> list[str]:
        self.bookmark_id += 1
        mark = self.bookmark_id
        ref = (f'<w:p><w:bookmarkStart w:id="{mark}" w:name="{_bookmark_name(action.ref)}"/>'
               f'{_run(action.ref, size=9)}<w:bookmarkEnd w:id="{mark}"/></w:p>')
        values = [priorities_display(action)] if with_priorities else []
        values += [action.due.display if action.due else "", people_display(action.sponsor), people_display(action.lead)]
        status: list[str] = []
        wording = lifecycle_wording(action, self.plan)
        if wording:
            status.append(_paragraph(self.spans(_inline_spans(wording, bold=True), 9, skip_link=action.ref)))
        status += self.blocks(action.status, size=9, in_cell=True)
        carried = carried_forward_wording(action, self.plan)
        if carried:
            status.append(_paragraph(_run(carried, italic=True, size=9)))
        cells = [self._cell([ref], widths[0]), self._cell(self.blocks(action.text, size=9, in_cell=True), widths[1])]
        for value, width in zip(values, widths[2:]):
            cells.append(self._cell([_paragraph(_run(value, size=9))] if value else [], width))
        cells.append(self._cell(status, widths[-2]))
        cells.append(self._rag_cell(action.rag, widths[-1], size=9))
        return cells

    def recommendation_monitoring(self) -> None:
        self.para(_run("Appendix 2: Panel Recommendation Monitoring"), "Heading1")
        key = [_run("Progress Update key: ", bold=True)]
        for by, label, colour_name in (("panel", "Panel", "blue"), ("pcc", "PCC", "black"), ("chief_constable", "Chief Constable", "red")):
            key.append(_run(f"{label}: response in {colour_name}", bold=True, colour=RESPONDER_COLOURS[by]))
            if by != "chief_constable":
                key.append(_run("; "))
        self.para("".join(key))
        widths = MONITORING_WIDTHS_CM
        rows = []
        for rec in self.plan.recommendations:
            topic = [_paragraph(_run(rec.topic, bold=True, size=10)), *self.blocks(rec.recommendation, size=10, in_cell=True)]
            progress: list[str] = []
            for response in rec.responses:
                colour = RESPONDER_COLOURS.get(response.by, "000000")
                progress.append(_paragraph(_run(f"{response.label}:", bold=True, size=10, colour=colour)))
                progress += self.blocks(response.text, size=10, colour=colour, in_cell=True)
            rows.append([
                self._cell(topic, widths[0]),
                self._cell(progress, widths[1]),
                self._cell(self.blocks(rec.assessment, size=10, in_cell=True), widths[2]),
            ])
        self.add(self._table(MONITORING_COLUMNS, widths, "Panel Recommendation Monitoring", rows, size=10))

    def performance_measures(self) -> None:
        self.para(_run("Appendix 3: Performance Measures"), "Heading1")
        headers = ("Measure", "Period", "Comparison", "Current", "Direction of travel", "Commentary")
        widths = (6.0, 3.2, 2.6, 2.6, 2.8, 9.5)
        rows = []
        for kpi in self.plan.kpis:
            baseline = f"{kpi.format_value(kpi.baseline.value)}\n{kpi.baseline.label}" if kpi.baseline else ""
            texts = (kpi.period, baseline, f"{kpi.format_value(kpi.current.value)}\n{kpi.current.label}", " ".join(kpi.movement).strip())
            cells = [self._cell([_paragraph(_run(kpi.title, bold=True, size=10))], widths[0])]
            cells += [self._cell([_paragraph(_run(t, size=10))] if t else [], w) for t, w in zip(texts, widths[1:5])]
            cells.append(self._cell(self.blocks(kpi.commentary, size=10, in_cell=True), widths[5]))
            rows.append(cells)
        self.add(self._table(headers, widths, "Performance measures", rows, size=10))


def _inline_spans(text: str, bold: bool = False) -> tuple[Span, ...]:
    """Generated wording as spans (Markdown allowed), with 'Action 1.12' linked like typed references."""
    spans: list[Span] = []
    for block in parse(text):
        if isinstance(block, Paragraph):
            spans.extend(replace(s, bold=s.bold or bold) for s in block.spans)
    return tuple(spans) or (Span(text, bold=bold),)
