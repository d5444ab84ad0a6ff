"""One row per action, as the exports show it: the same values, derived the same way, as the report's rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..layout import wording
from ..model import (
    NEW,
    Action,
    BusinessArea,
    Heading,
    ListBlock,
    Paragraph,
    Placeholder,
    Plan,
    RestrictedBlock,
    RichText,
)

if TYPE_CHECKING:
    from ..changes import ChangeSummary

# The exports' columns, in order (CSV header, XLSX header row).
ACTION_COLUMNS = (
    "Ref", "Business area", "Action", "Strategic priorities", "Due", "Sponsor", "Lead officer",
    "Current status", "R/A/G", "R/A/G previous", "Lifecycle",
)


@dataclass(frozen=True)
class ActionRecord:
    """An action with its area, ready for a row of an export."""

    area: BusinessArea
    action: Action
    cells: tuple[str, ...]


def rich_plain(blocks: RichText, indent: int = 0) -> str:
    """Rich text as plain text: paragraphs on their own lines, list items as "• " or "1. " lines, nested indented."""
    lines: list[str] = []
    pad = "  " * indent
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            lines.append(pad + "".join(span.text for span in block.spans))
        elif isinstance(block, ListBlock):
            for number, item in enumerate(block.items, start=block.start):
                marker = f"{number}. " if block.ordered else "• "
                inner = rich_plain(item.blocks, indent + 1).split("\n") if item.blocks else [""]
                lines.append(pad + marker + inner[0].lstrip())
                lines.extend(inner[1:])
        elif isinstance(block, RestrictedBlock):
            # Only the restricted copy still holds these (Plan.public() removes them).
            lines.append(rich_plain(block.blocks, indent))
        elif isinstance(block, Placeholder):
            lines.append(pad + "{" + block.name + "}")
    return "\n".join(line for line in lines if line.strip())


def area_label(area: BusinessArea) -> str:
    """'1. Communications, PR & Engagement': sorts by number in a spreadsheet."""
    return f"{area.number}. {area.title}"


def rag_previous(action: Action, changes: ChangeSummary | None) -> str:
    """The rating at the last report ('New' for an action added since), or '' when nothing is compared."""
    if changes is None:
        return ""
    return wording.rag_word(changes.previous_rag.get(action.ref, NEW), changes.ratings, changes.earlier_ratings)


def status_text(plan: Plan, area: BusinessArea, action: Action,
                groups: dict[tuple[str, ...], tuple[str, ...]]) -> str:
    """The Current Status cell as plain text: where it was carried from, standard lifecycle wording, the status,
    carried-forward note."""
    parts = [
        wording.carried_forward_from_wording(action),
        "".join(span.text for span in wording.lifecycle_spans(action, plan, area, groups)),
        rich_plain(action.status),
        wording.carried_forward_wording(action, plan),
    ]
    return "\n".join(part for part in parts if part)


def action_records(plan: Plan, changes: ChangeSummary | None) -> list[ActionRecord]:
    """Every action of the plan given, area by area, with its cells in ACTION_COLUMNS order."""
    groups = wording.superseded_groups(plan)
    records = []
    for area in plan.areas:
        for action in area.actions:
            cells = (
                action.ref,
                area_label(area),
                rich_plain(action.text),
                wording.priorities_display(action),
                wording.due_words(action.due) if action.due else "",
                wording.people_words(action.sponsor),
                wording.people_words(action.lead),
                status_text(plan, area, action, groups),
                wording.rag_word(action.rag_key, plan.ratings),
                rag_previous(action, changes),
                wording.LIFECYCLE_WORDS[action.lifecycle],
            )
            records.append(ActionRecord(area, action, cells))
    return records
