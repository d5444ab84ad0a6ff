"""What changed between two versions of the plan: each change, each action's previous rating, the overdue ones.

Pure functions of two Plans (no git): callers building a public output pass `plan.public()` of both
versions, so nothing restricted can be named. Values only: layout/wording.py puts them into words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from .model import DEFAULT_SCALE, NEW, Action, Lifecycle, Plan, RatingScale, Word, natural_key
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


class Direction(Word):
    """How an action's rating moved since the last report; up and down only along the scale (worst to best,
    complete best), never to or from a not-started rating or none."""

    NEW = "new"
    UNCHANGED = "unchanged"
    IMPROVED = "improved"
    WORSENED = "worsened"
    # To or from a not-started rating (white) or not assessed: neither better nor worse.
    CHANGED = "changed"


# An action's rating at the last report: a rating's id, 'none' (not assessed), or 'new' for an action added since.
PreviousRag = str


@dataclass(frozen=True)
class ChangeItem:
    """One change to one action: its kind, the action as it is now (or as it last was, when its file was
    removed from the plan) and as it was before (None for a new action)."""

    kind: ChangeKind
    action: Action
    before: Action | None = None
    # A deletion by removing the action's file, rather than by marking it deleted.
    removed: bool = False

    @property
    def ref(self) -> str:
        """The action's ref."""
        return self.action.ref


@dataclass(frozen=True)
class RagMovement:
    """How an action's rating moved since the last report."""

    previous: PreviousRag
    current: str
    direction: Direction


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
    # The scale of the version reported on, and of the version compared with (for the words of a rating
    # it no longer has).
    ratings: RatingScale = DEFAULT_SCALE
    earlier_ratings: RatingScale = DEFAULT_SCALE

    def of_kind(self, kind: ChangeKind) -> tuple[ChangeItem, ...]:
        """The items of one kind, in ref order."""
        return tuple(item for item in self.items if item.kind == kind)

    def movement(self, action: Action) -> RagMovement:
        """The RAG movement of an action of the as-at plan since the since-date."""
        return rag_movement(self.previous_rag.get(action.ref, NEW), action.rag_key, self.ratings)


def rag_movement(previous: PreviousRag, current: str, ratings: RatingScale) -> RagMovement:
    """Which way a rating moved: better or worse along the scale (`RatingScale.rank`), or only changed."""
    if previous == NEW:
        return RagMovement(previous, current, Direction.NEW)
    if previous == current:
        return RagMovement(previous, current, Direction.UNCHANGED)
    was, now = ratings.rank(previous), ratings.rank(current)
    if was is not None and now is not None:
        return RagMovement(previous, current, Direction.IMPROVED if now > was else Direction.WORSENED)
    if ratings.is_complete(current):
        # Completing an action is progress from any state, assessed or not.
        return RagMovement(previous, current, Direction.IMPROVED)
    return RagMovement(previous, current, Direction.CHANGED)


def _action_changes(old: Action | None, new: Action, ratings: RatingScale) -> list[ChangeItem]:
    if old is None:
        return [ChangeItem(ChangeKind.NEW, new)]
    items: list[ChangeItem] = []
    if new.lifecycle != old.lifecycle and new.lifecycle == Lifecycle.SUPERSEDED:
        items.append(ChangeItem(ChangeKind.SUPERSEDED, new, old))
    if new.lifecycle != old.lifecycle and new.lifecycle == Lifecycle.DELETED:
        items.append(ChangeItem(ChangeKind.DELETED, new, old))
    if new.rag != old.rag:
        completed = ratings.is_complete(new.rag) and not ratings.is_complete(old.rag)
        items.append(ChangeItem(ChangeKind.COMPLETED if completed else ChangeKind.RAG_MOVED, new, old))
    if new.due != old.due:
        items.append(ChangeItem(ChangeKind.DUE_MOVED, new, old))
    if new.sponsor != old.sponsor:
        items.append(ChangeItem(ChangeKind.SPONSOR_CHANGED, new, old))
    if new.lead != old.lead:
        items.append(ChangeItem(ChangeKind.LEAD_CHANGED, new, old))
    if new.carried_forward and new.carried_forward != old.carried_forward:
        items.append(ChangeItem(ChangeKind.CARRIED_FORWARD, new, old))
    return items


def earlier_refs(before: Plan, after: Plan) -> dict[str, str] | None:
    """Across a year end (the plans' periods differ): each action of `after` carried forward from `before`'s
    year -> its ref there ('2.3' -> '2.4'), from its carried_forward_from field. None within one plan year,
    where an action keeps its ref.

    A ref is reused from year to year for another action (new-year renumbers the continuing ones), so
    across a year end only the carried-forward field says which earlier action an action continues."""
    if before.info.period == after.info.period:
        return None
    year = f"{before.info.period} "
    return {action.ref: action.carried_forward_from.removeprefix(year) for action in after.actions
            if action.carried_forward_from and action.carried_forward_from.startswith(year)}


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
    earlier = earlier_refs(before, after)
    for action in after.actions:
        earlier_ref = action.ref if earlier is None else earlier.get(action.ref)
        old = before.action(earlier_ref) if earlier_ref is not None else None
        previous_rag[action.ref] = old.rag_key if old is not None else NEW
        items.extend(_action_changes(old, action, after.ratings))
    for old in before.actions if earlier is None else ():
        # A file removed from the plan, rather than marked deleted, is still a deletion to report. (Across a
        # year end the actions left behind closed with their year: they stay in its final report.)
        if after.action(old.ref) is None and old.lifecycle != Lifecycle.DELETED:
            items.append(ChangeItem(ChangeKind.DELETED, old, old, removed=True))
    order = {kind: n for n, kind in enumerate(CHANGE_KINDS)}
    items.sort(key=lambda item: (order[item.kind], natural_key(item.ref)))
    overdue = tuple(a.ref for a in after.actions if a.is_overdue(as_at, after.ratings))
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
        ratings=after.ratings,
        earlier_ratings=before.ratings,
    )
