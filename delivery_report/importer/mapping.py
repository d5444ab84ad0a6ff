"""From the document's tables to business areas and actions: columns by name, rows joined, fields recognised.

Nothing the plan says is dropped: what fits no field (a due date such as 'TBC', an owner 'TBC', a
rating off the scale, a column the importer does not know) is kept as text in the action, and the row
is reported; a ref that cannot be the action's file name is replaced by the next free one, and the row
says so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .. import schema
from ..layout.wording import PROVENANCE_OPENINGS
from ..model import Lifecycle, Span
from .cells import Para, plain_text, slice_runs, to_markdown
from .columns import ColumnMap, find_header, is_repeated_header, normalise, single_text
from .dates import read_due, strip_label
from .people import split_people
from .ratings import WHITE, ScaleFound, agrees, colour_name, rating_of_fill, rating_of_text, scale, scale_ids
from .tables import Block, Row, Table, WordDocument
from .verify import first_difference

_AREA_HEADING = re.compile(r"^Business\s+Area\s+(\d+)\s*[:.\-–—]?\s*(.+)$", re.IGNORECASE)
# A heading of any word with a number or letter: 'Theme 1: Putting victims first', 'Objective A',
# 'Police and Crime Plan: Objective 1 Keeping people safe', 'Strategic Priority 2 - Reduce crime'
_ANY_HEADING = re.compile(
    r"^(?:(?P<prefix>[^:]{1,60}):\s*)??(?P<word>[A-Z][A-Za-z]+(?:\s+[A-Za-z]+){0,2}?)\s+(?P<id>\d{1,2}|[A-Z])"
    r"(?=$|[\s:.,)\-–—])[\s:.,)\-–—]*(?P<title>.*)$")
_NOT_AREA_WORDS = {"appendix", "annex", "annexe", "table", "figure", "page", "version", "part", "item", "paragraph",
                   "schedule", "chart", "step", "phase", "year", "quarter", "week", "month", "day", "stage"}
_REF = re.compile(r"^(\d+)\.(\d+)$")
_REF_AT_START = re.compile(r"^\s*(?:Action\s+)?(\d+\.\d+)(?:[.:)]|\s+[-–—])?\s+(?=\S)", re.IGNORECASE)
_REFS_IN = re.compile(r"\d+\.\d+[A-Za-z]?")
_REF_LIST = r"\d+\.\d+[A-Za-z]?\.?(?:\s*(?:,|&|and)\s*\d+\.\d+[A-Za-z]?\.?)*"
_SUPERSEDED = re.compile(
    rf"^Actions?\s+(?P<refs>{_REF_LIST})\s+(?:now\s+|have\s+been\s+|has\s+been\s+)?(?:merged\s+and\s+)?superseded\s+by\s+"
    rf"(?:an?\s+)?(?:new\s+)?(?:replacement\s+)?Actions?\s+(?P<by>{_REF_LIST})\s*"
    r"(?:,?\s*(?:below|above|in\s+Business\s+Area\s+\d+))?\s*[.:]?\s*",
    re.IGNORECASE,
)
_DELETED = re.compile(rf"^Actions?\s+(?P<refs>{_REF_LIST})\s+(?:now\s+|has\s+been\s+|have\s+been\s+)?deleted\b[\s.,:;–-]*",
                      re.IGNORECASE)
_CARRIED = re.compile(
    r"^\(?\s*Ongoing\s*[-–—]\s*links\s+to\s+Action\s+(?P<ref>\d+\.\d+[A-Za-z]?)\s*(?:,\s*(?P<plan>[^)]*?))?\s*\)?\s*\.?$",
    re.IGNORECASE,
)
_CARRIED_AT_END = re.compile(
    r"\(\s*Ongoing\s*[-–—]\s*links\s+to\s+Action\s+(?P<ref>\d+\.\d+[A-Za-z]?)\s*(?:,\s*(?P<plan>[^)]*?))?\s*\)\s*\.?$",
    re.IGNORECASE,
)
_PRIORITY = re.compile(r"^\s*(\d+)\s*(?:(?:-|–|to)\s*(\d+)|((?:\s*(?:,|&|and|/)\s*\d+)+))?\s*$")


def _phrase_pattern(name: str) -> re.Pattern[str]:
    """A fixed phrase the report prints (plan.md's `words`, by its default) as a pattern of any office's wording of
    it: each {placeholder} any words, '&' or 'and', spaces as any run of them."""
    pieces = re.split(r"(\{[^{}]*\})", schema.load_schema("plan")["properties"]["words"]["properties"][name]["default"])
    parts = [r".+?" if piece.startswith("{") else re.escape(piece) for piece in pieces if piece]
    pattern = "".join(parts).replace(r"\ \&\ ", r"\s*(?:&|and)\s*").replace(r"\ ", r"\s+")
    return re.compile(f"^{pattern}", re.IGNORECASE)


# Lines the build itself writes above and between the plan's tables (a report made by this tool, imported back):
# the heading over each table ('OPCC activity & progress update'), the line above the tables, the provenance.
_SUBTITLE = _phrase_pattern("activity_heading")
_AREAS_INTRODUCTION = _phrase_pattern("areas_introduction")
# A line of the action cell that gives another field ('Timescale: Ongoing', 'Lead: PH'), read when the
# table has no column for it
_CELL_LABEL = re.compile(r"^\s*(?P<label>time\s*scales?|target\s+date|due\s+date|due|deadline|lead\s+officers?|leads?|"
                         r"owners?|sponsors?|milestones?)\s*[:\-–]\s*(?=\S)", re.IGNORECASE)
_LABEL_FIELD = {"time": "due", "targ": "due", "due": "due", "dead": "due", "lead": "lead", "owne": "lead",
                "spon": "sponsor", "mile": "milestone"}
_FIELD_NAMES = {"due": "due date", "lead": "lead officer", "sponsor": "sponsor", "milestone": "milestone"}
# Stands for the ref given at the end (a row whose own ref cannot be used is numbered after its area's last)
NEW_REF = "\x00"


@dataclass
class ImportedAction:
    """One action as read from its row(s), with the fields the content format has."""

    ref: str
    action_md: str
    priorities: list[int] = field(default_factory=list)
    due: str | None = None
    sponsor: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    rag: str | None = None
    status: Lifecycle = Lifecycle.ACTIVE
    superseded_by: list[str] = field(default_factory=list)
    carried_forward: str | None = None
    body_md: str = ""
    notes: list[str] = field(default_factory=list)  # what the office must check, written into the file too
    where: str = ""
    lifecycle_text: str = ""  # the superseded wording as typed, kept if the replacement is not in the plan
    word_ref: str = ""  # the Ref as the Word plan gives it


@dataclass
class ImportedArea:
    """A business area: its heading, any text under it, and its actions in table order."""

    number: int
    title: str
    intro_md: str = ""
    actions: list[ImportedAction] = field(default_factory=list)
    has_priority_column: bool = False
    heading: str = ""  # the heading as the plan writes it ('Theme 1: Putting victims first')
    word: str = ""  # what the plan calls an area ('Theme'), when its heading says


@dataclass
class TableReport:
    """What one table of the document was taken to be, for --dry-run and the summary."""

    number: int
    kind: str  # "plan", "continued" or "other"
    first_row: tuple[str, ...] = ()
    columns: ColumnMap | None = None
    areas: list[str] = field(default_factory=list)  # "1 'Putting victims first'"
    facts: list[str] = field(default_factory=list)  # how refs, dates and ratings were found in it
    rows: int = 0
    actions: int = 0


@dataclass
class ImportedPlan:
    """Everything read from the document, and every problem found, each with its table and row."""

    title: str = ""
    organisation: str = ""
    police_and_crime_plan: str = ""
    intro_md: str = ""
    next_plans: list[str] = field(default_factory=list)
    areas: list[ImportedArea] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_joined: int = 0
    header_rows_repeated: int = 0
    empty_rows: int = 0
    tables: list[TableReport] = field(default_factory=list)
    scale: ScaleFound = field(default_factory=ScaleFound)
    removed_characters: Counter[str] = field(default_factory=Counter)


@dataclass
class _PendingRow:
    where: str
    ref_text: str
    columns: dict[str, list[Para]]
    kept: list[tuple[str, list[Para]]]  # (heading, paragraphs) of the cells no field takes
    fills: list[str]
    table: ColumnMap
    report: TableReport
    headings: dict[str, str]  # field -> the Word heading of its column, for messages and kept text


def read_plan(document: WordDocument, source_name: str, overrides: dict[str, str] | None = None) -> ImportedPlan:
    """Find every business area and its table(s) and read each row into an action."""
    plan = ImportedPlan(removed_characters=Counter(document.removed_characters))
    reader = _PlanReader(plan, source_name, overrides or {})
    reader.walk(document.body)
    reader.finish()
    if not plan.organisation:
        plan.organisation = _organisation(document)
    return plan


class _PlanReader:
    def __init__(self, plan: ImportedPlan, source: str, overrides: dict[str, str]):
        self.plan = plan
        self.source = source
        self.overrides = overrides
        self.area: ImportedArea | None = None
        self.columns: ColumnMap | None = None  # the current delivery-plan table's columns
        self.report: TableReport | None = None  # and what is said about it
        self.pending: _PendingRow | None = None
        self.blocks_since_table: list[Block] = []
        self.intro_blocks: list[Block] = []
        self.seen_refs: dict[str, str] = {}
        self.area_intro: list[Block] = []
        self.headings_seen: set[str] = set()  # every header heading, normalised, to report unused --columns
        self.entries: list[tuple[str, ImportedAction | None, str]] = []  # (where, action, message), in document order

    def problem(self, where: str, message: str) -> None:
        self.entries.append((where, None, message))

    def _note(self, action: ImportedAction, message: str) -> None:
        action.notes.append(message)
        self.entries.append((action.where, action, message))

    # walking the body -------------------------------------------------------------------------

    def walk(self, body: list[Block | Table]) -> None:
        for item in body:
            if isinstance(item, Block):
                self.block(item)
            else:
                self.table(item)

    def block(self, block: Block) -> None:
        text = block.text
        if not text:
            return
        heading = _AREA_HEADING.match(text)
        if heading and len(text) < 200:
            self.flush()
            number = self._free_number(int(heading.group(1)))
            if number != int(heading.group(1)):
                self.problem(f"'{_short(text)}'", f"business area {heading.group(1)} is used twice; this one is "
                             f"imported as business area {number}")
            self.start_area(number, heading.group(2).strip(), text, "Business Area")
            return
        self.blocks_since_table.append(block)
        if not self.plan.areas and self.area is None:
            if _looks_like_plan_title(block):
                self.plan.title = _clean_title(text)
                self.intro_blocks = []
                return
            if self.plan.title:
                self.intro_blocks.append(block)
            return
        if self.area is not None and not self.area.actions and self.pending is None and self.columns is None:
            if not _SUBTITLE.fullmatch(text):
                self.area_intro.append(block)

    def start_area(self, number: int, title: str, heading: str, word: str) -> None:
        self.columns = None
        self.area_intro = []
        self.blocks_since_table = []
        self.area = ImportedArea(number=number, title=title, heading=heading, word=word)
        self.plan.areas.append(self.area)

    def _free_number(self, *wanted: int | None) -> int:
        used = {area.number for area in self.plan.areas}
        for number in wanted:
            if number and number not in used:
                return number
        return max(used, default=0) + 1

    def table(self, table: Table) -> None:
        if not table.rows:
            return
        columns = find_header(table, self.overrides)
        if columns is None:
            if self.columns is not None and self.report is not None and self._continues(table):
                report = TableReport(table.number, "continued", _first_texts(table))
                report.columns = self.columns
                if self.area is not None:
                    report.areas.append(_area_label(self.area))
                self.plan.tables.append(report)
                self.rows(table, self.columns, 0, report)
            else:
                self.flush()
                self.columns = None
                self.plan.tables.append(TableReport(table.number, "other", _first_texts(table)))
            self.blocks_since_table = []
            return
        report = TableReport(table.number, "plan", _first_texts(table), columns)
        self.plan.tables.append(report)
        self.headings_seen.update(normalise(text) for text in columns.headings.values())
        for row in table.rows[:columns.title_rows]:
            for block in _row_blocks(row):
                self.block(block)
        started = self.area is not None and (bool(self.area.actions) or self.pending is not None)
        headings = [b for b in self.blocks_since_table if _is_heading(b) and not _SUBTITLE.fullmatch(b.text)
                    and not _skip_intro(b.text) and not _looks_like_plan_title(b)]
        if self.area is None or (started and headings):
            self.flush()
            self._area_for_table(table, columns, headings[-1] if headings else None)
        assert self.area is not None
        if self.area.actions or self.pending is not None:
            # the same table continued on the next page, header repeated
            self.plan.header_rows_repeated += columns.header_rows
        if self.area_intro and not self.area.intro_md:
            self.area.intro_md = to_markdown([b.para for b in self.area_intro])
        self.area_intro = []
        self.columns = columns
        self.report = report
        report.areas.append(_area_label(self.area))
        self.area.has_priority_column = self.area.has_priority_column or bool(columns.columns_of("priorities"))
        for column, text in columns.unknown.items():
            if column > 0 and columns.headings.get(column - 1) == text:
                continue  # one merged heading over several columns
            self.problem(f"table {table.number}", f"column '{text}' is not one the importer knows; its cells are kept "
                         f"at the end of each action's progress update as '{text}: ...' (or say which field it is with "
                         f"--columns \"{text}=<field>\")")
        if not columns.columns_of("ref") and not self._refs_at_start(table, columns):
            report.facts.append("no Ref column: actions numbered <area>.1, <area>.2, ... in table order")
        if columns.shading_column is not None:
            report.facts.append(f"no R/A/G column: the rating is read from the shading of the "
                                f"'{columns.headings.get(columns.shading_column, '')}' column")
        self.rows(table, columns, columns.title_rows + columns.header_rows, report)
        self.blocks_since_table = []

    def _refs_at_start(self, table: Table, columns: ColumnMap) -> bool:
        """True when the action cells start with the action's ref ('1.1 Develop ...'), as some plans number them."""
        found = any(_REF_AT_START.match(plain_text(row.cells[c].paras[:1]))
                    for row in table.rows for c in columns.columns_of("action")
                    if c in row.cells and row.cells[c].paras)
        columns.refs_in_action = found
        return found

    def _area_for_table(self, table: Table, columns: ColumnMap, heading: Block | None) -> None:
        """Start the business area a delivery-plan table with no 'Business Area N:' heading above it belongs to."""
        ref_area = _first_ref_area(table, columns)
        where = f"table {table.number}"
        before = list(self.blocks_since_table)
        parsed = _any_heading(heading.text) if heading is not None else None
        if heading is not None and parsed is not None:
            word, ident, title = parsed
            number = self._free_number(ref_area, int(ident) if ident.isdigit() else None,
                                       ord(ident) - 64 if ident.isalpha() else None)
            self.start_area(number, title or heading.text, heading.text, word)
        else:
            title = heading.text if heading is not None else "Business area (title to fill in)"
            number = self._free_number(ref_area, (self.area.number + 1) if self.area else 1)
            self.problem(where, f"no 'Business Area <n>: <title>' heading above it; imported as business area {number} "
                         f"'{title}'; correct _area.md if that is wrong")
            self.start_area(number, title, heading.text if heading is not None else "", "")
        if heading is not None:
            # the heading names the area; the paragraphs under it are the area's introduction, not the plan's
            under = before[next(i for i, b in enumerate(before) if b is heading) + 1:]
            used = {id(heading)} | {id(block) for block in under}
            self.intro_blocks = [b for b in self.intro_blocks if id(b) not in used]
            self.area_intro = [b for b in under if not _is_heading(b) and not _skip_intro(b.text)]

    def _continues(self, table: Table) -> bool:
        """A table with no header row right after a delivery-plan table is that table continued on the next page."""
        assert self.columns is not None
        widest = max((max(row.cells) + row.cells[max(row.cells)].span for row in table.rows if row.cells), default=0)
        return widest == self.columns.width and not any(_is_heading(b) for b in self.blocks_since_table)

    # rows -------------------------------------------------------------------------------------

    def rows(self, table: Table, columns: ColumnMap, first_row: int, report: TableReport) -> None:
        numbered = bool(columns.columns_of("ref")) or columns.refs_in_action
        headings = {key: columns.heading_of(key) for key in set(columns.fields.values())}
        for index, row in enumerate(table.rows[first_row:], start=first_row + 1):
            where = f"table {table.number} row {index}"
            if is_repeated_header(row, columns, self.overrides):
                self.plan.header_rows_repeated += 1
                continue
            heading_cell = _heading_row(row, columns)
            if heading_cell is not None:
                self._row_heading(heading_cell, columns, report, where)
                continue
            by_field: dict[str, list[Para]] = {}
            kept: list[tuple[str, list[Para]]] = []
            fills: list[str] = []
            ref_merged = False
            for column, cell in sorted(row.cells.items()):
                key = columns.fields.get(column)
                if key == "ref" and cell.merged_from_above:
                    ref_merged = True
                if cell.merged_from_above:
                    continue
                if cell.fill and (key == "rag" or column == columns.shading_column):
                    fills.append(cell.fill)
                if key is None or key == "text":
                    if cell.text:
                        kept.append((columns.headings.get(column, "") or f"column {column + 1}", cell.paras))
                    continue
                by_field.setdefault(key, []).extend(cell.paras)
            ref_text = plain_text(by_field.get("ref", []))
            if not ref_text and not columns.columns_of("ref") and by_field.get("action"):
                ref_text, by_field["action"] = _ref_at_start(by_field["action"])
                if ref_text and "refs at the start of the action cell" not in report.facts:
                    report.facts.append("refs at the start of the action cell")
            has_content = any(plain_text(p) for p in by_field.values()) or bool(kept) or bool(fills)
            if not has_content:
                if not ref_merged:
                    self.plan.empty_rows += 1
                continue
            self.plan.rows_read += 1
            report.rows += 1
            action_text = plain_text(by_field.get("action", []))
            # a row broken across pages: the part on the next page has no ref of its own (in a table with
            # refs) or no action text (in one without)
            continues = ref_merged or (numbered and not ref_text) or (not numbered and not action_text)
            if continues and self.pending is not None and not ref_text:
                for key, paras in by_field.items():
                    self.pending.columns.setdefault(key, []).extend(paras)
                self.pending.kept.extend(kept)
                self.pending.fills.extend(fills)
                self.plan.rows_joined += 1
                continue
            self.flush()
            self.pending = _PendingRow(where, ref_text, by_field, kept, fills, columns, report, dict(headings))

    def _row_heading(self, cell_text: str, columns: ColumnMap, report: TableReport, where: str) -> None:
        """A row holding one text across the table: a new area's heading, or the current area's introduction."""
        if self.area is not None and not self.area.actions and self.pending is None:
            block = _text_block(cell_text)
            self.area.intro_md = "\n\n".join(t for t in (self.area.intro_md, to_markdown([block.para])) if t)
            return
        self.flush()
        parsed = _any_heading(cell_text)
        if parsed is not None:
            word, ident, title = parsed
            number = self._free_number(int(ident) if ident.isdigit() else None,
                                       ord(ident) - 64 if ident.isalpha() else None)
            self.start_area(number, title or cell_text, cell_text, word)
        else:
            number = self._free_number()
            self.problem(where, f"a row across the table, '{_short(cell_text)}', is taken as the heading of a new "
                         f"business area {number}; correct _area.md if it is not one")
            self.start_area(number, cell_text, cell_text, "")
        self.columns = columns
        assert self.area is not None
        report.areas.append(_area_label(self.area))

    def flush(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None or self.area is None:
            return
        action = self.action(pending)
        self.area.actions.append(action)
        pending.report.actions += 1

    def finish(self) -> None:
        self.flush()
        for area in self.plan.areas:
            self._number_unnumbered(area)
        if self.plan.areas:
            for area in self.plan.areas:
                if not area.actions:
                    self.problem(f"business area {area.number}", f"'{area.title}' has no delivery-plan table under "
                                 "it; it was imported with no actions")
            self._check_replacements()
            if not self.plan.title:
                self.problem("plan", "no plan title (e.g. 'Strategic Delivery Plan 2017/18 (as at ...)') before the "
                             "first business area; plan.md has a title to fill in")
        for heading in sorted(set(self.overrides) - self.headings_seen):
            self.problem("--columns", f"no delivery-plan table has a column headed '{heading}'; check the heading's "
                         "spelling as the Word plan writes it")
        if self.plan.removed_characters:
            found = ", ".join(f"U+{ord(char):04X} x{count}" for char, count in sorted(self.plan.removed_characters.items()))
            self.problem("document", f"invisible control characters ({found}) cannot be printed in a report; removed")
        self.plan.intro_md = to_markdown([b.para for b in self.intro_blocks if not _skip_intro(b.text)])
        pcp = re.search(r"Police\s+(?:and|&)\s+Crime\s+Plan\s+\d{4}\s*[-–]\s*\d{2,4}", " ".join(
            [self.plan.title] + [b.text for b in self.intro_blocks]))
        self.plan.police_and_crime_plan = pcp.group(0) if pcp else ""
        for where, action, message in self.entries:
            if action is None:
                self.plan.problems.append(f"{self.source}: {where}: {message}")
            else:
                self.plan.problems.append(f"{self.source}: {where}: action {action.ref}: {message.replace(NEW_REF, action.ref)}")
        for area in self.plan.areas:
            for action in area.actions:
                action.notes = [note.replace(NEW_REF, action.ref) for note in action.notes]

    def _number_unnumbered(self, area: ImportedArea) -> None:
        """Give each action whose Word ref could not be its ref the next number after its area's last."""
        used = [int(action.ref.split(".")[1]) for action in area.actions if action.ref]
        following = max(used, default=0) + 1
        for action in area.actions:
            if not action.ref:
                action.ref = f"{area.number}.{following}"
                following += 1

    def _check_replacements(self) -> None:
        refs = {action.ref for area in self.plan.areas for action in area.actions}
        for area in self.plan.areas:
            for action in area.actions:
                missing = [ref for ref in action.superseded_by if ref not in refs or ref == action.ref]
                if missing:
                    self._note(action, f"superseded by {', '.join(missing)}, which is not in the plan; imported as "
                               "active with the wording kept in its status")
                    action.body_md = "\n\n".join(t for t in (f"**{action.lifecycle_text}**", action.body_md) if t)
                    action.status, action.superseded_by = Lifecycle.ACTIVE, []

    # one action -------------------------------------------------------------------------------

    def action(self, row: _PendingRow) -> ImportedAction:
        assert self.area is not None
        imported = ImportedAction(ref="", action_md="", where=row.where, word_ref=row.ref_text)
        self._ref(imported, row)
        problems: list[str] = []
        action_paras, labelled = _labelled_lines(row.columns.get("action", []))
        for key, paras in labelled.items():
            if plain_text(row.columns.get(key, [])):
                action_paras.extend(paras)  # the row has a column for it: the line stays in the action text
            else:
                row.columns[key] = _unlabelled(paras)
                row.headings[key] = plain_text(paras[:1]).split(":")[0].strip() or key
                fact = f"'{row.headings[key]}:' lines in the action cell read as the {_FIELD_NAMES[key]}"
                if fact not in row.report.facts:
                    row.report.facts.append(fact)
        milestone = row.columns.get("milestone", [])
        if plain_text(milestone):
            action_paras = action_paras + _labelled(row.headings.get("milestone") or "Milestone", milestone)
        imported.action_md = to_markdown(action_paras, problems)
        self._verify(imported, "Actions", imported.action_md, action_paras, problems)
        if not imported.action_md:
            self.problem(row.where, f"action {imported.ref or '(unnumbered)'} has no text in the Actions column; "
                         "'action' says so, fill it in")
            imported.action_md = "(no action text in the Word plan)"
        kept = self._priorities(imported, plain_text(row.columns.get("priorities", [])),
                                row.headings.get("priorities") or "Links to Strategic Priority")
        # the build flags a late action with an 'Overdue' line under its date, worked out from history
        due_paras = [p for p in row.columns.get("due", []) if p.text.strip().lower() != "overdue"]
        kept += self._due(imported, plain_text(due_paras), row.headings.get("due") or "Due date")
        imported.sponsor, more = self._people(imported, row.columns.get("sponsor", []), row.headings.get("sponsor") or "Sponsor")
        kept += more
        imported.lead, more = self._people(imported, row.columns.get("lead", []), row.headings.get("lead") or "Lead")
        kept += more
        kept += self._rag(imported, _rag_text(row.columns.get("rag", [])), row.fills, row.table,
                          row.headings.get("rag") or "R/A/G")
        for heading, paras in row.kept:
            kept += _labelled(heading, paras)
        status_problems: list[str] = []
        self._status(imported, list(row.columns.get("status", [])), kept, status_problems)
        problems += status_problems
        for message in problems:
            self._note(imported, message)
        return imported

    def _ref(self, action: ImportedAction, row: _PendingRow) -> None:
        """The action's ref from the Word ref; when it cannot be one, NEW_REF's number is given at the end."""
        assert self.area is not None
        area = self.area.number
        text = row.ref_text.strip().rstrip(".:").strip()
        candidate = ""
        if not text:
            if row.table.columns_of("ref") or row.table.refs_in_action:
                self._note(action, f"this row has no Ref; imported as {NEW_REF}")
            return
        dotted = _REF.match(text)
        if dotted and int(dotted.group(1)) != area:
            self._note(action, f"Ref {text} is in the table of business area {area}; imported as {NEW_REF} "
                       "(renumber it in Word and import again if it belongs to another area)")
            return
        if dotted:
            candidate = text
        elif text.isdigit():
            candidate = f"{area}.{int(text)}"
            fact = "refs are numbers within the area: read as <area>.<number>"
            if fact not in row.report.facts:
                row.report.facts.append(fact)
        else:
            self._note(action, f"Ref '{text}' is not of the form <area>.<n> (e.g. {area}.1); imported as {NEW_REF}")
            return
        if candidate in self.seen_refs:
            self._note(action, f"Ref {text} is used again (first at {self.seen_refs[candidate]}); imported as {NEW_REF}")
            return
        self.seen_refs[candidate] = row.where
        action.ref = candidate

    def _priorities(self, action: ImportedAction, text: str, heading: str) -> list[Para]:
        """Read the strategic-priority numbers; what is not numbers is returned to keep in the status text."""
        if not text or text in ("-", "–", "n/a", "N/A"):
            return []
        match = _PRIORITY.match(text)
        if not match:
            self._note(action, f"{heading} '{text}' is not priority numbers (e.g. '1', '1 - 3', '1 & 3'); kept in the "
                       f"progress update as '{heading}: ...'; add 'priorities: [...]' by hand")
            return _labelled(heading, [_text_block(text).para])
        first = int(match.group(1))
        if match.group(2):
            last = int(match.group(2))
            action.priorities = list(range(first, last + 1)) if last >= first else [first, last]
        else:
            action.priorities = [first] + [int(n) for n in re.findall(r"\d+", match.group(3) or "")]
        return []

    def _due(self, action: ImportedAction, text: str, heading: str) -> list[Para]:
        """Read the due date; what is not one is returned to keep in the status text."""
        reading = read_due(text)
        if reading.understood:
            action.due = reading.due
            if reading.note:
                self._note(action, reading.note)
            return []
        shown = strip_label(" ".join(text.split()))
        self._note(action, f"Due Date '{shown}' is neither a month and year nor a word such as Ongoing; kept in the "
                   f"progress update as '{heading}: {shown}'; write 'due: YYYY-MM' when there is a date")
        return _labelled(heading, [_text_block(shown).para])

    def _people(self, action: ImportedAction, paras: list[Para], heading: str) -> tuple[list[str], list[Para]]:
        people, others = split_people([p.text for p in paras if p.text.strip()])
        if not others:
            return people, []
        self._note(action, f"{heading} '{'; '.join(others)}' names nobody the report can list; kept in the progress "
                   f"update as '{heading}: ...'; add the person to people.yaml and to the action when known")
        return people, _labelled(heading, [_text_block("; ".join(others)).para])

    def _rag(self, action: ImportedAction, text: str, fills: list[str], columns: ColumnMap, heading: str) -> list[Para]:
        """The rating from the cell's words, else its shading; words off the scale are returned to keep as text."""
        from_text, understood = rating_of_text(text)
        if text.strip():
            self.plan.scale.word(text if len(text) <= 30 else _short(text, 30), from_text)
        coloured = [(fill, rating_of_fill(fill)) for fill in fills]
        for fill, rating in coloured:
            if rating != WHITE:
                # a shade that agrees with a rating of another scale than the default's ('Amber/Green' on light
                # green) is that rating's shade: plan.md's scale then draws it in the office's own colour
                own = from_text if from_text and from_text not in scale_ids() and rating and agrees(from_text, rating) else rating
                self.plan.scale.fill(fill, own)
        shaded = [rating for _, rating in coloured if rating]
        from_fill = next((r for r in shaded if r != WHITE), shaded[0] if shaded else None)
        unknown = [fill for fill, rating in coloured if rating is None]
        from_shading_column = columns.shading_column is not None and not columns.columns_of("rag")
        if from_text:
            action.rag = from_text
            if from_fill and from_fill != WHITE and not agrees(from_text, from_fill):
                self._note(action, f"R/A/G says '{text}' but the cell is shaded {from_fill}; imported as {from_text}")
            return []
        if not understood:
            self._note(action, f"R/A/G '{_short(text)}' is not a rating the import knows ({', '.join(scale())}); "
                       f"left unrated and kept in the progress update as '{heading}: ...'")
            return _labelled(heading, [_text_block(text).para])
        if from_fill == WHITE:
            if not from_shading_column:
                self._note(action, "R/A/G cell is white with no word; left unassessed (write 'rag: white' if it is not "
                           "yet due to commence)")
        elif from_fill:
            action.rag = from_fill
        elif unknown:
            self._note(action, f"R/A/G cell is shaded #{unknown[0]} ({colour_name(unknown[0])}), which is not red, "
                       "amber or green; left unrated")
        return []

    def _status(self, action: ImportedAction, paras: list[Para], kept: list[Para], problems: list[str]) -> None:
        paras = [p for p in paras if p.text.strip()]
        paras = self._lifecycle(action, paras)
        body: list[Para] = []
        for para in paras:
            text = " ".join(para.text.split())
            carried = _CARRIED.match(text) or _CARRIED_AT_END.search(text)
            if carried is None:
                body.append(para)
                continue
            if action.carried_forward is not None:
                self._note(action, f"a second carried-forward note ('{carried.group(0)}') was kept as text; "
                           f"carried_forward is {action.carried_forward}")
                body.append(para)
                continue
            action.carried_forward = carried.group("ref")
            self._next_plan(action, (carried.group("plan") or "").strip())
            if carried.re is _CARRIED_AT_END:
                # the note closes a bullet of other text: keep the text, drop the note
                before = _before(para, _offset_of(para.text, carried.start()))
                if before is not None:
                    body.append(before)
        body += kept
        action.body_md = to_markdown(body, problems)
        self._verify(action, "Current Status", action.body_md, body, problems)

    def _lifecycle(self, action: ImportedAction, paras: list[Para]) -> list[Para]:
        """Turn the superseded/deleted wording into fields and take it out of the status.

        The build writes it as the status's first paragraph, and hand-made plans mostly do; some put
        it in a later bullet ('• Action 4.4 now deleted'), where it counts when it stands alone."""
        for index, para in enumerate(paras):
            text = para.text.strip()
            superseded = _SUPERSEDED.match(text)
            deleted = None if superseded else _DELETED.match(text)
            found = superseded or deleted
            if found is None:
                continue
            rest = _rest_of(para, found.end())
            if rest is not None and index > 0:
                continue  # wording inside a later paragraph of other text: left as the office wrote it
            if superseded:
                named = _REFS_IN.findall(superseded.group("refs"))
                by = _REFS_IN.findall(superseded.group("by"))
                action.status, action.superseded_by = Lifecycle.SUPERSEDED, by
                action.lifecycle_text = " ".join(text.split())
                if action.word_ref.rstrip(".") not in named and action.ref not in named:
                    self._note(action, f"the status names actions {', '.join(named)} as superseded, not {NEW_REF}; "
                               f"imported as superseded by {', '.join(by)}")
            else:
                assert deleted is not None
                named = _REFS_IN.findall(deleted.group("refs"))
                action.status = Lifecycle.DELETED
                if action.word_ref.rstrip(".") not in named and action.ref not in named:
                    self._note(action, f"the status says action {', '.join(named)} was deleted, not {NEW_REF}; "
                               "imported as deleted")
            return paras[:index] + ([rest] if rest else []) + paras[index + 1:]
        return paras

    def _next_plan(self, action: ImportedAction, name: str) -> None:
        if not name or name.lower() == "next year's plan":
            return
        if not self.plan.next_plans:
            self.plan.next_plans.append(name)
        elif name != self.plan.next_plans[0]:
            self._note(action, f"the carried-forward note names the next plan '{name}', but an earlier one "
                       f"'{self.plan.next_plans[0]}'; plan.md has next_plan: {self.plan.next_plans[0]}")

    def _verify(self, action: ImportedAction, column: str, markdown: str, paras: list[Para], problems: list[str]) -> None:
        """Read the Markdown back as the build will; say so if it differs from the Word cell."""
        if problems:
            return  # already reported what could not be kept
        near = first_difference(markdown, paras)
        if near:
            problems.append(f"the {column} text may not read back exactly as in Word (near '{near}'); "
                            "compare the file with the Word plan")


# --- the parts of a row ------------------------------------------------------------------------


def _any_heading(text: str) -> tuple[str, str, str] | None:
    """(word, number or letter, title) of a heading such as 'Theme 1: Putting victims first'; None for other text."""
    text = " ".join(text.split())
    if len(text) > 200:
        return None
    found = _ANY_HEADING.match(text)
    if not found or found.group("word").split()[0].lower() in _NOT_AREA_WORDS:
        return None
    return found.group("word"), found.group("id"), found.group("title").strip()


def _heading_row(row: Row, columns: ColumnMap) -> str | None:
    """The text of a row that holds one text across (at least half) the table: a heading inside the table."""
    cell = single_text(row)
    if cell is None or cell.span < 2 or cell.span * 2 < columns.width:
        return None
    return cell.text


def _row_blocks(row: Row) -> list[Block]:
    """A title row's text as body paragraphs: its first paragraph a heading, the rest plain."""
    cell = single_text(row)
    if cell is None:
        return []
    paras = [p for p in cell.paras if p.text.strip()]
    return [Block(para, "", 2 if index == 0 else 0) for index, para in enumerate(paras)]


def _text_block(text: str) -> Block:
    return Block(Para(runs=[Span(text)]), "", 0)


def _labelled(heading: str, paras: list[Para]) -> list[Para]:
    """A cell's paragraphs kept as text under its column's heading: '**Milestone:** Audit complete'."""
    paras = [p for p in paras if p.text.strip()]
    if not paras:
        return []
    label = Span(f"{heading.strip().rstrip(':')}:", bold=True)
    first = paras[0]
    if first.kind == "para":
        return [Para(runs=[label, Span(" "), *list(first.runs)], style=first.style), *paras[1:]]
    return [Para(runs=[label]), *paras]


def _labelled_lines(paras: list[Para]) -> tuple[list[Para], dict[str, list[Para]]]:
    """The action cell without its 'Timescale: ...' style lines (after the first paragraph), and those lines by field."""
    kept: list[Para] = []
    found: dict[str, list[Para]] = {}
    for index, para in enumerate(paras):
        label = _CELL_LABEL.match(para.text) if index else None
        key = _LABEL_FIELD.get(label.group("label").lower()[:4]) if label else None
        if key is None or key in found:
            kept.append(para)
            continue
        found[key] = [para]
    return kept, found


def _unlabelled(paras: list[Para]) -> list[Para]:
    """The labelled line without its label ('Timescale: Ongoing' -> 'Ongoing')."""
    para = paras[0]
    label = _CELL_LABEL.match(para.text)
    if label is None:
        return paras
    return [Para(runs=slice_runs(para.runs, label.end()), kind=para.kind, level=para.level, style=para.style)]


def _ref_at_start(paras: list[Para]) -> tuple[str, list[Para]]:
    """The ref at the start of the action cell ('1.1 Develop ...') and the cell without it; ('', paras) when none."""
    first = next((index for index, para in enumerate(paras) if para.text.strip()), None)
    if first is None:
        return "", paras
    found = _REF_AT_START.match(paras[first].text)
    if found is None:
        return "", paras
    para = paras[first]
    rest = Para(runs=slice_runs(para.runs, found.end()), kind=para.kind, level=para.level, style=para.style)
    return found.group(1), [*paras[:first], rest, *paras[first + 1:]]


def _first_texts(table: Table) -> tuple[str, ...]:
    return tuple(cell.text for _, cell in sorted(table.rows[0].cells.items())) if table.rows else ()


def _area_label(area: ImportedArea) -> str:
    heading = f" (from '{_short(area.heading, 60)}')" if area.word and area.word.lower() != "business area" else ""
    return f"business area {area.number} '{area.title}'{heading}"


def _offset_of(raw: str, squeezed_index: int) -> int:
    """The index in `raw` of character `squeezed_index` of its whitespace-squeezed form."""
    count = -1
    previous_space = True
    for index, char in enumerate(raw):
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        count += 1
        if count == squeezed_index:
            return index
    return len(raw)


def _before(para: Para, end: int) -> Para | None:
    """The paragraph cut before character `end`, or None when nothing but spaces is left."""
    runs: list[Span] = []
    remaining = end
    for run in para.runs:
        if remaining <= 0:
            break
        runs.append(run if len(run.text) <= remaining else Span(run.text[:remaining], run.bold, run.italic,
                                                              run.underline, run.superscript, run.href))
        remaining -= len(run.text)
    if not "".join(r.text for r in runs).strip():
        return None
    return Para(runs=runs, kind=para.kind, level=para.level, number=para.number, style=para.style,
                typed_number=para.typed_number)


def _rag_text(paras: list[Para]) -> str:
    """The R/A/G word's paragraph: the cell's first, unless it is the direction of travel alone.

    Under the word the build writes how the rating moved ('→ Red → Not assessed', 'worsened since
    7 Nov 2017'): a rating named there is a past one, never the current one."""
    for para in paras:
        text = " ".join(para.text.split())
        if not text:
            continue
        if text[0] in "→↑↓↔" or "→" in text or text.lower().startswith(("not assessed", "new since", "new ")):
            return ""
        return text
    return ""


def _rest_of(para: Para, end: int) -> Para | None:
    """What follows the standard wording in the same paragraph, as a paragraph of its own ('due to ...')."""
    offset = len(para.text) - len(para.text.lstrip())
    runs = slice_runs(para.runs, offset + end)
    text = "".join(run.text for run in runs).strip()
    if not text:
        return None
    runs = [r for r in runs if r.text]
    first = runs[0]
    lead = first.text.lstrip()
    runs[0] = Span(lead[:1].upper() + lead[1:], first.bold, first.italic, first.underline, first.superscript, first.href)
    return Para(runs=runs, kind=para.kind, level=para.level, number=para.number)


def _first_ref_area(table: Table, columns: ColumnMap) -> int | None:
    """The area number the table's first ref names (4 for '4.1'), for a table with no area heading."""
    ref_columns = columns.columns_of("ref") or columns.columns_of("action")
    for row in table.rows[columns.title_rows + columns.header_rows:]:
        for column in ref_columns:
            cell = row.cells.get(column)
            if cell is None:
                continue
            text = cell.text.rstrip(".") if columns.columns_of("ref") else _ref_at_start(cell.paras)[0]
            match = _REF.match(text)
            if match:
                return int(match.group(1))
    return None


def _is_heading(block: Block) -> bool:
    """A heading style, or a short paragraph all in bold (how the hand-made plans head their sections)."""
    return bool(block.heading_level) or (block.all_bold and len(block.text) < 150)


def _looks_like_plan_title(block: Block) -> bool:
    text = block.text
    visible = [run for run in block.para.runs if run.text.strip()]
    return bool(re.search(r"delivery\s+plan", text, re.IGNORECASE)) and len(text) < 200 and (
        bool(block.heading_level) or (bool(visible) and visible[0].bold) or text.lower().startswith("appendix"))


def _clean_title(text: str) -> str:
    text = re.sub(r"^Appendix\s+\w+\s*[:.\-–]\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*\(as\s+at[^)]*\)\s*$", "", text, flags=re.IGNORECASE)
    return text.strip()


def _skip_intro(text: str) -> bool:
    """Lines the build writes itself above the tables, so they are not imported as the introduction."""
    return (text.startswith(PROVENANCE_OPENINGS) or bool(_AREAS_INTRODUCTION.match(text))
            or bool(_SUBTITLE.fullmatch(text)))


def _organisation(document: WordDocument) -> str:
    for item in document.body:
        if isinstance(item, Block):
            found = re.search(r"Office of the Police(?:,?\s+Fire)?\s+(?:and|&)\s+Crime\s+Commissioner(?:\s+for\s+[A-Za-z ]+)?",
                              item.text, re.IGNORECASE)
            if found:
                text = found.group(0).strip()
                if text.isupper():
                    small = {"of", "the", "and", "for"}
                    text = " ".join(w.lower() if w.lower() in small and i else w.capitalize()
                                    for i, w in enumerate(text.split()))
                return text
    return ""


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
