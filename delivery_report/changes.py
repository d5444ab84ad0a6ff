"""What changed between two versions of the plan: the 'Changes since' section and each action's RAG movement.

Pure functions of two Plans (no git): callers building a public output pass `plan.public()` of both
versions, so nothing restricted can be named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from .model import (
    RAG_WORDS,
    Action,
    Lifecycle,
    Plan,
    Rag,
    Word,
    for_every,
    natural_key,
    people_display,
    plain_text,
)
from .records import SignOffRecord


class ChangeKind(Word):
    """A kind of change to an action, in the order the 'Changes since' section lists them."""

    NEW = "new"
    COMPLETED = "completed"
    RAG_MOVED = "rag_moved"
    DUE_MOVED = "due_moved"
    SPONSOR_CHANGED = "sponsor_changed"
    LEAD_CHANGED = "lead_changed"
    SUPERSEDED = "superseded"
    DELETED = "deleted"
    CARRIED_FORWARD = "carried_forward"


CHANGE_KINDS = tuple(ChangeKind)
# Headings of the kinds, in the order the section lists them.
KIND_HEADINGS = for_every(ChangeKind, {
    ChangeKind.NEW: "New actions",
    ChangeKind.COMPLETED: "Completed",
    ChangeKind.RAG_MOVED: "RAG status moved",
    ChangeKind.DUE_MOVED: "Due date moved",
    ChangeKind.SPONSOR_CHANGED: "Sponsor changed",
    ChangeKind.LEAD_CHANGED: "Lead officer changed",
    ChangeKind.SUPERSEDED: "Superseded",
    ChangeKind.DELETED: "Deleted",
    ChangeKind.CARRIED_FORWARD: "Carried forward",
})
class Direction(Word):
    """How an action's rating moved since the last report; up and down only on the scale red to complete."""

    NEW = "new"
    UNCHANGED = "unchanged"
    IMPROVED = "improved"
    WORSENED = "worsened"
    # To or from white (not yet due) or not assessed: neither better nor worse.
    CHANGED = "changed"


# An action's rating at the last report: a rating, or 'new' for an action added since.
PreviousRag = Rag | Literal["new"]
PREVIOUS_RAG_VALUES: tuple[PreviousRag, ...] = (*Rag, "new")
# Better to worse; white (not yet due) and not assessed are off this scale.
_RAG_RANK = {Rag.COMPLETE: 3, Rag.GREEN: 2, Rag.AMBER: 1, Rag.RED: 0}
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TITLE_LENGTH = 90


def short_date(day: dt.date) -> str:
    """7 Nov 2017 (fixed English month names, whatever the machine's locale)."""
    return f"{day.day} {_SHORT_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class ChangeItem:
    """One change to one action: kind (see CHANGE_KINDS), the action's ref, a short plain title, old -> new words."""

    kind: ChangeKind
    ref: str
    title: str
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class RagMovement:
    """How an action's RAG moved since the last report, in words for the cell and for screen readers."""

    previous: PreviousRag
    current: Rag
    direction: Direction
    words: str
    spoken: str
    arrow: str


@dataclass(frozen=True)
class ChangeSummary:
    """Everything the 'Changes since' section and the RAG arrows need, for one report."""

    since: dt.date
    as_at: dt.date
    since_commit: str | None
    items: tuple[ChangeItem, ...]
    previous_rag: Mapping[str, PreviousRag]
    overdue: tuple[str, ...]
    last_signoff: SignOffRecord | None = None
    since_record: SignOffRecord | None = None
    counts: Mapping[ChangeKind | Literal["overdue"], int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def since_words(self) -> str:
        """The since-date as the section heading shows it, e.g. 7 Nov 2017."""
        return short_date(self.since)

    def of_kind(self, kind: ChangeKind) -> tuple[ChangeItem, ...]:
        """The items of one kind, in ref order."""
        return tuple(item for item in self.items if item.kind == kind)

    def movement(self, action: Action) -> RagMovement:
        """The RAG movement of an action of the as-at plan since the since-date."""
        return rag_movement(self.previous_rag.get(action.ref, "new"), action.rag_key, self.since)

    def is_overdue(self, ref: str) -> bool:
        """True when the action's due month ended before the as-at date and it is not complete."""
        return ref in self.overdue


def rag_word(key: PreviousRag) -> str:
    """Red, Amber, ... for a rating; 'Not assessed' for none, 'New' for new."""
    return "New" if key == "new" else RAG_WORDS[key]


def rag_movement(previous: PreviousRag, current: Rag, since: dt.date) -> RagMovement:
    """Words and arrow for a RAG move: ('Amber → Red', 'worsened since 7 Nov 2017', '↓')."""
    when = short_date(since)
    if previous == "new":
        return RagMovement(previous, current, Direction.NEW, "New", f"new since {when}", "")
    if previous == current:
        return RagMovement(previous, current, Direction.UNCHANGED, rag_word(current), f"unchanged since {when}", "↔")
    words = f"{rag_word(previous)} → {rag_word(current)}"
    if current == Rag.COMPLETE:
        # Completing an action is progress from any state, assessed or not.
        return RagMovement(previous, current, Direction.IMPROVED, words, f"improved since {when}", "↑")
    if previous in _RAG_RANK and current in _RAG_RANK:
        better = _RAG_RANK[current] > _RAG_RANK[previous]
        direction = Direction.IMPROVED if better else Direction.WORSENED
        return RagMovement(previous, current, direction, words, f"{direction} since {when}", "↑" if better else "↓")
    return RagMovement(previous, current, Direction.CHANGED, words, f"changed since {when}", "→")


def short_title(action: Action) -> str:
    """The action's text as plain text, cut to about 90 characters at a word boundary."""
    text = " ".join(plain_text(action.text).split())
    if len(text) <= _TITLE_LENGTH:
        return text
    cut = text[:_TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(",;:-")
    return cut + "…"


def is_overdue(action: Action, as_at: dt.date) -> bool:
    """An active action, not complete nor carried forward, whose due month ended before the as-at date.

    The same rule as validate's warning: a carried-forward action goes on in next year's plan.
    """
    if action.lifecycle != Lifecycle.ACTIVE or action.rag == Rag.COMPLETE or action.carried_forward or action.due is None:
        return False
    if action.due.year is None or action.due.month is None:
        return False
    year, month = (action.due.year + 1, 1) if action.due.month == 12 else (action.due.year, action.due.month + 1)
    return dt.date(year, month, 1) <= as_at


def _due(action: Action) -> str:
    return action.due.display if action.due else "none"


def _action_changes(old: Action | None, new: Action) -> list[ChangeItem]:
    title = short_title(new)
    if old is None:
        return [ChangeItem(ChangeKind.NEW, new.ref, title, "", rag_word(new.rag_key))]
    items: list[ChangeItem] = []
    if new.lifecycle != old.lifecycle and new.lifecycle == Lifecycle.SUPERSEDED:
        items.append(ChangeItem(ChangeKind.SUPERSEDED, new.ref, title, old.lifecycle, ", ".join(new.superseded_by)))
    if new.lifecycle != old.lifecycle and new.lifecycle == Lifecycle.DELETED:
        items.append(ChangeItem(ChangeKind.DELETED, new.ref, title, old.lifecycle, "deleted"))
    if new.rag != old.rag:
        kind = ChangeKind.COMPLETED if new.rag == Rag.COMPLETE else ChangeKind.RAG_MOVED
        items.append(ChangeItem(kind, new.ref, title, rag_word(old.rag_key), rag_word(new.rag_key)))
    if _due(new) != _due(old):
        items.append(ChangeItem(ChangeKind.DUE_MOVED, new.ref, title, _due(old), _due(new)))
    if new.sponsor != old.sponsor:
        items.append(ChangeItem(ChangeKind.SPONSOR_CHANGED, new.ref, title, people_display(old.sponsor), people_display(new.sponsor)))
    if new.lead != old.lead:
        items.append(ChangeItem(ChangeKind.LEAD_CHANGED, new.ref, title, people_display(old.lead), people_display(new.lead)))
    if new.carried_forward and new.carried_forward != old.carried_forward:
        items.append(ChangeItem(ChangeKind.CARRIED_FORWARD, new.ref, title, old.carried_forward or "", new.carried_forward))
    return items


def compare(
    before: Plan,
    after: Plan,
    since: dt.date,
    as_at: dt.date,
    since_commit: str | None = None,
    last_signoff: SignOffRecord | None = None,
    since_record: SignOffRecord | None = None,
) -> ChangeSummary:
    """Compare two versions of the plan: every change per action, each action's previous RAG, the overdue ones.

    For a public output pass `before.public()` and `after.public()`.
    """
    items: list[ChangeItem] = []
    previous_rag: dict[str, PreviousRag] = {}
    for action in after.actions:
        old = before.action(action.ref)
        previous_rag[action.ref] = old.rag_key if old is not None else "new"
        items.extend(_action_changes(old, action))
    for old in before.actions:
        # A file removed from the plan, rather than marked deleted, is still a deletion to report.
        if after.action(old.ref) is None and old.lifecycle != Lifecycle.DELETED:
            items.append(ChangeItem(ChangeKind.DELETED, old.ref, short_title(old), old.lifecycle, "removed from the plan"))
    order = {kind: n for n, kind in enumerate(CHANGE_KINDS)}
    items.sort(key=lambda item: (order[item.kind], natural_key(item.ref)))
    overdue = tuple(a.ref for a in after.actions if is_overdue(a, as_at))
    counts: dict[ChangeKind | Literal["overdue"], int] = {
        kind: sum(1 for item in items if item.kind == kind) for kind in CHANGE_KINDS}
    counts["overdue"] = len(overdue)
    return ChangeSummary(
        since=since,
        as_at=as_at,
        since_commit=since_commit,
        items=tuple(items),
        previous_rag=MappingProxyType(previous_rag),
        overdue=overdue,
        last_signoff=last_signoff,
        since_record=since_record,
        counts=MappingProxyType(counts),
    )
