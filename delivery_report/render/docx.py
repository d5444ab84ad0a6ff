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
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..model import (
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
_PARAGRAPH_NUMBER = re.compile(r"^(\d+\.\d+)\s+")

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
    return _normalised_zip(out.getvalue())


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
        style.font.color.rgb = RGBColor(0, 0, 0)
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


def _normalised_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member dates, so the same content gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


# --- low-level helpers ------------------------------------------------------------------------


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _bookmark_name(ref: str) -> str:
    return "action_" + re.sub(r"[^A-Za-z0-9]", "_", ref)


class _Flow:
    """Adds paragraphs to a document or a table cell, reusing a new cell's empty first paragraph."""

    def __init__(self, container):
        self.container = container
        self.spare = container.paragraphs[0] if hasattr(container, "_tc") else None

    def paragraph(self, style: Optional[str] = None):
        if self.spare is not None:
            para, self.spare = self.spare, None
            if style:
                para.style = style
            return para
        return self.container.add_paragraph(style=style)


class _Writer:
    """Writes the parts of the report into one python-docx Document."""

    def __init__(self, doc, plan: Plan):
        self.doc = doc
        self.plan = plan
        self.values = placeholder_values(plan)
        self.refs = {a.ref for a in plan.actions}
        self.bookmark_id = 0
        self.table_count = 0

    # rich text ---------------------------------------------------------------------------

    def spans(self, para, spans: Iterable[Span], size: Optional[float] = None, colour: Optional[str] = None) -> None:
        for span in spans:
            text = fill_placeholders(span.text, self.values)
            if span.action_ref and span.action_ref in self.refs:
                self._hyperlink(para, text, span, anchor=_bookmark_name(span.action_ref), size=size)
            elif span.href:
                self._hyperlink(para, text, span, url=span.href, size=size)
            else:
                run = para.add_run(text)
                self._format(run, span, size, colour)

    def _format(self, run, span: Span, size: Optional[float], colour: Optional[str]) -> None:
        if span.bold:
            run.bold = True
        if span.italic:
            run.italic = True
        if span.underline:
            run.underline = True
        if span.superscript:
            run.font.superscript = True
        if size:
            run.font.size = Pt(size)
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)

    def _hyperlink(self, para, text: str, span: Span, anchor: str = "", url: str = "", size: Optional[float] = None) -> None:
        link = OxmlElement("w:hyperlink")
        if anchor:
            link.set(qn("w:anchor"), anchor)
        else:
            link.set(qn("r:id"), self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True))
        run = para.add_run(text)
        self._format(run, span, size, LINK_COLOUR)
        run.underline = True
        run._r.getparent().remove(run._r)
        link.append(run._r)
        para._p.append(link)

    def blocks(self, flow: _Flow, blocks: RichText, size: Optional[float] = None, colour: Optional[str] = None,
               depth: int = 0, heading_offset: int = 0) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                para = flow.paragraph()
                self.spans(para, block.spans, size, colour)
            elif isinstance(block, Heading):
                level = min(3, max(1, block.level + heading_offset))
                para = flow.paragraph(f"Heading {level}")
                self.spans(para, block.spans, None, None)
            elif isinstance(block, ListBlock):
                self.list(flow, block, size, colour, depth)
            elif isinstance(block, Placeholder):
                self.placeholder(flow, block.name)

    def list(self, flow: _Flow, block: ListBlock, size, colour, depth: int) -> None:
        style = "List Bullet" if depth == 0 else f"List Bullet {min(depth + 1, 3)}"
        for number, item in enumerate(block.items, start=block.start):
            first = True
            for inner in item.blocks:
                if isinstance(inner, ListBlock):
                    self.list(flow, inner, size, colour, depth + 1)
                    continue
                if isinstance(inner, Paragraph) and first:
                    in_body = not hasattr(flow.container, "_tc")
                    numbered = _PARAGRAPH_NUMBER.match(inner.spans[0].text) if in_body and inner.spans and not block.ordered else None
                    if numbered:
                        # "- 1.1 The PCC ..." is a numbered paragraph, as in the hand-made report: no bullet.
                        para = flow.paragraph()
                        para.paragraph_format.left_indent = Cm(1.0 + 0.63 * depth)
                        para.paragraph_format.first_line_indent = Cm(-1.0)
                        first_span = inner.spans[0]
                        rest = first_span.text[numbered.end():]
                        run = para.add_run(numbered.group(1) + "\t")
                        self._format(run, first_span, size, colour)
                        self.spans(para, ((replace(first_span, text=rest),) if rest else ()) + inner.spans[1:], size, colour)
                        first = False
                        continue
                    if block.ordered:
                        para = flow.paragraph()
                        para.paragraph_format.left_indent = Cm(0.63 * (depth + 1))
                        para.paragraph_format.first_line_indent = Cm(-0.63)
                        para.paragraph_format.space_after = Pt(2)
                        run = para.add_run(f"{number}.\t")
                        self._format(run, Span(""), size, colour)
                    else:
                        para = flow.paragraph(style)
                    self.spans(para, inner.spans, size, colour)
                    first = False
                else:
                    self.blocks(flow, (inner,), size, colour, depth + 1)

    def placeholder(self, flow: _Flow, name: str) -> None:
        if name == "business_area_list":
            for area in self.plan.areas:
                para = flow.paragraph()
                para.paragraph_format.left_indent = Cm(1.9)
                para.paragraph_format.first_line_indent = Cm(-0.63)
                para.paragraph_format.space_after = Pt(0)
                para.add_run(f"{area.number}.\t{area.title}")
        elif name == "rag_key":
            self.rag_key()

    # parts of the report -----------------------------------------------------------------

    def draft_banner(self) -> None:
        para = self.doc.add_paragraph()
        run = para.add_run("DRAFT – built from uncommitted changes; not for sign-off")
        run.bold = True
        run.font.size = Pt(14)
        run.font.color.rgb = RGBColor.from_string("C00000")

    def bold_line(self, text: str, size: Optional[float] = None) -> None:
        para = self.doc.add_paragraph()
        run = para.add_run(text)
        run.bold = True
        if size:
            run.font.size = Pt(size)

    def cover_report(self) -> None:
        cover = self.plan.cover
        doc = self.doc
        for line in cover.heading.upper().split("\n"):
            self.bold_line(line, 14)
        self.bold_line(cover.report_type)
        meeting = cover.meeting.strip()
        if not meeting or meeting.lower().endswith(" on") or meeting.lower() == "on":
            meeting = f"{meeting} {BLANK}".strip()
        self.spans(self.doc.add_paragraph(), _inline_spans(meeting, bold=True))
        doc.add_paragraph(f"Title: {cover.title}", style="Title")
        doc.add_paragraph("Executive Summary:", style="Heading 2")
        self.blocks(_Flow(doc), cover.executive_summary)
        doc.add_paragraph("Recommendation:", style="Heading 2")
        self.blocks(_Flow(doc), cover.recommendation)
        doc.add_paragraph("Police and Crime Commissioner", style="Heading 2")
        doc.add_paragraph("I hereby approve the recommendation above.")
        self.bold_line(f"Signature\t{BLANK}")
        self.bold_line(f"Date\t\t{BLANK}")
        doc.add_paragraph("PART 1 – NON-CONFIDENTIAL", style="Heading 1")
        self.blocks(_Flow(doc), cover.sections, heading_offset=0)
        if cover.background_papers:
            self.blocks(_Flow(doc), cover.background_papers)
        doc.add_paragraph("Public access to information", style="Heading 2")
        doc.add_paragraph(
            "Information in this form is subject to the Freedom of Information Act 2000 (FOIA) and other "
            "legislation. Part 1 of this form will be made available on the website within 1 working day of "
            "approval. Any facts and advice that should not be automatically available on request should not be "
            "included in Part 1 but instead on a separate Part 2 form. Deferment of publication is only applicable "
            "where release before that date would compromise the implementation of the decision being approved."
        )
        self.bold_line(f"Is the publication of this form to be deferred? {'Yes' if cover.publication_deferred else 'No'}")
        self.bold_line(f"Is there a Part 2 form? {'Yes' if self.plan.has_restricted else 'No'}")
        if cover.sign_off:
            self.sign_off_table()
        doc.add_paragraph("PCC STATUTORY CHIEF OFFICERS' APPROVAL", style="Heading 2")
        doc.add_paragraph("We have been consulted about the report and confirm that appropriate financial and legal "
                          "advice have been taken into account.")
        doc.add_paragraph("We are satisfied that this is an appropriate request to be submitted to the Police and "
                          "Crime Commissioner.")
        for chief in cover.chief_officers:
            self.bold_line(chief.officer)
            para = doc.add_paragraph()
            para.add_run("Date ")
            date_text = chief.date or BLANK
            self.spans(para, _inline_spans(date_text))

    def sign_off_table(self) -> None:
        table = self._table(("Name & Role", "Officer"), (12.0, 4.6), "Officers' sign-off")
        for row_data in self.plan.cover.sign_off:
            cells = table.add_row().cells
            flow = _Flow(cells[0])
            heading = flow.paragraph()
            heading.add_run(row_data.heading).bold = True
            self.blocks(flow, row_data.advice)
            cells[1].paragraphs[0].add_run(row_data.officer)

    def rag_key(self) -> None:
        table = self._table(("R/A/G", "Meaning"), (2.6, 14.0), "RAG key")
        for rag, meaning in RAG_MEANINGS:
            cells = table.add_row().cells
            self._rag_cell(cells[0], rag)
            cells[1].paragraphs[0].add_run(meaning)

    def _rag_cell(self, cell, rag: Optional[str], size: Optional[float] = None) -> None:
        if not rag:
            return
        fill, text = RAG_FILLS[rag]
        _shade(cell, fill)
        run = cell.paragraphs[0].add_run(RAG_WORDS[rag])
        run.bold = True
        run.font.color.rgb = RGBColor.from_string(text)
        if size:
            run.font.size = Pt(size)

    def _table(self, headers: tuple[str, ...], widths_cm: tuple[float, ...], caption: str, size: Optional[float] = None):
        self.table_count += 1
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        caption_el = OxmlElement("w:tblCaption")
        caption_el.set(qn("w:val"), caption)
        tbl_pr.append(caption_el)
        header = table.rows[0]
        _repeat_header(header)
        for cell, text, width in zip(header.cells, headers, widths_cm):
            _shade(cell, HEADER_FILL)
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            if size:
                run.font.size = Pt(size)
        for column, width in zip(table.columns, widths_cm):
            column.width = Cm(width)
        return table

    def delivery_plan(self) -> None:
        plan = self.plan
        doc = self.doc
        heading = doc.add_paragraph(style="Heading 1")
        heading.add_run("Appendix 1: ")
        heading.add_run(plan.info.title)
        heading.add_run(f" (as at {plan.snapshot.as_at_short})")
        self._provenance()
        self.blocks(_Flow(doc), plan.info.intro)
        self.bold_line(f"OPCC Business Areas which support delivery of the PCC's {plan.info.police_and_crime_plan}")
        for area in plan.areas:
            self.area_table(area)

    def _provenance(self) -> None:
        snap = self.plan.snapshot
        if snap.commit:
            when = snap.committed_at.strftime("%d %B %Y %H:%M UTC") if snap.committed_at else ""
            text = f"Content as at the end of {snap.as_at_words}: commit {snap.commit[:12]} ({when})."
        else:
            text = f"Content from the working tree on {snap.as_at_words}."
        if snap.draft:
            text += " DRAFT: includes uncommitted changes."
        para = self.doc.add_paragraph()
        run = para.add_run(text)
        run.italic = True
        run.font.size = Pt(9)

    def area_table(self, area: BusinessArea) -> None:
        doc = self.doc
        doc.add_paragraph(f"Business Area {area.number}: {area.title}", style="Heading 2")
        self.blocks(_Flow(doc), area.intro)
        doc.add_paragraph("OPCC activity & progress update", style="Heading 3")
        columns, widths = PLAN_COLUMNS, PLAN_WIDTHS_CM
        if not area.uses_priorities:
            columns = tuple(c for c in PLAN_COLUMNS if c != "Links to Strategic Priority")
            widths = PLAN_WIDTHS_CM[:2] + PLAN_WIDTHS_CM[3:6] + (PLAN_WIDTHS_CM[6] + PLAN_WIDTHS_CM[2], PLAN_WIDTHS_CM[7])
        table = self._table(columns, widths, f"Business Area {area.number}: {area.title}", size=9)
        for action in area.actions:
            self.action_row(table, action, area.uses_priorities)

    def action_row(self, table, action: Action, with_priorities: bool) -> None:
        cells = table.add_row().cells
        values = [action.ref]
        ref_para = cells[0].paragraphs[0]
        self.bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmark_id))
        start.set(qn("w:name"), _bookmark_name(action.ref))
        ref_para._p.append(start)
        ref_para.add_run(action.ref).font.size = Pt(9)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmark_id))
        ref_para._p.append(end)
        self.blocks(_Flow(cells[1]), action.text, size=9)
        column = 2
        if with_priorities:
            values.append(priorities_display(action))
            cells[column].paragraphs[0].add_run(priorities_display(action)).font.size = Pt(9)
            column += 1
        for text in (action.due.display if action.due else "", people_display(action.sponsor), people_display(action.lead)):
            if text:
                cells[column].paragraphs[0].add_run(text).font.size = Pt(9)
            column += 1
        status = _Flow(cells[column])
        wording = lifecycle_wording(action, self.plan)
        if wording:
            para = status.paragraph()
            spans = tuple(replace(s, action_ref=None) if s.action_ref == action.ref else s for s in _inline_spans(wording, bold=True))
            self.spans(para, spans, size=9)
        self.blocks(status, action.status, size=9)
        carried = carried_forward_wording(action, self.plan)
        if carried:
            para = status.paragraph()
            run = para.add_run(carried)
            run.italic = True
            run.font.size = Pt(9)
        self._rag_cell(cells[column + 1], action.rag, size=9)

    def recommendation_monitoring(self) -> None:
        doc = self.doc
        doc.add_paragraph("Appendix 2: Panel Recommendation Monitoring", style="Heading 1")
        para = doc.add_paragraph()
        para.add_run("Progress Update key: ").bold = True
        for by, label, colour_name in (("panel", "Panel", "blue"), ("pcc", "PCC", "black"), ("chief_constable", "Chief Constable", "red")):
            run = para.add_run(f"{label}: response in {colour_name}")
            run.bold = True
            run.font.color.rgb = RGBColor.from_string(RESPONDER_COLOURS[by])
            if by != "chief_constable":
                para.add_run("; ")
        table = self._table(MONITORING_COLUMNS, MONITORING_WIDTHS_CM, "Panel Recommendation Monitoring", size=10)
        for rec in self.plan.recommendations:
            cells = table.add_row().cells
            flow = _Flow(cells[0])
            topic = flow.paragraph()
            run = topic.add_run(rec.topic)
            run.bold = True
            run.font.size = Pt(10)
            self.blocks(flow, rec.recommendation, size=10)
            progress = _Flow(cells[1])
            for response in rec.responses:
                colour = RESPONDER_COLOURS.get(response.by, "000000")
                label_para = progress.paragraph()
                label = label_para.add_run(f"{response.label}:")
                label.bold = True
                label.font.size = Pt(10)
                label.font.color.rgb = RGBColor.from_string(colour)
                self.blocks(progress, response.text, size=10, colour=colour)
            self.blocks(_Flow(cells[2]), rec.assessment, size=10)

    def performance_measures(self) -> None:
        doc = self.doc
        doc.add_paragraph("Appendix 3: Performance Measures", style="Heading 1")
        arrows = {"improving": "↑ improving", "worsening": "↓ worsening", "unchanged": "↔ unchanged", "": ""}
        table = self._table(("Measure", "Period", "Comparison", "Current", "Direction of travel", "Commentary"),
                            (6.0, 3.2, 2.6, 2.6, 2.8, 9.5), "Performance measures", size=10)
        for kpi in self.plan.kpis:
            cells = table.add_row().cells
            cells[0].paragraphs[0].add_run(kpi.title).bold = True
            cells[1].paragraphs[0].add_run(kpi.period)
            if kpi.baseline:
                cells[2].paragraphs[0].add_run(f"{kpi.format_value(kpi.baseline.value)} ({kpi.baseline.label})")
            cells[3].paragraphs[0].add_run(f"{kpi.format_value(kpi.current.value)} ({kpi.current.label})")
            cells[4].paragraphs[0].add_run(arrows[kpi.direction])
            self.blocks(_Flow(cells[5]), kpi.commentary, size=10)


def _inline_spans(text: str, bold: bool = False) -> tuple[Span, ...]:
    """Plain generated wording as spans, with 'Action 1.12' references linked like typed ones."""
    from ..richtext import parse

    blocks = parse(text)
    spans: list[Span] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            spans.extend(Span(**{**s.__dict__, "bold": s.bold or bold}) for s in block.spans)
    return tuple(spans) or (Span(text, bold=bold),)
