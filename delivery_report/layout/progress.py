"""Counts of the active actions by R/A/G: per business area (the progress summary) and per strategic
priority (alignment to the Police and Crime Plan), with the key aims no action serves."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from ..model import DEFAULT_SCALE, Action, Lifecycle, ListBlock, ListItem, Paragraph, Plan, RatingScale, Span
from .changes import changes_section
from .nodes import (
    Cell,
    Column,
    ColumnKind,
    Line,
    Node,
    Part,
    PartKind,
    Rich,
    Role,
    Row,
    Section,
    SectionKind,
    Table,
    TableKind,
    Title,
    plain,
)
from .wording import PROGRESS_APPENDIX, PROGRESS_APPENDIX_SINCE, appendix_label, rag_word

if TYPE_CHECKING:
    from ..changes import ChangeSummary


def progress_summary(plan: Plan, level: int) -> Section:
    """R/A/G counts of the active actions by business area, with totals (table id rag-summary)."""
    states = plan.ratings.with_not_assessed
    labels = [rag_word(rag, plan.ratings) for rag in states]
    widths, size = fitted((5.5, *(_summary_width(label) for label in labels), 1.4), 9)
    columns = (Column(plan.info.words.area.capitalize(), widths[0], ColumnKind.AREA),
               *(Column(label, width, ColumnKind.COUNT) for label, width in zip(labels, widths[1:-1])),
               Column("Total", widths[-1], ColumnKind.COUNT))
    rows: list[Row] = []
    totals = dict.fromkeys(states, 0)
    for area in plan.areas:
        counts = dict.fromkeys(states, 0)
        for action in area.actions:
            if action.lifecycle == Lifecycle.ACTIVE and action.rag_key in counts:
                counts[action.rag_key] += 1
        for rag in states:
            totals[rag] += counts[rag]
        rows.append(_summary_row(f"{area.number}. {area.title}", counts, f"summary-area-{area.number}"))
    rows.append(_summary_row("Total", totals, "summary-total"))
    table = Table(f"Progress summary: active actions by {plan.info.words.area_lower} and R/A/G status", columns, tuple(rows),
                  kind=TableKind.RAG_SUMMARY, id="rag-summary", region_label="Progress summary table", size_pt=size)
    note = Line(plain("Counts of active actions; superseded and deleted actions are not counted."), role=Role.NOTE)
    return Section("progress-summary", Title(level, "Progress summary", id="progress-summary-title"),
                   (table, note), kind=SectionKind.PROGRESS_SUMMARY)


# The portrait page's width inside its margins: a table of counts keeps to it.
PORTRAIT_WIDTH_CM = 16.6
# The narrowest the first column (a business area, a strategic priority) is made to let the counts fit.
_LEAST_FIRST_CM = 3.0
# The smallest type a table of counts is set in to fit.
_LEAST_SIZE_PT = 6.0


def fitted(widths: tuple[float, ...], size_pt: float) -> tuple[tuple[float, ...], float]:
    """The column widths and type size of a table of counts (a column of names, one per rating, a total) that
    keeps to the portrait page: as given when it fits (the default scale's always do); else the first column
    narrower, down to 3 cm; else the type smaller, to the half point, and every column with it, so each
    heading word still fits its column (down to 6 pt; a scale of ten ratings of long words then breaks them)."""
    first, rest = widths[0], widths[1:]
    spare = round(PORTRAIT_WIDTH_CM - sum(rest), 2)
    if spare >= first:
        return widths, size_pt
    if spare >= _LEAST_FIRST_CM:
        return (spare, *rest), size_pt
    narrowest = (_LEAST_FIRST_CM, *rest)
    size = max(_LEAST_SIZE_PT, math.floor(size_pt * PORTRAIT_WIDTH_CM / sum(narrowest) * 2) / 2)
    # At the smallest type, the columns narrow further (a long word then breaks) rather than leave the page.
    factor = min(size / size_pt, PORTRAIT_WIDTH_CM / sum(narrowest))
    return tuple(math.floor(width * factor * 100) / 100 for width in narrowest), size


def _longest_word(label: str) -> int:
    """The letters of a label's longest word, as a heading wraps it: at spaces and after a '/' ('Amber/Green')."""
    return max(len(word) for word in re.split(r"\s+|(?<=/)", label) if word)


def _summary_width(label: str) -> float:
    """A count column's print width in the progress summary at 9 pt bold: 1.5 cm for a heading of words of five
    letters at most (Red, Amber), else about 0.2 cm a letter of its longest word, from 1.85 cm ('Complete',
    'Not assessed') to 2.6 cm: each heading word whole (a longer word breaks)."""
    longest = _longest_word(label)
    return 1.5 if longest <= 5 else min(2.6, max(1.85, round(0.2 * longest + 0.25, 2)))


def _summary_row(label: str, counts: dict[str, int], row_id: str) -> Row:
    cells = [Cell((Line(plain(label, bold=label == "Total")),), kind=ColumnKind.AREA)]
    cells += [Cell((Line(plain(str(count))),), kind=ColumnKind.COUNT) for count in counts.values()]
    cells.append(Cell((Line(plain(str(sum(counts.values())), bold=True)),), kind=ColumnKind.COUNT))
    return Row(tuple(cells), id=row_id)


# The matrix's columns are every rating, worst to best, then not assessed. Print widths: each header word fits
# on the portrait page at 10 pt bold ('Not assessed' on two lines). The default scale's were set by eye; another
# scale's follow from the label's length (_matrix_width).
DEFAULT_MATRIX_WIDTHS_CM = {"red": 1.4, "amber": 1.7, "green": 1.6, "white": 1.6, "complete": 2.2}
NOT_ASSESSED_WIDTH_CM = 2.2


def matrix_widths(ratings: RatingScale) -> tuple[float, ...]:
    """The print width of each count column of the priority matrix, in the order of `with_not_assessed`."""
    if ratings == DEFAULT_SCALE:
        widths = [DEFAULT_MATRIX_WIDTHS_CM[rating.id] for rating in ratings.ratings]
    else:
        widths = [_matrix_width(rating.label) for rating in ratings.ratings]
    return (*widths, NOT_ASSESSED_WIDTH_CM)


def _matrix_width(label: str) -> float:
    """About 0.22 cm a letter of the label's longest word at 10 pt bold, and the cell's margins; 1.4 to 2.2 cm."""
    return round(min(2.2, max(1.4, 0.5 + 0.22 * _longest_word(label))), 2)


def priority_alignment_section(plan: Plan, level: int) -> Section:
    """'Alignment to the Police and Crime Plan': active actions per strategic priority and R/A/G, and the
    key aims no active action serves. Counts are of the plan given (the public plan in public outputs)."""
    active = [a for a in plan.actions if a.lifecycle == Lifecycle.ACTIVE]
    widths, size = fitted((3.9, *matrix_widths(plan.ratings), 1.6), 10)
    columns = (Column("Strategic priority", widths[0], ColumnKind.PRIORITY),
               *(Column(rag_word(rag, plan.ratings), width, ColumnKind.COUNT)
                 for rag, width in zip(plan.ratings.with_not_assessed, widths[1:-1])),
               Column("Total", widths[-1], ColumnKind.COUNT))
    rows = []
    for priority in plan.priorities:
        linked = [a for a in active if priority.number in a.priorities]
        cells = [Cell((Line(plain(f"{priority.number}. {priority.title}")),), kind=ColumnKind.PRIORITY)]
        for rag in plan.ratings.with_not_assessed:
            count = sum(1 for a in linked if a.rag_key == rag)
            cells.append(_count_cell(count, f"?priority={priority.number}&rag={rag}&lifecycle={Lifecycle.ACTIVE}#appendix-1"))
        cells.append(_count_cell(len(linked), f"?priority={priority.number}&lifecycle={Lifecycle.ACTIVE}#appendix-1"))
        rows.append(Row(tuple(cells), id=f"priority-{priority.number}",
                        attrs=(("data-priority", str(priority.number)), ("data-actions", str(len(linked))))))
    nodes: list[Node] = [
        Line(plain(f"The number of active actions linked to each strategic priority of the "
                   f"{plan.info.police_and_crime_plan}, by R/A/G rating; an action linked to several priorities is "
                   "counted under each.")),
        Table("Active actions by strategic priority and R/A/G rating", columns, tuple(rows), kind=TableKind.PRIORITY_MATRIX,
              id="priority-matrix", region_label="Active actions by strategic priority table", size_pt=size),
    ]
    unlinked = sum(1 for a in active if not a.priorities)
    if unlinked:
        nodes.append(Line(plain(f"{unlinked} active action{' names' if unlinked == 1 else 's name'} no strategic priority.")))
    nodes.extend(_key_aims_nodes(plan, active, level + 1))
    title = Title(level, plan.info.words.alignment_heading, id="priority-alignment-title")
    return Section("priority-alignment", title, tuple(nodes), kind=SectionKind.PRIORITY_ALIGNMENT)


def _count_cell(count: int, href: str) -> Cell:
    """A count of the matrix; in the HTML a non-zero count links to the delivery plan filtered to those actions."""
    span = Span(str(count), href=href) if count else Span("0")
    return Cell((Line((span,)),), kind=ColumnKind.COUNT)


def _key_aims_nodes(plan: Plan, active: list[Action], level: int) -> list[Node]:
    """The key aims that no active action names in its key_aims."""
    aims = [aim for priority in plan.priorities for aim in priority.aims]
    if not aims:
        return []
    title = Title(level, "Key aims no action serves", id="unserved-key-aims-title")
    served = {ref for action in active for ref in action.key_aims}
    if not served:
        return []  # the actions do not name the key aims they serve: nothing true can be said of them
    unserved = [aim for aim in aims if aim.ref not in served]
    if not unserved:
        return [title, Line(plain(f"Each of the {len(aims)} key aims is served by at least one active action."),
                            id="unserved-key-aims")]
    items = []
    for aim in unserved:
        first = aim.text[0] if aim.text else None
        if isinstance(first, Paragraph):
            blocks: tuple[object, ...] = (Paragraph((Span(f"{aim.ref} ", bold=True), *first.spans)), *aim.text[1:])
        else:
            blocks = (Paragraph((Span(aim.ref, bold=True),)), *aim.text)
        items.append(ListItem(blocks))  # type: ignore[arg-type]
    return [title, Line(plain(f"{len(unserved)} of the {len(aims)} key aims {'is' if len(unserved) == 1 else 'are'} "
                              "served by no active action:"), id="unserved-key-aims"),
            Rich((ListBlock(False, tuple(items)),))]



def progress_part(plan: Plan, changes: ChangeSummary | None, number: int) -> Part:
    """Appendix N: the progress summary, the changes since the last report (with the overdue actions) and the
    alignment to the Police and Crime Plan, in their own appendix after the plan (the cover report's one
    paragraph on progress points here)."""
    nodes: list[Node] = [progress_summary(plan, 3)]
    if changes is not None:
        nodes.append(changes_section(plan, changes, 3))
    if plan.priorities:
        nodes.append(priority_alignment_section(plan, 3))
    heading = PROGRESS_APPENDIX_SINCE if changes is not None else PROGRESS_APPENDIX
    label = appendix_label(number)
    return Part(f"appendix-{number}", Title(2, f"{label}: {heading}", id=f"appendix-{number}-title", label=f"{label}:"),
                tuple(nodes), kind=PartKind.APPENDIX, contents_label=f"{label} – {heading}",
                labelledby=f"appendix-{number}-title")
