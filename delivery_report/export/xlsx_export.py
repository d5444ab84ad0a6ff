"""The plan as an Excel workbook (openpyxl): actions, performance measures, Panel recommendations, and
where it came from. The same content always gives the same bytes.

openpyxl stamps the workbook with the clock and the zip with the time of writing; both are replaced
here by the report's as-at date and a fixed zip date, as the DOCX writer does.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..layout import wording
from ..layout.colours import RAG_FILLS
from ..model import Kpi, Plan
from ..render.zipped import fixed_package
from .rows import ACTION_COLUMNS, action_records, rich_plain

if TYPE_CHECKING:
    from ..changes import ChangeSummary

# Excel refuses a cell longer than this; a longer status is cut with a note (the report has it in full).
MAX_CELL = 32767
_CUT_NOTE = " … (cut: the full text is in the report)"
# Column widths in characters, in ACTION_COLUMNS order: wide for the texts, narrow for the codes.
_ACTION_WIDTHS = (7, 30, 50, 12, 11, 12, 12, 80, 13, 15, 12)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_WORD_TO_RAG = {word: rag for rag, word in wording.RAG_WORDS.items()}
KPI_COLUMNS = (
    "Measure", "Owner", "Strategic priority", "Period", "Unit", "Better", "Comparison period", "Comparison",
    "Current period", "Current", "Change", "% change", "Direction of travel", "Target", "Against target",
    "Values per period", "Commentary",
)
RECOMMENDATION_COLUMNS = ("Number", "Topic", "Panel recommendation", "Progress updates", "Committee assessment")


def _text(value: str) -> str:
    """A cell's text, within Excel's limit."""
    if len(value) <= MAX_CELL:
        return value
    return value[: MAX_CELL - len(_CUT_NOTE)] + _CUT_NOTE


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    """Write a value; text always as text, never as a formula (a status starting '=' stays words)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    cell.alignment = _WRAP


def _table_sheet(sheet: Worksheet, columns: tuple[str, ...], rows: list[tuple[Any, ...]], widths: tuple[int, ...]) -> None:
    """A header row (bold, frozen, with filters) and the rows below it, with column widths set."""
    for index, label in enumerate(columns, start=1):
        _put(sheet, 1, index, label)
        sheet.cell(row=1, column=index).font = _HEADER_FONT
        sheet.cell(row=1, column=index).fill = _HEADER_FILL
    for row_index, values in enumerate(rows, start=2):
        for column_index, value in enumerate(values, start=1):
            _put(sheet, row_index, column_index, value)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"


def _number(value: float | None) -> Any:
    """A whole number as an int (Excel shows 5041, not 5041.0); None as an empty cell."""
    if value is None:
        return None
    return int(value) if value == int(value) else value


def _kpi_row(kpi: Kpi) -> tuple[Any, ...]:
    _, words = wording.kpi_movement(kpi)
    return (
        kpi.title, kpi.owner, _number(kpi.priority), kpi.period, kpi.unit, kpi.better,
        kpi.baseline.label if kpi.baseline else "", _number(kpi.baseline.value) if kpi.baseline else None,
        kpi.current.label, _number(kpi.current.value), _number(kpi.change),
        round(kpi.percent_change, 1) if kpi.percent_change is not None else None,
        words, _number(kpi.target), wording.target_words(kpi),
        "; ".join(f"{m.label}: {wording.measure_value(kpi, m.value)}" for m in kpi.series),
        rich_plain(kpi.commentary),
    )


def render_xlsx(plan: Plan, changes: ChangeSummary | None = None) -> bytes:
    """The workbook's bytes: Actions, Performance measures, Panel recommendations and About sheets."""
    book = Workbook()
    actions: Worksheet = book.active
    actions.title = "Actions"
    records = action_records(plan, changes)
    _table_sheet(actions, ACTION_COLUMNS, [r.cells for r in records], _ACTION_WIDTHS)
    rag_column = ACTION_COLUMNS.index("R/A/G") + 1
    previous_column = ACTION_COLUMNS.index("R/A/G previous") + 1
    for row_index in range(2, len(records) + 2):
        for column in (rag_column, previous_column):
            cell = actions.cell(row=row_index, column=column)
            rag = _WORD_TO_RAG.get(str(cell.value or ""))
            colours = RAG_FILLS[rag] if rag is not None else None
            if colours:
                fill, text = colours
                cell.fill = PatternFill("solid", fgColor=fill)
                cell.font = Font(bold=True, color=text)

    kpis = book.create_sheet("Performance measures")
    _table_sheet(kpis, KPI_COLUMNS, [_kpi_row(k) for k in plan.kpis],
                 (40, 8, 10, 24, 9, 8, 22, 12, 22, 12, 10, 10, 20, 10, 14, 40, 60))

    recommendations = book.create_sheet("Panel recommendations")
    rows = [
        (rec.number, rec.topic, rich_plain(rec.recommendation),
         "\n".join(f"{wording.RESPONDER_WORDS[r.by]}: {rich_plain(r.text)}" for r in rec.responses),
         rich_plain(rec.assessment))
        for rec in plan.recommendations
    ]
    _table_sheet(recommendations, RECOMMENDATION_COLUMNS, rows, (8, 30, 60, 80, 40))

    about = book.create_sheet("About")
    snap = plan.snapshot
    facts = [
        ("Plan", plan.info.title), ("Organisation", plan.info.organisation), ("As at", snap.as_at.isoformat()),
        ("Built from", wording.provenance(plan)),
        ("Compared with", changes.since.isoformat() if changes is not None else ""),
        ("Copy", wording.RESTRICTED_MARK if snap.restricted_copy else "Public: restricted (Part 2) content left out"),
    ]
    for row_index, (label, value) in enumerate(facts, start=1):
        _put(about, row_index, 1, label)
        about.cell(row=row_index, column=1).font = _HEADER_FONT
        _put(about, row_index, 2, value)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 90

    stamp = dt.datetime.combine(snap.as_at, dt.time(0))
    book.properties.creator = plan.info.organisation
    book.properties.title = f"{plan.info.title} (as at {wording.as_at_words(snap)})"
    book.properties.created = stamp
    book.properties.modified = stamp
    out = io.BytesIO()
    book.save(out)
    return _fixed_package(out.getvalue(), stamp)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_package(data: bytes, stamp: dt.datetime) -> bytes:
    """The package with openpyxl's clock stamp replaced by the as-at date and fixed zip member dates."""
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def rewrite(name: str, payload: bytes) -> bytes:
        return _MODIFIED.sub(rb"\g<1>" + when + rb"\g<2>", payload) if name == "docProps/core.xml" else payload

    return fixed_package(data, rewrite)
