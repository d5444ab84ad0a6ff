"""'Changes since' the last report: counts, then each kind of change with its actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..changes import KIND_HEADINGS, ChangeKind
from ..model import ListBlock, ListItem, Paragraph, Plan, Span
from .nodes import Line, Node, Rich, Role, Section, SectionKind, Title, plain
from .wording import count_words, date_words, join_words

if TYPE_CHECKING:
    from ..changes import ChangeItem, ChangeSummary


def changes_section(plan: Plan, changes: ChangeSummary, level: int) -> Section:
    """'Changes since <date>': counts, then each kind of change with its actions, each linked to its row."""
    nodes: list[Node] = []
    counted = [count_words(changes.counts.get(kind, 0), kind) for kind in ChangeKind if changes.counts.get(kind, 0)]
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

