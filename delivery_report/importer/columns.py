"""Which column of a table holds what: found by the usual words in any order, or named with --columns.

A delivery-plan table has a header row naming an action column and at least two other known
columns. Rows above it that hold one text across the table are title rows ('Theme 1: Putting victims
first'); a second header row under merged heading cells completes the first. 'Status' is the one
usual word with two meanings (the progress update, or the R/A/G rating); which it is follows from the
other columns, or from its cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .ratings import WHITE, rating_of_fill, rating_of_text
from .tables import Cell, Row, Table

# What each field becomes in the content folder (for --dry-run and --help).
FIELD_MEANINGS: dict[str, str] = {
    "ref": "the action's number (<area>.<n>)",
    "action": "the action's text",
    "milestone": "kept under the action's text",
    "priorities": "the strategic-priority numbers",
    "due": "the due date",
    "sponsor": "the sponsor(s)",
    "lead": "the lead officer(s)",
    "status": "the progress update (the action file's body)",
    "rag": "the R/A/G rating (its words or its shading)",
    "text": "kept as text at the end of the progress update",
}
FIELDS = tuple(FIELD_MEANINGS)
# --columns may use these words for a field too
FIELD_ALIASES = {"owner": "lead", "progress": "status", "update": "status", "rating": "rag", "date": "due",
                 "timescale": "due", "objective": "action", "number": "ref", "keep": "text"}

# Column headings as plans write them (lower case, spaces squeezed, no full stops, ' / ' as '/').
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "ref no", "reference", "action ref", "no", "number", "action no", "action number", "#", "id"),
    "action": ("actions", "action", "action(s)", "action description", "objective", "objectives", "commitment",
               "commitments", "key actions", "activity", "activities", "what we will do"),
    "milestone": ("milestone", "milestones", "milestone(s)", "key milestone", "key milestones"),
    "priorities": ("links to strategic priority", "links to strategic priorities", "link to strategic priority",
                   "strategic priority", "strategic priorities", "priority", "priorities"),
    "due": ("due date", "due", "timescale", "timescales", "target date", "target dates", "deadline", "due by",
            "by when", "completion date", "target completion date", "timeframe", "time frame"),
    "sponsor": ("sponsor", "sponsors", "executive sponsor", "senior sponsor"),
    "lead": ("lead officer", "lead officers", "lead", "leads", "lead officer(s)", "lead(s)", "owner", "owners",
             "action owner", "responsible officer", "responsible", "lead/owner", "owner/lead"),
    "status": ("current status", "progress", "progress update", "update", "updates", "current status/progress",
               "progress/update", "progress to date", "latest update", "commentary", "comments", "current position",
               "status update", "progress/commentary"),
    "rag": ("r/a/g", "r/a/ig", "rag", "rag status", "r/a/g status", "rag rating", "r/a/g rating", "rating"),
}
_AMBIGUOUS = {"status": ("status", "rag")}  # heading -> the fields it may be
_COLUMN_OF = {name: key for key, names in COLUMN_NAMES.items() for name in names}
_TITLE_ROWS_LOOKED_AT = 3


def normalise(text: str) -> str:
    """A heading as it is looked up: lower case, spaces squeezed, no full stops or closing ':'."""
    text = " ".join(text.lower().replace(".", "").split())
    text = re.sub(r"\s*/\s*", "/", text)
    return text.rstrip(":").strip()


def parse_overrides(spec: str) -> dict[str, str]:
    """'Owner=lead,Status=rag' -> {'owner': 'lead', 'status': 'rag'}; ValueError with a plain reason when wrong."""
    overrides: dict[str, str] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        heading, sep, name = item.partition("=")
        if not sep or not heading.strip() or not name.strip():
            raise ValueError(f"--columns: '{item.strip()}' is not HEADING=FIELD (e.g. \"Owner=lead,Status=rag\")")
        wanted = name.strip().lower()
        wanted = FIELD_ALIASES.get(wanted, wanted)
        if wanted not in FIELDS:
            raise ValueError(f"--columns: '{name.strip()}' is not a field; use one of {', '.join(FIELDS)}")
        overrides[normalise(heading)] = wanted
    if not overrides:
        raise ValueError("--columns names no column; write HEADING=FIELD pairs, e.g. \"Owner=lead,Status=rag\"")
    return overrides


@dataclass
class ColumnMap:
    """A delivery-plan table's columns: grid column -> field, the heading as written, and how it was decided."""

    fields: dict[int, str]
    headings: dict[int, str]
    how: dict[int, str] = field(default_factory=dict)
    title_rows: int = 0  # rows above the header (one text across the table)
    header_rows: int = 1  # the header itself: 2 when merged heading cells have sub-headings under them
    unknown: dict[int, str] = field(default_factory=dict)  # headings not known: column -> heading
    shading_column: int | None = None  # with no R/A/G column, the column whose shading gives the rating
    header_texts: list[tuple[str, ...]] = field(default_factory=list)  # each header row's texts, to spot repeats
    refs_in_action: bool = False  # no Ref column: the action cells start with the ref ('1.1 Develop ...')

    @property
    def width(self) -> int:
        return max(self.headings, default=-1) + 1

    def columns_of(self, key: str) -> list[int]:
        return [column for column, value in self.fields.items() if value == key]

    def heading_of(self, key: str) -> str:
        """The Word heading of the first column holding `key` ('' when none)."""
        found = self.columns_of(key)
        return self.headings.get(found[0], "") if found else ""


def _lookup(text: str, overrides: dict[str, str]) -> tuple[str | None, str]:
    """(field, how) for one heading; field 'status?' for the ambiguous 'Status'."""
    name = normalise(text)
    if not name:
        return None, ""
    if name in overrides:
        return overrides[name], "from --columns"
    bare = normalise(re.sub(r"\([^)]*\)", " ", text))  # 'Target date (dd/mm/yyyy)'
    for candidate in (name, bare):
        if candidate in _AMBIGUOUS:
            return "status?", "by name"
        if candidate in _COLUMN_OF:
            return _COLUMN_OF[candidate], "by name"
    # 'Progress update/commentary': the parts name one field between them
    parts = {_COLUMN_OF[part] for part in bare.split("/") if part in _COLUMN_OF}
    if len(parts) == 1 and "/" in bare:
        return parts.pop(), "by name"
    if {"rag", "r/a/g"} & set(bare.split()):  # 'Overall RAG', 'R/A/G Q2'
        return "rag", "by name"
    return None, ""


def _name_row(row: Row, overrides: dict[str, str]) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    fields: dict[int, str] = {}
    headings: dict[int, str] = {}
    how: dict[int, str] = {}
    for column, cell in row.cells.items():
        key, decided = _lookup(cell.text, overrides)
        for covered in range(column, column + cell.span):
            headings[covered] = cell.text
            if key:
                fields[covered] = key
                how[covered] = decided
    return fields, headings, how


def _qualifies(fields: dict[int, str]) -> bool:
    keys = {key.rstrip("?") for key in fields.values()} - {"text"}
    return "action" in keys and len(keys) >= 3


def is_header_row(row: Row, overrides: dict[str, str]) -> bool:
    """True when the row names a delivery plan's columns (a header row, first or repeated)."""
    return _qualifies(_name_row(row, overrides)[0])


def distinct_texts(row: Row) -> list[tuple[int, Cell]]:
    """The cells of a row that hold text, a merged cell once."""
    return [(column, cell) for column, cell in row.cells.items() if cell.text and not cell.merged_from_above]


def single_text(row: Row) -> Cell | None:
    """The one cell holding text when the row holds one text only (a title or heading row)."""
    cells = distinct_texts(row)
    texts = {cell.text for _, cell in cells}
    return cells[0][1] if len(texts) == 1 else None


def find_header(table: Table, overrides: dict[str, str]) -> ColumnMap | None:
    """The table's columns when it is a delivery-plan table; None when it is not one."""
    for start in range(min(_TITLE_ROWS_LOOKED_AT + 1, len(table.rows))):
        if start and len({cell.text for _, cell in distinct_texts(table.rows[start - 1])}) > 1:
            break  # above a header there are only title rows (one text across, or none)
        row = table.rows[start]
        fields, headings, how = _name_row(row, overrides)
        header_rows = 1
        below = table.rows[start + 1] if start + 1 < len(table.rows) else None
        if below is not None and _completes_header(row, below, fields, overrides):
            sub_fields, _, sub_how = _name_row(below, overrides)
            for column, cell in below.cells.items():
                if cell.merged_from_above or not cell.text:
                    continue
                for covered in range(column, column + cell.span):
                    upper = headings.get(covered, "")
                    headings[covered] = f"{upper} / {cell.text}" if upper and upper != cell.text else cell.text
                    if covered in sub_fields:
                        fields[covered], how[covered] = sub_fields[covered], sub_how[covered]
            header_rows = 2
        if not _qualifies(fields):
            continue
        found = ColumnMap(fields=fields, headings=headings, how=how, title_rows=start, header_rows=header_rows)
        found.header_texts = [_texts(r) for r in table.rows[start:start + header_rows]]
        _resolve_status(table, found)
        found.unknown = {column: text for column, text in headings.items() if column not in found.fields and text}
        if not found.columns_of("rag"):
            found.shading_column = _shading_column(table, found)
        return found
    return None


def _texts(row: Row) -> tuple[str, ...]:
    return tuple(cell.text for _, cell in sorted(row.cells.items()))


def is_repeated_header(row: Row, columns: ColumnMap, overrides: dict[str, str]) -> bool:
    """A header row repeated inside the table (a page's top in a converted PDF, or a sub-header repeated)."""
    return _texts(row) in columns.header_texts or is_header_row(row, overrides)


def _completes_header(upper: Row, below: Row, fields: dict[int, str], overrides: dict[str, str]) -> bool:
    """True when `below` is the second row of a header: merged heading cells above, sub-headings here."""
    if single_text(upper) is not None:
        return False  # a title row above the header, not the header's first row
    continues = [cell for cell in below.cells.values() if cell.merged_from_above]
    named = [cell for cell in below.cells.values() if not cell.merged_from_above and cell.text]
    if not named or any(len(cell.text) > 40 for cell in named):
        return False
    spans_above = any(cell.span > 1 for cell in upper.cells.values())
    known = [cell for cell in named if _lookup(cell.text, overrides)[0]]
    return bool(known) and (bool(continues) or spans_above)


def _resolve_status(table: Table, columns: ColumnMap) -> None:
    """Settle each 'Status' column: the rating when another column is the update, the update when another is the
    rating, else by what its cells hold."""
    for column in [c for c, key in columns.fields.items() if key == "status?"]:
        has_update = bool(columns.columns_of("status"))
        has_rating = bool(columns.columns_of("rag"))
        if has_update and not has_rating:
            columns.fields[column] = "rag"
            columns.how[column] = f"by name: '{columns.heading_of('status')}' is the update, so this is the rating"
        elif has_rating and not has_update:
            columns.fields[column] = "status"
            columns.how[column] = f"by name: '{columns.heading_of('rag')}' is the rating, so this is the update"
        elif has_rating and has_update:
            columns.fields[column] = "text"
            columns.how[column] = "both an update and a rating column are named; kept as text"
        elif _holds_ratings(table, columns, column):
            columns.fields[column] = "rag"
            columns.how[column] = "by its cells: they hold ratings or shading, not sentences"
        else:
            columns.fields[column] = "status"
            columns.how[column] = "by its cells: they hold sentences, not ratings"


def _data_cells(table: Table, columns: ColumnMap, column: int) -> list[Cell]:
    start = columns.title_rows + columns.header_rows
    return [row.cells[column] for row in table.rows[start:] if column in row.cells
            and not row.cells[column].merged_from_above]


def _holds_ratings(table: Table, columns: ColumnMap, column: int) -> bool:
    cells = _data_cells(table, columns, column)
    texts = [cell.text for cell in cells if cell.text]
    if any(len(text) > 30 for text in texts):
        return False
    rated = sum(1 for text in texts if rating_of_text(text)[0]) + sum(
        1 for cell in cells if not cell.text and cell.fill and rating_of_fill(cell.fill) not in (None, WHITE))
    return rated > 0 and rated * 2 >= len(cells)


def _shading_column(table: Table, columns: ColumnMap) -> int | None:
    """With no R/A/G column: the column whose cells are shaded red, amber or green (the most such cells), if any."""
    best, best_count = None, 0
    for column in sorted(columns.headings):
        count = sum(1 for cell in _data_cells(table, columns, column)
                    if cell.fill and rating_of_fill(cell.fill) not in (None, WHITE))
        if count > best_count:
            best, best_count = column, count
    return best
