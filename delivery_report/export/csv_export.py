"""The plan's actions as CSV: one row per action, UTF-8 with a byte-order mark so Excel reads it as UTF-8.

The header row is ACTION_COLUMNS, on the first line, in both copies. The restricted copy's rows start with
one more column, "Protective marking", holding RESTRICTED_MARK on every row (see render_csv for why).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from ..layout.wording import RESTRICTED_MARK
from ..model import Plan
from .rows import ACTION_COLUMNS, action_records

if TYPE_CHECKING:
    from ..changes import ChangeSummary

# A cell starting with one of these is run as a formula by Excel and other spreadsheets (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The restricted copy's first column.
MARKING_COLUMN = "Protective marking"
_REF = ACTION_COLUMNS.index("Ref")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text: a leading formula character gets a leading apostrophe.

    This is OWASP's advice for CSV injection: Excel hides the apostrophe, Calc shows it, and in both the
    cell is inert text."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def text_formula(text: str) -> str:
    """A cell that Excel and LibreOffice Calc both show as exactly this text: the formula ="1.10".

    Both read a bare 1.10 in a CSV as the number 1.1 (the ref of another action), and in a locale with a
    decimal comma as 1 October. A leading apostrophe, tab or invisible character keeps it text, but Calc
    shows the apostrophe and every one of them changes the cell's value. A formula whose result is the
    text is what both evaluate on opening a CSV, leaving the cell's value "1.10" (the known way to keep a
    code as typed, e.g. stackoverflow.com/q/165042). A string literal runs nothing whatever it holds, its
    quotes doubled; only the product's own refs are written this way, never content, which neutralise()
    keeps inert instead."""
    return '="' + text.replace('"', '""') + '"'


def unwrap_text_formula(cell: str) -> str:
    """The text a text_formula() cell shows ('="1.10"' -> '1.10'); any other cell as it is."""
    if cell.startswith('="') and cell.endswith('"') and len(cell) >= 3:
        return cell[2:-1].replace('""', '"')
    return cell


def render_csv(plan: Plan, changes: ChangeSummary | None = None) -> bytes:
    """The CSV bytes: a header row, then one row per action of the plan given (pass the public plan).

    The restricted copy's mark is a first column on every row rather than a leading line: the header
    stays the first line (a leading line would become the header for every CSV reader and spreadsheet
    filter), each named column keeps its name, and the mark stays on every row however the rows are
    sorted, filtered or copied into another sheet. The public CSV has no such column."""
    marked = plan.snapshot.restricted_copy
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(((MARKING_COLUMN,) if marked else ()) + ACTION_COLUMNS)
    for record in action_records(plan, changes):
        cells = [text_formula(cell) if index == _REF else neutralise(cell) for index, cell in enumerate(record.cells)]
        writer.writerow(([RESTRICTED_MARK] if marked else []) + cells)
    return out.getvalue().encode("utf-8-sig")
