"""Draws each kind of layout node as WordprocessingML: one method per node, none decides wording."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable, Mapping

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from ... import layout
from ...layout.colours import RESPONDER_COLOURS, RatingFill
from ...layout.wording import BLANK
from ...model import (
    NUMBERED_PARAGRAPH,
    Heading,
    ListBlock,
    Paragraph,
    Placeholder,
    RestrictedBlock,
    RichText,
    Span,
    is_numbered_paragraph_list,
)
from . import wordml
from .package import add_marker

NO_BREAK_SPACE = "\u00a0"
BANNER_COLOUR = "C00000"
# A table of at most this many rows is kept on one page (a measure's two rows, the R/A/G key, the progress
# summary); longer ones break between rows, their header row repeated.
SHORT_TABLE_ROWS = 12
# Tables whose rows are paragraphs of status text: kept whole, a few rows could fill a page, so they break
# between rows (each row whole) like any long table.
_ROWS_OF_PROSE = (layout.TableKind.PLAN_TABLE, layout.TableKind.RECOMMENDATIONS_TABLE)
# Where the text of a numbered paragraph ('1.4<tab>The Plan ...') starts, and so where a list under it starts.
NUMBERED_TEXT_INDENT_CM = 1.0
_BULLET_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")
# Outline level of a layout Title -> Word style (the navigation pane and the contents read heading styles).
_TITLE_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3"}
_TOC_STYLES = {1: "toc 1", 2: "toc 2"}
# How a generated line looks, by its layout role: (bold, italic, size in points).
_ROLE_LOOKS: dict[layout.Role, tuple[bool, bool, float | None]] = {
    layout.Role.ORGANISATION: (True, False, 14),
    layout.Role.NOTE: (False, True, 9),
}


class Drawer:
    """Draws a report's nodes into one python-docx Document, as body blocks spliced in at save."""

    def __init__(self, doc: DocxDocument, report: layout.Report, styles: dict[str, str],
                 page_numbers: Mapping[str, int] | None = None):
        self.doc = doc
        self.report = report
        # The page each heading bookmark is on, as LibreOffice laid the report out: the Contents' PAGEREF
        # fields show these until Word updates them (empty without them, for Word or LibreOffice to fill).
        self.page_numbers: Mapping[str, int] = page_numbers or {}
        # Style name -> style id in the reference document.
        self.styles = styles
        # Each rating's fill and text colour, by the id an R/A/G cell names.
        self.rating_fills: dict[str, RatingFill] = {look.id: look for look in report.rating_fills}
        self.bookmark_id = 0
        self.pictures = 0
        self.links: dict[str, str] = {}
        # The body's blocks as UTF-8 (half the memory of text that holds a character beyond Latin-1).
        self.blocks: list[bytes] = []

    def add(self, xml: str) -> None:
        """Append paragraphs/tables at the end of the body (a marker holds the place until save)."""
        if not xml:
            return
        add_marker(self.doc, len(self.blocks))
        self.blocks.append(xml.encode("utf-8"))

    # the outline -------------------------------------------------------------------------------

    def banner(self, text: str) -> None:
        """The DRAFT or RESTRICTED marking at the top of the document."""
        self.add(wordml.paragraph(wordml.run(text, bold=True, size=14, colour=BANNER_COLOUR)))

    def part(self, part: layout.Part) -> None:
        """A part of the pack: its title (if it leads the part) and its nodes."""
        if part.title is not None:
            self.title(part.title)
        self.nodes(part.children)

    def nodes(self, nodes: Iterable[layout.Node]) -> None:
        """Draw nodes in order; a line just before a table is kept on the table's page (an introduction never
        ends a page while what it introduces starts the next)."""
        ordered = list(nodes)
        for index, node in enumerate(ordered):
            if isinstance(node, layout.Title):
                self.title(node)
            elif isinstance(node, layout.Line):
                before_table = index + 1 < len(ordered) and isinstance(ordered[index + 1], layout.Table)
                self.add(wordml.kept_with_next(self.line(node)) if before_table else self.line(node))
            elif isinstance(node, layout.Rich):
                paragraphs = self.rich(node.blocks, heading_base=node.heading_base)
                if paragraphs and index + 1 < len(ordered) and isinstance(ordered[index + 1], layout.Table):
                    paragraphs[-1] = wordml.kept_with_next(paragraphs[-1])  # '1.5 ... the following key:' + key
                self.add("".join(paragraphs))
            elif isinstance(node, layout.Table):
                self.add(self.table(node))
            elif isinstance(node, layout.Key):
                # The colour key, every line of it, stays with the table whose colours it explains.
                self.add(self.key(node, keep_next=index + 1 < len(ordered) and isinstance(ordered[index + 1], layout.Table)))
            elif isinstance(node, layout.Group):
                self.nodes(node.children)
            elif isinstance(node, layout.Section):
                self.title(node.title)
                self.nodes(node.children)
            elif isinstance(node, layout.Chart):
                # A measure's trend stays on the page of the table of its figures that follows it.
                before_table = index + 1 < len(ordered) and isinstance(ordered[index + 1], layout.Table)
                self.add(self.chart(node, keep_next=before_table))
            elif isinstance(node, layout.Contents):
                self.add(self.contents(node))
            # layout.Filters: interactive, nothing to print.

    def style(self, name: str) -> str:
        """The reference document's id of a style name."""
        return self.styles[name]

    def chart(self, chart: layout.Chart, keep_next: bool = False) -> str:
        """A chart as an inline PNG picture whose alt text states the figures, then its caption line."""
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part as PackagePart

        from ..charts import HEIGHT, WIDTH, png, svg
        from .picture import inline_picture

        relationship, _ = self.doc.part.get_or_add_image(io.BytesIO(png(chart)))
        self.pictures += 1
        # The vector chart, which Word 2016 and later draw; the PNG above is its fallback.
        vector = PackagePart(PackURI(f"/word/media/chart{self.pictures}.svg"), "image/svg+xml",
                             str(svg(chart, standalone=True)).encode("utf-8"), self.doc.part.package)
        svg_relationship = self.doc.part.relate_to(vector, RT.IMAGE)
        width_cm = 12.0
        picture = inline_picture(relationship, self.pictures, chart.id or f"chart-{self.pictures}", chart.alt,
                                 width_cm, width_cm * HEIGHT / WIDTH, svg_relationship)
        caption = self.line(layout.Line(layout.plain(chart.caption), role=layout.Role.NOTE))
        # The picture is always kept with its caption; both with the table after them when there is one.
        return wordml.kept_with_next(picture) + (wordml.kept_with_next(caption) if keep_next else caption)

    def title(self, title: layout.Title) -> None:
        """A heading in a Word heading style; headings with an id carry a bookmark for the contents."""
        # Kept with what follows whatever the reference's heading styles say: a heading never ends a page.
        xml = wordml.paragraph(wordml.run(title.text), self.style(_TITLE_STYLES.get(title.level, "Heading 3")),
                               keep_next=True)
        if title.id:
            self.bookmark_id += 1
            xml = wordml.bookmarked(xml, wordml.heading_bookmark(title.id), self.bookmark_id)
        self.add(xml)

    def contents(self, contents: layout.Contents) -> str:
        """A Word table of contents: linked entries with page numbers, PAGEREF fields that Word and LibreOffice
        can update, their results already filled in when the pages are known (render_docx's page_numbers)."""
        # Each entry's runs are in the Hyperlink style, which LibreOffice needs to keep the link in the PDF
        # (see reference.py), but drawn plain: LibreOffice styles the whole link (leader dots and page
        # number too) with it, and a contents list reads better in black.
        link = self.style("Hyperlink")
        paragraphs = []
        for entry in contents.entries:
            bookmark = wordml.heading_bookmark(entry.target)
            page = self.page_numbers.get(bookmark)
            runs = wordml.hyperlink_anchor(bookmark, wordml.run(entry.text, char_style=link, plain=True)
                                           + wordml.run("\t", char_style=link, plain=True)
                                           + wordml.field(f"PAGEREF {bookmark} \\h", "" if page is None else str(page),
                                                          wordml.run_properties(char_style=link, plain=True)))
            paragraphs.append(wordml.paragraph(runs, self.style(_TOC_STYLES.get(entry.level, "toc 2")),
                                               right_tab_cm=wordml.CONTENTS_TAB_CM))
        return "".join(paragraphs)

    def line(self, line: layout.Line, size: float | None = None, colour: str | None = None) -> str:
        """A line of generated wording; a blank to fill in follows a tab (sign lines) or a space."""
        bold, italic, role_size = _ROLE_LOOKS.get(line.role, (False, False, None))
        size = role_size or size
        spans = line.spans
        if bold or italic:
            spans = tuple(dataclasses.replace(s, bold=s.bold or bold, italic=s.italic or italic) for s in spans)
        runs = self.spans(spans, size, colour)
        if line.blank:
            gap = "\t" if line.role == layout.Role.SIGN else (" " if "".join(s.text for s in spans).strip() else "")
            runs += wordml.run(gap + BLANK, bold=any(s.bold for s in spans), size=size)
        return wordml.paragraph(runs)

    def key(self, key: layout.Key, keep_next: bool = False) -> str:
        """A colour key: its introduction, then each entry with its label in its colour."""
        out = [wordml.paragraph(wordml.run(key.intro, bold=True), keep_next=True)]
        for number, item in enumerate(key.items, start=1):
            colour = RESPONDER_COLOURS[item.by]
            out.append(wordml.paragraph(wordml.run(item.label + ":", bold=True, colour=colour)
                                        + wordml.run(" " + item.meaning, colour=colour), after_pt=2,
                                        keep_next=keep_next or number < len(key.items)))
        return "".join(out)

    # tables ------------------------------------------------------------------------------------

    def table(self, table: layout.Table) -> str:
        """A table: header row (repeated on each page), then one row per layout row."""
        widths = [c.width_cm for c in table.columns]
        size = table.size_pt
        headers = [
            wordml.cell([wordml.paragraph(wordml.run(c.label, bold=True, size=size), keep_next=True)], c.width_cm,
                        wordml.HEADER_FILL)
            for c in table.columns
        ]
        # A short table is kept on one page (each row kept with the next); a long one breaks between rows.
        keep_whole = len(table.rows) <= SHORT_TABLE_ROWS and table.kind not in _ROWS_OF_PROSE
        rows = []
        for row_number, row in enumerate(table.rows, start=1):
            cells = []
            for index, (cell, width) in enumerate(zip(row.cells, widths)):
                paragraphs = self.cell_paragraphs(cell, size)
                if keep_whole and row_number < len(table.rows):
                    paragraphs = [wordml.kept_with_next(p) for p in paragraphs] or [wordml.kept_with_next("<w:p/>")]
                if index == 0 and row.bookmark:
                    self.bookmark_id += 1
                    first = paragraphs[0] if paragraphs else wordml.paragraph("")
                    paragraphs = [wordml.bookmarked(first, wordml.bookmark_name(row.bookmark), self.bookmark_id),
                                  *paragraphs[1:]]
                look = self.rating_fills.get(cell.rag) if cell.rag else None
                cells.append(wordml.cell(paragraphs, width, look.fill if look else ""))
            rows.append(cells)
        return wordml.table(headers, widths, table.caption, rows, self.style("Table Grid"))

    def cell_paragraphs(self, cell: layout.Cell, size: float | None) -> list[str]:
        """A cell's content as paragraphs; an R/A/G word takes the colour that contrasts with its fill."""
        look = self.rating_fills.get(cell.rag) if cell.rag else None
        colour = look.text if look else None
        out: list[str] = []
        for item in cell.content:
            if isinstance(item, layout.Line):
                out.append(self.line(item, size, colour))
            elif isinstance(item, layout.Rich):
                out.extend(self.rich(item.blocks, size=size, in_cell=True))
            elif isinstance(item, layout.People):
                # A line may break after a '/', never inside one person's initials ('Dep PCC' keeps its space).
                text = "/".join(p.initials.replace(" ", NO_BREAK_SPACE) for p in item.people)
                out.append(wordml.paragraph(wordml.run(text, size=size)))
            elif isinstance(item, layout.ResponseBlock):
                response_colour = RESPONDER_COLOURS[item.by]
                out.append(wordml.paragraph(wordml.run(item.label, bold=True, size=size, colour=response_colour)))
                out.extend(self.rich(item.blocks, size=size, colour=response_colour, in_cell=True))
        return out

    # rich text -----------------------------------------------------------------------------------

    def spans(self, spans: Iterable[Span], size: float | None = None, colour: str | None = None) -> str:
        """Runs for spans; internal links go to the action's bookmark, external ones via a relationship."""
        out = []
        for span in spans:
            if span.action_ref and span.action_ref in self.report.link_targets:
                out.append(wordml.hyperlink_anchor(wordml.bookmark_name(span.action_ref), self._link_run(span, size)))
            # A link into the web page's filters ('?priority=1...') means nothing in a Word file: text only.
            elif span.href and not span.href.startswith("?"):
                out.append(wordml.hyperlink_external(self._relationship(span.href), self._link_run(span, size)))
            else:
                out.append(wordml.run(span.text, span.bold, span.italic, span.underline, span.superscript, size, colour))
        return "".join(out)

    def _link_run(self, span: Span, size: float | None) -> str:
        """Link text in the reference document's Hyperlink style (blue, underlined), which also makes
        LibreOffice keep the link in the PDF."""
        return wordml.run(span.text, span.bold, span.italic, superscript=span.superscript, size=size,
                          char_style=self.style("Hyperlink"))

    def _relationship(self, url: str) -> str:
        if url not in self.links:
            self.links[url] = self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
        return self.links[url]

    def rich(self, blocks: RichText, size: float | None = None, colour: str | None = None,
             depth: int = 0, in_cell: bool = False, heading_base: int = 3) -> list[str]:
        """Rich text as paragraphs; headings in cells are bold paragraphs so the outline stays in order."""
        levels = layout.heading_levels(blocks, heading_base) if not in_cell and depth == 0 else {}
        out: list[str] = []
        for block in blocks:
            if isinstance(block, Paragraph):
                out.append(wordml.paragraph(self.spans(block.spans, size, colour)))
            elif isinstance(block, Heading):
                if in_cell:
                    out.append(wordml.paragraph(self.spans((dataclasses.replace(s, bold=True) for s in block.spans), size, colour)))
                else:
                    level = levels.get(block.level, heading_base)
                    out.append(wordml.paragraph(self.spans(block.spans), self.style(_TITLE_STYLES.get(level, "Heading 3")),
                                                keep_next=True))
            elif isinstance(block, ListBlock):
                out.extend(self.bullet_list(block, size, colour, depth, in_cell))
            elif isinstance(block, RestrictedBlock):
                out.extend(self.rich(block.blocks, size, colour, depth, in_cell, heading_base))
            elif isinstance(block, Placeholder):
                out.append(wordml.paragraph(wordml.run("{" + block.name + "}", size=size, colour=colour)))
        return out

    def bullet_list(self, block: ListBlock, size: float | None, colour: str | None, depth: int,
             in_cell: bool) -> list[str]:
        """A bullet or numbered list; '- 1.1 Text' items outside tables are numbered paragraphs."""
        out: list[str] = []
        style = _BULLET_STYLES[min(depth, 2)]
        numbered_paragraphs = not in_cell and is_numbered_paragraph_list(block)
        for number, item in enumerate(block.items, start=block.start):
            first = True
            for inner in item.blocks:
                if isinstance(inner, ListBlock):
                    out.extend(self.bullet_list(inner, size, colour, depth + 1, in_cell))
                elif isinstance(inner, Paragraph) and first:
                    first = False
                    out.append(self._list_paragraph(inner, block, number, numbered_paragraphs, style, size, colour, depth,
                                                    in_cell))
                else:
                    out.extend(self.rich((inner,), size, colour, depth + 1, in_cell))
        return out

    def _list_paragraph(self, inner: Paragraph, block: ListBlock, number: int, numbered_paragraphs: bool,
                        style: str, size: float | None, colour: str | None, depth: int, in_cell: bool) -> str:
        match = NUMBERED_PARAGRAPH.match(inner.spans[0].text) if numbered_paragraphs else None
        if match:
            # "- 1.1 The PCC ..." is a numbered paragraph, as in the hand-made report: no bullet.
            lead = inner.spans[0]
            rest = lead.text[match.end():]
            spans = ((dataclasses.replace(lead, text=rest),) if rest else ()) + inner.spans[1:]
            runs = wordml.run(match.group(1) + "\t", lead.bold, lead.italic, size=size, colour=colour)
            return wordml.paragraph(runs + self.spans(spans, size, colour), left_cm=NUMBERED_TEXT_INDENT_CM + 0.63 * depth,
                                    hanging_cm=NUMBERED_TEXT_INDENT_CM)
        if block.ordered:
            # Outside tables a numbered list sits under the text of the numbered paragraph it follows
            # (1.4 '... namely:' then its list), as the hand-made report indents it.
            runs = wordml.run(f"{number}.\t", size=size, colour=colour)
            base = 0.0 if in_cell else NUMBERED_TEXT_INDENT_CM
            return wordml.paragraph(runs + self.spans(inner.spans, size, colour),
                                    left_cm=base + 0.63 * (depth + 1), hanging_cm=0.63, after_pt=2)
        return wordml.paragraph(self.spans(inner.spans, size, colour), self.style(style))
