"""Counts of the active actions by R/A/G: per business area (the progress summary) and per strategic
priority (alignment to the Police and Crime Plan), with the key aims no action serves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Action, Lifecycle, ListBlock, ListItem, Paragraph, Plan, Rag, Span, for_every
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
from .wording import PROGRESS_APPENDIX, PROGRESS_APPENDIX_SINCE, RAG_WORDS, appendix_label

if TYPE_CHECKING:
    from ..changes import ChangeSummary


def progress_summary(plan: Plan, level: int) -> Section:
    """R/A/G counts of the active actions by business area, with totals (table id rag-summary)."""
    # Widths fit the portrait page (16.6 cm) with each heading word whole at 9 pt.
    wide = (Rag.COMPLETE, Rag.NOT_ASSESSED)
    columns = (Column(plan.info.words.area.capitalize(), 5.5, ColumnKind.AREA),
               *(Column(RAG_WORDS[rag], 1.85 if rag in wide else 1.5, ColumnKind.COUNT)
                 for rag in Rag),
               Column("Total", 1.4, ColumnKind.COUNT))
    rows: list[Row] = []
    totals = dict.fromkeys(Rag, 0)
    for area in plan.areas:
        counts = dict.fromkeys(Rag, 0)
        for action in area.actions:
            if action.lifecycle == Lifecycle.ACTIVE:
                counts[action.rag_key] += 1
        for rag in Rag:
            totals[rag] += counts[rag]
        rows.append(_summary_row(f"{area.number}. {area.title}", counts, f"summary-area-{area.number}"))
    rows.append(_summary_row("Total", totals, "summary-total"))
    table = Table(f"Progress summary: active actions by {plan.info.words.area_lower} and R/A/G status", columns, tuple(rows),
                  kind=TableKind.RAG_SUMMARY, id="rag-summary", region_label="Progress summary table", size_pt=9)
    note = Line(plain("Counts of active actions; superseded and deleted actions are not counted."), role=Role.NOTE)
    return Section("progress-summary", Title(level, "Progress summary", id="progress-summary-title"),
                   (table, note), kind=SectionKind.PROGRESS_SUMMARY)


def _summary_row(label: str, counts: dict[Rag, int], row_id: str) -> Row:
    cells = [Cell((Line(plain(label, bold=label == "Total")),), kind=ColumnKind.AREA)]
    cells += [Cell((Line(plain(str(counts[rag]))),), kind=ColumnKind.COUNT) for rag in Rag]
    cells.append(Cell((Line(plain(str(sum(counts.values())), bold=True)),), kind=ColumnKind.COUNT))
    return Row(tuple(cells), id=row_id)


# The matrix's columns are every rating, in the order of Rag (the RAG key's, then not assessed).
# Print widths: each header word fits on the portrait page at 10 pt bold ('Not assessed' on two lines).
MATRIX_WIDTHS_CM = for_every(Rag, {Rag.RED: 1.4, Rag.AMBER: 1.7, Rag.GREEN: 1.6, Rag.WHITE: 1.6, Rag.COMPLETE: 2.2,
                                   Rag.NOT_ASSESSED: 2.2})


def priority_alignment_section(plan: Plan, level: int) -> Section:
    """'Alignment to the Police and Crime Plan': active actions per strategic priority and R/A/G, and the
    key aims no active action serves. Counts are of the plan given (the public plan in public outputs)."""
    active = [a for a in plan.actions if a.lifecycle == Lifecycle.ACTIVE]
    columns = (Column("Strategic priority", 3.9, ColumnKind.PRIORITY),
               *(Column(RAG_WORDS[rag], MATRIX_WIDTHS_CM[rag], ColumnKind.COUNT) for rag in Rag),
               Column("Total", 1.6, ColumnKind.COUNT))
    rows = []
    for priority in plan.priorities:
        linked = [a for a in active if priority.number in a.priorities]
        cells = [Cell((Line(plain(f"{priority.number}. {priority.title}")),), kind=ColumnKind.PRIORITY)]
        for rag in Rag:
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
              id="priority-matrix", region_label="Active actions by strategic priority table", size_pt=10),
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
