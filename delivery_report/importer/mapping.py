"""From the document's tables to business areas and actions: columns by name, rows joined, fields recognised."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Lifecycle, Rag, Span
from .cells import Para, plain_text, slice_runs, to_markdown
from .tables import Block, Row, Table, WordDocument
from .verify import first_difference

# Column names as the hand-made plans write them (lower case, spaces squeezed, no trailing '.' or ':').
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "ref no", "ref no.", "reference", "action ref", "no", "number"),
    "action": ("actions", "action", "action description"),
    "priorities": ("links to strategic priority", "links to strategic priorities", "link to strategic priority",
                   "strategic priority", "strategic priorities", "priority", "priorities"),
    "due": ("due date", "due", "timescale", "timescales", "target date", "deadline", "due by"),
    "sponsor": ("sponsor", "sponsors"),
    "lead": ("lead officer", "lead officers", "lead", "lead officer(s)"),
    "status": ("current status", "progress", "status", "progress update", "current status/progress", "update"),
    "rag": ("r/a/g", "r/a/ig", "rag", "r.a.g", "rag status", "r/a/g status"),
}
_COLUMN_OF = {name: key for key, names in COLUMN_NAMES.items() for name in names}

_AREA_HEADING = re.compile(r"^Business\s+Area\s+(\d+)\s*[:.\-–—]?\s*(.+)$", re.IGNORECASE)
_REF = re.compile(r"^(\d+)\.(\d+[A-Za-z]?)$")
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
_RAG_WORD = re.compile(r"\b(red|amber|green|white|completed?)\b|\(c\)", re.IGNORECASE)
_RAG_LETTER = {"r": Rag.RED, "a": Rag.AMBER, "g": Rag.GREEN, "w": Rag.WHITE, "c": Rag.COMPLETE}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_DUE_MONTH = re.compile(r"^(?:(?:\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]{3,9})\.?\s*[-/ ]?\s*'?(\d{4}|\d{2})$")
_DUE_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{4})$")
_DUE_ISO = re.compile(r"^(\d{4})-(\d{2})$")
_DUE_WORD = re.compile(r"^[A-Z][A-Za-z /-]*$")
_PRIORITY = re.compile(r"^\s*(\d+)\s*(?:(?:-|–|to)\s*(\d+)|((?:\s*(?:,|&|and|/)\s*\d+)+))?\s*$")
_PEOPLE_SPLIT = re.compile(r"\s*(?:/|,|&|\band\b|\n)\s*")
_INITIALS = re.compile(r"^[A-Za-z][A-Za-z .'-]{0,19}$")
_SUBTITLE = re.compile(r"^OPCC\s+activity\s*(?:&|and)\s*progress\s+update$", re.IGNORECASE)


@dataclass
class ImportedAction:
    """One action as read from its row(s), with the fields the content format has."""

    ref: str
    action_md: str
    priorities: list[int] = field(default_factory=list)
    due: str | None = None
    sponsor: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    rag: Rag | None = None
    status: Lifecycle = Lifecycle.ACTIVE
    superseded_by: list[str] = field(default_factory=list)
    carried_forward: str | None = None
    body_md: str = ""
    notes: list[str] = field(default_factory=list)  # what the office must check, written into the file too
    where: str = ""
    lifecycle_text: str = ""  # the superseded wording as typed, kept if the replacement is not in the plan


@dataclass
class ImportedArea:
    """A business area: its heading, any text under it, and its actions in table order."""

    number: int
    title: str
    intro_md: str = ""
    actions: list[ImportedAction] = field(default_factory=list)
    has_priority_column: bool = False


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


@dataclass
class _PendingRow:
    where: str
    ref_text: str
    columns: dict[str, list[Para]]
    raw_extra: dict[str, str]
    fills: list[str | None]


def header_columns(row: Row) -> dict[int, str] | None:
    """Grid column -> field, when the row is a delivery-plan header row (it names at least Ref and Actions)."""
    found: dict[int, str] = {}
    for column, cell in row.cells.items():
        key = _COLUMN_OF.get(_normalise(cell.text))
        if key:
            for covered in range(column, column + cell.span):
                found[covered] = key
    keys = set(found.values())
    if {"ref", "action"} <= keys and len(keys) >= 3:
        return found
    return None


def _normalise(text: str) -> str:
    text = " ".join(text.lower().split())
    text = re.sub(r"\s*/\s*", "/", text)
    return text.rstrip(".:").strip()


def read_plan(document: WordDocument, source_name: str) -> ImportedPlan:
    """Find every business area and its table(s) and read each row into an action."""
    plan = ImportedPlan()
    reader = _PlanReader(plan, source_name)
    reader.walk(document.body)
    reader.finish()
    if not plan.organisation:
        plan.organisation = _organisation(document)
    return plan


class _PlanReader:
    def __init__(self, plan: ImportedPlan, source: str):
        self.plan = plan
        self.source = source
        self.area: ImportedArea | None = None
        self.columns: dict[int, str] | None = None  # the current delivery-plan table's columns
        self.pending: _PendingRow | None = None
        self.blocks_since_table: list[Block] = []
        self.header_texts: dict[int, str] = {}  # the current delivery-plan table's column headings
        self.intro_blocks: list[Block] = []
        self.seen_refs: dict[str, str] = {}
        self.area_intro: list[Block] = []

    def problem(self, where: str, message: str) -> None:
        self.plan.problems.append(f"{self.source}: {where}: {message}")

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
            self.start_area(int(heading.group(1)), heading.group(2).strip())
            return
        if not self.plan.areas and self.area is None:
            if _looks_like_plan_title(block):
                self.plan.title = _clean_title(text)
                self.intro_blocks = []
                return
            if self.plan.title:
                self.intro_blocks.append(block)
            return
        if self.area is not None and not self.area.actions and self.pending is None and self.columns is None:
            if not _SUBTITLE.match(text):
                self.area_intro.append(block)
            return
        self.blocks_since_table.append(block)

    def start_area(self, number: int, title: str) -> None:
        self.columns = None
        self.area_intro = []
        self.blocks_since_table = []
        self.area = ImportedArea(number=number, title=title)
        self.plan.areas.append(self.area)

    def table(self, table: Table) -> None:
        if not table.rows:
            return
        columns = header_columns(table.rows[0])
        if columns is None:
            if self.columns is not None and self._continues(table):
                self.rows(table, self.columns, first_row=0)
            else:
                self.flush()
                self.columns = None
            self.blocks_since_table = []
            return
        started = self.area is not None and (bool(self.area.actions) or self.pending is not None)
        if self.area is None or (started and any(_is_heading(b) for b in self.blocks_since_table)):
            # a delivery-plan table with no "Business Area N:" heading: name it after the nearest heading
            self.flush()
            title = self._fallback_title()
            number = _first_ref_area(table, columns) or ((self.area.number + 1) if self.area else 1)
            self.problem(f"table {table.number}", f"no 'Business Area <n>: <title>' heading above it; "
                         f"imported as business area {number} '{title}'; correct _area.md if that is wrong")
            self.start_area(number, title)
        assert self.area is not None
        if self.area.actions or self.pending is not None:
            self.plan.header_rows_repeated += 1  # the same table continued on the next page, header repeated
        if self.area_intro and not self.area.intro_md:
            self.area.intro_md = to_markdown([b.para for b in self.area_intro])
        self.area_intro = []
        self.columns = columns
        self.header_texts = {col: cell.text for col, cell in table.rows[0].cells.items()}
        self.area.has_priority_column = self.area.has_priority_column or "priorities" in columns.values()
        self._unknown_columns(table, columns)
        self.rows(table, columns, first_row=1)
        self.blocks_since_table = []

    def _continues(self, table: Table) -> bool:
        """A table with no header row right after a delivery-plan table is that table continued on the next page."""
        assert self.columns is not None
        widest = max((max(row.cells) + row.cells[max(row.cells)].span for row in table.rows if row.cells), default=0)
        return widest == max(self.columns) + 1 and not any(_is_heading(b) for b in self.blocks_since_table)

    def _fallback_title(self) -> str:
        for block in reversed(self.blocks_since_table or self.area_intro or self.intro_blocks):
            if _is_heading(block) and not _SUBTITLE.match(block.text):
                return block.text
        return "Business area (title to fill in)"

    def _unknown_columns(self, table: Table, columns: dict[int, str]) -> None:
        header = table.rows[0]
        for column, cell in header.cells.items():
            if column not in columns and cell.text:
                self.problem(f"table {table.number}", f"column '{cell.text}' is not one the importer knows "
                             f"({', '.join(sorted(COLUMN_NAMES))}); its cells are reported row by row below")

    # rows -------------------------------------------------------------------------------------

    def rows(self, table: Table, columns: dict[int, str], first_row: int) -> None:
        header_texts = self.header_texts
        for index, row in enumerate(table.rows[first_row:], start=first_row + 1):
            where = f"table {table.number} row {index}"
            if header_columns(row) is not None:
                self.plan.header_rows_repeated += 1
                continue
            by_field: dict[str, list[Para]] = {}
            extra: dict[str, str] = {}
            fills: list[str | None] = []
            ref_merged = False
            for column, cell in row.cells.items():
                key = columns.get(column)
                if key is None:
                    if cell.text and not cell.merged_from_above:
                        extra[header_texts.get(column, f"column {column + 1}")] = cell.text
                    continue
                if key == "ref" and cell.merged_from_above:
                    ref_merged = True
                if cell.merged_from_above:
                    continue
                by_field.setdefault(key, []).extend(cell.paras)
                if key == "rag":
                    fills.append(cell.fill)
            ref_text = plain_text(by_field.get("ref", []))
            has_content = any(plain_text(p) for p in by_field.values()) or bool(extra) or any(fills)
            if not has_content:
                if not ref_merged:
                    self.plan.empty_rows += 1
                continue
            self.plan.rows_read += 1
            if not ref_text:
                if self.pending is None:
                    self.problem(where, "this row has no Ref and there is no row above it to continue; "
                                 f"not imported: '{_excerpt(by_field, extra)}'")
                    continue
                # a row broken across pages: the part on the next page has no Ref of its own
                for key, paras in by_field.items():
                    self.pending.columns.setdefault(key, []).extend(paras)
                for name, text in extra.items():
                    self.pending.raw_extra[name] = (self.pending.raw_extra.get(name, "") + " " + text).strip()
                self.pending.fills.extend(fills)
                self.plan.rows_joined += 1
                continue
            self.flush()
            self.pending = _PendingRow(where, ref_text, by_field, extra, fills)

    def flush(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None or self.area is None:
            return
        action = self.action(pending)
        if action is not None:
            self.area.actions.append(action)

    def finish(self) -> None:
        self.flush()
        if not self.plan.areas:
            return
        for area in self.plan.areas:
            if not area.actions:
                self.problem(f"business area {area.number}", f"'{area.title}' has no delivery-plan table under it; "
                             "it was imported with no actions")
        self._check_replacements()
        if not self.plan.title:
            self.problem("plan", "no plan title (e.g. 'Strategic Delivery Plan 2017/18 (as at ...)') before the first "
                         "business area; plan.md has a title to fill in")
        self.plan.intro_md = to_markdown([b.para for b in self.intro_blocks if not _skip_intro(b.text)])
        pcp = re.search(r"Police\s+(?:and|&)\s+Crime\s+Plan\s+\d{4}\s*[-–]\s*\d{2,4}", " ".join(
            [self.plan.title] + [b.text for b in self.intro_blocks]))
        self.plan.police_and_crime_plan = pcp.group(0) if pcp else ""

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

    def action(self, row: _PendingRow) -> ImportedAction | None:
        assert self.area is not None
        where = row.where
        ref = row.ref_text.rstrip(".").strip()
        match = _REF.match(ref)
        if not match:
            self.problem(where, f"Ref '{row.ref_text}' is not of the form <area>.<n> (e.g. {self.area.number}.1); "
                         f"row not imported: '{_excerpt(row.columns, row.raw_extra)}'")
            return None
        if int(match.group(1)) != self.area.number:
            self.problem(where, f"Ref {ref} is in the table of business area {self.area.number}; row not imported "
                         f"(renumber it {self.area.number}.<n> in Word, or move it to its area's table, and import again)")
            return None
        if ref in self.seen_refs:
            self.problem(where, f"Ref {ref} is used again (first at {self.seen_refs[ref]}); this row was not imported")
            return None
        self.seen_refs[ref] = where
        imported = ImportedAction(ref=ref, action_md="", where=where)
        problems: list[str] = []
        imported.action_md = to_markdown(row.columns.get("action", []), problems)
        self._verify(imported, "Actions", imported.action_md, row.columns.get("action", []), problems)
        if not imported.action_md:
            self.problem(where, f"action {ref} has no text in the Actions column; 'action' says so, fill it in")
            imported.action_md = "(no action text in the Word plan)"
        self._priorities(imported, plain_text(row.columns.get("priorities", [])))
        # the build flags a late action with an 'Overdue' line under its date, worked out from history
        due_paras = [p for p in row.columns.get("due", []) if p.text.strip().lower() != "overdue"]
        self._due(imported, plain_text(due_paras))
        imported.sponsor = self._people(imported, "sponsor", plain_text(row.columns.get("sponsor", [])))
        imported.lead = self._people(imported, "lead", plain_text(row.columns.get("lead", [])))
        self._rag(imported, _rag_text(row.columns.get("rag", [])), row.fills)
        status_problems: list[str] = []
        self._status(imported, list(row.columns.get("status", [])), status_problems)
        problems += status_problems
        for name, text in row.raw_extra.items():
            self._note(imported, f"column '{name}' is not imported: '{_short(text)}'")
        for message in problems:
            self._note(imported, message)
        return imported

    def _note(self, action: ImportedAction, message: str) -> None:
        action.notes.append(message)
        self.problem(action.where, f"action {action.ref}: {message}")

    def _priorities(self, action: ImportedAction, text: str) -> None:
        if not text or text in ("-", "–", "n/a", "N/A"):
            return
        match = _PRIORITY.match(text)
        if not match:
            self._note(action, f"Links to Strategic Priority '{text}' is not priority numbers (e.g. '1', '1 - 3', '1 & 3'); "
                       "left out; add 'priorities: [...]' by hand")
            return
        first = int(match.group(1))
        if match.group(2):
            last = int(match.group(2))
            action.priorities = list(range(first, last + 1)) if last >= first else [first, last]
        else:
            action.priorities = [first] + [int(n) for n in re.findall(r"\d+", match.group(3) or "")]

    def _due(self, action: ImportedAction, text: str) -> None:
        if not text or text in ("-", "–"):
            return
        iso = _DUE_ISO.match(text)
        if iso and 1 <= int(iso.group(2)) <= 12:
            action.due = text
            return
        numeric = _DUE_NUMERIC.match(text)
        if numeric and 1 <= int(numeric.group(1)) <= 12:
            action.due = f"{numeric.group(2)}-{int(numeric.group(1)):02d}"
            return
        month = _DUE_MONTH.match(text)
        if month:
            name = month.group(1).lower().rstrip(".")
            found = [i for i, m in enumerate(_MONTHS, 1) if m.startswith(name) and len(name) >= 3]
            year = month.group(2)
            if len(found) == 1 and (len(year) == 4 or len(year) == 2):
                full_year = year if len(year) == 4 else f"20{year}"
                action.due = f"{full_year}-{found[0]:02d}"
                if re.match(r"^\d", text) or len(year) == 2:
                    self._note(action, f"due date '{text}' imported as the month {action.due}")
                return
        if _DUE_WORD.match(text):
            action.due = text
            return
        self._note(action, f"Due Date '{text}' is neither a month and year nor a word such as Ongoing; left out; "
                   "add 'due: YYYY-MM' by hand")

    def _people(self, action: ImportedAction, key: str, text: str) -> list[str]:
        if not text or text in ("-", "–"):
            return []
        people = []
        for part in _PEOPLE_SPLIT.split(text):
            part = " ".join(part.split())
            if not part:
                continue
            if _INITIALS.match(part):
                people.append(part)
            else:
                self._note(action, f"{'Sponsor' if key == 'sponsor' else 'Lead Officer'} '{part}' does not look like "
                           "initials; left out; add it by hand")
        return people

    def _rag(self, action: ImportedAction, text: str, fills: list[str | None]) -> None:
        from_text: Rag | None = None
        word = _RAG_WORD.search(text)
        if word:
            found = word.group(0).lower()
            from_text = Rag.COMPLETE if found in ("(c)", "complete", "completed") else Rag(found)
        elif text.strip().lower().strip(".()") in _RAG_LETTER:
            from_text = _RAG_LETTER[text.strip().lower().strip(".()")]
        elif text.strip():
            self._note(action, f"R/A/G '{_short(text)}' has no Red, Amber, Green, White, Complete or (C); "
                       "left out; add 'rag: ...' by hand")
        shaded = [colour for colour in (_rag_of_fill(fill) for fill in fills if fill) if colour]
        from_fill = shaded[0] if shaded else None
        unknown = [fill for fill in fills if fill and _rag_of_fill(fill) is None]
        if from_text:
            action.rag = from_text
            if from_fill and from_fill not in (from_text, Rag.WHITE) and not (from_text == Rag.COMPLETE and from_fill == Rag.GREEN):
                self._note(action, f"R/A/G says '{text}' but the cell is shaded {from_fill}; imported as {from_text}")
        elif from_fill == Rag.WHITE:
            self._note(action, "R/A/G cell is white with no word; left unassessed (write 'rag: white' if it is not yet due to commence)")
        elif from_fill:
            action.rag = from_fill
        elif unknown:
            self._note(action, f"R/A/G cell is shaded #{unknown[0]}, which is not red, amber or green; left out")

    def _status(self, action: ImportedAction, paras: list[Para], problems: list[str]) -> None:
        paras = [p for p in paras if p.text.strip()]
        paras = self._lifecycle(action, paras)
        kept: list[Para] = []
        for para in paras:
            text = " ".join(para.text.split())
            carried = _CARRIED.match(text) or _CARRIED_AT_END.search(text)
            if carried is None:
                kept.append(para)
                continue
            if action.carried_forward is not None:
                self._note(action, f"a second carried-forward note ('{carried.group(0)}') was kept as text; "
                           f"carried_forward is {action.carried_forward}")
                kept.append(para)
                continue
            action.carried_forward = carried.group("ref")
            self._next_plan(action, (carried.group("plan") or "").strip())
            if carried.re is _CARRIED_AT_END:
                # the note closes a bullet of other text: keep the text, drop the note
                before = _before(para, _offset_of(para.text, carried.start()))
                if before is not None:
                    kept.append(before)
        action.body_md = to_markdown(kept, problems)
        self._verify(action, "Current Status", action.body_md, kept, problems)

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
                if action.ref not in named:
                    self._note(action, f"the status names actions {', '.join(named)} as superseded, not {action.ref}; "
                               f"imported as superseded by {', '.join(by)}")
            else:
                assert deleted is not None
                named = _REFS_IN.findall(deleted.group("refs"))
                action.status = Lifecycle.DELETED
                if action.ref not in named:
                    self._note(action, f"the status says action {', '.join(named)} was deleted, not {action.ref}; "
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


def _first_ref_area(table: Table, columns: dict[int, str]) -> int | None:
    """The area number the table's first Ref names (4 for '4.1'), for a table with no area heading."""
    ref_columns = [column for column, key in columns.items() if key == "ref"]
    for row in table.rows[1:]:
        for column in ref_columns:
            cell = row.cells.get(column)
            match = _REF.match(cell.text.rstrip(".")) if cell is not None else None
            if match:
                return int(match.group(1))
    return None


def _is_heading(block: Block) -> bool:
    """A heading style, or a short paragraph all in bold (how the hand-made plans head their sections)."""
    return bool(block.heading_level) or (block.all_bold and len(block.text) < 150)


def _rag_of_fill(fill: str) -> Rag | None:
    """red, amber, green or white from a cell's fill colour (hex RRGGBB), None when it is none of them."""
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", fill):
        return None
    r, g, b = (int(fill[i:i + 2], 16) for i in (0, 2, 4))
    if min(r, g, b) >= 0xE6:
        return Rag.WHITE
    if r >= 0x99 and g < 0x70 and b < 0x70:
        return Rag.RED
    if r >= 0xC0 and g >= 0x70 and b < 0x90:
        return Rag.AMBER
    if g >= 0x80 and r < 0xB0 and b < 0xA0 and g > r:
        return Rag.GREEN
    return None


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
    return bool(re.match(r"^(OPCC Business Areas which support|Content as at the end of|Content from the working tree)",
                         text)) or bool(_SUBTITLE.match(text))


def _organisation(document: WordDocument) -> str:
    for item in document.body:
        if isinstance(item, Block):
            found = re.search(r"Office of the Police\s+(?:and|&)\s+Crime\s+Commissioner(?:\s+for\s+[A-Za-z ]+)?",
                              item.text, re.IGNORECASE)
            if found:
                text = found.group(0).strip()
                if text.isupper():
                    small = {"of", "the", "and", "for"}
                    text = " ".join(w.lower() if w.lower() in small and i else w.capitalize()
                                    for i, w in enumerate(text.split()))
                return text
    return ""


def _excerpt(columns: dict[str, list[Para]], extra: dict[str, str]) -> str:
    texts = [plain_text(paras) for paras in columns.values()] + list(extra.values())
    return _short(" | ".join(t for t in texts if t))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
