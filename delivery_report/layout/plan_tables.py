"""Appendix 1, the delivery plan: a table of actions per business area, and the filters over its rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..changes import Direction
from ..model import NOT_ASSESSED as NOT_ASSESSED_ID
from ..model import Action, BusinessArea, Lifecycle, OfficeWords, Plan, PlanColumn, RatingScale
from .changes import changes_section
from .nodes import (
    Cell,
    CellContent,
    Column,
    ColumnKind,
    FilterOption,
    Filters,
    FilterSelect,
    Line,
    Node,
    Part,
    PartKind,
    People,
    PersonRef,
    Rich,
    Role,
    Row,
    Section,
    SectionKind,
    Table,
    TableKind,
    Title,
    plain,
    text_cell,
)
from .progress import priority_alignment_section, progress_summary
from .wording import (
    LIFECYCLE_WORDS,
    MOVEMENT_ARROWS,
    NOT_ASSESSED,
    carried_forward_from_wording,
    carried_forward_wording,
    dotted_date,
    due_words,
    lifecycle_spans,
    movement_spoken,
    movement_words,
    priorities_display,
    provenance,
    superseded_groups,
)

if TYPE_CHECKING:
    from ..changes import ChangeSummary, RagMovement


# The delivery-plan table's columns left to right, with their widths; the office names them (plan.md `words`).
_COLUMN_WIDTHS_CM = (
    (ColumnKind.REF, 1.3), (ColumnKind.ACTION, 5.6), (ColumnKind.PRIORITIES, 2.0), (ColumnKind.DUE, 1.8),
    (ColumnKind.SPONSOR, 1.7), (ColumnKind.LEAD, 1.7), (ColumnKind.STATUS, 10.4), (ColumnKind.RAG, 2.2),
)
# The columns an office may leave out (plan.md `columns`).
_OPTIONAL = {ColumnKind.PRIORITIES: PlanColumn.PRIORITIES, ColumnKind.DUE: PlanColumn.DUE,
             ColumnKind.SPONSOR: PlanColumn.SPONSOR, ColumnKind.LEAD: PlanColumn.LEAD}


def _heading(words: OfficeWords, kind: ColumnKind) -> str:
    headings = {ColumnKind.REF: words.ref_column, ColumnKind.ACTION: words.action_column,
                ColumnKind.PRIORITIES: words.priorities_column, ColumnKind.DUE: words.due_column,
                ColumnKind.SPONSOR: words.sponsor_column, ColumnKind.LEAD: words.lead_column,
                ColumnKind.STATUS: words.status_column, ColumnKind.RAG: words.rag_column}
    return headings[kind]


def shown_columns(plan: Plan, with_priorities: bool) -> frozenset[ColumnKind]:
    """The columns a table of the plan shows: every one but those the office leaves out, and the strategic
    priorities only where an action of the table names one."""
    return frozenset(kind for kind, _width in _COLUMN_WIDTHS_CM
                     if kind not in _OPTIONAL or (_OPTIONAL[kind] in plan.info.columns
                                                  and (kind is not ColumnKind.PRIORITIES or with_priorities)))


def plan_columns(plan: Plan, shown: frozenset[ColumnKind]) -> tuple[Column, ...]:
    """The delivery-plan table's columns; the status column takes the width of those not shown."""
    spare = 0.0
    for kind, width in _COLUMN_WIDTHS_CM:
        if kind not in shown:
            spare += width
    return tuple(Column(_heading(plan.info.words, kind), width + spare if kind is ColumnKind.STATUS and spare else width,
                        kind)
                 for kind, width in _COLUMN_WIDTHS_CM if kind in shown)


def delivery_plan_part(plan: Plan, first: bool, changes: ChangeSummary | None, history_page: str = "") -> Part:
    """Appendix 1 (or, without a cover report, the pack's first part, which then carries the summaries)."""
    snap = plan.snapshot
    heading = f"{plan.info.title} (as at {dotted_date(snap.as_at)})"
    nodes: list[Node] = [Line(plain(provenance(plan), italic=True), role=Role.NOTE)]
    if plan.cover is None:
        nodes.append(progress_summary(plan, 2))
        if changes is not None:
            nodes.append(changes_section(plan, changes, 2))
    if plan.info.intro:
        nodes.append(Rich(plan.info.intro, 3))
    if plan.cover is None and plan.priorities:
        nodes.append(priority_alignment_section(plan, 2))
    nodes.append(Line(plain(plan.info.words.areas_introduction, bold=True)))
    nodes.append(Filters(filters(plan), len(plan.actions)))
    groups = superseded_groups(plan)
    for area in plan.areas:
        nodes.append(_area_section(plan, area, groups, changes, history_page))
    if first:
        title = Title(1, plan.info.title, id="appendix-1-title")
    else:
        title = Title(2, f"Appendix 1: {heading}", id="appendix-1-title", label="Appendix 1:")
    return Part("appendix-1", title, tuple(nodes), landscape=True, kind=PartKind.APPENDIX,
                contents_label=f"Appendix 1 – {plan.info.words.plan_name}", labelledby="appendix-1-title")


def _area_section(plan: Plan, area: BusinessArea, groups: dict[tuple[str, ...], tuple[str, ...]],
                  changes: ChangeSummary | None, history_page: str = "") -> Section:
    words = plan.info.words
    name = f"{words.area} {area.number}: {area.title}"
    nodes: list[Node] = []
    if area.intro:
        nodes.append(Rich(area.intro, 5))
    nodes.append(Title(4, words.activity_heading))
    if area.actions:
        shown = shown_columns(plan, area.uses_priorities)  # uses_priorities looks at every action: once per table
        rows = tuple(_action_row(plan, area, action, shown, groups, changes, history_page)
                     for action in area.actions)
        nodes.append(Table(f"{name} – {words.activity_heading}", plan_columns(plan, shown), rows,
                           kind=TableKind.PLAN_TABLE, region_label=f"{name}: actions table", size_pt=9))
    else:
        nodes.append(Line(plain(f"There are no actions in this {words.area_lower}.")))
    return Section(f"business-area-{area.number}", Title(3, name, id=f"business-area-{area.number}-title"),
                   tuple(nodes), kind=SectionKind.BUSINESS_AREA)


def _action_row(plan: Plan, area: BusinessArea, action: Action, shown: frozenset[ColumnKind],
                groups: dict[tuple[str, ...], tuple[str, ...]], changes: ChangeSummary | None,
                history_page: str = "") -> Row:
    cells: list[Cell] = [
        Cell((Line(plain(action.ref)),), kind=ColumnKind.REF),
        Cell((Rich(action.text),), kind=ColumnKind.ACTION),
    ]
    if ColumnKind.PRIORITIES in shown:
        cells.append(text_cell(priorities_display(action), ColumnKind.PRIORITIES))
    if ColumnKind.DUE in shown:
        due: list[CellContent] = [Line(plain(due_words(action.due)))] if action.due else []
        # From the due date and the report's date alone (Action.is_overdue, the one rule): a plan with no
        # earlier report to compare with, such as a newly imported one, flags its overdue actions too.
        if action.is_overdue(plan.snapshot.as_at, plan.ratings):
            due.append(Line(plain("Overdue", bold=True), role=Role.OVERDUE))
        cells.append(Cell(tuple(due), kind=ColumnKind.DUE))
    if ColumnKind.SPONSOR in shown:
        cells.append(Cell((_people(plan, action.sponsor),) if action.sponsor else (), kind=ColumnKind.SPONSOR))
    if ColumnKind.LEAD in shown:
        cells.append(Cell((_people(plan, action.lead),) if action.lead else (), kind=ColumnKind.LEAD))
    status: list[CellContent] = []
    carried_from = carried_forward_from_wording(action)
    if carried_from:
        # standard wording from the fields at the head of the status, as the lifecycle sentences are (and
        # styled as they are, so the 2017/18 plan's HTML stays byte for byte what it was)
        status.append(Line(plain(carried_from, italic=True), role=Role.LIFECYCLE))
    wording = lifecycle_spans(action, plan, area, groups)
    if wording:
        status.append(Line(wording, role=Role.LIFECYCLE))
    if action.status:
        status.append(Rich(action.status))
    carried = carried_forward_wording(action, plan)
    if carried:
        status.append(Line(plain(carried, italic=True), role=Role.CARRIED_FORWARD))
    cells.append(Cell(tuple(status), kind=ColumnKind.STATUS))
    attrs = [("data-ref", action.ref), ("data-rag", action.rag_key), ("data-lifecycle", action.lifecycle)]
    if changes is None:
        cells.append(rag_cell(action.rag, plan.ratings))
    else:
        movement = changes.movement(action)
        cells.append(rag_cell(action.rag, plan.ratings, movement_lines(movement, changes)))
        attrs.append(("data-rag-previous", movement.previous))
    # What the HTML filters match (space-separated lists).
    attrs += [("data-area", str(area.number)), ("data-lead", " ".join(action.lead)),
              ("data-priorities", " ".join(str(n) for n in action.priorities))]
    history = f"{history_page}#history-{action.ref}" if history_page else ""
    return Row(tuple(cells), id=f"action-{action.ref}", attrs=tuple(attrs), bookmark=action.ref, history=history)


def rag_cell(rag: str | None, ratings: RatingScale, movement: tuple[Line, ...] = ()) -> Cell:
    """An R/A/G cell: the word on its colour (or 'Not assessed' for screen readers), then its movement."""
    rating = ratings.get(rag)
    if rating is None:
        return Cell(movement, kind=ColumnKind.RAG, rag=NOT_ASSESSED_ID, hidden=NOT_ASSESSED)
    return Cell((Line(plain(rating.label, bold=True)), *movement), kind=ColumnKind.RAG, rag=rating.id)


def movement_lines(movement: RagMovement, changes: ChangeSummary) -> tuple[Line, ...]:
    """The direction of travel under the R/A/G word: 'Amber → Red' and 'worsened since 7 Nov 2017'.

    Nothing for an unchanged rating (the word says it all); 'new since ...' for an action new since then."""
    if movement.direction == Direction.UNCHANGED:
        return ()
    spoken = Line(plain(movement_spoken(movement, changes.since)), role=Role.RAG_MOVEMENT)
    if movement.direction == Direction.NEW:
        return (spoken,)
    arrow = MOVEMENT_ARROWS[movement.direction]
    words = movement_words(movement, changes.ratings, changes.earlier_ratings)
    return (Line(plain(f"{arrow} {words}" if arrow else words), role=Role.RAG_MOVEMENT), spoken)


def filters(plan: Plan) -> tuple[FilterSelect, ...]:
    """The HTML's filters: R/A/G, business area, lead officer and strategic priority, from the plan itself."""
    rag = (*(FilterOption(r.id, r.label) for r in plan.ratings.ratings), FilterOption(NOT_ASSESSED_ID, NOT_ASSESSED))
    areas = tuple(FilterOption(str(a.number), f"{a.number}. {a.title}") for a in plan.areas)
    leads = sorted({initials for action in plan.actions for initials in action.lead})
    lead_options = []
    for initials in leads:
        person = plan.person(initials)
        name = ", ".join(p for p in (person.name, person.role) if p) if person else ""
        lead_options.append(FilterOption(initials, f"{initials} ({name})" if name else initials))
    used = {n for action in plan.actions for n in action.priorities}
    priorities = tuple(FilterOption(str(p.number), f"{p.number}. {p.title}") for p in plan.priorities if p.number in used)
    lifecycles = tuple(FilterOption(key, LIFECYCLE_WORDS[key]) for key in Lifecycle)
    return (
        FilterSelect("rag", "R/A/G status", rag),
        FilterSelect("area", plan.info.words.area.capitalize(), areas),
        FilterSelect("lead", plan.info.words.lead_column.capitalize(), tuple(lead_options)),
        FilterSelect("priority", "Strategic priority", priorities),
        FilterSelect("lifecycle", "Action", lifecycles),
    )


def _people(plan: Plan, initials: tuple[str, ...]) -> People:
    refs = []
    for item in initials:
        person = plan.person(item)
        title = ", ".join(p for p in (person.name, person.role) if p) if person else ""
        refs.append(PersonRef(item, title))
    return People(tuple(refs))

