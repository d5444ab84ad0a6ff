"""How the report puts values into words: every date, number, rating, change and shared phrase it prints.

The model and the change summary hold values (a `Due` month, a rating's id, the actions before and after a
change); the parts of the layout, the data exports and the pull-request summary word them here, so a
value reads the same wherever it appears. This is the only place a month name is spelt. A part's own
headings and fixed sentences stay in that part's module, written once there.

Each closed vocabulary's words are a `for_every` table: a new member without its words stops the
package from importing, and tests/test_wording.py lists every table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from ..changes import ChangeItem, ChangeKind, Direction, PreviousRag, RagMovement
from ..model import (
    NEW,
    Action,
    BusinessArea,
    Due,
    Kpi,
    Lifecycle,
    OfficeWords,
    Plan,
    RatingScale,
    Responder,
    Snapshot,
    Span,
    Trend,
    Unit,
    for_every,
    natural_key,
    plain_text,
    unreachable,
)
from ..model import (
    NOT_ASSESSED as NOT_ASSESSED_ID,
)
from ..records import SignOffRecord

# --- dates ---------------------------------------------------------------------------------------------

# Fixed English names, whatever the machine's locale (strftime's %B would follow it).
_LONDON = ZoneInfo("Europe/London")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
# Due dates as the hand-made plan writes them: three letters, but July in full ('Jun 2018', 'July 2017').
_DUE_MONTHS = tuple(name if name == "July" else name[:3] for name in MONTHS)


def date_in_words(day: dt.date) -> str:
    """'11 April 2018': the as-at date and other dates in sentences."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def datetime_in_words(when: dt.datetime) -> str:
    """21 January 2019, 10:14: a moment in UK time (the audit page's changes)."""
    local = when.astimezone(_LONDON)
    return f"{date_in_words(local.date())}, {local.hour:02d}:{local.minute:02d}"


def short_date(day: dt.date) -> str:
    """'7 Nov 2017': the date of the last report, under every R/A/G rating that moved since."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def dotted_date(day: dt.date) -> str:
    """'11.4.2018': the as-at date in the plan's title, as the hand-made plan wrote it."""
    return f"{day.day}.{day.month}.{day.year}"


def timestamp_words(moment: dt.datetime) -> str:
    """'09 April 2018 16:02 UTC': when a commit was made (the time as given, in UTC)."""
    return f"{moment.day:02d} {MONTHS[moment.month - 1]} {moment.year} {moment.hour:02d}:{moment.minute:02d} UTC"


def due_words(due: Due) -> str:
    """The due date as the report shows it: 'Mar 2018', 'July 2017', or the word typed ('Ongoing')."""
    if due.year is not None and due.month is not None:
        return f"{_DUE_MONTHS[due.month - 1]} {due.year}"
    return due.raw


def as_at_words(snapshot: Snapshot) -> str:
    """The as-at date of the content in words: '11 April 2018'."""
    return date_in_words(snapshot.as_at)


# --- numbers -------------------------------------------------------------------------------------------

NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
MINUS = "\u2212"  # a true minus sign: screen readers say 'minus', and it cannot be mistaken for a dash


def number_in_words(n: int) -> str:
    """'nine' for 9; digits above twenty."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


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


def join_words(items: list[str], last: str = " & ") -> str:
    """Join ['1.1', '1.2', '1.3'] as '1.1, 1.2 & 1.3'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + last + items[-1]


# --- marks and blanks ----------------------------------------------------------------------------------

BLANK = "________________"
RESTRICTED_MARK = "RESTRICTED – NOT FOR PUBLICATION"
DRAFT_MARK = "DRAFT – built from uncommitted changes; not for sign-off"
# A working-tree build of content that still holds a template's placeholders (unfinished.py).
UNFINISHED_MARK = "DRAFT – holds text still to be filled in; not for sign-off"


def restricted_marked(text: str, restricted_copy: bool) -> str:
    """A document property of the restricted copy (DOCX, PDF, XLSX) starts with its mark: file lists, search
    results and a reader's title bar show the title and subject before any page or sheet is seen."""
    return f"{RESTRICTED_MARK}: {text}" if restricted_copy else text


# How the provenance line begins: for a commit, for the working tree (the importer knows it by these too).
PROVENANCE_OPENINGS = ("Content as at the end of", "Content from the working tree")


def provenance(plan: Plan) -> str:
    """Which content the report shows: the commit as at the date, or the working tree."""
    snap = plan.snapshot
    if snap.commit:
        when = timestamp_words(snap.committed_at) if snap.committed_at else ""
        text = f"{PROVENANCE_OPENINGS[0]} {as_at_words(snap)}: commit {snap.commit[:12]} ({when})."
    else:
        text = f"{PROVENANCE_OPENINGS[1]} on {as_at_words(snap)}."
    if snap.draft:
        text += " DRAFT: includes uncommitted changes."
    if snap.unfinished:
        text += " DRAFT: holds text still to be filled in."
    return text


def signed_off_sentence(record: SignOffRecord) -> str:
    """'Last signed off on 5 March 2019 by Paul Hammond, Chief Executive' ('' when not signed)."""
    if not record.signed or record.signed_at is None:
        return ""
    return f"Last signed off on {date_in_words(record.signed_at)} by {record.signed_by}"


# --- ratings, lifecycles, responders -------------------------------------------------------------------

# The words of the two fixed states outside every scale (a rating's own word is its label, in plan.md's ratings).
NOT_ASSESSED = "Not assessed"
NEW_WORD = "New"
LIFECYCLE_WORDS = for_every(Lifecycle, {
    Lifecycle.ACTIVE: "Active", Lifecycle.SUPERSEDED: "Superseded", Lifecycle.DELETED: "Deleted",
})
def responder_words(words: OfficeWords) -> Mapping[Responder, str]:
    """Who gave an update on a Panel recommendation, as the update starts: 'Panel:', 'PCC:'."""
    return for_every(Responder, {
        Responder.PANEL: "Panel", Responder.PCC: words.commissioner_short, Responder.CHIEF_CONSTABLE: "Chief Constable",
    })


def responder_meanings(words: OfficeWords) -> Mapping[Responder, str]:
    """What each label of the Panel appendix's key means."""
    return for_every(Responder, {
        Responder.PANEL: "the Police and Crime Panel's response (blue text)",
        Responder.PCC: f"the {words.commissioner}'s response (black text)",
        Responder.CHIEF_CONSTABLE: "the Chief Constable's response (red text)",
    })


def rag_word(rating: PreviousRag, ratings: RatingScale, *earlier: RatingScale) -> str:
    """Red, Amber, ... for a rating (its label on the plan's scale, else on an earlier version's); 'Not assessed'
    for none; 'New' for an action added since the last report. An id no scale has is shown as written."""
    if rating == NEW:
        return NEW_WORD
    if rating == NOT_ASSESSED_ID:
        return NOT_ASSESSED
    found = next((r for r in (scale.get(rating) for scale in (ratings, *earlier)) if r is not None), None)
    return found.label if found is not None else rating


def people_words(initials: tuple[str, ...]) -> str:
    """Sponsor or lead as text: 'PCC/DPCC'."""
    return "/".join(initials)


# --- an action's cells ---------------------------------------------------------------------------------


def superseded_groups(plan: Plan) -> dict[tuple[str, ...], tuple[str, ...]]:
    """(area number, replacement refs) -> the refs of that area's actions they replace, in natural order.

    Only actions of the same business area are grouped into one 'merged' sentence: an action of
    another area superseded by the same replacement is told on its own."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for action in plan.actions:
        if action.lifecycle == Lifecycle.SUPERSEDED and action.superseded_by:
            groups.setdefault((str(action.area_number), *action.superseded_by), []).append(action.ref)
    return {key: tuple(sorted(refs, key=natural_key)) for key, refs in groups.items()}


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
        return f"in {plan.info.words.area} {first.area_number}"
    refs = [a.ref for a in area.actions]
    return "below" if refs.index(first.ref) > refs.index(action.ref) else "above"


def carried_forward_wording(action: Action, plan: Plan) -> str:
    """'(Ongoing - links to Action 1.2, 2018/19 OPCC SDP)' for a carried-forward action, else ''."""
    if not action.carried_forward:
        return ""
    target = f", {plan.info.next_plan}" if plan.info.next_plan else ", next year's plan"
    return f"(Ongoing - links to Action {action.carried_forward}{target})"


def carried_forward_from_wording(action: Action) -> str:
    """'Carried forward from 2017/18 Action 4.2' for an action continued from last year's plan, else ''.

    The field holds '<year> <ref>' (validate.py checks the form); the old ref is never linked, as the
    same ref in this plan may be another action."""
    if not action.carried_forward_from:
        return ""
    year, _, ref = action.carried_forward_from.partition(" ")
    return f"Carried forward from {year} Action {ref}"


def priorities_display(action: Action) -> str:
    """The 'Links to Strategic Priority' cell as the plan writes it: [1, 2, 3] -> '1 - 3', [1, 3] -> '1 & 3'."""
    runs: list[list[int]] = []
    for number in sorted(set(action.priorities)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return join_words([f"{run[0]} - {run[-1]}" if len(run) > 1 else str(run[0]) for run in runs])


# --- changes since the last report ---------------------------------------------------------------------

# The 'Changes since' section's heading for each kind of change.
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
# How the section's opening sentence counts each kind: (one, many).
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
REMOVED_FROM_THE_PLAN = "removed from the plan"
_TITLE_LENGTH = 90


def count_words(count: int, kind: ChangeKind) -> str:
    """'2 due dates moved', '1 new action', '36 completed'."""
    one, many = _COUNT_WORDS[kind]
    return f"{count} {one if count == 1 else many}"


PROGRESS_APPENDIX = "Progress summary"
PROGRESS_APPENDIX_SINCE = "Progress since the last report"
# The restricted copy's last appendix (layout/update_round.py).
UPDATE_ROUND_APPENDIX = "Actions not yet updated since the last report"


def appendix_label(number: int) -> str:
    """'Appendix 4'."""
    return f"Appendix {number}"


def progress_paragraph(since: dt.date | None, counts: dict[ChangeKind, int], overdue: int, complete: int,
                       active: int, appendix: str, area_word: str) -> str:
    """The cover report's one paragraph on progress, in the report's own words, e.g. 'Since the last report,
    as at 7 November 2017, 36 actions have been completed and 12 R/A/G ratings have moved; 7 actions are
    overdue. Appendix 4 summarises progress by business area and lists every change.'"""
    overdue_words = f"{overdue} action{' is' if overdue == 1 else 's are'} overdue" if overdue else "no action is overdue"
    if since is None:
        return (f"Of the {active} active action{'' if active == 1 else 's'}, {complete} {'is' if complete == 1 else 'are'} "
                f"complete and {overdue_words}. {appendix} summarises progress by {area_word}.")
    phrases = {ChangeKind.COMPLETED: ("action has been completed", "actions have been completed"),
               ChangeKind.RAG_MOVED: ("R/A/G rating has moved", "R/A/G ratings have moved"),
               ChangeKind.DUE_MOVED: ("due date has moved", "due dates have moved"),
               ChangeKind.NEW: ("new action has been added", "new actions have been added")}
    moves = [f"{counts[kind]} {one if counts[kind] == 1 else many}"
             for kind, (one, many) in phrases.items() if counts.get(kind, 0)]
    happened = join_words(moves, " and ") if moves else "no action has changed"
    return (f"Since the last report, as at {date_in_words(since)}, {happened}; {overdue_words}. "
            f"{appendix} summarises progress by {area_word} and lists every change.")


def short_title(action: Action) -> str:
    """The action's text as plain text, cut to about 90 characters at a word boundary."""
    text = " ".join(plain_text(action.text).split())
    if len(text) <= _TITLE_LENGTH:
        return text
    cut = text[:_TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(",;:-")
    return cut + "…"


def change_values(item: ChangeItem, ratings: RatingScale, *earlier: RatingScale) -> tuple[str, str]:
    """What a change was and is, in words: ('Amber', 'Red'), ('Mar 2018', 'Jun 2018'), ('PCC', 'DPCC');
    ('', 'White') for a new action; (old lifecycle, 'deleted' or 'removed from the plan') for a deletion."""
    now, was = item.action, item.before or item.action
    match item.kind:
        case ChangeKind.NEW:
            return "", rag_word(now.rag_key, ratings, *earlier)
        case ChangeKind.COMPLETED | ChangeKind.RAG_MOVED:
            return rag_word(was.rag_key, ratings, *earlier), rag_word(now.rag_key, ratings, *earlier)
        case ChangeKind.DUE_MOVED:
            return _due_or_none(was.due), _due_or_none(now.due)
        case ChangeKind.SPONSOR_CHANGED:
            return people_words(was.sponsor), people_words(now.sponsor)
        case ChangeKind.LEAD_CHANGED:
            return people_words(was.lead), people_words(now.lead)
        case ChangeKind.SUPERSEDED:
            return str(was.lifecycle), ", ".join(now.superseded_by)
        case ChangeKind.DELETED:
            return str(was.lifecycle), REMOVED_FROM_THE_PLAN if item.removed else "deleted"
        case ChangeKind.CARRIED_FORWARD:
            return was.carried_forward or "", now.carried_forward or ""
        case _:
            unreachable(item.kind)


def _due_or_none(due: Due | None) -> str:
    return due_words(due) if due is not None else "none"


DIRECTION_WORDS = for_every(Direction, {
    Direction.NEW: "new", Direction.UNCHANGED: "unchanged", Direction.IMPROVED: "improved",
    Direction.WORSENED: "worsened", Direction.CHANGED: "changed",
})
# The arrow before a rating that moved: only where the scale says better or worse.
MOVEMENT_ARROWS = for_every(Direction, {
    Direction.NEW: "", Direction.UNCHANGED: "", Direction.IMPROVED: "↑", Direction.WORSENED: "↓",
    Direction.CHANGED: "",
})


def movement_words(movement: RagMovement, ratings: RatingScale, *earlier: RatingScale) -> str:
    """'Amber → Red'; the rating alone when unchanged; 'New' for an action added since."""
    if movement.direction == Direction.NEW:
        return NEW_WORD
    if movement.direction == Direction.UNCHANGED:
        return rag_word(movement.current, ratings, *earlier)
    return f"{rag_word(movement.previous, ratings, *earlier)} → {rag_word(movement.current, ratings, *earlier)}"


def movement_spoken(movement: RagMovement, since: dt.date) -> str:
    """'worsened since 7 Nov 2017': the direction in words, for the cell and for screen readers."""
    return f"{DIRECTION_WORDS[movement.direction]} since {short_date(since)}"


# --- performance measures ------------------------------------------------------------------------------

TREND_WORDS = for_every(Trend, {Trend.IMPROVING: "improving", Trend.WORSENING: "worsening", Trend.UNCHANGED: "unchanged"})


# What a measure's chart's value axis is labelled, by its unit.
AXIS_LABELS = for_every(Unit, {Unit.COUNT: "Number", Unit.PERCENT: "Per cent"})


def measure_value(kpi: Kpi, value: float) -> str:
    """A measure's value as the report shows it: 5,009 or 23.5%."""
    text = f"{value:,.1f}" if value != int(value) else f"{int(value):,}"
    return text + ("%" if kpi.unit == Unit.PERCENT else "")


def kpi_movement(kpi: Kpi) -> tuple[str, str]:
    """(arrow, words) for the direction of travel, e.g. ('↓', 'Down – improving'); ('', '') without a baseline."""
    if kpi.baseline is None or kpi.direction is None:
        return "", ""
    if kpi.current.value > kpi.baseline.value:
        return "↑", f"Up – {TREND_WORDS[kpi.direction]}"
    if kpi.current.value < kpi.baseline.value:
        return "↓", f"Down – {TREND_WORDS[kpi.direction]}"
    return "↔", "Unchanged"


def change_words(kpi: Kpi) -> str:
    """The change from the comparison value: '\u221232 (\u22120.6%)', '\u22123.0 points (\u221211.3%)'; '' without one."""
    if kpi.change is None:
        return ""
    if kpi.unit == Unit.PERCENT:
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
