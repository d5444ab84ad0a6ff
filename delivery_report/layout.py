"""The report's structure and wording, decided once: what both renderers draw.

`build_layout(plan)` turns a (public or restricted-copy) plan into a `Report`: parts, sections,
headings, lines of generated wording, content rich text, and tables with their columns and rows.
`render/docx` and `render/html` only draw these nodes; neither decides wording, order or which
columns exist, so the two outputs cannot say different things (tests/test_parity.py checks it).

Content rich text (model.RichText) is passed through as it is: walking every span again here would
add a pass over the largest part of the plan for nothing. Only the cover report's placeholders are
filled, and only there (elsewhere a placeholder is a content error, reported by validation).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import richtext
from .changes import KIND_HEADINGS, ChangeKind, Direction
from .model import (
    LIFECYCLE_WORDS,
    RAG_MEANINGS,
    RAG_WORDS,
    RESPONDERS,
    Action,
    BusinessArea,
    CoverReport,
    Heading,
    Kpi,
    Lifecycle,
    ListBlock,
    ListItem,
    Paragraph,
    Placeholder,
    Plan,
    Rag,
    Recommendation,
    Responder,
    RichText,
    Span,
    Word,
    for_every,
    natural_key,
)

if TYPE_CHECKING:
    import datetime as dt

    from .changes import ChangeItem, ChangeSummary, RagMovement

BLANK = "________________"
NOT_ASSESSED = RAG_WORDS[Rag.NOT_ASSESSED]
RESTRICTED_MARK = "RESTRICTED – NOT FOR PUBLICATION"
DRAFT_MARK = "DRAFT – built from uncommitted changes; not for sign-off"
PUBLIC_ACCESS_TEXT = (
    "Information in this form is subject to the Freedom of Information Act 2000 (FOIA) and other "
    "legislation. Part 1 of this form will be made available on the website within 1 working day of "
    "approval. Any facts and advice that should not be automatically available on request should not be "
    "included in Part 1 but instead on a separate Part 2 form. Deferment of publication is only applicable "
    "where release before that date would compromise the implementation of the decision being approved."
)
RESPONDER_MEANINGS = for_every(Responder, {
    Responder.PANEL: "the Police and Crime Panel's response (blue text)",
    Responder.PCC: "the Police and Crime Commissioner's response (black text)",
    Responder.CHIEF_CONSTABLE: "the Chief Constable's response (red text)",
})


# --- the nodes ----------------------------------------------------------------------------------
# Each kind and role names a look: the HTML writes it as a class (templates/_style.css.j2 styles it),
# the DOCX draws the few that differ in print.


class Role(Word):
    """How a line of generated wording looks."""

    PLAIN = ""
    ORGANISATION = "organisation"
    REPORT_TYPE = "report-type"
    MEETING = "meeting"
    SIGN = "sign"
    NOTE = "note"
    LIFECYCLE = "lifecycle"
    CARRIED_FORWARD = "carried-forward"
    OVERDUE = "overdue"
    RAG_MOVEMENT = "rag-movement"
    SIGNED_OFF = "signed-off"
    MEASURE_LABEL = "measure-label"
    TARGET_STATUS = "target-status"


class ColumnKind(Word):
    """What a table column holds; each of its cells has the same kind."""

    PLAIN = ""
    REF = "ref"
    ACTION = "action"
    PRIORITIES = "priorities"
    DUE = "due"
    SPONSOR = "sponsor"
    LEAD = "lead"
    STATUS = "status"
    RAG = "rag"
    RECOMMENDATION = "recommendation"
    PROGRESS = "progress"
    ASSESSMENT = "assessment"
    AREA = "area"
    PRIORITY = "priority"
    COUNT = "count"
    MEASURE = "measure"
    PERIOD = "period"
    NUMBER = "number"
    TARGET = "target"
    DIRECTION = "direction"
    COMMENTARY = "commentary"
    ADVICE = "advice"
    OFFICER = "officer"


class TableKind(Word):
    """Which of the report's tables a table is."""

    PLAN_TABLE = "plan-table"
    RECOMMENDATIONS_TABLE = "recommendations-table"
    PRIORITY_MATRIX = "priority-matrix"
    RAG_SUMMARY = "rag-summary"
    RAG_KEY = "rag-key"
    KPI_TABLE = "kpi-table"
    KPI_VALUES = "kpi-values"
    SIGN_OFF = "sign-off"


class SectionKind(Word):
    """Which kind of titled section a section is."""

    BUSINESS_AREA = "business-area"
    PROGRESS_SUMMARY = "progress-summary"
    PRIORITY_ALIGNMENT = "priority-alignment"
    CHANGES_SINCE = "changes-since"
    KPI_TREND = "kpi-trend"


class PartKind(Word):
    """Which kind of part of the pack a part is."""

    COVER = "cover"
    CONTENTS = "contents"
    APPENDIX = "appendix"


class GroupKind(Word):
    """A block of nodes kept together."""

    APPROVAL = "approval"
    CHIEF_OFFICER = "chief-officer"



@dataclass(frozen=True)
class Line:
    """A paragraph of generated wording; `role` names its look (lead, note, meeting, sign, ...)."""

    spans: tuple[Span, ...]
    role: Role = Role.PLAIN
    # True when the line ends with a blank for someone to fill in by hand (a date, a signature).
    blank: bool = False
    id: str = ""


@dataclass(frozen=True)
class Rich:
    """Content rich text; Markdown heading levels map to outline levels from `heading_base`."""

    blocks: RichText
    heading_base: int = 3


@dataclass(frozen=True)
class Title:
    """A heading of the report's outline: level 1 is the document title, 2 a part, 3 and 4 below."""

    level: int
    text: str
    id: str = ""
    # A label shown before the text on its own line in the HTML (e.g. 'Appendix 1'); part of `text`.
    label: str = ""


@dataclass(frozen=True)
class KeyItem:
    """One entry of a key: the responder it describes, its label and what it means."""

    by: Responder
    label: str
    meaning: str


@dataclass(frozen=True)
class Key:
    """A key to colours used in a table (who gave which progress update)."""

    intro: str
    items: tuple[KeyItem, ...]
    id: str = ""


@dataclass(frozen=True)
class PersonRef:
    """Initials in a sponsor or lead cell, with the name and role the register gives ('' if none)."""

    initials: str
    title: str = ""


@dataclass(frozen=True)
class People:
    """A sponsor or lead cell's people, shown joined by '/'."""

    people: tuple[PersonRef, ...]


@dataclass(frozen=True)
class ResponseBlock:
    """A progress update in the recommendation table: who gave it (`by` sets its colour) and its text."""

    by: Responder
    label: str
    blocks: RichText


CellContent = Line | Rich | People | ResponseBlock


@dataclass(frozen=True)
class Cell:
    """A table cell: its content, a `kind` (the column it is in) and, for R/A/G cells, the rating."""

    content: tuple[CellContent, ...] = ()
    kind: ColumnKind = ColumnKind.PLAIN
    rag: Rag | None = None
    # Words for screen readers only (an empty R/A/G cell is 'Not assessed').
    hidden: str = ""


@dataclass(frozen=True)
class Column:
    """A table column: its header, its width in the printed document and the kind of its cells."""

    label: str
    width_cm: float
    kind: ColumnKind = ColumnKind.PLAIN


@dataclass(frozen=True)
class Row:
    """A table row; `attrs` are the data attributes the HTML row carries (fixed for checks)."""

    cells: tuple[Cell, ...]
    id: str = ""
    attrs: tuple[tuple[str, str], ...] = ()
    bookmark: str = ""
    # Where the row's history is (the audit page, when one is built): the HTML links the ref to it.
    history: str = ""


@dataclass(frozen=True)
class Table:
    """A table with a caption, header row and rows; `kind` names its look, `size_pt` its print size."""

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    kind: TableKind
    id: str = ""
    region_label: str = ""
    size_pt: float | None = None


@dataclass(frozen=True)
class Group:
    """Nodes kept together (a framed block in the HTML, e.g. the approval box)."""

    kind: GroupKind
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Section:
    """A titled section of a part (a business area)."""

    id: str
    title: Title
    children: tuple[Node, ...]
    kind: SectionKind


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the contents list: the heading's outline level, its text and the id it links to."""

    level: int
    text: str
    target: str


@dataclass(frozen=True)
class Contents:
    """The contents list: a Word table of contents (page numbers) and a list of links in the HTML."""

    entries: tuple[ContentsEntry, ...]


@dataclass(frozen=True)
class FilterOption:
    """One choice of a filter: the value matched against the rows' data attribute, and its label."""

    value: str
    label: str


@dataclass(frozen=True)
class FilterSelect:
    """A filter of the delivery-plan rows (HTML only): `name` is the query parameter and the select's name."""

    name: str
    label: str
    options: tuple[FilterOption, ...]


@dataclass(frozen=True)
class Filters:
    """Filters and a text search over the delivery-plan rows: interactive, so drawn by the HTML only."""

    selects: tuple[FilterSelect, ...]
    total: int


@dataclass(frozen=True)
class ChartPoint:
    """One bar of a chart: the period's label, its value and the value as the report shows it."""

    label: str
    value: float
    shown: str


@dataclass(frozen=True)
class Chart:
    """A small bar chart of a measure's values per period: SVG in the HTML, a picture in the DOCX.

    `alt` is the text alternative and states every figure; `caption` is a visible line both outputs print."""

    id: str
    title: str
    alt: str
    caption: str
    points: tuple[ChartPoint, ...]
    target: float | None = None
    target_shown: str = ""


Node = Line | Rich | Title | Key | Table | Group | Section | Chart | Contents | Filters


@dataclass(frozen=True)
class Part:
    """A part of the pack that starts on a new page: the cover report or an appendix."""

    id: str
    # The part's heading when it leads the part (the cover report's title comes after its masthead).
    title: Title | None
    children: tuple[Node, ...]
    kind: PartKind
    landscape: bool = False
    contents_label: str = ""
    labelledby: str = ""


@dataclass(frozen=True)
class DocumentProperties:
    """What the DOCX's core properties say."""

    title: str
    subject: str
    author: str
    comments: str


@dataclass(frozen=True)
class Report:
    """The whole pack, as both renderers draw it."""

    page_title: str
    organisation: str
    as_at_words: str
    commit: str
    short_commit: str
    banner: str
    restricted_copy: bool
    draft: bool
    parts: tuple[Part, ...]
    footer: str
    properties: DocumentProperties
    # The commit built, in full ('<HEAD>-dirty' for a working tree with changes): the DOCX identifier.
    identifier: str
    # The running header of every printed page: plan title and as-at date; and the copy's mark
    # (DRAFT, RESTRICTED – NOT FOR PUBLICATION) printed with it on every page.
    running_header: str
    page_mark: str
    # Refs of the actions in this report: a typed 'Action 1.2' links only to one of these.
    link_targets: frozenset[str]


# --- building it ----------------------------------------------------------------------------------


def build_layout(plan: Plan, changes: ChangeSummary | None = None, history_page: str = "") -> Report:
    """Turn a plan into the report every renderer draws (pass `plan.public()` for public outputs).

    With `changes` (compared with the last report), R/A/G cells show their movement, rows carry
    data-rag-previous, overdue actions are flagged and a 'Changes since' section is added. With
    `history_page` (the audit page built beside the report), each action row links to its history."""
    snap = plan.snapshot
    parts: list[Part] = []
    if plan.cover is not None:
        parts.append(_cover_part(plan, plan.cover, changes))
    appendices = [_delivery_plan_part(plan, first=plan.cover is None, changes=changes, history_page=history_page),
                  _recommendations_part(plan)]
    if plan.kpis:
        appendices.append(_kpi_part(plan))
    parts.append(_contents_part(appendices))
    parts.extend(appendices)
    banner = RESTRICTED_MARK if snap.restricted_copy else (DRAFT_MARK if snap.draft else "")
    page_title = plan.cover.title if plan.cover is not None else plan.info.title
    prefix = "RESTRICTED – " if snap.restricted_copy else ("DRAFT – " if snap.draft else "")
    commit = snap.commit or ""
    if commit:
        footer = f"Built from commit {commit[:7]} as at {snap.as_at_words}"
        if snap.draft:
            footer += ", with uncommitted changes (DRAFT)"
    else:
        footer = f"Built from the working tree (not in git) on {snap.as_at_words}"
    identifier = commit + ("-dirty" if commit and snap.draft else "")
    return Report(
        page_title=f"{prefix}{page_title} (as at {snap.as_at_words})",
        organisation=plan.info.organisation,
        as_at_words=snap.as_at_words,
        commit=commit,
        short_commit=commit[:12],
        banner=banner,
        restricted_copy=snap.restricted_copy,
        draft=snap.draft,
        parts=tuple(parts),
        footer=footer + ".",
        identifier=identifier,
        running_header=f"{plan.info.title} – as at {snap.as_at_words}",
        page_mark=RESTRICTED_MARK if snap.restricted_copy else ("DRAFT" if snap.draft else ""),
        properties=DocumentProperties(
            title=_marked(f"{plan.info.title} (as at {snap.as_at_short})", snap.restricted_copy),
            subject=_marked("Level 1 report pack", snap.restricted_copy),
            author=plan.info.organisation,
            comments=f"Built from commit {commit}" if commit else "Built from the working tree",
        ),
        link_targets=frozenset(a.ref for a in plan.actions),
    )


def _marked(text: str, restricted_copy: bool) -> str:
    """A document property of the restricted copy starts with its mark: file lists, search results and
    a PDF reader's title bar show the title and subject before any page is seen."""
    return f"{RESTRICTED_MARK}: {text}" if restricted_copy else text


def plain(text: str, bold: bool = False, italic: bool = False) -> tuple[Span, ...]:
    """Generated wording as one span."""
    return (Span(text, bold=bold, italic=italic),)


def inline_markdown(text: str, bold: bool = False) -> tuple[Span, ...]:
    """A one-line field written in Markdown (e.g. the meeting line '31^st^ March') as spans."""
    spans: list[Span] = []
    for block in richtext.parse(text):
        if isinstance(block, (Paragraph, Heading)):
            spans.extend(dataclasses.replace(s, bold=s.bold or bold) for s in block.spans)
    return tuple(spans) or plain(text, bold=bold)


# --- the cover report -------------------------------------------------------------------------------


def _cover_part(plan: Plan, cover: CoverReport, changes: ChangeSummary | None) -> Part:
    values = placeholder_values(plan)
    nodes: list[Node] = []
    for text in cover.heading.upper().split("\n"):
        nodes.append(Line(plain(text, bold=True), role=Role.ORGANISATION))
    nodes.append(Line(plain(cover.report_type, bold=True), role=Role.REPORT_TYPE))
    nodes.append(Line(inline_markdown(cover.meeting.strip(), bold=True), role=Role.MEETING, blank=cover.meeting_needs_blank))
    nodes.append(Title(1, f"Title: {cover.title}", id="cover-title", label="Title:"))
    nodes.append(Title(2, "Executive Summary:"))
    nodes.extend(_cover_rich(plan, cover.executive_summary, values, 3))
    nodes.append(Title(2, "Recommendation:"))
    nodes.extend(_cover_rich(plan, cover.recommendation, values, 3))
    nodes.append(Group(GroupKind.APPROVAL, (
        Title(2, "Police and Crime Commissioner"),
        Line(plain("I hereby approve the recommendation above.")),
        Line(plain("Signature", bold=True), role=Role.SIGN, blank=True),
        Line(plain("Date", bold=True), role=Role.SIGN, blank=True),
    )))
    nodes.append(Title(2, "PART 1 – NON-CONFIDENTIAL", id="part-1"))
    nodes.extend(_cover_rich(plan, cover.sections, values, 3))
    nodes.append(progress_summary(plan, 3))
    if changes is not None:
        nodes.append(changes_section(plan, changes, 3))
    if plan.priorities:
        nodes.append(priority_alignment_section(plan, 3))
    if cover.background_papers:
        nodes.append(Title(3, cover.background_papers_heading))
        nodes.extend(_cover_rich(plan, cover.background_papers, values, 4))
    nodes.append(Title(3, "Public access to information"))
    nodes.append(Line(plain(PUBLIC_ACCESS_TEXT)))
    nodes.append(Line(plain(f"Is the publication of this form to be deferred? {'Yes' if cover.publication_deferred else 'No'}",
                            bold=True), id="publication-deferred"))
    nodes.append(Line(plain(f"Is there a Part 2 form? {'Yes' if plan.has_restricted else 'No'}", bold=True),
                      id="part-2-form"))
    if cover.sign_off:
        rows = tuple(
            Row((Cell((Line(plain(row.heading, bold=True)), Rich(row.advice)), kind=ColumnKind.ADVICE),
                 Cell((Line(plain(row.officer)),), kind=ColumnKind.OFFICER)))
            for row in cover.sign_off
        )
        nodes.append(Table("Officers' advice and sign-off", (Column("Name & Role", 12.0), Column("Officer", 4.6)),
                           rows, kind=TableKind.SIGN_OFF))
    nodes.append(Title(2, "PCC STATUTORY CHIEF OFFICERS' APPROVAL"))
    nodes.append(Line(plain("We have been consulted about the report and confirm that appropriate financial and legal "
                            "advice have been taken into account.")))
    nodes.append(Line(plain("We are satisfied that this is an appropriate request to be submitted to the Police and "
                            "Crime Commissioner.")))
    for chief in cover.chief_officers:
        date = (Span("Date "), *inline_markdown(chief.date)) if chief.date else (Span("Date"),)
        nodes.append(Group(GroupKind.CHIEF_OFFICER, (
            Line(plain(chief.officer, bold=True)),
            Line(date, blank=not chief.date),
        )))
    return Part("cover", None, tuple(nodes), kind=PartKind.COVER, contents_label=f"Cover report: {cover.title}",
                labelledby="cover-title")


def _cover_rich(plan: Plan, blocks: RichText, values: dict[str, str], heading_base: int) -> list[Node]:
    """Cover-report rich text with its placeholders filled: block placeholders become layout nodes."""
    nodes: list[Node] = []
    run: list[object] = []
    for block in blocks:
        if isinstance(block, Placeholder):
            if run:
                nodes.append(Rich(tuple(run), heading_base))  # type: ignore[arg-type]
                run = []
            nodes.append(_block_placeholder(plan, block.name))
        else:
            run.append(_fill_block(block, values, plan.areas))
    if run:
        nodes.append(Rich(tuple(run), heading_base))  # type: ignore[arg-type]
    return nodes


def _block_placeholder(plan: Plan, name: str) -> Node:
    if name == "business_area_list":
        return Rich((_area_list(plan.areas),))
    if name == "rag_key":
        rows = tuple(
            Row((Cell((Line(plain(RAG_WORDS[rag], bold=True)),), kind=ColumnKind.RAG, rag=rag), Cell((Line(plain(meaning)),))))
            for rag, meaning in RAG_MEANINGS
        )
        return Table("RAG key", (Column("R/A/G", 2.6, ColumnKind.RAG), Column("Meaning", 14.0)), rows, kind=TableKind.RAG_KEY)
    return Line(plain("{" + name + "}"))


def _area_list(areas: tuple[BusinessArea, ...]) -> ListBlock:
    """{business_area_list}: the business areas as a numbered list."""
    return ListBlock(True, tuple(ListItem((Paragraph(plain(area.title)),)) for area in areas))


def _fill_block(block: object, values: dict[str, str], areas: tuple[BusinessArea, ...]) -> object:
    if isinstance(block, Placeholder) and block.name == "business_area_list":
        return _area_list(areas)
    if isinstance(block, (Paragraph, Heading)):
        spans = tuple(dataclasses.replace(s, text=fill_placeholders(s.text, values)) for s in block.spans)
        return dataclasses.replace(block, spans=spans)
    if isinstance(block, ListBlock):
        items = tuple(ListItem(tuple(_fill_block(b, values, areas) for b in item.blocks)) for item in block.items)  # type: ignore[misc]
        return dataclasses.replace(block, items=items)
    return block


def placeholder_values(plan: Plan) -> dict[str, str]:
    """Values of the cover report's inline placeholders, from the plan itself."""
    return {
        "business_area_count": number_in_words(len(plan.areas)),
        "action_count": str(len(plan.actions)),
        "as_at": plan.snapshot.as_at_words,
    }


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace {business_area_count}, {action_count} and {as_at} in a span's text."""
    if "{" not in text:
        return text
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()


def number_in_words(n: int) -> str:
    """'nine' for 9; digits above twenty."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


# --- Appendix 1: the delivery plan --------------------------------------------------------------------

PLAN_COLUMNS = (
    Column("Ref.", 1.3, ColumnKind.REF),
    Column("Actions", 5.6, ColumnKind.ACTION),
    Column("Links to Strategic Priority", 2.0, ColumnKind.PRIORITIES),
    Column("Due Date", 1.8, ColumnKind.DUE),
    Column("Sponsor", 1.7, ColumnKind.SPONSOR),
    Column("Lead Officer", 1.7, ColumnKind.LEAD),
    Column("Current Status", 10.4, ColumnKind.STATUS),
    Column("R/A/G", 2.2, ColumnKind.RAG),
)


def plan_columns(with_priorities: bool) -> tuple[Column, ...]:
    """The delivery-plan table's columns; without priorities the status column takes the width."""
    if with_priorities:
        return PLAN_COLUMNS
    status = PLAN_COLUMNS[6]
    wider = dataclasses.replace(status, width_cm=status.width_cm + PLAN_COLUMNS[2].width_cm)
    return PLAN_COLUMNS[:2] + PLAN_COLUMNS[3:6] + (wider, PLAN_COLUMNS[7])


def _delivery_plan_part(plan: Plan, first: bool, changes: ChangeSummary | None, history_page: str = "") -> Part:
    snap = plan.snapshot
    heading = f"{plan.info.title} (as at {snap.as_at_short})"
    nodes: list[Node] = [Line(plain(provenance(plan), italic=True), role=Role.NOTE)]
    if plan.cover is None:
        nodes.append(progress_summary(plan, 2))
        if changes is not None:
            nodes.append(changes_section(plan, changes, 2))
    if plan.info.intro:
        nodes.append(Rich(plan.info.intro, 3))
    if plan.cover is None and plan.priorities:
        nodes.append(priority_alignment_section(plan, 2))
    nodes.append(Line(plain(f"OPCC Business Areas which support delivery of the PCC's {plan.info.police_and_crime_plan}",
                            bold=True)))
    nodes.append(Filters(filters(plan), len(plan.actions)))
    groups = superseded_groups(plan)
    for area in plan.areas:
        nodes.append(_area_section(plan, area, groups, changes, history_page))
    if first:
        title = Title(1, plan.info.title, id="appendix-1-title")
    else:
        title = Title(2, f"Appendix 1: {heading}", id="appendix-1-title", label="Appendix 1:")
    return Part("appendix-1", title, tuple(nodes), landscape=True, kind=PartKind.APPENDIX,
                contents_label="Appendix 1 – Strategic Delivery Plan", labelledby="appendix-1-title")


def provenance(plan: Plan) -> str:
    """Which content the report shows: the commit as at the date, or the working tree."""
    snap = plan.snapshot
    if snap.commit:
        when = snap.committed_at.strftime("%d %B %Y %H:%M UTC") if snap.committed_at else ""
        text = f"Content as at the end of {snap.as_at_words}: commit {snap.commit[:12]} ({when})."
    else:
        text = f"Content from the working tree on {snap.as_at_words}."
    if snap.draft:
        text += " DRAFT: includes uncommitted changes."
    return text


def _area_section(plan: Plan, area: BusinessArea, groups: dict[tuple[str, ...], tuple[str, ...]],
                  changes: ChangeSummary | None, history_page: str = "") -> Section:
    name = f"Business Area {area.number}: {area.title}"
    nodes: list[Node] = []
    if area.intro:
        nodes.append(Rich(area.intro, 5))
    nodes.append(Title(4, "OPCC activity & progress update"))
    if area.actions:
        columns = plan_columns(area.uses_priorities)
        with_priorities = area.uses_priorities  # a property that looks at every action: once per table
        rows = tuple(_action_row(plan, area, action, with_priorities, groups, changes, history_page)
                     for action in area.actions)
        nodes.append(Table(f"{name} – OPCC activity & progress update", columns, rows, kind=TableKind.PLAN_TABLE,
                           region_label=f"{name}: actions table", size_pt=9))
    else:
        nodes.append(Line(plain("There are no actions in this business area.")))
    return Section(f"business-area-{area.number}", Title(3, name, id=f"business-area-{area.number}-title"),
                   tuple(nodes), kind=SectionKind.BUSINESS_AREA)


def _action_row(plan: Plan, area: BusinessArea, action: Action, with_priorities: bool,
                groups: dict[tuple[str, ...], tuple[str, ...]], changes: ChangeSummary | None,
                history_page: str = "") -> Row:
    cells: list[Cell] = [
        Cell((Line(plain(action.ref)),), kind=ColumnKind.REF),
        Cell((Rich(action.text),), kind=ColumnKind.ACTION),
    ]
    if with_priorities:
        cells.append(_text_cell(priorities_display(action), ColumnKind.PRIORITIES))
    due: list[CellContent] = [Line(plain(action.due.display))] if action.due else []
    if changes is not None and changes.is_overdue(action.ref):
        due.append(Line(plain("Overdue", bold=True), role=Role.OVERDUE))
    cells.append(Cell(tuple(due), kind=ColumnKind.DUE))
    cells.append(Cell((_people(plan, action.sponsor),) if action.sponsor else (), kind=ColumnKind.SPONSOR))
    cells.append(Cell((_people(plan, action.lead),) if action.lead else (), kind=ColumnKind.LEAD))
    status: list[CellContent] = []
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
        cells.append(rag_cell(action.rag))
    else:
        movement = changes.movement(action)
        cells.append(rag_cell(action.rag, movement_lines(movement)))
        attrs.append(("data-rag-previous", movement.previous))
    # What the HTML filters match (space-separated lists).
    attrs += [("data-area", str(area.number)), ("data-lead", " ".join(action.lead)),
              ("data-priorities", " ".join(str(n) for n in action.priorities))]
    history = f"{history_page}#history-{action.ref}" if history_page else ""
    return Row(tuple(cells), id=f"action-{action.ref}", attrs=tuple(attrs), bookmark=action.ref, history=history)


def rag_cell(rag: Rag | None, movement: tuple[Line, ...] = ()) -> Cell:
    """An R/A/G cell: the word on its colour (or 'Not assessed' for screen readers), then its movement."""
    if not rag:
        return Cell(movement, kind=ColumnKind.RAG, rag=Rag.NOT_ASSESSED, hidden=NOT_ASSESSED)
    return Cell((Line(plain(RAG_WORDS[rag], bold=True)), *movement), kind=ColumnKind.RAG, rag=rag)


def movement_lines(movement: RagMovement) -> tuple[Line, ...]:
    """The direction of travel under the R/A/G word: 'Amber → Red' and 'worsened since 7 Nov 2017'.

    Nothing for an unchanged rating (the word says it all); 'New' for an action new since then."""
    if movement.direction == Direction.UNCHANGED:
        return ()
    if movement.direction == Direction.NEW:
        return (Line(plain(movement.spoken), role=Role.RAG_MOVEMENT),)
    # An arrow up or down only where the scale says better or worse (not to or from 'not assessed').
    arrow = f"{movement.arrow} " if movement.direction in (Direction.IMPROVED, Direction.WORSENED) else ""
    return (Line(plain(f"{arrow}{movement.words}"), role=Role.RAG_MOVEMENT),
            Line(plain(movement.spoken), role=Role.RAG_MOVEMENT))


# --- contents, progress summary, running header, filters --------------------------------------------


def _contents_part(appendices: list[Part]) -> Part:
    """'Contents': the appendices and the business areas, each linking to its heading."""
    entries: list[ContentsEntry] = []
    for part in appendices:
        if part.title is not None and part.title.id:
            entries.append(ContentsEntry(1, part.title.text, part.title.id))
        for node in part.children:
            if isinstance(node, Section) and node.title.id and node.kind == SectionKind.BUSINESS_AREA:
                entries.append(ContentsEntry(2, node.title.text, node.title.id))
    return Part("contents", Title(2, "Contents", id="contents-title"), (Contents(tuple(entries)),),
                kind=PartKind.CONTENTS, contents_label="Contents", labelledby="contents-title")


SUMMARY_COLUMNS = tuple(Rag)


def progress_summary(plan: Plan, level: int) -> Section:
    """R/A/G counts of the active actions by business area, with totals (table id rag-summary)."""
    # Widths fit the portrait page (16.6 cm) with each heading word whole at 9 pt.
    wide = (Rag.COMPLETE, Rag.NOT_ASSESSED)
    columns = (Column("Business area", 5.5, ColumnKind.AREA),
               *(Column(RAG_WORDS[rag], 1.85 if rag in wide else 1.5, ColumnKind.COUNT)
                 for rag in SUMMARY_COLUMNS),
               Column("Total", 1.4, ColumnKind.COUNT))
    rows: list[Row] = []
    totals = dict.fromkeys(SUMMARY_COLUMNS, 0)
    for area in plan.areas:
        counts = dict.fromkeys(SUMMARY_COLUMNS, 0)
        for action in area.actions:
            if action.lifecycle == Lifecycle.ACTIVE:
                counts[action.rag_key] += 1
        for rag in SUMMARY_COLUMNS:
            totals[rag] += counts[rag]
        rows.append(_summary_row(f"{area.number}. {area.title}", counts, f"summary-area-{area.number}"))
    rows.append(_summary_row("Total", totals, "summary-total"))
    table = Table("Progress summary: active actions by business area and R/A/G status", columns, tuple(rows),
                  kind=TableKind.RAG_SUMMARY, id="rag-summary", region_label="Progress summary table", size_pt=9)
    note = Line(plain("Counts of active actions; superseded and deleted actions are not counted."), role=Role.NOTE)
    return Section("progress-summary", Title(level, "Progress summary", id="progress-summary-title"),
                   (table, note), kind=SectionKind.PROGRESS_SUMMARY)


def _summary_row(label: str, counts: dict[Rag, int], row_id: str) -> Row:
    cells = [Cell((Line(plain(label, bold=label == "Total")),), kind=ColumnKind.AREA)]
    cells += [Cell((Line(plain(str(counts[rag]))),), kind=ColumnKind.COUNT) for rag in SUMMARY_COLUMNS]
    cells.append(Cell((Line(plain(str(sum(counts.values())), bold=True)),), kind=ColumnKind.COUNT))
    return Row(tuple(cells), id=row_id)


def filters(plan: Plan) -> tuple[FilterSelect, ...]:
    """The HTML's filters: R/A/G, business area, lead officer and strategic priority, from the plan itself."""
    rag = tuple(FilterOption(key, RAG_WORDS[key]) for key in Rag)
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
        FilterSelect("area", "Business area", areas),
        FilterSelect("lead", "Lead officer", tuple(lead_options)),
        FilterSelect("priority", "Strategic priority", priorities),
        FilterSelect("lifecycle", "Action", lifecycles),
    )


# --- changes since the last report -------------------------------------------------------------------


def changes_section(plan: Plan, changes: ChangeSummary, level: int) -> Section:
    """'Changes since <date>': counts, then each kind of change with its actions, each linked to its row."""
    nodes: list[Node] = []
    counted = [_count_words(changes.counts.get(kind, 0), kind) for kind in ChangeKind if changes.counts.get(kind, 0)]
    overdue = len(changes.overdue)
    if overdue:
        counted.append(f"{overdue} overdue")
    since = f"the content as at {date_words(changes.since)}"
    if changes.since_commit:
        since += f" (commit {changes.since_commit[:7]})"
    if counted:
        nodes.append(Line(plain(f"Compared with {since}: {join_words(counted, ' and ')}.")))
    else:
        nodes.append(Line(plain(f"Nothing has changed since {since}.")))
    if changes.last_signoff is not None and changes.last_signoff.sentence:
        nodes.append(Line(plain(changes.last_signoff.sentence + "."), role=Role.SIGNED_OFF))
    for kind in ChangeKind:
        items = changes.of_kind(kind)
        if not items:
            continue
        nodes.append(Title(level + 1, f"{KIND_HEADINGS[kind]} ({len(items)})"))
        nodes.append(Rich((ListBlock(False, tuple(ListItem((Paragraph(_change_spans(item)),)) for item in items)),)))
    if changes.overdue:
        nodes.append(Title(level + 1, f"Overdue ({overdue})"))
        rows = []
        for ref in changes.overdue:
            action = plan.action(ref)
            due = f" – due {action.due.display}" if action is not None and action.due else ""
            rows.append(ListItem((Paragraph((Span(f"Action {ref}", action_ref=ref), Span(due))),)))
        nodes.append(Rich((ListBlock(False, tuple(rows)),)))
    title = Title(level, f"Changes since {changes.since_words}", id="changes-since-title")
    return Section("changes-since", title, tuple(nodes), kind=SectionKind.CHANGES_SINCE)


_COUNT_WORDS = for_every(ChangeKind, {
    ChangeKind.NEW: ("new action", "new actions"),
    ChangeKind.COMPLETED: ("completed", "completed"),
    ChangeKind.RAG_MOVED: ("R/A/G rating moved", "R/A/G ratings moved"),
    ChangeKind.DUE_MOVED: ("due date moved", "due dates moved"),
    ChangeKind.SPONSOR_CHANGED: ("sponsor changed", "sponsors changed"),
    ChangeKind.LEAD_CHANGED: ("lead officer changed", "lead officers changed"),
    ChangeKind.SUPERSEDED: ("superseded", "superseded"),
    ChangeKind.DELETED: ("deleted", "deleted"),
    ChangeKind.CARRIED_FORWARD: ("carried forward", "carried forward"),
})


def _count_words(count: int, kind: ChangeKind) -> str:
    """'2 due dates moved', '1 new action', '36 completed'."""
    one, many = _COUNT_WORDS[kind]
    return f"{count} {one if count == 1 else many}"


def _change_spans(item: ChangeItem) -> tuple[Span, ...]:
    spans = [Span(f"Action {item.ref}", action_ref=item.ref)]
    if item.title:
        spans.append(Span(f": {item.title}"))
    moved = (ChangeKind.RAG_MOVED, ChangeKind.DUE_MOVED, ChangeKind.SPONSOR_CHANGED, ChangeKind.LEAD_CHANGED,
             ChangeKind.COMPLETED)
    if item.kind in moved and item.old:
        spans.append(Span(f" – {item.old} → {item.new}"))
    elif item.kind == ChangeKind.SUPERSEDED and item.new:
        spans.append(Span(f" – superseded by {item.new}"))
    elif item.kind == ChangeKind.CARRIED_FORWARD and item.new:
        spans.append(Span(f" – carried forward to next year's Action {item.new}"))
    elif item.kind == ChangeKind.DELETED and item.new == "removed from the plan":
        spans.append(Span(" – removed from the plan"))
    return tuple(spans)


def date_words(day: dt.date) -> str:
    """11 April 2018."""
    return f"{day.day} {day:%B %Y}"


def _text_cell(text: str, kind: ColumnKind) -> Cell:
    return Cell((Line(plain(text)),) if text else (), kind=kind)


def _people(plan: Plan, initials: tuple[str, ...]) -> People:
    refs = []
    for item in initials:
        person = plan.person(item)
        title = ", ".join(p for p in (person.name, person.role) if p) if person else ""
        refs.append(PersonRef(item, title))
    return People(tuple(refs))


def superseded_groups(plan: Plan) -> dict[tuple[str, ...], tuple[str, ...]]:
    """(area number, replacement refs) -> the refs of that area's actions they replace, in natural order.

    Only actions of the same business area are grouped into one 'merged' sentence: an action of
    another area superseded by the same replacement is told on its own."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for action in plan.actions:
        if action.lifecycle == Lifecycle.SUPERSEDED and action.superseded_by:
            groups.setdefault((str(action.area_number), *action.superseded_by), []).append(action.ref)
    return {key: tuple(sorted(refs, key=natural_key)) for key, refs in groups.items()}


def join_words(items: list[str], last: str = " & ") -> str:
    """Join ['1.1', '1.2', '1.3'] as '1.1, 1.2 & 1.3'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + last + items[-1]


def lifecycle_wording(action: Action, plan: Plan) -> str:
    """The standard wording for a superseded or deleted action ('' for an active one), as plain text."""
    area = next((a for a in plan.areas if a.number == action.area_number), None)
    if area is None:
        return ""
    return "".join(s.text for s in lifecycle_spans(action, plan, area, superseded_groups(plan)))


def lifecycle_spans(action: Action, plan: Plan, area: BusinessArea,
                    groups: dict[tuple[str, ...], tuple[str, ...]]) -> tuple[Span, ...]:
    """The standard wording for a superseded or deleted action, bold, each replacement ref a link."""
    if action.lifecycle == Lifecycle.DELETED:
        return plain(f"Action {action.ref} now deleted", bold=True)
    if action.lifecycle != Lifecycle.SUPERSEDED or not action.superseded_by:
        return ()
    merged = list(groups.get((str(action.area_number), *action.superseded_by), (action.ref,)))
    noun = "Actions" if len(action.superseded_by) > 1 else "Action"
    if len(merged) > 1:
        head = f"Actions {join_words(merged)} now merged and superseded by a new replacement {noun} "
    else:
        head = f"Action {action.ref} now superseded by a new replacement {noun} "
    spans: list[Span] = [Span(head, bold=True)]
    for index, ref in enumerate(action.superseded_by):
        if index:
            sep = " & " if index == len(action.superseded_by) - 1 else ", "
            spans.append(Span(sep, bold=True))
        spans.append(Span(ref, bold=True, action_ref=ref))
    spans.append(Span(", " + _where(action, area, list(action.superseded_by), plan), bold=True))
    return tuple(spans)


def _where(action: Action, area: BusinessArea, replacements: list[str], plan: Plan) -> str:
    """'below', 'above' or 'in Business Area N': where the replacement stands relative to this row."""
    first = plan.action(replacements[0])
    if first is None:
        return "below"
    if first.area_number != area.number:
        return f"in Business Area {first.area_number}"
    refs = [a.ref for a in area.actions]
    return "below" if refs.index(first.ref) > refs.index(action.ref) else "above"


def carried_forward_wording(action: Action, plan: Plan) -> str:
    """'(Ongoing - links to Action 1.2, 2018/19 OPCC SDP)' for a carried-forward action, else ''."""
    if not action.carried_forward:
        return ""
    target = f", {plan.info.next_plan}" if plan.info.next_plan else ", next year's plan"
    return f"(Ongoing - links to Action {action.carried_forward}{target})"


def priorities_display(action: Action) -> str:
    """The 'Links to Strategic Priority' cell as the plan writes it: [1, 2, 3] -> '1 - 3', [1, 3] -> '1 & 3'."""
    runs: list[list[int]] = []
    for number in sorted(set(action.priorities)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return join_words([f"{run[0]} - {run[-1]}" if len(run) > 1 else str(run[0]) for run in runs])


# --- Appendix 2: the Panel's recommendation monitoring ----------------------------------------------

MONITORING_COLUMNS = (
    Column("Panel Recommendations", 8.2, ColumnKind.RECOMMENDATION),
    Column("Progress Update", 12.5, ColumnKind.PROGRESS),
    Column("Committee Assessment of Progress", 6.0, ColumnKind.ASSESSMENT),
)


def _recommendations_part(plan: Plan) -> Part:
    title = Title(2, "Appendix 2: Panel Recommendation Monitoring", id="appendix-2-title", label="Appendix 2:")
    if not plan.recommendations:
        nodes: tuple[Node, ...] = (Line(plain("There are no Panel recommendations to report.")),)
    else:
        key = Key("Key to progress updates – each update starts with who gave it, and is coloured as in the "
                  "Panel's own table:", tuple(KeyItem(by, RESPONDERS[by], RESPONDER_MEANINGS[by]) for by in Responder),
                  id="responder-key")
        rows = tuple(_recommendation_row(rec) for rec in plan.recommendations)
        nodes = (key, Table("Panel Recommendation Monitoring", MONITORING_COLUMNS, rows, kind=TableKind.RECOMMENDATIONS_TABLE,
                            region_label="Panel Recommendation Monitoring table", size_pt=10))
    return Part("appendix-2", title, nodes, landscape=True, kind=PartKind.APPENDIX,
                contents_label="Appendix 2 – Panel Recommendation Monitoring", labelledby="appendix-2-title")


def _recommendation_row(rec: Recommendation) -> Row:
    topic = Cell((Line(plain(rec.topic, bold=True)), Rich(rec.recommendation)), kind=ColumnKind.RECOMMENDATION)
    progress = Cell(tuple(ResponseBlock(r.by, f"{r.label}:", r.text) for r in rec.responses), kind=ColumnKind.PROGRESS)
    assessment = Cell((Rich(rec.assessment),) if rec.assessment else (), kind=ColumnKind.ASSESSMENT)
    return Row((topic, progress, assessment), id=f"recommendation-{rec.number}")


# --- alignment to the Police and Crime Plan ----------------------------------------------------------

# The matrix's columns: every rating an action can have, in the order of the RAG key, then not assessed.
MATRIX_RATINGS = tuple(Rag)
# Print widths: each header word fits on the portrait page at 10 pt bold ('Not assessed' on two lines).
MATRIX_WIDTHS_CM = for_every(Rag, {Rag.RED: 1.4, Rag.AMBER: 1.7, Rag.GREEN: 1.6, Rag.WHITE: 1.6, Rag.COMPLETE: 2.2,
                                   Rag.NOT_ASSESSED: 2.2})


def priority_alignment_section(plan: Plan, level: int) -> Section:
    """'Alignment to the Police and Crime Plan': active actions per strategic priority and R/A/G, and the
    key aims no active action serves. Counts are of the plan given (the public plan in public outputs)."""
    active = [a for a in plan.actions if a.lifecycle == Lifecycle.ACTIVE]
    columns = (Column("Strategic priority", 3.9, ColumnKind.PRIORITY),
               *(Column(RAG_WORDS[rag], MATRIX_WIDTHS_CM[rag], ColumnKind.COUNT) for rag in MATRIX_RATINGS),
               Column("Total", 1.6, ColumnKind.COUNT))
    rows = []
    for priority in plan.priorities:
        linked = [a for a in active if priority.number in a.priorities]
        cells = [Cell((Line(plain(f"{priority.number}. {priority.title}")),), kind=ColumnKind.PRIORITY)]
        for rag in MATRIX_RATINGS:
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
    title = Title(level, "Alignment to the Police and Crime Plan", id="priority-alignment-title")
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
        return [title, Line(plain(f"The plan's actions do not name the key aims they serve, so which of the "
                                  f"{len(aims)} key aims no action serves cannot be shown."), id="unserved-key-aims")]
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


# --- Appendix 3: performance measures -----------------------------------------------------------------


def _kpi_part(plan: Plan) -> Part:
    with_target = any(k.target is not None for k in plan.kpis)
    columns = [Column("Measure", 5.0, ColumnKind.MEASURE), Column("Period", 3.0, ColumnKind.PERIOD),
               Column("Comparison", 2.7, ColumnKind.NUMBER), Column("Current", 2.4, ColumnKind.NUMBER),
               Column("Change", 2.6, ColumnKind.NUMBER)]
    if with_target:
        columns.append(Column("Target", 2.6, ColumnKind.TARGET))
    columns += [Column("Direction of travel", 2.6, ColumnKind.DIRECTION),
                Column("Commentary", 8.4 - (2.6 if with_target else 0), ColumnKind.COMMENTARY)]
    rows = tuple(_kpi_row(kpi, with_target) for kpi in plan.kpis)
    nodes: list[Node] = [Table("Performance measures", tuple(columns), rows, kind=TableKind.KPI_TABLE,
                               region_label="Performance measures table", size_pt=10)]
    nodes.extend(kpi_trend_section(kpi) for kpi in plan.kpis if len(kpi.series) >= 2)
    return Part("appendix-3", Title(2, "Appendix 3: Performance measures", id="appendix-3-title", label="Appendix 3:"),
                tuple(nodes), landscape=True, kind=PartKind.APPENDIX, contents_label="Appendix 3 – Performance measures",
                labelledby="appendix-3-title")


def _kpi_row(kpi: Kpi, with_target: bool) -> Row:
    measure: list[CellContent] = [Line(plain(kpi.title, bold=True))]
    if kpi.owner:
        measure.append(Line(plain(kpi.owner)))
    baseline = (Line(plain(kpi.format_value(kpi.baseline.value))), Line(plain(kpi.baseline.label), role=Role.MEASURE_LABEL)) \
        if kpi.baseline else ()
    current = (Line(plain(kpi.format_value(kpi.current.value))), Line(plain(kpi.current.label), role=Role.MEASURE_LABEL))
    cells = [Cell(tuple(measure), kind=ColumnKind.MEASURE), _text_cell(kpi.period, ColumnKind.PERIOD),
             Cell(baseline, kind=ColumnKind.NUMBER), Cell(current, kind=ColumnKind.NUMBER), _text_cell(change_words(kpi), ColumnKind.NUMBER)]
    if with_target:
        target: tuple[CellContent, ...] = ()
        if kpi.target is not None:
            target = (Line(plain(kpi.format_value(kpi.target))),
                      Line(plain(target_words(kpi), bold=True), role=Role.TARGET_STATUS))
        cells.append(Cell(target, kind=ColumnKind.TARGET))
    arrow, words = kpi.movement
    direction = f"{arrow} {words}" if arrow else "No comparison"
    cells.append(_text_cell(direction, ColumnKind.DIRECTION))
    cells.append(Cell((Rich(kpi.commentary),) if kpi.commentary else (), kind=ColumnKind.COMMENTARY))
    attrs = [("data-direction", kpi.direction or "none")]
    if kpi.target is not None:
        attrs.append(("data-target-met", "yes" if kpi.target_met else "no"))
    return Row(tuple(cells), id=f"kpi-{kpi.slug}", attrs=tuple(attrs))


MINUS = "\u2212"  # a true minus sign: screen readers say 'minus', and it cannot be mistaken for a dash


def signed(value: float, decimals: int | None = None) -> str:
    """'+7', '\u221232', '\u22123.0', '0': a change with its sign, thousands separated."""
    size = abs(value)
    if decimals is not None:
        text = f"{size:,.{decimals}f}"
    else:
        text = f"{size:,.1f}" if size != int(size) else f"{int(size):,}"
    if float(text.replace(",", "")) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


def change_words(kpi: Kpi) -> str:
    """The change from the comparison value: '\u221232 (\u22120.6%)', '\u22123.0 points (\u221211.3%)'; '' without one."""
    if kpi.change is None:
        return ""
    if kpi.unit == "percent":
        amount = f"{signed(kpi.change, 1)} points"
    else:
        amount = signed(kpi.change)
    percent = kpi.percent_change
    return amount + (f" ({signed(percent, 1)}%)" if percent is not None else "")


def target_words(kpi: Kpi) -> str:
    """'Target met' or 'Target not met' (judged by whether lower or higher is better); '' without a target."""
    if kpi.target_met is None:
        return ""
    return "Target met" if kpi.target_met else "Target not met"


def kpi_chart(kpi: Kpi) -> Chart:
    """A measure's trend chart, with a text alternative that states every figure and the direction of travel."""
    points = tuple(ChartPoint(m.label, m.value, kpi.format_value(m.value)) for m in kpi.series)
    better = "lower is better" if kpi.better == "lower" else "higher is better"
    figures = "; ".join(f"{p.label}: {p.shown}" for p in points)
    alt = f"Bar chart of {kpi.title} over {len(points)} periods ({better}). {figures}."
    _arrow, words = kpi.movement
    if words and kpi.baseline is not None:
        alt += f" From {kpi.baseline.label} to {kpi.current.label}: {words}, {change_words(kpi)}."
    if kpi.target is not None:
        alt += f" Target {kpi.format_value(kpi.target)}: {target_words(kpi).lower().removeprefix('target ')}."
    caption = f"Chart: {kpi.title}, {points[0].label} to {points[-1].label} ({better}); the figures are in the table below."
    return Chart(id=f"kpi-chart-{kpi.slug}", title=kpi.title, alt=alt, caption=caption, points=points,
                 target=kpi.target, target_shown=kpi.format_value(kpi.target) if kpi.target is not None else "")


def kpi_trend_section(kpi: Kpi) -> Section:
    """'Trend: <measure>': the chart, then the same figures as a table."""
    rows = tuple(
        Row((_text_cell(m.label, ColumnKind.PERIOD), _text_cell(kpi.format_value(m.value), ColumnKind.NUMBER)),
            attrs=(("data-value", f"{m.value:g}"),))
        for m in kpi.series
    )
    table = Table(f"Values per period – {kpi.title}", (Column("Period", 8.0, ColumnKind.PERIOD), Column("Value", 3.0, ColumnKind.NUMBER)),
                  rows, kind=TableKind.KPI_VALUES, id=f"kpi-values-{kpi.slug}", size_pt=10)
    title = Title(3, f"Trend: {kpi.title}", id=f"kpi-trend-{kpi.slug}-title")
    return Section(f"kpi-trend-{kpi.slug}", title, (kpi_chart(kpi), table), kind=SectionKind.KPI_TREND)


# --- shared by the renderers ----------------------------------------------------------------------------


def heading_levels(blocks: RichText, base: int) -> dict[int, int]:
    """Map the Markdown heading levels used in rich text onto outline levels from `base`, without gaps."""
    found: set[int] = set()
    _collect_heading_levels(blocks, found)
    return {level: min(6, base + rank) for rank, level in enumerate(sorted(found))}


def _collect_heading_levels(blocks: RichText, found: set[int]) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            found.add(block.level)
        elif isinstance(block, ListBlock):
            for item in block.items:
                _collect_heading_levels(item.blocks, found)
