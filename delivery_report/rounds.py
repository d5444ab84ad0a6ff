"""The update round's data: each sponsor's and lead officer's active actions, and whether main changed them since
the last report.

Worked out from git by update_round.py; written out there (the round's Markdown and JSON, the counts for a
workflow's job summary) and drawn by the layout as the restricted copy's list of who has not yet updated
(layout/update_round.py). Plain values only, so the layout can take them without reaching above itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import DEFAULT_SCALE, RatingScale


@dataclass(frozen=True)
class RoundAction:
    """One action in a person's round: what the report shows of it, and how recently main changed it."""

    ref: str
    title: str
    due: str | None
    due_display: str
    rag: str | None
    rag_word: str
    overdue: bool
    updated_since_last_report: bool
    last_changed: dt.date
    # The action's file from the root of the repository ('/'-separated), for a link to edit it.
    repository_path: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class RoundPerson:
    """A sponsor or lead officer and their active actions, in the plan's order."""

    initials: str
    name: str
    actions: tuple[RoundAction, ...]

    @property
    def still_to_update(self) -> tuple[RoundAction, ...]:
        """The actions not updated since the last report."""
        return tuple(a for a in self.actions if not a.updated_since_last_report)


@dataclass(frozen=True)
class UpdateRound:
    """The round as at a date: the commit it read, the last report before it, and everyone's actions."""

    as_at: dt.date
    commit: str
    last_report: dt.date | None
    people: tuple[RoundPerson, ...]
    restricted: bool
    branch: str = "main"
    # The plan's rating scale, for the words and fills of each action's rating.
    ratings: RatingScale = DEFAULT_SCALE

    @property
    def actions(self) -> tuple[RoundAction, ...]:
        """Every action of the round once (an action shared by two people is under each), in the plan's order."""
        return tuple({a.ref: a for person in self.people for a in person.actions}.values())

    @property
    def updated(self) -> tuple[RoundAction, ...]:
        """The actions updated since the last report."""
        return tuple(a for a in self.actions if a.updated_since_last_report)

    @property
    def waiting(self) -> tuple[RoundPerson, ...]:
        """The people with at least one action not yet updated."""
        return tuple(person for person in self.people if person.still_to_update)
