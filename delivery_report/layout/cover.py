"""The cover report: the Level 1 report that presents the plan to a meeting, with its placeholders filled."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from .. import richtext
from ..changes import ChangeKind
from ..model import (
    BusinessArea,
    CoverReport,
    Heading,
    Lifecycle,
    ListBlock,
    ListItem,
    Paragraph,
    Placeholder,
    Plan,
    RichText,
    Span,
)
from .nodes import (
    Cell,
    Column,
    ColumnKind,
    Group,
    GroupKind,
    Line,
    Node,
    Part,
    PartKind,
    Rich,
    Role,
    Row,
    Table,
    TableKind,
    Title,
    plain,
)
from .wording import appendix_label, as_at_words, number_in_words, progress_paragraph

if TYPE_CHECKING:
    from ..changes import ChangeSummary


def inline_markdown(text: str, bold: bool = False) -> tuple[Span, ...]:
    """A one-line field written in Markdown (e.g. the meeting line '31^st^ March') as spans."""
    spans: list[Span] = []
    for block in richtext.parse(text):
        if isinstance(block, (Paragraph, Heading)):
            spans.extend(dataclasses.replace(s, bold=s.bold or bold) for s in block.spans)
    return tuple(spans) or plain(text, bold=bold)


def cover_part(plan: Plan, cover: CoverReport, changes: ChangeSummary | None, progress_appendix: int | None = None) -> Part:
    """The cover report as the signed Level 1 form lays it out (seed 001), in its order; with
    `progress_appendix`, one paragraph after the executive summary says what has changed since the last
    report and points to that appendix, which holds the summaries."""
    values = placeholder_values(plan)
    nodes: list[Node] = []
    for text in cover.heading.upper().split("\n"):
        nodes.append(Line(plain(text, bold=True), role=Role.ORGANISATION))
    nodes.append(Line(plain(cover.report_type, bold=True), role=Role.REPORT_TYPE))
    nodes.append(Line(inline_markdown(cover.meeting.strip(), bold=True), role=Role.MEETING, blank=cover.meeting_needs_blank))
    nodes.append(Title(1, f"Title: {cover.title}", id="cover-title", label="Title:"))
    nodes.append(Title(2, "Executive Summary:"))
    nodes.extend(_cover_rich(plan, cover.executive_summary, values, 3))
    if progress_appendix is not None:
        nodes.append(Line(plain(_progress_words(plan, changes, progress_appendix)), id="progress-paragraph"))
    nodes.append(Title(2, "Recommendation:"))
    nodes.extend(_cover_rich(plan, cover.recommendation, values, 3))
    nodes.append(Group(GroupKind.APPROVAL, (
        Title(2, plan.info.words.commissioner),
        Line(plain("I hereby approve the recommendation above.")),
        Line(plain("Signature", bold=True), role=Role.SIGN, blank=True),
        Line(plain("Date", bold=True), role=Role.SIGN, blank=True),
    )))
    nodes.append(Title(2, "PART 1 – NON-CONFIDENTIAL", id="part-1"))
    nodes.extend(_cover_rich(plan, cover.sections, values, 3))
    if cover.background_papers:
        last = cover.last_section_number
        nodes.append(Title(3, "Background papers" if last is None else f"{last + 1} Background papers"))
        nodes.extend(_cover_rich(plan, cover.background_papers, values, 4))
    nodes.append(Title(3, "Public access to information"))
    nodes.append(Line(plain(plan.info.words.public_access)))
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
    nodes.append(Title(2, plan.info.words.chief_officers_approval))
    nodes.append(Line(plain("We have been consulted about the report and confirm that appropriate financial and legal "
                            "advice have been taken into account.")))
    nodes.append(Line(plain("We are satisfied that this is an appropriate request to be submitted to the "
                            f"{plan.info.words.commissioner}.")))
    for chief in cover.chief_officers:
        date = (Span("Date "), *inline_markdown(chief.date)) if chief.date else (Span("Date"),)
        nodes.append(Group(GroupKind.CHIEF_OFFICER, (
            Line(plain(chief.officer, bold=True)),
            Line(date, blank=not chief.date),
        )))
    return Part("cover", None, tuple(nodes), kind=PartKind.COVER, contents_label=f"Cover report: {cover.title}",
                labelledby="cover-title")


def _progress_words(plan: Plan, changes: ChangeSummary | None, appendix: int) -> str:
    """The cover's paragraph on progress: what changed since the last report, or where the plan stands."""
    active = [a for a in plan.actions if a.lifecycle == Lifecycle.ACTIVE]
    complete = sum(1 for a in active if plan.ratings.is_complete(a.rag))
    overdue = len(changes.overdue) if changes is not None else sum(1 for a in active
                                                                 if a.is_overdue(plan.snapshot.as_at, plan.ratings))
    return progress_paragraph(changes.since if changes is not None else None,
                              {k: v for k, v in changes.counts.items() if isinstance(k, ChangeKind)} if changes else {},
                              overdue, complete, len(active),
                              appendix_label(appendix), plan.info.words.area_lower)


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
        # Every rating content may give, in the key's order (RatingScale.key_order), with what it means.
        rows = tuple(
            Row((Cell((Line(plain(rating.label, bold=True)),), kind=ColumnKind.RAG, rag=rating.id),
                 Cell((Line(plain(rating.meaning)),))))
            for rating in plan.ratings.key_order
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
        "as_at": as_at_words(plan.snapshot),
    }


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace {business_area_count}, {action_count} and {as_at} in a span's text."""
    if "{" not in text:
        return text
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text

