"""The plan's actions as CSV: one row per action, UTF-8 with a byte-order mark so Excel reads it as UTF-8."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from ..model import Plan
from .rows import ACTION_COLUMNS, action_records

if TYPE_CHECKING:
    from ..changes import ChangeSummary

# A cell starting with one of these is run as a formula by Excel and other spreadsheets (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text: a leading formula character gets a leading apostrophe.

    This is OWASP's advice for CSV injection; the apostrophe is hidden by Excel and shows the text as typed."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def render_csv(plan: Plan, changes: ChangeSummary | None = None) -> bytes:
    """The CSV bytes: a header row, then one row per action of the plan given (pass the public plan)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(ACTION_COLUMNS)
    for record in action_records(plan, changes):
        writer.writerow([neutralise(cell) for cell in record.cells])
    return out.getvalue().encode("utf-8-sig")
