"""How the report puts values into words: dates, numbers, ratings, changes, and the phrases more than
one part (or an export) prints. The only place a month name is spelt.

Model and changes compute values; the parts of the layout, the exports and the PR summary word them here.
"""

from __future__ import annotations

import datetime as dt

from ..changes import ChangeKind
from ..model import RAG_WORDS, Action, BusinessArea, Kpi, Lifecycle, Plan, Rag, Responder, Span, for_every, natural_key

BLANK = "________________"
NOT_ASSESSED = RAG_WORDS[Rag.NOT_ASSESSED]
RESTRICTED_MARK = "RESTRICTED – NOT FOR PUBLICATION"
DRAFT_MARK = "DRAFT – built from uncommitted changes; not for sign-off"

RESPONDER_MEANINGS = for_every(Responder, {
    Responder.PANEL: "the Police and Crime Panel's response (blue text)",
    Responder.PCC: "the Police and Crime Commissioner's response (black text)",
    Responder.CHIEF_CONSTABLE: "the Chief Constable's response (red text)",
})


NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()


def number_in_words(n: int) -> str:
    """'nine' for 9; digits above twenty."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


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


def count_words(count: int, kind: ChangeKind) -> str:
    """'2 due dates moved', '1 new action', '36 completed'."""
    one, many = _COUNT_WORDS[kind]
    return f"{count} {one if count == 1 else many}"


def date_words(day: dt.date) -> str:
    """11 April 2018."""
    return f"{day.day} {day:%B %Y}"


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
        return (Span(f"Action {action.ref} now deleted", bold=True),)
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

