"""The plan as an Excel workbook (openpyxl): actions, performance measures, Panel recommendations, and
where it came from. The same content always gives the same bytes.

Values are typed: a due month is a date (the 1st of the month) shown 'mmm yyyy', a due word such as
Ongoing stays text; counts, percentages and changes are numbers with number formats, so they sort and
sum as numbers and show as the report shows them. The restricted copy says so in its title and subject
and in a first row above every sheet's table, and on every printed page's header.

openpyxl stamps the workbook with the clock and the zip with the time of writing; both are replaced
here by the report's as-at date and a fixed zip date, as the DOCX writer does.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..layout import wording
from ..layout.colours import rating_fills
from ..model import NEW, Action, Kpi, Plan, Unit
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
_MARK_FONT = Font(bold=True, color="C00000")
DUE_FORMAT = "mmm yyyy"
DATE_FORMAT = "d mmmm yyyy"
PERCENT_CHANGE_FORMAT = "+0.0%;-0.0%;0.0%"
POINTS_FORMAT = '+0.0" points";-0.0" points";0.0" points"'
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


@dataclass(frozen=True)
class Formatted:
    """A number or date and the number format it is shown in (e.g. 5041 shown '#,##0' as 5,041)."""

    value: int | float | dt.date
    number_format: str


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    """Write a value; text always as text, never as a formula (a status starting '=' stays words)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"
    elif isinstance(value, Formatted):
        cell.value = value.value
        cell.number_format = value.number_format
    else:
        cell.value = value
    cell.alignment = _WRAP


def _mark_row(sheet: Worksheet, restricted_copy: bool) -> int:
    """The restricted copy's mark above the sheet's content and in its printed header; the first row left
    for the content (2 in the restricted copy, 1 in the public one)."""
    if not restricted_copy:
        return 1
    cell = sheet.cell(row=1, column=1, value=wording.RESTRICTED_MARK)
    cell.data_type = "s"
    cell.font = _MARK_FONT
    sheet.oddHeader.center.text = wording.RESTRICTED_MARK
    sheet.oddHeader.center.font = "-,Bold"
    return 2


def _table_sheet(sheet: Worksheet, columns: tuple[str, ...], rows: list[tuple[Any, ...]], widths: tuple[int, ...],
                 restricted_copy: bool) -> int:
    """A header row (bold, frozen, with filters) and the rows below it, with column widths set; the
    restricted copy's mark above them. Returns the header's row."""
    header = _mark_row(sheet, restricted_copy)
    for index, label in enumerate(columns, start=1):
        _put(sheet, header, index, label)
        sheet.cell(row=header, column=index).font = _HEADER_FONT
        sheet.cell(row=header, column=index).fill = _HEADER_FILL
    for row_index, values in enumerate(rows, start=header + 1):
        for column_index, value in enumerate(values, start=1):
            _put(sheet, row_index, column_index, value)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header + 1}"
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(columns))}{header + len(rows)}"
    return header


def _number(value: float | None) -> Any:
    """A whole number as an int (Excel shows 5041, not 5041.0); None as an empty cell."""
    if value is None:
        return None
    return int(value) if value == int(value) else value


def _amount_format(value: float) -> str:
    """Thousands separated, with one decimal place when the value has a fraction (as the report prints it)."""
    return "#,##0" if value == int(value) else "#,##0.0"


def _level(kpi: Kpi, value: float | None) -> Formatted | None:
    """A measure's value: 5,041 for a count; 23.5% for a percent measure, kept as the number typed (23.5,
    percentage points) with a '%' label, so that Change is still Current minus Comparison."""
    if value is None:
        return None
    label = '"%"' if kpi.unit == Unit.PERCENT else ""
    return Formatted(_number(value), _amount_format(value) + label)


def _change(kpi: Kpi) -> Formatted | None:
    """Current minus comparison: +7 or -32 for a count, -3.0 points for a percent measure."""
    if kpi.change is None:
        return None
    if kpi.unit == Unit.PERCENT:
        return Formatted(_number(kpi.change), POINTS_FORMAT)
    amount = _amount_format(kpi.change)
    return Formatted(_number(kpi.change), f"+{amount};-{amount};0")


def _percent_change(kpi: Kpi) -> Formatted | None:
    """The change as a true percentage (-0.6% is the number -0.006…), for arithmetic and sorting."""
    if kpi.percent_change is None:
        return None
    return Formatted(round(kpi.percent_change / 100, 8), PERCENT_CHANGE_FORMAT)


def _kpi_row(kpi: Kpi) -> tuple[Any, ...]:
    _, words = wording.kpi_movement(kpi)
    return (
        kpi.title, kpi.owner, _number(kpi.priority), kpi.period, kpi.unit, kpi.better,
        kpi.baseline.label if kpi.baseline else "", _level(kpi, kpi.baseline.value if kpi.baseline else None),
        kpi.current.label, _level(kpi, kpi.current.value), _change(kpi), _percent_change(kpi),
        words, _level(kpi, kpi.target), wording.target_words(kpi),
        "; ".join(f"{m.label}: {wording.measure_value(kpi, m.value)}" for m in kpi.series),
        rich_plain(kpi.commentary),
    )


def _due(action: Action) -> Formatted | str:
    """A due month as a date (its 1st day) shown 'mmm yyyy'; a word such as Ongoing as that word."""
    due = action.due
    if due is None:
        return ""
    if due.year is not None and due.month is not None:
        return Formatted(dt.date(due.year, due.month, 1), DUE_FORMAT)
    return wording.due_words(due)


def render_xlsx(plan: Plan, changes: ChangeSummary | None = None) -> bytes:
    """The workbook's bytes: Actions, Performance measures, Panel recommendations and About sheets."""
    snap = plan.snapshot
    marked = snap.restricted_copy
    book = Workbook()
    actions: Worksheet = book.active
    actions.title = "Actions"
    records = action_records(plan, changes)
    due_index = ACTION_COLUMNS.index("Due")
    action_rows = [(*r.cells[:due_index], _due(r.action), *r.cells[due_index + 1:]) for r in records]
    header = _table_sheet(actions, ACTION_COLUMNS, action_rows, _ACTION_WIDTHS, marked)
    rag_column = ACTION_COLUMNS.index("R/A/G") + 1
    previous_column = ACTION_COLUMNS.index("R/A/G previous") + 1
    fills = {look.id: look for look in rating_fills(plan.ratings)}
    for row_index, record in enumerate(records, start=header + 1):
        previous = changes.previous_rag.get(record.action.ref, NEW) if changes is not None else None
        for column, rag in ((rag_column, record.action.rag_key), (previous_column, previous)):
            look = fills.get(rag) if rag is not None else None
            if look is not None:
                cell = actions.cell(row=row_index, column=column)
                cell.fill = PatternFill("solid", fgColor=look.fill)
                cell.font = Font(bold=True, color=look.text)

    kpis = book.create_sheet("Performance measures")
    _table_sheet(kpis, KPI_COLUMNS, [_kpi_row(k) for k in plan.kpis],
                 (40, 8, 10, 24, 9, 8, 22, 12, 22, 12, 10, 10, 20, 10, 14, 40, 60), marked)

    recommendations = book.create_sheet("Panel recommendations")
    labels = wording.responder_words(plan.info.words)
    rows = [
        (rec.number, rec.topic, rich_plain(rec.recommendation),
         "\n".join(f"{labels[r.by]}: {rich_plain(r.text)}" for r in rec.responses),
         rich_plain(rec.assessment))
        for rec in plan.recommendations
    ]
    _table_sheet(recommendations, RECOMMENDATION_COLUMNS, rows, (8, 30, 60, 80, 40), marked)

    about = book.create_sheet("About")
    facts: list[tuple[str, Any]] = [
        ("Plan", plan.info.title), ("Organisation", plan.info.organisation),
        ("As at", Formatted(snap.as_at, DATE_FORMAT)),
        ("Built from", wording.provenance(plan)),
        ("Compared with", Formatted(changes.since, DATE_FORMAT) if changes is not None else ""),
        ("Copy", wording.RESTRICTED_MARK if marked else "Public: restricted (Part 2) content left out"),
    ]
    for row_index, (label, value) in enumerate(facts, start=_mark_row(about, marked)):
        _put(about, row_index, 1, label)
        about.cell(row=row_index, column=1).font = _HEADER_FONT
        _put(about, row_index, 2, value)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 90

    stamp = dt.datetime.combine(snap.as_at, dt.time(0))
    book.properties.creator = plan.info.organisation
    book.properties.title = wording.restricted_marked(f"{plan.info.title} (as at {wording.as_at_words(snap)})", marked)
    book.properties.subject = wording.restricted_marked("Delivery plan data: actions, performance measures and "
                                                        "Panel recommendations", marked)
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
