"""The update round in the restricted copy (issue 21): each sponsor and lead officer with the actions they have
not yet updated since the last report. It names people, so it is drawn in the restricted copy only (build_layout
is given a round only there); a public place gets the counts alone (update_round.round_summary_markdown)."""

from __future__ import annotations

from ..model import Span
from ..rounds import UpdateRound
from .nodes import (
    Cell,
    Column,
    ColumnKind,
    Line,
    Node,
    Part,
    PartKind,
    Role,
    Row,
    Table,
    TableKind,
    Title,
    plain,
    text_cell,
)
from .plan_tables import rag_cell
from .wording import UPDATE_ROUND_APPENDIX, appendix_label, date_in_words, short_date

# Widths fit the portrait page (16.6 cm) with 'Complete' and a date such as '17 Nov 2017' on one line at 9 pt.
_COLUMNS = (
    Column("Sponsor or lead officer", 3.4, ColumnKind.OFFICER),
    Column("Ref.", 1.1, ColumnKind.REF),
    Column("Action", 5.6, ColumnKind.ACTION),
    Column("Due", 2.1, ColumnKind.DUE),
    Column("R/A/G", 2.2, ColumnKind.RAG),
    Column("Last changed", 2.2),
)


def update_round_part(round_: UpdateRound, number: int) -> Part:
    """Appendix N: how many actions have been updated since the last report, and who has not yet updated which."""
    since = f"the report as at {date_in_words(round_.last_report)}" if round_.last_report else "the plan began"
    actions, updated, waiting = round_.actions, round_.updated, round_.waiting
    if round_.last_report:
        rule = (f"An action counts as updated when a commit on {round_.branch} changed its file after the end of "
                f"{date_in_words(round_.last_report)}.")
    else:
        rule = "There is no earlier report record, so every change since the plan began counts as an update."
    nodes: list[Node] = [
        Line(plain(f"As at {date_in_words(round_.as_at)}, {len(updated)} of {len(actions)} active actions have been "
                   f"updated since {since}; {len(waiting)} of {len(round_.people)} sponsors and lead officers have "
                   f"actions still to update. {rule}")),
    ]
    if waiting:
        rows = []
        for person in waiting:
            who = f"{person.name} ({person.initials})" if person.name else person.initials
            for action in person.still_to_update:
                due = action.due_display + (" (overdue)" if action.overdue else "")
                rows.append(Row((
                    text_cell(who, ColumnKind.OFFICER),
                    Cell((Line((Span(action.ref, bold=True, action_ref=action.ref),)),), kind=ColumnKind.REF),
                    text_cell(action.title, ColumnKind.ACTION),
                    text_cell(due, ColumnKind.DUE),
                    rag_cell(action.rag, round_.ratings),
                    text_cell(short_date(action.last_changed), ColumnKind.PLAIN),
                )))
        nodes.append(Table(f"Actions not yet updated since {since}, by sponsor or lead officer", _COLUMNS,
                           tuple(rows), kind=TableKind.UPDATE_ROUND, id="update-round",
                           region_label="Actions not yet updated table", size_pt=9))
        nodes.append(Line(plain("An action with a sponsor and a lead officer is listed under each."), role=Role.NOTE))
    else:
        nodes.append(Line(plain(f"Every sponsor and lead officer has updated their actions since {since}.")))
    label = appendix_label(number)
    return Part(f"appendix-{number}", Title(2, f"{label}: {UPDATE_ROUND_APPENDIX}", id=f"appendix-{number}-title",
                                            label=f"{label}:"),
                tuple(nodes), kind=PartKind.APPENDIX, contents_label=f"{label} – {UPDATE_ROUND_APPENDIX}",
                labelledby=f"appendix-{number}-title")
