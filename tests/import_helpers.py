"""Word files laid out as the hand-made delivery plans are (seed 000), made with python-docx for the import tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

WITH_PRIORITY = ("Ref.", "Actions", "Links to Strategic Priority", "Due Date", "Sponsor", "Lead Officer",
                 "Current Status", "R/A/G")
# The second area's table as seed 000 writes some of them: no priority column, the R/A/IG typo; and
# here also other usual names and another column order, as another office might have them.
WITHOUT_PRIORITY = ("Ref", "Action", "Timescale", "Lead", "Sponsor", "Progress", "R/A/IG")

AMBER, GREEN, RED = "FFC000", "00B050", "FF0000"


@dataclass
class Text:
    """A run of a cell paragraph."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    superscript: bool = False


@dataclass
class P:
    """A cell paragraph: its runs and its style (e.g. 'List Bullet', 'List Bullet 2', 'List Number')."""

    runs: list[Text | str]
    style: str | None = None


@dataclass
class SeedRow:
    """One table row: a value per column heading; a cell is text or paragraphs. `fill` shades the R/A/G cell."""

    cells: dict[str, str | list[P]]
    fill: str | None = None


@dataclass
class SeedTable:
    """A table: its columns, rows, and whether its first row is a header repeated from the page before."""

    columns: tuple[str, ...]
    rows: list[SeedRow]
    header: bool = True
    repeated_header: bool = False


@dataclass
class SeedArea:
    """A business area: its heading and one or more tables (a table split across pages is two)."""

    heading: str
    tables: list[SeedTable] = field(default_factory=list)


def _shade(cell: Any, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _fill_paragraph(paragraph: Any, runs: list[Text | str]) -> None:
    for piece in runs:
        part = piece if isinstance(piece, Text) else Text(piece)
        run = paragraph.add_run(part.text)
        run.bold = part.bold or None
        run.italic = part.italic or None
        run.underline = part.underline or None
        if part.superscript:
            run.font.superscript = True


def _fill_cell(cell: Any, value: str | list[P]) -> None:
    paragraphs = [P([value])] if isinstance(value, str) else value
    for index, para in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        if para.style:
            paragraph.style = para.style
        _fill_paragraph(paragraph, para.runs)


def _bold_line(document: Any, *runs: Text | str) -> None:
    _fill_paragraph(document.add_paragraph(), list(runs))


def write_seed_layout(path: Path, title: str, intro: list[Text | str], areas: list[SeedArea]) -> Path:
    """Write a .docx as the hand-made plans are laid out: bold headings, one table per area, shaded R/A/G."""
    document = docx.Document()
    _bold_line(document, Text(title, bold=True), " (as at 11.4.2018)")
    _bold_line(document, *intro)
    _bold_line(document, Text("OPCC Business Areas which support delivery of the PCC's Police and Crime Plan 2017-2021",
                              bold=True))
    for area in areas:
        _bold_line(document, Text(area.heading, bold=True))
        _bold_line(document, Text("OPCC activity & progress update", bold=True))
        for table_spec in area.tables:
            rows = len(table_spec.rows) + (1 if table_spec.header else 0)
            table = document.add_table(rows=rows, cols=len(table_spec.columns))
            table.style = "Table Grid"
            offset = 0
            if table_spec.header:
                for cell, name in zip(table.rows[0].cells, table_spec.columns):
                    _fill_cell(cell, [P([Text(name, bold=True)])])
                if table_spec.repeated_header:
                    tr_pr = table.rows[0]._tr.get_or_add_trPr()
                    tr_pr.append(OxmlElement("w:tblHeader"))
                offset = 1
            for row_spec, row in zip(table_spec.rows, table.rows[offset:]):
                for name, cell in zip(table_spec.columns, row.cells):
                    value = row_spec.cells.get(name, "")
                    if value:
                        _fill_cell(cell, value)
                    if name in ("R/A/G", "R/A/IG") and row_spec.fill:
                        _shade(cell, row_spec.fill)
            # the page break that split the table in the PDF the office converted
            document.add_paragraph()
    document.save(str(path))
    return path


def seed_layout_plan(path: Path) -> Path:
    """The test plan: two areas, one with a priority column and a table split across pages, one without."""
    superseded = [P([Text("Actions 1.1 & 1.2 now merged and superseded by a new replacement Action 1.3, below", bold=True)])]
    area1_part1 = SeedTable(WITH_PRIORITY, [
        SeedRow({"Ref.": "1.1", "Actions": "Develop a calendar of communications activities.", "Current Status": superseded}),
        SeedRow({"Ref.": "1.2", "Actions": "Develop a calendar of engagement events.", "Current Status": superseded}),
        SeedRow({
            "Ref.": "1.3",
            "Actions": [P(["Implement the 2017 Communication Strategy:"]),
                        P(["Plan the events"], "List Number"), P(["Run them"], "List Number")],
            "Links to Strategic Priority": "2", "Due Date": "Mar 2018", "Sponsor": "PCC/ DPCC", "Lead Officer": "CH",
            "Current Status": [
                P(["• The VF Portal has been redesigned, launching 1", Text("st", superscript=True), " April"]),
                P(["• Services funded by the PCC:-"]),
                P(["Oxon – awarded to Refuge"], "List Bullet 2"),
                P(["E Berks – ", Text("not", underline=True), " yet awarded"], "List Bullet 2"),
                P([Text("Hate Crime week", bold=True), " was ", Text("well", italic=True), " attended"], "List Bullet"),
            ],
            "R/A/G": "(C)",
        }, fill=GREEN),
        SeedRow({
            "Ref.": "1.4", "Actions": "Roll out the Domestic Abuse campaign.", "Links to Strategic Priority": "1 - 3",
            "Due Date": "Ongoing", "Sponsor": "SM", "Lead Officer": "CH",
            "Current Status": [
                P(["Camden Council's campaign will be used in June 2018."], "List Bullet"),
                P([Text("(Ongoing - links to Action 1.3, 2018/19 OPCC SDP)", italic=True)], "List Bullet"),
            ],
        }, fill=AMBER),
        SeedRow({
            "Ref.": "1.5", "Actions": "Develop engagement with BME groups.", "Links to Strategic Priority": "2",
            "Due Date": "Mar 2018", "Sponsor": "SM", "Lead Officer": "CH",
            "Current Status": [
                P([Text("Action 1.5 now deleted due to being superseded by other work, e.g.", bold=True)]),
                P(["OPCC development of Victim First Touchpoints"], "List Bullet"),
            ],
        }),
    ])
    # the same table on the next page: Word repeated the header row, and 1.5's status ran on
    area1_part2 = SeedTable(WITH_PRIORITY, [
        SeedRow({"Current Status": [P(["TVP developing its own engagement with young people"], "List Bullet")]}),
        SeedRow({
            "Ref.": "1.6", "Actions": "Review the publishing of progress.", "Links to Strategic Priority": "1 & 3",
            "Due Date": "July 2017", "Sponsor": "Dep PCC", "Lead Officer": "SM",
            "Current Status": "Delayed by the Force's new system.",
        }, fill=RED),
    ], repeated_header=True)
    area2 = SeedTable(WITHOUT_PRIORITY, [
        SeedRow({"Ref": "2.1", "Action": "Coordinate the annual report.", "Timescale": "May 2017", "Sponsor": "SM",
                 "Lead": "GE", "Progress": "Presented to the Panel.", "R/A/IG": "(C)"}, fill=GREEN),
        SeedRow({"Ref": "2.2", "Action": "Attend service reviews.", "Timescale": "Quarterly", "Sponsor": "SM",
                 "Lead": "GE/CH", "Progress": "Arrangements in place."}, fill=GREEN),
        SeedRow({"Ref": "2.3", "Action": "Review the performance framework.", "Timescale": "Sep 2017",
                 "Sponsor": "PH", "Lead": "GE", "Progress": "Behind schedule.", "R/A/IG": "Red"}, fill=RED),
        SeedRow({"Ref": "2.4", "Action": "Publish the scrutiny schedule.", "Timescale": "by the summer",
                 "Sponsor": "PH", "Lead": "GE", "Progress": "Not started.", "R/A/IG": ""}),
        # seed 000 2.4: a typed bullet inside Word's bullet, the carried-forward note closing a bullet
        SeedRow({"Ref": "2.5", "Action": "Improve engagement with Local Authorities.", "Timescale": "Mar 2018",
                 "Sponsor": "PCC", "Lead": "SM", "Progress": [
                     P(["• Meetings with Local Authority Leaders"], "List Bullet"),
                     P(["• Development with Safeguarding Boards on hold. (",
                        Text("Ongoing - links to Action 2.3, 2018/19 OPCC SDP", italic=True), ")"], "List Bullet"),
                 ]}),
        # seed 000 4.4: the deleted wording as the last bullet
        SeedRow({"Ref": "2.6", "Action": "Develop a business case.", "Timescale": "Mar 2018",
                 "Sponsor": "Dep PCC", "Lead": "PH", "Progress": [
                     P(["• The Dep PCC will join the Steering Group instead."], "List Bullet"),
                     P(["• ", Text("Action 2.6 now deleted", bold=True)], "List Bullet"),
                 ]}),
    ])
    areas = [
        SeedArea("Business Area 1: Communications, PR & Engagement", [area1_part1, area1_part2]),
        SeedArea("Business Area 2: Performance (Police)", [area2]),
    ]
    intro: list[Text | str] = [Text("Business Areas:", bold=True), (" This plan captures the activities of the OPCC "
                               "in support of the PCC's Police and Crime Plan 2017-2021")]
    return write_seed_layout(path, "Thames Valley OPCC Strategic Delivery Plan 2017/18", intro, areas)


# What the import must make of seed_layout_plan, field by field (front matter as read back with PyYAML).
SEED_EXPECTED: dict[str, dict[str, object]] = {
    "1.1": {"status": "superseded", "superseded_by": ["1.3"]},
    "1.2": {"status": "superseded", "superseded_by": ["1.3"]},
    "1.3": {"priorities": [2], "due": "2018-03", "sponsor": ["PCC", "DPCC"], "lead": "CH", "rag": "complete"},
    "1.4": {"priorities": [1, 2, 3], "due": "Ongoing", "sponsor": "SM", "lead": "CH", "rag": "amber",
            "carried_forward": "1.3"},
    "1.5": {"priorities": [2], "due": "2018-03", "sponsor": "SM", "lead": "CH", "status": "deleted"},
    "1.6": {"priorities": [1, 3], "due": "2017-07", "sponsor": "Dep PCC", "lead": "SM", "rag": "red"},
    "2.1": {"due": "2017-05", "sponsor": "SM", "lead": "GE", "rag": "complete"},
    "2.2": {"due": "Quarterly", "sponsor": "SM", "lead": ["GE", "CH"], "rag": "green"},
    "2.3": {"due": "2017-09", "sponsor": "PH", "lead": "GE", "rag": "red"},
    "2.4": {"sponsor": "PH", "lead": "GE"},
    "2.5": {"due": "2018-03", "sponsor": "PCC", "lead": "SM", "carried_forward": "2.3"},
    "2.6": {"due": "2018-03", "sponsor": "Dep PCC", "lead": "PH", "status": "deleted"},
}
SEED_BODIES: dict[str, str] = {
    "1.3": ("- The VF Portal has been redesigned, launching 1^st^ April\n"
            "- Services funded by the PCC:-\n"
            "  - Oxon – awarded to Refuge\n"
            "  - E Berks – ++not++ yet awarded\n"
            "- **Hate Crime week** was *well* attended"),
    "1.4": "- Camden Council's campaign will be used in June 2018.",
    "1.5": ("**Due to being superseded by other work, e.g.**\n\n"
            "- OPCC development of Victim First Touchpoints\n"
            "- TVP developing its own engagement with young people"),
    "1.6": "Delayed by the Force's new system.",
    "2.5": "- Meetings with Local Authority Leaders\n- Development with Safeguarding Boards on hold.",
    "2.6": "- The Dep PCC will join the Steering Group instead.",
}
SEED_ACTION_TEXT = {"1.3": "Implement the 2017 Communication Strategy:\n\n1. Plan the events\n2. Run them"}
# The one thing in the plan the importer cannot map: 2.4's due date.
SEED_PROBLEMS = [("seed.docx: table 3 row 5: action 2.4: Due Date 'by the summer' is neither a month and year nor a word "
                  "such as Ongoing; left out; add 'due: YYYY-MM' by hand")]
