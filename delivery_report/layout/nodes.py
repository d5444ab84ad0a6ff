"""The layout's nodes: what the report is made of, and what both renderers draw.

Each kind and role names a look: the HTML writes it as a class (templates/_style.css.j2 styles it),
and the DOCX draws the few that differ in print (render/docx/draw.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Heading, ListBlock, Responder, RichText, Span, Word
from .colours import RatingFill

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
    UPDATE_ROUND = "update-round"


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


@dataclass(frozen=True, slots=True)
class Line:
    """A paragraph of generated wording; `role` names its look (lead, note, meeting, sign, ...)."""

    spans: tuple[Span, ...]
    role: Role = Role.PLAIN
    # True when the line ends with a blank for someone to fill in by hand (a date, a signature).
    blank: bool = False
    id: str = ""


@dataclass(frozen=True, slots=True)
class Rich:
    """Content rich text; Markdown heading levels map to outline levels from `heading_base`."""

    blocks: RichText
    heading_base: int = 3


@dataclass(frozen=True, slots=True)
class Title:
    """A heading of the report's outline: level 1 is the document title, 2 a part, 3 and 4 below."""

    level: int
    text: str
    id: str = ""
    # A label shown before the text on its own line in the HTML (e.g. 'Appendix 1'); part of `text`.
    label: str = ""


@dataclass(frozen=True, slots=True)
class KeyItem:
    """One entry of a key: the responder it describes, its label and what it means."""

    by: Responder
    label: str
    meaning: str


@dataclass(frozen=True, slots=True)
class Key:
    """A key to colours used in a table (who gave which progress update)."""

    intro: str
    items: tuple[KeyItem, ...]
    id: str = ""


@dataclass(frozen=True, slots=True)
class PersonRef:
    """Initials in a sponsor or lead cell, with the name and role the register gives ('' if none)."""

    initials: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class People:
    """A sponsor or lead cell's people, shown joined by '/'."""

    people: tuple[PersonRef, ...]


@dataclass(frozen=True, slots=True)
class ResponseBlock:
    """A progress update in the recommendation table: who gave it (`by` sets its colour) and its text."""

    by: Responder
    label: str
    blocks: RichText


CellContent = Line | Rich | People | ResponseBlock


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: its content, a `kind` (the column it is in) and, for R/A/G cells, the rating's id ('none' for
    not assessed), whose fill `Report.rating_fills` gives."""

    content: tuple[CellContent, ...] = ()
    kind: ColumnKind = ColumnKind.PLAIN
    rag: str | None = None
    # Words for screen readers only (an empty R/A/G cell is 'Not assessed').
    hidden: str = ""


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its header, its width in the printed document and the kind of its cells."""

    label: str
    width_cm: float
    kind: ColumnKind = ColumnKind.PLAIN


@dataclass(frozen=True, slots=True)
class Row:
    """A table row; `attrs` are the data attributes the HTML row carries (fixed for checks)."""

    cells: tuple[Cell, ...]
    id: str = ""
    attrs: tuple[tuple[str, str], ...] = ()
    bookmark: str = ""
    # Where the row's history is (the audit page, when one is built): the HTML links the ref to it.
    history: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a caption, header row and rows; `kind` names its look, `size_pt` its print size."""

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    kind: TableKind
    id: str = ""
    region_label: str = ""
    size_pt: float | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """Nodes kept together (a framed block in the HTML, e.g. the approval box)."""

    kind: GroupKind
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A titled section of a part (a business area)."""

    id: str
    title: Title
    children: tuple[Node, ...]
    kind: SectionKind


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    """One line of the contents list: the heading's outline level, its text and the id it links to."""

    level: int
    text: str
    target: str


@dataclass(frozen=True, slots=True)
class Contents:
    """The contents list: a Word table of contents (page numbers) and a list of links in the HTML."""

    entries: tuple[ContentsEntry, ...]


@dataclass(frozen=True, slots=True)
class FilterOption:
    """One choice of a filter: the value matched against the rows' data attribute, and its label."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class FilterSelect:
    """A filter of the delivery-plan rows (HTML only): `name` is the query parameter and the select's name."""

    name: str
    label: str
    options: tuple[FilterOption, ...]


@dataclass(frozen=True, slots=True)
class Filters:
    """Filters and a text search over the delivery-plan rows: interactive, so drawn by the HTML only."""

    selects: tuple[FilterSelect, ...]
    total: int


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One bar of a chart: the period's label, its value and the value as the report shows it."""

    label: str
    value: float
    shown: str


@dataclass(frozen=True, slots=True)
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
    # What the value axis counts ('Number', 'Per cent'), written beside it.
    axis_label: str = ""


Node = Line | Rich | Title | Key | Table | Group | Section | Chart | Contents | Filters


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class DocumentProperties:
    """What the DOCX's core properties say."""

    title: str
    subject: str
    author: str
    comments: str


@dataclass(frozen=True, slots=True)
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
    # How each rating of the plan's scale is drawn, worst to best (an R/A/G cell's `rag` names one).
    rating_fills: tuple[RatingFill, ...] = ()


def plain(text: str, bold: bool = False, italic: bool = False) -> tuple[Span, ...]:
    """Generated wording as one span."""
    return (Span(text, bold=bold, italic=italic),)


def text_cell(text: str, kind: ColumnKind) -> Cell:
    """A cell of one plain line of text; empty when there is no text."""
    return Cell((Line(plain(text)),) if text else (), kind=kind)


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

