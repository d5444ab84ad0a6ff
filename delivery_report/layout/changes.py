"""'Changes since' the last report: counts, then each kind of change with its actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..changes import ChangeKind
from ..model import ListBlock, ListItem, Paragraph, Plan, Span, unreachable
from .nodes import Line, Node, Rich, Role, Section, SectionKind, Title, plain
from .wording import (
    KIND_HEADINGS,
    REMOVED_FROM_THE_PLAN,
    change_values,
    count_words,
    date_in_words,
    due_words,
    join_words,
    short_date,
    short_title,
    signed_off_sentence,
)

if TYPE_CHECKING:
    from ..changes import ChangeItem, ChangeSummary


def changes_section(plan: Plan, changes: ChangeSummary, level: int) -> Section:
    """'Changes since <date>': counts, then each kind of change with its actions, each linked to its row."""
    nodes: list[Node] = []
    counted = [count_words(changes.counts.get(kind, 0), kind) for kind in ChangeKind if changes.counts.get(kind, 0)]
    overdue = len(changes.overdue)
    if overdue:
        counted.append(f"{overdue} overdue")
    since = f"the report as at {date_in_words(changes.since)}"
    if counted:
        nodes.append(Line(plain(f"Compared with {since}: {join_words(counted, ' and ')}.")))
    else:
        nodes.append(Line(plain(f"Nothing has changed since {since}.")))
    signed_off = signed_off_sentence(changes.last_signoff) if changes.last_signoff is not None else ""
    if signed_off:
        nodes.append(Line(plain(signed_off + "."), role=Role.SIGNED_OFF))
    for kind in ChangeKind:
        items = changes.of_kind(kind)
        if not items:
            continue
        nodes.append(Title(level + 1, f"{KIND_HEADINGS[kind]} ({len(items)})"))
        nodes.append(Rich((ListBlock(False, tuple(ListItem((Paragraph(_change_spans(item, changes)),))
                                                  for item in items)),)))
    if changes.overdue:
        nodes.append(Title(level + 1, f"Overdue ({overdue})"))
        rows = []
        for ref in changes.overdue:
            action = plan.action(ref)
            due = f" – due {due_words(action.due)}" if action is not None and action.due else ""
            rows.append(ListItem((Paragraph((Span(f"Action {ref}", action_ref=ref), Span(due))),)))
        nodes.append(Rich((ListBlock(False, tuple(rows)),)))
    title = Title(level, f"Changes since {short_date(changes.since)}", id="changes-since-title")
    return Section("changes-since", title, tuple(nodes), kind=SectionKind.CHANGES_SINCE)


def _change_spans(item: ChangeItem, changes: ChangeSummary) -> tuple[Span, ...]:
    """'Action 1.2: <its text, shortened> – Amber → Red', the ref linked to its row."""
    spans = [Span(f"Action {item.ref}", action_ref=item.ref)]
    title = short_title(item.action)
    if title:
        spans.append(Span(f": {title}"))
    was, now = change_values(item, changes.ratings, changes.earlier_ratings)
    match item.kind:
        case (ChangeKind.RAG_MOVED | ChangeKind.DUE_MOVED | ChangeKind.SPONSOR_CHANGED | ChangeKind.LEAD_CHANGED
              | ChangeKind.COMPLETED):
            if was:
                spans.append(Span(f" – {was} → {now}"))
        case ChangeKind.SUPERSEDED:
            if now:
                spans.append(Span(f" – superseded by {now}"))
        case ChangeKind.CARRIED_FORWARD:
            if now:
                spans.append(Span(f" – carried forward to next year's Action {now}"))
        case ChangeKind.DELETED:
            if item.removed:
                spans.append(Span(f" – {REMOVED_FROM_THE_PLAN}"))
        case ChangeKind.NEW:
            pass
        case _:
            unreachable(item.kind)
    return tuple(spans)
