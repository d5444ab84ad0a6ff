"""Word files laid out as the hand-made delivery plans are (seed 000), made with python-docx for the import tests."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import yaml
from conftest import ROOT, run_build, run_script
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

IMPORT_SCRIPT = ROOT / "scripts" / "import_docx.py"


def run_import(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run scripts/import_docx.py as a user would (in this process: see conftest.run_script)."""
    return run_script(IMPORT_SCRIPT, *args)


def check_imported(content: Path) -> subprocess.CompletedProcess[str]:
    """--check an imported content folder as it stands: it fails only on the import's own placeholders (its
    'TO FILL IN' values and '# import:' notes, errors until an officer replaces them: issue 18), each at its line;
    with them filled in, the folder would pass. Returns the check's run."""
    from delivery_report.unfinished import IMPORT_NOTE, TO_FILL_IN

    checked = run_build("--check", "--content", str(content))
    problems = [line for line in checked.stderr.splitlines() if line.startswith(content.as_posix())]
    assert checked.returncode == (1 if problems else 0), checked.stdout + checked.stderr
    not_placeholders = [line for line in problems if ": warning: " not in line
                        and f"'{TO_FILL_IN}" not in line and f"('{IMPORT_NOTE}" not in line]
    assert not_placeholders == [], checked.stderr
    return checked


def front_matter(path: Path) -> tuple[dict[str, Any], str]:
    """An imported file's fields (read back with PyYAML) and its body."""
    text = path.read_text(encoding="utf-8")
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta), body.strip("\n")

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
    "2.4": "Not started.\n\n**Timescale:** by the summer",
    "2.6": "- The Dep PCC will join the Steering Group instead.",
}
SEED_ACTION_TEXT = {"1.3": "Implement the 2017 Communication Strategy:\n\n1. Plan the events\n2. Run them"}
# The one thing in the plan the importer cannot map: 2.4's due date, kept in its progress update (a `due:`
# the build does not accept would fail --check).
SEED_PROBLEMS = [("seed.docx: table 3 row 5: action 2.4: Due Date 'by the summer' is neither a month and year nor a word "
                  "such as Ongoing; kept in the progress update as 'Timescale: by the summer'; write 'due: YYYY-MM' "
                  "when there is a date")]


# --- other offices' layouts (issue 20): any words, merged title and header rows, refs in the action cell ----------


@dataclass
class C:
    """A table cell: its text or paragraphs, and its shading."""

    value: str | list[P] = ""
    fill: str | None = None


@dataclass
class Grid:
    """A table as Word holds it: rows of cells, merges (top, left, bottom, right) made with Word's Merge Cells,
    and the rows marked 'repeat as header row'. A merged cell's value is given at its top-left position."""

    rows: list[list[C | str | list[P]]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    repeat_header: tuple[int, ...] = ()


def write_plan(path: Path, items: list[P | Grid]) -> Path:
    """A Word plan from paragraphs (P, with a style such as 'Heading 1', or bold runs) and tables (Grid)."""
    document = docx.Document()
    for item in items:
        if isinstance(item, P):
            paragraph = document.add_paragraph(style=item.style) if item.style else document.add_paragraph()
            _fill_paragraph(paragraph, item.runs)
            continue
        width = max(len(row) for row in item.rows)
        table = document.add_table(rows=len(item.rows), cols=width)
        table.style = "Table Grid"
        covered = set()
        for top, left, bottom, right in item.merges:
            table.cell(top, left).merge(table.cell(bottom, right))
            covered |= {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)} - {(top, left)}
        for r, row in enumerate(item.rows):
            for c, value in enumerate(row):
                if (r, c) in covered:
                    continue
                cell_spec = value if isinstance(value, C) else C(value)
                cell = table.cell(r, c)
                if cell_spec.value:
                    _fill_cell(cell, cell_spec.value)
                if cell_spec.fill:
                    _shade(cell, cell_spec.fill)
        for r in item.repeat_header:
            table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        document.add_paragraph()
    document.save(str(path))
    return path


def _bold(text: str) -> list[Text | str]:
    return [Text(text, bold=True)]


def thames_valley_2015_plan(path: Path) -> Path:
    """Thames Valley's 2015/16 layout: the ref inside the Actions cell with a 'Timescale:' line under the action,
    no Ref or due-date column, and the R/A/G shown by shading alone (of the Progress cell in the first area,
    of an R/A/G column with no words in the second)."""
    area1 = Grid([
        [C(_b("Actions")), C(_b("Lead Officer")), C(_b("Progress"))],
        [C([P(["1.1 Publish the annual report."]), P(["Timescale: Ongoing"])]), "PH",
         C("Published in June; the next is drafted.", GREEN)],
        [C([P(["1.2 Review the complaints process."]), P(["Timescale: March 2016"])]), "PH/SM",
         C("Review under way.", AMBER)],
        [C([P(["1.3 Set the budget and precept."]), P(["Timescale: Feb 2016"])]), "Chief Finance Officer",
         C("Delayed by the grant settlement.", RED)],
        [C([P(["1.4 Agree the estates strategy."]), P(["Timescale: TBC"])]), "", C("Not started.")],
    ])
    area2 = Grid([
        [C(_b("Actions")), C(_b("Sponsor")), C(_b("Lead Officer")), C(_b("Progress")), C(_b("R/A/G"))],
        [C([P(["2.1 Commission victims' services."]), P(["Timescale: Ongoing"])]), "PCC", "CH",
         "Contract let to the new provider.", C("", GREEN)],
        [C([P(["2.2 Review the community grants scheme."]), P(["Timescale: Sept 2015"])]), "DPCC", "CH & SM",
         "The panel met twice.", C("", AMBER)],
        [C([P(["2.3 Evaluate the restorative justice pilot."]), P(["Timescale: Ongoing"])]), "DPCC", "CH",
         "Evaluation begins in the spring.", C("", "FFFFFF")],
    ])
    return write_plan(path, [
        P(_bold("Thames Valley OPCC Strategic Delivery Plan 2015/16")),
        P(["This plan supports the Police and Crime Plan 2013-2017."]),
        P(_bold("Business Area 1: Governance and Accountability")), area1,
        P(_bold("Business Area 2: Commissioning")), area2,
    ])


def _b(text: str) -> list[P]:
    return [P([Text(text, bold=True)])]


OFFICE_HEADER = ["No.", "Objective", "Milestone", "Owner", "Target date", "Progress", "Status"]


def another_office_plan(path: Path) -> Path:
    """Another office's layout: each theme a table under a merged title row 'Theme 1: ...', columns No.,
    Objective, Milestone, Owner, Target date (30/09/2018), Progress and Status (R/A/G by word or shading alone)."""
    def theme(title: str, rows: list[list[C | str | list[P]]]) -> Grid:
        header: list[C | str | list[P]] = [C(_b(name)) for name in OFFICE_HEADER]
        title_row: list[C | str | list[P]] = [C(_b(title))] + [""] * (len(OFFICE_HEADER) - 1)
        return Grid([title_row, header, *rows], merges=[(0, 0, 0, len(OFFICE_HEADER) - 1)])

    theme1 = theme("Theme 1: Putting victims first", [
        ["1", "Improve compliance with the Victims' Code.", "Compliance audit complete", "Head of Victim Services",
         "30/09/2018", "Audit fieldwork finished in August.", C("", GREEN)],
        ["2", "Open a victims' hub in each county.", "Hubs open", "Jane Smith", "31/03/2019",
         "Premises found in two counties.", C("Amber", AMBER)],
        ["3", "Review restorative justice services.", "Review reported to the Board", "CEO/CFO", "TBC",
         "Scoping the review.", C("", RED)],
        ["4", "Publish the victims' survey.", "Survey published", "TBC", "Ongoing", "Published each quarter.",
         C("Complete", GREEN)],
    ])
    theme2 = theme("Theme 2: Reducing reoffending", [
        ["1", "Fund the women's centre.", "Contract signed", "Head of Commissioning", "30/06/2018",
         "Signed in May.", C("", GREEN)],
        ["2", "Expand integrated offender management.", "Cohort doubled", "Jane Smith / Chief Inspector",
         "31/12/2018", "Recruitment of officers under way.", C("Amber/Green", AMBER)],
    ])
    return write_plan(path, [
        P(_bold("Office of the Police, Fire and Crime Commissioner Delivery Plan 2018/19")),
        P(["Our plan for the year."]),
        theme1, theme2,
    ])


def repeated_headers_plan(path: Path) -> Path:
    """Headings of any word ('Police and Crime Plan: Objective 1 ...', 'Objective A'), a two-row header under
    merged heading cells repeated down the table as a converted PDF repeats it, a row broken across the
    repeat, Word's line and paragraph separators in a cell, and due dates as Q3 2018/19, End of June 2018,
    31.12.18, Sep '19 and Sept 2018."""
    upper: list[C | str | list[P]] = [C(_b("Ref")), C(_b("Commitment")), C(_b("Delivery")), "", C(_b("Update")),
                                       C(_b("RAG"))]
    lower: list[C | str | list[P]] = ["", "", C(_b("Lead")), C(_b("Due")), "", ""]
    header_merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4), (0, 5, 1, 5)]
    objective1 = Grid([
        upper, lower,
        ["1.1", "Extend the rural crime team.", "PH", "Q3 2018/19", "Team recruited.", C("Green", GREEN)],
        ["1.2", "Open the new custody suite.", "SM", "End of June 2018", "Opened on 25 June.", C("Complete", GREEN)],
        upper, lower,
        ["1.3", "Review the cyber crime unit.", "CH", "31.12.18",
         "Review started.\u2028Report due in January.\u2029Terms of reference agreed.", C("Amber", AMBER)],
        ["1.4", "Train officers in trauma-informed practice.", "GE", "Sep '19", "Course designed.", C("Red", RED)],
    ], merges=header_merges + [(r + 4, c, r2 + 4, c2) for r, c, r2, c2 in header_merges], repeat_header=(0, 1))
    header2: list[C | str | list[P]] = [C(_b(name)) for name in ("Ref", "Commitment", "Lead", "Sponsor", "Due",
                                                                 "Update", "RAG")]
    objective_a = Grid([
        header2,
        ["2.1", "Publish the estates strategy.", "PH", "PCC", "Sept 2018", "Drafted.", C("Green", GREEN)],
        ["2.2", "Agree the shared services contract.", "SM", "PCC", "31.12.18",
         [P(["Negotiations opened in May."], "List Bullet")], C("Amber", AMBER)],
        header2,
        ["", "", "", "", "", [P(["Heads of terms agreed in July."], "List Bullet")], ""],
        ["2.3", "Review the fleet.", "CH", "DPCC", "Q4 2018/19", "Not yet started.", C("", "FFFFFF")],
    ], repeat_header=(0,))
    return write_plan(path, [
        P(["Strategic Delivery Plan 2018/19"], "Title"),
        P(["Police and Crime Plan: Objective 1 Keeping people safe"], "Heading 1"),
        P(["What we will do to keep people safe."]),
        objective1,
        P(["Objective A"], "Heading 1"),
        objective_a,
    ])
